package io.alicecontainer.psi;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import io.alicecontainer.cgroup.CgroupController;

/**
 * Raises a cgroup's CPU quota when the kernel reports CPU pressure in it, and lowers it again when
 * the pressure is gone: event-driven, by a PSI trigger on the cgroup's {@code cpu.pressure}, where
 * a {@code DynamicScheduler} would poll {@code cpu.stat}.
 *
 * <pre>{@code
 * try (PsiScheduler s = PsiScheduler.builder(container.cgroup())
 *         .quotaBoundsUs(10_000, 50_000).stepUs(20_000).calmPeriod(Duration.ofSeconds(4)).build()) {
 *     while (running) {
 *         for (QuotaDecision d : s.wait(Duration.ofSeconds(1))) log(d);
 *     }
 * }
 * }</pre>
 *
 * <p>Each pressure event raises the quota by one step, up to the maximum; when no event came for
 * the calm period, the quota goes down by one step, at most one step per calm period, down to the
 * minimum. The quota is written with {@link CgroupController#setCpuMax} ({@code cpu.max} on v2,
 * {@code cpu.cfs_quota_us} on v1 and hybrid). The trigger defaults to the original's
 * {@code some 50000 1000000} (5% of 1 s); on a kernel that takes only 2 s multiples it becomes
 * {@code some 100000 2000000}, which {@link #registration()} tells.
 *
 * <p>{@link #close()} removes the trigger; it leaves the last quota in place. Close the scheduler
 * before destroying the cgroup. Not thread-safe: one thread calls {@link #wait(Duration)}.
 */
public final class PsiScheduler implements AutoCloseable {
    private final CgroupController cgroup;
    private final PsiMonitor monitor;
    private final PsiRegistration registration;
    private final long periodUs;
    private final long minQuotaUs;
    private final long maxQuotaUs;
    private final long stepUs;
    private final Duration calm;
    private final List<QuotaDecision> history = new ArrayList<>();
    private volatile long quotaUs;
    private long lastActivityNanos;

    private PsiScheduler(Builder b, PsiMonitor monitor, PsiRegistration registration, Duration calm) {
        this.cgroup = b.cgroup;
        this.monitor = monitor;
        this.registration = registration;
        this.periodUs = b.periodUs;
        this.minQuotaUs = b.minQuotaUs;
        this.maxQuotaUs = b.maxQuotaUs;
        this.stepUs = b.stepUs;
        this.calm = calm;
        this.quotaUs = b.initialQuotaUs == null ? b.minQuotaUs : b.initialQuotaUs;
        this.lastActivityNanos = System.nanoTime();
    }

    /** A builder for a scheduler of {@code cgroup}, which needs a cgroup2 directory (v2 or hybrid). */
    public static Builder builder(CgroupController cgroup) {
        return new Builder(Objects.requireNonNull(cgroup, "cgroup"));
    }

    /**
     * The original's loop step: waits at most {@code timeout} for pressure events or the end of a
     * calm period, applies what they call for and returns as soon as it decided something (the
     * decisions, oldest first), or an empty list when the timeout passed without a decision. A
     * zero timeout takes the events that are pending and does not block (the original's tick).
     *
     * @throws IllegalStateException when the scheduler is closed or the kernel dropped its trigger
     *                               (the cgroup was removed)
     */
    public List<QuotaDecision> wait(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<QuotaDecision> made = new ArrayList<>();
        for (;;) {
            if (!registration.isActive()) {
                throw new IllegalStateException("the PSI scheduler of " + cgroup.name() + " has no trigger any more: "
                        + registration.endReason().orElse("?"));
            }
            long now = System.nanoTime();
            if (calmOver(now)) {
                made.add(lower(now));
                return made;
            }
            long calmEnds = lastActivityNanos + calm.toNanos();
            long until = quotaUs > minQuotaUs && calmEnds - deadline < 0 ? calmEnds : deadline;
            // Polls at least once, also for a zero timeout: pending events are taken then.
            for (PressureEvent e : monitor.poll(Duration.ofNanos(Math.max(0, until - now)))) made.add(raise(e));
            if (!made.isEmpty()) return made;
            now = System.nanoTime();
            if (now - deadline >= 0) {
                if (calmOver(now)) made.add(lower(now));
                return made;
            }
        }
    }

    private boolean calmOver(long now) {
        return quotaUs > minQuotaUs && now - (lastActivityNanos + calm.toNanos()) >= 0;
    }

    private QuotaDecision raise(PressureEvent e) {
        lastActivityNanos = System.nanoTime();
        long old = quotaUs;
        String why = "cpu pressure event (" + e.kind().keyword() + " " + PsiFormat.duration(e.threshold()) + " per "
                + PsiFormat.duration(e.window()) + ")";
        QuotaDecision d;
        if (old >= maxQuotaUs) {
            d = new QuotaDecision.Unchanged(old, old, why + ", quota already at its maximum " + maxQuotaUs + " µs", e.when());
        } else {
            long q = Math.min(maxQuotaUs, old + stepUs);
            apply(q);
            d = new QuotaDecision.Raised(old, q, why, e.when());
        }
        history.add(d);
        return d;
    }

    private QuotaDecision lower(long now) {
        long quiet = now - lastActivityNanos;
        lastActivityNanos = now;
        long old = quotaUs;
        long q = Math.max(minQuotaUs, old - stepUs);
        apply(q);
        QuotaDecision d = new QuotaDecision.Lowered(old, q, "no cpu pressure event for " + PsiFormat.duration(Duration.ofMillis(quiet / 1_000_000))
                + " (calm period " + PsiFormat.duration(calm) + ")", Instant.now());
        history.add(d);
        return d;
    }

