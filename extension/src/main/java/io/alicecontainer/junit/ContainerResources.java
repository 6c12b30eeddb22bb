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

    /**
     * The test's own usage so far, from the start of the test (or lifecycle method's node) this
     * was injected into: CPU time, throttling and stalls as deltas; {@code memoryPeakBytes()} the
     * test's own peak, above what the container used when the test started (the child JVM's boot
     * left out; -1 where the kernel cannot reset a cgroup's peak: cgroup v2 before Linux 6.12);
     * {@code memoryCurrentBytes()} likewise above that start. Measured by the parent from the
     * container's cgroup, the same figures as the {@code alice.memory.test.peak.bytes} and
     * {@code alice.cpu.*} report entries.
     *
     * <pre>{@code
     * ResourceAssertions.assertThat(container.testUsage()).memory().peak().isLessThan(mebibytes(40));
     * }</pre>
     */
    ResourceUsage testUsage();

    /** The container's memory limit in bytes, or -1 for none. */
    long memoryLimitBytes();

    /** The container's CPU limit in percent of one CPU, or -1 for none. */
    int cpuLimitPercent();
}
