package io.alicecontainer.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import io.alicecontainer.ContainerException;
import io.alicecontainer.cgroup.CgroupException;
import io.alicecontainer.scheduler.SchedulerDecision.Adjust;
import io.alicecontainer.scheduler.SchedulerDecision.NoChange;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The scheduler's ticks, bounds and background mode against an in-memory cgroup v2 ({@link FakeV2Cgroup}:
 * a {@code cpu.max} line and {@code cpu.stat} counters driven by a simulated workload). The real
 * kernel's files are checked in {@link DynamicSchedulerKernelTests}.
 */
@DisplayName("DynamicScheduler against an in-memory cgroup v2")
class DynamicSchedulerTests {

    /** A v2 cgroup in memory: what was written to cpu.max, and counters a workload advances. */
    static final class FakeV2Cgroup implements CpuQuotaTarget {
        final List<String> cpuMaxWrites = new CopyOnWriteArrayList<>();
        volatile long nanos;
        volatile long usageUs;
        volatile long nrThrottled;
        volatile long throttledUs;
        volatile boolean realClock;
        volatile RuntimeException failNextSample;
        private long quotaUs = -1;
        private long periodUs = 100_000;

        @Override
        public CpuSample sample() {
            RuntimeException f = failNextSample;
            if (f != null) throw f;
            return new CpuSample(usageUs, nrThrottled, throttledUs, realClock ? System.nanoTime() : nanos);
        }

        @Override
        public synchronized void applyQuota(long quotaUs, long periodUs) {
            this.quotaUs = quotaUs;
            this.periodUs = periodUs;
            cpuMaxWrites.add(quotaUs + " " + periodUs);   // what cpu.max would hold
        }

        String cpuMax() {
            return cpuMaxWrites.get(cpuMaxWrites.size() - 1);
        }

        /** Lets ms pass with a workload that wants `demand` CPUs; beyond the quota it is throttled once. */
        synchronized void run(long ms, double demand) {
            double share = quotaUs < 0 ? Double.MAX_VALUE : (double) quotaUs / periodUs;
            usageUs += Math.round(Math.min(demand, share) * ms * 1000);
            if (demand > share) {
                nrThrottled++;
                throttledUs += Math.round((demand - share) * ms * 1000);
            }
            nanos += ms * 1_000_000;
        }
    }

    private static final SchedulerConfig DEFAULTS = SchedulerConfig.defaults();

    @Test
    @DisplayName("create writes the maximum quota, as the original starts")
    void shouldStartAtTheMaximum() {
        FakeV2Cgroup cg = new FakeV2Cgroup();

        DynamicScheduler s = DynamicScheduler.create(cg, DEFAULTS);

        assertThat(cg.cpuMaxWrites).containsExactly("100000 100000");
        assertThat(s.currentQuotaUs()).isEqualTo(100_000);
    }

    @Test
    @DisplayName("a starting quota is written instead, brought into the bounds")
    void shouldStartAtAGivenQuota() {
        FakeV2Cgroup cg = new FakeV2Cgroup();
        FakeV2Cgroup cg2 = new FakeV2Cgroup();

        DynamicScheduler s = DynamicScheduler.create(cg, DEFAULTS, 20_000);
        DynamicScheduler low = DynamicScheduler.create(cg2, SchedulerConfig.lowLatency(), 10_000);

        assertThat(cg.cpuMaxWrites).containsExactly("20000 100000");
        assertThat(s.currentQuotaUs()).isEqualTo(20_000);
        assertThat(cg2.cpuMaxWrites).containsExactly("50000 100000");
        assertThat(low.currentQuotaUs()).isEqualTo(50_000);
    }

    @Test
    @DisplayName("a busy cgroup climbs from the minimum to the maximum by x1.5 per tick, then stays")
    void shouldRaiseABusyCgroupToTheMaximum() {
        FakeV2Cgroup cg = new FakeV2Cgroup();
        DynamicScheduler s = DynamicScheduler.create(cg, DEFAULTS);
        s.throttle();

        List<SchedulerDecision> decisions = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            cg.run(10, 1.0);
            decisions.add(s.tick());
        }

