package io.alicecontainer.junit.internal;

import java.util.List;
import java.util.Map;

/**
 * "Run these": what the parent sends the child agent over its channel, once (a {@link ChildChannel#REQUEST} frame).
 *
 * @param uniqueIds               JUnit unique ids: one test (method, template invocation, factory)
 *                                or, with class granularity, the nodes of one class
 * @param configurationParameters the parent's JUnit configuration parameters
 * @param systemProperties        the parent's system properties set after its start, see {@link RuntimeProperties}
 */
public record RunRequest(List<String> uniqueIds, Map<String, String> configurationParameters,
                         Map<String, String> systemProperties) {
    public RunRequest {
        uniqueIds = List.copyOf(uniqueIds);
        systemProperties = Map.copyOf(systemProperties);
    }
}
