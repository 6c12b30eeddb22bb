package io.alicecontainer.iouring;

import static io.alicecontainer.iouring.IoUringTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.alicecontainer.cgroup.CgroupController;
import io.alicecontainer.cgroup.CgroupException;
import io.alicecontainer.cgroup.CgroupMode;
import io.alicecontainer.cgroup.IoLimit;
import io.alicecontainer.testing.Limits;
import io.alicecontainer.testing.RequiresRoot;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@RequiresRoot
@DisplayName("IoUringCgroup on this host's cgroups")
class IoUringCgroupTests {

    @ParameterizedTest(name = "{0}")
    @EnumSource(Submission.class)
    @DisplayName("a batch of cpu, memory, pids and io limits lands in the files exactly as the CgroupController setters write them")
    void batchLandsAsSetters(Submission submission) {
        assumeUsable(submission);
        Limits.assumeSupported("cpu", "memory", "pids");
        int[] dev = CgroupController.layout().supportsLimit("io") ? blockDevice() : null;
        IoLimit io = dev == null ? null : new IoLimit(dev[0], dev[1], 8L << 20, 4L << 20, 1000, IoLimit.UNLIMITED);
        IoLimit neutralIo = dev == null ? null : new IoLimit(dev[0], dev[1], IoLimit.UNLIMITED, IoLimit.UNLIMITED,
                IoLimit.UNLIMITED, IoLimit.UNLIMITED);
        try (CgroupController a = CgroupController.create("iou-batch-a");
             CgroupController b = CgroupController.create("iou-batch-b")) {
            makeV1Dirs(a, neutralIo);
            makeV1Dirs(b, neutralIo);

            BatchResult result;
            try (IoUringCgroup batch = new IoUringCgroup(a, submission)) {
                batch.queueCpuMax(30_000, 50_000).queueMemoryMax(48L << 20).queuePidsMax(48);
                if (io != null) batch.queueIoMax(io);
                result = batch.submit();
            }
            b.setCpuMax(30_000, 50_000);
            b.setMemoryMax(48L << 20);
            b.setPidsMax(48);
            if (io != null) b.setIoMax(io);

            assertThat(result.succeeded()).as("%s", result.failures()).isTrue();
            assertThat(result.submission()).isNotEqualTo(Submission.AUTO);
            assertThat(result.ioUringEnters()).isEqualTo(result.submission() == Submission.PLAIN_WRITES ? 0 : 1);
            Map<String, String> batched = limitFiles(a);
            assertThat(batched).isEqualTo(limitFiles(b));
            assertThat(batched).containsValue("48").containsValue(Long.toString(48L << 20));
            assertThat(batched).containsAnyOf(Map.entry("v2/cpu.max", "30000 50000"), Map.entry("cpu/cpu.cfs_quota_us", "30000"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Submission.class)
    @DisplayName("one refused value in a batch of three fails alone, with its file, value and errno; the other two land")
    void perWriteErrors(Submission submission) throws Exception {
        assumeUsable(submission);
        Limits.assumeSupported("cpu", "memory", "pids");
        try (CgroupController cg = CgroupController.create("iou-errors");
             IoUringCgroup batch = new IoUringCgroup(cg, submission)) {
            makeV1Dirs(cg, null);
            boolean v2 = cg.mode() == CgroupMode.V2;
            Path pids = (v2 ? cg.path() : cg.v1Paths().get("pids")).resolve("pids.max");
            Path cpu = v2 ? cg.path().resolve("cpu.max") : cg.v1Paths().get("cpu").resolve("cpu.cfs_quota_us");
            Path mem = v2 ? cg.path().resolve("memory.max") : cg.v1Paths().get("memory").resolve("memory.limit_in_bytes");
            String cpuBefore = Files.readString(cpu);

            BatchResult r = batch.queueWrite(pids, "17").queueWrite(cpu, "fifty 100000").queueWrite(mem, "33554432").submit();

            assertThat(r.writes()).extracting(WriteResult::succeeded).containsExactly(true, false, true);
            assertThat(r.writes().get(0).bytesWritten()).isEqualTo(2);
            assertThat(r.writes().get(1).errnoName()).contains("EINVAL");
            assertThat(r.writes().get(1).error()).contains("failed to write `fifty 100000` to " + cpu + ": EINVAL (Invalid argument)");
            assertThat(r.failures()).hasSize(1);
            assertThat(Files.readString(pids).trim()).isEqualTo("17");
            assertThat(Files.readString(mem).trim()).isEqualTo("33554432");
            assertThat(Files.readString(cpu)).isEqualTo(cpuBefore);
            assertThatThrownBy(r::orThrow).isInstanceOf(CgroupException.class)
                    .hasMessage("failed to write `fifty 100000` to " + cpu + ": EINVAL (Invalid argument)");
        }
    }

    @Test
    @DisplayName("the io_uring batch and the forced fallback give the same per-write results, failures included")
    void fallbackMatchesIoUring() {
        Limits.assumeSupported("memory", "pids");
        assumeUsable(Submission.IO_URING_WRITES);
        try (CgroupController cg = CgroupController.create("iou-fallback")) {
            makeV1Dirs(cg, null);
            Path pidsDir = cg.mode() == CgroupMode.V2 ? cg.path() : cg.v1Paths().get("pids");
            List<List<WriteResult>> results = new java.util.ArrayList<>();
            for (Submission s : List.of(Submission.IO_URING_OPEN_WRITE_CLOSE, Submission.IO_URING_WRITES, Submission.PLAIN_WRITES)) {
                if (s == Submission.IO_URING_OPEN_WRITE_CLOSE && !IoUringCgroup.kernelFeatures().contains("LINKED_FILE")) continue;
                try (IoUringCgroup batch = new IoUringCgroup(cg, s)) {
                    assertThat(batch.usesIoUring()).isEqualTo(s != Submission.PLAIN_WRITES);
                    results.add(batch.queueMemoryMax(40L << 20).queuePidsMax(9).queueWrite(pidsDir.resolve("pids.max"), "-3")
                            .queueWrite(pidsDir.resolve("no-such-file"), "1").submit().writes());
                }
            }
            assertThat(results).allSatisfy(r -> assertThat(r).isEqualTo(results.get(results.size() - 1)));
            assertThat(results.get(0)).extracting(WriteResult::errnoName).endsWith(
                    java.util.Optional.of("EINVAL"), java.util.Optional.of("ENOENT"));
        }
    }

    @Test
    @DisplayName("AUTO uses io_uring exactly when the kernel allows it, and says why not otherwise")
    void availabilityIsVisible() {
        String reason = IoUringCgroup.unavailabilityReason();
        System.out.println("[alice] io_uring available: " + IoUringCgroup.isIoUringAvailable()
                + (reason == null ? ", kernel features: " + IoUringCgroup.kernelFeatures() : ", because " + reason));
        try (CgroupController cg = CgroupController.create("iou-auto");
             IoUringCgroup batch = new IoUringCgroup(cg)) {
            assertThat(batch.usesIoUring()).isEqualTo(IoUringCgroup.isIoUringAvailable());
            assertThat(batch.fallbackReason().isEmpty()).isEqualTo(batch.usesIoUring());
            assertThat(reason == null).isEqualTo(IoUringCgroup.isIoUringAvailable());
            if (!IoUringCgroup.isIoUringAvailable()) {
                assertThatThrownBy(() -> new IoUringCgroup(cg, Submission.IO_URING_WRITES))
                        .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining(reason);
            }
            try (IoUringCgroup plain = new IoUringCgroup(cg, Submission.PLAIN_WRITES)) {
                assertThat(plain.usesIoUring()).isFalse();
                assertThat(plain.submission()).isEqualTo(Submission.PLAIN_WRITES);
                assertThat(plain.fallbackReason()).contains("Submission.PLAIN_WRITES was asked for");
            }
        }
    }

    @Test
    @DisplayName("rings are released: no fd, io_uring instance or mapping is left after close, also after failed writes")
    void noLeaks() {
        Limits.assumeSupported("pids");
        assumeUsable(Submission.IO_URING_WRITES);
        try (CgroupController cg = CgroupController.create("iou-leaks")) {
            makeV1Dirs(cg, null);
            Path pids = (cg.mode() == CgroupMode.V2 ? cg.path() : cg.v1Paths().get("pids")).resolve("pids.max");
            new IoUringCgroup(cg).close();   // loads classes and the probe before counting
            Map<String, String> fdsBefore = openFds();
            long ringsBefore = ringFds();
            long mapsBefore = ringMappings();
            for (int i = 0; i < 20; i++) {
                for (Submission s : Submission.values()) {
                    if (s == Submission.IO_URING_OPEN_WRITE_CLOSE && !IoUringCgroup.kernelFeatures().contains("LINKED_FILE")) continue;
                    try (IoUringCgroup batch = new IoUringCgroup(cg, s)) {
                        batch.queueWrite(pids, "12").queueWrite(pids, "bad").queueWrite(pids.resolveSibling("nope"), "1").submit();
                        if (s != Submission.PLAIN_WRITES) assertThat(ringFds()).isEqualTo(ringsBefore + 1);
                    }
                }
            }
            // Other threads of the JVM may close fds meanwhile; none may be new.
            assertThat(newFds(fdsBefore, openFds())).as("fds opened and not closed").isEmpty();
            assertThat(ringFds()).isEqualTo(ringsBefore);
            assertThat(ringMappings()).isEqualTo(mapsBefore);
        }
    }

    @Test
    @DisplayName("a batch larger than the ring is split into several io_uring_enter calls and keeps its order")
    void largeBatch() throws Exception {
        Limits.assumeSupported("pids");
        assumeUsable(Submission.IO_URING_OPEN_WRITE_CLOSE);
        try (CgroupController cg = CgroupController.create("iou-large")) {
            makeV1Dirs(cg, null);
            Path pids = (cg.mode() == CgroupMode.V2 ? cg.path() : cg.v1Paths().get("pids")).resolve("pids.max");
            for (Submission s : List.of(Submission.AUTO, Submission.IO_URING_WRITES)) {
                try (IoUringCgroup batch = new IoUringCgroup(cg, s)) {
                    for (int v = 1; v <= 150; v++) batch.queueWrite(pids, Integer.toString(v));
                    BatchResult r = batch.submit();
                    assertThat(r.succeeded()).isTrue();
                    assertThat(r.writes()).hasSize(150);
                    assertThat(r.ioUringEnters()).isEqualTo(r.submission() == Submission.IO_URING_WRITES ? 3 : 8); // 64, 21 writes a submission
                    assertThat(Files.readString(pids).trim()).isEqualTo("150");
                    assertThat(batch.queued()).isZero();
                    assertThat(batch.submit().writes()).isEmpty();
                }
            }
        }
    }

    @Test
    @DisplayName("bad limits are refused before anything is queued; a closed batch refuses work")
    void badInput() {
        try (CgroupController cg = CgroupController.create("iou-bad");
             IoUringCgroup batch = new IoUringCgroup(cg)) {
            assertThatThrownBy(() -> batch.queueCpuMax(10, 100_000)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("cpu quota must be at least 1000 µs or -1 (unlimited), was 10");
            assertThatThrownBy(() -> batch.queueMemoryMax(0)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> batch.queuePidsMax(-1)).isInstanceOf(IllegalArgumentException.class);
            assertThat(batch.queued()).isZero();
            batch.close();
            batch.close();
            assertThatThrownBy(batch::submit).isInstanceOf(IllegalStateException.class).hasMessage("IoUringCgroup is closed");
        }
    }

    @Test
    @DisplayName("on v1 and hybrid, queueing a limit of a v1 cgroup not made yet says what to do")
    void v1DirNotMadeYet() {
        Limits.assumeSupported("pids");
        try (CgroupController cg = CgroupController.create("iou-v1dir");
             IoUringCgroup batch = new IoUringCgroup(cg)) {
            if (cg.mode() == CgroupMode.V2) {
                batch.queuePidsMax(5);   // nothing to make on v2
                assertThat(batch.queued()).isEqualTo(1);
                return;
            }
            assertThatThrownBy(() -> batch.queuePidsMax(5)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("the v1 pids cgroup of `iou-v1dir` does not exist yet")
                    .hasMessageContaining("setPidsMax");
            cg.setPidsMax(7);
            assertThat(batch.queuePidsMax(5).submit().succeeded()).isTrue();
        }
    }

    @Test
    @DisplayName("for a plain cgroup directory, the queue methods pick the file names present in it")
    void directoryTarget() throws Exception {
        Limits.assumeSupported("memory");
        try (CgroupController cg = CgroupController.create("iou-dir")) {
            Path memDir = cg.mode() == CgroupMode.V2 ? cg.path() : cg.v1Paths().get("memory");
            String file = cg.mode() == CgroupMode.V2 ? "memory.max" : "memory.limit_in_bytes";
            try (IoUringCgroup batch = new IoUringCgroup(memDir)) {
                assertThat(batch.queueMemoryMax(24L << 20).submit().orThrow().writes().get(0).file()).isEqualTo(memDir.resolve(file));
                assertThat(Files.readString(memDir.resolve(file)).trim()).isEqualTo(Long.toString(24L << 20));
            }
        }
        Path empty = Files.createTempDirectory("iou-not-a-cgroup");
        try (IoUringCgroup batch = new IoUringCgroup(empty)) {
            assertThatThrownBy(() -> batch.queueCpuMax(1000, 10_000)).isInstanceOf(CgroupException.class)
                    .hasMessage("no cpu limit file in " + empty + ": neither cpu.max nor cpu.cfs_quota_us");
        } finally {
            Files.delete(empty);
        }
    }
}
