package io.alicecontainer.cgroup;

import java.nio.file.Path;
import java.util.Set;

/**
 * No cgroup at all: rootless, with no subtree delegated to this user, and only where the user
 * opted in ({@value RootlessChoice#LIMITS_PROPERTY}{@code =optional}). Containers keep their
 * namespaces; a limit fails with a clear error, usage is not measured (and reported as such),
 * and a container is stopped by killing its processes (each PID 1 of its own pid namespace).
 */
record NoCgroupPlacement(CgroupLayout layout) implements Placement {
    @Override
    public String name() {
        return "none";
    }

    @Override
    public Path prepareV2(Set<String> controllers) {
        return null;
    }

    @Override
    public Path v1Base(String controller) {
        throw new IllegalStateException("no cgroup placement");
    }

    @Override
    public boolean limitless() {
        return true;
    }
}
