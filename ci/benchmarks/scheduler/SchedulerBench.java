import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.alicecontainer.Command;
import io.alicecontainer.Container;
import io.alicecontainer.ContainerConfig;
import io.alicecontainer.ExecResult;
import io.alicecontainer.scheduler.DynamicScheduler;
import io.alicecontainer.scheduler.SchedulerConfig;
import io.alicecontainer.scheduler.SchedulerDecision;

/**
 * A latency-sensitive loop (latency_loop.c: a request due every 5 ms, 2 ms of CPU each) in an ALICE
 * container under a static 20% quota, under the DynamicScheduler (lowLatency, and defaults for
 * comparison) and without a quota, one after the other, printed side by side. Run by
 * ../scheduler.sh, which passes the settings as system properties:
 * <ul>
 *   <li>{@code loop}: the compiled latency_loop; {@code duration.s} per variant (20);</li>
 *   <li>{@code interval.us} (5000), {@code work.us} (2000), {@code static.percent} (20);</li>
 *   <li>{@code variants}: a comma-separated subset of static,lowLatency,defaults,unlimited, in that order by default;</li>
 *   <li>{@code rounds}: run the list this many times (rows are per variant, over all rounds);</li>
 *   <li>{@code prefix}: the start of every container name, so the script can find leftovers.</li>
 * </ul>
 * Every container is in try-with-resources; a failing loop (non-zero exit) fails the run.
 */
public final class SchedulerBench {

    record Run(String variant, List<Long> latencyUs, List<Long> serviceUs, List<Long> unservedAgeUs, long due,
               double cpuSeconds, double wallSeconds, long throttledPeriods, double avgQuotaPercent,
               double schedulerCpuMs, long ticks, long adjustments) {
    }

    record Row(String variant, long due, long served, long unserved, Pct latency, Pct service, double cpuSeconds,
               double cpuShare, long throttled, double avgQuotaPercent, double schedulerCpuMs, long ticks, long adjustments) {
    }

    /** p50, p99, max in ms; a percentile that lands on an unserved request is a lower bound. */
    record Pct(double p50, boolean p50Censored, double p99, boolean p99Censored, double max, boolean maxCensored) {
    }

    private static final Map<String, SchedulerConfig> PRESETS = new LinkedHashMap<>();

    static {
        PRESETS.put("lowLatency", SchedulerConfig.lowLatency());
        PRESETS.put("defaults", SchedulerConfig.defaults());
    }

    public static void main(String[] args) throws Exception {
        String loop = required("loop");
        int durationS = Integer.getInteger("duration.s", 20);
        long intervalUs = Long.getLong("interval.us", 5000);
        long workUs = Long.getLong("work.us", 2000);
        int staticPercent = Integer.getInteger("static.percent", 20);
        int rounds = Integer.getInteger("rounds", 1);
        String prefix = System.getProperty("prefix", "schedbench-" + ProcessHandle.current().pid() + "-");
        List<String> variants = Arrays.asList(System.getProperty("variants", "static,lowLatency,defaults,unlimited").split(","));
        for (String v : variants) {
            if (!v.equals("static") && !v.equals("unlimited") && !PRESETS.containsKey(v)) {
                throw new IllegalArgumentException("unknown variant `" + v + "`: use static, lowLatency, defaults, unlimited");
            }
        }

        System.out.printf(Locale.ROOT, "workload: a request due every %.1f ms (open loop), %.1f ms of CPU each (%.0f%% of one CPU), %d s per variant, %d round(s)%n",
                intervalUs / 1000.0, workUs / 1000.0, 100.0 * workUs / intervalUs, durationS, rounds);
        for (Map.Entry<String, SchedulerConfig> e : PRESETS.entrySet()) {
            if (variants.contains(e.getKey())) System.out.println("preset " + e.getKey() + ": " + e.getValue());
        }
        System.out.println();

        Map<String, List<Run>> runs = new LinkedHashMap<>();
        List<String> perRound = new ArrayList<>();
        int n = 0;
        for (int r = 0; r < rounds; r++) {
            for (String v : variants) {
                Run run = runOnce(v, prefix + (n++), Path.of(loop), intervalUs, workUs, durationS, staticPercent);
                runs.computeIfAbsent(v, k -> new ArrayList<>()).add(run);
                Row one = row(v, List.of(run));
                String line = String.format(Locale.ROOT, "round %d %-10s served %4d/%d, latency p50 %s ms, p99 %s ms, cpu %.2f s, throttled %d periods, load %s",
                        r + 1, v, one.served(), one.due(), ms(one.latency().p50(), one.latency().p50Censored()),
                        ms(one.latency().p99(), one.latency().p99Censored()), one.cpuSeconds(), one.throttled(), loadAverage());
                perRound.add(line);
                System.err.println("[scheduler] " + line);
            }
        }

        List<Row> rows = new ArrayList<>();
        for (Map.Entry<String, List<Run>> e : runs.entrySet()) rows.add(row(e.getKey(), e.getValue()));
        print(rows, staticPercent, durationS);
        System.out.println();
        System.out.println("Each run (load = the 1-minute load average when it ended):");
        for (String l : perRound) System.out.println("  " + l);
    }

