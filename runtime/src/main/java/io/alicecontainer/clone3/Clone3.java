package io.alicecontainer.clone3;

/**
 * Spawns processes with {@code clone3(2)}: straight into a cgroup ({@code CLONE_INTO_CGROUP},
 * Linux 5.7), in new namespaces, with a pidfd ({@code CLONE_PIDFD}). The child side runs in the
 * C shim only ({@link SpawnShim}); a failure there becomes a {@link SpawnException} naming the
 * step.
 */
public final class Clone3 {
    private Clone3() {
    }

    /** Whether this JVM can spawn: Linux, jnr-ffi and the shim for this architecture. */
    public static boolean isAvailable() {
        return SpawnShim.isAvailable();
    }

    /**
     * Spawns the request. Returns once the child has called {@code execve} successfully;
     * throws {@link SpawnException} when any step before failed (nothing is left running then).
     */
    public static ChildProcess spawn(SpawnRequest request) {
        byte[] wire = request.encode();
        int[] result = new int[5];
        int rc = SpawnShim.api().alice_spawn(wire, wire.length, result);
        if (rc == 0) return new ChildProcess(result[0], result[1]);
        SpawnStep step = SpawnStep.of(result[2]);
        throw new SpawnException(step, result[3], request.describe(step, result[4]));
    }
}
