package io.alicecontainer.junit.internal;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.alicecontainer.ResourceUsage;
import io.alicecontainer.cgroup.CgroupController;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The child JVM's main class: waits on its channel for "run test X", runs exactly that test
 * through the JUnit Platform Launcher, and sends back how every node ended. A small agent rather
 * than a one-shot main with the test in argv, so that a pool of pre-booted children can serve
 * tests later.
 *
 * <p>Usage: {@code java ... ForkedTestAgent <request file> <result file>} (the parent passes
 * {@code /proc/self/fd/3} and {@code /proc/self/fd/4}: two pipes, never stdout).
 */
public final class ForkedTestAgent {
    /** Set (to "true") in the child JVM: the extension runs the test instead of forking it again. */
    public static final String CHILD_PROPERTY = "alice.isolation.child";

    private ForkedTestAgent() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: ForkedTestAgent <request channel> <result channel>");
            System.exit(2);
        }
        System.setProperty(CHILD_PROPERTY, "true");
        RunRequest request;
        try (ObjectInputStream in = new ObjectInputStream(new BufferedInputStream(new FileInputStream(args[0])))) {
            request = (RunRequest) in.readObject();
        }
        RunResult result = run(request);
        try (ObjectOutputStream out = new ObjectOutputStream(new BufferedOutputStream(new FileOutputStream(args[1])))) {
            out.writeObject(result);
        }
        System.out.flush();
        System.err.flush();
        // exit, not halt: shutdown hooks such as JaCoCo's agent must still write their data.
        System.exit(0);
    }

    static RunResult run(RunRequest request) {
        Map<String, String> params = new HashMap<>(request.configurationParameters());
        // One test runs here; parallelism belongs to the parent.
        params.put("junit.jupiter.execution.parallel.enabled", "false");
        LauncherDiscoveryRequest discovery = LauncherDiscoveryRequestBuilder.request()
                .selectors(DiscoverySelectors.selectUniqueId(request.uniqueId()))
                .configurationParameters(params)
                .build();
        Collector collector = new Collector();
        PrintStream err = System.err;
        try {
            Launcher launcher = LauncherFactory.create();
            launcher.execute(discovery, collector);
        } catch (Throwable t) {
            t.printStackTrace(err);
            return new RunResult(collector.results, collector.before, collector.after,
                    "the child could not run " + request.uniqueId() + ": " + t);
        }
        boolean found = collector.results.stream().anyMatch(r -> r.uniqueId().equals(request.uniqueId()));
        return new RunResult(collector.results, collector.before, collector.after,
                found ? null : "the child JVM found no test with unique id " + request.uniqueId()
                        + " (is the test class on the child's classpath?)");
    }

    /** Collects every finished node, its report entries, and the usage around the test. */
    static final class Collector implements TestExecutionListener {
        final List<NodeResult> results = new ArrayList<>();
        final Map<String, List<Map<String, String>>> entries = new HashMap<>();
        final java.util.Set<String> dynamic = new java.util.HashSet<>();
        ResourceUsage before;
        ResourceUsage after;
        String outermost;

        @Override
        public void executionStarted(TestIdentifier id) {
            if (outermost == null && id.getParentId().isPresent()) {
                outermost = id.getUniqueId();
                before = usage();
            }
        }

        @Override
        public void dynamicTestRegistered(TestIdentifier id) {
            dynamic.add(id.getUniqueId());
        }

        @Override
        public void reportingEntryPublished(TestIdentifier id, ReportEntry entry) {
            entries.computeIfAbsent(id.getUniqueId(), k -> new ArrayList<>()).add(new HashMap<>(entry.getKeyValuePairs()));
        }

        @Override
        public void executionSkipped(TestIdentifier id, String reason) {
            results.add(node(id, "SKIPPED", reason, null));
        }

        @Override
        public void executionFinished(TestIdentifier id, TestExecutionResult result) {
            if (id.getUniqueId().equals(outermost)) after = usage();
            results.add(node(id, result.getStatus().name(), null, result.getThrowable().orElse(null)));
        }

        private NodeResult node(TestIdentifier id, String status, String reason, Throwable t) {
            return new NodeResult(id.getUniqueId(), id.getParentId().orElse(null), id.getDisplayName(), id.isTest(),
                    dynamic.contains(id.getUniqueId()), status, reason, ThrowableTransport.encode(t),
                    entries.getOrDefault(id.getUniqueId(), List.of()));
        }

        private static ResourceUsage usage() {
            try {
                return CgroupController.ownUsage();
            } catch (RuntimeException e) {
                return null;
            }
        }
    }
}
