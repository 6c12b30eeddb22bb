package io.alicecontainer.scheduler;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

import io.alicecontainer.cgroup.CgroupController;

/**
 * A cgroup as a {@link CpuQuotaTarget}; see {@link CpuQuotaTarget#of}. For a scheduler's own use
 * ({@code keepOpen}) the stat files stay open until {@link #close()} and are read again with
 * {@code pread} at offset 0, which makes the kernel's seq_file generate them afresh (fs/seq_file.c,
 * {@code seq_read_iter}): about 2 µs a read here instead of 15 µs for open, read and close, which
 * matters at 1000 ticks a second.
 */
final class CgroupCpuTarget implements CpuQuotaTarget, AutoCloseable {
    private final CgroupController cgroup;
    private final boolean keepOpen;
    private final Map<Path, FileChannel> open = new HashMap<>();
    private ByteBuffer buffer = ByteBuffer.allocate(4096);
    private boolean closed;

    CgroupCpuTarget(CgroupController cgroup, boolean keepOpen) {
        this.cgroup = Objects.requireNonNull(cgroup, "cgroup");
        this.keepOpen = keepOpen;
    }

    @Override
    public synchronized CpuSample sample() {
        if (closed) throw new IllegalStateException("the CPU counters of " + cgroup + " were closed");
        // Resolved per read: the v1 cpu cgroup is made on the first limit written, not before.
        Map<String, Path> v1 = cgroup.v1Paths();
        CpuStatFiles files = CpuStatFiles.of(cgroup.mode(), cgroup.v2Path().orElse(null), v1.get("cpu"), v1.get("cpuacct"));
        return keepOpen ? files.read(this::pread) : files.read();
    }

    private String pread(Path file) throws IOException {
        FileChannel ch = open.get(file);
        if (ch == null) {
            ch = FileChannel.open(file, StandardOpenOption.READ);
            open.put(file, ch);
        }
        while (true) {
            buffer.clear();
            int n = ch.read(buffer, 0);
            if (n < buffer.capacity()) return new String(buffer.array(), 0, Math.max(0, n), StandardCharsets.US_ASCII);
            buffer = ByteBuffer.allocate(buffer.capacity() * 2);   // may have been cut: read it whole
        }
    }

    @Override
    public void applyQuota(long quotaUs, long periodUs) {
        cgroup.setCpuMax(quotaUs, periodUs);
    }

    @Override
    public synchronized void close() {
        closed = true;
        for (FileChannel ch : open.values()) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // a read-only cgroup file: nothing is lost
            }
        }
        open.clear();
    }

    @Override
    public String toString() {
        return cgroup.toString();
    }
}
