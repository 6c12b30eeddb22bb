/**
 * AssertJ assertions on what a container used and how a command in it ended; start from
 * {@link io.alicecontainer.junit.ResourceAssertions}.
 *
 * <p>Navigation ({@code assertThat(usage).memory().peak()}) returns an assertion that keeps the
 * description, representation and overriding message of the one it came from. A value the kernel
 * does not report on this host ({@code -1}, or pressure without PSI) fails every check on it with
 * a message that says so, instead of passing a comparison by accident.
 */
package io.alicecontainer.junit.assertions;
