package io.alicecontainer.namespace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Namespaces and their clone flags")
class NamespacesTests {

    // include/uapi/linux/sched.h
    private static final long CLONE_NEWNS = 0x00020000L;
    private static final long CLONE_NEWCGROUP = 0x02000000L;
    private static final long CLONE_NEWUTS = 0x04000000L;
    private static final long CLONE_NEWIPC = 0x08000000L;
    private static final long CLONE_NEWUSER = 0x10000000L;
    private static final long CLONE_NEWPID = 0x20000000L;
    private static final long CLONE_NEWNET = 0x40000000L;

    @Test
    @DisplayName("each namespace carries its CLONE_NEW* flag from sched.h")
    void shouldCarryTheKernelFlags() {
        assertThat(Namespace.PID.cloneFlag()).isEqualTo(CLONE_NEWPID);
        assertThat(Namespace.MOUNT.cloneFlag()).isEqualTo(CLONE_NEWNS);
        assertThat(Namespace.UTS.cloneFlag()).isEqualTo(CLONE_NEWUTS);
        assertThat(Namespace.IPC.cloneFlag()).isEqualTo(CLONE_NEWIPC);
        assertThat(Namespace.NET.cloneFlag()).isEqualTo(CLONE_NEWNET);
        assertThat(Namespace.CGROUP.cloneFlag()).isEqualTo(CLONE_NEWCGROUP);
        assertThat(Namespace.USER.cloneFlag()).isEqualTo(CLONE_NEWUSER);
    }

    @Test
    @DisplayName("container() is pid, mount, uts, ipc, net and cgroup, without user")
    void shouldDefineTheContainerSet() {
        // when
        Namespaces ns = Namespaces.container();

        // then
        assertThat(ns.asSet()).containsExactlyInAnyOrder(Namespace.PID, Namespace.MOUNT, Namespace.UTS,
                Namespace.IPC, Namespace.NET, Namespace.CGROUP);
        assertThat(ns.cloneFlags()).isEqualTo(
                CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET | CLONE_NEWCGROUP)
                .isEqualTo(0x6E020000L);
    }

    @Test
    @DisplayName("with and without return new sets and leave the original alone")
    void shouldBeImmutable() {
        // given
        Namespaces base = Namespaces.container();

        // when
        Namespaces withUser = base.with(Namespace.USER);
        Namespaces noNet = base.without(Namespace.NET);

        // then
        assertThat(base.contains(Namespace.USER)).isFalse();
        assertThat(base.contains(Namespace.NET)).isTrue();
        assertThat(withUser.cloneFlags()).isEqualTo(base.cloneFlags() | CLONE_NEWUSER);
        assertThat(noNet.cloneFlags()).isEqualTo(base.cloneFlags() & ~CLONE_NEWNET);
        assertThatThrownBy(() -> base.asSet().add(Namespace.USER)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    @DisplayName("an empty set has no flags; equal sets are equal")
    void shouldHandleEmptyAndEquality() {
        assertThat(Namespaces.of().cloneFlags()).isZero();
        assertThat(Namespaces.of().without(Namespace.PID).asSet()).isEmpty();
        assertThat(Namespaces.of(Namespace.PID, Namespace.MOUNT))
                .isEqualTo(Namespaces.of(Namespace.MOUNT, Namespace.PID))
                .hasSameHashCodeAs(Namespaces.of(Namespace.MOUNT, Namespace.PID));
        assertThat(Namespaces.of(Namespace.PID).with(Namespace.PID).cloneFlags()).isEqualTo(CLONE_NEWPID);
    }
}
