package io.alicecontainer.iouring;

import static io.alicecontainer.iouring.IoUringAbi.*;

import io.alicecontainer.internal.Errno;
import io.alicecontainer.internal.Native;
import io.alicecontainer.internal.SyscallException;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * One io_uring instance: the fd, its three shared mappings (SQ ring, CQ ring, SQE array; the two
 * rings share one mapping with IORING_FEAT_SINGLE_MMAP), a one-slot registered file table for
 * direct open/write/close chains and a scratch mapping holding the bytes the kernel reads
 * (values, paths). Not thread-safe: the owner serialises. See io_uring(7) and io_uring_setup(2).
 *
 * <p>No SQPOLL: the kernel reads the SQ only inside io_uring_enter, and the CQ is read only after
 * io_uring_enter returned from waiting for those completions; a native call orders the JVM's plain
 * stores and loads around it, so no explicit barriers are needed.
 */
final class Ring implements AutoCloseable {
    /** SQ size; the CQ gets twice as many (the kernel's default). A batch larger than this is split. */
    static final int ENTRIES = 64;
    /** The direct descriptor slot every open/write/close chain uses: chains run one after another. */
    private static final int SLOT = 0;

    private final IoUringSys.Lib lib = IoUringSys.lib();
    private final int fd;
    private final int features;
    private final int setupFlags;
    private final boolean slotRegistered;
    private final Pointer sqRing, cqRing, sqes;
    private final long sqRingSize, cqRingSize, sqesSize;
    private final int sqHead, sqTail, cqHead, cqTail, cqes;   // offsets into the ring mappings
    private final int sqMask, sqEntries, cqMask;               // values read from the rings
    private Pointer scratch;
    private long scratchSize, scratchUsed;
    private int tail;       // our SQ tail, published at submit
    private int pending;    // SQEs prepared since the last submit
    private boolean closed;

    private Ring(int fd, int setupFlags, Pointer params) {
        this.fd = fd;
        this.setupFlags = setupFlags;
        this.features = params.getInt(PARAMS_FEATURES);
        int sqN = params.getInt(PARAMS_SQ_ENTRIES);
        int cqN = params.getInt(PARAMS_CQ_ENTRIES);
        // Offsets into the mappings, from struct io_sqring_offsets / io_cqring_offsets.
        sqHead = params.getInt(PARAMS_SQ_OFF + SQ_OFF_HEAD);
        sqTail = params.getInt(PARAMS_SQ_OFF + SQ_OFF_TAIL);
        int sqArray = params.getInt(PARAMS_SQ_OFF + SQ_OFF_ARRAY);
        cqHead = params.getInt(PARAMS_CQ_OFF + CQ_OFF_HEAD);
        cqTail = params.getInt(PARAMS_CQ_OFF + CQ_OFF_TAIL);
        cqes = params.getInt(PARAMS_CQ_OFF + CQ_OFF_CQES);
        long sqSize = sqArray + 4L * sqN;
        long cqSize = cqes + (long) CQE_SIZE * cqN;
        boolean single = (features & IORING_FEAT_SINGLE_MMAP) != 0;
        Pointer sq = null, cq = null, e = null;
        try {
            sq = map(single ? Math.max(sqSize, cqSize) : sqSize, IORING_OFF_SQ_RING);
            cq = single ? sq : map(cqSize, IORING_OFF_CQ_RING);
            e = map((long) SQE_SIZE * sqN, IORING_OFF_SQES);
        } catch (RuntimeException ex) {
            unmap(e, (long) SQE_SIZE * sqN);
            if (!single) unmap(cq, cqSize);
            unmap(sq, single ? Math.max(sqSize, cqSize) : sqSize);
            throw ex;
        }
        sqRing = sq;
        cqRing = cq;
        sqes = e;
        sqRingSize = single ? Math.max(sqSize, cqSize) : sqSize;
        cqRingSize = single ? 0 : cqSize;
        sqesSize = (long) SQE_SIZE * sqN;
        // The masks and sizes are values in the rings, not offsets.
        sqMask = sqRing.getInt(params.getInt(PARAMS_SQ_OFF + SQ_OFF_RING_MASK));
        sqEntries = sqRing.getInt(params.getInt(PARAMS_SQ_OFF + SQ_OFF_RING_ENTRIES));
        cqMask = cqRing.getInt(params.getInt(PARAMS_CQ_OFF + CQ_OFF_RING_MASK));
        // The SQ array indirects ring slots to SQEs; we always use slot i for SQE i.
        for (int i = 0; i < sqN; i++) sqRing.putInt(sqArray + 4L * i, i);
        tail = sqRing.getInt(sqTail);
        slotRegistered = registerSlot();
    }