    private void apply(long q) {
        cgroup.setCpuMax(q, periodUs);
        quotaUs = q;
    }

    /** The quota now, in µs per {@link #periodUs()}. */
    public long quotaUs() {
        return quotaUs;
    }

    public long periodUs() {
        return periodUs;
    }

    public long minQuotaUs() {
        return minQuotaUs;
    }

    public long maxQuotaUs() {
        return maxQuotaUs;
    }

    public Duration calmPeriod() {
        return calm;
    }

    /** The cgroup's cpu pressure trigger: requested, effective and why. */
    public PsiRegistration registration() {
        return registration;
    }

    /** Every decision so far, oldest first. */
    public List<QuotaDecision> decisions() {
        return List.copyOf(history);
    }

    /** Removes the trigger and closes the monitor; the quota stays as it is. */
    @Override
    public void close() {
        monitor.close();
    }

    @Override
    public String toString() {
        return "PsiScheduler[" + cgroup.name() + ", quota " + quotaUs + "/" + periodUs + " µs in " + minQuotaUs + ".." + maxQuotaUs
                + ", step " + stepUs + ", calm " + PsiFormat.duration(calm) + ", " + registration.effectiveTrigger().line() + "]";
    }

    /** Settings of a {@link PsiScheduler}; each is checked when set, the whole when built. */
    public static final class Builder {
        private final CgroupController cgroup;
        private PsiTrigger trigger = PsiTrigger.parse(PsiResource.CPU, "some 50000 1000000");
        private long periodUs = 100_000;
        private long minQuotaUs = 10_000;
        private long maxQuotaUs = 100_000;
        private long stepUs = 10_000;
        private Long initialQuotaUs;
        private Duration calm;

        private Builder(CgroupController cgroup) {
            this.cgroup = cgroup;
        }

        /** The cpu trigger, e.g. {@code "some 50000 1000000"} (the default); it is placed on the cgroup. */
        public Builder trigger(String line) {
            return trigger(PsiTrigger.parse(PsiResource.CPU, line));
        }

        /** The cpu trigger; its scope is replaced by the cgroup. */
        public Builder trigger(PsiTrigger t) {
            if (Objects.requireNonNull(t, "trigger").resource() != PsiResource.CPU) {
                throw new IllegalArgumentException("a PsiScheduler reacts to cpu pressure, but the trigger is for " + t.resource().key());
            }
            this.trigger = t.systemWide();
            return this;
        }

        /** The CFS period, 1000..1000000 µs (default 100000). */
        public Builder periodUs(long us) {
            if (us < 1000 || us > 1_000_000) throw new IllegalArgumentException("periodUs must be 1000..1000000, was " + us);
            this.periodUs = us;
            return this;
        }

        /** The quota's bounds in µs per period (default 10000..100000: 10% to 100% of one CPU). */
        public Builder quotaBoundsUs(long min, long max) {
            if (min < 1000) throw new IllegalArgumentException("the minimum quota must be at least 1000 µs, was " + min);
            if (max < min) throw new IllegalArgumentException("the maximum quota " + max + " µs is below the minimum " + min + " µs");
            this.minQuotaUs = min;
            this.maxQuotaUs = max;
            return this;
        }

        /** How much one decision changes the quota, in µs (default 10000). */
        public Builder stepUs(long us) {
            if (us <= 0) throw new IllegalArgumentException("stepUs must be positive, was " + us);
            this.stepUs = us;
            return this;
        }

        /** The quota written when the scheduler is built (default: the minimum). */
        public Builder initialQuotaUs(long us) {
            this.initialQuotaUs = us;
            return this;
        }

        /**
         * How long without a pressure event before the quota goes down a step (default: twice the
         * effective window). It must not be shorter than the effective window: the kernel signals
         * a trigger at most once per window, so a shorter calm period would lower the quota
         * between two events of a cgroup that stays stalled.
         */
        public Builder calmPeriod(Duration d) {
            if (d == null || d.isNegative() || d.isZero()) throw new IllegalArgumentException("calmPeriod must be positive, was " + d);
            this.calm = d;
            return this;
        }

        /**
         * Registers the trigger on the cgroup's {@code cpu.pressure} and writes the initial quota.
         *
         * @throws IllegalArgumentException for inconsistent settings, or a calm period shorter
         *                                  than the effective window
         * @throws PsiException             when the kernel refuses the trigger
         */
        public PsiScheduler build() {
            long initial = initialQuotaUs == null ? minQuotaUs : initialQuotaUs;
            if (initial < minQuotaUs || initial > maxQuotaUs) {
                throw new IllegalArgumentException("the initial quota " + initial + " µs is outside " + minQuotaUs + ".." + maxQuotaUs + " µs");
            }
            PsiTrigger t = trigger.in(cgroup);
            PsiMonitor monitor = PsiMonitor.open();
            try {
                PsiRegistration r = monitor.register(t);
                Duration window = r.effectiveTrigger().window();
                Duration c = calm == null ? window.multipliedBy(2) : calm;
                if (c.compareTo(window) < 0) {
                    throw new IllegalArgumentException("calmPeriod " + PsiFormat.duration(c) + " is shorter than the effective trigger window "
                            + PsiFormat.duration(window) + " (" + r.reason() + "): the kernel signals at most once per window, "
                            + "so the quota would drop between two events of a cgroup that stays stalled");
                }
                PsiScheduler s = new PsiScheduler(this, monitor, r, c);
                s.apply(initial);
                return s;
            } catch (RuntimeException e) {
                monitor.close();
                throw e;
            }
        }
    }
}
