package io.alicecontainer.junit.assertions;

import io.alicecontainer.DurationText;

import io.alicecontainer.junit.assertions.ResourceMessages.Relation;
import java.time.Duration;
import java.util.Locale;
import org.assertj.core.api.AbstractAssert;
import org.assertj.core.data.Percentage;

/**
 * Assertions on a measured duration (CPU time, throttled time, pressure stall), shown in
 * milliseconds ("412.3 ms"). Limits are {@link Duration}s or text with a unit: "500ms", "2s", "250us".
 */
public class DurationValueAssert extends AbstractAssert<DurationValueAssert, Duration> {
    private final String measure;

    public DurationValueAssert(Duration actual, String measure) {
        super(actual, DurationValueAssert.class);
        this.measure = measure;
    }

    public DurationValueAssert isLessThan(Duration limit) {
        return check(compared(limit) < 0, Relation.LESS_THAN, limit);
    }

    public DurationValueAssert isLessThan(String limit) {
        return isLessThan(DurationText.parse(limit));
    }

    public DurationValueAssert isLessThanOrEqualTo(Duration limit) {
        return check(compared(limit) <= 0, Relation.AT_MOST, limit);
    }

    /** Same as {@link #isLessThanOrEqualTo(Duration)}. */
    public DurationValueAssert isAtMost(Duration limit) {
        return isLessThanOrEqualTo(limit);
    }

    public DurationValueAssert isAtMost(String limit) {
        return isLessThanOrEqualTo(DurationText.parse(limit));
    }

    public DurationValueAssert isGreaterThan(Duration limit) {
        return check(compared(limit) > 0, Relation.GREATER_THAN, limit);
    }

    public DurationValueAssert isGreaterThan(String limit) {
        return isGreaterThan(DurationText.parse(limit));
    }

    public DurationValueAssert isGreaterThanOrEqualTo(Duration limit) {
        return check(compared(limit) >= 0, Relation.AT_LEAST, limit);
    }

    public DurationValueAssert isZero() {
        return check(compared(Duration.ZERO) == 0, Relation.EQUAL_TO, Duration.ZERO);
    }

    /** Checks {@code start <= actual <= end}. */
    public DurationValueAssert isBetween(Duration start, Duration end) {
        if (compared(start) < 0 || compared(end) > 0) {
            throwAssertionError(ResourceMessages.shouldBeBetween(measure, DurationText.format(actual),
                    DurationText.format(start), DurationText.format(end)));
        }
        return myself;
    }

    public DurationValueAssert isBetween(String start, String end) {
        return isBetween(DurationText.parse(start), DurationText.parse(end));
    }

    /** Checks that the value differs from {@code expected} by at most {@code allowed}. */
    public DurationValueAssert isCloseTo(Duration expected, Duration allowed) {
        Duration difference = compared(expected) < 0 ? expected.minus(actual) : actual.minus(expected);
        if (difference.compareTo(allowed) > 0) {
            throwAssertionError(ResourceMessages.shouldBeCloseTo(measure, DurationText.format(actual),
                    DurationText.format(expected), DurationText.format(allowed), DurationText.format(difference)));
        }
        return myself;
    }

    /** Checks that the value differs from {@code expected} by at most the given percentage of it. */
    public DurationValueAssert isCloseTo(Duration expected, Percentage percentage) {
        compared(expected);
        double difference = Math.abs(actual.toNanos() - (double) expected.toNanos());
        double percent = expected.isZero() ? (difference == 0 ? 0 : Double.POSITIVE_INFINITY)
                : 100 * difference / expected.toNanos();
        if (percent > percentage.value) {
            throwAssertionError(ResourceMessages.shouldBeCloseTo(measure, DurationText.format(actual),
                    DurationText.format(expected), percent(percentage.value), percent(percent)));
        }
        return myself;
    }

    private int compared(Duration other) {
        isNotNull();
        if (other == null) throw new IllegalArgumentException("the duration to compare " + measure + " with is null");
        return actual.compareTo(other);
    }

    private DurationValueAssert check(boolean holds, Relation relation, Duration limit) {
        if (holds) return myself;
        boolean alike = DurationText.format(actual).equals(DurationText.format(limit));
        throwAssertionError(ResourceMessages.shouldBe(measure,
                alike ? DurationText.formatExact(actual) : DurationText.format(actual), relation,
                alike ? DurationText.formatExact(limit) : DurationText.format(limit)));
        return myself;
    }

    private static String percent(double value) {
        return String.format(Locale.ROOT, "%.1f%%", value);
    }
}
