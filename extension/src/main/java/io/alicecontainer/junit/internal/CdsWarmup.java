package io.alicecontainer.junit.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.alicecontainer.cgroup.CgroupController;
import io.alicecontainer.junit.Isolated;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The warm-up run whose loaded classes become the children's CDS archive: what a child does
 * (decode a request frame of {@link ChildChannel}, run one test by unique id through the JUnit launcher with the
 * isolation extension, read its cgroup usage, encode a result frame; Java serialization only for a
 * failure's throwable, as {@link ThrowableTransport} does), on a test of its own.
 * It runs outside any container, on the host, so it runs no test of the user's. Public API only,
 * so that it stays a warm-up of whatever the child agent becomes.
 */
public final class CdsWarmup {
    private CdsWarmup() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty(ForkedTestAgent.CHILD_PROPERTY, "true");
        Map<String, String> params = new HashMap<>();
        params.put("junit.jupiter.extensions.autodetection.enabled", "false");
        params.put("junit.jupiter.execution.parallel.enabled", "false");
        Object request = ChildChannel.request(frame(ChildChannel.REQUEST, ChildChannel.request(new RunRequest(List.of("id"), params, Map.of("alice.warmup", "true")))));
        String id = "[engine:junit-jupiter]/[class:" + Sample.class.getName() + "]/[method:runs()]";
        LauncherDiscoveryRequest discovery = LauncherDiscoveryRequestBuilder.request()
                .selectors(DiscoverySelectors.selectUniqueId(id))
                .configurationParameters(params)
                .build();
        List<String> finished = new ArrayList<>();
        LauncherFactory.create().execute(discovery, new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                finished.add(test.getUniqueId() + " " + result.getStatus());
                result.getThrowable().ifPresent(t -> t.printStackTrace(System.err));
            }
        });
        try {
            CgroupController.ownUsage();
        } catch (RuntimeException e) {
            // not in a cgroup of ours: the classes are loaded all the same
        }
        ChildChannel.uniqueId(frame(ChildChannel.STARTED, ChildChannel.uniqueId(id)), "started");
        ChildChannel.result(frame(ChildChannel.RESULT, ChildChannel.result(new RunResult(List.of(new NodeResult(id, null, "runs()",
                true, false, "SUCCESSFUL", null, ThrowableTransport.encode(new AssertionError("warm-up", new IllegalStateException())),
                List.of(Map.of("k", "v")))), null))));
        roundTrip(new ArrayList<>(finished));
        if (!finished.contains(id + " SUCCESSFUL") || request == null) {
            System.err.println("CDS warm-up: the sample test did not pass: " + finished);
            System.exit(1);
        }
        System.exit(0);
    }

    /** A payload written as a frame and read back. */
    private static byte[] frame(byte type, byte[] payload) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ChildChannel.write(bytes, type, payload);
        return ChildChannel.read(new ByteArrayInputStream(bytes.toByteArray()), ChildChannel.MAX_FRAME).payload();
    }

    private static Object roundTrip(Object o) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
            out.writeObject(new AssertionError("warm-up", new IllegalStateException()));
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            in.readObject();
            return in.readObject() instanceof AssertionError ? o : null;
        }
    }

    /** The warm-up's test: isolated, so the extension's classes load too (it runs here: we are the child). */
    @Isolated
    public static final class Sample {
        @Test
        void runs() {
            org.junit.jupiter.api.Assertions.assertEquals(2, 1 + 1);
        }
    }
}
