package io.alicecontainer.junit.internal;

import java.io.Serializable;
import java.util.Map;

/**
 * "Run test X": what the parent sends the child agent over its channel.
 *
 * @param uniqueId                the JUnit unique id of the test (method, template invocation, factory)
 * @param configurationParameters the parent's JUnit configuration parameters
 */
public record RunRequest(String uniqueId, Map<String, String> configurationParameters) implements Serializable {
}
