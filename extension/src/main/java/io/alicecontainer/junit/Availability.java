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
        if (!isRoot()) return "the tests run as a user without root (containers need root: cgroups and namespaces)";
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
        return "Run the tests as root on Linux with cgroups mounted (as CI runners are), "
                + "or set the configuration parameter " + ON_UNAVAILABLE + "=abort to skip isolated tests where isolation cannot work.";
    }
}
