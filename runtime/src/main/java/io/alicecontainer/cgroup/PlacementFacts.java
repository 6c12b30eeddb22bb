package io.alicecontainer.cgroup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * What the placement decision needs to know about this host, read from the filesystem (sample
 * contents in tests).
 *
 * @param layout        the detected layout
 * @param selfPid       this JVM's pid (as its pid namespace sees it, as cgroup.procs lists it)
 * @param realRoot      the JVM's v2 cgroup is the hierarchy's real root (no {@code cgroup.type}:
 *                      the kernel exempts it from the no-internal-processes rule)
 * @param namespaceRoot the JVM's v2 cgroup is the root of its cgroup namespace but not the real
 *                      root: a container's (privileged Docker, a Kubernetes pod, GitLab's executor)
 * @param ownProcs      the pids in the JVM's v2 cgroup ({@code cgroup.procs})
 * @param ownWritable   this user may create groups in the JVM's v2 cgroup and move its processes
 * @param readOnly      cgroup2 is mounted read-only (an unprivileged container)
 * @param systemd       systemd runs the host ({@code /run/systemd/system} exists, as sd_booted(3) checks)
 * @param systemdBus    systemd can be asked for a scope: {@code systemd-run} and its private socket or the system bus
 * @param rootControllers the hierarchy root's {@code cgroup.controllers} (what a scope or a group at the root may get)
 * @param euid          the effective user id
 * @param ancestors     the JVM's v2 cgroup's ancestors, nearest first, up to the mount, each with its
 *                      {@code cgroup.subtree_control}, whether this user may create groups in it and
 *                      whether it is the real root
 * @param v1Writable    the v1 controllers (v1, hybrid) whose own cgroup of the JVM this user may create groups in:
 *                      all of them for root, the delegated ones without root
 * @param userSystemd   the user's own systemd answers ({@code systemd-run} and {@code $XDG_RUNTIME_DIR/systemd/private}
 *                      or the user bus): a rootless placement may ask it for a delegated scope
 */
