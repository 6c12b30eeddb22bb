package io.alicecontainer.junit.assertions;

import io.alicecontainer.Pressure;

/** Assertions on the pressure stall (PSI) of one resource; see {@link AbstractPressureAssert}. */
public class PressureAssert extends AbstractPressureAssert<PressureAssert> {

    public PressureAssert(Pressure actual) {
        this(actual, "pressure");
    }

    /** @param name what the pressure is of, as messages say it: "cpu pressure" */
    public PressureAssert(Pressure actual, String name) {
        super(actual, name, PressureAssert.class);
    }
}
