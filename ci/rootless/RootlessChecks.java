// SPDX-License-Identifier: AGPL-3.0-or-later
package io.alicecontainer.rootless;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import io.alicecontainer.ExecResult;
import io.alicecontainer.junit.Isolated;
import io.alicecontainer.junit.MemoryLimit;
import io.alicecontainer.junit.Sandbox;

/**
 * What an isolated test gets without root (ci/rootless.sh runs this class as an unprivileged
 * user): its own pid namespace, root inside mapped to the caller, the read-only host view,
 * least privilege as for root (no_new_privs, seccomp, no CAP_SYS_ADMIN; no nested user namespace,
 * no remount), Sandbox commands, the root suites' escape probe (the runtime's escape_probe.py: sysrq,
 * module loading, sysctls through /proc/sys and a fresh procfs, sysfs, mknod of the host's disk, the
 * clock, keyrings, moving itself to another cgroup or raising its own limit, a host process of the
 * same user, the host's loopback network, a nested user namespace) refused from the test's code and
 * from a Sandbox command, and a memory limit the kernel enforces ({@code overItsMemoryLimit} must FAIL
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

    /** Probes the kernel may lack: "SKIPPED" is then an answer, as in the root suites. */
    static final List<String> MAY_SKIP = List.of("sysrq_trigger", "sysfs_thp", "module_load");

    /** python3 -c escape_probe.py with the arguments ci/rootless.sh passes as configuration parameter escape.args. */
    record Probe(List<String> command) {
    }

    static final class ProbeResolver implements ParameterResolver {
        @Override
        public boolean supportsParameter(ParameterContext pc, ExtensionContext ctx) {
            return pc.getParameter().getType() == Probe.class;
        }

        @Override
        public Object resolveParameter(ParameterContext pc, ExtensionContext ctx) {
            try (InputStream in = RootlessChecks.class.getResourceAsStream("escape_probe.py")) {
                List<String> cmd = new ArrayList<>(List.of("python3", "-c", new String(in.readAllBytes(), StandardCharsets.UTF_8)));
                cmd.addAll(List.of(ctx.getConfigurationParameter("escape.args").orElseThrow().split(" ")));
                return new Probe(cmd);
            } catch (IOException | NullPointerException e) {
                throw new IllegalStateException("escape_probe.py is not on the class path next to RootlessChecks", e);
            }
        }
    }

    static void assertAllRefused(String where, String stdout) {
        Map<String, String> out = new LinkedHashMap<>();
        stdout.lines().forEach(l -> out.put(l.substring(0, l.indexOf(' ')), l.substring(l.indexOf(' ') + 1)));
        assertEquals(18, out.size(), where + ": " + stdout);
        out.forEach((attempt, outcome) -> {
            if (MAY_SKIP.contains(attempt) && outcome.startsWith("SKIPPED")) return;
            assertTrue(outcome.startsWith("REFUSED"), where + ": " + attempt + " " + outcome + "\n" + stdout);
        });
        System.out.println("[rootless] escapes refused (" + where + "): " + out);
    }

    @Test
    @ExtendWith(ProbeResolver.class)
    void escapesAreRefused(Probe probe, Sandbox sandbox) throws Exception {
        Process p = new ProcessBuilder(probe.command()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertAllRefused("the test's code", out);
        ExecResult r = sandbox.exec(probe.command().toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
        assertAllRefused("a Sandbox command", r.stdout());
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
