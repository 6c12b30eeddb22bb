package io.alicecontainer.junit.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Class-data sharing for child JVMs: an AppCDS archive of the classes a child loads from the
 * test class path's jars (JUnit, the extension, libraries) and the JDK, made once per JDK and
 * class path under {@code target/alice-cds/} and mapped by every child after that. A child that
 * maps it parses about 1,300 fewer classes (see ci/benchmarks/README.md for the figures).
 *
 * <p>JDK 17 to 25 refuse a class path with a non-empty directory in an archive ("Cannot have
 * non-empty directory in paths"), and Surefire's starts with {@code target/test-classes}. So the
 * archive covers the jars only and the child's class path puts the jars first: a JVM accepts an
 * archive whose class path is a prefix of its own. That order is used only where it changes no
 * lookup: when no class or resource of a directory is also in a jar that would move ahead of it
 * ({@link ClassPathOrder}); otherwise the child runs without the archive.
 *
 * <p>A JDK 25 child gets an AOT cache instead where it can ({@link Kind}): the same warm-up as its
 * training run ({@code -XX:AOTCacheOutput}), mapped with {@code -XX:AOTCache}. JDK 25.0.3 does not
 * check an AOT cache's jars against the class path (a rebuilt jar's old classes are used, measured),
 * so the key, which names every jar's size and modification time, is what keeps a stale cache
 * from a child.
 *
 * <p>The archive is made in the background on first use, outside any container, by the JDK's own
 * two steps ({@code -XX:DumpLoadedClassList} during a warm-up run of the JUnit launcher, then
 * {@code -Xshare:dump}); children started meanwhile run without it. Never harmful: the file is
 * checked ({@code -Xshare:on -XX:+VerifySharedSpaces}) and renamed into place complete, one JVM
 * makes it (a file lock), children map it with {@code -Xshare:auto} (a stale or foreign file makes
 * the JVM run without it, silently) and only while its size is the one recorded when it was made
 * (HotSpot 17 crashes on a truncated archive). {@code ClassDataSharingTests} checks all that.
 */
public final class ClassDataSharing {
    /** {@code false} turns class-data sharing for children off. */
    public static final String ENABLED = "alice.isolation.cds";
    /** Where archives live (default {@code target/alice-cds} below the working directory). */
    public static final String DIRECTORY = "alice.isolation.cds.dir";
    static final String DEFAULT_DIRECTORY = "target/alice-cds";

    /** Archives made or being made by this JVM, by path. */
    private static final Map<String, ArchiveMaker> MAKERS = new ConcurrentHashMap<>();

    /** How a child starts: its class path (in the order the archive needs) and its CDS options. */
    public record Plan(List<Path> classpath, List<String> options, Path archive) {
        /** No archive: the class path as it is. */
        static Plan none(List<Path> classpath) {
            return new Plan(classpath, List.of(), null);
        }
    }

    private ClassDataSharing() {
    }

    /**
     * The plan for a child of {@code java} with these extra options ({@code alice.isolation.jvmOptions})
     * and this class path (where the test was loaded from):
     * the archive when it is ready, else the class path unchanged, starting the archive's creation
     * if needed.
     */
    public static Plan plan(Function<String, Optional<String>> config, String java, List<String> extraOptions,
                            List<Path> classpath) {
        List<String> options = ChildJvm.withInherited(extraOptions);
        if (!enabled(config, options)) return Plan.none(classpath);
        ClassPathOrder order = ClassPathOrder.of(classpath);
        if (order.jars().isEmpty() || order.conflict() != null) return Plan.none(classpath);
        Path dir = directory(config);
        List<String> dumpOptions = ArchiveKey.relevantOptions(options);
        String key;
        try {
            key = ArchiveKey.of(java, dumpOptions, order.jars());
        } catch (IOException e) {
            return Plan.none(classpath); // a jar vanished: no archive for this child
        }
        Kind kind = Kind.of(java, options, order);
        Path archive = dir.resolve(key + kind.extension);
        if (usable(archive)) return new Plan(order.jarsFirst(), kind.childOptions(archive), archive);
        List<String> makeOptions = kind == Kind.AOT ? ArchiveKey.trainingOptions(options) : dumpOptions;
        MAKERS.computeIfAbsent(archive.toString(), k -> ArchiveMaker.start(kind, java, makeOptions, order, dir, key));
        return Plan.none(classpath);
    }

    /**
     * What kind of archive a child gets. A JDK 25 child gets an AOT cache (JEP 483/514/515: its
     * classes loaded and linked ahead of time, and method profiles; a trivial child 0.40 s of CPU
     * against 0.65 s with the static archive, ci/benchmarks/README.md), made by a training run of
     * the warm-up. JDK 25 refuses a non-empty directory in the training run's class path as it
     * does in a static archive's, so the training runs on the jars alone and needs the warm-up
     * ({@link CdsWarmup}, in the extension's jar in users' builds) in one of them; where the
     * extension is a directory (its own build), where an option of the user's says {@code -Xshare:}
     * (the JVM refuses it beside {@code -XX:AOTCache}), where the child has an agent (JaCoCo: JDK
     * 25 loads the cache's classes before the agent's transformer exists, so it would never see
     * them; measured) and on JDK 17 to 24: the static archive.
     */
    enum Kind {
        STATIC(".jsa"), AOT(".aot");

