package io.alicecontainer.cgroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.time.Duration;
import java.util.Map;

import io.alicecontainer.Pressure;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The cgroup file formats, parsed from sample contents. */
@DisplayName("CgroupStats parses cgroup file formats")
class CgroupStatsTests {

    @Test
    @DisplayName("cpu.stat is read as flat keyed counters")
    void shouldParseCpuStat() {
        // given
        String cpuStat = """
                usage_usec 488962073
                user_usec 351727622
                system_usec 137234450
                nice_usec 0
                core_sched.force_idle_usec 0
                nr_periods 120
                nr_throttled 7
                throttled_usec 35000
                nr_bursts 0
                burst_usec 0
                """;

        // when
        Map<String, Long> stats = CgroupStats.flatKeyed(cpuStat);

        // then
        assertThat(stats).contains(entry("usage_usec", 488962073L), entry("user_usec", 351727622L),
                entry("system_usec", 137234450L), entry("nr_throttled", 7L), entry("throttled_usec", 35000L),
                entry("core_sched.force_idle_usec", 0L));
        assertThat(stats).hasSize(10);
    }

    @Test
    @DisplayName("memory.events is read as flat keyed counters; lines that are no counters are skipped")
    void shouldParseMemoryEvents() {
        // given
        String events = "low 0\nhigh 0\nmax 12\noom 1\noom_kill 1\noom_group_kill 0\n\nnot a line\nlimit max\n";

        // when
        Map<String, Long> stats = CgroupStats.flatKeyed(events);

        // then
        assertThat(stats).containsOnly(entry("low", 0L), entry("high", 0L), entry("max", 12L), entry("oom", 1L),
                entry("oom_kill", 1L), entry("oom_group_kill", 0L));
    }

    @Test
    @DisplayName("limits: v2's max and v1's page-aligned LONG_MAX are both unlimited")
    void shouldParseLimits() {
        assertThat(CgroupStats.parseLimit("max")).isEqualTo(Long.MAX_VALUE);
        assertThat(CgroupStats.parseLimit("9223372036854771712")).isEqualTo(Long.MAX_VALUE);
        assertThat(CgroupStats.parseLimit("67108864")).isEqualTo(67108864L);
        assertThat(CgroupStats.parseLimit("0")).isZero();
    }

    @Test
    @DisplayName("a PSI file gives totals in µs as Durations and the averages in percent")
    void shouldParsePressure() {
        // given
        String cpuPressure = "some avg10=1.23 avg60=8.54 avg300=11.81 total=89028071\n"
                + "full avg10=0.10 avg60=0.20 avg300=0.30 total=12345\n";

        // when
        Pressure p = CgroupStats.pressure(cpuPressure);

        // then
        assertThat(p.available()).isTrue();
        assertThat(p.someTotal()).isEqualTo(Duration.ofNanos(89028071L * 1000)).isEqualTo(Duration.ofMillis(89028).plusNanos(71000));
        assertThat(p.fullTotal()).isEqualTo(Duration.ofNanos(12_345_000));
        assertThat(p.someAvg10()).isEqualTo(1.23);
        assertThat(p.someAvg60()).isEqualTo(8.54);
        assertThat(p.someAvg300()).isEqualTo(11.81);
        assertThat(p.fullAvg10()).isEqualTo(0.10);
        assertThat(p.fullAvg60()).isEqualTo(0.20);
        assertThat(p.fullAvg300()).isEqualTo(0.30);
    }

    @Test
    @DisplayName("a PSI file with only a some line (cpu.pressure before Linux 5.13) has zero full stall")
    void shouldParsePressureWithoutFullLine() {
        // when
        Pressure p = CgroupStats.pressure("some avg10=0.00 avg60=0.00 avg300=0.00 total=16093\n");

        // then
        assertThat(p.someTotal()).isEqualTo(Duration.ofNanos(16_093_000));
        assertThat(p.fullTotal()).isZero();
        assertThat(p.fullAvg10()).isZero();
    }

    @Test
    @DisplayName("io.stat bytes are summed over all devices")
    void shouldSumIoStat() {
        // given
        String ioStat = "8:0 rbytes=1 wbytes=2 rios=3 wios=4 dbytes=0 dios=0\n"
                + "253:1 rbytes=4096 wbytes=8192 rios=1 wios=2 dbytes=512 dios=1\n";

        // when
        long[] rw = CgroupStats.ioStatBytes(ioStat);

        // then
        assertThat(rw).containsExactly(4097, 8194);
        assertThat(CgroupStats.ioStatBytes("")).containsExactly(0, 0);
    }

    @Test
    @DisplayName("v1 blkio bytes count Read and Write lines, not Sync, Async or the Total lines")
    void shouldSumBlkio() {
        // given
        String blkio = """
                8:0 Read 4096
                8:0 Write 8192
                8:0 Sync 8192
                8:0 Async 4096
                8:0 Discard 0
                8:0 Total 12288
                8:16 Read 1
                8:16 Write 2
                Total 12291
                """;

        // when
        long[] rw = CgroupStats.blkioBytes(blkio);

        // then
        assertThat(rw).containsExactly(4097, 8194);
        assertThat(CgroupStats.blkioBytes("Total 0\n")).containsExactly(0, 0);
    }
}
