package io.alicecontainer.junit;

import io.alicecontainer.ExecResult;
import io.alicecontainer.ResourceUsage;

/** Stand-ins resolved in the calling JVM, where an isolated test's body never runs. */
enum NotInParent implements ContainerResources, Sandbox {
    RESOURCES, SANDBOX;

    private static IllegalStateException misuse() {
        return new IllegalStateException("used outside the isolated test's container: the test body runs in the child JVM");
    }

    @Override
    public ResourceUsage usage() {
        throw misuse();
    }

    @Override
    public ResourceUsage testUsage() {
        throw misuse();
    }

    @Override
    public long memoryLimitBytes() {
        throw misuse();
    }

    @Override
    public int cpuLimitPercent() {
        throw misuse();
    }

    @Override
    public ExecResult exec(String... argv) {
        throw misuse();
    }
}
