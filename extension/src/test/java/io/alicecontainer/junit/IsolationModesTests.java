package io.alicecontainer.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.Events;

@DisplayName("Configuration: isolate everything, parallel execution, bad values")
class IsolationModesTests {

    static class PlainTestCase {
        @Test
        void plainTest() {
            assertThat(ProcessHandle.current().pid()).isEqualTo(1);
        }
    }

    @Execution(ExecutionMode.CONCURRENT)
    static class ParallelTestCase {
        @Test @Isolated void a(TestReporter r) throws Exception { report(r); }
        @Test @Isolated void b(TestReporter r) throws Exception { report(r); }
        @Test @Isolated void c(TestReporter r) throws Exception { report(r); }
        @Test @Isolated void d(TestReporter r) throws Exception { report(r); }

        private static void report(TestReporter r) throws Exception {
            r.publishEntry("hostname", java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/kernel/hostname")).trim());
            Thread.sleep(300);
        }
    }

    static class BadValuesTestCase {
        @Test @MemoryLimit("64X") void badSize() { }
        @Test @CpuLimit(-1) void badCpu() { }
        @Test @RootFs("/no/such/rootfs") void missingRootfs() { }
        @Test @ResourceBudget(cpuTime = "fast") void badBudget() { }
    }

    @Test
    @DisplayName("alice.isolation.mode=all with auto-detection isolates tests that carry no annotation")
    void isolateAll() {
        Events events = Fixtures.run(PlainTestCase.class, Map.of(
                "junit.jupiter.extensions.autodetection.enabled", "true",
                "alice.isolation.mode", "all")).testEvents();
        events.assertStatistics(s -> s.succeeded(1).failed(0));

        // and without the mode, the same test runs in-process (and fails its PID 1 check)
        Fixtures.run(PlainTestCase.class, Map.of("junit.jupiter.extensions.autodetection.enabled", "true"))
                .testEvents().assertStatistics(s -> s.succeeded(0).failed(1));
    }

    @Test
    @DisplayName("with parallel execution, isolated tests run at once, each in its own container")
    void parallel() {
        long t0 = System.nanoTime();
        Events events = Fixtures.run(ParallelTestCase.class, Map.of(
                "junit.jupiter.execution.parallel.enabled", "true",
                "junit.jupiter.execution.parallel.config.strategy", "fixed",
                "junit.jupiter.execution.parallel.config.fixed.parallelism", "4")).testEvents();

        events.assertStatistics(s -> s.succeeded(4).failed(0));
        List<Map<String, String>> entries = events.reportingEntryPublished().stream()
                .map(e -> e.getPayload(ReportEntry.class).orElseThrow().getKeyValuePairs()).toList();
        assertThat(entries.stream().map(e -> e.get("hostname")).filter(h -> h != null).distinct()).hasSize(4);
        assertThat(entries.stream().filter(e -> e.containsKey("alice.cpu.time.us"))).hasSize(4);
    }

    static class UnavailableTestCase {
        @Test @Isolated void wouldBeIsolated() { }
    }

    @Test
    @DisplayName("where isolation cannot work the test fails with the reason and the fix, or aborts when configured")
    void unavailable() {
        Availability.overrideForTests("the tests run as a user without root");
        try {
            Fixtures.run(UnavailableTestCase.class).testEvents().assertThatEvents().haveExactly(1, event(test("wouldBeIsolated"),
                    finishedWithFailure(message(m -> m.contains("cannot isolate") && m.contains("without root")
                            && m.contains("alice.isolation.unavailable=abort")))));
            Fixtures.run(UnavailableTestCase.class, Map.of("alice.isolation.unavailable", "abort"))
                    .testEvents().assertStatistics(s -> s.aborted(1).failed(0).succeeded(0));
        } finally {
            Availability.overrideForTests(null);
        }
    }

    @Test
    @DisplayName("bad annotation values fail the test naming the annotation and the value, before anything is spawned")
    void badValues() {
        Events events = Fixtures.run(BadValuesTestCase.class).testEvents();

        events.assertStatistics(s -> s.failed(4));
        events.assertThatEvents()
                .haveExactly(1, event(test("badSize"), finishedWithFailure(message(m -> m.contains("@MemoryLimit(\"64X\")") && m.contains("`64X`")))))
                .haveExactly(1, event(test("badCpu"), finishedWithFailure(message(m -> m.contains("@CpuLimit(-1)")))))
                .haveExactly(1, event(test("missingRootfs"), finishedWithFailure(message(m -> m.contains("@RootFs(\"/no/such/rootfs\")") && m.contains("does not exist")))))
                .haveExactly(1, event(test("badBudget"), finishedWithFailure(message(m -> m.contains("cpuTime = \"fast\"")))));
        assertThat(events.reportingEntryPublished().count()).as("nothing was spawned").isZero();
    }
}
