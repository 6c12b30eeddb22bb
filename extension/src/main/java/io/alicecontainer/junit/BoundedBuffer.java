package io.alicecontainer.junit;

import java.io.ByteArrayOutputStream;

/**
 * Collects a child's result channel up to a limit and drops the rest, counting it: a child that
 * floods the channel costs the parent at most the limit, and the parent says what happened
 * instead of running out of memory.
 */
final class BoundedBuffer extends ByteArrayOutputStream {
    /** Far beyond any real result (a few KiB; a deep stack trace or many report entries: ~1 MiB). */
    static final int RESULT_LIMIT = 64 << 20;

    private final int limit;
    private long dropped;

    BoundedBuffer(int limit) {
        this.limit = limit;
    }

    @Override
    public synchronized void write(int b) {
        if (count >= limit) dropped++;
        else super.write(b);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        int keep = Math.max(0, Math.min(len, limit - count));
        super.write(b, off, keep);
        dropped += len - keep;
    }

    /** Bytes beyond the limit, dropped. */
    synchronized long dropped() {
        return dropped;
    }
}
