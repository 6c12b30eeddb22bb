package io.alicecontainer.psi;

/**
 * Receives what a {@link PsiMonitor} started with {@link PsiMonitor#start(PsiListener)} sees, on
 * the monitor's daemon thread. Keep the callbacks short: while one runs, no other event is read.
 */
@FunctionalInterface
public interface PsiListener {
    /** A trigger fired. */
    void onPressure(PressureEvent event);

    /** A trigger ended because its cgroup went away. Does nothing by default. */
    default void onDropped(TriggerDropped dropped) {
    }

    /**
     * A callback threw, or waiting failed. After a failure of the wait itself ({@link PsiException})
     * the background thread ends. By default the error is printed to stderr.
     */
    default void onError(Throwable error) {
        System.err.println("[alice] PSI monitor: " + error);
    }
}
