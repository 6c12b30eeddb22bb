import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import io.alicecontainer.cgroup.CgroupController;
import io.alicecontainer.cgroup.CgroupMode;
import io.alicecontainer.cgroup.IoLimit;
import io.alicecontainer.iouring.BatchResult;
import io.alicecontainer.iouring.IoUringCgroup;
import io.alicecontainer.iouring.Submission;

/**
 * Applying 3 and 10 cgroup settings (one value to one file each) from a warm JVM: io_uring batches
 * (one io_uring_enter) vs plain sequential open/write/close, median per batch, side by side. Run by
 * ci/benchmarks/iouring.sh, which passes the settings as system properties:
 * <ul>
 *   <li>{@code batches} timed batches per variant, {@code warmup} untimed ones first;</li>
 *   <li>{@code mode}: {@code time} (default) or {@code syscalls}: {@code marks} batches per variant
 *       between two marker stats of {@code mark.dir}/begin-ID and end-ID, for strace to count;</li>
 *   <li>{@code prefix}: the start of the cgroup name, so that the script can find leftovers;</li>
 *   <li>{@code device}: "major:minor" of a block device for the io settings (default: the first disk).</li>
 * </ul>
 * A failed write ends the run with exit 1. The cgroup is removed in try-with-resources.
 */
public final class IoUringBench {
    /** One cgroup file and two valid values, written alternately so that no write is a repeat. */
    record Setting(Path file, String a, String b) {
    }

    record Variant(String id, String label, int n, Submission submission, boolean api) {
    }

    private static final Submission[] WAYS = {Submission.PLAIN_WRITES, Submission.IO_URING_WRITES, Submission.IO_URING_OPEN_WRITE_CLOSE};

    public static void main(String[] args) throws Exception {
        int batches = Integer.getInteger("batches", 20_000);
        int warmup = Integer.getInteger("warmup", 5_000);
        String mode = System.getProperty("mode", "time");
        String prefix = System.getProperty("prefix", "iou-bench-");
        if (!IoUringCgroup.isIoUringAvailable()) {
            System.out.println("io_uring is unavailable here: " + IoUringCgroup.unavailabilityReason());
            System.out.println("(only the plain rows can run; nothing to compare)");
            System.exit(2);
        }
        try (CgroupController cg = CgroupController.create(prefix + "cg")) {
            int[] dev = device();
            IoLimit neutral = new IoLimit(dev[0], dev[1], IoLimit.UNLIMITED, IoLimit.UNLIMITED, IoLimit.UNLIMITED, IoLimit.UNLIMITED);
            if (cg.mode() != CgroupMode.V2) {
                // v1 cpu, pids and blkio cgroups are made by the first limit set through the controller.
                cg.setCpuMax(-1, 100_000);
                cg.setPidsMax(4096);
                cg.setIoMax(neutral);
            }
            List<Setting> settings = settings(cg, dev[0] + ":" + dev[1]);
            List<Variant> variants = new ArrayList<>();
            for (int n : new int[] {3, 10}) {
                for (Submission s : WAYS) variants.add(new Variant(n + "-" + s, label(s), n, s, false));
            }
            for (Submission s : new Submission[] {Submission.PLAIN_WRITES, Submission.IO_URING_OPEN_WRITE_CLOSE}) {
                variants.add(new Variant("api-" + s, label(s), 3, s, true));
            }
            IoUringCgroup[] batchers = new IoUringCgroup[variants.size()];
            try {
                if (mode.equals("syscalls")) {
                    syscalls(cg, variants, settings, Integer.getInteger("marks", 200), Path.of(System.getProperty("mark.dir")));
                    return;
                }
                for (int v = 0; v < variants.size(); v++) batchers[v] = new IoUringCgroup(cg, variants.get(v).submission());
                System.out.println("layout:   " + cg.mode() + "; the 10 files: " + describe(settings));
                System.out.println("io_uring: features " + IoUringCgroup.kernelFeatures());
                time(cg, variants, batchers, settings, batches, warmup);
            } finally {
                for (IoUringCgroup b : batchers) if (b != null) b.close();
            }
        }
    }

