package io.alicecontainer.junit;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.alicecontainer.Container;
import io.alicecontainer.ContainerConfig;
import io.alicecontainer.ExecResult;
import io.alicecontainer.internal.Native;
import io.alicecontainer.junit.internal.SandboxProtocol;

/**
 * The parent's side of {@link Sandbox} for one isolated test: a thread that reads the child's
 * requests (fd 5 in the child) and runs each in a new container configured like the test, from
 * this JVM, which holds the privileges the child's least-privilege container does not; the
 * result goes back on fd 6. Lives from the child's spawn until {@link #close()}, after the child
 * ended; closing kills a command still running. The configuration comes at hand-over
 * ({@link #serve}): a pooled child is spawned before its test is known.
 */
final class SandboxService implements AutoCloseable {
    private static final AtomicLong COUNTER = new AtomicLong();

    private volatile ContainerConfig config;
    private final String prefix;
    private final int[] requests;   // [read: ours, write: the child's]
    private final int[] responses;  // [read: the child's, write: ours]
    private Thread server;
    private volatile Container running;
    private volatile boolean closed;

    private SandboxService(String prefix, int[] requests, int[] responses) {
        this.prefix = prefix;
        this.requests = requests;
        this.responses = responses;
    }

    /** Two pipes for a child about to be spawned; its containers are named after prefix. */
    static SandboxService open(String prefix) {
        int[] req = Native.pipe();
        try {
            return new SandboxService(prefix, req, Native.pipe());
        } catch (RuntimeException e) {
            Native.closeQuietly(req[0]);
            Native.closeQuietly(req[1]);
            throw e;
        }
    }

    /** The JVM option that names the channel to the child. */
    static String childOption() {
        return "-D" + SandboxProtocol.CHANNEL_PROPERTY + "=/proc/self/fd/" + SandboxProtocol.CHILD_REQUEST_FD
                + ",/proc/self/fd/" + SandboxProtocol.CHILD_RESPONSE_FD;
    }

    /** The fds the child gets as 5 and 6, in this order. */
    int childRequestFd() {
        return requests[1];
    }

    int childResponseFd() {
        return responses[0];
    }

    /** After the spawn: drops our copies of the child's ends, so that its death reads as EOF. */
    synchronized void childSpawned() {
        Native.closeQuietly(requests[1]);
        Native.closeQuietly(responses[0]);
        requests[1] = responses[0] = -1;
    }

    /** At hand-over: serves the child's requests with containers of this configuration. */
    synchronized void serve(ContainerConfig config) {
        if (closed || requests[0] < 0) throw new IllegalStateException("the Sandbox channel is closed");
        this.config = config;
        InputStream in;
        OutputStream out;
        try {
            in = new BufferedInputStream(new FileInputStream("/proc/self/fd/" + requests[0]));
            out = new BufferedOutputStream(new FileOutputStream("/proc/self/fd/" + responses[1]));
        } catch (IOException e) {
            throw new IllegalStateException("cannot open the Sandbox channel: " + e.getMessage(), e);
        } finally {
            Native.closeQuietly(requests[0]);
            Native.closeQuietly(responses[1]);
            requests[0] = responses[1] = -1;
        }
        server = new Thread(() -> serve(in, out), "alice-sandbox-" + prefix);
        server.setDaemon(true);
        server.start();
    }

    private void serve(InputStream in, OutputStream out) {
        try (in; out) {
            while (!closed) {
                List<String> argv;
                try {
                    argv = SandboxProtocol.readRequest(in);
                } catch (SandboxProtocol.ProtocolException e) {
                    // The stream is out of step: say why once, then stop serving this child.
                    SandboxProtocol.writeError(out, "the Sandbox channel was closed after a bad request: " + e.getMessage());
                    return;
                }
                if (argv == null) return;
                ExecResult result;
                try {
                    result = run(argv);
                } catch (RuntimeException e) {
                    SandboxProtocol.writeError(out, "Sandbox.exec(" + String.join(" ", argv) + ") failed in the parent: " + e);
                    continue;
                }
                SandboxProtocol.writeResult(out, result);
            }
        } catch (IOException e) {
            // The child is gone (EPIPE, EOF inside a frame): nothing to answer.
        }
    }

    private ExecResult run(List<String> argv) {
        if (closed) throw new IllegalStateException("the test has ended");
        try (Container c = Container.create(prefix + "-sb" + COUNTER.incrementAndGet(), config)) {
            running = c;
            try {
                if (closed) throw new IllegalStateException("the test has ended");
                return c.exec(argv);
            } finally {
                running = null;
            }
        }
    }

    /** Stops serving: kills a command still running and waits (briefly) for the thread. */
    @Override
    public synchronized void close() {
        closed = true;
        for (int fd : new int[] {requests[0], requests[1], responses[0], responses[1]}) Native.closeQuietly(fd);
        Container c = running;
        if (c != null) {
            try {
                c.stop();
            } catch (RuntimeException ignored) {
                // destroyed meanwhile
            }
        }
        if (server != null) {
            try {
                server.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
