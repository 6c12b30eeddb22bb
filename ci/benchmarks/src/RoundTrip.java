import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import io.alicecontainer.Container;
import io.alicecontainer.ContainerConfig;
import io.alicecontainer.ExecResult;
import io.alicecontainer.namespace.Namespace;
import io.alicecontainer.namespace.Namespaces;
import io.alicecontainer.rootfs.RootFs;
import io.alicecontainer.security.Capability;
import io.alicecontainer.security.Seccomp;

/**
 * Median round trip of {@code /bin/true} in an ALICE container, from a warm JVM, side by side with
 * ProcessBuilder, unshare, bwrap and an OCI runtime (crun or runc). Run by roundtrip.sh, which
 * passes the settings as system properties:
 * <ul>
 *   <li>{@code runs} timed iterations per variant (at least 500), {@code warmup} untimed ones first;</li>
 *   <li>{@code order}: {@code interleaved} (default: rounds of one run of each variant, shuffled) or
 *       {@code blocks} (all runs of one variant, then the next);</li>
 *   <li>{@code oci.cmd} the OCI runtime's command prefix, tab-separated (e.g. {@code crun} or
 *       {@code nsenter\t--mount=/x/mnt\tcrun}); the harness appends {@code run --bundle B ID};</li>
 *   <li>{@code oci.bundle}, {@code oci.label}; {@code oci2.*} for an optional second runtime;</li>
 *   <li>{@code only}: {@code alice} or {@code tool} keeps that group (and the ALICE host-root
 *       and default-rootfs references) alone, e.g. to profile ALICE with strace or perf;</li>
 *   <li>{@code breakdown}: {@code true} adds, for both roots, the default container with one part of
 *       least privilege turned off (no seccomp filter; nothing masked; every capability);</li>
 *   <li>{@code dump}: a file to write every timed sample to, as CSV (variant, round, ms);</li>
 *   <li>{@code prefix}: the start of every container and cgroup name, so the script can find leftovers;</li>
 *   <li>{@code wrap.cmd}: when the OCI runtime is wrapped (nsenter), that wrapper alone around
 *       /bin/true, to show what the wrapper costs.</li>
 * </ul>
 * Every ALICE container is created in try-with-resources, so it is destroyed even when an exec fails.
 * Any non-zero exit fails the whole run (exit 1) with the command's stderr.
 */
public final class RoundTrip {

    interface Body {
        /** Runs one round trip; {@code i} is a unique index; returns per-phase nanos or null. */
        long[] run(int i) throws Exception;
    }

    record Variant(String name, String group, Body body) {
    }

    record Stats(String name, String group, double median, double p90, double mean, double[] phaseMedians) {
    }

    private static final String HOST_ROOT = "ALICE host root";
    private static final String DEFAULT_ROOTFS = "ALICE default rootfs";
    private static final String[] ALICE_PHASES = {"create", "exec", "close", "exec.wall", "cpu"};

