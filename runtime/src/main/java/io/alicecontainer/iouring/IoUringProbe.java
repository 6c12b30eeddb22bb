package io.alicecontainer.iouring;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.alicecontainer.internal.Errno;
import io.alicecontainer.internal.Native;
import io.alicecontainer.internal.SyscallException;

/**
 * Whether io_uring works for this process, found out once by setting up (and closing) a ring, the
 * way netty's {@code IOUring.isAvailable()} does: the sysctl and seccomp cannot be read reliably
 * from inside, the kernel's answer can.
 */
final class IoUringProbe {
    /**
     * @param reason       why io_uring cannot be used, or null when it can
     * @param features     io_uring_params.features of the probe ring
     * @param directChains whether open/write/close chains on a direct descriptor work
     * @param setupFlags   the io_uring_setup flags the kernel accepted
     */
    record Result(String reason, int features, boolean directChains, int setupFlags) {
        boolean available() {
            return reason == null;
        }
    }

    private static volatile Result result;

    private IoUringProbe() {
    }

    static Result get() {
        Result r = result;
        if (r == null) {
            synchronized (IoUringProbe.class) {
                if (result == null) result = probe();
                r = result;
            }
        }
        return r;
    }

    private static Result probe() {
        if (!Native.isAvailable()) return new Result("native access is unavailable: " + Native.unavailabilityCause(), 0, false, 0);
        try (Ring ring = Ring.open()) {
            if ((ring.features() & IoUringAbi.IORING_FEAT_RW_CUR_POS) == 0) {
                return new Result("io_uring lacks IORING_FEAT_RW_CUR_POS (Linux < 5.6): its writes would not behave as write(2)",
                        ring.features(), false, ring.setupFlags());
            }
            return new Result(null, ring.features(), ring.supportsDirectChains(), ring.setupFlags());
        } catch (SyscallException e) {
            return new Result(reasonFor(e), 0, false, 0);
        } catch (RuntimeException | LinkageError e) {
            return new Result("io_uring could not be set up: " + e, 0, false, 0);
        }
    }

    /** Explains a failed set-up, for this thread: the kernel's words plus the likely cause. */
    static String reasonFor(SyscallException e) {
        return reasonFor(e, readTrimmed("/proc/sys/kernel/io_uring_disabled"), seccompMode());
    }

    /** As {@link #reasonFor(SyscallException)}, with the sysctl's value and the thread's seccomp mode given. */
    static String reasonFor(SyscallException e, String ioUringDisabled, String seccomp) {
        String msg = e.getMessage();
        boolean filtered = seccomp != null && !seccomp.equals("0");
        String seccompNote = filtered ? "this thread runs under a seccomp filter (Seccomp: " + seccomp + " in /proc/thread-self/status)" : null;
        if (e.errno() == Errno.ENOSYS) {
            return msg + ": the kernel has no io_uring (CONFIG_IO_URING off)" + (filtered ? ", or " + seccompNote + " that hides it" : "");
        }
        if (e.errno() == Errno.EPERM || e.errno() == Errno.EACCES) {
            if ("2".equals(ioUringDisabled)) return msg + ": sysctl kernel.io_uring_disabled=2 disables io_uring for every process";
            if ("1".equals(ioUringDisabled)) {
                return msg + ": sysctl kernel.io_uring_disabled=1 allows io_uring only for members of kernel.io_uring_group and CAP_SYS_ADMIN"
                        + (filtered ? "; also, " + seccompNote : "");
            }
            return msg + (filtered ? ": " + seccompNote + " that refuses io_uring (container runtimes' default profiles do)"
                    : ": refused by a security policy (seccomp, an LSM)");
        }
        if (e.errno() == Errno.ENOMEM) return msg + ": no locked memory for the rings (RLIMIT_MEMLOCK on kernels before 5.12)";
        return msg;
    }

    /** The Seccomp field of this thread's status (0 none, 1 strict, 2 filter), or null. Filters are per thread. */
    private static String seccompMode() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/thread-self/status"));
            for (String l : lines) {
                if (l.startsWith("Seccomp:")) return l.substring(8).trim();
            }
        } catch (IOException | RuntimeException e) {
            // unknown
        }
        return null;
    }

    private static String readTrimmed(String file) {
        try {
            return Files.readString(Path.of(file)).trim();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
