package io.alicecontainer.clone3;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Everything the spawn shim needs, encoded into one flat buffer that C decodes in the parent
 * before cloning: {@code u32 magic, u32 version}, then records {@code u32 tag, u32 length,
 * payload} in native byte order. Tags and options mirror {@code alice_spawn.c}.
 */
public final class SpawnRequest {
    private static final int MAGIC = 0x50534c41; // "ALSP"
    private static final int VERSION = 2;

    private static final int TAG_CLONE_FLAGS = 1;
    private static final int TAG_CGROUP_FD = 2;
    private static final int TAG_ARG = 3;
    private static final int TAG_ENV = 4;
    private static final int TAG_CWD = 5;
    private static final int TAG_HOSTNAME = 6;
    private static final int TAG_STDIO = 7;
    private static final int TAG_KEEP_FD = 8;
    private static final int TAG_MOUNT = 9;
    private static final int TAG_CGROUP_PROCS = 10;
    private static final int TAG_UID_MAP = 11;
    private static final int TAG_GID_MAP = 12;
    private static final int TAG_OPTIONS = 13;
    private static final int TAG_EXE = 14;
    private static final int TAG_RUN_AS = 15;
    private static final int TAG_CAPS = 16;
    private static final int TAG_SECCOMP_ALLOW = 17;
    private static final int TAG_SECCOMP_FILTER = 18;

    static final int OPT_NEW_CGROUPNS = 1;
    static final int OPT_LOOPBACK_UP = 2;
    static final int OPT_PDEATHSIG = 4;
    static final int OPT_SETSID = 8;
    static final int OPT_NO_NEW_PRIVS = 16;
    static final int OPT_SECCOMP_DEFAULT = 32;
    static final int OPT_SECCOMP_SPEC_ALLOW = 64;

    private final long cloneFlags;
    private final int cgroupFd;
    private final List<String> argv;
    private final String executable;
    private final List<String> env;
    private final String workdir;
    private final String hostname;
    private final int[] stdio;
    private final List<Integer> keepFds;
    private final List<MountOp> mounts;
    private final List<String> cgroupProcs;
    private final String uidMap;
    private final String gidMap;
    private final int[] runAs;
    private final int options;
    private final Long capabilities;
    private final List<String> seccompAllow;
    private final byte[] seccompFilter;

    private SpawnRequest(Builder b) {
        this.cloneFlags = b.cloneFlags;
        this.cgroupFd = b.cgroupFd;
        this.argv = List.copyOf(b.argv);
        this.executable = b.executable;
        this.env = List.copyOf(b.env);
        this.workdir = b.workdir;
        this.hostname = b.hostname;
        this.stdio = b.stdio.clone();
        this.keepFds = List.copyOf(b.keepFds);
        this.mounts = List.copyOf(b.mounts);
        this.cgroupProcs = List.copyOf(b.cgroupProcs);
        this.uidMap = b.uidMap;
        this.gidMap = b.gidMap;
        this.runAs = b.runAs;
        this.options = b.options;
        this.capabilities = b.capabilities;
        this.seccompAllow = List.copyOf(b.seccompAllow);
        this.seccompFilter = b.seccompFilter;
    }

    public static Builder builder() {
        return new Builder();
    }

    public List<String> argv() {
        return argv;
    }

    public String executable() {
        return executable != null ? executable : argv.get(0);
    }

    public List<MountOp> mounts() {
        return mounts;
    }

    public List<String> cgroupProcs() {
        return cgroupProcs;
    }

    public String hostname() {
        return hostname;
    }

    public String workdir() {
        return workdir;
    }

    /** The wire form for {@code alice_spawn()}. */
    public byte[] encode() {
        Encoder e = new Encoder();
        e.u64(TAG_CLONE_FLAGS, cloneFlags);
        if (cgroupFd >= 0) e.i32(TAG_CGROUP_FD, cgroupFd);
        e.i32(TAG_OPTIONS, options);
        for (String a : argv) e.str(TAG_ARG, a);
        if (executable != null) e.str(TAG_EXE, executable);
        for (String v : env) e.str(TAG_ENV, v);
        if (workdir != null) e.str(TAG_CWD, workdir);
        if (hostname != null) e.str(TAG_HOSTNAME, hostname);
        e.ints(TAG_STDIO, stdio);
        for (int fd : keepFds) e.i32(TAG_KEEP_FD, fd);
        for (MountOp op : mounts) e.mount(op);
        for (String p : cgroupProcs) e.str(TAG_CGROUP_PROCS, p);
        if (uidMap != null) e.str(TAG_UID_MAP, uidMap);
        if (gidMap != null) e.str(TAG_GID_MAP, gidMap);
        if (runAs != null) e.ints(TAG_RUN_AS, runAs);
        if (capabilities != null) e.u64(TAG_CAPS, capabilities);
        for (String name : seccompAllow) e.str(TAG_SECCOMP_ALLOW, name);
        if (seccompFilter != null) e.raw(TAG_SECCOMP_FILTER, seccompFilter);
        return e.bytes();
    }

