package io.alicecontainer.v2;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import io.alicecontainer.cgroup.CgroupController;
import io.alicecontainer.cgroup.CgroupLayout;
import io.alicecontainer.cgroup.CgroupMode;
import org.junit.jupiter.api.Assumptions;

/**
 * Shared by the v2 integration tests: the assumption that this machine runs pure cgroup v2 with
 * controllers, and plain readers of the cgroup v2 files, so that the tests check what the kernel
 * reports rather than what the runtime says it wrote.
 *
 * <p>On a host without pure v2 controllers (the project's hybrid machines) the tests skip and
 * print why; {@code ci/v2-lane.sh} runs them in a cgroup-v2 VM. There the environment variable
 * {@value #LANE_ENV} is {@code true}, and a missing controller fails the test instead.
 */
final class PureV2 {
    /** Set by ci/v2-lane.sh in the guest: nothing may skip there. */
    static final String LANE_ENV = "ALICE_V2_LANE";
    /** The controllers the runtime uses on v2. */
    static final List<String> CONTROLLERS = List.of("cpu", "memory", "pids", "io");

    private PureV2() {
    }

    /** Skips (printing why) unless the layout is pure cgroup v2 with the cpu, memory, pids and io controllers. */
    static void assumeControllers() {
        CgroupLayout l = CgroupController.layout();
        String missing = null;
        if (l.mode() != CgroupMode.V2) {
            missing = "needs pure cgroup v2 with the " + CONTROLLERS + " controllers, this host's layout is " + l.mode();
        } else {
            List<String> absent = new ArrayList<>();
            for (String c : CONTROLLERS) {
                if (!l.v2Controllers().contains(c)) absent.add(c);
            }
            if (!absent.isEmpty()) missing = "the v2 controllers " + absent + " are not available in " + l.v2Own() + " " + l.v2Controllers();
        }
        unless(missing);
    }

    /** Skips (printing the reason) when reason is not null; fails instead in the v2 lane. */
    static void unless(String reason) {
        if (reason == null) return;
        if ("true".equals(System.getenv(LANE_ENV))) {
            throw new IllegalStateException("the v2 lane must run every v2 check, but " + reason);
        }
        String text = reason + "; ci/v2-lane.sh runs these tests in a cgroup-v2 VM";
        System.out.println("[alice] skipped: " + text);
        Assumptions.abort(text);
    }

    /** A cgroup file's content, trimmed. */
    static String read(Path cgroup, String file) {
        try {
            return Files.readString(cgroup.resolve(file)).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static long readLong(Path cgroup, String file) {
        return Long.parseLong(read(cgroup, file));
    }

    /** A flat-keyed file ({@code cpu.stat}, {@code memory.events}, {@code pids.events}) as a map. */
    static Map<String, Long> keyed(Path cgroup, String file) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String line : read(cgroup, file).split("\n")) {
            String[] kv = line.trim().split("\\s+");
            if (kv.length == 2) out.put(kv[0], kv[1].equals("max") ? Long.MAX_VALUE : Long.parseLong(kv[1]));
        }
        return out;
    }

    /** One entry of a flat-keyed file; fails when the kernel does not report it. */
    static long key(Path cgroup, String file, String key) {
        Long v = keyed(cgroup, file).get(key);
        if (v == null) throw new AssertionError(cgroup.resolve(file) + " has no `" + key + "`: " + read(cgroup, file));
        return v;
    }

    /** Polls until the condition holds; false after the timeout. */
    static boolean await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) return false;
            Thread.sleep(10);
        }
        return true;
    }

    static Path javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }
}
