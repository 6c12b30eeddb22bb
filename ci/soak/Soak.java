import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import io.alicecontainer.Command;
import io.alicecontainer.Container;
import io.alicecontainer.ContainerConfig;
import io.alicecontainer.ContainerProcess;
import io.alicecontainer.ExecResult;

/**
 * The runtime half of ci/soak.sh: many containers in a row from one JVM, many at once, and the
 * faults a container may throw at its host, each with its outcome checked; before and after, the
 * JVM's fds, threads, child processes, mounts and the alice cgroups are counted and must match.
 * Settings (system properties): {@code containers} in a row (10000), {@code parallel} at once (50),
 * {@code prefix} of every name. Exits 1 on the first wrong outcome or leak.
 */
public final class Soak {
    record Counts(long fds, long threads, long children, long mounts, long cgroups) {
        static Counts now(String prefix) throws IOException {
            long fds;
            try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
                fds = s.count();
            }
            long threads;
            try (Stream<Path> s = Files.list(Path.of("/proc/self/task"))) {
                threads = s.count();
            }
            long children = ProcessHandle.current().children().count();
            // Ours only: other work on the machine mounts and makes groups meanwhile.
            long mounts = Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().filter(l -> l.contains("alice")).count();
            long[] cgroups = {0};
            Files.walkFileTree(Path.of("/sys/fs/cgroup"), new java.nio.file.SimpleFileVisitor<>() {
                @Override
                public java.nio.file.FileVisitResult preVisitDirectory(Path dir, java.nio.file.attribute.BasicFileAttributes a) {
                    if (dir.getFileName() != null && dir.getFileName().toString().startsWith(prefix)) cgroups[0]++;
                    return java.nio.file.FileVisitResult.CONTINUE;
                }

                @Override
                public java.nio.file.FileVisitResult visitFileFailed(Path file, IOException e) {
                    return java.nio.file.FileVisitResult.CONTINUE;
                }
            });
            return new Counts(fds, threads, children, mounts, cgroups[0]);
        }
    }

    private static int failures;

    public static void main(String[] args) throws Exception {
        int n = Integer.getInteger("containers", 10_000);
        int parallel = Integer.getInteger("parallel", 50);
        String prefix = System.getProperty("prefix", "soak-" + ProcessHandle.current().pid() + "-");
        ContainerConfig plain = ContainerConfig.builder().build();
        // Warm up (class loading, the shim, the JIT), then count.
        for (int i = 0; i < 20; i++) one(prefix + "w" + i, plain, "/bin/true");
        System.gc();
        Counts before = Counts.now(prefix);
        long t0 = System.nanoTime();

        for (int i = 0; i < n; i++) {
            ExecResult r = one(prefix + "s" + i, plain, "/bin/true");
            if (r.exitCode() != 0) fail("container " + i + " of the row: " + r);
        }
        double rowSeconds = (System.nanoTime() - t0) / 1e9;
        report("%d containers in a row: %.1f s (%.2f ms each)", n, rowSeconds, rowSeconds * 1000 / n);

        long t1 = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        List<Future<ExecResult>> futures = new ArrayList<>();
        for (int i = 0; i < parallel; i++) {
            String name = prefix + "p" + i;
            futures.add(pool.submit(() -> one(name, plain, "sh", "-c", "sleep 1; echo ok")));
        }
        int ok = 0;
        for (Future<ExecResult> f : futures) {
            ExecResult r = f.get();
            if (r.exitCode() == 0 && r.stdout().equals("ok\n")) ok++;
        }
        pool.shutdown();
        if (ok != parallel) fail(parallel - ok + " of " + parallel + " parallel containers failed");
        report("%d containers at once (each sleeping 1 s): %d ok in %.1f s", parallel, ok, (System.nanoTime() - t1) / 1e9);

        faults(prefix);

        System.gc();
        Counts after = Counts.now(prefix);
        for (int i = 0; i < 50 && !after.equals(before); i++) {
            Thread.sleep(100);
            after = Counts.now(prefix);
        }
        report("before: %s", before);
        report("after:  %s", after);
        if (!after.equals(before)) fail("leaked: before " + before + ", after " + after);
        if (failures > 0) {
            System.out.println("SOAK FAILED: " + failures + " problem(s)");
            System.exit(1);
        }
        System.out.println("SOAK OK: nothing leaked");
    }

    private static void faults(String prefix) {
        ContainerConfig.Builder base = ContainerConfig.builder();
        // A fork bomb in a container of 64 tasks: the kernel refuses the 65th, the host is fine.
        ExecResult bomb = one(prefix + "fbomb", base.pidsMax(64).timeout(Duration.ofSeconds(20)).build(),
                "sh", "-c", "b() { b | b & }; b; sleep 3; echo survived");
        expect("fork bomb (pids.max 64)", bomb.timedOut() || bomb.stdout().contains("survived") || bomb.exitCode() != 0,
                "contained: " + bomb.outcome() + ", pids peak " + bomb.usage().pidsPeak());
        if (bomb.usage().pidsPeak() > 64) fail("the fork bomb went past pids.max: " + bomb.usage().pidsPeak());

        ExecResult busy = one(prefix + "busy", ContainerConfig.builder().timeout(Duration.ofSeconds(2)).build(),
                "sh", "-c", "while :; do :; done");
        expect("busy loop past its timeout", busy.timedOut() && busy.wallTime().toMillis() < 10_000,
                busy.outcome() + " after " + busy.wallTime().toMillis() + " ms");

        ExecResult oom = one(prefix + "oom", ContainerConfig.builder().memoryMax("64M").build(),
                "python3", "-c", "b = b'x' * (256 << 20)");
        expect("allocation past the memory limit", oom.oomKilled(), oom.outcome());

        ExecResult flood = one(prefix + "flood", ContainerConfig.builder().build(),
                "sh", "-c", "head -c 4G /dev/zero; head -c 1G /dev/zero >&2; echo done >&2");
        expect("4 GiB of stdout, 1 GiB of stderr", flood.exitCode() == 0 && flood.stdoutTruncated()
                        && flood.stdoutBytes().length == 1 << 20 && flood.stderrTruncated(),
                "kept " + flood.stdoutBytes().length + " + " + flood.stderrBytes().length + " bytes, exit " + flood.exitCode());

        ExecResult tmp = one(prefix + "tmp", ContainerConfig.builder().tmpSize("64M").build(),
                "sh", "-c", "head -c 1G /dev/zero > /tmp/fill; echo rc=$?; df -k /tmp | tail -1");
        expect("/tmp filled (tmpSize 64M)", tmp.stdout().contains("rc=1") && tmp.stderr().contains("No space left"),
                tmp.stdout().lines().findFirst().orElse("") + " / " + tmp.stderr().trim());

        // The init of a pid namespace gets no signal from inside for which it has no handler
        // (pid_namespaces(7)); sh has none for these.
        ExecResult pid1 = one(prefix + "pid1", ContainerConfig.builder().build(),
                "sh", "-c", "kill -TERM 1; kill -HUP 1; kill -USR1 1; kill -KILL 1; echo alive");
        expect("TERM, HUP, USR1, KILL to PID 1 from inside", pid1.exitCode() == 0 && pid1.stdout().contains("alive"),
                "ignored: " + pid1.outcome());
        try (Container c = Container.create(prefix + "pid1k", ContainerConfig.builder().build());
             ContainerProcess p = c.launch(Command.builder("sh", "-c", "sleep 60 & sleep 60 & wait").build())) {
            p.kill();
            ExecResult killed = p.await();
            expect("SIGKILL to PID 1 from the host", killed.signal() == 9 && killed.wallTime().toMillis() < 10_000,
                    killed.outcome() + ", its children with it");
        }
    }

    private static ExecResult one(String name, ContainerConfig config, String... argv) {
        try (Container c = Container.create(name, config)) {
            return c.exec(argv);
        }
    }

    private static void expect(String what, boolean ok, String detail) {
        report("fault: %-40s %s  (%s)", what, ok ? "OK" : "WRONG", detail);
        if (!ok) failures++;
    }

    private static void fail(String why) {
        System.out.println("FAIL: " + why);
        failures++;
    }

    private static void report(String fmt, Object... args) {
        System.out.println(String.format(Locale.ROOT, fmt, args));
    }
}