    /** What failed, in words, for a step the shim reported. */
    String describe(SpawnStep step, int index) {
        return switch (step) {
            case MOUNT -> index >= 0 && index < mounts.size() ? mounts.get(index).description() : "mount step " + index;
            case EXEC -> "execve of `" + executable() + "`";
            case HOSTNAME -> "sethostname(`" + hostname + "`)";
            case CWD -> "chdir into " + workdir;
            case CGROUP_JOIN, PARENT_CGROUP -> step.phrase() + " " + (index < cgroupProcs.size() ? cgroupProcs.get(index) : "#" + index);
            case PARENT_IDMAP -> "writing " + (index == 0 ? "uid_map" : "gid_map");
            default -> step.phrase();
        };
    }

    private static final class Encoder {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        private final ByteBuffer scratch = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder());

        Encoder() {
            header(MAGIC, VERSION);
        }

        private void header(int a, int b) {
            scratch.clear();
            scratch.putInt(a).putInt(b);
            out.write(scratch.array(), 0, 8);
        }

        void u64(int tag, long v) {
            header(tag, 8);
            scratch.clear();
            scratch.putLong(v);
            out.write(scratch.array(), 0, 8);
        }

        void i32(int tag, int v) {
            header(tag, 4);
            scratch.clear();
            scratch.putInt(v);
            out.write(scratch.array(), 0, 4);
        }

        void ints(int tag, int[] vs) {
            header(tag, 4 * vs.length);
            for (int v : vs) {
                scratch.clear();
                scratch.putInt(v);
                out.write(scratch.array(), 0, 4);
            }
        }

        void raw(int tag, byte[] b) {
            header(tag, b.length);
            out.write(b, 0, b.length);
        }

        void str(int tag, String s) {
            byte[] b = cString(s);
            header(tag, b.length);
            out.write(b, 0, b.length);
        }

        void mount(MountOp op) {
            byte[][] s = {cString(op.a()), cString(op.b()), cString(op.c()), cString(op.d())};
            int len = 16;
            for (byte[] x : s) len += x.length;
            header(TAG_MOUNT, len);
            scratch.clear();
            scratch.putInt(op.kind().code).putInt(0).putLong(op.flags());
            out.write(scratch.array(), 0, 16);
            for (byte[] x : s) out.write(x, 0, x.length);
        }

        byte[] bytes() {
            return out.toByteArray();
        }

