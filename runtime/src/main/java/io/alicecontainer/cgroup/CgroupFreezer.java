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
        if (!frozen) {
            CgroupFs.write(state, "THAWED");
            while (!CgroupFs.read(state).trim().equals("THAWED")) {
                waitOrFail(deadline, v1Freezer, false);
            }
            return;
        }
        freezeV1(state, v1Freezer, deadline);
    }

    /**
     * The v1 freezer can stay FREEZING while processes appear (a fork, a write to cgroup.procs) or
     * on a slow machine; its documentation says to retry or thaw. As runc's fs driver does: write
     * FROZEN again and again, thaw and wait a little now and then, and thaw before giving up, so
     * that a failed pause never leaves the processes frozen (a frozen v1 task does not even die of
     * SIGKILL until it is thawed).
     */
    private static void freezeV1(Path state, Path dir, long deadline) {
        boolean done = false;
        try {
            for (int i = 0;; i++) {
                if (i % 50 == 49) {
                    CgroupFs.write(state, "THAWED");
                    CgroupTree.sleepMillis(10);
                }
                CgroupFs.write(state, "FROZEN");
                if (CgroupFs.read(state).trim().equals("FROZEN")) {
                    done = true;
                    return;
                }
                waitOrFail(deadline, dir, true);
            }
        } finally {
            if (!done) CgroupFs.write(state, "THAWED");
        }
    }

    /** Thaws a v1 freezer group that is frozen or freezing (before its processes are killed); nothing elsewhere. */
    static void thawV1(Path v1Freezer) {
        if (v1Freezer == null) return;
        Path state = v1Freezer.resolve(CgroupFiles.FREEZER_STATE);
        if (!CgroupFs.read(state).trim().equals("THAWED")) CgroupFs.write(state, "THAWED");
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
