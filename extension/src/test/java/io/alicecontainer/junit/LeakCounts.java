package io.alicecontainer.junit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * What a run of isolated tests could leave in this JVM and on the host: open fds, threads, child
 * processes, mounts of ours in this mount namespace (naming alice; others' mounts come and go
 * with the other work on the machine) and cgroups named after this JVM's containers
 * ({@code t<pid>-...}).
 */
record LeakCounts(long fds, long threads, long children, long mounts, long cgroups) {

    static LeakCounts now() throws IOException {
        String prefix = "t" + ProcessHandle.current().pid() + "-";
        long[] cgroups = {0};
        // Other JVMs remove their groups while we walk: a vanished directory is simply not counted.
        Files.walkFileTree(Path.of("/sys/fs/cgroup"), new java.nio.file.SimpleFileVisitor<>() {
            @Override
            public java.nio.file.FileVisitResult preVisitDirectory(Path dir, java.nio.file.attribute.BasicFileAttributes a) {
                if (dir.getFileName() != null && dir.getFileName().toString().startsWith(prefix)) cgroups[0]++;
                return java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFileFailed(Path file, IOException e) {
                return java.nio.file.FileVisitResult.CONTINUE;
            }
        });
        long mounts = Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().filter(l -> l.contains("alice")).count();
        return new LeakCounts(count(Path.of("/proc/self/fd")), count(Path.of("/proc/self/task")),
                ProcessHandle.current().children().count(), mounts, cgroups[0]);
    }

    /** The counts once they equal before, or after 5 s (reaped children and ended threads settle). */
    static LeakCounts settled(LeakCounts before) throws IOException {
        LeakCounts after = now();
        for (int i = 0; i < 50 && !after.equals(before); i++) {
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
