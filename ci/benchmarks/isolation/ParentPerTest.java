import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The parent's CPU per isolated test in a steady state (see ci/benchmarks/README.md, "Cutting a
 * pooled child's boot"): runs a test class through the JUnit launcher in this JVM, which plays
 * the Surefire fork, and prints this JVM's own CPU time (user+sys, all its threads) per test over
 * the tests after the first WARM ones, so that its JIT warm-up is left out; and the CPU of the
 * children it reaped meanwhile. The same class without {@code @Isolated} gives the in-process
 * figure.
 *
 * <pre>
 *   javac -d OUT -cp CP ParentPerTest.java ManyTest.java   (CP: the extension's jar and its dependencies)
 *   java -cp OUT:CP ParentPerTest bench.ManyTest 50
 * </pre>
 */
public final class ParentPerTest {
    private ParentPerTest() {
    }

    static long[] cpu() throws Exception {
        String s = Files.readString(Path.of("/proc/self/stat"));
        String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
        return new long[] {Long.parseLong(f[11]) + Long.parseLong(f[12]), Long.parseLong(f[13]) + Long.parseLong(f[14])};
    }

    public static void main(String[] a) throws Exception {
        String cls = a[0];
        int warm = Integer.parseInt(a[1]);
        AtomicInteger done = new AtomicInteger(), failed = new AtomicInteger();
        long[][] at = new long[2][];
        long[] t = new long[2];
        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request().selectors(DiscoverySelectors.selectClass(cls)).build(),
                new TestExecutionListener() {
                    @Override
                    public void executionFinished(TestIdentifier id, TestExecutionResult r) {
                        if (!id.isTest()) return;
                        if (r.getStatus() != TestExecutionResult.Status.SUCCESSFUL) failed.incrementAndGet();
                        int n = done.incrementAndGet();
                        try {
                            if (n == warm) { at[0] = cpu(); t[0] = System.nanoTime(); }
                            at[1] = cpu(); t[1] = System.nanoTime();
                        } catch (Exception e) {
                            throw new RuntimeException(e);
                        }
                    }
                });
        int steady = done.get() - warm;
        System.out.printf("%s: %d tests (%d failed); after the first %d: parent %.4f s CPU per test, reaped children %.4f s, wall %.4f s per test%n",
                cls, done.get(), failed.get(), warm, (at[1][0] - at[0][0]) / 100.0 / steady, (at[1][1] - at[0][1]) / 100.0 / steady,
                (t[1] - t[0]) / 1e9 / steady);
    }
}
