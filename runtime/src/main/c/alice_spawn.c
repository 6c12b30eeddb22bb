// SPDX-License-Identifier: AGPL-3.0-or-later
//
// ALICE-Container spawn shim: the only code that runs in a container's first process between
// clone3(2) and execve(2).
//
// Why C: after clone the child is a copy of a multi-threaded JVM with a single thread; running
// Java there can block forever on a safepoint no VM thread will end. runc (nsexec.c), the JDK
// (jspawnhelper, childproc.c) and glibc's posix_spawn solve the same problem the same way.
//
// Java (io.alicecontainer.clone3.SpawnRequest) encodes everything into one flat buffer:
//   u32 magic, u32 version, then records {u32 tag, u32 length, payload}, native byte order.
// alice_spawn() decodes it in the parent (where malloc is fine), clones, and the child only
// issues system calls. A failure in the child comes back as (step, errno, index).
//
// Least privilege, last before execve (as runc's finalizeNamespace): the capability bounding set
// is cut to what the request keeps (PR_CAPBSET_DROP, ambient cleared), no_new_privs is set, the
// seccomp filter (alice_seccomp.c, or the caller's program) is installed, and capset(2) reduces
// permitted/effective to the kept set with nothing inheritable. Only raw system calls: glibc's
// set*id wrappers would signal the parent's threads (setxid broadcast) from this copy of them.
//
// Two ways to clone:
//  - fast (default): CLONE_VM | CLONE_VFORK on a private stack, as posix_spawn does. The parent
//    thread sleeps until the child execs or exits, so the child may write its error into the
//    parent's result struct. No page tables of the (large) JVM are copied.
//  - synchronised (user namespaces): a fork-like clone3 without CLONE_VM; the child waits on a
//    pipe while the parent writes uid_map/gid_map (only the parent may map arbitrary ids) and
//    joins the child to v1 cgroups; errors return over a CLOEXEC pipe.

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "alice_seccomp.h"

// --- kernel ABI (include/uapi/linux/sched.h, mount.h, close_range.h) -------------------------
#ifndef CLONE_PIDFD
#define CLONE_PIDFD 0x00001000
#endif
#ifndef CLONE_NEWCGROUP
#define CLONE_NEWCGROUP 0x02000000
#endif
#define ALICE_CLONE_INTO_CGROUP 0x200000000ULL
#define ALICE_SYS_clone3 435
#define ALICE_SYS_close_range 436
#define ALICE_SYS_mount_setattr 442
#define ALICE_SYS_pidfd_send_signal 424
#define ALICE_CLOSE_RANGE_CLOEXEC (1U << 2)
#define ALICE_AT_RECURSIVE 0x8000
#define ALICE_MOUNT_ATTR_RDONLY 0x00000001
#ifndef P_PIDFD
#define P_PIDFD 3
#endif

struct alice_clone_args {   // struct clone_args, CLONE_ARGS_SIZE_VER2 (Linux 5.7)
    uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls,
        set_tid, set_tid_size, cgroup;
};

struct alice_mount_attr {   // struct mount_attr (Linux 5.12)
    uint64_t attr_set, attr_clr, propagation, userns_fd;
};

// --- request encoding: keep in sync with io.alicecontainer.clone3.SpawnRequest ---------------
#define REQ_MAGIC 0x50534c41u   // "ALSP"
#define REQ_VERSION 2u

enum {
    TAG_CLONE_FLAGS = 1, TAG_CGROUP_FD = 2, TAG_ARG = 3, TAG_ENV = 4, TAG_CWD = 5,
    TAG_HOSTNAME = 6, TAG_STDIO = 7, TAG_KEEP_FD = 8, TAG_MOUNT = 9, TAG_CGROUP_PROCS = 10,
    TAG_UID_MAP = 11, TAG_GID_MAP = 12, TAG_OPTIONS = 13, TAG_EXE = 14, TAG_RUN_AS = 15,
    TAG_CAPS = 16, TAG_SECCOMP_ALLOW = 17, TAG_SECCOMP_FILTER = 18,
};

enum {
    OPT_NEW_CGROUPNS = 1, OPT_LOOPBACK_UP = 2, OPT_PDEATHSIG = 4, OPT_SETSID = 8,
    OPT_NO_NEW_PRIVS = 16, OPT_SECCOMP_DEFAULT = 32, OPT_SECCOMP_SPEC_ALLOW = 64,
};

enum {
    OP_MOUNT = 1, OP_BIND = 2, OP_MKDIR = 3, OP_WRITE_FILE = 4, OP_SYMLINK = 5,
    OP_PIVOT_ROOT = 6, OP_UMOUNT = 7, OP_CHDIR = 8, OP_MAKE_RPRIVATE = 9, OP_READ_ONLY = 10,
};

enum {   // bind flags
    BIND_REC = 1, BIND_RDONLY = 2, BIND_MKDIR = 4, BIND_MKFILE = 8,
};

