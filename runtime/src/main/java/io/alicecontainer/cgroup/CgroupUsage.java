package io.alicecontainer.cgroup;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import io.alicecontainer.Pressure;
import io.alicecontainer.ResourceUsage;

/** Reads a cgroup's usage from whichever files this layout has. */
final class CgroupUsage {
    private CgroupUsage() {
    }

    static ResourceUsage read(Path v2Dir, Path v2Mem, Path v2Cpu, Path v2Pids, Path v2Io, Map<String, Path> v1) {
        Path mem = v2Mem != null ? v2Mem : v1.get("memory");
        long current = memoryCurrent(v2Mem, v1.get("memory"));
        long peak = v2Mem != null ? optionalLong(v2Mem.resolve(CgroupFiles.MEMORY_PEAK))
                : mem != null ? optionalLong(mem.resolve(CgroupFiles.MEMORY_MAX_USAGE_IN_BYTES)) : -1;
        long oomKills = -1;
        if (v2Mem != null) {
            oomKills = CgroupStats.flatKeyed(CgroupFs.read(v2Mem.resolve(CgroupFiles.MEMORY_EVENTS))).getOrDefault("oom_kill", 0L);
        } else if (mem != null) {
            oomKills = CgroupStats.flatKeyed(CgroupFs.read(mem.resolve(CgroupFiles.MEMORY_OOM_CONTROL))).getOrDefault("oom_kill", 0L);
        }
        Duration[] cpu = cpuTime(v2Dir, v1);
        long throttledPeriods = 0;
        Duration throttled = Duration.ZERO;
        if (v2Cpu != null) {
            Map<String, Long> s = CgroupStats.flatKeyed(CgroupFs.read(v2Cpu.resolve(CgroupFiles.CPU_STAT)));
            throttledPeriods = s.getOrDefault("nr_throttled", 0L);
            throttled = CgroupController.micros(s.getOrDefault("throttled_usec", 0L));
        } else if (v1.containsKey("cpu")) {
            Map<String, Long> s = CgroupStats.flatKeyed(CgroupFs.read(v1.get("cpu").resolve(CgroupFiles.CPU_STAT)));
            throttledPeriods = s.getOrDefault("nr_throttled", 0L);
            throttled = Duration.ofNanos(s.getOrDefault("throttled_time", 0L));
        }
        Path pids = v2Pids != null ? v2Pids : v1.get("pids");
        long pidsPeak = pids == null ? -1 : optionalLong(pids.resolve(CgroupFiles.PIDS_PEAK));
        long pidsCurrent = pids == null ? -1 : optionalLong(pids.resolve(CgroupFiles.PIDS_CURRENT));
        long[] io = {-1, -1};
        if (v2Io != null) {
            io = CgroupStats.ioStatBytes(CgroupFs.read(v2Io.resolve(CgroupFiles.IO_STAT)));
        } else if (v1.containsKey("blkio")) {
            io = CgroupStats.blkioBytes(CgroupFs.read(v1.get("blkio").resolve(CgroupFiles.BLKIO_SERVICE_BYTES)));
        }
        return new ResourceUsage(peak, current, cpu[0], cpu[1], cpu[2], throttledPeriods, throttled, oomKills,
                pidsPeak, pidsCurrent, io[0], io[1], pressure(v2Dir, CgroupFiles.CPU_PRESSURE),
                pressure(v2Dir, CgroupFiles.MEMORY_PRESSURE), pressure(v2Dir, CgroupFiles.IO_PRESSURE));
    }

    static long memoryCurrent(Path v2Mem, Path v1Mem) {
        if (v2Mem != null) return CgroupFs.readLong(v2Mem.resolve(CgroupFiles.MEMORY_CURRENT));
        if (v1Mem != null) return CgroupFs.readLong(v1Mem.resolve(CgroupFiles.MEMORY_USAGE_IN_BYTES));
        return -1;
    }

    /** {total, user, system}: v2 cpu.stat exists in every v2 cgroup, controller or not; else cpuacct. */
    static Duration[] cpuTime(Path v2Dir, Map<String, Path> v1) {
        if (v2Dir != null) {
            Map<String, Long> s = CgroupStats.flatKeyed(CgroupFs.read(v2Dir.resolve(CgroupFiles.CPU_STAT)));
            return new Duration[] {CgroupController.micros(s.getOrDefault("usage_usec", 0L)),
                    CgroupController.micros(s.getOrDefault("user_usec", 0L)),
                    CgroupController.micros(s.getOrDefault("system_usec", 0L))};
        }
        Path acct = v1.get("cpuacct");
        if (acct == null) return new Duration[] {Duration.ZERO, Duration.ZERO, Duration.ZERO};
        return new Duration[] {Duration.ofNanos(CgroupFs.readLong(acct.resolve(CgroupFiles.CPUACCT_USAGE))),
                Duration.ofNanos(Math.max(0, optionalLong(acct.resolve(CgroupFiles.CPUACCT_USAGE_USER)))),
                Duration.ofNanos(Math.max(0, optionalLong(acct.resolve(CgroupFiles.CPUACCT_USAGE_SYS))))};
    }

    private static Pressure pressure(Path v2Dir, String file) {
        if (v2Dir == null) return Pressure.unavailable();
        Optional<String> s = CgroupFs.readIfPresent(v2Dir.resolve(file));
        return s.map(CgroupStats::pressure).orElse(Pressure.unavailable());
    }

    private static long optionalLong(Path file) {
        return CgroupFs.readIfPresent(file).map(s -> CgroupStats.parseLimit(s.trim())).orElse(-1L);
    }
}
