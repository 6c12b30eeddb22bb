package io.alicecontainer.junit.internal;

import java.util.List;

/**
 * What the child agent sends back last (a {@link ChildChannel#RESULT} frame): every node that ran, in the order they finished. (The
 * usage is the parent's own reading of the cgroup, see {@link ChildMessage}.)
 *
 * @param nodes the results
 * @param error a failure of the agent itself (no such test, a discovery error), or null
 */
public record RunResult(List<NodeResult> nodes, String error) {
}
