package io.alicecontainer.iouring;

import java.util.List;
import java.util.stream.Collectors;

import io.alicecontainer.cgroup.CgroupException;

/**
 * The outcome of {@link IoUringCgroup#submit()}: every write's own result, in queue order.
 *
 * @param writes         one result per queued write
 * @param submission     how the batch was carried out (never {@link Submission#AUTO})
 * @param ioUringEnters  the io_uring_enter(2) calls it took: 1 per batch (more only when a batch
 *                       exceeds the ring or a signal cut the wait short), 0 for plain writes
 */
public record BatchResult(List<WriteResult> writes, Submission submission, int ioUringEnters) {
    public BatchResult {
        writes = List.copyOf(writes);
    }

    /** Whether every write succeeded. */
    public boolean succeeded() {
        return writes.stream().allMatch(WriteResult::succeeded);
    }

    /** The writes that failed, in queue order. */
    public List<WriteResult> failures() {
        return writes.stream().filter(w -> !w.succeeded()).collect(Collectors.toList());
    }

    /**
     * This result when every write succeeded.
     *
     * @throws CgroupException naming each failed write, file and error, one per line
     */
    public BatchResult orThrow() {
        List<WriteResult> failed = failures();
        if (failed.isEmpty()) return this;
        throw new CgroupException(failed.stream().map(w -> w.error().orElseThrow()).collect(Collectors.joining("\n")));
    }
}
