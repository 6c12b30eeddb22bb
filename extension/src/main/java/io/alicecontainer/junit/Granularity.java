package io.alicecontainer.junit;

/**
 * What one container runs: one test ({@link #METHOD}, the default) or one test class
 * ({@link #CLASS}). Set with {@code @Isolated(granularity = Granularity.CLASS)} on a class or, for
 * every wholly isolated class (such as with {@code alice.isolation.mode=all}), with the
 * configuration parameter {@code alice.isolation.granularity=class}.
 */
public enum Granularity {
    /**
     * Each test in its own container and child JVM, with the whole lifecycle of its class
     * ({@code @BeforeAll} to {@code @AfterAll}) around it there.
     */
    METHOD,
    /**
     * All tests of a class in one container and child JVM, in their in-process order and
     * lifecycle ({@code @BeforeAll} once). Each test's usage is still its own (deltas between its
     * start and end, its memory peak reset at its start); the class's usage is reported on the
     * class. Limits are the class's: a test method with limit annotations of its own fails with a
     * configuration error.
     */
    CLASS
}
