package io.alicecontainer.samples;

import static io.alicecontainer.junit.ResourceAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import io.alicecontainer.ExecResult;
import io.alicecontainer.junit.PidsLimit;
import io.alicecontainer.junit.Sandbox;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A task limit: {@code @PidsLimit(96)} caps the processes and threads of the test's container
 * ({@code pids.max}), the child JVM's own ~25 threads included. A runaway thread or fork loop
 * then fails inside the container instead of exhausting the host. The command below starts
 * threads until the kernel refuses one (it stops at 500 so that a missing limit fails the test
 * without hurting the machine); it runs through the {@link Sandbox}, whose container the parent
 * JVM makes with the test's limits, so it gets 96 tasks of its own.
 */
@DisplayName("Pids limit: a thread bomb stops at the container's task limit")
class PidsLimitTests {
    private static final String THREAD_BOMB = String.join("\n",
            "import threading",
            "stop = threading.Event()",
            "started = 0",
            "try:",
            "    while started < 500:",
            "        threading.Thread(target=stop.wait).start()",
            "        started += 1",
            "except RuntimeError as refused:",
            "    print(refused)",
            "stop.set()",
            "print(started)");

    @Test
    @PidsLimit(96)
    @DisplayName("python3 cannot start more threads than the limit allows")
    void threadBombIsContained(Sandbox sandbox) {
        ExecResult bomb = sandbox.exec("python3", "-c", THREAD_BOMB);

        assertThat(bomb).succeeded().stdoutContains("can't start new thread");
        int started = Integer.parseInt(bomb.stdout().lines().reduce((first, last) -> last).orElseThrow());
        assertThat(started).isBetween(1, 95);
    }
}