        // Throttled in every tick below one CPU: up by x1.5 per tick, then held at the maximum.
        assertThat(cg.cpuMaxWrites).containsExactly("100000 100000", "10000 100000", "15000 100000", "22500 100000",
                "33750 100000", "50625 100000", "75938 100000", "100000 100000");
        assertThat(decisions.subList(0, 6)).allSatisfy(d -> assertThat(d).isInstanceOf(Adjust.class));
        assertThat(decisions.subList(6, 30)).allSatisfy(d -> assertThat(d).isInstanceOf(NoChange.class));
        assertThat(decisions.get(29)).isEqualTo(new NoChange(
                "used 100% of the quota (100.00 ms of 100.00 ms in the last 100.0 ms); already at the maximum 100000 µs"));
        assertThat(s.currentQuotaUs()).isEqualTo(100_000);
    }

    @Test
    @DisplayName("an idle cgroup falls from the maximum to the minimum by x0.8 per tick, then stays")
    void shouldLowerAnIdleCgroupToTheMinimum() {
        FakeV2Cgroup cg = new FakeV2Cgroup();
        DynamicScheduler s = DynamicScheduler.create(cg, DEFAULTS);

        for (int i = 0; i < 13; i++) {
            cg.run(10, 0.0);
            s.tick();
        }

        assertThat(cg.cpuMaxWrites).containsExactly("100000 100000", "80000 100000", "64000 100000", "51200 100000",
                "40960 100000", "32768 100000", "26214 100000", "20971 100000", "16777 100000", "13422 100000",
                "10738 100000", "10000 100000");
        assertThat(cg.cpuMax()).isEqualTo("10000 100000");
        assertThat(s.adjustments()).isEqualTo(11);
        assertThat(s.ticks()).isEqualTo(13);
    }

    @Test
    @DisplayName("after a throttle, the quota is not lowered for one period even if the windows look idle")
    void shouldHoldTheQuotaForAPeriodAfterAThrottle() {
        FakeV2Cgroup cg = new FakeV2Cgroup();
        DynamicScheduler s = DynamicScheduler.create(cg, DEFAULTS);
        s.throttle();
        cg.run(10, 1.0);
        assertThat(s.tick()).isEqualTo(new Adjust(10_000, 15_000, "throttled 1 time, used 100% of the quota (1.00 ms of 1.00 ms in the last 10.0 ms)"));

        List<SchedulerDecision> quiet = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            cg.run(10, 0.0);
            quiet.add(s.tick());
        }

        // 10 ticks up to 100 ms after the throttle hold; the 11th, 110 ms after it, lowers.
        assertThat(quiet.subList(0, 10)).allSatisfy(d -> assertThat(d.reason()).endsWith("but it was throttled within the last period"));
        assertThat(quiet.get(10)).isEqualTo(new Adjust(15_000, 12_000, "used 0% of the quota (0.00 ms of 15.00 ms in the last 100.0 ms)"));
    }

    @Test
    @DisplayName("an empty window in a busy stretch does not lower the quota; lowering starts when the last period used less than half")
    void shouldLowerOnlyWhenTheLastPeriodWasIdle() {
        FakeV2Cgroup cg = new FakeV2Cgroup();
        DynamicScheduler s = DynamicScheduler.create(cg, DEFAULTS);
        for (int i = 0; i < 10; i++) {
            cg.run(10, 0.7);
            assertThat(s.tick().reason()).endsWith("between the thresholds 50% and 90%");
        }

        cg.run(10, 0.0);
        SchedulerDecision afterOneEmpty = s.tick();
        cg.run(10, 0.0);
        SchedulerDecision afterTwo = s.tick();
        cg.run(10, 0.0);
        SchedulerDecision afterThree = s.tick();

        // The last 100 ms held 9, 8, then 7 busy windows of 7 ms: 63%, 56%, 49% of the quota.
        assertThat(afterOneEmpty).isEqualTo(new NoChange(
                "used 63% of the quota (63.00 ms of 100.00 ms in the last 100.0 ms), between the thresholds 50% and 90%"));
        assertThat(afterTwo.reason()).startsWith("used 56% of the quota");
        assertThat(afterThree).isEqualTo(new Adjust(100_000, 80_000, "used 49% of the quota (49.00 ms of 100.00 ms in the last 100.0 ms)"));
    }

    @Test
    @DisplayName("a tick less than half an interval after the last decides nothing and keeps the window open")
    void shouldRefuseTooShortAWindow() {
        FakeV2Cgroup cg = new FakeV2Cgroup();
        DynamicScheduler s = DynamicScheduler.create(cg, DEFAULTS);

        cg.run(4, 0.0);
        SchedulerDecision early = s.tick();
        cg.run(6, 0.0);
        SchedulerDecision onTime = s.tick();

        assertThat(early).isEqualTo(new NoChange("too soon: 4.000 ms since the last tick, the interval is PT0.01S"));
        assertThat(onTime).isEqualTo(new Adjust(100_000, 80_000, "used 0% of the quota (0.00 ms of 10.00 ms in the last 10.0 ms)"));
        assertThat(s.ticks()).isEqualTo(1);
    }

    @Test
    @DisplayName("burst() jumps to the maximum and throttle() drops to the minimum, writing each time")
    void shouldBurstAndThrottle() {
        FakeV2Cgroup cg = new FakeV2Cgroup();
        DynamicScheduler s = DynamicScheduler.create(cg, SchedulerConfig.batch());

        assertThat(s.throttle()).isEqualTo(new Adjust(50_000, 10_000, "throttle requested"));
        assertThat(s.throttle()).isEqualTo(new NoChange("throttle: already at 10000 µs"));
        assertThat(s.burst()).isEqualTo(new Adjust(10_000, 50_000, "burst requested"));

        assertThat(cg.cpuMaxWrites).containsExactly("50000 100000", "10000 100000", "10000 100000", "50000 100000");
        assertThat(s.currentQuotaUs()).isEqualTo(50_000);
    }

    @Test
    @DisplayName("the background mode ticks on its own, tells the listener, and stops on close")
    void shouldTickInTheBackground() throws Exception {
        FakeV2Cgroup cg = new FakeV2Cgroup();
        cg.realClock = true;
        SchedulerConfig fast = SchedulerConfig.lowLatency();   // 1 ms ticks
        List<SchedulerDecision> heard = new CopyOnWriteArrayList<>();
        AtomicReference<String> thread = new AtomicReference<>();

        try (DynamicScheduler s = DynamicScheduler.create(cg, fast)) {
            s.start(d -> {
                thread.set(Thread.currentThread().getName());
                heard.add(d);
            });
            assertThat(s.isRunning()).isTrue();
            awaitQuota(s, 50_000, Duration.ofSeconds(5));   // idle: 100000 -> 80000 -> 64000 -> 51200 -> 50000
            assertThatIllegalStateException().isThrownBy(() -> s.start(d -> { })).withMessageEndingWith("is started already");
        }

        assertThat(cg.cpuMaxWrites).containsExactly("100000 100000", "80000 100000", "64000 100000", "51200 100000", "50000 100000");
        assertThat(heard).filteredOn(d -> d instanceof Adjust).hasSize(4);
        assertThat(thread.get()).isEqualTo("alice-dynamic-scheduler");
        int writes = cg.cpuMaxWrites.size();
        int decisions = heard.size();
        Thread.sleep(20);
        assertThat(heard).hasSize(decisions);
        assertThat(cg.cpuMaxWrites).hasSize(writes);
    }

    @Test
    @DisplayName("a failing background tick stops the ticking, reaches the listener, and close() throws it")
    void shouldReportABackgroundFailure() throws Exception {
        FakeV2Cgroup cg = new FakeV2Cgroup();
        cg.realClock = true;
        AtomicReference<RuntimeException> heard = new AtomicReference<>();
        DynamicScheduler s = DynamicScheduler.create(cg, SchedulerConfig.lowLatency());
        CgroupException gone = new CgroupException("failed to read /sys/fs/cgroup/x/cpu.stat: gone");

        s.start(new SchedulerListener() {
            @Override
            public void onDecision(SchedulerDecision decision) {
            }

            @Override
            public void onFailure(RuntimeException failure) {
                heard.set(failure);
            }
        });
        cg.failNextSample = gone;
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (s.isRunning() && System.nanoTime() < deadline) Thread.sleep(1);

        assertThat(s.isRunning()).isFalse();
        assertThat(heard.get()).isSameAs(gone);
        assertThat(s.failure()).containsSame(gone);
        assertThatThrownBy(s::close).isInstanceOf(ContainerException.class).hasCause(gone)
                .hasMessageStartingWith("the background ticks of DynamicScheduler[")
                .hasMessageEndingWith("stopped: failed to read /sys/fs/cgroup/x/cpu.stat: gone");
        s.close();   // reported once
    }

    @Test
    @DisplayName("a closed scheduler refuses to tick, burst, throttle or start")
    void shouldRefuseWorkAfterClose() {
        DynamicScheduler s = DynamicScheduler.create(new FakeV2Cgroup(), DEFAULTS);
        s.close();

        assertThatIllegalStateException().isThrownBy(s::tick).withMessageStartingWith("cannot tick: DynamicScheduler[").withMessageEndingWith("is closed");
        assertThatIllegalStateException().isThrownBy(s::burst).withMessageStartingWith("cannot burst");
        assertThatIllegalStateException().isThrownBy(s::throttle).withMessageStartingWith("cannot throttle");
        assertThatIllegalStateException().isThrownBy(s::start).withMessageStartingWith("cannot start");
    }

    static void awaitQuota(DynamicScheduler s, long quotaUs, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (s.currentQuotaUs() != quotaUs && System.nanoTime() < deadline) Thread.sleep(1);
        assertThat(s.currentQuotaUs()).as("quota after waiting up to %s", timeout).isEqualTo(quotaUs);
    }
}
