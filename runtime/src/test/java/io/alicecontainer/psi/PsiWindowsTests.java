package io.alicecontainer.psi;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("PsiWindows: the nearest window an unprivileged process may use")
class PsiWindowsTests {

    @ParameterizedTest(name = "{0} ms -> {1} s")
    @CsvSource({"500,2", "1000,2", "2000,2", "2900,2", "3000,4", "4999,4", "5000,6", "9000,10", "10000,10"})
    @DisplayName("rounds to the nearest multiple of 2 s within 2..10 s, a tie to the longer window")
    void nearest(long requestedMs, long expectedS) {
        assertThat(PsiWindows.nearestUnprivileged(Duration.ofMillis(requestedMs))).isEqualTo(Duration.ofSeconds(expectedS));
    }

    @Test
    @DisplayName("scales the threshold with the window: 150 ms per 1 s becomes 300 ms per 2 s")
    void scalesThreshold() {
        PsiTrigger adapted = PsiWindows.adapt(PsiTrigger.parse(PsiResource.CPU, "some 150000 1000000"));

        assertThat(adapted.line()).isEqualTo("some 300000 2000000");
    }

    @Test
    @DisplayName("keeps the scaled threshold below the window and the scope of the trigger")
    void keepsThresholdBelowWindow() {
        PsiTrigger t = PsiTrigger.parse(PsiResource.IO, "full 2999999 3000000").in(java.nio.file.Path.of("/sys/fs/cgroup/unified/x"));

        PsiTrigger adapted = PsiWindows.adapt(t);

        assertThat(adapted.line()).isEqualTo("full 3999999 4000000");
        assertThat(adapted.cgroup()).isEqualTo(t.cgroup());
    }

    @Test
    @DisplayName("knows which windows need no adaptation")
    void accepted() {
        assertThat(PsiWindows.acceptedUnprivileged(Duration.ofSeconds(2))).isTrue();
        assertThat(PsiWindows.acceptedUnprivileged(Duration.ofSeconds(10))).isTrue();
        assertThat(PsiWindows.acceptedUnprivileged(Duration.ofSeconds(3))).isFalse();
        assertThat(PsiWindows.acceptedUnprivileged(Duration.ofMillis(1000))).isFalse();
    }

    @Test
    @DisplayName("the reason names the refused window, the rule, the new window and the scaling")
    void reason() {
        PsiTrigger requested = PsiTrigger.parse(PsiResource.CPU, "some 150000 1000000");

        String reason = PsiWindows.adaptedReason(requested, PsiWindows.adapt(requested), 22);

        assertThat(reason).contains("refused the window 1 s", "EINVAL", "CAP_SYS_RESOURCE", "multiples of 2 s",
                "nearest accepted window, 2 s", "from 150 ms to 300 ms", "15%", "`some 300000 2000000`");
    }
}
