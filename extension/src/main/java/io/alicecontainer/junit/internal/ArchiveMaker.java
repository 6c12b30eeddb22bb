package io.alicecontainer.junit.internal;

import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Makes one CDS archive in the background: a warm-up JVM records the classes it loads
 * ({@code -XX:DumpLoadedClassList}), a second one dumps them from the jars
 * ({@code -Xshare:dump}) into a temporary file, which is renamed into place. An AOT cache (JDK 25)
 * is made by JDK 25's one-step workflow instead: the warm-up is the training run
 * ({@code -XX:AOTCacheOutput}; the JVM records it and, at exit, starts a JVM that assembles the
 * cache), on the jars alone. Either file is mapped once before it is renamed into place (with
 * every page checked), and its size is recorded. One JVM at a time per
 * archive (a lock file); processes still running when this JVM exits are killed and their
 * temporary files removed.
 */
final class ArchiveMaker {
    private static final long STEP_TIMEOUT_S = 180;
    /**
     * How long an exiting JVM waits for an archive still being made: a short suite may end before
     * its archive is done, and the next run should find it. Below Surefire's 30 s
     * (forkedProcessExitTimeoutInSeconds), after which it kills the fork.
     */
    private static final long EXIT_WAIT_MS = 25_000;
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();
    private static final Set<Path> TEMPORARY = ConcurrentHashMap.newKeySet();
    private static final Set<Thread> MAKING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            long deadline = System.currentTimeMillis() + EXIT_WAIT_MS;
            for (Thread t : MAKING) {
                try {
                    t.join(Math.max(1, deadline - System.currentTimeMillis()));
                } catch (InterruptedException e) {
                    break;
                }
            }
            RUNNING.forEach(ArchiveMaker::kill);
            for (Path p : TEMPORARY) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort at exit
                }
            }
        }, "alice-cds-cleanup"));
    }

    /** Completes with the archive, or with null when this JVM did not make it (another did, or it failed). */
    final CompletableFuture<Path> result = new CompletableFuture<>();

    private ArchiveMaker() {
    }

    static ArchiveMaker start(ClassDataSharing.Kind kind, String java, List<String> dumpOptions, ClassPathOrder order, Path dir,
                              String key) {
        ArchiveMaker m = new ArchiveMaker();
        Thread t = new Thread(() -> {
            try {
                m.result.complete(make(kind, java, dumpOptions, order, dir, key));
            } catch (Throwable e) {
                System.err.println("[alice] no class-data sharing archive for child JVMs: " + e.getMessage());
                m.result.complete(null);
            } finally {
                MAKING.remove(Thread.currentThread());
            }
        }, "alice-cds-" + key);
        t.setDaemon(true);
        MAKING.add(t);
        t.start();
        return m;
    }

    /** A static archive. */
    static Path make(String java, List<String> dumpOptions, ClassPathOrder order, Path dir, String key)
            throws IOException, InterruptedException {
        return make(ClassDataSharing.Kind.STATIC, java, dumpOptions, order, dir, key);
    }

    static Path make(ClassDataSharing.Kind kind, String java, List<String> dumpOptions, ClassPathOrder order, Path dir, String key)
            throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path archive = dir.resolve(key + kind.extension);
        try (FileChannel channel = FileChannel.open(dir.resolve(key + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = tryLock(channel)) {
            if (lock == null || ClassDataSharing.usable(archive)) return lock == null ? null : archive;
            long started = System.nanoTime();
            removeLeftovers(dir, key);
            String suffix = ".tmp" + ProcessHandle.current().pid();
            Path classList = dir.resolve(key + ".classlist" + suffix);
            Path temp = dir.resolve(key + kind.extension + suffix);
            // the training run's configuration file: the JVM names it after the cache and removes it
            Path config = dir.resolve(temp.getFileName() + ".config");
            Path log = dir.resolve(key + ".log");
            TEMPORARY.add(classList);
            TEMPORARY.add(temp);
            TEMPORARY.add(config);
            try {
                Files.deleteIfExists(log);
                if (kind == ClassDataSharing.Kind.AOT) {
                    train(java, dumpOptions, order, temp, log);
                } else {
                    dump(java, dumpOptions, order, classList, temp, log);
                }
                Path size = ClassDataSharing.sizeFile(archive);
                Path sizeTemp = dir.resolve(size.getFileName() + suffix);
                TEMPORARY.add(sizeTemp);
                Files.writeString(sizeTemp, Long.toString(Files.size(temp)));
                Files.move(sizeTemp, size, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                TEMPORARY.remove(sizeTemp);
                Files.move(temp, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                Files.deleteIfExists(log);
                for (Path old : ClassDataSharing.stale(dir, 3)) {
                    Files.deleteIfExists(ClassDataSharing.sizeFile(old));
                    Files.deleteIfExists(old);
                }
                System.err.printf("[alice] %s for child JVMs made in %.1f s: %s%n",
                        kind == ClassDataSharing.Kind.AOT ? "AOT cache" : "class-data sharing archive",
                        (System.nanoTime() - started) / 1e9, archive);
                return archive;
            } finally {
                for (Path p : List.of(classList, temp, config)) {
                    Files.deleteIfExists(p);
                    TEMPORARY.remove(p);
                }
            }
        }
    }

    /** The static archive: the warm-up's class list, -Xshare:dump of it from the jars, one check. */
    private static void dump(String java, List<String> dumpOptions, ClassPathOrder order, Path classList, Path temp, Path log)
            throws IOException, InterruptedException {
        List<String> record = new ArrayList<>(List.of(java));
        record.addAll(dumpOptions);
        record.addAll(List.of("-XX:DumpLoadedClassList=" + classList, "-cp", join(order.jarsFirst()), CdsWarmup.class.getName()));
        run(record, log, "the warm-up run");
        List<String> dump = new ArrayList<>(List.of(java));
        dump.addAll(dumpOptions);
        dump.addAll(List.of("-Xshare:dump", "-XX:SharedClassListFile=" + classList, "-XX:SharedArchiveFile=" + temp,
                "-cp", join(order.jars())));
        run(dump, log, "java -Xshare:dump");
        // -Xshare:dump does not fail on a short write: map it once, every page checked
        List<String> check = new ArrayList<>(List.of(java));
        check.addAll(dumpOptions);
        check.addAll(List.of("-Xshare:on", "-XX:+VerifySharedSpaces", "-XX:SharedArchiveFile=" + temp,
                "-cp", join(order.jarsFirst()), "-version"));
        run(check, log, "the archive's check (java -Xshare:on -XX:+VerifySharedSpaces)");
    }

    /**
     * The AOT cache: the warm-up as the training run on the jars alone (JDK 25 refuses a non-empty
     * directory in its class path; the children's class path starts with the same jars), then one
     * check: {@code -XX:AOTMode=on} fails where the cache cannot be used, and
     * {@code -XX:+VerifySharedSpaces} checks every page (a flipped byte fails it, measured).
     */
    private static void train(String java, List<String> dumpOptions, ClassPathOrder order, Path temp, Path log)
            throws IOException, InterruptedException {
        List<String> training = new ArrayList<>(List.of(java));
        training.addAll(dumpOptions);
        training.addAll(List.of("-XX:AOTCacheOutput=" + temp, "-cp", join(order.jars()), CdsWarmup.class.getName()));
        run(training, log, "the AOT cache's training run (java -XX:AOTCacheOutput)");
        if (!Files.isRegularFile(temp)) throw new IOException("the training run wrote no AOT cache (see " + log + ")");
        List<String> check = new ArrayList<>(List.of(java));
        check.addAll(dumpOptions);
        check.addAll(List.of("-XX:AOTMode=on", "-XX:+VerifySharedSpaces", "-XX:AOTCache=" + temp,
                "-cp", join(order.jarsFirst()), "-version"));
        run(check, log, "the AOT cache's check (java -XX:AOTMode=on -XX:+VerifySharedSpaces)");
    }

    /** Temporary files of a maker that was killed (we hold the lock: nobody else writes them). */
    private static void removeLeftovers(Path dir, String key) throws IOException {
        try (var files = Files.list(dir)) {
            for (Path p : files.filter(f -> f.getFileName().toString().startsWith(key + ".")
                    && f.getFileName().toString().contains(".tmp")).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null; // this JVM makes it already
        }
    }

    private static void run(List<String> command, Path log, String what) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        RUNNING.add(p);
        try {
            if (!p.waitFor(STEP_TIMEOUT_S, TimeUnit.SECONDS)) {
                kill(p);
                throw new IOException(what + " took more than " + STEP_TIMEOUT_S + " s (see " + log + ")");
            }
            if (p.exitValue() != 0) throw new IOException(what + " exited with " + p.exitValue() + " (see " + log + ")");
        } finally {
            RUNNING.remove(p);
        }
    }

    /** A step and what it started (a training run starts the JVM that assembles the cache). */
    private static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }

    private static String join(List<Path> paths) {
        return String.join(File.pathSeparator, paths.stream().map(Path::toString).toList());
    }
}
