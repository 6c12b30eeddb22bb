package io.alicecontainer.junit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.alicecontainer.cgroup.CgroupController;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Reads a running test's container (memory in use, CPU time so far) every
 * {@code alice.report.sample.interval.ms} (default 100) on a daemon thread, for the report's
 * charts. The samples are kept under the test's unique id until {@link #take} collects them.
 * Long tests keep at most {@link #MAX_SAMPLES}: past that every other sample is dropped and the
 * interval doubles, so the chart spans the whole life at a coarser step.
 */
final class UsageSampler implements AutoCloseable {
    static final String INTERVAL = "alice.report.sample.interval.ms";
    static final int MAX_SAMPLES = 2000;
    private static final Map<String, Samples> DONE = new ConcurrentHashMap<>();

    /** Columns: milliseconds since the start, memory in use (bytes), CPU time so far (µs); -1 where unreadable. */
    record Samples(List<long[]> rows) {
    }

    private final String key;
    private final CgroupController cgroup;
    private final long startNanos = System.nanoTime();
    private final List<long[]> rows = new ArrayList<>();
    private final Thread thread;
    private volatile boolean stop;
    private long intervalMs;

    private UsageSampler(String key, CgroupController cgroup, long intervalMs) {
        this.key = key;
        this.cgroup = cgroup;
        this.intervalMs = intervalMs;
        this.thread = new Thread(this::loop, "alice-sampler-" + cgroup.name());
        thread.setDaemon(true);
    }

    /** Starts sampling the test's container; close it when the child has ended. */
    static UsageSampler start(ExtensionContext ctx, CgroupController cgroup) {
        long interval = ctx.getConfigurationParameter(INTERVAL).map(v -> {
            try {
                return Long.parseLong(v.trim());
            } catch (NumberFormatException e) {
                throw new org.junit.jupiter.api.extension.ExtensionConfigurationException(
                        INTERVAL + " '" + v + "' is not a number of milliseconds (0 turns sampling off)");
            }
        }).orElse(100L);
        UsageSampler s = new UsageSampler(ctx.getUniqueId(), cgroup, Math.max(10, interval));
        if (interval > 0) s.thread.start();
        return s;
    }

    /** The samples of the test with this unique id (removed), or null when none were taken. */
    static Samples take(String uniqueId) {
        return DONE.remove(uniqueId);
    }

    private void loop() {
        while (!stop) {
            if (!sample()) return;
            try {
                TimeUnit.MILLISECONDS.sleep(intervalMs);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** One row; false once the cgroup cannot be read at all (it is gone). */
    private boolean sample() {
        long t = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        long mem = read(true);
        long cpu = read(false);
        if (mem < 0 && cpu < 0) return false;
        synchronized (rows) {
            rows.add(new long[] {t, mem, cpu});
            if (rows.size() >= MAX_SAMPLES) {
                for (int i = rows.size() - 1; i > 0; i -= 2) rows.remove(i - 1);
                intervalMs *= 2;
            }
        }
        return true;
    }

    private long read(boolean memory) {
        try {
            return memory ? cgroup.memoryCurrent() : cgroup.cpuUsageUs();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    @Override
    public void close() {
        stop = true;
        thread.interrupt();
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // The last reading, taken after the child ended, shows the container's final CPU time.
        if (thread.getState() != Thread.State.NEW) sample();
        synchronized (rows) {
            if (!rows.isEmpty()) DONE.put(key, new Samples(List.copyOf(rows)));
        }
    }
}
