package io.alicecontainer.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.time.Duration;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The presets carry the original's table; the builder validates at once. */
@DisplayName("SchedulerConfig: presets and validation")
class SchedulerConfigTests {

    @Test
    @DisplayName("defaults(): 1 ms target, 10%..100% of a 100 ms period, a 10 ms tick, x1.5 up, x0.8 down")
    void defaultsPreset() {
        SchedulerConfig c = SchedulerConfig.defaults();

        assertThat(c.targetLatency()).isEqualTo(Duration.ofMillis(1));
        assertThat(c.minQuotaUs()).isEqualTo(10_000);
        assertThat(c.maxQuotaUs()).isEqualTo(100_000);
        assertThat(c.periodUs()).isEqualTo(100_000);
        assertThat(c.tickInterval()).isEqualTo(Duration.ofMillis(10));
        assertThat(c.burstMultiplier()).isEqualTo(1.5);
        assertThat(c.decayMultiplier()).isEqualTo(0.8);
        assertThat(c.lowUtilization()).isEqualTo(0.5);
        assertThat(c.highUtilization()).isEqualTo(0.9);
    }

    @Test
    @DisplayName("lowLatency(): 100 µs target, 50%..100%, a 1 ms tick, x2 up")
    void lowLatencyPreset() {
        SchedulerConfig c = SchedulerConfig.lowLatency();

        assertThat(c.targetLatency()).isEqualTo(Duration.ofNanos(100_000));
        assertThat(c.minQuotaUs()).isEqualTo(50_000);
        assertThat(c.maxQuotaUs()).isEqualTo(100_000);
        assertThat(c.periodUs()).isEqualTo(100_000);
        assertThat(c.tickInterval()).isEqualTo(Duration.ofMillis(1));
        assertThat(c.burstMultiplier()).isEqualTo(2.0);
        assertThat(c.decayMultiplier()).isEqualTo(0.8);
    }

    @Test
    @DisplayName("batch(): 100 ms target, 10%..50%, a 100 ms tick, x1.2 up")
    void batchPreset() {
        SchedulerConfig c = SchedulerConfig.batch();

        assertThat(c.targetLatency()).isEqualTo(Duration.ofMillis(100));
        assertThat(c.minQuotaUs()).isEqualTo(10_000);
        assertThat(c.maxQuotaUs()).isEqualTo(50_000);
        assertThat(c.periodUs()).isEqualTo(100_000);
        assertThat(c.tickInterval()).isEqualTo(Duration.ofMillis(100));
        assertThat(c.burstMultiplier()).isEqualTo(1.2);
    }

    @Test
    @DisplayName("a builder from a preset changes only what it is told")
    void builderFromPreset() {
        SchedulerConfig c = SchedulerConfig.lowLatency().toBuilder().tickInterval(Duration.ofMillis(5)).quotaRange(20_000, 200_000).build();

        assertThat(c).isEqualTo(new SchedulerConfig(SchedulerConfig.lowLatency().targetLatency(), 20_000, 200_000, 100_000,
                Duration.ofMillis(5), 2.0, 0.8, 0.5, 0.9));
        assertThat(SchedulerConfig.builder().build()).isEqualTo(SchedulerConfig.defaults());
    }

    @Test
    @DisplayName("bad quotas and periods are refused, naming the field and the value")
    void shouldRefuseBadQuotas() {
        assertThatIllegalArgumentException().isThrownBy(() -> SchedulerConfig.builder().quotaRange(999, 100_000).build())
                .withMessage("minQuotaUs must be at least 1000 µs (the kernel's minimum quota), was 999");
        assertThatIllegalArgumentException().isThrownBy(() -> SchedulerConfig.builder().quotaRange(60_000, 50_000).build())
                .withMessage("maxQuotaUs 50000 is below minQuotaUs 60000");
        assertThatIllegalArgumentException().isThrownBy(() -> SchedulerConfig.builder().periodUs(999).build())
                .withMessage("periodUs must be 1000..1000000 µs, was 999");
        assertThatIllegalArgumentException().isThrownBy(() -> SchedulerConfig.builder().periodUs(1_000_001).build())
                .withMessage("periodUs must be 1000..1000000 µs, was 1000001");
    }

    @Test
    @DisplayName("bad intervals, factors and thresholds are refused, naming the field and the value")
    void shouldRefuseBadSteps() {
        assertThatIllegalArgumentException().isThrownBy(() -> SchedulerConfig.builder().tickInterval(Duration.ofNanos(999_999)).build())
                .withMessage("tickInterval must be at least 1 ms, was PT0.000999999S");
        assertThatIllegalArgumentException().isThrownBy(() -> SchedulerConfig.builder().targetLatency(Duration.ZERO).build())
                .withMessage("targetLatency must be positive, was PT0S");
        assertThatIllegalArgumentException().isThrownBy(() -> SchedulerConfig.builder().burstMultiplier(1.0).build())
                .withMessage("burstMultiplier must be a finite number above 1, was 1.0");
        assertThatIllegalArgumentException().isThrownBy(() -> SchedulerConfig.builder().burstMultiplier(Double.NaN).build())
                .withMessageContaining("was NaN");
        assertThatIllegalArgumentException().isThrownBy(() -> SchedulerConfig.builder().decayMultiplier(1.0).build())
                .withMessage("decayMultiplier must be between 0 and 1 (exclusive), was 1.0");
        assertThatIllegalArgumentException().isThrownBy(() -> SchedulerConfig.builder().utilizationThresholds(0.9, 0.5).build())
                .withMessage("utilization thresholds must satisfy 0 <= low < high <= 1, were low 0.9 and high 0.5");
        assertThatNullPointerException().isThrownBy(() -> SchedulerConfig.builder().tickInterval(null).build())
                .withMessage("tickInterval");
    }
}
