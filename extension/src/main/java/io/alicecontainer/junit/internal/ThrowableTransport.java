package io.alicecontainer.junit.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.opentest4j.ValueWrapper;

/**
 * Carries a throwable from the child to the parent: as itself (Java serialization) when it and
 * everything it holds can be; otherwise as a structural copy (class name, message, stack trace,
 * causes, suppressed) rebuilt as {@link RemoteThrowable} / {@link RemoteAssertionError}.
 *
 * <p>The bytes come from the child, i.e. from the test's own code, which must not reach the
 * parent (it runs as root): they are read through {@link #FILTER}, which lets through throwables
 * and enums of the JDK, JUnit, opentest4j, AssertJ and ALICE ({@link ThrowableOrigin}), their
 * stack traces and lists, and plain values (strings, numbers, opentest4j's value wrappers) and
 * nothing else. No class of the test's own is ever instantiated or initialized here: not a
 * deserialization gadget, and not a throwable subclass of the test's with a {@code readObject}.
 * The child sends such a throwable as its copy in the first place ({@link #encode} replaces it,
 * also as the cause of a failure that is itself sent), and replaces other values of its own by
 * their string form, so that a well-behaved child's failure keeps its type and values; bytes
 * that break these rules anyway (a child that writes its own) make the parent fall back to the copy.
 */
public final class ThrowableTransport {
    /** What a throwable from the child may be made of (besides throwables, enums and arrays of these). */
    private static final Set<String> VALUES = Set.of(
            "java.lang.String", "java.lang.StackTraceElement", "java.lang.Boolean", "java.lang.Character",
            "java.lang.Byte", "java.lang.Short", "java.lang.Integer", "java.lang.Long", "java.lang.Float",
            "java.lang.Double", "java.lang.Number", "java.lang.Enum", "java.math.BigInteger", "java.math.BigDecimal",
            "java.util.ArrayList", "java.util.Collections$EmptyList", "java.util.Collections$UnmodifiableList",
            "java.util.Collections$UnmodifiableRandomAccessList", "java.util.Collections$UnmodifiableCollection",
            "java.util.ImmutableCollections$List12", "java.util.ImmutableCollections$ListN", "java.util.CollSer",
            "org.opentest4j.ValueWrapper", Copy.class.getName(), Envelope.class.getName());

    /** Bounds and classes for bytes from the child: see the class comment. */
    static final ObjectInputFilter FILTER = info -> {
        if (info.depth() > 64 || info.references() > 200_000 || info.streamBytes() > (64L << 20)
                || info.arrayLength() > 1_000_000) {
            return ObjectInputFilter.Status.REJECTED;
        }
        Class<?> c = info.serialClass();
        if (c == null) return ObjectInputFilter.Status.UNDECIDED;
        boolean array = c.isArray();
        while (c.isArray()) c = c.getComponentType();
        if (array && c == Object.class) return ObjectInputFilter.Status.ALLOWED; // a list's backing array: its elements are checked one by one
        return acceptable(c) ? ObjectInputFilter.Status.ALLOWED : ObjectInputFilter.Status.REJECTED;
    };

    /** A class the parent may instantiate from the child's bytes (arrays: by their component). */
    static boolean acceptable(Class<?> c) {
        while (c.isArray()) c = c.getComponentType();
        if (c.isPrimitive() || VALUES.contains(c.getName())) return true;
        return (c.isEnum() || Throwable.class.isAssignableFrom(c)) && ThrowableOrigin.trusted(c);
    }

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
            itself = serializeForParent(t);
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
        } catch (IOException | ClassNotFoundException | RuntimeException | InternalError | StackOverflowError e) {
            // InternalError: the JDK's own readResolve of some collections throws it for a crafted stream
            throw new IllegalStateException("cannot decode the child's exception", e);
        }
        if (env.itself() != null) {
            try {
                return (Throwable) deserialize(env.itself(), loader);
            } catch (IOException | ClassNotFoundException | RuntimeException | InternalError | StackOverflowError e) {
                // a class of the child's is missing here, or one the filter refused: the copy says what it was
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

    /**
     * Serializes t with every throwable of untrusted origin (the test's own, whatever it holds)
     * replaced by its copy and every other value the parent would refuse by its string form.
     */
    static byte[] serializeForParent(Throwable t) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes) {
            {
                enableReplaceObject(true);
            }

            @Override
            protected Object replaceObject(Object o) {
                return forParent(o);
            }
        }) {
            out.writeObject(t);
        }
        return bytes.toByteArray();
    }

    private static Object forParent(Object o) {
        Class<?> c = o.getClass();
        if (o instanceof Throwable thrown) return acceptable(c) ? o : rebuild(copy(thrown, 0));
        if (o instanceof ValueWrapper w) {
            // its type travels as a class (not replaceable): an untrusted type becomes String
            return w.getType() == null || acceptable(w.getType()) ? o : ValueWrapper.create(w.getStringRepresentation());
        }
        if (c.isArray() || acceptable(c) || o instanceof Copy || o instanceof Envelope) return o;
        try {
            return String.valueOf(o);
        } catch (RuntimeException e) {
            return c.getName() + " (toString() threw " + e + ")";
        }
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
            in.setObjectInputFilter(FILTER);
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
