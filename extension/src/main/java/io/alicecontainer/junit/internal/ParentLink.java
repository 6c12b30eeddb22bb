package io.alicecontainer.junit.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import io.alicecontainer.ResourceUsage;

/**
 * The child's side of its channel to the parent once the test was handed over: one message at a
 * time, each answered before the next (the test and the listener may both ask). Frames of
 * {@link ChildChannel}.
 */
public final class ParentLink {
    private static volatile ParentLink current;

    private final InputStream in;
    private final OutputStream out;

    ParentLink(InputStream in, OutputStream out) {
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

    /** Sends the message and returns the parent's answer frame, or null when the channel broke. */
    synchronized ChildChannel.Frame ask(ChildMessage m) {
        byte type = m instanceof ChildMessage.Started ? ChildChannel.STARTED
                : m instanceof ChildMessage.Finished ? ChildChannel.FINISHED : ChildChannel.USAGE_QUERY;
        String id = m instanceof ChildMessage.Started s ? s.uniqueId()
                : m instanceof ChildMessage.Finished f ? f.uniqueId() : ((ChildMessage.UsageQuery) m).uniqueId();
        try {
            ChildChannel.write(out, type, ChildChannel.uniqueId(id));
            return ChildChannel.read(in, ChildChannel.MAX_FRAME);
        } catch (IOException e) {
            // The parent is gone or the channel broke: the run goes on unmeasured.
            return null;
        }
    }

    /** The usage of the node (a test) since it started, as measured by the parent; null when unavailable. */
    public ResourceUsage testUsage(String uniqueId) {
        ChildChannel.Frame answer = ask(new ChildMessage.UsageQuery(uniqueId));
        return answer != null && answer.type() == ChildChannel.USAGE ? ChildChannel.usage(answer.payload()) : null;
    }

    synchronized void send(RunResult result) throws IOException {
        ChildChannel.write(out, ChildChannel.RESULT, ChildChannel.result(result));
    }
}
