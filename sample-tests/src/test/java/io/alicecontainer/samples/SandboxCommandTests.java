package io.alicecontainer.samples;

import static io.alicecontainer.junit.ResourceAssertions.assertThat;
import static io.alicecontainer.junit.ResourceAssertions.mebibytes;

import io.alicecontainer.ExecResult;
import io.alicecontainer.junit.MemoryLimit;
import io.alicecontainer.junit.Sandbox;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Running a command in a container from a test: inject a {@link Sandbox} into an isolated test
 * and {@code exec} an argv. Each command gets a new container configured like the test (its
 * limits, its root filesystem) and comes back as an {@link ExecResult}: exit code, stdout,
 * stderr, and what the command's container used, all assertable.
 */
@DisplayName("Sandbox: a python3 command runs in its own container, with its output and usage")
class SandboxCommandTests {

    @Test
    @MemoryLimit("256M")
    @DisplayName("exit code, stdout, stderr and usage of python3 commands")
    void runsPython(Sandbox sandbox) {
        ExecResult sum = sandbox.exec("python3", "-c", "print(sum(range(10**7)))");

        assertThat(sum).succeeded().hasExitCode(0).hasStdout("49999995000000\n");
        assertThat(sum).usage().cpu().time().isGreaterThan("50ms");
        assertThat(sum).usage().memory().peak().isGreaterThan(mebibytes(1)).isLessThan(mebibytes(64));
        assertThat(sum).usage().hasNoOomKills();

        ExecResult failing = sandbox.exec("python3", "-c", "import sys; print('bad input', file=sys.stderr); sys.exit(3)");

        assertThat(failing).failed().hasExitCode(3).hasStdout("").hasStderrContaining("bad input");
    }
}
