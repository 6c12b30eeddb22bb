package io.alicecontainer.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.alicecontainer.ExecResult;
import io.alicecontainer.junit.ResourceAssertions;
import io.alicecontainer.junit.RootFs;
import io.alicecontainer.junit.Sandbox;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A custom root filesystem: {@code @RootFs("dir")} runs the isolated test's JVM in a directory
 * holding a root filesystem instead of the default read-only view of the host. The extension
 * shows the host's JDK, the test classpath and the working directory inside it at their host
 * paths; everything else comes from the directory, which the container sees read-only (through
 * an overlay, so it is never changed). A {@link Sandbox} command runs in the same tree, without
 * the JDK.
 *
 * <p>The directory must exist when the test starts: here {@code @BeforeAll} builds it, in the
 * calling JVM before the test is forked (it runs again inside the container, where the tree is
 * already there), from busybox and the C libraries of the host's JDK ({@link BusyboxRootfs}).
 */
@DisplayName("Custom rootfs: the test runs in a busybox tree, not the host's")
class CustomRootFsTests {
    private static final String ROOTFS = "target/busybox-rootfs";

    @BeforeAll
    static void buildTheRootfs() throws IOException, InterruptedException {
        BusyboxRootfs.createWithJdkLibraries(Path.of(ROOTFS));
    }

    @Test
    @RootFs(ROOTFS)
    @DisplayName("the test and its commands see the busybox tree, read-only")
    void seesOnlyTheRootfs(Sandbox sandbox) {
        assertThat(Path.of("/bin/busybox")).isRegularFile();
        assertThat(Path.of("/usr/bin/python3")).as("the host's python").doesNotExist();
        assertThat(Path.of("/etc/os-release")).as("the host's /etc").doesNotExist();
        assertThat(Path.of(System.getProperty("java.home"))).as("the JDK, bound in").isDirectory();
        assertThatThrownBy(() -> Files.writeString(Path.of("/bin/new-file"), "x")).isInstanceOf(IOException.class);

        ExecResult ls = sandbox.exec("sh", "-c", "ls /; ls /usr");

        ResourceAssertions.assertThat(ls).failed().hasStderrContaining("/usr");
        assertThat(ls.stdout().lines()).containsExactlyInAnyOrder("bin", "dev", "etc", "lib", "lib64", "proc", "tmp");
    }
}
