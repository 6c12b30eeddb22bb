package io.alicecontainer.samples;

import static io.alicecontainer.junit.ResourceAssertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.alicecontainer.ResourceUsage;
import io.alicecontainer.junit.ContainerResources;
import io.alicecontainer.junit.CpuLimit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Pressure stall information (PSI): how long the container's tasks waited for a CPU. Under a
 * tight {@code @CpuLimit(20)} (a fifth of one CPU) two busy threads want far more than they get,
 * and the kernel counts the time they are stalled in the cgroup's {@code cpu.pressure}; the
 * assertions read it through {@code assertThat(usage).pressure().cpu()}.
 *
 * <p>PSI needs a cgroup v2 hierarchy (hybrid hosts have one); where the host does not report it,
 * the pressure assertions fail and say so rather than pass.
 */
@ResourceLock("cpu") // no other test (ParallelIsolationTests) beside this measurement
@DisplayName("CPU pressure: two busy threads under a fifth of a CPU stall")
class CpuPressureTests {

    @Test
    @CpuLimit(20)
    @DisplayName("some-pressure grows while two threads compete for 20% of a CPU")
    void twoBusyThreadsStall(ContainerResources container) throws InterruptedException {
        ResourceUsage before = container.usage();
        List<Thread> busy = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Thread t = new Thread(() -> spinFor(Duration.ofMillis(600)));
            t.start();
            busy.add(t);
        }
        for (Thread t : busy) t.join();
        ResourceUsage during = container.usage().since(before);

        assertThat(during).cpu().isThrottled();
        assertThat(during).pressure().cpu().someTotal().isGreaterThan("100ms");
    }

    private static void spinFor(Duration wall) {
        long end = System.nanoTime() + wall.toNanos();
        long x = 1;
        while (System.nanoTime() < end) x = x * 6364136223846793005L + 1442695040888963407L;
        if (x == 42) System.out.println(x);
    }
}
