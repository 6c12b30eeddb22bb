import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.alicecontainer.Command;
import io.alicecontainer.Container;
import io.alicecontainer.ContainerConfig;
import io.alicecontainer.ContainerProcess;
import io.alicecontainer.cgroup.CgroupController;
import io.alicecontainer.psi.PsiScheduler;
import io.alicecontainer.psi.QuotaDecision;

/**
 * Pressure reaction: how long after a CPU hog starts under a tight quota (10% of one CPU) the
 * quota is raised, event-driven (a {@link PsiScheduler} waiting on the cgroup's cpu.pressure
 * trigger; once with a cgroup that was idle before the hog, once with one already active) vs a
 * poller that reads cpu.stat every 10 ms and raises the quota as soon as the cgroup used its whole
 * quota in an interval (or nr_throttled grew); and what each monitor costs in CPU while its cgroup
 * is idle (its thread's CPU time, ThreadMXBean: user + system). Run by psi.sh, which passes the
 * settings as system properties: {@code runs} (per variant, alternating), {@code idle.seconds},
 * {@code poll.ms}, {@code prefix} (the start of every container name).
 */
public final class PsiReaction {
    private static final long MIN_US = 10_000;
    private static final long MAX_US = 50_000;
    private static final long STEP_US = 40_000;
    private static final long PERIOD_US = 100_000;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final java.util.Random PHASE = new java.util.Random(42);
    private static final java.util.Map<String, Integer> SIGNALS = new java.util.TreeMap<>();

    public static void main(String[] args) throws Exception {
        int runs = Integer.getInteger("runs", 10);
        int idleSeconds = Integer.getInteger("idle.seconds", 20);
        int pollMs = Integer.getInteger("poll.ms", 10);
        String prefix = System.getProperty("prefix", "psibench-");
        THREADS.setThreadCpuTimeEnabled(true);

        // Warm-up: one run of each, untimed (class loading, JIT of the spawn path).
        psiRun(prefix + "warm-psi", null);
        pollRun(prefix + "warm-poll", pollMs);

        double[] psi = new double[runs];
        double[] poll = new double[runs];
        double[] active = new double[runs];
        String trigger = null;
        for (int i = 0; i < runs; i++) {
            // Alternate which goes first, so a drift in the machine's load weighs on both.
            String[] t = new String[1];
            if (i % 2 == 0) {
                psi[i] = psiRun(prefix + "psi-" + i, t);
                active[i] = psiRun(prefix + "psa-" + i, null, true);
                poll[i] = pollRun(prefix + "poll-" + i, pollMs);
            } else {
                poll[i] = pollRun(prefix + "poll-" + i, pollMs);
                active[i] = psiRun(prefix + "psa-" + i, null, true);
                psi[i] = psiRun(prefix + "psi-" + i, t);
            }
            trigger = t[0];
            System.err.printf(Locale.ROOT, "[psi] run %d: PSI %.1f ms, PSI (cgroup active) %.1f ms, polling %.1f ms%n", i, psi[i], active[i], poll[i]);
        }

        java.util.Map<String, Integer> signals = new java.util.TreeMap<>(SIGNALS);
        double[] idle = idleCost(prefix, idleSeconds, pollMs);

        System.out.println("Reaction: CPU hog (`sh -c 'while :; do :; done'`) started in a container at cpuPercent(10), "
                + "until the quota is raised " + MIN_US + " -> " + (MIN_US + STEP_US) + " µs per " + PERIOD_US + " µs");
        System.out.println("runs per variant: " + runs + " (after one untimed run each), alternating");
        System.out.println("PSI trigger: " + trigger);
        System.out.println();
        System.out.println("| variant                                      | median ms |    min ms |    p90 ms |    max ms |");
        System.out.println("|----------------------------------------------|----------:|----------:|----------:|----------:|");
        row("PSI: PsiScheduler, idle cgroup before", psi);
        row("PSI: PsiScheduler, cgroup already active", active);
        row("polling: cpu.stat every " + pollMs + " ms", poll);
        System.out.println();
        System.out.println("The poller raised on (timed and warm-up runs): " + signals
                + " (usage: the cgroup used its whole quota in one interval; nr_throttled: the throttle count grew)");
        System.out.println();
        System.out.printf(Locale.ROOT, "Idle cost: each monitor on its own idle container (a `sleep`), both at once, %d s; CPU time of the monitor's thread%n", idleSeconds);
        System.out.println();
        System.out.println("| variant                                      | CPU ms in idle window | % of one CPU |");
        System.out.println("|----------------------------------------------|----------------------:|-------------:|");
        System.out.printf(Locale.ROOT, "| %-44s | %21.2f | %11.4f%% |%n", "PSI: PsiScheduler.wait in epoll_wait", idle[0], 100 * idle[0] / (idleSeconds * 1000.0));
        System.out.printf(Locale.ROOT, "| %-44s | %21.2f | %11.4f%% |%n", "polling: cpu.stat every " + pollMs + " ms (" + (long) idle[2] + " polls)",
                idle[1], 100 * idle[1] / (idleSeconds * 1000.0));
    }

