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
 * Where this JVM's containers live: {@code <own cgroup>/alice/jvm-<pid>-<starttime>/<name>} in
 * every hierarchy in use, so that the limits and accounting of whoever started the JVM still
 * cover them. The {@code jvm-} level names its owner: a group whose owner is gone was left by a
 * crashed run and is swept when the next JVM starts using cgroups; a live owner's is never
 * touched. A shutdown hook removes this JVM's group and whatever it still holds.
 *
 * <p>The parent is {@code alice} below the JVM's own cgroup, or the value of the system property
 * {@value #PARENT_PROPERTY}: a relative path is taken below the JVM's own cgroup, an absolute one
 * from the root of each hierarchy (for a delegated subtree on pure cgroup v2, where the
 * no-internal-processes rule forbids enabling controllers below a cgroup that holds processes).
 */
final class CgroupRoot {
    static final String PARENT_PROPERTY = "alice.cgroup.parent";
    private static final Logger LOG = Logger.getLogger(CgroupRoot.class.getName());
    private static final Pattern OWNER = Pattern.compile("jvm-(\\d+)-(\\d+)");
    private static final List<String> V2_CONTROLLERS = List.of("cpu", "memory", "pids", "io");
    private static volatile CgroupRoot instance;

    final CgroupLayout layout;
    /** The owner group in the v2 hierarchy (v2, hybrid), or null. */
    final Path v2Owner;
    /** Per v1 controller the owner group in its hierarchy (v1, hybrid). */
    final Map<String, Path> v1Owner;
    final Set<String> v2Enabled;
    final Set<CgroupController> live = ConcurrentHashMap.newKeySet();

    private CgroupRoot(CgroupLayout layout, Path v2Owner, Map<String, Path> v1Owner, Set<String> v2Enabled) {
        this.layout = layout;
        this.v2Owner = v2Owner;
        this.v1Owner = v1Owner;
        this.v2Enabled = v2Enabled;
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
     * The v1 controllers a container may use in each mode. Each one it joins costs a migration
     * ({@code cgroup.procs} write) per spawn, so only {@link #eagerV1} ones are made with the
     * container; cpu, pids and blkio come when a limit of theirs is set.
     */
    static List<String> v1ControllersFor(CgroupLayout layout) {
        List<String> wanted = switch (layout.mode()) {
            case V2 -> List.of();
            case HYBRID -> List.of("memory", "cpu", "pids", "blkio");
            case V1 -> List.of("memory", "cpu", "cpuacct", "pids", "freezer", "blkio");
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
        String parent = System.getProperty(PARENT_PROPERTY, "alice");
        String owner = ownerName();
        Path v2Owner = null;
        Set<String> enabled = new LinkedHashSet<>();
        if (layout.mode() != CgroupMode.V1) {
            Path base = base(layout.v2Mount(), layout.v2Own(), parent);
            if (layout.mode() == CgroupMode.V2) enabled.addAll(enableV2Controllers(layout, base, parent));
            ensureDir(base);
            sweep(base);
            v2Owner = base.resolve(owner);
            ensureDir(v2Owner);
            if (!enabled.isEmpty()) enableIn(v2Owner, enabled);
        }
        Map<String, Path> v1Owner = new LinkedHashMap<>();
        for (String c : v1ControllersFor(layout)) {
            v1Owner.put(c, ownerIn(layout, c, parent, owner));
        }
        CgroupRoot root = new CgroupRoot(layout, v2Owner, v1Owner, enabled);
        Runtime.getRuntime().addShutdownHook(new Thread(root::shutdown, "alice-cgroup-cleanup"));
        return root;
    }

    private static Path ownerIn(CgroupLayout layout, String controller, String parent, String owner) {
        Path base = base(layout.v1Mounts().get(controller), layout.v1Own().get(controller), parent);
        ensureDir(base);
        sweep(base);
        Path dir = base.resolve(owner);
        ensureDir(dir);
        return dir;
    }

    private static Path base(Path mount, Path own, String parent) {
        for (String part : parent.split("/")) {
            if (!part.isEmpty()) CgroupNames.validate(part);
        }
        return parent.startsWith("/") ? mount.resolve(parent.substring(1)) : own.resolve(parent);
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

    /**
     * cgroup v2: controllers must be enabled in every ancestor's subtree_control. Enabling them
     * below a non-root cgroup that holds processes fails with EBUSY (no internal processes).
     */
    private static Set<String> enableV2Controllers(CgroupLayout layout, Path base, String parent) {
        Set<String> want = new LinkedHashSet<>();
        for (String c : V2_CONTROLLERS) {
            if (layout.v2Controllers().contains(c)) want.add(c);
        }
        if (want.isEmpty()) return want;
        if (!parent.startsWith("/")) {
            try {
                enableIn(layout.v2Own(), want);
            } catch (CgroupException e) {
                throw new CgroupException("cannot enable the " + want + " controllers below " + layout.v2Own()
                        + ", the JVM's own cgroup: cgroup v2 forbids it while that cgroup holds processes "
                        + "(no-internal-processes rule). Run the JVM in a leaf of a delegated subtree and set -D"
                        + PARENT_PROPERTY + "=/<path of a cgroup you may use, relative to " + layout.v2Mount()
                        + ">, or start it in the root cgroup. Cause: " + e.getMessage(), e);
            }
        }
        ensureDir(base);
        enableIn(base, want);
        return want;
    }

    private static void enableIn(Path dir, Set<String> controllers) {
        String current = CgroupFs.read(dir.resolve(CgroupFiles.SUBTREE_CONTROL));
        Set<String> have = new LinkedHashSet<>(List.of(current.trim().split("\\s+")));
        StringBuilder add = new StringBuilder();
        for (String c : controllers) {
            if (!have.contains(c)) add.append(add.length() == 0 ? "" : " ").append('+').append(c);
        }
        if (add.length() > 0) CgroupFs.write(dir.resolve(CgroupFiles.SUBTREE_CONTROL), add.toString());
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
    }
}
