package io.alicecontainer.iouring;

import java.nio.file.Files;
import java.nio.file.Path;

import io.alicecontainer.cgroup.CgroupController;
import io.alicecontainer.cgroup.CgroupException;
import io.alicecontainer.cgroup.CgroupLayout;
import io.alicecontainer.cgroup.CgroupMode;

/** Where a controller's limit files are ({@code cpu}, {@code memory}, {@code pids}, {@code io}) and whether they carry v2 names. */
interface CgroupTarget {
    record Dir(Path path, boolean v2) {
    }

    /** @throws CgroupException or IllegalStateException when the controller's files are not there */
    Dir dir(String controller);

    /** A container's cgroup: v2 files on pure v2, the v1 controller directories on v1 and hybrid. */
    static CgroupTarget of(CgroupController cg) {
        return controller -> {
            CgroupLayout layout = CgroupController.layout();
            if (!layout.supportsLimit(controller)) {
                throw new CgroupException("the " + controller + " controller is not available on this host (" + layout
                        + "): cannot set a " + controller + " limit");
            }
            if (cg.mode() == CgroupMode.V2) return new Dir(cg.v2Path().orElseThrow(), true);
            String v1 = controller.equals("io") ? "blkio" : controller;
            Path dir = cg.v1Paths().get(v1);
            if (dir == null) {
                // CgroupController makes the v1 cpu, pids and blkio cgroups when a limit of theirs is
                // first set (a cgroup.procs write per spawn saved); it has no public hook to make them
                // earlier, and a directory made here would escape its destroy().
                throw new IllegalStateException("the v1 " + v1 + " cgroup of `" + cg.name() + "` does not exist yet: "
                        + "CgroupController makes it when a " + controller + " limit is first set; set one with its setter "
                        + "(e.g. setCpuMax(-1, 100000), setPidsMax(n), setIoMax(limit)) before queueing " + controller + " limits");
            }
            return new Dir(dir, false);
        };
    }

    /** A plain directory: per controller, v2 names where the v2 file exists, else v1 names where that exists. */
    static CgroupTarget of(Path directory) {
        Path dir = directory.toAbsolutePath();
        return controller -> {
            String v2File = switch (controller) {
                case "cpu" -> LimitWrites.CPU_MAX;
                case "memory" -> LimitWrites.MEMORY_MAX;
                case "pids" -> LimitWrites.PIDS_MAX;
                default -> LimitWrites.IO_MAX;
            };
            String v1File = switch (controller) {
                case "cpu" -> LimitWrites.CPU_CFS_QUOTA_US;
                case "memory" -> LimitWrites.MEMORY_LIMIT_IN_BYTES;
                case "pids" -> LimitWrites.PIDS_MAX;
                default -> LimitWrites.BLKIO_WRITE_BPS;
            };
            if (Files.exists(dir.resolve(v2File))) return new Dir(dir, true);
            if (Files.exists(dir.resolve(v1File))) return new Dir(dir, false);
            throw new CgroupException("no " + controller + " limit file in " + dir + ": neither " + v2File + " nor " + v1File);
        };
    }
}
