package io.alicecontainer.junit;

import static io.alicecontainer.junit.Entries.number;
import static io.alicecontainer.junit.ResourceAssertions.mebibytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Map;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.Events;

@DisplayName("The test's own memory peak leaves the child JVM's boot out")
class IsolationTestMemoryTests {
    /** Measured on a 2-core JDK 17 host, G1: the figure is N plus what the collector adds (see the README). */
    static final long OVERHEAD = 24L << 20;

    static class KeepsTestCase {
        static byte[] kept;

        @Test
        @Isolated
        void keepsNothing() {
        }

        @Test
        @Isolated
        @ResourceBudget(memoryPeak = "48M")
        void keeps32MiB(ContainerResources container) {
            kept = new byte[32 << 20];
            Arrays.fill(kept, (byte) 1);
            ResourceAssertions.assertThat(container.testUsage()).memory().peak().isGreaterThanOrEqualTo(mebibytes(32));
        }

        @Test
        @Isolated
        void keeps200MiB() {
            kept = new byte[200 << 20];
            Arrays.fill(kept, (byte) 1);
        }
    }

    @Test
    @DisplayName("alice.memory.test.peak.bytes is close to what the test keeps, the container's peak holds the JVM too")
    void closeToWhatTheTestKeeps() {
        for (String pool : new String[] {"0", "1"}) {
            Events events = Fixtures.run(KeepsTestCase.class, Map.of("alice.isolation.pool.size", pool)).testEvents();

            Entries.noFailures(events); // the 48M budget holds: it checks the test's own figure
            Map<String, Map<String, String>> e = Entries.byTest(events);
            long nothing = number(e.get("keepsNothing"), "alice.memory.test.peak.bytes");
            long k32 = number(e.get("keeps32MiB"), "alice.memory.test.peak.bytes");
            long k200 = number(e.get("keeps200MiB"), "alice.memory.test.peak.bytes");
            System.out.printf("pool %s: test peak nothing %d, 32 MiB %d, 200 MiB %d; container peak 32 MiB %d%n", pool,
                    nothing, k32, k200, number(e.get("keeps32MiB"), "alice.memory.peak.bytes"));
            assertThat(nothing).isBetween(0L, OVERHEAD);
            assertThat(k32).isBetween(32L << 20, (32L << 20) + OVERHEAD);
            assertThat(k200).isBetween(200L << 20, (200L << 20) + OVERHEAD);
            assertThat(number(e.get("keeps32MiB"), "alice.memory.peak.bytes")).isGreaterThan(k32 + (16L << 20));
        }
    }
}