    /** Milliseconds from the hog's launch to the scheduler's first Raised decision (quota written). */
    static double psiRun(String name, String[] triggerOut) throws Exception {
        return psiRun(name, triggerOut, false);
    }

    /**
     * With {@code active}, an idle Python loop ({@code time.sleep(0.1)}, no forks) runs in the
     * cgroup before the hog: the cgroup is not idle, so the kernel's per-cgroup averaging worker
     * (which also evaluates unprivileged triggers) is already ticking every 2 s when the hog starts,
     * at a random phase (the hog starts 1-3 s after the trigger). In an idle cgroup the first task
     * schedules that worker 2 s ahead (kernel/sched/psi.c, psi_group_change). The loop starts
     * without a quota, so that no stall precedes the trigger (stall from before a trigger can make
     * the kernel signal it once or twice, and the kernel's once-per-window limit then delays the
     * genuine event); a run with a decision before the hog is repeated.
     */
    static double psiRun(String name, String[] triggerOut, boolean active) throws Exception {
        for (int attempt = 1; ; attempt++) {
            double ms = psiAttempt(name + (attempt > 1 ? "-" + attempt : ""), triggerOut, active);
            if (!Double.isNaN(ms)) return ms;
            System.err.println("[psi] " + name + ": a pressure event before the hog started (the loop's start-up); repeated");
            if (attempt == 3) throw new IllegalStateException(name + ": pressure before the hog in 3 attempts");
        }
    }

    private static double psiAttempt(String name, String[] triggerOut, boolean active) throws Exception {
        try (Container c = Container.create(name, ContainerConfig.builder().cpuPercent(10).build())) {
            // The loop starts without a quota (its start-up would stall at 10%); the scheduler's
            // build writes the 10% quota.
            if (active) c.cgroup().setCpuMax(-1, PERIOD_US);
            ContainerProcess ticker = active
                    ? c.launch(Command.builder("python3", "-c", "import time\nwhile True: time.sleep(0.1)").build()) : null;
            try {
                if (active) Thread.sleep(1500);
                try (PsiScheduler s = PsiScheduler.builder(c.cgroup()).quotaBoundsUs(MIN_US, MAX_US).stepUs(STEP_US)
                        .calmPeriod(Duration.ofSeconds(10)).build()) {
                    if (triggerOut != null) {
                        triggerOut[0] = "requested `" + s.registration().requestedTrigger().line() + "`, effective `"
                                + s.registration().effectiveTrigger().line() + "`: " + s.registration().reason();
                    }
                    if (active) {
                        Thread.sleep(1000 + PHASE.nextInt(2000));
                        if (!s.wait(Duration.ZERO).isEmpty()) return Double.NaN;
                    }
                    AtomicLong raisedAt = new AtomicLong();
                    Thread waiter = new Thread(() -> {
                        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                        while (raisedAt.get() == 0 && System.nanoTime() < end) {
                            for (QuotaDecision d : s.wait(Duration.ofSeconds(1))) {
                                if (d instanceof QuotaDecision.Raised) raisedAt.compareAndSet(0, System.nanoTime());
                            }
                        }
                    }, "psi-waiter");
                    waiter.start();
                    long t0 = System.nanoTime();
                    try (ContainerProcess hog = c.launch(Command.builder("sh", "-c", "while :; do :; done").build())) {
                        waiter.join();
                    }
                    if (raisedAt.get() == 0) throw new IllegalStateException("PSI: no quota change within 30 s in " + name);
                    return (raisedAt.get() - t0) / 1e6;
                }
            } finally {
                if (ticker != null) ticker.close();
            }
        }
    }

    /** The same with a 10 ms poller of cpu.stat in place of the scheduler. */
    static double pollRun(String name, int pollMs) throws Exception {
        try (Container c = Container.create(name, ContainerConfig.builder().cpuPercent(10).build())) {
            CgroupController cg = c.cgroup();
            cg.setCpuMax(MIN_US, PERIOD_US);
            Poller p = new Poller(cg, pollMs);
            Thread t = new Thread(p, "cpu-stat-poller");
            t.start();
            Thread.sleep(3L * pollMs);   // the poller has its baseline
            long t0 = System.nanoTime();
            try (ContainerProcess hog = c.launch(Command.builder("sh", "-c", "while :; do :; done").build())) {
                t.join(30_000);
            }
            p.stop.set(true);
            t.join();
            if (p.raisedAt == 0) throw new IllegalStateException("polling: no quota change within 30 s in " + name);
            SIGNALS.merge(p.signal, 1, Integer::sum);
            return (p.raisedAt - t0) / 1e6;
        }
    }

