package io.alicecontainer.junit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The children's CDS archive: its key, the class-path order it needs, and that a bad archive
 * never stops a JVM. One real archive of this JVM's class path is made once for the class
 * (about 5 s).
 */
class ClassDataSharingTests {
    private static final String JAVA = ChildJvm.defaultJava();
    private static final String LAUNCHER_SHARED = "org\\.junit\\.platform\\.launcher\\.core\\.LauncherFactory source: shared objects file";
    private static Path shared;
    private static Path archive;
    private static ClassPathOrder order;

    @BeforeAll
    static void makeOneArchive() throws Exception {
        shared = Files.createTempDirectory("alice-cds-tests");
        order = ClassPathOrder.of(ChildJvm.classpath(ClassDataSharingTests.class));
        assertThat(order.conflict()).as("this module's class path can be put jars first").isNull();
        archive = ArchiveMaker.make(JAVA, List.of(), order, shared, "k1");
        assertThat(archive).isEqualTo(shared.resolve("k1.jsa")).isRegularFile();
    }

    @AfterAll
    static void removeIt() throws IOException {
        deleteTree(shared);
    }

    @Test
    @DisplayName("a child maps the archive: JUnit's classes come from it, and -Xshare:on starts")
    void archiveIsUsed() throws Exception {
        Run r = java(List.of("-Xshare:on", "-XX:SharedArchiveFile=" + archive, "-Xlog:class+load=info"), order.jarsFirst());
        assertThat(r.exit).as(r.output).isZero();
        assertThat(r.output).containsPattern(LAUNCHER_SHARED);
    }

    @Test
    @DisplayName("a garbage, empty or missing archive is ignored with -Xshare:auto (and refused with -Xshare:on)")
    void corruptArchiveIsHarmless(@TempDir Path dir) throws Exception {
        byte[] good = Files.readAllBytes(archive);
        Path truncated = Files.write(dir.resolve("truncated.jsa"), java.util.Arrays.copyOf(good, 4096));
        Path garbage = Files.write(dir.resolve("garbage.jsa"), "not an archive".getBytes(StandardCharsets.UTF_8));
        Path empty = Files.write(dir.resolve("empty.jsa"), new byte[0]);
        for (Path bad : List.of(garbage, empty, dir.resolve("missing.jsa"))) {
            Run auto = java(List.of("-Xshare:auto", "-XX:SharedArchiveFile=" + bad), order.jarsFirst());
            assertThat(auto.exit).as(bad + ": " + auto.output).isZero();
            assertThat(auto.output).as(bad.toString()).doesNotContainIgnoringCase("error").doesNotContainIgnoringCase("warning");
        }
        Run on = java(List.of("-Xshare:on", "-XX:SharedArchiveFile=" + truncated), order.jarsFirst());
        assertThat(on.exit).as("-Xshare:on proves the check above meaningful").isNotZero();
    }