    private static void time(CgroupController cg, List<Variant> variants, IoUringCgroup[] batchers, List<Setting> settings,
                             int batches, int warmup) {
        int nv = variants.size();
        long[][] samples = new long[nv][batches];
        List<Integer> order = new ArrayList<>();
        for (int v = 0; v < nv; v++) order.add(v);
        Random rnd = new Random(42);
        for (int i = 0; i < warmup; i++) {
            for (int v = 0; v < nv; v++) run(cg, variants.get(v), batchers[v], settings, i);
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < batches; i++) {
            Collections.shuffle(order, rnd);
            for (int v : order) {
                long s = System.nanoTime();
                run(cg, variants.get(v), batchers[v], settings, i);
                samples[v][i] = System.nanoTime() - s;
            }
        }
        double timed = (System.nanoTime() - t0) / 1e9;
        // CPU per batch, in blocks (CPU time cannot be told apart in interleaved rounds): the calling
        // thread's, and the whole process's, which includes io_uring's io-wq workers (threads of this process).
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        java.lang.management.ThreadMXBean th = ManagementFactory.getThreadMXBean();
        int cpuBatches = Math.max(2000, batches / 2);
        double[][] cpu = new double[nv][2];
        for (int v = 0; v < nv; v++) {
            long p0 = os.getProcessCpuTime(), c0 = th.getCurrentThreadCpuTime();
            for (int i = 0; i < cpuBatches; i++) run(cg, variants.get(v), batchers[v], settings, i);
            cpu[v][0] = (th.getCurrentThreadCpuTime() - c0) / 1e3 / cpuBatches;
            cpu[v][1] = (os.getProcessCpuTime() - p0) / 1e3 / cpuBatches;
        }

        System.out.printf(Locale.ROOT, "%nbatches per variant: %d timed (after %d warm-up), interleaved: rounds of one batch per variant, shuffled; timed section %.1f s%n",
                batches, warmup, timed);
        System.out.printf(Locale.ROOT, "CPU: %d more batches per variant in blocks; thread = the calling Java thread, process = all threads (io-wq workers included, JVM background threads too)%n%n", cpuBatches);
        System.out.println("| settings | way                                                   | median µs |  p90 µs | mean µs | ÷ plain (median) | CPU µs thread | CPU µs process |");
        System.out.println("|---------:|-------------------------------------------------------|----------:|--------:|--------:|-----------------:|--------------:|---------------:|");
        double[] plain = new double[2];
        for (int v = 0; v < nv; v++) {
            Variant var = variants.get(v);
            long[] s = samples[v].clone();
            Arrays.sort(s);
            double med = s[s.length / 2] / 1e3, p90 = s[(int) (s.length * 0.9)] / 1e3, mean = Arrays.stream(s).average().orElse(0) / 1e3;
            int slot = var.api() ? 1 : (var.n() == 3 ? 0 : 1);
            if (var.submission() == Submission.PLAIN_WRITES && !var.api()) plain[slot] = med;
            if (var.api() && var.submission() == Submission.PLAIN_WRITES) plain[1] = med;
            String settingsCol = var.api() ? "3 limits" : Integer.toString(var.n());
            System.out.printf(Locale.ROOT, "| %8s | %-53s | %9.1f | %7.1f | %7.1f | %15.2f× | %13.1f | %14.1f |%n",
                    settingsCol, (var.api() ? "API: " : "") + var.label(), med, p90, mean, med / plain[slot], cpu[v][0], cpu[v][1]);
        }
        System.out.println("\n÷ plain: the row's median over the plain sequential median of the same settings; below 1 is faster.");
        System.out.println("\"3 limits\" rows: queueCpuMax + queueMemoryMax + queuePidsMax + submit(), i.e. " + apiWrites(cg) + " file writes on this layout.");
    }

    private static void run(CgroupController cg, Variant v, IoUringCgroup b, List<Setting> settings, int i) {
        if (v.api()) {
            b.queueCpuMax(i % 2 == 0 ? 50_000 : 60_000, 100_000).queueMemoryMax(i % 2 == 0 ? 256L << 20 : 255L << 20)
                    .queuePidsMax(i % 2 == 0 ? 500 : 501);
        } else {
            for (int k = 0; k < v.n(); k++) {
                Setting s = settings.get(k);
                b.queueWrite(s.file(), i % 2 == 0 ? s.a() : s.b());
            }
        }
        BatchResult r = b.submit();
        if (!r.succeeded()) {
            System.err.println("a write failed in " + v.id() + ": " + r.failures());
            System.exit(1);
        }
    }

    private static void syscalls(CgroupController cg, List<Variant> variants, List<Setting> settings, int marks, Path dir) throws Exception {
        for (Variant v : variants) {   // class loading and first-use work out of the counted sections
            try (IoUringCgroup b = new IoUringCgroup(cg, v.submission())) {
                run(cg, v, b, settings, 0);
            }
        }
        for (Variant v : variants) {
            Files.exists(dir.resolve("setup-begin-" + v.id()));
            IoUringCgroup b = new IoUringCgroup(cg, v.submission());
            Files.exists(dir.resolve("setup-end-" + v.id()));
            try {
                for (int i = 0; i < 200; i++) run(cg, v, b, settings, i);
                Files.exists(dir.resolve("begin-" + v.id()));
                for (int i = 0; i < marks; i++) run(cg, v, b, settings, i);
                Files.exists(dir.resolve("end-" + v.id()));
            } finally {
                Files.exists(dir.resolve("close-begin-" + v.id()));
                b.close();
                Files.exists(dir.resolve("close-end-" + v.id()));
            }
            System.out.println("variant " + v.id() + " " + v.n() + " " + (v.api() ? "API: " : "") + v.label());
        }
    }

