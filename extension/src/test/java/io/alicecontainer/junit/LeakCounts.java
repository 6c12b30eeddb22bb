package io.alicecontainer.junit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * What a run of isolated tests could leave in this JVM and on the host: open fds, threads,
 * processes below this JVM (children and theirs), mounts of ours in this mount namespace (naming alice; others' mounts come and go
 * with the other work on the machine) and cgroups named after this JVM's containers
 * ({@code t<pid>-...} cold, {@code p<pid>-...} pooled, their Sandbox containers below the same names).
 * Fewer than before is no leak: threads and fds of an earlier run (a pool's spawner, a channel
 * reader) may still have been ending when "before" was counted.
 */
record LeakCounts(long fds, long threads, long processes, long mounts, long cgroups) {

    static LeakCounts now() throws IOException {
        long cgroups = ourCgroups().size();
        long mounts = Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().filter(l -> l.contains("alice")).count();
        return new LeakCounts(count(Path.of("/proc/self/fd")), count(Path.of("/proc/self/task")),
                ProcessHandle.current().descendants().count(), mounts, cgroups);
    }

    /** How many of this JVM's containers exist now (a container has a directory in each hierarchy: counted once). */
    static long containers() throws IOException {
        return ourCgroups().stream().map(d -> d.getFileName().toString()).distinct().count();
    }

    /** The cgroup directories named after this JVM's containers, in every hierarchy. */
    private static java.util.List<Path> ourCgroups() throws IOException {
        String cold = "t" + ProcessHandle.current().pid() + "-";
        String pooled = "p" + ProcessHandle.current().pid() + "-";
        java.util.List<Path> found = new java.util.ArrayList<>();
        // Other JVMs remove their groups while we walk: a vanished directory is simply not counted.
        Files.walkFileTree(Path.of("/sys/fs/cgroup"), new java.nio.file.SimpleFileVisitor<>() {
            @Override
            public java.nio.file.FileVisitResult preVisitDirectory(Path dir, java.nio.file.attribute.BasicFileAttributes a) {
                String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
                if (name.startsWith(cold) || name.startsWith(pooled)) found.add(dir);
                return java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFileFailed(Path file, IOException e) {
                return java.nio.file.FileVisitResult.CONTINUE;
            }
        });
        return found;
    }

    /** What grew since {@code before}, e.g. "threads 26 -> 28"; empty when nothing did. */
    java.util.List<String> grownSince(LeakCounts before) {
        java.util.List<String> out = new java.util.ArrayList<>();
        long[] now = {fds, threads, processes, mounts, cgroups};
        long[] then = {before.fds, before.threads, before.processes, before.mounts, before.cgroups};
        String[] names = {"fds", "threads", "processes", "mounts", "cgroups"};
        for (int i = 0; i < names.length; i++) {
            if (now[i] > then[i]) out.add(names[i] + " " + then[i] + " -> " + now[i]);
        }
        return out;
    }

    /** The counts once none is above before, or after 5 s (reaped children and ended threads settle). */
    static LeakCounts settled(LeakCounts before) throws IOException {
        LeakCounts after = now();
        for (int i = 0; i < 50 && !after.grownSince(before).isEmpty(); i++) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            after = now();
        }
        return after;
    }

    private static long count(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }
}
