package io.alicecontainer.junit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JDK 25 children's AOT cache, made and mapped by a real JDK 25 while this test JVM runs on
 * its own JDK (17 in this build): {@code alice.isolation.java} gives children another JDK the same
 * way. The JDK 25 is the one named by the system property {@code alice.test.jdk25} or the
 * environment variable {@code JDK25} (a JDK home), else the first JDK 25 or newer found under
 * {@code /usr/lib/jvm}; without one the class is skipped, saying so.
 *
 * <p>The training run needs the warm-up in a jar (as the extension's jar is in users' builds), so
 * the class path here is this one's with each directory packed into a jar, and a directory of its
 * own after the jars, as a Surefire class path has.
 */
public class AotCacheTests {
    private static final String LAUNCHER_SHARED = "org\\.junit\\.platform\\.launcher\\.core\\.LauncherFactory source: shared objects file";
    private static String jdk25;
    private static Path shared;
    private static ClassPathOrder order;
    private static Path cache;

    @BeforeAll
    static void makeOneCache() throws Exception {
        Optional<Path> home = findJdk25();
        if (home.isEmpty()) {
            String why = "AotCacheTests skipped: no JDK 25 or newer (set -Dalice.test.jdk25=<home> or JDK25=<home>)";
            System.out.println(why);
            Assumptions.abort(why);
        }
        jdk25 = home.get().resolve("bin/java").toString();
        shared = Files.createTempDirectory("alice-aot-tests");
        List<Path> classpath = new ArrayList<>();
        for (Path p : ChildJvm.classpath(AotCacheTests.class)) {
            classpath.add(Files.isDirectory(p) ? pack(p, shared.resolve("packed-" + classpath.size() + ".jar")) : p);
        }
        Path own = Files.createDirectories(shared.resolve("dir/own"));
        Files.writeString(own.resolve("resource.txt"), "a directory after the jars");
        classpath.add(shared.resolve("dir"));
        order = ClassPathOrder.compute(classpath);
        assertThat(order.conflict()).isNull();
        assertThat(ClassDataSharing.Kind.of(jdk25, List.of(), order)).isEqualTo(ClassDataSharing.Kind.AOT);
        cache = ArchiveMaker.make(ClassDataSharing.Kind.AOT, jdk25, List.of(), order, shared, "k1");
        assertThat(cache).isEqualTo(shared.resolve("k1.aot")).isRegularFile();
        assertThat(ClassDataSharing.usable(cache)).isTrue();
    }

    @AfterAll
    static void removeIt() throws IOException {
        deleteTree(shared);
    }