    /** Ten files of this layout with two valid values each; the first three are the "3 settings". */
    private static List<Setting> settings(CgroupController cg, String dev) {
        List<Setting> out = new ArrayList<>();
        if (cg.mode() == CgroupMode.V2) {
            Path d = cg.v2Path().orElseThrow();
            out.add(new Setting(d.resolve("cpu.max"), "50000 100000", "60000 100000"));
            out.add(new Setting(d.resolve("memory.max"), "134217728", "133169152"));
            out.add(new Setting(d.resolve("pids.max"), "500", "501"));
            out.add(new Setting(d.resolve("cpu.weight"), "100", "101"));
            out.add(new Setting(d.resolve("memory.high"), "134217728", "133169152"));
            out.add(new Setting(d.resolve("memory.low"), "0", "4096"));
            out.add(new Setting(d.resolve("memory.min"), "0", "4096"));
            out.add(new Setting(d.resolve("memory.swap.max"), "0", "4096"));
            out.add(new Setting(d.resolve("io.max"), dev + " wbps=8388608", dev + " wbps=8388607"));
            out.add(new Setting(d.resolve("io.max"), dev + " riops=1000", dev + " riops=1001"));
        } else {
            Path cpu = cg.v1Paths().get("cpu"), mem = cg.v1Paths().get("memory"), pids = cg.v1Paths().get("pids"), blk = cg.v1Paths().get("blkio");
            // Memory values stay below the memsw limit the "3 limits" rows set (255-256 MiB): v1 wants limit <= memsw.
            out.add(new Setting(cpu.resolve("cpu.cfs_quota_us"), "50000", "60000"));
            out.add(new Setting(mem.resolve("memory.limit_in_bytes"), "134217728", "133169152"));
            out.add(new Setting(pids.resolve("pids.max"), "500", "501"));
            out.add(new Setting(cpu.resolve("cpu.shares"), "1024", "1025"));
            out.add(new Setting(mem.resolve("memory.soft_limit_in_bytes"), "134217728", "133169152"));
            out.add(new Setting(mem.resolve("memory.swappiness"), "0", "1"));
            out.add(new Setting(blk.resolve("blkio.throttle.read_bps_device"), dev + " 8388608", dev + " 8388607"));
            out.add(new Setting(blk.resolve("blkio.throttle.write_bps_device"), dev + " 8388608", dev + " 8388607"));
            out.add(new Setting(blk.resolve("blkio.throttle.read_iops_device"), dev + " 1000", dev + " 1001"));
            out.add(new Setting(blk.resolve("blkio.throttle.write_iops_device"), dev + " 1000", dev + " 1001"));
        }
        return out;
    }

    private static String describe(List<Setting> settings) {
        List<String> names = new ArrayList<>();
        Path root = Path.of("/sys/fs/cgroup");
        for (Setting s : settings) {
            Path rel = s.file().startsWith(root) ? root.relativize(s.file()) : s.file();
            names.add(rel.getNameCount() > 2 ? rel.getName(0) + "/…/" + rel.getFileName() : rel.toString());
        }
        return String.join(", ", names);
    }

    private static int apiWrites(CgroupController cg) {
        try (IoUringCgroup b = new IoUringCgroup(cg, Submission.PLAIN_WRITES)) {
            return b.queueCpuMax(50_000, 100_000).queueMemoryMax(256L << 20).queuePidsMax(500).queued();
        }
    }

    private static String label(Submission s) {
        return switch (s) {
            case PLAIN_WRITES -> "plain: open+write+close per file (sequential)";
            case IO_URING_WRITES -> "io_uring: open/close in Java, writes in 1 enter";
            case IO_URING_OPEN_WRITE_CLOSE -> "io_uring: openat+write+close linked, 1 enter";
            default -> s.name();
        };
    }

    private static int[] device() throws Exception {
        String d = System.getProperty("device", "");
        if (d.isEmpty()) {
            try (var s = Files.list(Path.of("/sys/block"))) {
                for (Path p : s.sorted().toList()) {
                    String n = p.getFileName().toString();
                    if (n.startsWith("loop") || n.startsWith("zram") || n.startsWith("ram")) continue;
                    d = Files.readString(p.resolve("dev")).trim();
                    break;
                }
            }
        }
        if (d.isEmpty()) throw new IllegalStateException("no block device for the io settings: pass -Ddevice=major:minor");
        String[] mm = d.split(":");
        return new int[] {Integer.parseInt(mm[0]), Integer.parseInt(mm[1])};
    }
}
