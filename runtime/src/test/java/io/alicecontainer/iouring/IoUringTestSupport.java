package io.alicecontainer.iouring;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.alicecontainer.cgroup.CgroupController;
import io.alicecontainer.cgroup.CgroupMode;
import io.alicecontainer.cgroup.IoLimit;
import org.junit.jupiter.api.Assumptions;

/** Shared helpers of the io_uring tests: cgroup files, a block device, fd and mapping counts. */
final class IoUringTestSupport {
    private IoUringTestSupport() {
    }

    /** Skips (printing why) an io_uring variant where io_uring is unavailable; the plain variant always runs. */
    static void assumeUsable(Submission s) {
        boolean ok = s == Submission.PLAIN_WRITES || s == Submission.AUTO || IoUringCgroup.isIoUringAvailable();
        if (!ok) System.out.println("[alice] skipped " + s + ": " + IoUringCgroup.unavailabilityReason());
        Assumptions.assumeTrue(ok, () -> s + " needs io_uring: " + IoUringCgroup.unavailabilityReason());
    }

    /**
     * On v1 and hybrid hosts, makes the cpu, pids and blkio cgroups of cg with neutral values (they
     * are made when a first limit is set), so that queueing their limits works.
     */
    static void makeV1Dirs(CgroupController cg, IoLimit neutralIo) {
        if (cg.mode() == CgroupMode.V2) return;
        cg.setCpuMax(-1, 100_000);
        cg.setPidsMax(4096);
        if (neutralIo != null) cg.setIoMax(neutralIo);
    }

    /** A block device for io limits ("major:minor" of the first disk that is no loop or zram device), or null. */
    static int[] blockDevice() {
        try (Stream<Path> s = Files.list(Path.of("/sys/block"))) {
            for (Path dev : s.sorted().toList()) {
                String name = dev.getFileName().toString();
                if (name.startsWith("loop") || name.startsWith("zram") || name.startsWith("ram")) continue;
                String[] mm = Files.readString(dev.resolve("dev")).trim().split(":");
                return new int[] {Integer.parseInt(mm[0]), Integer.parseInt(mm[1])};
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }

    /** The content of every limit file the setters and the queue methods write, keyed by controller/file. */
    static Map<String, String> limitFiles(CgroupController cg) {
        Map<String, String> out = new LinkedHashMap<>();
        if (cg.mode() == CgroupMode.V2) {
            Path d = cg.v2Path().orElseThrow();
            for (String f : List.of("cpu.max", "memory.max", "memory.swap.max", "pids.max", "io.max")) read(out, "v2", d, f);
        } else {
            cg.v1Paths().forEach((controller, d) -> {
                for (String f : List.of("cpu.cfs_quota_us", "cpu.cfs_period_us", "memory.limit_in_bytes",
                        "memory.memsw.limit_in_bytes", "memory.swappiness", "pids.max", "blkio.throttle.read_bps_device",
                        "blkio.throttle.write_bps_device", "blkio.throttle.read_iops_device", "blkio.throttle.write_iops_device")) {
                    read(out, controller, d, f);
                }
            });
        }
        return out;
    }

    private static void read(Map<String, String> out, String key, Path dir, String file) {
        Path p = dir.resolve(file);
        if (!Files.exists(p)) return;
        try {
            out.put(key + "/" + file, Files.readString(p).trim());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Open fds of this process and what they point to, without the fd of the listing itself. */
    static Map<String, String> openFds() {
        Map<String, String> out = new java.util.TreeMap<>();
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : s.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (!target.matches("/proc/\\d+/fd")) out.put(fd.getFileName().toString(), target);
                } catch (IOException gone) {
                    // closed while listing
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** The fds in after that were not open (to the same thing) in before: what a test leaked. */
    static Map<String, String> newFds(Map<String, String> before, Map<String, String> after) {
        Map<String, String> added = new java.util.TreeMap<>(after);
        added.entrySet().removeIf(e -> e.getValue().equals(before.get(e.getKey())));
        return added;
    }

    /** Open io_uring instances of this process. */
    static long ringFds() {
        return openFds().values().stream().filter(t -> t.contains("io_uring")).count();
    }

    /** Mappings of io_uring rings in this process. */
    static long ringMappings() {
        try {
            return Files.readAllLines(Path.of("/proc/self/maps")).stream().filter(l -> l.contains("io_uring")).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
