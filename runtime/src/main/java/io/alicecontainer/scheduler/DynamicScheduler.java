package io.alicecontainer.scheduler;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.alicecontainer.ContainerException;
import io.alicecontainer.cgroup.CgroupController;
import io.alicecontainer.scheduler.SchedulerDecision.Adjust;
import io.alicecontainer.scheduler.SchedulerDecision.NoChange;

/**
 * Moves one cgroup's CPU quota between the bounds of a {@link SchedulerConfig}, from what its
 * {@code cpu.stat} shows: a user-space port of the original's "ghOSt scheduling lite".
 *
 * <pre>{@code
 * try (Container c = Container.create("api", ContainerConfig.builder().build());
 *      DynamicScheduler s = DynamicScheduler.create(c.cgroup(), SchedulerConfig.lowLatency())) {
 *     s.start(d -> log.debug("{}", d));   // ticks every 1 ms on a daemon thread
 *     ...
 * }
 * }</pre>
 *
 * <p>Each {@link #tick()} reads the CPU time used and the throttle counters, and compares the
 * CPU time used over the last period with what the quota now in force allows in a period (the
 * utilization):
 * <ol>
 *   <li>utilization at or above {@code highUtilization}, or throttled since the last tick
 *       ({@code nr_throttled} grew; the kernel counts a throttled period when its period timer
 *       refills the quota, up to a period after the throttle began): the quota grows by
 *       {@code burstMultiplier}, up to the maximum;</li>
 *   <li>utilization below {@code lowUtilization}: it shrinks by {@code decayMultiplier}, down to
 *       the minimum, but not while the cgroup was throttled within the last period (a throttled
 *       cgroup shows little usage although it wants CPU);</li>
 *   <li>otherwise it stays.</li>
 * </ol>
 * A new quota is written at once: {@code cpu.max} on cgroup v2, {@code cpu.cfs_quota_us} on v1 and
 * hybrid hosts, both through {@link CgroupController#setCpuMax(long, long)}. The kernel refills the
 * cgroup's runtime and lifts a throttle on every such write (kernel/sched/core.c,
 * {@code tg_set_cfs_bandwidth}), so a raise takes effect within the current period.
 *
 * <p>Two differences from the original, which divides the usage of the tick's own window by the
 * window's wall time: the usage is measured against the quota, not against one CPU (otherwise a
 * busy cgroup held at 20% shows 0.2, never crosses the 0.9 threshold and is never raised; the
 * original's doc comment states the quota-relative rule, its code does not follow it); and over a
 * period, not a tick, because the quota is a budget per period (a 2 ms burst inside a 1 ms window
 * says nothing about it), the kernel accounts a running task's CPU time only at its scheduler tick
 * (4 ms at {@code CONFIG_HZ=250}) and hands out quota in 5 ms slices, so a 1 ms window of a busy
 * cgroup often shows no usage at all. Measured against the quota now in force, the period's usage
 * also ends the decay where it should: 40 ms used per 100 ms period stops it at 80 000 µs.
 *
 * <p>The scheduler starts the cgroup at the maximum quota, as the original does, or at a quota
 * given to {@link #create(CgroupController, SchedulerConfig, long)}. {@link #close()}
 * stops the background ticks and leaves the last quota in place: lifting it would hand a container
 * that was given a limit an unbounded share. Thread-safe: {@link #tick()}, {@link #burst()} and
 * {@link #throttle()} may be called from any thread, also while the background mode runs.
 */
public final class DynamicScheduler implements AutoCloseable {
    private final CpuQuotaTarget target;
    private final SchedulerConfig config;
    private final Object lock = new Object();
    /** Readings of the last period, for the usage over it; the first is at or before its start. */
    private final ArrayDeque<Mark> recent = new ArrayDeque<>();
    /** The target this scheduler made itself (its open stat files), closed with it. */
    private CgroupCpuTarget owned;
    private volatile long quotaUs;
    private CpuSample last;
    private long lastThrottleNanos;
    private boolean throttleSeen;
    private long ticks;
    private long adjustments;
    private boolean closed;
    private ScheduledExecutorService background;
    private volatile SchedulerListener listener;
    private volatile RuntimeException failure;
    private boolean failureReported;

    private DynamicScheduler(CpuQuotaTarget target, SchedulerConfig config) {
        this.target = target;
        this.config = config;
    }

