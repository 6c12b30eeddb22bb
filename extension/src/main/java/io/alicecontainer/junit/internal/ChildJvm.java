package io.alicecontainer.junit.internal;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import io.alicecontainer.rootfs.Bind;
import io.alicecontainer.rootfs.MountPlan;

/**
 * The child JVM a test runs in: the same {@code java}, the options this JVM was started with
 * (agents such as JaCoCo included, debuggers not), the class path the test was really loaded
 * from ({@link TestClassPath}), and the host paths the container must show for all that.
 */
public final class ChildJvm {
    /** Extra options for the child, split on whitespace. */
    public static final String JVM_OPTIONS = "alice.isolation.jvmOptions";
    /** The java executable for the child (default: this JVM's). */
    public static final String JAVA = "alice.isolation.java";

    private ChildJvm() {
    }

    /**
     * The command: java, options, -cp, the agent main class and its two channel paths, with the
     * class path in a given order (a {@link ClassDataSharing.Plan}'s). The
     * options: the measured defaults for children first ({@link ChildDefaults}), then this
     * JVM's, then the extra ones, so that later ones win.
     */
    public static List<String> command(String java, List<String> extraOptions, List<Path> classpath) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(withInherited(extraOptions));
        cmd.add("-D" + ForkedTestAgent.CHILD_PROPERTY + "=true");
        cmd.add("-cp");
        cmd.add(String.join(File.pathSeparator, classpath.stream().map(Path::toString).toList()));
        cmd.add(ForkedTestAgent.class.getName());
        cmd.add("/proc/self/fd/3");
        cmd.add("/proc/self/fd/4");
        return cmd;
    }

    public static String defaultJava() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** All options of a child before its -cp: the defaults for children, this JVM's, the extra ones. */
    public static List<String> withInherited(List<String> extraOptions) {
        List<String> inherited = inheritedOptions();
        List<String> out = new ArrayList<>(ChildDefaults.options(inherited, extraOptions));
        out.addAll(inherited);
        out.addAll(extraOptions);
        return out;
    }

    /**
     * The options a child that runs a whole test class gets on top of these extra ones: C2 as
     * well as C1 unless an option chose the compilers (see {@link ChildDefaults#wholeClass}).
     */
    public static List<String> wholeClassOptions(List<String> extraOptions) {
        return ChildDefaults.wholeClass(inheritedOptions(), extraOptions);
    }

    /** This JVM's options, without a debugger's (a second JVM cannot take the same port). */
    public static List<String> inheritedOptions() {
        List<String> out = new ArrayList<>();
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("-agentlib:jdwp") || a.startsWith("-Xrunjdwp") || a.equals("-Xdebug")) continue;
            if (a.startsWith("-D" + ForkedTestAgent.CHILD_PROPERTY)) continue;
            out.add(ChildAgents.forChild(a));
        }
        return out;
    }

    /** Where the test was really loaded from: see {@link TestClassPath}. */
    public static List<Path> classpath(Class<?> testClass) {
        return TestClassPath.of(testClass);
    }

    /**
     * Host paths the child needs to see (read-only): the classpath, the agents' jars (inherited
     * and extra options) and the
     * java executable's home, reduced to few binds (a Maven repository as one). With the host
     * view, paths it shows already need no bind; in a root filesystem of the test's, all do.
     */
    public static List<Bind> binds(String java, List<String> options, Path workdir, boolean hostView, List<Path> classpath) {
        TreeSet<Path> wanted = new TreeSet<>();
        for (Path p : classpath) wanted.add(bindRoot(p));
        List<String> all = new ArrayList<>(inheritedOptions());
        all.addAll(options);
        for (String o : all) {
            if (o.startsWith("-javaagent:")) {
                String jar = o.substring("-javaagent:".length()).split("=", 2)[0];
                wanted.add(bindRoot(Path.of(jar).toAbsolutePath().normalize()));
            }
            for (String archive : new String[] {"-XX:SharedArchiveFile=", "-XX:AOTCache="}) {
                if (o.startsWith(archive)) {
                    // a CDS archive or AOT cache outside the working directory (alice.isolation.cds.dir, or the user's own)
                    wanted.add(Path.of(o.substring(archive.length())).toAbsolutePath().normalize().getParent());
                }
            }
        }
        Path javaHome = Path.of(java).toAbsolutePath().normalize().getParent().getParent();
        wanted.add(javaHome);
        if (!hostView) wanted.addAll(linkedFrom(javaHome));
        List<Bind> out = new ArrayList<>();
        Path last = null;
        for (Path p : wanted) {
            if (!Files.exists(p)) continue;
            if (p.startsWith(workdir) || (last != null && p.startsWith(last)) || (hostView && MountPlan.coveredByHostView(p))) continue;
            out.add(Bind.readOnly(p));
            last = p;
        }
        return out;
    }

    /**
     * Directories outside a JDK that its symlinks point into: distributions link the JDK's conf
     * and cacerts to /etc (Debian: /etc/java-17-openjdk, /etc/ssl/certs/java).
     */
    static List<Path> linkedFrom(Path javaHome) {
        List<Path> out = new ArrayList<>();
        try (java.util.stream.Stream<Path> walk = Files.walk(javaHome, 5)) {
            for (Path p : walk.filter(Files::isSymbolicLink).toList()) {
                try {
                    Path real = p.toRealPath();
                    if (!real.startsWith(javaHome)) out.add(Files.isDirectory(real) ? real : real.getParent());
                } catch (IOException dangling) {
                    // a dangling link stays dangling inside too
                }
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            // unreadable parts of the JDK: the child reports what it misses
        }
        return out;
    }

    private static Path bindRoot(Path p) {
        String s = p.toString();
        int m2 = s.indexOf("/.m2/repository/");
        if (m2 >= 0) return Path.of(s.substring(0, m2 + "/.m2/repository".length()));
        return Files.isDirectory(p) ? p : (p.getParent() == null ? p : p.getParent());
    }
}
