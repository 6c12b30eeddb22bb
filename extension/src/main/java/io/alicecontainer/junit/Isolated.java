package io.alicecontainer.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the annotated test (or every test of the annotated class) in its own container: a fresh
 * child JVM spawned with {@code clone3(CLONE_INTO_CGROUP)} into new pid, mount, uts, ipc, net and
 * cgroup namespaces, in its own cgroup with the limits of {@link CpuLimit}, {@link MemoryLimit},
 * {@link PidsLimit}, and the root filesystem of {@link RootFs}. The whole lifecycle of the test
 * ({@code @BeforeAll} to {@code @AfterAll}) runs there; nothing of it runs in the calling JVM.
 * The outcome comes back as if the test had run in-process, and the container's usage is
 * published as report entries ({@code alice.*}) and under {@code target/alice-reports}.
 *
 * <p>Not to be confused with JUnit's {@code org.junit.jupiter.api.parallel.Isolated}, which means
 * "run with no other test at the same time": both can be used together. Usable as a
 * meta-annotation of your own annotations; every limit annotation implies it.
 *
 * <p>{@link #granularity()} {@link Granularity#CLASS} on a class runs all its tests in one
 * container (the configuration parameter {@code alice.isolation.granularity=class} does so for
 * every wholly isolated class; {@code METHOD}, the default, does not override it).
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@ExtendWith(IsolationExtension.class)
public @interface Isolated {
    /** One container per test method (default) or per test class; on a method only METHOD has a meaning. */
    Granularity granularity() default Granularity.METHOD;
}
