package io.alicecontainer.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the isolated test's child JVM in a directory holding a root filesystem instead of the
 * default read-only view of the host. The host's JDK, the test classpath and the working
 * directory are shown inside it at their host paths, so the JVM still starts. A relative path
 * is taken from the working directory. Implies {@link Isolated}.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Isolated
public @interface RootFs {
    /** The directory; it must exist. */
    String value();
}
