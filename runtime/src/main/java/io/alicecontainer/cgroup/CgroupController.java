package io.alicecontainer.cgroup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.alicecontainer.ResourceUsage;
import io.alicecontainer.internal.Native;

/**
 * One container's cgroup, in every hierarchy the host's layout needs: the unified one (v2 and
 * hybrid: placement by {@code CLONE_INTO_CGROUP}, {@code cpu.stat}, PSI, kill, freeze) and the v1
 * controllers (v1 and hybrid: limits). Created below this JVM's own cgroup (see
 * {@code alice.cgroup.parent}); removed by {@link #destroy()}, which kills what still runs.
 *
 * <pre>{@code
 * try (CgroupController cg = CgroupController.create("job-1")) {
 *     cg.setMemoryMax(64L << 20);
 *     cg.setCpuMax(20_000, 100_000);
 *     ...
 * }
 * }</pre>
 */
public final class CgroupController implements AutoCloseable {
    private final CgroupRoot root;
    private final String name;
    private final Path v2Dir;
    private final Map<String, Path> v1Dirs;
    private final int placementFd;
    /** The devices owner group the container's processes join (restrictDevices), or null. */
    private Path sharedDevices;
    /** Without a cgroup ({@link NoCgroupPlacement}): the container's first processes, pid to start time. */
    private final Map<Long, Long> adopted = new java.util.concurrent.ConcurrentHashMap<>();
    private boolean destroyed;

    private CgroupController(CgroupRoot root, String name, Path v2Dir, Map<String, Path> v1Dirs, int placementFd) {
        this.root = root;
        this.name = name;
        this.v2Dir = v2Dir;
        this.v1Dirs = v1Dirs;
        this.placementFd = placementFd;
    }

