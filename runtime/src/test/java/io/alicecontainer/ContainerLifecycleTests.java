package io.alicecontainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.alicecontainer.clone3.SpawnException;
import io.alicecontainer.clone3.SpawnStep;
import io.alicecontainer.testing.RequiresRoot;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@RequiresRoot
@DisplayName("Container lifecycle")
class ContainerLifecycleTests {

    @Test
    @DisplayName("create → start → exec → stop → destroy moves through the states and removes the cgroup")
    void lifecycle() {
        Container c = Container.create("life-states", ContainerConfig.builder().build());
        Path cgroup = c.cgroup().path();
        assertThat(c.state()).isEqualTo(ContainerState.CREATED);
        assertThat(cgroup).isDirectory();

        c.start();
        assertThat(c.state()).isEqualTo(ContainerState.RUNNING);
        ExecResult r = c.exec("sh", "-c", "echo out; echo err >&2; exit 3");
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.stdout()).isEqualTo("out\n");
        assertThat(r.stderr()).isEqualTo("err\n");
        assertThat(r.wallTime()).isPositive();

        c.stop();
        assertThat(c.state()).isEqualTo(ContainerState.STOPPED);
        assertThatThrownBy(() -> c.exec("true")).isInstanceOf(IllegalStateException.class).hasMessageContaining("STOPPED");

