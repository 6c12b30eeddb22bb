package io.alicecontainer.junit;

import static io.alicecontainer.junit.ResourceAssertions.mebibytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.alicecontainer.ExecResult;
import io.alicecontainer.ResourceUsage;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.reporting.legacy.xml.LegacyXmlReportGeneratingListener;
import org.junit.platform.testkit.engine.Events;

@DisplayName("Usage comes back as assertable results, reports and budgets")
class IsolationResourcesTests {

    static class OomTestCase {
        @Test
        @MemoryLimit("160M")
        void allocatesPastTheLimit() {
            Fixtures.hold8MiBChunks(100);
        }
    }

    static class BudgetTestCase {
        @Test
        @ResourceBudget(cpuTime = "1ms")
        void spins() {
            long x = 0;
            for (long i = 0; i < 400_000_000L; i++) x += i ^ (x >>> 3);
            assertThat(x).isNotZero();
        }

        @Test
        @ResourceBudget(memoryPeak = "1G", cpuTime = "20s")
        void withinBudget() {
        }
    }

    static class InjectedTestCase {
        @Test
        @MemoryLimit("256M")
        void containerResources(ContainerResources container) {
            byte[] b = new byte[32 << 20];
            java.util.Arrays.fill(b, (byte) 1);
            assertThat(container.memoryLimitBytes()).isEqualTo(256L << 20);
            ResourceAssertions.assertThat(container.usage()).memory().current().isGreaterThan(mebibytes(32));
            ResourceAssertions.assertThat(container.usage()).cpu().time().isGreaterThan("1ms");
        }

        @Test
        @MemoryLimit("256M")
        void sandbox(Sandbox sandbox) {
            ExecResult r = sandbox.exec("sh", "-c", "echo from the sandbox; cat /proc/self/cgroup | head -1");
            ResourceAssertions.assertThat(r).succeeded().stdoutContains("from the sandbox");
            ExecResult hog = sandbox.exec("python3", "-c", "b = b'x' * (400 << 20)");
            ResourceAssertions.assertThat(hog).wasOomKilled();
        }

        @Test
        void notIsolated(ContainerResources container) {
        }
    }

    @org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
    static class NestedContainersTestCase {
        @Test
        @org.junit.jupiter.api.Order(1)
        @Isolated
        void sandboxWithoutCpuLimit(Sandbox sandbox) {
            ResourceAssertions.assertThat(sandbox.exec("true")).succeeded();
        }

        @Test
        @org.junit.jupiter.api.Order(2)
        @CpuLimit(50)
        @PidsLimit(200)
        void limitedAfterwards() {
        }
    }

    @Test
    @DisplayName("containers made inside an isolated test nest in its cgroups and leave the caller's alone")
    void nestedContainers() {
        Events events = Fixtures.run(NestedContainersTestCase.class).testEvents();

        events.assertStatistics(s -> s.succeeded(2).failed(0));
    }

    static class SchedulerTestCase {
        @Test
        @CpuLimit(value = 10, scheduler = CpuScheduler.DEFAULTS)
        void busyUnderAScheduler(ContainerResources container) {
            ResourceUsage before = container.usage();
            long end = System.nanoTime() + 1_500_000_000L;
            long x = 0;
            while (System.nanoTime() < end) x += x ^ end;
            assertThat(x).isNotEqualTo(1);
            // At its starting 10% the loop could have had at most ~0.15 s of CPU in these 1.5 s:
            // twice that shows the quota was raised, also with other busy processes beside it
            // (then the raised quota is not reached and the container is not throttled at all).
            ResourceAssertions.assertThat(container.usage().since(before)).cpu().time().isGreaterThan("300ms");
        }
    }

