package io.alicecontainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Durations written in assertions and shown in messages")
class DurationTextTests {

    @Test
    void parsesEveryUnit() {
        assertThat(DurationText.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(DurationText.parse("2s")).isEqualTo(Duration.ofSeconds(2));
        assertThat(DurationText.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(DurationText.parse("250us")).isEqualTo(Duration.ofNanos(250_000));
        assertThat(DurationText.parse("250µs")).isEqualTo(Duration.ofNanos(250_000));
        assertThat(DurationText.parse(" 40 ns ")).isEqualTo(Duration.ofNanos(40));
        assertThat(DurationText.parse("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(DurationText.parse("1min")).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void rejectsTextThatIsNotADuration() {
        assertThatThrownBy(() -> DurationText.parse("500")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("`500` is not a duration: use a number with a unit ns, us, ms, s, m or h, as in 500ms, 2s, 1.5s");
        assertThatThrownBy(() -> DurationText.parse("-2s")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DurationText.parse("2 hours")).isInstanceOf(IllegalArgumentException.class);
        assertThat(DurationText.parse("1h")).isEqualTo(Duration.ofHours(1));
        assertThatThrownBy(() -> DurationText.parse(null)).hasMessage("a duration is required, got null");
    }

    @Test
    void showsMilliseconds() {
        assertThat(DurationText.format(Duration.ofNanos(412_345_678))).isEqualTo("412.3 ms");
        assertThat(DurationText.formatExact(Duration.ofNanos(412_345_678))).isEqualTo("412.345678 ms");
    }
}