        /** The warm-up's class file, which the training run must find in a jar. */
        private static final String WARMUP = CdsWarmup.class.getName().replace('.', '/') + ".class";
        private static final Map<List<Path>, Boolean> WARMUP_IN_JARS = new ConcurrentHashMap<>();

        final String extension;

        Kind(String extension) {
            this.extension = extension;
        }

        static Kind of(String java, List<String> options, ClassPathOrder order) {
            if (ArchiveKey.feature(java) < 25) return STATIC;
            if (options.stream().anyMatch(o -> o.startsWith("-Xshare:"))) return STATIC;
            // JDK 25 loads a cache's classes before an agent starts: its transformer never sees them
            // (JaCoCo's coverage of the jars' classes was lost, measured), while the static
            // archive's classes still pass it
            if (options.stream().anyMatch(o -> o.startsWith("-javaagent:") || o.startsWith("-agentpath:")
                    || o.startsWith("-agentlib:"))) {
                return STATIC;
            }
            return WARMUP_IN_JARS.computeIfAbsent(order.jars(), Kind::holdsWarmup) ? AOT : STATIC;
        }

        private static boolean holdsWarmup(List<Path> jars) {
            for (Path jar : jars) {
                try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(jar.toFile())) {
                    if (zip.getEntry(WARMUP) != null) return true;
                } catch (IOException e) {
                    // not a jar (a native library on the class path): not this one
                }
            }
            return false;
        }

        /**
         * A child's options for an archive. Static: {@code -Xshare:auto}, a stale or foreign file
         * is ignored. AOT cache: {@code -XX:AOTMode} stays {@code auto} (a cache the JVM cannot
         * map is ignored), and {@code -Xlog:aot=off} keeps the warnings it prints then ("Unable to
         * map shared spaces", on stdout) out of the test's output.
         */
        List<String> childOptions(Path archive) {
            return this == AOT
                    ? List.of("-XX:AOTCache=" + archive, "-Xlog:aot=off")
                    : List.of("-Xshare:auto", "-XX:SharedArchiveFile=" + archive);
        }
    }

    /** The creation this JVM started of an archive (tests wait for it), or null. */
    static java.util.concurrent.CompletableFuture<Path> making(Path archive) {
        ArchiveMaker m = MAKERS.get(archive.toString());
        return m == null ? null : m.result;
    }

    /**
     * Whether an archive is whole: its size is the one recorded when it was made. HotSpot 17 maps
     * a truncated archive and dies of SIGBUS touching the missing pages (measured), so a file
     * cut short after it was made (a full disk, a copy) must not reach a child.
     */
    static boolean usable(Path archive) {
        try {
            Path size = sizeFile(archive);
            return Files.isRegularFile(archive) && Files.isRegularFile(size)
                    && Long.parseLong(Files.readString(size).trim()) == Files.size(archive);
        } catch (IOException | NumberFormatException e) {
            return false;
        }
    }

    static Path sizeFile(Path archive) {
        return archive.resolveSibling(archive.getFileName() + ".size");
    }

    static boolean enabled(Function<String, Optional<String>> config, List<String> options) {
        if (config.apply(ENABLED).map(v -> v.trim().equalsIgnoreCase("false")).orElse(false)) return false;
        // The user's own sharing settings win: an archive of theirs, or sharing off.
        for (String o : options) {
            if (o.startsWith("-Xshare:off") || o.startsWith("-XX:SharedArchiveFile") || o.startsWith("-XX:ArchiveClassesAtExit")
                    || o.startsWith("-XX:AOTCache") || o.startsWith("-XX:AOTMode") || o.startsWith("-XX:AOTConfiguration")
                    || o.startsWith("-XX:+AutoCreateSharedArchive")
                    || o.startsWith("-XX:DumpLoadedClassList") || o.startsWith("-XX:SharedClassListFile")
                    // module options make the JDK refuse any archive (CDS needs the default boot layer)
                    || o.startsWith("--patch-module") || o.startsWith("--upgrade-module-path") || o.startsWith("--limit-modules")) {
                return false;
            }
        }
        return true;
    }

    static Path directory(Function<String, Optional<String>> config) {
        String d = config.apply(DIRECTORY).map(String::trim).filter(v -> !v.isEmpty()).orElse(DEFAULT_DIRECTORY);
        return Path.of(System.getProperty("user.dir")).resolve(d).toAbsolutePath().normalize();
    }

    /** Archives of this directory other than the newest few (old class paths): deleted after a new one is made. */
    static List<Path> stale(Path dir, int keep) throws IOException {
        List<Path> all = new ArrayList<>();
        try (var s = Files.list(dir)) {
            s.filter(p -> p.getFileName().toString().endsWith(".jsa") || p.getFileName().toString().endsWith(".aot")).forEach(all::add);
        }
        all.sort((a, b) -> Long.compare(mtime(b), mtime(a)));
        return all.size() <= keep ? List.of() : all.subList(keep, all.size());
    }

    private static long mtime(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }
}
