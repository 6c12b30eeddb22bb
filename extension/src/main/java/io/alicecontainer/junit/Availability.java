package io.alicecontainer.junit;

import java.nio.file.Files;
import java.nio.file.Path;

import io.alicecontainer.cgroup.CgroupController;
import io.alicecontainer.cgroup.CgroupLayout;
import io.alicecontainer.clone3.Clone3;
import io.alicecontainer.clone3.SpawnShim;

/** Whether this JVM can isolate tests, and if not, why and what to do. */
final class Availability {
    static final String ON_UNAVAILABLE = "alice.isolation.unavailable";
    /** Without root and without a delegated cgroup: {@code required} (default, an error) or {@code optional} (isolated, no limits). */
    static final String ROOTLESS_LIMITS = "alice.isolation.rootless.limits";
    private static volatile String cached;

    private Availability() {
    }

    /** null when isolation works here, else the reason. */
    static String unavailableReason() {
        String r = cached;
        if (r == null) {
            String reason = check();
            r = reason == null ? "" : reason;
            cached = r;
        }
        return r.isEmpty() ? null : r;
    }

    private static String check() {
        if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
            return "containers need Linux, this is " + System.getProperty("os.name");
        }
        if (!Clone3.isAvailable()) return "the spawn shim cannot be loaded: " + SpawnShim.unavailabilityCause();
        if (!isRoot()) return rootlessReason();
        CgroupLayout layout;
        try {
            layout = CgroupController.layout();
        } catch (RuntimeException e) {
            return e.getMessage();
        }
        Path own = layout.v2Own() != null ? layout.v2Own() : layout.v1Own().get("memory");
        if (own == null || !Files.isWritable(own)) return "the cgroup hierarchy " + own + " is not writable here";
        return null;
    }

    /**
     * Without root (rootless mode): the kernel must allow user namespaces, and the runtime must find
     * a cgroup delegated to this user (or be told to run without: {@value #ROOTLESS_LIMITS}=optional).
     * The runtime's placement error names what it found and the fixes.
     */
    private static String rootlessReason() {
        String max = read(Path.of("/proc/sys/user/max_user_namespaces"));
        if ("0".equals(max)) {
            return "the tests run as a user without root, and this kernel allows no user namespaces (user.max_user_namespaces=0)";
        }
        if ("0".equals(read(Path.of("/proc/sys/kernel/unprivileged_userns_clone")))) {
            return "the tests run as a user without root, and this kernel allows no unprivileged user namespaces"
                    + " (kernel.unprivileged_userns_clone=0)";
        }
        try {
            CgroupController.placement();
        } catch (RuntimeException e) {
            return "the tests run as a user without root: " + e.getMessage();
        }
        return null;
    }

    private static String read(Path p) {
        try {
            return Files.readString(p).trim();
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /**
     * The configuration parameter {@value #ROOTLESS_LIMITS}, read by the runtime as a system
     * property: handed on before the runtime chooses its placement (once per JVM).
     */
    static void passRootlessLimits(java.util.Optional<String> value) {
        value.ifPresent(v -> {
            if (System.getProperty(ROOTLESS_LIMITS) == null) System.setProperty(ROOTLESS_LIMITS, v.trim());
        });
    }

    private static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) return line.split("\\s+")[2].equals("0");
            }
        } catch (java.io.IOException e) {
            return false;
        }
        return false;
    }

    /** Tests of the extension: pretend isolation is unavailable for this reason (null: check again). */
    static void overrideForTests(String reason) {
        cached = reason;
    }

    static String fix() {
        return "Run the tests as root on Linux with cgroups mounted (as CI runners are), or without root where user namespaces"
                + " and a delegated cgroup exist (README: rootless), or set the configuration parameter " + ON_UNAVAILABLE + "=abort to skip isolated tests where isolation cannot work.";
    }
}
