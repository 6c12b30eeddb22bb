package io.alicecontainer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.alicecontainer.namespace.Namespace;
import io.alicecontainer.namespace.Namespaces;
import io.alicecontainer.rootfs.RootFs;
import io.alicecontainer.security.Capability;
import io.alicecontainer.security.Seccomp;
import io.alicecontainer.testing.Limits;
import io.alicecontainer.testing.RequiresRoot;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The escape list of issue 10, tried from inside a default container (each attempt refused) and
 * from a privileged one (each attempt works, so that the probe itself is shown to be able to
 * tell), by {@code escape_probe.py}. What works privileged is harmless: values are written back
 * as they were, the disk is not read past a sector, the clock gets no new time.
 */
@RequiresRoot
@DisplayName("Escapes from a container")
class ContainerEscapeTests {
    /** Refused by namespaces, not by privileges: they stay refused in a privileged container. */
    static final List<String> NAMESPACED = List.of("host_network", "host_process");
    /**
     * Present only on kernels built with them (CONFIG_MAGIC_SYSRQ, CONFIG_TRANSPARENT_HUGEPAGE,
     * CONFIG_MODULES, CONFIG_IO_URING; io_uring also not where the host disables it by sysctl).
     */
    static final List<String> MAY_SKIP = List.of("sysrq_trigger", "sysfs_thp", "module_load", "io_uring_setup");
    /** What the capability drop and the masks alone do not refuse: only the seccomp filter does. */
    static final List<String> SECCOMP_ONLY = List.of("keyctl", "io_uring_setup", "user_namespace");

    @Test
    @DisplayName("every attempt of the escape list is refused from a default container")
    void defaultContainerRefusesEveryEscape() throws IOException {
        String token = UUID.randomUUID().toString();
        Map<String, String> outcomes = probe(ContainerConfig.builder().mountCgroups(true), token);

        assertThat(outcomes.keySet()).hasSize(18);
        outcomes.forEach((attempt, outcome) -> {
            if (MAY_SKIP.contains(attempt) && outcome.startsWith("SKIPPED")) return;
            assertThat(outcome).as("%s from a default container", attempt).startsWith("REFUSED");
        });
        assertThat(outcomes.get("remount_usr_rw")).isEqualTo("REFUSED EPERM");
        assertThat(outcomes.get("sysctl_swappiness")).isEqualTo("REFUSED EROFS");
        assertThat(outcomes.get("cgroup_own_limit")).isEqualTo("REFUSED EROFS");
        assertThat(outcomes.get("cgroup_move")).isEqualTo("REFUSED EROFS");
        assertThat(outcomes.get("io_uring_setup")).isIn("REFUSED EPERM", "SKIPPED this kernel has no io_uring (ENOSYS)",
                "SKIPPED the host disables io_uring (kernel.io_uring_disabled=2)");
        assertThat(Path.of("/usr/alice-escape-" + token)).doesNotExist();
    }

    @Test
    @DisplayName("with Seccomp.none() only keyctl, io_uring and a user namespace get through: the filter is what refuses them")
    void withoutTheFilter() throws IOException {
        String token = UUID.randomUUID().toString();
        Map<String, String> outcomes = probe(ContainerConfig.builder().mountCgroups(true).seccomp(Seccomp.none()), token);

        outcomes.forEach((attempt, outcome) -> {
            if (MAY_SKIP.contains(attempt) && outcome.startsWith("SKIPPED")) return;
            assertThat(outcome).as("%s without the filter", attempt).startsWith(SECCOMP_ONLY.contains(attempt) ? "OK" : "REFUSED");
        });
        assertThat(Path.of("/usr/alice-escape-" + token)).doesNotExist();
    }

    @Test
    @DisplayName("the same attempts work from a privileged() container: the probe can tell")
    void privilegedContainerAllowsThem() throws IOException {
        String token = UUID.randomUUID().toString();
        Path escaped = Path.of("/usr/alice-escape-" + token);
        try {
            Map<String, String> outcomes = probe(ContainerConfig.builder().mountCgroups(true).privileged(), token);

            outcomes.forEach((attempt, outcome) -> {
                if (MAY_SKIP.contains(attempt) && outcome.startsWith("SKIPPED")) return;
                if (NAMESPACED.contains(attempt)) {
                    assertThat(outcome).as("%s, privileged but namespaced", attempt).startsWith("REFUSED");
                } else {
                    assertThat(outcome).as("%s from a privileged container", attempt).startsWith("OK");
                }
            });
            assertThat(escaped).as("the host file written through the remounted /usr").exists();
        } finally {
            Files.deleteIfExists(escaped);
        }
    }

    @Test
    @DisplayName("the device cgroup refuses to open a node made with CAP_MKNOD given back; restrictDevices(false) opens it")
    void deviceCgroup() throws IOException {
        Limits.assumeDeviceCgroup();
        // CAP_MKNOD and a writable /dev: the node can be made, so only the device cgroup stands in the way.
        // A device the host lets its root open (the project's machines refuse their disks even to root).
        String[] device = hostOpenableDevice();
        ContainerConfig.Builder mknod = ContainerConfig.builder().capabilities(Capability.defaults(), Capability.MKNOD)
                .maskKernelInterfaces(false);

        Map<String, String> restricted = probe(mknod, UUID.randomUUID().toString(), device);
        Map<String, String> open = probe(mknod.restrictDevices(false), UUID.randomUUID().toString(), device);

        assertThat(restricted.get("mknod_host_disk")).as("node %s:%s", device[0], device[1]).isEqualTo("OK made, open refused: EPERM");
        assertThat(open.get("mknod_host_disk")).as("node %s:%s", device[0], device[1]).startsWith("OK").doesNotContain("refused");
    }

