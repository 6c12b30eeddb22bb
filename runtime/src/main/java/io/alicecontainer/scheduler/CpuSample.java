package io.alicecontainer.scheduler;

/**
 * One reading of a cgroup's CPU counters, all cumulative since the cgroup was made.
 *
 * @param usageUs     CPU time used, µs ({@code usage_usec} of v2 {@code cpu.stat}, or v1 {@code cpuacct.usage})
 * @param nrThrottled periods in which the cgroup ran out of quota ({@code nr_throttled})
 * @param throttledUs time the cgroup spent throttled, µs ({@code throttled_usec} on v2,
 *                    {@code throttled_time} / 1000 on v1)
 * @param atNanos     when it was read, on the {@link System#nanoTime()} clock
 */
public record CpuSample(long usageUs, long nrThrottled, long throttledUs, long atNanos) {
}
