package io.alicecontainer.junit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.alicecontainer.Pressure;
import io.alicecontainer.ResourceUsage;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The child test channel's frames, and their decoders under garbage (a seeded mutation fuzz). */
@DisplayName("The child channel's frames")
class ChildChannelTests {
    private static final RunResult RESULT = new RunResult(List.of(
            new NodeResult("[engine:junit-jupiter]/[class:a.B]/[method:t()]", "[engine:junit-jupiter]/[class:a.B]", "t() ünï",
                    true, false, "FAILED", null, ThrowableTransport.encode(new AssertionError("expected: <2>")),
                    List.of(Map.of("k", "v"), Map.of("a", "1", "b", "2"))),
            new NodeResult("[engine:junit-jupiter]/[class:a.B]", null, "B", false, true, "SKIPPED", "disabled", null, List.of())),
            null);

    private static byte[] frame(byte type, byte[] payload) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        ChildChannel.write(b, type, payload);
        return b.toByteArray();
    }

    @Test
    @DisplayName("request, messages, usage and result round-trip; a clean end between frames is null")
    void roundTrip() throws IOException {
        RunRequest request = new RunRequest(List.of("[engine:junit-jupiter]/[class:a.B]/[method:t()]"),
                Map.of("alice.isolation.mode", "all", "empty", ""), Map.of("basedir", "/src/project"));
        ResourceUsage usage = new ResourceUsage(1, 2, Duration.ofMillis(3), Duration.ofMillis(2), Duration.ofMillis(1), 4,
                Duration.ZERO, 0, 5, 6, 7, 8, Pressure.unavailable(), Pressure.unavailable(), Pressure.unavailable());
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        ChildChannel.write(b, ChildChannel.REQUEST, ChildChannel.request(request));
        ChildChannel.write(b, ChildChannel.STARTED, ChildChannel.uniqueId("x"));
        ChildChannel.write(b, ChildChannel.USAGE, ChildChannel.usage(usage));
        ChildChannel.write(b, ChildChannel.USAGE, ChildChannel.usage((ResourceUsage) null));
        ChildChannel.write(b, ChildChannel.RESULT, ChildChannel.result(RESULT));
        ByteArrayInputStream in = new ByteArrayInputStream(b.toByteArray());

        ChildChannel.Frame f = ChildChannel.read(in, ChildChannel.MAX_FRAME);
        assertThat(f.type()).isEqualTo(ChildChannel.REQUEST);
        assertThat(ChildChannel.request(f.payload())).isEqualTo(request);
        assertThat(ChildChannel.uniqueId(ChildChannel.read(in, ChildChannel.MAX_FRAME).payload(), "started")).isEqualTo("x");
        assertThat(ChildChannel.usage(ChildChannel.read(in, ChildChannel.MAX_FRAME).payload())).isEqualTo(usage);
        assertThat(ChildChannel.usage(ChildChannel.read(in, ChildChannel.MAX_FRAME).payload())).isNull();
        RunResult back = ChildChannel.result(ChildChannel.read(in, ChildChannel.MAX_FRAME).payload());
        assertThat(back.error()).isNull();
        assertThat(back.nodes()).hasSize(2);
        NodeResult n = back.nodes().get(0);
        assertThat(n.displayName()).isEqualTo("t() ünï");
        assertThat(n.reportEntries()).containsExactly(Map.of("k", "v"), Map.of("a", "1", "b", "2"));
        assertThat(ThrowableTransport.decode(n.throwable(), getClass().getClassLoader())).hasMessage("expected: <2>");
        assertThat(back.nodes().get(1).parentId()).isNull();
        assertThat(back.nodes().get(1).throwable()).isNull();
        assertThat(back.nodes().get(1).dynamic()).isTrue();
        assertThat(ChildChannel.read(in, ChildChannel.MAX_FRAME)).isNull();
    }

    @Test
    @DisplayName("bad frames are refused by what is wrong, without reading a claimed gigabyte")
    void badFrames() throws IOException {
        assertThatThrownBy(() -> ChildChannel.read(new ByteArrayInputStream("this is not a serialized RunResult".getBytes()), ChildChannel.MAX_FRAME))
                .isInstanceOf(ChildChannel.ProtocolException.class).hasMessageContaining("not a frame of the child channel: magic");
        assertThatThrownBy(() -> ChildChannel.read(new ByteArrayInputStream(new byte[1 << 16]), ChildChannel.MAX_FRAME))
                .isInstanceOf(ChildChannel.ProtocolException.class).hasMessageContaining("magic 0x00000000");
        assertThatThrownBy(() -> ChildChannel.read(new ByteArrayInputStream(
                new byte[] {0x41, 0x4c, 0x43, 0x48, ChildChannel.RESULT, 0x40, 0, 0, 0}), ChildChannel.MAX_FRAME))
                .isInstanceOf(ChildChannel.ProtocolException.class).hasMessageContaining("announces 1073741824 bytes");
        assertThatThrownBy(() -> ChildChannel.read(new ByteArrayInputStream(frame(ChildChannel.RESULT, new byte[100])), 99))
                .isInstanceOf(ChildChannel.ProtocolException.class).hasMessageContaining("at most 99");
        byte[] cut = frame(ChildChannel.RESULT, ChildChannel.result(RESULT));
        assertThatThrownBy(() -> ChildChannel.read(new ByteArrayInputStream(cut, 0, cut.length - 3), ChildChannel.MAX_FRAME))
                .isInstanceOf(ChildChannel.TruncatedException.class).hasMessageContaining((cut.length - 3) + " bytes into a frame");
        assertThatThrownBy(() -> ChildChannel.result(new byte[] {0, 0, 0, 0}))
                .isInstanceOf(ChildChannel.ProtocolException.class).hasMessageContaining("bad result frame");
        assertThatThrownBy(() -> ChildChannel.result(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f, 0, 0, 0}))
                .hasMessageContaining("2130706432 nodes cannot fit");
        assertThatThrownBy(() -> ChildChannel.uniqueId(new byte[] {0, 0, 0, 1, (byte) 0xff}, "started")).hasMessageContaining("not UTF-8");
        assertThatThrownBy(() -> ChildChannel.uniqueId(new byte[] {0, 0, 0, 0, 1}, "started")).hasMessageContaining("1 bytes after its end");
    }

    @Test
    @DisplayName("mutated frames decode or fail with an IOException of the channel, never anything else (fuzz)")
    void fuzz() throws IOException {
        int rounds = Integer.parseInt(System.getenv().getOrDefault("ALICE_FUZZ_ROUNDS", "20000"));
        Random random = new Random(20261201L);
        byte[] seed = frame(ChildChannel.RESULT, ChildChannel.result(RESULT));
        List<String> broken = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            byte[] b = seed.clone();
            int edits = 1 + random.nextInt(4);
            for (int e = 0; e < edits; e++) b[random.nextInt(b.length)] = (byte) random.nextInt(256);
            int len = random.nextInt(8) == 0 ? random.nextInt(b.length + 1) : b.length;
            try {
                ChildChannel.Frame f = ChildChannel.read(new ByteArrayInputStream(b, 0, len), ChildChannel.MAX_FRAME);
                if (f != null) ChildChannel.result(f.payload());
            } catch (ChildChannel.ProtocolException | ChildChannel.TruncatedException expected) {
                // refused, with a reason
            } catch (RuntimeException | IOException | OutOfMemoryError e) {
                if (broken.size() < 5) broken.add(i + ": " + e);
            }
        }
        assertThat(broken).as("decoder failures other than the channel's own exceptions").isEmpty();
    }
}
