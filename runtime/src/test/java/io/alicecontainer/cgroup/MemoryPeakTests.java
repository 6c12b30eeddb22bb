package io.alicecontainer.cgroup;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.alicecontainer.Command;
import io.alicecontainer.Container;
import io.alicecontainer.ContainerConfig;
import io.alicecontainer.ContainerProcess;
import io.alicecontainer.ExecResult;
import io.alicecontainer.testing.Limits;
import io.alicecontainer.testing.RequiresRoot;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@RequiresRoot
@DisplayName("MemoryPeak: a cgroup's peak from a moment on, and waiting from a moment on")
class MemoryPeakTests {

    @Test
    @DisplayName("a reset starts a new peak at the memory in use now (v1 max_usage_in_bytes, v2 6.12+ per-descriptor memory.peak)")
    void resetStartsANewPeak() throws Exception {
        Limits.assumeSupported("memory");
        Process p = new ProcessBuilder("/usr/bin/python3", "-c",
                "import sys\nsys.stdin.readline()\nb = bytearray(48 << 20)\nfor i in range(0, len(b), 4096): b[i] = 1\n"
                        + "del b\nprint('freed', flush=True)\nsys.stdin.readline()").start();
        try (CgroupController cg = CgroupController.create("cg-peak"); MemoryPeak peak = cg.memoryPeak()) {
            cg.addProcess(p.pid());
            p.getOutputStream().write('\n');
            p.getOutputStream().flush();
            assertThat(new String(p.getInputStream().readNBytes(6))).isEqualTo("freed\n");
            long whole = peak.bytes();
            assertThat(whole).isGreaterThan(48L << 20);
            assertThat(peak.resets()).as("this kernel resets the peak (v1, or v2 on Linux 6.12+)").isTrue();

            peak.reset();

            assertThat(peak.bytes()).isLessThan(whole - (32L << 20));
            p.getOutputStream().write('\n');
            p.getOutputStream().flush();
            assertThat(p.waitFor(5, TimeUnit.SECONDS)).isTrue();
        } finally {
            p.destroyForcibly().waitFor();
        }
    }

    @Test
    @DisplayName("await(timeout) counts from the call, not from the start: a process started ahead of its work")
    void awaitFromNow() throws Exception {
        try (Container c = Container.create("ct-await", ContainerConfig.builder().build())) {
            ContainerProcess p = c.launch(Command.builder(java.util.List.of("sh", "-c", "sleep 1; exit 3")).build());
            Thread.sleep(600);
            ExecResult r = p.await(Duration.ofSeconds(10));
            assertThat(r.timedOut()).isFalse();
            assertThat(r.exitCode()).isEqualTo(3);

            ContainerProcess q = c.launch(Command.builder(java.util.List.of("sleep", "30")).build());
            ExecResult killed = q.await(Duration.ofMillis(300));
            assertThat(killed.timedOut()).isTrue();
        }
    }
}
