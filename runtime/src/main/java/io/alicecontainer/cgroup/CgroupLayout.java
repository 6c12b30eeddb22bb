package io.alicecontainer.cgroup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The host's cgroup layout as this JVM sees it, detected from the filesystem itself
 * ({@code /proc/self/mountinfo}, {@code /proc/self/cgroup}, {@code cgroup.controllers}).
 *
 * @param mode          v2, v1 or hybrid
 * @param v2Mount       where cgroup2 is mounted, or null
 * @param v2Own         the JVM's own cgroup in the v2 hierarchy, or null
 * @param v2Controllers the controllers available in {@code v2Own} ({@code cgroup.controllers})
 * @param v1Own         per v1 controller (memory, cpu, cpuacct, pids, freezer, blkio, ...): the
 *                      JVM's own cgroup directory in that controller's hierarchy
 */
public record CgroupLayout(CgroupMode mode, Path v2Mount, Path v2Own, Set<String> v2Controllers,
                           Map<String, Path> v1Own, Map<String, Path> v1Mounts, Map<Path, String> v1Hierarchies) {

    /** v1 controllers the runtime uses, if mounted. */
    static final List<String> V1_CONTROLLERS = List.of("memory", "cpu", "cpuacct", "pids", "freezer", "blkio", "devices");

    public CgroupLayout {
        v2Controllers = Collections.unmodifiableSet(new LinkedHashSet<>(v2Controllers));
        v1Own = Collections.unmodifiableMap(new LinkedHashMap<>(v1Own));
        v1Mounts = Collections.unmodifiableMap(new LinkedHashMap<>(v1Mounts));
        v1Hierarchies = Collections.unmodifiableMap(new LinkedHashMap<>(v1Hierarchies));
    }

    /** Every v1 controller the kernel may have; a hierarchy's mount options minus these are not controllers. */
    static final Set<String> ALL_V1_CONTROLLERS = Set.of("cpu", "cpuacct", "cpuset", "memory", "devices", "freezer",
            "net_cls", "net_prio", "blkio", "perf_event", "hugetlb", "pids", "rdma", "misc");

    /** System property forcing a backend: {@code v2}, {@code v1} or {@code hybrid} (default: detect). */
    public static final String MODE_PROPERTY = "alice.cgroup.mode";

    private static volatile CgroupLayout detected;

    /**
     * The layout of this host, detected once per JVM. The system property {@value #MODE_PROPERTY}
     * may narrow it to one backend the host also supports (a hybrid host can run the pure-v1 or
     * the controller-less v2 path).
     */
    public static CgroupLayout detect() {
        CgroupLayout l = detected;
        if (l == null) {
            try {
                l = parse(Files.readString(Path.of("/proc/self/mountinfo")), Files.readString(Path.of("/proc/self/cgroup")),
                        CgroupLayout::readIfExists).forced(System.getProperty(MODE_PROPERTY, ""));
            } catch (IOException e) {
                throw new CgroupException("cannot read /proc/self/mountinfo or /proc/self/cgroup: " + e.getMessage(), e);
            }
            detected = l;
        }
        return l;
    }

    /**
     * Whether a limit of this controller ({@code cpu}, {@code memory}, {@code pids}, {@code io})
     * can be set here: enabled in the unified hierarchy (v2), or mounted as v1 (v1, hybrid).
     */
    public boolean supportsLimit(String controller) {
        if (mode == CgroupMode.V2) return v2Controllers.contains(controller);
        return v1Own.containsKey(controller.equals("io") ? "blkio" : controller);
    }

    /** This layout narrowed to the named backend; "" or "auto" keeps it. */
    CgroupLayout forced(String name) {
        String m = name.trim().toLowerCase(java.util.Locale.ROOT);
        if (m.isEmpty() || m.equals("auto") || m.equals(mode.name().toLowerCase(java.util.Locale.ROOT))) return this;
        switch (m) {
            case "v1" -> {
                if (v1Own.isEmpty()) throw new CgroupException(MODE_PROPERTY + "=v1, but no v1 controller is mounted: " + this);
                return new CgroupLayout(CgroupMode.V1, null, null, Set.of(), v1Own, v1Mounts, v1Hierarchies);
            }
            case "v2" -> {
                if (v2Own == null) throw new CgroupException(MODE_PROPERTY + "=v2, but cgroup2 is not mounted: " + this);
                return new CgroupLayout(CgroupMode.V2, v2Mount, v2Own, v2Controllers, Map.of(), Map.of(), Map.of());
            }
            case "hybrid" -> {
                if (v2Own == null || v1Own.isEmpty()) throw new CgroupException(MODE_PROPERTY + "=hybrid needs cgroup2 and v1 controllers: " + this);
                return new CgroupLayout(CgroupMode.HYBRID, v2Mount, v2Own, v2Controllers, v1Own, v1Mounts, v1Hierarchies);
            }
            default -> throw new CgroupException(MODE_PROPERTY + " must be v2, v1, hybrid or auto, not `" + name + "`");
        }
    }

    private static Optional<String> readIfExists(Path p) {
        try {
            return Optional.of(Files.readString(p));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Detection from the text of mountinfo and /proc/self/cgroup; files are read through readFile. */
    static CgroupLayout parse(String mountinfo, String selfCgroup, Function<Path, Optional<String>> readFile) {
        Path v2Mount = null;
        String v2Root = "/";
        Map<String, Path> v1Mounts = new LinkedHashMap<>();
        Map<String, String> v1Roots = new LinkedHashMap<>();
        Map<Path, String> hierarchies = new LinkedHashMap<>();
        for (String line : mountinfo.split("\n")) {
            int dash = line.indexOf(" - ");
            if (dash < 0) continue;
            String[] pre = line.substring(0, dash).split(" ");
            String[] post = line.substring(dash + 3).split(" ");
            if (pre.length < 5 || post.length < 3) continue;
            String root = unescape(pre[3]);
            Path mountPoint = Path.of(unescape(pre[4]));
            if (post[0].equals("cgroup2") && v2Mount == null) {
                v2Mount = mountPoint;
                v2Root = root;
            } else if (post[0].equals("cgroup")) {
                List<String> controllers = new java.util.ArrayList<>();
                for (String opt : post[2].split(",")) {
                    if (ALL_V1_CONTROLLERS.contains(opt)) controllers.add(opt);
                }
                if (!controllers.isEmpty()) hierarchies.putIfAbsent(mountPoint, String.join(",", controllers));
                for (String opt : post[2].split(",")) {
                    if (V1_CONTROLLERS.contains(opt) && !v1Mounts.containsKey(opt)) {
                        v1Mounts.put(opt, mountPoint);
                        v1Roots.put(opt, root);
                    }
                }
            }
        }
        Path v2Own = null;
        Map<String, Path> v1Own = new LinkedHashMap<>();
        for (String line : selfCgroup.split("\n")) {
            String[] f = line.split(":", 3);
            if (f.length != 3) continue;
            if (f[0].equals("0") && f[1].isEmpty()) {
                if (v2Mount != null) v2Own = resolve(v2Mount, v2Root, f[2]);
            } else {
                for (String c : f[1].split(",")) {
                    if (v1Mounts.containsKey(c)) v1Own.put(c, resolve(v1Mounts.get(c), v1Roots.get(c), f[2]));
                }
            }
        }
        Set<String> controllers = new LinkedHashSet<>();
        if (v2Own != null) {
            readFile.apply(v2Own.resolve(CgroupFiles.CONTROLLERS))
                    .ifPresent(s -> controllers.addAll(List.of(s.trim().split("\\s+"))));
            controllers.remove("");
        }
        CgroupMode mode;
        if (v2Own != null && controllers.contains("memory")) {
            mode = CgroupMode.V2;
        } else if (v1Own.containsKey("memory") || v1Own.containsKey("cpu")) {
            mode = v2Own != null ? CgroupMode.HYBRID : CgroupMode.V1;
        } else if (v2Own != null) {
            mode = CgroupMode.V2;
        } else {
            throw new CgroupException("no cgroup hierarchy found in /proc/self/mountinfo: mount cgroup2 on /sys/fs/cgroup "
                    + "(or the v1 controllers) to run containers");
        }
        if (mode == CgroupMode.V2) {
            v1Own.clear();
            hierarchies.clear();
        }
        return new CgroupLayout(mode, v2Mount, v2Own, controllers, v1Own, v1Mounts, hierarchies);
    }

    private static Path resolve(Path mountPoint, String mountRoot, String cgroupPath) {
        String rel = cgroupPath;
        if (!mountRoot.equals("/") && (rel.equals(mountRoot) || rel.startsWith(mountRoot + "/"))) {
            rel = rel.substring(mountRoot.length());
        }
        while (rel.startsWith("/")) rel = rel.substring(1);
        return rel.isEmpty() ? mountPoint : mountPoint.resolve(rel);
    }

    /** mountinfo escapes space, tab, newline and backslash as octal (\040). */
    static String unescape(String s) {
        if (s.indexOf('\\') < 0) return s;
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length()) {
                try {
                    b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                    i += 3;
                    continue;
                } catch (NumberFormatException ignored) {
                    // not an escape: keep the backslash
                }
            }
            b.append(c);
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return "CgroupLayout[" + mode + (v2Own != null ? ", v2 " + v2Own + " " + v2Controllers : "")
                + (v1Own.isEmpty() ? "" : ", v1 " + v1Own) + "]";
    }
}
