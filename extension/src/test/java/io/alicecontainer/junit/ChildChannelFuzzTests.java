package io.alicecontainer.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectOutputStream;
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
 * bad input, a seeded fuzz: mutated valid streams, streams cut short, huge length prefixes, classes
 * the channel does not carry, nesting too deep, noise. Each input goes through a real pipe into a
 * real session (on an empty cgroup of this JVM), as a child's would; each must end in a result or a
 * clear decode error, with the reader done within {@link #BOUND_MS} (no hang) and no error thrown
 * out of it (no OutOfMemoryError, no StackOverflowError).
 *
 * <p>Coupled to the protocol only in {@link #encode}: the bytes a child writes for its messages.
 * {@code -Dalice.fuzz.rounds=100000} (or ALICE_FUZZ_ROUNDS) runs it longer by hand.
 */
@DisplayName("The parent's decoder of the child channel under bad input")
class ChildChannelFuzzTests {
    private static final long BOUND_MS = 10_000;
    private static CgroupController cgroup;
    private static MemoryPeak peak;

    /** The bytes of a child that sends these objects, in order, on its channel. */
    static byte[] encode(Object... messages) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            for (Object m : messages) out.writeObject(m);
        }
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
            session.start(new RunRequest(List.of("[engine:junit-jupiter]"), Map.of()));
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
    @DisplayName("wrong classes, huge lengths, deep nesting and a stream cut short each get a clear error")
    void craftedInputs() throws Exception {
        byte[] valid = validStream();
        Object deep = List.of();
        for (int i = 0; i < 40; i++) deep = List.of(deep);
        // A byte array claiming 2^31-1 elements, and a string claiming 2^40 bytes, each with nothing behind.
        byte[] hugeArray = HexFormat.of().parseHex("aced0005" + "757200025b42acf317f8060854e0020000" + "7870" + "7fffffff");
        byte[] hugeString = HexFormat.of().parseHex("aced0005" + "7c" + "0000010000000000" + "41");
        // Map.of("k", "v") with its count cut to 1 and the value dropped: the JDK's readResolve
        // throws InternalError("length is odd"), not an IOException (found by the fuzz below).
        byte[] oddMap = HexFormat.of().parseHex("aced0005737200116a6176612e7574696c2e436f6c6c536572578eabb63a1ba811030001"
                + "49000374616778700000000377040000000174" + "00016b78");

        Map<String, byte[]> inputs = new java.util.LinkedHashMap<>();
        inputs.put("a String", encode("not a message"));
        inputs.put("a class the channel does not carry", encode(new java.net.InetSocketAddress(0)));
        inputs.put("nesting 40 deep", encode(deep));
        inputs.put("a huge array length", hugeArray);
        inputs.put("a huge string length", hugeString);
        inputs.put("cut inside the result", Arrays.copyOf(valid, valid.length - 7));
        inputs.put("noise", "this is not a serialized RunResult".getBytes());
        inputs.put("a Map.of with an odd number of elements", oddMap);

        for (Map.Entry<String, byte[]> e : inputs.entrySet()) {
            Outcome o = decode(e.getValue());
            assertThat(o.hung()).as("%s: the reader ended", e.getKey()).isFalse();
            assertThat(o.thrown()).as("%s: nothing thrown out of the reader", e.getKey()).isNull();
            assertThat(o.result()).as("%s: no result", e.getKey()).isNull();
            assertThat(o.decodeError()).as("%s: a clear error", e.getKey()).isNotNull().startsWith("the child");
        }
        assertThat(decode(encode("not a message")).decodeError()).contains("the child sent java.lang.String");
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
