package io.alicecontainer.junit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.alicecontainer.junit.internal.ChildJvm;
import io.alicecontainer.junit.internal.ClassDataSharing;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What a child JVM is started with, as far as it shapes the JVM before any test is known: the
 * java executable, its options, the class path the test was loaded from, the root filesystem,
 * the working directory and the container's privileges. Pooled children are kept per spec: a
 * test takes a child whose JVM and container saw the same.
 *
 * <p>A cold child reads the test's limits from its cgroup at boot (the JVM's container support:
 * {@code availableProcessors()}, the default heap, the collector). A pooled child is booted before
 * the limits are written, so its spec carries what the JVM would have read as options instead:
 * {@code -XX:ActiveProcessorCount} for a CPU limit, {@code -XX:MaxRAM} for a memory limit and,
 * where the limits make it no "server class machine" (fewer than 2 CPUs or under 1792 MiB) and no
 * collector is chosen, {@code -XX:+UseSerialGC}, as the JVM picks then.
 */
record ChildSpec(String java, List<String> options, List<Path> classpath, Path rootfs, Path workdir, SecuritySettings security) {
    ChildSpec {
        options = List.copyOf(options);
        classpath = List.copyOf(classpath);
    }

    /** The spec of a cold child for this test: its limits are set before the JVM starts. */
    static ChildSpec of(ExtensionContext ctx, IsolationSettings s) {
        String java = ctx.getConfigurationParameter(ChildJvm.JAVA).orElseGet(ChildJvm::defaultJava);
        List<String> extra = childOptions(ctx);
        ClassDataSharing.Plan cds = ClassDataSharing.plan(ctx::getConfigurationParameter, java, extra,
                ChildJvm.classpath(ctx.getRequiredTestClass()));
        List<String> options = new ArrayList<>(cds.options());
        options.addAll(extra);
        return new ChildSpec(java, options, cds.classpath(), s.rootfs(),
                Path.of(System.getProperty("user.dir")).toAbsolutePath().normalize(), SecuritySettings.of(ctx));
    }

    /**
     * The spec this test had before its class path's CDS archive was ready (no archive, the class
     * path in its own order), or null when this one has no archive: children booted for it while
     * the archive was made serve this test as well.
     */
    ChildSpec withoutArchive(ExtensionContext ctx) {
        if (options.stream().noneMatch(o -> o.startsWith("-XX:SharedArchiveFile=") || o.startsWith("-XX:AOTCache="))) return null;
        return new ChildSpec(java, childOptions(ctx), ChildJvm.classpath(ctx.getRequiredTestClass()), rootfs, workdir, security);
    }

    /** The same child booted ahead of the limits: they are given to the JVM as options instead. */
    ChildSpec pooled(IsolationSettings s) {
        List<String> all = new ArrayList<>(options);
        all.addAll(viewOptions(s, options));
        return new ChildSpec(java, all, classpath, rootfs, workdir, security);
    }

    /**
     * The user's options for children ({@code alice.isolation.jvmOptions}), and for a child that
     * runs a whole class (a class context: class granularity) the JVM's full tiered compilation in
     * place of the C1-only default (see {@link ChildJvm#wholeClassOptions}).
     */
    static List<String> childOptions(ExtensionContext ctx) {
        List<String> extra = extraOptions(ctx);
        if (ctx.getTestMethod().isPresent()) return extra;
        List<String> out = new ArrayList<>(extra);
        out.addAll(ChildJvm.wholeClassOptions(extra));
        return out;
    }

    static List<String> extraOptions(ExtensionContext ctx) {
        return ctx.getConfigurationParameter(ChildJvm.JVM_OPTIONS)
                .map(v -> List.of(v.trim().split("\\s+"))).filter(l -> !l.get(0).isEmpty()).orElse(List.of());
    }

    /** The options that give a JVM booted without the limits the view it would have had with them. */
    static List<String> viewOptions(IsolationSettings s, List<String> extra) {
        List<String> out = new ArrayList<>();
        int hostCpus = Runtime.getRuntime().availableProcessors();
        int cpus = hostCpus;
        if (s.cpuPercent() != null) {
            cpus = Math.max(1, Math.min(hostCpus, (s.cpuPercent() + 99) / 100));
            out.add("-XX:ActiveProcessorCount=" + cpus);
        }
        if (s.memoryBytes() != null) out.add("-XX:MaxRAM=" + s.memoryBytes());
        boolean small = cpus < 2 || (s.memoryBytes() != null && s.memoryBytes() < (1792L << 20));
        List<String> all = new ArrayList<>(ChildJvm.inheritedOptions());
        all.addAll(extra);
        boolean gcChosen = all.stream().anyMatch(o -> o.matches("-XX:\\+Use\\w+GC"));
        if (small && !gcChosen && (s.cpuPercent() != null || s.memoryBytes() != null)) out.add("-XX:+UseSerialGC");
        return out;
    }
}
