package io.alicecontainer.junit.assertions;

import io.alicecontainer.Pressure;
import org.assertj.core.api.AbstractAssert;
import org.assertj.core.api.AbstractDoubleAssert;
import org.assertj.core.api.Assertions;

/**
 * Assertions on the pressure stall (PSI) of one resource. Where the host reports no pressure
 * ({@link Pressure#available()} is false) all values are zero: every check then fails and says
 * so, instead of passing for "no stall".
 *
 * @param <SELF> the concrete assertion, returned by every check
 */
public abstract class AbstractPressureAssert<SELF extends AbstractPressureAssert<SELF>>
        extends AbstractAssert<SELF, Pressure> {
    private final String name;

    /** @param name what the pressure is of, as messages say it: "cpu pressure" */
    protected AbstractPressureAssert(Pressure actual, String name, Class<?> selfType) {
        super(actual, selfType);
        this.name = name;
    }

    /** Checks that the host reports pressure for the resource (PSI on a cgroup v2 hierarchy). */
    public SELF isAvailable() {
        available();
        return myself;
    }

    /** Checks that no task ever stalled waiting for the resource (the "some" total is zero). */
    public SELF hasNoStall() {
        Pressure pressure = available();
        if (!pressure.someTotal().isZero()) throwAssertionError(ResourceMessages.shouldHaveNoStall(name, pressure));
        return myself;
    }

    /** Time in which at least one task stalled. */
    public DurationValueAssert someTotal() {
        return AssertionState.keep(new DurationValueAssert(available().someTotal(), name + " some total"), this);
    }

    /** Time in which all non-idle tasks stalled at once. */
    public DurationValueAssert fullTotal() {
        return AssertionState.keep(new DurationValueAssert(available().fullTotal(), name + " full total"), this);
    }

    /** Percent of the last 10 s in which at least one task stalled. */
    public AbstractDoubleAssert<?> someAvg10() {
        return average(available().someAvg10(), "some avg10");
    }

    public AbstractDoubleAssert<?> someAvg60() {
        return average(available().someAvg60(), "some avg60");
    }

    public AbstractDoubleAssert<?> someAvg300() {
        return average(available().someAvg300(), "some avg300");
    }

    /** Percent of the last 10 s in which all non-idle tasks stalled at once. */
    public AbstractDoubleAssert<?> fullAvg10() {
        return average(available().fullAvg10(), "full avg10");
    }

    public AbstractDoubleAssert<?> fullAvg60() {
        return average(available().fullAvg60(), "full avg60");
    }

    public AbstractDoubleAssert<?> fullAvg300() {
        return average(available().fullAvg300(), "full avg300");
    }

    private AbstractDoubleAssert<?> average(double percent, String which) {
        return AssertionState.keepNaming(Assertions.assertThat(percent), this, name + " " + which + " in percent");
    }

    private Pressure available() {
        isNotNull();
        if (!actual.available()) throwAssertionError(ResourceMessages.pressureNotReported(name));
        return actual;
    }
}
