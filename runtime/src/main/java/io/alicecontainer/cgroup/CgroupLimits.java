package io.alicecontainer.cgroup;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes limits, v2 or v1 file names and units; the logic is the same (youki's split: one place
 * per controller, file names as constants).
 */
final class CgroupLimits {
    private CgroupLimits() {
    }

    /** cpu: quota per period in µs; quota -1 is unlimited. */
    static void cpuMax(Path v2CpuDir, Path v1CpuDir, long quotaUs, long periodUs) {
        if (v2CpuDir != null) {
            CgroupFs.write(v2CpuDir.resolve(CgroupFiles.CPU_MAX), (quotaUs < 0 ? "max" : Long.toString(quotaUs)) + " " + periodUs);
        } else {
            require(v1CpuDir, "cpu");
            Path quota = v1CpuDir.resolve(CgroupFiles.CPU_CFS_QUOTA_US);
            Path period = v1CpuDir.resolve(CgroupFiles.CPU_CFS_PERIOD_US);
            if (CgroupFs.readLong(period) != periodUs) {
                // A new period: the quota must fit the period in force when each is written, so
                // the quota is lifted for the moment of the change (only here, never for a
                // quota-only change such as a scheduler's).
                CgroupFs.write(quota, "-1");
                CgroupFs.write(period, Long.toString(periodUs));
            }
            CgroupFs.write(quota, Long.toString(quotaUs));
        }
    }

    /** memory: the limit, with swap off so that the limit really limits. */
    static void memoryMax(Path v2MemDir, Path v1MemDir, long bytes) {
        if (v2MemDir != null) {
            CgroupFs.write(v2MemDir.resolve(CgroupFiles.MEMORY_MAX), Long.toString(bytes));
            CgroupFs.writeIfPresent(v2MemDir.resolve(CgroupFiles.MEMORY_SWAP_MAX), "0");
            return;
        }
        require(v1MemDir, "memory");
        Path limit = v1MemDir.resolve(CgroupFiles.MEMORY_LIMIT_IN_BYTES);
        Path memsw = v1MemDir.resolve(CgroupFiles.MEMORY_MEMSW_LIMIT_IN_BYTES);
        String v = Long.toString(bytes);
        if (Files.exists(memsw)) {
            // memsw.limit >= limit at every moment: order the two writes by direction.
            long currentMemsw = CgroupFs.readLong(memsw);
            if (bytes <= currentMemsw) {
                CgroupFs.write(limit, v);
                CgroupFs.write(memsw, v);
            } else {
                CgroupFs.write(memsw, v);
                CgroupFs.write(limit, v);
            }
        } else {
            CgroupFs.write(limit, v);
            // No swap accounting: keep the cgroup's pages out of swap instead.
            CgroupFs.writeIfPresent(v1MemDir.resolve(CgroupFiles.MEMORY_SWAPPINESS), "0");
        }
    }

    static void pidsMax(Path pidsDir, long max) {
        require(pidsDir, "pids");
        CgroupFs.write(pidsDir.resolve(CgroupFiles.PIDS_MAX), max < 0 ? "max" : Long.toString(max));
    }

    static void ioMax(Path v2IoDir, Path v1BlkioDir, IoLimit l) {
        if (v2IoDir != null) {
            CgroupFs.write(v2IoDir.resolve(CgroupFiles.IO_MAX), l.device() + " rbps=" + v2(l.readBytesPerSecond())
                    + " wbps=" + v2(l.writeBytesPerSecond()) + " riops=" + v2(l.readIops()) + " wiops=" + v2(l.writeIops()));
            return;
        }
        require(v1BlkioDir, "blkio");
        CgroupFs.write(v1BlkioDir.resolve(CgroupFiles.BLKIO_READ_BPS), l.device() + " " + v1(l.readBytesPerSecond()));
        CgroupFs.write(v1BlkioDir.resolve(CgroupFiles.BLKIO_WRITE_BPS), l.device() + " " + v1(l.writeBytesPerSecond()));
        CgroupFs.write(v1BlkioDir.resolve(CgroupFiles.BLKIO_READ_IOPS), l.device() + " " + v1(l.readIops()));
        CgroupFs.write(v1BlkioDir.resolve(CgroupFiles.BLKIO_WRITE_IOPS), l.device() + " " + v1(l.writeIops()));
    }

    private static String v2(long v) {
        return v == IoLimit.UNLIMITED ? "max" : Long.toString(v);
    }

    private static String v1(long v) {
        return v == IoLimit.UNLIMITED ? "0" : Long.toString(v); // 0 removes a v1 throttle rule
    }

    private static void require(Path dir, String controller) {
        if (dir == null) {
            boolean rootless = CgroupRoot.get().placement.reason().startsWith("rootless");
            throw new CgroupException("the " + controller + " controller is not available on this host "
                    + "(" + CgroupLayout.detect() + ")" + (rootless ? " or not delegated to this user (" + CgroupRoot.get().placement
                    + ")" : "") + ": cannot set a " + controller + " limit");
        }
    }
}
