/**
 * Pressure stall information (PSI, Documentation/accounting/psi.rst) as events: {@link
 * io.alicecontainer.psi.PsiTrigger} describes a trigger ("some 150000 1000000": 150 ms of stall
 * within any 1 s window), {@link io.alicecontainer.psi.PsiMonitor} registers many of them,
 * system-wide or per cgroup, with one epoll instance and reports {@link
 * io.alicecontainer.psi.PressureEvent}s, and {@link io.alicecontainer.psi.PsiScheduler} raises a
 * cgroup's CPU quota on cpu pressure and lowers it again when the pressure is gone.
 *
 * <p>Without {@code CAP_SYS_RESOURCE} (a root process in most containers and CI sandboxes lacks
 * it) the kernel accepts only trigger windows that are multiples of 2 s, and evaluates those
 * triggers only every ~2 s, together with the averages. The monitor detects a refused window and
 * retries with the nearest accepted one; {@link io.alicecontainer.psi.PsiRegistration} tells the
 * requested trigger, the effective one and why they differ. Nothing is adapted silently.
 */
package io.alicecontainer.psi;
