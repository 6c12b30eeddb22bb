package io.alicecontainer;

import java.time.Duration;
import java.util.List;

import io.alicecontainer.clone3.ChildProcess;
import io.alicecontainer.clone3.ExitStatus;
import io.alicecontainer.internal.OutputPump;

/**
 * A process started by {@link Container#launch(Command)}. {@link #await()} pumps its output
 * on the calling thread until it ends (or its timeout kills the container) and returns the
 * result; {@link #close()} kills it if it still runs.
 */
public final class ContainerProcess implements AutoCloseable {
    private static final long DRAIN_AFTER_EXIT_MILLIS = 200;

    private final Container container;
    private final List<String> argv;
    private final ChildProcess child;
    private final OutputPump pump;
    private final OutputPump.Capture stdout;
    private final OutputPump.Capture stderr;
    private final long startNanos;
    private final Duration timeout;
    private final ResourceUsage before;
    private ExecResult result;
    private boolean finished;

    ContainerProcess(Container container, List<String> argv, ChildProcess child, OutputPump pump, OutputPump.Capture stdout,
                     OutputPump.Capture stderr, long startNanos, Duration timeout, ResourceUsage before) {
        this.container = container;
        this.argv = argv;
        this.child = child;
        this.pump = pump;
        this.stdout = stdout;
        this.stderr = stderr;
        this.startNanos = startNanos;
        this.timeout = timeout;
        this.before = before;
    }

    /** The pid in the caller's pid namespace. */
    public long pid() {
        return child.pid();
    }

    /** Waits for the process (at most its timeout, then the whole container is killed) and returns how it ended. */
    public synchronized ExecResult await() {
        return awaitUntil(timeout == null ? Long.MAX_VALUE : startNanos + timeout.toNanos());
    }

    /**
     * Waits at most {@code timeout} from now (null: without a limit), then kills the whole
     * container: for a process started ahead of the work it is given later (a pooled child JVM).
     */
    public synchronized ExecResult await(Duration timeout) {
        return awaitUntil(timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos());
    }

    private ExecResult awaitUntil(long deadline) {
        if (result != null) return result;
        if (finished) throw new IllegalStateException("waiting for " + argv.get(0) + " failed before: no result");
        boolean timedOut = false;
        ExitStatus status;
        try {
            if (!pump.pump(deadline, DRAIN_AFTER_EXIT_MILLIS)) {
                timedOut = true;
                container.cgroup().kill();
                pump.pump(Long.MAX_VALUE, DRAIN_AFTER_EXIT_MILLIS);
            }
            status = child.waitFor();
        } finally {
            finished = true;
            pump.closeAll();
            child.close(); // kills and reaps it if the wait was cut short
        }
        Duration wall = Duration.ofNanos(System.nanoTime() - startNanos);
        ResourceUsage used = container.usageAfter(before);
        result = new ExecResult(argv, status.code(), status.signal(), used.oomKills() > 0, timedOut, stdout.bytes(),
                stdout.truncated(), stderr.bytes(), stderr.truncated(), wall, used);
        return result;
    }

    /** SIGKILLs the process (PID 1 of its namespace: everything in it dies); false when it had ended. */
    public boolean kill() {
        return child.kill();
    }

    /** Kills the process if it still runs and releases what it holds. */
    @Override
    public synchronized void close() {
        if (finished) return;
        child.kill();
        await();
    }
}
