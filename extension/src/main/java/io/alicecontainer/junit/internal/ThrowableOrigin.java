package io.alicecontainer.junit.internal;

import java.net.URL;
import java.security.CodeSource;
import java.util.List;

/**
 * Whether a class of a child's throwable comes from code we trust to be deserialized in the
 * parent: the JDK, JUnit (Jupiter, Platform, Vintage's JUnit 4), opentest4j, AssertJ, or
 * ALICE itself. Anything else — above all the test's own classes — could carry a
 * {@code readObject}, {@code readResolve} or static initializer that would run in the parent
 * (outside the container, as root) and travels as {@link RemoteThrowable} instead.
 *
 * <p>Decided by where the class was loaded from, not by its name: a test class path may define
 * a class named {@code org.junit.Anything}, but not one inside the jar of JUnit's own
 * {@code Assertions}. A library is trusted by the code source of a class it is known to
 * contain ({@link #MARKERS}), looked up through the same class loader.
 */
final class ThrowableOrigin {
    /** One class of each trusted library, by name: the extension does not depend on all of them. */
    static final List<String> MARKERS = List.of(
            "org.opentest4j.AssertionFailedError",
            "org.junit.jupiter.api.Assertions",                         // junit-jupiter-api
            "org.junit.jupiter.params.ParameterizedTest",                // junit-jupiter-params
            "org.junit.jupiter.engine.JupiterTestEngine",                // junit-jupiter-engine
            "org.junit.platform.commons.PreconditionViolationException", // junit-platform-commons
            "org.junit.platform.engine.TestEngine",                      // junit-platform-engine
            "org.junit.platform.launcher.Launcher",                      // junit-platform-launcher
            "org.junit.Assert",                                          // junit 4
            "org.assertj.core.api.Assertions",                           // assertj-core
            "io.alicecontainer.ContainerException",                      // our runtime
            "io.alicecontainer.junit.internal.ThrowableOrigin");         // this extension

    private ThrowableOrigin() {
    }

    /** True for the JDK's classes and those of the libraries above. */
    static boolean trusted(Class<?> c) {
        while (c.isArray()) c = c.getComponentType();
        ClassLoader loader = c.getClassLoader();
        if (loader == null || loader == ClassLoader.getPlatformClassLoader()) return true;
        URL where = location(c);
        if (where == null) return false;
        for (String marker : MARKERS) {
            try {
                if (where.equals(location(Class.forName(marker, false, loader)))) return true;
            } catch (ClassNotFoundException | LinkageError absent) {
                // that library is not on this class path
            }
        }
        return false;
    }

    private static URL location(Class<?> c) {
        CodeSource source = c.getProtectionDomain().getCodeSource();
        return source == null ? null : source.getLocation();
    }
}
