package io.alicecontainer.namespace;

import io.alicecontainer.clone3.CloneFlags;

/** The Linux namespaces a container can get (namespaces(7)), with their clone flag. */
public enum Namespace {
    /** Own pid numbering: the first process is PID 1 and /proc shows only the container's processes. */
    PID(CloneFlags.CLONE_NEWPID),
    /** Own mount table: mounts in the container never reach the host. */
    MOUNT(CloneFlags.CLONE_NEWNS),
    /** Own hostname and domain name. */
    UTS(CloneFlags.CLONE_NEWUTS),
    /** Own System V IPC and POSIX message queues. */
    IPC(CloneFlags.CLONE_NEWIPC),
    /** Own network stack: only {@code lo}, brought up. */
    NET(CloneFlags.CLONE_NEWNET),
    /** Own cgroup root: /proc/self/cgroup shows the container's cgroup as {@code /}. */
    CGROUP(CloneFlags.CLONE_NEWCGROUP),
    /** Own user and group ids, mapped by {@link IdMapping}. */
    USER(CloneFlags.CLONE_NEWUSER);

    private final long cloneFlag;

    Namespace(long cloneFlag) {
        this.cloneFlag = cloneFlag;
    }

    public long cloneFlag() {
        return cloneFlag;
    }
}
