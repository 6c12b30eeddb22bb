package io.alicecontainer.rootfs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.alicecontainer.cgroup.CgroupLayout;
import io.alicecontainer.clone3.MountOp;

/**
 * Turns a {@link RootFs} into the mount steps the spawn shim carries out in the child.
 *
 * <p>The host view and a rootfs directory are built as bubblewrap does: a tmpfs is mounted on
 * {@code /tmp} (of the child's private mount namespace) as a staging root and pivoted into with
 * the old root kept at {@code /oldroot}, so that every source, even one below {@code /tmp}, stays
 * reachable; the new root is assembled at {@code /newroot} from there; a last {@code pivot_root}
 * enters it and detaches everything else.
 */
public final class MountPlan {
    // <sys/mount.h>
    private static final long MS_RDONLY = 1;
    private static final long MS_NOSUID = 2;
    private static final long MS_NODEV = 4;
    private static final long MS_NOEXEC = 8;
    private static final long MS_REMOUNT = 32;
    private static final long MS_BIND = 4096;

    private static final String STAGE = "/tmp";
    private static final String OLD = "/oldroot";
    private static final String NEW = "/newroot";
    private static final String EMPTY = "/empty";

    /** Host directories shown read-only in the host view, where present; symlinks stay symlinks. */
    static final List<String> HOST_VIEW_DIRS = List.of("usr", "bin", "sbin", "lib", "lib32", "lib64", "libx32", "etc", "opt");
    private static final List<String> DEVICES = List.of("null", "zero", "full", "random", "urandom", "tty");
    /** runc's default maskedPaths: files get /dev/null over them, directories an empty read-only tmpfs. */
    static final List<String> MASKED = List.of("/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys",
            "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi",
            "/sys/firmware", "/sys/devices/virtual/powercap");
    /** runc's default readonlyPaths. */
    static final List<String> READ_ONLY = List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger");

    /**
     * What the plan does beyond isolation: mask and make read-only the kernel's interfaces (also
     * the cgroup filesystems and, where it is shown, {@code /sys}), and the size of the private
     * {@code /tmp} and {@code /dev/shm} in bytes (0: tmpfs's default, half the RAM).
     */
    public record Protection(boolean maskKernelInterfaces, long tmpSizeBytes) {
        /** Nothing masked, tmpfs's default size: the plan as it was before least privilege. */
        public static final Protection NONE = new Protection(false, 0);
    }

    private MountPlan() {
    }

    /**
     * The steps for rootfs with the container's hostname and extra binds; {@code javaHome} is
     * shown too when it lies outside the host view's directories.
     */
    public static List<MountOp> build(RootFs rootfs, String hostname, List<Bind> binds, Path javaHome) {
        return build(rootfs, hostname, binds, javaHome, null);
    }

    /**
     * As above; with a layout, the container also gets its own cgroup filesystems at the host's
     * mount points (below {@code /sys/fs/cgroup}): with a cgroup namespace they show the
     * container's cgroup as their root, so the JVM's container support and other tools see the
     * container's limits.
     */
    public static List<MountOp> build(RootFs rootfs, String hostname, List<Bind> binds, Path javaHome, CgroupLayout cgroups) {
        return build(rootfs, hostname, binds, javaHome, cgroups, Protection.NONE);
    }

