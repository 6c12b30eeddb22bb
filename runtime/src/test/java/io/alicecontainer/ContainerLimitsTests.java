package io.alicecontainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.alicecontainer.testing.Limits;
import io.alicecontainer.testing.RequiresRoot;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@RequiresRoot
@DisplayName("Container limits")
class ContainerLimitsTests {

    @Test
    @DisplayName("a process touching 256 MiB under memoryMax(64 MiB) is killed by the OOM killer")
    void memoryLimitOomKills() {
        Limits.assumeSupported("memory");
        ContainerConfig config = ContainerConfig.builder().memoryMax(64L << 20).timeout(Duration.ofSeconds(60)).build();
        try (Container c = Container.create("limits-oom", config)) {
            ExecResult r = c.exec("python3", "-c", "b = b'x' * (256 << 20); print(len(b))");

            assertThat(r.oomKilled()).as(r.toString()).isTrue();
            assertThat(r.exitCode()).isNotZero();
            assertThat(r.signal()).isEqualTo(9);
            assertThat(r.usage().oomKills()).isGreaterThanOrEqualTo(1);
            assertThat(r.usage().memoryPeakBytes()).isBetween(32L << 20, 65L << 20);
            assertThat(r.stdout()).doesNotContain("268435456");
        }
    }

    @Test
    @DisplayName("a process under its memory limit is not OOM-killed and reports its peak")
    void memoryUnderLimit() {
        Limits.assumeSupported("memory");
        try (Container c = Container.create("limits-mem-ok", ContainerConfig.builder().memoryMax("128M").build())) {
            ExecResult r = c.exec("python3", "-c", "b = b'x' * (32 << 20); print(len(b))");

            assertThat(r.succeeded()).as(r.toString()).isTrue();
            assertThat(r.oomKilled()).isFalse();
            assertThat(r.stdout().trim()).isEqualTo(Long.toString(32L << 20));
            assertThat(r.usage().memoryPeakBytes()).isGreaterThan(32L << 20).isLessThan(128L << 20);
        }
    }

    @Test
    @DisplayName("cpuPercent(20) lets a spinner use about 0.4 s of CPU in 2 s and throttles it")
    void cpuLimitThrottles() {
        Limits.assumeSupported("cpu");
        try (Container c = Container.create("limits-cpu", ContainerConfig.builder().cpuPercent(20).build())) {
            ExecResult r = c.exec("timeout", "2", "sh", "-c", "while :; do :; done");

            assertThat(r.exitCode()).as(r.toString()).isEqualTo(124); // timeout(1) ended the spinner
            // 20% of the wall time the spinner had (2 s here; longer on a slow, emulated machine).
            double cpuSeconds = r.usage().cpuTime().toNanos() / 1e9;
            double expected = 0.2 * r.wallTime().toNanos() / 1e9;
            assertThat(cpuSeconds).as(r.toString()).isCloseTo(expected, within(expected * 0.25));
            assertThat(r.usage().throttledPeriods()).isGreaterThan(0);
            assertThat(r.usage().throttledTime()).isGreaterThan(Duration.ofMillis(500));
        }
    }

    @Test
    @DisplayName("a fork bomb under pidsMax(32) is contained, the host stays responsive, nothing is left")
    void pidsLimitContainsForkBomb() throws Exception {
        Limits.assumeSupported("pids");
        ContainerConfig config = ContainerConfig.builder().pidsMax(32).timeout(Duration.ofSeconds(3)).build();
        try (Container c = Container.create("limits-forkbomb", config)) {
            long[] worstHostSpawnMillis = {0};
            Thread watcher = new Thread(() -> {
                for (int i = 0; i < 10; i++) {
                    long t0 = System.nanoTime();
                    try {
                        Process p = new ProcessBuilder("/bin/true").start();
                        p.waitFor(10, TimeUnit.SECONDS);
                        Thread.sleep(100);
                    } catch (Exception e) {
                        worstHostSpawnMillis[0] = Long.MAX_VALUE;
                        return;
                    }
                    worstHostSpawnMillis[0] = Math.max(worstHostSpawnMillis[0], (System.nanoTime() - t0) / 1_000_000 - 100);
                }
            });
            watcher.start();
            ExecResult r = c.exec("bash", "-c", "bomb() { bomb | bomb & }; bomb; sleep 60");
            watcher.join();

            assertThat(r.timedOut()).as(r.toString()).isTrue();
            assertThat(r.usage().pidsPeak()).isBetween(2L, 32L);
            assertThat(worstHostSpawnMillis[0]).as("slowest host process spawn during the bomb, ms").isLessThan(2000);
            assertThat(c.cgroup().pids()).isEmpty();
        }
    }
}
