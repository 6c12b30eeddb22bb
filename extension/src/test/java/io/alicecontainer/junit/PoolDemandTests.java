package io.alicecontainer.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Runs fixtures through a real Launcher, so that the listener found through META-INF/services
 * counts the plan (the EngineTestKit calls the engine without it), and counts the child JVMs
 * this JVM started. Each fixture test sleeps a while in its child: the child booted meanwhile
 * for the next test is ready when it comes, also on a loaded machine, so that the count of
 * children does not depend on who wins a race.
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

    /** Children started by this JVM during a launcher run of the classes (pool size 2, no CDS archive). */
    private static long spawnedBy(int tests, Class<?>... classes) {
        Map<String, String> parameters = new HashMap<>();
        parameters.put("alice.isolation.pool.size", "2");
        parameters.put("alice.isolation.cds", "false");
        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        TreeSet<String> before = Entries.leftovers();
        long spawned = WarmChild.SPAWNED.get();

        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
                .selectors(Stream.of(classes).map(c -> selectClass(c)).toList())
                .configurationParameters(parameters)
                .build(), summary); // ours come from the ServiceLoader

        long n = WarmChild.SPAWNED.get() - spawned;
        TestExecutionSummary s = summary.getSummary();
        assertThat(s.getFailures()).as("failures").isEmpty();
        assertThat(s.getTestsSucceededCount()).isEqualTo(tests);
        assertThat(Entries.leftoversSettled(before)).as("containers left behind").isEmpty();
        return n;
    }

    @Test
    @DisplayName("three isolated tests with a pool of 2 start three children (before: five, two of them killed unused)")
    void oneChildPerTest() {
        assertThat(spawnedBy(3, ThreeTestCase.class)).isEqualTo(3);
    }

    @Test
    @DisplayName("class granularity: two isolated classes start two children")
    void oneChildPerClass() {
        assertThat(spawnedBy(3, FirstClassTestCase.class, SecondClassTestCase.class)).isEqualTo(2);
    }

    @Test
    @DisplayName("an isolated test followed by in-process tests only starts one child; in-process tests alone none")
    void noChildForInProcessTests() {
        long skipped = ChildPool.SKIPPED.get();
        assertThat(spawnedBy(4, MixedTestCase.class)).isEqualTo(1);
        assertThat(ChildPool.SKIPPED.get()).isGreaterThan(skipped);
        assertThat(spawnedBy(2, PlanDemandTests.InProcessTestCase.class)).isZero();
    }

    @Test
    @DisplayName("an isolated @ParameterizedTest keeps the pool refilling while it runs: its count is not known ahead")
    void templateKeepsTheOldBehaviour() {
        // Three invocations; a replacement booted at each while the template runs, as before: the
        // last one for an invocation that never comes (with a known count it would not start).
        assertThat(spawnedBy(3, TemplateTestCase.class)).isGreaterThanOrEqualTo(4);
    }
}
