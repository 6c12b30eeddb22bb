package io.alicecontainer.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.stream.Collectors;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.Events;

@DisplayName("The child has what the test would have had in-process, inside its limits")
class IsolationEnvironmentTests {
    static final String RUNTIME_PROPERTY = "alice.test.runtime.property";
    static final String PARENT_COLLECTORS = "alice.test.parent.collectors";

    static class EnvironmentTestCase {
        static final String PARENT_CWD = System.getProperty("user.dir");

        @Test
        @Isolated
        void inheritsOptionsEnvironmentAndWorkingDirectory() {
            assertThat(System.getProperty("alice.test.marker")).isEqualTo("from-argline");
            assertThat(ManagementFactory.getRuntimeMXBean().getInputArguments()).contains("-Xss2m");
            assertThat(System.getenv("ALICE_TEST_ENV")).isEqualTo("from-surefire");
            assertThat(Path.of("").toAbsolutePath().toString()).isEqualTo(PARENT_CWD);
            assertThat(Path.of("pom.xml")).exists();
        }

        @Test
        @Isolated
        void printsToTheParent() {
            System.out.println("hello from the child on stdout");
            System.err.println("hello from the child on stderr");
        }
    }

    static class RuntimePropertyTestCase {
        @Test
        @Isolated
        void seesPropertiesSetInTheParentAfterItsStart() {
            assertThat(System.getProperty(RUNTIME_PROPERTY)).isEqualTo("set-after-start");
            assertThat(System.getProperty("alice.isolation.child")).isEqualTo("true");
            assertThat(System.getProperty("java.class.path")).doesNotContain("surefirebooter");
        }
    }

    static class CollectorTestCase {
        @Test
        @Isolated
        void usesTheCollectorTheTestJvmUses() {
            assertThat(collectors()).isEqualTo(System.getProperty(PARENT_COLLECTORS));
        }
    }

    static String collectors() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().map(GarbageCollectorMXBean::getName).sorted()
                .collect(Collectors.joining(","));
    }

    static class LimitsTestCase {
        @Test
        @MemoryLimit("256M")
        @CpuLimit(150)
        void seesItsLimits() {
            assertThat(Runtime.getRuntime().availableProcessors()).isEqualTo(2);
            assertThat(Runtime.getRuntime().maxMemory()).isBetween(32L << 20, 160L << 20);
        }

        @Test
        @CpuLimit(50)
        void halfACpuIsOneProcessor() {
            assertThat(Runtime.getRuntime().availableProcessors()).isEqualTo(1);
        }
    }

    @Test
    @DisplayName("JVM options (-D, -Xss), environment variables and the working directory carry over")
    void environment() {
        Fixtures.run(EnvironmentTestCase.class).testEvents().assertStatistics(s -> s.succeeded(2).failed(0));
    }

    @Test
    @DisplayName("system properties set in the parent after its start (Surefire's systemPropertyVariables, mvn -Dkey=value) carry over")
    void runtimeSystemProperties() {
        System.setProperty(RUNTIME_PROPERTY, "set-after-start");
        try {
            Fixtures.run(RuntimePropertyTestCase.class).testEvents().assertStatistics(s -> s.succeeded(1).failed(0));
        } finally {
            System.clearProperty(RUNTIME_PROPERTY);
        }
    }

    @Test
    @DisplayName("the child's garbage collector is the test JVM's (a collector is behaviour: what fits in the heap)")
    void collector() {
        System.setProperty(PARENT_COLLECTORS, collectors());
        try {
            Fixtures.run(CollectorTestCase.class).testEvents().assertStatistics(s -> s.succeeded(1).failed(0));
        } finally {
            System.clearProperty(PARENT_COLLECTORS);
        }
    }

    @Test
    @DisplayName("the child's stdout and stderr appear in the parent's while the test runs")
    void output() {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
        try {
            Fixtures.run(EnvironmentTestCase.class).testEvents().assertStatistics(s -> s.succeeded(2));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        assertThat(o.toString(StandardCharsets.UTF_8)).contains("hello from the child on stdout");
        assertThat(e.toString(StandardCharsets.UTF_8)).contains("hello from the child on stderr");
    }

    @Test
    @DisplayName("availableProcessors() and the default heap follow @CpuLimit and @MemoryLimit")
    void limitsVisibleToTheJvm() {
        Events events = Fixtures.run(LimitsTestCase.class).testEvents();
        events.assertStatistics(s -> s.succeeded(2).failed(0));
    }
}
