package io.alicecontainer.junit;

import io.alicecontainer.ResourceUsage;
import io.alicecontainer.cgroup.CgroupController;

/** {@link ContainerResources} inside the child: the container's cgroup is the child's own. */
final class OwnContainer implements ContainerResources {
    private final IsolationSettings settings;

    OwnContainer(IsolationSettings settings) {
        this.settings = settings;
    }

    @Override
    public ResourceUsage usage() {
        return CgroupController.ownUsage();
    }

    @Override
    public long memoryLimitBytes() {
        return settings.memoryBytes() == null ? -1 : settings.memoryBytes();
    }

    @Override
    public int cpuLimitPercent() {
        return settings.cpuPercent() == null ? -1 : settings.cpuPercent();
    }

    @Override
    public String toString() {
        return "ContainerResources[" + usage() + "]";
    }
}
