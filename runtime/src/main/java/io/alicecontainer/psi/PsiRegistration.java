package io.alicecontainer.psi;

import java.util.Optional;

/**
 * A trigger registered with a {@link PsiMonitor}: what was asked for, what the kernel accepted
 * and why they differ. {@link #close()} removes the trigger (closing the monitor does too).
 *
 * <pre>{@code
 * PsiRegistration r = monitor.register(PsiTrigger.parse(PsiResource.CPU, "some 150000 1000000").in(cgroup));
 * r.requestedTrigger().line();  // "some 150000 1000000"
 * r.effectiveTrigger().line();  // "some 300000 2000000" on a kernel that refused the 1 s window
 * r.reason();                   // "the kernel refused the window 1 s (...): this process lacks CAP_SYS_RESOURCE, ..."
 * }</pre>
 */
public final class PsiRegistration implements AutoCloseable {
    private final PsiMonitor monitor;
    private final long id;
    final int fd;
    private final PsiTrigger requested;
    private final PsiTrigger effective;
    private final String reason;
    private volatile String endReason;
    /** The file's cumulative stall (µs) when the trigger was written, -1 if unknown. */
    final long baselineStallUs;
    private final java.util.concurrent.atomic.AtomicLong ignoredStale = new java.util.concurrent.atomic.AtomicLong();

    PsiRegistration(PsiMonitor monitor, long id, int fd, PsiTrigger requested, PsiTrigger effective, String reason,
                    long baselineStallUs) {
        this.monitor = monitor;
        this.id = id;
        this.fd = fd;
        this.requested = requested;
        this.effective = effective;
        this.reason = reason;
        this.baselineStallUs = baselineStallUs;
    }

    /** The monitor's number for this trigger, carried by its {@link PressureEvent}s. */
    public long id() {
        return id;
    }

    /** The trigger as it was passed to {@link PsiMonitor#register}. */
    public PsiTrigger requestedTrigger() {
        return requested;
    }

    /** The trigger the kernel accepted and signals: the requested one, or its adaptation. */
    public PsiTrigger effectiveTrigger() {
        return effective;
    }

    /** Whether the effective trigger differs from the requested one. */
    public boolean isAdapted() {
        return !requested.equals(effective);
    }

    /** Why the effective trigger is what it is, e.g. "accepted as requested" or why it was adapted. */
    public String reason() {
        return reason;
    }

    /**
     * How many signals of this trigger the monitor ignored as stale: the kernel signalled, but the
     * stall since the trigger was written is below its threshold. Unprivileged triggers need this:
     * their first evaluation measures from a baseline the kernel does not keep up to date for them
     * (psi_trigger_create() takes {@code total[PSI_POLL]}, which only the privileged poller
     * updates), so stall from before the registration, even long before, can fire them once.
     */
    public long ignoredStaleEvents() {
        return ignoredStale.get();
    }

    void ignoredStale() {
        ignoredStale.incrementAndGet();
    }

    /** False once the trigger was closed, dropped by the kernel, or its monitor closed. */
    public boolean isActive() {
        return endReason == null;
    }

    /** Why the trigger is no longer active, empty while it is. */
    public Optional<String> endReason() {
        return Optional.ofNullable(endReason);
    }

    void end(String why) {
        if (endReason == null) endReason = why;
    }

    /** Removes the trigger from its monitor and closes its file. Idempotent. */
    @Override
    public void close() {
        monitor.unregister(this, "closed");
    }

    @Override
    public String toString() {
        return "PsiRegistration[#" + id + " " + effective + (isAdapted() ? " (requested " + requested.line() + ")" : "")
                + (endReason == null ? "" : ", ended: " + endReason) + "]";
    }
}
