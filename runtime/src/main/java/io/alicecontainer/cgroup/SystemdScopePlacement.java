package io.alicecontainer.cgroup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A transient systemd scope with {@code Delegate=yes}, as runc's and podman's systemd driver ask
 * for one ({@code StartTransientUnit}): systemd owns the tree and hands the scope's subtree to
 * us. A scope needs a process: a small holder whose stdin is a pipe from this JVM, so that it
 * ends with the JVM, and with it the scope. {@code systemd-run --scope} asks for the scope and
 * becomes the holder ({@code sh -c 'read _'}); as root it talks to systemd on its private socket,
 * so no bus daemon is needed (systemctl does the same), else on the system bus. The holder moves
 * into the scope's leaf {@code init}, the containers go into {@code alice} beside it. The JVM
 * itself stays where it was started, under its job's limits. Scopes of ours beside the new one whose
 * JVM is gone (SIGKILLed with containers still running in them) are swept first
 * ({@link #sweepScopes}).
 */
class SystemdScopePlacement implements Placement {
    /** systemd's private socket, served to root without a bus daemon (systemctl uses it the same way). */
    static final Path PRIVATE_SOCKET = Path.of("/run/systemd/private");
    static final Path SYSTEM_BUS = Path.of("/run/dbus/system_bus_socket");
    /** alice-jvm-&lt;pid&gt;-&lt;starttime&gt;.scope: the owner JVM, as {@link CgroupRoot#ownerName()} names it. */
    private static final Pattern SCOPE = Pattern.compile("alice-jvm-(\\d+)-(\\d+)\\.scope");
    private static final Logger LOG = Logger.getLogger(SystemdScopePlacement.class.getName());
    final CgroupLayout layout;
    private final String unit;
    private Process holder;

    SystemdScopePlacement(CgroupLayout layout, String owner) {
        this.layout = layout;
        this.unit = "alice-" + owner + ".scope";
    }

    @Override
    public String name() {
        return "systemd-scope";
    }

    String unit() {
        return unit;
    }

    @Override
    public Path prepareV2(Set<String> controllers) {
        try {
            holder = new ProcessBuilder(command()).redirectErrorStream(true).start();
            Path scope = awaitScope(holder, 10_000);
            sweepScopes(scope.getParent(), unit, CgroupRoot.inInitialPidNamespace());
            checkReachable(scope);
            Set<String> there = controllersIn(scope, controllers);
            if (!there.isEmpty()) V2Subtree.evacuateAndEnable(scope, scope.resolve(LeafMovePlacement.LEAF), there);
            return V2Subtree.base(scope.resolve(NestedPlacement.GROUP), there);
        } catch (IOException | RuntimeException e) {
            release();
            throw e instanceof CgroupException c ? c : new CgroupException("cannot get a systemd scope " + unit + ": " + e.getMessage(), e);
        }
    }

    /** Ends the holder: the scope is then empty and systemd stops it and removes its cgroup. */
    @Override
    public void release() {
        if (holder != null) holder.destroyForcibly();
    }

    /**
     * Stops what the scopes of dead JVMs of ours still hold in {@code slice} (where the same manager
     * put this JVM's scope): everything in them is killed (cgroup.kill) and our groups in them are
     * removed; the manager then collects the empty scope ({@code CollectMode=inactive-or-failed}).
     * A scope is only touched when its name is ours and its owner provably gone
     * ({@link #ownerGone}). Returns how many were swept.
     */
    static int sweepScopes(Path slice, String ownUnit, boolean initialPidNamespace) {
        int swept = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(slice, Files::isDirectory)) {
            for (Path d : ds) {
                String name = d.getFileName().toString();
                Matcher m = SCOPE.matcher(name);
                if (!m.matches() || name.equals(ownUnit)) continue;
                if (!ownerGone(d, Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), initialPidNamespace)) continue;
                LOG.info(() -> "stopping what the scope " + d + " still holds: its JVM is gone");
                try {
                    CgroupTree.killAll(d);
                    CgroupTree.awaitEmpty(d, 5000);
                    for (Path inner : CgroupTree.descendants(d)) CgroupTree.remove(inner);
                    swept++;
                } catch (CgroupException e) {
                    LOG.warning("could not sweep " + d + ": " + e.getMessage());
                }
            }
        } catch (IOException e) {
            LOG.warning("could not list " + slice + " for scopes of JVMs that are gone: " + e.getMessage());
        }
        return swept;
    }

    /**
     * Whether the JVM that made a scope is gone: its pid shows another start time or none, where this
     * JVM sees every pid (the initial pid namespace). Elsewhere the owner may live in a pid namespace
     * this JVM cannot see into, so the scope must tell, once it was made whole (its {@code alice}
     * group exists, so the holder was moved into its leaf before): the holder's leaf is empty
     * ({@code populated 0}: the holder ended, which it does when its stdin, a pipe from the owner,
     * closes), or the holder lives in this JVM's pid namespace, and with it the owner, whose pid is
     * then judged here.
     */
    static boolean ownerGone(Path scope, long pid, long start, boolean initialPidNamespace) {
        long actual = CgroupRoot.startTime(pid);
        if (actual == start) return false;
        if (initialPidNamespace) return true;
        Path leaf = scope.resolve(LeafMovePlacement.LEAF);
        if (!Files.isDirectory(scope.resolve(NestedPlacement.GROUP)) || !Files.isDirectory(leaf)) return false;
        if (CgroupFs.readIfPresent(leaf.resolve(CgroupFiles.EVENTS)).map(e -> e.contains("populated 0")).orElse(false)) return true;
        List<String> holders = CgroupFs.readIfPresent(leaf.resolve(CgroupFiles.PROCS)).map(s -> s.lines().filter(l -> !l.isBlank()).toList())
                .orElse(List.of());
        return !holders.isEmpty() && holders.stream().allMatch(SystemdScopePlacement::inThisPidNamespace);
    }

    private static boolean inThisPidNamespace(String pid) {
        try {
            return Files.readSymbolicLink(Path.of("/proc", pid.trim(), "ns", "pid")).equals(Files.readSymbolicLink(Path.of("/proc/self/ns/pid")));
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** Of the controllers, those the scope got (root's scope: all that were asked for, as before). */
    Set<String> controllersIn(Path scope, Set<String> controllers) {
        return controllers;
    }

    /** Whether this JVM may spawn into the scope; the user variant checks the common ancestor. */
    void checkReachable(Path scope) {
    }

    /** The command asking for the scope and then running the holder in it. */
    List<String> command() {
        return systemdRun(unit);
    }

    /** systemd-run asking for the delegated scope and then running the holder in it. */
    static List<String> systemdRun(String unit) {
        return List.of("systemd-run", "--scope", "--quiet", "--unit=" + unit, "--description=ALICE-Container: containers of a test JVM",
                "--property=Delegate=yes", "--property=CollectMode=inactive-or-failed", "/bin/sh", "-c", "read _");
    }

    /** The scope's cgroup, once systemd has moved the holder into it. */
    private Path awaitScope(Process p, long timeoutMillis) throws IOException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        while (true) {
            if (!p.isAlive()) {
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                throw new CgroupException("systemd refused the scope " + unit + ": " + String.join(" ", command())
                        + " exited with " + p.exitValue() + ": " + out);
            }
            try {
                for (String line : Files.readAllLines(Path.of("/proc/" + p.pid() + "/cgroup"))) {
                    if (line.startsWith("0::") && line.endsWith("/" + unit)) {
                        return layout.v2Mount().resolve(line.substring(4));
                    }
                }
            } catch (java.nio.file.NoSuchFileException gone) {
                // exited meanwhile: reported above in the next round
            }
            if (System.nanoTime() > deadline) throw new CgroupException("systemd did not start the scope " + unit + " within " + timeoutMillis + " ms");
            CgroupTree.sleepMillis(5);
        }
    }

    @Override
    public Path v1Base(String controller) {
        throw new IllegalStateException("systemd-scope is a cgroup-v2 placement here");
    }

    @Override
    public String toString() {
        return "SystemdScopePlacement[" + unit + "]";
    }
}
