package io.alicecontainer.iouring;

import static io.alicecontainer.iouring.IoUringTestSupport.makeV1Dirs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.alicecontainer.ContainerException;
import io.alicecontainer.cgroup.CgroupController;
import io.alicecontainer.cgroup.CgroupMode;
import io.alicecontainer.testing.Limits;
import io.alicecontainer.testing.RequiresRoot;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The real fallback: on a thread whose seccomp filter refuses io_uring_setup(2) with EPERM (the
 * sysctl kernel.io_uring_disabled is machine-wide and not ours to flip), AUTO writes plainly and
 * says why, and the results equal those of an io_uring batch on an unfiltered thread.
 */
@RequiresRoot
@DisplayName("IoUringCgroup where a seccomp filter refuses io_uring")
class IoUringFallbackTests {

    @Test
    @DisplayName("AUTO falls back to plain writes, says why, and lands the same results as io_uring")
    void seccompRefusal() throws Exception {
        Limits.assumeSupported("memory", "pids");
        IoUringTestSupport.assumeUsable(Submission.IO_URING_WRITES);
        try (CgroupController cg = CgroupController.create("iou-seccomp")) {
            makeV1Dirs(cg, null);
            Path pids = (cg.mode() == CgroupMode.V2 ? cg.path() : cg.v1Paths().get("pids")).resolve("pids.max");
            List<WriteResult> viaRing;
            try (IoUringCgroup batch = new IoUringCgroup(cg)) {
                assertThat(batch.usesIoUring()).isTrue();
                assertThat(batch.fallbackReason()).isEmpty();
                viaRing = batch.queueMemoryMax(40L << 20).queueWrite(pids, "bad").queuePidsMax(11).submit().writes();
            }

            // A thread of its own: the filter stays with the thread, which ends with this test.
            CompletableFuture<String> filtered = new CompletableFuture<>();
            Thread t = new Thread(() -> {
                try {
                    SeccompFilter.refuseIoUringSetupOnThisThread();
                    try (IoUringCgroup batch = new IoUringCgroup(cg)) {
                        assertThat(batch.usesIoUring()).isFalse();
                        assertThat(batch.submission()).isEqualTo(Submission.PLAIN_WRITES);
                        List<WriteResult> plain = batch.queueMemoryMax(40L << 20).queueWrite(pids, "bad").queuePidsMax(11).submit().writes();
                        assertThat(plain).isEqualTo(viaRing);
                        assertThatThrownBy(() -> new IoUringCgroup(cg, Submission.IO_URING_OPEN_WRITE_CLOSE))
                                .isInstanceOf(ContainerException.class).hasMessageStartingWith("io_uring_setup(2) failed: EPERM");
                        filtered.complete(batch.fallbackReason().orElseThrow());
                    }
                } catch (Throwable e) {
                    filtered.completeExceptionally(e);
                }
            }, "seccomp-filtered");
            t.start();
            String reason = filtered.get(30, TimeUnit.SECONDS);
            t.join();
            System.out.println("[alice] fallback reason on the filtered thread: " + reason);
            assertThat(reason).startsWith("io_uring_setup(2) failed: EPERM (Operation not permitted)")
                    .contains("this thread runs under a seccomp filter (Seccomp: 2 in /proc/thread-self/status)");
            assertThat(viaRing).extracting(WriteResult::succeeded).containsExactly(true, true, false, true);
        }
    }
}
