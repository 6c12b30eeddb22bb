package io.alicecontainer.cgroup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * A transient systemd scope with {@code Delegate=yes}, as runc's and podman's systemd driver ask
 * for one ({@code StartTransientUnit}): systemd owns the tree and hands the scope's subtree to
 * us. A scope needs a process: a small holder whose stdin is a pipe from this JVM, so that it
 * ends with the JVM, and with it the scope. {@code systemd-run --scope} asks for the scope and
 * becomes the holder ({@code sh -c 'read _'}); as root it talks to systemd on its private socket,
 * so no bus daemon is needed (systemctl does the same), else on the system bus. The holder moves
 * into the scope's leaf {@code init}, the containers go into {@code alice} beside it. The JVM
 * itself stays where it was started, under its job's limits.
 */
class SystemdScopePlacement implements Placement {
    /** systemd's private socket, served to root without a bus daemon (systemctl uses it the same way). */
    static final Path PRIVATE_SOCKET = Path.of("/run/systemd/private");
    static final Path SYSTEM_BUS = Path.of("/run/dbus/system_bus_socket");
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
