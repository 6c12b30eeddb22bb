package io.alicecontainer.iouring;

import static org.assertj.core.api.Assertions.assertThat;

import io.alicecontainer.internal.Errno;
import io.alicecontainer.internal.SyscallException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Why io_uring is unavailable, in words")
class IoUringProbeTests {
    private static final String EPERM = "io_uring_setup(2) failed: EPERM (Operation not permitted) [entries=64, flags=0x180]";

    @Test
    @DisplayName("sysctl kernel.io_uring_disabled=2 is named as the cause of EPERM")
    void sysctlDisabled() {
        assertThat(IoUringProbe.reasonFor(eperm(), "2", "0"))
                .isEqualTo(EPERM + ": sysctl kernel.io_uring_disabled=2 disables io_uring for every process");
    }

    @Test
    @DisplayName("kernel.io_uring_disabled=1 points at io_uring_group, and at seccomp when a filter is on")
    void sysctlGroupOnly() {
        assertThat(IoUringProbe.reasonFor(eperm(), "1", "2")).startsWith(EPERM + ": sysctl kernel.io_uring_disabled=1 allows io_uring only")
                .endsWith("also, this thread runs under a seccomp filter (Seccomp: 2 in /proc/thread-self/status)");
    }

    @Test
    @DisplayName("EPERM with the sysctl at 0 under a seccomp filter blames the filter")
    void seccomp() {
        assertThat(IoUringProbe.reasonFor(eperm(), "0", "2")).isEqualTo(EPERM
                + ": this thread runs under a seccomp filter (Seccomp: 2 in /proc/thread-self/status) that refuses io_uring"
                + " (container runtimes' default profiles do)");
    }

    @Test
    @DisplayName("ENOSYS means a kernel without io_uring, or a filter that hides it")
    void enosys() {
        SyscallException e = new SyscallException("io_uring_setup(2)", Errno.ENOSYS, "entries=64, flags=0x180");
        assertThat(IoUringProbe.reasonFor(e, null, "0")).endsWith(": the kernel has no io_uring (CONFIG_IO_URING off)");
        assertThat(IoUringProbe.reasonFor(e, null, "2")).endsWith("or this thread runs under a seccomp filter (Seccomp: 2 in /proc/thread-self/status) that hides it");
    }

    @Test
    @DisplayName("feature bits are named as in io_uring.h")
    void featureNames() {
        assertThat(IoUringAbi.featureNames(0b1_0000_0000_1001)).containsExactly("SINGLE_MMAP", "RW_CUR_POS", "LINKED_FILE");
        assertThat(IoUringAbi.featureNames(1 << 30)).containsExactly("bit 30");
    }

    private static SyscallException eperm() {
        return new SyscallException("io_uring_setup(2)", Errno.EPERM, "entries=64, flags=0x180");
    }
}