    @Test
    @DisplayName("RootFs.hostRoot() shows the host's /dev, whose other devices the device cgroup refuses to open")
    void hostRootDevices() throws IOException {
        Limits.assumeDeviceCgroup();
        String node = hostOpenableDevice()[2];
        String py = "import os, errno\ntry:\n    os.close(os.open('" + node + "', os.O_RDONLY)); print('opened')\n"
                + "except OSError as e:\n    print(errno.errorcode[e.errno])\nos.close(os.open('/dev/null', os.O_RDWR)); print('null')";

        ExecResult restricted = hostRoot(ContainerConfig.builder(), py);
        ExecResult open = hostRoot(ContainerConfig.builder().restrictDevices(false), py);

        assertThat(restricted.stdout().lines().toList()).as(restricted.stderr()).containsExactly("EPERM", "null");
        assertThat(open.stdout().lines().toList()).as(open.stderr()).containsExactly("opened", "null");
    }

    /**
     * Major, minor and path of a block device this host's root may open: a loop device, else a
     * disk (some machines refuse their own root their disks: those are skipped by trying).
     */
    private static String[] hostOpenableDevice() throws IOException {
        Path node = null;
        for (String candidate : List.of("/dev/loop0", "/dev/vda", "/dev/sda", "/dev/nvme0n1", "/dev/vdb")) {
            Path p = Path.of(candidate);
            if (!Files.exists(p)) continue;
            try (var ch = Files.newByteChannel(p)) {
                node = p;
                break;
            } catch (IOException refused) {
                // the machine's own device rules: try the next one
            }
        }
        String why = "no block device here that this JVM may open (loop0, vda, sda, nvme0n1, vdb) to try the device cgroup with";
        if (node == null) System.out.println("[alice] skipped: " + why);
        org.junit.jupiter.api.Assumptions.assumeTrue(node != null, why);
        long rdev = (Long) Files.getAttribute(node, "unix:rdev");
        long major = ((rdev >>> 8) & 0xfffL) | ((rdev >>> 32) & 0xfffff000L);
        long minor = (rdev & 0xffL) | ((rdev >>> 12) & 0xffffff00L);
        return new String[] {Long.toString(major), Long.toString(minor), node.toString()};
    }

    private static ExecResult hostRoot(ContainerConfig.Builder config, String python) {
        try (Container c = Container.create("escape-dev-" + ProcessHandle.current().pid(), config.rootfs(RootFs.hostRoot()).build())) {
            return c.exec("python3", "-c", python);
        }
    }

    @Test
    @DisplayName("the host's network and processes are reachable once the net and pid namespaces are left out")
    void namespacesAreWhatKeepsTheHostOut() throws IOException {
        Namespaces shared = Namespaces.container().without(Namespace.NET).without(Namespace.PID);
        Map<String, String> outcomes = probe(ContainerConfig.builder().namespaces(shared), UUID.randomUUID().toString());

        assertThat(outcomes.get("host_network")).isEqualTo("OK");
        assertThat(outcomes.get("host_process")).isEqualTo("OK");
    }

    /** Runs the probe in a container of config, with a listening socket and this JVM as the host's. */
    static Map<String, String> probe(ContainerConfig.Builder config, String token) throws IOException {
        return probe(config, token, rootDisk());
    }

    /** As above, with the node of mknod_host_disk given as {major, minor}. */
    static Map<String, String> probe(ContainerConfig.Builder config, String token, String[] disk) throws IOException {
        try (ServerSocket host = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             Container c = Container.create("escape-" + ProcessHandle.current().pid() + "-" + token.substring(0, 8), config.build())) {
            ExecResult r = c.exec("python3", "-c", script(), token, Integer.toString(host.getLocalPort()),
                    Long.toString(ProcessHandle.current().pid()), disk[0], disk[1]);
            assertThat(r.exitCode()).as(r.toString() + "\n" + r.stderr()).isZero();
            return parse(r.stdout());
        }
    }

    static Map<String, String> parse(String stdout) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : stdout.lines().toList()) {
            int sp = line.indexOf(' ');
            out.put(line.substring(0, sp), line.substring(sp + 1));
        }
        assertThat(out.values()).as("probes that could not run").noneMatch(v -> v.startsWith("BROKEN"));
        return out;
    }

    static String script() throws IOException {
        try (InputStream in = ContainerEscapeTests.class.getResourceAsStream("/escape_probe.py")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Major and minor of the device the host's / lives on (e.g. 254 0 for /dev/vda). */
    static String[] rootDisk() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String[] f = line.split(" ");
            if (f[4].equals("/")) return f[2].split(":");
        }
        throw new IllegalStateException("no / in /proc/self/mountinfo");
    }
}
