package io.alicecontainer;

import java.time.Duration;

/**
 * Pressure stall information (PSI) of one resource in a cgroup
 * (Documentation/accounting/psi.rst): how long some or all of its tasks were stalled waiting for
 * the resource, in total and as recent averages (percent of wall time).
 *
 * @param someTotal  time in which at least one task was stalled
 * @param fullTotal  time in which all non-idle tasks were stalled at once
 * @param someAvg10  percent of the last 10 s with some stall
 * @param available  false where the kernel reports no pressure for the cgroup (pure cgroup v1,
 *                   PSI disabled); all values are zero then
 */
public record Pressure(Duration someTotal, Duration fullTotal, double someAvg10, double someAvg60, double someAvg300,
                       double fullAvg10, double fullAvg60, double fullAvg300, boolean available) implements java.io.Serializable {

    private static final Pressure UNAVAILABLE =
            new Pressure(Duration.ZERO, Duration.ZERO, 0, 0, 0, 0, 0, 0, false);

    /** No pressure information (pure cgroup v1, or PSI disabled in the kernel). */
    public static Pressure unavailable() {
        return UNAVAILABLE;
    }

    /** The stall accumulated since {@code earlier}: totals subtracted, averages as now. */
    public Pressure since(Pressure earlier) {
        if (!available || !earlier.available) return this;
        return new Pressure(someTotal.minus(earlier.someTotal), fullTotal.minus(earlier.fullTotal),
                someAvg10, someAvg60, someAvg300, fullAvg10, fullAvg60, fullAvg300, true);
    }

    @Override
    public String toString() {
        if (!available) return "unavailable";
        return String.format(java.util.Locale.ROOT, "some %.1f ms (avg10 %.2f%%), full %.1f ms",
                someTotal.toNanos() / 1e6, someAvg10, fullTotal.toNanos() / 1e6);
    }
}
