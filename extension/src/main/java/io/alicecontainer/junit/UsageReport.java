package io.alicecontainer.junit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import io.alicecontainer.ExecResult;
import io.alicecontainer.Pressure;
import io.alicecontainer.ResourceUsage;

/** Publishes an isolated test's usage: report entries with alice.* keys and one JSON file per test. */
final class UsageReport {
    static final String REPORT_DIR = "alice.report.dir";
    /** "false" turns off the usage line printed to stdout after each isolated test. */
    static final String STDOUT = "alice.report.stdout";

    private UsageReport() {
    }

    /**
     * The entries. {@code test} is the usage during the test itself (read from the container's
     * cgroup by the parent as the test started and ended in the child), {@code testPeak} the
     * test's own memory peak (above what the container used when it started; -1 where the kernel
     * cannot reset a peak), {@code run} the container's from hand-over (a cold child's whole life).
     */
    static Map<String, String> entries(IsolationSettings s, ForkedRun.Outcome o, ResourceUsage test, long testPeak) {
        ExecResult run = o.exec();
        ResourceUsage c = run.usage();
        ResourceUsage t = test != null ? test : c;
        Map<String, String> e = new LinkedHashMap<>();
        e.put("alice.memory.peak.bytes", Long.toString(c.memoryPeakBytes()));
        e.put("alice.memory.test.peak.bytes", Long.toString(testPeak));
        e.put("alice.cpu.time.us", us(t.cpuTime()));
        e.put("alice.cpu.user.us", us(t.cpuUserTime()));
        e.put("alice.cpu.system.us", us(t.cpuSystemTime()));
        e.put("alice.cpu.throttled.periods", Long.toString(t.throttledPeriods()));
        e.put("alice.cpu.throttled.us", us(t.throttledTime()));
        e.put("alice.pressure.cpu.some.us", pressure(t.cpuPressure()));
        e.put("alice.pressure.memory.some.us", pressure(t.memoryPressure()));
        e.put("alice.pressure.memory.full.us", t.memoryPressure().available() ? us(t.memoryPressure().fullTotal()) : "-1");
        e.put("alice.pressure.io.some.us", pressure(t.ioPressure()));
        e.put("alice.oom.kills", Long.toString(c.oomKills()));
        e.put("alice.pids.peak", Long.toString(c.pidsPeak()));
        e.put("alice.container.cpu.time.us", us(c.cpuTime()));
        e.put("alice.container.wall.ms", Long.toString(run.wallTime().toMillis()));
        e.put("alice.container.exit", run.outcome());
        e.put("alice.container.pooled", Boolean.toString(o.pooled()));
        if (o.pooled()) e.put("alice.container.boot.cpu.us", Long.toString(o.bootCpuUs()));
        if (s.memoryBytes() != null) e.put("alice.limit.memory.bytes", Long.toString(s.memoryBytes()));
        if (s.cpuPercent() != null) e.put("alice.limit.cpu.percent", Integer.toString(s.cpuPercent()));
        if (s.pids() != null) e.put("alice.limit.pids", Long.toString(s.pids()));
        return e;
    }

    /** Why there are no figures: rootless, no delegated cgroup, isolation without limits asked for. */
    static final String UNMEASURED = "usage not measured: the container had no cgroup (rootless without a delegated cgroup, "
            + Availability.ROOTLESS_LIMITS + "=optional)";

    /**
     * The entries of a container without a cgroup: every figure -1 (not reported, as elsewhere),
     * and {@code alice.usage} saying why, so that no report claims a usage that was not measured.
     */
    static void unmeasured(Map<String, String> e) {
        for (Map.Entry<String, String> x : e.entrySet()) {
            String k = x.getKey();
            if ((k.startsWith("alice.memory.") || k.startsWith("alice.cpu.") || k.startsWith("alice.pressure.") || k.equals("alice.oom.kills")
                    || k.equals("alice.pids.peak") || k.equals("alice.container.cpu.time.us") || k.equals("alice.container.boot.cpu.us"))) {
                x.setValue("-1");
            }
        }
        e.put("alice.cgroup", "none");
        e.put("alice.usage", UNMEASURED);
    }

