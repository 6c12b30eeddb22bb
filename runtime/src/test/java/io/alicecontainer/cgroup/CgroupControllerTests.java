package io.alicecontainer.cgroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.alicecontainer.ResourceUsage;
import io.alicecontainer.testing.Limits;
import io.alicecontainer.testing.RequiresRoot;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@RequiresRoot
@DisplayName("CgroupController on this host's cgroups")
class CgroupControllerTests {

    @Test
    @DisplayName("creates the cgroup below the JVM's own cgroup in every hierarchy and removes it")
    void createAndDestroy() {
        CgroupLayout layout = CgroupController.layout();
        CgroupController cg = CgroupController.create("cg-create");
        try {
            if (layout.v2Own() != null) {
                assertThat(cg.v2Path()).get().satisfies(p -> assertThat(p).startsWith(layout.v2Own().resolve("alice")).isDirectory());
                assertThat(cg.placementFd()).isGreaterThanOrEqualTo(0);
            }
            cg.v1Paths().forEach((controller, p) ->
                    assertThat(p).startsWith(layout.v1Own().get(controller).resolve("alice")).isDirectory());
            assertThat(cg.path().getParent().getFileName().toString()).isEqualTo(CgroupRoot.ownerName());
        } finally {
            cg.destroy();
        }
        assertThat(cg.path()).doesNotExist();
        cg.v1Paths().values().forEach(p -> assertThat(p).doesNotExist());
        cg.destroy(); // idempotent
    }

    @Test
    @DisplayName("writes limits to the files of this layout")
    void limits() throws Exception {
        Limits.assumeSupported("cpu", "memory", "pids");
        try (CgroupController cg = CgroupController.create("cg-limits")) {
            cg.setCpuMax(20_000, 100_000);
            cg.setMemoryMax(64L << 20);
            cg.setPidsMax(16);

            if (cg.mode() == CgroupMode.V2) {
                assertThat(Files.readString(cg.path().resolve("cpu.max")).trim()).isEqualTo("20000 100000");
                assertThat(Files.readString(cg.path().resolve("memory.max")).trim()).isEqualTo(Long.toString(64L << 20));
                assertThat(Files.readString(cg.path().resolve("pids.max")).trim()).isEqualTo("16");
            } else {
                Path cpu = cg.v1Paths().get("cpu");
                assertThat(Files.readString(cpu.resolve("cpu.cfs_quota_us")).trim()).isEqualTo("20000");
                assertThat(Files.readString(cpu.resolve("cpu.cfs_period_us")).trim()).isEqualTo("100000");
                Path mem = cg.v1Paths().get("memory");
                assertThat(Files.readString(mem.resolve("memory.limit_in_bytes")).trim()).isEqualTo(Long.toString(64L << 20));
                if (Files.exists(mem.resolve("memory.memsw.limit_in_bytes"))) {
                    assertThat(Files.readString(mem.resolve("memory.memsw.limit_in_bytes")).trim()).isEqualTo(Long.toString(64L << 20));
                }
                assertThat(Files.readString(cg.v1Paths().get("pids").resolve("pids.max")).trim()).isEqualTo("16");
            }
            // Raising the memory limit again orders the v1 memsw write first.
            cg.setMemoryMax(256L << 20);
            cg.setCpuMax(-1, 100_000);
        }
    }

