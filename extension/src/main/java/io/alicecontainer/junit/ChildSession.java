package io.alicecontainer.junit;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;

import io.alicecontainer.ResourceUsage;
import io.alicecontainer.cgroup.CgroupController;
import io.alicecontainer.cgroup.MemoryPeak;
import io.alicecontainer.internal.Native;
import io.alicecontainer.junit.internal.ChildChannel;
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
    private OutputStream out;
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
            out = new BufferedOutputStream(toChild);
            ChildChannel.write(out, ChildChannel.REQUEST, ChildChannel.request(request));
        } catch (IOException e) {
            // The child died at once: its exit says why.
        }
        reader = new Thread(this::serve, "alice-child-channel");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Reads the child's frames ({@link ChildChannel}) and answers each: bounded (no frame, and not
     * all of them together, beyond {@link #CHANNEL_LIMIT}), and nothing the child names is
     * instantiated. Anything but well-formed frames ends the session with a clear decode error.
     */
    private void serve() {
        InputStream in = new BufferedInputStream(fromChild);
        long read = 0;
        try {
            while (true) {
                ChildChannel.Frame f = ChildChannel.read(in, CHANNEL_LIMIT - read);
                if (f == null) return; // the child closed its channel between frames (done, or died)
                read += 9L + f.payload().length;
                switch (f.type()) {
                    case ChildChannel.RESULT -> result = ChildChannel.result(f.payload());
                    case ChildChannel.STARTED -> reply(ChildChannel.ACK, started(ChildChannel.uniqueId(f.payload(), "started")));
                    case ChildChannel.FINISHED -> reply(ChildChannel.ACK, finished(ChildChannel.uniqueId(f.payload(), "finished")));
                    case ChildChannel.USAGE_QUERY -> reply(ChildChannel.USAGE,
                            ChildChannel.usage(usageSoFar(ChildChannel.uniqueId(f.payload(), "usage query"))));
                    default -> throw new ChildChannel.ProtocolException("the child sent a frame of unknown type " + f.type());
                }
            }
        } catch (ChildChannel.TruncatedException e) {
            // The child closed its channel inside a frame: garbage, or a message cut short.
            if (result == null) {
                decodeError = "the child's result could not be read: its channel ended " + e.bytes
                        + " bytes into a message (garbage, or a message cut short)";
            }
        } catch (IOException | RuntimeException | InternalError | StackOverflowError e) {
            // InternalError: the JDK's own readResolve of Map.of with an odd number of elements
            // throws it (ImmutableCollections.MapN); a throwable's serialized bytes in a result
            // are still read through an ObjectInputStream (ThrowableTransport).
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

    /** A node starts: the usage is read and the memory peak reset. */
    private synchronized byte[] started(String uniqueId) {
        try {
            fold(peak.bytes());
            ResourceUsage now = cgroup.usage();
            peak.reset();
            open.put(uniqueId, new Interval(now, Math.max(0, now.memoryCurrentBytes())));
        } catch (RuntimeException e) {
            // The cgroup could not be read (it is going away): the child goes on.
        }
        return new byte[0];
    }

    /** A node ended: its usage and peak are kept. */
    private synchronized byte[] finished(String uniqueId) {
        try {
            fold(peak.bytes());
            ResourceUsage now = cgroup.usage();
            Interval i = open.remove(uniqueId);
            if (i != null) measured.put(uniqueId, measure(i, now));
        } catch (RuntimeException e) {
            // as above
        }
        return new byte[0];
    }

    /** The usage of a running node so far ({@code ContainerResources.testUsage()}), or null. */
    private synchronized ResourceUsage usageSoFar(String uniqueId) {
        try {
            fold(peak.bytes());
            Interval i = open.get(uniqueId);
            if (i == null) return null;
            ResourceUsage now = cgroup.usage();
            Measured so = measure(i, now);
            ResourceUsage u = so.usage();
            return new ResourceUsage(so.testPeakBytes(), Math.max(0, now.memoryCurrentBytes() - i.baseline), u.cpuTime(),
                    u.cpuUserTime(), u.cpuSystemTime(), u.throttledPeriods(), u.throttledTime(), u.oomKills(), u.pidsPeak(),
                    u.pidsCurrent(), u.ioReadBytes(), u.ioWriteBytes(), u.cpuPressure(), u.memoryPressure(), u.ioPressure());
        } catch (RuntimeException e) {
            return null;
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

    private void reply(byte type, byte[] payload) throws IOException {
        ChildChannel.write(out, type, payload);
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

    private static void closeQuietly(java.io.Closeable c) {
        if (c == null) return;
        try {
            c.close();
        } catch (IOException ignored) {
            // nothing more to free
        }
    }
}
