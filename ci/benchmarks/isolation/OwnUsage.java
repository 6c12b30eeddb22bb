import io.alicecontainer.cgroup.CgroupController;
import io.alicecontainer.internal.Native;

/**
 * ci/benchmarks/isolation.sh: what the isolated child's cgroup usage reads cost in a fresh JVM.
 * ForkedTestAgent calls CgroupController.ownUsage() before and after the test; the first call
 * binds libc through jnr-ffi (CgroupFs reads the files with Native.open/read).
 * Prints: <ms for Native.libc()> <ms for the first ownUsage()> <ms for the second ownUsage()>
 */
public final class OwnUsage {
    public static void main(String[] args) {
        long t0 = System.nanoTime();
        Native.libc();
        long t1 = System.nanoTime();
        CgroupController.ownUsage();
        long t2 = System.nanoTime();
        CgroupController.ownUsage();
        long t3 = System.nanoTime();
        System.out.printf(java.util.Locale.ROOT, "%.1f %.1f %.1f%n", (t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6);
    }
}
