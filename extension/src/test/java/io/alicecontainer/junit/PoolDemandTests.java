package io.alicecontainer.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Runs fixtures through a real Launcher, so that the listener found through META-INF/services
 * counts the plan (the EngineTestKit calls the engine without it), and counts the child JVMs
 * this JVM started. Each fixture test sleeps a while in its child, so that the child booted
 * meanwhile for the next test is usually ready when it comes, as in a real run. Where a boot is
 * slower than that (a loaded machine), the next test starts cold and the child booted for it is
 * left unused: the counts allow one such child per unit that went cold, read from the reports.
 */
@DisplayName("The pool boots children only for isolated tests still to come in the launcher's plan")
class PoolDemandTests {
    private static final long SLEEP_MS = 2000;

    @Isolated
    static class ThreeTestCase {
        @Test
        void one() throws InterruptedException {
            Thread.sleep(SLEEP_MS);
        }

        @Test
        void two() throws InterruptedException {
            Thread.sleep(SLEEP_MS);
        }

        @Test
        void three() throws InterruptedException {
            Thread.sleep(SLEEP_MS);
        }
    }

    @Isolated(granularity = Granularity.CLASS)
    static class FirstClassTestCase {
        @Test
        void one() throws InterruptedException {
            Thread.sleep(SLEEP_MS);
        }

        @Test
        void two() {
        }
    }

    @Isolated(granularity = Granularity.CLASS)
    static class SecondClassTestCase {
        @Test
        void one() {
        }
    }

    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class MixedTestCase {
        @Test
        @Order(1)
        @Isolated
        void isolated() {
        }

        @Test
        @Order(2)
        void inProcess1() {
        }

        @Test
        @Order(3)
        void inProcess2() {
        }

        @Test
        @Order(4)
        void inProcess3() {
        }
    }

    static class TemplateTestCase {
        @ParameterizedTest
        @ValueSource(ints = {1, 2, 3})
        @Isolated
        void eachValue(int value) throws InterruptedException {
            Thread.sleep(SLEEP_MS);
        }
    }

    /**
     * What a launcher run of the classes did (pool size 2, no CDS archive): the children this JVM
     * started, and how many of its containers were cold (a test or class that found no waiting
     * child: the first always, a later one when the child booting for it was not ready yet).
     */
    record Run(long spawned, int cold) {
        /**
         * Children beyond one per unit: only a unit that went cold while a child booted for it
         * leaves one unused; the first unit's cold start is not one. Without the plan's count the
         * pool also boots children for units that never come.
         */
        long unused(int units) {
            return spawned - units;
        }
    }

    private static Run spawnedBy(int tests, Class<?>... classes) {
        Map<String, String> parameters = new HashMap<>();
        parameters.put("alice.isolation.pool.size", "2");
        parameters.put("alice.isolation.cds", "false");
        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        AtomicInteger cold = new AtomicInteger();
        TestExecutionListener containers = new TestExecutionListener() {
            @Override
            public void reportingEntryPublished(TestIdentifier id, ReportEntry entry) {
                Map<String, String> e = entry.getKeyValuePairs();
                boolean classGranular = "class".equals(e.get("alice.granularity"));
                // one entry per container: a test's at method granularity, its class's at class granularity
                if ("false".equals(e.get("alice.container.pooled")) && (classGranular ? id.isContainer() : id.isTest())) {
                    cold.incrementAndGet();
                }
            }
        };
        TreeSet<String> before = Entries.leftovers();
        long spawned = WarmChild.SPAWNED.get();

        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
                .selectors(Stream.of(classes).map(c -> selectClass(c)).toList())
                .configurationParameters(parameters)
                .build(), summary, containers); // ours come from the ServiceLoader

        long n = WarmChild.SPAWNED.get() - spawned;
        TestExecutionSummary s = summary.getSummary();
        assertThat(s.getFailures()).as("failures").extracting(f -> f.getTestIdentifier().getDisplayName() + ": " + f.getException())
                .isEmpty();
        assertThat(s.getTestsSucceededCount()).isEqualTo(tests);
        assertThat(Entries.leftoversSettled(before)).as("containers left behind").isEmpty();
        return new Run(n, cold.get());
    }

    /** One child per unit; more only as many as units that went cold after the first (a slow boot under load). */
    private static void onePerUnit(Run run, int units) {
        assertThat(run.cold()).as("cold containers").isBetween(1, units);
        assertThat(run.unused(units)).as("children started beyond one per unit (%s)", run).isBetween(0L, run.cold() - 1L);
    }

    @Test
    @DisplayName("three isolated tests with a pool of 2 start three children (before: five, two of them killed unused)")
    void oneChildPerTest() {
        onePerUnit(spawnedBy(3, ThreeTestCase.class), 3);
    }

    @Test
    @DisplayName("class granularity: two isolated classes start two children")
    void oneChildPerClass() {
        onePerUnit(spawnedBy(3, FirstClassTestCase.class, SecondClassTestCase.class), 2);
    }

    @Test
    @DisplayName("an isolated test followed by in-process tests only starts one child; in-process tests alone none")
    void noChildForInProcessTests() {
        long skipped = ChildPool.SKIPPED.get();
        assertThat(spawnedBy(4, MixedTestCase.class).spawned()).isEqualTo(1);
        assertThat(ChildPool.SKIPPED.get()).isGreaterThan(skipped);
        assertThat(spawnedBy(2, PlanDemandTests.InProcessTestCase.class).spawned()).isZero();
    }

    @Test
    @DisplayName("an isolated @ParameterizedTest keeps the pool refilling while it runs: its count is not known ahead")
    void templateKeepsTheOldBehaviour() {
        // Three invocations; a replacement booted at each while the template runs, as before: the
        // last one for an invocation that never comes (with a known count it would not start).
        assertThat(spawnedBy(3, TemplateTestCase.class).spawned()).isGreaterThanOrEqualTo(4);
    }
}
