package io.alicecontainer.junit.internal;

/**
 * Stands in for a throwable of the child that could not be sent as itself (its class is not
 * serializable, or missing in the parent): same class name in the message, same message, stack
 * trace, causes and suppressed exceptions.
 */
public final class RemoteThrowable extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String originalClassName;

    public RemoteThrowable(String originalClassName, String message, Throwable cause) {
        super(originalClassName + (message == null ? "" : ": " + message), cause, true, true);
        this.originalClassName = originalClassName;
    }

    /** The class of the throwable in the child. */
    public String originalClassName() {
        return originalClassName;
    }

    @Override
    public String toString() {
        return getMessage();
    }
}
