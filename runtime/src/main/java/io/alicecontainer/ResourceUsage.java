package io.alicecontainer;

import java.time.Duration;
import java.util.Locale;

/**
 * What a container used, read from its cgroup files: memory, CPU time and throttling, pressure
 * stall (PSI), OOM kills, pids and block I/O. A value the kernel does not report on this host is
 * {@code -1} (counts and bytes) or {@link Pressure#unavailable()}.
 *
 * @param memoryPeakBytes    highest memory use (v2 {@code memory.peak}, v1 {@code memory.max_usage_in_bytes})
 * @param memoryCurrentBytes memory use when read
 * @param cpuTime            CPU time, user plus system
 * @param throttledPeriods   CFS periods in which the cgroup was throttled by its CPU limit
 * @param throttledTime      total time the cgroup was throttled
 * @param oomKills           processes killed by the OOM killer in this cgroup
 * @param pidsPeak           highest number of tasks at once
 */
public record ResourceUsage(long memoryPeakBytes, long memoryCurrentBytes, Duration cpuTime, Duration cpuUserTime,
                            Duration cpuSystemTime, long throttledPeriods, Duration throttledTime, long oomKills,
                            long pidsPeak, long pidsCurrent, long ioReadBytes, long ioWriteBytes,
                            Pressure cpuPressure, Pressure memoryPressure, Pressure ioPressure) implements java.io.Serializable {

    /** Usage of a container that has not run anything. */
    public static final ResourceUsage NONE = new ResourceUsage(0, 0, Duration.ZERO, Duration.ZERO, Duration.ZERO, 0,
            Duration.ZERO, 0, 0, 0, 0, 0, Pressure.unavailable(), Pressure.unavailable(), Pressure.unavailable());

    /**
     * The usage accumulated since {@code earlier} (read from the same cgroup): counters and
     * stall totals subtracted; peaks and current values as now (a peak is the container's).
     */
    public ResourceUsage since(ResourceUsage earlier) {
        return new ResourceUsage(memoryPeakBytes, memoryCurrentBytes, cpuTime.minus(earlier.cpuTime),
                cpuUserTime.minus(earlier.cpuUserTime), cpuSystemTime.minus(earlier.cpuSystemTime),
                minus(throttledPeriods, earlier.throttledPeriods), throttledTime.minus(earlier.throttledTime),
                minus(oomKills, earlier.oomKills), pidsPeak, pidsCurrent, minus(ioReadBytes, earlier.ioReadBytes),
                minus(ioWriteBytes, earlier.ioWriteBytes), cpuPressure.since(earlier.cpuPressure),
                memoryPressure.since(earlier.memoryPressure), ioPressure.since(earlier.ioPressure));
    }

    private static long minus(long now, long before) {
        return now < 0 || before < 0 ? now : now - before;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT,
                "ResourceUsage[memory peak %s, cpu %.1f ms (user %.1f, system %.1f), throttled %d periods / %.1f ms, "
                        + "oom kills %d, pids peak %d, cpu pressure %s, memory pressure %s, io pressure %s]",
                ByteSize.format(memoryPeakBytes), ms(cpuTime), ms(cpuUserTime), ms(cpuSystemTime), throttledPeriods,
                ms(throttledTime), oomKills, pidsPeak, cpuPressure, memoryPressure, ioPressure);
    }

    private static double ms(Duration d) {
        return d.toNanos() / 1e6;
    }
}
