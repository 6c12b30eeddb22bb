package io.alicecontainer.junit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.alicecontainer.ContainerConfig;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Child JVMs started ahead of need, per {@link ChildSpec}, each in its own fresh container and
 * waiting for one test. A test of a spec takes a waiting child if there is one (else it starts
 * cold) and asks for a replacement, which boots while the test runs. At most {@link #size()}
 * children wait or boot at once, and no more than the launcher's plan still holds isolated tests
 * for ({@link PlanDemand}). Lives for one run of the engine (the root context's store):
 * children still waiting at its end are killed and their containers removed.
 */
final class ChildPool implements ExtensionContext.Store.CloseableResource, AutoCloseable {
    static final String SIZE = "alice.isolation.pool.size";
    private static final Logger LOG = Logger.getLogger(ChildPool.class.getName());
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(ChildPool.class);
    private static final AtomicLong COUNTER = new AtomicLong();
    /** Children not started because no test was left for them (for tests). */
    static final AtomicLong SKIPPED = new AtomicLong();

    private final int size;
    private final Map<ChildSpec, ArrayDeque<WarmChild>> idle = new HashMap<>();
    private final ExecutorService spawner;
    private final Thread shutdownHook;
    private int waitingOrBooting;
    private boolean closed;

    private ChildPool(int size) {
        this.size = size;
        this.spawner = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "alice-pool-spawner");
            t.setDaemon(true);
            return t;
        });
        // Last resort when the run ends without closing the store (the JVM exits first).
        this.shutdownHook = new Thread(this::discardAll, "alice-pool-cleanup");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** The run's pool, or null when {@code alice.isolation.pool.size} is 0. */
    static ChildPool of(ExtensionContext ctx) {
        int size = size(ctx);
        if (size <= 0) return null;
        return ctx.getRoot().getStore(NS).getOrComputeIfAbsent(ChildPool.class, k -> new ChildPool(size), ChildPool.class);
    }

    /**
     * {@code alice.isolation.pool.size}, else JUnit's parallelism (1 when sequential) plus the CPUs
     * left free by it, i.e. the larger of the two, capped by the memory available (a waiting child
     * holds ~40-90 MiB; 256 MiB are counted per child). A child's boot takes more CPU (~1.5 s) than
     * a short test: with one child booting per running test, each test would wait for the rest of
     * its child's boot; with a child booting on every CPU the boots overlap.
     */
    static int size(ExtensionContext ctx) {
        String v = ctx.getConfigurationParameter(SIZE).orElse("").trim();
        if (!v.isEmpty()) {
            try {
                int n = Integer.parseInt(v);
                if (n < 0) throw new NumberFormatException();
                return n;
            } catch (NumberFormatException e) {
                throw new org.junit.jupiter.api.extension.ExtensionConfigurationException(
                        "configuration parameter " + SIZE + " must be a number >= 0 (0 turns the pool off), was `" + v + "`");
            }
        }
        int cpus = Runtime.getRuntime().availableProcessors();
        int parallelism = 1;
        if (ctx.getConfigurationParameter("junit.jupiter.execution.parallel.enabled").map("true"::equalsIgnoreCase).orElse(false)) {
            String strategy = ctx.getConfigurationParameter("junit.jupiter.execution.parallel.config.strategy").orElse("dynamic");
            if (strategy.equalsIgnoreCase("fixed")) {
                parallelism = ctx.getConfigurationParameter("junit.jupiter.execution.parallel.config.fixed.parallelism")
                        .map(String::trim).map(Integer::parseInt).orElse(cpus);
            } else {
                double factor = ctx.getConfigurationParameter("junit.jupiter.execution.parallel.config.dynamic.factor")
                        .map(String::trim).map(Double::parseDouble).orElse(1.0);
                parallelism = (int) Math.max(1, Math.round(factor * cpus));
            }
        }
        long byMemory = Math.max(1, memAvailableBytes() / (256L << 20));
        return (int) Math.max(1, Math.min(Math.max(parallelism, cpus), byMemory));
    }

    private static long memAvailableBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemAvailable:")) return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        } catch (IOException | NumberFormatException e) {
            // unknown: do not limit by memory
        }
        return Long.MAX_VALUE;
    }

    int size() {
        return size;
    }

    /**
     * A waiting child of this spec, or null; in both cases a replacement is started in the
     * background (if the pool has room) for the next test of the spec, unless the run's plan
     * holds no more isolated tests than children already waiting or booting.
     *
     * @param uniqueId the test (or, at class granularity, the class) taking a child now
     */
    WarmChild take(ChildSpec spec, Function<ChildSpec, ContainerConfig> config, String uniqueId) {
        PlanDemand demand = PlanDemand.of(uniqueId);
        if (demand != null) demand.taking(uniqueId);
        WarmChild child;
        synchronized (this) {
            if (closed) return null;
            ArrayDeque<WarmChild> q = idle.get(spec);
            child = q == null ? null : q.pollFirst();
            if (child != null) waitingOrBooting--;
            if (waitingOrBooting < size && moreToCome(demand, 0)) {
                waitingOrBooting++;
                spawner.execute(() -> refill(spec, config, demand));
            }
        }
        return child;
    }

    /**
     * Whether the plan (null: unknown) holds more isolated tests still to come than the children
     * waiting or booting, {@code starting} of which are being started: nothing is started for a
     * test that never comes (the last tests of a run, a Surefire fork of one class).
     */
    private boolean moreToCome(PlanDemand demand, int starting) {
        if (demand == null) return true;
        long toCome = demand.stillToCome();
        if (toCome > waitingOrBooting - starting) return true;
        if (LOG.isLoggable(Level.FINE)) {
            LOG.fine("no pooled child started: " + toCome + " isolated tests still to come, "
                    + (waitingOrBooting - starting) + " children waiting or booting");
        }
        SKIPPED.incrementAndGet();
        return false;
    }

    /** A waiting child of this spec, or null; no replacement is started. */
    synchronized WarmChild takeIdle(ChildSpec spec) {
        if (closed) return null;
        ArrayDeque<WarmChild> q = idle.get(spec);
        WarmChild child = q == null ? null : q.pollFirst();
        if (child != null) waitingOrBooting--;
        return child;
    }

    private void refill(ChildSpec spec, Function<ChildSpec, ContainerConfig> config, PlanDemand demand) {
        synchronized (this) {
            // Queued behind other boots: the run may have ended, or the tests it was for started cold.
            if (closed || !moreToCome(demand, 1)) {
                waitingOrBooting--;
                return;
            }
        }
        WarmChild child = null;
        try {
            String name = "p" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
            child = WarmChild.spawn(spec, config.apply(spec), name, false);
        } catch (RuntimeException | Error e) {
            LOG.warning("could not start a pooled child JVM (tests start cold instead): " + e);
        }
        synchronized (this) {
            if (child != null && !closed) {
                idle.computeIfAbsent(spec, k -> new ArrayDeque<>()).addLast(child);
                return;
            }
            waitingOrBooting--;
        }
        if (child != null) child.discard();
    }

    /** Kills the children still waiting and removes their containers. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        spawner.shutdown();
        try {
            spawner.awaitTermination(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        discardAll();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs or ran
        }
    }

    private void discardAll() {
        List<WarmChild> all = new ArrayList<>();
        synchronized (this) {
            closed = true;
            idle.values().forEach(all::addAll);
            idle.clear();
            waitingOrBooting = 0;
        }
        for (WarmChild c : all) {
            try {
                c.discard();
            } catch (RuntimeException e) {
                LOG.warning("could not remove a pooled child's container: " + e);
            }
        }
    }
}
