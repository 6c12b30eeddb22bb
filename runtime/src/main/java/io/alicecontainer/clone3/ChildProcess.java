package io.alicecontainer.clone3;

import java.time.Duration;
import java.util.Optional;

import io.alicecontainer.internal.Errno;
import io.alicecontainer.internal.Native;
import io.alicecontainer.internal.SyscallException;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * A process spawned by {@link Clone3}: its pid and a pidfd. Waiting and signalling go through the
 * pidfd, so a recycled pid can never be hit. {@link #close()} kills and reaps a process still
 * running, so no zombie is left behind.
 */
public final class ChildProcess implements AutoCloseable {
    // <sys/wait.h>, include/uapi/linux/wait.h
    private static final int P_PIDFD = 3;
    private static final int WEXITED = 4;
    private static final int WNOHANG = 1;
    // siginfo_t on 64-bit Linux: si_code at 8, si_pid at 16, si_status at 24
    private static final int SI_CODE = 8;
    private static final int SI_PID = 16;
    private static final int SI_STATUS = 24;
    private static final int CLD_EXITED = 1;
    private static final int CLD_DUMPED = 3;
    private static final short POLLIN = 1;

    private final long pid;
    private final int pidfd;
    private ExitStatus status;
    private boolean closed;

    ChildProcess(long pid, int pidfd) {
        this.pid = pid;
        this.pidfd = pidfd;
    }

    /** The pid in the caller's pid namespace. */
    public long pid() {
        return pid;
    }

    /** The pidfd: readable (POLLIN) once the process has exited. */
    public int pidfd() {
        return pidfd;
    }

    /** Waits for the process to end and reaps it. */
    public synchronized ExitStatus waitFor() {
        if (status == null) status = reap(false);
        return status;
    }

    /** Waits at most timeout; empty when the process is still running then. */
    public synchronized Optional<ExitStatus> waitFor(Duration timeout) {
        if (status != null) return Optional.of(status);
        long deadline = System.nanoTime() + timeout.toNanos();
        for (;;) {
            long left = deadline - System.nanoTime();
            int ms = (int) Math.min(Integer.MAX_VALUE, Math.max(0, (left + 999_999) / 1_000_000));
            if (pollReadable(ms)) {
                status = reap(false);
                return Optional.of(status);
            }
            if (System.nanoTime() >= deadline) return Optional.empty();
        }
    }

    /** Whether the process has not ended yet (without reaping it). */
    public synchronized boolean isAlive() {
        return status == null && !pollReadable(0);
    }

    /** Sends a signal; false when the process has already ended. */
    public synchronized boolean signal(int signal) {
        if (status != null || closed) return false;
        return Native.pidfdSendSignal(pidfd, signal);
    }

    /** SIGKILL. */
    public boolean kill() {
        return signal(ExitStatus.SIGKILL);
    }

    /** Kills the process if it still runs, reaps it, and closes the pidfd. */
    @Override
    public synchronized void close() {
        if (closed) return;
        try {
            if (status == null) {
                Native.pidfdSendSignal(pidfd, ExitStatus.SIGKILL);
                status = reap(false);
            }
        } finally {
            closed = true;
            Native.closeQuietly(pidfd);
        }
    }

    private boolean pollReadable(int timeoutMs) {
        Pointer fds = Memory.allocateDirect(Native.runtime(), 8);
        fds.putInt(0, pidfd);
        fds.putShort(4, POLLIN);
        fds.putShort(6, (short) 0);
        for (;;) {
            int n = Native.libc().poll(fds, 1, timeoutMs);
            if (n >= 0) return n > 0;
            int e = Native.errno();
            if (e != Errno.EINTR) throw new SyscallException("poll(2)", e, "pidfd=" + pidfd);
        }
    }

    private ExitStatus reap(boolean noHang) {
        Pointer info = Memory.allocateDirect(Native.runtime(), 128, true);
        for (;;) {
            int rc = Native.libc().waitid(P_PIDFD, pidfd, info, WEXITED | (noHang ? WNOHANG : 0));
            if (rc == 0) break;
            int e = Native.errno();
            if (e != Errno.EINTR) throw new SyscallException("waitid(2)", e, "P_PIDFD, pidfd=" + pidfd + ", pid=" + pid);
        }
        if (info.getInt(SI_PID) == 0) return null;
        int code = info.getInt(SI_CODE);
        int st = info.getInt(SI_STATUS);
        return code == CLD_EXITED ? ExitStatus.exited(st) : ExitStatus.killed(st, code == CLD_DUMPED);
    }

    @Override
    public String toString() {
        return "ChildProcess[pid=" + pid + (status == null ? "" : ", " + status) + "]";
    }
}
