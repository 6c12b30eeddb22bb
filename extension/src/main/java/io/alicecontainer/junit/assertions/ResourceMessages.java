package io.alicecontainer.junit.assertions;

import io.alicecontainer.DurationText;

import io.alicecontainer.ByteSize;
import io.alicecontainer.ExecResult;
import io.alicecontainer.Pressure;
import org.assertj.core.error.BasicErrorMessageFactory;
import org.assertj.core.error.ErrorMessageFactory;

/**
 * Every failure message of these assertions, in AssertJ's layout (as AssertJ's own
 * {@code ShouldBeLessThan} and friends): the measured value and the limit each on a line of their
 * own, bytes in binary units, durations in milliseconds.
 */
final class ResourceMessages extends BasicErrorMessageFactory {
    /** Captured standard error shown under a failed command, at most this many characters. */
    static final int STDERR_SHOWN = 2000;

    /** How a measured value is compared with a limit, as the message puts it. */
    enum Relation {
        LESS_THAN("to be less than"),
        AT_MOST("to be less than or equal to"),
        GREATER_THAN("to be greater than"),
        AT_LEAST("to be greater than or equal to"),
        EQUAL_TO("to be");

        final String words;

        Relation(String words) {
            this.words = words;
        }
    }

    private ResourceMessages(String format, Object... arguments) {
        super(format, arguments);
    }

    static ErrorMessageFactory shouldBe(String measure, String actual, Relation relation, String limit) {
        return new ResourceMessages("%nExpecting %s:%n  %s%n%s:%n  %s", text(measure), text(actual),
                text(relation.words), text(limit));
    }

    static ErrorMessageFactory shouldBeBetween(String measure, String actual, String start, String end) {
        return new ResourceMessages("%nExpecting %s:%n  %s%nto be between:%n  [%s, %s]", text(measure), text(actual),
                text(start), text(end));
    }

    static ErrorMessageFactory shouldBeCloseTo(String measure, String actual, String expected, String allowed,
                                               String difference) {
        return new ResourceMessages("%nExpecting %s:%n  %s%nto be close to:%n  %s%nby less than %s but difference was %s",
                text(measure), text(actual), text(expected), text(allowed), text(difference));
    }

    static ErrorMessageFactory notReported(String measure) {
        return new ResourceMessages("%nExpecting %s to be measured,%nbut %s is not reported on this host (-1)",
                text(measure), text(measure));
    }

    static ErrorMessageFactory pressureNotReported(String name) {
        return new ResourceMessages("%nExpecting %s to be measured,%nbut %s is not reported on this host "
                + "(no PSI: pure cgroup v1, or PSI disabled in the kernel)", text(name), text(name));
    }

    static ErrorMessageFactory shouldHaveNoStall(String name, Pressure pressure) {
        return new ResourceMessages("%nExpecting %s to have no stall,%nbut some tasks were stalled for:%n  %s%n(%s)",
                text(name), text(DurationText.format(pressure.someTotal())), text(pressure.toString()));
    }

    static ErrorMessageFactory shouldBeThrottled() {
        return new ResourceMessages("%nExpecting cpu to be throttled by its limit,%nbut it was throttled in no period");
    }

    static ErrorMessageFactory shouldNotBeThrottled(long periods, String time) {
        return new ResourceMessages("%nExpecting cpu not to be throttled,%nbut it was throttled in %s periods for %s",
                text(Long.toString(periods)), text(time));
    }

    static ErrorMessageFactory shouldHaveNoOomKills(long kills, long memoryPeak) {
        return new ResourceMessages("%nExpecting no OOM kills,%nbut the OOM killer killed %s process%s (memory peak %s)",
                text(Long.toString(kills)), text(kills == 1 ? "" : "es"), text(ByteSize.format(memoryPeak)));
    }

    static ErrorMessageFactory shouldHaveOomKills(long memoryPeak) {
        return new ResourceMessages("%nExpecting OOM kills,%nbut the OOM killer killed no process (memory peak %s)",
                text(ByteSize.format(memoryPeak)));
    }

    /** "Expecting command: ... to succeed, but it ended with exit code 3", then its stderr. */
    static ErrorMessageFactory commandShould(ExecResult result, String expectation) {
        return new ResourceMessages("%nExpecting command:%n  %s%n%s,%nbut it ended with %s%s", text(command(result)),
                text(expectation), text(result.outcome()), text(stderrSection(result)));
    }

    /** A captured stream that is not as expected: actual and expected are quoted by the representation. */
    static ErrorMessageFactory streamShould(ExecResult result, String stream, String expectation, String expected,
                                            String actual) {
        return new ResourceMessages("%nExpecting %s of command:%n  %s%n%s:%n  %s%nbut was:%n  %s%n(it ended with %s)%s",
                text(stream), text(command(result)), text(expectation), expected, actual, text(result.outcome()),
                text("stderr".equals(stream) ? "" : stderrSection(result)));
    }

    static String bytes(long bytes) {
        return ByteSize.format(bytes);
    }

    static String bytesExact(long bytes) {
        return ByteSize.format(bytes) + " (" + bytes + " bytes)";
    }

    /** Standard error as messages show it: the first {@value #STDERR_SHOWN} characters. */
    static String shownStderr(ExecResult result) {
        String err = result.stderr();
        if (err.length() <= STDERR_SHOWN) return err + (result.stderrTruncated() ? "... (capture limit reached)" : "");
        return err.substring(0, STDERR_SHOWN) + "... (" + (err.length() - STDERR_SHOWN) + " more characters)";
    }

    private static String stderrSection(ExecResult result) {
        if (result.stderrBytes().length == 0) return "";
        String nl = System.lineSeparator();
        return nl + "stderr:" + nl + "  " + shownStderr(result).strip().replace("\n", nl + "  ");
    }

    private static String command(ExecResult result) {
        return String.join(" ", result.argv());
    }

    private static CharSequence text(String s) {
        return unquotedString(s);
    }
}
