package io.alicecontainer.scheduler;

import java.util.Locale;

/**
 * The decision of one tick, a pure function of the configuration, the quota in force and what the
 * counters did (kept apart so it can be tested without a cgroup). The rules and why they measure
 * over a period against the quota: {@link DynamicScheduler}.
 */
final class QuotaPolicy {
    private QuotaPolicy() {
    }

    /**
     * What the counters did.
     *
     * @param spanUs                the time the usage was measured over: the last period, or less
     *                              right after the first reading
     * @param usageUs               CPU time used in that time
     * @param throttles             periods in which the cgroup ran out of quota, since the last tick
     * @param throttledWithinPeriod whether a throttle was seen within the last period, this tick included
     */
    record Window(long spanUs, long usageUs, long throttles, boolean throttledWithinPeriod) {
    }

    static SchedulerDecision decide(SchedulerConfig c, long quotaUs, Window w) {
        double allowedUs = (double) w.spanUs() * quotaUs / c.periodUs();
        double utilization = allowedUs > 0 ? w.usageUs() / allowedUs : 0;
        String used = String.format(Locale.ROOT, "used %.0f%% of the quota (%.2f ms of %.2f ms in the last %.1f ms)",
                utilization * 100, w.usageUs() / 1000.0, allowedUs / 1000.0, w.spanUs() / 1000.0);
        if (w.throttles() > 0 || utilization >= c.highUtilization()) {
            String why = w.throttles() > 0 ? "throttled " + w.throttles() + (w.throttles() == 1 ? " time, " : " times, ") + used : used;
            if (quotaUs >= c.maxQuotaUs()) return new SchedulerDecision.NoChange(why + "; already at the maximum " + c.maxQuotaUs() + " µs");
            return new SchedulerDecision.Adjust(quotaUs, c.clamp(quotaUs * c.burstMultiplier()), why);
        }
        if (utilization < c.lowUtilization()) {
            // A throttled stretch shows little usage although the cgroup wants CPU.
            if (w.throttledWithinPeriod()) return new SchedulerDecision.NoChange(used + ", but it was throttled within the last period");
            if (quotaUs <= c.minQuotaUs()) return new SchedulerDecision.NoChange(used + "; already at the minimum " + c.minQuotaUs() + " µs");
            return new SchedulerDecision.Adjust(quotaUs, c.clamp(quotaUs * c.decayMultiplier()), used);
        }
        return new SchedulerDecision.NoChange(String.format(Locale.ROOT, "%s, between the thresholds %.0f%% and %.0f%%",
                used, c.lowUtilization() * 100, c.highUtilization() * 100));
    }
}
