package io.alicecontainer.junit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestClassPathTests {
    @TempDir
    Path dir;

    /** A class a test defines again in a loader of its own. */
    public static final class Probe {
    }

    @Test
    @DisplayName("a manifest-only booter jar (Surefire's default) is replaced by its Class-Path, relative and file: entries alike")
    void expandsManifestOnlyJar() throws IOException {
        Path classes = Files.createDirectories(dir.resolve("test classes"));
        Path lib = jar(dir.resolve("lib.jar"), null, true);
        Path booter = jar(dir.resolve("booter.jar"), "lib.jar " + classes.toUri(), false);

        List<Path> cp = TestClassPath.resolve(booter.toString(), List.of(), List.of());

        assertThat(cp).containsExactly(lib, classes);
    }

    @Test
    @DisplayName("a jar with content keeps its place and brings its Class-Path after it; cycles end")
    void keepsJarWithContentAndItsClassPath() throws IOException {
        Path other = jar(dir.resolve("other.jar"), "app.jar", true);
        Path app = jar(dir.resolve("app.jar"), "other.jar", true);

        List<Path> cp = TestClassPath.resolve(app.toString(), List.of(), List.of());

        assertThat(cp).containsExactly(app, other);
    }

    @Test
    @DisplayName("URLClassLoader chains (ConsoleLauncher -jar ... -cp, useSystemClassLoader=false) add their URLs, parent first")
    void addsUrlClassLoaderChainParentFirst() throws IOException {
        Path parentEntry = Files.createDirectories(dir.resolve("parent"));
        Path childEntry = jar(dir.resolve("tests.jar"), null, true);
        Path onJavaClassPath = jar(dir.resolve("launcher.jar"), null, true);
        try (URLClassLoader parent = new URLClassLoader(new URL[] {parentEntry.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
             URLClassLoader child = new URLClassLoader(new URL[] {childEntry.toUri().toURL()}, parent)) {

            List<Path> cp = TestClassPath.resolve(onJavaClassPath.toString(), List.of(child, parent), List.of());

            assertThat(cp).containsExactly(onJavaClassPath, parentEntry, childEntry);
        }
    }

    @Test
    @DisplayName("a loader that is no URLClassLoader (an IDE's, a build tool's) is read through the jars and directories its resources show")
    void readsOtherLoadersThroughTheirResources() throws IOException {
        Path jar = jar(dir.resolve("hidden.jar"), null, true);
        Path classes = Files.createDirectories(dir.resolve("hidden-classes"));
        try (URLClassLoader inner = new URLClassLoader(new URL[] {jar.toUri().toURL(), classes.toUri().toURL()}, null)) {
            ClassLoader opaque = new ClassLoader("opaque", ClassLoader.getPlatformClassLoader()) {
                @Override
                protected Enumeration<URL> findResources(String name) throws IOException {
                    return inner.findResources(name);
                }
            };

            List<Path> cp = TestClassPath.resolve("", List.of(opaque), List.of());

            assertThat(cp).containsExactly(jar, classes);
        }
    }

    @Test
    @DisplayName("a required class is found by its code source when no loader lists it")
    void addsTheCodeSourceOfARequiredClass() {
        Path here = TestClassPath.location(TestClassPathTests.class);

        List<Path> cp = TestClassPath.resolve("", List.of(), List.of(TestClassPathTests.class));

        assertThat(here).isDirectory();
        assertThat(here.resolve("io/alicecontainer/junit/internal/TestClassPathTests.class")).isRegularFile();
        assertThat(cp).containsExactly(here);
    }

    @Test
    @DisplayName("a required class without any location is a clear error that names its class loader")
    void failsNamingTheLoaderOfAClassWithoutLocation() throws IOException {
        byte[] bytes;
        try (InputStream in = Probe.class.getResourceAsStream("TestClassPathTests$Probe.class")) {
            bytes = in.readAllBytes();
        }
        class InMemory extends ClassLoader {
            InMemory() {
                super("in-memory", ClassLoader.getPlatformClassLoader());
            }

            Class<?> define() {
                return defineClass(Probe.class.getName(), bytes, 0, bytes.length);
            }

            @Override
            protected Enumeration<URL> findResources(String name) {
                return Collections.emptyEnumeration();
            }
        }
        Class<?> probe = new InMemory().define();

        assertThatThrownBy(() -> TestClassPath.resolve("", List.of(probe.getClassLoader()), List.of(probe)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot find the class path of " + Probe.class.getName())
                .hasMessageContaining("'in-memory'")
                .hasMessageContaining("InMemory");
    }

    @Test
    @DisplayName("in this JVM the test class, the child's agent and the launcher are all on the computed class path")
    void coversTheRequiredClassesHere() {
        List<Path> cp = TestClassPath.of(TestClassPathTests.class);

        assertThat(cp).contains(TestClassPath.location(TestClassPathTests.class), TestClassPath.location(ForkedTestAgent.class),
                TestClassPath.location(org.junit.platform.launcher.core.LauncherFactory.class));
        assertThat(cp).noneMatch(p -> p.getFileName().toString().startsWith("surefirebooter"));
    }

    private static Path jar(Path path, String classPath, boolean withContent) throws IOException {
        Manifest mf = new Manifest();
        mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (classPath != null) mf.getMainAttributes().put(Attributes.Name.CLASS_PATH, classPath);
        try (OutputStream os = Files.newOutputStream(path); JarOutputStream jar = new JarOutputStream(os, mf)) {
            if (withContent) {
                jar.putNextEntry(new JarEntry("x/Content.txt"));
                jar.write('x');
                jar.closeEntry();
            }
        }
        return path.toAbsolutePath().normalize();
    }
}
