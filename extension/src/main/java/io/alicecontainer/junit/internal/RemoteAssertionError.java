package io.alicecontainer.junit.internal;

/** A {@link RemoteThrowable} for an {@link AssertionError} subclass: a failure stays a failure. */
public final class RemoteAssertionError extends AssertionError {
    private static final long serialVersionUID = 1L;
    private final String originalClassName;

    public RemoteAssertionError(String originalClassName, String message, Throwable cause) {
        super(originalClassName + (message == null ? "" : ": " + message), cause);
        this.originalClassName = originalClassName;
    }

    public String originalClassName() {
        return originalClassName;
    }

    @Override
    public String toString() {
        return getMessage();
    }
}
