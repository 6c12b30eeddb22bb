package io.alicecontainer.iouring;

import java.util.ArrayList;
import java.util.List;

/**
 * The io_uring ABI as far as this package uses it: numbers, flags and struct layouts from
 * include/uapi/linux/io_uring.h (x86_64 and aarch64 alike: fixed-size fields, no padding holes).
 */
final class IoUringAbi {
    private IoUringAbi() {
    }

    // struct io_uring_params: ten __u32 (sq_entries .. resv[3]), then sq_off and cq_off.
    static final int PARAMS_SIZE = 120;
    static final int PARAMS_SQ_ENTRIES = 0;
    static final int PARAMS_CQ_ENTRIES = 4;
    static final int PARAMS_FLAGS = 8;
    static final int PARAMS_FEATURES = 20;
    static final int PARAMS_SQ_OFF = 40;
    static final int PARAMS_CQ_OFF = 80;

    // struct io_sqring_offsets (relative to PARAMS_SQ_OFF)
    static final int SQ_OFF_HEAD = 0;
    static final int SQ_OFF_TAIL = 4;
    static final int SQ_OFF_RING_MASK = 8;
    static final int SQ_OFF_RING_ENTRIES = 12;
    static final int SQ_OFF_FLAGS = 16;
    static final int SQ_OFF_DROPPED = 20;
    static final int SQ_OFF_ARRAY = 24;

    // struct io_cqring_offsets (relative to PARAMS_CQ_OFF)
    static final int CQ_OFF_HEAD = 0;
    static final int CQ_OFF_TAIL = 4;
    static final int CQ_OFF_RING_MASK = 8;
    static final int CQ_OFF_RING_ENTRIES = 12;
    static final int CQ_OFF_OVERFLOW = 16;
    static final int CQ_OFF_CQES = 20;

    // struct io_uring_sqe: 64 bytes
    static final int SQE_SIZE = 64;
    static final int SQE_OPCODE = 0;        // __u8
    static final int SQE_FLAGS = 1;         // __u8 IOSQE_*
    static final int SQE_FD = 4;            // __s32
    static final int SQE_OFF = 8;           // __u64 off
    static final int SQE_ADDR = 16;         // __u64 addr
    static final int SQE_LEN = 24;          // __u32 len
    static final int SQE_OP_FLAGS = 28;     // __u32 rw_flags / open_flags
    static final int SQE_USER_DATA = 32;    // __u64
    static final int SQE_FILE_INDEX = 44;   // __u32 file_index (union with splice_fd_in)

    // struct io_uring_cqe: 16 bytes (no IORING_SETUP_CQE32)
    static final int CQE_SIZE = 16;
    static final int CQE_USER_DATA = 0;
    static final int CQE_RES = 8;

    // mmap(2) offsets of the three regions
    static final long IORING_OFF_SQ_RING = 0L;
    static final long IORING_OFF_CQ_RING = 0x8000000L;
    static final long IORING_OFF_SQES = 0x10000000L;

    // enum io_uring_op
    static final int IORING_OP_OPENAT = 18;
    static final int IORING_OP_CLOSE = 19;
    static final int IORING_OP_WRITE = 23;

    // sqe->flags
    static final int IOSQE_FIXED_FILE = 1 << 0;
    static final int IOSQE_IO_HARDLINK = 1 << 3;
    static final int IOSQE_ASYNC = 1 << 4;

    // io_uring_setup(2) flags
    static final int IORING_SETUP_SUBMIT_ALL = 1 << 7;
    static final int IORING_SETUP_COOP_TASKRUN = 1 << 8;

    // io_uring_enter(2) flags
    static final int IORING_ENTER_GETEVENTS = 1 << 0;

    // io_uring_register(2) opcodes
    static final int IORING_REGISTER_FILES = 2;

    // io_uring_params->features
    static final int IORING_FEAT_SINGLE_MMAP = 1 << 0;
    static final int IORING_FEAT_RW_CUR_POS = 1 << 3;
    static final int IORING_FEAT_LINKED_FILE = 1 << 12;

    /** The IORING_FEAT_* names in bit order (io_uring.h of Linux 6.18). */
    private static final String[] FEATURE_NAMES = {
        "SINGLE_MMAP", "NODROP", "SUBMIT_STABLE", "RW_CUR_POS", "CUR_PERSONALITY", "FAST_POLL",
        "POLL_32BITS", "SQPOLL_NONFIXED", "EXT_ARG", "NATIVE_WORKERS", "RSRC_TAGS", "CQE_SKIP",
        "LINKED_FILE", "REG_REG_RING", "RECVSEND_BUNDLE", "MIN_TIMEOUT", "RW_ATTR", "NO_IOWAIT",
    };

    /** The names of the feature bits set, {@code IORING_FEAT_} left off; unknown bits as {@code bit N}. */
    static List<String> featureNames(int features) {
        List<String> out = new ArrayList<>();
        for (int bit = 0; bit < 32; bit++) {
            if ((features & (1 << bit)) == 0) continue;
            out.add(bit < FEATURE_NAMES.length ? FEATURE_NAMES[bit] : "bit " + bit);
        }
        return out;
    }

    // mman.h (x86_64, aarch64)
    static final int PROT_READ = 0x1;
    static final int PROT_WRITE = 0x2;
    static final int MAP_SHARED = 0x01;
    static final int MAP_PRIVATE = 0x02;
    static final int MAP_ANONYMOUS = 0x20;
    static final int MAP_POPULATE = 0x8000;

    // fcntl.h
    static final int AT_FDCWD = -100;
}
