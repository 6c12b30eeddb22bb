package io.alicecontainer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("ResourceUsage.since and Pressure.since")
class ResourceUsageTests {

    private static Pressure pressure(long someMs, long fullMs, double avg10) {
        return new Pressure(Duration.ofMillis(someMs), Duration.ofMillis(fullMs), avg10, avg10 / 2, avg10 / 4,
                avg10 / 10, 0, 0, true);
    }

    private static ResourceUsage usage(long peak, long current, long cpuMs, long throttled, long oom, long pidsPeak,
                                       long read, long write, Pressure cpu) {
        return new ResourceUsage(peak, current, Duration.ofMillis(cpuMs), Duration.ofMillis(cpuMs * 3 / 4),
                Duration.ofMillis(cpuMs / 4), throttled, Duration.ofMillis(throttled * 10), oom, pidsPeak, 1, read, write,
                cpu, Pressure.unavailable(), pressure(0, 0, 0));
    }

    @Test
    @DisplayName("counters and times are subtracted; peaks and current values are kept as now")
    void shouldSubtractCounters() {
        // given
        ResourceUsage before = usage(10 << 20, 8 << 20, 400, 2, 0, 5, 4096, 1024, pressure(100, 10, 1.0));
        ResourceUsage now = usage(48 << 20, 12 << 20, 1000, 7, 1, 9, 12288, 5120, pressure(350, 25, 3.5));

        // when
        ResourceUsage delta = now.since(before);

        // then
        assertThat(delta.memoryPeakBytes()).isEqualTo(48 << 20);
        assertThat(delta.memoryCurrentBytes()).isEqualTo(12 << 20);
        assertThat(delta.pidsPeak()).isEqualTo(9);
        assertThat(delta.pidsCurrent()).isEqualTo(1);
        assertThat(delta.cpuTime()).isEqualTo(Duration.ofMillis(600));
        assertThat(delta.cpuUserTime()).isEqualTo(Duration.ofMillis(750 - 300));
        assertThat(delta.cpuSystemTime()).isEqualTo(Duration.ofMillis(250 - 100));
        assertThat(delta.throttledPeriods()).isEqualTo(5);
        assertThat(delta.throttledTime()).isEqualTo(Duration.ofMillis(50));
        assertThat(delta.oomKills()).isEqualTo(1);
        assertThat(delta.ioReadBytes()).isEqualTo(8192);
        assertThat(delta.ioWriteBytes()).isEqualTo(4096);
        assertThat(delta.cpuPressure().someTotal()).isEqualTo(Duration.ofMillis(250));
        assertThat(delta.cpuPressure().fullTotal()).isEqualTo(Duration.ofMillis(15));
        assertThat(delta.memoryPressure().available()).isFalse();
    }

    @Test
    @DisplayName("-1 (unknown on this host) stays -1, and a known value is not made up from an unknown earlier one")
    void shouldKeepUnknownValues() {
        // given
        ResourceUsage before = usage(-1, -1, 0, -1, -1, -1, -1, 100, Pressure.unavailable());
        ResourceUsage now = usage(-1, -1, 10, -1, -1, -1, -1, 300, Pressure.unavailable());
        ResourceUsage knownLater = usage(1, 1, 10, 3, 0, 2, 50, 300, Pressure.unavailable());

        // when
        ResourceUsage delta = now.since(before);
        ResourceUsage fromUnknown = knownLater.since(before);

        // then
        assertThat(delta.memoryPeakBytes()).isEqualTo(-1);
        assertThat(delta.throttledPeriods()).isEqualTo(-1);
        assertThat(delta.oomKills()).isEqualTo(-1);
        assertThat(delta.pidsPeak()).isEqualTo(-1);
        assertThat(delta.ioReadBytes()).isEqualTo(-1);
        assertThat(delta.ioWriteBytes()).isEqualTo(200);
        assertThat(delta.cpuPressure()).isSameAs(Pressure.unavailable());
        assertThat(fromUnknown.throttledPeriods()).isEqualTo(3);
        assertThat(fromUnknown.ioReadBytes()).isEqualTo(50);
    }

    @Test
    @DisplayName("usage since NONE is the usage itself")
    void shouldBeItselfSinceNone() {
        // given
        ResourceUsage now = usage(1 << 20, 1 << 19, 123, 4, 0, 3, 10, 20, pressure(5, 1, 0.5));

        // when / then
        assertThat(now.since(ResourceUsage.NONE)).isEqualTo(now);
    }

    @Test
    @DisplayName("pressure: totals subtracted, averages as now")
    void shouldSubtractPressureTotals() {
        // given
        Pressure before = pressure(100, 10, 9.0);
        Pressure now = pressure(160, 40, 2.0);

        // when
        Pressure delta = now.since(before);

        // then
        assertThat(delta.someTotal()).isEqualTo(Duration.ofMillis(60));
        assertThat(delta.fullTotal()).isEqualTo(Duration.ofMillis(30));
        assertThat(delta.someAvg10()).isEqualTo(2.0);
        assertThat(delta.someAvg60()).isEqualTo(1.0);
        assertThat(delta.someAvg300()).isEqualTo(0.5);
        assertThat(delta.fullAvg10()).isEqualTo(0.2);
        assertThat(delta.available()).isTrue();
    }

    @Test
    @DisplayName("pressure: unavailable on either side gives the later value unchanged")
    void shouldKeepUnavailablePressure() {
        // given
        Pressure now = pressure(160, 40, 2.0);

        // then
        assertThat(Pressure.unavailable().since(now)).isSameAs(Pressure.unavailable());
        assertThat(now.since(Pressure.unavailable())).isSameAs(now);
        assertThat(Pressure.unavailable().since(Pressure.unavailable()).available()).isFalse();
        assertThat(Pressure.unavailable()).hasToString("unavailable");
    }
}
