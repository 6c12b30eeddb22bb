package io.alicecontainer.psi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("PsiTrigger: the kernel's trigger line, parsed, checked and written back")
class PsiTriggerTests {

    @Test
    @DisplayName("parses `some 150000 1000000` into 150 ms per 1 s and writes it back unchanged")
    void parsesAndFormats() {
        PsiTrigger t = PsiTrigger.parse(PsiResource.CPU, "some 150000 1000000");

        assertThat(t.kind()).isEqualTo(PsiKind.SOME);
        assertThat(t.threshold()).isEqualTo(Duration.ofMillis(150));
        assertThat(t.window()).isEqualTo(Duration.ofSeconds(1));
        assertThat(t.isSystemWide()).isTrue();
        assertThat(t.line()).isEqualTo("some 150000 1000000");
        assertThat(t).hasToString("cpu some 150 ms per 1 s system-wide");
    }

    @Test
    @DisplayName("accepts `full`, surrounding blanks and a trailing newline, as echo would write it")
    void parsesFullWithBlanks() {
        PsiTrigger t = PsiTrigger.parse(PsiResource.MEMORY, "  full 50000   2000000\n");

        assertThat(t.kind()).isEqualTo(PsiKind.FULL);
        assertThat(t.line()).isEqualTo("full 50000 2000000");
    }

    @Test
    @DisplayName("system-wide triggers use /proc/pressure/<resource>, cgroup triggers <cgroup>/<resource>.pressure")
    void pressureFiles() {
        PsiTrigger t = PsiTrigger.of(PsiResource.IO, PsiKind.SOME, Duration.ofMillis(100), Duration.ofSeconds(2));

        assertThat(t.pressureFile()).isEqualTo(Path.of("/proc/pressure/io"));
        assertThat(t.in(Path.of("/sys/fs/cgroup/unified/x")).pressureFile()).isEqualTo(Path.of("/sys/fs/cgroup/unified/x/io.pressure"));
        assertThat(t.in(Path.of("/sys/fs/cgroup/x")).systemWide()).isEqualTo(t);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "some", "some 150000", "sometimes 1 2", "some -1 1000000", "some 1.5 1000000", "avg 1 2", "some 1 2 3"})
    @DisplayName("refuses a line that is not `<some|full> <stall µs> <window µs>`, quoting it")
    void refusesMalformedLines(String line) {
        assertThatThrownBy(() -> PsiTrigger.parse(PsiResource.CPU, line))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("`" + line + "`")
                .hasMessageContaining("<some|full> <stall µs> <window µs>");
    }

    @Test
    @DisplayName("refuses a threshold that is not below the window")
    void refusesThresholdNotBelowWindow() {
        assertThatThrownBy(() -> PsiTrigger.parse(PsiResource.CPU, "some 1000000 1000000"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the stall threshold 1 s must be less than the window 1 s");
    }

    @Test
    @DisplayName("refuses a zero threshold")
    void refusesZeroThreshold() {
        assertThatThrownBy(() -> PsiTrigger.parse(PsiResource.CPU, "some 0 1000000"))
                .hasMessageContaining("at least 1 µs");
    }

    @ParameterizedTest
    @ValueSource(strings = {"some 1000 499999", "some 1000 10000001", "some 1 0"})
    @DisplayName("refuses a window outside 500 ms..10 s, as psi.rst documents")
    void refusesWindowOutOfRange(String line) {
        assertThatThrownBy(() -> PsiTrigger.parse(PsiResource.CPU, line))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("outside 500 ms..10 s");
    }

    @Test
    @DisplayName("accepts the bounds 500 ms and 10 s")
    void acceptsBounds() {
        assertThat(PsiTrigger.parse(PsiResource.CPU, "some 1 500000").window()).isEqualTo(Duration.ofMillis(500));
        assertThat(PsiTrigger.parse(PsiResource.CPU, "full 9999999 10000000").window()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    @DisplayName("refuses durations that are not whole microseconds and relative cgroup paths")
    void refusesSubMicrosAndRelativePaths() {
        assertThatThrownBy(() -> PsiTrigger.of(PsiResource.CPU, PsiKind.SOME, Duration.ofNanos(1500), Duration.ofSeconds(1)))
                .hasMessageContaining("whole number of microseconds");
        PsiTrigger t = PsiTrigger.parse(PsiResource.CPU, "some 1000 1000000");
        assertThatThrownBy(() -> t.in(Path.of("alice/x"))).hasMessageContaining("must be an absolute path");
    }

    @Test
    @DisplayName("resources by name: cpu, memory, io, and a clear error for others")
    void resources() {
        assertThat(PsiResource.of("memory")).isEqualTo(PsiResource.MEMORY);
        assertThat(PsiResource.CPU.cgroupFileName()).isEqualTo("cpu.pressure");
        assertThatThrownBy(() -> PsiResource.of("irq")).hasMessage("PSI resource `irq` is not one of cpu, memory, io");
    }
}
