package io.alicecontainer.cgroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Layout detection from sample mountinfo and /proc/self/cgroup text; no real cgroup is touched. */
@DisplayName("CgroupLayout detection from mountinfo")
class CgroupLayoutTests {

    /** The shape of a hybrid host's mountinfo (taken from a real one, trimmed). */
    private static final String HYBRID_MOUNTINFO = """
            23 1 0:21 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw
            31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
            32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
            33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct
            34 31 0:31 / /sys/fs/cgroup/cpuset rw,relatime - cgroup cgroup rw,cpuset
            35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
            36 31 0:33 / /sys/fs/cgroup/devices rw,relatime - cgroup cgroup rw,devices
            37 31 0:34 / /sys/fs/cgroup/freezer rw,relatime - cgroup cgroup rw,freezer
            38 31 0:35 / /sys/fs/cgroup/blkio rw,relatime - cgroup cgroup rw,blkio
            39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
            40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd
            41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
            """;

    private static final String HYBRID_SELF_CGROUP = """
            9:name=systemd:/
            8:pids:/
            7:blkio:/
            6:freezer:/
            5:devices:/
            4:memory:/process_api/abc
            3:cpuset:/
            2:cpuacct:/
            1:cpu:/
            0::/
            """;

    private static final String V2_MOUNTINFO = """
            22 1 0:21 / /sys rw,nosuid,nodev,noexec,relatime shared:2 - sysfs sysfs rw
            27 22 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot
            """;

    private static final String V1_COMOUNTED_MOUNTINFO = """
            25 1 0:23 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:9 - tmpfs tmpfs ro,mode=755
            27 25 0:25 / /sys/fs/cgroup/systemd rw,nosuid,nodev,noexec,relatime shared:10 - cgroup cgroup rw,xattr,name=systemd
            30 25 0:28 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid,nodev,noexec,relatime shared:13 - cgroup cgroup rw,cpu,cpuacct
            31 25 0:29 / /sys/fs/cgroup/memory rw,nosuid,nodev,noexec,relatime shared:14 - cgroup cgroup rw,memory
            32 25 0:30 / /sys/fs/cgroup/pids rw,nosuid,nodev,noexec,relatime shared:15 - cgroup cgroup rw,pids
            """;

    private static Function<Path, Optional<String>> files(Map<String, String> contents) {
        return p -> Optional.ofNullable(contents.get(p.toString()));
    }

    @Test
    @DisplayName("a hybrid host: v1 memory with the JVM's own cgroup, cgroup2 without controllers")
    void shouldDetectHybrid() {
        // given
        var readFile = files(Map.of("/sys/fs/cgroup/unified/cgroup.controllers", "hugetlb\n"));

        // when
        CgroupLayout layout = CgroupLayout.parse(HYBRID_MOUNTINFO, HYBRID_SELF_CGROUP, readFile);

        // then
        assertThat(layout.mode()).isEqualTo(CgroupMode.HYBRID);
        assertThat(layout.v2Mount()).isEqualTo(Path.of("/sys/fs/cgroup/unified"));
        assertThat(layout.v2Own()).isEqualTo(Path.of("/sys/fs/cgroup/unified"));
        assertThat(layout.v2Controllers()).containsExactly("hugetlb");
        assertThat(layout.v1Own()).contains(
                entry("memory", Path.of("/sys/fs/cgroup/memory/process_api/abc")),
                entry("cpu", Path.of("/sys/fs/cgroup/cpu")),
                entry("cpuacct", Path.of("/sys/fs/cgroup/cpuacct")),
                entry("pids", Path.of("/sys/fs/cgroup/pids")),
                entry("freezer", Path.of("/sys/fs/cgroup/freezer")),
                entry("blkio", Path.of("/sys/fs/cgroup/blkio")),
                entry("devices", Path.of("/sys/fs/cgroup/devices")));   // the device cgroup of containers
        assertThat(layout.v1Own()).doesNotContainKeys("cpuset", "name=systemd");
        assertThat(layout.v1Mounts()).containsEntry("memory", Path.of("/sys/fs/cgroup/memory"));
    }

