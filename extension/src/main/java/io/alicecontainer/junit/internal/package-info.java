/**
 * Internal: the forked-test protocol, the child JVM's agent and the helpers of the isolation
 * extension. Not API: anything here may change without notice.
 */
package io.alicecontainer.junit.internal;