    /**
     * A new ring. Asks for IORING_SETUP_SUBMIT_ALL | IORING_SETUP_COOP_TASKRUN (5.18, 5.19) and
     * retries without flags on EINVAL (older kernels).
     *
     * @throws SyscallException when io_uring_setup(2) or mmap(2) fails
     */
    static Ring open() {
        int flags = IORING_SETUP_SUBMIT_ALL | IORING_SETUP_COOP_TASKRUN;
        IoUringSys.Lib lib = IoUringSys.lib();
        for (;;) {
            Pointer params = Memory.allocateDirect(IoUringSys.runtime(), PARAMS_SIZE, true);
            params.putInt(PARAMS_FLAGS, flags);
            long fd = lib.syscall(Native.SYS_IO_URING_SETUP, ENTRIES, params);
            if (fd < 0) {
                int e = IoUringSys.errno();
                if (e == Errno.EINVAL && flags != 0) {
                    flags = 0;
                    continue;
                }
                throw new SyscallException("io_uring_setup(2)", e, "entries=" + ENTRIES + ", flags=0x" + Integer.toHexString(flags));
            }
            try {
                return new Ring((int) fd, flags, params);
            } catch (RuntimeException ex) {
                Native.closeQuietly((int) fd);
                throw ex;
            }
        }
    }

    int features() {
        return features;
    }

    int setupFlags() {
        return setupFlags;
    }

    /** Whether open/write/close chains on a direct descriptor work here (IORING_FEAT_LINKED_FILE and a file table). */
    boolean supportsDirectChains() {
        return slotRegistered && (features & IORING_FEAT_LINKED_FILE) != 0;
    }

    /** SQEs that fit one submission. */
    int capacity() {
        return sqEntries;
    }

    /** Copies bytes (NUL-terminated when asked) into the scratch mapping; valid until the next {@link #clearScratch}. */
    long put(byte[] bytes, boolean nulTerminated) {
        long need = scratchUsed + bytes.length + (nulTerminated ? 1 : 0);
        if (need > scratchSize) throw new IllegalStateException("scratch too small: call reserveScratch first");
        long at = scratchUsed;
        scratch.put(at, bytes, 0, bytes.length);
        if (nulTerminated) scratch.putByte(at + bytes.length, (byte) 0);
        scratchUsed = need;
        return scratch.address() + at;
    }

