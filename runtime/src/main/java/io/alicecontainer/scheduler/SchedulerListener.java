package io.alicecontainer.scheduler;

/**
 * Hears what a started {@link DynamicScheduler} decides. Called on the thread that made the
 * decision (the background thread for ticks), outside the scheduler's lock; keep it short, a slow
 * listener delays the next tick.
 */
@FunctionalInterface
public interface SchedulerListener {

    /** A decision of a tick, {@link DynamicScheduler#burst()} or {@link DynamicScheduler#throttle()}. */
    void onDecision(SchedulerDecision decision);

    /**
     * The background ticking stopped because a tick failed (the cgroup was removed, a write was
     * refused). {@link DynamicScheduler#close()} throws it too.
     */
    default void onFailure(RuntimeException failure) {
    }
}
