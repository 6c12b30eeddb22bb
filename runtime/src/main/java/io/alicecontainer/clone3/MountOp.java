package io.alicecontainer.clone3;

import java.util.Objects;

/**
 * One step of a mount plan, carried out by the spawn shim in the child, in order. Build them with
 * the factory methods; {@link #description()} starts the error message when the step fails
 * ("pivot_root into /x failed: ...").
 */
public record MountOp(Kind kind, long flags, String a, String b, String c, String d, String description) {

    /** The operations the shim knows (alice_spawn.c, {@code OP_*}). */
    public enum Kind {
        MOUNT(1), BIND(2), MKDIR(3), WRITE_FILE(4), SYMLINK(5), PIVOT_ROOT(6), UMOUNT(7), CHDIR(8), MAKE_RPRIVATE(9),
        READ_ONLY(10);

        final int code;

        Kind(int code) {
            this.code = code;
        }
    }

    // alice_spawn.c BIND_* flags
    static final long BIND_REC = 1;
    static final long BIND_RDONLY = 2;
    static final long BIND_MKDIR = 4;
    static final long BIND_MKFILE = 8;

    // <sys/mount.h>
    public static final long MS_RDONLY = 1;
    public static final long MS_NOSUID = 2;
    public static final long MS_NODEV = 4;
    public static final long MS_NOEXEC = 8;
    public static final int MNT_DETACH = 2;

    public MountOp {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(description, "description");
    }

    /** mount --make-rprivate /: nothing done in the child's mount namespace reaches the host. */
    public static MountOp makeRootPrivate() {
        return new MountOp(Kind.MAKE_RPRIVATE, 0, "/", null, null, null, "making / private (mount --make-rprivate /)");
    }

    /** mount(2) of a filesystem (creating the mount point). */
    public static MountOp mount(String source, String target, String fstype, long flags, String data) {
        return new MountOp(Kind.MOUNT, flags, source, target, fstype, data, "mount of " + fstype + " on " + target);
    }

    /** A bind mount of a directory; recursive; read-only when asked; the target is created. */
    public static MountOp bindDirectory(String source, String target, boolean readOnly) {
        long f = BIND_REC | BIND_MKDIR | (readOnly ? BIND_RDONLY : 0);
        return new MountOp(Kind.BIND, f, source, target, null, null,
                (readOnly ? "read-only " : "") + "bind mount of " + source + " onto " + target);
    }

    /** A non-recursive, read-only bind mount of a directory: what is mounted below the source is not shown. */
    public static MountOp bindReadOnlyAlone(String source, String target) {
        return new MountOp(Kind.BIND, BIND_RDONLY, source, target, null, null, "read-only bind mount of " + source + " onto " + target
                + " (without its submounts)");
    }

    /**
     * A plain bind mount onto an existing target: not recursive, nothing created, no flags of its
     * own. A bind keeps the flags of its source mount: bound from a read-only mount, it is read-only
     * without a second system call.
     */
    public static MountOp bindOver(String source, String target) {
        return new MountOp(Kind.BIND, 0, source, target, null, null, "bind mount of " + source + " onto " + target);
    }

    /** A bind mount of a single file (a device node, /etc/hosts); the target file is created. */
    public static MountOp bindFile(String source, String target, boolean readOnly) {
        long f = BIND_MKFILE | (readOnly ? BIND_RDONLY : 0);
        return new MountOp(Kind.BIND, f, source, target, null, null,
                (readOnly ? "read-only " : "") + "bind mount of " + source + " onto " + target);
    }

    /**
     * Makes the mount at path and every mount below it read-only, in one mount_setattr(2) call
     * (Linux 5.12; before that only the mount at path becomes read-only).
     */
    public static MountOp readOnlyTree(String path) {
        return new MountOp(Kind.READ_ONLY, 0, path, null, null, null, "making " + path + " and the mounts below it read-only");
    }

    /** mkdir -p. */
    public static MountOp mkdir(String path, int mode) {
        return new MountOp(Kind.MKDIR, mode, path, null, null, null, "mkdir " + path);
    }

    public static MountOp writeFile(String path, String content, int mode) {
        return new MountOp(Kind.WRITE_FILE, mode, path, content, null, null, "writing " + path);
    }

    public static MountOp symlink(String target, String linkPath) {
        return new MountOp(Kind.SYMLINK, 0, target, linkPath, null, null, "symlink " + linkPath + " -> " + target);
    }

    /** pivot_root(2) into newRoot; the old root is detached (runc's {@code pivot_root(".", ".")}). */
    public static MountOp pivotRoot(String newRoot) {
        return new MountOp(Kind.PIVOT_ROOT, 0, newRoot, null, null, null, "pivot_root into " + newRoot);
    }

    /** pivot_root(2) into newRoot, keeping the old root at putOld (relative to the new root). */
    public static MountOp pivotRoot(String newRoot, String putOld) {
        return new MountOp(Kind.PIVOT_ROOT, 0, newRoot, putOld, null, null, "pivot_root into " + newRoot);
    }

    public static MountOp unmountDetached(String path) {
        return new MountOp(Kind.UMOUNT, MNT_DETACH, path, null, null, null, "detaching " + path);
    }

    public static MountOp chdir(String path) {
        return new MountOp(Kind.CHDIR, 0, path, null, null, null, "chdir into " + path);
    }
}
