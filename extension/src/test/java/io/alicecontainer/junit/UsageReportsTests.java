package io.alicecontainer.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.alicecontainer.junit.internal.Json;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

@DisplayName("A launcher run of isolated tests leaves a JSON file with usage samples per test and one HTML page")
class UsageReportsTests {

    static class SampledTestCase {
        @Test
        @MemoryLimit("256M")
        void allocatesAndSpins() throws InterruptedException {
            byte[][] hold = new byte[6][];
            long x = 0;
            for (int i = 0; i < hold.length; i++) {
                hold[i] = new byte[8 << 20];
                java.util.Arrays.fill(hold[i], (byte) 1);
                for (long j = 0; j < 20_000_000L; j++) x += j ^ (x >>> 3);
                Thread.sleep(60);
            }
            assertThat(x).isNotZero();
        }
    }

    @Test
    @DisplayName("the listener found through META-INF/services writes index.html over the run's JSON files, which hold the samples")
    @SuppressWarnings("unchecked")
    void listenerWritesThePage(@TempDir Path reports) throws IOException {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(SampledTestCase.class))
                .configurationParameters(Map.of("alice.report.dir", reports.toString(), "alice.report.sample.interval.ms", "50"))
                .build();

        LauncherFactory.create().execute(request); // no listener passed: the ServiceLoader brings ours

        Path page = reports.resolve("index.html");
        assertThat(page).exists();
        Path json;
        try (Stream<Path> files = Files.walk(reports)) {
            json = files.filter(p -> p.toString().endsWith(".json")).findFirst().orElseThrow();
        }
        Map<String, Object> report = (Map<String, Object>) Json.parse(Files.readString(json));
        assertThat(report).containsEntry("status", "SUCCESSFUL").containsKeys("usage", "samples");
        Map<String, List<Long>> samples = (Map<String, List<Long>>) report.get("samples");
        List<Long> t = samples.get("t"), memory = samples.get("memory"), cpu = samples.get("cpu");
        // a child JVM lives well over a second: at 50 ms that is many rows, in step, in order
        assertThat(t).hasSizeGreaterThan(10).isSorted();
        assertThat(memory).hasSameSizeAs(t);
        assertThat(cpu).hasSameSizeAs(t).isSorted();
        assertThat(memory.stream().mapToLong(Long::longValue).max().orElseThrow()).isGreaterThan(48L << 20);
        assertThat(cpu.get(cpu.size() - 1)).isGreaterThan(100_000L);
        // the page embeds the file's data and nothing from elsewhere
        String html = Files.readString(page);
        assertThat(html).contains(SampledTestCase.class.getName()).contains("\"samples\"")
                .doesNotContain("/*ALICE_DATA*/").doesNotContainPattern("(src|href)=\"https?:");
    }
}
