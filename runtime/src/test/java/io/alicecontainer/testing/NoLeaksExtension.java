package io.alicecontainer.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.alicecontainer.cgroup.CgroupOwners;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test that leaves a container cgroup, a mount or a child process behind: compares the
 * state after the test with the state before.
 */
final class NoLeaksExtension implements BeforeEachCallback, AfterEachCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(NoLeaksExtension.class);

    record Snapshot(TreeSet<String> cgroups, TreeSet<String> mounts, TreeSet<Long> children) {
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NS).put("before", snapshot());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Snapshot before = context.getStore(NS).get("before", Snapshot.class);
        Snapshot after = snapshot();
        for (int i = 0; i < 50 && !after.equals(before); i++) {
            // Reaped children may still be listed for a moment.
            sleep();
            after = snapshot();
        }
        List<String> leaks = new ArrayList<>();
        diff("cgroup", before.cgroups, after.cgroups, leaks);
        diff("mount", before.mounts, after.mounts, leaks);
        TreeSet<Long> newChildren = new TreeSet<>(after.children);
        newChildren.removeAll(before.children);
        if (!newChildren.isEmpty()) leaks.add("child processes still running: " + newChildren);
        if (!leaks.isEmpty()) throw new AssertionError("the test leaked:\n  " + String.join("\n  ", leaks));
    }

    private static void diff(String what, TreeSet<String> before, TreeSet<String> after, List<String> leaks) {
        for (String s : after) {
            if (!before.contains(s)) leaks.add(what + " left behind: " + s);
        }
    }

    static Snapshot snapshot() {
        return new Snapshot(aliceCgroups(), mounts(), ProcessHandle.current().descendants()
                .filter(ProcessHandle::isAlive).map(ProcessHandle::pid).collect(Collectors.toCollection(TreeSet::new)));
    }

    /**
     * This JVM's containers: every directory below its owner groups ({@code jvm-<pid>-<start>}) in
     * each hierarchy, wherever the placement driver put them (nested below the JVM's cgroup, a
     * cgroupfs group at an ancestor, beside the leaf a leaf-move made, in a systemd scope), so that
     * a leak in any driver fails the test. Other JVMs (a benchmark, another build) may create and
     * remove cgroups beside it at any moment: they are not looked at.
     */
    static TreeSet<String> aliceCgroups() {
        TreeSet<String> out = new TreeSet<>();
        for (Path owner : CgroupOwners.ofThisJvm()) collect(owner, out);
        return out;
    }

    private static void collect(Path dir, TreeSet<String> out) {
        for (Path d : dirs(dir)) {
            out.add(d.toString());
            collect(d, out);
        }
    }

    private static List<Path> dirs(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).toList();
        } catch (java.nio.file.NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + dir + ": " + e, e);
        }
    }

    static TreeSet<String> mounts() {
        try {
            TreeSet<String> out = new TreeSet<>();
            for (String l : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                String[] f = l.split(" ");
                out.add(f[4] + " " + l.substring(l.indexOf(" - ") + 3));
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
