package io.alicecontainer.scheduler;

import java.util.Objects;

/**
 * What one {@link DynamicScheduler#tick()} (or {@link DynamicScheduler#burst()},
 * {@link DynamicScheduler#throttle()}) did to the quota: either {@link Adjust} (written to the
 * cgroup) or {@link NoChange}. The reason says why in words, with the measurements behind it:
 * "used 97% of the quota (9.7 ms of 10.0 ms in 10.0 ms)".
 */
public sealed interface SchedulerDecision {

    /** Why the scheduler decided so. */
    String reason();

    /**
     * The quota moved from {@code oldQuotaUs} to {@code newQuotaUs} (µs per period) and the new one
     * was written to the cgroup.
     */
    record Adjust(long oldQuotaUs, long newQuotaUs, String reason) implements SchedulerDecision {
        public Adjust {
            Objects.requireNonNull(reason, "reason");
        }

        /** Whether the quota went up. */
        public boolean isIncrease() {
            return newQuotaUs > oldQuotaUs;
        }
    }

    /** The quota stays as it is; nothing was written. */
    record NoChange(String reason) implements SchedulerDecision {
        public NoChange {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
