package io.alicecontainer.samples;

import static io.alicecontainer.junit.ResourceAssertions.assertThat;
import static io.alicecontainer.junit.ResourceAssertions.mebibytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.alicecontainer.Container;
import io.alicecontainer.ContainerConfig;
import io.alicecontainer.ContainerState;
import io.alicecontainer.ExecResult;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container runtime without the JUnit extension: these tests run in the ordinary test JVM
 * (no {@code @Isolated}) and create containers themselves with {@link Container#create}, a
 * {@link ContainerConfig} and {@link Container#exec}. Here the container's root is a tiny busybox
 * tree built in a {@code @TempDir}, and the command sees nothing else.
 */
@DisplayName("Runtime API: a container with a busybox rootfs, created by the test itself")
class ContainerApiTests {

    @Test
    @DisplayName("a command in a busybox rootfs sees only that tree, with a hostname and memory limit of its own")
    void busyboxRootfs(@TempDir Path dir) throws IOException {
        Path rootfs = BusyboxRootfs.create(dir.resolve("rootfs"));
        Files.writeString(rootfs.resolve("hello.txt"), "only this tree\n");
        ContainerConfig config = ContainerConfig.builder()
                .rootfs(rootfs)
                .hostname("busybox")
                .memoryMax(mebibytes(32))
                .pidsMax(16)
                .build();

        try (Container container = Container.create("samples-busybox-" + ProcessHandle.current().pid(), config)) {
            ExecResult r = container.exec("sh", "-c", "ls /; cat /hello.txt; hostname");

            assertThat(r).succeeded();
            assertThat(r.stdout().lines()).containsExactly(
                    "bin", "dev", "etc", "hello.txt", "proc", "tmp", "only this tree", "busybox");
            assertThat(r).usage().hasNoOomKills().memory().peak().isLessThan(mebibytes(32));
            assertThat(container.state()).isEqualTo(ContainerState.RUNNING);
        }
    }
}