    @Test
    @DisplayName("a refused value names the file and the kernel's error")
    void refusedWrite() {
        Limits.assumeSupported("pids");
        try (CgroupController cg = CgroupController.create("cg-refused")) {
            cg.setPidsMax(5);   // makes the v1 pids cgroup, which is created on first use
            Path pids = cg.mode() == CgroupMode.V2 ? cg.path() : cg.v1Paths().get("pids");
            assertThatThrownBy(() -> CgroupFs.write(pids.resolve("pids.max"), "lots"))
                    .isInstanceOf(CgroupException.class)
                    .hasMessage("failed to write `lots` to " + pids.resolve("pids.max") + ": EINVAL (Invalid argument)");
            assertThatThrownBy(() -> cg.setCpuMax(10, 100_000)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    @DisplayName("addProcess moves a host process in; usage, freeze, thaw and kill act on it")
    void processLifecycle() throws Exception {
        // Memory charged before the move stays with the old cgroup (v1 move_charge_at_immigrate=0),
        // so the process allocates only once it is inside.
        Process p = new ProcessBuilder("/usr/bin/python3", "-c",
                "import sys\nsys.stdin.readline()\nb = b'x' * (16 << 20)\nwhile True: pass").start();
        try (CgroupController cg = CgroupController.create("cg-procs")) {
            cg.addProcess(p.pid());
            assertThat(cg.pids()).containsExactly(p.pid());
            p.getOutputStream().write('\n');
            p.getOutputStream().flush();
            Thread.sleep(600);
            assertThat(cg.cpuUsageUs()).isGreaterThan(50_000);

            cg.freeze();
            long frozenAt = cg.cpuUsageUs();
            Thread.sleep(200);
            assertThat(cg.cpuUsageUs()).isLessThan(frozenAt + 5_000);
            cg.thaw();

            ResourceUsage u = cg.usage();
            assertThat(u.cpuTime().toMillis()).isGreaterThan(50);
            if (cg.mode() != CgroupMode.V2 || CgroupController.layout().supportsLimit("memory")) {
                assertThat(u.memoryCurrentBytes()).isGreaterThan(16L << 20);
                assertThat(cg.memoryCurrent()).isGreaterThan(16L << 20);
            }
            cg.kill();
            assertThat(p.waitFor(5, TimeUnit.SECONDS)).isTrue();
            assertThat(cg.pids()).isEmpty();
        } finally {
            p.destroyForcibly().waitFor();
        }
    }

    @Test
    @DisplayName("a group left by a JVM that is gone is swept, with its processes and children")
    void sweepsStaleOwners() throws Exception {
        CgroupController probe = CgroupController.create("cg-sweep-probe");
        Path parent = probe.path().getParent().getParent();
        probe.destroy();
        Path stale = parent.resolve("jvm-999999999-1");
        Path child = stale.resolve("leftover");
        Files.createDirectories(child);
        Process p = new ProcessBuilder("sleep", "300").start();
        try {
            Files.writeString(child.resolve("cgroup.procs"), Long.toString(p.pid()));

            CgroupRoot.sweep(parent);

            assertThat(stale).doesNotExist();
            assertThat(p.waitFor(5, TimeUnit.SECONDS)).isTrue();
        } finally {
            p.destroyForcibly().waitFor();
            if (Files.exists(child)) Files.delete(child);
            if (Files.exists(stale)) Files.delete(stale);
        }
    }

    @Test
    @DisplayName("a JVM that made containers leaves no alice group in its own cgroup when it exits")
    void exitingJvmRemovesItsAliceGroup() throws Exception {
        CgroupController probe = CgroupController.create("cg-exit-probe");
        // The other JVM gets a cgroup of its own below our owner group: in the v1 memory hierarchy
        // where there is one (the other hierarchies it shares with this JVM), else in the v2 one.
        Path ownerGroup = probe.v1Paths().getOrDefault("memory", probe.path()).getParent();
        probe.destroy();
        Path jvmCgroup = ownerGroup.resolve("exit-test");
        Files.createDirectories(jvmCgroup);
        try {
            List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", "echo $$ > \"$0\"/cgroup.procs && exec \"$@\"",
                    jvmCgroup.toString(), Path.of(System.getProperty("java.home"), "bin", "java").toString()));
            // this run's settings (alice.cgroup.mode of the forced-backend runs)
            System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("alice."))
                    .forEach(k -> command.add("-D" + k + "=" + System.getProperty(k)));
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), ExitProbe.class.getName()));
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(out).isZero();
            assertThat(out).contains("made " + jvmCgroup.resolve("alice"));
            assertThat(jvmCgroup.resolve("alice")).as("after the JVM's exit; its output:%n%s", out).doesNotExist();
        } finally {
            CgroupTree.killAndRemove(jvmCgroup);
        }
        // The base of a JVM that is still running (this one) is kept.
        Path ours = ownerGroup.getParent();
        CgroupRoot.removeIfEmpty(ours);
        assertThat(ours).isDirectory();
    }

    /** Run in a JVM of its own by {@link #exitingJvmRemovesItsAliceGroup}: one cgroup, then exit. */
    static final class ExitProbe {
        public static void main(String[] args) {
            CgroupController cg = CgroupController.create("exit-probe");
            Path group = cg.v1Paths().getOrDefault("memory", cg.path());
            System.out.println("made " + group.getParent().getParent());
            cg.destroy();
        }
    }

    @Test
    @DisplayName("the live JVM's own group is never swept")
    void keepsLiveOwner() {
        try (CgroupController cg = CgroupController.create("cg-live")) {
            CgroupRoot.sweep(cg.path().getParent().getParent());
            assertThat(cg.path()).isDirectory();
        }
    }
}
