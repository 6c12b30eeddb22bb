package io.alicecontainer.junit.assertions;

/** Assertions on a count the kernel keeps (tasks, throttled periods, OOM kills). */
public class CountAssert extends AbstractMeasureAssert<CountAssert> {

    public CountAssert(long actual, String measure) {
        super(actual, measure, CountAssert.class);
    }

    public CountAssert isPositive() {
        return isGreaterThan(0);
    }

    @Override
    protected String format(long value) {
        return Long.toString(value);
    }
}
