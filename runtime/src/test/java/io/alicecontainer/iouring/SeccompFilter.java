package io.alicecontainer.iouring;

import io.alicecontainer.internal.Native;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.annotations.SaveError;

/**
 * A seccomp filter for the calling thread only (filters are per thread unless TSYNC is asked for)
 * that makes io_uring_setup(2) fail with EPERM, as container runtimes' default profiles do. Root
 * (CAP_SYS_ADMIN) may install it without no_new_privs. See seccomp(2), Documentation/userspace-api/seccomp_filter.rst.
 */
final class SeccompFilter {
    /** Public only for jnr-ffi, which implements it from another class loader. */
    public interface Prctl {
        @SaveError int prctl(int option, long arg2, Pointer arg3, long arg4, long arg5);
    }

    private static final int PR_SET_SECCOMP = 22;
    private static final int SECCOMP_MODE_FILTER = 2;
    // classic BPF (linux/filter.h, linux/bpf_common.h) and seccomp return values (linux/seccomp.h)
    private static final short LD_W_ABS = 0x20, JEQ_K = 0x15, RET_K = 0x06;
    private static final int SECCOMP_RET_ERRNO = 0x0005_0000, SECCOMP_RET_ALLOW = 0x7fff_0000;
    private static final int EPERM = 1;

    private SeccompFilter() {
    }

    /** Installs the filter on the calling thread, for good: run it on a thread of its own. */
    static void refuseIoUringSetupOnThisThread() {
        Prctl lib = LibraryLoader.create(Prctl.class).load("c");
        jnr.ffi.Runtime rt = jnr.ffi.Runtime.getRuntime(lib);
        Pointer filter = Memory.allocateDirect(rt, 4 * 8, true);
        put(filter, 0, LD_W_ABS, 0, 0, 0);                              // A = seccomp_data.nr
        put(filter, 1, JEQ_K, 0, 1, (int) Native.SYS_IO_URING_SETUP);  // io_uring_setup?
        put(filter, 2, RET_K, 0, 0, SECCOMP_RET_ERRNO | EPERM);        //   yes: EPERM
        put(filter, 3, RET_K, 0, 0, SECCOMP_RET_ALLOW);                //   no: allow
        Pointer prog = Memory.allocateDirect(rt, 16, true);           // struct sock_fprog
        prog.putShort(0, (short) 4);
        prog.putAddress(8, filter.address());
        if (lib.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, prog, 0, 0) != 0) {
            throw new IllegalStateException("prctl(PR_SET_SECCOMP) failed: errno " + rt.getLastError());
        }
    }

    private static void put(Pointer p, int i, short code, int jt, int jf, int k) {
        p.putShort(i * 8L, code);
        p.putByte(i * 8L + 2, (byte) jt);
        p.putByte(i * 8L + 3, (byte) jf);
        p.putInt(i * 8L + 4, k);
    }
}