    @Test
    @DisplayName("@CpuLimit(scheduler = ...) runs a DynamicScheduler on the test's container: it raises a busy test's quota")
    void scheduler() {
        Events events = Fixtures.run(SchedulerTestCase.class).testEvents();

        events.assertStatistics(s -> s.succeeded(1).failed(0));
        Map<String, String> entries = events.reportingEntryPublished().stream()
                .map(e -> e.getPayload(ReportEntry.class).orElseThrow().getKeyValuePairs())
                .filter(e -> e.containsKey("alice.scheduler")).findFirst().orElseThrow();
        assertThat(entries).containsEntry("alice.scheduler", "DEFAULTS");
        assertThat(Long.parseLong(entries.get("alice.scheduler.adjustments"))).isPositive();
        assertThat(Long.parseLong(entries.get("alice.scheduler.final.quota.us"))).isGreaterThan(10_000);
    }

    @Test
    @DisplayName("a kernel OOM kill is explained with the limit and the peak")
    void oomKill() {
        Events events = Fixtures.run(OomTestCase.class, Map.of("alice.isolation.jvmOptions", "-Xmx1g")).testEvents();

        events.assertThatEvents().haveExactly(1, event(test("allocatesPastTheLimit"), finishedWithFailure(message(m ->
                m.contains("killed by the OOM killer: memory limit 160.0 MiB reached (peak 16")))));
    }

    @Test
    @DisplayName("@ResourceBudget fails a test over budget with measured vs budget, and passes one within")
    void budgets() {
        Events events = Fixtures.run(BudgetTestCase.class).testEvents();

        events.assertStatistics(s -> s.succeeded(1).failed(1));
        events.assertThatEvents().haveExactly(1, event(test("spins"), finishedWithFailure(message(m ->
                m.startsWith("resource budget exceeded: cpu time ") && m.endsWith("is over the budget of 1.0 ms")))));
    }

    @Test
    @DisplayName("ContainerResources and Sandbox are injected into isolated tests only")
    void injection() {
        Events events = Fixtures.run(InjectedTestCase.class).testEvents();

        events.assertStatistics(s -> s.succeeded(2).failed(1));
        // Without @Isolated (and without auto-detection) the extension is not there to resolve it.
        events.assertThatEvents().haveExactly(1, event(test("notIsolated"), finishedWithFailure(message(m ->
                m.contains("ContainerResources")))));
    }

    @Test
    @DisplayName("usage is published as alice.* report entries and one JSON file per test")
    void reportEntriesAndJson(@TempDir Path reports) throws IOException {
        Events events = Fixtures.run(BudgetTestCase.class, Map.of("alice.report.dir", reports.toString())).testEvents();

        List<Map<String, String>> entries = events.reportingEntryPublished().stream()
                .map(e -> e.getPayload(ReportEntry.class).orElseThrow().getKeyValuePairs()).toList();
        assertThat(entries).hasSize(2).allSatisfy(e -> assertThat(e)
                .containsKeys("alice.memory.peak.bytes", "alice.cpu.time.us", "alice.cpu.throttled.periods",
                        "alice.pressure.cpu.some.us", "alice.oom.kills", "alice.container.wall.ms"));
        assertThat(Long.parseLong(entries.get(0).get("alice.memory.peak.bytes"))).isGreaterThan(mebibytes(8));
        try (Stream<Path> files = Files.walk(reports)) {
            List<Path> json = files.filter(p -> p.toString().endsWith(".json")).toList();
            assertThat(json).hasSize(2);
            assertThat(Files.readString(json.get(0))).contains("\"alice.cpu.time.us\": ").contains("\"status\": ");
        }
    }

    @Test
    @DisplayName("the entries reach the JUnit XML report (Launcher with the legacy XML listener, as Surefire-style reports)")
    void xmlReport(@TempDir Path dir) throws IOException {
        LegacyXmlReportGeneratingListener xml = new LegacyXmlReportGeneratingListener(dir, new java.io.PrintWriter(System.err));
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(BudgetTestCase.class)).build();
        LauncherFactory.create().execute(request, xml);

        try (Stream<Path> files = Files.list(dir)) {
            String report = Files.readString(files.filter(p -> p.getFileName().toString().startsWith("TEST-")).findFirst().orElseThrow());
            assertThat(report).contains("alice.memory.peak.bytes").contains("alice.cpu.time.us").contains("withinBudget");
        }
    }
}