    /** As above, with the kernel interfaces masked and /tmp limited as protection says. */
    public static List<MountOp> build(RootFs rootfs, String hostname, List<Bind> binds, Path javaHome, CgroupLayout cgroups,
                                      Protection protection) {
        List<MountOp> ops = new ArrayList<>();
        ops.add(MountOp.makeRootPrivate());
        boolean protect = protection.maskKernelInterfaces();
        if (rootfs instanceof RootFs.HostRoot) {
            ops.add(MountOp.mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, null));
            // The host's sysfs alone, read-only: the mounts below it (debugfs, tracefs, bpf, securityfs,
            // the host's cgroups) are left out; our own cgroup filesystems go on top.
            if (protect && Files.isDirectory(Path.of("/sys"))) ops.add(MountOp.bindReadOnlyAlone("/sys", "/sys"));
            if (cgroups != null) cgroupFilesystems(ops, "", cgroups, protect);
            for (Bind b : binds) ops.add(bind(b.source().toString(), b.target().toString(), b));
            if (protect) kernelInterfaces(ops, "", "/dev/null", false, null);
            return ops;
        }
        ops.add(MountOp.mount("tmpfs", STAGE, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755,size=4m"));
        ops.add(MountOp.mkdir(STAGE + OLD, 0755));
        ops.add(MountOp.pivotRoot(STAGE, OLD.substring(1)));
        ops.add(MountOp.chdir("/"));
        if (rootfs instanceof RootFs.Directory dir) {
            // An overlay with a throwaway upper layer: mount points (/proc, binds) can be made in
            // it without touching the directory; it is made read-only once everything is mounted.
            ops.add(MountOp.mkdir("/upper", 0755));
            ops.add(MountOp.mkdir("/work", 0755));
            ops.add(MountOp.mount("overlay", NEW, "overlay", MS_NOSUID | MS_NODEV,
                    "lowerdir=" + OLD + dir.path() + ",upperdir=/upper,workdir=/work"));
        } else {
            ops.add(MountOp.mount("tmpfs", NEW, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755,size=1m"));
            hostView(ops, javaHome);
        }
        boolean hostView = rootfs instanceof RootFs.HostView;
        Path etc = rootfs instanceof RootFs.Directory dir ? dir.path().resolve("etc") : Path.of("/etc");
        if (hostname != null) {
            ops.add(MountOp.writeFile("/hostname", hostname + "\n", 0644));
            ops.add(MountOp.writeFile("/hosts", "127.0.0.1\tlocalhost\n127.0.1.1\t" + hostname
                    + "\n::1\tlocalhost ip6-localhost ip6-loopback\n", 0644));
            if (Files.isRegularFile(etc.resolve("hostname"))) ops.add(MountOp.bindFile("/hostname", NEW + "/etc/hostname", true));
            if (Files.isRegularFile(etc.resolve("hosts"))) ops.add(MountOp.bindFile("/hosts", NEW + "/etc/hosts", true));
        }
        String size = protection.tmpSizeBytes() > 0 ? ",size=" + protection.tmpSizeBytes() : "";
        ops.add(MountOp.mount("tmpfs", NEW + "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777" + size));
        ops.add(MountOp.mount("proc", NEW + "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, null));
        minimalDev(ops, size, protect, binds);
        if (cgroups != null) cgroupFilesystems(ops, NEW, cgroups, protect);
        for (Bind b : binds) ops.add(bind(OLD + b.source(), NEW + b.target(), b));
        if (protect) {
            // Masked directories get this empty directory of the staging tmpfs, read-only: a bind
            // costs a few microseconds, a tmpfs of their own ~100.
            ops.add(MountOp.mkdir(EMPTY, 0555));
            kernelInterfaces(ops, NEW, NEW + "/dev/null", true, EMPTY);
        }
        if (hostView) ops.add(MountOp.mount(null, NEW, null, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV, null));
        else ops.add(MountOp.mount(null, NEW, null, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV, null));
        ops.add(MountOp.pivotRoot(NEW));
        return ops;
    }

    private static MountOp bind(String source, String target, Bind b) {
        return Files.isDirectory(b.source()) ? MountOp.bindDirectory(source, target, b.readOnly())
                : MountOp.bindFile(source, target, b.readOnly());
    }

    private static void hostView(List<MountOp> ops, Path javaHome) {
        for (String name : HOST_VIEW_DIRS) {
            Path host = Path.of("/", name);
            if (Files.isSymbolicLink(host)) {
                try {
                    ops.add(MountOp.symlink(Files.readSymbolicLink(host).toString(), NEW + "/" + name));
                } catch (IOException e) {
                    throw new IllegalStateException("cannot read the symlink " + host + ": " + e.getMessage(), e);
                }
            } else if (Files.isDirectory(host, LinkOption.NOFOLLOW_LINKS)) {
                ops.add(MountOp.bindDirectory(OLD + host, NEW + host, true));
            }
        }
        if (javaHome != null && !coveredByHostView(javaHome)) {
            ops.add(MountOp.bindDirectory(OLD + javaHome, NEW + javaHome, true));
        }
        ops.add(MountOp.mkdir(NEW + "/root", 0700));
    }

    /** Whether the host view shows this host path already (below /usr, /etc, ...). */
    public static boolean coveredByHostView(Path path) {
        Path p = path.toAbsolutePath().normalize();
        if (p.getNameCount() == 0) return false;
        String top = p.getName(0).toString();
        return HOST_VIEW_DIRS.contains(top);
    }

    /**
     * Read-only when protected: the container reads its usage and limits there but can neither
     * raise them, nor move itself, nor make groups (runc mounts them read-only too).
     */
    private static void cgroupFilesystems(List<MountOp> ops, String root, CgroupLayout layout, boolean readOnly) {
        long flags = MS_NOSUID | MS_NODEV | MS_NOEXEC;
        long cgFlags = flags | (readOnly ? MS_RDONLY : 0);
        Path base = Path.of("/sys/fs/cgroup");
        boolean v2AtBase = base.equals(layout.v2Mount());
        if (!v2AtBase) ops.add(MountOp.mount("tmpfs", root + base, "tmpfs", flags, "mode=0755,size=64k"));
        if (layout.v2Mount() != null) ops.add(MountOp.mount("cgroup2", root + layout.v2Mount(), "cgroup2", cgFlags, null));
        layout.v1Hierarchies().forEach((mountPoint, controllers) ->
                ops.add(MountOp.mount("cgroup", root + mountPoint, "cgroup", cgFlags, controllers)));
        if (!v2AtBase && readOnly) ops.add(MountOp.mount(null, root + base, null, MS_REMOUNT | MS_RDONLY | flags, null));
    }

    /**
     * runc's masked and read-only paths, where this kernel has them, below root; masked
     * directories get emptyDir bound read-only over them, or (without one) the first an empty
     * read-only tmpfs and the others that tmpfs bound over them. Masked files get devNull; when
     * devNull is on a read-only mount, a plain bind is read-only already.
     *
     * <p>They all exist in the fresh procfs (and the host's sysfs) as they do on the host, and
     * nothing is mounted below them there: a non-recursive bind onto the path itself, no mkdir,
     * one or two system calls each (a tmpfs of its own costs ~100 µs, a bind a few).
     */
    private static void kernelInterfaces(List<MountOp> ops, String root, String devNull, boolean devNullReadOnly, String emptyDir) {
        for (String p : READ_ONLY) {
            if (Files.exists(Path.of(p))) ops.add(MountOp.bindReadOnlyAlone(root + p, root + p));
        }
        String firstMaskedDir = null;
        for (String p : MASKED) {
            Path host = Path.of(p);
            if (p.startsWith("/sys/") && !root.isEmpty()) continue; // no /sys in the container's own root
            if (Files.isDirectory(host) && emptyDir != null) {
                ops.add(MountOp.bindReadOnlyAlone(emptyDir, root + p));
            } else if (Files.isDirectory(host) && firstMaskedDir == null) {
                ops.add(MountOp.mount("tmpfs", root + p, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=0"));
                firstMaskedDir = root + p;
            } else if (Files.isDirectory(host)) {
                ops.add(MountOp.bindOver(firstMaskedDir, root + p));
            } else if (Files.exists(host)) {
                ops.add(devNullReadOnly ? MountOp.bindOver(devNull, root + p) : MountOp.bindReadOnlyAlone(devNull, root + p));
            }
        }
    }

    /**
     * tmpfs /dev with the host's harmless devices bound in (works in user namespaces, unlike mknod).
     * Protected, it is made read-only with the device binds in it, in one call, before /dev/shm
     * goes on top: the binds are the host's device nodes, whose owner, mode and times the
     * container's root could change otherwise (a {@code chmod 000 /dev/null} would break the
     * host). Reading and writing a device is no write to its filesystem: that still works.
     */
    private static void minimalDev(List<MountOp> ops, String size, boolean readOnly, List<Bind> binds) {
        String dev = NEW + "/dev";
        ops.add(MountOp.mount("tmpfs", dev, "tmpfs", MS_NOSUID | MS_NOEXEC, "mode=0755,size=64k"));
        for (String d : DEVICES) {
            if (Files.exists(Path.of("/dev", d))) ops.add(MountOp.bindFile(OLD + "/dev/" + d, dev + "/" + d, false));
        }
        ops.add(MountOp.symlink("/proc/self/fd", dev + "/fd"));
        ops.add(MountOp.symlink("/proc/self/fd/0", dev + "/stdin"));
        ops.add(MountOp.symlink("/proc/self/fd/1", dev + "/stdout"));
        ops.add(MountOp.symlink("/proc/self/fd/2", dev + "/stderr"));
        if (readOnly) {
            ops.add(MountOp.mkdir(dev + "/shm", 0755));
            // The caller's binds into /dev (a disk for a test, say) get their mount points now,
            // while /dev is writable; the binds themselves come later as ever, with their own flags.
            for (Bind b : binds) {
                Path t = b.target().normalize();
                if (!t.startsWith("/dev") || t.getNameCount() < 2 || t.startsWith("/dev/shm")) continue;
                if (t.getNameCount() == 2 && DEVICES.contains(t.getFileName().toString())) continue;
                if (t.getNameCount() > 2) ops.add(MountOp.mkdir(NEW + t.getParent(), 0755));
                ops.add(Files.isDirectory(b.source()) ? MountOp.mkdir(NEW + t, 0755) : MountOp.writeFile(NEW + t, "", 0644));
            }
            ops.add(MountOp.readOnlyTree(dev));
        }
        ops.add(MountOp.mount("tmpfs", dev + "/shm", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=1777" + size));
    }
}
