package io.alicecontainer.junit;

import io.alicecontainer.ResourceUsage;

/**
 * The isolated test's own container, seen from inside the test: inject it as a parameter of the
 * test method (or of a lifecycle method) of an {@link Isolated} test.
 *
 * <pre>{@code
 * @Test @Isolated @MemoryLimit("256M")
 * void parsesWithinBudget(ContainerResources container) {
 *     parser.parse(input);
 *     assertThat(container.usage()).memory().peak().isLessThan(mebibytes(128));
 * }
 * }</pre>
 */
public interface ContainerResources {
    /** The container's usage now, read from its cgroup: cumulative since the container started. */
    ResourceUsage usage();

    /** The container's memory limit in bytes, or -1 for none. */
    long memoryLimitBytes();

    /** The container's CPU limit in percent of one CPU, or -1 for none. */
    int cpuLimitPercent();
}
