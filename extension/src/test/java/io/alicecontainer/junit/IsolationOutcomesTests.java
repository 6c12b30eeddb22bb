package io.alicecontainer.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.alicecontainer.junit.internal.RemoteThrowable;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

@DisplayName("Outcomes come back as if the test had run in-process")
class IsolationOutcomesTests {

    /** Holds a thread: not serializable. */
    static class UnserializableException extends RuntimeException {
        final transient Object ignored = null;
        final Thread notSerializable = Thread.currentThread();

        UnserializableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    static class OutcomesTestCase {
        @Test
        @Isolated
        void aborted() {
            Assumptions.assumeTrue(false, "not on this machine");
        }

        @Test
        @Isolated
        void assertThrowsWorks() {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> {
                throw new IllegalStateException("expected");
            });
            assertThat(e).hasMessage("expected");
        }

        @Test
        @Isolated
        void unserializable() {
            throw new UnserializableException("cannot be serialized", new IOException("the cause"));
        }

        @Test
        @Isolated
        void tempDirIsWritable(@TempDir Path dir) throws IOException {
            Path f = Files.writeString(dir.resolve("x.txt"), "inside");
            assertThat(Files.readString(f)).isEqualTo("inside");
            assertThat(ProcessHandle.current().pid()).isEqualTo(1);
        }
    }

    static class TimeoutTestCase {
        @Test
        @Isolated
        @Timeout(value = 1, unit = TimeUnit.SECONDS)
        void spinsIgnoringInterrupts() {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (System.nanoTime() < end) {
                Thread.interrupted(); // swallow JUnit's interrupt: only a kill ends this
            }
        }
    }

    @Test
    @DisplayName("an assumption aborts, assertThrows passes, @TempDir is writable inside")
    void outcomes() {
        Events events = Fixtures.run(OutcomesTestCase.class).testEvents();

        events.assertStatistics(s -> s.aborted(1).succeeded(2).failed(1));
        Event aborted = events.aborted().list().get(0);
        assertThat(aborted.getTestDescriptor().getDisplayName()).isEqualTo("aborted()");
        assertThat(aborted.getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow().getThrowable())
                .get().satisfies(t -> assertThat(t).hasMessageContaining("not on this machine"));
    }

    @Test
    @DisplayName("an exception that cannot be serialized arrives with class name, message, stack trace and cause")
    void unserializableException() {
        Events events = Fixtures.run(OutcomesTestCase.class).testEvents();

        events.assertThatEvents().haveExactly(1, event(test("unserializable"), finishedWithFailure(
                instanceOf(RemoteThrowable.class),
                message(m -> m.contains(UnserializableException.class.getName()) && m.contains("cannot be serialized")))));
        Throwable t = events.failed().list().get(0).getPayload(org.junit.platform.engine.TestExecutionResult.class)
                .orElseThrow().getThrowable().orElseThrow();
        assertThat(t.getStackTrace()).anyMatch(e -> e.getMethodName().equals("unserializable"));
        assertThat(t.getCause()).hasMessageContaining("java.io.IOException").hasMessageContaining("the cause");
    }

    @Test
    @DisplayName("@Timeout: a test that ignores interrupts is killed with its container")
    void timeoutKillsContainer() {
        long t0 = System.nanoTime();
        Events events = Fixtures.run(TimeoutTestCase.class).testEvents();

        events.assertThatEvents().haveExactly(1, event(test("spinsIgnoringInterrupts"),
                finishedWithFailure(message(m -> m.contains("timed out") && m.contains("container was killed")))));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(30));
    }
}
