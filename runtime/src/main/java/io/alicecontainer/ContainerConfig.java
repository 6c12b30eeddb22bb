package io.alicecontainer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;

import io.alicecontainer.cgroup.IoLimit;
import io.alicecontainer.namespace.IdMapping;
import io.alicecontainer.namespace.Namespace;
import io.alicecontainer.namespace.Namespaces;
import io.alicecontainer.rootfs.Bind;
import io.alicecontainer.rootfs.RootFs;
import io.alicecontainer.security.Capability;
import io.alicecontainer.security.Seccomp;

/**
 * How a {@link Container} is isolated and limited. Immutable; built with {@link #builder()},
 * whose methods check their argument at once:
 *
 * <pre>{@code
 * ContainerConfig config = ContainerConfig.builder()
 *         .memoryMax(64L << 20)
 *         .cpuPercent(50)
 *         .pidsMax(64)
 *         .build();
 * }</pre>
 *
 * Defaults: the read-only host view as root filesystem ({@link RootFs#hostView()}), the
 * namespaces of {@link Namespaces#container()}, no limits, a 1 MiB capture of stdout and of
 * stderr each, no timeout, hostname = the container's name, and least privilege: the
 * capabilities of {@link Capability#defaults()}, {@code no_new_privs}, the default seccomp
 * profile ({@link Seccomp#defaultProfile()}), masked and read-only kernel interfaces
 * ({@code /proc/sys}, {@code /proc/kcore}, ..., read-only cgroup filesystems), a device cgroup
 * ({@link Builder#restrictDevices(boolean)}) and a private {@code /tmp} of at most
 * {@link #DEFAULT_TMP_SIZE} bytes. {@link Builder#privileged()} turns
 * all of that off.
 */
