package io.alicecontainer.v2;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import io.alicecontainer.Container;
import io.alicecontainer.ContainerConfig;
import io.alicecontainer.ExecResult;
import io.alicecontainer.testing.RequiresRoot;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * cpu.max on pure cgroup v2, checked in cpu.max and cpu.stat. The share is measured against the
 * command's own wall time and against the periods cpu.stat counts, not against a fixed duration:
 * spawning is slow under software emulation.
 */
@RequiresRoot
@DisplayName("v2: cpu.max, cpu.stat throttling")
class V2CpuTests {
    private static final long QUOTA_US = 20_000;
    private static final long PERIOD_US = 100_000;

    @BeforeEach
    void pureV2() {
        PureV2.assumeControllers();
    }

    @Test
    @DisplayName("cpu.max=20000 100000: a spinner is throttled (cpu.stat nr_throttled > 0) and gets about 20% of a CPU; lifted, it is not")
    void cpuMaxThrottles() {
        try (Container c = Container.create("v2-cpu", ContainerConfig.builder().cpuPercent(20).build())) {
            Path cg = c.cgroup().path();
            assertThat(PureV2.read(cg, "cpu.max")).isEqualTo(QUOTA_US + " " + PERIOD_US);

            Map<String, Long> before = PureV2.keyed(cg, "cpu.stat");
            ExecResult r = c.exec("timeout", "3", "sh", "-c", "while :; do :; done");
            Map<String, Long> after = PureV2.keyed(cg, "cpu.stat");

            assertThat(r.exitCode()).as(r.toString()).isEqualTo(124);   // timeout(1) ended the spinner
            long usage = after.get("usage_usec") - before.get("usage_usec");
            long periods = after.get("nr_periods") - before.get("nr_periods");
            long throttled = after.get("nr_throttled") - before.get("nr_throttled");
            long throttledUs = after.get("throttled_usec") - before.get("throttled_usec");
            String stat = "cpu.stat delta: usage_usec " + usage + ", nr_periods " + periods + ", nr_throttled " + throttled
                    + ", throttled_usec " + throttledUs + ", wall " + r.wallTime().toMillis() + " ms";
            assertThat(throttled).as(stat).isPositive();
            assertThat(throttled).as("a spinner runs out of its quota in most periods: " + stat).isGreaterThan(periods / 2);
            assertThat(throttledUs).as(stat).isGreaterThan(r.wallTime().toNanos() / 1000 / 2);
            // The quota is the cap per period; a throttled period used all of it.
            assertThat(usage).as("usage_usec <= quota x nr_periods: " + stat).isLessThanOrEqualTo(QUOTA_US * periods * 11 / 10 + 5_000);
            assertThat(usage).as("usage_usec ~ quota x nr_throttled: " + stat).isGreaterThanOrEqualTo(QUOTA_US * throttled * 8 / 10);
            double share = usage / (r.wallTime().toNanos() / 1000.0);
            assertThat(share).as("CPU share of the wall time: " + stat).isBetween(0.10, 0.28);
            assertThat(r.usage().throttledPeriods()).as("ResourceUsage.throttledPeriods is nr_throttled").isEqualTo(throttled);
            assertThat(r.usage().cpuTime().toNanos() / 1000).as("ResourceUsage.cpuTime is usage_usec").isEqualTo(usage);

            // Lifted: the same spinner runs unthrottled.
            c.cgroup().setCpuMax(-1, PERIOD_US);
            assertThat(PureV2.read(cg, "cpu.max")).isEqualTo("max " + PERIOD_US);
            Map<String, Long> before2 = PureV2.keyed(cg, "cpu.stat");
            ExecResult free = c.exec("timeout", "1", "sh", "-c", "while :; do :; done");
            Map<String, Long> after2 = PureV2.keyed(cg, "cpu.stat");
            long usage2 = after2.get("usage_usec") - before2.get("usage_usec");
            double share2 = usage2 / (free.wallTime().toNanos() / 1000.0);
            assertThat(after2.get("nr_throttled") - before2.get("nr_throttled")).as("nr_throttled without cpu.max").isZero();
            assertThat(share2).as("CPU share without cpu.max (usage_usec " + usage2 + ", wall " + free.wallTime().toMillis() + " ms)")
                    .isGreaterThan(0.5);
        }
    }
}