    /** Makes room for this many scratch bytes; only between submissions (it may remap). */
    void reserveScratch(long bytes) {
        scratchUsed = 0;
        if (bytes <= scratchSize) return;
        long size = Math.max(4096, (bytes + 4095) & ~4095L);
        Pointer p = lib.mmap(null, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (IoUringSys.failed(p)) throw new SyscallException("mmap(2)", IoUringSys.errno(), "length=" + size + ", anonymous scratch");
        unmap(scratch, scratchSize);
        scratch = p;
        scratchSize = size;
    }

    /** A write(2) of len bytes at addr to fd (a plain fd, or the direct slot), at the file position like write(2). */
    void prepWrite(int fd, boolean fixed, long addr, int len, long userData) {
        long s = nextSqe(IORING_OP_WRITE, userData);
        sqes.putByte(s + SQE_FLAGS, (byte) (IOSQE_IO_HARDLINK | (fixed ? IOSQE_FIXED_FILE : 0)));
        sqes.putInt(s + SQE_FD, fd);
        sqes.putLong(s + SQE_OFF, -1L);   // -1: the current position (IORING_FEAT_RW_CUR_POS)
        sqes.putLong(s + SQE_ADDR, addr);
        sqes.putInt(s + SQE_LEN, len);
    }

    /** openat(AT_FDCWD, path, flags) into the direct slot instead of the fd table. */
    void prepOpenDirect(long pathAddr, int openFlags, long userData) {
        long s = nextSqe(IORING_OP_OPENAT, userData);
        sqes.putInt(s + SQE_FD, AT_FDCWD);
        sqes.putLong(s + SQE_ADDR, pathAddr);
        sqes.putInt(s + SQE_OP_FLAGS, openFlags);
        sqes.putInt(s + SQE_FILE_INDEX, SLOT + 1);   // 1-based; 0 would mean a normal fd
    }

    /** close of the direct slot. */
    void prepCloseDirect(long userData) {
        long s = nextSqe(IORING_OP_CLOSE, userData);
        sqes.putInt(s + SQE_FILE_INDEX, SLOT + 1);
    }

    /** The direct slot's index, for {@link #prepWrite} with fixed = true. */
    static int slot() {
        return SLOT;
    }

    int pending() {
        return pending;
    }

    /** Receives one completion: the SQE's user data and its result (>= 0, or -errno). */
    interface Completion {
        void accept(long userData, int res);
    }

    /**
     * Submits the prepared SQEs as one hard-linked chain (each runs after the previous one ends,
     * whatever its result, so order is kept as in plain writes and one failure cancels nothing)
     * with one io_uring_enter(to_submit = n, min_complete = n, GETEVENTS), and hands every
     * completion to the sink. Calls io_uring_enter again only when a signal cut the wait short.
     *
     * <p>asyncHead sets IOSQE_ASYNC on the chain's first SQE, so the chain starts in an io-wq
     * worker. For a write to a cgroup file that matters: kernfs files are pollable but not
     * FMODE_NOWAIT, so an inline attempt fails with EAGAIN and io_uring's fast poll
     * (io_arm_apoll) re-arms and retries it in this thread's task work several times before
     * punting; perf showed about 30 µs of this thread's CPU per write. Linked successors of a
     * request that ran in io-wq run there too, blocking, without that detour. An openat head does
     * not need it: its cached-lookup attempt fails at once (kernfs revalidates dentries) and punts.
     *
     * @return how many io_uring_enter calls it took
     */
    int submitAndWait(boolean asyncHead, Completion sink) {
        int n = pending;
        if (n == 0) return 0;
        long last = (long) ((tail - 1) & sqMask) * SQE_SIZE;
        sqes.putByte(last + SQE_FLAGS, (byte) (sqes.getByte(last + SQE_FLAGS) & ~IOSQE_IO_HARDLINK)); // end of chain
        if (asyncHead) {
            long first = (long) ((tail - n) & sqMask) * SQE_SIZE;
            sqes.putByte(first + SQE_FLAGS, (byte) (sqes.getByte(first + SQE_FLAGS) | IOSQE_ASYNC));
        }
        sqRing.putInt(sqTail, tail);
        pending = 0;
        int enters = 0;
        int reaped = 0;
        while (reaped < n) {
            int toSubmit = tail - sqRing.getInt(sqHead);
            long r = lib.syscall(Native.SYS_IO_URING_ENTER, fd, toSubmit, n - reaped, IORING_ENTER_GETEVENTS, null, 0);
            enters++;
            if (r < 0) {
                int e = IoUringSys.errno();
                if (e != Errno.EINTR && e != Errno.EAGAIN) {
                    throw new SyscallException("io_uring_enter(2)", e, "fd=" + fd + ", to_submit=" + toSubmit + ", min_complete=" + (n - reaped));
                }
            }
            reaped += reap(sink);
            if (enters > 1000 && reaped < n) {
                throw new IllegalStateException("io_uring: " + reaped + " of " + n + " completions after 1000 io_uring_enter calls");
            }
        }
        return enters;
    }

    private int reap(Completion sink) {
        int head = cqRing.getInt(cqHead);
        int end = cqRing.getInt(cqTail);
        for (int i = head; i != end; i++) {
            long c = cqes + (long) (i & cqMask) * CQE_SIZE;
            sink.accept(cqRing.getLong(c + CQE_USER_DATA), cqRing.getInt(c + CQE_RES));
        }
        cqRing.putInt(cqHead, end);
        return end - head;
    }

    private long nextSqe(int opcode, long userData) {
        if (pending == sqEntries) throw new IllegalStateException("io_uring SQ full (" + sqEntries + " entries)");
        long s = (long) (tail & sqMask) * SQE_SIZE;
        for (int i = 0; i < SQE_SIZE; i += 8) sqes.putLong(s + i, 0L);
        sqes.putByte(s + SQE_OPCODE, (byte) opcode);
        sqes.putByte(s + SQE_FLAGS, (byte) IOSQE_IO_HARDLINK);
        sqes.putLong(s + SQE_USER_DATA, userData);
        tail++;
        pending++;
        return s;
    }

    /** A sparse one-slot file table (fd -1) for direct descriptors; false where the kernel refuses. */
    private boolean registerSlot() {
        Pointer fds = Memory.allocateDirect(IoUringSys.runtime(), 4, true);
        fds.putInt(0, -1);
        return lib.syscall(Native.SYS_IO_URING_REGISTER, fd, IORING_REGISTER_FILES, fds, 1) == 0;
    }

    private Pointer map(long size, long offset) {
        Pointer p = lib.mmap(null, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd, offset);
        if (IoUringSys.failed(p)) {
            throw new SyscallException("mmap(2)", IoUringSys.errno(), "io_uring fd=" + fd + ", length=" + size + ", offset=0x" + Long.toHexString(offset));
        }
        return p;
    }

    private void unmap(Pointer p, long size) {
        if (p != null && size > 0) lib.munmap(p, size);
    }

    /** Unmaps everything and closes the ring fd (which also drops the registered file table). Idempotent. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        unmap(scratch, scratchSize);
        unmap(sqes, sqesSize);
        unmap(cqRing, cqRingSize);
        unmap(sqRing, sqRingSize);
        Native.closeQuietly(fd);
    }
}
