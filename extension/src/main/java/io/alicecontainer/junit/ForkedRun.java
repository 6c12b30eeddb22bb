package io.alicecontainer.junit;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.alicecontainer.Command;
import io.alicecontainer.Container;
import io.alicecontainer.ContainerConfig;
import io.alicecontainer.ContainerProcess;
import io.alicecontainer.ExecResult;
import io.alicecontainer.internal.Native;
import io.alicecontainer.junit.internal.ChildJvm;
import io.alicecontainer.junit.internal.ClassDataSharing;
import io.alicecontainer.junit.internal.RunRequest;
import io.alicecontainer.junit.internal.RunResult;
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
     * @param scheduler what the test's CPU scheduler did (alice.scheduler.* entries), empty without one
     */
    record Outcome(ExecResult exec, RunResult result, String decodeError, Map<String, String> scheduler) {
    }

    private ForkedRun() {
    }

    static ContainerConfig containerConfig(IsolationSettings s, ExtensionContext ctx, List<String> childOptions, String java) {
        Path cwd = Path.of(System.getProperty("user.dir")).toAbsolutePath().normalize();
        ContainerConfig.Builder b = ContainerConfig.builder()
                .environment(System.getenv())
                .workdir(cwd)
                .mountCgroups(true)
                .outputLimit(256 * 1024);
        if (s.rootfs() != null) b.rootfs(RootFs.directory(s.rootfs()));
        b.bind(Bind.writable(cwd));
        for (Bind bind : ChildJvm.binds(java, childOptions, cwd, s.rootfs() == null)) b.bind(bind);
        if (s.cpuPercent() != null) b.cpuPercent(s.cpuPercent());
        if (s.memoryBytes() != null) b.memoryMax(s.memoryBytes());
        if (s.pids() != null) b.pidsMax(s.pids());
        if (s.timeout() != null) b.timeout(s.timeout().plus(TIMEOUT_GRACE));
        return b.build();
    }

    /** A container configured like the test, for {@link Sandbox}: its limits and root filesystem. */
    static ContainerConfig sandboxConfig(IsolationSettings s) {
        ContainerConfig.Builder b = ContainerConfig.builder();
        if (s.rootfs() != null) b.rootfs(RootFs.directory(s.rootfs()));
        if (s.cpuPercent() != null) b.cpuPercent(s.cpuPercent());
        if (s.memoryBytes() != null) b.memoryMax(s.memoryBytes());
        if (s.pids() != null) b.pidsMax(s.pids());
        return b.build();
    }

    static Outcome run(ExtensionContext ctx, IsolationSettings s) {
        String java = ctx.getConfigurationParameter(ChildJvm.JAVA).orElseGet(ChildJvm::defaultJava);
        List<String> extra = ctx.getConfigurationParameter(ChildJvm.JVM_OPTIONS)
                .map(v -> List.of(v.trim().split("\\s+"))).filter(l -> !l.get(0).isEmpty()).orElse(List.of());
        ClassDataSharing.Plan cds = ClassDataSharing.plan(ctx::getConfigurationParameter, java, extra);
        List<String> options = new ArrayList<>(cds.options());
        options.addAll(extra);
        ContainerConfig config = containerConfig(s, ctx, options, java);
        String name = "t" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet() + "-"
                + ctx.getTestMethod().map(m -> m.getName()).orElse("test").replaceAll("[^A-Za-z0-9_.-]", "_");
        if (name.length() > 100) name = name.substring(0, 100);
        byte[] request = serialize(new RunRequest(ctx.getUniqueId(), ConfigurationParameters.all(ctx)));
        int[] toChild = Native.pipe();
        int[] fromChild;
        try {
            fromChild = Native.pipe();
        } catch (RuntimeException e) {
            Native.closeQuietly(toChild[0]);
            Native.closeQuietly(toChild[1]);
            throw e;
        }
        ByteArrayOutputStream resultBytes = new ByteArrayOutputStream();
        try (Container container = Container.create(name, config);
             DynamicScheduler scheduler = s.scheduler().config() == null ? null
                     : DynamicScheduler.create(container.cgroup(), s.scheduler().config(),
                             s.cpuPercent() * ContainerConfig.CPU_PERIOD_US / 100).start()) {
            Command command = Command.builder(ChildJvm.command(java, options, cds.classpath()))
                    .passFd(toChild[0])
                    .passFd(fromChild[1])
                    .alsoRead(fromChild[0], resultBytes)
                    .stdout(System.out)
                    .stderr(System.err)
                    .build();
            ExecResult exec;
            try (ContainerProcess process = container.launch(command)) {
                fromChild[0] = -1; // the wait owns and closes it now
                Native.closeQuietly(toChild[0]);
                Native.closeQuietly(fromChild[1]);
                toChild[0] = fromChild[1] = -1;
                sendRequest(toChild[1], request);
                toChild[1] = -1;
                exec = process.await();
            }
            Map<String, String> sched = scheduler == null ? Map.of() : Map.of(
                    "alice.scheduler", s.scheduler().name(),
                    "alice.scheduler.ticks", Long.toString(scheduler.ticks()),
                    "alice.scheduler.adjustments", Long.toString(scheduler.adjustments()),
                    "alice.scheduler.final.quota.us", Long.toString(scheduler.currentQuotaUs()));
            return decode(exec, resultBytes.toByteArray(), sched);
        } finally {
            for (int fd : new int[] {toChild[0], toChild[1], fromChild[0], fromChild[1]}) Native.closeQuietly(fd);
        }
    }

    private static void sendRequest(int fd, byte[] request) {
        // A broken pipe (the child died at once) shows in the child's exit, not here.
        try (FileOutputStream out = new FileOutputStream("/proc/self/fd/" + fd)) {
            out.write(request);
        } catch (IOException ignored) {
            // reported through the child's outcome
        } finally {
            Native.closeQuietly(fd);
        }
    }

    private static Outcome decode(ExecResult exec, byte[] bytes, Map<String, String> scheduler) {
        if (bytes.length == 0) return new Outcome(exec, null, null, scheduler);
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            return new Outcome(exec, (RunResult) in.readObject(), null, scheduler);
        } catch (IOException | ClassNotFoundException | ClassCastException e) {
            return new Outcome(exec, null, "the child's result could not be read (" + bytes.length + " bytes): " + e, scheduler);
        }
    }

    private static byte[] serialize(Object o) {
        try {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(b)) {
                out.writeObject(o);
            }
            return b.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode the request: " + e, e);
        }
    }

}
