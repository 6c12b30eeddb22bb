package io.alicecontainer.junit.assertions;

import static java.lang.String.format;
import static io.alicecontainer.junit.ResourceAssertions.mebibytes;
import static io.alicecontainer.junit.assertions.Samples.exec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.alicecontainer.ExecResult;
import io.alicecontainer.junit.ResourceAssertions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("ExecResult assertions: outcome, streams, stderr in failures, usage navigation")
class ExecResultAssertTests {

    @Test
    void passesOnACommandThatSucceeded() {
        ExecResult result = exec(0, "built 3 targets\n", "");

        ResourceAssertions.assertThat(result).succeeded().hasExitCode(0).wasNotOomKilled().didNotTimeOut()
                .hasStdout("built 3 targets\n").stdoutContains("3 targets")
                .usage().memory().peak().isLessThan(mebibytes(64));
        ResourceAssertions.assertThat(result).stdout().startsWith("built");
        ResourceAssertions.assertThat(result).wallTime().isLessThan("2s");
    }

    @Test
    void failureSaysHowTheCommandEndedAndShowsItsStderr() {
        ExecResult result = exec(2, "", "make: *** No rule to make target 'all'.\n");

        assertThatThrownBy(() -> ResourceAssertions.assertThat(result).succeeded())
                .isInstanceOf(AssertionError.class)
                .hasMessage(format("%nExpecting command:%n  sh -c make%nto succeed,%nbut it ended with exit code 2%n"
                        + "stderr:%n  make: *** No rule to make target 'all'."));
        assertThatThrownBy(() -> ResourceAssertions.assertThat(result).hasExitCode(0))
                .hasMessageContaining(format("to end with exit code 0,%nbut it ended with exit code 2"));
        ResourceAssertions.assertThat(result).failed().hasStderrContaining("No rule");
    }

    @Test
    void showsOnlyTheStartOfALongStderr() {
        ExecResult result = exec(1, "", "x".repeat(5000));

        assertThatThrownBy(() -> ResourceAssertions.assertThat(result).succeeded())
                .hasMessageEndingWith("x".repeat(2000) + "... (3000 more characters)");
    }

    @Test
    void namesTheOomKillerAndTheTimeout() {
        ExecResult killed = exec(137, 9, true, false, "", "");
        ExecResult late = exec(137, 9, false, true, "", "");

        ResourceAssertions.assertThat(killed).wasOomKilled().failed();
        ResourceAssertions.assertThat(late).timedOut();
        assertThatThrownBy(() -> ResourceAssertions.assertThat(killed).wasNotOomKilled())
                .hasMessage(format("%nExpecting command:%n  sh -c make%nnot to be killed by the OOM killer,%n"
                        + "but it ended with killed by the OOM killer (memory peak 48.0 MiB)"));
        assertThatThrownBy(() -> ResourceAssertions.assertThat(late).didNotTimeOut())
                .hasMessageContaining("but it ended with killed after its timeout (1500 ms)");
    }

    @Test
    void quotesStreamsThatDoNotMatch() {
        ExecResult result = exec(0, "hello\n", "warning: old flag");

        assertThatThrownBy(() -> ResourceAssertions.assertThat(result).hasStdout("hi\n"))
                .hasMessage(format("%nExpecting stdout of command:%n  sh -c make%nto be:%n  \"hi\n\"%nbut was:%n  \"hello\n\"%n"
                        + "(it ended with exit code 0)%nstderr:%n  warning: old flag"));
        assertThatThrownBy(() -> ResourceAssertions.assertThat(result).hasStderrContaining("error"))
                .hasMessage(format("%nExpecting stderr of command:%n  sh -c make%nto contain:%n  \"error\"%nbut was:%n"
                        + "  \"warning: old flag\"%n(it ended with exit code 0)"));
    }

    @Test
    void usageNavigationKeepsTheDescription() {
        ExecResult result = exec(0, "", "");

        assertThatThrownBy(() -> ResourceAssertions.assertThat(result).as("make all").usage().memory().peak()
                .isLessThan(mebibytes(32)))
                .hasMessage(format("[make all] %nExpecting peak memory:%n  48.0 MiB%nto be less than:%n  32.0 MiB"));
        assertThatThrownBy(() -> ResourceAssertions.assertThat(result).as("make all").stderr().contains("ok"))
                .message().startsWith("[make all, stderr] ");
    }

    @Test
    void failsOnNullAsAssertJDoes() {
        assertThat(org.assertj.core.api.Assertions.catchThrowable(
                () -> ResourceAssertions.assertThat((ExecResult) null).succeeded()))
                .hasMessageContaining("Expecting actual not to be null");
    }
}
