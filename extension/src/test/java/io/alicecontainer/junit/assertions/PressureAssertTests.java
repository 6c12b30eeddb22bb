package io.alicecontainer.junit.assertions;

import static java.lang.String.format;
import static io.alicecontainer.junit.assertions.Samples.pressure;
import static io.alicecontainer.junit.assertions.Samples.usage;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.alicecontainer.Pressure;
import io.alicecontainer.ResourceUsage;
import io.alicecontainer.junit.ResourceAssertions;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Pressure (PSI) assertions: stall totals, averages, hosts without PSI")
class PressureAssertTests {

    @Test
    void passesOnLowPressure() {
        ResourceUsage usage = usage().build();

        ResourceAssertions.assertThat(usage).pressure().cpu()
                .isAvailable().someTotal().isLessThan("100ms");
        ResourceAssertions.assertThat(usage).pressure().cpu().someAvg10().isLessThan(5.0);
        ResourceAssertions.assertThat(pressure(Duration.ZERO, 0)).hasNoStall().fullTotal().isZero();
    }

    @Test
    void failsOnAStallWithTheStallTime() {
        ResourceUsage usage = usage().build();

        assertThatThrownBy(() -> ResourceAssertions.assertThat(usage).pressure().cpu().hasNoStall())
                .hasMessage(format("%nExpecting cpu pressure to have no stall,%nbut some tasks were stalled for:%n  40.0 ms%n"
                        + "(some 40.0 ms (avg10 2.50%%), full 0.0 ms)"));
        assertThatThrownBy(() -> ResourceAssertions.assertThat(usage).pressure().cpu().someTotal().isLessThan("10ms"))
                .hasMessage(format("%nExpecting cpu pressure some total:%n  40.0 ms%nto be less than:%n  10.0 ms"));
    }

    @Test
    void namesTheAverageInTheDescriptionOfAssertJsDoubleAssertion() {
        ResourceUsage usage = usage().build();

        assertThatThrownBy(() -> ResourceAssertions.assertThat(usage).as("load test").pressure().cpu().someAvg10()
                .isLessThan(1.0))
                .hasMessageStartingWith("[load test, cpu pressure some avg10 in percent] ")
                .hasMessageContaining("2.5");
    }

    @Test
    void failsOnEveryCheckWhereTheHostReportsNoPressure() {
        ResourceUsage usage = usage().cpuPressure(Pressure.unavailable()).build();
        String unavailable = "%nExpecting cpu pressure to be measured,%nbut cpu pressure is not reported on this host "
                + "(no PSI: pure cgroup v1, or PSI disabled in the kernel)";

        assertThatThrownBy(() -> ResourceAssertions.assertThat(usage).pressure().cpu().hasNoStall())
                .hasMessage(format(unavailable));
        assertThatThrownBy(() -> ResourceAssertions.assertThat(usage).pressure().cpu().someTotal())
                .hasMessage(format(unavailable));
        assertThatThrownBy(() -> ResourceAssertions.assertThat(usage).pressure().cpu().someAvg10())
                .hasMessage(format(unavailable));
        assertThatThrownBy(() -> ResourceAssertions.assertThat(Pressure.unavailable()).isAvailable())
                .hasMessageContaining("but pressure is not reported on this host");
    }
}
