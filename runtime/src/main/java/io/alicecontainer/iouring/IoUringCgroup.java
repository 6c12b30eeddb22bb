package io.alicecontainer.iouring;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import io.alicecontainer.cgroup.CgroupController;
import io.alicecontainer.cgroup.IoLimit;
import io.alicecontainer.internal.SyscallException;

/**
 * Queues cgroup writes and carries them out as one batch: with io_uring, one
 * {@code io_uring_enter(2)} for the whole batch; where io_uring is unavailable, plain
 * {@code write(2)}s, and {@link #usesIoUring()} says which. Each write gets its own result: a
 * refused value fails only its own write.
 *
 * <pre>{@code
 * try (IoUringCgroup batch = new IoUringCgroup(cgroup)) {
 *     batch.queueCpuMax(50_000, 100_000);
 *     batch.queueMemoryMax(256L << 20);
 *     batch.queuePidsMax(64);
 *     batch.submit().orThrow();
 * }
 * }</pre>
 *
 * <p>The files, values and their order are those of {@link CgroupController}'s setters (v2
 * {@code cpu.max}, {@code memory.max}, {@code io.max}, {@code pids.max}; v1 and hybrid
 * {@code cpu.cfs_quota_us}/{@code cpu.cfs_period_us}, {@code memory.limit_in_bytes},
 * {@code blkio.throttle.*}, {@code pids.max}); the writes of a batch run one after another in
 * queue order, in the kernel as in the fallback. On v1 and hybrid hosts CgroupController makes the
 * cpu, pids and blkio cgroups when their first limit is set: set one through the controller before
 * queueing that controller's limits (the queue methods say so otherwise).
 *
 * <p>Fewer syscalls, not less time: {@link Submission#IO_URING_OPEN_WRITE_CLOSE} turns 3 syscalls
 * per write (open, write, close) into 1 per batch, yet on the project's machine a batch of 3
 * settings took a median 30-33 µs against 21 µs for plain writes, and 10 settings 80-84 µs against
 * 72 µs ({@code ci/benchmarks/README.md}). Cgroup files (kernfs) cannot be written without
 * blocking, so io_uring runs every write in an io-wq kernel worker thread, and handing the batch to
 * that thread and back costs more than the syscalls saved. The calling thread's CPU time is about
 * the same (3 settings) or lower (10); the process's is higher, the worker's included.
 *
 * <p>An instance holds a ring (an fd and a few shared mappings) until {@link #close()}; it is
 * thread-safe.
 */
public final class IoUringCgroup implements AutoCloseable {
    private final CgroupTarget target;
    private final Submission submission;
    private final List<QueuedWrite> queue = new ArrayList<>();
    private final String fallbackReason;
    private Ring ring;
    private boolean closed;

    /** Batches for this cgroup, through io_uring where it works ({@link Submission#AUTO}). */
    public IoUringCgroup(CgroupController cgroup) {
        this(cgroup, Submission.AUTO);
    }

    /**
     * Batches for this cgroup the given way; {@link Submission#PLAIN_WRITES} forces the fallback.
     *
     * @throws UnsupportedOperationException when an io_uring way is asked for and unavailable
     * @throws io.alicecontainer.ContainerException when an io_uring way is asked for and this thread
     *         cannot set up a ring (the kernel's error, as for a failed syscall anywhere in the runtime)
     */
    public IoUringCgroup(CgroupController cgroup, Submission submission) {
        this(CgroupTarget.of(Objects.requireNonNull(cgroup, "cgroup")), submission);
    }

    /**
     * Batches for a cgroup directory not managed by a {@link CgroupController}: each queue method
     * uses the v2 file where it exists in the directory, else the v1 one. {@link #queueWrite} takes any file.
     */
    public IoUringCgroup(Path directory) {
        this(directory, Submission.AUTO);
    }

    /** As {@link #IoUringCgroup(Path)}, the given way; {@link Submission#PLAIN_WRITES} forces the fallback. */
    public IoUringCgroup(Path directory, Submission submission) {
        this(CgroupTarget.of(Objects.requireNonNull(directory, "directory")), submission);
    }

    private IoUringCgroup(CgroupTarget target, Submission wanted) {
        Objects.requireNonNull(wanted, "submission");
        IoUringProbe.Result probe = IoUringProbe.get();
        Submission s = switch (wanted) {
            case AUTO -> !probe.available() ? Submission.PLAIN_WRITES
                    : probe.directChains() ? Submission.IO_URING_OPEN_WRITE_CLOSE : Submission.IO_URING_WRITES;
            case IO_URING_WRITES -> require(probe, wanted, probe.available());
            case IO_URING_OPEN_WRITE_CLOSE -> require(probe, wanted, probe.available() && probe.directChains());
            case PLAIN_WRITES -> wanted;
        };
        String why = wanted == Submission.PLAIN_WRITES ? "Submission.PLAIN_WRITES was asked for" : probe.reason();
        Ring r = null;
        if (s != Submission.PLAIN_WRITES) {
            try {
                r = Ring.open();
            } catch (SyscallException e) {
                // The probe ran once, maybe on another thread: a seccomp filter of this thread, or
                // a limit reached since, can still refuse a ring. AUTO falls back; an explicit choice fails.
                if (wanted != Submission.AUTO) throw e;
                s = Submission.PLAIN_WRITES;
                why = IoUringProbe.reasonFor(e);
            }
        }
        this.target = target;
        this.submission = s;
        this.ring = r;
        this.fallbackReason = s == Submission.PLAIN_WRITES ? why : null;
    }

