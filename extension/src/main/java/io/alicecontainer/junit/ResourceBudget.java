package io.alicecontainer.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * What the isolated test may use; exceeding any declared value fails the test with the
 * measured value and the budget, e.g. "cpu time 812.4 ms is over the budget of 500 ms". Empty
 * values are not checked. Implies {@link Isolated}.
 *
 * <p>All are the test's own: {@code memoryPeak} is the test's memory peak
 * ({@code alice.memory.test.peak.bytes}: the container's peak from the test's start minus what it
 * used at that start, so the child JVM's ~40-85 MiB do not count; where the kernel cannot reset a
 * cgroup's peak, the container's peak, and the message says so); the CPU time and the stalls are
 * those during the test, measured from just before its first callback ({@code @BeforeAll}; with
 * class granularity its {@code @BeforeEach}) to after its last.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Isolated
public @interface ResourceBudget {
    /** The test's own memory peak, as for -Xmx: "64M". */
    String memoryPeak() default "";

    /** CPU time (user + system): "500ms", "2s", "1500us". */
    String cpuTime() default "";

    /** Time some task of the container was stalled waiting for CPU (PSI "some"). */
    String cpuStall() default "";

    /** Time some task was stalled waiting for memory (reclaim, swap-in). */
    String memoryStall() default "";

    /** Time some task was stalled waiting for block I/O. */
    String ioStall() default "";
}