    /**
     * Creates the cgroup {@code name} (validated by {@link CgroupNames}) in every hierarchy in use.
     * Nothing is left behind when this fails.
     *
     * @throws IllegalArgumentException for an invalid name
     * @throws CgroupException          when the cgroup exists already or cannot be created
     */
    public static CgroupController create(String name) {
        CgroupNames.validate(name);
        CgroupRoot root = CgroupRoot.get();
        if (root.limitless()) {
            CgroupController c = new CgroupController(root, name, null, new LinkedHashMap<>(), -1);
            root.live.add(c);
            return c;
        }
        List<Path> made = new ArrayList<>();
        int fd = -1;
        try {
            Path v2 = null;
            if (root.v2Owner != null) {
                v2 = root.v2Owner.resolve(name);
                CgroupFs.mkdir(v2);
                made.add(v2);
                fd = Native.open(v2.toString(), Native.O_RDONLY | Native.O_DIRECTORY);
            }
            Map<String, Path> v1 = new LinkedHashMap<>();
            for (Map.Entry<String, Path> e : root.v1Owner.entrySet()) {
                if (!CgroupRoot.eagerV1(root.layout.mode(), e.getKey())) continue;
                Path dir = e.getValue().resolve(name);
                if (!made.contains(dir)) {
                    CgroupFs.mkdir(dir);
                    made.add(dir);
                }
                v1.put(e.getKey(), dir);
            }
            CgroupController c = new CgroupController(root, name, v2, v1, fd);
            root.live.add(c);
            return c;
        } catch (RuntimeException e) {
            Native.closeQuietly(fd);
            for (Path p : made) {
                try {
                    Files.deleteIfExists(p);
                } catch (java.io.IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    /**
     * The usage of the cgroup this process itself runs in: inside a container with its own
     * cgroup namespace and cgroup filesystems mounted ({@code ContainerConfig.mountCgroups}),
     * that is the container's.
     */
    public static ResourceUsage ownUsage() {
        CgroupLayout l = CgroupLayout.detect();
        Map<String, Path> v1 = new LinkedHashMap<>(l.v1Own());
        Path v2 = l.v2Own();
        java.util.function.Function<String, Path> v2For = c -> l.mode() == CgroupMode.V2 && l.v2Controllers().contains(c) ? v2 : null;
        return CgroupUsage.read(v2, v2For.apply("memory"), v2For.apply("cpu"), v2For.apply("pids"), v2For.apply("io"), v1);
    }

    /**
     * Where this JVM's containers live and why, as logged once when the first one was made:
     * e.g. {@code cgroup placement: leaf-move (the JVM is at the root of a cgroup namespace ...)}.
     */
    public static String placement() {
        return CgroupRoot.get().placement.toString();
    }

    /**
     * Whether this JVM's containers get cgroups (limits, measured usage): false only in rootless
     * mode without a delegated cgroup, where {@code alice.isolation.rootless.limits=optional}.
     */
    public static boolean containersHaveCgroups() {
        return !CgroupRoot.get().limitless();
    }

    /** The host's layout, detected once (v2, v1 or hybrid). */
    public static CgroupLayout layout() {
        return CgroupLayout.detect();
    }

    public String name() {
        return name;
    }

    /**
     * Whether this is a cgroup at all: false without root where no cgroup is delegated and the
     * user opted in to isolation without limits ({@code alice.isolation.rootless.limits=optional}).
     * Then every limit fails, {@link #usage()} is {@link ResourceUsage#NONE} (not measured), and
     * {@link #kill()} signals the processes {@link #adoptProcess adopted}.
     */
    public boolean hasCgroup() {
        return !root.limitless();
    }

    /**
     * Without a cgroup: remembers a container's first process (PID 1 of its pid namespace), so that
     * {@link #kill()} ends it and with it everything in its namespace. A no-op for a real cgroup.
     */
    public void adoptProcess(long pid) {
        if (hasCgroup()) return;
        adopted.put(pid, CgroupRoot.startTime(pid));
    }

    private CgroupException noCgroup(String what) {
        return new CgroupException("cannot " + what + " for `" + name + "`: this JVM's containers have no cgroup (cgroup placement "
                + "none: rootless without a delegated cgroup, " + RootlessChoice.LIMITS_PROPERTY + "=optional), so no limits and no "
                + "measured usage. Fix: a cgroup delegated to this user (-D" + CgroupRoot.PARENT_PROPERTY + "=...), or run as root");
    }

    public CgroupMode mode() {
        return root.layout.mode();
    }

    /** The cgroup in the unified hierarchy, empty on pure v1. */
    public Optional<Path> v2Path() {
        return Optional.ofNullable(v2Dir);
    }

    /** Per v1 controller, the cgroup directory (empty on pure v2). */
    public Map<String, Path> v1Paths() {
        return Collections.unmodifiableMap(v1Dirs);
    }

    /** The main directory: the v2 cgroup, or the v1 memory cgroup on pure v1. */
    public Path path() {
        if (!hasCgroup()) throw noCgroup("name a cgroup path");
        return v2Dir != null ? v2Dir : v1Dirs.getOrDefault("memory", v1Dirs.values().iterator().next());
    }

    /** An O_DIRECTORY fd of the v2 cgroup for {@code CLONE_INTO_CGROUP}, or -1 on pure v1. Owned by this object. */
    public int placementFd() {
        return placementFd;
    }

    /** The v1 {@code cgroup.procs} files a new process must be written to (hybrid and v1). */
    public synchronized List<String> v1ProcsFiles() {
        List<String> out = new ArrayList<>();
        for (Path d : new LinkedHashSet<>(v1Dirs.values())) out.add(d.resolve(CgroupFiles.PROCS).toString());
        if (sharedDevices != null) out.add(sharedDevices.resolve(CgroupFiles.PROCS).toString());
        return out;
    }

    /** cpu.max: quotaUs of CPU time per periodUs; quotaUs -1 for unlimited. 20% of one CPU: (20000, 100000). */
    public void setCpuMax(long quotaUs, long periodUs) {
        if (periodUs < 1000 || periodUs > 1_000_000) {
            throw new IllegalArgumentException("cpu period must be 1000..1000000 µs, was " + periodUs);
        }
        if (quotaUs != -1 && quotaUs < 1000) {
            throw new IllegalArgumentException("cpu quota must be at least 1000 µs or -1 (unlimited), was " + quotaUs);
        }
        if (!hasCgroup()) throw noCgroup("set a CPU limit");
        CgroupLimits.cpuMax(v2For("cpu"), v2For("cpu") == null ? v1("cpu") : null, quotaUs, periodUs);
    }

    /** memory.max in bytes, with swap off for the cgroup. */
    public void setMemoryMax(long bytes) {
        if (bytes <= 0) throw new IllegalArgumentException("memory limit must be positive, was " + bytes);
        if (!hasCgroup()) throw noCgroup("set a memory limit");
        CgroupLimits.memoryMax(v2For("memory"), v1Dirs.get("memory"), bytes);
    }

    /** pids.max: at most this many tasks (processes and threads) at once. */
    public void setPidsMax(long max) {
        if (max <= 0) throw new IllegalArgumentException("pids limit must be positive, was " + max);
        if (!hasCgroup()) throw noCgroup("set a pids limit");
        CgroupLimits.pidsMax(v2For("pids") != null ? v2Dir : v1("pids"), max);
    }

    /** io.max (v2) or blkio throttling (v1) for one block device. */
    public void setIoMax(IoLimit limit) {
        if (!hasCgroup()) throw noCgroup("set an io limit");
        CgroupLimits.ioMax(v2For("io"), v2For("io") == null ? v1("blkio") : null, limit);
    }

    /**
     * Device access as runc's default (rules as {@code "c 1:3 rwm"}). With a cgroup-v1
     * {@code devices} hierarchy of ours (v1, hybrid; Documentation/admin-guide/cgroup-v1/devices.rst)
     * the container's processes join, at spawn, this JVM's devices owner group, which denies all
     * but runc's defaults (set once) and the rules of device nodes bound into any of its
     * containers (added here); without one (pure v2), a {@code BPF_PROG_TYPE_CGROUP_DEVICE}
     * program of exactly these rules is attached to the container's v2 cgroup
     * ({@link DeviceFilter}). Returns false, doing nothing, where neither is possible: no cgroup,
     * or a kernel that refuses the rules (logged once). Not for rootless mode: the rules need the
     * host's CAP_SYS_ADMIN.
     */
    public boolean restrictDevices(List<String> allowed) {
        if (!hasCgroup()) return false;
        Path owner = root.v1Owner.get("devices");
        if (owner == null) return v2Dir != null && placementFd >= 0 && DeviceFilter.attach(placementFd, allowed);
        root.allowDevices(allowed);
        synchronized (this) {
            sharedDevices = owner;
        }
        return true;
    }

    /**
     * Which device cgroup {@link #restrictDevices} uses on this host: "v1 devices", "bpf" (pure
     * v2), or null with no cgroups or where the kernel refused the BPF program.
     */
    public static String deviceCgroup() {
        CgroupRoot r = CgroupRoot.get();
        if (r.limitless()) return null;
        if (r.v1Owner.containsKey("devices")) return "v1 devices";
        return r.v2Owner != null && DeviceFilter.unavailable() == null ? "bpf" : null;
    }

    /**
     * The cgroup of a v1 controller, made on first use (null where the layout has no such
     * controller). Processes already inside join it at once; new ones join at spawn.
     */
    private synchronized Path v1(String controller) {
        Path dir = v1Dirs.get(controller);
        if (dir != null || destroyed) return dir;
        Path owner = root.v1Owner.get(controller);
        if (owner == null) return null;
        dir = owner.resolve(name);
        if (!v1Dirs.containsValue(dir)) {   // co-mounted controllers share one directory
            CgroupFs.mkdir(dir);
            for (long pid : pids()) CgroupFs.write(dir.resolve(CgroupFiles.PROCS), Long.toString(pid));
        }
        v1Dirs.put(controller, dir);
        return dir;
    }

    /**
     * Makes the cgroup in every hierarchy the layout uses, not only those with a limit (v1 and
     * hybrid; a no-op on v2). A container that runs containers of its own needs it: otherwise
     * its processes stay in their old cgroup in the other hierarchies, and what they create
     * there lands outside the container.
     */
    public void createInAllHierarchies() {
        for (String controller : root.v1Owner.keySet()) {
            if (!controller.equals("devices")) v1(controller);   // shared, see restrictDevices
        }
    }

    /** Moves a process (all its threads) into this cgroup, in every hierarchy. */
    public void addProcess(long pid) {
        if (pid <= 0) throw new IllegalArgumentException("not a pid: " + pid);
        if (!hasCgroup()) throw noCgroup("move a process");
        if (v2Dir != null) CgroupFs.write(v2Dir.resolve(CgroupFiles.PROCS), Long.toString(pid));
        for (String f : v1ProcsFiles()) CgroupFs.write(Path.of(f), Long.toString(pid));
    }

    /** Processes in this cgroup and below. */
    public List<Long> pids() {
        if (!hasCgroup()) {
            List<Long> alive = new ArrayList<>();
            adopted.forEach((pid, start) -> {
                if (CgroupRoot.startTime(pid) == start && !zombie(pid)) alive.add(pid);
            });
            return alive;
        }
        return CgroupTree.pids(path());
    }

    public boolean isPopulated() {
        return !pids().isEmpty();
    }

    /** Memory in use now, in bytes. */
    public long memoryCurrent() {
        if (!hasCgroup()) return 0;
        return CgroupUsage.memoryCurrent(v2For("memory"), v1Dirs.get("memory"));
    }

    /**
     * The memory peak as a resettable reading (see {@link MemoryPeak}); close it when done. On
     * hybrid and v1 layouts, a reset is shared by every reader of the cgroup.
     */
    public MemoryPeak memoryPeak() {
        if (!hasCgroup()) return MemoryPeak.of(null, null);   // -1: not reported
        return MemoryPeak.of(v2For("memory"), v1Dirs.get("memory"));
    }

    /** CPU time used so far, in µs. */
    public long cpuUsageUs() {
        if (!hasCgroup()) return 0;
        return CgroupUsage.cpuTime(v2Dir, v1Dirs)[0].toNanos() / 1000;
    }

    /** Everything the cgroup reports, read now. */
    public ResourceUsage usage() {
        if (!hasCgroup()) return ResourceUsage.NONE;
        return CgroupUsage.read(v2Dir, v2For("memory"), v2For("cpu"), v2For("pids"), v2For("io"), v1Dirs);
    }

    /** Freezes every process inside and waits until the kernel reports the cgroup frozen. */
    public void freeze() {
        if (!hasCgroup()) throw noCgroup("freeze");
        CgroupFreezer.freeze(v2Dir, v1Dirs.get("freezer"), true);
    }

    /** Whether the kernel reports the cgroup frozen. */
    public boolean isFrozen() {
        if (!hasCgroup()) return false;
        return CgroupFreezer.isFrozen(v2Dir, v1Dirs.get("freezer"));
    }

    /** Thaws a frozen cgroup. */
    public void thaw() {
        if (!hasCgroup()) throw noCgroup("thaw");
        CgroupFreezer.freeze(v2Dir, v1Dirs.get("freezer"), false);
    }

    /**
     * SIGKILLs every process inside and waits until none is left. The cgroup is frozen while the
     * processes are listed and signalled, so a fork cannot slip through, then thawed: it stays
     * usable. (Not {@code cgroup.kill}: on kernels with the fork/kill race fix of 6.14, a cgroup
     * that was killed once kills every later {@code CLONE_INTO_CGROUP} child.)
     */
    public void kill() {
        if (!hasCgroup()) {
            killAdopted();
            return;
        }
        Path freezer = v1Dirs.get("freezer");
        boolean canFreeze = v2Dir != null || freezer != null;
        if (canFreeze) {
            try {
                CgroupFreezer.freeze(v2Dir, freezer, true);
            } catch (CgroupException stuck) {
                if (v2Dir != null) {
                    CgroupFreezer.freeze(v2Dir, null, false);
                    throw stuck;
                }
                // v1 stuck in FREEZING (thawed again by the freezer): killed round by round below instead
                canFreeze = false;
            }
        }
        try {
            for (long pid : pids()) Native.libc().kill((int) pid, 9);
        } finally {
            if (canFreeze) CgroupFreezer.freeze(v2Dir, freezer, false);
        }
        if (!canFreeze) CgroupTree.killAll(path());
        if (!CgroupTree.awaitEmpty(path(), 10_000)) {
            throw new CgroupException("processes of " + path() + " survived SIGKILL for 10 s: " + pids());
        }
    }

    /** Kills what still runs and removes the cgroup from every hierarchy. Idempotent. */
    public synchronized void destroy() {
        if (destroyed) return;
        if (!hasCgroup()) {
            killAdopted();
            destroyed = true;
            root.live.remove(this);
            return;
        }
        try {
            // The cgroup goes away: the one-shot cgroup.kill (where the kernel has it) is enough.
            if (!CgroupTree.awaitEmpty(path(), 0)) {
                CgroupTree.killAll(path());
                // v1: a frozen (paused) task dies of its SIGKILL only once thawed; v2's cgroup.kill wakes it.
                if (v2Dir == null) CgroupFreezer.thawV1(v1Dirs.get("freezer"));
            }
            if (!CgroupTree.awaitEmpty(path(), 10_000)) {
                throw new CgroupException("processes of " + path() + " survived SIGKILL for 10 s: " + pids());
            }
            if (v2Dir != null) CgroupTree.remove(v2Dir);
            for (Path d : new LinkedHashSet<>(v1Dirs.values())) CgroupTree.remove(d);
            destroyed = true;
        } finally {
            if (destroyed) {
                Native.closeQuietly(placementFd);
                root.live.remove(this);
            }
        }
    }

    /** An ended process not yet reaped by whoever waits for it: nothing left to kill. */
    private static boolean zombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (java.io.IOException | RuntimeException e) {
            return true;
        }
    }

    /** SIGKILL to each adopted PID 1 ends its pid namespace; waits until they are gone (10 s at most). */
    private void killAdopted() {
        for (long pid : pids()) Native.libc().kill((int) pid, 9);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!pids().isEmpty()) {
            if (System.nanoTime() > deadline) throw new CgroupException("processes of container `" + name + "` survived SIGKILL for 10 s: " + pids());
            CgroupTree.sleepMillis(2);
        }
        adopted.clear();
    }

    public boolean isDestroyed() {
        return destroyed;
    }

    /** Same as {@link #destroy()}. */
    @Override
    public void close() {
        destroy();
    }

    /** The v2 cgroup when the controller is enabled in the unified hierarchy (pure v2), else null. */
    private Path v2For(String controller) {
        return root.v2Enabled.contains(controller) ? v2Dir : null;
    }

    @Override
    public String toString() {
        return "CgroupController[" + name + (hasCgroup() ? " at " + path() : ", no cgroup") + "]";
    }

    static Duration micros(long us) {
        return Duration.ofNanos(us * 1000);
    }
}
