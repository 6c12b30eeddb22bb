package io.alicecontainer.iouring;

/** How an {@link IoUringCgroup} carries out a batch. */
public enum Submission {
    /**
     * The best this process can use: {@link #IO_URING_OPEN_WRITE_CLOSE}, else
     * {@link #IO_URING_WRITES}, else {@link #PLAIN_WRITES}.
     */
    AUTO,
    /**
     * For every file an openat, a write and a close, linked in the ring on a direct descriptor:
     * the whole batch is one {@code io_uring_enter(2)} and no other syscall (Linux 5.17+,
     * IORING_FEAT_LINKED_FILE).
     */
    IO_URING_OPEN_WRITE_CLOSE,
    /**
     * Files opened and closed with open(2)/close(2) in Java; all writes in the ring with one
     * {@code io_uring_enter(2)} (Linux 5.6+).
     */
    IO_URING_WRITES,
    /** The fallback: open(2), write(2), close(2) per file, one after another. */
    PLAIN_WRITES
}
