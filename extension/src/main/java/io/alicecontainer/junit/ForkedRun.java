package io.alicecontainer.junit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.alicecontainer.Container;
import io.alicecontainer.ContainerConfig;
import io.alicecontainer.ExecResult;
import io.alicecontainer.ResourceUsage;
import io.alicecontainer.cgroup.MemoryPeak;
import io.alicecontainer.junit.internal.ChildJvm;
import io.alicecontainer.junit.internal.RunRequest;
import io.alicecontainer.junit.internal.RunResult;
import io.alicecontainer.junit.internal.RuntimeProperties;
import io.alicecontainer.rootfs.Bind;
import io.alicecontainer.rootfs.RootFs;
import io.alicecontainer.scheduler.DynamicScheduler;
import org.junit.jupiter.api.extension.ExtensionContext;

/** One isolated test: a container, a child JVM in it running the test, and what came back. */
final class ForkedRun {
    /** Time the child JVM gets beyond the test's own timeout before the container is killed. */
    static final Duration TIMEOUT_GRACE = Duration.ofSeconds(5);
    private static final AtomicLong COUNTER = new AtomicLong();

    /**
     * @param exec      how the child ended; its usage and wall time are the container's from
     *                  hand-over (a cold child's from its start), its peak folded over the resets
     * @param scheduler what the test's CPU scheduler did (alice.scheduler.* entries), empty without one
     * @param measured  per node of the child (the outermost container, each test): its usage
     * @param pooled    whether a waiting child of the pool took the test
     * @param bootCpu   CPU time the container used before hand-over (a pooled child's boot), µs
     */
    record Outcome(ExecResult exec, RunResult result, String decodeError, Map<String, String> scheduler,
                   Map<String, ChildSession.Measured> measured, boolean pooled, long bootCpuUs) {
    }

    private ForkedRun() {
    }

    /** The container for a child of this spec, with these limits (a pooled child's: none). */
    static ContainerConfig containerConfig(IsolationSettings s, ChildSpec spec) {
        Path cwd = spec.workdir();
        ContainerConfig.Builder b = ContainerConfig.builder()
                .environment(System.getenv())
                .workdir(cwd)
                .mountCgroups(true)
                .outputLimit(256 * 1024);
        if (s.rootfs() != null) b.rootfs(RootFs.directory(s.rootfs()));
        b.bind(Bind.writable(cwd));
        for (Bind bind : ChildJvm.binds(spec.java(), spec.options(), cwd, s.rootfs() == null, spec.classpath())) b.bind(bind);
        if (s.cpuPercent() != null) b.cpuPercent(s.cpuPercent());
        if (s.memoryBytes() != null) b.memoryMax(s.memoryBytes());
        if (s.pids() != null) b.pidsMax(s.pids());
        if (s.timeout() != null) b.timeout(s.timeout().plus(TIMEOUT_GRACE));
        spec.security().applyTo(b);
        return b.build();
    }

    /** A container configured like the test, for {@link Sandbox}: its limits, root filesystem and privileges. */
    static ContainerConfig sandboxConfig(IsolationSettings s, SecuritySettings security) {
        ContainerConfig.Builder b = ContainerConfig.builder();
        security.applyTo(b);
        if (s.rootfs() != null) b.rootfs(RootFs.directory(s.rootfs()));
        if (s.cpuPercent() != null) b.cpuPercent(s.cpuPercent());
        if (s.memoryBytes() != null) b.memoryMax(s.memoryBytes());
        if (s.pids() != null) b.pidsMax(s.pids());
        return b.build();
    }

    static Outcome run(ExtensionContext ctx, IsolationSettings s) {
        return run(ctx, s, List.of(ctx.getUniqueId()));
    }

    /** Runs the nodes (one test, or the nodes of one class) in a child: a pooled one if one waits, else a cold one. */
    static Outcome run(ExtensionContext ctx, IsolationSettings s, List<String> uniqueIds) {
        ChildPool pool = ChildPool.of(ctx);
        RunRequest request = new RunRequest(uniqueIds, ConfigurationParameters.all(ctx), RuntimeProperties.ofParent());
        ChildSpec spec = ChildSpec.of(ctx, s);
        if (pool != null) {
            WarmChild warm = pool.take(spec.pooled(s), ForkedRun::pooledConfig, ctx.getUniqueId());
            ChildSpec before = warm == null ? spec.withoutArchive(ctx) : null;
            // The archive became ready while children were booting without it: they serve as well.
            if (before != null) warm = pool.takeIdle(before.pooled(s));
            if (warm != null && !warm.container.cgroup().isPopulated()) {
                warm.discard(); // it died while waiting (its output says why): this test starts cold
                warm = null;
            }
            if (warm != null) {
                try {
                    applyLimits(warm, s);
                } catch (RuntimeException e) {
                    // The waiting child already uses more than the limit allows (v1 refuses with
                    // EBUSY): this test starts cold, where the limit holds from the start.
                    warm.discard();
                    warm = null;
                }
                if (warm != null) return handOver(ctx, warm, s, request);
            }
        }
        String name = "t" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet() + "-"
                + ctx.getTestMethod().map(m -> m.getName()).orElse(ctx.getRequiredTestClass().getSimpleName())
                .replaceAll("[^A-Za-z0-9_.-]", "_");
        if (name.length() > 100) name = name.substring(0, 100);
        return handOver(ctx, WarmChild.spawn(spec, containerConfig(s, spec), name, true), s, request);
    }

