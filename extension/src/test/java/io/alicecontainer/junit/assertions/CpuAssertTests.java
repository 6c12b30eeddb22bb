package io.alicecontainer.junit.assertions;

import static java.lang.String.format;
import static io.alicecontainer.junit.assertions.Samples.usage;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Percentage.withPercentage;

import io.alicecontainer.ResourceUsage;
import io.alicecontainer.junit.ResourceAssertions;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("CPU assertions: times in milliseconds, throttling")
class CpuAssertTests {

    @Test
    void passesWhenCpuTimeIsWithinTheBudget() {
        ResourceUsage usage = usage().build();

        ResourceAssertions.assertThat(usage).cpu().time()
                .isLessThan("1s").isLessThan(Duration.ofMillis(700)).isAtMost("612.5ms").isGreaterThan("500ms")
                .isBetween("600ms", "1.5s").isCloseTo(Duration.ofMillis(600), withPercentage(5))
                .isCloseTo(Duration.ofMillis(610), Duration.ofMillis(3));
        ResourceAssertions.assertThat(usage).cpu().systemTime().isLessThan("150000us");
    }

    @Test
    void failsWithBothTimesInMilliseconds() {
        ResourceUsage usage = usage().build();

        assertThatThrownBy(() -> ResourceAssertions.assertThat(usage).cpu().time().isLessThan("500ms"))
                .isInstanceOf(AssertionError.class)
                .hasMessage(format("%nExpecting cpu time:%n  612.5 ms%nto be less than:%n  500.0 ms"));
        assertThatThrownBy(() -> ResourceAssertions.assertThat(usage).cpu().userTime().isGreaterThan("2s"))
                .hasMessage(format("%nExpecting cpu user time:%n  512.5 ms%nto be greater than:%n  2000.0 ms"));
    }

    @Test
    void showsMoreDigitsWhenBothTimesRoundAlike() {
        ResourceUsage usage = usage().build();

        assertThatThrownBy(() -> ResourceAssertions.assertThat(usage).cpu().time().isLessThan("612.45ms"))
                .hasMessage(format("%nExpecting cpu time:%n  612.500000 ms%nto be less than:%n  612.450000 ms"));
    }

    @Test
    void failsWhenNotCloseEnough() {
        ResourceUsage usage = usage().build();

        assertThatThrownBy(() -> ResourceAssertions.assertThat(usage).cpu().time()
                .isCloseTo(Duration.ofMillis(500), withPercentage(10)))
                .hasMessage(format("%nExpecting cpu time:%n  612.5 ms%nto be close to:%n  500.0 ms%n"
                        + "by less than 10.0%% but difference was 22.5%%"));
        assertThatThrownBy(() -> ResourceAssertions.assertThat(usage).cpu().time()
                .isCloseTo(Duration.ofMillis(600), Duration.ofMillis(10)))
                .hasMessage(format("%nExpecting cpu time:%n  612.5 ms%nto be close to:%n  600.0 ms%n"
                        + "by less than 10.0 ms but difference was 12.5 ms"));
    }

    @Test
    void rejectsADurationWithoutAUnit() {
        ResourceUsage usage = usage().build();

        assertThatThrownBy(() -> ResourceAssertions.assertThat(usage).cpu().time().isLessThan("500"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("`500` is not a duration");
    }

    @Test
    void checksThrottling() {
        ResourceUsage unthrottled = usage().build();
        ResourceUsage throttled = usage().throttled(7, Duration.ofMillis(412).plusNanos(300_000)).build();

        ResourceAssertions.assertThat(unthrottled).cpu().isNotThrottled().throttledPeriods().isZero();
        ResourceAssertions.assertThat(throttled).cpu().isThrottled().throttledTime().isGreaterThan("400ms");

        assertThatThrownBy(() -> ResourceAssertions.assertThat(throttled).cpu().isNotThrottled())
                .hasMessage(format("%nExpecting cpu not to be throttled,%nbut it was throttled in 7 periods for 412.3 ms"));
        assertThatThrownBy(() -> ResourceAssertions.assertThat(unthrottled).cpu().isThrottled())
                .hasMessage(format("%nExpecting cpu to be throttled by its limit,%nbut it was throttled in no period"));
    }

    @Test
    void failsOnThrottlingTheHostDoesNotReport() {
        ResourceUsage usage = usage().throttled(-1, Duration.ZERO).build();

        assertThatThrownBy(() -> ResourceAssertions.assertThat(usage).cpu().isNotThrottled())
                .hasMessage(format("%nExpecting cpu throttled periods to be measured,%n"
                        + "but cpu throttled periods is not reported on this host (-1)"));
    }
}
