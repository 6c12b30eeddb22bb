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

    private Path scope(long pid, long start, String topProcs, String leafProcs) throws IOException {
        Path d = Files.createDirectories(slice.resolve("alice-jvm-" + pid + "-" + start + ".scope"));
        Files.writeString(d.resolve(CgroupFiles.PROCS), topProcs);
        if (leafProcs != null) {
            Files.createDirectories(d.resolve(LeafMovePlacement.LEAF));
            Files.writeString(d.resolve(LeafMovePlacement.LEAF).resolve(CgroupFiles.PROCS), leafProcs);
        }
        return d;
    }

    private static long self() {
        return ProcessHandle.current().pid();
    }

    @Test
    @DisplayName("a live owner's scope is never gone, whatever its holder shows")
    void liveOwner() throws IOException {
        Path d = scope(self(), CgroupRoot.startTime(self()), "", "");

        assertThat(SystemdScopePlacement.ownerGone(d, self(), CgroupRoot.startTime(self()), true)).isFalse();
        assertThat(SystemdScopePlacement.ownerGone(d, self(), CgroupRoot.startTime(self()), false)).isFalse();
    }

    @Test
    @DisplayName("seeing every pid: another start time under the owner's pid means it is gone")
    void initialNamespace() throws IOException {
        long otherStart = CgroupRoot.startTime(self()) + 1;
        Path d = scope(self(), otherStart, "", "123\n");

        assertThat(SystemdScopePlacement.ownerGone(d, self(), otherStart, true)).isTrue();
    }

    @Test
    @DisplayName("in a pid namespace of its own only an ended holder tells: its leaf exists and it and the top are empty")
    void ownPidNamespace() throws IOException {
        long otherStart = CgroupRoot.startTime(self()) + 1;
        // pid 1 inside a pid namespace proves nothing about an owner from elsewhere
        Path holderAlive = scope(self(), otherStart, "", "123\n");
        assertThat(SystemdScopePlacement.ownerGone(holderAlive, self(), otherStart, false)).isFalse();

        Path beingMade = scope(self() + 1, otherStart, "123\n", null);   // the holder before it moves into init
        assertThat(SystemdScopePlacement.ownerGone(beingMade, self() + 1, otherStart, false)).isFalse();

        Path holderGone = scope(self() + 2, otherStart, "", "");
        assertThat(SystemdScopePlacement.ownerGone(holderGone, self() + 2, otherStart, false)).isTrue();
    }

    @Test
    @DisplayName("the sweep touches only scopes named as ours whose owner is gone, and never its own")
    void sweepsOnlyOurs() throws IOException {
        long otherStart = CgroupRoot.startTime(self()) + 1;
        Path live = scope(self(), CgroupRoot.startTime(self()), "", "");
        Path notOurs = Files.createDirectories(slice.resolve("session-3.scope"));
        Path own = scope(self(), otherStart, "", "");   // this JVM's new scope, by name

        int swept = SystemdScopePlacement.sweepScopes(slice, own.getFileName().toString(), false);

        assertThat(swept).isZero();
        assertThat(live.resolve(LeafMovePlacement.LEAF)).isDirectory();
        assertThat(notOurs).isDirectory();
        assertThat(own.resolve(LeafMovePlacement.LEAF)).isDirectory();
    }
}
