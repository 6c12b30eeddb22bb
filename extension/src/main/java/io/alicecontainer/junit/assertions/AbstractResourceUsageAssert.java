package io.alicecontainer.junit.assertions;

import io.alicecontainer.ResourceUsage;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on what a container used. Navigate to a figure and check it:
 * {@code assertThat(usage).memory().peak().isLessThan(mebibytes(64))},
 * {@code assertThat(usage).cpu().time().isLessThan("500ms")}. A figure this host does not report
 * fails every check on it.
 *
 * @param <SELF> the concrete assertion, returned by every check
 */
public abstract class AbstractResourceUsageAssert<SELF extends AbstractResourceUsageAssert<SELF>>
        extends AbstractAssert<SELF, ResourceUsage> {

    protected AbstractResourceUsageAssert(ResourceUsage actual, Class<?> selfType) {
        super(actual, selfType);
    }

    /** Peak and current memory. */
    public MemoryAssert memory() {
        isNotNull();
        return AssertionState.keep(new MemoryAssert(actual), this);
    }

    /** CPU time and throttling. */
    public CpuAssert cpu() {
        isNotNull();
        return AssertionState.keep(new CpuAssert(actual), this);
    }

    /** Peak and current number of tasks. */
    public PidsAssert pids() {
        isNotNull();
        return AssertionState.keep(new PidsAssert(actual), this);
    }

    /** Bytes read and written by block I/O. */
    public IoAssert io() {
        isNotNull();
        return AssertionState.keep(new IoAssert(actual), this);
    }

    /** Pressure stall (PSI) of CPU, memory and I/O. */
    public PressuresAssert pressure() {
        isNotNull();
        return AssertionState.keep(new PressuresAssert(actual), this);
    }

    /** Processes killed by the OOM killer in the container. */
    public CountAssert oomKills() {
        isNotNull();
        return AssertionState.keep(new CountAssert(actual.oomKills(), "oom kills"), this);
    }

    /** Checks that the OOM killer killed no process in the container. */
    public SELF hasNoOomKills() {
        long kills = reportedOomKills();
        if (kills > 0) throwAssertionError(ResourceMessages.shouldHaveNoOomKills(kills, actual.memoryPeakBytes()));
        return myself;
    }

    /** Checks that the OOM killer killed at least one process in the container. */
    public SELF hasOomKills() {
        if (reportedOomKills() == 0) throwAssertionError(ResourceMessages.shouldHaveOomKills(actual.memoryPeakBytes()));
        return myself;
    }

    private long reportedOomKills() {
        isNotNull();
        if (actual.oomKills() < 0) throwAssertionError(ResourceMessages.notReported("oom kills"));
        return actual.oomKills();
    }
}
