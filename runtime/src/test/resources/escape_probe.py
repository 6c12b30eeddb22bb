# Tries, from inside a container, each way out that ALICE's least privilege must refuse, and
# prints one line per attempt: "<name> OK" (it worked: the door is open), "<name> REFUSED <errno>"
# or "<name> SKIPPED <why>" (this kernel has no such interface). Harmless when it works: sysctls
# and kernel settings are written with the value they already have, the disk is only read, the
# clock gets no new time, the module call has no module. Used by ContainerEscapeTests and by the
# extension's IsolationEscapeTests (in an isolated test's child JVM).
#
# usage: python3 escape_probe.py TOKEN HOST_PORT HOST_PID DISK_MAJOR DISK_MINOR
import ctypes
import errno
import os
import platform
import socket
import subprocess
import sys

token, port, host_pid, major, minor = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
libc = ctypes.CDLL(None, use_errno=True)
MS_REMOUNT, MS_BIND = 32, 4096
ARM = platform.machine() in ("aarch64", "arm64")
SYS_KEYCTL = 219 if ARM else 250
SYS_FINIT_MODULE = 273 if ARM else 313
SYS_SETTIMEOFDAY = 170 if ARM else 164
SYS_IO_URING_SETUP = 425   # the same on both: a call added after the tables were unified


def report(name, fn):
    try:
        r = fn()
        print(f"{name} {r if isinstance(r, str) else 'OK'}", flush=True)
    except OSError as e:
        print(f"{name} REFUSED {errno.errorcode.get(e.errno, e.errno)}", flush=True)
    except Exception as e:  # a probe that cannot run is a failure of the probe, not a refusal
        print(f"{name} BROKEN {type(e).__name__}: {e}", flush=True)


def check(rc):
    if rc != 0:
        e = ctypes.get_errno()
        raise OSError(e, os.strerror(e))


def mount(src, target, fstype, flags):
    check(libc.mount(src, target, fstype, ctypes.c_ulong(flags), None))


def rewrite(path):
    with open(path, "rb") as f:
        value = f.read()
    with open(path, "wb") as f:
        f.write(value)


def remount_usr():
    mount(None, b"/usr", None, MS_REMOUNT | MS_BIND)
    with open(f"/usr/alice-escape-{token}", "w") as f:
        f.write("escaped\n")


def fresh_procfs():
    os.makedirs("/tmp/escape-proc", exist_ok=True)
    mount(b"proc", b"/tmp/escape-proc", b"proc", 0)
    try:
        rewrite("/tmp/escape-proc/sys/kernel/core_pattern")
    finally:
        libc.umount2(b"/tmp/escape-proc", 2)


def sysfs_thp():
    os.makedirs("/tmp/escape-sys", exist_ok=True)
    mount(b"sysfs", b"/tmp/escape-sys", b"sysfs", 0)
    try:
        path = "/tmp/escape-sys/kernel/mm/transparent_hugepage/enabled"
        if not os.path.exists(path):
            return "SKIPPED this kernel has no transparent_hugepage"
        current = open(path).read().split("[")[1].split("]")[0]
        with open(path, "w") as f:
            f.write(current)
    finally:
        libc.umount2(b"/tmp/escape-sys", 2)


def mknod_disk():
    node = f"/dev/escape-disk-{token}"
    os.mknod(node, 0o600 | 0o060000, os.makedev(major, minor))
    try:
        with open(node, "rb") as f:
            return "OK read" if len(f.read(512)) == 512 else "OK short read"
    except OSError as e:
        # Refused by a device cgroup: the container's own (restrictDevices), or the machine's, which
        # refuses even the host's root raw access on some hosts.
        return f"OK made, open refused: {errno.errorcode.get(e.errno, e.errno)}"
    finally:
        os.unlink(node)


def host_dev_null():
    # The container's /dev/null is the host's device node, bound in: setting its times (to now,
    # harmless) stands for chmod 000 /dev/null, which would break every process of the host.
    os.utime("/dev/null")


class Timex(ctypes.Structure):   # struct timex: modes, then longs; the rest as padding
    _fields_ = [("modes", ctypes.c_uint), ("offset", ctypes.c_long), ("freq", ctypes.c_long),
                ("maxerror", ctypes.c_long), ("esterror", ctypes.c_long), ("pad", ctypes.c_char * 256)]


