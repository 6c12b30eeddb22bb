package io.alicecontainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Set;

import io.alicecontainer.clone3.SpawnShim;
import io.alicecontainer.security.Capability;
import io.alicecontainer.security.Seccomp;
import io.alicecontainer.testing.RequiresRoot;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What a container's processes hold by default, and each way to relax it. */
@RequiresRoot
@DisplayName("Container privileges")
class ContainerPrivilegesTests {

    private static ExecResult run(ContainerConfig.Builder config, String script) {
        try (Container c = Container.create("priv-" + ProcessHandle.current().pid(), config.build())) {
            return c.exec("sh", "-c", script);
        }
    }

    private static long capEff(ExecResult r) {
        String line = r.stdout().lines().filter(l -> l.startsWith("CapEff:")).findFirst().orElseThrow();
        return Long.parseUnsignedLong(line.substring(7).trim(), 16);
    }

    @Test
    @DisplayName("by default: the OCI capability set in every set, none inheritable or ambient, no_new_privs, a seccomp filter")
    void defaults() {
        ExecResult r = run(ContainerConfig.builder(), "grep -E '^(Cap|NoNewPrivs|Seccomp:)' /proc/self/status");

        long expected = Capability.mask(Capability.defaults());
        assertThat(capEff(r)).as(r.stdout()).isEqualTo(expected);
        assertThat(r.stdout()).contains(String.format("CapBnd:\t%016x", expected), String.format("CapPrm:\t%016x", expected),
                "CapInh:\t0000000000000000", "CapAmb:\t0000000000000000", "NoNewPrivs:\t1", "Seccomp:\t2");
        assertThat(expected & (1L << Capability.SYS_ADMIN.number())).isZero();
        assertThat(expected & (1L << Capability.MKNOD.number())).isZero();
    }

    @Test
    @DisplayName("capabilities(...) keeps exactly what it names; none at all is possible")
    void capabilities() {
        ExecResult plus = run(ContainerConfig.builder().capabilities(Capability.defaults(), Capability.SYS_PTRACE),
                "grep CapEff /proc/self/status");
        ExecResult none = run(ContainerConfig.builder().capabilities(), "grep CapEff /proc/self/status; chown 1 /tmp; echo chown=$?");

        assertThat(capEff(plus)).isEqualTo(Capability.mask(Capability.defaults()) | (1L << Capability.SYS_PTRACE.number()));
        assertThat(capEff(none)).isZero();
        assertThat(none.stdout()).contains("chown=1");
    }

    @Test
    @DisplayName("privileged() keeps every capability, no filter, nothing masked")
    void privileged() {
        ExecResult r = run(ContainerConfig.builder().privileged(),
                "grep -E '^(CapEff|NoNewPrivs|Seccomp:)' /proc/self/status; grep -c . /proc/keys || true");

        assertThat(r.stdout()).contains("NoNewPrivs:\t0", "Seccomp:\t0");
        assertThat(capEff(r) & (1L << Capability.SYS_ADMIN.number())).isNotZero();
        assertThat(ContainerConfig.builder().privileged().build().privileged()).isTrue();
        assertThat(ContainerConfig.builder().build().privileged()).isFalse();
    }

