package io.alicecontainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import io.alicecontainer.clone3.SpawnException;
import io.alicecontainer.testing.Limits;
import io.alicecontainer.testing.RequiresRoot;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@RequiresRoot
@DisplayName("Bad input is refused before anything is created")
class ContainerBadInputTests {

    @Test
    @DisplayName("a name with / or .. is refused and no cgroup is made")
    void badNames() {
        ContainerConfig config = ContainerConfig.builder().build();
        assertThatThrownBy(() -> Container.create("a/b", config)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("`a/b`").hasMessageContaining("/");
        assertThatThrownBy(() -> Container.create("..", config)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("..");
        assertThatThrownBy(() -> Container.create("../escape", config)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("unknown units and zero or negative limits are refused by the builder")
    void badLimits() {
        assertThatThrownBy(() -> ContainerConfig.builder().memoryMax("64X")).hasMessageContaining("`64X`");
        assertThatThrownBy(() -> ContainerConfig.builder().memoryMax(0)).hasMessageContaining("positive");
        assertThatThrownBy(() -> ContainerConfig.builder().cpuPercent(-1)).hasMessageContaining("-1");
        assertThatThrownBy(() -> ContainerConfig.builder().pidsMax(0)).hasMessageContaining("pidsMax");
    }

    @Test
    @DisplayName("a rootfs that is not a directory is refused")
    void rootfsNotADirectory(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("file"), "x");
        assertThatThrownBy(() -> ContainerConfig.builder().rootfs(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a directory");
        assertThatThrownBy(() -> ContainerConfig.builder().rootfs(dir.resolve("missing")))
                .hasMessageContaining("does not exist");
    }

    @Test
    @DisplayName("a memory limit the kernel refuses leaves no cgroup behind")
    void refusedLimitCleansUp() {
        Limits.assumeSupported("memory");
        ContainerConfig tiny = ContainerConfig.builder().memoryMax(1).build();
        try (Container c = Container.create("bad-tiny", tiny)) {
            // The kernel accepts a 1-byte limit (rounded to a page); the process cannot even start then.
            Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> c.exec("true"));
            if (t == null) {
                assertThat(c.exec("true").oomKilled()).isTrue();
            } else {
                assertThat(t).isInstanceOf(SpawnException.class);
            }
        }
    }

    @Test
    @DisplayName("two containers cannot share a name")
    void duplicateName() {
        try (Container c = Container.create("bad-dup", ContainerConfig.builder().build())) {
            assertThatThrownBy(() -> Container.create("bad-dup", ContainerConfig.builder().build()))
                    .isInstanceOf(ContainerException.class).hasMessageContaining("already exists");
            assertThat(c.cgroup().path()).isDirectory();
        }
    }
}
