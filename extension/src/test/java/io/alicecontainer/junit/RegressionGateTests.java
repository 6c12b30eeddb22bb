package io.alicecontainer.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.Events;

@DisplayName("The regression gate fails a test whose figures grew past the baseline, with both figures")
class RegressionGateTests {

    static class GateTestCase {
        @Test
        @Isolated
        void grew() {
        }

        @Test
        @Isolated
        @BaselineTolerance(memoryPeak = "off", cpuTime = "off")
        void notChecked() {
        }

        @Test
        @Isolated
        void generousBaseline() {
        }

        @Test
        @Isolated
        void unknownToTheBaseline() {
        }
    }

    private static String id(String method) {
        return "[engine:junit-jupiter]/[class:" + GateTestCase.class.getName() + "]/[method:" + method + "()]";
    }

    @Test
    @DisplayName("grown past the baseline fails; tolerance off, a generous baseline or a new test pass")
    void gate(@TempDir Path dir) throws IOException {
        // a child JVM's container peaks well over 8 MiB and the test uses well over 1 µs of CPU
        String small = "{\"class\": \"c\", \"test\": \"t\", \"memoryPeakBytes\": 1048576, \"cpuTimeUs\": 1}";
        String big = "{\"class\": \"c\", \"test\": \"t\", \"memoryPeakBytes\": 68719476736, \"cpuTimeUs\": 3600000000}";
        Path baseline = Files.writeString(dir.resolve("baseline.json"), "{\"format\": \"alice-baseline/1\", \"tests\": {\n"
                + "\"" + id("grew") + "\": " + small + ",\n"
                + "\"" + id("notChecked") + "\": " + small + ",\n"
                + "\"" + id("generousBaseline") + "\": " + big + "}}");

        Events events = Fixtures.run(GateTestCase.class, Map.of("alice.baseline", baseline.toString(),
                "alice.baseline.tolerance.cpu.time", "0%+1us", "alice.report.dir", dir.resolve("reports").toString())).testEvents();

        events.assertThatEvents().haveExactly(1, event(test("grew"), finishedWithFailure(
                message(m -> m.startsWith("regression against the baseline: memory peak ")
                        && m.contains(" is over the baseline's 1.0 MiB + 20% + 5.0 MiB = 6.2 MiB")
                        && m.contains("; cpu time ") && m.contains(" is over the baseline's 0.0 ms + 0% + 0.0 ms = 0.0 ms")))));
        events.assertThatEvents().haveExactly(1, event(test("notChecked"), finishedSuccessfully()));
        events.assertThatEvents().haveExactly(1, event(test("generousBaseline"), finishedSuccessfully()));
        events.assertThatEvents().haveExactly(1, event(test("unknownToTheBaseline"), finishedSuccessfully()));
        assertThat(events.failed().count()).isEqualTo(1);
    }

    @Test
    @DisplayName("a baseline that does not exist fails the test and says what to point at")
    void missingBaseline(@TempDir Path dir) {
        Events events = Fixtures.run(GateTestCase.class, Map.of("alice.baseline", dir.resolve("nope").toString(),
                "alice.report.dir", dir.resolve("reports").toString())).testEvents();

        events.assertThatEvents().haveExactly(1, event(test("grew"), finishedWithFailure(
                message(m -> m.contains("alice.baseline '") && m.contains("does not exist")))));
    }
}
