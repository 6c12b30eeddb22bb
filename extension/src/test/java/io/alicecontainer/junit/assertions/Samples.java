package io.alicecontainer.junit.assertions;

import static io.alicecontainer.junit.ResourceAssertions.mebibytes;

import io.alicecontainer.ExecResult;
import io.alicecontainer.Pressure;
import io.alicecontainer.ResourceUsage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/** Values as the runtime reads them, built directly: these tests need no container. */
final class Samples {
    private Samples() {
    }

    static Pressure pressure(Duration someTotal, double someAvg10) {
        return new Pressure(someTotal, Duration.ZERO, someAvg10, 1.5, 0.5, 0, 0, 0, true);
    }

    /** A usage with every figure reported: 48 MiB peak, 612.5 ms cpu, unthrottled, no OOM kill. */
    static Usage usage() {
        return new Usage();
    }

    static ExecResult exec(int exitCode, String stdout, String stderr) {
        return exec(exitCode, 0, false, false, stdout, stderr);
    }

    static ExecResult exec(int exitCode, int signal, boolean oomKilled, boolean timedOut, String stdout, String stderr) {
        return new ExecResult(List.of("sh", "-c", "make"), exitCode, signal, oomKilled, timedOut,
                stdout.getBytes(StandardCharsets.UTF_8), false, stderr.getBytes(StandardCharsets.UTF_8), false,
                Duration.ofMillis(1500), usage().build());
    }

    /** The record has 15 components; tests change one or two of them. */
    static final class Usage {
        long memoryPeak = mebibytes(48);
        long memoryCurrent = mebibytes(20);
        Duration cpuTime = Duration.ofMillis(612).plusNanos(500_000);
        long throttledPeriods = 0;
        Duration throttledTime = Duration.ZERO;
        long oomKills = 0;
        long pidsPeak = 12;
        Pressure cpuPressure = pressure(Duration.ofMillis(40), 2.5);

        Usage memoryPeak(long bytes) {
            memoryPeak = bytes;
            return this;
        }

        Usage throttled(long periods, Duration time) {
            throttledPeriods = periods;
            throttledTime = time;
            return this;
        }

        Usage oomKills(long kills) {
            oomKills = kills;
            return this;
        }

        Usage cpuPressure(Pressure pressure) {
            cpuPressure = pressure;
            return this;
        }

        ResourceUsage build() {
            return new ResourceUsage(memoryPeak, memoryCurrent, cpuTime, cpuTime.minusMillis(100),
                    Duration.ofMillis(100), throttledPeriods, throttledTime, oomKills, pidsPeak, 3, -1, -1, cpuPressure,
                    Pressure.unavailable(), Pressure.unavailable());
        }
    }
}
