package io.alicecontainer.samples;

import static io.alicecontainer.junit.ResourceAssertions.assertThat;
import static io.alicecontainer.junit.ResourceAssertions.mebibytes;

import io.alicecontainer.ExecResult;
import io.alicecontainer.junit.MemoryLimit;
import io.alicecontainer.junit.Sandbox;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Expecting an OOM kill. When the test's own JVM passes its {@code @MemoryLimit}, the OOM killer
 * ends the test and it fails ("killed by the OOM killer: memory limit ... reached"): that cannot
 * be asserted from inside. To test that something <em>is</em> killed, run it as a command through
 * the injected {@link Sandbox}: a new container with the test's limits, whose end (exit code,
 * signal, OOM kill) comes back as an {@link ExecResult} to assert on.
 *
 * <p>The sandbox's container is created from inside the test's container, so the test's limit
 * covers it too: the child JVM (~70 MiB) and the command share the 256 MiB.
 */
@DisplayName("Expected OOM: a greedy command is killed by the OOM killer, a modest one is not")
class ExpectedOomTests {

    @Test
    @MemoryLimit("256M")
    @DisplayName("1 GiB in a 256 MiB container is OOM-killed; 64 MiB is fine")
    void greedyCommandIsOomKilled(Sandbox sandbox) {
        ExecResult greedy = sandbox.exec("python3", "-c", "blocks = [b'x' * (16 << 20) for _ in range(64)]");

        assertThat(greedy).wasOomKilled().failed()
                .usage().hasOomKills().memory().peak().isGreaterThan(mebibytes(100));

        ExecResult modest = sandbox.exec("python3", "-c", "blocks = [b'x' * (16 << 20) for _ in range(4)]; print(len(blocks))");

        assertThat(modest).succeeded().wasNotOomKilled().hasStdout("4\n")
                .usage().hasNoOomKills().memory().peak().isGreaterThan(mebibytes(64));
    }
}
