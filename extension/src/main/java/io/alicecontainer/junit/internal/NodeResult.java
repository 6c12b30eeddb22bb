package io.alicecontainer.junit.internal;

import java.util.List;
import java.util.Map;

/**
 * How one test or container node ended in the child.
 *
 * @param uniqueId      the node's JUnit unique id
 * @param parentId      its parent's unique id
 * @param displayName   as shown by JUnit
 * @param test          a test (true) or a container (false)
 * @param dynamic       registered at run time by a test factory
 * @param status        SUCCESSFUL, FAILED, ABORTED or SKIPPED
 * @param reason        the skip reason, for SKIPPED
 * @param throwable     the throwable, encoded by {@link ThrowableTransport}, or null
 * @param reportEntries entries the node published
 */
public record NodeResult(String uniqueId, String parentId, String displayName, boolean test, boolean dynamic,
                         String status, String reason, byte[] throwable, List<Map<String, String>> reportEntries) {
}
