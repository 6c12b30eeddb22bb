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
import java.util.stream.Stream;

import io.alicecontainer.junit.internal.ClassDataSharing;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/** Children start from the class-data sharing archive once it exists, and not when it is off. */
class IsolationClassDataSharingTests {
    private static final String LAUNCHER = "org.junit.platform.launcher.core.LauncherFactory source: ";
    private final Path dir = Path.of("target", "cds-test-" + System.nanoTime()).toAbsolutePath();

    static class OneTestCase {
        @Test
        @Isolated
        void runs() {
            assertThat(ProcessHandle.current().pid()).isEqualTo(1);
        }
    }

    @AfterEach
    void removeArchives() throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    @Test
    @DisplayName("the first isolated test makes the archive; later children map it (-Xshare:on starts, JUnit's classes come from it)")
    void childrenUseTheArchive() throws Exception {
        run("true", "");
        Path archive = awaitArchive();
        assertThat(archive.getParent()).isEqualTo(dir);

        Path log = dir.resolve("class-load.log");
        run("true", "-Xshare:on -Xlog:class+load=info:file=" + log);
        assertThat(Files.readString(log)).contains(LAUNCHER + "shared objects file");

        // a truncated archive (HotSpot 17 would die of SIGBUS mapping it): the child runs without it
        try (FileChannel ch = FileChannel.open(archive, StandardOpenOption.WRITE)) {
            ch.truncate(4096);
        }
        Path truncated = dir.resolve("truncated.log");
        run("true", "-Xlog:class+load=info:file=" + truncated);
        assertThat(Files.readString(truncated)).contains(LAUNCHER).doesNotContain(LAUNCHER + "shared objects file");
    }

    @Test
    @DisplayName("alice.isolation.cds=false: children load JUnit from its jar and no archive is made")
    void offSwitch() throws Exception {
        Path log = dir.resolve("class-load-off.log");
        Files.createDirectories(dir);
        run("false", "-Xlog:class+load=info:file=" + log);
        assertThat(Files.readString(log)).contains(LAUNCHER).doesNotContain(LAUNCHER + "shared objects file");
        Thread.sleep(2000);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("class-load-off.log");
        }
    }

    private Events run(String cds, String jvmOptions) {
        Events events = EngineTestKit.engine("junit-jupiter").selectors(selectClass(OneTestCase.class))
                .configurationParameter(ClassDataSharing.ENABLED, cds)
                .configurationParameter(ClassDataSharing.DIRECTORY, dir.toString())
                .configurationParameter("alice.isolation.jvmOptions", jvmOptions)
                // One child per run: a pooled one started beside it would write the same class-load log.
                .configurationParameter("alice.isolation.pool.size", "0")
                .execute().testEvents();
        events.assertThatEvents().haveExactly(1, event(test("runs"), finishedSuccessfully()));
        return events;
    }

    private Path awaitArchive() throws Exception {
        long deadline = System.nanoTime() + 300_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (Files.isDirectory(dir)) {
                try (Stream<Path> files = Files.list(dir)) {
                    List<Path> archives = files.filter(p -> p.toString().endsWith(".jsa")).toList();
                    if (!archives.isEmpty()) return archives.get(0);
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no archive under " + dir + " after 300 s");
    }
}
