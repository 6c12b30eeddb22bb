package io.alicecontainer.v2;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.alicecontainer.Container;
import io.alicecontainer.ContainerConfig;
import io.alicecontainer.ExecResult;
import io.alicecontainer.testing.RequiresRoot;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A JVM in a container with its own cgroup namespace and cgroup2 mount sizes itself from the
 * container's v2 limits (the JDK's cgroup v2 container support reads memory.max and cpu.max).
 */
@RequiresRoot
@DisplayName("v2: a child JVM sees its limits")
class V2ChildJvmTests {

    @BeforeEach
    void pureV2() {
        PureV2.assumeControllers();
    }

    @Test
    @DisplayName("memoryMax 256M, cpuPercent 150, mountCgroups: the child JVM reports cgroupv2, 2 CPUs, a 256 MiB limit and a 64-128 MiB default heap")
    void childJvmSeesLimits() {
        ContainerConfig config = ContainerConfig.builder().memoryMax("256M").cpuPercent(150).mountCgroups(true)
                .timeout(Duration.ofSeconds(120)).build();
        try (Container c = Container.create("v2-jvm", config)) {
            ExecResult r = c.exec(PureV2.javaBin().toString(), "-Xshare:auto", "-XX:TieredStopAtLevel=1",
                    "-XshowSettings:system", "-XX:+PrintFlagsFinal", "-version");

            String out = r.stderr();   // -XshowSettings and -version print to stderr, the flags to stdout
            assertThat(r.succeeded()).as(r + "\n" + out).isTrue();
            assertThat(out).as(out)
                    .containsPattern("Provider: cgroupv2")
                    .containsPattern("Effective CPU Count: 2\\b")
                    .containsPattern("CPU Period: 100000us")
                    .containsPattern("CPU Quota: 150000us")
                    .containsPattern("Memory Limit: 256\\.00M")
                    .containsPattern("Memory & Swap Limit: 256\\.00M");
            // The JDK's ergonomics for 256 MiB of RAM: MaxRAMPercentage (25%) = 64 MiB, raised to the
            // default MaxHeapSize (~126 MiB) as MinRAMPercentage (50%) is above that; a JVM sizing
            // itself from the VM's 4 GiB would take 1 GiB.
            Matcher m = Pattern.compile("size_t MaxHeapSize += (\\d+) ").matcher(r.stdout());
            assertThat(m.find()).as("MaxHeapSize in -XX:+PrintFlagsFinal").isTrue();
            assertThat(Long.parseLong(m.group(1))).as("the child's MaxHeapSize").isBetween(64L << 20, 128L << 20);
        }
    }
}
