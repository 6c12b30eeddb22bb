package io.alicecontainer.samples;

import static io.alicecontainer.junit.ResourceAssertions.mebibytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;

import io.alicecontainer.junit.ContainerResources;
import io.alicecontainer.junit.MemoryLimit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Isolated tests in parallel. JUnit's parallel execution is switched on in
 * {@code src/test/resources/junit-platform.properties} (globally, with {@code same_thread} as the
 * default mode); this class opts in with {@code @Execution(CONCURRENT)}, so its tests run at the
 * same time, each in its own container, with its own limit, PID 1 and hostname.
 *
 * <p>Tests that measure CPU time ({@link CpuLimitTests}, {@link CpuPressureTests}) take the
 * "cpu" lock exclusively ({@code @ResourceLock("cpu")}); this class shares it
 * ({@code mode = READ}), so that its three JVM starts never run beside those measurements.
 *
 * <p>To show that the tests really overlap, each leaves a mark named after its container's
 * hostname and waits until every test of the class has left one: run one after the other, the
 * first would wait in vain and fail.
 */
@MemoryLimit("192M")
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock(value = "cpu", mode = ResourceAccessMode.READ)
@DisplayName("Parallel: three isolated tests run at once, each in its own container")
class ParallelIsolationTests {
    private static final Path MARKS = Path.of("target/parallel-isolation-marks");
    private static final int TESTS = 3;

    @Test
    void first(ContainerResources container) throws Exception {
        meetTheOthers(container);
    }

    @Test
    void second(ContainerResources container) throws Exception {
        meetTheOthers(container);
    }

    @Test
    void third(ContainerResources container) throws Exception {
        meetTheOthers(container);
    }

    /** Marks this container in the working directory (the containers share it) and waits for the others. */
    private static void meetTheOthers(ContainerResources container) throws IOException, InterruptedException {
        assertThat(ProcessHandle.current().pid()).isEqualTo(1);
        assertThat(container.memoryLimitBytes()).isEqualTo(mebibytes(192));
        Files.createDirectories(MARKS);
        Path mine = Files.writeString(MARKS.resolve(hostname()), "");
        Instant deadline = Instant.now().plusSeconds(30);
        for (long together = 0; together < TESTS; together = marksNear(mine)) {
            if (Instant.now().isAfter(deadline)) {
                fail("only " + together + " of " + TESTS + " tests ran at once: is parallel execution enabled?");
            }
            Thread.sleep(50);
        }
    }

    /** Marks made within 10 s of this one (older ones are from an earlier run). */
    private static long marksNear(Path mine) throws IOException {
        Instant myTime = Files.getLastModifiedTime(mine).toInstant();
        try (Stream<Path> marks = Files.list(MARKS)) {
            return marks.filter(mark -> {
                try {
                    return Duration.between(Files.getLastModifiedTime(mark).toInstant(), myTime).abs().toSeconds() < 10;
                } catch (IOException gone) {
                    return false;
                }
            }).count();
        }
    }

    private static String hostname() throws IOException {
        return Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
    }
}
