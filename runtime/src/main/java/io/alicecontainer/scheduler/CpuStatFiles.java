package io.alicecontainer.scheduler;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

import io.alicecontainer.cgroup.CgroupException;
import io.alicecontainer.cgroup.CgroupMode;

/**
 * Where a cgroup's CPU counters live on each layout, and reading them. Only the one or two files a
 * tick needs are read (not the whole {@code ResourceUsage}: a 1 ms tick must stay cheap).
 *
 * @param usage        v2 {@code cpu.stat} (key {@code usage_usec}) or v1 {@code cpuacct.usage} (ns)
 * @param throttling   v2 {@code cpu.stat} ({@code throttled_usec}) or v1 {@code cpu.stat}
 *                     ({@code throttled_time}, ns); null when there is none yet
 * @param v1Throttling whether {@code throttling} is the v1 file
 */
record CpuStatFiles(Path usage, Path throttling, boolean v1Throttling) {
    static final String CPU_STAT = "cpu.stat";
    static final String CPUACCT_USAGE = "cpuacct.usage";

    CpuStatFiles {
        Objects.requireNonNull(usage, "usage");
    }

    /**
     * The files for a layout (Documentation/admin-guide/cgroup-v2.rst "cpu.stat": usage_usec is
     * there in every v2 cgroup, controller or not; the throttling keys only with the cpu controller,
     * which a hybrid host keeps in v1, cgroup-v1/cgroups.rst and sched-bwc.rst "Statistics").
     */
    static CpuStatFiles of(CgroupMode mode, Path v2Dir, Path v1Cpu, Path v1Cpuacct) {
        switch (mode) {
            case V2:
                Path stat = Objects.requireNonNull(v2Dir, "v2Dir").resolve(CPU_STAT);
                return new CpuStatFiles(stat, stat, false);
            case HYBRID:
                return new CpuStatFiles(Objects.requireNonNull(v2Dir, "v2Dir").resolve(CPU_STAT),
                        v1Cpu == null ? null : v1Cpu.resolve(CPU_STAT), true);
            default:
                Path acct = v1Cpuacct != null ? v1Cpuacct : v1Cpu;
                if (acct == null) throw new CgroupException("no cpuacct cgroup to read the CPU usage from");
                return new CpuStatFiles(acct.resolve(CPUACCT_USAGE), v1Cpu == null ? null : v1Cpu.resolve(CPU_STAT), true);
        }
    }

    /** How a file's text is read (a fresh open, or a pread of a file kept open). */
    @FunctionalInterface
    interface Reader {
        String read(Path file) throws IOException;
    }

    /** Reads the counters, opening each file anew; {@code atNanos} is taken after the reads. */
    CpuSample read() {
        return read(f -> new String(Files.readAllBytes(f), StandardCharsets.US_ASCII));
    }

    /** Reads the counters through reader; {@code atNanos} is taken after the reads. */
    CpuSample read(Reader reader) {
        String usageText = read(reader, usage);
        long usageUs = usage.getFileName().toString().equals(CPUACCT_USAGE)
                ? Long.parseLong(usageText.trim()) / 1000
                : key(usageText, "usage_usec");
        long nrThrottled = 0;
        long throttledUs = 0;
        if (throttling != null) {
            String t = throttling.equals(usage) ? usageText : read(reader, throttling);
            nrThrottled = key(t, "nr_throttled");
            throttledUs = v1Throttling ? key(t, "throttled_time") / 1000 : key(t, "throttled_usec");
        }
        return new CpuSample(usageUs, nrThrottled, throttledUs, System.nanoTime());
    }

    /** A value of a "flat keyed" file ({@code key value} per line); 0 when the key is absent. */
    static long key(String text, String key) {
        int from = 0;
        while (from < text.length()) {
            int end = text.indexOf('\n', from);
            if (end < 0) end = text.length();
            if (text.startsWith(key, from) && from + key.length() < end && text.charAt(from + key.length()) == ' ') {
                return Long.parseLong(text.substring(from + key.length() + 1, end).trim());
            }
            from = end + 1;
        }
        return 0;
    }

    private static String read(Reader reader, Path file) {
        try {
            return reader.read(file);
        } catch (IOException e) {
            throw new CgroupException("failed to read " + file + ": " + e.getMessage(), e);
        }
    }
}
