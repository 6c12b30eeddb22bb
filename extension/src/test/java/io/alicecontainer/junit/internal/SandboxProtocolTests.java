package io.alicecontainer.junit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The Sandbox channel's frames, and the parent's decoder under garbage (a seeded mutation fuzz). */
@DisplayName("The Sandbox protocol")
class SandboxProtocolTests {
    private static byte[] request(List<String> argv) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        SandboxProtocol.writeRequest(b, argv);
        return b.toByteArray();
    }

    @Test
    @DisplayName("a request round-trips; two in a row; a clean end is null")
    void roundTrip() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        SandboxProtocol.writeRequest(b, List.of("sh", "-c", "echo ünïcode"));
        SandboxProtocol.writeRequest(b, List.of("true"));
        ByteArrayInputStream in = new ByteArrayInputStream(b.toByteArray());

        assertThat(SandboxProtocol.readRequest(in)).containsExactly("sh", "-c", "echo ünïcode");
        assertThat(SandboxProtocol.readRequest(in)).containsExactly("true");
        assertThat(SandboxProtocol.readRequest(in)).isNull();
    }

    @Test
    @DisplayName("bad frames are refused by what is wrong, without reading a claimed gigabyte")
    void badFrames() {
        assertThatThrownBy(() -> SandboxProtocol.readRequest(new ByteArrayInputStream("GET / HTTP/1.1".getBytes())))
                .isInstanceOf(SandboxProtocol.ProtocolException.class).hasMessageContaining("not a Sandbox request: magic");
        assertThatThrownBy(() -> SandboxProtocol.readRequest(new ByteArrayInputStream(
                new byte[] {0x41, 0x4c, 0x53, 0x42, 0, 0, 0, 1, 0x40, 0, 0, 0})))
                .hasMessageContaining("bad length 1073741824");
        assertThatThrownBy(() -> SandboxProtocol.readRequest(new ByteArrayInputStream(
                new byte[] {0x41, 0x4c, 0x53, 0x42, 0x7f, 0, 0, 0})))
                .hasMessageContaining("1 to 4096 arguments, not 2130706432");
        assertThatThrownBy(() -> SandboxProtocol.readRequest(new ByteArrayInputStream(
                new byte[] {0x41, 0x4c, 0x53, 0x42, 0, 0, 0, 1, 0, 0, 0, 1, (byte) 0xff})))
                .hasMessageContaining("not UTF-8");
    }

    @Test
    @DisplayName("mutated requests parse or fail with a ProtocolException, never anything else (fuzz)")
    void fuzz() throws IOException {
        int rounds = Integer.parseInt(System.getenv().getOrDefault("ALICE_FUZZ_ROUNDS", "20000"));
        Random random = new Random(20261201L);
        byte[] seed = request(List.of("python3", "-c", "print(42)", "x"));
        List<String> broken = new ArrayList<>();
        for (int round = 0; round < rounds && broken.size() < 5; round++) {
            byte[] input = seed.clone();
            int edits = 1 + random.nextInt(4);
            for (int i = 0; i < edits; i++) input[random.nextInt(input.length)] = (byte) random.nextInt(256);
            if (random.nextBoolean()) input = java.util.Arrays.copyOf(input, random.nextInt(input.length + 1));
            try {
                List<String> argv = SandboxProtocol.readRequest(new ByteArrayInputStream(input));
                if (argv != null) assertThat(argv).isNotEmpty().allSatisfy(a -> assertThat(a).isNotNull());
            } catch (SandboxProtocol.ProtocolException e) {
                assertThat(e.getMessage()).isNotBlank();
            } catch (IOException | RuntimeException | OutOfMemoryError e) {
                broken.add(java.util.HexFormat.of().formatHex(input) + " -> " + e);
            }
        }
        assertThat(broken).isEmpty();
    }
}
