package io.alicecontainer.psi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.alicecontainer.internal.Errno;

/**
 * The kernel's rule for unprivileged triggers and how the monitor adapts to it. psi_trigger_create()
 * (kernel/sched/psi.c, since Linux 6.5, "sched/psi: Allow unprivileged polling of N*2s period"):
 * without CAP_SYS_RESOURCE in the opener's credentials, {@code window_us % 2000000} must be 0;
 * such triggers are evaluated by the averaging worker every ~2 s instead of an RT "psimon" thread.
 */
final class PsiWindows {
    static final long GRANULE_US = 2_000_000;
    private static final long MAX_WINDOW_US = PsiTrigger.MAX_WINDOW.toNanos() / 1000;
    /** include/uapi/linux/capability.h */
    private static final int CAP_SYS_RESOURCE = 24;

    private PsiWindows() {
    }

    /** Whether an unprivileged opener may use this window: a multiple of 2 s, at most 10 s. */
    static boolean acceptedUnprivileged(Duration window) {
        long us = PsiTrigger.micros(window);
        return us % GRANULE_US == 0 && us >= GRANULE_US && us <= MAX_WINDOW_US;
    }

    /** The accepted window nearest to {@code window}: 2, 4, 6, 8 or 10 s; a tie goes to the longer one. */
    static Duration nearestUnprivileged(Duration window) {
        long n = (PsiTrigger.micros(window) + GRANULE_US / 2) / GRANULE_US;
        n = Math.max(1, Math.min(MAX_WINDOW_US / GRANULE_US, n));
        return Duration.ofNanos(n * GRANULE_US * 1000);
    }

    /**
     * The trigger on the nearest accepted window, its threshold scaled by the same factor: a
     * trigger means "stalled for this share of the window", and keeping the share keeps the
     * meaning (150 ms per 1 s, 15%, becomes 300 ms per 2 s). Keeping 150 ms would fire at 7.5%.
     */
    static PsiTrigger adapt(PsiTrigger requested) {
        Duration window = nearestUnprivileged(requested.window());
        long w = PsiTrigger.micros(window);
        long t = Math.round((double) PsiTrigger.micros(requested.threshold()) * w / PsiTrigger.micros(requested.window()));
        t = Math.max(1, Math.min(w - 1, t));
        return requested.with(Duration.ofNanos(t * 1000), window);
    }

    /** Why the effective trigger differs from the requested one, in one sentence. */
    static String adaptedReason(PsiTrigger requested, PsiTrigger effective, int errno) {
        String share = String.format(java.util.Locale.ROOT, "%.1f%%",
                100.0 * requested.threshold().toNanos() / requested.window().toNanos()).replace(".0%", "%");
        return "the kernel refused the window " + PsiFormat.duration(requested.window()) + " (`" + requested.line() + "`: "
                + Errno.describe(errno) + "): " + capabilityClause()
                + " accepts only windows that are multiples of 2 s (psi.rst); adapted to the nearest accepted window, "
                + PsiFormat.duration(effective.window()) + ", with the threshold scaled from " + PsiFormat.duration(requested.threshold())
                + " to " + PsiFormat.duration(effective.threshold()) + " to keep the same " + share + " of the window (`"
                + effective.line() + "`)";
    }

    /** For a trigger the kernel took as it was. */
    static String acceptedReason() {
        return hasCapSysResource() ? "accepted as requested"
                : "accepted as requested (without CAP_SYS_RESOURCE the kernel evaluates it with the averages, every ~2 s)";
    }

    private static String capabilityClause() {
        return hasCapSysResource() ? "although this process has CAP_SYS_RESOURCE, the kernel"
                : "this process lacks CAP_SYS_RESOURCE, and without it the kernel";
    }

    /** CAP_SYS_RESOURCE in this process's effective set (/proc/self/status CapEff). */
    static boolean hasCapSysResource() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapEff:")) {
                    return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & (1L << CAP_SYS_RESOURCE)) != 0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return false;
        }
        return false;
    }
}
