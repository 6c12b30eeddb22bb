package io.alicecontainer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.alicecontainer.namespace.IdMapping;
import io.alicecontainer.testing.RequiresRoot;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@RequiresRoot
@DisplayName("Container isolation")
class ContainerIsolationTests {

    @Test
    @DisplayName("the process is PID 1 and /proc shows only the container's processes")
    void pidNamespace() {
        try (Container c = Container.create("iso-pid", ContainerConfig.builder().build())) {
            ExecResult r = c.exec("sh", "-c", "echo $$; for p in /proc/[0-9]*; do echo ${p#/proc/}; done");

            assertThat(r.succeeded()).as(r.toString()).isTrue();
            assertThat(r.stdout().lines().toList()).containsExactly("1", "1");
        }
    }

    @Test
    @DisplayName("the hostname is the container's, in uname and in /etc/hostname and /etc/hosts")
    void utsNamespace() {
        try (Container c = Container.create("iso-uts", ContainerConfig.builder().hostname("box-7").build())) {
            ExecResult r = c.exec("sh", "-c", "cat /proc/sys/kernel/hostname /etc/hostname; grep -c box-7 /etc/hosts");

            assertThat(r.stdout().lines().toList()).as(r.stderr()).containsExactly("box-7", "box-7", "1");
        }
    }

    @Test
    @DisplayName("the only network interface is lo, and it is up")
    void netNamespace() {
        try (Container c = Container.create("iso-net", ContainerConfig.builder().build())) {
            ExecResult r = c.exec("sh", "-c", "tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' '; "
                    + "python3 -c \"import socket; s=socket.socket(); s.bind(('127.0.0.1', 0)); s.listen(); print('lo up')\"");

            assertThat(r.stdout().lines().toList()).as(r.stderr()).containsExactly("lo", "lo up");
        }
    }

    @Test
    @DisplayName("the host view is read-only: writing into /usr fails, /tmp is private and writable")
    void readOnlyHostView() {
        try (Container c = Container.create("iso-ro", ContainerConfig.builder().build())) {
            ExecResult r = c.exec("sh", "-c", "touch /usr/alice-probe; echo usr=$?; "
                    + "echo hi > /tmp/alice-probe && cat /tmp/alice-probe; ls /tmp | wc -l");

            assertThat(r.stdout().lines().toList()).as(r.stderr()).containsExactly("usr=1", "hi", "1");
            assertThat(r.stderr()).contains("Read-only file system");
            assertThat(Path.of("/usr/alice-probe")).doesNotExist();
            assertThat(Path.of("/tmp/alice-probe")).doesNotExist();
        }
    }

    @Test
    @DisplayName("python3 and the JDK run in the default rootfs")
    void runtimesRunInHostView() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        try (Container c = Container.create("iso-runtimes", ContainerConfig.builder().build())) {
            ExecResult py = c.exec("python3", "-c", "print(6 * 7)");
            ExecResult jv = c.exec(java, "-Xshare:auto", "-version");

            assertThat(py.stdout().trim()).as(py.toString()).isEqualTo("42");
            assertThat(jv.succeeded()).as(jv.stderr()).isTrue();
            assertThat(jv.stderr()).contains("version");
        }
    }

    @Test
    @DisplayName("a real rootfs directory (busybox) is all the process sees")
    void customRootfs(@TempDir Path dir) throws IOException {
        Path busybox = Path.of("/bin/busybox");
        assertThat(busybox).as("busybox-static must be installed (apt-get install busybox-static)").isRegularFile();
        Path root = dir.resolve("rootfs");
        for (String d : List.of("bin", "proc", "dev", "tmp", "etc")) Files.createDirectories(root.resolve(d));
        Files.copy(busybox, root.resolve("bin/busybox"));
        for (String tool : List.of("sh", "ls", "cat", "touch")) Files.createSymbolicLink(root.resolve("bin/" + tool), Path.of("busybox"));
        Files.writeString(root.resolve("marker"), "only-this-tree\n");
        Files.writeString(root.resolve("etc/hostname"), "original\n");

        ContainerConfig config = ContainerConfig.builder().rootfs(root).hostname("bb").env("PATH", "/bin").build();
        try (Container c = Container.create("iso-rootfs", config)) {
            ExecResult r = c.exec("sh", "-c", "ls /; cat /marker /etc/hostname; ls /usr 2>&1; touch /marker 2>&1; echo $?");

            assertThat(r.stdout().lines().toList()).as(r.toString())
                    .startsWith("bin", "dev", "etc", "marker", "proc", "tmp", "only-this-tree", "bb")
                    .anyMatch(l -> l.contains("/usr") && l.contains("No such file"))
                    .endsWith("1");
        }
        assertThat(Files.readString(root.resolve("etc/hostname"))).isEqualTo("original\n");
    }

    @Test
    @DisplayName("a user namespace maps root inside to an unprivileged id outside")
    void userNamespace() {
        ContainerConfig config = ContainerConfig.builder().userNamespace(IdMapping.rootAs(100000, 100000)).build();
        try (Container c = Container.create("iso-userns", config)) {
            ExecResult r = c.exec("sh", "-c", "id -u; cat /proc/self/uid_map | tr -s ' '; echo x > /tmp/f && stat -c %u /tmp/f");

            assertThat(r.stdout().lines().map(String::trim).toList()).as(r.toString())
                    .containsExactly("0", "0 100000 1", "0");
        }
    }
}
