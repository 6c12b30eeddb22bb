package io.alicecontainer.cgroup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A transient systemd scope with {@code Delegate=yes}, as runc's and podman's systemd driver ask
 * for one ({@code StartTransientUnit}, through systemd's own {@code busctl}): systemd owns the
 * tree and hands the scope's subtree to us. A scope needs a process: a small holder
 * ({@code sh -c 'read _'}) whose stdin is a pipe from this JVM, so that it ends with the JVM, and
 * with it the scope. The holder moves into the scope's leaf {@code init}, the containers go into
 * {@code alice} beside it. The JVM itself stays where it was started, under its job's limits.
 */
final class SystemdScopePlacement implements Placement {
    /** systemd's private socket, served to root without a bus daemon (systemctl uses it the same way). */
    static final Path PRIVATE_SOCKET = Path.of("/run/systemd/private");
    static final Path SYSTEM_BUS = Path.of("/run/dbus/system_bus_socket");
    private final CgroupLayout layout;
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
            holder = new ProcessBuilder("/bin/sh", "-c", "read _").redirectErrorStream(true).start();
            busctl(startTransientUnit(unit, holder.pid()));
            Path scope = awaitScope(holder.pid(), 5_000);
            if (!controllers.isEmpty()) V2Subtree.evacuateAndEnable(scope, scope.resolve(LeafMovePlacement.LEAF), controllers);
            Path base = scope.resolve(NestedPlacement.GROUP);
            V2Subtree.ensureDir(base);
            if (!controllers.isEmpty()) V2Subtree.enable(base, controllers);
            return base;
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

    /** The busctl arguments of StartTransientUnit(name, mode, properties, aux) for a delegated scope around pid. */
    static List<String> startTransientUnit(String unit, long pid) {
        return List.of("call", "org.freedesktop.systemd1", "/org/freedesktop/systemd1", "org.freedesktop.systemd1.Manager",
                "StartTransientUnit", "ssa(sv)a(sa(sv))", unit, "fail", "4",
                "PIDs", "au", "1", Long.toString(pid),
                "Delegate", "b", "true",
                "CollectMode", "s", "inactive-or-failed",
                "Description", "s", "ALICE-Container: containers of a test JVM",
                "0");
    }

    private static void busctl(List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("busctl"));
        // Root talks to systemd directly where no bus daemon runs (containers, minimal hosts).
        if (Files.exists(PRIVATE_SOCKET) && Files.isWritable(PRIVATE_SOCKET)) cmd.add("--address=unix:path=" + PRIVATE_SOCKET);
        else cmd.add("--system");
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new CgroupException("busctl StartTransientUnit did not answer within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new CgroupException("interrupted while asking systemd for a scope", e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (p.exitValue() != 0) throw new CgroupException("systemd refused the scope: " + String.join(" ", cmd) + ": " + out);
    }

    /** The scope's cgroup, once systemd has moved the holder into it. */
    private Path awaitScope(long pid, long timeoutMillis) throws IOException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        while (true) {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/cgroup"))) {
                if (line.startsWith("0::") && line.endsWith("/" + unit)) {
                    return layout.v2Mount().resolve(line.substring(4));
                }
            }
            if (System.nanoTime() > deadline) throw new CgroupException("systemd did not move the holder into " + unit + " within " + timeoutMillis + " ms");
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