    private static Submission require(IoUringProbe.Result probe, Submission wanted, boolean ok) {
        if (ok) return wanted;
        throw new UnsupportedOperationException(wanted + " is unavailable: " + (probe.available()
                ? "the kernel offers no linked direct descriptors (IORING_FEAT_LINKED_FILE, Linux 5.17)" : probe.reason()));
    }

    /**
     * Whether io_uring can be used by this process (found out once, by setting up a ring); when not,
     * batches use plain writes.
     */
    public static boolean isIoUringAvailable() {
        return IoUringProbe.get().available();
    }

    /**
     * Why io_uring cannot be used, e.g. {@code io_uring_setup(2) failed: EPERM (Operation not
     * permitted) [...]: sysctl kernel.io_uring_disabled=2 disables io_uring for every process}; null when it can.
     */
    public static String unavailabilityReason() {
        return IoUringProbe.get().reason();
    }

    /** The io_uring features the kernel reported ({@code IORING_FEAT_} names without the prefix); empty when unavailable. */
    public static List<String> kernelFeatures() {
        return IoUringAbi.featureNames(IoUringProbe.get().features());
    }

    /** Whether this instance writes through io_uring (false: plain writes, by choice or by necessity). */
    public boolean usesIoUring() {
        return submission != Submission.PLAIN_WRITES;
    }

    /**
     * Why this instance writes with plain write(2)s: {@code Submission.PLAIN_WRITES was asked for},
     * or why io_uring was refused (as {@link #unavailabilityReason()}, or this thread's own refusal);
     * empty when it uses io_uring.
     */
    public Optional<String> fallbackReason() {
        return Optional.ofNullable(fallbackReason);
    }

    /** How this instance carries out a batch (never {@link Submission#AUTO}). */
    public Submission submission() {
        return submission;
    }

    /**
     * Queues {@code cpu.max} (v2) or {@code cpu.cfs_quota_us}/{@code cpu.cfs_period_us} (v1):
     * quotaUs of CPU time per periodUs; quotaUs -1 for unlimited.
     *
     * @throws IllegalArgumentException as {@link CgroupController#setCpuMax}
     */
    public synchronized IoUringCgroup queueCpuMax(long quotaUs, long periodUs) {
        if (periodUs < 1000 || periodUs > 1_000_000) {
            throw new IllegalArgumentException("cpu period must be 1000..1000000 µs, was " + periodUs);
        }
        if (quotaUs != -1 && quotaUs < 1000) {
            throw new IllegalArgumentException("cpu quota must be at least 1000 µs or -1 (unlimited), was " + quotaUs);
        }
        return add(LimitWrites.cpuMax(target.dir("cpu"), quotaUs, periodUs));
    }

    /**
     * Queues {@code memory.max} (v2) or {@code memory.limit_in_bytes} (v1) in bytes, with swap off as
     * the setter does. On v1 with swap accounting it reads {@code memory.memsw.limit_in_bytes} now,
     * to order the limit and memsw writes as the setter does (memsw must never be below the limit).
     */
    public synchronized IoUringCgroup queueMemoryMax(long bytes) {
        if (bytes <= 0) throw new IllegalArgumentException("memory limit must be positive, was " + bytes);
        return add(LimitWrites.memoryMax(target.dir("memory"), bytes));
    }

    /** Queues {@code pids.max}: at most this many tasks at once. */
    public synchronized IoUringCgroup queuePidsMax(long max) {
        if (max <= 0) throw new IllegalArgumentException("pids limit must be positive, was " + max);
        return add(LimitWrites.pidsMax(target.dir("pids"), max));
    }

    /** Queues {@code io.max} (v2) or the four {@code blkio.throttle.*} files (v1) for one device. */
    public synchronized IoUringCgroup queueIoMax(IoLimit limit) {
        Objects.requireNonNull(limit, "limit");
        return add(LimitWrites.ioMax(target.dir("io"), limit));
    }

    /** Queues one write of value to any file (a cgroup file or not). */
    public synchronized IoUringCgroup queueWrite(Path file, String value) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(value, "value");
        return add(List.of(QueuedWrite.of(file, value)));
    }

    /** Writes queued and not yet submitted. */
    public synchronized int queued() {
        return queue.size();
    }

    /**
     * Carries out every queued write, in queue order, and empties the queue. With io_uring: one
     * {@code io_uring_enter(2)} (to_submit = min_complete = all operations) for a batch of up to
     * 21 writes ({@link Submission#IO_URING_OPEN_WRITE_CLOSE}) or 64 ({@link Submission#IO_URING_WRITES}).
     *
     * @return each write's own result; an empty result for an empty queue
     * @throws io.alicecontainer.ContainerException when io_uring_enter itself fails (not a write: the
     *         kernel's error for the syscall); the instance is closed then
     */
    public synchronized BatchResult submit() {
        if (closed) throw new IllegalStateException("IoUringCgroup is closed");
        List<QueuedWrite> writes = List.copyOf(queue);
        queue.clear();
        if (writes.isEmpty()) return new BatchResult(List.of(), submission, 0);
        if (submission == Submission.PLAIN_WRITES) return new BatchResult(PlainWrites.run(writes), submission, 0);
        WriteResult[] out = new WriteResult[writes.size()];
        int enters;
        try {
            enters = submission == Submission.IO_URING_OPEN_WRITE_CLOSE
                    ? RingWrites.openWriteClose(ring, writes, out) : RingWrites.writesOnly(ring, writes, out);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        return new BatchResult(Arrays.asList(out), submission, enters);
    }

    private IoUringCgroup add(List<QueuedWrite> writes) {
        if (closed) throw new IllegalStateException("IoUringCgroup is closed");
        queue.addAll(writes);
        return this;
    }

    /** Releases the ring (fd and mappings); queued writes are dropped. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        queue.clear();
        if (ring != null) ring.close();
        ring = null;
    }
}
