package io.alicecontainer.cgroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The placement decision from sample /proc/self/mountinfo, /proc/self/cgroup, cgroup.procs and
 * cgroup.subtree_control contents; no real cgroup is touched (the drivers run in the v2 lane).
 */
@DisplayName("Placement choice from the host's cgroup files")
class PlacementChoiceTests {
    private static final long SELF = 4242;
    private static final Set<String> WANTED = Set.of("cpu", "memory", "pids", "io");
    private static final String CONTROLLERS = "cpuset cpu io memory hugetlb pids rdma misc\n";
    private static final String V2_MOUNTINFO = """
            22 1 0:21 / /sys rw,nosuid,nodev,noexec,relatime shared:2 - sysfs sysfs rw
            27 22 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot
            """;
    /** A container's view: its cgroup namespace root mounted at /sys/fs/cgroup. */
    private static final String CONTAINER_MOUNTINFO = """
            611 600 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime - cgroup2 cgroup rw,nsdelegate
            """;
    private static final String READ_ONLY_MOUNTINFO = """
            611 600 0:26 / /sys/fs/cgroup ro,nosuid,nodev,noexec,relatime - cgroup2 cgroup ro,nsdelegate
            """;

    /** A host (or container) with these files; every other file is absent. */
    private static final class Host {
        final Map<String, String> files = new HashMap<>();
        String mountinfo = V2_MOUNTINFO;
        String selfCgroup;
        boolean systemd;
        boolean systemdBus;
        boolean userSystemd;
        boolean limitsOptional;
        int euid;
        Predicate<Path> writable = p -> true;

        Host(String selfCgroup) {
            this.selfCgroup = selfCgroup;
        }

        Host file(String path, String content) {
            files.put(path, content);
            return this;
        }

        PlacementChoice.Decision choose(String parent) {
            Function<Path, Optional<String>> read = p -> Optional.ofNullable(files.get(p.toString()));
            CgroupLayout layout = CgroupLayout.parse(mountinfo, selfCgroup, read);
            PlacementFacts facts = PlacementFacts.read(layout, mountinfo, SELF, euid, systemd, systemdBus, read, writable)
                    .withUserSystemd(userSystemd);
            return PlacementChoice.choose(facts, parent, layout.mode() == CgroupMode.V2
                    ? layout.v2Controllers().stream().filter(WANTED::contains).collect(java.util.stream.Collectors.toSet()) : Set.of(),
                    limitsOptional);
        }
    }

    /** A systemd service's cgroup on a pure v2 host: a CI runner's job, a Jenkins agent. */
    private static Host service() {
        Host h = new Host("0::/system.slice/runner.service\n");
        h.file("/sys/fs/cgroup/system.slice/runner.service/cgroup.controllers", CONTROLLERS)
                .file("/sys/fs/cgroup/system.slice/runner.service/cgroup.type", "domain\n")
                .file("/sys/fs/cgroup/system.slice/runner.service/cgroup.procs", "812\n990\n" + SELF + "\n")
                .file("/sys/fs/cgroup/system.slice/cgroup.subtree_control", "cpu io memory pids\n")
                .file("/sys/fs/cgroup/system.slice/cgroup.type", "domain\n")
                .file("/sys/fs/cgroup/cgroup.subtree_control", "cpuset cpu io memory pids\n")
                .file("/sys/fs/cgroup/cgroup.controllers", CONTROLLERS);
        return h;
    }

    @Test
    @DisplayName("hybrid (this project's machines): nested in the JVM's own cgroups")
    void hybridNests() {
        Host h = new Host("4:memory:/job\n1:cpu:/job\n0::/job\n");
        h.mountinfo = """
                31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
                32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
                35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
                41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
                """;
        h.file("/sys/fs/cgroup/unified/job/cgroup.procs", "1\n2\n" + SELF + "\n");

        PlacementChoice.Decision d = h.choose(null);

        assertThat(d.placement()).isInstanceOf(NestedPlacement.class);
        assertThat(d.placement().v1Base("memory")).isEqualTo(Path.of("/sys/fs/cgroup/memory/job/alice"));
        assertThat(d.toString()).startsWith("cgroup placement: nested (cgroup hybrid");
    }

    @Test
    @DisplayName("pure v2, the JVM in the root cgroup (a bare VM, a CI machine without systemd): nested, the root is exempt")
    void rootCgroupNests() {
        Host h = new Host("0::/\n").file("/sys/fs/cgroup/cgroup.controllers", CONTROLLERS)
                .file("/sys/fs/cgroup/cgroup.procs", "1\n77\n" + SELF + "\n");

        PlacementChoice.Decision d = h.choose(null);

        assertThat(d.placement()).isEqualTo(new NestedPlacement(CgroupLayout.parse(V2_MOUNTINFO, "0::/\n",
                p -> Optional.ofNullable(h.files.get(p.toString())))));
        assertThat(d.reason()).contains("root cgroup");
    }

