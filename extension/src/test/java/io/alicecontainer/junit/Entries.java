package io.alicecontainer.junit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.alicecontainer.cgroup.CgroupLayout;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

/** Report entries of a fixture run, per test (method name), merged; and what a run leaves behind. */
final class Entries {
    private Entries() {
    }

    /** All entries each test (by its display name without the parentheses part) published, merged. */
    static Map<String, Map<String, String>> byTest(Events events) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        for (Event e : events.reportingEntryPublished().list()) {
            String name = e.getTestDescriptor().getDisplayName();
            int p = name.indexOf('(');
            String key = p > 0 ? name.substring(0, p) : name;
            out.computeIfAbsent(key, k -> new LinkedHashMap<>())
                    .putAll(e.getPayload(ReportEntry.class).orElseThrow().getKeyValuePairs());
        }
        return out;
    }

    /** Fails with each failed test's name and message. */
    static void noFailures(Events events) {
        List<String> failed = events.failed().list().stream().map(e -> e.getTestDescriptor().getDisplayName() + ": "
                + e.getRequiredPayload(org.junit.platform.engine.TestExecutionResult.class).getThrowable()
                .map(Throwable::toString).orElse("?")).toList();
        if (!failed.isEmpty()) throw new AssertionError("tests failed:\n  " + String.join("\n  ", failed));
    }

    static long number(Map<String, String> entries, String key) {
        String v = entries.get(key);
        if (v == null) throw new AssertionError("no entry " + key + " in " + entries);
        return Long.parseLong(v);
    }

    /** This JVM's container cgroups (below alice/jvm-<pid>-*) and its live child processes. */
    static TreeSet<String> leftovers() {
        TreeSet<String> out = new TreeSet<>();
        CgroupLayout layout = CgroupLayout.detect();
        List<Path> roots = new ArrayList<>();
        if (layout.v2Own() != null) roots.add(layout.v2Own().resolve("alice"));
        layout.v1Own().values().forEach(p -> roots.add(p.resolve("alice")));
        String owner = "jvm-" + ProcessHandle.current().pid() + "-";
        for (Path alice : roots) {
            if (!Files.isDirectory(alice)) continue;
            try (Stream<Path> groups = Files.list(alice)) {
                for (Path g : groups.filter(p -> p.getFileName().toString().startsWith(owner)).toList()) {
                    try (Stream<Path> cs = Files.list(g)) {
                        cs.filter(Files::isDirectory).forEach(c -> out.add("cgroup " + c));
                    }
                }
            } catch (IOException e) {
                throw new AssertionError("cannot list " + alice + ": " + e, e);
            }
        }
        out.addAll(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .map(h -> "process " + h.pid() + " " + h.info().commandLine().orElse("?")).collect(Collectors.toList()));
        return out;
    }

    /** Waits a little for reaped children and removed groups to disappear from the listings. */
    static TreeSet<String> leftoversSettled(TreeSet<String> before) {
        TreeSet<String> now = leftovers();
        for (int i = 0; i < 50 && !before.containsAll(now); i++) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            now = leftovers();
        }
        now.removeAll(before);
        return now;
    }
}
