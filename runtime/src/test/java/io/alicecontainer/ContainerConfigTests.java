package io.alicecontainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.alicecontainer.namespace.IdMapping;
import io.alicecontainer.namespace.Namespace;
import io.alicecontainer.namespace.Namespaces;
import io.alicecontainer.rootfs.RootFs;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The builder's checks; nothing here starts a container. */
@DisplayName("ContainerConfig.Builder validates at once")
class ContainerConfigTests {

    @Test
    @DisplayName("a zero or negative CPU percentage is refused with its value")
    void shouldRefuseNonPositiveCpu() {
        assertThatIllegalArgumentException().isThrownBy(() -> ContainerConfig.builder().cpuPercent(0))
                .withMessage("cpuPercent must be positive, was 0");
        assertThatIllegalArgumentException().isThrownBy(() -> ContainerConfig.builder().cpuPercent(-1))
                .withMessage("cpuPercent must be positive, was -1");
        assertThatIllegalArgumentException().isThrownBy(() -> ContainerConfig.builder().cpuPercent(100_001))
                .withMessageContaining("100001").withMessageContaining("1000 CPUs");
    }

    @Test
    @DisplayName("a zero memory limit or one with an unknown unit is refused")
    void shouldRefuseBadMemory() {
        assertThatIllegalArgumentException().isThrownBy(() -> ContainerConfig.builder().memoryMax(0))
                .withMessage("memoryMax must be positive, was 0");
        assertThatIllegalArgumentException().isThrownBy(() -> ContainerConfig.builder().memoryMax("64X"))
                .withMessageContaining("`64X`").withMessageContaining("is not a size");
    }

    @Test
    @DisplayName("a zero pids limit is refused")
    void shouldRefuseZeroPids() {
        assertThatIllegalArgumentException().isThrownBy(() -> ContainerConfig.builder().pidsMax(0))
                .withMessage("pidsMax must be positive, was 0");
    }

    @Test
    @DisplayName("a hostname with a space, or starting with a dash, is refused and quoted")
    void shouldRefuseBadHostnames() {
        assertThatIllegalArgumentException().isThrownBy(() -> ContainerConfig.builder().hostname("bad host"))
                .withMessageContaining("hostname `bad host` is not valid");
        assertThatIllegalArgumentException().isThrownBy(() -> ContainerConfig.builder().hostname("-x"))
                .withMessageContaining("`-x`");
        assertThatIllegalArgumentException().isThrownBy(() -> ContainerConfig.builder().hostname(null))
                .withMessageContaining("`null`");
        assertThatIllegalArgumentException().isThrownBy(() -> ContainerConfig.builder().hostname("h".repeat(65)))
                .withMessageContaining("1-64 characters");
    }

    @Test
    @DisplayName("a 64-character hostname (HOST_NAME_MAX) is accepted, as the message promises")
    void shouldAcceptA64CharacterHostname() {
        // given
        String longest = "h".repeat(64);

        // when
        ContainerConfig config = ContainerConfig.builder().hostname(longest).build();

        // then
        assertThat(config.hostname()).contains(longest);
    }

    @Test
    @DisplayName("a rootfs that is a regular file is refused")
    void shouldRefuseAFileAsRootfs(@TempDir Path dir) throws Exception {
        // given
        Path file = Files.writeString(dir.resolve("file"), "x");

        // when / then
        assertThatIllegalArgumentException().isThrownBy(() -> ContainerConfig.builder().rootfs(file))
                .withMessage("rootfs " + file + " is not a directory");
    }

    @Test
    @DisplayName("a rootfs that does not exist is refused, saying so")
    void shouldRefuseAMissingRootfs(@TempDir Path dir) {
        Path missing = dir.resolve("missing");
        assertThatIllegalArgumentException().isThrownBy(() -> ContainerConfig.builder().rootfs(missing))
                .withMessage("rootfs " + missing + " is not a directory (it does not exist)");
    }

