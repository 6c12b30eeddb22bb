package io.alicecontainer.cgroup;

import java.nio.file.Path;
import java.util.Set;

/**
 * The cgroup the user named with {@value CgroupRoot#PARENT_PROPERTY}: a relative path below the
 * JVM's own cgroup, an absolute one from the root of each hierarchy (a delegated subtree: its
 * ancestors already pass the controllers down).
 */
record ExplicitParentPlacement(CgroupLayout layout, String parent) implements Placement {
    ExplicitParentPlacement {
        for (String part : parent.split("/")) {
            if (!part.isEmpty()) CgroupNames.validate(part);
        }
    }

    @Override
    public String name() {
        return "explicit-parent";
    }

    @Override
    public Path prepareV2(Set<String> controllers) {
        Path base = resolve(layout.v2Mount(), layout.v2Own());
        if (!controllers.isEmpty() && !absolute()) {
            try {
                V2Subtree.enable(layout.v2Own(), controllers);
            } catch (CgroupException e) {
                throw new CgroupException("cannot enable the " + controllers + " controllers below " + layout.v2Own()
                        + " for " + CgroupRoot.PARENT_PROPERTY + "=" + parent + ": a relative parent lies in the JVM's own cgroup,"
                        + " which holds processes (no-internal-processes rule). Give an absolute path of a delegated cgroup,"
                        + " relative to " + layout.v2Mount() + ". Cause: " + e.getMessage(), e);
            }
        }
        return V2Subtree.base(base, controllers);
    }

    @Override
    public Path v1Base(String controller) {
        return resolve(layout.v1Mounts().get(controller), layout.v1Own().get(controller));
    }

    private boolean absolute() {
        return parent.startsWith("/");
    }

    private Path resolve(Path mount, Path own) {
        return absolute() ? mount.resolve(parent.substring(1)) : own.resolve(parent);
    }
}
