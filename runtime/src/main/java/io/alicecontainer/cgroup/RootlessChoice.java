package io.alicecontainer.cgroup;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The placement without root (rootless mode, as rootless podman's): containers get a user
 * namespace, and their cgroups must lie in a subtree delegated to this user. In order: the JVM's
 * own cgroups when they are delegated (a chowned subtree; on pure v2 only where the JVM is alone
 * in its cgroup, as systemd's {@code user@UID.service} gives a dedicated scope), a transient scope
 * of the user's own systemd with {@code Delegate=yes}, an ancestor this user may write that
 * passes the controllers down. Where none exists: a {@link CgroupException} naming what was found
 * and the fixes, unless {@value #LIMITS_PROPERTY}{@code =optional} asked for isolation without
 * limits ({@link NoCgroupPlacement}).
 */
final class RootlessChoice {
    /** {@code required} (default): no rootless container without a cgroup of its own; {@code optional}: then without. */
    static final String LIMITS_PROPERTY = "alice.isolation.rootless.limits";

    private RootlessChoice() {
    }

    /** Whether the property asks for isolation without limits where no cgroup is delegated. */
    static boolean limitsOptional(String value) {
        if (value == null || value.isBlank() || value.trim().equalsIgnoreCase("required")) return false;
        if (value.trim().equalsIgnoreCase("optional")) return true;
        throw new CgroupException(LIMITS_PROPERTY + " must be `required` or `optional`, not `" + value + "`");
    }

    static PlacementChoice.Decision choose(PlacementFacts f, Set<String> wanted, boolean limitsOptional) {
        CgroupLayout l = f.layout();
        String who = "rootless (uid " + f.euid() + ")";
        if (l.mode() != CgroupMode.V2) {
            List<String> delegated = new ArrayList<>(f.v1Writable());
            boolean unifiedOk = l.v2Own() == null || f.ownWritable();
            if (unifiedOk && delegated.contains("memory")) {
                Set<String> missing = new LinkedHashSet<>(CgroupRoot.v1ControllersFor(l));
                missing.removeAll(delegated);
                missing.remove("devices");   // no limit, and never used rootless (CgroupRoot)
                return new PlacementChoice.Decision(new NestedPlacement(l), who + ": the JVM's own cgroups are delegated to this user ("
                        + String.join(" ", delegated) + (l.v2Own() != null ? " and the unified " + l.v2Own() : "")
                        + "): containers nest below them" + (missing.isEmpty() ? "" : "; not delegated, so no limits of theirs: "
                        + String.join(" ", missing)), Set.of());
            }
            List<String> found = new ArrayList<>();
            l.v1Own().forEach((c, dir) -> found.add(c + " " + dir + (f.v1Writable().contains(c) ? " (writable)" : "")));
            if (l.v2Own() != null) found.add("unified " + l.v2Own() + (f.ownWritable() ? " (writable)" : ""));
            return unplaceable(f, who + ": no cgroup of the JVM's is delegated to this user (the memory cgroup"
                    + (l.v2Own() != null ? " and the unified one must be" : " must be") + "; found " + String.join(", ", found) + ")",
                    limitsOptional, "a delegated subtree (made by root: mkdir, then chown -R " + f.euid() + " in each hierarchy, "
                    + "with the JVM started inside it)");
        }
        Path own = l.v2Own();
        if (f.readOnly()) {
            return unplaceable(f, who + ": cgroup2 is mounted read-only at " + l.v2Mount(), limitsOptional, "a writable cgroup2 mount");
        }
        if (f.ownWritable() && (f.namespaceRoot() || f.otherProcs().isEmpty())) {
            return new PlacementChoice.Decision(new LeafMovePlacement(l, own), who + ": the JVM's cgroup " + own
                    + " is delegated to this user and holds only the JVM: it moves into " + own.resolve(LeafMovePlacement.LEAF)
                    + " and the containers go beside it", wanted);
        }
        if (f.userSystemd()) {
            UserSystemdScopePlacement scope = new UserSystemdScopePlacement(l, CgroupRoot.ownerName());
            return new PlacementChoice.Decision(scope, who + ": the JVM's cgroup " + own + " holds " + f.otherProcs().size()
                    + " other processes" + (f.ownWritable() ? "" : " and is not delegated to this user") + ": a transient scope "
                    + scope.unit() + " of the user's systemd with Delegate=yes, as rootless podman asks for",
                    f.layout().v2Controllers().isEmpty() ? wanted : CgroupRoot.V2_CONTROLLERS_SET);
        }
        for (PlacementFacts.Ancestor a : f.ancestors()) {
            if (!a.writable() || a.subtreeControl().isEmpty()) continue;
            Set<String> there = PlacementChoice.available(wanted, a.subtreeControl());
            if (there.isEmpty()) continue;
            return new PlacementChoice.Decision(new CgroupfsPlacement(l, a.dir()), who + ": the JVM's cgroup " + own + " holds "
                    + f.otherProcs().size() + " other processes: a group of ours in " + a.dir()
                    + ", the nearest ancestor delegated to this user that passes the controllers down", there);
        }
        return unplaceable(f, who + ": the JVM's cgroup " + own + " holds " + f.otherProcs().size() + " other processes"
                + (f.ownWritable() ? "" : " and is not delegated to this user") + ", no ancestor this user may write passes the "
                + "controllers down, and no user systemd answers (systemd-run, $XDG_RUNTIME_DIR/systemd/private)", limitsOptional,
                "`systemd-run --user --scope -p Delegate=yes mvn test` (systemd delegates pids and memory, in current versions also cpu, to user@UID.service)");
    }

    private static PlacementChoice.Decision unplaceable(PlacementFacts f, String found, boolean limitsOptional, String delegation) {
        if (limitsOptional) {
            return new PlacementChoice.Decision(new NoCgroupPlacement(f.layout()), found + "; " + LIMITS_PROPERTY
                    + "=optional: containers get a user namespace and the other namespaces, but no cgroup: no limits, no usage", Set.of());
        }
        throw new CgroupException("no cgroup placement for rootless containers: " + found + ". Fix: "
                + delegation + " named with -D" + CgroupRoot.PARENT_PROPERTY + "=/<that cgroup, relative to the hierarchy's root>"
                + ", or run as root (sudo -E mvn verify), or set " + LIMITS_PROPERTY + "=optional to run isolated without"
                + " limits (a test that declares a limit then fails)");
    }
}
