package io.alicecontainer.junit.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import io.alicecontainer.junit.internal.ForkedTestAgent;
import io.alicecontainer.junit.internal.HtmlReport;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;

/**
 * Writes the HTML report into {@code alice.report.dir} (default {@code target/alice-reports})
 * at the end of a test run in which isolated tests wrote their JSON files. Found by the JUnit
 * Platform through {@code META-INF/services}; {@code alice.report.html=false} turns it off.
 * It never fails the run: a report it cannot write is said on stderr.
 */
public final class ReportListener implements TestExecutionListener {
    private long startedMillis;

    /** For the ServiceLoader. */
    public ReportListener() {
    }

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        startedMillis = System.currentTimeMillis();
    }

    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
        // The child JVM of an isolated test runs a launcher too: only the parent writes.
        if (Boolean.getBoolean(ForkedTestAgent.CHILD_PROPERTY)) return;
        if (!testPlan.getConfigurationParameters().getBoolean("alice.report.html").orElse(true)) return;
        Path dir = Path.of(testPlan.getConfigurationParameters().get("alice.report.dir").orElse("target/alice-reports"));
        try {
            if (!writtenSince(dir, startedMillis - 1000)) return;
            HtmlReport.Written w = HtmlReport.write(dir);
            System.out.println("[alice] HTML report of " + w.tests() + " isolated tests: " + w.file().toAbsolutePath());
        } catch (Exception | LinkageError e) {
            System.err.println("[alice] cannot write the HTML report under " + dir + ": " + e);
        }
    }

    /** True when this run wrote a test report (an IDE running other tests leaves an old page alone). */
    private static boolean writtenSince(Path dir, long millis) throws java.io.IOException {
        if (!Files.isDirectory(dir)) return false;
        try (Stream<Path> files = Files.walk(dir, 2)) {
            return files.anyMatch(p -> p.toString().endsWith(".json") && p.toFile().lastModified() >= millis);
        }
    }
}
