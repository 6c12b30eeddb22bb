package io.alicecontainer.iouring;

import io.alicecontainer.internal.Native;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.SaveError;

/**
 * The few libc entry points io_uring needs beyond {@link Native.LibC}: mmap/munmap (the rings live
 * in memory shared with the kernel) and {@code syscall(2)} with the exact argument types of
 * io_uring_setup, io_uring_enter and io_uring_register. Loaded on first use.
 */
final class IoUringSys {
    /** Public only because jnr-ffi implements it from another class loader; the class around it is not. */
    public interface Lib {
        @SaveError Pointer mmap(Pointer addr, long length, int prot, int flags, int fd, long offset);
        @SaveError int munmap(Pointer addr, long length);
        /** io_uring_setup(entries, params). */
        @SaveError long syscall(long number, long entries, Pointer params);
        /** io_uring_enter(fd, to_submit, min_complete, flags, sig, sigsz). */
        @SaveError long syscall(long number, long fd, long toSubmit, long minComplete, long flags, Pointer sig, long sigsz);
        /** io_uring_register(fd, opcode, arg, nr_args). */
        @SaveError long syscall(long number, long fd, long opcode, Pointer arg, long nrArgs);
    }

    private static volatile Lib lib;

    private IoUringSys() {
    }

    static Lib lib() {
        Lib l = lib;
        if (l == null) {
            Native.libc();   // throws with the reason when native access is unavailable
            synchronized (IoUringSys.class) {
                if (lib == null) lib = LibraryLoader.create(Lib.class).load("c");
                l = lib;
            }
        }
        return l;
    }

    static Runtime runtime() {
        return Runtime.getRuntime(lib());
    }

    /** errno of the last call on this thread; read it right after the call. */
    static int errno() {
        return runtime().getLastError();
    }

    /** mmap(2) returns MAP_FAILED, (void *) -1, on failure. */
    static boolean failed(Pointer p) {
        return p == null || p.address() == -1L;
    }
}
