package io.alicecontainer.junit.internal;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;

import io.alicecontainer.ResourceUsage;

/**
 * The child's side of its channel to the parent once the test was handed over: one message at a
 * time, each answered before the next (the test and the listener may both ask).
 */
public final class ParentLink {
    private static volatile ParentLink current;

    private final ObjectInputStream in;
    private final ObjectOutputStream out;

    ParentLink(ObjectInputStream in, ObjectOutputStream out) {
        this.in = in;
        this.out = out;
    }

    /** The link of this child JVM, or null outside a child (or before its test was handed over). */
    public static ParentLink current() {
        return current;
    }

    static void install(ParentLink link) {
        current = link;
    }

    synchronized Object ask(ChildMessage m) {
        try {
            out.writeObject(m);
            out.flush();
            return in.readObject();
        } catch (IOException | ClassNotFoundException e) {
            // The parent is gone or the channel broke: the run goes on unmeasured.
            return null;
        }
    }

    /** The usage of the node (a test) since it started, as measured by the parent; null when unavailable. */
    public ResourceUsage testUsage(String uniqueId) {
        Object o = ask(new ChildMessage.UsageQuery(uniqueId));
        return o instanceof ResourceUsage u ? u : null;
    }

    synchronized void send(RunResult result) throws IOException {
        out.writeObject(result);
        out.flush();
    }
}
