package io.alicecontainer.rootfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

import io.alicecontainer.clone3.MountOp;
import io.alicecontainer.clone3.MountOp.Kind;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mount steps planned for each RootFs; nothing is mounted. */
@DisplayName("MountPlan turns a RootFs into mount steps")
class MountPlanTests {

    // <sys/mount.h>
    private static final long MS_RDONLY = 1;
    private static final long MS_NOSUID = 2;
    private static final long MS_NODEV = 4;
    private static final long MS_NOEXEC = 8;
    private static final long MS_REMOUNT = 32;
    // alice_spawn.c BIND_*
    private static final long BIND_REC = 1;
    private static final long BIND_RDONLY = 2;
    private static final long BIND_MKDIR = 4;

    private static MountOp find(List<MountOp> ops, Kind kind, String b) {
        return ops.stream().filter(o -> o.kind() == kind && b.equals(o.b())).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " onto " + b + " in " + describe(ops)));
    }

    private static List<String> describe(List<MountOp> ops) {
        return ops.stream().map(MountOp::description).toList();
    }

    @Test
    @DisplayName("the host root: / made private and a fresh /proc, nothing else")
    void shouldPlanHostRoot() {
        // when
        List<MountOp> ops = MountPlan.build(RootFs.hostRoot(), "box", List.of(), null);

        // then
        assertThat(ops).extracting(MountOp::kind, MountOp::a, MountOp::b, MountOp::c, MountOp::flags)
                .containsExactly(
                        tuple(Kind.MAKE_RPRIVATE, "/", null, null, 0L),
                        tuple(Kind.MOUNT, "proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC));
        assertThat(describe(ops)).containsExactly("making / private (mount --make-rprivate /)", "mount of proc on /proc");
    }

    @Test
    @DisplayName("the host root with a bind: bound at its own path, writable as asked")
    void shouldPlanHostRootWithBind(@TempDir Path dir) {
        // given
        Bind bind = Bind.writable(dir);

        // when
        List<MountOp> ops = MountPlan.build(RootFs.hostRoot(), null, List.of(bind), null);

        // then
        assertThat(ops).hasSize(3);
        assertThat(ops.get(2)).extracting(MountOp::kind, MountOp::a, MountOp::b, MountOp::flags)
                .containsExactly(Kind.BIND, dir.toString(), dir.toString(), BIND_REC | BIND_MKDIR);
        assertThat(ops.get(2).description()).isEqualTo("bind mount of " + dir + " onto " + dir);
    }

    @Test
    @DisplayName("the host view: private /, staging pivot, read-only /usr, tmpfs /tmp, fresh /proc, last a pivot into /newroot")
    void shouldPlanHostView() {
        // when
        List<MountOp> ops = MountPlan.build(RootFs.hostView(), null, List.of(), null);

        // then: the staging root, as bubblewrap builds it
        assertThat(ops.get(0).kind()).isEqualTo(Kind.MAKE_RPRIVATE);
        assertThat(ops.subList(1, 6)).extracting(MountOp::kind, MountOp::a, MountOp::b)
                .containsExactly(
                        tuple(Kind.MOUNT, "tmpfs", "/tmp"),
                        tuple(Kind.MKDIR, "/tmp/oldroot", null),
                        tuple(Kind.PIVOT_ROOT, "/tmp", "oldroot"),
                        tuple(Kind.CHDIR, "/", null),
                        tuple(Kind.MOUNT, "tmpfs", "/newroot"));
        // and the last step enters the new root, detaching the old one
        MountOp last = ops.get(ops.size() - 1);
        assertThat(last).extracting(MountOp::kind, MountOp::a, MountOp::b, MountOp::description)
                .containsExactly(Kind.PIVOT_ROOT, "/newroot", null, "pivot_root into /newroot");
        assertThat(ops).filteredOn(o -> o.kind() == Kind.PIVOT_ROOT).hasSize(2);

        MountOp usr = find(ops, Kind.BIND, "/newroot/usr");
        assertThat(usr.a()).isEqualTo("/oldroot/usr");
        assertThat(usr.flags()).isEqualTo(BIND_REC | BIND_RDONLY | BIND_MKDIR);
        assertThat(usr.description()).isEqualTo("read-only bind mount of /oldroot/usr onto /newroot/usr");

        MountOp tmp = find(ops, Kind.MOUNT, "/newroot/tmp");
        assertThat(tmp).extracting(MountOp::a, MountOp::c, MountOp::d, MountOp::flags)
                .containsExactly("tmpfs", "tmpfs", "mode=1777", MS_NOSUID | MS_NODEV);
        MountOp proc = find(ops, Kind.MOUNT, "/newroot/proc");
        assertThat(proc).extracting(MountOp::a, MountOp::c, MountOp::flags)
                .containsExactly("proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC);
        assertThat(find(ops, Kind.MOUNT, "/newroot/dev").c()).isEqualTo("tmpfs");
        assertThat(find(ops, Kind.SYMLINK, "/newroot/dev/fd").a()).isEqualTo("/proc/self/fd");

        // the new root itself is made read-only just before the pivot
        MountOp remount = ops.get(ops.size() - 2);
        assertThat(remount).extracting(MountOp::kind, MountOp::a, MountOp::b, MountOp::flags)
                .containsExactly(Kind.MOUNT, null, "/newroot", MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV);

        // no hostname, no hostname files
        assertThat(ops).noneMatch(o -> o.kind() == Kind.WRITE_FILE);
    }

    @Test
    @DisplayName("the host view keeps the host's top-level symlinks as symlinks (merged /usr)")
    void shouldKeepHostSymlinks() throws Exception {
        // when
        List<MountOp> ops = MountPlan.build(RootFs.hostView(), null, List.of(), null);

        // then
        for (String name : List.of("bin", "sbin", "lib", "lib64", "etc", "opt")) {
            Path host = Path.of("/", name);
            if (Files.isSymbolicLink(host)) {
                assertThat(find(ops, Kind.SYMLINK, "/newroot/" + name).a())
                        .isEqualTo(Files.readSymbolicLink(host).toString());
            } else if (Files.isDirectory(host, LinkOption.NOFOLLOW_LINKS)) {
                assertThat(find(ops, Kind.BIND, "/newroot/" + name).flags() & BIND_RDONLY).isEqualTo(BIND_RDONLY);
            } else {
                assertThat(ops).noneMatch(o -> ("/newroot/" + name).equals(o.b()));
            }
        }
    }

    @Test
    @DisplayName("with a hostname, /hostname and /hosts are written in the staging root")
    void shouldWriteHostnameFiles() {
        // when
        List<MountOp> ops = MountPlan.build(RootFs.hostView(), "box", List.of(), null);

        // then
        assertThat(ops).filteredOn(o -> o.kind() == Kind.WRITE_FILE)
                .extracting(MountOp::a, MountOp::b, MountOp::flags, MountOp::description)
                .containsExactly(
                        tuple("/hostname", "box\n", 0644L, "writing /hostname"),
                        tuple("/hosts", "127.0.0.1\tlocalhost\n127.0.1.1\tbox\n::1\tlocalhost ip6-localhost ip6-loopback\n",
                                0644L, "writing /hosts"));
        if (Files.isRegularFile(Path.of("/etc/hostname"))) {
            assertThat(find(ops, Kind.BIND, "/newroot/etc/hostname").a()).isEqualTo("/hostname");
        }
        if (Files.isRegularFile(Path.of("/etc/hosts"))) {
            assertThat(find(ops, Kind.BIND, "/newroot/etc/hosts").a()).isEqualTo("/hosts");
        }
    }

    @Test
    @DisplayName("a JDK outside the host view's directories is bound read-only; one inside is not bound again")
    void shouldBindJavaHomeOnlyWhenNotCovered() {
        // when
        List<MountOp> outside = MountPlan.build(RootFs.hostView(), null, List.of(), Path.of("/srv/jdk-17"));
        List<MountOp> inside = MountPlan.build(RootFs.hostView(), null, List.of(), Path.of("/usr/lib/jvm/java-17"));

        // then
        assertThat(find(outside, Kind.BIND, "/newroot/srv/jdk-17"))
                .extracting(MountOp::a, MountOp::flags)
                .containsExactly("/oldroot/srv/jdk-17", BIND_REC | BIND_RDONLY | BIND_MKDIR);
        assertThat(inside).noneMatch(o -> "/newroot/usr/lib/jvm/java-17".equals(o.b()));
        assertThat(MountPlan.coveredByHostView(Path.of("/opt/jdk"))).isTrue();
        assertThat(MountPlan.coveredByHostView(Path.of("/home/me/jdk"))).isFalse();
        assertThat(MountPlan.coveredByHostView(Path.of("/"))).isFalse();
    }

    @Test
    @DisplayName("a rootfs directory is an overlay of /oldroot<dir> on /newroot, then gets /tmp and /proc, and ends read-only")
    void shouldPlanDirectory(@TempDir Path dir) throws Exception {
        // given
        for (String d : List.of("proc", "dev", "tmp")) Files.createDirectories(dir.resolve(d));
        RootFs rootfs = RootFs.directory(dir);
        String real = dir.toRealPath().toString();

        // when
        List<MountOp> ops = MountPlan.build(rootfs, "box", List.of(), null);

        // then
        MountOp root = ops.stream().filter(o -> o.kind() == Kind.MOUNT && "overlay".equals(o.c())).findFirst().orElseThrow();
        assertThat(root).extracting(MountOp::b, MountOp::d)
                .containsExactly("/newroot", "lowerdir=/oldroot" + real + ",upperdir=/upper,workdir=/work");
        assertThat(ops.indexOf(root)).isLessThan(ops.indexOf(find(ops, Kind.MOUNT, "/newroot/tmp")));
        assertThat(find(ops, Kind.MOUNT, "/newroot/proc").c()).isEqualTo("proc");
        MountOp readOnly = ops.get(ops.size() - 2);
        assertThat(readOnly.b()).isEqualTo("/newroot");
        assertThat(readOnly.flags() & 1).as("MS_RDONLY").isEqualTo(1);
        assertThat(ops).noneMatch(o -> o.b() != null && o.b().equals("/newroot/usr"));
        // the directory has no etc/hostname: the file is written but not bound
        assertThat(ops).anyMatch(o -> o.kind() == Kind.WRITE_FILE && "/hostname".equals(o.a()));
        assertThat(ops).noneMatch(o -> "/newroot/etc/hostname".equals(o.b()));
        assertThat(ops.get(ops.size() - 1)).extracting(MountOp::kind, MountOp::a)
                .containsExactly(Kind.PIVOT_ROOT, "/newroot");
    }

    @Test
    @DisplayName("a rootfs directory with etc/hostname and etc/hosts gets the container's own bound over them")
    void shouldBindHostnameFilesIntoADirectory(@TempDir Path dir) throws Exception {
        // given
        for (String d : List.of("proc", "dev", "tmp", "etc")) Files.createDirectories(dir.resolve(d));
        Files.writeString(dir.resolve("etc/hostname"), "image\n");
        Files.writeString(dir.resolve("etc/hosts"), "127.0.0.1 localhost\n");

        // when
        List<MountOp> ops = MountPlan.build(RootFs.directory(dir), "box", List.of(), null);

        // then
        assertThat(find(ops, Kind.BIND, "/newroot/etc/hostname").a()).isEqualTo("/hostname");
        assertThat(find(ops, Kind.BIND, "/newroot/etc/hosts").a()).isEqualTo("/hosts");
    }

    @Test
    @DisplayName("extra binds in the host view come from /oldroot and land below /newroot")
    void shouldPlanBindsInTheHostView(@TempDir Path dir) throws Exception {
        // given
        Path file = Files.writeString(dir.resolve("data.txt"), "x");
        Bind dirBind = Bind.writable(dir);
        Bind fileBind = new Bind(file, Path.of("/data.txt"), true);

        // when
        List<MountOp> ops = MountPlan.build(RootFs.hostView(), null, List.of(dirBind, fileBind), null);

        // then
        assertThat(find(ops, Kind.BIND, "/newroot" + dir)).extracting(MountOp::a, MountOp::flags)
                .containsExactly("/oldroot" + dir, BIND_REC | BIND_MKDIR);
        assertThat(find(ops, Kind.BIND, "/newroot/data.txt")).extracting(MountOp::a, MountOp::flags)
                .containsExactly("/oldroot" + file, 8L | BIND_RDONLY);
    }
    @Test
    @DisplayName("protected: /proc/sys and friends bound read-only, /dev read-only, /proc/keys under its /dev/null, /proc/acpi empty, /tmp limited")
    void shouldProtectKernelInterfaces() {
        // when
        List<MountOp> ops = MountPlan.build(RootFs.hostView(), null, List.of(), null, null, new MountPlan.Protection(true, 1L << 20));

        // then
        assertThat(find(ops, Kind.BIND, "/newroot/proc/sys").flags() & BIND_RDONLY).isEqualTo(BIND_RDONLY);
        assertThat(find(ops, Kind.BIND, "/newroot/proc/sys").a()).isEqualTo("/newroot/proc/sys");
        assertThat(find(ops, Kind.BIND, "/newroot/proc/sys").flags() & (BIND_MKDIR | BIND_REC)).as("no mkdir, not recursive").isZero();
        // /dev is made read-only with its device binds before /dev/shm goes on top ...
        int devReadOnly = indexOf(ops, Kind.READ_ONLY, "/newroot/dev");
        assertThat(devReadOnly).isPositive().isLessThan(indexOf(ops, Kind.MOUNT, "/newroot/dev/shm"));
        assertThat(indexOf(ops, Kind.BIND, "/newroot/dev/null")).isLessThan(devReadOnly);
        if (Files.exists(Path.of("/proc/keys"))) {
            // ... so that a plain bind of its /dev/null is read-only already: one call, not two.
            MountOp keys = find(ops, Kind.BIND, "/newroot/proc/keys");
            assertThat(keys.a()).isEqualTo("/newroot/dev/null");
            assertThat(keys.flags()).isZero();
            assertThat(ops.indexOf(keys)).isGreaterThan(devReadOnly);
        }
        if (Files.isDirectory(Path.of("/proc/acpi"))) {
            MountOp acpi = find(ops, Kind.BIND, "/newroot/proc/acpi");
            assertThat(acpi.a()).isEqualTo("/empty");
            assertThat(acpi.flags()).isEqualTo(BIND_RDONLY); // not recursive
        }
        assertThat(find(ops, Kind.MOUNT, "/newroot/tmp").d()).isEqualTo("mode=1777,size=1048576");
        // All of it before the last pivot into the new root.
        assertThat(ops.get(ops.size() - 1).kind()).isEqualTo(Kind.PIVOT_ROOT);
    }

    private static int indexOf(List<MountOp> ops, Kind kind, String path) {
        for (int i = 0; i < ops.size(); i++) {
            MountOp o = ops.get(i);
            if (o.kind() == kind && (path.equals(o.b()) || (o.b() == null && path.equals(o.a())))) return i;
        }
        return -1;
    }

    @Test
    @DisplayName("protected host root: the first masked directory gets an empty read-only tmpfs, the others a bind of it")
    void shouldMaskWithOneTmpfsOnTheHostRoot() {
        // when
        List<MountOp> ops = MountPlan.build(RootFs.hostRoot(), null, List.of(), null, null, new MountPlan.Protection(true, 0));

        // then
        List<String> maskedDirs = java.util.stream.Stream.of("/proc/acpi", "/proc/asound", "/proc/scsi", "/sys/firmware",
                "/sys/devices/virtual/powercap").filter(p -> Files.isDirectory(Path.of(p))).toList();
        assertThat(ops.stream().filter(o -> o.kind() == Kind.MOUNT && "tmpfs".equals(o.c())).map(MountOp::b).toList())
                .containsExactlyElementsOf(maskedDirs.isEmpty() ? List.of() : List.of(maskedDirs.get(0)));
        for (String dir : maskedDirs.subList(Math.min(1, maskedDirs.size()), maskedDirs.size())) {
            assertThat(find(ops, Kind.BIND, dir)).extracting(MountOp::a, MountOp::flags).containsExactly(maskedDirs.get(0), 0L);
        }
    }

    @Test
    @DisplayName("protected: the container's cgroup filesystems are mounted read-only; unprotected: writable")
    void shouldMountCgroupsReadOnly() {
        // given
        io.alicecontainer.cgroup.CgroupLayout layout = io.alicecontainer.cgroup.CgroupController.layout();

        // when
        List<MountOp> ro = MountPlan.build(RootFs.hostView(), null, List.of(), null, layout, new MountPlan.Protection(true, 0));
        List<MountOp> rw = MountPlan.build(RootFs.hostView(), null, List.of(), null, layout, MountPlan.Protection.NONE);

        // then
        List<MountOp> roCgroups = ro.stream().filter(o -> "cgroup".equals(o.c()) || "cgroup2".equals(o.c())).toList();
        assertThat(roCgroups).isNotEmpty().allSatisfy(o -> assertThat(o.flags() & MS_RDONLY).isEqualTo(MS_RDONLY));
        assertThat(rw.stream().filter(o -> "cgroup".equals(o.c()) || "cgroup2".equals(o.c())))
                .allSatisfy(o -> assertThat(o.flags() & MS_RDONLY).isZero());
    }
}
