package io.alicecontainer.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.alicecontainer.cgroup.CgroupException;
import io.alicecontainer.cgroup.CgroupMode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which files a tick reads on each layout, read from sample contents (the formats of cgroup-v2.rst and sched-bwc.rst). */
@DisplayName("CpuStatFiles: the counters of a tick on v2, hybrid and v1")
class CpuStatFilesTests {
    private static final String V2_CPU_STAT = """
            usage_usec 8123456
            user_usec 8000000
            system_usec 123456
            core_sched.force_idle_usec 0
            nr_periods 500
            nr_throttled 42
            throttled_usec 3300000
            nr_bursts 0
            burst_usec 0
            """;
    private static final String V2_NO_CPU_CONTROLLER = """
            usage_usec 5000
            user_usec 4000
            system_usec 1000
            """;
    private static final String V1_CPU_STAT = """
            nr_periods 500
            nr_throttled 7
            throttled_time 2500000000
            nr_bursts 0
            burst_time 0
            wait_sum 0
            """;

    @TempDir
    Path dir;

    @Test
    @DisplayName("v2: usage and throttling from the one cpu.stat (throttled_usec in µs)")
    void v2() throws IOException {
        Path cg = write("v2", "cpu.stat", V2_CPU_STAT);

        CpuStatFiles f = CpuStatFiles.of(CgroupMode.V2, cg, null, null);
        CpuSample s = f.read();

        assertThat(f).isEqualTo(new CpuStatFiles(cg.resolve("cpu.stat"), cg.resolve("cpu.stat"), false));
        assertThat(s.usageUs()).isEqualTo(8_123_456);
        assertThat(s.nrThrottled()).isEqualTo(42);
        assertThat(s.throttledUs()).isEqualTo(3_300_000);
    }

    @Test
    @DisplayName("hybrid: usage from the cgroup2 tree, throttling from v1 cpu.stat (throttled_time in ns)")
    void hybrid() throws IOException {
        Path v2 = write("unified", "cpu.stat", V2_NO_CPU_CONTROLLER);
        Path cpu = write("cpu", "cpu.stat", V1_CPU_STAT);

        CpuSample s = CpuStatFiles.of(CgroupMode.HYBRID, v2, cpu, null).read();

        assertThat(s.usageUs()).isEqualTo(5000);
        assertThat(s.nrThrottled()).isEqualTo(7);
        assertThat(s.throttledUs()).isEqualTo(2_500_000);
    }

    @Test
    @DisplayName("v1: usage from cpuacct.usage (ns), throttling from cpu.stat; none before the cpu cgroup exists")
    void v1() throws IOException {
        Path acct = write("cpuacct", "cpuacct.usage", "7000123456\n");
        Path cpu = write("cpu", "cpu.stat", V1_CPU_STAT);

        CpuSample s = CpuStatFiles.of(CgroupMode.V1, null, cpu, acct).read();
        CpuSample noCpuYet = CpuStatFiles.of(CgroupMode.V1, null, null, acct).read();

        assertThat(s.usageUs()).isEqualTo(7_000_123);
        assertThat(s.nrThrottled()).isEqualTo(7);
        assertThat(s.throttledUs()).isEqualTo(2_500_000);
        assertThat(noCpuYet.nrThrottled()).isZero();
    }

    @Test
    @DisplayName("a key is matched whole, not as a prefix of another (nr_throttled vs throttled_usec)")
    void keyMatchesWholeNames() {
        assertThat(CpuStatFiles.key("core_sched.force_idle_usec 9\nusage_usec 5\n", "usage_usec")).isEqualTo(5);
        assertThat(CpuStatFiles.key("usage_usec_total 9\n", "usage_usec")).isZero();
        assertThat(CpuStatFiles.key("usage_usec 5", "usage_usec")).isEqualTo(5);
    }

    @Test
    @DisplayName("a cgroup that is gone gives an error that names the file")
    void shouldNameAMissingFile() {
        Path gone = dir.resolve("gone");

        assertThatThrownBy(() -> CpuStatFiles.of(CgroupMode.V2, gone, null, null).read())
                .isInstanceOf(CgroupException.class)
                .hasMessageStartingWith("failed to read " + gone.resolve("cpu.stat") + ": ");
    }

    private Path write(String cgroup, String file, String text) throws IOException {
        Path d = Files.createDirectories(dir.resolve(cgroup));
        Files.writeString(d.resolve(file), text);
        return d;
    }
}
