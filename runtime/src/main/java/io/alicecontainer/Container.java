package io.alicecontainer;

import java.nio.file.Path;
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
    private final String name;
    private final ContainerConfig config;
    private final CgroupController cgroup;
    private ContainerState state = ContainerState.CREATED;
    private boolean destroyed;
    private List<MountOp> mountPlan;
    private ResourceUsage lastUsage;

    /** Whether this JVM runs as root: the device cgroup's rules need the host's CAP_SYS_ADMIN (none rootless). */
    private static final boolean HOST_ROOT = hostRoot();

    private static boolean hostRoot() {
        long[] ids = Rootless.effectiveIds();
        return ids != null && ids[0] == 0;
    }

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
        String unprivileged = io.alicecontainer.security.OwnPrivileges.whyContainersCannotBeMade();
        if (unprivileged != null) throw new ContainerException("cannot create container `" + name + "`: " + unprivileged);
        if (!Clone3.isAvailable()) {
            throw new ContainerException("containers cannot be spawned in this JVM: " + io.alicecontainer.clone3.SpawnShim.unavailabilityCause());
        }
        config = Rootless.adapt(config);
        CgroupController cg = CgroupController.create(name);
        try {
            // A container that sees its cgroups may make containers of its own: they must nest.
            if (config.mountCgroups()) cg.createInAllHierarchies();
            if (config.restrictDevices() && HOST_ROOT) cg.restrictDevices(io.alicecontainer.security.DeviceRules.forBinds(config.binds()));
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
                ? MountPlan.build(config.rootfs(), hostname, config.binds(), Path.of(System.getProperty("java.home")),
                        config.mountCgroups() ? cgroupLayoutForMounts() : null,
                        new MountPlan.Protection(config.maskKernelInterfaces(), config.tmpSize()))
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
        if (argv == null || argv.length == 0) throw new IllegalArgumentException("exec needs a command, got none");
        return exec(Arrays.asList(argv));
    }

    public ExecResult exec(List<String> argv) {
        return exec(Command.builder(argv).build());
    }

    /** Runs a command and waits for it; see {@link #exec(String...)}. */
    public ExecResult exec(Command command) {
        return launch(command).await();
    }

    /**
     * Starts a command and returns at once; {@link ContainerProcess#await()} waits for it and
     * pumps its output (on the calling thread: output is read only while someone awaits).
     */
    public ContainerProcess launch(Command command) {
        List<MountOp> plan;
        ResourceUsage before;
        synchronized (this) {
            checkNotDestroyed("exec in");
            if (state == ContainerState.CREATED) start();
            if (state != ContainerState.RUNNING) {
                throw new IllegalStateException("container `" + name + "` is " + state + ": exec needs a RUNNING container");
            }
            plan = mountPlan;
            before = lastUsage == null ? ResourceUsage.NONE : lastUsage;
        }
        int[] out = null;
        int[] err = null;
        try {
            out = Native.pipe();
            err = Native.pipe();
            long start = System.nanoTime();
            ChildProcess child = Clone3.spawn(request(command, plan, out[1], err[1]));
            cgroup.adoptProcess(child.pid());
            Native.closeQuietly(out[1]);
            Native.closeQuietly(err[1]);
            long limit = config.outputLimit();
            int extra = command.readFds().size();
            int[] fds = new int[2 + extra];
            OutputPump.Capture[] caps = new OutputPump.Capture[2 + extra];
            fds[0] = out[0];
            fds[1] = err[0];
            caps[0] = new OutputPump.Capture(limit, command.stdout().orElse(null));
            caps[1] = new OutputPump.Capture(limit, command.stderr().orElse(null));
            for (int i = 0; i < extra; i++) {
                fds[2 + i] = command.readFds().get(i);
                caps[2 + i] = new OutputPump.Capture(0, command.readSinks().get(i));
            }
            OutputPump pump = new OutputPump(child.pidfd(), fds, caps);
            return new ContainerProcess(this, command.argv(), child, pump, caps[0], caps[1], start,
                    command.timeout().or(config::timeout).orElse(null), before);
        } catch (RuntimeException e) {
            for (int[] p : new int[][] {out, err}) {
                if (p != null) {
                    Native.closeQuietly(p[0]);
                    Native.closeQuietly(p[1]);
                }
            }
            throw e;
        }
    }

    /** The usage accumulated since before; remembers the reading for the next command. */
    ResourceUsage usageAfter(ResourceUsage before) {
        ResourceUsage after = cgroup.usage();
        synchronized (this) {
            lastUsage = after;
        }
        return after.since(before);
    }

    private SpawnRequest request(Command command, List<MountOp> plan, int stdout, int stderr) {
        List<String> env = new ArrayList<>();
        Map<String, String> all = new java.util.LinkedHashMap<>(config.env());
        all.putAll(command.env());
        for (Map.Entry<String, String> e : all.entrySet()) env.add(e.getKey() + "=" + e.getValue());
        SpawnRequest.Builder b = SpawnRequest.builder()
                .cloneFlags(config.namespaces().cloneFlags())
                .cgroupFd(cgroup.placementFd())
                .argv(command.argv())
                .env(env)
                .workdir(command.workdir().orElse(config.workdir()).toString())
                .stdio(-1, stdout, stderr)
                .mounts(plan)
                .loopbackUp(config.namespaces().contains(Namespace.NET))
                .noNewPrivileges(config.noNewPrivileges())
                .seccompSpeculationAllowed(!config.speculationMitigations());
        if (!config.capabilities().containsAll(java.util.EnumSet.allOf(io.alicecontainer.security.Capability.class))) {
            b.capabilities(io.alicecontainer.security.Capability.mask(config.capabilities()));
        }
        if (config.seccomp() instanceof io.alicecontainer.security.Seccomp.Default d) b.seccompDefault(List.copyOf(d.allowed()));
        else if (config.seccomp() instanceof io.alicecontainer.security.Seccomp.Custom c) b.seccompFilter(c.program());
        for (int fd : command.passFds()) b.keepFd(fd);
        if (config.namespaces().contains(Namespace.UTS)) b.hostname(hostname());
        for (String f : cgroup.v1ProcsFiles()) b.joinCgroup(f);
        config.idMapping().ifPresent(m -> b.idMaps(m.uidMap(), m.gidMap()).runAs(m.insideUid(), m.insideGid()));
        return b.build();
    }

    private io.alicecontainer.cgroup.CgroupLayout cgroupLayoutForMounts() {
        return CgroupController.layout();
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
