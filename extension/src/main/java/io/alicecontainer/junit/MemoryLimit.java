package io.alicecontainer.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Limits the memory of the isolated test's container (the child JVM and anything it starts),
 * with swap off: past it the kernel's OOM killer ends the test, which then fails with
 * "killed by the OOM killer: memory limit 64 MiB reached". Sizes as for {@code -Xmx}: {@code "64M"},
 * {@code "1G"}. Implies {@link Isolated}; the child JVM's default heap follows the limit.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Isolated
public @interface MemoryLimit {
    /** A size: a positive number with an optional unit K, M, G or T (powers of 1024). */
    String value();
}
