package io.alicecontainer.clone3;

/**
 * The steps of a spawn, as the shim reports them (keep in sync with {@code alice_spawn.c}).
 * Each carries the phrase that starts an error message: "sethostname failed".
 */
public enum SpawnStep {
    REQUEST(1, "decoding the spawn request"),
    PIPE(2, "pipe2"),
    DEVNULL(3, "opening /dev/null"),
    CLONE(4, "clone3"),
    SYNC(5, "waiting for the parent"),
    SIGNALS(6, "resetting signal handlers"),
    PDEATHSIG(7, "prctl(PR_SET_PDEATHSIG)"),
    SETSID(8, "setsid"),
    CGROUP_JOIN(9, "joining the v1 cgroup"),
    CGROUPNS(10, "unshare(CLONE_NEWCGROUP)"),
    HOSTNAME(11, "sethostname"),
    LOOPBACK(12, "bringing up lo"),
    MOUNT(13, "mount"),
    CWD(14, "chdir into the working directory"),
    FDS(15, "setting up file descriptors"),
    NO_NEW_PRIVS(16, "prctl(PR_SET_NO_NEW_PRIVS)"),
    EXEC(17, "execve"),
    PARENT_CGROUP(18, "moving the child into the v1 cgroup"),
    PARENT_IDMAP(19, "writing the user namespace id map"),
    MEMORY(20, "allocating the request"),
    RUN_AS(21, "switching to the mapped user (setresuid/setresgid)"),
    CAPS(22, "dropping capabilities (prctl(PR_CAPBSET_DROP)/capset)"),
    SECCOMP(23, "installing the seccomp filter (prctl(PR_SET_SECCOMP))");

    private final int code;
    private final String phrase;

    SpawnStep(int code, String phrase) {
        this.code = code;
        this.phrase = phrase;
    }

    public int code() {
        return code;
    }

    public String phrase() {
        return phrase;
    }

    static SpawnStep of(int code) {
        for (SpawnStep s : values()) {
            if (s.code == code) return s;
        }
        throw new IllegalArgumentException("unknown spawn step " + code);
    }
}
