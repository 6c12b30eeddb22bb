package io.alicecontainer.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.alicecontainer.junit.Isolated;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What {@code @Isolated} alone gives a test: its own pid namespace (its JVM is PID 1 and sees no
 * other process), its own network namespace (only a loopback interface: no way out, no port
 * clash with the host or with other tests) and its own hostname (uts namespace).
 *
 * <p>The whole lifecycle of an isolated test runs in its container, {@code @BeforeAll} included.
 * With {@code @Isolated} on the methods (not the class), {@code @BeforeAll} also runs in the
 * calling JVM first: this class uses that to record the host's hostname, where the test can read
 * it (the working directory is shared with the container).
 */
@DisplayName("Namespaces: an isolated test is PID 1, has only loopback and its own hostname")
class NamespaceIsolationTests {
    private static final Path HOST_HOSTNAME = Path.of("target/host-hostname.txt");

    @BeforeAll
    static void recordTheHostsHostname() throws IOException {
        boolean inTheCallingJvm = ProcessHandle.current().pid() != 1;
        if (inTheCallingJvm) Files.writeString(HOST_HOSTNAME, hostname());
    }

    @Test
    @Isolated
    @DisplayName("the test's JVM is PID 1 and the only process it can see")
    void ownPidNamespace() {
        assertThat(ProcessHandle.current().pid()).isEqualTo(1);
        assertThat(ProcessHandle.allProcesses().map(ProcessHandle::pid)).containsExactly(1L);
    }

    @Test
    @Isolated
    @DisplayName("only the loopback interface: local sockets work, the outside is unreachable")
    void ownNetworkNamespace() throws IOException {
        List<String> interfaces = Files.readAllLines(Path.of("/proc/net/dev")).stream().skip(2)
                .map(line -> line.substring(0, line.indexOf(':')).trim()).toList();
        assertThat(interfaces).containsExactly("lo");

        try (ServerSocket server = new ServerSocket(8080, 1, InetAddress.getLoopbackAddress());
             Socket client = new Socket(InetAddress.getLoopbackAddress(), 8080)) {
            assertThat(client.isConnected()).isTrue();
        }
        assertThatThrownBy(() -> new Socket().connect(new InetSocketAddress("1.1.1.1", 53), 1000))
                .isInstanceOf(IOException.class).hasMessageContaining("unreachable");
    }

    @Test
    @Isolated
    @DisplayName("the container has a hostname of its own")
    void ownHostname() throws IOException {
        String host = Files.readString(HOST_HOSTNAME);

        assertThat(hostname()).isNotBlank().isNotEqualTo(host);
    }

    private static String hostname() throws IOException {
        return Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
    }
}
