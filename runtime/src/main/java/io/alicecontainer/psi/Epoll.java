package io.alicecontainer.psi;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import io.alicecontainer.internal.Errno;
import io.alicecontainer.internal.Native;
import io.alicecontainer.internal.SyscallException;
import jnr.ffi.Memory;
import jnr.ffi.Platform;
import jnr.ffi.Pointer;

/** epoll(7) and eventfd(2) through {@link Native}'s libc binding: only what the monitor needs. */
final class Epoll {
    // include/uapi/linux/eventpoll.h
    static final int EPOLL_CLOEXEC = 0x80000;
    static final int EPOLL_CTL_ADD = 1;
    static final int EPOLL_CTL_DEL = 2;
    static final int EPOLLIN = 0x001;
    static final int EPOLLPRI = 0x002;
    static final int EPOLLERR = 0x008;
    static final int EPOLLHUP = 0x010;
    // include/uapi/linux/eventfd.h
    static final int EFD_CLOEXEC = 0x80000;
    static final int EFD_NONBLOCK = 0x800;

    /**
     * struct epoll_event {u32 events; u64 data;} is packed on x86 (EPOLL_PACKED in eventpoll.h):
     * 12 bytes with data at 4; elsewhere (aarch64, ...) 16 bytes with data at 8.
     */
    static final boolean PACKED = Platform.getNativePlatform().getCPU() == Platform.CPU.X86_64
            || Platform.getNativePlatform().getCPU() == Platform.CPU.I386;
    static final int EVENT_SIZE = PACKED ? 12 : 16;
    static final int DATA_OFFSET = PACKED ? 4 : 8;

    private Epoll() {
    }

    static int create() {
        int fd = Native.libc().epoll_create1(EPOLL_CLOEXEC);
        if (fd < 0) throw new SyscallException("epoll_create1(2)", Native.errno(), "flags=EPOLL_CLOEXEC");
        return fd;
    }

    static void add(int epfd, int fd, int events, long data) {
        Pointer ev = Memory.allocateDirect(Native.runtime(), EVENT_SIZE);
        ev.putInt(0, events);
        ev.putLong(DATA_OFFSET, data);
        if (Native.libc().epoll_ctl(epfd, EPOLL_CTL_ADD, fd, ev) != 0) {
            throw new SyscallException("epoll_ctl(2)", Native.errno(), "op=EPOLL_CTL_ADD, epfd=" + epfd + ", fd=" + fd);
        }
    }

    /** Removes fd from the set; a fd the kernel already dropped (ENOENT, EBADF) is fine. */
    static void remove(int epfd, int fd) {
        // Since Linux 2.6.9 the event argument of EPOLL_CTL_DEL may be NULL.
        if (Native.libc().epoll_ctl(epfd, EPOLL_CTL_DEL, fd, null) != 0) {
            int e = Native.errno();
            if (e != Errno.ENOENT && e != Errno.EBADF) {
                throw new SyscallException("epoll_ctl(2)", e, "op=EPOLL_CTL_DEL, epfd=" + epfd + ", fd=" + fd);
            }
        }
    }

    static Pointer buffer(int maxEvents) {
        return Memory.allocateDirect(Native.runtime(), (long) EVENT_SIZE * maxEvents);
    }

    /** epoll_wait(2): the number of ready events; 0 on timeout and when a signal interrupted it. */
    static int await(int epfd, Pointer buf, int maxEvents, int timeoutMs) {
        int n = Native.libc().epoll_wait(epfd, buf, maxEvents, timeoutMs);
        if (n >= 0) return n;
        int e = Native.errno();
        if (e == Errno.EINTR) return 0;
        throw new SyscallException("epoll_wait(2)", e, "epfd=" + epfd);
    }

    static int events(Pointer buf, int i) {
        return buf.getInt((long) i * EVENT_SIZE);
    }

    static long data(Pointer buf, int i) {
        return buf.getLong((long) i * EVENT_SIZE + DATA_OFFSET);
    }

    static int eventfd() {
        int fd = Native.libc().eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        if (fd < 0) throw new SyscallException("eventfd(2)", Native.errno(), "flags=EFD_CLOEXEC|EFD_NONBLOCK");
        return fd;
    }

    /** Adds 1 to the eventfd's counter: a waiter on it wakes up. */
    static void signal(int efd) {
        byte[] one = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(1).array();
        if (Native.libc().write(efd, one, 8) != 8) {
            int e = Native.errno();
            // EAGAIN: the counter is near overflow, so a wake-up is pending anyway.
            if (e != Errno.EAGAIN) throw new SyscallException("write(2)", e, "eventfd=" + efd);
        }
    }

    /** Resets the eventfd's counter to 0. */
    static void drain(int efd) {
        Native.read(efd, new byte[8]);
    }
}
