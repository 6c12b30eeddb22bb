/**
 * Cgroup writes batched through io_uring: {@link io.alicecontainer.iouring.IoUringCgroup} queues
 * limits (and any other file writes) and submits them with one {@code io_uring_enter(2)}, reporting
 * each write's own result. Where io_uring is unavailable (kernel without it, sysctl
 * {@code kernel.io_uring_disabled}, a seccomp filter) it writes the same files with plain
 * {@code write(2)}s and says so ({@link io.alicecontainer.iouring.IoUringCgroup#isIoUringAvailable()},
 * {@link io.alicecontainer.iouring.IoUringCgroup#unavailabilityReason()}).
 *
 * <p>Whether batching is faster is measured in {@code ci/benchmarks/iouring.sh}, not assumed: on
 * the project's machine it is not (see {@link io.alicecontainer.iouring.IoUringCgroup}).
 */
package io.alicecontainer.iouring;
