package io.alicecontainer.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import io.alicecontainer.junit.internal.SandboxProtocol;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.platform.testkit.engine.Events;

/**
 * Isolated tests in a row, and a child that misbehaves on its channels, with nothing left
 * behind: the parent's fds, threads, child processes, mounts and this JVM's alice cgroups are
 * counted before and after. ci/soak.sh runs the row with ALICE_SOAK_TESTS=500; the default here
 * is a small representative run. Twice the CPUs of isolated tests also run at once (JUnit's
 * parallel execution), each a container of its own.
 */
@DisplayName("Isolated tests in a row, and children that misbehave, leave nothing behind")
class IsolationSoakTests {

    static Stream<Integer> rounds() {
        String n = System.getenv("ALICE_SOAK_TESTS");
        return IntStream.rangeClosed(1, n == null ? 5 : Integer.parseInt(n)).boxed();
    }

    static class RowTestCase {
        @ParameterizedTest
        @MethodSource("io.alicecontainer.junit.IsolationSoakTests#rounds")
        @Isolated
        void round(int i) {
            assertThat(ProcessHandle.current().pid()).isEqualTo(1L);
        }
    }

    /** Twice the CPUs of isolated tests at once (ALICE_SOAK_PARALLEL overrides). */
    static int parallel() {
        String n = System.getenv("ALICE_SOAK_PARALLEL");
        return n == null ? 2 * Runtime.getRuntime().availableProcessors() : Integer.parseInt(n);
    }

    static Stream<Integer> parallelRounds() {
        return IntStream.rangeClosed(1, parallel()).boxed();
    }

    static class ParallelTestCase {
        @ParameterizedTest
        @MethodSource("io.alicecontainer.junit.IsolationSoakTests#parallelRounds")
        @Isolated
        void atOnce(int i) throws InterruptedException {
            assertThat(ProcessHandle.current().pid()).isEqualTo(1L);
            Thread.sleep(1500); // long enough for the parent to see the containers side by side
        }
    }

    /** For ci/soak/kill-parent.sh: a test that sleeps while its parent JVM is killed. */
    static class SleeperTestCase {
        @Test
        @Isolated
        void sleeps() throws InterruptedException {
            Thread.sleep(120_000);
        }
    }

    static class FaultTestCase {
        @Test
        @Isolated
        void garbageOnTheResultChannel() throws IOException {
            try (OutputStream out = new FileOutputStream("/proc/self/fd/4")) {
                out.write("this is not a serialized RunResult".getBytes());
            }
            Runtime.getRuntime().halt(0);
        }

        @Test
        @Isolated
        void floodsTheResultChannel() throws IOException {
            byte[] chunk = new byte[1 << 20];
            try (OutputStream out = new FileOutputStream("/proc/self/fd/4")) {
                for (int i = 0; i < 80; i++) out.write(chunk);
            }
            Runtime.getRuntime().halt(0);
        }

        @Test
        @Isolated
        void endsWithoutAResult() {
            Runtime.getRuntime().halt(0);
        }

        @Test
        @Isolated
        @Timeout(value = 1, unit = TimeUnit.SECONDS)
        void busyPastItsTimeout() {
            long x = 0;
            while (x >= 0) x += System.nanoTime() & 1; // never returns, ignores interrupts
        }

        @Test
        @Isolated
        void garbageOnTheSandboxChannel() throws IOException {
            try (OutputStream out = new FileOutputStream("/proc/self/fd/" + SandboxProtocol.CHILD_REQUEST_FD);
                 InputStream in = Files.newInputStream(Path.of("/proc/self/fd/" + SandboxProtocol.CHILD_RESPONSE_FD))) {
                // magic, one argument of a gigabyte: refused by its length, not read.
                out.write(new byte[] {0x41, 0x4c, 0x53, 0x42, 0, 0, 0, 1, 0x40, 0, 0, 0});
                out.flush();
                try {
                    SandboxProtocol.readResponse(in);
                    throw new AssertionError("the parent answered a bad request");
                } catch (SandboxProtocol.SandboxFailure e) {
                    assertThat(e.getMessage()).contains("bad request", "bad length 1073741824");
                }
            }
        }
    }

