package io.alicecontainer.junit.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Carries a throwable from the child to the parent: as itself (Java serialization) when it and
 * everything it holds can be; otherwise as a structural copy (class name, message, stack trace,
 * causes, suppressed) rebuilt as {@link RemoteThrowable} / {@link RemoteAssertionError}.
 */
public final class ThrowableTransport {
    /** The structural copy. */
    record Copy(String className, String message, boolean assertion, StackTraceElement[] stack, Copy cause,
                List<Copy> suppressed) implements Serializable {
    }

    /** Both forms: the parent uses the throwable itself when it can read it, else the copy. */
    record Envelope(byte[] itself, Copy copy) implements Serializable {
    }

    private ThrowableTransport() {
    }

    public static byte[] encode(Throwable t) {
        if (t == null) return null;
        byte[] itself;
        try {
            itself = serialize(t);
        } catch (IOException | RuntimeException notSerializable) {
            itself = null;
        }
        try {
            return serialize(new Envelope(itself, copy(t, 0)));
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode " + t.getClass().getName(), e);
        }
    }

    public static Throwable decode(byte[] data, ClassLoader loader) {
        if (data == null) return null;
        Envelope env;
        try {
            env = (Envelope) deserialize(data, ThrowableTransport.class.getClassLoader());
        } catch (IOException | ClassNotFoundException e) {
            throw new IllegalStateException("cannot decode the child's exception", e);
        }
        if (env.itself() != null) {
            try {
                return (Throwable) deserialize(env.itself(), loader);
            } catch (IOException | ClassNotFoundException | RuntimeException e) {
                // a class of the child's is missing here: the copy says what it was
            }
        }
        return rebuild(env.copy());
    }

    private static byte[] serialize(Object o) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        return bytes.toByteArray();
    }

    private static Object deserialize(byte[] data, ClassLoader loader) throws IOException, ClassNotFoundException {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(data)) {
            @Override
            protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
                try {
                    return Class.forName(desc.getName(), false, loader);
                } catch (ClassNotFoundException e) {
                    return super.resolveClass(desc);
                }
            }
        }) {
            return in.readObject();
        }
    }

    static Copy copy(Throwable t, int depth) {
        if (t == null || depth > 32) return null;
        List<Copy> suppressed = new ArrayList<>();
        for (Throwable s : t.getSuppressed()) suppressed.add(copy(s, depth + 1));
        String message;
        try {
            message = t.getMessage();
        } catch (RuntimeException e) {
            message = "(getMessage() threw " + e + ")";
        }
        return new Copy(t.getClass().getName(), message, t instanceof AssertionError, t.getStackTrace(),
                t.getCause() == t ? null : copy(t.getCause(), depth + 1), suppressed);
    }

    static Throwable rebuild(Copy c) {
        Throwable cause = c.cause() == null ? null : rebuild(c.cause());
        Throwable t = c.assertion() ? new RemoteAssertionError(c.className(), c.message(), cause)
                : new RemoteThrowable(c.className(), c.message(), cause);
        t.setStackTrace(c.stack());
        for (Copy s : c.suppressed()) t.addSuppressed(rebuild(s));
        return t;
    }
}
