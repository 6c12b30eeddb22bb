package io.alicecontainer.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * At most this many tasks (processes and threads, the child JVM's own included: count ~20-30 for
 * it) in the isolated test's container at once ({@code pids.max}). Implies {@link Isolated}.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Isolated
public @interface PidsLimit {
    /** Must be positive. */
    long value();
}
