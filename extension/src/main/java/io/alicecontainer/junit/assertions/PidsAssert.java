package io.alicecontainer.junit.assertions;

import io.alicecontainer.ResourceUsage;
import org.assertj.core.api.AbstractAssert;

/** Navigation from a {@link ResourceUsage} to its task counts (the pids controller). */
public class PidsAssert extends AbstractAssert<PidsAssert, ResourceUsage> {

    public PidsAssert(ResourceUsage actual) {
        super(actual, PidsAssert.class);
    }

    /** Highest number of tasks (processes and threads) at once. */
    public CountAssert peak() {
        isNotNull();
        return AssertionState.keep(new CountAssert(actual.pidsPeak(), "peak pids"), this);
    }

    /** Number of tasks when the usage was read. */
    public CountAssert current() {
        isNotNull();
        return AssertionState.keep(new CountAssert(actual.pidsCurrent(), "current pids"), this);
    }
}
