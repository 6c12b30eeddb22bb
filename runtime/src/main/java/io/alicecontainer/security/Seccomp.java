package io.alicecontainer.security;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The seccomp filter of a container's processes, installed by the spawn shim just before
 * {@code execve}: {@link #defaultProfile()} (the default), {@link #none()}, or a {@link #custom}
 * classic BPF program.
 */
public sealed interface Seccomp permits Seccomp.Default, Seccomp.None, Seccomp.Custom {

    /**
     * The system calls the default profile refuses with {@code EPERM} (Docker's default profile's
     * deny list; names absent on an architecture are skipped there), then the three it checks
     * differently: {@code clone3} fails with {@code ENOSYS} (so that glibc falls back to
     * {@code clone}, whose flags a filter can read), {@code clone} with a {@code CLONE_NEW*} flag
     * fails with {@code EPERM}, {@code personality} is allowed for Docker's values only.
     * Keep in sync with {@code alice_seccomp.c}.
     */
    List<String> DEFAULT_DENIED = List.of(
            "acct", "add_key", "keyctl", "request_key", "adjtimex", "clock_adjtime", "clock_settime", "settimeofday",
            "bpf", "delete_module", "finit_module", "init_module", "kexec_file_load", "kexec_load", "reboot",
            "mount", "umount2", "pivot_root", "move_mount", "open_tree", "fsopen", "fsconfig", "fsmount", "fspick",
            "mount_setattr", "setns", "unshare", "open_by_handle_at", "perf_event_open", "lookup_dcookie", "quotactl",
            "quotactl_fd", "swapon", "swapoff", "syslog", "userfaultfd", "vhangup",
            "io_uring_setup", "io_uring_enter", "io_uring_register",
            "create_module", "get_kernel_syms", "query_module", "iopl", "ioperm", "nfsservctl", "_sysctl", "sysfs",
            "uselib", "ustat", "vm86", "vm86old",
            "clone3", "clone", "personality");

    /** The default profile; every other rule stays. */
    static Default defaultProfile() {
        return Default.PLAIN;
    }

    /** No filter at all. */
    static Seccomp none() {
        return None.INSTANCE;
    }

    /**
     * A classic BPF program of your own: {@code struct sock_filter} entries (8 bytes: u16 code,
     * u8 jt, u8 jf, u32 k) in the machine's byte order, installed as it is (seccomp(2)).
     */
    static Seccomp custom(byte[] program) {
        return new Custom(program.clone());
    }

    /** The default profile. */
    record Default(Set<String> allowed) implements Seccomp {
        static final Default PLAIN = new Default(Set.of());

        public Default {
            allowed = Set.copyOf(allowed);
        }

        /**
         * The default profile without the rules for these system calls, e.g. {@code perf_event_open}
         * for a profiler (it still needs the capability).
         */
        public Default allowing(String... syscalls) {
            Set<String> all = new LinkedHashSet<>(allowed);
            for (String s : syscalls) {
                if (!DEFAULT_DENIED.contains(s)) {
                    throw new IllegalArgumentException("`" + s + "` is not restricted by the default seccomp profile; it restricts "
                            + String.join(", ", DEFAULT_DENIED));
                }
                all.add(s);
            }
            return new Default(all);
        }
    }

    /** No filter. */
    final class None implements Seccomp {
        static final None INSTANCE = new None();

        private None() {
        }

        @Override
        public String toString() {
            return "Seccomp.none()";
        }
    }

    /** A caller's program. */
    record Custom(byte[] program) implements Seccomp {
        public Custom {
            if (program == null || program.length == 0 || program.length % 8 != 0 || program.length / 8 > 4096) {
                throw new IllegalArgumentException("a seccomp program is 1 to 4096 instructions of 8 bytes each, not "
                        + (program == null ? "null" : program.length + " bytes"));
            }
        }

        @Override
        public byte[] program() {
            return program.clone();
        }
    }
}
