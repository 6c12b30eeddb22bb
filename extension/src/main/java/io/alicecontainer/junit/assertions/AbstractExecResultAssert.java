package io.alicecontainer.junit.assertions;

import io.alicecontainer.ExecResult;
import org.assertj.core.api.AbstractAssert;
import org.assertj.core.api.AbstractStringAssert;
import org.assertj.core.api.Assertions;

/**
 * Assertions on how a command run in a container ended. Failures say how it ended
 * ({@link ExecResult#outcome()}) and show the start of its standard error.
 *
 * @param <SELF> the concrete assertion, returned by every check
 */
public abstract class AbstractExecResultAssert<SELF extends AbstractExecResultAssert<SELF>>
        extends AbstractAssert<SELF, ExecResult> {

    protected AbstractExecResultAssert(ExecResult actual, Class<?> selfType) {
        super(actual, selfType);
    }

    /** Checks exit code 0 and no signal. */
    public SELF succeeded() {
        return check(present().succeeded(), "to succeed");
    }

    /** Checks a non-zero exit code or a signal. */
    public SELF failed() {
        return check(!present().succeeded(), "to fail");
    }

    public SELF hasExitCode(int expected) {
        return check(present().exitCode() == expected, "to end with exit code " + expected);
    }

    public SELF wasOomKilled() {
        return check(present().oomKilled(), "to be killed by the OOM killer");
    }

    public SELF wasNotOomKilled() {
        return check(!present().oomKilled(), "not to be killed by the OOM killer");
    }

    /** Checks that the command ran past its timeout and was killed. */
    public SELF timedOut() {
        return check(present().timedOut(), "to be killed after its timeout");
    }

    public SELF didNotTimeOut() {
        return check(!present().timedOut(), "to end within its timeout");
    }

    public SELF hasStdout(String expected) {
        return checkStream(present().stdout().equals(expected), "stdout", "to be", expected, actual.stdout());
    }

    public SELF stdoutContains(String expected) {
        return checkStream(present().stdout().contains(expected), "stdout", "to contain", expected, actual.stdout());
    }

    public SELF hasStderrContaining(String expected) {
        return checkStream(present().stderr().contains(expected), "stderr", "to contain", expected,
                ResourceMessages.shownStderr(actual));
    }

    /** Standard output as text, for any of AssertJ's string checks. */
    public AbstractStringAssert<?> stdout() {
        return AssertionState.keepNaming(Assertions.assertThat(present().stdout()), this, "stdout");
    }

    /** Standard error as text, for any of AssertJ's string checks. */
    public AbstractStringAssert<?> stderr() {
        return AssertionState.keepNaming(Assertions.assertThat(present().stderr()), this, "stderr");
    }

    /** Time from spawn to exit. */
    public DurationValueAssert wallTime() {
        return AssertionState.keep(new DurationValueAssert(present().wallTime(), "wall time"), this);
    }

    /** What the container used while the command ran. */
    public ResourceUsageAssert usage() {
        return AssertionState.keep(new ResourceUsageAssert(present().usage()), this);
    }

    private ExecResult present() {
        isNotNull();
        return actual;
    }

    private SELF check(boolean holds, String expectation) {
        if (!holds) throwAssertionError(ResourceMessages.commandShould(actual, expectation));
        return myself;
    }

    private SELF checkStream(boolean holds, String stream, String expectation, String expected, String shown) {
        if (!holds) throwAssertionError(ResourceMessages.streamShould(actual, stream, expectation, expected, shown));
        return myself;
    }
}
