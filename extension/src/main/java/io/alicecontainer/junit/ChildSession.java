package io.alicecontainer.junit;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;

import io.alicecontainer.ResourceUsage;
import io.alicecontainer.cgroup.CgroupController;
import io.alicecontainer.cgroup.MemoryPeak;
import io.alicecontainer.internal.Native;
import io.alicecontainer.junit.internal.ChildMessage;
import io.alicecontainer.junit.internal.RunRequest;
import io.alicecontainer.junit.internal.RunResult;

/**
 * The parent's side of one child's channel from hand-over on: sends the request, then (on a
 * thread of its own) answers the child's messages, reading the container's cgroup as each node
 * starts and ends. Per node it keeps the usage as deltas and the memory peak: the peak is reset
 * when a node starts, and every reset first folds the peak so far into every node still open, so
 * nested nodes (a class and its tests) each get their own.
 */
final class ChildSession {
    /** Bytes a child may send on its channel: far beyond any real result (a deep stack trace or many report entries: ~1 MiB). */
    static final long CHANNEL_LIMIT = 64L << 20;
    /**
     * Only what the channel carries may be decoded: our records and the JDK's values in them, and
     * no more than {@link #CHANNEL_LIMIT} bytes, so that a child flooding it costs the parent little.
     */
    private static final ObjectInputFilter FILTER = ObjectInputFilter.Config.createFilter(
            "maxdepth=20;maxbytes=" + CHANNEL_LIMIT + ";maxarray=" + (CHANNEL_LIMIT / 4)
                    + ";io.alicecontainer.**;java.lang.*;java.util.*;java.time.*;[B;!*");

    /** One node's figures. {@code testPeakBytes} is the peak above the memory in use at its start, -1 where not measured. */
    record Measured(ResourceUsage usage, long testPeakBytes) {
    }

    private static final class Interval {
        final ResourceUsage start;
        final long baseline;
        long maxPeak;
        Measured result;

        Interval(ResourceUsage start, long baseline) {
            this.start = start;
            this.baseline = baseline;
            this.maxPeak = baseline;
        }
    }

    private final CgroupController cgroup;
    private final MemoryPeak peak;
    private final InputStream fromChild;
    private final OutputStream toChild;
    private final Map<String, Interval> open = new LinkedHashMap<>();
    private final Map<String, Measured> measured = new LinkedHashMap<>();
    private final Interval whole;
    private ObjectOutputStream out;
    private Thread reader;
    private volatile RunResult result;
    private volatile String decodeError;

    /** Takes ownership of both fds. {@code atHandOver}: the container's usage when it got the test. */
    ChildSession(CgroupController cgroup, MemoryPeak peak, int fromChildFd, int toChildFd, ResourceUsage atHandOver) {
        this.cgroup = cgroup;
        this.peak = peak;
        this.whole = new Interval(atHandOver, Math.max(0, atHandOver.memoryCurrentBytes()));
        InputStream in = null;
        try {
            in = new FileInputStream("/proc/self/fd/" + fromChildFd);
            this.toChild = new FileOutputStream("/proc/self/fd/" + toChildFd);
        } catch (IOException e) {
            closeQuietly(in);
            throw new IllegalStateException("cannot open the channel to the child: " + e, e);
        } finally {
            Native.closeQuietly(fromChildFd);
            Native.closeQuietly(toChildFd);
        }
        this.fromChild = in;
    }

    /** Sends "run these" and starts answering the child. */
    void start(RunRequest request) {
        try {
            out = new ObjectOutputStream(new BufferedOutputStream(toChild));
            out.writeObject(request);
            out.flush();
        } catch (IOException e) {
            // The child died at once: its exit says why.
        }
        reader = new Thread(this::serve, "alice-child-channel");
        reader.setDaemon(true);
        reader.start();
    }

