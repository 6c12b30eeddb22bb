package io.alicecontainer.junit.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The per-test JSON files of a reports folder ({@code <dir>/<class>/<test>.json}), read back. */
public final class TestReports {
    /**
     * One test's file.
     *
     * @param file where it was read from
     * @param text its text, as written
     * @param json its parsed content
     */
    public record Entry(Path file, String text, Map<String, Object> json) {
        public String uniqueId() {
            return String.valueOf(json.get("uniqueId"));
        }

        /** A usage figure ({@code alice.memory.peak.bytes}), or -1 when absent. */
        public long usage(String key) {
            Object u = json.get("usage");
            Object v = u instanceof Map<?, ?> m ? m.get(key) : null;
            return v instanceof Number n ? n.longValue() : -1;
        }
    }

    private TestReports() {
    }

    /**
     * Every test report below {@code dir}, sorted by file; files that are not such a report
     * (a baseline summary, a broken write) are listed in {@code skipped}, not thrown.
     */
    public static List<Entry> read(Path dir, List<String> skipped) {
        List<Entry> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) return out;
        try (Stream<Path> files = Files.walk(dir, 2)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json") && !p.getParent().equals(dir))
                    .sorted(Comparator.naturalOrder()).toList()) {
                try {
                    String text = Files.readString(f, StandardCharsets.UTF_8);
                    if (Json.parse(text) instanceof Map<?, ?> m && m.containsKey("uniqueId") && m.get("usage") instanceof Map) {
                        @SuppressWarnings("unchecked")
                        Map<String, Object> json = (Map<String, Object>) m;
                        out.add(new Entry(f, text, json));
                    } else {
                        skipped.add(f + ": not a test report");
                    }
                } catch (IOException | IllegalArgumentException e) {
                    skipped.add(f + ": " + e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the reports under " + dir + ": " + e.getMessage(), e);
        }
        return out;
    }
}
