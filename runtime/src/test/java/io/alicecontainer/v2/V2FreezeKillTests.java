package io.alicecontainer.v2;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.alicecontainer.Command;
import io.alicecontainer.Container;
import io.alicecontainer.ContainerConfig;
import io.alicecontainer.ContainerProcess;
import io.alicecontainer.ContainerState;
import io.alicecontainer.ExecResult;
import io.alicecontainer.cgroup.CgroupController;
import io.alicecontainer.testing.RequiresRoot;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Freezing and killing on pure cgroup v2: cgroup.freeze, cgroup.events, cgroup.kill. */
@RequiresRoot
@DisplayName("v2: cgroup.freeze and cgroup.kill")
class V2FreezeKillTests {

    @BeforeEach
    void pureV2() {
        PureV2.assumeControllers();
    }

    @Test
    @DisplayName("pause writes cgroup.freeze=1 and the spinner stops using CPU (cgroup.events frozen 1); resume thaws it; stop kills it")
    void pauseResumeStop() throws Exception {
        try (Container c = Container.create("v2-freeze", ContainerConfig.builder().timeout(Duration.ofSeconds(120)).build())) {
            Path cg = c.cgroup().path();
            try (ContainerProcess p = c.launch(Command.builder("sh", "-c", "while :; do :; done").build())) {
                assertThat(PureV2.await(() -> usageUs(cg) > 50_000, Duration.ofSeconds(30))).as("the spinner runs").isTrue();

                c.pause();
                assertThat(c.state()).isEqualTo(ContainerState.PAUSED);
                assertThat(PureV2.read(cg, "cgroup.freeze")).isEqualTo("1");
                assertThat(PureV2.key(cg, "cgroup.events", "frozen")).isEqualTo(1);
                assertThat(PureV2.key(cg, "cgroup.events", "populated")).isEqualTo(1);
                long frozenAt = usageUs(cg);
                Thread.sleep(300);
                assertThat(usageUs(cg) - frozenAt).as("CPU µs used while frozen").isLessThan(5_000);

                c.resume();
                assertThat(PureV2.read(cg, "cgroup.freeze")).isEqualTo("0");
                assertThat(PureV2.key(cg, "cgroup.events", "frozen")).isZero();
                long thawedAt = usageUs(cg);
                assertThat(PureV2.await(() -> usageUs(cg) > thawedAt + 50_000, Duration.ofSeconds(30))).as("the spinner runs again").isTrue();

                c.stop();
                ExecResult r = p.await();
                assertThat(r.signal()).as(r.toString()).isEqualTo(9);
                assertThat(PureV2.key(cg, "cgroup.events", "populated")).isZero();
                assertThat(PureV2.key(cg, "cgroup.events", "frozen")).as("stop leaves the cgroup thawed").isZero();
            }
        }
    }

    @Test
    @DisplayName("destroy of a populated cgroup kills a forking process tree through cgroup.kill and removes the cgroup")
    void destroyKillsThroughCgroupKill() throws Exception {
        // The shell waits for a line on stdin, so it forks only once it is inside the cgroup.
        Process p = new ProcessBuilder("sh", "-c", "read go; while :; do sleep 100 & sleep 0.02; done").start();
        try {
            CgroupController cg = CgroupController.create("v2-kill");
            Path dir = cg.path();
            try {
                cg.setPidsMax(16);
                cg.addProcess(p.pid());
                assertThat(dir.resolve("cgroup.kill")).as("cgroup.kill (Linux 5.14)").exists();
                try (OutputStream in = p.getOutputStream()) {
                    in.write("go\n".getBytes(StandardCharsets.US_ASCII));
                }
                assertThat(PureV2.await(() -> cg.pids().size() >= 6, Duration.ofSeconds(30))).as("the shell forks: " + cg.pids()).isTrue();
            } finally {
                cg.destroy();
            }
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as("the shell's exit status: SIGKILL").isEqualTo(128 + 9);
            assertThat(dir).doesNotExist();
        } finally {
            p.destroyForcibly().waitFor();
        }
    }

    private static long usageUs(Path cg) {
        return PureV2.key(cg, "cpu.stat", "usage_usec");
    }
}