    static class WarmUpTestCase {
        @Test
        @Isolated
        void warmUp() {
        }
    }

    /** The first isolated test of a JVM starts what every later one reuses (a pump thread, the shim): not a leak. */
    @org.junit.jupiter.api.BeforeAll
    static void warmUp() {
        Fixtures.run(WarmUpTestCase.class).testEvents().assertStatistics(s -> s.succeeded(1));
    }

    @Test
    @DisplayName("isolated tests in a row: all pass, nothing leaks")
    void inARow() throws IOException {
        long n = rounds().count();
        LeakCounts before = LeakCounts.now();
        long t0 = System.nanoTime();

        Events events = Fixtures.run(RowTestCase.class).testEvents();

        double seconds = (System.nanoTime() - t0) / 1e9;
        events.assertStatistics(s -> s.succeeded(n).failed(0));
        LeakCounts after = LeakCounts.settled(before);
        System.out.printf("[soak] %d isolated tests in a row: %.1f s (%.2f s each); before %s, after %s%n",
                n, seconds, seconds / n, before, after);
        assertThat(after.grownSince(before)).as("what grew (leaked)").isEmpty();
    }

    @Test
    @DisplayName("twice the CPUs of isolated tests in parallel: all pass side by side, nothing leaks")
    void inParallel() throws Exception {
        int n = parallel();
        LeakCounts before = LeakCounts.now();
        long[] most = {0};
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    most[0] = Math.max(most[0], LeakCounts.containers());
                    Thread.sleep(50);
                } catch (IOException | InterruptedException e) {
                    return;
                }
            }
        }, "soak-sampler");
        sampler.start();
        long t0 = System.nanoTime();

        Events events = Fixtures.run(ParallelTestCase.class, java.util.Map.of(
                "junit.jupiter.execution.parallel.enabled", "true",
                "junit.jupiter.execution.parallel.mode.default", "concurrent",
                "junit.jupiter.execution.parallel.config.strategy", "fixed",
                "junit.jupiter.execution.parallel.config.fixed.parallelism", Integer.toString(n),
                // No warm spares: every container counted runs a test.
                ChildPool.SIZE, "0")).testEvents();

        double seconds = (System.nanoTime() - t0) / 1e9;
        sampler.interrupt();
        sampler.join();
        events.assertStatistics(s -> s.succeeded(n).failed(0));
        LeakCounts after = LeakCounts.settled(before);
        System.out.printf("[soak] %d isolated tests in parallel: %.1f s, at most %d containers side by side; before %s, after %s%n",
                n, seconds, most[0], before, after);
        assertThat(most[0]).as("containers seen side by side").isGreaterThanOrEqualTo(2);
        assertThat(after.grownSince(before)).as("what grew (leaked)").isEmpty();
    }

    @Test
    @DisplayName("a child that writes garbage, floods, ends without a result or spins past @Timeout gets a clear failure")
    void childFaults() throws IOException {
        LeakCounts before = LeakCounts.now();

        Events events = Fixtures.run(FaultTestCase.class).testEvents();

        events.assertThatEvents()
                .haveExactly(1, event(test("garbageOnTheResultChannel"), finishedWithFailure(message(m ->
                        m.contains("did not complete: the child's result could not be read")))))
                .haveExactly(1, event(test("floodsTheResultChannel"), finishedWithFailure(message(m ->
                        m.contains("did not complete: the child's result could not be read")))))
                .haveExactly(1, event(test("endsWithoutAResult"), finishedWithFailure(message(m ->
                        m.contains("without reporting a result")))))
                .haveExactly(1, event(test("busyPastItsTimeout"), finishedWithFailure(message(m ->
                        m.contains("did not complete") && m.contains("time")))))
                .haveExactly(1, event(test("garbageOnTheSandboxChannel"), finishedSuccessfully()));
        LeakCounts after = LeakCounts.settled(before);
        System.out.printf("[soak] 5 misbehaving children: clear failures; before %s, after %s%n", before, after);
        assertThat(after.grownSince(before)).as("what grew (leaked)").isEmpty();
    }
}
