package io.alicecontainer.cgroup;

/**
 * Block I/O limits for one device ({@code io.max} on v2, {@code blkio.throttle.*} on v1). A value
 * of {@link #UNLIMITED} leaves that dimension unlimited.
 *
 * @param major, minor the block device's numbers (see {@code /sys/block/<dev>/dev})
 */
public record IoLimit(int major, int minor, long readBytesPerSecond, long writeBytesPerSecond,
                      long readIops, long writeIops) {
    public static final long UNLIMITED = -1;

    public IoLimit {
        if (major < 0 || minor < 0) throw new IllegalArgumentException("device " + major + ":" + minor + " is not a device number");
        check("readBytesPerSecond", readBytesPerSecond);
        check("writeBytesPerSecond", writeBytesPerSecond);
        check("readIops", readIops);
        check("writeIops", writeIops);
    }

    private static void check(String what, long v) {
        if (v != UNLIMITED && v <= 0) {
            throw new IllegalArgumentException(what + " must be positive or IoLimit.UNLIMITED, was " + v);
        }
    }

    String device() {
        return major + ":" + minor;
    }
}