    /** The container of a pooled child of this spec: no limits until hand-over. */
    private static ContainerConfig pooledConfig(ChildSpec spec) {
        return containerConfig(new IsolationSettings(true, null, CpuScheduler.STATIC, null, null, spec.rootfs(),
                IsolationSettings.Budget.NONE, null), spec);
    }

    /** The test's limits, written to a pooled child's cgroup at hand-over. */
    private static void applyLimits(WarmChild child, IsolationSettings s) {
        io.alicecontainer.cgroup.CgroupController cg = child.container.cgroup();
        if (s.memoryBytes() != null) cg.setMemoryMax(s.memoryBytes());
        if (s.cpuPercent() != null) cg.setCpuMax(s.cpuPercent() * ContainerConfig.CPU_PERIOD_US / 100, ContainerConfig.CPU_PERIOD_US);
        if (s.pids() != null) cg.setPidsMax(s.pids());
    }

    /** Gives the child its request, answers it while it runs, and collects how it ended. */
    private static Outcome handOver(ExtensionContext ctx, WarmChild child, IsolationSettings s, RunRequest request) {
        boolean pooled = !child.limitsAtCreate;
        Container container = child.container;
        try (MemoryPeak peak = container.cgroup().memoryPeak();
             DynamicScheduler scheduler = s.scheduler().config() == null ? null
                     : DynamicScheduler.create(container.cgroup(), s.scheduler().config(),
                             s.cpuPercent() * ContainerConfig.CPU_PERIOD_US / 100).start()) {
            // From hand-over on the usage is the test's: a pooled child's boot is left out.
            ResourceUsage atHandOver = pooled ? container.cgroup().usage() : ResourceUsage.NONE;
            if (pooled) peak.reset();
            long t0 = pooled ? System.nanoTime() : child.spawnedNanos;
            int[] fds = child.takeChannel();
            ChildSession session = new ChildSession(container.cgroup(), peak, fds[0], fds[1], atHandOver);
            child.sandbox.serve(sandboxConfig(s, child.spec.security()));
            ExecResult raw;
            try (UsageSampler sampling = UsageSampler.start(ctx, container.cgroup())) {
                session.start(request);
                raw = child.await(pooled && s.timeout() != null ? s.timeout().plus(TIMEOUT_GRACE) : null);
            }
            session.finish(5_000);
            if (session.readerAlive()) container.cgroup().kill(); // a process kept the channel open: end it
            ResourceUsage u = raw.usage().since(atHandOver);
            long peakBytes = session.containerPeakSinceHandOver();
            ResourceUsage used = new ResourceUsage(peakBytes > 0 ? peakBytes : u.memoryPeakBytes(), u.memoryCurrentBytes(),
                    u.cpuTime(), u.cpuUserTime(), u.cpuSystemTime(), u.throttledPeriods(), u.throttledTime(), raw.usage().oomKills(),
                    u.pidsPeak(), u.pidsCurrent(), u.ioReadBytes(), u.ioWriteBytes(), u.cpuPressure(), u.memoryPressure(), u.ioPressure());
            ExecResult exec = new ExecResult(raw.argv(), raw.exitCode(), raw.signal(), raw.oomKilled(), raw.timedOut(),
                    raw.stdoutBytes(), raw.stdoutTruncated(), raw.stderrBytes(), raw.stderrTruncated(),
                    Duration.ofNanos(System.nanoTime() - t0), used);
            Map<String, String> sched = scheduler == null ? Map.of() : Map.of(
                    "alice.scheduler", s.scheduler().name(),
                    "alice.scheduler.ticks", Long.toString(scheduler.ticks()),
                    "alice.scheduler.adjustments", Long.toString(scheduler.adjustments()),
                    "alice.scheduler.final.quota.us", Long.toString(scheduler.currentQuotaUs()));
            return new Outcome(exec, session.result(), session.decodeError(), sched, session.measured(), pooled,
                    atHandOver.cpuTime().toNanos() / 1000);
        } finally {
            child.discard();
        }
    }
}
