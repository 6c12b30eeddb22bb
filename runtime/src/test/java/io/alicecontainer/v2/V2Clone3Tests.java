package io.alicecontainer.v2;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import io.alicecontainer.Command;
import io.alicecontainer.Container;
import io.alicecontainer.ContainerConfig;
import io.alicecontainer.ContainerProcess;
import io.alicecontainer.ExecResult;
import io.alicecontainer.cgroup.CgroupController;
import io.alicecontainer.namespace.Namespace;
import io.alicecontainer.namespace.Namespaces;
import io.alicecontainer.testing.RequiresRoot;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * clone3(CLONE_INTO_CGROUP) into a v2 cgroup whose controllers the runtime enabled down the path
 * from the JVM's own cgroup: the child is in the container's cgroup from its first instruction.
 */
@RequiresRoot
@DisplayName("v2: clone3 into a cgroup with controllers")
class V2Clone3Tests {

    @BeforeEach
    void pureV2() {
        PureV2.assumeControllers();
    }

    @Test
    @DisplayName("the controllers are enabled down to the container, and the child starts inside it (its cgroup namespace root is the container's cgroup)")
    void childStartsInsideWithControllers() throws Exception {
        ContainerConfig config = ContainerConfig.builder().memoryMax("64M").pidsMax(16).cpuPercent(50).mountCgroups(true)
                .timeout(Duration.ofSeconds(60)).build();
        try (Container c = Container.create("v2-clone3", config)) {
            Path cg = c.cgroup().path();
            Path base = containersBase();
            assertThat(cg.getParent().getParent()).isEqualTo(base);
            // Every level from the containers' base down hands the controllers on.
            for (Path p = cg.getParent(); p.startsWith(base); p = p.getParent()) {
                assertThat(words(PureV2.read(p, "cgroup.subtree_control"))).as(p + "/cgroup.subtree_control")
                        .containsAll(PureV2.CONTROLLERS);
            }
            assertThat(words(PureV2.read(cg, "cgroup.controllers"))).containsAll(PureV2.CONTROLLERS);

            // With CLONE_NEWCGROUP the namespace's root is the cgroup the child was cloned into:
            // "0::/" means it was created inside, not moved there later. Its own cgroup2 mount
            // shows the container's limits.
            ExecResult r = c.exec("sh", "-c", "cat /proc/self/cgroup; cd /sys/fs/cgroup && cat memory.max pids.max cpu.max cgroup.controllers");
            assertThat(r.succeeded()).as(r + "\n" + r.stderr()).isTrue();
            assertThat(r.stdout().split("\n")).containsExactly("0::/", Long.toString(64L << 20), "16", "50000 100000",
                    PureV2.read(cg, "cgroup.controllers"));
        }
    }

    @Test
    @DisplayName("seen from the host, a running child is in the container's cgroup, and the JVM's own cgroup holds no container process")
    void hostSeesChildInContainerCgroup() throws Exception {
        ContainerConfig config = ContainerConfig.builder().namespaces(Namespaces.container().without(Namespace.CGROUP))
                .timeout(Duration.ofSeconds(60)).build();
        try (Container c = Container.create("v2-clone3-host", config)) {
            Path cg = c.cgroup().path();
            String rel = "/" + CgroupController.layout().v2Mount().relativize(cg);
            try (ContainerProcess p = c.launch(Command.builder("sh", "-c", "cat /proc/self/cgroup; exec sleep 60").build())) {
                Path cmdline = Path.of("/proc", Long.toString(p.pid()), "cmdline");
                assertThat(PureV2.await(() -> readOrEmpty(cmdline).startsWith("sleep"), Duration.ofSeconds(30)))
                        .as("the shell printed its cgroup and became sleep").isTrue();
                assertThat(c.cgroup().pids()).containsExactly(p.pid());
                assertThat(Files.readString(Path.of("/proc", Long.toString(p.pid()), "cgroup")).trim()).isEqualTo("0::" + rel);
                assertThat(PureV2.read(cg.getParent(), "cgroup.procs")).as("the JVM's group of containers holds no process").isEmpty();
                p.kill();
                ExecResult r = p.await();
                assertThat(r.stdout().trim()).as("the child's own view without a cgroup namespace").isEqualTo("0::" + rel);
            }
        }
    }

    /**
     * Where the runtime puts its containers: {@code alice} below the JVM's own cgroup, or what the
     * system property alice.cgroup.parent says (relative: below the JVM's own cgroup; absolute:
     * from the root of the hierarchy, for a delegated subtree).
     */
    static Path containersBase() {
        String parent = System.getProperty("alice.cgroup.parent", "alice");
        return parent.startsWith("/") ? CgroupController.layout().v2Mount().resolve(parent.substring(1))
                : CgroupController.layout().v2Own().resolve(parent);
    }

    private static String readOrEmpty(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private static List<String> words(String s) {
        return Arrays.asList(s.trim().split("\\s+"));
    }
}
