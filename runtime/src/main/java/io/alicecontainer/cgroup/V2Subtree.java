package io.alicecontainer.cgroup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Steps the placement drivers share: making groups, enabling controllers, moving processes. */
final class V2Subtree {
    private V2Subtree() {
    }

    static void ensureDir(Path dir) {
        if (Files.isDirectory(dir)) return;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new CgroupException("cannot create cgroup " + dir + ": " + e, e);
        }
    }

    /**
     * The group the containers go in, made if missing, with the controllers enabled for its
     * children: the last step of every placement driver (its parent has them enabled already).
     */
    static Path base(Path group, Set<String> controllers) {
        ensureDir(group);
        if (!controllers.isEmpty()) enable(group, controllers);
        return group;
    }

    /** The words of a file such as cgroup.controllers; empty when it cannot be read. */
    static Set<String> words(Path file) {
        Set<String> out = new LinkedHashSet<>();
        try {
            out.addAll(List.of(Files.readString(file).trim().split("\\s+")));
        } catch (IOException e) {
            return out;
        }
        out.remove("");
        return out;
    }

    /** Adds the controllers missing from dir's cgroup.subtree_control (cgroup v2: each ancestor must have them). */
    static void enable(Path dir, Set<String> controllers) {
        String current = CgroupFs.read(dir.resolve(CgroupFiles.SUBTREE_CONTROL));
        Set<String> have = new LinkedHashSet<>(List.of(current.trim().split("\\s+")));
        StringBuilder add = new StringBuilder();
        for (String c : controllers) {
            if (!have.contains(c)) add.append(add.length() == 0 ? "" : " ").append('+').append(c);
        }
        if (add.length() > 0) CgroupFs.write(dir.resolve(CgroupFiles.SUBTREE_CONTROL), add.toString());
    }

    /**
     * Moves every process of {@code from} into {@code to} and enables the controllers in
     * {@code from}, as docker-in-docker's entrypoint and kind do for a cgroup namespace's root.
     * A process forked meanwhile makes the enable fail with EBUSY: then again, a bounded number
     * of times. A process that exits while it is moved (ESRCH) needs no move.
     */
    static int evacuateAndEnable(Path from, Path to, Set<String> controllers) {
        ensureDir(to);
        int moved = 0;
        CgroupException last = null;
        for (int round = 0; round < 50; round++) {
            for (String line : CgroupFs.read(from.resolve(CgroupFiles.PROCS)).split("\n")) {
                if (line.isBlank()) continue;
                try {
                    CgroupFs.write(to.resolve(CgroupFiles.PROCS), line.trim());
                    moved++;
                } catch (CgroupException e) {
                    if (!e.getMessage().contains("ESRCH")) throw e;
                }
            }
            try {
                enable(from, controllers);
                return moved;
            } catch (CgroupException e) {
                if (!e.getMessage().contains("EBUSY")) throw e;
                last = e;
            }
        }
        throw new CgroupException("cannot empty " + from + " to enable " + controllers + " in it: processes keep appearing", last);
    }
}
