package io.alicecontainer.junit.internal;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The child JVM's main class: boots, loads the JUnit launcher, then waits on its channel for
 * "run test X" (a pooled child waits there until a test is handed to it), runs exactly that test
 * (or class) through the JUnit Platform Launcher, telling the parent as each node starts and ends
 * (see {@link ChildMessage}), and sends back how every node ended.
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
        OutputStream out = new BufferedOutputStream(new FileOutputStream(args[1]));
        LauncherSession ahead = warmLauncher();
        InputStream in = new BufferedInputStream(new FileInputStream(args[0]));
        RunRequest request;
        try {
            ChildChannel.Frame frame = ChildChannel.read(in, ChildChannel.MAX_FRAME);
            if (frame == null) {
                // A pooled child whose test never came: the parent closed the channel.
                System.exit(0);
                return;
            }
            if (frame.type() != ChildChannel.REQUEST) throw new ChildChannel.ProtocolException("a frame of type " + frame.type() + " instead of a request");
            request = ChildChannel.request(frame.payload());
        } catch (java.io.IOException e) {
            System.err.println("[alice] the child JVM could not read its request: " + e.getMessage());
            System.exit(2);
            return;
        }
        ParentLink link = new ParentLink(in, out);
        ParentLink.install(link);
        RunResult result = run(request, ahead, link);
        link.send(result);
        out.close();
        System.out.flush();
        System.err.flush();
        // exit, not halt: shutdown hooks such as JaCoCo's agent must still write their data.
        System.exit(0);
    }

    /**
     * Loads the engines and the discovery and execution classes: what a pooled child does before
     * it waits, so that a test handed to it finds JUnit ready. The warm-up runs one empty test of
     * ours through a launcher of its own, without the listeners and extensions found by
     * ServiceLoader (they see only the real run). Then it opens the launcher session the test
     * will run in (see {@link #openAhead}), or returns null. A failure here is left for the real
     * run to report.
     */
    static LauncherSession warmLauncher() {
        try {
            Launcher quiet = LauncherFactory.create(LauncherConfig.builder()
                    .enableTestExecutionListenerAutoRegistration(false)
                    .enableLauncherSessionListenerAutoRegistration(false)
                    .enableLauncherDiscoveryListenerAutoRegistration(false)
                    .enablePostDiscoveryFilterAutoRegistration(false)
                    .build());
            quiet.execute(LauncherDiscoveryRequestBuilder.request()
                    .selectors(DiscoverySelectors.selectUniqueId(WARMUP_ID))
                    .configurationParameters(Map.of("junit.jupiter.extensions.autodetection.enabled", "false",
                            "junit.jupiter.execution.parallel.enabled", "false"))
                    .build(), new Collector(null));
            return openAhead();
        } catch (RuntimeException | LinkageError e) {
            // the real run reports it
            return null;
        }
    }

    /**
     * The launcher session of the real run, opened before the test is handed over: the engines,
     * the listeners and the filters found by ServiceLoader are loaded and made during the boot
     * instead of on the test's path (a {@code LauncherFactory.create()} launcher does all that
     * again in every {@code execute}). Null, and the real run opens its session as before, where
     * an early session could change what the run sees: a {@code LauncherSessionListener} or
     * {@code LauncherInterceptor} on the class path (it would be called before the test's system
     * properties are set); see {@link #fits} for the request's side.
     */
    static LauncherSession openAhead() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        for (String service : new String[] {"org.junit.platform.launcher.LauncherSessionListener",
                "org.junit.platform.launcher.LauncherInterceptor"}) {
            try {
                if (loader.getResources("META-INF/services/" + service).hasMoreElements()) return null;
            } catch (java.io.IOException e) {
                return null;
            }
        }
        return LauncherFactory.openSession();
    }

    /**
     * Whether a session opened at boot serves this request: the launcher reads its own
     * configuration (listener deactivation, interceptors, ...) from the system properties when the
     * session opens, and the request's system properties are set only now.
     */
    static boolean fits(RunRequest request) {
        return request.systemProperties().keySet().stream().noneMatch(k -> k.startsWith("junit."));
    }

    /** The warm-up test's unique id: selected as the real test will be, by unique id. */
    static final String WARMUP_ID = "[engine:junit-jupiter]/[class:" + Warmup.class.getName() + "]/[method:warmup()]";

    /**
     * One empty test, run before the child waits, to load JUnit's discovery and execution code
     * on the path the real test takes: selected by unique id, with the isolation extension
     * registered as an {@code @Isolated} test has it (in a child it lets the test run).
     */
    @io.alicecontainer.junit.Isolated
    static final class Warmup {
        @org.junit.jupiter.api.Test
        void warmup() {
        }
    }

    /** Runs the request in the session opened at boot where it {@link #fits}, else in a launcher made now. */
    static RunResult run(RunRequest request, LauncherSession ahead, ParentLink link) {
        RuntimeProperties.apply(request.systemProperties());
        if (ahead != null && fits(request)) {
            try (ahead) {
                return run(request, ahead.getLauncher(), link);
            }
        }
        if (ahead != null) ahead.close();
        return run(request, LauncherFactory.create(), link);
    }

    static RunResult run(RunRequest request, Launcher launcher, ParentLink link) {
        Map<String, String> params = new HashMap<>(request.configurationParameters());
        // One test (or class) runs here; parallelism belongs to the parent.
        params.put("junit.jupiter.execution.parallel.enabled", "false");
        LauncherDiscoveryRequest discovery = LauncherDiscoveryRequestBuilder.request()
                .selectors(request.uniqueIds().stream().map(DiscoverySelectors::selectUniqueId).toList())
                .configurationParameters(params)
                .build();
        Collector collector = new Collector(link);
        PrintStream err = System.err;
        try {
            launcher.execute(discovery, collector);
        } catch (Throwable t) {
            t.printStackTrace(err);
            return new RunResult(collector.results, "the child could not run " + request.uniqueIds() + ": " + t);
        }
        List<String> missing = request.uniqueIds().stream()
                .filter(id -> collector.results.stream().noneMatch(r -> r.uniqueId().equals(id))).toList();
        return new RunResult(collector.results, missing.isEmpty() ? null : "the child JVM found no test with unique id "
                + String.join(", ", missing) + " (is the test class on the child's classpath?)");
    }

    /**
     * Collects every finished node and its report entries, and lets the parent read the usage as
     * each node starts and ends.
     */
    static final class Collector implements TestExecutionListener {
        final List<NodeResult> results = new ArrayList<>();
        final Map<String, List<Map<String, String>>> entries = new HashMap<>();
        final java.util.Set<String> dynamic = new java.util.HashSet<>();
        private final ParentLink link;

        Collector(ParentLink link) {
            this.link = link;
        }

        @Override
        public void executionStarted(TestIdentifier id) {
            if (link != null && id.getParentId().isPresent()) link.ask(new ChildMessage.Started(id.getUniqueId()));
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
            if (link != null && id.getParentId().isPresent()) link.ask(new ChildMessage.Finished(id.getUniqueId()));
            results.add(node(id, result.getStatus().name(), null, result.getThrowable().orElse(null)));
        }

        private NodeResult node(TestIdentifier id, String status, String reason, Throwable t) {
            return new NodeResult(id.getUniqueId(), id.getParentId().orElse(null), id.getDisplayName(), id.isTest(),
                    dynamic.contains(id.getUniqueId()), status, reason, ThrowableTransport.encode(t),
                    entries.getOrDefault(id.getUniqueId(), List.of()));
        }
    }
}