// Steps: keep in sync with io.alicecontainer.clone3.SpawnStep.
enum {
    STEP_REQUEST = 1, STEP_PIPE = 2, STEP_DEVNULL = 3, STEP_CLONE = 4, STEP_SYNC = 5,
    STEP_SIGNALS = 6, STEP_PDEATHSIG = 7, STEP_SETSID = 8, STEP_CGROUP_JOIN = 9,
    STEP_CGROUPNS = 10, STEP_HOSTNAME = 11, STEP_LOOPBACK = 12, STEP_MOUNT = 13,
    STEP_CWD = 14, STEP_FDS = 15, STEP_NO_NEW_PRIVS = 16, STEP_EXEC = 17,
    STEP_PARENT_CGROUP = 18, STEP_PARENT_IDMAP = 19, STEP_MEMORY = 20, STEP_RUN_AS = 21,
    STEP_CAPS = 22, STEP_SECCOMP = 23,
};

struct mount_op {
    int32_t op;
    uint64_t flags;
    const char *a, *b, *c, *d;
};

struct request {
    uint64_t clone_flags;
    int32_t cgroup_fd;
    uint32_t options;
    const char *exe;
    const char **argv;
    int argc;
    const char **envp;
    int envc;
    const char *cwd;
    const char *hostname;
    int32_t stdio[3];
    int32_t *keep;
    int nkeep;
    struct mount_op *ops;
    int nops;
    const char **procs;
    int nprocs;
    const char *uid_map;
    const char *gid_map;
    int has_run_as;
    uint32_t run_as[2];   // uid, gid inside a user namespace
    int has_caps;
    uint64_t caps;        // the capabilities kept (bounding, permitted, effective, inheritable)
    int last_cap;         // CAP_LAST_CAP of the running kernel (63 when unknown)
    const char **allow;   // syscalls the default seccomp profile lets through after all
    int nallow;
    const uint8_t *custom_filter;   // a caller's classic BPF program (struct sock_filter[])
    uint32_t custom_len;
    struct sock_filter *filter;     // the filter to install, NULL for none
    unsigned short filter_len;
    // runtime state
    int err_fd;     // sync mode: write end of the error pipe; -1 in fast mode
    int sync_fd;    // sync mode: read end of the go pipe
    int devnull;
    int32_t *result;  // fast mode: the parent's result array (shared memory)
};

// result[]: pid, pidfd, step, errno, index
#define RES_PID 0
#define RES_PIDFD 1
#define RES_STEP 2
#define RES_ERRNO 3
#define RES_INDEX 4

// --- decoding (parent side) ------------------------------------------------------------------

static int count_tag(const uint8_t *buf, size_t len, uint32_t want) {
    int n = 0;
    size_t pos = 8;
    while (pos + 8 <= len) {
        uint32_t tag, l;
        memcpy(&tag, buf + pos, 4);
        memcpy(&l, buf + pos + 4, 4);
        if (tag == want) n++;
        pos += 8 + (size_t) l;
    }
    return n;
}

static const char *str_at(const uint8_t *p, uint32_t l) {
    // Strings are NUL-terminated inside their payload.
    if (l == 0 || p[l - 1] != 0) return NULL;
    return (const char *) p;
}

// Decodes a mount record: i32 op, u32 pad, u64 flags, then four NUL-terminated strings.
static int decode_mount(const uint8_t *p, uint32_t l, struct mount_op *op) {
    if (l < 16) return -1;
    memcpy(&op->op, p, 4);
    memcpy(&op->flags, p + 8, 8);
    const char *s[4];
    uint32_t at = 16;
    for (int i = 0; i < 4; i++) {
        if (at >= l) return -1;
        const char *start = (const char *) p + at;
        const void *nul = memchr(start, 0, l - at);
        if (!nul) return -1;
        s[i] = *start ? start : NULL;
        at += (uint32_t) ((const char *) nul - start) + 1;
    }
    op->a = s[0]; op->b = s[1]; op->c = s[2]; op->d = s[3];
    return 0;
}

// The highest capability this kernel knows, read once: the child then drops exactly the ones
// there are, without a last PR_CAPBSET_DROP that fails with EINVAL.
static int cap_last_cap(void) {
    static int cached = -1;
    if (cached >= 0) return cached;
    int value = 63;
    int fd = open("/proc/sys/kernel/cap_last_cap", O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        char buf[16];
        ssize_t n = read(fd, buf, sizeof buf - 1);
        close(fd);
        if (n > 0) {
            buf[n] = 0;
            int v = atoi(buf);
            if (v > 0 && v < 64) value = v;
        }
    }
    cached = value;
    return value;
}

