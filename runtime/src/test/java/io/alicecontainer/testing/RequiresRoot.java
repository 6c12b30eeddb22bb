package io.alicecontainer.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The test needs root, cgroups and the spawn shim: it is skipped with the reason printed where
 * they are missing, and fails instead when the environment variable CI is "true" (CI runs as
 * root and must run every test). Also checks that the test leaks no cgroup, mount or process.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RootCondition.class)
@ExtendWith(NoLeaksExtension.class)
public @interface RequiresRoot {
}