        c.destroy();
        c.close();
        assertThat(cgroup).doesNotExist();
        assertThatThrownBy(c::start).hasMessageContaining("destroyed");
    }

    @Test
    @DisplayName("pause freezes the running process and resume lets it finish")
    void pauseAndResume() throws Exception {
        try (Container c = Container.create("life-pause", ContainerConfig.builder().build())) {
            c.start();
            CompletableFuture<ExecResult> running = CompletableFuture.supplyAsync(
                    () -> c.exec("sh", "-c", "end=$(($(date +%s) + 2)); while [ $(date +%s) -lt $end ]; do sleep 0.05; done; echo done"));
            awaitProcesses(c);

            c.pause();
            assertThat(c.state()).isEqualTo(ContainerState.PAUSED);
            assertThat(c.cgroup().isFrozen()).isTrue();
            long cpuFrozen = c.cgroup().cpuUsageUs();
            Thread.sleep(300);
            assertThat(c.cgroup().cpuUsageUs()).as("no CPU is used while frozen").isEqualTo(cpuFrozen);
            assertThat(running).isNotDone();

            c.resume();
            assertThat(c.state()).isEqualTo(ContainerState.RUNNING);
            ExecResult r = running.get(30, TimeUnit.SECONDS);
            assertThat(r.stdout()).isEqualTo("done\n");
        }
    }

    @Test
    @DisplayName("stop kills every process, also a paused one, and a waiting exec returns killed")
    void stopKillsEverything() throws Exception {
        try (Container c = Container.create("life-stop", ContainerConfig.builder().build())) {
            CompletableFuture<ExecResult> running = CompletableFuture.supplyAsync(() -> c.exec("sh", "-c", "sleep 100 & sleep 100"));
            awaitProcesses(c);
            c.pause();

            c.stop();

            ExecResult r = running.get(30, TimeUnit.SECONDS);
            assertThat(r.signal()).isEqualTo(9);
            assertThat(c.cgroup().pids()).isEmpty();
        }
    }

    @Test
    @DisplayName("close of a paused container kills its processes (v1: a frozen task dies only once thawed)")
    void closeKillsAPausedContainer() throws Exception {
        CompletableFuture<ExecResult> running;
        java.util.List<Long> pids;
        try (Container c = Container.create("life-close-paused", ContainerConfig.builder().build())) {
            running = CompletableFuture.supplyAsync(() -> c.exec("sh", "-c", "sleep 100 & sleep 100"));
            awaitProcesses(c);
            c.pause();
            pids = c.cgroup().pids();
            assertThat(pids).isNotEmpty();
        }
        // close() returned: every process is gone (destroy waits for it), and the exec waiting on them ends
        for (long pid : pids) assertThat(running(pid)).as("pid " + pid + " after close").isFalse();
        // (with the usage it read, or failing because its cgroup is gone: a race with close)
        try {
            assertThat(running.get(30, TimeUnit.SECONDS).signal()).isEqualTo(9);
        } catch (java.util.concurrent.ExecutionException raced) {
            assertThat(raced).hasCauseInstanceOf(io.alicecontainer.cgroup.CgroupException.class);
        }
    }

    /** Whether pid runs: exists and is no zombie (one the exec's thread has yet to reap has ended). */
    private static boolean running(long pid) {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pid + "/stat"));
            return !stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (java.io.IOException gone) {
            return false;
        }
    }

    @Test
    @DisplayName("an exec timeout kills the whole container, background processes included")
    void timeoutKillsContainer() {
        try (Container c = Container.create("life-timeout", ContainerConfig.builder().timeout(Duration.ofMillis(500)).build())) {
            long t0 = System.nanoTime();
            ExecResult r = c.exec("sh", "-c", "sleep 100 & sleep 100");

            assertThat(r.timedOut()).isTrue();
            assertThat(r.signal()).isEqualTo(9);
            assertThat(r.outcome()).contains("timeout");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
            assertThat(c.cgroup().pids()).isEmpty();
            assertThat(c.state()).isEqualTo(ContainerState.RUNNING);
            assertThat(c.exec("true").succeeded()).isTrue();
        }
    }

    @Test
    @DisplayName("output beyond the limit is drained and dropped, and the result says so")
    void outputLimit() {
        try (Container c = Container.create("life-output", ContainerConfig.builder().outputLimit(1000).build())) {
            ExecResult r = c.exec("sh", "-c", "head -c 300000 /dev/zero; echo tail >&2");

            assertThat(r.succeeded()).isTrue();
            assertThat(r.stdoutBytes()).hasSize(1000);
            assertThat(r.stdoutTruncated()).isTrue();
            assertThat(r.stderr()).isEqualTo("tail\n");
            assertThat(r.stderrTruncated()).isFalse();
        }
    }

    @Test
    @DisplayName("each exec reports its own CPU time, the peak is the container's")
    void usagePerExec() {
        try (Container c = Container.create("life-usage", ContainerConfig.builder().build())) {
            ExecResult busy = c.exec("sh", "-c", "i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done");
            ExecResult idle = c.exec("true");

            assertThat(busy.usage().cpuTime()).isGreaterThan(Duration.ofMillis(50));
            assertThat(idle.usage().cpuTime()).isLessThan(busy.usage().cpuTime());
            if (io.alicecontainer.cgroup.CgroupController.layout().supportsLimit("memory")) {
                assertThat(idle.usage().memoryPeakBytes()).isPositive();
            } else {
                assertThat(idle.usage().memoryPeakBytes()).as("no memory controller: unknown").isEqualTo(-1);
            }
            assertThat(c.usage().cpuTime()).isGreaterThanOrEqualTo(busy.usage().cpuTime().plus(idle.usage().cpuTime()));
        }
    }

    @Test
    @DisplayName("a missing executable is a clear error naming execve, and nothing keeps running")
    void missingExecutable() {
        try (Container c = Container.create("life-noexec", ContainerConfig.builder().build())) {
            assertThatThrownBy(() -> c.exec("no-such-program-alice"))
                    .isInstanceOf(SpawnException.class)
                    .hasMessage("execve of `no-such-program-alice` failed: ENOENT (No such file or directory)")
                    .satisfies(e -> assertThat(((SpawnException) e).step()).isEqualTo(SpawnStep.EXEC));
            assertThat(c.cgroup().pids()).isEmpty();
            assertThat(c.exec("true").succeeded()).isTrue();
        }
    }

    private static void awaitProcesses(Container c) throws InterruptedException {
        for (int i = 0; i < 500 && c.cgroup().pids().isEmpty(); i++) Thread.sleep(10);
        assertThat(c.cgroup().pids()).isNotEmpty();
    }
}
