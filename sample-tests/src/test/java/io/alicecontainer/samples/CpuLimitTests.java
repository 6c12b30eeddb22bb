package io.alicecontainer.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import io.alicecontainer.ResourceUsage;
import io.alicecontainer.junit.ContainerResources;
import io.alicecontainer.junit.CpuLimit;
import io.alicecontainer.junit.ResourceAssertions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Performance under a CPU limit: {@code @CpuLimit(50)} gives the test half of one CPU (the CFS
 * quota of its cgroup). The child JVM sizes itself for it ({@code availableProcessors()} is 1, so
 * are its GC and JIT thread pools), and a CPU-bound loop gets at most ~50 ms of CPU per 100 ms:
 * the kernel throttles the container in the other half, which {@link ContainerResources#usage()}
 * shows while the test runs.
 *
 * <p>Reading the usage before and after the work and taking the difference
 * ({@link ResourceUsage#since}) leaves out the child JVM's start.
 */
@ResourceLock("cpu") // no other test (ParallelIsolationTests) beside this measurement
@DisplayName("CPU limit: half a CPU is one processor, and a busy loop is throttled to it")
class CpuLimitTests {

    @Test
    @CpuLimit(50)
    @DisplayName("a second of spinning gets about half a second of CPU")
    void busyLoopIsThrottledToHalfACpu(ContainerResources container) {
        assertThat(Runtime.getRuntime().availableProcessors()).isEqualTo(1);
        assertThat(container.cpuLimitPercent()).isEqualTo(50);

        ResourceUsage before = container.usage();
        long spins = spinFor(Duration.ofSeconds(1));
        ResourceUsage spinning = container.usage().since(before);

        assertThat(spins).isPositive();
        ResourceAssertions.assertThat(spinning).cpu().isThrottled();
        ResourceAssertions.assertThat(spinning).cpu().throttledPeriods().isGreaterThan(5);
        // at most 50 ms per 100 ms period over 1 s, plus a period of slack (unlimited, it would be ~1 s);
        // less on a busy machine
        ResourceAssertions.assertThat(spinning).cpu().time().isBetween("200ms", "650ms");
    }

    /** A CPU-bound loop that runs for the given wall time; returns how often it went round. */
    private static long spinFor(Duration wall) {
        long end = System.nanoTime() + wall.toNanos();
        long spins = 0;
        long x = 1;
        while (System.nanoTime() < end) {
            for (int i = 0; i < 10_000; i++) x = x * 6364136223846793005L + 1442695040888963407L;
            spins++;
        }
        return x == 0 ? -spins : spins;
    }
}
