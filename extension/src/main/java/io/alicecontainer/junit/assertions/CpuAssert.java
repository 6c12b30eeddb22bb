package io.alicecontainer.junit.assertions;

import io.alicecontainer.DurationText;

import io.alicecontainer.ResourceUsage;
import org.assertj.core.api.AbstractAssert;

/** Navigation from a {@link ResourceUsage} to its CPU time and throttling, and checks on throttling. */
public class CpuAssert extends AbstractAssert<CpuAssert, ResourceUsage> {

    public CpuAssert(ResourceUsage actual) {
        super(actual, CpuAssert.class);
    }

    /** CPU time, user plus system. */
    public DurationValueAssert time() {
        isNotNull();
        return AssertionState.keep(new DurationValueAssert(actual.cpuTime(), "cpu time"), this);
    }

    public DurationValueAssert userTime() {
        isNotNull();
        return AssertionState.keep(new DurationValueAssert(actual.cpuUserTime(), "cpu user time"), this);
    }

    public DurationValueAssert systemTime() {
        isNotNull();
        return AssertionState.keep(new DurationValueAssert(actual.cpuSystemTime(), "cpu system time"), this);
    }

    /** Total time the CPU limit held the container back. */
    public DurationValueAssert throttledTime() {
        isNotNull();
        return AssertionState.keep(new DurationValueAssert(actual.throttledTime(), "cpu throttled time"), this);
    }

    /** Scheduler periods in which the CPU limit held the container back. */
    public CountAssert throttledPeriods() {
        isNotNull();
        return AssertionState.keep(new CountAssert(actual.throttledPeriods(), "cpu throttled periods"), this);
    }

    /** Checks that the CPU limit held the container back in at least one period. */
    public CpuAssert isThrottled() {
        if (reportedPeriods() == 0) throwAssertionError(ResourceMessages.shouldBeThrottled());
        return myself;
    }

    /** Checks that the CPU limit never held the container back. */
    public CpuAssert isNotThrottled() {
        long periods = reportedPeriods();
        if (periods > 0) {
            throwAssertionError(ResourceMessages.shouldNotBeThrottled(periods, DurationText.format(actual.throttledTime())));
        }
        return myself;
    }

    private long reportedPeriods() {
        isNotNull();
        if (actual.throttledPeriods() < 0) throwAssertionError(ResourceMessages.notReported("cpu throttled periods"));
        return actual.throttledPeriods();
    }
}