    @Test
    @DisplayName("alice.cgroup.parent wins over everything")
    void explicitParentWins() {
        PlacementChoice.Decision d = service().choose("/ci.slice/alice");

        assertThat(d.placement()).isInstanceOf(ExplicitParentPlacement.class);
        assertThat(d.reason()).isEqualTo("alice.cgroup.parent=/ci.slice/alice");
    }

    @Test
    @DisplayName("a bad alice.cgroup.parent is refused before anything is made")
    void badExplicitParentIsRefused() {
        assertThatThrownBy(() -> service().choose("/ci.slice/../etc")).isInstanceOf(RuntimeException.class).hasMessageContaining("..");
    }

    @Test
    @DisplayName("a shared service cgroup where systemd answers: a transient scope with Delegate=yes, as runc's systemd driver")
    void sharedServiceWithSystemdBusGetsAScope() {
        Host h = service();
        h.systemd = true;
        h.systemdBus = true;

        PlacementChoice.Decision d = h.choose(null);

        assertThat(d.placement()).isInstanceOf(SystemdScopePlacement.class);
        assertThat(((SystemdScopePlacement) d.placement()).unit()).matches("alice-jvm-\\d+-\\d+\\.scope");
        assertThat(d.reason()).contains("holds 2 other processes", "Delegate=yes");
    }

    @Test
    @DisplayName("a service whose own cgroup has no controllers (no accounting asked for): the scope still gets the root's")
    void scopeGetsTheRootsControllersWhereTheServiceHasNone() {
        Host h = service().file("/sys/fs/cgroup/system.slice/runner.service/cgroup.controllers", "");
        h.systemd = true;
        h.systemdBus = true;

        PlacementChoice.Decision d = h.choose(null);

        assertThat(d.placement()).isInstanceOf(SystemdScopePlacement.class);
        assertThat(d.controllers()).containsExactly("cpu", "memory", "pids", "io");
    }

    @Test
    @DisplayName("the scope is asked for with systemd-run --scope -p Delegate=yes, which then holds it with a process that ends with the JVM")
    void systemdRunArguments() {
        assertThat(SystemdScopePlacement.systemdRun("alice-jvm-1-2.scope")).containsExactly(
                "systemd-run", "--scope", "--quiet", "--unit=alice-jvm-1-2.scope",
                "--description=ALICE-Container: containers of a test JVM", "--property=Delegate=yes",
                "--property=CollectMode=inactive-or-failed", "/bin/sh", "-c", "read _");
    }

    @Test
    @DisplayName("a shared service cgroup on a systemd host that cannot be asked: a group of ours at the hierarchy's root, as docker's cgroupfs driver")
    void sharedServiceOnSystemdGoesToTheRoot() {
        Host h = service();
        h.systemd = true;

        PlacementChoice.Decision d = h.choose(null);

        assertThat(d.placement()).isEqualTo(new CgroupfsPlacement(d.placement() instanceof CgroupfsPlacement c ? c.layout() : null,
                Path.of("/sys/fs/cgroup")));
        assertThat(d.reason()).contains("holds 2 other processes", "hierarchy's root", "systemd host");
    }

    @Test
    @DisplayName("a shared cgroup without systemd: the nearest ancestor that passes the controllers down, whose limits still cover")
    void sharedCgroupWithoutSystemdGoesToTheNearestDelegatingAncestor() {
        PlacementChoice.Decision d = service().choose(null);

        assertThat(d.placement()).isInstanceOf(CgroupfsPlacement.class);
        assertThat(((CgroupfsPlacement) d.placement()).ancestor()).isEqualTo(Path.of("/sys/fs/cgroup/system.slice"));
        assertThat(d.controllers()).containsExactly("cpu", "memory", "pids", "io");
    }

    @Test
    @DisplayName("the root of a container's cgroup namespace that holds other processes: they move into a leaf (docker-in-docker)")
    void namespaceRootMovesItsProcessesIntoALeaf() {
        Host h = new Host("0::/\n");
        h.mountinfo = CONTAINER_MOUNTINFO;
        h.file("/sys/fs/cgroup/cgroup.controllers", CONTROLLERS).file("/sys/fs/cgroup/cgroup.type", "domain\n")
                .file("/sys/fs/cgroup/cgroup.procs", "1\n35\n" + SELF + "\n");

        PlacementChoice.Decision d = h.choose(null);

        assertThat(d.placement()).isInstanceOf(LeafMovePlacement.class);
        assertThat(((LeafMovePlacement) d.placement()).dir()).isEqualTo(Path.of("/sys/fs/cgroup"));
        assertThat(d.reason()).contains("root of a cgroup namespace", "holds 3 processes", "/sys/fs/cgroup/init");
    }

