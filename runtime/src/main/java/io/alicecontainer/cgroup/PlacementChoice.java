package io.alicecontainer.cgroup;

import java.nio.file.Path;
import java.util.Set;

/**
 * Picks the placement driver from the host, as runc's {@code manager/new.go} picks a cgroup
 * manager: the first that works, in the order of DESIGN's "Placement", with the reason for the
 * log line. Where none works, a {@link CgroupException} that names what was found and the one
 * setting that fixes it: never a silent run without limits.
 */
final class PlacementChoice {
    /** The chosen driver, why (for the one log line), and the v2 controllers it enables for the containers. */
    record Decision(Placement placement, String reason, Set<String> controllers) {
        @Override
        public String toString() {
            return "cgroup placement: " + placement.name() + " (" + reason + ")";
        }
    }

    private PlacementChoice() {
    }

    /**
     * @param parent  the value of {@value CgroupRoot#PARENT_PROPERTY}, or null
     * @param wanted  the v2 controllers the containers need (cpu, memory, pids, io; empty on v1, hybrid)
     */
    static Decision choose(PlacementFacts f, String parent, Set<String> wanted) {
        return choose(f, parent, wanted, RootlessChoice.limitsOptional(System.getProperty(RootlessChoice.LIMITS_PROPERTY)));
    }

    /** @param limitsOptional without root and without a delegated cgroup: containers without a cgroup rather than an error */
    static Decision choose(PlacementFacts f, String parent, Set<String> wanted, boolean limitsOptional) {
        Set<String> offered = available(wanted, f.layout().v2Controllers());
        if ((parent == null || parent.isBlank()) && f.rootless()) return RootlessChoice.choose(f, offered, limitsOptional);
        return chooseFor(f, parent, offered);
    }

    /** Of the wanted controllers, those in the given set (what a cgroup's children may get). */
    static Set<String> available(Set<String> wanted, Set<String> offered) {
        Set<String> out = new java.util.LinkedHashSet<>(wanted);
        out.retainAll(offered);
        return out;
    }

    private static Decision chooseFor(PlacementFacts f, String parent, Set<String> wanted) {
        CgroupLayout l = f.layout();
        Path own = l.v2Own();
        if (parent != null && !parent.isBlank()) {
            return new Decision(new ExplicitParentPlacement(l, parent.trim()), CgroupRoot.PARENT_PROPERTY + "=" + parent.trim(), wanted);
        }
        if (l.mode() != CgroupMode.V2) {
            return new Decision(new NestedPlacement(l), "cgroup " + l.mode().name().toLowerCase(java.util.Locale.ROOT)
                    + ": the v1 controllers nest below the JVM's own cgroups", Set.of());
        }
        if (f.realRoot()) {
            return new Decision(new NestedPlacement(l), "the JVM runs in the root cgroup, which cgroup v2 exempts from the "
                    + "no-internal-processes rule", wanted);
        }
        if (f.readOnly()) {
            throw new CgroupException("no cgroup placement for containers: cgroup2 is mounted read-only at " + l.v2Mount()
                    + " (an unprivileged container). Fix: run the container privileged (docker run --privileged, "
                    + "securityContext.privileged: true), which mounts it read-write");
        }
        if (wanted.isEmpty() && (f.namespaceRoot() || f.otherProcs().isEmpty())) return noLimits(l);
        if (f.namespaceRoot() && f.ownWritable()) {
            return new Decision(new LeafMovePlacement(l, own), "the JVM is at the root of a cgroup namespace (a container) that "
                    + "holds " + f.ownProcs().size() + " processes: they move into " + own.resolve(LeafMovePlacement.LEAF)
                    + " and the containers go beside them, as docker-in-docker and kind do", wanted);
        }
        if (f.otherProcs().isEmpty() && f.ownWritable()) {
            return new Decision(new LeafMovePlacement(l, own), "the JVM is the only process of its cgroup " + own
                    + ": it moves into " + own.resolve(LeafMovePlacement.LEAF) + " so that that cgroup's limits keep covering the containers",
                    wanted);
        }
        if (f.systemd() && f.systemdBus() && f.euid() == 0) {
            SystemdScopePlacement scope = new SystemdScopePlacement(l, CgroupRoot.ownerName());
            return new Decision(scope, "the JVM's cgroup " + own + " holds " + f.otherProcs().size() + " other processes and "
                    + "systemd runs the host: a transient scope " + scope.unit() + " with Delegate=yes, as runc's and podman's "
                    + "systemd driver ask for", available(CgroupRoot.V2_CONTROLLERS_SET, f.rootControllers()));
        }
        PlacementFacts.Ancestor target = cgroupfsTarget(f, wanted);
        Set<String> there = target == null ? Set.of()
                : available(CgroupRoot.V2_CONTROLLERS_SET, target.realRoot() ? f.rootControllers() : target.subtreeControl());
        if (!there.isEmpty()) {
            String where = target.realRoot() ? "at the hierarchy's root" : "in " + target.dir() + ", the nearest ancestor that passes the controllers down";
            return new Decision(new CgroupfsPlacement(l, target.dir()), "the JVM's cgroup " + own + " holds "
                    + f.otherProcs().size() + " other processes (cgroup v2 forbids controllers below it): a group of ours " + where
                    + (f.systemd() ? ", as the cgroupfs drivers of docker and runc do on a systemd host (no systemd bus to ask)" : ""), there);
        }
        if (wanted.isEmpty()) return noLimits(l);
        throw new CgroupException(unplaceable(f));
    }

    private static Decision noLimits(CgroupLayout l) {
        return new Decision(new NestedPlacement(l), "no controller is delegated to " + l.v2Own()
                + " (cgroup.controllers has none of cpu, memory, pids, io): containers get namespaces and accounting, no limits",
                Set.of());
    }

    /**
     * On a systemd host the hierarchy's root (outside systemd's units, docker's cgroupfs choice);
     * elsewhere the nearest ancestor that passes the controllers down (a container's cgroup
     * namespace root whose processes moved to a leaf already). Only where this user may create groups.
     */
    private static PlacementFacts.Ancestor cgroupfsTarget(PlacementFacts f, Set<String> wanted) {
        if (f.systemd()) {
            PlacementFacts.Ancestor top = f.ancestors().isEmpty() ? null : f.ancestors().get(f.ancestors().size() - 1);
            if (top != null && top.realRoot() && top.writable()) return top;
        }
        for (PlacementFacts.Ancestor a : f.ancestors()) {
            if (a.writable() && (a.realRoot() || !a.subtreeControl().isEmpty() && a.subtreeControl().containsAll(wanted))) return a;
        }
        return null;
    }

    private static String unplaceable(PlacementFacts f) {
        Path own = f.layout().v2Own();
        String found = "no cgroup placement for containers: the JVM's cgroup " + own + " holds " + f.otherProcs().size()
                + " other processes, so cgroup v2 forbids controllers below it, and ";
        if (f.euid() != 0) {
            return found + "this user (uid " + f.euid() + ") may create no cgroup above it that passes the controllers down. "
                    + "Fix: run the tests in a delegated scope of your own, e.g. `systemd-run --user --scope -p Delegate=yes mvn test`, "
                    + "or set -D" + CgroupRoot.PARENT_PROPERTY + "=/<a cgroup delegated to you, relative to " + f.layout().v2Mount() + ">";
        }
        return found + "no ancestor passes the controllers down and may be written. "
                + "Fix: set -D" + CgroupRoot.PARENT_PROPERTY + "=/<a delegated cgroup, relative to " + f.layout().v2Mount() + ">";
    }
}