static int decode(const uint8_t *buf, size_t len, struct request *r) {
    uint32_t magic, version;
    if (len < 8) return -1;
    memcpy(&magic, buf, 4);
    memcpy(&version, buf + 4, 4);
    if (magic != REQ_MAGIC || version != REQ_VERSION) return -1;
    memset(r, 0, sizeof *r);
    r->cgroup_fd = -1;
    r->stdio[0] = r->stdio[1] = r->stdio[2] = -1;
    r->argv = calloc((size_t) count_tag(buf, len, TAG_ARG) + 1, sizeof(char *));
    r->envp = calloc((size_t) count_tag(buf, len, TAG_ENV) + 1, sizeof(char *));
    r->keep = calloc((size_t) count_tag(buf, len, TAG_KEEP_FD) + 1, sizeof(int32_t));
    r->ops = calloc((size_t) count_tag(buf, len, TAG_MOUNT) + 1, sizeof(struct mount_op));
    r->procs = calloc((size_t) count_tag(buf, len, TAG_CGROUP_PROCS) + 1, sizeof(char *));
    r->allow = calloc((size_t) count_tag(buf, len, TAG_SECCOMP_ALLOW) + 1, sizeof(char *));
    if (!r->argv || !r->envp || !r->keep || !r->ops || !r->procs || !r->allow) return -2;
    size_t pos = 8;
    while (pos + 8 <= len) {
        uint32_t tag, l;
        memcpy(&tag, buf + pos, 4);
        memcpy(&l, buf + pos + 4, 4);
        const uint8_t *p = buf + pos + 8;
        if (pos + 8 + (size_t) l > len) return -1;
        const char *s = str_at(p, l);
        switch (tag) {
        case TAG_CLONE_FLAGS: if (l != 8) return -1; memcpy(&r->clone_flags, p, 8); break;
        case TAG_CGROUP_FD: if (l != 4) return -1; memcpy(&r->cgroup_fd, p, 4); break;
        case TAG_OPTIONS: if (l != 4) return -1; memcpy(&r->options, p, 4); break;
        case TAG_STDIO: if (l != 12) return -1; memcpy(r->stdio, p, 12); break;
        case TAG_RUN_AS: if (l != 8) return -1; memcpy(r->run_as, p, 8); r->has_run_as = 1; break;
        case TAG_CAPS: if (l != 8) return -1; memcpy(&r->caps, p, 8); r->has_caps = 1; break;
        case TAG_SECCOMP_ALLOW: if (!s) return -1; r->allow[r->nallow++] = s; break;
        case TAG_SECCOMP_FILTER:
            if (l == 0 || l % sizeof(struct sock_filter) != 0 || l / sizeof(struct sock_filter) > BPF_MAXINSNS) return -1;
            r->custom_filter = p; r->custom_len = l;
            break;
        case TAG_KEEP_FD: if (l != 4) return -1; memcpy(&r->keep[r->nkeep++], p, 4); break;
        case TAG_ARG: if (!s) return -1; r->argv[r->argc++] = s; break;
        case TAG_ENV: if (!s) return -1; r->envp[r->envc++] = s; break;
        case TAG_CWD: if (!s) return -1; r->cwd = s; break;
        case TAG_HOSTNAME: if (!s) return -1; r->hostname = s; break;
        case TAG_EXE: if (!s) return -1; r->exe = s; break;
        case TAG_UID_MAP: if (!s) return -1; r->uid_map = s; break;
        case TAG_GID_MAP: if (!s) return -1; r->gid_map = s; break;
        case TAG_CGROUP_PROCS: if (!s) return -1; r->procs[r->nprocs++] = s; break;
        case TAG_MOUNT:
            if (decode_mount(p, l, &r->ops[r->nops]) != 0) return -1;
            r->nops++;
            break;
        default: return -1;
        }
        pos += 8 + (size_t) l;
    }
    if (pos != len || r->argc == 0) return -1;
    if (r->has_caps) r->last_cap = cap_last_cap();
    if (!r->exe) r->exe = r->argv[0];
    if ((r->options & OPT_SECCOMP_DEFAULT) && r->custom_filter) return -1;
    if (r->options & OPT_SECCOMP_DEFAULT) return alice_seccomp_default(r->allow, r->nallow, &r->filter, &r->filter_len);
    if (r->custom_filter) {
        r->filter = malloc(r->custom_len);
        if (!r->filter) return -2;
        memcpy(r->filter, r->custom_filter, r->custom_len);
        r->filter_len = (unsigned short) (r->custom_len / sizeof(struct sock_filter));
    }
    return 0;
}

static void free_request(struct request *r) {
    free(r->argv); free(r->envp); free(r->keep); free(r->ops); free(r->procs); free(r->allow); free(r->filter);
}

// --- child side: only system calls from here on -----------------------------------------------

// Reports a failed step and ends the child. In fast mode the parent is asleep in vfork and
// shares our memory; in sync mode it reads the error pipe.
__attribute__((noreturn)) static void child_fail(struct request *r, int step, int err, int index) {
    if (r->err_fd >= 0) {
        int32_t rec[3] = {step, err, index};
        ssize_t ignored = write(r->err_fd, rec, sizeof rec);
        (void) ignored;
    } else {
        r->result[RES_STEP] = step;
        r->result[RES_ERRNO] = err;
        r->result[RES_INDEX] = index;
    }
    syscall(SYS_exit, 127);
    __builtin_unreachable();
}

