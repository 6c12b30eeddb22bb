/**
 * Dynamic CPU quota: {@link io.alicecontainer.scheduler.DynamicScheduler} reads a cgroup's
 * {@code cpu.stat} every tick and moves its quota ({@code cpu.max} on cgroup v2,
 * {@code cpu.cfs_quota_us} on v1 and hybrid hosts) between the bounds of a
 * {@link io.alicecontainer.scheduler.SchedulerConfig}: up when the cgroup uses nearly all of its
 * quota or is throttled, down when it uses little of it.
 *
 * <pre>{@code
 * try (Container c = Container.create("api", ContainerConfig.builder().build());
 *      DynamicScheduler s = DynamicScheduler.create(c.cgroup(), SchedulerConfig.lowLatency()).start()) {
 *     c.exec("server", "--port", "8080");
 * }
 * }</pre>
 *
 * <p>A user-space stand-in for an in-kernel scheduler (the original calls it "ghOSt scheduling
 * lite"): it can only change how much CPU time the kernel's CFS bandwidth control grants per
 * period, never which task runs next.
 */
package io.alicecontainer.scheduler;
