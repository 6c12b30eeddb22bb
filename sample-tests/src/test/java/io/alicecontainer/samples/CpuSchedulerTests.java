package io.alicecontainer.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.alicecontainer.ResourceUsage;
import io.alicecontainer.junit.ContainerResources;
import io.alicecontainer.junit.CpuLimit;
import io.alicecontainer.junit.CpuScheduler;
import io.alicecontainer.junit.ResourceAssertions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * A CPU scheduler for the test's container: the container starts at 10% of a CPU, and the
 * {@link CpuScheduler#DEFAULTS} preset (the original ALICE-Container's DynamicScheduler) raises the
 * quota while it is busy — already while the child JVM starts, which is CPU-hungry. The busy test
 * then gets far more than 10% of a CPU. The report entries {@code alice.scheduler.*} say how often
 * the scheduler moved the quota and where it left it.
 */
@DisplayName("CPU scheduler: a busy test starting at 10% of a CPU gets more as it needs it")
@ResourceLock("cpu")
class CpuSchedulerTests {

    @Test
    @CpuLimit(value = 10, scheduler = CpuScheduler.DEFAULTS)
    @DisplayName("the scheduler lifts a busy test's quota above its starting 10%")
    void busyTestGetsMoreCpu(ContainerResources container) {
        ResourceUsage before = container.usage();
        long start = System.nanoTime();
        long x = 0;
        while (System.nanoTime() - start < 2_000_000_000L) x += x ^ start;
        ResourceUsage used = container.usage().since(before);
        double wallSeconds = (System.nanoTime() - start) / 1e9;

        assertThat(x).isNotEqualTo(1);
        // At its starting 10% the loop could have had at most ~0.2 s of CPU in these 2 s. Twice
        // that shows the scheduler lifted the quota, also on a machine where other busy processes
        // leave the container well under one CPU (unlimited and quiet, it gets ~2 s).
        ResourceAssertions.assertThat(used).cpu().time().isGreaterThan("400ms");
        double share = used.cpuTime().toNanos() / 1e9 / wallSeconds;
        assertThat(share).as("share of one CPU while busy, with a starting limit of 10%").isGreaterThan(0.2);
    }
}
