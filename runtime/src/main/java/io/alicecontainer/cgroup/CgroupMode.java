package io.alicecontainer.cgroup;

/** How the host's cgroups are laid out. */
public enum CgroupMode {
    /** One unified hierarchy with controllers (current distributions, GitHub Actions). */
    V2,
    /** Legacy per-controller hierarchies only. */
    V1,
    /**
     * v1 controllers for limits plus a cgroup2 hierarchy without them, used for
     * {@code CLONE_INTO_CGROUP}, {@code cpu.stat}, PSI, {@code cgroup.kill} and {@code cgroup.freeze}.
     */
    HYBRID
}
