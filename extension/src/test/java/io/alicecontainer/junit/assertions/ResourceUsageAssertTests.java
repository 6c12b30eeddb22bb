package io.alicecontainer.junit.assertions;

import static java.lang.String.format;
import static io.alicecontainer.junit.ResourceAssertions.kibibytes;
import static io.alicecontainer.junit.ResourceAssertions.mebibytes;
import static io.alicecontainer.junit.assertions.Samples.usage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.alicecontainer.ResourceUsage;
import io.alicecontainer.junit.ResourceAssertions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("ResourceUsage assertions: memory, pids, OOM kills and kept descriptions")
class ResourceUsageAssertTests {

    @Test
    void passesWhenPeakMemoryIsWithinTheLimit() {
        ResourceUsage usage = usage().build();

        ResourceAssertions.assertThat(usage).memory().peak()
                .isLessThan(mebibytes(64)).isAtMost("48M").isGreaterThan(kibibytes(1)).isBetween(0, mebibytes(48));
    }

    @Test
    void failsWithBothValuesInMebibytesWhenPeakMemoryIsOverTheLimit() {
        ResourceUsage usage = usage().build();

        assertThatThrownBy(() -> ResourceAssertions.assertThat(usage).memory().peak().isLessThan(mebibytes(32)))
                .isInstanceOf(AssertionError.class)
                .hasMessage(format("%nExpecting peak memory:%n  48.0 MiB%nto be less than:%n  32.0 MiB"));
    }

    @Test
    void readsSizesAsXmxDoes() {
        ResourceUsage usage = usage().build();

        assertThatThrownBy(() -> ResourceAssertions.assertThat(usage).memory().peak().isAtMost("32M"))
                .hasMessage(format("%nExpecting peak memory:%n  48.0 MiB%nto be less than or equal to:%n  32.0 MiB"));
    }

    @Test
    void showsExactBytesWhenBothValuesRoundAlike() {
        ResourceUsage usage = usage().memoryPeak(mebibytes(32) + 1).build();

        assertThatThrownBy(() -> ResourceAssertions.assertThat(usage).memory().peak().isAtMost(mebibytes(32)))
                .hasMessage(format("%nExpecting peak memory:%n  32.0 MiB (33554433 bytes)%n"
                        + "to be less than or equal to:%n  32.0 MiB (33554432 bytes)"));
    }

    @Test
    void failsOnAValueTheHostDoesNotReportInsteadOfPassingALessThanCheck() {
        ResourceUsage usage = usage().memoryPeak(-1).build();

        assertThatThrownBy(() -> ResourceAssertions.assertThat(usage).memory().peak().isLessThan(mebibytes(32)))
                .hasMessage(format("%nExpecting peak memory to be measured,%nbut peak memory is not reported on this host (-1)"));
        assertThatThrownBy(() -> ResourceAssertions.assertThat(usage).io().readBytes().isZero())
                .hasMessageContaining("io bytes read is not reported on this host (-1)");
    }

    @Test
    void failsOutsideARange() {
        ResourceUsage usage = usage().build();

        assertThatThrownBy(() -> ResourceAssertions.assertThat(usage).memory().current().isBetween(0, mebibytes(16)))
                .hasMessage(format("%nExpecting current memory:%n  20.0 MiB%nto be between:%n  [0 B, 16.0 MiB]"));
    }

    @Test
    void navigationKeepsTheDescriptionGivenBeforeIt() {
        ResourceUsage usage = usage().build();

        assertThatThrownBy(() -> ResourceAssertions.assertThat(usage).as("parser run").memory().peak()
                .isLessThan(mebibytes(32)))
                .hasMessage(format("[parser run] %nExpecting peak memory:%n  48.0 MiB%nto be less than:%n  32.0 MiB"));
        assertThatThrownBy(() -> ResourceAssertions.assertThat(usage).cpu().describedAs("warm run").time()
                .isLessThan("500ms"))
                .hasMessageStartingWith("[warm run] ");
    }

    @Test
    void navigationKeepsAnOverridingMessage() {
        ResourceUsage usage = usage().build();

        assertThatThrownBy(() -> ResourceAssertions.assertThat(usage).withFailMessage("over budget").pids().peak()
                .isAtMost(4))
                .hasMessage("over budget");
    }

    @Test
    void checksPids() {
        ResourceUsage usage = usage().build();

        ResourceAssertions.assertThat(usage).pids().peak().isAtMost(12).isPositive();
        assertThatThrownBy(() -> ResourceAssertions.assertThat(usage).pids().peak().isAtMost(5))
                .hasMessage(format("%nExpecting peak pids:%n  12%nto be less than or equal to:%n  5"));
    }

    @Test
    void checksOomKills() {
        ResourceAssertions.assertThat(usage().build()).hasNoOomKills().oomKills().isZero();
        ResourceAssertions.assertThat(usage().oomKills(2).build()).hasOomKills();

        assertThatThrownBy(() -> ResourceAssertions.assertThat(usage().oomKills(2).build()).hasNoOomKills())
                .hasMessage(format("%nExpecting no OOM kills,%nbut the OOM killer killed 2 processes (memory peak 48.0 MiB)"));
        assertThatThrownBy(() -> ResourceAssertions.assertThat(usage().build()).hasOomKills())
                .hasMessage(format("%nExpecting OOM kills,%nbut the OOM killer killed no process (memory peak 48.0 MiB)"));
        assertThatThrownBy(() -> ResourceAssertions.assertThat(usage().oomKills(-1).build()).hasNoOomKills())
                .hasMessage(format("%nExpecting oom kills to be measured,%nbut oom kills is not reported on this host (-1)"));
    }

    @Test
    void failsOnNullAsAssertJDoes() {
        assertThatThrownBy(() -> ResourceAssertions.assertThat((ResourceUsage) null).memory())
                .hasMessageContaining("Expecting actual not to be null");
    }

    @Test
    void convertsBinaryUnits() {
        assertThat(ResourceAssertions.kibibytes(3)).isEqualTo(3072L);
        assertThat(ResourceAssertions.mebibytes(1)).isEqualTo(1_048_576L);
        assertThat(ResourceAssertions.gibibytes(2)).isEqualTo(2L << 30);
    }
}
