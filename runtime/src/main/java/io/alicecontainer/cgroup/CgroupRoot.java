package io.alicecontainer.cgroup;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where this JVM's containers live: {@code <placement>/jvm-<pid>-<starttime>/<name>} in every
 * hierarchy in use. The placement ({@link Placement}, chosen by {@link PlacementChoice} and logged
 * once) is {@code alice} below the JVM's own cgroup where possible, so that the limits and
 * accounting of whoever started the JVM still cover them; the system property
 * {@value #PARENT_PROPERTY} names one explicitly. The {@code jvm-} level names its owner: a group
 * whose owner is gone was left by a crashed run and is swept when the next JVM starts using
 * cgroups; a live owner's is never touched. A shutdown hook removes this JVM's group and whatever
 * it still holds.
 */
final class CgroupRoot {
    static final String PARENT_PROPERTY = "alice.cgroup.parent";
    private static final Logger LOG = Logger.getLogger(CgroupRoot.class.getName());
    private static final Pattern OWNER = Pattern.compile("jvm-(\\d+)-(\\d+)");
    private static final List<String> V2_CONTROLLERS = List.of("cpu", "memory", "pids", "io");
    /** The v2 controllers containers use, in the order they are enabled. */
    static final Set<String> V2_CONTROLLERS_SET = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(V2_CONTROLLERS));
    private static volatile CgroupRoot instance;

    final CgroupLayout layout;
    /** The owner group in the v2 hierarchy (v2, hybrid), or null. */
    final Path v2Owner;
    /** Per v1 controller the owner group in its hierarchy (v1, hybrid). */
    final Map<String, Path> v1Owner;
    final Set<String> v2Enabled;
    /** Which placement driver was chosen, and why. */
    final PlacementChoice.Decision placement;
    final Set<CgroupController> live = ConcurrentHashMap.newKeySet();

    /** No cgroup of this JVM's containers at all ({@link NoCgroupPlacement}). */
    boolean limitless() {
        return placement.placement().limitless();
    }

    private CgroupRoot(CgroupLayout layout, Path v2Owner, Map<String, Path> v1Owner, Set<String> v2Enabled,
                       PlacementChoice.Decision placement) {
        this.layout = layout;
        this.v2Owner = v2Owner;
        this.v1Owner = v1Owner;
        this.v2Enabled = v2Enabled;
        this.placement = placement;
    }

    static CgroupRoot get() {
        CgroupRoot r = instance;
        if (r == null) {
            synchronized (CgroupRoot.class) {
                r = instance;
                if (r == null) {
                    r = open(CgroupLayout.detect());
                    instance = r;
                }
            }
        }
        return r;
    }

    /**
     * This JVM's owner groups (the v2 one and one per v1 hierarchy), wherever the placement put
     * them, without opening the root: none before the first container. For leak checks in tests.
     */
    static List<Path> ownerGroupsIfOpen() {
        CgroupRoot r = instance;
        if (r == null) return List.of();
        List<Path> out = new ArrayList<>(r.v1Owner.values());
        if (r.v2Owner != null) out.add(r.v2Owner);
        return out;
    }

    /**
     * The v1 controllers a container may use in each mode. Each one it joins costs a migration
     * ({@code cgroup.procs} write) per spawn, so only {@link #eagerV1} ones are made with the
     * container; cpu, pids and blkio come when a limit of theirs is set; devices is the owner
     * group alone, which every restricted container joins ({@link CgroupController#restrictDevices}).
     */
    static List<String> v1ControllersFor(CgroupLayout layout) {
        List<String> wanted = switch (layout.mode()) {
            case V2 -> List.of();
            case HYBRID -> List.of("memory", "cpu", "pids", "blkio", "devices");
            case V1 -> List.of("memory", "cpu", "cpuacct", "pids", "freezer", "blkio", "devices");
        };
        List<String> out = new ArrayList<>();
        for (String c : wanted) {
            if (layout.v1Own().containsKey(c)) out.add(c);
        }
        return out;
    }

    /** Made with every container: memory (usage, peak, OOM kills); on pure v1 also CPU time and the freezer. */
    static boolean eagerV1(CgroupMode mode, String controller) {
        return controller.equals("memory") || (mode == CgroupMode.V1 && (controller.equals("cpuacct") || controller.equals("freezer")));
    }

    private static CgroupRoot open(CgroupLayout layout) {
        Set<String> wanted = layout.mode() == CgroupMode.V2 ? V2_CONTROLLERS_SET : Set.of();
        PlacementFacts facts = PlacementFacts.detect(layout);
        PlacementChoice.Decision decision = PlacementChoice.choose(facts, System.getProperty(PARENT_PROPERTY), wanted);
        Path base = null;
        if (layout.mode() != CgroupMode.V1) {
            try {
                base = decision.placement().prepareV2(decision.controllers());
            } catch (CgroupException e) {
                if (!(decision.placement() instanceof SystemdScopePlacement)) throw e;
                // systemd did not give a scope: the cgroupfs drivers' way, and the log line says why.
                PlacementChoice.Decision first = decision;
                decision = PlacementChoice.choose(facts.withoutSystemdBus(), System.getProperty(PARENT_PROPERTY), wanted);
                decision = new PlacementChoice.Decision(decision.placement(), decision.reason() + "; "
                        + first.placement().name() + " failed: " + e.getMessage(), decision.controllers());
                base = decision.placement().prepareV2(decision.controllers());
            }
        }
        if (base != null && !decision.controllers().isEmpty()) {
            // What the placement really got (a user's scope: what the user's systemd delegates).
            Set<String> got = PlacementChoice.available(decision.controllers(), V2Subtree.words(base.resolve(CgroupFiles.SUBTREE_CONTROL)));
            if (!got.equals(decision.controllers())) decision = new PlacementChoice.Decision(decision.placement(), decision.reason(), got);
        }
        LOG.info(decision::toString);
        Placement placement = decision.placement();
        String owner = ownerName();
        Path v2Owner = null;
        if (base != null) {
            sweep(base);
            v2Owner = base.resolve(owner);
            V2Subtree.ensureDir(v2Owner);
            if (!decision.controllers().isEmpty()) {
                // Again, now that our owner group keeps the base from being removed: another JVM of
                // this cgroup that exited meanwhile may have removed the empty base (see shutdown).
                V2Subtree.enable(base, decision.controllers());
                V2Subtree.enable(v2Owner, decision.controllers());
            }
        }
        Map<String, Path> v1Owner = new LinkedHashMap<>();
        List<String> v1Controllers = placement.limitless() ? new ArrayList<>() : v1ControllersFor(layout);
        if (facts.rootless()) {
            v1Controllers.retainAll(facts.v1Writable());   // only the delegated ones
            v1Controllers.remove("devices");               // its rules need CAP_SYS_ADMIN of the host's user namespace
        }
        for (String c : v1Controllers) {
            Path v1Base = placement.v1Base(c);
            ensureDir(v1Base);
            sweep(v1Base);
            Path dir = v1Base.resolve(owner);
            ensureDir(dir); // makes the base again if an exiting JVM of this cgroup removed it meanwhile
            if (c.equals("devices") && !restrictDevices(dir)) continue;
            v1Owner.put(c, dir);
        }
        CgroupRoot root = new CgroupRoot(layout, v2Owner, v1Owner, decision.controllers(), decision);
        Runtime.getRuntime().addShutdownHook(new Thread(root::shutdown, "alice-cgroup-cleanup"));
        return root;
    }

    /** jvm-<pid>-<starttime>: unique for the life of the machine. */
    static String ownerName() {
        long pid = ProcessHandle.current().pid();
        return "jvm-" + pid + "-" + startTime(pid);
    }

    /** Field 22 of /proc/<pid>/stat (starttime in clock ticks since boot), -1 when gone. */
    static long startTime(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[19]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static void ensureDir(Path dir) {
        if (Files.isDirectory(dir)) return;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new CgroupException("cannot create cgroup " + dir + ": " + e
                    + (isRoot() ? "" : " (containers need root, or a cgroup delegated to this user)"), e);
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /**
     * Removes owner groups whose JVM is gone, with everything inside. Only owners this process
     * can judge: in a pid namespace of its own (inside a container) another namespace's JVMs are
     * invisible, not gone, so a group whose pid cannot be seen is left alone there.
     */
    static void sweep(Path parentDir) {
        boolean initialPidNamespace = inInitialPidNamespace();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(parentDir, Files::isDirectory)) {
            for (Path d : ds) {
                Matcher m = OWNER.matcher(d.getFileName().toString());
                if (!m.matches()) continue;
                long pid = Long.parseLong(m.group(1));
                long start = Long.parseLong(m.group(2));
                long actual = startTime(pid);
                if (actual == start) continue;
                if (actual == -1 && !initialPidNamespace) continue;
                LOG.info(() -> "removing stale cgroup " + d + " left by a JVM that is gone");
                CgroupTree.killAndRemove(d);
            }
        } catch (java.nio.file.NoSuchFileException e) {
            // removed by another JVM of this cgroup as it exited: nothing to sweep
        } catch (IOException e) {
            throw new CgroupException("cannot list " + parentDir + ": " + e.getMessage(), e);
        }
    }

    /** Whether this process sees all pids (its NSpid in /proc/self/status has one level). */
    static boolean inInitialPidNamespace() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("NSpid:")) return line.trim().split("\\s+").length == 2;
            }
        } catch (IOException e) {
            return false;
        }
        return true; // kernels before 4.1 have no NSpid line and no way to tell: assume the host
    }

    /**
     * The devices owner group is the device cgroup of every restricted container of this JVM
     * (they join it; none has a devices group of its own, so a container costs no mkdir and no
     * rule writes): deny all, then runc's defaults, once. False, logged, where the kernel refuses.
     */
    private static boolean restrictDevices(Path owner) {
        try {
            CgroupFs.write(owner.resolve(CgroupFiles.DEVICES_DENY), "a");
            for (String rule : io.alicecontainer.security.DeviceRules.DEFAULTS) {
                CgroupFs.write(owner.resolve(CgroupFiles.DEVICES_ALLOW), rule);
            }
            return true;
        } catch (CgroupException e) {
            LOG.warning(() -> "no device cgroup for containers: " + e.getMessage());
            return false;
        }
    }

    /** Rules of the devices owner group beyond the defaults, written so far. */
    private final Set<String> extraDevices = ConcurrentHashMap.newKeySet();

    /** Allows these rules too in the devices owner group (a device node a container binds in). */
    synchronized void allowDevices(List<String> rules) {
        Path owner = v1Owner.get("devices");
        for (String rule : rules) {
            if (io.alicecontainer.security.DeviceRules.DEFAULTS.contains(rule) || !extraDevices.add(rule)) continue;
            CgroupFs.write(owner.resolve(CgroupFiles.DEVICES_ALLOW), rule);
        }
    }

    /**
     * The {@code alice} group a placement made (below the JVM's own cgroup, or the ancestor the
     * cgroupfs driver chose), once no JVM has an owner group in it:
     * left behind, it would keep whoever made the JVM's cgroup (a CI job, a systemd unit, a
     * session) from removing that cgroup when it ends. The kernel refuses to remove a group with
     * children (EBUSY), so another JVM's owner group is never at risk; one that is starting meanwhile
     * makes the base again ({@link #open}).
     */
    static void removeIfEmpty(Path base) {
        if (base == null || !NestedPlacement.GROUP.equals(String.valueOf(base.getFileName()))) return;
        try {
            Files.delete(base);
        } catch (IOException e) {
            // another JVM's owner group is in it, or it is gone already
        }
    }

    private void shutdown() {
        for (CgroupController c : live) {
            try {
                c.destroy();
            } catch (RuntimeException e) {
                LOG.warning("could not remove " + c + " at exit: " + e.getMessage());
            }
        }
        List<Path> owners = new ArrayList<>(v1Owner.values());
        if (v2Owner != null) owners.add(v2Owner);
        for (Path p : owners) {
            try {
                CgroupTree.killAndRemove(p);
            } catch (RuntimeException e) {
                LOG.warning("could not remove " + p + " at exit: " + e.getMessage());
            }
        }
        Placement made = placement.placement();
        if (made instanceof NestedPlacement || made instanceof LeafMovePlacement || made instanceof CgroupfsPlacement) {
            for (Path p : owners) removeIfEmpty(p.getParent());
        }
        placement.placement().release();
    }
}
