package io.alicecontainer.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * Reads a child's stdout and stderr pipes and watches its pidfd with one poll(2) loop on the
 * calling thread: no reader threads per process. Each stream is captured up to a limit (the
 * rest is drained and dropped) and may also be copied live to a sink.
 */
public final class OutputPump {
    private static final short POLLIN = 0x1;
    private static final short POLLHUP = 0x10;
    private static final short POLLERR = 0x8;
    private static final short POLLNVAL = 0x20;

    private final int[] fds;
    private final Capture[] captures;
    private final int pidfd;
    private final Pointer pollfds;
    private final byte[] buf = new byte[16 * 1024];
    private boolean exited;

    /** Captured bytes of one stream. */
    public static final class Capture {
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private final long limit;
        private final OutputStream sink;
        private boolean truncated;

        public Capture(long limit, OutputStream sink) {
            this.limit = limit;
            this.sink = sink;
        }

        void accept(byte[] b, int n) {
            int keep = (int) Math.max(0, Math.min(n, limit - kept.size()));
            kept.write(b, 0, keep);
            if (keep < n) truncated = true;
            if (sink != null) {
                try {
                    sink.write(b, 0, n);
                    sink.flush();
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot forward the container's output", e);
                }
            }
        }

        public byte[] bytes() {
            return kept.toByteArray();
        }

        public boolean truncated() {
            return truncated;
        }
    }

    /** fds are read ends owned (and closed) by the pump, each read into the capture of the same index. */
    public OutputPump(int pidfd, int[] fds, Capture[] captures) {
        if (fds.length != captures.length) throw new IllegalArgumentException("one capture per fd");
        this.fds = fds.clone();
        this.captures = captures.clone();
        this.pidfd = pidfd;
        this.pollfds = Memory.allocateDirect(Native.runtime(), 8L * (fds.length + 1));
    }

    /**
     * Pumps until the process has exited and both streams are at end of file, or until the
     * deadline (System.nanoTime(); Long.MAX_VALUE for none). Returns true when the process
     * exited, false when the deadline came first. After the exit, streams that a surviving
     * descendant keeps open are read for at most {@code drainMillis} more.
     */
    public boolean pump(long deadlineNanos, long drainMillis) {
        long drainUntil = Long.MAX_VALUE;
        int[] slotOf = new int[fds.length];
        for (;;) {
            int n = 0;
            if (!exited) n = add(n, pidfd);
            for (int i = 0; i < fds.length; i++) {
                slotOf[i] = fds[i] >= 0 ? n : -1;
                if (fds[i] >= 0) n = add(n, fds[i]);
            }
            if (n == 0) return true;
            long now = System.nanoTime();
            long until = Math.min(deadlineNanos, drainUntil);
            if (now >= until) {
                if (exited) closeAll();
                return exited;
            }
            long waitMs = until == Long.MAX_VALUE ? -1 : Math.max(1, (until - now) / 1_000_000);
            int rc = Native.libc().poll(pollfds, n, (int) Math.min(Integer.MAX_VALUE, waitMs));
            if (rc < 0) {
                int e = Native.errno();
                if (e == Errno.EINTR) continue;
                throw new SyscallException("poll(2)", e, "pidfd=" + pidfd);
            }
            if (!exited && (pollfds.getShort(6) & POLLNVAL) != 0) {
                throw new IllegalStateException("the process's pidfd " + pidfd + " was closed while waiting for it");
            }
            if (!exited && (revents(0) & POLLIN) != 0) {
                exited = true;
                drainUntil = System.nanoTime() + drainMillis * 1_000_000;
            }
            for (int i = 0; i < fds.length; i++) {
                if (slotOf[i] >= 0 && revents(slotOf[i]) != 0) drain(i);
            }
        }
    }

    private int add(int slot, int fd) {
        pollfds.putInt(slot * 8L, fd);
        pollfds.putShort(slot * 8L + 4, POLLIN);
        pollfds.putShort(slot * 8L + 6, (short) 0);
        return slot + 1;
    }

    private short revents(int slot) {
        return (short) (pollfds.getShort(slot * 8L + 6) & (POLLIN | POLLHUP | POLLERR | POLLNVAL));
    }

    private void drain(int i) {
        int n;
        try {
            n = Native.read(fds[i], buf);
        } catch (SyscallException e) {
            n = 0; // EBADF and the like: the stream is over
        }
        if (n > 0) {
            captures[i].accept(buf, n);
        } else if (n == 0) {
            Native.closeQuietly(fds[i]);
            fds[i] = -1;
        }
    }

    /** Closes the read ends still open. */
    public void closeAll() {
        for (int i = 0; i < fds.length; i++) {
            Native.closeQuietly(fds[i]);
            fds[i] = -1;
        }
    }
}
