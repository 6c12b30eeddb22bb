package io.alicecontainer.internal;

import io.alicecontainer.ContainerException;

/**
 * A system call failed. The message has one shape everywhere:
 * {@code pivot_root(2) failed: EINVAL (Invalid argument) [new_root=`/x`]}.
 */
public final class SyscallException extends ContainerException {
    private static final long serialVersionUID = 1L;
    private final String call;
    private final int errno;

    public SyscallException(String call, int errno, String details) {
        super(call + " failed: " + Errno.describe(errno) + (details.isEmpty() ? "" : " [" + details + "]"));
        this.call = call;
        this.errno = errno;
    }

    /** The call, as {@code name(section)}. */
    public String call() {
        return call;
    }

    /** The errno value the call failed with. */
    public int errno() {
        return errno;
    }
}
