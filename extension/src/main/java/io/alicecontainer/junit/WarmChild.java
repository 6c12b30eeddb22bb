package io.alicecontainer.junit;

import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.alicecontainer.Command;
import io.alicecontainer.Container;
import io.alicecontainer.ContainerConfig;
import io.alicecontainer.ContainerProcess;
import io.alicecontainer.internal.Native;
import io.alicecontainer.junit.internal.ChildJvm;

/**
 * A child JVM in its own fresh container (own cgroup, new namespaces), started and waiting on its
 * channel (fds 3 and 4) for one test, with its {@link SandboxService} channel (fds 5 and 6). A pooled child is started ahead of need without the test's
 * limits; a cold one with them. It runs one test (or class) and is never reused.
 */
final class WarmChild {
    /** Child JVMs started by this JVM, pooled and cold (for tests). */
    static final java.util.concurrent.atomic.AtomicLong SPAWNED = new java.util.concurrent.atomic.AtomicLong();
    final ChildSpec spec;
    final Container container;
    final ContainerProcess process;
    final SandboxService sandbox;
    final long spawnedNanos;
    final boolean limitsAtCreate;
    private int toChild;
    private int fromChild;

    private WarmChild(ChildSpec spec, Container container, ContainerProcess process, SandboxService sandbox, int toChild,
                      int fromChild, boolean limitsAtCreate, long spawnedNanos) {
        this.spec = spec;
        this.container = container;
        this.process = process;
        this.sandbox = sandbox;
        this.toChild = toChild;
        this.fromChild = fromChild;
        this.limitsAtCreate = limitsAtCreate;
        this.spawnedNanos = spawnedNanos;
    }

    /** Creates the container and starts the child JVM in it; nothing is left behind when this throws. */
    static WarmChild spawn(ChildSpec spec, ContainerConfig config, String name, boolean limitsAtCreate) {
        int[] toChild = Native.pipe();
        int[] fromChild;
        try {
            fromChild = Native.pipe();
        } catch (RuntimeException e) {
            Native.closeQuietly(toChild[0]);
            Native.closeQuietly(toChild[1]);
            throw e;
        }
        Container container = null;
        SandboxService sandbox = null;
        try {
            sandbox = SandboxService.open(name);
            container = Container.create(name, config);
            List<String> options = new ArrayList<>(spec.options());
            options.add(SandboxService.childOption());
            Command command = Command.builder(ChildJvm.command(spec.java(), options, spec.classpath()))
                    .passFd(toChild[0])
                    .passFd(fromChild[1])
                    .passFd(sandbox.childRequestFd())
                    .passFd(sandbox.childResponseFd())
                    .stdout(new PrintStream(new Current(true), true))
                    .stderr(new PrintStream(new Current(false), true))
                    .build();
            long t0 = System.nanoTime();
            ContainerProcess process = container.launch(command);
            Native.closeQuietly(toChild[0]);
            Native.closeQuietly(fromChild[1]);
            sandbox.childSpawned();
            SPAWNED.incrementAndGet();
            return new WarmChild(spec, container, process, sandbox, toChild[1], fromChild[0], limitsAtCreate, t0);
        } catch (RuntimeException | Error e) {
            for (int fd : new int[] {toChild[0], toChild[1], fromChild[0], fromChild[1]}) Native.closeQuietly(fd);
            if (sandbox != null) sandbox.close();
            if (container != null) {
                try {
                    container.close();
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    /** The channel's fds, handed to a {@link ChildSession} (which closes them); once. */
    int[] takeChannel() {
        int[] fds = {fromChild, toChild};
        fromChild = toChild = -1;
        return fds;
    }

    /** Waits for the child to end, at most {@code timeout} from now (null: the container's own timeout). */
    io.alicecontainer.ExecResult await(Duration timeout) {
        return timeout == null ? process.await() : process.await(timeout);
    }

    /** Kills the child (an unused one ends at once: its channel closes) and removes its container. */
    void discard() {
        Native.closeQuietly(toChild);
        Native.closeQuietly(fromChild);
        toChild = fromChild = -1;
        try {
            process.close();
        } finally {
            try {
                sandbox.close();
            } finally {
                container.close();
            }
        }
    }

    /**
     * The parent's System.out or System.err as they are when the child writes (not when it was
     * started: a pooled child may outlive a redirection).
     */
    private static final class Current extends OutputStream {
        private final boolean out;

        Current(boolean out) {
            this.out = out;
        }

        private PrintStream target() {
            return out ? System.out : System.err;
        }

        @Override
        public void write(int b) {
            target().write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            target().write(b, off, len);
        }

        @Override
        public void flush() {
            target().flush();
        }
    }
}
