package io.alicecontainer.scheduler;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * How a {@link DynamicScheduler} moves a cgroup's CPU quota: its bounds, its period, how often it
 * looks and how far it steps. Immutable; validated when built.
 *
 * <p>The presets carry the numbers of the original's {@code SchedulerConfig} table
 * ({@code scheduler.rs}); quotas are µs of CPU time per period, so with the 100 ms period
 * 100 000 µs is one whole CPU:
 * <table>
 *   <caption>Presets</caption>
 *   <tr><th>preset</th><th>target latency</th><th>min quota</th><th>max quota</th><th>period</th>
 *       <th>tick</th><th>burst ×</th><th>decay ×</th><th>low / high utilization</th></tr>
 *   <tr><td>{@link #defaults()}</td><td>1 ms</td><td>10 000 µs (10%)</td><td>100 000 µs (100%)</td>
 *       <td>100 ms</td><td>10 ms</td><td>1.5</td><td>0.8</td><td>0.5 / 0.9</td></tr>
 *   <tr><td>{@link #lowLatency()}</td><td>100 µs</td><td>50 000 µs (50%)</td><td>100 000 µs (100%)</td>
 *       <td>100 ms</td><td>1 ms</td><td>2.0</td><td>0.8</td><td>0.5 / 0.9</td></tr>
 *   <tr><td>{@link #batch()}</td><td>100 ms</td><td>10 000 µs (10%)</td><td>50 000 µs (50%)</td>
 *       <td>100 ms</td><td>100 ms</td><td>1.2</td><td>0.8</td><td>0.5 / 0.9</td></tr>
 * </table>
 *
 * @param targetLatency   the latency the workload aims for. Carried over from the original, which
 *                        declares it but never reads it; the tick logic here does not use it either
 *                        (see {@link DynamicScheduler}), it is there for callers and reports
 * @param minQuotaUs      the lowest quota the scheduler sets, µs per period (the kernel's minimum is 1000)
 * @param maxQuotaUs      the highest quota, µs per period; above {@code periodUs} means more than one CPU
 * @param periodUs        the CFS bandwidth period, 1000..1000000 µs
 * @param tickInterval    how often the background mode ticks, at least 1 ms
 * @param burstMultiplier factor (&gt; 1) the quota grows by when the cgroup is short of CPU
 * @param decayMultiplier factor (between 0 and 1) the quota shrinks by when the cgroup uses little
 *                        of it (the original's {@code throttle_multiplier})
 * @param lowUtilization  below this share of its quota the cgroup counts as underused
 * @param highUtilization at or above this share of its quota the cgroup counts as short of CPU
 *                        (the original's fixed 0.9)
 */
public record SchedulerConfig(Duration targetLatency, long minQuotaUs, long maxQuotaUs, long periodUs,
                              Duration tickInterval, double burstMultiplier, double decayMultiplier,
                              double lowUtilization, double highUtilization) {
    /** The kernel refuses a CFS quota below 1 ms (kernel/sched/core.c, {@code min_cfs_quota_period}). */
    static final long KERNEL_MIN_QUOTA_US = 1_000;
    static final long MIN_PERIOD_US = 1_000;
    static final long MAX_PERIOD_US = 1_000_000;

    /** Validates every field; the message names the field and quotes the value. */
    public SchedulerConfig {
        Objects.requireNonNull(targetLatency, "targetLatency");
        Objects.requireNonNull(tickInterval, "tickInterval");
        if (targetLatency.isNegative() || targetLatency.isZero()) {
            throw new IllegalArgumentException("targetLatency must be positive, was " + targetLatency);
        }
        if (periodUs < MIN_PERIOD_US || periodUs > MAX_PERIOD_US) {
            throw new IllegalArgumentException("periodUs must be 1000..1000000 µs, was " + periodUs);
        }
        if (minQuotaUs < KERNEL_MIN_QUOTA_US) {
            throw new IllegalArgumentException("minQuotaUs must be at least 1000 µs (the kernel's minimum quota), was " + minQuotaUs);
        }
        if (maxQuotaUs < minQuotaUs) {
            throw new IllegalArgumentException("maxQuotaUs " + maxQuotaUs + " is below minQuotaUs " + minQuotaUs);
        }
        if (tickInterval.compareTo(Duration.ofMillis(1)) < 0) {
            throw new IllegalArgumentException("tickInterval must be at least 1 ms, was " + tickInterval);
        }
        if (!(burstMultiplier > 1.0) || Double.isInfinite(burstMultiplier)) {
            throw new IllegalArgumentException("burstMultiplier must be a finite number above 1, was " + burstMultiplier);
        }
        if (!(decayMultiplier > 0.0 && decayMultiplier < 1.0)) {
            throw new IllegalArgumentException("decayMultiplier must be between 0 and 1 (exclusive), was " + decayMultiplier);
        }
        if (!(lowUtilization >= 0.0 && lowUtilization < highUtilization && highUtilization <= 1.0)) {
            throw new IllegalArgumentException("utilization thresholds must satisfy 0 <= low < high <= 1, were low "
                    + lowUtilization + " and high " + highUtilization);
        }
    }

    /** General purpose: 10%..100% of a CPU, a tick every 10 ms (the original's {@code Default}). */
    public static SchedulerConfig defaults() {
        return new SchedulerConfig(Duration.ofMillis(1), 10_000, 100_000, 100_000, Duration.ofMillis(10), 1.5, 0.8, 0.5, 0.9);
    }

    /** Latency-sensitive: never below half a CPU, doubles at once when short, a tick every 1 ms. */
    public static SchedulerConfig lowLatency() {
        return new SchedulerConfig(Duration.of(100, ChronoUnit.MICROS), 50_000, 100_000, 100_000, Duration.ofMillis(1), 2.0, 0.8, 0.5, 0.9);
    }

    /** Batch work: 10%..50% of a CPU, grows by 20% steps, a tick every 100 ms. */
    public static SchedulerConfig batch() {
        return new SchedulerConfig(Duration.ofMillis(100), 10_000, 50_000, 100_000, Duration.ofMillis(100), 1.2, 0.8, 0.5, 0.9);
    }

    /** A builder starting from {@link #defaults()}. */
    public static Builder builder() {
        return defaults().toBuilder();
    }

    /** A builder starting from this configuration, e.g. {@code lowLatency().toBuilder().tickInterval(...)}. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The quota rounded into {@code [minQuotaUs, maxQuotaUs]}. */
    long clamp(double quotaUs) {
        return Math.max(minQuotaUs, Math.min(maxQuotaUs, Math.round(quotaUs)));
    }

    /** Collects a configuration; {@link #build()} validates it. */
    public static final class Builder {
        private Duration targetLatency;
        private long minQuotaUs;
        private long maxQuotaUs;
        private long periodUs;
        private Duration tickInterval;
        private double burstMultiplier;
        private double decayMultiplier;
        private double lowUtilization;
        private double highUtilization;

        private Builder(SchedulerConfig c) {
            targetLatency = c.targetLatency;
            minQuotaUs = c.minQuotaUs;
            maxQuotaUs = c.maxQuotaUs;
            periodUs = c.periodUs;
            tickInterval = c.tickInterval;
            burstMultiplier = c.burstMultiplier;
            decayMultiplier = c.decayMultiplier;
            lowUtilization = c.lowUtilization;
            highUtilization = c.highUtilization;
        }

        public Builder targetLatency(Duration latency) {
            this.targetLatency = latency;
            return this;
        }

        /** Both bounds at once, µs per period. */
        public Builder quotaRange(long minUs, long maxUs) {
            this.minQuotaUs = minUs;
            this.maxQuotaUs = maxUs;
            return this;
        }

        public Builder periodUs(long periodUs) {
            this.periodUs = periodUs;
            return this;
        }

        public Builder tickInterval(Duration interval) {
            this.tickInterval = interval;
            return this;
        }

        public Builder burstMultiplier(double factor) {
            this.burstMultiplier = factor;
            return this;
        }

        public Builder decayMultiplier(double factor) {
            this.decayMultiplier = factor;
            return this;
        }

        /** The share of its quota below which a cgroup counts as underused, and at or above which as short. */
        public Builder utilizationThresholds(double low, double high) {
            this.lowUtilization = low;
            this.highUtilization = high;
            return this;
        }

        /** @throws IllegalArgumentException naming the first invalid field and its value */
        public SchedulerConfig build() {
            return new SchedulerConfig(targetLatency, minQuotaUs, maxQuotaUs, periodUs, tickInterval,
                    burstMultiplier, decayMultiplier, lowUtilization, highUtilization);
        }
    }
}
