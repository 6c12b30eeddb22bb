package io.alicecontainer.junit;

import io.alicecontainer.ExecResult;

/**
 * Runs commands in new containers configured like the test (its limits, its root filesystem):
 * inject it as a parameter. Each {@link #exec} gets a fresh container that is removed once the
 * command has ended.
 *
 * <pre>{@code
 * @Test @Isolated @MemoryLimit("64M")
 * void scriptStaysSmall(Sandbox sandbox) {
 *     ExecResult r = sandbox.exec("python3", "-c", "print(sum(range(10**6)))");
 *     assertThat(r).succeeded().usage().memory().peak().isLessThan(mebibytes(32));
 * }
 * }</pre>
 */
public interface Sandbox {
    /** Runs argv in a new container and waits for it. */
    ExecResult exec(String... argv);
}