        private static byte[] cString(String s) {
            if (s == null) return new byte[] {0};
            byte[] raw = s.getBytes(StandardCharsets.UTF_8);
            for (byte x : raw) {
                if (x == 0) throw new IllegalArgumentException("a NUL character cannot be passed to the kernel: `" + s.replace("\0", "\\0") + "`");
            }
            byte[] b = new byte[raw.length + 1];
            System.arraycopy(raw, 0, b, 0, raw.length);
            return b;
        }
    }

    /** Collects a request; {@link #build()} checks that it can be spawned. */
    public static final class Builder {
        private long cloneFlags;
        private int cgroupFd = -1;
        private final List<String> argv = new ArrayList<>();
        private String executable;
        private final List<String> env = new ArrayList<>();
        private String workdir;
        private String hostname;
        private final int[] stdio = {-1, -1, -1};
        private final List<Integer> keepFds = new ArrayList<>();
        private final List<MountOp> mounts = new ArrayList<>();
        private final List<String> cgroupProcs = new ArrayList<>();
        private String uidMap;
        private String gidMap;
        private int[] runAs;
        private int options = OPT_PDEATHSIG | OPT_SETSID;
        private Long capabilities;
        private final List<String> seccompAllow = new ArrayList<>();
        private byte[] seccompFilter;

        private Builder() {
        }

        /** CLONE_NEW* flags; CLONE_NEWCGROUP is done by unshare in the child after the cgroups are joined. */
        public Builder cloneFlags(long flags) {
            this.cloneFlags = flags & ~CloneFlags.CLONE_NEWCGROUP;
            option(OPT_NEW_CGROUPNS, (flags & CloneFlags.CLONE_NEWCGROUP) != 0);
            return this;
        }

        /** A directory fd of the cgroup v2 cgroup to start in (CLONE_INTO_CGROUP); -1 for none. */
        public Builder cgroupFd(int fd) {
            this.cgroupFd = fd;
            return this;
        }

        public Builder argv(List<String> argv) {
            this.argv.clear();
            this.argv.addAll(argv);
            return this;
        }

        /** The program to execute when it differs from argv[0]; a name without '/' is looked up in PATH. */
        public Builder executable(String executable) {
            this.executable = executable;
            return this;
        }

        /** "NAME=value" entries. */
        public Builder env(List<String> env) {
            this.env.clear();
            this.env.addAll(env);
            return this;
        }

        public Builder workdir(String workdir) {
            this.workdir = workdir;
            return this;
        }

        public Builder hostname(String hostname) {
            this.hostname = hostname;
            return this;
        }

        /** fds for the child's 0, 1, 2; -1 for /dev/null. */
        public Builder stdio(int in, int out, int err) {
            stdio[0] = in;
            stdio[1] = out;
            stdio[2] = err;
            return this;
        }

        /** Passes fd to the child as 3, 4, ... in the order of these calls. */
        public Builder keepFd(int fd) {
            keepFds.add(fd);
            return this;
        }

        public Builder mounts(List<MountOp> ops) {
            mounts.addAll(ops);
            return this;
        }

        /** A v1 {@code cgroup.procs} file the child must be in before it runs anything. */
        public Builder joinCgroup(String procsFile) {
            cgroupProcs.add(procsFile);
            return this;
        }

        public Builder idMaps(String uidMap, String gidMap) {
            this.uidMap = uidMap;
            this.gidMap = gidMap;
            return this;
        }

        /** In a user namespace: the uid and gid (inside) the child switches to before anything else. */
        public Builder runAs(long uid, long gid) {
            this.runAs = new int[] {(int) uid, (int) gid};
            return this;
        }

        public Builder loopbackUp(boolean on) {
            return option(OPT_LOOPBACK_UP, on);
        }

        /** SIGKILL the child when the spawning thread dies (prctl PR_SET_PDEATHSIG); on by default. */
        public Builder dieWithParent(boolean on) {
            return option(OPT_PDEATHSIG, on);
        }

        public Builder noNewPrivileges(boolean on) {
            return option(OPT_NO_NEW_PRIVS, on);
        }

        /**
         * Keeps only these capabilities (bit n = capability n, linux/capability.h) in the bounding,
         * permitted and effective sets, with empty inheritable and ambient sets; without this call
         * the child keeps what the caller has.
         */
        public Builder capabilities(long mask) {
            this.capabilities = mask;
            return this;
        }

        /**
         * Installs the seccomp filter with {@code SECCOMP_FILTER_FLAG_SPEC_ALLOW}: the kernel does not
         * turn on speculation mitigations for the filtered child (seccomp(2)); no effect without a filter.
         */
        public Builder seccompSpeculationAllowed(boolean on) {
            return option(OPT_SECCOMP_SPEC_ALLOW, on);
        }

        /** Installs the shim's default seccomp filter, without the named system calls' rules. */
        public Builder seccompDefault(List<String> allow) {
            seccompAllow.clear();
            seccompAllow.addAll(allow);
            seccompFilter = null;
            return option(OPT_SECCOMP_DEFAULT, true);
        }

        /** Installs this classic BPF program (an array of {@code struct sock_filter}, native byte order). */
        public Builder seccompFilter(byte[] program) {
            if (program.length == 0 || program.length % 8 != 0 || program.length / 8 > 4096) {
                throw new IllegalArgumentException("a seccomp program is 1 to 4096 instructions of 8 bytes, not " + program.length + " bytes");
            }
            seccompAllow.clear();
            seccompFilter = program.clone();
            return option(OPT_SECCOMP_DEFAULT, false);
        }

        private Builder option(int bit, boolean on) {
            options = on ? options | bit : options & ~bit;
            return this;
        }

        public SpawnRequest build() {
            if (argv.isEmpty()) throw new IllegalArgumentException("argv must not be empty: name the program to run");
            for (String a : argv) Objects.requireNonNull(a, "argv element");
            if (argv.get(0).isEmpty()) throw new IllegalArgumentException("argv[0] must not be empty");
            if (keepFds.size() > 64) throw new IllegalArgumentException("at most 64 extra fds can be passed, not " + keepFds.size());
            return new SpawnRequest(this);
        }
    }
}
