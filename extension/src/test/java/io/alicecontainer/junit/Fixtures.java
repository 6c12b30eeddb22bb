package io.alicecontainer.junit;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/** Runs fixture classes (nested *TestCase classes) through the Jupiter engine, as JUnit tests its own extensions. */
final class Fixtures {
    private Fixtures() {
    }

    static EngineExecutionResults run(Class<?> fixture) {
        return run(fixture, Map.of());
    }

    static EngineExecutionResults run(Class<?> fixture, Map<String, String> parameters) {
        return EngineTestKit.engine("junit-jupiter")
                .configurationParameters(parameters)
                .selectors(selectClass(fixture))
                .execute();
    }

    /** For fixtures that go past a memory limit: allocates and touches 8 MiB arrays, {@code chunks} of them, all kept alive. */
    static List<byte[]> hold8MiBChunks(int chunks) {
        List<byte[]> hog = new ArrayList<>();
        for (int i = 0; i < chunks; i++) {
            byte[] b = new byte[8 << 20];
            Arrays.fill(b, (byte) 1);
            hog.add(b);
        }
        return hog;
    }
}