    public static void main(String[] args) throws Exception {
        int runs = Integer.getInteger("runs", 1000);
        int warmup = Integer.getInteger("warmup", 200);
        int toolWarmup = Integer.getInteger("tool.warmup", Math.min(warmup, 50));
        if (runs < 500 && !Boolean.getBoolean("allow.few")) {
            fail("runs=" + runs + ": the benchmark needs at least 500 runs per variant (allow.few=true to override)");
        }
        boolean interleaved = !"blocks".equals(System.getProperty("order", "interleaved"));
        String prefix = System.getProperty("prefix", "bench-" + ProcessHandle.current().pid() + "-");

        ContainerConfig hostRoot = ContainerConfig.builder().rootfs(RootFs.hostRoot()).build();
        ContainerConfig hostView = ContainerConfig.builder().build();
        Namespaces noNet = Namespaces.container().without(Namespace.NET);
        ContainerConfig hostRootNoNet = ContainerConfig.builder().rootfs(RootFs.hostRoot()).namespaces(noNet).build();
        ContainerConfig hostViewNoNet = ContainerConfig.builder().namespaces(noNet).build();

        List<Variant> variants = new ArrayList<>();
        variants.add(new Variant(HOST_ROOT, "alice", i -> alice(prefix + "hr-" + i, hostRoot)));
        variants.add(new Variant(DEFAULT_ROOTFS, "alice", i -> alice(prefix + "dv-" + i, hostView)));
        variants.add(new Variant("ALICE host root, no net ns", "alice", i -> alice(prefix + "hrn-" + i, hostRootNoNet)));
        variants.add(new Variant("ALICE default rootfs, no net ns", "alice", i -> alice(prefix + "dvn-" + i, hostViewNoNet)));
        // The same two with least privilege off (every capability, no seccomp filter, nothing
        // masked): what dropping capabilities, the filter and the masked paths cost, in one run.
        ContainerConfig hostRootPrivileged = ContainerConfig.builder().rootfs(RootFs.hostRoot()).privileged().build();
        ContainerConfig hostViewPrivileged = ContainerConfig.builder().privileged().build();
        variants.add(new Variant("ALICE host root, privileged()", "alice", i -> alice(prefix + "hrp-" + i, hostRootPrivileged)));
        variants.add(new Variant("ALICE default rootfs, privileged()", "alice", i -> alice(prefix + "dvp-" + i, hostViewPrivileged)));
        if (Boolean.getBoolean("breakdown")) {
            // Least privilege one part at a time: each variant turns one part of the defaults off.
            for (boolean host : new boolean[] {true, false}) {
                String where = host ? "host root" : "default rootfs";
                String tag = host ? "h" : "d";
                ContainerConfig.Builder base = host ? ContainerConfig.builder().rootfs(RootFs.hostRoot()) : ContainerConfig.builder();
                ContainerConfig noFilter = base.seccomp(Seccomp.none()).build();
                variants.add(new Variant("ALICE " + where + ", no seccomp filter", "alice", i -> alice(prefix + tag + "ns-" + i, noFilter)));
                ContainerConfig noMask = (host ? ContainerConfig.builder().rootfs(RootFs.hostRoot()) : ContainerConfig.builder())
                        .maskKernelInterfaces(false).build();
                variants.add(new Variant("ALICE " + where + ", nothing masked", "alice", i -> alice(prefix + tag + "nm-" + i, noMask)));
                ContainerConfig allCaps = (host ? ContainerConfig.builder().rootfs(RootFs.hostRoot()) : ContainerConfig.builder())
                        .capabilities(EnumSet.allOf(Capability.class)).build();
                variants.add(new Variant("ALICE " + where + ", every capability", "alice", i -> alice(prefix + tag + "ac-" + i, allCaps)));
            }
            // The device cgroup (v1/hybrid) and the filter's shape, on the default rootfs: the same
            // container with a one-instruction filter (what any filter costs) and with a linear list of
            // 64 comparisons (what a deny list costs when it is not searched: every call walks it all).
            ContainerConfig noDevices = ContainerConfig.builder().restrictDevices(false).build();
            variants.add(new Variant("ALICE default rootfs, no device cgroup", "alice", i -> alice(prefix + "dnd-" + i, noDevices)));
            ContainerConfig oneInsn = ContainerConfig.builder().seccomp(Seccomp.custom(allowAll())).build();
            variants.add(new Variant("ALICE default rootfs, 1-instruction filter", "alice", i -> alice(prefix + "d1-" + i, oneInsn)));
            ContainerConfig linear = ContainerConfig.builder().seccomp(Seccomp.custom(linearDenyList(64))).build();
            variants.add(new Variant("ALICE default rootfs, linear 64-call filter", "alice", i -> alice(prefix + "dl-" + i, linear)));
        }
        variants.add(new Variant("ProcessBuilder /bin/true", "tool", i -> process(List.of("/bin/true"))));
        variants.add(new Variant("unshare --fork --pid --mount --uts --ipc --mount-proc", "tool",
                i -> process(List.of("unshare", "--fork", "--pid", "--mount", "--uts", "--ipc", "--mount-proc", "/bin/true"))));
        variants.add(new Variant("bwrap --unshare-all --ro-bind / / --proc /proc --dev /dev", "tool",
                i -> process(List.of("bwrap", "--unshare-all", "--ro-bind", "/", "/", "--proc", "/proc", "--dev", "/dev", "/bin/true"))));
        String wrap = System.getProperty("wrap.cmd", "");
        if (!wrap.isEmpty()) {
            List<String> cmd = new ArrayList<>(Arrays.asList(wrap.split("\t")));
            cmd.add("/bin/true");
            variants.add(new Variant(System.getProperty("wrap.label", String.join(" ", cmd)) + " (wrapper alone)", "tool",
                    i -> process(cmd)));
        }
        for (String key : new String[] {"oci", "oci2"}) {
            String cmd = System.getProperty(key + ".cmd", "");
            if (cmd.isEmpty()) continue;
            List<String> base = new ArrayList<>(Arrays.asList(cmd.split("\t")));
            String bundle = System.getProperty(key + ".bundle");
            if (bundle == null) fail(key + ".bundle is not set");
            String label = System.getProperty(key + ".label", String.join(" ", base) + " run");
            variants.add(new Variant(label, "tool", i -> {
                List<String> c = new ArrayList<>(base);
                c.addAll(List.of("run", "--bundle", bundle, prefix + key + "-" + i));
                return process(c);
            }));
        }

        String only = System.getProperty("only", "");
        if (!only.isEmpty()) variants.removeIf(v -> !v.group().equals(only) && !v.name().equals(HOST_ROOT) && !v.name().equals(DEFAULT_ROOTFS));
        System.out.printf(Locale.ROOT, "runs per variant: %d (after %d warm-up runs for each ALICE variant, %d for each external tool), %s%n",
                runs, warmup, toolWarmup, interleaved
                        ? "interleaved: rounds of one run per variant, in a shuffled order"
                        : "in blocks: all runs of one variant, then the next");
        int n = variants.size();
        double[][] ms = new double[n][runs];
        long[][][] phases = new long[n][][];
        int index = 0;
        long t0 = System.nanoTime();
        if (interleaved) {
            // Warm every variant up, then run rounds of one run per variant in a shuffled order, so
            // that a drift in the machine's background load weighs on every variant alike.
            for (int v = 0; v < n; v++) {
                int w = variants.get(v).group().equals("alice") ? warmup : toolWarmup;
                for (int k = 0; k < w; k++) variants.get(v).body().run(index++);
            }
            Random random = new Random(42);
            List<Integer> order = new ArrayList<>();
            for (int v = 0; v < n; v++) order.add(v);
            for (int k = 0; k < runs; k++) {
                Collections.shuffle(order, random);
                for (int v : order) index = timeOne(variants.get(v), k, index, ms[v], phases, v, runs);
                if ((k + 1) % Math.max(1, runs / 10) == 0) {
                    System.out.printf(Locale.ROOT, "  %d/%d rounds, %.0f s%n", k + 1, runs, (System.nanoTime() - t0) / 1e9);
                }
            }
        } else {
            for (int v = 0; v < n; v++) {
                int w = variants.get(v).group().equals("alice") ? warmup : toolWarmup;
                for (int k = 0; k < w; k++) variants.get(v).body().run(index++);
                for (int k = 0; k < runs; k++) index = timeOne(variants.get(v), k, index, ms[v], phases, v, runs);
                System.out.printf(Locale.ROOT, "  done: %-60s median %7.3f ms%n", variants.get(v).name(), percentile(ms[v], 50));
            }
        }
        String dump = System.getProperty("dump", "");
        if (!dump.isEmpty()) {
            StringBuilder csv = new StringBuilder("variant,round,ms\n");
            for (int v = 0; v < n; v++) {
                for (int k = 0; k < runs; k++) {
                    csv.append('"').append(variants.get(v).name()).append("\",").append(k).append(',')
                            .append(String.format(Locale.ROOT, "%.4f", ms[v][k])).append('\n');
                }
            }
            java.nio.file.Files.writeString(java.nio.file.Path.of(dump), csv);
        }
        List<Stats> all = new ArrayList<>();
        for (int v = 0; v < n; v++) {
            double[] phaseMedians = null;
            if (phases[v] != null) {
                phaseMedians = new double[phases[v].length];
                for (int j = 0; j < phases[v].length; j++) {
                    double[] d = new double[runs];
                    for (int k = 0; k < runs; k++) d[k] = phases[v][j][k] / 1e6;
                    phaseMedians[j] = percentile(d, 50);
                }
            }
            all.add(new Stats(variants.get(v).name(), variants.get(v).group(), percentile(ms[v], 50), percentile(ms[v], 90),
                    Arrays.stream(ms[v]).average().orElse(0), phaseMedians));
        }
        double seconds = (System.nanoTime() - t0) / 1e9;

        double hr = all.stream().filter(x -> x.name().equals(HOST_ROOT)).findFirst().orElseThrow().median();
        double dv = all.stream().filter(x -> x.name().equals(DEFAULT_ROOTFS)).findFirst().orElseThrow().median();
        System.out.println();
        String fmt = "| %-62s | %9s | %9s | %9s | %13s | %13s |%n";
        System.out.printf(Locale.ROOT, fmt, "variant (/bin/true round trip)", "median ms", "p90 ms", "mean ms",
                "÷ ALICE host", "÷ ALICE dflt");
        System.out.printf(Locale.ROOT, "|%s|%s|%s|%s|%s|%s|%n", "-".repeat(64), "-".repeat(10) + ":", "-".repeat(10) + ":",
                "-".repeat(10) + ":", "-".repeat(14) + ":", "-".repeat(14) + ":");
        for (Stats s : all) {
            System.out.printf(Locale.ROOT, fmt, s.name(), f3(s.median()), f3(s.p90()), f3(s.mean()),
                    String.format(Locale.ROOT, "%.2f×", s.median() / hr), String.format(Locale.ROOT, "%.2f×", s.median() / dv));
        }
        System.out.println();
        System.out.println("Ratios are variant median ÷ ALICE median: above 1 means slower than the ALICE round trip.");
        System.out.println();
        System.out.println("ALICE phases (median ms): create = Container.create (cgroup mkdir), exec = Container.exec "
                + "(spawn + wait + read usage), close = destroy (cgroup rmdir), exec.wall = ExecResult.wallTime() (spawn to exit, inside exec), "
                + "cpu = the container's CPU time from its cgroup (the child's setup in the shim, execve, exit: less "
                + "disturbed by a loaded machine than wall time)");
        System.out.printf(Locale.ROOT, "| %-40s |%9s |%9s |%9s |%10s |%9s |%n", "variant", ALICE_PHASES[0], ALICE_PHASES[1],
                ALICE_PHASES[2], ALICE_PHASES[3], ALICE_PHASES[4]);
        System.out.printf(Locale.ROOT, "|%s|%s|%s|%s|%s|%s|%n", "-".repeat(42), "-".repeat(9) + ":", "-".repeat(9) + ":",
                "-".repeat(9) + ":", "-".repeat(10) + ":", "-".repeat(9) + ":");
        for (Stats s : all) {
            if (s.phaseMedians() == null) continue;
            double[] p = s.phaseMedians();
            System.out.printf(Locale.ROOT, "| %-40s |%9s |%9s |%9s |%10s |%9s |%n", s.name(), f3(p[0]), f3(p[1]), f3(p[2]), f3(p[3]),
                    f3(p[4]));
        }
        leastPrivilegeCost(variants, ms, phases);
        System.out.printf(Locale.ROOT, "%ntimed section: %.1f s%n", seconds);
    }

