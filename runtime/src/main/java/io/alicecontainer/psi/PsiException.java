package io.alicecontainer.psi;

import io.alicecontainer.ContainerException;

/**
 * A pressure trigger could not be set up or watched. The message names the trigger, the file and
 * what the kernel said: {@code the kernel refused PSI trigger `some 150000 2000000` on
 * /proc/pressure/cpu: EOPNOTSUPP (...)}.
 */
public final class PsiException extends ContainerException {
    private static final long serialVersionUID = 1L;

    public PsiException(String message) {
        super(message);
    }

    public PsiException(String message, Throwable cause) {
        super(message, cause);
    }
}