    private void serve() {
        Counting counted = new Counting(new BufferedInputStream(fromChild));
        long boundary = 0;
        try (ObjectInputStream in = new ObjectInputStream(counted)) {
            in.setObjectInputFilter(FILTER);
            while (true) {
                boundary = counted.count;
                Object o = in.readObject();
                if (o instanceof RunResult r) {
                    result = r;
                } else if (o instanceof ChildMessage m) {
                    reply(answer(m));
                } else {
                    decodeError = "the child sent " + (o == null ? "null" : o.getClass().getName()) + " on its channel";
                    return;
                }
            }
        } catch (EOFException e) {
            // The child closed its channel (done, or died); inside a message it wrote garbage.
            long partial = counted.count - boundary;
            if (result == null && partial > 0) {
                decodeError = "the child's result could not be read: its channel ended " + partial
                        + " bytes into a message (garbage, or a message cut short)";
            }
        } catch (IOException | ClassNotFoundException | RuntimeException | InternalError | StackOverflowError e) {
            // InternalError: the JDK's own readResolve of Map.of with an odd number of elements
            // throws it (ImmutableCollections.MapN) for a stream a child may write.
            if (result == null) decodeError = "the child's result could not be read: " + e;
            // Nobody reads the channel any more: a child still writing would block for ever. Its
            // result cannot be trusted, so its container ends here.
            try {
                cgroup.kill();
            } catch (RuntimeException gone) {
                // the container ended meanwhile
            }
        } finally {
            closeQuietly(toChild);
        }
    }

    private synchronized Object answer(ChildMessage m) {
        try {
            long p = peak.bytes();
            fold(p);
            ResourceUsage now = cgroup.usage();
            if (m instanceof ChildMessage.Started s) {
                peak.reset();
                open.put(s.uniqueId(), new Interval(now, Math.max(0, now.memoryCurrentBytes())));
                return Boolean.TRUE;
            }
            if (m instanceof ChildMessage.Finished f) {
                Interval i = open.remove(f.uniqueId());
                if (i != null) measured.put(f.uniqueId(), measure(i, now));
                return Boolean.TRUE;
            }
            ChildMessage.UsageQuery q = (ChildMessage.UsageQuery) m;
            Interval i = open.get(q.uniqueId());
            if (i == null) return null;
            Measured so = measure(i, now);
            ResourceUsage u = so.usage();
            return new ResourceUsage(so.testPeakBytes(), Math.max(0, now.memoryCurrentBytes() - i.baseline), u.cpuTime(),
                    u.cpuUserTime(), u.cpuSystemTime(), u.throttledPeriods(), u.throttledTime(), u.oomKills(), u.pidsPeak(),
                    u.pidsCurrent(), u.ioReadBytes(), u.ioWriteBytes(), u.cpuPressure(), u.memoryPressure(), u.ioPressure());
        } catch (RuntimeException e) {
            // The cgroup could not be read (it is going away): the child goes on.
            return m instanceof ChildMessage.UsageQuery ? null : Boolean.TRUE;
        }
    }

    private Measured measure(Interval i, ResourceUsage now) {
        ResourceUsage d = now.since(i.start);
        long containerPeak = i.maxPeak;
        ResourceUsage u = new ResourceUsage(containerPeak, d.memoryCurrentBytes(), d.cpuTime(), d.cpuUserTime(), d.cpuSystemTime(),
                d.throttledPeriods(), d.throttledTime(), d.oomKills(), d.pidsPeak(), d.pidsCurrent(), d.ioReadBytes(),
                d.ioWriteBytes(), d.cpuPressure(), d.memoryPressure(), d.ioPressure());
        return new Measured(u, peak.resets() && containerPeak >= 0 ? Math.max(0, containerPeak - i.baseline) : -1);
    }

    private void fold(long p) {
        if (p < 0) return;
        whole.maxPeak = Math.max(whole.maxPeak, p);
        for (Interval i : open.values()) i.maxPeak = Math.max(i.maxPeak, p);
    }

    private void reply(Object answer) throws IOException {
        out.writeObject(answer);
        out.flush();
    }

    /** Waits (after the child ended) for the channel to end; the peak since the last reset is folded in. */
    void finish(long millis) {
        try {
            if (reader != null) reader.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeQuietly(fromChild); // unblocks nothing on Linux, but frees the fd once the reader is done
        synchronized (this) {
            fold(peak.bytes());
        }
    }

    boolean readerAlive() {
        return reader != null && reader.isAlive();
    }

    /** The container's peak from hand-over to now (folded over every reset). */
    synchronized long containerPeakSinceHandOver() {
        return whole.maxPeak;
    }

    synchronized Map<String, Measured> measured() {
        return Map.copyOf(measured);
    }

    RunResult result() {
        return result;
    }

    String decodeError() {
        return decodeError;
    }

    /** Counts the bytes the object stream took, to tell a clean end of the channel from one inside a message. */
    private static final class Counting extends java.io.FilterInputStream {
        long count;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) count++;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) count += n;
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long k = super.skip(n);
            count += k;
            return k;
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        if (c == null) return;
        try {
            c.close();
        } catch (IOException ignored) {
            // nothing more to free
        }
    }
}
