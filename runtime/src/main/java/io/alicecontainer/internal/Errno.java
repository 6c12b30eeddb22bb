package io.alicecontainer.internal;

import java.util.Map;

/** errno values (asm-generic/errno-base.h, errno.h: the same on x86_64 and aarch64) and their text. */
public final class Errno {
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int ESRCH = 3;
    public static final int EINTR = 4;
    public static final int EIO = 5;
    public static final int EBADF = 9;
    public static final int ECHILD = 10;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EBUSY = 16;
    public static final int EEXIST = 17;
    public static final int ENOTDIR = 20;
    public static final int EISDIR = 21;
    public static final int EINVAL = 22;
    public static final int ENOSPC = 28;
    public static final int EROFS = 30;
    public static final int EPIPE = 32;
    public static final int ENAMETOOLONG = 36;
    public static final int ENOSYS = 38;
    public static final int ENOTEMPTY = 39;
    public static final int ELOOP = 40;
    public static final int EOPNOTSUPP = 95;

    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(EPERM, "EPERM"), Map.entry(ENOENT, "ENOENT"), Map.entry(ESRCH, "ESRCH"),
            Map.entry(EINTR, "EINTR"), Map.entry(EIO, "EIO"), Map.entry(7, "E2BIG"),
            Map.entry(8, "ENOEXEC"), Map.entry(EBADF, "EBADF"), Map.entry(ECHILD, "ECHILD"),
            Map.entry(EAGAIN, "EAGAIN"), Map.entry(ENOMEM, "ENOMEM"), Map.entry(EACCES, "EACCES"),
            Map.entry(14, "EFAULT"), Map.entry(EBUSY, "EBUSY"), Map.entry(EEXIST, "EEXIST"),
            Map.entry(18, "EXDEV"), Map.entry(19, "ENODEV"), Map.entry(ENOTDIR, "ENOTDIR"),
            Map.entry(EISDIR, "EISDIR"), Map.entry(EINVAL, "EINVAL"), Map.entry(23, "ENFILE"),
            Map.entry(24, "EMFILE"), Map.entry(26, "ETXTBSY"), Map.entry(27, "EFBIG"),
            Map.entry(ENOSPC, "ENOSPC"), Map.entry(EROFS, "EROFS"), Map.entry(31, "EMLINK"),
            Map.entry(EPIPE, "EPIPE"), Map.entry(34, "ERANGE"), Map.entry(ENAMETOOLONG, "ENAMETOOLONG"),
            Map.entry(ENOSYS, "ENOSYS"), Map.entry(ENOTEMPTY, "ENOTEMPTY"), Map.entry(ELOOP, "ELOOP"),
            Map.entry(EOPNOTSUPP, "EOPNOTSUPP"), Map.entry(110, "ETIMEDOUT"), Map.entry(125, "ECANCELED"));

    private Errno() {
    }

    /** {@code EINVAL}, or {@code errno 4711} for a value without a name here. */
    public static String name(int errno) {
        return NAMES.getOrDefault(errno, "errno " + errno);
    }

    /** {@code EINVAL (Invalid argument)}: the name and strerror(3)'s text. */
    public static String describe(int errno) {
        return name(errno) + " (" + text(errno) + ")";
    }

    /** strerror(3)'s text, or the name where the native library is not available. */
    public static String text(int errno) {
        return Native.isAvailable() ? Native.libc().strerror(errno) : name(errno);
    }
}