    @Test
    @DisplayName("a JDK 25 child maps the AOT cache with the jars first and a directory after them, and says nothing")
    void cacheIsUsed() throws Exception {
        Run r = java(ClassDataSharing.Kind.AOT.childOptions(cache), order.jarsFirst());
        assertThat(r.exit).as(r.output).isZero();
        assertThat(r.classes).containsPattern(LAUNCHER_SHARED);
        assertThat(r.output).doesNotContainIgnoringCase("error").doesNotContainIgnoringCase("warning");
        try (var files = Files.list(shared)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("k1.")).sorted().toList())
                    .as("no configuration, class list or temporary file is left").containsExactly("k1.aot", "k1.aot.size", "k1.lock");
        }
    }

    @Test
    @DisplayName("a garbage, empty, missing or truncated cache: the child runs without it and prints nothing (AOTMode=on refuses them)")
    void corruptCacheIsHarmless(@TempDir Path dir) throws Exception {
        byte[] good = Files.readAllBytes(cache);
        Path truncated = Files.write(dir.resolve("truncated.aot"), java.util.Arrays.copyOf(good, good.length - 4096));
        Path header = Files.write(dir.resolve("header.aot"), java.util.Arrays.copyOf(good, 4096));
        Path garbage = Files.write(dir.resolve("garbage.aot"), "not a cache".getBytes(StandardCharsets.UTF_8));
        Path empty = Files.write(dir.resolve("empty.aot"), new byte[0]);
        for (Path bad : List.of(truncated, header, garbage, empty, dir.resolve("missing.aot"))) {
            Run auto = java(ClassDataSharing.Kind.AOT.childOptions(bad), order.jarsFirst());
            assertThat(auto.exit).as(bad + ": " + auto.output).isZero();
            assertThat(auto.output).as(bad.toString()).doesNotContainIgnoringCase("error").doesNotContainIgnoringCase("warning");
            assertThat(auto.classes).as(bad.toString()).doesNotContainPattern(LAUNCHER_SHARED).contains("LauncherFactory source: ");
            Run on = java(List.of("-XX:AOTMode=on", "-XX:AOTCache=" + bad), order.jarsFirst());
            assertThat(on.exit).as("-XX:AOTMode=on proves the check above meaningful: " + bad).isNotZero();
        }
        Files.copy(ClassDataSharing.sizeFile(cache), ClassDataSharing.sizeFile(truncated));
        assertThat(ClassDataSharing.usable(truncated)).as("the recorded size keeps it from children anyway").isFalse();
    }

    @Test
    @DisplayName("a child with an agent gets the static archive: from an AOT cache its agent never sees the jars' classes (coverage would be lost)")
    void agentsGetTheStaticArchive(@TempDir Path dir) throws Exception {
        String launcher = "org/junit/platform/launcher/core/LauncherFactory";
        List<String> forAgents = ArchiveKey.relevantOptions(List.of("-javaagent:x.jar"));
        assertThat(ClassDataSharing.Kind.of(jdk25, List.of("-javaagent:" + dir.resolve("agent.jar")), order))
                .isEqualTo(ClassDataSharing.Kind.STATIC);
        assertThat(ClassDataSharing.Kind.of(jdk25, List.of("-agentpath:/x/libagent.so"), order)).isEqualTo(ClassDataSharing.Kind.STATIC);
        Path agent = recordingAgentJar(dir);

        // the static archive made for agents: every class of the jars still passes the agent's transformer
        Path jsa = ArchiveMaker.make(ClassDataSharing.Kind.STATIC, jdk25, forAgents, order, dir, "k5");
        Path seenStatic = dir.resolve("seen-static.txt");
        List<String> options = new ArrayList<>(ClassDataSharing.Kind.STATIC.childOptions(jsa));
        options.add("-javaagent:" + agent + "=" + seenStatic);
        Run r = java(options, order.jarsFirst());
        assertThat(r.exit).as(r.output).isZero();
        assertThat(r.classes).as("a class the agent leaves alone still comes from the archive").containsPattern(LAUNCHER_SHARED);
        assertThat(r.output).doesNotContain("[error]").doesNotContain("[warning]");
        assertThat(Files.readAllLines(seenStatic)).contains(launcher);

        // an AOT cache made for agents maps, silently, but JDK 25 loads its classes before the agent starts
        Path aot = ArchiveMaker.make(ClassDataSharing.Kind.AOT, jdk25, forAgents, order, dir, "k4");
        Path seenAot = dir.resolve("seen-aot.txt");
        options = new ArrayList<>(ClassDataSharing.Kind.AOT.childOptions(aot));
        options.add("-javaagent:" + agent + "=" + seenAot);
        r = java(options, order.jarsFirst());
        assertThat(r.exit).as(r.output).isZero();
        assertThat(r.classes).containsPattern(LAUNCHER_SHARED);
        assertThat(Files.readAllLines(seenAot)).as("JDK %s: if its agent saw the cached classes, agents could have the cache",
                ArchiveKey.feature(jdk25)).doesNotContain(launcher);
    }

    @Test
    @DisplayName("plan(): a JDK 25 child gets the cache once it is made, a rebuilt jar a new one; a JDK 17 child beside it its static archive")
    void planPerJdk(@TempDir Path dir) throws Exception {
        List<Path> copies = new ArrayList<>();
        for (Path jar : order.jars()) copies.add(Files.copy(jar, dir.resolve(copies.size() + "-" + jar.getFileName())));
        List<Path> classpath = new ArrayList<>(copies);
        classpath.addAll(order.rest());
        Function<String, Optional<String>> config = config(Map.of(ClassDataSharing.DIRECTORY, dir.resolve("cds").toString()));

        ClassDataSharing.Plan first = ClassDataSharing.plan(config, jdk25, List.of(), classpath);
        assertThat(first.archive()).as("not made yet").isNull();
        Path made = awaitCreation(dir.resolve("cds"), ".aot");
        ClassDataSharing.Plan ready = ClassDataSharing.plan(config, jdk25, List.of(), classpath);
        assertThat(ready.archive()).isEqualTo(made);
        assertThat(ready.options()).containsExactly("-XX:AOTCache=" + made, "-Xlog:aot=off");
        assertThat(ready.classpath()).startsWith(copies.toArray(Path[]::new));
        Run child = java(ready.options(), ready.classpath());
        assertThat(child.exit).as(child.output).isZero();
        assertThat(child.classes).containsPattern(LAUNCHER_SHARED);

        // JDK 25.0.3 would map the old cache and use the old jar's classes: the key must change
        Path launcher = copies.stream().filter(p -> p.getFileName().toString().contains("junit-platform-launcher")).findFirst().orElseThrow();
        Files.setLastModifiedTime(launcher, FileTime.fromMillis(Files.getLastModifiedTime(launcher).toMillis() + 60_000));
        ClassDataSharing.Plan rebuilt = ClassDataSharing.plan(config, jdk25, List.of(), classpath);
        assertThat(rebuilt.archive()).as("a rebuilt jar: the old cache is not named").isNull();
        assertThat(rebuilt.options()).isEmpty();
        Path remade = awaitCreation(dir.resolve("cds"), ".aot", made);
        assertThat(remade).isNotEqualTo(made);

        // the test JVM's own JDK (17 here) on the same class path and directory: a static archive of its own
        String own = ChildJvm.defaultJava();
        if (ArchiveKey.feature(own) < 25) {
            assertThat(ClassDataSharing.plan(config, own, List.of(), classpath).archive()).isNull();
            Path jsa = awaitCreation(dir.resolve("cds"), ".jsa");
            ClassDataSharing.Plan old = ClassDataSharing.plan(config, own, List.of(), classpath);
            assertThat(old.options()).containsExactly("-Xshare:auto", "-XX:SharedArchiveFile=" + jsa);
            // each JDK handed the other's file (never done, the key names the JDK): neither stops
            Run cross17 = java(own, List.of("-Xshare:auto", "-XX:SharedArchiveFile=" + remade), old.classpath());
            assertThat(cross17.exit).as(cross17.output).isZero();
            Run cross25 = java(jdk25, ClassDataSharing.Kind.AOT.childOptions(jsa), old.classpath());
            assertThat(cross25.exit).as(cross25.output).isZero();
            assertThat(cross25.output).doesNotContainIgnoringCase("error");
        }
    }

    @Test
    @DisplayName("JDK 25 keeps the static archive where the extension is a directory or the user says -Xshare:; JDK 17 always")
    void kinds() {
        ClassPathOrder directories = ClassPathOrder.of(ChildJvm.classpath(AotCacheTests.class));
        boolean warmupInDirectory = Files.isDirectory(Path.of(CdsWarmup.class.getProtectionDomain().getCodeSource().getLocation().getPath()));
        if (warmupInDirectory) {
            assertThat(ClassDataSharing.Kind.of(jdk25, List.of(), directories)).isEqualTo(ClassDataSharing.Kind.STATIC);
        }
        assertThat(ClassDataSharing.Kind.of(jdk25, List.of("-Xshare:on"), order)).isEqualTo(ClassDataSharing.Kind.STATIC);
        assertThat(ClassDataSharing.Kind.of(jdk25, List.of("-Xlog:class+load"), order)).isEqualTo(ClassDataSharing.Kind.AOT);
        if (ArchiveKey.feature(ChildJvm.defaultJava()) < 25) {
            assertThat(ClassDataSharing.Kind.of(ChildJvm.defaultJava(), List.of(), order)).isEqualTo(ClassDataSharing.Kind.STATIC);
        }
        assertThat(ArchiveKey.feature(jdk25)).isGreaterThanOrEqualTo(25);
        assertThat(ArchiveKey.trainingOptions(List.of("-XX:TieredStopAtLevel=1", "-XX:CompileThresholdScaling=3", "-Xmx64m", "-Dx=y")))
                .as("the training run compiles as the children do").containsExactly("-Xmx64m", "-XX:TieredStopAtLevel=1", "-XX:CompileThresholdScaling=3");
        assertThat(ClassDataSharing.enabled(k -> Optional.empty(), List.of("-XX:AOTMode=off"))).isFalse();
        assertThat(ClassDataSharing.enabled(k -> Optional.empty(), List.of("-XX:AOTCacheOutput=x.aot"))).isFalse();
    }

    // --- helpers -----------------------------------------------------------------------------------

    /** A run's exit, its output and its class-load log (a file, so that the output holds only what the JVM says besides). */
    private record Run(int exit, String output, String classes) {
    }

    private static Run java(List<String> options, List<Path> classpath) throws Exception {
        return java(jdk25, options, classpath);
    }

    /** Runs the warm-up main (a JUnit test through the launcher) in a fresh JVM. */
    private static Run java(String java, List<String> options, List<Path> classpath) throws Exception {
        Path log = Files.createTempFile(shared, "class-load", ".log");
        List<String> cmd = new ArrayList<>(List.of(java));
        cmd.addAll(options);
        cmd.add("-Xlog:class+load=info:file=" + log);
        cmd.addAll(List.of("-cp", String.join(File.pathSeparator, classpath.stream().map(Path::toString).toList()),
                CdsWarmup.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String classes = Files.exists(log) ? Files.readString(log) : "";
        Files.deleteIfExists(log);
        return new Run(p.exitValue(), out, classes);
    }

    /** The file this JVM's creation made (the newest with this extension other than those given). */
    private static Path awaitCreation(Path dir, String extension, Path... not) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        while (System.nanoTime() < deadline) {
            if (Files.isDirectory(dir)) {
                try (Stream<Path> files = Files.list(dir)) {
                    Optional<Path> found = files.filter(p -> p.toString().endsWith(extension) && !List.of(not).contains(p)).findFirst();
                    if (found.isPresent()) {
                        CompletableFuture<Path> making = ClassDataSharing.making(found.get());
                        if (making != null) assertThat(making.get(300, TimeUnit.SECONDS)).isEqualTo(found.get());
                        return found.get();
                    }
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no " + extension + " under " + dir + " after 300 s");
    }

    /** The JDK 25 (or newer) home to test with, if there is one. */
    public static Optional<Path> findJdk25() throws IOException {
        List<Path> candidates = new ArrayList<>();
        String named = System.getProperty("alice.test.jdk25", System.getenv("JDK25"));
        if (named != null && !named.isBlank()) candidates.add(Path.of(named));
        Path jvms = Path.of("/usr/lib/jvm");
        if (Files.isDirectory(jvms)) {
            try (Stream<Path> s = Files.list(jvms)) {
                s.sorted().forEach(candidates::add);
            }
        }
        for (Path home : candidates) {
            Path java = home.resolve("bin/java");
            if (Files.isExecutable(java) && ArchiveKey.feature(java.toString()) >= 25) return Optional.of(home);
        }
        return Optional.empty();
    }

    private static Function<String, Optional<String>> config(Map<String, String> values) {
        return k -> Optional.ofNullable(values.get(k));
    }

    /** A directory of the class path as a jar (what a user's build has for the extension). */
    private static Path pack(Path dir, Path jar) throws IOException {
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar)); Stream<Path> walk = Files.walk(dir)) {
            for (Path f : walk.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new ZipEntry(dir.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, out);
                out.closeEntry();
            }
        }
        return jar;
    }

    /** {@link RecordingAgent} (on the class path) as a -javaagent jar. */
    private static Path recordingAgentJar(Path dir) throws IOException {
        java.util.jar.Manifest mf = new java.util.jar.Manifest();
        mf.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
        mf.getMainAttributes().putValue("Premain-Class", RecordingAgent.class.getName());
        Path file = dir.resolve("agent.jar");
        try (OutputStream os = Files.newOutputStream(file); JarOutputStream out = new JarOutputStream(os, mf)) {
            out.putNextEntry(new ZipEntry("README"));
            out.closeEntry();
        }
        return file;
    }

    private static void deleteTree(Path root) throws IOException {
        if (root == null || !Files.exists(root)) return;
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
