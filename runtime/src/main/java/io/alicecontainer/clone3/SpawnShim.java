package io.alicecontainer.clone3;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

import io.alicecontainer.internal.Native;
import jnr.ffi.LibraryLoader;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;

/**
 * Loads the spawn shim ({@code libalice-spawn.so}, built from {@code src/main/c}) from the jar.
 * An availability gate instead of a crash at class-load: {@link #isAvailable()} and
 * {@link #unavailabilityCause()} say whether this JVM can spawn containers and why not.
 */
public final class SpawnShim {
    /** The shim's one entry point. */
    public interface Api {
        int alice_spawn(@In byte[] request, long length, @Out int[] result);

        /** The i-th system call the default seccomp profile restricts, null past the end. */
        String alice_seccomp_name(int i);
    }

    private static final Api API;
    private static final String UNAVAILABLE;

    static {
        Api api = null;
        String why = null;
        try {
            api = load();
        } catch (Throwable t) {
            why = t.getMessage() == null ? t.toString() : t.getMessage();
        }
        API = api;
        UNAVAILABLE = why;
    }

    private SpawnShim() {
    }

    public static boolean isAvailable() {
        return API != null;
    }

    /** Why the shim cannot be used, with what to do about it; null when it can. */
    public static String unavailabilityCause() {
        return UNAVAILABLE;
    }

    /** The system calls the shim's default seccomp profile restricts on this architecture. */
    public static java.util.List<String> seccompProfileNames() {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (int i = 0; ; i++) {
            String n = api().alice_seccomp_name(i);
            if (n == null) return out;
            out.add(n);
        }
    }

    static Api api() {
        if (API == null) throw new IllegalStateException("the spawn shim is unavailable: " + UNAVAILABLE);
        return API;
    }

    /** linux-x86_64, linux-aarch64: the folder of the shim built for this JVM's architecture. */
    public static String platform() {
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        return "linux-" + switch (arch) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> arch;
        };
    }

    private static Api load() throws IOException, URISyntaxException {
        if (!Native.isAvailable()) {
            throw new IllegalStateException("native access is unavailable: " + Native.unavailabilityCause());
        }
        String resource = "/io/alicecontainer/native/" + platform() + "/libalice-spawn.so";
        URL url = SpawnShim.class.getResource(resource);
        if (url == null) {
            throw new IllegalStateException("no spawn shim for " + platform() + " in this build (" + resource
                    + "): ALICE-Container ships x86_64 and aarch64 shims built by its Maven build; "
                    + "rebuild the runtime on this architecture with a C compiler installed");
        }
        Path dir;
        if ("file".equals(url.getProtocol())) {
            dir = Path.of(url.toURI()).getParent();
        } else {
            // Inside a jar: copy out, load, delete; the mapping outlives the file.
            dir = Files.createTempDirectory("alice-spawn");
            Path lib = dir.resolve("libalice-spawn.so");
            try (InputStream in = url.openStream()) {
                Files.copy(in, lib, StandardCopyOption.REPLACE_EXISTING);
            }
            try {
                return LibraryLoader.create(Api.class).search(dir.toString()).failImmediately().load("alice-spawn");
            } finally {
                Files.deleteIfExists(lib);
                Files.deleteIfExists(dir);
            }
        }
        return LibraryLoader.create(Api.class).search(dir.toString()).failImmediately().load("alice-spawn");
    }
}
