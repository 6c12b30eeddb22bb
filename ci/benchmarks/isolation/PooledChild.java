import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.alicecontainer.junit.internal.ChildChannel;
import io.alicecontainer.junit.internal.RunRequest;
import io.alicecontainer.junit.internal.RunResult;

/**
 * Where a pooled child's CPU goes, without the parent, Maven or a container around it (see
 * ci/benchmarks/README.md, "Where a pooled child's CPU goes"): plays the parent of one child JVM
 * (ForkedTestAgent) over two FIFOs, waits until the child's boot has settled (its CPU time
 * unchanged for 300 ms), hands it one test, answers its messages, and prints the child's CPU
 * (user+sys) before and after hand-over. CPU time, not wall time: it holds on a loaded machine.
 *
 * <pre>
 *   javac -d OUT -cp EXTENSION_JAR PooledChild.java
 *   java -cp OUT:CHILD_CP PooledChild LABEL RUNS TEST_UNIQUE_ID CHILD_CP [child JVM options...]
 * </pre>
 * CHILD_CP: the child's class path, jars only (put the test classes in a jar: a CDS archive
 * refuses directories); an archive of it: one run with -XX:ArchiveClassesAtExit=F, then
 * -XX:SharedArchiveFile=F -Xshare:on. Needs /usr/bin/time and mkfifo.
 */
public final class PooledChild {
    private PooledChild() {
    }

    static long cpuTicks(long pid) throws IOException {
        String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    public static void main(String[] a) throws Exception {
        String label = a[0];
        int runs = Integer.parseInt(a[1]);
        String id = a[2];
        String cp = a[3];
        List<String> opts = Arrays.asList(a).subList(4, a.length);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (int r = 0; r < runs; r++) {
            Path dir = Files.createTempDirectory("pooled-child");
            Path req = dir.resolve("req"), res = dir.resolve("res"), time = dir.resolve("time");
            new ProcessBuilder("mkfifo", req.toString(), res.toString()).inheritIO().start().waitFor();
            List<String> cmd = new ArrayList<>(List.of("/usr/bin/time", "-f", "%U %S", "-o", time.toString(), java));
            cmd.addAll(opts);
            cmd.addAll(List.of("-Dalice.isolation.child=true", "-cp", cp, "io.alicecontainer.junit.internal.ForkedTestAgent",
                    req.toString(), res.toString()));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("out").toFile()).start();
            // the child opens its result channel first, then its request channel
            InputStream fromChild = new BufferedInputStream(new FileInputStream(res.toFile()));
            OutputStream toChild = new BufferedOutputStream(new FileOutputStream(req.toFile()));
            long pid = p.toHandle().children().findFirst().orElseThrow().pid();
            long last = -1, boot;
            while ((boot = cpuTicks(pid)) != last) {
                last = boot;
                Thread.sleep(300);
            }
            long handOver = System.nanoTime();
            ChildChannel.write(toChild, ChildChannel.REQUEST, ChildChannel.request(new RunRequest(List.of(id),
                    Map.of("junit.jupiter.extensions.autodetection.enabled", "false"), Map.of())));
            boolean passed = false;
            ChildChannel.Frame f;
            while ((f = ChildChannel.read(fromChild, ChildChannel.MAX_FRAME)) != null) {
                if (f.type() == ChildChannel.RESULT) {
                    RunResult result = ChildChannel.result(f.payload());
                    passed = result.nodes().stream().anyMatch(n -> n.uniqueId().equals(id) && n.status().equals("SUCCESSFUL"));
                } else {
                    ChildChannel.write(toChild, f.type() == ChildChannel.USAGE_QUERY ? ChildChannel.USAGE : ChildChannel.ACK, new byte[0]);
                }
            }
            p.waitFor();
            double wall = (System.nanoTime() - handOver) / 1e9;
            String[] t = Files.readString(time).trim().split("\\s+");
            double total = Double.parseDouble(t[t.length - 2]) + Double.parseDouble(t[t.length - 1]);
            System.out.printf("%s\tboot %.2f s\tafter hand-over %.2f s\ttotal %.2f s CPU\thand-over to exit %.3f s wall\t%s%n", label,
                    boot / 100.0, total - boot / 100.0, total, wall, passed ? "passed" : "NOT PASSED (see " + dir + "/out)");
            if (passed) {
                for (Path x : List.of(req, res, time, dir.resolve("out"))) Files.deleteIfExists(x);
                Files.delete(dir);
            }
        }
    }
}