static int write_all(int fd, const char *s, size_t n) {
    while (n > 0) {
        ssize_t w = write(fd, s, n);
        if (w < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        s += w;
        n -= (size_t) w;
    }
    return 0;
}

static int write_file(const char *path, const char *data, size_t n, int flags, mode_t mode) {
    int fd = open(path, flags | O_WRONLY | O_CLOEXEC, mode);
    if (fd < 0) return -1;
    int rc = write_all(fd, data, n);
    int saved = errno;
    close(fd);
    errno = saved;
    return rc;
}

// mkdir -p, in a stack buffer. Most targets (mount points in /proc, /newroot/tmp below an existing
// /newroot) need one mkdir or none: try the whole path first, walk down only when a parent is missing.
static int mkdir_p(const char *path, mode_t mode) {
    if (mkdir(path, mode) == 0 || errno == EEXIST) return 0;
    if (errno != ENOENT) return -1;
    char buf[PATH_MAX];
    size_t n = strlen(path);
    if (n == 0 || n >= sizeof buf) { errno = ENAMETOOLONG; return -1; }
    memcpy(buf, path, n + 1);
    for (size_t i = 1; i <= n; i++) {
        if (buf[i] == '/' || buf[i] == 0) {
            char saved = buf[i];
            buf[i] = 0;
            if (mkdir(buf, mode) != 0 && errno != EEXIST) return -1;
            buf[i] = saved;
        }
    }
    return 0;
}

static int mkfile_p(const char *path) {
    struct stat st;
    if (stat(path, &st) == 0) return 0;   // exists (possibly on a read-only mount)
    char buf[PATH_MAX];
    size_t n = strlen(path);
    if (n == 0 || n >= sizeof buf) { errno = ENAMETOOLONG; return -1; }
    memcpy(buf, path, n + 1);
    char *slash = strrchr(buf, '/');
    if (slash && slash != buf) {
        *slash = 0;
        if (mkdir_p(buf, 0755) != 0) return -1;
    }
    int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) return errno == EISDIR ? 0 : -1;
    close(fd);
    return 0;
}

// Read-only for a mount and, with rec, for everything below it. mount_setattr(2) does the
// whole tree in one call (Linux 5.12); before that, MS_REMOUNT|MS_BIND only reaches the top
// mount and must repeat the flags the kernel locked (mount(2), "EPERM").
static int make_readonly(const char *target, int rec) {
    struct alice_mount_attr attr = {.attr_set = ALICE_MOUNT_ATTR_RDONLY};
    if (syscall(ALICE_SYS_mount_setattr, AT_FDCWD, target, rec ? ALICE_AT_RECURSIVE : 0,
                &attr, sizeof attr) == 0) {
        return 0;
    }
    if (errno != ENOSYS) return -1;
    struct statvfs sv;
    if (statvfs(target, &sv) != 0) return -1;
    unsigned long keep = 0;
    if (sv.f_flag & ST_NOSUID) keep |= MS_NOSUID;
    if (sv.f_flag & ST_NODEV) keep |= MS_NODEV;
    if (sv.f_flag & ST_NOEXEC) keep |= MS_NOEXEC;
    return mount(NULL, target, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | keep, NULL);
}

static int run_mount_op(const struct mount_op *op) {
    switch (op->op) {
    case OP_MAKE_RPRIVATE:
        return mount(NULL, op->a ? op->a : "/", NULL, MS_REC | MS_PRIVATE, NULL);
    case OP_MOUNT:
        if (mkdir_p(op->b, 0755) != 0) return -1;
        return mount(op->a, op->b, op->c, (unsigned long) op->flags, op->d);
    case OP_BIND: {
        if ((op->flags & BIND_MKDIR) && mkdir_p(op->b, 0755) != 0) return -1;
        if ((op->flags & BIND_MKFILE) && mkfile_p(op->b) != 0) return -1;
        unsigned long f = MS_BIND | ((op->flags & BIND_REC) ? MS_REC : 0);
        if (mount(op->a, op->b, NULL, f, NULL) != 0) return -1;
        if (op->flags & BIND_RDONLY) return make_readonly(op->b, (op->flags & BIND_REC) != 0);
        return 0;
    }
    case OP_MKDIR:
        return mkdir_p(op->a, (mode_t) op->flags);
    case OP_WRITE_FILE:
        return write_file(op->a, op->b ? op->b : "", op->b ? strlen(op->b) : 0,
                          O_CREAT | O_TRUNC, (mode_t) op->flags);
    case OP_SYMLINK:
        if (symlink(op->a, op->b) != 0 && errno != EEXIST) return -1;
        return 0;
    case OP_PIVOT_ROOT:
        // With put_old absent: pivot_root(".", ".") and detach the old root that now sits on
        // top of the new one (pivot_root(2), NOTES; runc does the same).
        if (chdir(op->a) != 0) return -1;
        if (op->b) return (int) syscall(SYS_pivot_root, ".", op->b);
        if (syscall(SYS_pivot_root, ".", ".") != 0) return -1;
        if (umount2(".", MNT_DETACH) != 0) return -1;
        return chdir("/");
    case OP_READ_ONLY:
        return make_readonly(op->a, 1);
    case OP_UMOUNT:
        return umount2(op->a, (int) op->flags);
    case OP_CHDIR:
        return chdir(op->a);
    default:
        errno = EINVAL;
        return -1;
    }
}

