package io.alicecontainer.security;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * The Linux capabilities (capabilities(7)), numbered as in {@code linux/capability.h}. A container
 * keeps {@link #defaults()} unless its configuration says otherwise.
 */
public enum Capability {
    CHOWN(0), DAC_OVERRIDE(1), DAC_READ_SEARCH(2), FOWNER(3), FSETID(4), KILL(5), SETGID(6), SETUID(7),
    SETPCAP(8), LINUX_IMMUTABLE(9), NET_BIND_SERVICE(10), NET_BROADCAST(11), NET_ADMIN(12), NET_RAW(13),
    IPC_LOCK(14), IPC_OWNER(15), SYS_MODULE(16), SYS_RAWIO(17), SYS_CHROOT(18), SYS_PTRACE(19), SYS_PACCT(20),
    SYS_ADMIN(21), SYS_BOOT(22), SYS_NICE(23), SYS_RESOURCE(24), SYS_TIME(25), SYS_TTY_CONFIG(26), MKNOD(27),
    LEASE(28), AUDIT_WRITE(29), AUDIT_CONTROL(30), SETFCAP(31), MAC_OVERRIDE(32), MAC_ADMIN(33), SYSLOG(34),
    WAKE_ALARM(35), BLOCK_SUSPEND(36), AUDIT_READ(37), PERFMON(38), BPF(39), CHECKPOINT_RESTORE(40);

    private static final Set<Capability> DEFAULTS = Collections.unmodifiableSet(EnumSet.of(
            CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, SETGID, SETUID, SETPCAP, NET_BIND_SERVICE, NET_RAW,
            SYS_CHROOT, AUDIT_WRITE, SETFCAP));

    private final int number;

    Capability(int number) {
        this.number = number;
    }

    /** The kernel's number (CAP_CHOWN = 0, ...). */
    public int number() {
        return number;
    }

    /**
     * The OCI/Docker default set without MKNOD: CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, SETGID,
     * SETUID, SETPCAP, NET_BIND_SERVICE, NET_RAW, SYS_CHROOT, AUDIT_WRITE, SETFCAP. Not in it, among
     * others: SYS_ADMIN (mount, namespaces, most of the kernel's knobs), SYS_MODULE, SYS_TIME,
     * SYS_BOOT, SYS_RAWIO, SYS_PTRACE (other users' processes), NET_ADMIN, SYS_RESOURCE, MKNOD.
     */
    public static Set<Capability> defaults() {
        return DEFAULTS;
    }

    /** The set as a bit mask, bit n for capability n. */
    public static long mask(Set<Capability> caps) {
        long m = 0;
        for (Capability c : caps) m |= 1L << c.number;
        return m;
    }

    /**
     * A name as capabilities(7) or Docker's {@code --cap-add} write it: {@code SYS_PTRACE},
     * {@code CAP_SYS_PTRACE}, {@code sys_ptrace}.
     */
    public static Capability parse(String name) {
        String n = name == null ? "" : name.trim().toUpperCase(java.util.Locale.ROOT);
        if (n.startsWith("CAP_")) n = n.substring(4);
        try {
            return valueOf(n);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("`" + name + "` is not a Linux capability (capabilities(7)), e.g. SYS_PTRACE or CAP_NET_ADMIN");
        }
    }
}