    /**
     * A scheduler for a cgroup: writes the configured maximum quota (where the original starts)
     * and takes the first reading.
     *
     * @throws io.alicecontainer.cgroup.CgroupException when the quota cannot be written (no cpu
     *         controller for limits on this layout, a removed cgroup) or cpu.stat cannot be read
     */
    public static DynamicScheduler create(CgroupController cgroup, SchedulerConfig config) {
        return create(cgroup, config, config.maxQuotaUs());
    }

    /**
     * A scheduler for a cgroup that starts at {@code initialQuotaUs} (µs per period, brought into
     * the configured bounds), e.g. the container's configured limit.
     *
     * @throws io.alicecontainer.cgroup.CgroupException as {@link #create(CgroupController, SchedulerConfig)}
     */
    public static DynamicScheduler create(CgroupController cgroup, SchedulerConfig config, long initialQuotaUs) {
        Objects.requireNonNull(config, "config");
        CgroupCpuTarget target = new CgroupCpuTarget(cgroup, true);
        try {
            DynamicScheduler s = create(target, config, initialQuotaUs);
            s.owned = target;
            return s;
        } catch (RuntimeException e) {
            target.close();
            throw e;
        }
    }

    /** A scheduler for any {@link CpuQuotaTarget}, starting at the maximum quota. */
    public static DynamicScheduler create(CpuQuotaTarget target, SchedulerConfig config) {
        return create(target, config, config.maxQuotaUs());
    }