    @Test
    @DisplayName("an archive is used only at the size it was made with (HotSpot 17 dies of SIGBUS on a truncated one)")
    void truncatedArchiveIsNotUsed(@TempDir Path dir) throws Exception {
        assertThat(ClassDataSharing.usable(archive)).isTrue();
        Path copy = Files.copy(archive, dir.resolve("copy.jsa"));
        Files.copy(ClassDataSharing.sizeFile(archive), ClassDataSharing.sizeFile(copy));
        assertThat(ClassDataSharing.usable(copy)).isTrue();
        try (var ch = java.nio.channels.FileChannel.open(copy, java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(Files.size(copy) - 4096);
        }
        assertThat(ClassDataSharing.usable(copy)).isFalse();
        Files.delete(ClassDataSharing.sizeFile(copy));
        assertThat(ClassDataSharing.usable(copy)).as("no recorded size").isFalse();
    }

    @Test
    @DisplayName("a child with an agent maps an archive made for agents, and says nothing about it")
    void archiveForAgents(@TempDir Path dir) throws Exception {
        Path agent = agentJar(dir);
        List<String> withAgent = List.of("-javaagent:" + agent);
        Path forAgents = ArchiveMaker.make(JAVA, ArchiveKey.relevantOptions(withAgent), order, dir, "k4");
        Run r = java(List.of("-Xshare:on", "-XX:SharedArchiveFile=" + forAgents, "-javaagent:" + agent, "-Xlog:class+load=info"),
                order.jarsFirst());
        assertThat(r.exit).as(r.output).isZero();
        assertThat(r.output).containsPattern(LAUNCHER_SHARED).doesNotContain("[error]").doesNotContain("[warning]");
    }

    @Test
    @DisplayName("a stale archive (a jar rebuilt since) is ignored silently")
    void staleArchiveIsHarmless(@TempDir Path dir) throws Exception {
        List<Path> copies = new ArrayList<>();
        for (Path jar : order.jars()) {
            Path copy = dir.resolve(copies.size() + "-" + jar.getFileName());
            copies.add(Files.copy(jar, copy));
        }
        ClassPathOrder copied = ClassPathOrder.compute(concat(copies, order.rest()));
        Path own = ArchiveMaker.make(JAVA, List.of(), copied, dir, "k3");
        Path launcher = copies.stream().filter(p -> p.getFileName().toString().contains("junit-platform-launcher")).findFirst().orElseThrow();
        Run fresh = java(List.of("-Xlog:class+load=info", "-XX:SharedArchiveFile=" + own), copied.jarsFirst());
        assertThat(fresh.output).containsPattern(LAUNCHER_SHARED);

        Files.setLastModifiedTime(launcher, FileTime.fromMillis(Files.getLastModifiedTime(launcher).toMillis() + 60_000));
        Run stale = java(List.of("-Xlog:class+load=info", "-XX:SharedArchiveFile=" + own), copied.jarsFirst());
        assertThat(stale.exit).as(stale.output).isZero();
        assertThat(stale.output).doesNotContainPattern(LAUNCHER_SHARED).doesNotContainIgnoringCase("warning");
    }

    @Test
    @DisplayName("the key changes when a jar, the JDK options or the jar list change, and only then")
    void keyFollowsTheJars(@TempDir Path dir) throws Exception {
        Path a = jar(dir.resolve("a.jar"), "a/A.class", "one");
        Path b = jar(dir.resolve("b.jar"), "b/B.class", "two");
        String k = ArchiveKey.of(JAVA, List.of(), List.of(a, b));
        assertThat(ArchiveKey.of(JAVA, List.of(), List.of(a, b))).isEqualTo(k);
        jar(a, "a/A.class", "one, rebuilt");
        String rebuilt = ArchiveKey.of(JAVA, List.of(), List.of(a, b));
        assertThat(rebuilt).isNotEqualTo(k);
        Files.setLastModifiedTime(a, FileTime.fromMillis(Files.getLastModifiedTime(a).toMillis() - 5_000));
        assertThat(ArchiveKey.of(JAVA, List.of(), List.of(a, b))).as("touched").isNotEqualTo(rebuilt);
        assertThat(ArchiveKey.of(JAVA, List.of(), List.of(b, a))).as("order").isNotEqualTo(rebuilt);
        assertThat(ArchiveKey.of(JAVA, List.of("-XX:+UseG1GC"), List.of(a, b))).as("collector").isNotEqualTo(rebuilt);
        assertThat(ArchiveKey.relevantOptions(List.of("-Xmx64m", "-XX:+UseSerialGC", "-Dx=y", "-XX:-UsePerfData",
                "-XX:-UseCompressedOops"))).containsExactly("-Xmx64m", "-XX:+UseSerialGC", "-XX:-UseCompressedOops");
        assertThat(ArchiveKey.relevantOptions(List.of("-javaagent:x.jar=a", "--add-modules", "jdk.net,java.sql", "-Xss2m")))
                .as("an agent adds java.instrument to the boot layer").containsExactly("--add-modules=java.instrument,java.sql,jdk.net");
    }

    @Test
    @DisplayName("jars go first only when no class or resource of a directory is in a later jar")
    void jarsFirstOnlyWithoutShadowing(@TempDir Path dir) throws Exception {
        Path classes = Files.createDirectories(dir.resolve("classes/p"));
        Files.writeString(classes.resolve("Mine.class"), "x");
        Files.createDirectories(dir.resolve("classes/META-INF"));
        Files.writeString(dir.resolve("classes/META-INF/LICENSE"), "x");
        Path lib = jar(dir.resolve("lib.jar"), "q/Lib.class", "y");
        Path license = jar(dir.resolve("licensed.jar"), "META-INF/LICENSE", "y");
        Path missing = dir.resolve("missing.jar");
        ClassPathOrder fine = ClassPathOrder.compute(List.of(dir.resolve("classes"), missing, lib, license));
        assertThat(fine.conflict()).isNull();
        assertThat(fine.jarsFirst()).containsExactly(lib, license, dir.resolve("classes"), missing);

        Path shadowed = jar(dir.resolve("shadowed.jar"), "p/Mine.class", "z");
        ClassPathOrder clash = ClassPathOrder.compute(List.of(dir.resolve("classes"), lib, shadowed));
        assertThat(clash.conflict()).contains("p/Mine.class");
        assertThat(ClassPathOrder.compute(List.of(shadowed, dir.resolve("classes"))).conflict())
                .as("a jar before the directory keeps its place").isNull();
    }

    @Test
    @DisplayName("alice.isolation.cds=false, -Xshare:off or an archive of the user's turn it off")
    void offSwitches() {
        assertThat(ClassDataSharing.enabled(config(Map.of()), List.of())).isTrue();
        assertThat(ClassDataSharing.enabled(config(Map.of(ClassDataSharing.ENABLED, "false")), List.of())).isFalse();
        assertThat(ClassDataSharing.enabled(config(Map.of()), List.of("-Xshare:off"))).isFalse();
        assertThat(ClassDataSharing.enabled(config(Map.of()), List.of("-XX:SharedArchiveFile=mine.jsa"))).isFalse();
        ClassDataSharing.Plan off = ClassDataSharing.plan(config(Map.of(ClassDataSharing.ENABLED, "false")), JAVA, List.of(),
                ChildJvm.classpath(ClassDataSharingTests.class));
        assertThat(off.options()).isEmpty();
        assertThat(off.classpath()).isEqualTo(ChildJvm.classpath(ClassDataSharingTests.class));
    }

    @Test
    @DisplayName("JVMs making the same archive at once: one makes it, no temporary file is left, the result maps")
    void concurrentCreation(@TempDir Path dir) throws Exception {
        // another JVM holds the lock: this one makes nothing and does not wait
        Process holder = new ProcessBuilder(JAVA, "-cp", System.getProperty("java.class.path"), LockHolder.class.getName(),
                dir.resolve("k2.lock").toString()).redirectErrorStream(true).start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8))) {
            assertThat(r.readLine()).isEqualTo("locked");
            assertThat(ArchiveMaker.make(JAVA, List.of(), order, dir, "k2")).isNull();
        } finally {
            try (OutputStream in = holder.getOutputStream()) {
                in.flush();
            }
            assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        // threads of this JVM at once: one makes it, the others get it or nothing
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<Path>> made = new ArrayList<>();
            for (int i = 0; i < 3; i++) made.add(pool.submit((Callable<Path>) () -> ArchiveMaker.make(JAVA, List.of(), order, dir, "k2")));
            int archives = 0;
            for (Future<Path> f : made) if (f.get(300, TimeUnit.SECONDS) != null) archives++;
            assertThat(archives).isBetween(1, 3);
        } finally {
            pool.shutdownNow();
        }
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList()).containsExactly("k2.jsa", "k2.jsa.size", "k2.lock");
        }
        Run on = java(List.of("-Xshare:on", "-XX:SharedArchiveFile=" + dir.resolve("k2.jsa")), order.jarsFirst());
        assertThat(on.exit).as(on.output).isZero();
    }

    // --- helpers -----------------------------------------------------------------------------------

    private record Run(int exit, String output) {
    }

    /** Runs the warm-up main (a JUnit test through the launcher) in a fresh JVM. */
    private static Run java(List<String> options, List<Path> classpath) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(JAVA));
        cmd.addAll(options);
        cmd.addAll(List.of("-cp", String.join(File.pathSeparator, classpath.stream().map(Path::toString).toList()),
                CdsWarmup.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out);
    }

    private static List<Path> concat(List<Path> a, List<Path> b) {
        List<Path> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static Function<String, Optional<String>> config(Map<String, String> values) {
        return k -> Optional.ofNullable(values.get(k));
    }

    /** An agent that does nothing: what the JVM adds to the boot layer for any -javaagent. */
    private static Path agentJar(Path dir) throws IOException {
        java.util.jar.Manifest mf = new java.util.jar.Manifest();
        mf.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
        mf.getMainAttributes().putValue("Premain-Class", NoopAgent.class.getName());
        Path file = dir.resolve("agent.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(file), mf)) {
            out.putNextEntry(new ZipEntry("README"));
            out.closeEntry();
        }
        return file;
    }

    private static Path jar(Path file, String entry, String content) throws IOException {
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(file))) {
            out.putNextEntry(new ZipEntry(entry));
            out.write(content.getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        return file;
    }

    private static void deleteTree(Path root) throws IOException {
        if (root == null || !Files.exists(root)) return;
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
