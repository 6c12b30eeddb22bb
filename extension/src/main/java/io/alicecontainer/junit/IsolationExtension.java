package io.alicecontainer.junit;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.alicecontainer.ContainerConfig;
import io.alicecontainer.ExecResult;
import io.alicecontainer.ResourceUsage;
import io.alicecontainer.junit.internal.ForkedTestAgent;
import io.alicecontainer.junit.internal.NodeResult;
import io.alicecontainer.junit.internal.RunResult;
import io.alicecontainer.junit.internal.ThrowableTransport;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeTestExecutionCallback;
import org.junit.jupiter.api.extension.DynamicTestInvocationContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.opentest4j.TestAbortedException;

/**
 * Forks every isolated test into its own container (see {@link Isolated}). In the calling JVM it
 * skips the test and its callbacks and replays the child's outcome; in the child JVM
 * ({@code alice.isolation.child=true}) it lets everything run.
 *
 * <p>Public only so that JUnit's extension auto-detection (ServiceLoader) can create it: with
 * {@code junit.jupiter.extensions.autodetection.enabled=true} and {@code alice.isolation.mode=all}
 * every test of a suite runs isolated without annotations. Use {@link Isolated} otherwise.
 */
public final class IsolationExtension implements BeforeAllCallback, BeforeTestExecutionCallback, InvocationInterceptor,
        ParameterResolver {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(IsolationExtension.class);
    private static final String CLASS_FORK = "class-fork";

    /** What the fork left for the test's invocation: how it ended and, for factories, the dynamic nodes. */
    private record Forked(Throwable failure, RunResult result) {
    }

    /** A class run in one container (class granularity): what its tests replay. */
    private record ClassFork(String classId, IsolationSettings settings, ForkedRun.Outcome outcome) {
    }

    /** For JUnit (ServiceLoader, {@code @ExtendWith}). */
    public IsolationExtension() {
    }

    private static boolean inChild() {
        return Boolean.getBoolean(ForkedTestAgent.CHILD_PROPERTY);
    }

    private static boolean isolatedHere(ExtensionContext ctx) {
        return !inChild() && IsolationSettings.of(ctx).isolated();
    }

    private static boolean classIsolatedHere(ExtensionContext ctx) {
        return !inChild() && IsolationSettings.wholeClassIsolated(ctx);
    }

    // --- class granularity ---------------------------------------------------------------------

    /** With class granularity the whole class runs in one container here, before its tests replay. */
    @Override
    public void beforeAll(ExtensionContext ctx) throws Exception {
        if (inChild() || ctx.getStore(NS).get(CLASS_FORK, ClassFork.class) != null) return; // an enclosing class forked
        if (!IsolationSettings.wholeClassIsolated(ctx) || IsolationSettings.granularity(ctx) != Granularity.CLASS) return;
        // No container timeout for a whole class: @Timeout acts per test in the child.
        IsolationSettings t = IsolationSettings.of(ctx);
        IsolationSettings s = new IsolationSettings(true, t.cpuPercent(), t.scheduler(), t.memoryBytes(), t.pids(), t.rootfs(),
                t.budget(), null);
        checkAvailable(ctx);
        ForkedRun.Outcome outcome = ForkedRun.run(ctx, s, ClassNodes.selected(ctx));
        ctx.getStore(NS).put(CLASS_FORK, new ClassFork(ctx.getUniqueId(), s, outcome));
        ChildSession.Measured m = outcome.measured().get(ctx.getUniqueId());
        Map<String, String> entries = UsageReport.entries(s, outcome, m == null ? null : m.usage(), m == null ? -1 : m.testPeakBytes());
        if (!io.alicecontainer.cgroup.CgroupController.containersHaveCgroups()) UsageReport.unmeasured(entries);
        entries.put("alice.granularity", "class");
        publish(ctx, entries);
        String kill = Verdicts.kernelKill(s, outcome.exec());
        Throwable failure = kill == null ? null : new AssertionError("the container of " + ctx.getDisplayName() + " " + kill);
        writeReport(ctx, failure, entries, kill);
    }

    // --- the test itself -----------------------------------------------------------------------

    /**
     * The fork happens here, before the test's invocation: JUnit's own @Timeout wraps the
     * invocation in this JVM and would count the child JVM's start against the test. The child
     * applies @Timeout itself; the container is killed if it does not.
     */
    @Override
    public void beforeTestExecution(ExtensionContext ctx) {
        if (ctx.getTestMethod().isEmpty() || !isolatedHere(ctx)) return;
        Throwable failure;
        RunResult result = null;
        try {
            ClassFork cf = ctx.getStore(NS).get(CLASS_FORK, ClassFork.class);
            result = cf != null ? replayFromClass(ctx, cf) : fork(ctx);
            failure = null;
        } catch (Throwable t) {
            failure = t;
        }
        ctx.getStore(NS).put(ctx.getUniqueId(), new Forked(failure, result));
    }

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> ic, ExtensionContext ctx)
            throws Throwable {
        runOrReplay(invocation, ctx);
    }

    @Override
    public void interceptTestTemplateMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> ic,
                                            ExtensionContext ctx) throws Throwable {
        runOrReplay(invocation, ctx);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T interceptTestFactoryMethod(Invocation<T> invocation, ReflectiveInvocationContext<Method> ic,
                                            ExtensionContext ctx) throws Throwable {
        if (!isolatedHere(ctx)) return invocation.proceed();
        invocation.skip();
        Forked f = forked(ctx);
        if (f.result() == null) throw f.failure();
        // The factory's own failure (if any) is reported after its dynamic tests ran here.
        Stream<DynamicNode> nodes = replayDynamic(ctx.getUniqueId(), f.result());
        if (f.failure() != null) {
            Throwable failure = f.failure();
            nodes = Stream.concat(nodes, Stream.of(DynamicTest.dynamicTest("isolated factory outcome", () -> {
                throw failure;
            })));
        }
        return (T) nodes;
    }

    @Override
    public void interceptDynamicTest(Invocation<Void> invocation, DynamicTestInvocationContext dic, ExtensionContext ctx)
            throws Throwable {
        invocation.proceed(); // in the parent these are replays of the child's dynamic tests
    }

    private void runOrReplay(Invocation<Void> invocation, ExtensionContext ctx) throws Throwable {
        if (!isolatedHere(ctx)) {
            invocation.proceed();
            return;
        }
        invocation.skip();
        Forked f = forked(ctx);
        if (f.failure() != null) throw f.failure();
    }

    private static Forked forked(ExtensionContext ctx) {
        Forked f = ctx.getStore(NS).remove(ctx.getUniqueId(), Forked.class);
        if (f == null) {
            throw new IllegalStateException("the isolated test " + ctx.getDisplayName() + " was not forked before its invocation"
                    + " (is another BeforeTestExecutionCallback failing first?)");
        }
        return f;
    }

    // --- callbacks that belong to the child ----------------------------------------------------

    @Override
    public void interceptBeforeEachMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> ic,
                                          ExtensionContext ctx) throws Throwable {
        skipIf(isolatedHere(ctx), invocation);
    }

    @Override
    public void interceptAfterEachMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> ic,
                                         ExtensionContext ctx) throws Throwable {
        skipIf(isolatedHere(ctx), invocation);
    }

    @Override
    public void interceptBeforeAllMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> ic,
                                         ExtensionContext ctx) throws Throwable {
        skipIf(classIsolatedHere(ctx), invocation);
    }

    @Override
    public void interceptAfterAllMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> ic,
                                        ExtensionContext ctx) throws Throwable {
        skipIf(classIsolatedHere(ctx), invocation);
    }

    @Override
    public <T> T interceptTestClassConstructor(Invocation<T> invocation, ReflectiveInvocationContext<Constructor<T>> ic,
                                               ExtensionContext ctx) throws Throwable {
        if (!classIsolatedHere(ctx)) return invocation.proceed();
        // The class's constructor and field initialisers are the test's: they run in the child.
        invocation.skip();
        return Instances.allocate(ic.getExecutable().getDeclaringClass());
    }

    private static void skipIf(boolean skip, Invocation<Void> invocation) throws Throwable {
        if (skip) invocation.skip(); else invocation.proceed();
    }

    // --- the fork ------------------------------------------------------------------------------

    private static void checkAvailable(ExtensionContext ctx) {
        Availability.passRootlessLimits(ctx.getConfigurationParameter(Availability.ROOTLESS_LIMITS));
        String unavailable = Availability.unavailableReason();
        if (unavailable != null) {
            String msg = "cannot isolate " + ctx.getDisplayName() + ": " + unavailable + ". " + Availability.fix();
            boolean abort = ctx.getConfigurationParameter(Availability.ON_UNAVAILABLE).map("abort"::equalsIgnoreCase).orElse(false);
            if (abort) throw new TestAbortedException(msg);
            throw new IllegalStateException(msg);
        }
    }

    /** Runs the context's test in a container and ends this test as the child ended it. */
    private static RunResult fork(ExtensionContext ctx) throws Throwable {
        IsolationSettings s = IsolationSettings.of(ctx);
        checkAvailable(ctx);
        ForkedRun.Outcome outcome = ForkedRun.run(ctx, s);
        // The test's figures span its whole lifecycle in the child: the outermost node it ran.
        ChildSession.Measured m = outermost(outcome, ctx.getUniqueId());
        return conclude(ctx, s, outcome, m, true);
    }

    /** A test of a class that ran in one container: its own figures and outcome from the class's run. */
    private static RunResult replayFromClass(ExtensionContext ctx, ClassFork cf) throws Throwable {
        Method m = ctx.getRequiredTestMethod();
        for (Class<? extends java.lang.annotation.Annotation> a : List.of(CpuLimit.class, MemoryLimit.class, PidsLimit.class, RootFs.class)) {
            if (org.junit.platform.commons.support.AnnotationSupport.isAnnotated(m, a)) {
                throw new org.junit.jupiter.api.extension.ExtensionConfigurationException("@" + a.getSimpleName() + " on "
                        + m.getDeclaringClass().getSimpleName() + "." + m.getName() + " cannot apply: its class runs in one container"
                        + " (granularity CLASS) with the class's limits; put the limit on the class or use granularity METHOD");
            }
        }
        IsolationSettings s = IsolationSettings.of(ctx);
        return conclude(ctx, s, cf.outcome(), cf.outcome().measured().get(ctx.getUniqueId()), false);
    }

    private static ChildSession.Measured outermost(ForkedRun.Outcome o, String uniqueId) {
        String best = null;
        for (String id : o.measured().keySet()) {
            if (uniqueId.startsWith(id) && (best == null || id.length() < best.length())) best = id;
        }
        return best == null ? null : o.measured().get(best);
    }

    /** Publishes the test's usage, checks kills and budgets, and ends the test as the child ended it. */
    private static RunResult conclude(ExtensionContext ctx, IsolationSettings s, ForkedRun.Outcome outcome,
                                      ChildSession.Measured m, boolean ownContainer) throws Throwable {
        ExecResult exec = outcome.exec();
        RunResult result = outcome.result();
        ResourceUsage test = m == null ? null : m.usage();
        long testPeak = m == null ? -1 : m.testPeakBytes();
        Map<String, String> entries = UsageReport.entries(s, outcome, test, testPeak);
        boolean measured = io.alicecontainer.cgroup.CgroupController.containersHaveCgroups();
        if (!measured) UsageReport.unmeasured(entries);
        if (!ownContainer) entries.put("alice.granularity", "class");
        entries.putAll(outcome.scheduler());
        List<String> regressions = measured ? RegressionGate.check(ctx, entries) : List.of();
        NodeResult target = result == null ? null : find(result, ctx.getUniqueId());
        if (target != null) for (Map<String, String> e : target.reportEntries()) ctx.publishReportEntry(e);
        publish(ctx, entries);

        Throwable failure = null;
        String kill = Verdicts.kernelKill(s, exec);
        if (target == null) {
            // A channel that could not be decoded made the parent kill the child: that is the cause,
            // not the SIGKILL; a timeout or the OOM killer still come first.
            boolean channelFirst = outcome.decodeError() != null && !exec.timedOut() && !exec.oomKilled();
            String why = kill != null && !channelFirst ? kill
                    : outcome.decodeError() != null ? outcome.decodeError()
                    : result != null && result.error() != null ? result.error()
                    : "the child JVM ended (" + exec.outcome() + ") without reporting a result";
            failure = new AssertionError("isolated test " + ctx.getDisplayName() + " did not complete: " + why + tail(exec));
        } else if (!target.status().equals("SUCCESSFUL")) {
            failure = ThrowableTransport.decode(target.throwable(), classLoader(ctx));
            if (failure == null && target.status().equals("SKIPPED")) failure = new TestAbortedException(target.reason());
            if (failure == null) failure = new AssertionError("isolated test " + target.status());
            if (kill != null && ownContainer) failure.addSuppressed(new AssertionError(kill));
        } else if (kill != null && ownContainer) {
            failure = new AssertionError(kill);
        }
        List<String> over = measured ? Verdicts.budgetViolations(s.budget(), exec, test, testPeak)
                : s.budget().equals(IsolationSettings.Budget.NONE) ? List.of()
                : List.of("cannot check @ResourceBudget: " + UsageReport.UNMEASURED);
        if (!over.isEmpty()) {
            AssertionError budget = new AssertionError("resource budget exceeded: " + String.join("; ", over));
            if (failure == null) failure = budget; else failure.addSuppressed(budget);
        }
        if (!regressions.isEmpty()) {
            AssertionError regression = new AssertionError("regression against the baseline: " + String.join("; ", regressions));
            if (failure == null) failure = regression; else failure.addSuppressed(regression);
        }
        writeReport(ctx, failure, entries, kill);
        if (failure != null) throw failure;
        return result;
    }

    private static void publish(ExtensionContext ctx, Map<String, String> entries) {
        ctx.publishReportEntry(entries);
        // Surefire (3.5) drops JUnit report entries; a line on stdout lands in its XML report
        // as the test's <system-out>.
        if (!ctx.getConfigurationParameter(UsageReport.STDOUT).map("false"::equalsIgnoreCase).orElse(false)) {
            System.out.println(UsageReport.line(ctx.getDisplayName(), entries));
        }
    }

    private static void writeReport(ExtensionContext ctx, Throwable failure, Map<String, String> entries, String kill) {
        String status = failure == null ? "SUCCESSFUL" : failure instanceof TestAbortedException ? "ABORTED" : "FAILED";
        Path dir = Path.of(ctx.getConfigurationParameter(UsageReport.REPORT_DIR).orElse("target/alice-reports"));
        UsageReport.Details details = new UsageReport.Details(kill, failure == null ? null : String.valueOf(failure),
                UsageSampler.take(ctx.getUniqueId()));
        try {
            UsageReport.writeJson(dir, ctx.getRequiredTestClass().getName(), ctx.getUniqueId(), ctx.getDisplayName(), status,
                    entries, details);
        } catch (java.io.IOException e) {
            ctx.publishReportEntry("alice.report.error", "cannot write the JSON report under " + dir + ": " + e.getMessage());
        }
    }

    private static String tail(ExecResult exec) {
        String err = exec.stderr();
        if (err.isBlank()) return "";
        return "\n--- child stderr (last lines) ---\n" + (err.length() > 4000 ? err.substring(err.length() - 4000) : err);
    }

    private static NodeResult find(RunResult result, String uniqueId) {
        for (NodeResult n : result.nodes()) {
            if (n.uniqueId().equals(uniqueId)) return n;
        }
        return null;
    }

    private static ClassLoader classLoader(ExtensionContext ctx) {
        ClassLoader cl = ctx.getRequiredTestClass().getClassLoader();
        return cl != null ? cl : ClassLoader.getSystemClassLoader();
    }

    /** The child's dynamic nodes below the factory, as dynamic nodes that replay their outcomes. */
    private static Stream<DynamicNode> replayDynamic(String factoryId, RunResult result) {
        List<DynamicNode> out = new ArrayList<>();
        for (NodeResult n : result.nodes()) {
            if (factoryId.equals(n.parentId()) && n.dynamic()) out.add(replay(n, result));
        }
        return out.stream();
    }

    private static DynamicNode replay(NodeResult n, RunResult result) {
        if (n.test()) {
            return DynamicTest.dynamicTest(n.displayName(), () -> {
                if (n.status().equals("SUCCESSFUL")) return;
                Throwable t = ThrowableTransport.decode(n.throwable(), Thread.currentThread().getContextClassLoader());
                if (t == null) t = new TestAbortedException(n.reason() == null ? n.status() : n.reason());
                throw t;
            });
        }
        return DynamicContainer.dynamicContainer(n.displayName(), replayDynamic(n.uniqueId(), result));
    }

    // --- parameters ----------------------------------------------------------------------------

    @Override
    public boolean supportsParameter(ParameterContext pc, ExtensionContext ctx) throws ParameterResolutionException {
        Class<?> type = pc.getParameter().getType();
        return type == ContainerResources.class || type == Sandbox.class;
    }

    @Override
    public Object resolveParameter(ParameterContext pc, ExtensionContext ctx) throws ParameterResolutionException {
        Class<?> type = pc.getParameter().getType();
        if (!inChild()) {
            if (!IsolationSettings.of(ctx).isolated()) {
                throw new ParameterResolutionException(type.getSimpleName() + " can only be injected into an @Isolated test: "
                        + ctx.getDisplayName() + " runs in-process");
            }
            return type == ContainerResources.class ? NotInParent.RESOURCES : NotInParent.SANDBOX;
        }
        IsolationSettings s = IsolationSettings.of(ctx);
        if (type == ContainerResources.class) return new OwnContainer(s, ctx.getUniqueId());
        // The parent serves Sandbox: this JVM's container may not make containers.
        if (ParentSandbox.channel() != null) return new ParentSandbox();
        return new ContainerSandbox(ForkedRun.sandboxConfig(s, SecuritySettings.of(ctx)));
    }
}