    @Test
    @DisplayName("a pure v2 host: the JVM's own cgroup below the cgroup2 mount, with its controllers")
    void shouldDetectPureV2() {
        // given
        String self = "0::/user.slice/user-1000.slice/session-3.scope\n";
        var readFile = files(Map.of(
                "/sys/fs/cgroup/user.slice/user-1000.slice/session-3.scope/cgroup.controllers",
                "cpuset cpu io memory hugetlb pids rdma misc\n"));

        // when
        CgroupLayout layout = CgroupLayout.parse(V2_MOUNTINFO, self, readFile);

        // then
        assertThat(layout.mode()).isEqualTo(CgroupMode.V2);
        assertThat(layout.v2Mount()).isEqualTo(Path.of("/sys/fs/cgroup"));
        assertThat(layout.v2Own()).isEqualTo(Path.of("/sys/fs/cgroup/user.slice/user-1000.slice/session-3.scope"));
        assertThat(layout.v2Controllers())
                .containsExactly("cpuset", "cpu", "io", "memory", "hugetlb", "pids", "rdma", "misc");
        assertThat(layout.v1Own()).isEmpty();
    }

    @Test
    @DisplayName("a pure v2 host whose cgroup.controllers cannot be read is still v2, without controllers")
    void shouldDetectV2WithoutControllers() {
        // when
        CgroupLayout layout = CgroupLayout.parse(V2_MOUNTINFO, "0::/\n", p -> Optional.empty());

        // then
        assertThat(layout.mode()).isEqualTo(CgroupMode.V2);
        assertThat(layout.v2Own()).isEqualTo(Path.of("/sys/fs/cgroup"));
        assertThat(layout.v2Controllers()).isEmpty();
    }

    @Test
    @DisplayName("a pure v1 host with cpu,cpuacct co-mounted: both controllers resolve to the same directory")
    void shouldDetectPureV1WithCoMountedControllers() {
        // given
        String self = """
                5:pids:/user.slice/user-1000.slice
                4:memory:/user.slice/user-1000.slice
                3:cpu,cpuacct:/user.slice
                1:name=systemd:/user.slice/user-1000.slice/session-1.scope
                0::/user.slice/user-1000.slice/session-1.scope
                """;

        // when
        CgroupLayout layout = CgroupLayout.parse(V1_COMOUNTED_MOUNTINFO, self, p -> Optional.empty());

        // then
        assertThat(layout.mode()).isEqualTo(CgroupMode.V1);
        assertThat(layout.v2Mount()).isNull();
        assertThat(layout.v2Own()).isNull();
        Path cpuDir = Path.of("/sys/fs/cgroup/cpu,cpuacct/user.slice");
        assertThat(layout.v1Own()).containsEntry("cpu", cpuDir).containsEntry("cpuacct", cpuDir)
                .containsEntry("memory", Path.of("/sys/fs/cgroup/memory/user.slice/user-1000.slice"))
                .containsEntry("pids", Path.of("/sys/fs/cgroup/pids/user.slice/user-1000.slice"));
        assertThat(layout.v1Mounts()).containsEntry("cpu", Path.of("/sys/fs/cgroup/cpu,cpuacct"))
                .containsEntry("cpuacct", Path.of("/sys/fs/cgroup/cpu,cpuacct"));
    }

