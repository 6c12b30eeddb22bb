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
import org.junit.platform.launcher.LauncherSession;

/**
 * The warm-up run whose loaded classes become the children's CDS archive: what a child does, on
 * a test of its own, through the child agent's own code ({@link ForkedTestAgent}: its boot-time
 * warm-up and launcher session, then the run of one test by unique id with the isolation
 * extension, its messages to the parent answered from memory), plus a cgroup usage read and the
 * frames and Java serialization of a result with a failure's throwable ({@link ThrowableTransport}).
 * It runs outside any container, on the host, so it runs no test of the user's.
 */
public final class CdsWarmup {
    private CdsWarmup() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty(ForkedTestAgent.CHILD_PROPERTY, "true");
        Map<String, String> params = new HashMap<>();
        params.put("junit.jupiter.extensions.autodetection.enabled", "false");
        Object request = ChildChannel.request(frame(ChildChannel.REQUEST, ChildChannel.request(new RunRequest(List.of("id"), params, Map.of("alice.warmup", "true")))));
        String id = "[engine:junit-jupiter]/[class:" + Sample.class.getName() + "]/[method:runs()]";
        LauncherSession ahead = ForkedTestAgent.warmLauncher();
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        ParentLink link = new ParentLink(acks(64), sent);
        RunResult result = ForkedTestAgent.run(new RunRequest(List.of(id), params, Map.of()), ahead, link);
        link.send(result);
        List<String> finished = new ArrayList<>();
        for (NodeResult n : result.nodes()) finished.add(n.uniqueId() + " " + n.status());
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
        if (!finished.contains(id + " SUCCESSFUL") || request == null || sent.size() == 0) {
            System.err.println("CDS warm-up: the sample test did not pass: " + finished);
            System.exit(1);
        }
        System.exit(0);
    }

    /** The parent's answers to a child's messages: {@code n} acknowledgements. */
    private static ByteArrayInputStream acks(int n) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < n; i++) ChildChannel.write(bytes, ChildChannel.ACK, new byte[0]);
        return new ByteArrayInputStream(bytes.toByteArray());
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