static int loopback_up(void) {
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (s < 0) return -1;
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    memcpy(ifr.ifr_name, "lo", 3);
    int rc = ioctl(s, SIOCGIFFLAGS, &ifr);
    if (rc == 0) {
        ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
        rc = ioctl(s, SIOCSIFFLAGS, &ifr);
    }
    int saved = errno;
    close(s);
    errno = saved;
    return rc;
}

// Marks every fd from `from` up close-on-exec; close_range(2) since Linux 5.11, else by listing
// /proc/self/fd with getdents64 into a stack buffer (no opendir: it allocates).
static int cloexec_from(int from) {
    if (syscall(ALICE_SYS_close_range, (unsigned) from, ~0U, ALICE_CLOSE_RANGE_CLOEXEC) == 0) {
        return 0;
    }
    int dir = open("/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir < 0) return -1;
    char buf[4096];
    for (;;) {
        long n = syscall(SYS_getdents64, dir, buf, sizeof buf);
        if (n <= 0) break;
        for (long off = 0; off < n;) {
            unsigned short reclen;
            memcpy(&reclen, buf + off + 16, 2);
            const char *name = buf + off + 19;
            int fd = 0, digits = 0;
            for (const char *c = name; *c >= '0' && *c <= '9'; c++, digits++) fd = fd * 10 + (*c - '0');
            if (digits > 0 && fd >= from && fd != dir) fcntl(fd, F_SETFD, FD_CLOEXEC);
            off += reclen;
        }
    }
    close(dir);
    return 0;
}

// Puts stdio on 0-2 and the kept fds on 3..; everything else becomes close-on-exec. Sources are
// first moved above all targets so that no dup2 overwrites a source still needed.
static int setup_fds(struct request *r) {
    int top = 3 + r->nkeep;
    int moved[3 + 64];
    if (r->nkeep > 64) { errno = EMFILE; return -1; }
    for (int i = 0; i < 3 + r->nkeep; i++) {
        int src = i < 3 ? (r->stdio[i] >= 0 ? r->stdio[i] : r->devnull) : r->keep[i - 3];
        moved[i] = fcntl(src, F_DUPFD_CLOEXEC, top);
        if (moved[i] < 0) return -1;
    }
    if (r->err_fd >= 0 && r->err_fd < top) {
        int e = fcntl(r->err_fd, F_DUPFD_CLOEXEC, top);
        if (e < 0) return -1;
        r->err_fd = e;
    }
    for (int i = 0; i < 3 + r->nkeep; i++) {
        if (dup2(moved[i], i) < 0) return -1;
    }
    return cloexec_from(top);
}

static const char *env_path(const struct request *r) {
    for (int i = 0; i < r->envc; i++) {
        if (strncmp(r->envp[i], "PATH=", 5) == 0) return r->envp[i] + 5;
    }
    return "/usr/local/bin:/usr/bin:/bin";
}

// execvpe without the allocation: search PATH like execvp(3), remembering EACCES.
static int exec_program(const struct request *r) {
    char *const *argv = (char *const *) r->argv;
    char *const *envp = (char *const *) r->envp;
    if (strchr(r->exe, '/')) {
        execve(r->exe, argv, envp);
        return errno;
    }
    size_t n = strlen(r->exe);
    int seen_eacces = 0;
    char buf[PATH_MAX];
    for (const char *p = env_path(r);;) {
        const char *end = strchrnul(p, ':');
        size_t d = (size_t) (end - p);
        if (d + 1 + n + 1 <= sizeof buf) {
            memcpy(buf, p, d);
            size_t at = d;
            if (d == 0) buf[at++] = '.'; // an empty PATH entry means the working directory
            buf[at++] = '/';
            memcpy(buf + at, r->exe, n + 1);
            execve(buf, argv, envp);
            if (errno == EACCES) seen_eacces = 1;
            else if (errno != ENOENT && errno != ENOTDIR && errno != ELOOP) return errno;
        }
        if (*end == 0) break;
        p = end + 1;
    }
    return seen_eacces ? EACCES : ENOENT;
}

// The capability sets of the process (linux/capability.h, _LINUX_CAPABILITY_VERSION_3).
struct alice_cap_header { uint32_t version; int pid; };
struct alice_cap_data { uint32_t effective, permitted, inheritable; };
#define ALICE_CAP_V3 0x20080522

// Drops every capability outside r->caps from the bounding set (PR_CAPBSET_DROP needs
// CAP_SETPCAP, still held here) and clears the ambient set. Done before the seccomp filter and
// capset, which is the last step: until then the child may still need what it drops.
static int drop_bounding(const struct request *r) {
    for (int cap = 0; cap <= r->last_cap; cap++) {
        if (r->caps & (1ULL << cap)) continue;
        if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0) {
            if (errno == EINVAL) break;   // past CAP_LAST_CAP of this kernel
            return -1;
        }
    }
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0 && errno != EINVAL) return -1;
    return 0;
}

