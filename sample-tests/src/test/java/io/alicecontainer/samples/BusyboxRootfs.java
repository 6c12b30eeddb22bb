package io.alicecontainer.samples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Builds the small root filesystems the samples run in: a static busybox ({@code apt-get install
 * busybox-static}) as {@code sh}, {@code ls}, {@code cat}..., the usual mount points, and on
 * request the C libraries the host's JDK links against, so that a JVM can start in it (the
 * extension binds the JDK itself and the test classpath in; it does not bring a C library).
 * A real project would unpack an image here instead (debootstrap, an Alpine minirootfs).
 */
final class BusyboxRootfs {
    private static final Path BUSYBOX = Path.of("/bin/busybox");
    private static final List<String> TOOLS = List.of("sh", "ls", "cat", "echo", "hostname");
    private static final String COMPLETE = ".complete";

    private BusyboxRootfs() {
    }

    /** bin/ with busybox and its tools, and empty etc/, proc/, dev/, tmp/. */
    static Path create(Path root) throws IOException {
        if (!Files.isRegularFile(BUSYBOX)) {
            throw new IllegalStateException(BUSYBOX + " is missing: install busybox-static (a statically linked busybox)");
        }
        for (String dir : List.of("bin", "etc", "proc", "dev", "tmp")) Files.createDirectories(root.resolve(dir));
        Files.copy(BUSYBOX, root.resolve("bin/busybox"));
        for (String tool : TOOLS) Files.createSymbolicLink(root.resolve("bin").resolve(tool), Path.of("busybox"));
        return root;
    }

    /**
     * As {@link #create}, plus the shared libraries that {@code java} and {@code libjvm.so} need,
     * at their host paths. Skips the work when an earlier call completed it.
     */
    static Path createWithJdkLibraries(Path root) throws IOException, InterruptedException {
        if (Files.exists(root.resolve(COMPLETE))) return root;
        create(root);
        Path javaHome = Path.of(System.getProperty("java.home"));
        for (Path library : linkedLibraries(javaHome.resolve("bin/java"), javaHome.resolve("lib/server/libjvm.so"),
                javaHome.resolve("lib/libzip.so"), javaHome.resolve("lib/libnio.so"))) {
            if (library.startsWith(javaHome)) continue;
            Path copy = root.resolve(library.toString().substring(1));
            Files.createDirectories(copy.getParent());
            if (!Files.exists(copy)) Files.copy(library, copy); // follows symlinks: copies the real file
        }
        Files.createFile(root.resolve(COMPLETE));
        return root;
    }

    /** The absolute paths ldd(1) prints for the binaries (their libraries and the dynamic loader). */
    private static List<Path> linkedLibraries(Path... binaries) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("ldd"));
        for (Path b : binaries) command.add(b.toString());
        Process ldd = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(ldd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!ldd.waitFor(10, TimeUnit.SECONDS) || ldd.exitValue() != 0) throw new IOException("ldd failed:\n" + out);
        List<Path> libraries = new ArrayList<>();
        for (String line : out.split("\n")) {
            for (String token : line.trim().split("\\s+")) {
                if (token.startsWith("/") && !token.endsWith(":")) libraries.add(Path.of(token));
            }
        }
        return libraries;
    }
}
