package io.alicecontainer.clone3;

/** clone(2) flags (include/uapi/linux/sched.h). */
public final class CloneFlags {
    public static final long CLONE_NEWNS = 0x00020000L;
    public static final long CLONE_NEWCGROUP = 0x02000000L;
    public static final long CLONE_NEWUTS = 0x04000000L;
    public static final long CLONE_NEWIPC = 0x08000000L;
    public static final long CLONE_NEWUSER = 0x10000000L;
    public static final long CLONE_NEWPID = 0x20000000L;
    public static final long CLONE_NEWNET = 0x40000000L;
    public static final long CLONE_INTO_CGROUP = 0x200000000L;

    private CloneFlags() {
    }
}
