package io.alicecontainer.junit;

import static io.alicecontainer.junit.Entries.number;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.Events;

@DisplayName("Class granularity: one container runs a class's tests in order, usage still per test")
class IsolationGranularityTests {
    static final AtomicInteger BEFORE_ALL = new AtomicInteger();

    @Isolated(granularity = Granularity.CLASS)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class ClassTestCase {
        static final AtomicInteger beforeAll = new AtomicInteger();
        static final AtomicInteger ran = new AtomicInteger();

        @BeforeAll
        static void once() {
            beforeAll.incrementAndGet();
            BEFORE_ALL.incrementAndGet(); // in the child: the parent's stays 0
        }

        @Test
        @Order(1)
        void burns() {
            assertThat(ProcessHandle.current().pid()).isEqualTo(1);
            long end = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() + 1_500_000_000L;
            long x = 0;
            while (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() < end) {
                for (int i = 0; i < 100_000; i++) x += x ^ i;
            }
            assertThat(x).isNotEqualTo(1);
            ran.incrementAndGet();
        }

        @Test
        @Order(2)
        void idlesInTheSameJvm() throws InterruptedException {
            Thread.sleep(500);
            assertThat(beforeAll.get()).isEqualTo(1);
            assertThat(ran.incrementAndGet()).isEqualTo(2);
        }

        @ParameterizedTest
        @Order(3)
        @ValueSource(ints = {1, 2})
        void parameterized(int i) {
            assertThat(i).isLessThan(2);
        }

        @Test
        @Order(4)
        @MemoryLimit("64M")
        void ownLimitIsAnError() {
        }

        @Nested
        class Inner {
            @Test
            void seesTheOuterState() {
                assertThat(beforeAll.get()).isEqualTo(1);
                assertThat(ProcessHandle.current().pid()).isEqualTo(1);
            }
        }
    }

    @Test
    @DisplayName("@Isolated(granularity = CLASS): @BeforeAll once, tests in order in one JVM, outcomes replayed per test")
    void oneContainerPerClass() {
        Events events = Fixtures.run(ClassTestCase.class).testEvents();

        assertThat(BEFORE_ALL.get()).as("@BeforeAll ran in the parent").isZero();
        events.assertStatistics(s -> s.succeeded(4).failed(2));
        events.assertThatEvents().haveExactly(1, event(test("parameterized"), finishedWithFailure(message(m -> m.contains("2")))));
        events.assertThatEvents().haveExactly(1, event(test("ownLimitIsAnError"), finishedWithFailure(message(m ->
                m.contains("@MemoryLimit on ClassTestCase.ownLimitIsAnError cannot apply")))));
    }

    @Test
    @DisplayName("each test's usage is its own delta; the class's is reported on the class")
    void usagePerTestAndPerClass() {
        Events all = Fixtures.run(ClassTestCase.class).allEvents();

        Map<String, Map<String, String>> e = Entries.byTest(all);
        Map<String, String> burns = e.get("burns");
        Map<String, String> idles = e.get("idlesInTheSameJvm");
        assertThat(burns).containsEntry("alice.granularity", "class");
        assertThat(number(burns, "alice.cpu.time.us")).isGreaterThanOrEqualTo(1_450_000);
        assertThat(number(idles, "alice.cpu.time.us")).isLessThan(number(burns, "alice.cpu.time.us") - 1_000_000);
        Map<String, String> cls = all.reportingEntryPublished().list().stream()
                .filter(ev -> ev.getTestDescriptor().isContainer())
                .map(ev -> ev.getPayload(ReportEntry.class).orElseThrow().getKeyValuePairs())
                .filter(m -> m.containsKey("alice.cpu.time.us")).findFirst().orElseThrow();
        assertThat(number(cls, "alice.cpu.time.us")).isGreaterThan(number(burns, "alice.cpu.time.us") + number(idles, "alice.cpu.time.us"));
    }

    static class PlainTestCase {
        static int count;

        @Test
        void one() {
            assertThat(++count).isEqualTo(1);
        }

        @Test
        void two() {
            assertThat(++count).isEqualTo(1);
        }
    }

    @Test
    @DisplayName("alice.isolation.granularity=class with alice.isolation.mode=all runs each class in one container")
    void configurationParameter() {
        Map<String, String> methodMode = Map.of("alice.isolation.mode", "all",
                "junit.jupiter.extensions.autodetection.enabled", "true");
        Fixtures.run(PlainTestCase.class, methodMode).testEvents().assertStatistics(s -> s.succeeded(2).failed(0));

        Map<String, String> classMode = new java.util.HashMap<>(methodMode);
        classMode.put("alice.isolation.granularity", "class");
        Events events = Fixtures.run(PlainTestCase.class, classMode).testEvents();
        events.assertStatistics(s -> s.succeeded(1).failed(1)); // one JVM: the second sees the first's count
        assertThat(PlainTestCase.count).as("nothing ran in the parent").isZero();
    }

    static class CompilerTestCase {
        @Test
        void compilers(TestReporter reporter) {
            reporter.publishEntry("TieredStopAtLevel", tieredStopAtLevel());
        }
    }

    static String tieredStopAtLevel() {
        return ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class)
                .getVMOption("TieredStopAtLevel").getValue();
    }

    @Test
    @DisplayName("a child running a whole class compiles with C2 too; a child running one test with C1 only (unless the test JVM's options chose)")
    void compilersFollowTheGranularity() {
        Map<String, String> methodMode = Map.of("alice.isolation.mode", "all",
                "junit.jupiter.extensions.autodetection.enabled", "true");
        Map<String, String> classMode = new java.util.HashMap<>(methodMode);
        classMode.put("alice.isolation.granularity", "class");
        Events method = Fixtures.run(CompilerTestCase.class, methodMode).allEvents();
        Events whole = Fixtures.run(CompilerTestCase.class, classMode).allEvents();
        Entries.noFailures(method);
        Entries.noFailures(whole);

        // The child inherits this JVM's options (and JAVA_TOOL_OPTIONS): where they chose the
        // compilers, that choice holds in both, and the extension adds no compiler option of its own.
        boolean chosen = io.alicecontainer.junit.internal.ChildJvm.wholeClassOptions(java.util.List.of()).isEmpty();
        assertThat(Entries.byTest(method).get("compilers")).containsEntry("TieredStopAtLevel", chosen ? tieredStopAtLevel() : "1");
        assertThat(Entries.byTest(whole).get("compilers")).containsEntry("TieredStopAtLevel", chosen ? tieredStopAtLevel() : "4");
    }
}
