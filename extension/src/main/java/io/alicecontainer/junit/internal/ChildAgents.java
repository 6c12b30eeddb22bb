package io.alicecontainer.junit.internal;

import java.util.regex.Pattern;

/**
 * Agents a child inherits, made cheaper where that changes no result. JaCoCo instruments every
 * class a JVM loads, JUnit's included, and it does so again in every child: about 1 s of CPU per
 * child for the ~700 classes of the JUnit launcher and engine (ci/benchmarks/README.md). No
 * coverage report covers JUnit's own classes, so a JaCoCo agent without includes or excludes of
 * its own gets {@code excludes} for the test framework in children; JUnit's classes then also come
 * from the CDS archive (an agent that transforms a class makes the JVM parse it again).
 */
final class ChildAgents {
    static final String TEST_FRAMEWORK = "org.junit.*:org.opentest4j.*:org.apiguardian.*";
    private static final Pattern JACOCO = Pattern.compile("-javaagent:[^=]*org\\.jacoco\\.agent[^=/]*\\.jar(=.*)?");

    private ChildAgents() {
    }

    /** The option for a child: a JaCoCo agent's without includes/excludes gets the test framework excluded. */
    static String forChild(String option) {
        if (!JACOCO.matcher(option).matches()) return option;
        int eq = option.indexOf('=');
        String args = eq < 0 ? "" : option.substring(eq + 1);
        for (String kv : args.split(",")) {
            if (kv.startsWith("includes=") || kv.startsWith("excludes=")) return option;
        }
        return option + (eq < 0 ? "=" : ",") + "excludes=" + TEST_FRAMEWORK;
    }
}