    /** A scheduler for any {@link CpuQuotaTarget}, starting at {@code initialQuotaUs} brought into the bounds. */
    public static DynamicScheduler create(CpuQuotaTarget target, SchedulerConfig config, long initialQuotaUs) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(config, "config");
        DynamicScheduler s = new DynamicScheduler(target, config);
        long quota = config.clamp(initialQuotaUs);
        target.applyQuota(quota, config.periodUs());
        s.quotaUs = quota;
        s.last = target.sample();
        s.recent.add(new Mark(s.last.atNanos(), s.last.usageUs()));
        return s;
    }

    public SchedulerConfig config() {
        return config;
    }

    /** The quota last written, µs per {@link SchedulerConfig#periodUs()}. */
    public long currentQuotaUs() {
        return quotaUs;
    }

    /**
     * Reads the counters, decides and writes the new quota if it changed. A tick less than half a
     * {@link SchedulerConfig#tickInterval()} after the last one measures too short a window: it
     * decides {@link NoChange} and leaves the window open for the next.
     *
     * @throws io.alicecontainer.cgroup.CgroupException when cpu.stat cannot be read or the quota
     *         cannot be written
     * @throws IllegalStateException after {@link #close()}
     */
    public SchedulerDecision tick() {
        SchedulerDecision d;
        synchronized (lock) {
            checkOpen("tick");
            CpuSample now = target.sample();
            long elapsedNanos = now.atNanos() - last.atNanos();
            if (elapsedNanos < config.tickInterval().toNanos() / 2) {
                return new NoChange(String.format(Locale.ROOT, "too soon: %.3f ms since the last tick, the interval is %s",
                        elapsedNanos / 1e6, config.tickInterval()));
            }
            long throttles = Math.max(0, now.nrThrottled() - last.nrThrottled());
            long throttledUs = Math.max(0, now.throttledUs() - last.throttledUs());
            if (throttles > 0 || throttledUs > 0) {
                throttleSeen = true;
                lastThrottleNanos = now.atNanos();
            }
            long periodNanos = config.periodUs() * 1000;
            boolean throttledRecently = throttleSeen && now.atNanos() - lastThrottleNanos <= periodNanos;
            recent.addLast(new Mark(now.atNanos(), now.usageUs()));
            while (secondOf(recent).atNanos() <= now.atNanos() - periodNanos) recent.removeFirst();
            Mark from = recent.peekFirst();
            QuotaPolicy.Window w = new QuotaPolicy.Window((now.atNanos() - from.atNanos()) / 1000,
                    Math.max(0, now.usageUs() - from.usageUs()), throttles, throttledRecently);
            last = now;
            ticks++;
            d = QuotaPolicy.decide(config, quotaUs, w);
            if (d instanceof Adjust a) write(a.newQuotaUs());
        }
        notify(d);
        return d;
    }

    /** Jumps to the maximum quota at once (and writes it, also when it is there already). */
    public SchedulerDecision burst() {
        return force(config.maxQuotaUs(), "burst");
    }

    /** Drops to the minimum quota at once (and writes it, also when it is there already). */
    public SchedulerDecision throttle() {
        return force(config.minQuotaUs(), "throttle");
    }

    private SchedulerDecision force(long newQuotaUs, String what) {
        SchedulerDecision d;
        synchronized (lock) {
            checkOpen(what);
            long old = quotaUs;
            write(newQuotaUs);
            d = old == newQuotaUs ? new NoChange(what + ": already at " + newQuotaUs + " µs")
                    : new Adjust(old, newQuotaUs, what + " requested");
        }
        notify(d);
        return d;
    }

    /** Ticks in the background at the configured interval; see {@link #start(SchedulerListener)}. */
    public DynamicScheduler start() {
        return start(d -> { });
    }

    /**
     * Ticks on a daemon thread every {@link SchedulerConfig#tickInterval()} (a fixed delay between
     * the end of one tick and the start of the next, so a stall never makes ticks bunch up), and
     * hands every decision to the listener. A failing tick stops the ticking; the listener's
     * {@link SchedulerListener#onFailure} and {@link #close()} report it.
     *
     * @throws IllegalStateException when started already, or closed
     */
    public DynamicScheduler start(SchedulerListener listener) {
        Objects.requireNonNull(listener, "listener");
        synchronized (lock) {
            checkOpen("start");
            if (background != null) throw new IllegalStateException(this + " is started already");
            this.listener = listener;
            ScheduledThreadPoolExecutor ex = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, "alice-dynamic-scheduler");
                t.setDaemon(true);
                return t;
            });
            ex.setRemoveOnCancelPolicy(true);
            long nanos = config.tickInterval().toNanos();
            ex.scheduleWithFixedDelay(this::backgroundTick, nanos, nanos, TimeUnit.NANOSECONDS);
            background = ex;
        }
        return this;
    }

    private void backgroundTick() {
        try {
            tick();
        } catch (RuntimeException e) {
            synchronized (lock) {
                if (closed) return;   // a tick racing close() on a cgroup already gone
                failure = e;
                background.shutdown();
            }
            listener.onFailure(e);
            throw e;   // ends this periodic task
        }
    }

    /** Whether the background mode is ticking. */
    public boolean isRunning() {
        synchronized (lock) {
            return background != null && !background.isShutdown();
        }
    }

    /** The failure that stopped the background ticks, if one did. */
    public Optional<RuntimeException> failure() {
        return Optional.ofNullable(failure);
    }

    /** Ticks that measured a window (not the "too soon" ones). */
    public long ticks() {
        synchronized (lock) {
            return ticks;
        }
    }

    /** Quota changes written (by ticks, {@link #burst()} and {@link #throttle()}). */
    public long adjustments() {
        synchronized (lock) {
            return adjustments;
        }
    }

    /**
     * Stops the background ticks (waiting for a running one to end) and leaves the quota as it is.
     * Idempotent.
     *
     * @throws ContainerException the first time, when a failure stopped the background ticks
     */
    @Override
    public void close() {
        ScheduledExecutorService ex;
        synchronized (lock) {
            closed = true;
            ex = background;
        }
        if (ex != null) {
            ex.shutdown();   // cancels the periodic task; a running tick ends normally (no interrupt mid-read)
            try {
                if (!ex.awaitTermination(10, TimeUnit.SECONDS)) ex.shutdownNow();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        RuntimeException f;
        synchronized (lock) {
            f = failureReported ? null : failure;
            failureReported = true;
            if (owned != null) owned.close();
        }
        if (f != null) throw new ContainerException("the background ticks of " + this + " stopped: " + f.getMessage(), f);
    }

    private record Mark(long atNanos, long usageUs) {
    }

    /** The second oldest reading; there are always two or more when this is asked. */
    private static Mark secondOf(ArrayDeque<Mark> marks) {
        Iterator<Mark> it = marks.iterator();
        it.next();
        return it.next();
    }

    private void write(long newQuotaUs) {
        target.applyQuota(newQuotaUs, config.periodUs());
        if (newQuotaUs != quotaUs) adjustments++;
        quotaUs = newQuotaUs;
    }

    private void notify(SchedulerDecision d) {
        SchedulerListener l = listener;
        if (l != null) l.onDecision(d);
    }

    private void checkOpen(String what) {
        if (closed) throw new IllegalStateException("cannot " + what + ": " + this + " is closed");
    }

    @Override
    public String toString() {
        return "DynamicScheduler[" + target + ", quota " + quotaUs + "/" + config.periodUs() + " µs]";
    }
}
