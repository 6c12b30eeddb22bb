package io.alicecontainer.psi;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.alicecontainer.cgroup.CgroupController;

/**
 * A PSI trigger (Documentation/accounting/psi.rst, "Monitoring for pressure thresholds"): notify
 * when the tasks of a group were stalled on {@code resource} for at least {@code threshold} within
 * any {@code window}. The kernel's form is {@code <some|full> <stall µs> <window µs>}, e.g.
 * {@code some 150000 1000000}: 150 ms of partial stall within 1 s.
 *
 * <pre>{@code
 * PsiTrigger t = PsiTrigger.parse(PsiResource.CPU, "some 150000 1000000").in(container.cgroup());
 * t.line();          // "some 150000 1000000"
 * t.pressureFile();  // /sys/fs/cgroup/unified/alice/job-1/cpu.pressure
 * }</pre>
 *
 * <p>Values are checked as psi.rst documents them: the window from 500 ms to 10 s, the threshold
 * at least 1 µs and below the window, both whole microseconds. The kernel adds a rule of its own
 * that this class cannot check: without {@code CAP_SYS_RESOURCE} it accepts only windows that are
 * multiples of 2 s. {@link PsiMonitor#register} adapts to that and reports it.
 *
 * @param resource  cpu, memory or io
 * @param kind      some or full stall
 * @param threshold stall time that fires the trigger
 * @param window    the sliding window the stall is summed over
 * @param cgroup    the cgroup2 directory whose pressure file is watched, or null for system-wide
 *                  ({@code /proc/pressure/<resource>})
 */
public record PsiTrigger(PsiResource resource, PsiKind kind, Duration threshold, Duration window, Path cgroup) {
    /** psi.rst: "The kernel accepts window sizes ranging from 500ms to 10s". */
    public static final Duration MIN_WINDOW = Duration.ofMillis(500);
    /** kernel/sched/psi.c WINDOW_MAX_US. */
    public static final Duration MAX_WINDOW = Duration.ofSeconds(10);

    private static final Pattern LINE = Pattern.compile("\\s*(some|full)\\s+(\\d{1,10})\\s+(\\d{1,10})\\s*");

    /**
     * Checks every value.
     *
     * @throws IllegalArgumentException naming the value and the rule it breaks
     */
    public PsiTrigger {
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(threshold, "threshold");
        Objects.requireNonNull(window, "window");
        String what = "PSI trigger `" + kind.keyword() + " " + micros(threshold) + " " + micros(window) + "` for " + resource.key();
        wholeMicros(what, "window", window);
        wholeMicros(what, "threshold", threshold);
        if (window.compareTo(MIN_WINDOW) < 0 || window.compareTo(MAX_WINDOW) > 0) {
            throw new IllegalArgumentException(what + ": the window " + PsiFormat.duration(window)
                    + " is outside 500 ms..10 s (psi.rst: the kernel accepts windows from 500 ms to 10 s)");
        }
        if (threshold.compareTo(Duration.ofNanos(1000)) < 0) {
            throw new IllegalArgumentException(what + ": the stall threshold must be at least 1 µs, was " + PsiFormat.duration(threshold));
        }
        if (threshold.compareTo(window) >= 0) {
            throw new IllegalArgumentException(what + ": the stall threshold " + PsiFormat.duration(threshold)
                    + " must be less than the window " + PsiFormat.duration(window));
        }
        if (cgroup != null && !cgroup.isAbsolute()) {
            throw new IllegalArgumentException(what + ": the cgroup directory `" + cgroup + "` must be an absolute path");
        }
    }

    /** A system-wide trigger from its parts. */
    public static PsiTrigger of(PsiResource resource, PsiKind kind, Duration threshold, Duration window) {
        return new PsiTrigger(resource, kind, threshold, window, null);
    }

    /**
     * A system-wide trigger from the kernel's form, e.g. {@code "some 150000 1000000"}.
     *
     * @throws IllegalArgumentException when the line is not {@code <some|full> <stall µs> <window µs>}
     *                                  or a value breaks a rule
     */
    public static PsiTrigger parse(PsiResource resource, String line) {
        Objects.requireNonNull(resource, "resource");
        Matcher m = LINE.matcher(line == null ? "" : line);
        if (!m.matches()) {
            throw new IllegalArgumentException("PSI trigger `" + line + "` must read `<some|full> <stall µs> <window µs>`, "
                    + "e.g. `some 150000 1000000` (150 ms of stall within 1 s)");
        }
        PsiKind kind = m.group(1).equals("some") ? PsiKind.SOME : PsiKind.FULL;
        return of(resource, kind, Duration.ofNanos(Long.parseLong(m.group(2)) * 1000), Duration.ofNanos(Long.parseLong(m.group(3)) * 1000));
    }

    /** The same trigger on a cgroup2 directory (absolute path). */
    public PsiTrigger in(Path v2Cgroup) {
        return new PsiTrigger(resource, kind, threshold, window, Objects.requireNonNull(v2Cgroup, "v2Cgroup"));
    }

    /**
     * The same trigger on a container's cgroup, in the unified hierarchy (v2 and hybrid layouts).
     *
     * @throws IllegalArgumentException on a pure cgroup v1 layout, which has no per-cgroup PSI
     */
    public PsiTrigger in(CgroupController cgroup) {
        Path v2 = cgroup.v2Path().orElseThrow(() -> new IllegalArgumentException("cgroup `" + cgroup.name()
                + "` has no cgroup2 directory (pure cgroup v1 layout): per-cgroup PSI needs the unified hierarchy; "
                + "use a system-wide trigger instead"));
        return in(v2);
    }

    /** The same trigger, system-wide. */
    public PsiTrigger systemWide() {
        return new PsiTrigger(resource, kind, threshold, window, null);
    }

    public boolean isSystemWide() {
        return cgroup == null;
    }

    /** The same trigger with another threshold and window (checked like any other). */
    public PsiTrigger with(Duration newThreshold, Duration newWindow) {
        return new PsiTrigger(resource, kind, newThreshold, newWindow, cgroup);
    }

    /** The kernel's form: {@code some 150000 1000000}. */
    public String line() {
        return kind.keyword() + " " + micros(threshold) + " " + micros(window);
    }

    /** The file the trigger is written to: {@code <cgroup>/cpu.pressure} or {@code /proc/pressure/cpu}. */
    public Path pressureFile() {
        return cgroup == null ? resource.systemFile() : cgroup.resolve(resource.cgroupFileName());
    }

    /** {@code cpu some 150 ms per 1 s in /sys/fs/cgroup/unified/x} (or {@code system-wide}). */
    @Override
    public String toString() {
        return resource.key() + " " + kind.keyword() + " " + PsiFormat.duration(threshold) + " per " + PsiFormat.duration(window)
                + (cgroup == null ? " system-wide" : " in " + cgroup);
    }

    static long micros(Duration d) {
        return d.toNanos() / 1000;
    }

    private static void wholeMicros(String what, String name, Duration d) {
        if (d.isNegative() || d.toNanos() % 1000 != 0) {
            throw new IllegalArgumentException(what + ": the " + name + " must be a positive whole number of microseconds, was " + d);
        }
    }
}
