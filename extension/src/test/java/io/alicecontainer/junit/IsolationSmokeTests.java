package io.alicecontainer.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import java.lang.management.ManagementFactory;

import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

class IsolationSmokeTests {

    static class SimpleTestCase {
        @Test
        @Isolated
        void runsInAChild() {
            System.out.println("child pid in its namespace: " + ProcessHandle.current().pid());
            assertThat(ProcessHandle.current().pid()).isEqualTo(1);
        }

        @Test
        @Isolated
        void fails() {
            assertThat(1).isEqualTo(2);
        }

        @Test
        void inProcess() {
            assertThat(ProcessHandle.current().pid()).isEqualTo(ManagementFactory.getRuntimeMXBean().getPid());
        }
    }

    @Test
    void smoke() {
        Events events = EngineTestKit.engine("junit-jupiter").selectors(selectClass(SimpleTestCase.class)).execute().testEvents();
        events.debug();
        events.assertThatEvents().haveExactly(1, event(test("runsInAChild"), finishedSuccessfully()));
        events.assertThatEvents().haveExactly(1, event(test("fails"), finishedWithFailure(message(m -> m.contains("expected: 2")))));
        events.assertThatEvents().haveExactly(1, event(test("inProcess"), finishedSuccessfully()));
    }
}
