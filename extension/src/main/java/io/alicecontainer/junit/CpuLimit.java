package io.alicecontainer.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Limits the isolated test's container to this share of one CPU, in percent: {@code 50} is half a
 * CPU, {@code 200} two CPUs (cgroup {@code cpu.max} / CFS quota). Implies {@link Isolated}; the
 * child JVM's {@code availableProcessors()} follows the limit. On a class it applies to every
 * test; a method's own annotation wins.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Isolated
public @interface CpuLimit {
    /** Percent of one CPU; must be positive. With a scheduler, the starting quota. */
    int value();

    /**
     * Moves the quota while the test runs (the original's DynamicScheduler presets); the
     * container's usage and pressure show what it did, and the report entries
     * {@code alice.scheduler.*} count its ticks and adjustments.
     */
    CpuScheduler scheduler() default CpuScheduler.STATIC;
}
