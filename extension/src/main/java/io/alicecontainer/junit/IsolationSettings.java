package io.alicecontainer.junit;

import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.alicecontainer.ByteSize;
import io.alicecontainer.DurationText;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * What an isolated test asked for: its annotations (the method's win over its class's, then
 * the enclosing classes', then the configuration parameters' defaults), checked at once.
 */
record IsolationSettings(boolean isolated, Integer cpuPercent, CpuScheduler scheduler, Long memoryBytes, Long pids,
                         Path rootfs, Budget budget, Duration timeout) {

    static final String MODE = "alice.isolation.mode";
    static final String DEFAULT_CPU = "alice.isolation.defaultCpuLimit";
    static final String DEFAULT_MEMORY = "alice.isolation.defaultMemoryLimit";
    static final String DEFAULT_PIDS = "alice.isolation.defaultPidsLimit";
    static final String GRANULARITY = "alice.isolation.granularity";

    /** @ResourceBudget, parsed; null fields are not checked. */
    record Budget(Long memoryPeak, Duration cpuTime, Duration cpuStall, Duration memoryStall, Duration ioStall) {
        static final Budget NONE = new Budget(null, null, null, null, null);
    }

    /** Whether every test is isolated by configuration ({@code alice.isolation.mode=all}). */
    static boolean isolateAll(ExtensionContext ctx) {
        return isolateAll(ctx::getConfigurationParameter);
    }

    /**
     * The rules below read configuration parameters through a function, so that a {@link
     * org.junit.platform.launcher.TestPlan}'s parameters decide them before any test runs, as an
     * ExtensionContext's do while it runs ({@link PlanDemand}).
     */
    static boolean isolateAll(Function<String, Optional<String>> parameters) {
        return parameters.apply(MODE).map(v -> v.trim().equalsIgnoreCase("all")).orElse(false);
    }

    /** Whether the test method {@code m} (null: none) of test class {@code c} runs isolated. */
    static boolean isolated(Method m, Class<?> c, Function<String, Optional<String>> parameters) {
        return isolateAll(parameters) || (m != null && AnnotationSupport.isAnnotated(m, Isolated.class))
                || find(c, Isolated.class).isPresent();
    }

    /** Whether every test of the class (the context's) is isolated: then the class is never set up here. */
    static boolean wholeClassIsolated(ExtensionContext ctx) {
        return ctx.getTestClass().map(c -> wholeClassIsolated(c, ctx::getConfigurationParameter)).orElse(isolateAll(ctx));
    }

    static boolean wholeClassIsolated(Class<?> c, Function<String, Optional<String>> parameters) {
        return isolateAll(parameters) || find(c, Isolated.class).isPresent();
    }

    /**
     * The granularity of the context's class: CLASS when the class (or an enclosing one) says
     * {@code @Isolated(granularity = CLASS)}, or when the whole class is isolated and
     * {@code alice.isolation.granularity=class}; else METHOD.
     */
    static Granularity granularity(ExtensionContext ctx) {
        return ctx.getTestClass().map(c -> granularity(c, ctx::getConfigurationParameter)).orElse(Granularity.METHOD);
    }

    static Granularity granularity(Class<?> c, Function<String, Optional<String>> parameters) {
        Granularity configured = parameters.apply(GRANULARITY).map(v -> {
            try {
                return Granularity.valueOf(v.trim().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new ExtensionConfigurationException("configuration parameter " + GRANULARITY
                        + " must be `method` or `class`, was `" + v + "`");
            }
        }).orElse(Granularity.METHOD);
        Optional<Isolated> a = find(c, Isolated.class);
        if (a.isPresent() && a.get().granularity() == Granularity.CLASS) return Granularity.CLASS;
        return configured == Granularity.CLASS && wholeClassIsolated(c, parameters) ? Granularity.CLASS : Granularity.METHOD;
    }

    static IsolationSettings of(ExtensionContext ctx) {
        Method m = ctx.getTestMethod().orElse(null);
        Class<?> c = ctx.getRequiredTestClass();
        boolean isolated = isolated(m, c, ctx::getConfigurationParameter);
        if (!isolated) return new IsolationSettings(false, null, CpuScheduler.STATIC, null, null, null, Budget.NONE, null);
        String where = m == null ? c.getName() : c.getSimpleName() + "." + m.getName();
        Integer cpu = lookup(m, c, CpuLimit.class).map(a -> checkCpu(a.value(), where))
                .orElseGet(() -> ctx.getConfigurationParameter(DEFAULT_CPU).map(v -> checkCpu(parseInt(DEFAULT_CPU, v), where)).orElse(null));
        Long memory = lookup(m, c, MemoryLimit.class).map(a -> size("@MemoryLimit(\"" + a.value() + "\")", a.value(), where))
                .orElseGet(() -> ctx.getConfigurationParameter(DEFAULT_MEMORY).map(v -> size(DEFAULT_MEMORY + "=" + v, v, where)).orElse(null));
        Long pids = lookup(m, c, PidsLimit.class).map(a -> checkPids(a.value(), where))
                .orElseGet(() -> ctx.getConfigurationParameter(DEFAULT_PIDS).map(v -> checkPids(parseInt(DEFAULT_PIDS, v), where)).orElse(null));
        Path rootfs = lookup(m, c, RootFs.class).map(a -> rootfs(a.value(), where)).orElse(null);
        CpuScheduler scheduler = lookup(m, c, CpuLimit.class).map(CpuLimit::scheduler).orElse(CpuScheduler.STATIC);
        Budget budget = lookup(m, c, ResourceBudget.class).map(a -> budget(a, where)).orElse(Budget.NONE);
        return new IsolationSettings(true, cpu, scheduler, memory, pids, rootfs, budget, timeout(ctx, m, c));
    }

    /** The method's annotation, else the class's, its superclasses' or an enclosing class's. */
    static <A extends Annotation> Optional<A> lookup(Method m, Class<?> c, Class<A> type) {
        if (m != null) {
            Optional<A> a = AnnotationSupport.findAnnotation(m, type);
            if (a.isPresent()) return a;
        }
        return find(c, type);
    }

    static <A extends Annotation> Optional<A> find(Class<?> c, Class<A> type) {
        for (Class<?> k = c; k != null; k = isInner(k) ? k.getEnclosingClass() : null) {
            Optional<A> a = AnnotationSupport.findAnnotation((AnnotatedElement) k, type);
            if (a.isPresent()) return a;
        }
        return Optional.empty();
    }

    private static boolean isInner(Class<?> k) {
        return k.getEnclosingClass() != null && !Modifier.isStatic(k.getModifiers());
    }

    private static int checkCpu(int v, String where) {
        if (v <= 0) throw bad("@CpuLimit(" + v + ")", where, "the CPU limit must be a positive percentage of one CPU, e.g. 50");
        return v;
    }

    private static long checkPids(long v, String where) {
        if (v <= 0) throw bad("@PidsLimit(" + v + ")", where, "the pids limit must be positive");
        return v;
    }

    private static int parseInt(String key, String v) {
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new ExtensionConfigurationException("configuration parameter " + key + " must be a number, was `" + v + "`");
        }
    }

    private static long size(String what, String v, String where) {
        try {
            return ByteSize.parse(v);
        } catch (IllegalArgumentException e) {
            throw bad(what, where, e.getMessage());
        }
    }

    private static Duration duration(String what, String v, String where) {
        try {
            return DurationText.parse(v);
        } catch (IllegalArgumentException e) {
            throw bad(what, where, e.getMessage());
        }
    }

    private static Path rootfs(String v, String where) {
        Path p = Path.of(v).toAbsolutePath().normalize();
        if (!Files.isDirectory(p)) {
            throw bad("@RootFs(\"" + v + "\")", where, p + (Files.exists(p) ? " is not a directory" : " does not exist"));
        }
        return p;
    }

    private static Budget budget(ResourceBudget a, String where) {
        String w = "@ResourceBudget";
        return new Budget(
                a.memoryPeak().isEmpty() ? null : size(w + "(memoryPeak = \"" + a.memoryPeak() + "\")", a.memoryPeak(), where),
                a.cpuTime().isEmpty() ? null : duration(w + "(cpuTime = \"" + a.cpuTime() + "\")", a.cpuTime(), where),
                a.cpuStall().isEmpty() ? null : duration(w + "(cpuStall = \"" + a.cpuStall() + "\")", a.cpuStall(), where),
                a.memoryStall().isEmpty() ? null : duration(w + "(memoryStall = \"" + a.memoryStall() + "\")", a.memoryStall(), where),
                a.ioStall().isEmpty() ? null : duration(w + "(ioStall = \"" + a.ioStall() + "\")", a.ioStall(), where));
    }

    /** JUnit's @Timeout on the method or class, else the default timeout parameters. */
    private static Duration timeout(ExtensionContext ctx, Method m, Class<?> c) {
        Optional<Timeout> t = lookup(m, c, Timeout.class);
        if (t.isPresent()) return Duration.ofNanos(TimeUnit.NANOSECONDS.convert(t.get().value(), t.get().unit()));
        for (String key : new String[] {"junit.jupiter.execution.timeout.testable.method.default",
                "junit.jupiter.execution.timeout.default"}) {
            Optional<String> v = ctx.getConfigurationParameter(key);
            if (v.isPresent()) {
                try {
                    return DurationText.parse(v.get().replace(" ", ""));
                } catch (IllegalArgumentException ignored) {
                    // JUnit reports its own parameter errors
                }
            }
        }
        return null;
    }

    private static ExtensionConfigurationException bad(String annotation, String where, String why) {
        return new ExtensionConfigurationException(annotation + " on " + where + " is invalid: " + why);
    }
}
