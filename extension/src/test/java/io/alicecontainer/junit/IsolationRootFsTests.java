package io.alicecontainer.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("@RootFs runs the child JVM in a root filesystem of the test's")
class IsolationRootFsTests {
    static final Path ROOTFS = Path.of("target/test-rootfs");

    static class RootFsTestCase {
        @Test
        @RootFs("target/test-rootfs")
        void seesOnlyThatTree() throws IOException {
            assertThat(Files.readString(Path.of("/marker"))).isEqualTo("only-this-tree\n");
            assertThat(Path.of("/usr/bin/python3")).doesNotExist();
            assertThat(Path.of("/bin/busybox")).exists();
            assertThat(Path.of(System.getProperty("java.home"))).as("the JDK is shown at its host path").isDirectory();
        }
    }

    /**
     * A root filesystem with just busybox and the C libraries the host's JDK links against
     * (it brings its own libraries in java.home).
     */
    @BeforeAll
    static void buildRootfs() throws IOException {
        deleteRootfs();
        for (String d : List.of("bin", "lib/x86_64-linux-gnu", "lib64", "etc")) Files.createDirectories(ROOTFS.resolve(d));
        Files.copy(Path.of("/bin/busybox"), ROOTFS.resolve("bin/busybox"));
        Files.createSymbolicLink(ROOTFS.resolve("bin/sh"), Path.of("busybox"));
        for (String lib : List.of("libc.so.6", "libz.so.1", "libm.so.6", "libstdc++.so.6", "libgcc_s.so.1")) {
            Files.copy(Path.of("/lib/x86_64-linux-gnu", lib), ROOTFS.resolve("lib/x86_64-linux-gnu").resolve(lib));
        }
        Files.copy(Path.of("/lib64/ld-linux-x86-64.so.2"), ROOTFS.resolve("lib64/ld-linux-x86-64.so.2"));
        Files.writeString(ROOTFS.resolve("marker"), "only-this-tree\n");
    }

    @AfterAll
    static void deleteRootfs() throws IOException {
        if (!Files.exists(ROOTFS)) return;
        try (var walk = Files.walk(ROOTFS)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    @Test
    @DisplayName("the test sees that tree (and the JDK and classpath bound in), not the host's")
    void rootfs() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(Path.of("/lib/x86_64-linux-gnu/libc.so.6")),
                "this test builds its rootfs from a Debian x86_64 host's libraries");
        Fixtures.run(RootFsTestCase.class).testEvents().assertStatistics(s -> s.succeeded(1).failed(0));
    }
}
