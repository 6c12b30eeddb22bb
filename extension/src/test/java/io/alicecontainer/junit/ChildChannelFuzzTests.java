package io.alicecontainer.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;

import io.alicecontainer.ResourceUsage;
import io.alicecontainer.cgroup.CgroupController;
import io.alicecontainer.cgroup.MemoryPeak;
import io.alicecontainer.internal.Native;
import io.alicecontainer.junit.internal.ChildChannel;
import io.alicecontainer.junit.internal.ChildMessage;
import io.alicecontainer.junit.internal.NodeResult;
import io.alicecontainer.junit.internal.RunRequest;
import io.alicecontainer.junit.internal.RunResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The parent's decoder of a child's channel (the child's fd 4, read by {@link ChildSession}) under
 * bad input, a seeded fuzz: mutated valid streams, streams cut short, huge length prefixes and
 * counts, frame types the channel does not carry, strings that are not UTF-8, noise. Each input
 * goes through a real pipe into a real session (on an empty cgroup of this JVM), as a child's
 * would; each must end in a result or a clear decode error, with the reader done within {@link #BOUND_MS} (no hang) and no error thrown
 * out of it (no OutOfMemoryError, no StackOverflowError).
 *
 * <p>Coupled to the protocol only in {@link #encode} and {@link #frame}: the bytes a child writes.
 * {@code -Dalice.fuzz.rounds=100000} (or ALICE_FUZZ_ROUNDS) runs it longer by hand.
 */
@DisplayName("The parent's decoder of the child channel under bad input")
class ChildChannelFuzzTests {
    private static final long BOUND_MS = 10_000;
    private static CgroupController cgroup;
    private static MemoryPeak peak;

    /** The bytes of a child that sends these messages, in order, on its channel ({@link ChildChannel} frames). */
    static byte[] encode(Object... messages) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (Object m : messages) {
            if (m instanceof ChildMessage.Started s) ChildChannel.write(bytes, ChildChannel.STARTED, ChildChannel.uniqueId(s.uniqueId()));
            else if (m instanceof ChildMessage.Finished f) ChildChannel.write(bytes, ChildChannel.FINISHED, ChildChannel.uniqueId(f.uniqueId()));
            else if (m instanceof ChildMessage.UsageQuery q) ChildChannel.write(bytes, ChildChannel.USAGE_QUERY, ChildChannel.uniqueId(q.uniqueId()));
            else if (m instanceof RunResult r) ChildChannel.write(bytes, ChildChannel.RESULT, ChildChannel.result(r));
            else throw new IllegalArgumentException("not a message of the child channel: " + m);
        }
        return bytes.toByteArray();
    }

    /** One frame as a child could write it: any type, any payload. */
    static byte[] frame(int type, byte[] payload) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ChildChannel.write(bytes, (byte) type, payload);
        return bytes.toByteArray();
    }

    /** What the session made of one input. */
    record Outcome(RunResult result, String decodeError, boolean hung, Throwable thrown) {
    }

    @BeforeAll
    static void cgroup() {
        String unavailable = Availability.unavailableReason();
        org.junit.jupiter.api.Assumptions.assumeTrue(unavailable == null,
                () -> "skipped: a session needs a cgroup of this JVM's, and containers cannot run here: " + unavailable);
        cgroup = CgroupController.create("fuzz-" + ProcessHandle.current().pid());
        peak = cgroup.memoryPeak();
    }

    @AfterAll
    static void removeCgroup() {
        if (peak != null) peak.close();
        if (cgroup != null) cgroup.close();
    }

    /** Feeds input to a fresh session through a pipe, as a child would, and waits (bounded) for its reader. */
    static Outcome decode(byte[] input) throws Exception {
        int[] fromChild = Native.pipe();
        int[] toChild = Native.pipe();
        ConcurrentLinkedQueue<Throwable> thrown = new ConcurrentLinkedQueue<>();
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> thrown.add(e));
        InputStream answers = new FileInputStream("/proc/self/fd/" + toChild[0]);
        OutputStream child = new FileOutputStream("/proc/self/fd/" + fromChild[1]);
        Native.closeQuietly(toChild[0]);
        Native.closeQuietly(fromChild[1]);
        Thread drainer = new Thread(() -> {
            try (answers) {
                answers.transferTo(OutputStream.nullOutputStream());
            } catch (IOException e) {
                // the session closed its end
            }
        }, "fuzz-drainer");
        Thread writer = new Thread(() -> {
            try (child) {
                child.write(input);
            } catch (IOException e) {
                // the session stopped reading (a decode error) and closed its end
            }
        }, "fuzz-writer");
        try {
            drainer.start();
            ChildSession session = new ChildSession(cgroup, peak, fromChild[0], toChild[1], ResourceUsage.NONE);
            session.start(new RunRequest(List.of("[engine:junit-jupiter]"), Map.of(), Map.of()));
            writer.start();
            session.finish(BOUND_MS);
            boolean hung = session.readerAlive();
            writer.join(BOUND_MS);
            drainer.join(BOUND_MS);
            return new Outcome(session.result(), session.decodeError(), hung || writer.isAlive() || drainer.isAlive(),
                    thrown.peek());
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(previous);
        }
    }

    private static byte[] validStream() throws IOException {
        NodeResult node = new NodeResult("[engine:junit-jupiter]/[class:x.Y]/[method:t()]", "[engine:junit-jupiter]/[class:x.Y]",
                "t()", true, false, "SUCCESSFUL", null, new byte[] {1, 2, 3}, List.of(Map.of("key", "value")));
        return encode(new ChildMessage.Started("[engine:junit-jupiter]"), new ChildMessage.UsageQuery("[engine:junit-jupiter]"),
                new ChildMessage.Finished("[engine:junit-jupiter]"), new RunResult(List.of(node), null));
    }

    private static int rounds() {
        String n = System.getProperty("alice.fuzz.rounds", System.getenv().getOrDefault("ALICE_FUZZ_ROUNDS", "300"));
        return Integer.parseInt(n);
    }

    @Test
    @DisplayName("a valid stream is decoded: the result arrives, no error")
    void validStreamDecodes() throws Exception {
        Outcome o = decode(validStream());

        assertThat(o.hung()).isFalse();
        assertThat(o.decodeError()).isNull();
        assertThat(o.result()).isNotNull();
        assertThat(o.result().nodes()).hasSize(1);
    }

    @Test
    @DisplayName("unknown frame types, huge lengths and counts, bad UTF-8, noise and a stream cut short each get a clear error")
    void craftedInputs() throws Exception {
        byte[] valid = validStream();
        byte[] header = Arrays.copyOf(frame(ChildChannel.RESULT, new byte[0]), 9);
        // A RESULT frame that claims 2^31-1 bytes of payload, with nothing behind.
        byte[] hugeFrame = header.clone();
        hugeFrame[5] = 0x7f;
        hugeFrame[6] = hugeFrame[7] = hugeFrame[8] = (byte) 0xff;
        // A STARTED frame whose unique id claims 2^31-1 bytes inside a 4-byte payload.
        byte[] hugeString = frame(ChildChannel.STARTED, HexFormat.of().parseHex("7fffffff"));
        // A RESULT frame claiming 2^30 nodes in 4 bytes.
        byte[] hugeCount = frame(ChildChannel.RESULT, HexFormat.of().parseHex("40000000"));
        // A unique id that is not UTF-8.
        byte[] badUtf8 = frame(ChildChannel.STARTED, HexFormat.of().parseHex("00000002c328"));

        Map<String, byte[]> inputs = new java.util.LinkedHashMap<>();
        inputs.put("a frame of a type the channel does not carry", frame(99, ChildChannel.uniqueId("x")));
        inputs.put("a request frame (the parent's, not the child's)", frame(ChildChannel.REQUEST, new byte[0]));
        inputs.put("a huge frame length", hugeFrame);
        inputs.put("a huge string length", hugeString);
        inputs.put("a huge count", hugeCount);
        inputs.put("a string that is not UTF-8", badUtf8);
        inputs.put("cut inside the result", Arrays.copyOf(valid, valid.length - 7));
        inputs.put("noise", "this is not a frame of the child channel".getBytes());
        inputs.put("Java serialization (the old protocol)", HexFormat.of().parseHex("aced000574000161"));

        for (Map.Entry<String, byte[]> e : inputs.entrySet()) {
            Outcome o = decode(e.getValue());
            assertThat(o.hung()).as("%s: the reader ended", e.getKey()).isFalse();
            assertThat(o.thrown()).as("%s: nothing thrown out of the reader", e.getKey()).isNull();
            assertThat(o.result()).as("%s: no result", e.getKey()).isNull();
            assertThat(o.decodeError()).as("%s: a clear error", e.getKey()).isNotNull().startsWith("the child");
        }
        assertThat(decode(frame(99, new byte[0])).decodeError()).contains("unknown type 99");
        assertThat(decode("this is noise, not a frame".getBytes()).decodeError()).contains("not a frame of the child channel");
        assertThat(decode(Arrays.copyOf(valid, valid.length - 7)).decodeError()).contains("bytes into a message");
    }

    @Test
    @DisplayName("mutated, truncated and length-bombed valid streams end in a result or a clear error, never a hang or a thrown error (fuzz)")
    void fuzz() throws Exception {
        int rounds = rounds();
        Random random = new Random(20261201L);
        byte[] seed = validStream();
        List<String> broken = new ArrayList<>();
        int results = 0;
        int errors = 0;
        for (int round = 0; round < rounds && broken.size() < 5; round++) {
            byte[] input = mutate(seed, random);
            Outcome o = decode(input);
            if (o.hung() || o.thrown() != null || (o.decodeError() != null && !o.decodeError().startsWith("the child"))) {
                broken.add(HexFormat.of().formatHex(input) + " -> " + o);
            }
            if (o.result() != null) results++;
            if (o.decodeError() != null) errors++;
        }
        System.out.printf("[fuzz] child channel: %d inputs, %d decoded to a result, %d clear errors, the rest ended cleanly%n",
                rounds, results, errors);
        assertThat(broken).isEmpty();
        assertThat(errors).as("the mutations reach the decoder's error paths").isPositive();
    }

    private static byte[] mutate(byte[] seed, Random random) {
        byte[] input = seed.clone();
        switch (random.nextInt(4)) {
            case 0 -> { // flip a few bytes
                int edits = 1 + random.nextInt(4);
                for (int i = 0; i < edits; i++) input[random.nextInt(input.length)] = (byte) random.nextInt(256);
            }
            case 1 -> input = Arrays.copyOf(input, random.nextInt(input.length)); // cut short
            case 2 -> { // a huge length (or count) written over four bytes somewhere
                int at = random.nextInt(input.length - 4);
                int value = random.nextBoolean() ? Integer.MAX_VALUE : 0x40000000 + random.nextInt(0x3fffffff);
                for (int i = 0; i < 4; i++) input[at + i] = (byte) (value >>> (24 - 8 * i));
            }
            default -> { // a run of bytes repeated or noise appended
                int at = random.nextInt(input.length);
                int len = 1 + random.nextInt(Math.min(64, input.length - at));
                byte[] out = Arrays.copyOf(input, input.length + len);
                System.arraycopy(input, at, out, at + len, input.length - at);
                if (random.nextBoolean()) for (int i = at; i < at + len; i++) out[i] = (byte) random.nextInt(256);
                input = out;
            }
        }
        return input;
    }
}
