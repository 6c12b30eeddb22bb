package io.alicecontainer.cgroup;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.alicecontainer.internal.Native;

/** Operations on a cgroup directory and everything below it, in any hierarchy. */
final class CgroupTree {
    private static final int SIGKILL = 9;

    private CgroupTree() {
    }

    /** Child cgroups, deepest first. */
    static List<Path> descendants(Path dir) {
        List<Path> out = new ArrayList<>();
        collect(dir, out);
        return out;
    }

    private static void collect(Path dir, List<Path> out) {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, Files::isDirectory)) {
            for (Path d : ds) {
                collect(d, out);
                out.add(d);
            }
        } catch (java.nio.file.NoSuchFileException e) {
            // gone already
        } catch (IOException e) {
            throw new CgroupException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The pids in this cgroup and below. */
    static List<Long> pids(Path dir) {
        List<Long> out = new ArrayList<>();
        List<Path> all = descendants(dir);
        all.add(dir);
        for (Path d : all) {
            CgroupFs.readIfPresent(d.resolve(CgroupFiles.PROCS)).ifPresent(s -> {
                for (String l : s.split("\n")) {
                    if (!l.isBlank()) out.add(Long.parseLong(l.trim()));
                }
            });
        }
        return out;
    }

    /** SIGKILL to every process inside, by cgroup.kill where the kernel has it (v2, 5.14). */
    static void killAll(Path dir) {
        if (Files.exists(dir.resolve(CgroupFiles.KILL))) {
            CgroupFs.write(dir.resolve(CgroupFiles.KILL), "1");
            return;
        }
        // Without cgroup.kill: kill what is listed until nothing is left; a fork racing the
        // listing shows up in the next round.
        for (int round = 0; round < 100; round++) {
            List<Long> pids = pids(dir);
            if (pids.isEmpty()) return;
            for (long pid : pids) Native.libc().kill((int) pid, SIGKILL);
            sleepMillis(1);
        }
    }

    /** Waits until no process is left inside, at most timeoutMillis. */
    static boolean awaitEmpty(Path dir, long timeoutMillis) {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        Path events = dir.resolve(CgroupFiles.EVENTS);
        boolean v2 = Files.exists(events);
        for (int i = 0;; i++) {
            boolean empty = v2 ? CgroupFs.read(events).contains("populated 0") : pids(dir).isEmpty();
            if (empty) return true;
            if (System.nanoTime() > deadline) return false;
            if (i > 10) sleepMillis(1); else Thread.onSpinWait();
        }
    }

    /** rmdir of the tree, deepest first; EBUSY right after a kill is retried for a while. */
    static void remove(Path dir) {
        try {
            Files.deleteIfExists(dir);   // the common case: a leaf without processes
            return;
        } catch (IOException e) {
            // children or processes left: below
        }
        List<Path> all = descendants(dir);
        all.add(dir);
        for (Path d : all) {
            for (int attempt = 0;; attempt++) {
                try {
                    Files.deleteIfExists(d);
                    break;
                } catch (IOException e) {
                    if (attempt >= 500) throw new CgroupException("cannot remove cgroup " + d + ": " + e, e);
                    sleepMillis(attempt < 10 ? 0 : 2);
                }
            }
        }
    }

    static void killAndRemove(Path dir) {
        if (!Files.isDirectory(dir)) return;
        for (Path d : descendants(dir)) killAll(d);
        killAll(dir);
        awaitEmpty(dir, 5000);
        remove(dir);
    }

    /**
     * Sleeps without giving up on an interrupt (the caller is often cleaning up and must finish):
     * the interrupt is kept for the caller to see afterwards.
     */
    static void sleepMillis(long ms) {
        boolean interrupted = Thread.interrupted();
        long end = System.nanoTime() + ms * 1_000_000;
        for (long left = ms * 1_000_000; left > 0; left = end - System.nanoTime()) {
            java.util.concurrent.locks.LockSupport.parkNanos(left);
            if (Thread.interrupted()) interrupted = true;
        }
        if (interrupted) Thread.currentThread().interrupt();
    }
}
