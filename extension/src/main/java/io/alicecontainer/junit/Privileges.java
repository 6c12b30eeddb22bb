package io.alicecontainer.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.alicecontainer.security.Capability;

/**
 * Relaxes the least privilege of the isolated test's container and of its {@link Sandbox}
 * containers. By default both run with the capabilities of {@link Capability#defaults()} (no
 * CAP_SYS_ADMIN, no MKNOD), {@code no_new_privs}, the default seccomp profile, masked and
 * read-only kernel interfaces and read-only cgroup filesystems: the test can neither change the
 * machine nor its own limits. Implies {@link Isolated}.
 *
 * <pre>{@code
 * @Test @Privileges(add = Capability.SYS_PTRACE)      // e.g. to attach a debugger to a child
 * @Test @Privileges(seccomp = false)                   // no seccomp filter
 * @Test @Privileges(privileged = true)                 // as the host's root: mounts, modules, containers
 * }</pre>
 *
 * For a whole run: the configuration parameter {@code alice.isolation.privileged=true}.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Isolated
public @interface Privileges {
    /** Capabilities kept besides the defaults. */
    Capability[] add() default {};

    /** Default capabilities dropped too. */
    Capability[] drop() default {};

    /** false: no seccomp filter. */
    boolean seccomp() default true;

    /**
     * true: every capability, no seccomp filter, no masked interfaces, writable cgroup
     * filesystems, no {@code no_new_privs}; the other attributes are ignored.
     */
    boolean privileged() default false;
}