    /**
     * Default minus privileged() (and minus each breakdown variant), as the median of the per-round
     * differences: each round runs every variant once, so the pair shares the machine's load.
     */
    private static void leastPrivilegeCost(List<Variant> variants, double[][] ms, long[][][] phases) {
        List<String> names = variants.stream().map(Variant::name).toList();
        String[][] pairs = {
                {HOST_ROOT, "ALICE host root, privileged()"}, {DEFAULT_ROOTFS, "ALICE default rootfs, privileged()"},
                {HOST_ROOT, "ALICE host root, no seccomp filter"}, {HOST_ROOT, "ALICE host root, nothing masked"},
                {HOST_ROOT, "ALICE host root, every capability"}, {DEFAULT_ROOTFS, "ALICE default rootfs, no seccomp filter"},
                {DEFAULT_ROOTFS, "ALICE default rootfs, nothing masked"}, {DEFAULT_ROOTFS, "ALICE default rootfs, every capability"},
                {DEFAULT_ROOTFS, "ALICE default rootfs, no device cgroup"}, {DEFAULT_ROOTFS, "ALICE default rootfs, 1-instruction filter"},
                {DEFAULT_ROOTFS, "ALICE default rootfs, linear 64-call filter"}};
        boolean header = false;
        for (String[] pair : pairs) {
            int a = names.indexOf(pair[0]);
            int b = names.indexOf(pair[1]);
            if (a < 0 || b < 0 || phases[a] == null || phases[b] == null) continue;
            if (!header) {
                System.out.println();
                System.out.println("What least privilege (or one part of it) costs: median of the per-round differences "
                        + "(rounds are interleaved: both runs of a pair share the machine's load)");
                System.out.printf(Locale.ROOT, "| %-66s | %10s | %10s |%n", "difference", "wall ms", "cpu ms");
                System.out.printf(Locale.ROOT, "|%s|%s|%s|%n", "-".repeat(68), "-".repeat(11) + ":", "-".repeat(11) + ":");
                header = true;
            }
            int runs = ms[a].length;
            double[] wall = new double[runs];
            double[] cpu = new double[runs];
            int cpuPhase = ALICE_PHASES.length - 1;
            for (int k = 0; k < runs; k++) {
                wall[k] = ms[a][k] - ms[b][k];
                cpu[k] = (phases[a][cpuPhase][k] - phases[b][cpuPhase][k]) / 1e6;
            }
            String label = pair[0].equals(HOST_ROOT) ? pair[0] + " − " + pair[1].substring(HOST_ROOT.length() + 2)
                    : pair[0] + " − " + pair[1].substring(DEFAULT_ROOTFS.length() + 2);
            System.out.printf(Locale.ROOT, "| %-66s | %+10.3f | %+10.3f |%n", label, percentile(wall, 50), percentile(cpu, 50));
        }
    }

