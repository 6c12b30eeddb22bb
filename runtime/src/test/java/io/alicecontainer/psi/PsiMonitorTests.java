package io.alicecontainer.psi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.alicecontainer.Container;
import io.alicecontainer.ContainerProcess;
import io.alicecontainer.cgroup.CgroupController;
import io.alicecontainer.testing.RequiresRoot;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@RequiresRoot
@DisplayName("PsiMonitor on this machine's kernel")
class PsiMonitorTests {
    /** Unprivileged triggers are evaluated with the averages, every ~2 s: an event may come that much after the window. */
    private static final Duration AGGREGATION_SLACK = Duration.ofMillis(2500);

    @BeforeEach
    void psiAvailable() {
        Hogs.assumePsi();
    }

    @Test
    @DisplayName("one epoll, two cgroups at 10%: the spinning one raises a cpu event within one effective window, the idle one none")
    void busyFiresIdleDoesNot() {
        try (Container busy = Hogs.container("psi-busy", 10); Container idle = Hogs.container("psi-idle", 10);
             PsiMonitor monitor = PsiMonitor.open()) {
            PsiTrigger trigger = PsiTrigger.parse(PsiResource.CPU, "some 150000 1000000");
            PsiRegistration busyTrigger = monitor.register(trigger.in(busy.cgroup()));
            PsiRegistration idleTrigger = monitor.register(trigger.in(idle.cgroup()));
            Duration window = busyTrigger.effectiveTrigger().window();
            List<PressureEvent> events = new ArrayList<>();

            try (ContainerProcess spinner = Hogs.spin(busy); ContainerProcess sleeper = Hogs.sleep(idle)) {
                long start = System.nanoTime();
                long deadline = start + window.plus(AGGREGATION_SLACK).toNanos();
                while (events.stream().noneMatch(e -> e.triggerId() == busyTrigger.id()) && System.nanoTime() < deadline) {
                    events.addAll(monitor.poll(Duration.ofNanos(Math.max(0, deadline - System.nanoTime()))));
                }
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                // The idle cgroup gets the same time again, measured from the busy one's event.
                events.addAll(monitor.poll(window));
                System.out.println("[psi] busy cgroup's first cpu event after " + took.toMillis() + " ms (effective trigger "
                        + busyTrigger.effectiveTrigger().line() + "); events: " + events);

                assertThat(events).as("events within %s + %s", window, AGGREGATION_SLACK)
                        .anySatisfy(e -> {
                            assertThat(e.triggerId()).isEqualTo(busyTrigger.id());
                            assertThat(e.resource()).isEqualTo(PsiResource.CPU);
                            assertThat(e.kind()).isEqualTo(PsiKind.SOME);
                            assertThat(e.window()).isEqualTo(window);
                            assertThat(e.cgroup()).isEqualTo(busy.cgroup().v2Path().orElseThrow());
                        });
                assertThat(events).noneMatch(e -> e.triggerId() == idleTrigger.id());
            }
        }
    }

    @Test
    @DisplayName("stall from before the trigger was written raises no event (the kernel may signal it; the monitor ignores it)")
    void staleStallRaisesNoEvent() throws Exception {
        try (Container c = Hogs.container("psi-stale", 10); PsiMonitor monitor = PsiMonitor.open()) {
            // ~1.1 s of stall, then no quota: a sleep loop keeps the cgroup active without stalling.
            c.exec("timeout", "1.2", "sh", "-c", Hogs.SPIN);
            c.cgroup().setCpuMax(-1, 100_000);
            try (ContainerProcess ticker = c.launch(io.alicecontainer.Command.builder("sh", "-c", "while :; do sleep 0.1; done").build())) {
                Thread.sleep(2100);   // the spin is out of every 2 s window now
                PsiRegistration r = monitor.register(PsiTrigger.parse(PsiResource.CPU, "some 500000 2000000").in(c.cgroup()));

                List<PressureEvent> events = monitor.poll(Duration.ofMillis(4200));

                System.out.println("[psi] stale signals ignored: " + r.ignoredStaleEvents() + ", events: " + events);
                assertThat(events).isEmpty();
            }
        }
    }

    @Test
    @DisplayName("a requested 1 s window becomes the nearest accepted one, and the registration says so and why")
    void windowAdaptationIsVisible() {
        try (CgroupController cg = CgroupController.create("psi-window"); PsiMonitor monitor = PsiMonitor.open()) {
            PsiRegistration r = monitor.register(PsiTrigger.parse(PsiResource.CPU, "some 150000 1000000").in(cg));
            PsiRegistration system = monitor.register(PsiTrigger.parse(PsiResource.MEMORY, "full 100000 1000000"));
            System.out.println("[psi] " + r + ": " + r.reason());
            System.out.println("[psi] " + system + ": " + system.reason());

            assertThat(r.requestedTrigger().line()).isEqualTo("some 150000 1000000");
            if (PsiWindows.hasCapSysResource()) {
                assertThat(r.isAdapted()).as(r.reason()).isFalse();
                assertThat(r.reason()).isEqualTo("accepted as requested");
            } else {
                assertThat(r.isAdapted()).isTrue();
                assertThat(r.effectiveTrigger().line()).isEqualTo("some 300000 2000000");
                assertThat(r.effectiveTrigger().cgroup()).isEqualTo(cg.v2Path().orElseThrow());
                assertThat(r.reason()).contains("refused the window 1 s", "lacks CAP_SYS_RESOURCE", "multiples of 2 s", "2 s");
                assertThat(system.effectiveTrigger().line()).as("system-wide, through /proc/pressure/memory").isEqualTo("full 200000 2000000");
            }
            assertThat(monitor.registrations()).containsExactly(r, system);
        }
    }

