package io.alicecontainer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.alicecontainer.cgroup.CgroupController;
import io.alicecontainer.cgroup.CgroupNames;
import io.alicecontainer.cgroup.IoLimit;
import io.alicecontainer.clone3.ChildProcess;
import io.alicecontainer.clone3.Clone3;
import io.alicecontainer.clone3.MountOp;
import io.alicecontainer.clone3.SpawnRequest;
import io.alicecontainer.internal.Native;
import io.alicecontainer.internal.OutputPump;
import io.alicecontainer.namespace.Namespace;
import io.alicecontainer.rootfs.MountPlan;

/**
 * A container: a cgroup with limits, in which every {@link #exec} spawns a process with
 * {@code clone3(CLONE_INTO_CGROUP)} in new namespaces and the configured root filesystem. The
 * process is PID 1 of its own pid namespace; when it ends, the namespace ends with it.
 *
 * <pre>{@code
 * try (Container c = Container.create("job-1", ContainerConfig.builder().memoryMax(64L << 20).build())) {
 *     c.start();
 *     ExecResult r = c.exec("python3", "-c", "print(42)");
 *     r.exitCode();                 // 0
 *     r.usage().memoryPeakBytes();  // what the container used
 * }
 * }</pre>
 *
 * Lifecycle: {@code create → start → exec ... → pause ⇄ resume → stop → destroy}; {@link #close()}
 * destroys. {@link #stop()} kills every process in the cgroup ({@code cgroup.kill}, or freeze and
 * kill on v1), so none survives. Thread-safe: several threads may exec at once (the usage of each
 * result then overlaps the others').
 */
public final class Container implements AutoCloseable {
    private static final long DRAIN_AFTER_EXIT_MILLIS = 200;

    private final String name;
    private final ContainerConfig config;
    private final CgroupController cgroup;
    private ContainerState state = ContainerState.CREATED;
    private boolean destroyed;
    private List<MountOp> mountPlan;
    private ResourceUsage lastUsage;

    private Container(String name, ContainerConfig config, CgroupController cgroup) {
        this.name = name;
        this.config = config;
        this.cgroup = cgroup;
    }

