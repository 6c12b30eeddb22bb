package io.alicecontainer.cgroup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When a systemd scope of ours counts as left by a JVM that is gone: the owner check on sample
 * directories laid out as a scope's cgroup (plain files, no cgroup is touched; the sweep itself
 * runs in the v2 lane's systemd passes, a JVM SIGKILLed mid-test).
 */
@DisplayName("Scopes of JVMs that are gone")
class ScopeSweepTests {
    @TempDir
    Path slice;

    /** A scope's cgroup as sample files: the holder's leaf init with these pids (null: no leaf), made whole (alice) or not. */
    private Path scope(long pid, long start, String leafProcs, boolean whole) throws IOException {
        Path d = Files.createDirectories(slice.resolve("alice-jvm-" + pid + "-" + start + ".scope"));
        Files.writeString(d.resolve(CgroupFiles.PROCS), "");
        if (leafProcs != null) {
            Path leaf = Files.createDirectories(d.resolve(LeafMovePlacement.LEAF));
            Files.writeString(leaf.resolve(CgroupFiles.PROCS), leafProcs);
            Files.writeString(leaf.resolve(CgroupFiles.EVENTS), "populated " + (leafProcs.isBlank() ? 0 : 1) + "\nfrozen 0\n");
        }
        if (whole) Files.createDirectories(d.resolve(NestedPlacement.GROUP));
        return d;
    }

    private static long self() {
        return ProcessHandle.current().pid();
    }

    @Test
    @DisplayName("a live owner's scope is never gone, whatever its holder shows")
    void liveOwner() throws IOException {
        Path d = scope(self(), CgroupRoot.startTime(self()), "", true);

        assertThat(SystemdScopePlacement.ownerGone(d, self(), CgroupRoot.startTime(self()), true)).isFalse();
        assertThat(SystemdScopePlacement.ownerGone(d, self(), CgroupRoot.startTime(self()), false)).isFalse();
    }

    @Test
    @DisplayName("seeing every pid: another start time under the owner's pid means it is gone")
    void initialNamespace() throws IOException {
        long otherStart = CgroupRoot.startTime(self()) + 1;
        Path d = scope(self(), otherStart, "123\n", true);

        assertThat(SystemdScopePlacement.ownerGone(d, self(), otherStart, true)).isTrue();
    }

    @Test
    @DisplayName("in a pid namespace of its own: gone once the holder ended, or when the holder (and so the owner) is in this namespace")
    void ownPidNamespace() throws IOException {
        long otherStart = CgroupRoot.startTime(self()) + 1;
        long none = 4_000_000;   // above pid_max: no such process here
        // a holder this JVM cannot place in its namespace proves nothing about an owner from elsewhere
        Path holderElsewhere = scope(none, otherStart, none + "\n", true);
        assertThat(SystemdScopePlacement.ownerGone(holderElsewhere, none, otherStart, false)).isFalse();

        Path beingMade = scope(none + 1, otherStart, "", false);   // holder not yet moved, alice not yet made
        assertThat(SystemdScopePlacement.ownerGone(beingMade, none + 1, otherStart, false)).isFalse();

        Path holderGone = scope(none + 2, otherStart, "", true);
        assertThat(SystemdScopePlacement.ownerGone(holderGone, none + 2, otherStart, false)).isTrue();

        // the holder in this pid namespace (here: this JVM stands for it): the owner's pid is judged here
        Path holderHere = scope(none + 3, otherStart, self() + "\n", true);
        assertThat(SystemdScopePlacement.ownerGone(holderHere, none + 3, otherStart, false)).isTrue();
    }

    @Test
    @DisplayName("the sweep touches only scopes named as ours whose owner is gone, and never its own")
    void sweepsOnlyOurs() throws IOException {
        long otherStart = CgroupRoot.startTime(self()) + 1;
        Path live = scope(self(), CgroupRoot.startTime(self()), "", true);
        Path notOurs = Files.createDirectories(slice.resolve("session-3.scope"));
        Path own = scope(self(), otherStart, "", true);   // this JVM's new scope, by name

        int swept = SystemdScopePlacement.sweepScopes(slice, own.getFileName().toString(), false);

        assertThat(swept).isZero();
        assertThat(live.resolve(LeafMovePlacement.LEAF)).isDirectory();
        assertThat(notOurs).isDirectory();
        assertThat(own.resolve(LeafMovePlacement.LEAF)).isDirectory();
    }
}
