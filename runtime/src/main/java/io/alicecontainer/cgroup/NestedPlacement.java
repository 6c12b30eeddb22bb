package io.alicecontainer.cgroup;

import java.nio.file.Path;
import java.util.Set;

/**
 * {@code <own cgroup>/alice}: the containers nest in the JVM's own cgroup, so that the limits and
 * accounting of whoever started it (a CI job, a systemd unit) still cover them. Always on v1 and
 * hybrid; on pure v2 where the own cgroup may enable controllers while holding the JVM: the root.
 */
record NestedPlacement(CgroupLayout layout) implements Placement {
    static final String GROUP = "alice";

    @Override
    public String name() {
        return "nested";
    }

    @Override
    public Path prepareV2(Set<String> controllers) {
        if (!controllers.isEmpty()) {
            try {
                V2Subtree.enable(layout.v2Own(), controllers);
            } catch (CgroupException e) {
                throw new CgroupException("cannot enable the " + controllers + " controllers below " + layout.v2Own()
                        + ", the JVM's own cgroup: cgroup v2 forbids it while that cgroup holds processes "
                        + "(no-internal-processes rule). Set -D" + CgroupRoot.PARENT_PROPERTY + "=/<path of a delegated cgroup, relative to "
                        + layout.v2Mount() + ">. Cause: " + e.getMessage(), e);
            }
        }
        return V2Subtree.base(layout.v2Own().resolve(GROUP), controllers);
    }

    @Override
    public Path v1Base(String controller) {
        return layout.v1Own().get(controller).resolve(GROUP);
    }
}
