package io.alicecontainer.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.testkit.engine.EventConditions.displayName;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.platform.testkit.engine.Events;

@DisplayName("Every kind of test runs isolated, one container per invocation")
class IsolationTestKindsTests {

    static class ParameterizedTestCase {
        static int invocationsInThisJvm;

        @ParameterizedTest
        @ValueSource(ints = {1, 2, 3})
        @Isolated
        void eachValue(int value, TestReporter reporter) {
            invocationsInThisJvm++;
            reporter.publishEntry("invocations", Integer.toString(invocationsInThisJvm));
            assertThat(ProcessHandle.current().pid()).isEqualTo(1);
            assertThat(value).isNotEqualTo(2);
        }
    }

    static class RepeatedTestCase {
        @RepeatedTest(2)
        @Isolated
        void repeated() {
            assertThat(ProcessHandle.current().pid()).isEqualTo(1);
        }
    }

    @Isolated
    static class OuterTestCase {
        @Nested
        class Inner {
            @Test
            void nestedRunsIsolated() {
                assertThat(ProcessHandle.current().pid()).isEqualTo(1);
            }
        }
    }

    static class FactoryTestCase {
        @TestFactory
        @Isolated
        Stream<DynamicTest> dynamicTests() {
            return Stream.of(
                    DynamicTest.dynamicTest("passes in the child", () -> assertThat(ProcessHandle.current().pid()).isEqualTo(1)),
                    DynamicTest.dynamicTest("fails in the child", () -> assertThat("child").isEqualTo("parent")));
        }
    }

    @Test
    @DisplayName("@ParameterizedTest: each invocation in its own child, failures where they belong")
    void parameterized() {
        Events events = Fixtures.run(ParameterizedTestCase.class).testEvents();

        events.assertStatistics(s -> s.succeeded(2).failed(1));
        events.assertThatEvents().haveExactly(1, event(test(), displayName("[2] 2"), finishedWithFailure(message(m -> m.contains("2")))));
        List<String> invocations = events.reportingEntryPublished().stream()
                .map(e -> e.getPayload(org.junit.platform.engine.reporting.ReportEntry.class).orElseThrow())
                .map(r -> r.getKeyValuePairs().get("invocations")).filter(v -> v != null).toList();
        assertThat(invocations).as("each child ran exactly one invocation").containsExactly("1", "1", "1");
    }

    @Test
    @DisplayName("@RepeatedTest and @Nested")
    void repeatedAndNested() {
        Fixtures.run(RepeatedTestCase.class).testEvents().assertStatistics(s -> s.succeeded(2).failed(0));
        Fixtures.run(OuterTestCase.class).testEvents().assertStatistics(s -> s.succeeded(1).failed(0));
    }

    @Test
    @DisplayName("@TestFactory: the dynamic tests run in the child and are reported one by one")
    void factory() {
        Events events = Fixtures.run(FactoryTestCase.class).testEvents();

        events.assertThatEvents()
                .haveExactly(1, event(test(), displayName("passes in the child"), finishedSuccessfully()))
                .haveExactly(1, event(test(), displayName("fails in the child"), finishedWithFailure(message(m -> m.contains("parent")))));
    }
}
