package bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.engine.TestExecutionResult;

/**
 * Only in the breakdown run of ci/benchmarks/isolation.sh (registered through ServiceLoader, so
 * both the Surefire fork's launcher and each isolated child's launcher load it). Appends
 * "<System.nanoTime()> <parent|child> <event> <unique id>" lines (events: listener.loaded, plan.start,
 * engine|class|test.start, engine|class|test.end, plan.end) to the file named by the system
 * property bench.trace. nanoTime is CLOCK_MONOTONIC, the same clock in every process on the host
 * (the containers have no time namespace), and the clock of HotSpot's timenanos log decorator.
 */
public final class TraceListener implements TestExecutionListener {
    private static final String FILE = System.getProperty("bench.trace");
    private static final long LOADED = System.nanoTime();

    private static String role() {
        return Boolean.getBoolean("alice.isolation.child") ? "child" : "parent";
    }

    private static void log(long t, String event, String id) {
        if (FILE == null) return;
        String line = t + " " + role() + " " + event + " " + id + "\n";
        try {
            Files.writeString(Path.of(FILE), line, StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void testPlanExecutionStarted(TestPlan plan) {
        long now = System.nanoTime();
        log(LOADED, "listener.loaded", "-");
        log(now, "plan.start", "-");
    }

    /** engine, class (any container below the engine) or test. */
    private static String kind(TestIdentifier id) {
        return id.isTest() ? "test" : id.getParentId().isEmpty() ? "engine" : "class";
    }

    @Override
    public void executionStarted(TestIdentifier id) {
        log(System.nanoTime(), kind(id) + ".start", id.getUniqueId());
    }

    @Override
    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
        log(System.nanoTime(), kind(id) + ".end", id.getUniqueId());
    }

    @Override
    public void testPlanExecutionFinished(TestPlan plan) {
        log(System.nanoTime(), "plan.end", "-");
    }
}
