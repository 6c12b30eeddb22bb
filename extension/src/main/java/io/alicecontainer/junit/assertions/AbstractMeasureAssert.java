package io.alicecontainer.junit.assertions;

import io.alicecontainer.junit.assertions.ResourceMessages.Relation;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on one measured count (bytes, tasks, periods) where {@code -1} means "not reported
 * on this host": every check fails on {@code -1} instead of comparing it.
 *
 * @param <SELF> the concrete assertion, returned by every check
 */
public abstract class AbstractMeasureAssert<SELF extends AbstractMeasureAssert<SELF>> extends AbstractAssert<SELF, Long> {
    private final String measure;

    protected AbstractMeasureAssert(long actual, String measure, Class<?> selfType) {
        super(actual, selfType);
        this.measure = measure;
    }

    /** The value as messages show it: "48.0 MiB", "12". */
    protected abstract String format(long value);

    /** As {@link #format}, precise enough to tell apart two values that it shows alike. */
    protected String formatExact(long value) {
        return format(value);
    }

    /** Checks that the host reports this value (it is not {@code -1}). */
    public SELF isReported() {
        reported();
        return myself;
    }

    public SELF isLessThan(long limit) {
        return check(reported() < limit, Relation.LESS_THAN, limit);
    }

    public SELF isLessThanOrEqualTo(long limit) {
        return check(reported() <= limit, Relation.AT_MOST, limit);
    }

    /** Same as {@link #isLessThanOrEqualTo(long)}. */
    public SELF isAtMost(long limit) {
        return isLessThanOrEqualTo(limit);
    }

    public SELF isGreaterThan(long limit) {
        return check(reported() > limit, Relation.GREATER_THAN, limit);
    }

    public SELF isGreaterThanOrEqualTo(long limit) {
        return check(reported() >= limit, Relation.AT_LEAST, limit);
    }

    /** Same as {@link #isGreaterThanOrEqualTo(long)}. */
    public SELF isAtLeast(long limit) {
        return isGreaterThanOrEqualTo(limit);
    }

    public SELF isEqualTo(long expected) {
        return check(reported() == expected, Relation.EQUAL_TO, expected);
    }

    public SELF isZero() {
        return isEqualTo(0);
    }

    /** Checks {@code start <= actual <= end}. */
    public SELF isBetween(long start, long end) {
        long value = reported();
        if (value < start || value > end) {
            throwAssertionError(ResourceMessages.shouldBeBetween(measure, format(value), format(start), format(end)));
        }
        return myself;
    }

    /** The value, failing when the host does not report it. */
    protected final long reported() {
        isNotNull();
        if (actual < 0) throwAssertionError(ResourceMessages.notReported(measure));
        return actual;
    }

    private SELF check(boolean holds, Relation relation, long limit) {
        if (holds) return myself;
        boolean alike = format(actual).equals(format(limit));
        throwAssertionError(ResourceMessages.shouldBe(measure, alike ? formatExact(actual) : format(actual), relation,
                alike ? formatExact(limit) : format(limit)));
        return myself;
    }
}
