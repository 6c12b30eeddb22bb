package io.alicecontainer.junit.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The figures of an earlier run that the regression gate compares against, by test unique id:
 * read from an earlier reports folder (its per-test JSON files) or from a summary file written
 * by {@link #write}. Only tests that passed count: a killed test's figures say nothing.
 */
public final class Baseline {
    public static final String FORMAT = "alice-baseline/1";

    /** One test's figures; -1 where the run did not report one. */
    public record Figures(String className, String test, long memoryPeakBytes, long cpuTimeUs) {
    }

    private Baseline() {
    }

    /** The baseline at {@code path}: a reports folder or a summary file. */
    public static Map<String, Figures> read(Path path) throws IOException {
        Map<String, Figures> out = new TreeMap<>();
        if (Files.isDirectory(path)) {
            List<String> skipped = new ArrayList<>();
            for (TestReports.Entry e : TestReports.read(path, skipped)) {
                if (!"SUCCESSFUL".equals(e.json().get("status"))) continue;
                out.put(e.uniqueId(), new Figures(String.valueOf(e.json().get("class")), String.valueOf(e.json().get("test")),
                        e.usage("alice.memory.peak.bytes"), e.usage("alice.cpu.time.us")));
            }
            return out;
        }
        Object json;
        try {
            json = Json.parse(Files.readString(path, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new IOException(path + " is not a baseline summary: " + e.getMessage(), e);
        }
        if (!(json instanceof Map<?, ?> m) || !FORMAT.equals(m.get("format")) || !(m.get("tests") instanceof Map<?, ?> tests)) {
            throw new IOException(path + " is not a baseline summary (expected \"format\": \"" + FORMAT + "\" and \"tests\")");
        }
        for (Map.Entry<?, ?> t : tests.entrySet()) {
            if (!(t.getValue() instanceof Map<?, ?> f)) continue;
            out.put(String.valueOf(t.getKey()), new Figures(String.valueOf(f.get("class")), String.valueOf(f.get("test")),
                    number(f.get("memoryPeakBytes")), number(f.get("cpuTimeUs"))));
        }
        return out;
    }

    /**
     * Writes the summary of the reports folder {@code reports} to {@code out}. An existing summary
     * is refreshed: its tests that did not pass in this run keep their earlier figures.
     *
     * @return how many tests the summary holds
     */
    public static int write(Path reports, Path out) throws IOException {
        if (!Files.isDirectory(reports)) throw new IOException(reports + " is not a reports folder");
        Map<String, Figures> all = new TreeMap<>(Files.isRegularFile(out) ? read(out) : Map.of());
        Map<String, Figures> now = read(reports);
        if (now.isEmpty()) throw new IOException("no passed isolated test under " + reports + ": nothing to write a baseline from");
        all.putAll(now);
        StringBuilder b = new StringBuilder("{\n  \"format\": \"" + FORMAT + "\",\n  \"writtenAt\": \"")
                .append(Instant.now().truncatedTo(ChronoUnit.SECONDS)).append("\",\n  \"tests\": {\n");
        int i = 0;
        for (Map.Entry<String, Figures> e : all.entrySet()) {
            Figures f = e.getValue();
            b.append("    ").append(quote(e.getKey())).append(": {\"class\": ").append(quote(f.className()))
                    .append(", \"test\": ").append(quote(f.test())).append(", \"memoryPeakBytes\": ").append(f.memoryPeakBytes())
                    .append(", \"cpuTimeUs\": ").append(f.cpuTimeUs()).append(++i < all.size() ? "},\n" : "}\n");
        }
        b.append("  }\n}\n");
        if (out.toAbsolutePath().getParent() != null) Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, b.toString(), StandardCharsets.UTF_8);
        return all.size();
    }

    private static long number(Object o) {
        return o instanceof Number n ? n.longValue() : -1;
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') b.append('\\').append(c);
            else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        return b.append('"').toString();
    }
}
