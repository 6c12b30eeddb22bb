package io.alicecontainer.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.alicecontainer.Command;
import io.alicecontainer.Container;
import io.alicecontainer.ContainerConfig;
import io.alicecontainer.ContainerProcess;
import io.alicecontainer.cgroup.CgroupController;
import io.alicecontainer.cgroup.CgroupMode;
import io.alicecontainer.scheduler.SchedulerDecision.Adjust;
import io.alicecontainer.testing.Limits;
import io.alicecontainer.testing.RequiresRoot;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The scheduler on this machine's kernel, checked in the cgroup's own files: {@code cpu.max} on
 * cgroup v2, {@code cpu.cfs_quota_us} and {@code cpu.cfs_period_us} on v1 and hybrid hosts (this
 * project's machines). Ticks are 20 ms apart (1 ms in the background test) to keep the tests short.
 *
 * <p>The busy cgroups get small maximum quotas (15% and 20% of a CPU): a cgroup can only show
 * that its quota is short when the machine gives it more CPU than the quota, and CFS shares the
 * CPUs between groups, not tasks: on this 2-CPU machine, shared with other builds at a load
 * average of 10, a container's cgroup gets about a fifth of one CPU however many spinners it runs.
 */
@RequiresRoot
@DisplayName("DynamicScheduler on this host's cgroups")
class DynamicSchedulerKernelTests {
    private static final Duration TICK = Duration.ofMillis(20);
    private static final SchedulerConfig FAST = SchedulerConfig.defaults().toBuilder().tickInterval(TICK).build();
    private static final SchedulerConfig FAST_SMALL = FAST.toBuilder().quotaRange(2_000, 15_000).build();
    private static final SchedulerConfig LOW_LATENCY_SMALL = SchedulerConfig.lowLatency().toBuilder().quotaRange(5_000, 20_000).build();
    private static final Duration PATIENCE = Duration.ofSeconds(5);
    private static final String SPIN = "while :; do :; done";

    @BeforeEach
    void needsTheCpuController() {
        Limits.assumeSupported("cpu");
    }

    @Test
    @DisplayName("a busy cgroup at the minimum is raised to the maximum over a few ticks (defaults, 2%..15% of a CPU)")
    void shouldRaiseABusyCgroup() throws Exception {
        try (Container c = Container.create("sched-busy", ContainerConfig.builder().build());
             ContainerProcess spinners = c.launch(Command.builder("sh", "-c", SPIN).build());
             DynamicScheduler s = DynamicScheduler.create(c.cgroup(), FAST_SMALL)) {
            s.throttle();
            assertThat(quotaFiles(c.cgroup())).isEqualTo("2000 100000");

            List<SchedulerDecision> decisions = tickUntil(s, 15_000);

            assertThat(quotaFiles(c.cgroup())).as("decisions: %s", decisions).isEqualTo("15000 100000");
            // 2000 x 1.5^n: 3000, 4500, 6750, 10125, then 15000.
            assertThat(decisions).as("the way up").filteredOn(d -> d instanceof Adjust a && a.isIncrease()).hasSizeGreaterThanOrEqualTo(5);
        }
    }

    @Test
    @DisplayName("an idle cgroup at the maximum is lowered to the minimum over a few ticks")
    void shouldLowerAnIdleCgroup() throws Exception {
        try (Container c = Container.create("sched-idle", ContainerConfig.builder().build());
             ContainerProcess sleeper = c.launch(Command.builder("sleep", "60").build());
             DynamicScheduler s = DynamicScheduler.create(c.cgroup(), FAST)) {
            assertThat(quotaFiles(c.cgroup())).isEqualTo("100000 100000");

            List<SchedulerDecision> decisions = tickUntil(s, 10_000);

            assertThat(quotaFiles(c.cgroup())).as("decisions: %s", decisions).isEqualTo("10000 100000");
            assertThat(decisions).filteredOn(d -> d instanceof Adjust).hasSize(11);   // 100000 x 0.8^n down to 10000
        }
    }

    @Test
    @DisplayName("in the background (lowLatency: 1 ms ticks, x2 up; 5%..20% of a CPU) the quota falls while idle and rises when a spinner starts")
    void shouldFollowTheLoadInTheBackground() throws Exception {
        List<SchedulerDecision> heard = new CopyOnWriteArrayList<>();
        try (Container c = Container.create("sched-bg", ContainerConfig.builder().build());
             DynamicScheduler s = DynamicScheduler.create(c.cgroup(), LOW_LATENCY_SMALL)) {
            s.start(heard::add);
            DynamicSchedulerTests.awaitQuota(s, 5_000, PATIENCE);
            assertThat(quotaFiles(c.cgroup())).isEqualTo("5000 100000");

            try (ContainerProcess spinners = c.launch(Command.builder("sh", "-c", SPIN).build())) {
                DynamicSchedulerTests.awaitQuota(s, 20_000, PATIENCE);
                assertThat(quotaFiles(c.cgroup())).isEqualTo("20000 100000");
            }
            assertThat(s.failure()).isEmpty();
            assertThat(s.ticks()).isGreaterThan(4);
        }
        assertThat(heard).filteredOn(d -> d instanceof Adjust a && !a.isIncrease()).isNotEmpty();
        assertThat(heard).filteredOn(d -> d instanceof Adjust a && a.isIncrease()).isNotEmpty();
    }

    @Test
    @DisplayName("burst() and throttle() write the bounds to the cgroup's files at once")
    void shouldWriteBurstAndThrottle() {
        try (Container c = Container.create("sched-force", ContainerConfig.builder().build());
             DynamicScheduler s = DynamicScheduler.create(c.cgroup(), SchedulerConfig.batch())) {
            assertThat(quotaFiles(c.cgroup())).isEqualTo("50000 100000");
            s.throttle();
            assertThat(quotaFiles(c.cgroup())).isEqualTo("10000 100000");
            s.burst();
            assertThat(quotaFiles(c.cgroup())).isEqualTo("50000 100000");
        }
    }

    /** Ticks every TICK until the quota is quotaUs (at most PATIENCE); returns the decisions. */
    private static List<SchedulerDecision> tickUntil(DynamicScheduler s, long quotaUs) throws InterruptedException {
        List<SchedulerDecision> out = new ArrayList<>();
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (s.currentQuotaUs() != quotaUs && System.nanoTime() < deadline) {
            Thread.sleep(TICK.toMillis());
            out.add(s.tick());
        }
        return out;
    }

    /** "quota period" as the kernel holds them: cpu.max on v2, cpu.cfs_quota_us and cpu.cfs_period_us on v1/hybrid. */
    static String quotaFiles(CgroupController cg) {
        if (cg.mode() == CgroupMode.V2) return read(cg.path().resolve("cpu.max"));
        Path cpu = cg.v1Paths().get("cpu");
        return read(cpu.resolve("cpu.cfs_quota_us")) + " " + read(cpu.resolve("cpu.cfs_period_us"));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
