package io.alicecontainer;

/**
 * A container operation failed at run time: a system call, a cgroup file, the spawn of a process.
 * The message names what failed, on which object and why, e.g.
 * {@code failed to write `50000 100000` to /sys/fs/cgroup/alice/x/cpu.max: EINVAL (Invalid argument)}.
 *
 * <p>Invalid configuration (an unknown unit, a zero limit, a rootfs that is not a directory) is
 * reported earlier, with {@link IllegalArgumentException}, before anything is created.
 */
public class ContainerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ContainerException(String message) {
        super(message);
    }

    public ContainerException(String message, Throwable cause) {
        super(message, cause);
    }
}
