package io.alicecontainer.psi;

import java.time.Instant;

/**
 * The monitor dropped a trigger because the kernel ended it: its cgroup was removed (the pressure
 * file reports {@code EPOLLERR}, reads fail with {@code ENODEV}). The registration is inactive
 * from then on and its file descriptor is closed.
 *
 * @param registration the trigger that was dropped
 * @param reason       what happened, e.g. "the cgroup /sys/fs/cgroup/unified/x was removed ..."
 * @param when         when the monitor noticed it
 */
public record TriggerDropped(PsiRegistration registration, String reason, Instant when) {
}
