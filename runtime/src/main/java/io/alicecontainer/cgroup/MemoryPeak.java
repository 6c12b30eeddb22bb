package io.alicecontainer.cgroup;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A cgroup's memory peak that can be reset, to measure the peak of one stretch of its life (a test
 * handed to an already booted child JVM). v1: {@code memory.max_usage_in_bytes}, reset by writing
 * 0 (cgroup-v1/memory.rst 5.5). v2: {@code memory.peak} held open, reset by writing to this
 * descriptor; the kernel then reports the peak since the reset to reads of this descriptor only
 * (cgroup-v2.rst, "memory.peak", Linux 6.12). Where the kernel has no reset, {@link #resets()} is
 * false and {@link #bytes()} is the peak over the cgroup's whole life.
 */
public final class MemoryPeak implements AutoCloseable {
    private final Path v1File;
    private final Path v2File;
    private FileChannel v2;
    private boolean resets;

    private MemoryPeak(Path v1File, Path v2File) {
        this.v1File = v1File;
        this.v2File = v2File;
        this.resets = v1File != null;
        if (v2File != null) {
            try {
                v2 = FileChannel.open(v2File, StandardOpenOption.READ, StandardOpenOption.WRITE);
                resets = true;
            } catch (IOException | UnsupportedOperationException e) {
                v2 = null; // read-only memory.peak (before 6.12): whole-life peak
            }
        }
    }

    static MemoryPeak of(Path v2MemDir, Path v1MemDir) {
        if (v2MemDir != null) return new MemoryPeak(null, v2MemDir.resolve(CgroupFiles.MEMORY_PEAK));
        return new MemoryPeak(v1MemDir == null ? null : v1MemDir.resolve(CgroupFiles.MEMORY_MAX_USAGE_IN_BYTES), null);
    }

    /** Whether {@link #reset()} really starts a new peak on this kernel. */
    public synchronized boolean resets() {
        return resets;
    }

    /** Starts a new peak at the memory in use now; a no-op where the kernel cannot (see {@link #resets()}). */
    public synchronized void reset() {
        if (v1File != null) {
            CgroupFs.write(v1File, "0");
        } else if (v2 != null) {
            try {
                v2.write(ByteBuffer.wrap("reset\n".getBytes(StandardCharsets.US_ASCII)), 0);
            } catch (IOException e) {
                resets = false; // the kernel refused the write: whole-life peak from now on
                closeQuietly();
            }
        }
    }

    /** The peak since the last {@link #reset()} (or over the cgroup's life), in bytes; -1 where not reported. */
    public synchronized long bytes() {
        if (v1File != null) return CgroupFs.readIfPresent(v1File).map(s -> CgroupStats.parseLimit(s.trim())).orElse(-1L);
        if (v2 != null) {
            try {
                ByteBuffer b = ByteBuffer.allocate(64);
                int n = v2.read(b, 0);
                if (n > 0) return CgroupStats.parseLimit(new String(b.array(), 0, n, StandardCharsets.US_ASCII).trim());
            } catch (IOException e) {
                resets = false;
                closeQuietly();
            }
        }
        if (v2File == null) return -1;
        return CgroupFs.readIfPresent(v2File).map(s -> CgroupStats.parseLimit(s.trim())).orElse(-1L);
    }

    @Override
    public synchronized void close() {
        closeQuietly();
    }

    private void closeQuietly() {
        if (v2 == null) return;
        try {
            v2.close();
        } catch (IOException ignored) {
            // nothing held beyond the descriptor
        }
        v2 = null;
    }
}
