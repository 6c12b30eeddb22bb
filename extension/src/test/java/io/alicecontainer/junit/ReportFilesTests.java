package io.alicecontainer.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.alicecontainer.junit.internal.Baseline;
import io.alicecontainer.junit.internal.HtmlReport;
import io.alicecontainer.junit.internal.Json;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Report files: JSON written and read back, the HTML page, the baseline summary")
class ReportFilesTests {

    private static Map<String, String> usage(long peak, long cpuUs) {
        Map<String, String> e = new LinkedHashMap<>();
        e.put("alice.memory.peak.bytes", Long.toString(peak));
        e.put("alice.cpu.time.us", Long.toString(cpuUs));
        e.put("alice.container.exit", "exit code 0");
        return e;
    }

    @Test
    @DisplayName("a test name with </script> and quotes cannot break out of the page's data block")
    void hostileNames(@TempDir Path dir) throws IOException {
        String name = "a </script><script>alert(1)</script> \"quoted\" <!-- test";
        UsageSampler.Samples samples = new UsageSampler.Samples(List.of(new long[] {0, 1 << 20, 0}, new long[] {100, 2 << 20, 5000}));
        UsageReport.writeJson(dir, "x.Y", "[engine:e]/[method:m()]", name, "FAILED", usage(3 << 20, 9000),
                new UsageReport.Details("killed by the OOM killer", "boom\n\tat x", samples));

        HtmlReport.Written w = HtmlReport.write(dir);

        assertThat(w.tests()).isEqualTo(1);
        String html = Files.readString(w.file());
        String data = html.substring(html.indexOf("type=\"application/json\">"), html.indexOf("</script>", html.indexOf("type=\"application/json\">")));
        assertThat(data).doesNotContain("<").contains("\\u003c/script>").contains("killed by the OOM killer");
        Object parsed = Json.parse(data.substring(data.indexOf('>') + 1));
        assertThat(parsed.toString()).contains(name);
    }

    @Test
    @DisplayName("a summary written from a reports folder keeps passed tests only and reads back; a refresh keeps the others")
    void baselineRoundTrip(@TempDir Path dir) throws IOException {
        Path reports = dir.resolve("reports");
        UsageReport.writeJson(reports, "x.A", "[id:a]", "a", "SUCCESSFUL", usage(64 << 20, 120_000));
        UsageReport.writeJson(reports, "x.A", "[id:b]", "b", "FAILED", usage(900 << 20, 5));
        Path summary = dir.resolve("baseline.json");

        assertThat(Baseline.write(reports, summary)).isEqualTo(1);
        Map<String, Baseline.Figures> read = Baseline.read(summary);
        assertThat(read).containsOnlyKeys("[id:a]");
        assertThat(read.get("[id:a]")).isEqualTo(new Baseline.Figures("x.A", "a", 64 << 20, 120_000));
        assertThat(Baseline.read(reports)).isEqualTo(read);

        Path later = dir.resolve("later");
        UsageReport.writeJson(later, "x.A", "[id:c]", "c", "SUCCESSFUL", usage(1 << 20, 1));
        assertThat(Baseline.write(later, summary)).isEqualTo(2);
        assertThat(Baseline.read(summary)).containsOnlyKeys("[id:a]", "[id:c]");
    }

    @Test
    @DisplayName("a file that is not a summary is refused with its name")
    void notASummary(@TempDir Path dir) throws IOException {
        Path f = Files.writeString(dir.resolve("b.json"), "{\"tests\": {}}");
        assertThatThrownBy(() -> Baseline.read(f)).hasMessageContaining("b.json").hasMessageContaining("alice-baseline/1");
    }

    @Test
    @DisplayName("tolerances: percent, amount, both, off; nonsense named with the parameter")
    void tolerances() {
        RegressionGate.Tolerance t = RegressionGate.Tolerance.parse("20%+5M", io.alicecontainer.ByteSize::parse, "x");
        assertThat(t.allowed(100L << 20)).isEqualTo((120L << 20) + (5L << 20));
        assertThat(RegressionGate.Tolerance.parse("50ms", s -> io.alicecontainer.DurationText.parse(s).toNanos() / 1000, "x")
                .allowed(1000)).isEqualTo(51_000);
        assertThat(RegressionGate.Tolerance.parse("off", io.alicecontainer.ByteSize::parse, "x")).isNull();
        assertThatThrownBy(() -> RegressionGate.Tolerance.parse("20 percent", io.alicecontainer.ByteSize::parse, "alice.baseline.tolerance.memory.peak"))
                .hasMessageContaining("alice.baseline.tolerance.memory.peak '20 percent' is not a tolerance");
    }
}