    /** seccomp(2)'s smallest program: {@code ret SECCOMP_RET_ALLOW}. */
    static byte[] allowAll() {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.nativeOrder());
        b.putShort((short) 0x06).put((byte) 0).put((byte) 0).putInt(0x7fff_0000);
        return b.array();
    }

    /**
     * A deny list as a linear sequence: load the number, compare it with n numbers no program calls
     * (1000 + i, so every call walks all n), allow, or EPERM on a match (linux/filter.h encodings).
     */
    static byte[] linearDenyList(int n) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate((n + 3) * 8).order(java.nio.ByteOrder.nativeOrder());
        b.putShort((short) 0x20).put((byte) 0).put((byte) 0).putInt(0);                      // ld [nr]
        for (int i = 0; i < n; i++) {
            b.putShort((short) 0x15).put((byte) (n - i)).put((byte) 0).putInt(1000 + i);   // jeq #1000+i, EPERM
        }
        b.putShort((short) 0x06).put((byte) 0).put((byte) 0).putInt(0x7fff_0000);           // ret ALLOW
        b.putShort((short) 0x06).put((byte) 0).put((byte) 0).putInt(0x0005_0000 | 1);       // ret ERRNO(EPERM)
        return b.array();
    }

    private static int timeOne(Variant variant, int k, int index, double[] ms, long[][][] phases, int v, int runs)
            throws Exception {
        long s = System.nanoTime();
        long[] p = variant.body().run(index);
        ms[k] = (System.nanoTime() - s) / 1e6;
        if (p != null) {
            if (phases[v] == null) phases[v] = new long[p.length][runs];
            for (int j = 0; j < p.length; j++) phases[v][j][k] = p[j];
        }
        return index + 1;
    }

    /** create + exec (spawn, wait, read usage) + close (destroy), timed by phase. */
    private static long[] alice(String name, ContainerConfig config) {
        long a = System.nanoTime();
        long b;
        long c;
        long wall;
        long cpu;
        Container container = Container.create(name, config);
        try (container) {
            b = System.nanoTime();
            ExecResult r = container.exec("/bin/true");
            c = System.nanoTime();
            if (r.exitCode() != 0 || r.signal() != 0 || r.timedOut()) {
                fail("ALICE container " + name + " (" + config.rootfs() + ", " + config.namespaces() + "): /bin/true "
                        + r.outcome() + " (exit " + r.exitCode() + ", signal " + r.signal() + "); stderr: " + r.stderr());
            }
            wall = r.wallTime().toNanos();
            cpu = r.usage().cpuTime().toNanos();
        }
        long d = System.nanoTime();
        return new long[] {b - a, c - b, d - c, wall, cpu};
    }

    private static long[] process(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).start();
        int code = p.waitFor();
        if (code != 0) {
            String err = readAll(p.getErrorStream());
            fail(String.join(" ", cmd) + " exited with " + code + "; stderr: " + err.strip());
        }
        p.getOutputStream().close();
        p.getInputStream().close();
        p.getErrorStream().close();
        return null;
    }

    private static String readAll(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    private static double percentile(double[] values, double pct) {
        double[] s = values.clone();
        Arrays.sort(s);
        if (pct == 50 && s.length % 2 == 0) return (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
        int idx = (int) Math.ceil(pct / 100.0 * s.length) - 1;
        return s[Math.max(0, Math.min(s.length - 1, idx))];
    }

    private static String f3(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    private static void fail(String message) {
        throw new BenchmarkFailure(message);
    }

    static final class BenchmarkFailure extends RuntimeException {
        BenchmarkFailure(String message) {
            super(message);
        }
    }
}