def adjtimex():
    t = Timex()
    if libc.adjtimex(ctypes.byref(t)) < 0:
        check(-1)
    t.modes = 0x0004  # ADJ_MAXERROR, to the value it has
    if libc.adjtimex(ctypes.byref(t)) < 0:
        check(-1)


def settimeofday():
    # No time, no zone: only the permission check (glibc's wrapper would dereference the NULL).
    check(0 if libc.syscall(SYS_SETTIMEOFDAY, None, None) == 0 else -1)


def sysrq():
    if not os.path.exists("/proc/sysrq-trigger"):
        return "SKIPPED this kernel has no /proc/sysrq-trigger"
    with open("/proc/sysrq-trigger", "w") as f:
        f.write("m")  # show memory in the kernel log: harmless


def module_load():
    rc = libc.syscall(SYS_FINIT_MODULE, -1, b"", 0)
    e = ctypes.get_errno()
    if rc == 0 or e == errno.EBADF:
        return "OK"   # past the permission check: with a module it would have loaded
    if e == errno.ENOSYS:
        return "SKIPPED this kernel has no module support (ENOSYS)"
    raise OSError(e, os.strerror(e))


def keyctl():
    check(0 if libc.syscall(SYS_KEYCTL, 0, -3, 0) >= 0 else -1)   # KEYCTL_GET_KEYRING_ID session


def io_uring():
    # A ring lets the kernel run openat, connect, ... for the caller without a system call that a
    # seccomp filter could see: the default profile refuses io_uring_setup (and _enter, _register).
    try:
        disabled = int(open("/proc/sys/kernel/io_uring_disabled").read())
    except FileNotFoundError:
        disabled = 0
    if disabled == 2:
        return f"SKIPPED the host disables io_uring (kernel.io_uring_disabled={disabled})"
    params = ctypes.create_string_buffer(120)   # struct io_uring_params, zeroed
    fd = libc.syscall(SYS_IO_URING_SETUP, 1, params)
    if fd < 0:
        e = ctypes.get_errno()
        if e == errno.ENOSYS:
            return "SKIPPED this kernel has no io_uring (ENOSYS)"
        raise OSError(e, os.strerror(e))
    os.close(fd)


def first(*paths):
    for p in paths:
        if os.path.exists(p):
            return p
    return None


def cgroup_limit():
    p = first("/sys/fs/cgroup/pids.max", "/sys/fs/cgroup/pids/pids.max", "/sys/fs/cgroup/unified/cgroup.max.descendants",
              "/sys/fs/cgroup/cgroup.max.descendants")
    if p is None:
        raise OSError(errno.ENOENT, "no cgroup filesystem visible")
    rewrite(p)


def cgroup_move():
    p = first("/sys/fs/cgroup/unified/cgroup.procs", "/sys/fs/cgroup/cgroup.procs", "/sys/fs/cgroup/pids/cgroup.procs")
    if p is None:
        raise OSError(errno.ENOENT, "no cgroup filesystem visible")
    with open(p, "w") as f:
        f.write(str(os.getpid()))


def host_network():
    with socket.create_connection(("127.0.0.1", port), timeout=5):
        pass


def host_process():
    os.kill(host_pid, 0)


def user_namespace():
    r = subprocess.run(["unshare", "-U", "true"], capture_output=True)
    if r.returncode != 0:
        raise OSError(errno.EPERM, r.stderr.decode().strip())


probes = {
    "remount_usr_rw": remount_usr,
    "sysctl_swappiness": lambda: rewrite("/proc/sys/vm/swappiness"),
    "sysctl_core_pattern": lambda: rewrite("/proc/sys/kernel/core_pattern"),
    "fresh_procfs_core_pattern": fresh_procfs,
    "sysfs_thp": sysfs_thp,
    "mknod_host_disk": mknod_disk,
    "host_dev_null_metadata": host_dev_null,
    "adjtimex": adjtimex,
    "settimeofday": settimeofday,
    "sysrq_trigger": sysrq,
    "module_load": module_load,
    "keyctl": keyctl,
    "io_uring_setup": io_uring,
    "cgroup_own_limit": cgroup_limit,
    "cgroup_move": cgroup_move,
    "host_network": host_network,
    "host_process": host_process,
    "user_namespace": user_namespace,
}
for name, fn in probes.items():
    report(name, fn)
