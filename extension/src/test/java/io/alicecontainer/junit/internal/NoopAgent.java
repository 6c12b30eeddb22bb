package io.alicecontainer.junit.internal;

/** A -javaagent that does nothing: the JVM still adds java.instrument to the boot layer for it. */
public final class NoopAgent {
    private NoopAgent() {
    }

    public static void premain(String args) {
        // nothing
    }
}