    @Test
    @DisplayName("a rootfs directory needs no mount points of its own, but overlayfs cannot take `,` or `:` in its path")
    void shouldTakeABareRootfsButRefuseOverlayUnsafePaths(@TempDir Path dir) throws Exception {
        // given
        Path bare = Files.createDirectories(dir.resolve("bare"));
        Path comma = Files.createDirectories(dir.resolve("a,b"));

        // when / then
        assertThat(ContainerConfig.builder().rootfs(bare).build().rootfs()).isEqualTo(RootFs.directory(bare));
        assertThatIllegalArgumentException().isThrownBy(() -> ContainerConfig.builder().rootfs(comma))
                .withMessageContaining("overlayfs");
    }

    @Test
    @DisplayName("a valid build keeps the values given")
    void shouldKeepValues(@TempDir Path dir) throws Exception {
        // given
        for (String d : new String[] {"proc", "dev", "tmp"}) Files.createDirectories(dir.resolve(d));

        // when
        ContainerConfig config = ContainerConfig.builder()
                .rootfs(dir)
                .hostname("box-1.local")
                .cpuPercent(150)
                .memoryMax("64M")
                .pidsMax(32)
                .env("FOO", "bar")
                .timeout(Duration.ofSeconds(5))
                .build();

        // then
        assertThat(config.rootfs()).isEqualTo(RootFs.directory(dir));
        assertThat(config.hostname()).contains("box-1.local");
        assertThat(config.cpuPercent()).contains(150);
        assertThat(config.memoryMax()).hasValue(67108864L);
        assertThat(config.pidsMax()).hasValue(32L);
        assertThat(config.env()).containsEntry("FOO", "bar").containsKey("PATH");
        assertThat(config.timeout()).contains(Duration.ofSeconds(5));
    }

    @Test
    @DisplayName("the defaults: host view, the container namespaces, no limits, 1 MiB output, workdir /")
    void shouldHaveDefaults() {
        // when
        ContainerConfig config = ContainerConfig.builder().build();

        // then
        assertThat(config.rootfs()).isSameAs(RootFs.hostView());
        assertThat(config.namespaces()).isEqualTo(Namespaces.container());
        assertThat(config.namespaces().contains(Namespace.USER)).isFalse();
        assertThat(config.idMapping()).isEmpty();
        assertThat(config.hostname()).isEmpty();
        assertThat(config.cpuPercent()).isEmpty();
        assertThat(config.memoryMax()).isEmpty();
        assertThat(config.pidsMax()).isEmpty();
        assertThat(config.timeout()).isEmpty();
        assertThat(config.outputLimit()).isEqualTo(1 << 20);
        assertThat(config.workdir()).isEqualTo(Path.of("/"));
    }

    @Test
    @DisplayName("a user namespace mapping adds the USER namespace")
    void shouldAddUserNamespace() {
        // given
        IdMapping mapping = IdMapping.rootAs(1000, 1000);

        // when
        ContainerConfig config = ContainerConfig.builder().userNamespace(mapping).build();

        // then
        assertThat(config.namespaces()).isEqualTo(Namespaces.container().with(Namespace.USER));
        assertThat(config.idMapping()).contains(mapping);
    }

    @Test
    @DisplayName("toBuilder round-trips a configuration")
    void shouldRoundTripThroughToBuilder() {
        // given
        ContainerConfig config = ContainerConfig.builder().memoryMax("1G").pidsMax(7).hostname("h")
                .userNamespace(IdMapping.rootAs(1000, 1000)).build();

        // when
        ContainerConfig copy = config.toBuilder().build();

        // then
        assertThat(copy.memoryMax()).isEqualTo(config.memoryMax());
        assertThat(copy.pidsMax()).isEqualTo(config.pidsMax());
        assertThat(copy.hostname()).isEqualTo(config.hostname());
        assertThat(copy.namespaces()).isEqualTo(config.namespaces());
        assertThat(copy.env()).isEqualTo(config.env());
    }
}