    /** {monitor-thread CPU ms of PSI, of polling, number of polls}, both on idle containers at once. */
    static double[] idleCost(String prefix, int seconds, int pollMs) throws Exception {
        try (Container a = Container.create(prefix + "idle-psi", ContainerConfig.builder().cpuPercent(10).build());
             Container b = Container.create(prefix + "idle-poll", ContainerConfig.builder().cpuPercent(10).build());
             ContainerProcess sa = a.launch(Command.builder("sleep", "3600").build());
             ContainerProcess sb = b.launch(Command.builder("sleep", "3600").build());
             PsiScheduler s = PsiScheduler.builder(a.cgroup()).quotaBoundsUs(MIN_US, MAX_US).stepUs(STEP_US).build()) {
            b.cgroup().setCpuMax(MIN_US, PERIOD_US);
            long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
            long[] psiCpu = new long[1];
            List<QuotaDecision> seen = new ArrayList<>();
            Thread psiThread = new Thread(() -> {
                long c0 = THREADS.getCurrentThreadCpuTime();
                while (System.nanoTime() < end) seen.addAll(s.wait(Duration.ofNanos(Math.max(0, end - System.nanoTime()))));
                psiCpu[0] = THREADS.getCurrentThreadCpuTime() - c0;
            }, "psi-idle");
            Poller p = new Poller(b.cgroup(), pollMs);
            p.deadline = end;
            Thread pollThread = new Thread(p, "poll-idle");
            psiThread.start();
            pollThread.start();
            psiThread.join();
            pollThread.join();
            if (!seen.isEmpty() || p.raisedAt != 0) System.err.println("[psi] note: decisions on the idle containers: " + seen + ", poller raised: " + (p.raisedAt != 0));
            return new double[] {psiCpu[0] / 1e6, p.cpuNanos / 1e6, p.polls};
        }
    }

    /**
     * The polling variant, a small DynamicScheduler: every pollMs it reads the CPU time used
     * ({@code usage_usec} of the cgroup2 {@code cpu.stat}, there in every v2 cgroup) and the
     * throttle count ({@code nr_throttled} of the v1 cpu cgroup's {@code cpu.stat} on v1 and hybrid,
     * of the v2 one on v2), and raises the quota as soon as the cgroup used at least its whole
     * quota in the interval, or nr_throttled grew. (nr_throttled alone is slow: the kernel counts a
     * throttled period when the period timer refills the quota, up to a period after the throttle.)
     */
    static final class Poller implements Runnable {
        final CgroupController cg;
        final int pollMs;
        final Path usageFile;
        final Path throttleFile;
        final AtomicBoolean stop = new AtomicBoolean();
        volatile long raisedAt;
        volatile String signal;
        volatile long deadline = Long.MAX_VALUE;
        long cpuNanos;
        long polls;

        Poller(CgroupController cg, int pollMs) {
            this.cg = cg;
            this.pollMs = pollMs;
            this.usageFile = cg.v2Path().orElseThrow().resolve("cpu.stat");
            Path v1 = cg.v1Paths().get("cpu");
            this.throttleFile = v1 != null ? v1.resolve("cpu.stat") : usageFile;
        }

        @Override
        public void run() {
            long c0 = THREADS.getCurrentThreadCpuTime();
            long lastUsage = -1;
            long lastThrottled = -1;
            long lastAt = 0;
            long next = System.nanoTime();
            try {
                while (!stop.get() && raisedAt == 0 && System.nanoTime() < deadline) {
                    String u = Files.readString(usageFile);
                    String t = throttleFile.equals(usageFile) ? u : Files.readString(throttleFile);
                    long now = System.nanoTime();
                    long usage = key(u, "usage_usec");
                    long throttled = key(t, "nr_throttled");
                    polls++;
                    if (lastUsage >= 0) {
                        double allowedUs = (now - lastAt) / 1000.0 * MIN_US / PERIOD_US;
                        String why = usage - lastUsage >= allowedUs ? "usage" : throttled > lastThrottled ? "nr_throttled" : null;
                        if (why != null) {
                            cg.setCpuMax(MIN_US + STEP_US, PERIOD_US);
                            raisedAt = System.nanoTime();
                            signal = why;
                            break;
                        }
                    }
                    lastUsage = usage;
                    lastThrottled = throttled;
                    lastAt = now;
                    next += pollMs * 1_000_000L;
                    long sleep = next - System.nanoTime();
                    if (sleep > 0) Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                }
            } catch (Exception e) {
                throw new IllegalStateException("poller of " + usageFile + ": " + e, e);
            } finally {
                cpuNanos = THREADS.getCurrentThreadCpuTime() - c0;
            }
        }

        static long key(String cpuStat, String key) {
            for (String line : cpuStat.split("\n")) {
                if (line.startsWith(key + " ")) return Long.parseLong(line.substring(key.length() + 1).trim());
            }
            throw new IllegalStateException("no " + key + " in cpu.stat: " + cpuStat);
        }
    }

    static void row(String name, double[] ms) {
        double[] s = ms.clone();
        Arrays.sort(s);
        System.out.printf(Locale.ROOT, "| %-44s | %9.1f | %9.1f | %9.1f | %9.1f |%n", name, pct(s, 50), s[0], pct(s, 90), s[s.length - 1]);
    }

    static double pct(double[] sorted, int p) {
        if (sorted.length == 1) return sorted[0];
        double pos = p / 100.0 * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    }
}