    @Test
    @DisplayName("a second JVM started in that leaf: beside it in the namespace root's group, which passes the controllers down now")
    void secondJvmInTheLeafUsesTheNamespaceRootsGroup() {
        Host h = new Host("0::/init\n");
        h.mountinfo = CONTAINER_MOUNTINFO;
        h.file("/sys/fs/cgroup/init/cgroup.controllers", CONTROLLERS).file("/sys/fs/cgroup/init/cgroup.type", "domain\n")
                .file("/sys/fs/cgroup/init/cgroup.procs", "1\n35\n" + SELF + "\n")
                .file("/sys/fs/cgroup/cgroup.type", "domain\n")
                .file("/sys/fs/cgroup/cgroup.subtree_control", "cpu io memory pids\n");

        PlacementChoice.Decision d = h.choose(null);

        assertThat(d.placement()).isInstanceOf(CgroupfsPlacement.class);
        assertThat(((CgroupfsPlacement) d.placement()).ancestor()).isEqualTo(Path.of("/sys/fs/cgroup"));
    }

    @Test
    @DisplayName("the JVM alone in its cgroup (a dedicated unit): it moves into a leaf, the cgroup's limits keep covering the containers")
    void aloneInItsCgroupMovesItselfIntoALeaf() {
        Host h = service().file("/sys/fs/cgroup/system.slice/runner.service/cgroup.procs", SELF + "\n");
        h.systemd = true;

        PlacementChoice.Decision d = h.choose(null);

        assertThat(d.placement()).isInstanceOf(LeafMovePlacement.class);
        assertThat(d.reason()).contains("only process");
    }

    @Test
    @DisplayName("a read-only cgroupfs (an unprivileged container): a clear error naming the mount and the fix")
    void readOnlyCgroupfsFails() {
        Host h = new Host("0::/\n");
        h.mountinfo = READ_ONLY_MOUNTINFO;
        h.file("/sys/fs/cgroup/cgroup.controllers", CONTROLLERS).file("/sys/fs/cgroup/cgroup.type", "domain\n")
                .file("/sys/fs/cgroup/cgroup.procs", "1\n" + SELF + "\n");

        assertThatThrownBy(() -> h.choose(null)).isInstanceOf(CgroupException.class)
                .hasMessageContaining("mounted read-only at /sys/fs/cgroup").hasMessageContaining("--privileged");
    }

    @Test
    @DisplayName("without root in a login session's scope: a clear error naming the cgroup and a delegated scope as the fix")
    void unprivilegedSessionFails() {
        Host h = new Host("0::/user.slice/user-1000.slice/session-3.scope\n");
        h.euid = 1000;
        h.systemd = true;
        h.systemdBus = true;
        h.writable = p -> false;
        h.file("/sys/fs/cgroup/user.slice/user-1000.slice/session-3.scope/cgroup.controllers", CONTROLLERS)
                .file("/sys/fs/cgroup/user.slice/user-1000.slice/session-3.scope/cgroup.type", "domain\n")
                .file("/sys/fs/cgroup/user.slice/user-1000.slice/session-3.scope/cgroup.procs", "900\n" + SELF + "\n");

        assertThatThrownBy(() -> h.choose(null)).isInstanceOf(CgroupException.class)
                .hasMessageContaining("/sys/fs/cgroup/user.slice/user-1000.slice/session-3.scope holds 1 other processes")
                .hasMessageContaining("uid 1000").hasMessageContaining("systemd-run --user --scope -p Delegate=yes");
    }

    @Test
    @DisplayName("a user's delegated scope (systemd-run --user --scope -p Delegate=yes): the JVM moves into a leaf of it")
    void unprivilegedDelegatedScopeMovesIntoALeaf() {
        String scope = "/sys/fs/cgroup/user.slice/user-1000.slice/user@1000.service/app.slice/run-r1.scope";
        Host h = new Host("0::" + scope.substring("/sys/fs/cgroup".length()) + "\n");
        h.euid = 1000;
        h.systemd = true;
        h.writable = p -> p.startsWith(scope);
        h.file(scope + "/cgroup.controllers", "cpu memory pids\n").file(scope + "/cgroup.type", "domain\n")
                .file(scope + "/cgroup.procs", SELF + "\n");

        PlacementChoice.Decision d = h.choose(null);

        assertThat(d.placement()).isInstanceOf(LeafMovePlacement.class);
    }

    @Test
    @DisplayName("pure v2 without delegated controllers: nested, and the log line says there are no limits")
    void noControllersNestsAndSaysSo() {
        Host h = new Host("0::/job\n").file("/sys/fs/cgroup/job/cgroup.procs", "1\n" + SELF + "\n");

        PlacementChoice.Decision d = h.choose(null);

        assertThat(d.placement()).isInstanceOf(NestedPlacement.class);
        assertThat(d.reason()).contains("no limits");
    }

