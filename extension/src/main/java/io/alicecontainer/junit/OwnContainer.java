package io.alicecontainer.junit;

import io.alicecontainer.ResourceUsage;
import io.alicecontainer.cgroup.CgroupController;
import io.alicecontainer.junit.internal.ParentLink;

/** {@link ContainerResources} inside the child: the container's cgroup is the child's own. */
final class OwnContainer implements ContainerResources {
    private final IsolationSettings settings;
    private final String uniqueId;

    OwnContainer(IsolationSettings settings, String uniqueId) {
        this.settings = settings;
        this.uniqueId = uniqueId;
    }

    @Override
    public ResourceUsage testUsage() {
        ParentLink link = ParentLink.current();
        ResourceUsage u = link == null ? null : link.testUsage(uniqueId);
        if (u == null) throw new IllegalStateException("the test's usage is not available: no measuring parent on the channel"
                + " (or " + uniqueId + " is not running)");
        return u;
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