    @Test
    @DisplayName("the default seccomp profile answers EPERM, clone3 ENOSYS; allowing(...) lifts one rule")
    void seccompProfile() {
        String py = "import ctypes, errno, os; libc = ctypes.CDLL(None, use_errno=True); "
                + "r = libc.syscall(%d, 0, 0); print(r, errno.errorcode.get(ctypes.get_errno()))";
        boolean arm = System.getProperty("os.arch").contains("aarch64");
        int unshare = arm ? 97 : 272;
        int clone3 = 435;
        ContainerConfig.Builder plain = ContainerConfig.builder().capabilities(Capability.defaults(), Capability.SYS_ADMIN);

        ExecResult refused = run(plain, "python3 -c '" + String.format(py, unshare) + "'; python3 -c '" + String.format(py, clone3) + "'");
        ExecResult allowed = run(ContainerConfig.builder().capabilities(Capability.defaults(), Capability.SYS_ADMIN)
                .seccomp(Seccomp.defaultProfile().allowing("unshare")), "python3 -c '" + String.format(py, unshare) + "'");

        // unshare(0) needs no privilege at all: only the filter refuses it.
        assertThat(refused.stdout().lines().toList()).as(refused.stderr()).containsExactly("-1 EPERM", "-1 ENOSYS");
        assertThat(allowed.stdout().trim()).as(allowed.stderr()).startsWith("0 ");
        assertThatThrownBy(() -> Seccomp.defaultProfile().allowing("read"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("`read` is not restricted");
    }

    @Test
    @DisplayName("the Java list of the default profile names every call the shim's profile restricts")
    void profileInSync() {
        assertThat(Seccomp.DEFAULT_DENIED).containsAll(SpawnShim.seccompProfileNames());
        assertThat(SpawnShim.seccompProfileNames()).contains("mount", "bpf", "init_module", "clone3", "personality");
    }

    @Test
    @DisplayName("a custom BPF program is installed as it is")
    void customFilter() {
        // A = nr; nr == getppid ? EPERM-like errno 13 : allow (x86_64 110, aarch64 173).
        int getppid = System.getProperty("os.arch").contains("aarch64") ? 173 : 110;
        ByteBuffer b = ByteBuffer.allocate(32).order(ByteOrder.nativeOrder());
        b.putShort((short) 0x20).put((byte) 0).put((byte) 0).putInt(0);
        b.putShort((short) 0x15).put((byte) 0).put((byte) 1).putInt(getppid);
        b.putShort((short) 0x06).put((byte) 0).put((byte) 0).putInt(0x0005_0000 | 13);
        b.putShort((short) 0x06).put((byte) 0).put((byte) 0).putInt(0x7fff_0000);

        ExecResult r = run(ContainerConfig.builder().seccomp(Seccomp.custom(b.array())),
                "python3 -c 'import ctypes; l = ctypes.CDLL(None, use_errno=True); print(l.syscall(" + getppid + "), ctypes.get_errno())'");

        assertThat(r.stdout().trim()).as(r.stderr()).isEqualTo("-1 13");
    }

    @Test
    @DisplayName("runc's masked paths read empty, its read-only paths refuse writes")
    void maskedAndReadOnly() {
        ExecResult r = run(ContainerConfig.builder(), "cat /proc/keys /proc/timer_list | wc -c; ls /proc/acpi 2>/dev/null | wc -l; "
                + "echo 1 > /proc/sys/kernel/ns_last_pid; echo sys=$?");

        assertThat(r.stdout().lines().toList()).as(r.stderr()).containsExactly("0", "0", "sys=2");
        assertThat(r.stderr()).contains("Read-only file system");
    }

    @Test
    @DisplayName("masked paths and /dev are read-only mounts: the host's device nodes keep their owner, mode and times; I/O still works")
    void maskedPathsAndDevAreReadOnly() {
        ExecResult r = run(ContainerConfig.builder(), "touch /dev/null; echo touch=$?; chmod 0666 /dev/zero; echo chmod=$?; "
                + "echo x > /dev/null; echo write=$?; head -c 4 /dev/zero | wc -c; echo x > /dev/shm/f; echo shm=$?; "
                + "mkdir /proc/acpi/x 2>/dev/null; echo acpi=$?; "
                + "grep -E ' /(dev|proc/keys|proc/timer_list|proc/acpi|proc/sys) ' /proc/self/mountinfo | awk '{print $5, $6}'");

        assertThat(r.stdout().lines().toList()).as(r.stderr()).startsWith("touch=1", "chmod=1", "write=0", "4", "shm=0", "acpi=1");
        // Every masked and read-only mount, and /dev, carries "ro" in its mount options.
        assertThat(r.stdout().lines().skip(6).toList()).as(r.stdout()).hasSizeGreaterThanOrEqualTo(3)
                .allSatisfy(line -> assertThat(line.split(" ")[1].split(",")).contains("ro"));
        assertThat(r.stderr()).contains("Read-only file system");
    }

    @Test
    @DisplayName("a caller's writable bind into the read-only /dev still works")
    void bindIntoReadOnlyDev(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws java.io.IOException {
        java.nio.file.Path file = java.nio.file.Files.writeString(dir.resolve("disk"), "");
        ExecResult r = run(ContainerConfig.builder().bind(new io.alicecontainer.rootfs.Bind(file, java.nio.file.Path.of("/dev/alice-disk"), false)),
                "echo written > /dev/alice-disk; echo rc=$?; touch /dev/other; echo touch=$?");

        assertThat(r.stdout().lines().toList()).as(r.stderr()).containsExactly("rc=0", "touch=1");
        assertThat(java.nio.file.Files.readString(file)).isEqualTo("written\n");
    }

    @Test
    @DisplayName("with the host root: masked directories are one read-only empty tmpfs, masked files /dev/null, /proc/sys read-only")
    void hostRootMasks() {
        ExecResult r = run(ContainerConfig.builder().rootfs(io.alicecontainer.rootfs.RootFs.hostRoot()),
                "cat /proc/keys /proc/timer_list | wc -c; find /proc/acpi /sys/firmware -mindepth 1 | wc -l; "
                + "mkdir /proc/acpi/x /sys/firmware/x 2>/dev/null; echo mkdir=$?; echo 1 > /proc/sys/kernel/ns_last_pid; echo sys=$?");

        assertThat(r.stdout().lines().toList()).as(r.stderr()).containsExactly("0", "0", "mkdir=1", "sys=2");
    }

    @Test
    @DisplayName("speculationMitigations(false) installs the same filter (with SECCOMP_FILTER_FLAG_SPEC_ALLOW)")
    void speculationAllowed() {
        ExecResult r = run(ContainerConfig.builder().speculationMitigations(false),
                "grep -E '^Seccomp:' /proc/self/status; unshare -U true; echo unshare=$?");

        assertThat(r.stdout().lines().toList()).as(r.stderr()).containsExactly("Seccomp:\t2", "unshare=1");
        assertThat(ContainerConfig.builder().build().speculationMitigations()).isTrue();
    }

    @Test
    @DisplayName("the private /tmp and /dev/shm are limited to tmpSize")
    void tmpSize() {
        ExecResult r = run(ContainerConfig.builder().tmpSize("1M"),
                "head -c 2M /dev/zero > /tmp/f; echo tmp=$?; head -c 2M /dev/zero > /dev/shm/f; echo shm=$?; df -k /tmp | tail -1");

        assertThat(r.stdout()).contains("tmp=1", "shm=1");
        assertThat(r.stderr()).contains("No space left on device");
        assertThat(ContainerConfig.builder().build().tmpSize()).isEqualTo(ContainerConfig.DEFAULT_TMP_SIZE);
        assertThatThrownBy(() -> ContainerConfig.builder().tmpSize(0)).hasMessageContaining("tmpSize must be positive");
    }

    @Test
    @DisplayName("capabilities are named as capabilities(7) or Docker's --cap-add write them")
    void capabilityNames() {
        assertThat(Set.of(Capability.parse("cap_sys_ptrace"), Capability.parse(" SYS_ADMIN "))).containsExactlyInAnyOrder(
                Capability.SYS_PTRACE, Capability.SYS_ADMIN);
        assertThatThrownBy(() -> Capability.parse("SYS_EVERYTHING")).hasMessageContaining("is not a Linux capability");
    }
}
