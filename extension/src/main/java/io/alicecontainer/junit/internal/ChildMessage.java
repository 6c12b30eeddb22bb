package io.alicecontainer.junit.internal;

/**
 * What the child agent tells the parent while the test runs, on its result channel (fd 4); the
 * parent answers each on the request channel (fd 3) before the child goes on, so that its
 * readings of the container's cgroup fall exactly between the child's steps. The channel ends
 * with the {@link RunResult}. On the channel each is a frame of {@link ChildChannel}.
 */
public sealed interface ChildMessage {
    /** A node (the outermost container, a test, ...) is about to start: the parent reads the usage and resets the memory peak. Answer: an {@link ChildChannel#ACK}. */
    record Started(String uniqueId) implements ChildMessage {
    }

    /** A node has ended: the parent reads its usage and peak. Answer: an {@link ChildChannel#ACK}. */
    record Finished(String uniqueId) implements ChildMessage {
    }

    /** The usage of a running node so far, as {@code ContainerResources.testUsage()} shows it. Answer: a {@link ChildChannel#USAGE} frame. */
    record UsageQuery(String uniqueId) implements ChildMessage {
    }
}
