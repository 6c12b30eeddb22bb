package io.alicecontainer.v2;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.alicecontainer.Container;
import io.alicecontainer.ContainerConfig;
import io.alicecontainer.ExecResult;
import io.alicecontainer.testing.RequiresRoot;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** pids.max on pure cgroup v2, checked in pids.max, pids.events, pids.peak and pids.current. */
@RequiresRoot
@DisplayName("v2: pids.max")
class V2PidsTests {

    @BeforeEach
    void pureV2() {
        PureV2.assumeControllers();
    }

    @Test
    @DisplayName("pids.max=32 contains a fork bomb: pids.events max > 0, never more than 32 tasks, none left after the timeout")
    void forkBombContained() {
        ContainerConfig config = ContainerConfig.builder().pidsMax(32).timeout(Duration.ofSeconds(4)).build();
        try (Container c = Container.create("v2-pids", config)) {
            Path cg = c.cgroup().path();
            assertThat(PureV2.read(cg, "pids.max")).isEqualTo("32");

            // PID 1 forks once and becomes sleep: a shell whose own fork is refused exits (dash
            // does), and the end of PID 1 would end the bomb before the timeout.
            ExecResult r = c.exec("sh", "-c", "bomb() { bomb | bomb & }; bomb & exec sleep 60");

            assertThat(r.timedOut()).as(r.toString()).isTrue();
            assertThat(PureV2.key(cg, "pids.events", "max")).as("pids.events max: forks refused by pids.max").isPositive();
            if (Files.exists(cg.resolve("pids.peak"))) {   // pids.peak: Linux 6.1 and later
                long peak = PureV2.readLong(cg, "pids.peak");
                assertThat(peak).as("pids.peak").isBetween(2L, 32L);
                assertThat(r.usage().pidsPeak()).isEqualTo(peak);
            }
            assertThat(PureV2.readLong(cg, "pids.current")).as("pids.current after the kill").isZero();
            assertThat(PureV2.read(cg, "cgroup.events")).contains("populated 0");
            assertThat(c.cgroup().pids()).isEmpty();
        }
    }
}
