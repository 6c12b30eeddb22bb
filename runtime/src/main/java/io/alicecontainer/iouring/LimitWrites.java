package io.alicecontainer.iouring;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.alicecontainer.cgroup.IoLimit;

/**
 * Turns limits into file writes, with the same files, values and order as CgroupController's
 * setters (v2: Documentation/admin-guide/cgroup-v2.rst; v1: cgroup-v1/), so that a batch lands
 * exactly as the setters would.
 */
final class LimitWrites {
    static final String CPU_MAX = "cpu.max";
    static final String CPU_CFS_QUOTA_US = "cpu.cfs_quota_us";
    static final String CPU_CFS_PERIOD_US = "cpu.cfs_period_us";
    static final String MEMORY_MAX = "memory.max";
    static final String MEMORY_SWAP_MAX = "memory.swap.max";
    static final String MEMORY_LIMIT_IN_BYTES = "memory.limit_in_bytes";
    static final String MEMORY_MEMSW_LIMIT_IN_BYTES = "memory.memsw.limit_in_bytes";
    static final String MEMORY_SWAPPINESS = "memory.swappiness";
    static final String PIDS_MAX = "pids.max";
    static final String IO_MAX = "io.max";
    static final String BLKIO_READ_BPS = "blkio.throttle.read_bps_device";
    static final String BLKIO_WRITE_BPS = "blkio.throttle.write_bps_device";
    static final String BLKIO_READ_IOPS = "blkio.throttle.read_iops_device";
    static final String BLKIO_WRITE_IOPS = "blkio.throttle.write_iops_device";

    private LimitWrites() {
    }

    static List<QueuedWrite> cpuMax(CgroupTarget.Dir d, long quotaUs, long periodUs) {
        if (d.v2()) return List.of(w(d, CPU_MAX, (quotaUs < 0 ? "max" : Long.toString(quotaUs)) + " " + periodUs));
        // v1, as CgroupLimits.cpuMax: with a new period the quota must fit the period in force
        // when it is written, so it is lifted first; a quota-only change writes the quota alone.
        if (readLong(d.path().resolve(CPU_CFS_PERIOD_US)) == periodUs) {
            return List.of(w(d, CPU_CFS_QUOTA_US, Long.toString(quotaUs)));
        }
        return List.of(w(d, CPU_CFS_QUOTA_US, "-1"), w(d, CPU_CFS_PERIOD_US, Long.toString(periodUs)),
                w(d, CPU_CFS_QUOTA_US, Long.toString(quotaUs)));
    }

    /** The limit with swap off for the cgroup; the v1 order of limit and memsw depends on the memsw limit now. */
    static List<QueuedWrite> memoryMax(CgroupTarget.Dir d, long bytes) {
        String v = Long.toString(bytes);
        if (d.v2()) {
            List<QueuedWrite> out = new ArrayList<>(List.of(w(d, MEMORY_MAX, v)));
            if (Files.exists(d.path().resolve(MEMORY_SWAP_MAX))) out.add(w(d, MEMORY_SWAP_MAX, "0"));
            return out;
        }
        Path memsw = d.path().resolve(MEMORY_MEMSW_LIMIT_IN_BYTES);
        if (Files.exists(memsw)) {
            // memsw.limit >= limit at every moment: order the two writes by direction.
            return bytes <= readLong(memsw) ? List.of(w(d, MEMORY_LIMIT_IN_BYTES, v), w(d, MEMORY_MEMSW_LIMIT_IN_BYTES, v))
                    : List.of(w(d, MEMORY_MEMSW_LIMIT_IN_BYTES, v), w(d, MEMORY_LIMIT_IN_BYTES, v));
        }
        List<QueuedWrite> out = new ArrayList<>(List.of(w(d, MEMORY_LIMIT_IN_BYTES, v)));
        if (Files.exists(d.path().resolve(MEMORY_SWAPPINESS))) out.add(w(d, MEMORY_SWAPPINESS, "0"));
        return out;
    }

    static List<QueuedWrite> pidsMax(CgroupTarget.Dir d, long max) {
        return List.of(w(d, PIDS_MAX, max < 0 ? "max" : Long.toString(max)));
    }

    static List<QueuedWrite> ioMax(CgroupTarget.Dir d, IoLimit l) {
        String dev = l.major() + ":" + l.minor();
        if (d.v2()) {
            return List.of(w(d, IO_MAX, dev + " rbps=" + v2(l.readBytesPerSecond()) + " wbps=" + v2(l.writeBytesPerSecond())
                    + " riops=" + v2(l.readIops()) + " wiops=" + v2(l.writeIops())));
        }
        return List.of(w(d, BLKIO_READ_BPS, dev + " " + v1(l.readBytesPerSecond())),
                w(d, BLKIO_WRITE_BPS, dev + " " + v1(l.writeBytesPerSecond())),
                w(d, BLKIO_READ_IOPS, dev + " " + v1(l.readIops())),
                w(d, BLKIO_WRITE_IOPS, dev + " " + v1(l.writeIops())));
    }

    private static QueuedWrite w(CgroupTarget.Dir d, String file, String value) {
        return QueuedWrite.of(d.path().resolve(file), value);
    }

    private static String v2(long v) {
        return v == IoLimit.UNLIMITED ? "max" : Long.toString(v);
    }

    private static String v1(long v) {
        return v == IoLimit.UNLIMITED ? "0" : Long.toString(v); // 0 removes a v1 throttle rule
    }

    private static long readLong(Path file) {
        try {
            return Long.parseLong(Files.readString(file).trim());
        } catch (IOException | NumberFormatException e) {
            return Long.MAX_VALUE;   // unreadable: assume unlimited, the kernel's default
        }
    }
}