    @Test
    @DisplayName("a window the kernel accepts as it is stays as requested")
    void acceptedWindowStays() {
        try (CgroupController cg = CgroupController.create("psi-window-ok"); PsiMonitor monitor = PsiMonitor.open()) {
            PsiRegistration r = monitor.register(PsiTrigger.parse(PsiResource.IO, "some 50000 4000000").in(cg));

            assertThat(r.isAdapted()).isFalse();
            assertThat(r.effectiveTrigger()).isEqualTo(r.requestedTrigger());
            assertThat(r.reason()).startsWith("accepted as requested");
        }
    }

    @Test
    @DisplayName("removing the cgroup ends its trigger: the monitor reports it dropped (EPOLLERR) and goes on with the others")
    void droppedWhenCgroupRemoved() {
        try (PsiMonitor monitor = PsiMonitor.open(); CgroupController keep = CgroupController.create("psi-keep")) {
            CgroupController gone = CgroupController.create("psi-gone");
            PsiRegistration r;
            PsiRegistration other;
            try {
                r = monitor.register(PsiTrigger.parse(PsiResource.CPU, "some 100000 2000000").in(gone));
                other = monitor.register(PsiTrigger.parse(PsiResource.CPU, "some 100000 2000000").in(keep));
            } finally {
                gone.destroy();
            }

            List<PressureEvent> events = monitor.poll(Duration.ofSeconds(2));

            assertThat(events).isEmpty();
            assertThat(monitor.dropped()).singleElement().satisfies(d -> {
                assertThat(d.registration()).isSameAs(r);
                assertThat(d.reason()).contains("the cgroup " + gone.path() + " was removed", "EPOLLERR", "cpu.pressure");
            });
            assertThat(r.isActive()).isFalse();
            assertThat(monitor.registrations()).containsExactly(other);
        }
    }

    @Test
    @DisplayName("in the background, events go to the listener; close() wakes and ends the thread at once")
    void backgroundModeStopsOnClose() throws Exception {
        List<PressureEvent> seen = new CopyOnWriteArrayList<>();
        CountDownLatch first = new CountDownLatch(1);
        Thread thread;
        try (Container busy = Hogs.container("psi-listener", 10); PsiMonitor monitor = PsiMonitor.open()) {
            monitor.register(PsiTrigger.parse(PsiResource.CPU, "some 100000 2000000").in(busy.cgroup()));
            monitor.start(e -> {
                seen.add(e);
                first.countDown();
            });
            thread = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("alice-psi-monitor")).findFirst().orElseThrow();
            assertThatThrownBy(() -> monitor.poll(Duration.ZERO)).hasMessageContaining("runs in the background");
            try (ContainerProcess spinner = Hogs.spin(busy)) {
                assertThat(first.await(2000 + AGGREGATION_SLACK.toMillis(), TimeUnit.MILLISECONDS)).as("an event within a window").isTrue();
            }
            long t0 = System.nanoTime();
            monitor.close();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(500));
        }
        assertThat(thread.isAlive()).isFalse();
        assertThat(seen).allMatch(e -> e.resource() == PsiResource.CPU);
    }

    @Test
    @DisplayName("close() from another thread ends a poll that waits")
    void closeEndsPoll() throws Exception {
        PsiMonitor monitor = PsiMonitor.open();
        Thread closer = new Thread(() -> {
            sleep(200);
            monitor.close();
        });
        closer.start();
        long t0 = System.nanoTime();

        List<PressureEvent> events = monitor.poll(Duration.ofSeconds(30));

        assertThat(events).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
        closer.join();
        assertThatThrownBy(() -> monitor.poll(Duration.ZERO)).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    @DisplayName("a trigger on a cgroup that does not exist fails with the file and the reason")
    void missingCgroup() {
        try (PsiMonitor monitor = PsiMonitor.open()) {
            PsiTrigger t = PsiTrigger.parse(PsiResource.CPU, "some 100000 2000000").in(Path.of("/sys/fs/cgroup/unified/alice-no-such-cgroup"));

            assertThatThrownBy(() -> monitor.register(t))
                    .isInstanceOf(PsiException.class)
                    .hasMessageContaining("cannot open /sys/fs/cgroup/unified/alice-no-such-cgroup/cpu.pressure")
                    .hasMessageContaining("ENOENT");
            assertThat(monitor.registrations()).isEmpty();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
