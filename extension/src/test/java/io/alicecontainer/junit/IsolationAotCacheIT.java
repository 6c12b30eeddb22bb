package io.alicecontainer.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.test;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import io.alicecontainer.junit.internal.AotCacheTests;
import io.alicecontainer.junit.internal.ChildJvm;
import io.alicecontainer.junit.internal.ClassDataSharing;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * JDK 25 children (alice.isolation.java) in their containers start from the AOT cache once it
 * exists. Run by Failsafe: the extension is its jar then, as in users' builds (the cache's
 * training run takes jars only). The JDK 25 is found as {@link AotCacheTests} finds it; without
 * one the class is skipped, saying so.
 */
class IsolationAotCacheIT {
    private static final String LAUNCHER = "org.junit.platform.launcher.core.LauncherFactory source: ";
    private final Path dir = Path.of("target", "aot-it-" + System.nanoTime()).toAbsolutePath();
    private String jdk25;

    static class TwoTestsCase {
        @Test
        @Isolated
        void first() {
            assertThat(ProcessHandle.current().pid()).isEqualTo(1);
            assertThat(Runtime.version().feature()).isGreaterThanOrEqualTo(25);
        }

        @Test
        @Isolated
        void second() {
            assertThat(ProcessHandle.current().pid()).isEqualTo(1);
        }
    }

    @BeforeEach
    void jdk25() throws IOException {
        Optional<Path> home = AotCacheTests.findJdk25();
        if (home.isEmpty()) {
            String why = "IsolationAotCacheIT skipped: no JDK 25 or newer (set -Dalice.test.jdk25=<home> or JDK25=<home>)";
            System.out.println(why);
            Assumptions.abort(why);
        }
        jdk25 = home.get().resolve("bin/java").toString();
        Path extension = Path.of(ClassDataSharing.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        if (!Files.isRegularFile(extension)) {
            String why = "IsolationAotCacheIT skipped: the extension is " + extension + ", not a jar (run it with Failsafe: mvn verify)";
            System.out.println(why);
            Assumptions.abort(why);
        }
    }

    @AfterEach
    void removeCaches() throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    @Test
    @DisplayName("JDK 25 children: the first tests make the AOT cache; later children, pooled and cold, map it and print nothing of it")
    void childrenUseTheCache() throws Exception {
        run("2", "");
        Path cache = awaitCache();
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jsa")).toList()).as("no static archive").isEmpty();
        }

        for (String pool : List.of("0", "2")) {
            String name = "class-load-" + pool + ".log";
            run(pool, "-Xlog:class+load=info:file=" + dir.resolve(name));
            // every child writes the same log (the JVM keeps the older ones as name.0, name.1, ...)
            List<String> logs;
            try (Stream<Path> files = Files.list(dir)) {
                logs = files.filter(p -> p.getFileName().toString().startsWith(name)).map(IsolationAotCacheIT::read).toList();
            }
            // a pooled child killed while booting (no test came for it) may not have got as far
            assertThat(logs).as("pool size " + pool).anySatisfy(l -> assertThat(l).contains(LAUNCHER + "shared objects file"))
                    .allSatisfy(l -> assertThat(l).doesNotContainPattern(java.util.regex.Pattern.quote(LAUNCHER) + "(?!shared objects file)"));
        }

        // a cache cut short after it was made: no child gets it (the recorded size), all pass
        try (FileChannel ch = FileChannel.open(cache, StandardOpenOption.WRITE)) {
            ch.truncate(4096);
        }
        Path truncated = dir.resolve("truncated.log");
        run("0", "-Xlog:class+load=info:file=" + truncated);
        assertThat(Files.readString(truncated)).contains(LAUNCHER).doesNotContain(LAUNCHER + "shared objects file");
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void run(String poolSize, String jvmOptions) {
        EngineTestKit.engine("junit-jupiter").selectors(selectClass(TwoTestsCase.class))
                .configurationParameter(ChildJvm.JAVA, jdk25)
                .configurationParameter(ClassDataSharing.DIRECTORY, dir.toString())
                .configurationParameter(ChildJvm.JVM_OPTIONS, jvmOptions)
                .configurationParameter("alice.isolation.pool.size", poolSize)
                .execute().testEvents()
                .assertThatEvents().haveExactly(1, event(test("first"), finishedSuccessfully()))
                .haveExactly(1, event(test("second"), finishedSuccessfully()));
    }

    private Path awaitCache() throws Exception {
        long deadline = System.nanoTime() + 300_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (Files.isDirectory(dir)) {
                try (Stream<Path> files = Files.list(dir)) {
                    List<Path> caches = files.filter(p -> p.toString().endsWith(".aot")).toList();
                    if (!caches.isEmpty()) return caches.get(0);
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no AOT cache under " + dir + " after 300 s");
    }
}