    // --- rootless ---------------------------------------------------------------------------------

    private static final String HYBRID_MOUNTINFO = """
            31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
            32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
            34 31 0:31 / /sys/fs/cgroup/blkio rw,relatime - cgroup cgroup rw,blkio
            35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
            41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
            """;

    private static Host hybridUser(Predicate<Path> writable) {
        Host h = new Host("4:memory:/job/alice/u\n3:blkio:/\n1:cpu:/job/alice/u\n0::/job/alice/u\n");
        h.mountinfo = HYBRID_MOUNTINFO;
        h.euid = 1000;
        h.writable = writable;
        return h;
    }

    @Test
    @DisplayName("rootless on hybrid with the JVM in a delegated subtree: nested below it, and the log line names what is not delegated")
    void rootlessHybridDelegatedNests() {
        PlacementChoice.Decision d = hybridUser(p -> p.toString().endsWith("/job/alice/u")).choose(null);

        assertThat(d.placement()).isInstanceOf(NestedPlacement.class);
        assertThat(d.placement().v1Base("memory")).isEqualTo(Path.of("/sys/fs/cgroup/memory/job/alice/u/alice"));
        assertThat(d.toString()).startsWith("cgroup placement: nested (rootless (uid 1000): the JVM's own cgroups are delegated")
                .contains("not delegated, so no limits of theirs: blkio");
    }

    @Test
    @DisplayName("rootless on hybrid without a delegated cgroup: the error names what was found and every fix")
    void rootlessHybridWithoutDelegationFails() {
        assertThatThrownBy(() -> hybridUser(p -> false).choose(null)).isInstanceOf(CgroupException.class)
                .hasMessageContaining("no cgroup placement for rootless containers: rootless (uid 1000)")
                .hasMessageContaining("memory /sys/fs/cgroup/memory/job/alice/u")
                .hasMessageContaining("-Dalice.cgroup.parent=").hasMessageContaining("sudo -E mvn verify")
                .hasMessageContaining("alice.isolation.rootless.limits=optional");
    }

    @Test
    @DisplayName("rootless without a delegated cgroup, alice.isolation.rootless.limits=optional: no cgroup, and the log line says so")
    void rootlessOptInRunsWithoutACgroup() {
        Host h = hybridUser(p -> false);
        h.limitsOptional = true;

        PlacementChoice.Decision d = h.choose(null);

        assertThat(d.placement()).isInstanceOf(NoCgroupPlacement.class);
        assertThat(d.placement().limitless()).isTrue();
        assertThat(d.toString()).startsWith("cgroup placement: none (rootless (uid 1000)").contains("no limits, no usage");
    }

    @Test
    @DisplayName("rootless on pure v2, the JVM beside other processes, the user's systemd answers: a user scope with Delegate=yes")
    void rootlessUserSystemdScope() {
        String app = "/sys/fs/cgroup/user.slice/user-1000.slice/user@1000.service/app.slice";
        Host h = new Host("0::" + app.substring("/sys/fs/cgroup".length()) + "/term.scope\n");
        h.euid = 1000;
        h.systemd = true;
        h.userSystemd = true;
        h.writable = p -> p.startsWith(app);
        h.file(app + "/term.scope/cgroup.controllers", "cpu memory pids\n").file(app + "/term.scope/cgroup.type", "domain\n")
                .file(app + "/term.scope/cgroup.procs", "700\n" + SELF + "\n");

        PlacementChoice.Decision d = h.choose(null);

        assertThat(d.placement()).isInstanceOf(UserSystemdScopePlacement.class);
        assertThat(d.placement().name()).isEqualTo("user-systemd-scope");
        assertThat(((UserSystemdScopePlacement) d.placement()).command()).startsWith("systemd-run", "--user", "--scope")
                .contains("--property=Delegate=yes");
        assertThat(d.reason()).contains("holds 1 other processes").contains("rootless podman");
    }

    @Test
    @DisplayName("rootless: an explicit alice.cgroup.parent wins, as for root")
    void rootlessExplicitParent() {
        PlacementChoice.Decision d = hybridUser(p -> false).choose("/delegated/alice");

        assertThat(d.placement()).isInstanceOf(ExplicitParentPlacement.class);
    }

    @Test
    void rootlessLimitsPropertyValues() {
        assertThat(RootlessChoice.limitsOptional(null)).isFalse();
        assertThat(RootlessChoice.limitsOptional("required")).isFalse();
        assertThat(RootlessChoice.limitsOptional(" Optional ")).isTrue();
        assertThatThrownBy(() -> RootlessChoice.limitsOptional("maybe")).isInstanceOf(CgroupException.class)
                .hasMessage("alice.isolation.rootless.limits must be `required` or `optional`, not `maybe`");
    }
}
