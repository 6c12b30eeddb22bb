package io.alicecontainer.samples;

import static io.alicecontainer.junit.ResourceAssertions.mebibytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;

import io.alicecontainer.junit.ContainerResources;
import io.alicecontainer.junit.MemoryLimit;
import io.alicecontainer.junit.ResourceAssertions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A parameterized isolated test: every invocation runs in a container of its own, with a fresh
 * JVM, so no state leaks from one invocation into the next (the static counter below is 1 in
 * each), and each invocation's usage is measured and reported on its own.
 */
class ParameterizedIsolationTests {
    private static int invocationsInThisJvm;

    @ParameterizedTest(name = "sorting {0} MiB of ints")
    @ValueSource(ints = {8, 16, 32})
    @MemoryLimit("256M")
    void sortsInAFreshContainer(int mebibytesOfInts, ContainerResources container) {
        invocationsInThisJvm++;
        int[] values = new SplittableRandom(42).ints(mebibytesOfInts * (1 << 20) / Integer.BYTES).toArray();

        Arrays.sort(values);

        assertThat(invocationsInThisJvm).as("invocations run in this JVM").isEqualTo(1);
        assertThat(values[0]).isLessThanOrEqualTo(values[values.length - 1]);
        ResourceAssertions.assertThat(container.usage()).memory().peak()
                .isGreaterThan(mebibytes(mebibytesOfInts)).isLessThan(mebibytes(256));
    }
}
