package io.alicecontainer.cgroup;

import java.nio.file.Path;
import java.util.Set;

/**
 * A group of ours, {@code alice}, in an ancestor of the JVM's cgroup that passes the controllers
 * down: the hierarchy's root on a systemd host, as the cgroupfs drivers of docker and runc do;
 * elsewhere the nearest such ancestor, so that its limits still cover the containers.
 */
record CgroupfsPlacement(CgroupLayout layout, Path ancestor) implements Placement {
    @Override
    public String name() {
        return "cgroupfs";
    }

    @Override
    public Path prepareV2(Set<String> controllers) {
        if (!controllers.isEmpty()) V2Subtree.enable(ancestor, controllers);
        return V2Subtree.base(ancestor.resolve(NestedPlacement.GROUP), controllers);
    }

    @Override
    public Path v1Base(String controller) {
        throw new IllegalStateException("cgroupfs is a cgroup-v2 placement");
    }
}
