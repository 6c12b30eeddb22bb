package io.alicecontainer.junit;

import static io.alicecontainer.junit.Entries.number;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.TestReporter;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

@DisplayName("A pool of warm children serves tests without loss of isolation")
class IsolationPoolTests {
    private static final Map<String, String> POOL_ON = Map.of("alice.isolation.pool.size", "1");
    private static final Map<String, String> POOL_OFF = Map.of("alice.isolation.pool.size", "0");

    /** What a test sees of its JVM and namespaces, published as report entries. */
    @Isolated
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class FreshTestCase {
        static final String JVM = UUID.randomUUID().toString();
        static final AtomicInteger RUNS = new AtomicInteger();

        @Test
        @Order(1)
        void first(TestReporter r) throws IOException {
            report(r);
        }

        @Test
        @Order(2)
        void second(TestReporter r) throws IOException {
            report(r);
        }

        @Test
        @Order(3)
        void third(TestReporter r) throws IOException {
            report(r);
        }

        @Test
        @Order(4)
        void fails() {
            assertThat(RUNS.incrementAndGet()).isEqualTo(2);
        }

        @Test
        @Order(5)
        void aborts() {
            Assumptions.assumeTrue(false, "not here");
        }

        private static void report(TestReporter r) throws IOException {
            r.publishEntry(Map.of("jvm", JVM, "runs", Integer.toString(RUNS.incrementAndGet()),
                    "pid", Long.toString(ProcessHandle.current().pid()),
                    "netns", Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString(),
                    "pidns", Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString(),
                    "mntns", Files.readSymbolicLink(Path.of("/proc/self/ns/mnt")).toString(),
                    "cgroup", Files.readString(Path.of("/proc/self/cgroup")).lines().filter(l -> l.contains("memory"))
                            .findFirst().orElse(""),
                    "hostname", Files.readString(Path.of("/proc/sys/kernel/hostname")).trim()));
        }
    }

    @Test
    @DisplayName("pool on and off give the same outcomes; each pooled test still has a fresh JVM, fresh namespaces and its own cgroup")
    void sameOutcomesAndFreshness() throws IOException {
        Events pooled = Fixtures.run(FreshTestCase.class, POOL_ON).testEvents();
        List<String> on = outcomes(pooled);
        List<String> off = outcomes(Fixtures.run(FreshTestCase.class, POOL_OFF).testEvents());

        assertThat(on).isEqualTo(off).contains("first SUCCESSFUL", "fails FAILED", "aborts ABORTED");
        freshness(Entries.byTest(pooled));
    }

    private static List<String> outcomes(Events events) {
        List<String> out = new ArrayList<>();
        for (Event e : events.finished().list()) {
            String name = e.getTestDescriptor().getDisplayName().replaceAll("\\(.*", "");
            out.add(name + " " + e.getRequiredPayload(org.junit.platform.engine.TestExecutionResult.class).getStatus());
        }
        return out;
    }

    private static void freshness(Map<String, Map<String, String>> e) throws IOException {
        List<Map<String, String>> runs = List.of(e.get("first"), e.get("second"), e.get("third"));
        assertThat(e.get("second")).containsEntry("alice.container.pooled", "true");
        assertThat(e.get("third")).containsEntry("alice.container.pooled", "true");
        // (Namespace inode numbers are reused once a namespace is gone: compared with the parent's only.)
        // The hostname is the container's name, which is its cgroup's.
        for (String key : List.of("jvm", "hostname")) {
            Set<String> seen = new HashSet<>();
            for (Map<String, String> r : runs) seen.add(r.get(key));
            assertThat(seen).as("distinct %s per test", key).hasSize(3);
        }
        for (Map<String, String> r : runs) {
            assertThat(r).containsEntry("runs", "1").containsEntry("pid", "1");
            assertThat(r.get("cgroup")).as("the root of its own cgroup namespace").endsWith(":/");
            for (String ns : List.of("net", "pid", "mnt")) {
                assertThat(r.get(ns + "ns")).isNotEqualTo(Files.readSymbolicLink(Path.of("/proc/self/ns/" + ns)).toString());
            }
            assertThat(r.get("jvm")).isNotEqualTo(FreshTestCase.JVM);
        }
    }

    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class NeighboursTestCase {
        @Test
        @Order(1)
        @Isolated
        void warmsThePool() {
        }

        @Test
        @Order(2)
        @Isolated
        void burns() {
            long end = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() + 1_500_000_000L;
            long x = 0;
            while (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() < end) {
                for (int i = 0; i < 100_000; i++) x += x ^ i;
            }
            assertThat(x).isNotEqualTo(1);
        }

        @Test
        @Order(3)
        @Isolated
        void idles() throws InterruptedException {
            Thread.sleep(1500);
        }
    }

