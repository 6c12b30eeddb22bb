// SPDX-License-Identifier: AGPL-3.0-or-later
package io.alicecontainer.rootless;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.alicecontainer.ExecResult;
import io.alicecontainer.junit.Isolated;
import io.alicecontainer.junit.MemoryLimit;
import io.alicecontainer.junit.Sandbox;

/**
 * What an isolated test gets without root (ci/rootless.sh runs this class as an unprivileged
 * user): its own pid namespace, root inside mapped to the caller, the read-only host view,
 * least privilege as for root (no_new_privs, seccomp, no CAP_SYS_ADMIN; no nested user namespace,
 * no remount), Sandbox commands, and a memory limit the kernel enforces ({@code overItsMemoryLimit} must FAIL
 * with the OOM kill reported; the script checks that).
 */
@Isolated
class RootlessChecks {

    @Test
    void ownPidNamespace() {
        assertEquals(1, ProcessHandle.current().pid());
        assertEquals(1, ProcessHandle.allProcesses().filter(p -> p.parent().isEmpty()).count());
    }

    @Test
    void rootInsideIsTheCallerOutside() throws Exception {
        List<String> map = Files.readAllLines(Path.of("/proc/self/uid_map"));
        assertEquals(1, map.size(), "one single-id map: " + map);
        String[] f = map.get(0).trim().split("\\s+");
        assertEquals("0", f[0]);
        assertNotEquals("0", f[1], "root inside is not root outside");
        assertEquals("1", f[2]);
        assertEquals("deny", Files.readString(Path.of("/proc/self/setgroups")).trim());
    }

    @Test
    void hostViewIsReadOnly() {
        FileSystemException e = assertThrows(FileSystemException.class, () -> Files.writeString(Path.of("/usr/alice-rootless-probe"), "x"));
        assertTrue(String.valueOf(e.getReason()).contains("Read-only"), e.toString());
    }

    @Test
    void leastPrivilegeAsForRoot(Sandbox sandbox) throws Exception {
        String status = Files.readString(Path.of("/proc/self/status"));
        assertTrue(status.contains("NoNewPrivs:\t1"), status);
        assertTrue(status.contains("Seccomp:\t2"), status);
        long capEff = Long.parseUnsignedLong(status.replaceAll("(?s).*CapEff:\\s*([0-9a-f]+).*", "$1"), 16);
        assertEquals(0, capEff & (1L << 21), "no CAP_SYS_ADMIN, even in the user namespace");
        ExecResult r = sandbox.exec("sh", "-c", "unshare -U true 2>/dev/null; echo unshare=$?; mount -o remount,rw /usr 2>/dev/null; echo mount=$?");
        assertTrue(r.stdout().contains("unshare=1") && !r.stdout().contains("mount=0"), r.stdout());
    }

    @Test
    void sandboxCommandRunsInAContainerOfItsOwn(Sandbox sandbox) {
        ExecResult r = sandbox.exec("sh", "-c", "echo $$; cat /proc/self/uid_map");
        assertEquals(0, r.exitCode(), r.stderr());
        assertTrue(r.stdout().startsWith("1\n"), r.stdout());
    }

    @Test
    @MemoryLimit("128M")
    void overItsMemoryLimit() {
        List<long[]> hold = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            long[] block = new long[2 << 20];   // 16 MiB, touched
            java.util.Arrays.fill(block, i);
            hold.add(block);
        }
        throw new AssertionError("1 GiB allocated under a 128 MiB limit: the limit did not hold (" + hold.size() + ")");
    }
}
