package io.alicecontainer.clone3;

import io.alicecontainer.ContainerException;
import io.alicecontainer.internal.Errno;

/**
 * Spawning a container process failed, in the parent or in the child before {@code execve}. The
 * message names the step: {@code pivot_root into /x failed: EINVAL (Invalid argument)}.
 */
public final class SpawnException extends ContainerException {
    private static final long serialVersionUID = 1L;
    private final SpawnStep step;
    private final int errno;

    public SpawnException(SpawnStep step, int errno, String what) {
        super(what + " failed: " + Errno.describe(errno));
        this.step = step;
        this.errno = errno;
    }

    public SpawnStep step() {
        return step;
    }

    public int errno() {
        return errno;
    }
}