record PlacementFacts(CgroupLayout layout, long selfPid, boolean realRoot, boolean namespaceRoot, List<Long> ownProcs,
                      boolean ownWritable, boolean readOnly, boolean systemd, boolean systemdBus, Set<String> rootControllers, int euid,
                      List<Ancestor> ancestors, Set<String> v1Writable, boolean userSystemd) {

    record Ancestor(Path dir, Set<String> subtreeControl, boolean writable, boolean realRoot) {
    }

    /** These facts without a systemd to ask: where asking it failed. */
    PlacementFacts withoutSystemdBus() {
        return new PlacementFacts(layout, selfPid, realRoot, namespaceRoot, ownProcs, ownWritable, readOnly, systemd, false,
                rootControllers, euid, ancestors, v1Writable, false);
    }

    /** Without root: containers need a user namespace and a cgroup delegated to this user. */
    boolean rootless() {
        return euid != 0;
    }

    /** The pids in the JVM's cgroup other than the JVM itself. */
    List<Long> otherProcs() {
        return ownProcs.stream().filter(p -> p != selfPid).toList();
    }

    static PlacementFacts detect(CgroupLayout layout) {
        try {
            return read(layout, Files.readString(Path.of("/proc/self/mountinfo")), ProcessHandle.current().pid(),
                    euid(Files.readString(Path.of("/proc/self/status"))), Files.isDirectory(Path.of("/run/systemd/system")),
                    systemdBusAvailable(), PlacementFacts::readIfExists, PlacementFacts::mayCreateIn)
                    .withUserSystemd(userSystemdAvailable());
        } catch (IOException e) {
            throw new CgroupException("cannot read /proc/self/mountinfo or /proc/self/status: " + e.getMessage(), e);
        }
    }

    /** The facts from file contents; files are read through readFile, writability through mayCreateIn. */
    static PlacementFacts read(CgroupLayout layout, String mountinfo, long selfPid, int euid, boolean systemd, boolean systemdBus,
                               Function<Path, Optional<String>> readFile, Predicate<Path> mayCreateIn) {
        Path own = layout.v2Own();
        Set<String> v1Writable = new LinkedHashSet<>();
        layout.v1Own().forEach((c, dir) -> {
            if (mayCreateIn.test(dir)) v1Writable.add(c);
        });
        if (own == null) {
            return new PlacementFacts(layout, selfPid, false, false, List.of(), false, false, systemd, systemdBus, Set.of(), euid,
                    List.of(), v1Writable, false);
        }
        boolean realRoot = own.equals(layout.v2Mount()) && readFile.apply(own.resolve("cgroup.type")).isEmpty();
        boolean namespaceRoot = own.equals(layout.v2Mount()) && !realRoot;
        List<Long> procs = new ArrayList<>();
        readFile.apply(own.resolve(CgroupFiles.PROCS)).ifPresent(s -> {
            for (String l : s.split("\n")) if (!l.isBlank()) procs.add(Long.parseLong(l.trim()));
        });
        List<Ancestor> ancestors = new ArrayList<>();
        for (Path p = own.getParent(); p != null && p.startsWith(layout.v2Mount()); p = p.getParent()) {
            Set<String> enabled = new LinkedHashSet<>();
            readFile.apply(p.resolve(CgroupFiles.SUBTREE_CONTROL)).ifPresent(s -> enabled.addAll(List.of(s.trim().split("\\s+"))));
            enabled.remove("");
            boolean top = p.equals(layout.v2Mount()) && readFile.apply(p.resolve("cgroup.type")).isEmpty();
            ancestors.add(new Ancestor(p, enabled, mayCreateIn.test(p), top));
        }
        return new PlacementFacts(layout, selfPid, realRoot, namespaceRoot, procs, mayCreateIn.test(own),
                readOnly(mountinfo, layout.v2Mount()), systemd, systemdBus, words(readFile.apply(layout.v2Mount().resolve(CgroupFiles.CONTROLLERS))),
                euid, ancestors, v1Writable, false);
    }

    /** These facts with the user's own systemd answering or not. */
    PlacementFacts withUserSystemd(boolean answers) {
        return new PlacementFacts(layout, selfPid, realRoot, namespaceRoot, ownProcs, ownWritable, readOnly, systemd, systemdBus,
                rootControllers, euid, ancestors, v1Writable, answers && euid != 0);
    }

    private static Set<String> words(Optional<String> text) {
        Set<String> out = new LinkedHashSet<>();
        text.ifPresent(t -> out.addAll(List.of(t.trim().split("\\s+"))));
        out.remove("");
        return out;
    }

    /** Whether the cgroup2 mount at mountPoint has the per-mount option ro (mountinfo field 6). */
    static boolean readOnly(String mountinfo, Path mountPoint) {
        Map<Path, Boolean> ro = new LinkedHashMap<>();
        for (String line : mountinfo.split("\n")) {
            int dash = line.indexOf(" - ");
            if (dash < 0 || !line.substring(dash + 3).startsWith("cgroup2 ")) continue;
            String[] pre = line.substring(0, dash).split(" ");
            if (pre.length < 6) continue;
            ro.put(Path.of(CgroupLayout.unescape(pre[4])), List.of(pre[5].split(",")).contains("ro"));
        }
        return ro.getOrDefault(mountPoint, false);
    }

    /** The effective uid: the second field of the Uid line of /proc/self/status. */
    static int euid(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("Uid:")) return Integer.parseInt(line.split("\\s+")[2]);
        }
        return -1;
    }

    /** systemd-run on the PATH and a socket to reach systemd by. */
    private static boolean systemdBusAvailable() {
        if (!Files.exists(SystemdScopePlacement.PRIVATE_SOCKET) && !Files.exists(SystemdScopePlacement.SYSTEM_BUS)) return false;
        return onPath("systemd-run");
    }

    /** A user (not root) with systemd-run and the socket of the user's own systemd (user@UID.service). */
    private static boolean userSystemdAvailable() {
        String runtimeDir = System.getenv("XDG_RUNTIME_DIR");
        if (runtimeDir == null || runtimeDir.isBlank()) return false;
        if (!Files.exists(Path.of(runtimeDir, "systemd", "private")) && !Files.exists(Path.of(runtimeDir, "bus"))) return false;
        return onPath("systemd-run");
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) return true;
        }
        return false;
    }

    private static Optional<String> readIfExists(Path p) {
        try {
            return Optional.of(Files.readString(p));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * mkdir(2) in a cgroup directory needs write permission on it (root has it unless mounted ro);
     * moving processes in also needs its {@code cgroup.procs} (a delegated cgroup has both chowned).
     */
    private static boolean mayCreateIn(Path dir) {
        return Files.isWritable(dir) && Files.isWritable(dir.resolve(CgroupFiles.PROCS));
    }
}