// Permitted and effective become what is kept; inheritable empty (runc since CVE-2022-29162).
// For root, execve then grants bounding | inheritable = the kept set again, no more.
static int reduce_caps(const struct request *r) {
    struct alice_cap_header h = {ALICE_CAP_V3, 0};
    struct alice_cap_data d[2];
    if (syscall(SYS_capget, &h, d) != 0) return -1;
    for (int i = 0; i < 2; i++) {
        uint32_t keep = (uint32_t) (r->caps >> (32 * i));
        d[i].permitted &= keep;
        d[i].effective = d[i].permitted;
        d[i].inheritable = 0;
    }
    h.version = ALICE_CAP_V3;
    h.pid = 0;
    return (int) syscall(SYS_capset, &h, d);
}

// seccomp(2) (Linux 3.17) rather than prctl, for its flags: SPEC_ALLOW (4.17) keeps the kernel from
// turning on SSBD/STIBP for the task where it is booted to do so for seccomp (spec_store_bypass_
// disable=seccomp, spectre_v2_user=seccomp: the defaults before 5.16).
static int install_filter(const struct request *r) {
    struct sock_fprog prog = {.len = r->filter_len, .filter = r->filter};
    unsigned int flags = (r->options & OPT_SECCOMP_SPEC_ALLOW) ? SECCOMP_FILTER_FLAG_SPEC_ALLOW : 0;
    return (int) syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog);
}