public final class ContainerConfig {
    /** The CFS period the percentages are expressed in (cgroup-v2.rst's default). */
    public static final long CPU_PERIOD_US = 100_000;
    private static final Pattern HOSTNAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,63})?");
    private static final Pattern ENV_NAME = Pattern.compile("[^=\\x00]+");
    /** The size limit of the private /tmp (a tmpfs; its pages count against the memory limit): 1 GiB. */
    public static final long DEFAULT_TMP_SIZE = 1L << 30;

    private final RootFs rootfs;
    private final String hostname;
    private final Integer cpuPercent;
    private final Long memoryMax;
    private final Long pidsMax;
    private final List<IoLimit> ioLimits;
    private final Namespaces namespaces;
    private final IdMapping idMapping;
    private final Map<String, String> env;
    private final Path workdir;
    private final List<Bind> binds;
    private final Duration timeout;
    private final long outputLimit;
    private final boolean mountCgroups;
    private final Set<Capability> capabilities;
    private final Seccomp seccomp;
    private final boolean maskKernelInterfaces;
    private final boolean noNewPrivileges;
    private final boolean speculationMitigations;
    private final long tmpSize;
    private final boolean restrictDevices;

    private ContainerConfig(Builder b) {
        rootfs = b.rootfs;
        hostname = b.hostname;
        cpuPercent = b.cpuPercent;
        memoryMax = b.memoryMax;
        pidsMax = b.pidsMax;
        ioLimits = List.copyOf(b.ioLimits);
        namespaces = b.idMapping != null ? b.namespaces.with(Namespace.USER) : b.namespaces;
        idMapping = b.idMapping;
        env = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.env));
        workdir = b.workdir;
        binds = List.copyOf(b.binds);
        timeout = b.timeout;
        outputLimit = b.outputLimit;
        mountCgroups = b.mountCgroups;
        capabilities = java.util.Collections.unmodifiableSet(EnumSet.copyOf(b.capabilities));
        seccomp = b.seccomp;
        maskKernelInterfaces = b.maskKernelInterfaces;
        noNewPrivileges = b.noNewPrivileges;
        speculationMitigations = b.speculationMitigations;
        tmpSize = b.tmpSize;
        restrictDevices = b.restrictDevices;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this configuration's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.rootfs = rootfs;
        b.hostname = hostname;
        b.cpuPercent = cpuPercent;
        b.memoryMax = memoryMax;
        b.pidsMax = pidsMax;
        b.ioLimits.addAll(ioLimits);
        b.namespaces = namespaces;
        b.idMapping = idMapping;
        b.env.clear();
        b.env.putAll(env);
        b.workdir = workdir;
        b.binds.addAll(binds);
        b.timeout = timeout;
        b.outputLimit = outputLimit;
        b.mountCgroups = mountCgroups;
        b.capabilities = EnumSet.copyOf(capabilities);
        b.seccomp = seccomp;
        b.maskKernelInterfaces = maskKernelInterfaces;
        b.noNewPrivileges = noNewPrivileges;
        b.speculationMitigations = speculationMitigations;
        b.tmpSize = tmpSize;
        b.restrictDevices = restrictDevices;
        return b;
    }

    public RootFs rootfs() {
        return rootfs;
    }

    /** The hostname, or empty for the container's name. */
    public Optional<String> hostname() {
        return Optional.ofNullable(hostname);
    }

    /** CPU limit in percent of one CPU (150 = one and a half CPUs). */
    public Optional<Integer> cpuPercent() {
        return Optional.ofNullable(cpuPercent);
    }

    public OptionalLong memoryMax() {
        return memoryMax == null ? OptionalLong.empty() : OptionalLong.of(memoryMax);
    }

    public OptionalLong pidsMax() {
        return pidsMax == null ? OptionalLong.empty() : OptionalLong.of(pidsMax);
    }

    public List<IoLimit> ioLimits() {
        return ioLimits;
    }

    public Namespaces namespaces() {
        return namespaces;
    }

    public Optional<IdMapping> idMapping() {
        return Optional.ofNullable(idMapping);
    }

    public Map<String, String> env() {
        return env;
    }

    public Path workdir() {
        return workdir;
    }

    public List<Bind> binds() {
        return binds;
    }

    /** How long one {@link Container#exec} may run before the whole container is killed. */
    public Optional<Duration> timeout() {
        return Optional.ofNullable(timeout);
    }

    /** Bytes of stdout, and of stderr, kept in an {@link ExecResult}; the rest is drained and dropped. */
    public long outputLimit() {
        return outputLimit;
    }

    /** Whether the container gets its own cgroup filesystems below /sys/fs/cgroup. */
    public boolean mountCgroups() {
        return mountCgroups;
    }

    /** The capabilities the container's processes keep (bounding, permitted, effective). */
    public Set<Capability> capabilities() {
        return capabilities;
    }

    public Seccomp seccomp() {
        return seccomp;
    }

    /**
     * Whether {@code /proc/sys}, {@code /proc/sysrq-trigger}, {@code /proc/irq}, {@code /proc/bus}
     * (and {@code /sys}, the cgroup filesystems) are read-only and {@code /proc/kcore},
     * {@code /proc/keys}, ... masked, as runc does.
     */
    public boolean maskKernelInterfaces() {
        return maskKernelInterfaces;
    }

    /** prctl(PR_SET_NO_NEW_PRIVS): no setuid program or file capability grants more. */
    public boolean noNewPrivileges() {
        return noNewPrivileges;
    }

    /**
     * Whether a seccomp-filtered container gets the speculation mitigations the kernel gives such a
     * task (true: the kernel's choice, the default) or is spared them
     * ({@code SECCOMP_FILTER_FLAG_SPEC_ALLOW}); see {@link Builder#speculationMitigations(boolean)}.
     */
    public boolean speculationMitigations() {
        return speculationMitigations;
    }

    /** The size limit of the private /tmp in bytes. */
    public long tmpSize() {
        return tmpSize;
    }

    /**
     * Whether the container's device cgroup lets it open only the devices of
     * {@link io.alicecontainer.security.DeviceRules#forBinds}: those of the minimal {@code /dev}
     * and those bound in (on by default, as root).
     */
    public boolean restrictDevices() {
        return restrictDevices;
    }

    /** Every capability, no seccomp filter, nothing masked, no no_new_privs, any device: as the host's root. */
    public boolean privileged() {
        return capabilities.containsAll(EnumSet.allOf(Capability.class)) && seccomp instanceof Seccomp.None
                && !maskKernelInterfaces && !noNewPrivileges && !restrictDevices;
    }

    @Override
    public String toString() {
        return "ContainerConfig[rootfs=" + rootfs + ", cpu=" + (cpuPercent == null ? "-" : cpuPercent + "%")
                + ", memory=" + (memoryMax == null ? "-" : ByteSize.format(memoryMax))
                + ", pids=" + (pidsMax == null ? "-" : pidsMax) + ", " + namespaces
                + (privileged() ? ", privileged" : ", caps=" + capabilities + ", seccomp=" + seccomp) + "]";
    }

    /** Collects a configuration; every method rejects a bad value at once with {@link IllegalArgumentException}. */
    public static final class Builder {
        private RootFs rootfs = RootFs.hostView();
        private String hostname;
        private Integer cpuPercent;
        private Long memoryMax;
        private Long pidsMax;
        private final List<IoLimit> ioLimits = new ArrayList<>();
        private Namespaces namespaces = Namespaces.container();
        private IdMapping idMapping;
        private final Map<String, String> env = new LinkedHashMap<>(Map.of(
                "PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                "HOME", "/root",
                "LANG", "C.UTF-8"));
        private Path workdir = Path.of("/");
        private final List<Bind> binds = new ArrayList<>();
        private Duration timeout;
        private long outputLimit = 1 << 20;
        private boolean mountCgroups;
        private EnumSet<Capability> capabilities = EnumSet.copyOf(Capability.defaults());
        private Seccomp seccomp = Seccomp.defaultProfile();
        private boolean maskKernelInterfaces = true;
        private boolean noNewPrivileges = true;
        private boolean speculationMitigations = true;
        private long tmpSize = DEFAULT_TMP_SIZE;
        private boolean restrictDevices = true;

        private Builder() {
        }

        /** A directory holding a root filesystem (see {@link RootFs#directory(Path)}). */
        public Builder rootfs(Path path) {
            this.rootfs = RootFs.directory(path);
            return this;
        }

        public Builder rootfs(RootFs rootfs) {
            this.rootfs = Objects.requireNonNull(rootfs, "rootfs");
            return this;
        }

        public Builder hostname(String hostname) {
            if (hostname == null || !HOSTNAME.matcher(hostname).matches()) {
                throw new IllegalArgumentException("hostname `" + hostname + "` is not valid: 1-64 characters of "
                        + "A-Z a-z 0-9 . - starting with a letter or digit");
            }
            this.hostname = hostname;
            return this;
        }

        /** CPU limit in percent of one CPU: 20 is a fifth of a CPU, 200 two CPUs. */
        public Builder cpuPercent(int percent) {
            if (percent <= 0) throw new IllegalArgumentException("cpuPercent must be positive, was " + percent);
            if (percent > 100_000) throw new IllegalArgumentException("cpuPercent " + percent + " is more than 1000 CPUs");
            this.cpuPercent = percent;
            return this;
        }

        /** Memory limit in bytes (swap is off for the container). */
        public Builder memoryMax(long bytes) {
            if (bytes <= 0) throw new IllegalArgumentException("memoryMax must be positive, was " + bytes);
            this.memoryMax = bytes;
            return this;
        }

        /** Memory limit as in -Xmx: "64M", "1G". */
        public Builder memoryMax(String size) {
            return memoryMax(ByteSize.parse(size));
        }

        /** At most this many tasks (processes and threads) at once. */
        public Builder pidsMax(long max) {
            if (max <= 0) throw new IllegalArgumentException("pidsMax must be positive, was " + max);
            this.pidsMax = max;
            return this;
        }

        public Builder ioLimit(IoLimit limit) {
            ioLimits.add(Objects.requireNonNull(limit, "limit"));
            return this;
        }

        public Builder namespaces(Namespaces namespaces) {
            this.namespaces = Objects.requireNonNull(namespaces, "namespaces");
            return this;
        }

        /** Adds a user namespace with this uid/gid mapping. */
        public Builder userNamespace(IdMapping mapping) {
            this.idMapping = Objects.requireNonNull(mapping, "mapping");
            return this;
        }

        /** Sets (or with a null value removes) one environment variable of the container's processes. */
        public Builder env(String name, String value) {
            if (name == null || !ENV_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("`" + name + "` is not an environment variable name");
            }
            if (value == null) env.remove(name); else env.put(name, value);
            return this;
        }

        /** Replaces the whole environment. */
        public Builder environment(Map<String, String> environment) {
            env.clear();
            environment.forEach(this::env);
            return this;
        }

        /** The working directory inside the container (default {@code /}). */
        public Builder workdir(Path dir) {
            if (dir == null || !dir.isAbsolute()) throw new IllegalArgumentException("workdir must be an absolute path, was " + dir);
            this.workdir = dir;
            return this;
        }

        /** Shows a host path inside the container. */
        public Builder bind(Bind bind) {
            binds.add(Objects.requireNonNull(bind, "bind"));
            return this;
        }

        /** Shows a host path read-only at the same path inside. */
        public Builder bindReadOnly(Path hostPath) {
            return bind(Bind.readOnly(hostPath));
        }

        /** Kills the whole container when one exec runs longer. */
        public Builder timeout(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive, was " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        public Builder outputLimit(long bytes) {
            if (bytes < 0) throw new IllegalArgumentException("outputLimit must be >= 0, was " + bytes);
            this.outputLimit = bytes;
            return this;
        }

        /**
         * Mounts the container's own cgroup filesystems below {@code /sys/fs/cgroup} (needs the
         * mount and cgroup namespaces): the JVM's container support then sizes
         * {@code availableProcessors()} and the default heap from the container's limits.
         */
        public Builder mountCgroups(boolean on) {
            this.mountCgroups = on;
            return this;
        }

        /**
         * Exactly these capabilities (instead of {@link Capability#defaults()}); e.g. the defaults
         * plus one: {@code capabilities(Capability.defaults(), Capability.SYS_PTRACE)}.
         */
        public Builder capabilities(Set<Capability> caps, Capability... more) {
            Objects.requireNonNull(caps, "caps");
            EnumSet<Capability> all = EnumSet.noneOf(Capability.class);
            all.addAll(caps);
            for (Capability c : more) all.add(Objects.requireNonNull(c, "capability"));
            this.capabilities = all;
            return this;
        }

        /** Exactly these capabilities; none at all with no argument. */
        public Builder capabilities(Capability... caps) {
            return capabilities(Set.of(), caps);
        }

        /** The seccomp filter: {@link Seccomp#defaultProfile()} (the default), {@link Seccomp#none()} or your own. */
        public Builder seccomp(Seccomp seccomp) {
            this.seccomp = Objects.requireNonNull(seccomp, "seccomp");
            return this;
        }

        /** Masked and read-only kernel interfaces (on by default); see {@link ContainerConfig#maskKernelInterfaces()}. */
        public Builder maskKernelInterfaces(boolean on) {
            this.maskKernelInterfaces = on;
            return this;
        }

        public Builder noNewPrivileges(boolean on) {
            this.noNewPrivileges = on;
            return this;
        }

        /**
         * Whether the kernel may turn on its speculation mitigations for the container's filtered
         * processes (on by default). A kernel booted with {@code spec_store_bypass_disable=seccomp}
         * or {@code spectre_v2_user=seccomp} (the defaults before Linux 5.16) enables SSBD and
         * STIBP/IBPB for every task with a seccomp filter, which slows its code down by how much
         * depends on the CPU and the code; {@code false} installs the filter with
         * {@code SECCOMP_FILTER_FLAG_SPEC_ALLOW} (as an OCI runtime does for that flag in its
         * seccomp profile) and the container runs like any other process of the host. Since Linux
         * 5.16 the defaults are {@code prctl} (a filter enables nothing), and where the CPU has no
         * such mitigation to switch the flag changes nothing either:
         * {@code /sys/devices/system/cpu/vulnerabilities/spec_store_bypass} and {@code spectre_v2}
         * say which case a host is. The filter itself is the same either way.
         */
        public Builder speculationMitigations(boolean on) {
            this.speculationMitigations = on;
            return this;
        }

        /**
         * Everything the container's root could do on the host's root (it still has its own
         * namespaces, cgroup and root filesystem view): every capability, no seccomp filter, no
         * masked interfaces, writable cgroup filesystems, no {@code no_new_privs}. For tests that
         * must mount, load modules or make containers of their own.
         */
        public Builder privileged() {
            restrictDevices = false;
            capabilities = EnumSet.allOf(Capability.class);
            seccomp = Seccomp.none();
            maskKernelInterfaces = false;
            noNewPrivileges = false;
            return this;
        }

        /**
         * Whether a device cgroup restricts which devices the container may open (on by default):
         * runc's default list ({@code null}, {@code zero}, {@code full}, {@code random},
         * {@code urandom}, {@code tty}, {@code ptmx}, the pts) plus every device node bound in.
         * Defense in depth beside the missing CAP_MKNOD and the read-only {@code /dev}: a node
         * made anyway (capabilities given back, a writable mount) or shown by
         * {@code RootFs.hostRoot()} cannot be opened. Through the cgroup-v1 devices controller on
         * v1 and hybrid hosts, through a BPF device program attached to the container's cgroup
         * on pure v2 (as runc); not in rootless mode, where only the host's root could set it.
         */
        public Builder restrictDevices(boolean on) {
            this.restrictDevices = on;
            return this;
        }

        /** The size limit of the private /tmp (a tmpfs), as in -Xmx: "256M". */
        public Builder tmpSize(String size) {
            return tmpSize(ByteSize.parse(size));
        }

        /** The size limit of the private /tmp in bytes (default {@link #DEFAULT_TMP_SIZE}). */
        public Builder tmpSize(long bytes) {
            if (bytes <= 0) throw new IllegalArgumentException("tmpSize must be positive, was " + bytes);
            this.tmpSize = bytes;
            return this;
        }

        public ContainerConfig build() {
            if (mountCgroups && !(namespaces.contains(Namespace.MOUNT) && namespaces.contains(Namespace.CGROUP))) {
                throw new IllegalArgumentException("mountCgroups needs the mount and cgroup namespaces");
            }
            return new ContainerConfig(this);
        }
    }
}