    private static Run runOnce(String variant, String name, Path loop, long intervalUs, long workUs, int durationS, int staticPercent) {
        ContainerConfig.Builder b = ContainerConfig.builder().bindReadOnly(loop.getParent()).timeout(Duration.ofSeconds(durationS + 120L));
        if (variant.equals("static")) b.cpuPercent(staticPercent);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try (Container c = Container.create(name, b.build())) {
            SchedulerConfig preset = PRESETS.get(variant);
            QuotaTrack track = new QuotaTrack(preset == null ? (variant.equals("static") ? staticPercent * 1000L : -1) : preset.maxQuotaUs());
            DynamicScheduler s = preset == null ? null : DynamicScheduler.create(c.cgroup(), preset);
            try {
                if (s != null) s.start(track);
                long schedulerThread = s == null ? -1 : schedulerThreadId();
                long t0 = System.nanoTime();
                ExecResult r = c.exec(Command.builder(loop.toString(), Long.toString(intervalUs), Long.toString(workUs),
                        Long.toString(durationS * 1000L)).build());
                long t1 = System.nanoTime();
                double schedulerCpuMs = schedulerThread < 0 ? 0 : threads.getThreadCpuTime(schedulerThread) / 1e6;
                if (s != null) s.close();
                if (r.exitCode() != 0) throw new IllegalStateException("latency_loop failed: " + r + "\n" + r.stderr());
                List<Long> lat = new ArrayList<>();
                List<Long> svc = new ArrayList<>();
                List<Long> unserved = new ArrayList<>();
                long due = 0;
                for (String line : r.stdout().split("\n")) {
                    String[] f = line.trim().split(" ");
                    switch (f[0]) {
                        case "S" -> due = Long.parseLong(f[1]);
                        case "L" -> {
                            lat.add(Long.parseLong(f[1]));
                            svc.add(Long.parseLong(f[2]));
                        }
                        case "U" -> unserved.add(Long.parseLong(f[1]));
                        default -> { }
                    }
                }
                if (lat.size() + unserved.size() != due) throw new IllegalStateException("latency_loop printed " + (lat.size() + unserved.size()) + " of " + due + " requests");
                return new Run(variant, lat, svc, unserved, due, r.usage().cpuTime().toNanos() / 1e9, (t1 - t0) / 1e9,
                        r.usage().throttledPeriods(), track.averagePercent(t1, preset == null ? 100_000 : preset.periodUs()),
                        schedulerCpuMs, s == null ? 0 : s.ticks(), s == null ? 0 : s.adjustments());
            } finally {
                if (s != null) s.close();
            }
        }
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    /** The scheduler's daemon thread, started by DynamicScheduler.start (named alice-dynamic-scheduler). */
    private static long schedulerThreadId() {
        for (int i = 0; i < 100; i++) {
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.getName().equals("alice-dynamic-scheduler") && t.isAlive()) return t.getId();
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return -1;
    }

    /** Time-weighted mean of the quota the scheduler kept, from its Adjust decisions. */
    static final class QuotaTrack implements io.alicecontainer.scheduler.SchedulerListener {
        private final long startNanos = System.nanoTime();
        private long sinceNanos = startNanos;
        private long quotaUs;
        private double weighted;

        QuotaTrack(long initialQuotaUs) {
            quotaUs = initialQuotaUs;
        }

        @Override
        public synchronized void onDecision(SchedulerDecision d) {
            if (d instanceof SchedulerDecision.Adjust a) {
                long now = System.nanoTime();
                weighted += (double) quotaUs * (now - sinceNanos);
                sinceNanos = now;
                quotaUs = a.newQuotaUs();
            }
        }

        synchronized double averagePercent(long endNanos, long periodUs) {
            if (quotaUs < 0) return Double.NaN;
            double total = weighted + (double) quotaUs * Math.max(0, endNanos - sinceNanos);
            return 100.0 * total / Math.max(1, endNanos - startNanos) / periodUs;
        }
    }

    private static Row row(String variant, List<Run> runs) {
        List<long[]> all = new ArrayList<>();      // {us, censored}
        List<Long> service = new ArrayList<>();
        long due = 0;
        long unserved = 0;
        long throttled = 0;
        long ticks = 0;
        long adjustments = 0;
        double cpu = 0;
        double wall = 0;
        double quota = 0;
        double schedCpu = 0;
        for (Run r : runs) {
            for (long v : r.latencyUs()) all.add(new long[] {v, 0});
            for (long v : r.unservedAgeUs()) all.add(new long[] {v, 1});
            service.addAll(r.serviceUs());
            due += r.due();
            unserved += r.unservedAgeUs().size();
            cpu += r.cpuSeconds();
            wall += r.wallSeconds();
            throttled += r.throttledPeriods();
            quota += r.avgQuotaPercent() / runs.size();
            schedCpu += r.schedulerCpuMs() / runs.size();
            ticks += r.ticks();
            adjustments += r.adjustments();
        }
        all.sort((a, b) -> Long.compare(a[0], b[0]));
        List<long[]> svc = new ArrayList<>();
        for (long v : service) svc.add(new long[] {v, 0});
        svc.sort((a, b) -> Long.compare(a[0], b[0]));
        return new Row(variant, due, due - unserved, unserved, pct(all), pct(svc), cpu / runs.size(), cpu / wall,
                throttled, quota, schedCpu, ticks / runs.size(), adjustments / runs.size());
    }

    private static Pct pct(List<long[]> sorted) {
        long[] p50 = at(sorted, 0.50);
        long[] p99 = at(sorted, 0.99);
        long[] max = sorted.get(sorted.size() - 1);
        return new Pct(p50[0] / 1000.0, p50[1] == 1, p99[0] / 1000.0, p99[1] == 1, max[0] / 1000.0, max[1] == 1);
    }

    /** Nearest-rank percentile. */
    private static long[] at(List<long[]> sorted, double q) {
        int i = (int) Math.ceil(q * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }

    private static String ms(double v, boolean lowerBound) {
        return (lowerBound ? "≥" : "") + String.format(Locale.ROOT, "%.2f", v);
    }

    private static void print(List<Row> rows, int staticPercent, int durationS) {
        System.out.println("| variant            | served/due  |    p50 ms |    p99 ms |    max ms | service p50 | service p99 | CPU s  | CPU % of 1 | throttled periods | mean quota | scheduler thread CPU | ticks  | quota changes |");
        System.out.println("|--------------------|------------:|----------:|----------:|----------:|------------:|------------:|-------:|-----------:|------------------:|-----------:|---------------------:|-------:|--------------:|");
        for (Row r : rows) {
            String label = switch (r.variant()) {
                case "static" -> "static " + staticPercent + "% quota";
                case "unlimited" -> "unlimited";
                default -> "Dynamic " + r.variant();
            };
            String quota = Double.isNaN(r.avgQuotaPercent()) ? "-" : String.format(Locale.ROOT, "%.0f%%", r.avgQuotaPercent());
            String sched = r.variant().equals("static") || r.variant().equals("unlimited") ? "-"
                    : String.format(Locale.ROOT, "%.0f ms (%.1f%%)", r.schedulerCpuMs(), r.schedulerCpuMs() / 10.0 / durationS);
            System.out.printf(Locale.ROOT, "| %-18s | %5d/%-5d | %9s | %9s | %9s | %11s | %11s | %6.2f | %9.1f%% | %17d | %10s | %20s | %6s | %13s |%n",
                    label, r.served(), r.due(), ms(r.latency().p50(), r.latency().p50Censored()), ms(r.latency().p99(), r.latency().p99Censored()),
                    ms(r.latency().max(), r.latency().maxCensored()), ms(r.service().p50(), false), ms(r.service().p99(), false),
                    r.cpuSeconds(), 100 * r.cpuShare(), r.throttled(), quota, sched,
                    r.ticks() == 0 ? "-" : Long.toString(r.ticks()), r.ticks() == 0 ? "-" : Long.toString(r.adjustments()));
        }
        System.out.println();
        System.out.println("latency = finish - due time (queueing included), service = finish - start; ≥: the percentile falls on a request that was");
        System.out.println("still waiting when the time was up (its age then, a lower bound). CPU = the container cgroup's usage (the loop only);");
        System.out.println("scheduler thread CPU = the DynamicScheduler's daemon thread in the harness JVM (% of one CPU over the run).");
        Row st = find(rows, "static");
        Row un = find(rows, "unlimited");
        if (st != null && un != null && rows.size() > 2) {
            System.out.println();
            System.out.println("Share of the static -> unlimited improvement that each scheduler gets (100% = as good as no quota):");
            for (Row r : rows) {
                if (r == st || r == un) continue;
                System.out.printf(Locale.ROOT, "  Dynamic %-10s p50 %s, p99 %s; CPU %.2f s vs %.2f s unlimited and %.2f s static%n", r.variant(),
                        share(st.latency().p50(), r.latency().p50(), un.latency().p50()),
                        share(st.latency().p99(), r.latency().p99(), un.latency().p99()), r.cpuSeconds(), un.cpuSeconds(), st.cpuSeconds());
            }
        }
    }

    private static String share(double stat, double dyn, double unlimited) {
        if (stat - unlimited <= 0) return "n/a (static is not worse than unlimited)";
        return String.format(Locale.ROOT, "%.1f%%", 100 * (stat - dyn) / (stat - unlimited));
    }

    private static Row find(List<Row> rows, String v) {
        for (Row r : rows) if (r.variant().equals(v)) return r;
        return null;
    }

    private static String required(String key) {
        String v = System.getProperty(key);
        if (v == null || v.isBlank()) throw new IllegalArgumentException("-D" + key + " is required");
        return v;
    }
}