    /**
     * Creates the container's cgroup with the configured limits. Nothing is left behind when this
     * throws.
     *
     * @throws IllegalArgumentException for an invalid name (a {@code /}, {@code ..}, ...)
     * @throws ContainerException       when the cgroup cannot be created or a limit is refused
     */
    public static Container create(String name, ContainerConfig config) {
        CgroupNames.validate(name);
        Objects.requireNonNull(config, "config");
        if (!Clone3.isAvailable()) {
            throw new ContainerException("containers cannot be spawned in this JVM: " + io.alicecontainer.clone3.SpawnShim.unavailabilityCause());
        }
        CgroupController cg = CgroupController.create(name);
        try {
            config.cpuPercent().ifPresent(p -> cg.setCpuMax(p * ContainerConfig.CPU_PERIOD_US / 100, ContainerConfig.CPU_PERIOD_US));
            config.memoryMax().ifPresent(cg::setMemoryMax);
            config.pidsMax().ifPresent(cg::setPidsMax);
            for (IoLimit l : config.ioLimits()) cg.setIoMax(l);
        } catch (RuntimeException e) {
            try {
                cg.destroy();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        return new Container(name, config, cg);
    }

    public String name() {
        return name;
    }

    public ContainerConfig config() {
        return config;
    }

    /** The container's cgroup, for reading usage or changing limits while it runs. */
    public CgroupController cgroup() {
        return cgroup;
    }

    public synchronized ContainerState state() {
        return state;
    }

    /** Prepares the root filesystem plan; the container accepts commands from now on. */
    public synchronized void start() {
        checkNotDestroyed("start");
        if (state != ContainerState.CREATED) {
            throw new IllegalStateException("container `" + name + "` is " + state + ": only a CREATED container can be started");
        }
        String hostname = config.namespaces().contains(Namespace.UTS) ? hostname() : null;
        mountPlan = config.namespaces().contains(Namespace.MOUNT)
                ? MountPlan.build(config.rootfs(), hostname, config.binds(), Path.of(System.getProperty("java.home")))
                : List.of();
        if (!config.namespaces().contains(Namespace.MOUNT) && !(config.rootfs() instanceof io.alicecontainer.rootfs.RootFs.HostRoot)) {
            throw new IllegalStateException("a root filesystem other than RootFs.hostRoot() needs the mount namespace");
        }
        state = ContainerState.RUNNING;
    }

    /**
     * Runs a command in a new process of the container and waits for it (at most the configured
     * timeout, after which the whole container is killed). A CREATED container is started first.
     * A program without {@code /} is looked up in the container's PATH.
     *
     * @throws io.alicecontainer.clone3.SpawnException when the process cannot be started, naming
     *         the step: "execve of `nosuch` failed: ENOENT (No such file or directory)"
     */
    public ExecResult exec(String... argv) {
        return exec(Arrays.asList(argv));
    }

    public ExecResult exec(List<String> argv) {
        if (argv == null || argv.isEmpty()) throw new IllegalArgumentException("exec needs a command, got none");
        List<MountOp> plan;
        ResourceUsage before;
        synchronized (this) {
            checkNotDestroyed("exec");
            if (state == ContainerState.CREATED) start();
            if (state != ContainerState.RUNNING) {
                throw new IllegalStateException("container `" + name + "` is " + state + ": exec needs a RUNNING container");
            }
            plan = mountPlan;
            before = lastUsage;
        }
        if (before == null) before = ResourceUsage.NONE;
        return run(argv, plan, before);
    }

    private ExecResult run(List<String> argv, List<MountOp> plan, ResourceUsage before) {
        int[] out = Native.pipe();
        int[] err;
        try {
            err = Native.pipe();
        } catch (RuntimeException e) {
            Native.closeQuietly(out[0]);
            Native.closeQuietly(out[1]);
            throw e;
        }
        long start = System.nanoTime();
        ChildProcess child;
        try {
            child = Clone3.spawn(request(argv, plan, out[1], err[1]));
        } catch (RuntimeException e) {
            Native.closeQuietly(out[0]);
            Native.closeQuietly(err[0]);
            throw e;
        } finally {
            Native.closeQuietly(out[1]);
            Native.closeQuietly(err[1]);
        }
        OutputPump.Capture so = new OutputPump.Capture(config.outputLimit(), null);
        OutputPump.Capture se = new OutputPump.Capture(config.outputLimit(), null);
        OutputPump pump = new OutputPump(out[0], err[0], child.pidfd(), so, se);
        boolean timedOut = false;
        io.alicecontainer.clone3.ExitStatus status;
        try {
            long deadline = config.timeout().map(t -> start + t.toNanos()).orElse(Long.MAX_VALUE);
            if (!pump.pump(deadline, DRAIN_AFTER_EXIT_MILLIS)) {
                timedOut = true;
                cgroup.kill();
                pump.pump(Long.MAX_VALUE, DRAIN_AFTER_EXIT_MILLIS);
            }
            status = child.waitFor();
        } finally {
            pump.closeAll();
            child.close();
        }
        Duration wall = Duration.ofNanos(System.nanoTime() - start);
        ResourceUsage after = cgroup.usage();
        synchronized (this) {
            lastUsage = after;
        }
        ResourceUsage used = after.since(before);
        return new ExecResult(argv, status.code(), status.signal(), used.oomKills() > 0, timedOut, so.bytes(),
                so.truncated(), se.bytes(), se.truncated(), wall, used);
    }

    private SpawnRequest request(List<String> argv, List<MountOp> plan, int stdout, int stderr) {
        List<String> env = new ArrayList<>();
        for (Map.Entry<String, String> e : config.env().entrySet()) env.add(e.getKey() + "=" + e.getValue());
        SpawnRequest.Builder b = SpawnRequest.builder()
                .cloneFlags(config.namespaces().cloneFlags())
                .cgroupFd(cgroup.placementFd())
                .argv(argv)
                .env(env)
                .workdir(config.workdir().toString())
                .stdio(-1, stdout, stderr)
                .mounts(plan)
                .loopbackUp(config.namespaces().contains(Namespace.NET));
        if (config.namespaces().contains(Namespace.UTS)) b.hostname(hostname());
        for (String f : cgroup.v1ProcsFiles()) b.joinCgroup(f);
        config.idMapping().ifPresent(m -> b.idMaps(m.uidMap(), m.gidMap()).runAs(m.insideUid(), m.insideGid()));
        return b.build();
    }

    private String hostname() {
        return config.hostname().orElseGet(() -> {
            String h = name.replace('_', '-');
            return h.length() > 64 ? h.substring(0, 64) : h;
        });
    }

    /** Freezes every process of the container. */
    public synchronized void pause() {
        checkNotDestroyed("pause");
        if (state != ContainerState.RUNNING) throw new IllegalStateException("container `" + name + "` is " + state + ": only a RUNNING container can be paused");
        cgroup.freeze();
        state = ContainerState.PAUSED;
    }

    /** Thaws a paused container. */
    public synchronized void resume() {
        checkNotDestroyed("resume");
        if (state != ContainerState.PAUSED) throw new IllegalStateException("container `" + name + "` is " + state + ": only a PAUSED container can be resumed");
        cgroup.thaw();
        state = ContainerState.RUNNING;
    }

    /** Kills every process of the container (a paused one too) and waits until none is left. */
    public synchronized void stop() {
        checkNotDestroyed("stop");
        if (state == ContainerState.STOPPED) return;
        cgroup.kill();
        if (state == ContainerState.PAUSED) cgroup.thaw();
        state = ContainerState.STOPPED;
    }

    /** The container's usage now, cumulative over its life. */
    public ResourceUsage usage() {
        checkNotDestroyed("read the usage of");
        return cgroup.usage();
    }

    /** Stops the container and removes its cgroup. Idempotent. */
    public synchronized void destroy() {
        if (destroyed) return;
        if (state == ContainerState.PAUSED) cgroup.thaw();
        cgroup.destroy();
        state = ContainerState.STOPPED;
        destroyed = true;
    }

    /** {@link #destroy()}. */
    @Override
    public void close() {
        destroy();
    }

    private void checkNotDestroyed(String what) {
        if (destroyed) throw new IllegalStateException("cannot " + what + " container `" + name + "`: it was destroyed");
    }

    @Override
    public String toString() {
        return "Container[" + name + ", " + state() + ", " + config + "]";
    }
}
