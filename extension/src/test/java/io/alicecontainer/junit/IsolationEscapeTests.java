package io.alicecontainer.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.alicecontainer.Container;
import io.alicecontainer.ContainerConfig;
import io.alicecontainer.ContainerException;
import io.alicecontainer.ExecResult;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.testkit.engine.Events;

/**
 * The escape list of issue 10 from inside an isolated test: the test's own code (in the child
 * JVM) and its Sandbox commands are refused every attempt; with @Privileges(privileged = true)
 * the same probe gets through, so the fixture could fail. The probe is the runtime's
 * {@code escape_probe.py}, handed to the child as a configuration parameter.
 */
@DisplayName("Escapes from inside an isolated test")
class IsolationEscapeTests {
    static final List<String> NAMESPACED = List.of("host_network", "host_process");
    static final List<String> MAY_SKIP = List.of("sysrq_trigger", "sysfs_thp", "module_load", "io_uring_setup");

    /** The probe and its arguments, from the configuration parameters escape.*. */
    record Probe(String script, List<String> args) {
        Map<String, String> run() throws IOException, InterruptedException {
            List<String> cmd = new ArrayList<>(List.of("python3", "-c", script));
            cmd.addAll(args);
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor()).as(out).isZero();
            return parse(out);
        }

        Map<String, String> runIn(Sandbox sandbox) {
            List<String> cmd = new ArrayList<>(List.of("python3", "-c", script));
            cmd.addAll(args);
            ExecResult r = sandbox.exec(cmd.toArray(String[]::new));
            assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isZero();
            return parse(r.stdout());
        }
    }

    static final class ProbeResolver implements ParameterResolver {
        @Override
        public boolean supportsParameter(ParameterContext pc, ExtensionContext ctx) {
            return pc.getParameter().getType() == Probe.class;
        }

        @Override
        public Object resolveParameter(ParameterContext pc, ExtensionContext ctx) {
            String script = ctx.getConfigurationParameter("escape.script").orElseThrow();
            return new Probe(script, List.of(ctx.getConfigurationParameter("escape.args").orElseThrow().split(" ")));
        }
    }

    static Map<String, String> parse(String stdout) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : stdout.lines().toList()) {
            int sp = line.indexOf(' ');
            out.put(line.substring(0, sp), line.substring(sp + 1));
        }
        assertThat(out).hasSize(18);
        assertThat(out.values()).as("probes that could not run").noneMatch(v -> v.startsWith("BROKEN"));
        return out;
    }

    static void assertAllRefused(Map<String, String> outcomes) {
        outcomes.forEach((attempt, outcome) -> {
            if (MAY_SKIP.contains(attempt) && outcome.startsWith("SKIPPED")) return;
            assertThat(outcome).as(attempt).startsWith("REFUSED");
        });
    }

    @ExtendWith(ProbeResolver.class)
    static class EscapeTestCase {
        @Test
        @Isolated
        @PidsLimit(500)
        void testCodeIsRefused(Probe probe) throws Exception {
            Map<String, String> outcomes = probe.run();
            assertAllRefused(outcomes);
            assertThat(outcomes.get("cgroup_own_limit")).isEqualTo("REFUSED EROFS");
            assertThat(outcomes.get("cgroup_move")).isEqualTo("REFUSED EROFS");
        }

        @Test
        @Isolated
        void sandboxCommandsAreRefused(Probe probe, Sandbox sandbox) {
            assertAllRefused(probe.runIn(sandbox));
        }

        @Test
        @Isolated
        void containersCannotBeMadeInside() {
            try (Container c = Container.create("nested", ContainerConfig.builder().build())) {
                throw new AssertionError("a container was created inside an isolated test: " + c);
            } catch (ContainerException e) {
                assertThat(e.getMessage()).contains("lacks CAP_SYS_ADMIN").contains("Sandbox");
            }
        }
    }

    @ExtendWith(ProbeResolver.class)
    static class PrivilegedTestCase {
        @Test
        @Privileges(privileged = true)
        void privilegedTestCodeGetsThrough(Probe probe) throws Exception {
            probe.run().forEach((attempt, outcome) -> {
                if (MAY_SKIP.contains(attempt) && outcome.startsWith("SKIPPED")) return;
                assertThat(outcome).as(attempt).startsWith(NAMESPACED.contains(attempt) ? "REFUSED" : "OK");
            });
        }
    }

    @Test
    @DisplayName("the test's code, its Sandbox commands and nested containers are refused every escape")
    void refusedFromInside() throws Exception {
        Events events = run(EscapeTestCase.class, UUID.randomUUID().toString());

        events.assertStatistics(s -> s.succeeded(3).failed(0));
    }

    @Test
    @DisplayName("with @Privileges(privileged = true) the same probe gets through (so the refusals are real)")
    void privilegedGetsThrough() throws Exception {
        String token = UUID.randomUUID().toString();
        Path escaped = Path.of("/usr/alice-escape-" + token);
        try {
            Events events = run(PrivilegedTestCase.class, token);

            events.assertThatEvents().haveExactly(1, event(test("privilegedTestCodeGetsThrough"), finishedSuccessfully()));
            assertThat(escaped).exists();
        } finally {
            Files.deleteIfExists(escaped);
        }
    }

    private static Events run(Class<?> fixture, String token) throws IOException {
        String script = Files.readString(Path.of("../runtime/src/test/resources/escape_probe.py"));
        String disk = rootDisk();
        try (ServerSocket host = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String args = token + " " + host.getLocalPort() + " " + ProcessHandle.current().pid() + " " + disk;
            Events events = Fixtures.run(fixture, Map.of("escape.script", script, "escape.args", args)).testEvents();
            events.failed().stream().forEach(e -> System.err.println(e));
            return events;
        }
    }

    private static String rootDisk() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String[] f = line.split(" ");
            if (f[4].equals("/")) return f[2].replace(':', ' ');
        }
        throw new IllegalStateException("no / in /proc/self/mountinfo");
    }
}
