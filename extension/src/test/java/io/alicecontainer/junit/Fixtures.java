package io.alicecontainer.junit;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

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
}
