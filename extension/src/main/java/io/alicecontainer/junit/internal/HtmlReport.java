package io.alicecontainer.junit.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes {@code index.html} into a reports folder: one self-contained page (inline CSS, script
 * and SVG, nothing fetched) over every per-test JSON file below it. The page's script
 * (report.html beside this class) draws the tables and charts from the JSON embedded in it.
 */
public final class HtmlReport {
    public static final String FILE = "index.html";
    private static final String PLACEHOLDER = "/*ALICE_DATA*/";

    private HtmlReport() {
    }

    /** What was written: the page, how many tests it shows, the files it passed over and why. */
    public record Written(Path file, int tests, List<String> skipped) {
    }

    /** Writes (or replaces) {@code dir/index.html}; also when there are no reports, to say so. */
    public static Written write(Path dir) throws IOException {
        List<String> skipped = new ArrayList<>();
        List<TestReports.Entry> entries = TestReports.read(dir, skipped);
        StringBuilder data = new StringBuilder("{\"meta\": {\"generatedAt\": ")
                .append(quote(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString())).append("},\n\"tests\": [\n");
        for (int i = 0; i < entries.size(); i++) {
            data.append(entries.get(i).text().strip()).append(i + 1 < entries.size() ? ",\n" : "\n");
        }
        data.append("]}");
        // '<' only occurs inside JSON strings; escaped, no "</script>" or "<!--" can end the block.
        String page = template().replace(PLACEHOLDER, data.toString().replace("<", "\\u003c"));
        Files.createDirectories(dir);
        Path out = dir.resolve(FILE);
        Path tmp = dir.resolve("." + FILE + ".tmp");
        try {
            Files.writeString(tmp, page, StandardCharsets.UTF_8);
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return new Written(out, entries.size(), skipped);
    }

    private static String template() throws IOException {
        try (InputStream in = HtmlReport.class.getResourceAsStream("report.html")) {
            if (in == null) throw new IOException("report.html is missing from the extension's jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
