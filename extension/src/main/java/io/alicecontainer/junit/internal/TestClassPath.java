package io.alicecontainer.junit.internal;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The class path a child JVM needs to run a test: where the test was really loaded from, not only
 * {@code java.class.path}. Launchers load tests through class loaders of their own: the JUnit
 * ConsoleLauncher's {@code -jar ... -cp} puts the tests in a {@link URLClassLoader} below the
 * application class loader, Surefire with {@code useSystemClassLoader=false} in an isolated one,
 * and Surefire's default puts one manifest-only booter jar on {@code java.class.path}.
 *
 * <p>Sources, parent first as class loading delegates: {@code java.class.path}; then for each
 * given class loader its chain from the top: the URLs of a {@link URLClassLoader}, or, for any
 * other loader, the jars and directories its {@code getResources} shows. Every jar's manifest
 * {@code Class-Path} is expanded (a manifest-only jar is replaced by it). Last, the code source of
 * each required class (the test class, the child's agent, the launcher) is added if still
 * missing; a required class without one is an error that names its class loader.
 */
public final class TestClassPath {
    private TestClassPath() {
    }

    /**
     * The child's class path for a test class (null: only the context and the extension's loaders).
     *
     * @throws IllegalStateException where a required class's location cannot be found
     */
    public static List<Path> of(Class<?> testClass) {
        List<ClassLoader> loaders = new ArrayList<>();
        List<Class<?>> required = new ArrayList<>();
        if (testClass != null) {
            loaders.add(testClass.getClassLoader());
            required.add(testClass);
        }
        loaders.add(Thread.currentThread().getContextClassLoader());
        loaders.add(TestClassPath.class.getClassLoader());
        required.add(ForkedTestAgent.class);
        required.add(org.junit.platform.launcher.core.LauncherFactory.class);
        return resolve(System.getProperty("java.class.path", ""), loaders, required);
    }

    static List<Path> resolve(String javaClassPath, List<ClassLoader> loaders, List<Class<?>> required) {
        Set<Path> out = new LinkedHashSet<>();
        for (String e : javaClassPath.split(File.pathSeparator)) {
            if (!e.isEmpty()) addExpanded(out, Path.of(e).toAbsolutePath().normalize());
        }
        Set<ClassLoader> seen = Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (ClassLoader loader : loaders) {
            for (ClassLoader l : chainFromTop(loader)) {
                if (seen.add(l)) entriesOf(l).forEach(p -> addExpanded(out, p));
            }
        }
        for (Class<?> c : required) {
            Path location = location(c);
            if (location == null) {
                throw new IllegalStateException("cannot find the class path of " + c.getName() + " for the isolated test's"
                        + " child JVM: its class loader " + describe(c.getClassLoader()) + " shows no location for it"
                        + " (no code source, not a URLClassLoader); run the tests from java.class.path or a URLClassLoader");
            }
            if (!out.contains(location)) addExpanded(out, location);
        }
        return new ArrayList<>(out);
    }

    /** The loader and its parents, the top first; without the platform and boot loaders. */
    private static List<ClassLoader> chainFromTop(ClassLoader loader) {
        Deque<ClassLoader> chain = new ArrayDeque<>();
        ClassLoader platform = ClassLoader.getPlatformClassLoader();
        for (ClassLoader l = loader; l != null && l != platform; l = l.getParent()) chain.addFirst(l);
        return new ArrayList<>(chain);
    }

    /** What one loader adds: java.class.path covers the system loader; URLs; else its resources. */
    static List<Path> entriesOf(ClassLoader loader) {
        List<Path> out = new ArrayList<>();
        if (loader == ClassLoader.getSystemClassLoader()) return out;
        if (loader instanceof URLClassLoader u) {
            for (URL url : u.getURLs()) {
                Path p = filePath(url);
                if (p != null) out.add(p);
            }
            return out;
        }
        // Any other loader (an IDE's, a build tool's): the jars and directories its resources show.
        try {
            for (Enumeration<URL> en = loader.getResources("META-INF/MANIFEST.MF"); en.hasMoreElements(); ) {
                Path p = jarOf(en.nextElement());
                if (p != null) out.add(p);
            }
            for (Enumeration<URL> en = loader.getResources(""); en.hasMoreElements(); ) {
                Path p = filePath(en.nextElement());
                if (p != null) out.add(p);
            }
        } catch (IOException e) {
            // what it shows is all there is; required classes are checked by their code source
        }
        return out;
    }

    /** Where a class was loaded from (a jar or a directory), or null. */
    static Path location(Class<?> c) {
        CodeSource cs = c.getProtectionDomain() == null ? null : c.getProtectionDomain().getCodeSource();
        Path p = cs == null || cs.getLocation() == null ? null : filePath(cs.getLocation());
        if (p != null) return p;
        ClassLoader l = c.getClassLoader();
        URL res = l == null ? null : l.getResource(c.getName().replace('.', '/') + ".class");
        if (res == null) return null;
        if ("jar".equals(res.getProtocol())) return jarOf(res);
        Path file = filePath(res);
        if (file == null) return null;
        for (int i = 0; i < c.getName().split("\\.").length && file != null; i++) file = file.getParent();
        return file;
    }

    /** The entry, and what its manifest's Class-Path adds (recursively); a manifest-only jar is replaced. */
    private static void addExpanded(Set<Path> out, Path entry) {
        addExpanded(out, entry, new java.util.HashSet<>());
    }

    private static void addExpanded(Set<Path> out, Path entry, Set<Path> visited) {
        if (out.contains(entry) || !visited.add(entry)) return;
        List<Path> classPath = manifestClassPath(entry);
        if (classPath == null || classPath.isEmpty() || !manifestOnly(entry)) out.add(entry);
        if (classPath != null) for (Path p : classPath) addExpanded(out, p, visited);
    }

    /** A jar's manifest Class-Path as paths (empty without one), or null for what is not a readable jar. */
    static List<Path> manifestClassPath(Path jar) {
        if (!Files.isRegularFile(jar) || !jar.toString().endsWith(".jar")) return null;
        try (JarFile jf = new JarFile(jar.toFile())) {
            Manifest mf = jf.getManifest();
            String cp = mf == null ? null : mf.getMainAttributes().getValue("Class-Path");
            if (cp == null || cp.isBlank()) return List.of();
            List<Path> out = new ArrayList<>();
            URL base = jar.toUri().toURL();
            for (String token : cp.trim().split("\\s+")) {
                Path p = filePath(new URL(base, token));
                if (p != null) out.add(p);
            }
            return out;
        } catch (IOException e) {
            return null;
        }
    }

    /** A jar holding nothing but META-INF (Surefire's booter jar): its Class-Path is all it is. */
    static boolean manifestOnly(Path jar) {
        try (JarFile jf = new JarFile(jar.toFile())) {
            for (Enumeration<JarEntry> en = jf.entries(); en.hasMoreElements(); ) {
                if (!en.nextElement().getName().startsWith("META-INF/")) return false;
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static Path jarOf(URL url) {
        if (!"jar".equals(url.getProtocol())) return null;
        String s = url.toString();
        int bang = s.indexOf("!/");
        if (bang < 0) return null;
        try {
            return filePath(new URL(s.substring("jar:".length(), bang)));
        } catch (IOException e) {
            return null;
        }
    }

    private static Path filePath(URL url) {
        if (!"file".equals(url.getProtocol())) return null;
        try {
            return Path.of(new URI(url.toString().replace(" ", "%20"))).toAbsolutePath().normalize();
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }

    static String describe(ClassLoader l) {
        if (l == null) return "the boot class loader";
        String name = l.getName() == null ? "" : " '" + l.getName() + "'";
        return l.getClass().getName() + name;
    }
}
