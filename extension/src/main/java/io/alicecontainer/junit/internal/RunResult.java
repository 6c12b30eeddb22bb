package io.alicecontainer.junit.internal;

import java.io.Serializable;
import java.util.List;

import io.alicecontainer.ResourceUsage;

/**
 * What the child agent sends back: every node that ran, in the order they finished, and the
 * container's usage read inside it just before the first and after the last callback.
 *
 * @param nodes        the results
 * @param usageBefore  the container's usage when the test's execution started (null if unreadable)
 * @param usageAfter   and when it ended
 * @param error        a failure of the agent itself (no such test, a discovery error), or null
 */
public record RunResult(List<NodeResult> nodes, ResourceUsage usageBefore, ResourceUsage usageAfter, String error)
        implements Serializable {
}
