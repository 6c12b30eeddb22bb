package io.alicecontainer.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.Events;

@DisplayName("The parent runs nothing of an isolated test; the child runs all of it")
class IsolationLifecycleTests {

    static final AtomicInteger PARENT_CALLS = new AtomicInteger();
    static final List<String> ORDER = new ArrayList<>();

    abstract static class BaseTestCase {
        @BeforeAll
        static void baseBeforeAll() {
            PARENT_CALLS.incrementAndGet();
            ORDER.add("base");
        }
    }

    @Isolated
    static class WholeClassTestCase extends BaseTestCase {
        static boolean beforeAllRan;
        final int constructed = PARENT_CALLS.incrementAndGet();

        @BeforeAll
        static void beforeAll() {
            PARENT_CALLS.incrementAndGet();
            ORDER.add("sub");
            beforeAllRan = true;
        }

        @BeforeEach
        void beforeEach() {
            PARENT_CALLS.incrementAndGet();
        }

        @Test
        void runsWithItsWholeLifecycleInTheChild() {
            assertThat(ProcessHandle.current().pid()).as("PID 1 of the container").isEqualTo(1);
            assertThat(beforeAllRan).isTrue();
            assertThat(ORDER).containsExactly("base", "sub");
            assertThat(constructed).isPositive();
        }

        @AfterEach
        void afterEach() {
            PARENT_CALLS.incrementAndGet();
        }

        @AfterAll
        static void afterAll() {
            PARENT_CALLS.incrementAndGet();
        }
    }

    static class MethodOnlyTestCase {
        static int beforeEachInThisJvm;

        @BeforeEach
        void beforeEach() {
            beforeEachInThisJvm++;
        }

        @Test
        @Isolated
        void isolated() {
            assertThat(ProcessHandle.current().pid()).isEqualTo(1);
            assertThat(beforeEachInThisJvm).as("@BeforeEach ran in the child").isEqualTo(1);
        }

        @Test
        void inProcess() {
            assertThat(ProcessHandle.current().pid()).isNotEqualTo(1);
        }
    }

    @Test
    @DisplayName("constructor, @BeforeAll (superclasses first), @BeforeEach, @AfterEach, @AfterAll run only in the child")
    void wholeClass() {
        PARENT_CALLS.set(0);
        ORDER.clear();
        Events events = Fixtures.run(WholeClassTestCase.class).testEvents();

        events.assertThatEvents().haveExactly(1, event(test("runsWithItsWholeLifecycleInTheChild"), finishedSuccessfully()));
        assertThat(PARENT_CALLS.get()).as("callbacks run in the parent JVM").isZero();
        assertThat(ORDER).isEmpty();
    }

    @Test
    @DisplayName("with @Isolated on one method, the others and the class run in-process")
    void methodLevel() {
        MethodOnlyTestCase.beforeEachInThisJvm = 0;
        Events events = Fixtures.run(MethodOnlyTestCase.class).testEvents();

        events.assertStatistics(s -> s.succeeded(2).failed(0));
        assertThat(MethodOnlyTestCase.beforeEachInThisJvm).as("only the in-process test's @BeforeEach ran here").isEqualTo(1);
    }
}