    @Test
    @DisplayName("a mount whose root is not / (a container without a cgroup namespace) strips that root")
    void shouldStripTheMountRoot() {
        // given: docker with cgroupns=host bind-mounts its own cgroup on /sys/fs/cgroup
        String mountinfo = "1234 1200 0:26 /docker/abc /sys/fs/cgroup ro,nosuid,nodev,noexec,relatime - cgroup2 cgroup rw\n";
        var readFile = files(Map.of(
                "/sys/fs/cgroup/cgroup.controllers", "cpu memory pids",
                "/sys/fs/cgroup/job/cgroup.controllers", "cpu memory pids"));

        // when
        CgroupLayout atRoot = CgroupLayout.parse(mountinfo, "0::/docker/abc\n", readFile);
        CgroupLayout below = CgroupLayout.parse(mountinfo, "0::/docker/abc/job\n", readFile);

        // then
        assertThat(atRoot.v2Own()).isEqualTo(Path.of("/sys/fs/cgroup"));
        assertThat(atRoot.mode()).isEqualTo(CgroupMode.V2);
        assertThat(below.v2Own()).isEqualTo(Path.of("/sys/fs/cgroup/job"));
    }

    @Test
    @DisplayName("a v1 mount whose root is not / strips that root, but only at a path boundary")
    void shouldStripAV1MountRootOnlyAtABoundary() {
        // given
        String mountinfo = "900 800 0:32 /docker/abc /sys/fs/cgroup/memory ro,relatime - cgroup cgroup rw,memory\n";

        // when
        CgroupLayout inside = CgroupLayout.parse(mountinfo, "4:memory:/docker/abc/x\n", p -> Optional.empty());
        CgroupLayout sibling = CgroupLayout.parse(mountinfo, "4:memory:/docker/abcdef\n", p -> Optional.empty());

        // then
        assertThat(inside.mode()).isEqualTo(CgroupMode.V1);
        assertThat(inside.v1Own()).containsEntry("memory", Path.of("/sys/fs/cgroup/memory/x"));
        assertThat(sibling.v1Own().get("memory")).isNotEqualTo(Path.of("/sys/fs/cgroup/memory/def"));
    }

    @Test
    @DisplayName("an escaped mount point (\\040 for a space) is unescaped")
    void shouldUnescapeMountPoints() {
        // given
        String mountinfo = "41 31 0:38 / /mnt/my\\040cgroups rw,relatime - cgroup2 cgroup2 rw\n";

        // when
        CgroupLayout layout = CgroupLayout.parse(mountinfo, "0::/a\\040b\n", p -> Optional.empty());

        // then
        assertThat(layout.v2Mount()).isEqualTo(Path.of("/mnt/my cgroups"));
        assertThat(CgroupLayout.unescape("/mnt/my\\040cgroups")).isEqualTo("/mnt/my cgroups");
        assertThat(CgroupLayout.unescape("a\\011b\\012c\\134d")).isEqualTo("a\tb\nc\\d");
        assertThat(CgroupLayout.unescape("end\\040")).isEqualTo("end ");
    }

    @Test
    @DisplayName("unescape keeps what is not an octal escape")
    void shouldKeepNonEscapes() {
        assertThat(CgroupLayout.unescape("/plain/path")).isEqualTo("/plain/path");
        assertThat(CgroupLayout.unescape("a\\x41b")).isEqualTo("a\\x41b");
        assertThat(CgroupLayout.unescape("short\\04")).isEqualTo("short\\04");
    }

    @Test
    @DisplayName("no cgroup mount at all is a CgroupException that says what to mount")
    void shouldRefuseAHostWithoutCgroups() {
        // given
        String mountinfo = """
                22 1 0:21 / /sys rw,nosuid,nodev,noexec,relatime shared:2 - sysfs sysfs rw
                23 1 0:22 / /proc rw,nosuid,nodev,noexec,relatime shared:3 - proc proc rw
                31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
                """;

        // when / then
        assertThatThrownBy(() -> CgroupLayout.parse(mountinfo, "0::/\n", p -> Optional.empty()))
                .isInstanceOf(CgroupException.class)
                .hasMessageContaining("no cgroup hierarchy found in /proc/self/mountinfo")
                .hasMessageContaining("mount cgroup2");
    }
}
