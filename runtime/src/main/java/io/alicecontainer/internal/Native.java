package io.alicecontainer.internal;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;

/**
 * The one gateway to libc, loaded once through jnr-ffi. Static wrappers check the result, read
 * errno at once on the same thread, retry {@code EINTR} and throw {@link SyscallException}.
 *
 * <p>Where libc has no wrapper (or an old one lacks it) the call goes through {@code syscall(2)}
 * with the numbers below; those from 424 on are the same on every architecture
 * (include/uapi/asm-generic/unistd.h).
 */
public final class Native {
    // include/uapi/asm-generic/unistd.h: one table for all architectures from 424 on.
    public static final long SYS_PIDFD_SEND_SIGNAL = 424;
    public static final long SYS_IO_URING_SETUP = 425;
    public static final long SYS_IO_URING_ENTER = 426;
    public static final long SYS_IO_URING_REGISTER = 427;
    public static final long SYS_PIDFD_OPEN = 434;

    // fcntl.h
    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 1;
    public static final int O_RDWR = 2;
    public static final int O_NONBLOCK = 0x800;
    public static final int O_DIRECTORY = 0x10000;
    public static final int O_CLOEXEC = 0x80000;

    /** libc as jnr-ffi binds it: C names, C argument order. */
    public interface LibC {
        @SaveError int open(String path, int flags, int mode);
        @SaveError int close(int fd);
        @SaveError long read(int fd, @Out byte[] buf, long count);
        @SaveError long write(int fd, @In byte[] buf, long count);
        @SaveError int pipe2(@Out int[] fds, int flags);
        @SaveError int poll(Pointer fds, long nfds, int timeoutMs);
        @SaveError int waitid(int idtype, int id, Pointer info, int options);
        @SaveError long syscall(long number, long a1, long a2, long a3, long a4, long a5);
        @SaveError long syscall(long number, long a1, long a2, Pointer a3, long a4, long a5);
        @SaveError int kill(int pid, int sig);
        @SaveError int epoll_create1(int flags);
        @SaveError int epoll_ctl(int epfd, int op, int fd, Pointer event);
        @SaveError int epoll_wait(int epfd, Pointer events, int maxevents, int timeoutMs);
        @SaveError int eventfd(int initval, int flags);
        String strerror(int errnum);
        int getpid();
    }

    private static final LibC LIBC;
    private static final Runtime RUNTIME;
    private static final Throwable UNAVAILABILITY_CAUSE;

    static {
        LibC lib = null;
        Throwable cause = null;
        try {
            if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
                throw new UnsupportedOperationException("ALICE-Container needs Linux, this is " + System.getProperty("os.name"));
            }
            lib = LibraryLoader.create(LibC.class).load("c");
        } catch (Throwable t) {
            cause = t;
        }
        LIBC = lib;
        RUNTIME = lib == null ? null : Runtime.getRuntime(lib);
        UNAVAILABILITY_CAUSE = cause;
    }

    private Native() {
    }

    /** Whether libc could be bound (Linux, jnr-ffi working). */
    public static boolean isAvailable() {
        return LIBC != null;
    }

    /** Why {@link #isAvailable()} is false, or null. */
    public static Throwable unavailabilityCause() {
        return UNAVAILABILITY_CAUSE;
    }

    public static LibC libc() {
        if (LIBC == null) {
            throw new IllegalStateException("native access is unavailable: " + UNAVAILABILITY_CAUSE, UNAVAILABILITY_CAUSE);
        }
        return LIBC;
    }

    public static Runtime runtime() {
        libc();
        return RUNTIME;
    }

    /** errno of the last call on this thread; read it right after the call. */
    public static int errno() {
        return RUNTIME.getLastError();
    }

    public static int open(String path, int flags) {
        for (;;) {
            int fd = libc().open(path, flags | O_CLOEXEC, 0);
            if (fd >= 0) return fd;
            int e = errno();
            if (e != Errno.EINTR) throw new SyscallException("open(2)", e, "path=`" + path + "`");
        }
    }

    public static void close(int fd) {
        if (fd >= 0 && libc().close(fd) != 0) {
            int e = errno();
            // Linux frees the descriptor even when close fails with EINTR; never retry.
            if (e != Errno.EINTR) throw new SyscallException("close(2)", e, "fd=" + fd);
        }
    }

    /** Closes without throwing: for cleanup paths that must go on. */
    public static void closeQuietly(int fd) {
        if (fd >= 0 && LIBC != null) LIBC.close(fd);
    }

    /** A pipe with both ends close-on-exec: {read, write}. */
    public static int[] pipe() {
        int[] fds = new int[2];
        if (libc().pipe2(fds, O_CLOEXEC) != 0) throw new SyscallException("pipe2(2)", errno(), "");
        return fds;
    }

    /** read(2) into buf; 0 at end of file, -1 for EAGAIN on a non-blocking fd. */
    public static int read(int fd, byte[] buf) {
        for (;;) {
            long n = libc().read(fd, buf, buf.length);
            if (n >= 0) return (int) n;
            int e = errno();
            if (e == Errno.EAGAIN) return -1;
            if (e != Errno.EINTR) throw new SyscallException("read(2)", e, "fd=" + fd);
        }
    }

    /** pidfd_open(2) (Linux 5.3). */
    public static int pidfdOpen(long pid) {
        long fd = libc().syscall(SYS_PIDFD_OPEN, pid, 0, 0, 0, 0);
        if (fd < 0) throw new SyscallException("pidfd_open(2)", errno(), "pid=" + pid);
        return (int) fd;
    }

    /** pidfd_send_signal(2): false when the process has already been reaped (ESRCH). */
    public static boolean pidfdSendSignal(int pidfd, int signal) {
        if (libc().syscall(SYS_PIDFD_SEND_SIGNAL, pidfd, signal, 0, 0, 0) == 0) return true;
        int e = errno();
        if (e == Errno.ESRCH) return false;
        throw new SyscallException("pidfd_send_signal(2)", e, "pidfd=" + pidfd + ", sig=" + signal);
    }

    public static int getpid() {
        return libc().getpid();
    }
}
