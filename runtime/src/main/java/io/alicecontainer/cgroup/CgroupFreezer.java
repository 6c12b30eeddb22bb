package io.alicecontainer.cgroup;

import java.nio.file.Path;

/** Freeze and thaw: cgroup.freeze (v2, also hybrid) or the v1 freezer; waits for the kernel to agree. */
final class CgroupFreezer {
    private static final long TIMEOUT_MILLIS = 10_000;

    private CgroupFreezer() {
    }

    static void freeze(Path v2Dir, Path v1Freezer, boolean frozen) {
        long deadline = System.nanoTime() + TIMEOUT_MILLIS * 1_000_000;
        if (v2Dir != null) {
            CgroupFs.write(v2Dir.resolve(CgroupFiles.FREEZE), frozen ? "1" : "0");
            String want = "frozen " + (frozen ? 1 : 0);
            while (!CgroupFs.read(v2Dir.resolve(CgroupFiles.EVENTS)).contains(want)) {
                waitOrFail(deadline, v2Dir, frozen);
            }
            return;
        }
        if (v1Freezer == null) {
            throw new CgroupException("no freezer on this host (" + CgroupLayout.detect() + "): cannot "
                    + (frozen ? "pause" : "resume"));
        }
        Path state = v1Freezer.resolve(CgroupFiles.FREEZER_STATE);
        CgroupFs.write(state, frozen ? "FROZEN" : "THAWED");
        String want = frozen ? "FROZEN" : "THAWED";
        while (!CgroupFs.read(state).trim().equals(want)) {
            waitOrFail(deadline, v1Freezer, frozen);
        }
    }

    static boolean isFrozen(Path v2Dir, Path v1Freezer) {
        if (v2Dir != null) return CgroupFs.read(v2Dir.resolve(CgroupFiles.EVENTS)).contains("frozen 1");
        return v1Freezer != null && CgroupFs.read(v1Freezer.resolve(CgroupFiles.FREEZER_STATE)).trim().equals("FROZEN");
    }

    private static void waitOrFail(long deadline, Path dir, boolean frozen) {
        if (System.nanoTime() > deadline) {
            throw new CgroupException("the kernel did not report " + dir + " " + (frozen ? "frozen" : "thawed")
                    + " within " + TIMEOUT_MILLIS + " ms");
        }
        CgroupTree.sleepMillis(1);
    }
}
