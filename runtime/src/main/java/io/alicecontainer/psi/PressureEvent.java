package io.alicecontainer.psi;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * The kernel signalled a trigger: the group was stalled for at least {@code threshold} within the
 * last {@code window}. The values are those of the effective trigger (see {@link
 * PsiRegistration#effectiveTrigger()}). The kernel signals a trigger at most once per window.
 *
 * @param triggerId the {@link PsiRegistration#id()} of the trigger
 * @param resource  cpu, memory or io
 * @param kind      some or full
 * @param threshold the effective stall threshold
 * @param window    the effective window
 * @param cgroup    the cgroup2 directory, or null for a system-wide trigger
 * @param when      when the monitor received the event
 */
public record PressureEvent(long triggerId, PsiResource resource, PsiKind kind, Duration threshold, Duration window,
                            Path cgroup, Instant when) {

    static PressureEvent of(PsiRegistration r, Instant when) {
        PsiTrigger t = r.effectiveTrigger();
        return new PressureEvent(r.id(), t.resource(), t.kind(), t.threshold(), t.window(), t.cgroup(), when);
    }

    public boolean isSystemWide() {
        return cgroup == null;
    }

    /** The effective trigger that fired. */
    public PsiTrigger trigger() {
        return new PsiTrigger(resource, kind, threshold, window, cgroup);
    }

    @Override
    public String toString() {
        return "PressureEvent[#" + triggerId + " " + trigger() + " at " + when + "]";
    }
}
