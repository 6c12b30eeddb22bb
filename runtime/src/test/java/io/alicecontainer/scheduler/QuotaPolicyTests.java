package io.alicecontainer.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.alicecontainer.scheduler.QuotaPolicy.Window;
import io.alicecontainer.scheduler.SchedulerDecision.Adjust;
import io.alicecontainer.scheduler.SchedulerDecision.NoChange;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** One tick's decision from the counters, without a cgroup. defaults(): 10 000..100 000 µs per 100 ms, x1.5, x0.8. */
@DisplayName("QuotaPolicy: the decision of one tick")
class QuotaPolicyTests {
    private static final SchedulerConfig DEFAULTS = SchedulerConfig.defaults();

    /** The last 100 ms, in which the cgroup used usageUs, throttled `throttles` times since the last tick. */
    private static Window period(long usageUs, long throttles) {
        return new Window(100_000, usageUs, throttles, throttles > 0);
    }

    @Test
    @DisplayName("a cgroup that used 95% of its quota over the last period gets 1.5 times the quota")
    void shouldRaiseWhenNearlyAllIsUsed() {
        SchedulerDecision d = QuotaPolicy.decide(DEFAULTS, 20_000, period(19_000, 0));

        assertThat(d).isEqualTo(new Adjust(20_000, 30_000, "used 95% of the quota (19.00 ms of 20.00 ms in the last 100.0 ms)"));
    }

    @Test
    @DisplayName("utilization is measured against the quota, not against one CPU (the original never raised a busy cgroup at 20%)")
    void shouldMeasureAgainstTheQuota() {
        // 20 ms of 100 ms is 20% of a CPU, but all of a 20% quota.
        assertThat(QuotaPolicy.decide(DEFAULTS, 20_000, period(20_000, 0)))
                .isEqualTo(new Adjust(20_000, 30_000, "used 100% of the quota (20.00 ms of 20.00 ms in the last 100.0 ms)"));
        // The same usage under a 100% quota is 20% of it: underused.
        assertThat(QuotaPolicy.decide(DEFAULTS, 100_000, period(20_000, 0)))
                .isEqualTo(new Adjust(100_000, 80_000, "used 20% of the quota (20.00 ms of 100.00 ms in the last 100.0 ms)"));
    }

    @Test
    @DisplayName("a throttle raises the quota even when the period shows little usage")
    void shouldRaiseWhenThrottled() {
        SchedulerDecision d = QuotaPolicy.decide(DEFAULTS, 10_000, period(1_000, 1));

        assertThat(d).isEqualTo(new Adjust(10_000, 15_000, "throttled 1 time, used 10% of the quota (1.00 ms of 10.00 ms in the last 100.0 ms)"));
    }

    @Test
    @DisplayName("lowering ends where the period's usage fits the quota: 40 ms per period stops at 80 000 µs")
    void shouldStopLoweringWhereTheUsageFits() {
        assertThat(QuotaPolicy.decide(DEFAULTS, 100_000, period(40_000, 0)))
                .isEqualTo(new Adjust(100_000, 80_000, "used 40% of the quota (40.00 ms of 100.00 ms in the last 100.0 ms)"));
        assertThat(QuotaPolicy.decide(DEFAULTS, 80_000, period(40_000, 0))).isEqualTo(new NoChange(
                "used 50% of the quota (40.00 ms of 80.00 ms in the last 100.0 ms), between the thresholds 50% and 90%"));
    }

    @Test
    @DisplayName("raising stops at the maximum, lowering at the minimum")
    void shouldClampToTheBounds() {
        assertThat(QuotaPolicy.decide(DEFAULTS, 80_000, period(80_000, 2))).isEqualTo(new Adjust(80_000, 100_000,
                "throttled 2 times, used 100% of the quota (80.00 ms of 80.00 ms in the last 100.0 ms)"));
        assertThat(QuotaPolicy.decide(DEFAULTS, 100_000, period(100_000, 0))).isEqualTo(new NoChange(
                "used 100% of the quota (100.00 ms of 100.00 ms in the last 100.0 ms); already at the maximum 100000 µs"));
        assertThat(QuotaPolicy.decide(DEFAULTS, 12_000, period(0, 0))).isEqualTo(new Adjust(12_000, 10_000,
                "used 0% of the quota (0.00 ms of 12.00 ms in the last 100.0 ms)"));
        assertThat(QuotaPolicy.decide(DEFAULTS, 10_000, period(0, 0))).isEqualTo(new NoChange(
                "used 0% of the quota (0.00 ms of 10.00 ms in the last 100.0 ms); already at the minimum 10000 µs"));
    }

    @Test
    @DisplayName("no lowering while the cgroup was throttled within the last period: a throttled stretch shows little usage")
    void shouldNotLowerRightAfterAThrottle() {
        Window throttledEarlier = new Window(100_000, 10_000, 0, true);

        assertThat(QuotaPolicy.decide(DEFAULTS, 50_000, throttledEarlier)).isEqualTo(new NoChange(
                "used 20% of the quota (10.00 ms of 50.00 ms in the last 100.0 ms), but it was throttled within the last period"));
    }

    @Test
    @DisplayName("right after the first reading the usage is measured over the shorter time there is")
    void shouldUseAShorterSpanAtFirst() {
        assertThat(QuotaPolicy.decide(DEFAULTS, 100_000, new Window(10_000, 0, 0, false)))
                .isEqualTo(new Adjust(100_000, 80_000, "used 0% of the quota (0.00 ms of 10.00 ms in the last 10.0 ms)"));
    }

    @Test
    @DisplayName("between the thresholds the quota stays")
    void shouldKeepTheQuotaBetweenTheThresholds() {
        assertThat(QuotaPolicy.decide(DEFAULTS, 50_000, period(35_000, 0))).isEqualTo(new NoChange(
                "used 70% of the quota (35.00 ms of 50.00 ms in the last 100.0 ms), between the thresholds 50% and 90%"));
    }

    @Test
    @DisplayName("a quota above one period (more than one CPU) is measured the same way")
    void shouldHandleMoreThanOneCpu() {
        SchedulerConfig twoCpus = SchedulerConfig.builder().quotaRange(50_000, 200_000).build();

        assertThat(QuotaPolicy.decide(twoCpus, 150_000, period(140_000, 0))).isEqualTo(new Adjust(150_000, 200_000,
                "used 93% of the quota (140.00 ms of 150.00 ms in the last 100.0 ms)"));
    }

    @Test
    @DisplayName("each preset steps by its own factors")
    void presetsStepByTheirFactors() {
        assertThat(QuotaPolicy.decide(SchedulerConfig.lowLatency(), 50_000, period(50_000, 0)))
                .isEqualTo(new Adjust(50_000, 100_000, "used 100% of the quota (50.00 ms of 50.00 ms in the last 100.0 ms)"));
        assertThat(QuotaPolicy.decide(SchedulerConfig.batch(), 20_000, period(20_000, 0)))
                .isEqualTo(new Adjust(20_000, 24_000, "used 100% of the quota (20.00 ms of 20.00 ms in the last 100.0 ms)"));
        assertThat(QuotaPolicy.decide(SchedulerConfig.batch(), 50_000, period(0, 0)))
                .isEqualTo(new Adjust(50_000, 40_000, "used 0% of the quota (0.00 ms of 50.00 ms in the last 100.0 ms)"));
    }
}
