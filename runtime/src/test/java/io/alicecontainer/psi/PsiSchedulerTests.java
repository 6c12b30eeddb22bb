package io.alicecontainer.psi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.alicecontainer.Container;
import io.alicecontainer.ContainerProcess;
import io.alicecontainer.cgroup.CgroupController;
import io.alicecontainer.testing.RequiresRoot;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@RequiresRoot
@DisplayName("PsiScheduler on this machine's kernel")
class PsiSchedulerTests {

    @BeforeEach
    void psiAvailable() {
        Hogs.assumePsi();
    }

    @Test
    @DisplayName("raises the quota of a starved spinning cgroup on cpu pressure, and lowers it again after the calm period")
    void raisesThenLowers() throws Exception {
        try (Container c = Hogs.container("psi-sched", 10);
             PsiScheduler s = PsiScheduler.builder(c.cgroup()).quotaBoundsUs(10_000, 50_000).stepUs(20_000)
                     .calmPeriod(Duration.ofSeconds(3)).build()) {
            System.out.println("[psi] " + s + ": " + s.registration().reason());
            assertThat(s.quotaUs()).isEqualTo(10_000);
            assertThat(Hogs.kernelQuotaUs(c.cgroup())).isEqualTo(10_000);
            Duration window = s.registration().effectiveTrigger().window();

            List<QuotaDecision> whileBusy;
            try (ContainerProcess spinner = Hogs.spin(c)) {
                whileBusy = s.wait(window.plusMillis(2500));
                assertThat(whileBusy).as("a decision within one window").first().isInstanceOf(QuotaDecision.Raised.class);
                assertThat(whileBusy.get(0).oldQuotaUs()).isEqualTo(10_000);
                assertThat(whileBusy.get(0).newQuotaUs()).isEqualTo(30_000);
                assertThat(whileBusy.get(0).reason()).contains("cpu pressure event");
                assertThat(s.quotaUs()).isEqualTo(30_000);
                assertThat(Hogs.kernelQuotaUs(c.cgroup())).as("the kernel's quota").isEqualTo(30_000);
            }

            // The spinner is gone: events of the last window may still come, then calm.
            List<QuotaDecision> after = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(12).toNanos();
            while (after.stream().noneMatch(d -> d instanceof QuotaDecision.Lowered) && System.nanoTime() < deadline) {
                after.addAll(s.wait(Duration.ofNanos(deadline - System.nanoTime())));
            }
            System.out.println("[psi] decisions: " + s.decisions());

            QuotaDecision lowered = after.stream().filter(d -> d instanceof QuotaDecision.Lowered).findFirst().orElseThrow();
            assertThat(lowered.oldQuotaUs()).isGreaterThan(lowered.newQuotaUs());
            assertThat(lowered.reason()).contains("no cpu pressure event for", "calm period 3 s");
            assertThat(Hogs.kernelQuotaUs(c.cgroup())).isEqualTo(s.quotaUs()).isEqualTo(lowered.newQuotaUs());
        }
    }

    @Test
    @DisplayName("at the maximum a pressure event changes nothing and says so")
    void unchangedAtMax() throws Exception {
        try (Container c = Hogs.container("psi-sched-max", 10);
             PsiScheduler s = PsiScheduler.builder(c.cgroup()).trigger("some 100000 2000000").quotaBoundsUs(10_000, 20_000)
                     .initialQuotaUs(20_000).calmPeriod(Duration.ofSeconds(10)).build();
             ContainerProcess spinner = Hogs.spin(c)) {
            List<QuotaDecision> d = s.wait(Duration.ofMillis(4500));

            assertThat(d).first().isInstanceOfSatisfying(QuotaDecision.Unchanged.class, u -> {
                assertThat(u.oldQuotaUs()).isEqualTo(20_000);
                assertThat(u.newQuotaUs()).isEqualTo(20_000);
                assertThat(u.reason()).contains("already at its maximum 20000 µs");
            });
            assertThat(Hogs.kernelQuotaUs(c.cgroup())).isEqualTo(20_000);
        }
    }

    @Test
    @DisplayName("refuses a calm period shorter than the effective window, naming both, and leaves nothing open")
    void refusesShortCalmPeriod() {
        try (CgroupController cg = CgroupController.create("psi-sched-calm")) {
            PsiScheduler.Builder b = PsiScheduler.builder(cg).trigger("some 50000 1000000").calmPeriod(Duration.ofSeconds(1));

            if (PsiWindows.hasCapSysResource()) {
                b.build().close();
            } else {
                assertThatThrownBy(b::build).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("calmPeriod 1 s is shorter than the effective trigger window 2 s");
            }
        }
    }

    @Test
    @DisplayName("checks its settings before touching the cgroup")
    void checksSettings() {
        try (CgroupController cg = CgroupController.create("psi-sched-bad")) {
            assertThatThrownBy(() -> PsiScheduler.builder(cg).quotaBoundsUs(50_000, 10_000))
                    .hasMessage("the maximum quota 10000 µs is below the minimum 50000 µs");
            assertThatThrownBy(() -> PsiScheduler.builder(cg).trigger("some 1 2000000").trigger(PsiTrigger.parse(PsiResource.IO, "some 1 2000000")))
                    .hasMessageContaining("reacts to cpu pressure, but the trigger is for io");
            assertThatThrownBy(() -> PsiScheduler.builder(cg).initialQuotaUs(5_000).build())
                    .hasMessage("the initial quota 5000 µs is outside 10000..100000 µs");
        }
    }
}