static int child_main(void *arg) {
    struct request *r = arg;
    // No JVM signal handler may run here: reset them all (the kernel only resets handled
    // signals at execve, and a handler jumping into the JVM would be fatal), then unblock.
    {
        long act[4] = {0, 0, 0, 0};   // SIG_DFL, no flags, no restorer, empty mask
        for (int sig = 1; sig < 65; sig++) {
            if (sig == SIGKILL || sig == SIGSTOP) continue;
            syscall(SYS_rt_sigaction, sig, act, NULL, 8);
        }
        uint64_t none = 0;
        if (syscall(SYS_rt_sigprocmask, SIG_SETMASK, &none, NULL, 8) != 0)
            child_fail(r, STEP_SIGNALS, errno, 0);
    }
    if (r->sync_fd >= 0) {
        char go;
        ssize_t n;
        do n = read(r->sync_fd, &go, 1); while (n < 0 && errno == EINTR);
        if (n != 1) child_fail(r, STEP_SYNC, n < 0 ? errno : EPIPE, 0);
        close(r->sync_fd);
    }
    // In a new user namespace our ids are still the host's, unmapped there: become the mapped
    // user (runc does the same). Raw syscalls: glibc's wrappers would signal the parent's
    // threads (setxid broadcast), whose list this child still holds in its memory.
    if (r->has_run_as) {
        if (syscall(SYS_setresgid, r->run_as[1], r->run_as[1], r->run_as[1]) != 0)
            child_fail(r, STEP_RUN_AS, errno, 1);
        if (syscall(SYS_setresuid, r->run_as[0], r->run_as[0], r->run_as[0]) != 0)
            child_fail(r, STEP_RUN_AS, errno, 0);
    }
    if ((r->options & OPT_PDEATHSIG) && prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0)
        child_fail(r, STEP_PDEATHSIG, errno, 0);
    if ((r->options & OPT_SETSID) && setsid() < 0)
        child_fail(r, STEP_SETSID, errno, 0);
    if (r->sync_fd < 0) {
        for (int i = 0; i < r->nprocs; i++) {
            if (write_file(r->procs[i], "0", 1, 0, 0) != 0) child_fail(r, STEP_CGROUP_JOIN, errno, i);
        }
    }
    // After joining every hierarchy, so that the namespace's root is the container's cgroup.
    if ((r->options & OPT_NEW_CGROUPNS) && unshare(CLONE_NEWCGROUP) != 0)
        child_fail(r, STEP_CGROUPNS, errno, 0);
    if (r->hostname && sethostname(r->hostname, strlen(r->hostname)) != 0)
        child_fail(r, STEP_HOSTNAME, errno, 0);
    if ((r->options & OPT_LOOPBACK_UP) && loopback_up() != 0)
        child_fail(r, STEP_LOOPBACK, errno, 0);
    for (int i = 0; i < r->nops; i++) {
        if (run_mount_op(&r->ops[i]) != 0) child_fail(r, STEP_MOUNT, errno, i);
    }
    if (r->cwd && chdir(r->cwd) != 0) child_fail(r, STEP_CWD, errno, 0);
    if (setup_fds(r) != 0) child_fail(r, STEP_FDS, errno, 0);
    if (r->has_caps && drop_bounding(r) != 0) child_fail(r, STEP_CAPS, errno, 0);
    if ((r->options & OPT_NO_NEW_PRIVS) && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
        child_fail(r, STEP_NO_NEW_PRIVS, errno, 0);
    // Without no_new_privs the filter needs CAP_SYS_ADMIN, which capset takes away next.
    if (r->filter && install_filter(r) != 0) child_fail(r, STEP_SECCOMP, errno, 0);
    if (r->has_caps && reduce_caps(r) != 0) child_fail(r, STEP_CAPS, errno, 1);
    child_fail(r, STEP_EXEC, exec_program(r), 0);
}

// clone3 with the child running fn(arg) on the given stack. glibc has no public clone3
// wrapper, and syscall(2) cannot be used with a new stack: the child would return through a
// stack frame it does not have. Same shape as glibc's sysdeps/unix/sysv/linux/*/clone3.S.
static long clone3_run(struct alice_clone_args *cl, int (*fn)(void *), void *arg) {
    long ret;
#if defined(__x86_64__)
    register long nr __asm__("rax") = ALICE_SYS_clone3;
    register void *a0 __asm__("rdi") = cl;
    register long a1 __asm__("rsi") = sizeof *cl;
    register void *f __asm__("r12") = (void *) fn;
    register void *x __asm__("r13") = arg;
    __asm__ volatile(
        "syscall\n\t"
        "test %%rax, %%rax\n\t"
        "jnz 1f\n\t"
        "xor %%ebp, %%ebp\n\t"
        "and $-16, %%rsp\n\t"
        "mov %%r13, %%rdi\n\t"
        "call *%%r12\n\t"
        "mov %%eax, %%edi\n\t"
        "mov $60, %%eax\n\t"       // exit(2): only this thread; it is a process of its own
        "syscall\n\t"
        "hlt\n\t"
        "1:\n\t"
        : "+r"(nr)
        : "r"(a0), "r"(a1), "r"(f), "r"(x)
        : "rcx", "r11", "memory");
    ret = nr;
#elif defined(__aarch64__)
    register long x8 __asm__("x8") = ALICE_SYS_clone3;
    register long x0 __asm__("x0") = (long) cl;
    register long x1 __asm__("x1") = sizeof *cl;
    register void *f __asm__("x19") = (void *) fn;
    register void *x __asm__("x20") = arg;
    __asm__ volatile(
        "svc #0\n\t"
        "cbnz x0, 1f\n\t"
        "mov x29, xzr\n\t"
        "mov x0, x20\n\t"
        "blr x19\n\t"
        "mov x8, #93\n\t"          // exit(2)
        "svc #0\n\t"
        "1:\n\t"
        : "+r"(x0)
        : "r"(x8), "r"(x1), "r"(f), "r"(x)
        : "x30", "memory");
    ret = x0;
#else
#error "the spawn shim supports x86_64 and aarch64"
#endif
    return ret;
}

// --- parent side -------------------------------------------------------------------------------

static int write_id_map(pid_t pid, const char *file, const char *map) {
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/%s", (int) pid, file);
    return write_file(path, map, strlen(map), 0, 0);
}

static void reap(int pidfd) {
    siginfo_t info;
    while (waitid((idtype_t) P_PIDFD, (id_t) pidfd, &info, WEXITED) != 0 && errno == EINTR) {}
}

static void kill_and_reap(int pidfd) {
    syscall(ALICE_SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0);
    reap(pidfd);
}

#define CHILD_STACK_SIZE (256 * 1024)

/// Spawns the process described by req (len bytes). On success result = {pid, pidfd, 0, 0, 0}
/// and 0 is returned; on failure -1 with result = {-1, -1, step, errno, index}.
int alice_spawn(const uint8_t *req, size_t len, int32_t *result) {
    struct request r;
    memset(&r, 0, sizeof r);
    int pidfd = -1;
    result[RES_PID] = -1;
    result[RES_PIDFD] = -1;
    result[RES_STEP] = 0;
    result[RES_ERRNO] = 0;
    result[RES_INDEX] = 0;
    int rc = decode(req, len, &r);
    if (rc != 0) {
        free_request(&r);
        result[RES_STEP] = rc == -2 ? STEP_MEMORY : STEP_REQUEST;
        result[RES_ERRNO] = rc == -2 ? ENOMEM : EINVAL;
        return -1;
    }
    r.result = result;
    r.err_fd = -1;
    r.sync_fd = -1;
    r.devnull = -1;
    int sync_mode = (r.clone_flags & CLONE_NEWUSER) != 0;
    int errp[2] = {-1, -1}, syncp[2] = {-1, -1};
    char *stack = NULL;
    int failed_step = 0, failed_errno = 0, failed_index = 0;

    if (r.stdio[0] < 0 || r.stdio[1] < 0 || r.stdio[2] < 0) {
        r.devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
        if (r.devnull < 0) { failed_step = STEP_DEVNULL; failed_errno = errno; goto out; }
    }
    if (sync_mode && (pipe2(errp, O_CLOEXEC) != 0 || pipe2(syncp, O_CLOEXEC) != 0)) {
        failed_step = STEP_PIPE; failed_errno = errno; goto out;
    }
    stack = malloc(CHILD_STACK_SIZE);
    if (!stack) { failed_step = STEP_MEMORY; failed_errno = ENOMEM; goto out; }
    r.err_fd = errp[1];
    r.sync_fd = syncp[0];

    struct alice_clone_args cl;
    memset(&cl, 0, sizeof cl);
    cl.flags = (r.clone_flags & ~(uint64_t) CLONE_NEWCGROUP) | CLONE_PIDFD
               | (sync_mode ? 0 : (CLONE_VM | CLONE_VFORK))
               | (r.cgroup_fd >= 0 ? ALICE_CLONE_INTO_CGROUP : 0);
    cl.pidfd = (uint64_t) (uintptr_t) &pidfd;
    cl.exit_signal = SIGCHLD;
    cl.stack = (uint64_t) (uintptr_t) stack;
    cl.stack_size = CHILD_STACK_SIZE;
    cl.cgroup = r.cgroup_fd >= 0 ? (uint64_t) r.cgroup_fd : 0;

    // Signals stay blocked from here until the child has reset its handlers.
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    long pid = clone3_run(&cl, child_main, &r);
    int clone_errno = pid < 0 ? (int) -pid : 0;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (pid < 0) { failed_step = STEP_CLONE; failed_errno = clone_errno; goto out; }

    if (sync_mode) {
        close(errp[1]); errp[1] = -1;
        close(syncp[0]); syncp[0] = -1;
        char pidbuf[24];
        int n = snprintf(pidbuf, sizeof pidbuf, "%ld", pid);
        for (int i = 0; i < r.nprocs && !failed_step; i++) {
            if (write_file(r.procs[i], pidbuf, (size_t) n, 0, 0) != 0) {
                failed_step = STEP_PARENT_CGROUP; failed_errno = errno; failed_index = i;
            }
        }
        if (!failed_step && r.gid_map
            && (write_id_map((pid_t) pid, "setgroups", "deny") != 0
                || write_id_map((pid_t) pid, "gid_map", r.gid_map) != 0)) {
            failed_step = STEP_PARENT_IDMAP; failed_errno = errno; failed_index = 1;
        }
        if (!failed_step && r.uid_map && write_id_map((pid_t) pid, "uid_map", r.uid_map) != 0) {
            failed_step = STEP_PARENT_IDMAP; failed_errno = errno; failed_index = 0;
        }
        if (failed_step) {
            kill_and_reap(pidfd);
            goto out;
        }
        char go = 1;
        if (write(syncp[1], &go, 1) != 1) {
            failed_step = STEP_SYNC; failed_errno = errno;
            kill_and_reap(pidfd);
            goto out;
        }
        int32_t rec[3];
        ssize_t got;
        do got = read(errp[0], rec, sizeof rec); while (got < 0 && errno == EINTR);
        if (got == (ssize_t) sizeof rec) {
            failed_step = rec[0]; failed_errno = rec[1]; failed_index = rec[2];
            reap(pidfd);
            goto out;
        }
    } else if (result[RES_STEP] != 0) {
        // The child wrote its failure into our memory and exited; collect the zombie.
        failed_step = result[RES_STEP]; failed_errno = result[RES_ERRNO];
        failed_index = result[RES_INDEX];
        reap(pidfd);
        goto out;
    }
    result[RES_PID] = (int32_t) pid;
    result[RES_PIDFD] = pidfd;
    pidfd = -1;

out:
    if (failed_step && pidfd >= 0) close(pidfd);
    free(stack);
    for (int i = 0; i < 2; i++) {
        if (errp[i] >= 0) close(errp[i]);
        if (syncp[i] >= 0) close(syncp[i]);
    }
    if (r.devnull >= 0) close(r.devnull);
    free_request(&r);
    if (failed_step) {
        result[RES_PID] = -1;
        result[RES_PIDFD] = -1;
        result[RES_STEP] = failed_step;
        result[RES_ERRNO] = failed_errno;
        result[RES_INDEX] = failed_index;
        return -1;
    }
    return 0;
}
