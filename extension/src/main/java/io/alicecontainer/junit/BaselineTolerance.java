package io.alicecontainer.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * How much an isolated test's figures may grow over the baseline before the regression gate
 * fails it (the gate runs when the configuration parameter {@code alice.baseline} names an
 * earlier reports folder or a baseline summary). A tolerance is a percentage, an amount or
 * both: {@code "20%+5M"} allows the baseline's figure plus 20 % plus 5 MiB; {@code "off"} does
 * not check that figure. An empty value keeps the global tolerance
 * ({@code alice.baseline.tolerance.memory.peak}, default {@code 20%+5M};
 * {@code alice.baseline.tolerance.cpu.time}, default {@code 100%+100ms}: CPU time varies far more than memory run to run on a shared machine). On a method it wins over
 * the class's.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
public @interface BaselineTolerance {
    /** Growth allowed for the container's memory peak: "20%+5M", "30%", "16M", "off". */
    String memoryPeak() default "";

    /** Growth allowed for the test's CPU time: "100%+100ms", "200ms", "off". */
    String cpuTime() default "";
}
