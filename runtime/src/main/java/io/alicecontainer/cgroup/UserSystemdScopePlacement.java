package io.alicecontainer.cgroup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Rootless: a transient scope of the user's own systemd ({@code user@UID.service}) with
 * {@code Delegate=yes}, as rootless podman asks for one ({@code systemd-run --user --scope}).
 * systemd delegates pids and memory (current versions also cpu) to each user's manager on cgroup v2, so
 * the scope gets what the user may limit. Same holder as {@link SystemdScopePlacement}; the
 * difference is the manager asked. Spawning into the scope ({@code CLONE_INTO_CGROUP}) also needs
 * write access to the common ancestor of the JVM's cgroup and the scope: true where the JVM runs
 * inside the user's manager (a desktop terminal, an IDE), not in a login session's
 * {@code session-N.scope}, which root owns: that case is an error naming the fix.
 */
final class UserSystemdScopePlacement extends SystemdScopePlacement {
    UserSystemdScopePlacement(CgroupLayout layout, String owner) {
        super(layout, owner);
    }

    @Override
    public String name() {
        return "user-systemd-scope";
    }

    @Override
    List<String> command() {
        return List.of("systemd-run", "--user", "--scope", "--quiet", "--unit=" + unit(), "--description=ALICE-Container: containers of a test JVM",
                "--property=Delegate=yes", "--property=CollectMode=inactive-or-failed", "/bin/sh", "-c", "read _");
    }

    /** What the user's manager delegates (user@.service: pids memory, in current systemd also cpu; not io). */
    @Override
    java.util.Set<String> controllersIn(Path scope, java.util.Set<String> controllers) {
        return PlacementChoice.available(controllers, V2Subtree.words(scope.resolve(CgroupFiles.CONTROLLERS)));
    }

    /** cgroup_attach_permissions(): the writer needs the common ancestor's cgroup.procs, too. */
    @Override
    void checkReachable(Path scope) {
        Path own = layout.v2Own();
        Path common = own;
        while (common != null && !scope.startsWith(common)) common = common.getParent();
        if (common == null || !Files.isWritable(common.resolve(CgroupFiles.PROCS))) {
            throw new CgroupException("the user's systemd made the scope " + scope + ", but this JVM runs in " + own
                    + ", outside the user's delegated tree: spawning into the scope needs write access to " + common
                    + "/cgroup.procs. Fix: start the tests inside a delegated scope, e.g. `systemd-run --user --scope -p Delegate=yes mvn test`");
        }
    }

    @Override
    public String toString() {
        return "UserSystemdScopePlacement[" + unit() + "]";
    }
}
