package io.alicecontainer.cgroup;

import io.alicecontainer.ContainerException;

/** A cgroup operation failed; the message names the file and the value. */
public final class CgroupException extends ContainerException {
    private static final long serialVersionUID = 1L;

    public CgroupException(String message) {
        super(message);
    }

    public CgroupException(String message, Throwable cause) {
        super(message, cause);
    }
}
