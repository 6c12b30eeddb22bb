package io.alicecontainer.junit.internal;

import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The system properties set in the parent JVM after it started, carried to the child. Surefire
 * sets its {@code systemPropertyVariables}, the user properties of the Maven command line
 * ({@code mvn -Dkey=value test}) and {@code basedir} with {@code System.setProperty} inside the
 * forked JVM, not as {@code -D} options, so a child started with the parent's options alone would
 * miss them, and a test reading one would behave differently isolated than in-process.
 *
 * <p>The parent sends every property it has now, except the JVM's own (its options, paths,
 * encodings and platform: they are the child's own business and the same where they matter) and
 * the child's channels; the child sets those whose value differs from its own before the test
 * runs. With {@code alice.isolation.mode=all} no test code runs in the parent, so what it sends is
 * the build's configuration; with annotations, a property an in-process test left behind reaches
 * an isolated test as it would in-process.
 */
public final class RuntimeProperties {
    private static final String[] JVM_OWNED_PREFIXES = {
        "java.", "jdk.", "sun.", "os.", "file.", "user.", "awt.", "jnr.", "jffi.", "native.", "stdout.", "stderr.",
    };

    private RuntimeProperties() {
    }

    /** What the parent sends: its system properties as they are now, the JVM's own left out. */
    public static Map<String, String> ofParent() {
        Map<String, String> out = new TreeMap<>();
        Properties p = System.getProperties();
        for (String k : p.stringPropertyNames()) {
            String v = p.getProperty(k);
            if (v != null && carried(k)) out.put(k, v);
        }
        return out;
    }

    static boolean carried(String key) {
        for (String prefix : JVM_OWNED_PREFIXES) if (key.startsWith(prefix)) return false;
        return !key.equals("line.separator") && !key.equals("path.separator")
                && !key.equals(ForkedTestAgent.CHILD_PROPERTY) && !key.equals(SandboxProtocol.CHANNEL_PROPERTY);
    }

    /** In the child, before the test runs: sets what differs from its own. */
    public static void apply(Map<String, String> parent) {
        parent.forEach((k, v) -> {
            if (carried(k) && !Objects.equals(System.getProperty(k), v)) System.setProperty(k, v);
        });
    }
}
