package io.alicecontainer.v2;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;

import io.alicecontainer.Container;
import io.alicecontainer.ContainerConfig;
import io.alicecontainer.ExecResult;
import io.alicecontainer.testing.RequiresRoot;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * memory.max on pure cgroup v2, checked in the kernel's own files: memory.max, memory.swap.max,
 * memory.peak, memory.events. {@code dd bs=N} allocates an N-byte buffer and touches every page
 * of it when it reads /dev/zero into it: a lean allocation, also under software emulation.
 */
@RequiresRoot
@DisplayName("v2: memory.max, memory.peak, memory.events")
class V2MemoryTests {
    private static final long MIB = 1L << 20;

    @BeforeEach
    void pureV2() {
        PureV2.assumeControllers();
    }

    @Test
    @DisplayName("memory.max=64M: a 256 MiB allocation is OOM-killed, memory.peak <= memory.max, memory.events oom_kill >= 1; raising memory.max lets it pass")
    void oomUnderMemoryMax() {
        ContainerConfig config = ContainerConfig.builder().memoryMax(64 * MIB).timeout(Duration.ofSeconds(60)).build();
        try (Container c = Container.create("v2-mem-oom", config)) {
            Path cg = c.cgroup().path();
            assertThat(PureV2.read(cg, "memory.max")).isEqualTo(Long.toString(64 * MIB));
            assertThat(PureV2.read(cg, "memory.swap.max")).isEqualTo("0");

            ExecResult r = c.exec("dd", "if=/dev/zero", "of=/dev/null", "bs=256M", "count=1");

            long peak = PureV2.readLong(cg, "memory.peak");
            long oomKills = PureV2.key(cg, "memory.events", "oom_kill");
            assertThat(r.signal()).as(r + "\n" + r.stderr()).isEqualTo(9);
            assertThat(r.oomKilled()).isTrue();
            assertThat(oomKills).as("memory.events oom_kill").isGreaterThanOrEqualTo(1);
            assertThat(PureV2.key(cg, "memory.events", "max")).as("memory.events max: times memory.max was hit").isPositive();
            assertThat(peak).as("memory.peak").isLessThanOrEqualTo(64 * MIB).isGreaterThan(32 * MIB);
            assertThat(r.usage().memoryPeakBytes()).as("ResourceUsage.memoryPeakBytes is memory.peak").isEqualTo(peak);
            assertThat(r.usage().oomKills()).as("ResourceUsage.oomKills is memory.events oom_kill").isEqualTo(oomKills);

            // The limit is live: raised through the controller, the same allocation passes.
            c.cgroup().setMemoryMax(512 * MIB);
            assertThat(PureV2.read(cg, "memory.max")).isEqualTo(Long.toString(512 * MIB));
            ExecResult ok = c.exec("dd", "if=/dev/zero", "of=/dev/null", "bs=256M", "count=1");
            assertThat(ok.succeeded()).as(ok + "\n" + ok.stderr()).isTrue();
            assertThat(ok.oomKilled()).isFalse();
            assertThat(PureV2.key(cg, "memory.events", "oom_kill")).isEqualTo(oomKills);
            assertThat(PureV2.readLong(cg, "memory.peak")).isGreaterThan(256 * MIB).isLessThanOrEqualTo(512 * MIB);
        }
    }

    @Test
    @DisplayName("memory.max=128M: a 32 MiB allocation runs, memory.peak covers it, memory.events stays at 0")
    void underMemoryMax() {
        try (Container c = Container.create("v2-mem-ok", ContainerConfig.builder().memoryMax("128M").build())) {
            Path cg = c.cgroup().path();
            ExecResult r = c.exec("dd", "if=/dev/zero", "of=/dev/null", "bs=32M", "count=1");

            assertThat(r.succeeded()).as(r + "\n" + r.stderr()).isTrue();
            assertThat(r.oomKilled()).isFalse();
            assertThat(PureV2.key(cg, "memory.events", "oom_kill")).isZero();
            assertThat(PureV2.key(cg, "memory.events", "max")).isZero();
            long peak = PureV2.readLong(cg, "memory.peak");
            assertThat(peak).isGreaterThan(32 * MIB).isLessThan(128 * MIB);
            assertThat(r.usage().memoryPeakBytes()).isEqualTo(peak);
            assertThat(PureV2.readLong(cg, "memory.current")).as("memory.current after the exit").isLessThan(32 * MIB);
        }
    }
}