    @Test
    @DisplayName("a pooled test's usage is its own: a test that burns CPU beside one that does not, the boot left out")
    void usageIsItsOwn() {
        Map<String, Map<String, String>> e = Entries.byTest(Fixtures.run(NeighboursTestCase.class, POOL_ON).testEvents());

        Map<String, String> burns = e.get("burns");
        Map<String, String> idles = e.get("idles");
        assertThat(burns).containsEntry("alice.container.pooled", "true");
        assertThat(idles).containsEntry("alice.container.pooled", "true");
        assertThat(number(burns, "alice.cpu.time.us")).isGreaterThanOrEqualTo(1_450_000);
        assertThat(number(idles, "alice.cpu.time.us")).isLessThan(number(burns, "alice.cpu.time.us") - 1_000_000);
        // The JVM's boot happened before hand-over: in the boot figure, not in the container's.
        assertThat(number(idles, "alice.container.boot.cpu.us")).isPositive();
        assertThat(number(idles, "alice.container.cpu.time.us")).isLessThan(number(burns, "alice.container.cpu.time.us"));
    }

    @CpuLimit(5)
    @MemoryLimit("256M")
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class LimitsTestCase {
        @Test
        @Order(1)
        void warmsThePool() {
        }

        @Test
        @Order(2)
        void seesAndFeelsItsLimits(ContainerResources container) throws IOException {
            assertThat(Runtime.getRuntime().availableProcessors()).isEqualTo(1);
            assertThat(Runtime.getRuntime().maxMemory()).isBetween(32L << 20, 160L << 20);
            // The limits are in the container's cgroup files (its own cgroup namespace's root).
            assertThat(firstExisting("memory.max", "memory/memory.limit_in_bytes")).isEqualTo(Long.toString(256L << 20));
            String cpu = firstExisting("cpu.max", "cpu/cpu.cfs_quota_us", "cpu,cpuacct/cpu.cfs_quota_us");
            assertThat(cpu).startsWith("5000");
            // 150 ms of CPU at 5% of one CPU: 3 s at least, throttled in most periods even on a busy machine.
            long end = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() + 150_000_000L;
            long x = 0;
            while (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() < end) {
                for (int i = 0; i < 10_000; i++) x += x ^ i;
            }
            assertThat(x).isNotEqualTo(1);
            ResourceAssertions.assertThat(container.testUsage()).cpu().isThrottled();
        }

        private static String firstExisting(String... files) throws IOException {
            for (String f : files) {
                Path p = Path.of("/sys/fs/cgroup").resolve(f);
                if (Files.exists(p)) return Files.readString(p).trim();
            }
            throw new AssertionError("none of " + List.of(files) + " below /sys/fs/cgroup");
        }
    }

    @Test
    @DisplayName("limits written at hand-over hold in a pooled child, and the JVM sees them as a cold one does")
    void limitsAtHandOver() {
        Events events = Fixtures.run(LimitsTestCase.class, POOL_ON).testEvents();

        Entries.noFailures(events);
        events.assertStatistics(s -> s.succeeded(2).failed(0));
        Map<String, String> e = Entries.byTest(events).get("seesAndFeelsItsLimits");
        assertThat(e).containsEntry("alice.container.pooled", "true");
        assertThat(number(e, "alice.cpu.throttled.periods")).isPositive();
    }

    @MemoryLimit("160M")
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class OomTestCase {
        @Test
        @Order(1)
        void warmsThePool() {
        }

        @Test
        @Order(2)
        void allocatesPastTheLimit() {
            Fixtures.hold8MiBChunks(100);
        }
    }

    @Test
    @DisplayName("a pooled child is OOM-killed at the memory limit written at hand-over")
    void oomAtTheDeclaredLimit() {
        Events events = Fixtures.run(OomTestCase.class, Map.of("alice.isolation.pool.size", "1",
                "alice.isolation.jvmOptions", "-Xmx1g")).testEvents();

        events.assertThatEvents().haveExactly(1, event(test("allocatesPastTheLimit"), finishedWithFailure(message(m ->
                m.contains("killed by the OOM killer: memory limit 160.0 MiB reached")))));
        assertThat(Entries.byTest(events).get("allocatesPastTheLimit")).containsEntry("alice.container.pooled", "true");
    }

    @Test
    @DisplayName("children started for tests that never come are killed and their containers removed at the end of the run")
    void unusedChildrenCleanedUp() {
        TreeSet<String> before = Entries.leftovers();
        EngineExecutionResults results = Fixtures.run(NeighboursTestCase.class, Map.of("alice.isolation.pool.size", "2"));

        results.testEvents().assertStatistics(s -> s.succeeded(3));
        assertThat(Entries.leftoversSettled(before)).isEmpty();
    }
}