    /** "[alice] test(): alice.memory.peak.bytes=66424832 alice.cpu.time.us=96196 ...". */
    static String line(String displayName, Map<String, String> entries) {
        StringBuilder b = new StringBuilder("[alice] ").append(displayName).append(':');
        entries.forEach((k, v) -> b.append(' ').append(k).append('=').append(v.contains(" ") ? "\"" + v + "\"" : v));
        return b.toString();
    }

    /**
     * What the HTML report shows beside the figures.
     *
     * @param kill why the kernel or the timeout ended the child, or null
     * @param message the test's failure message, or null
     * @param samples the container's usage over its life, or null
     */
    record Details(String kill, String message, UsageSampler.Samples samples) {
        static final Details NONE = new Details(null, null, null);
    }

    /** Writes target/alice-reports/<class>/<test>.json (or the configured directory); returns the file. */
    static Path writeJson(Path dir, String className, String uniqueId, String displayName, String status,
                          Map<String, String> entries) throws IOException {
        return writeJson(dir, className, uniqueId, displayName, status, entries, Details.NONE);
    }

    /** As above, with the kill explanation, the failure message and the samples for the HTML report. */
    static Path writeJson(Path dir, String className, String uniqueId, String displayName, String status,
                          Map<String, String> entries, Details details) throws IOException {
        Path d = dir.resolve(className);
        Files.createDirectories(d);
        String file = Integer.toHexString(uniqueId.hashCode()) + "-" + displayName.replaceAll("[^A-Za-z0-9_.-]", "_");
        if (file.length() > 120) file = file.substring(0, 120);
        Path out = d.resolve(file + ".json");
        StringBuilder b = new StringBuilder("{\n");
        b.append("  \"class\": ").append(json(className)).append(",\n");
        b.append("  \"test\": ").append(json(displayName)).append(",\n");
        b.append("  \"uniqueId\": ").append(json(uniqueId)).append(",\n");
        b.append("  \"status\": ").append(json(status)).append(",\n");
        b.append("  \"finishedAt\": ").append(json(Instant.now().toString())).append(",\n");
        b.append("  \"usage\": {\n");
        int i = 0;
        for (Map.Entry<String, String> en : entries.entrySet()) {
            String v = en.getValue();
            b.append("    ").append(json(en.getKey())).append(": ").append(v.matches("-?\\d+|true|false") ? v : json(v));
            b.append(++i < entries.size() ? ",\n" : "\n");
        }
        b.append("  }");
        if (details.kill() != null) b.append(",\n  \"kill\": ").append(json(details.kill()));
        if (details.message() != null) {
            String m = details.message();
            b.append(",\n  \"message\": ").append(json(m.length() > 4000 ? m.substring(0, 4000) + " [...]" : m));
        }
        if (details.samples() != null) samples(b, details.samples());
        b.append("\n}\n");
        Files.writeString(out, b.toString(), StandardCharsets.UTF_8);
        return out;
    }

    /** Column arrays, compact: "samples": {"t": [0, 100, ...], "memory": [...], "cpu": [...]}. */
    private static void samples(StringBuilder b, UsageSampler.Samples s) {
        String[] names = {"t", "memory", "cpu"};
        b.append(",\n  \"samples\": {");
        for (int c = 0; c < names.length; c++) {
            b.append(c == 0 ? "\n" : ",\n").append("    \"").append(names[c]).append("\": [");
            for (int i = 0; i < s.rows().size(); i++) {
                if (i > 0) b.append(',');
                b.append(s.rows().get(i)[c]);
            }
            b.append(']');
        }
        b.append("\n  }");
    }

    private static String us(Duration d) {
        return Long.toString(d.toNanos() / 1000);
    }

    private static String pressure(Pressure p) {
        return p.available() ? us(p.someTotal()) : "-1";
    }

    static String json(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (ch < 0x20) b.append(String.format(Locale.ROOT, "\\u%04x", (int) ch)); else b.append(ch);
                }
            }
        }
        return b.append('"').toString();
    }
}
