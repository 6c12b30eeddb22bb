package io.alicecontainer.junit.assertions;

import io.alicecontainer.ResourceUsage;
import org.assertj.core.api.AbstractAssert;

/** Navigation from a {@link ResourceUsage} to the pressure stall of its CPU, memory or I/O. */
public class PressuresAssert extends AbstractAssert<PressuresAssert, ResourceUsage> {

    public PressuresAssert(ResourceUsage actual) {
        super(actual, PressuresAssert.class);
    }

    public PressureAssert cpu() {
        isNotNull();
        return AssertionState.keep(new PressureAssert(actual.cpuPressure(), "cpu pressure"), this);
    }

    public PressureAssert memory() {
        isNotNull();
        return AssertionState.keep(new PressureAssert(actual.memoryPressure(), "memory pressure"), this);
    }

    public PressureAssert io() {
        isNotNull();
        return AssertionState.keep(new PressureAssert(actual.ioPressure(), "io pressure"), this);
    }
}
