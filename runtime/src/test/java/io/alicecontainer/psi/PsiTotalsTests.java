package io.alicecontainer.psi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("PsiTotals: the cumulative stall of a pressure file")
class PsiTotalsTests {
    private static final String CPU = "some avg10=15.94 avg60=2.87 avg300=0.60 total=2676554\n"
            + "full avg10=0.00 avg60=0.00 avg300=0.00 total=12\n";

    @Test
    @DisplayName("reads the total of the `some` and of the `full` line, in µs")
    void readsTotals() {
        assertThat(PsiTotals.parse(CPU, PsiKind.SOME)).isEqualTo(2_676_554);
        assertThat(PsiTotals.parse(CPU, PsiKind.FULL)).isEqualTo(12);
    }

    @Test
    @DisplayName("-1 where the line is missing (old kernels print no `full` for cpu)")
    void missingLine() {
        assertThat(PsiTotals.parse("some avg10=0.00 avg60=0.00 avg300=0.00 total=5\n", PsiKind.FULL)).isEqualTo(-1);
    }
}
