// SPDX-License-Identifier: AGPL-3.0-or-later
//
// The default seccomp filter of ALICE containers: a classic BPF program (seccomp(2),
// Documentation/userspace-api/seccomp_filter.rst) that refuses with EPERM the system calls of the
// deny list of Docker's default profile (moby profiles/seccomp/default.json: what a container
// without CAP_SYS_ADMIN and friends has no business calling), built in the parent where malloc is
// fine and installed by the child just before execve.
//
// Shape, as libseccomp would emit it for such a list:
//   a foreign architecture (i386 through int 0x80, x32 system call numbers) is killed;
//   clone3 fails with ENOSYS so that glibc falls back to clone(2), whose flags can be checked
//   (clone3 passes them in memory a filter cannot read; Docker does the same);
//   clone with a CLONE_NEW* flag fails with EPERM (no new namespaces from inside);
//   personality(2) is allowed only for the personalities Docker allows;
//   the listed calls are found by a binary search (sorted by number) and answered EPERM;
//   everything else is allowed.
// No libseccomp: it would be a build and run-time dependency for ~60 comparisons, which the
// kernel's BPF JIT runs in tens of nanoseconds.

#define _GNU_SOURCE
#include "alice_seccomp.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

#if defined(__x86_64__)
#define ALICE_AUDIT_ARCH AUDIT_ARCH_X86_64
#define ALICE_X32_BIT 0x40000000u
#elif defined(__aarch64__)
#define ALICE_AUDIT_ARCH AUDIT_ARCH_AARCH64
#else
#error "the seccomp profile supports x86_64 and aarch64"
#endif

struct denied { const char *name; int nr; };

#define D(n) {#n, __NR_##n}
// Keep in sync with io.alicecontainer.security.Seccomp.DEFAULT_DENIED (names only).
static const struct denied DENIED[] = {
    D(acct),                         // process accounting: host-wide
    D(add_key), D(keyctl), D(request_key),   // the kernel keyring is not namespaced
    D(adjtimex), D(clock_adjtime), D(clock_settime), D(settimeofday),   // the host's clock
    D(bpf),                          // eBPF programs and maps
    D(delete_module), D(finit_module), D(init_module),   // kernel modules
    D(kexec_file_load), D(kexec_load), D(reboot),        // replacing or stopping the kernel
    D(mount), D(umount2), D(pivot_root), D(move_mount), D(open_tree), D(fsopen), D(fsconfig),
    D(fsmount), D(fspick), D(mount_setattr),             // mounts: done before exec, never after
    D(setns), D(unshare),            // entering or making namespaces
    D(open_by_handle_at),            // opens any inode of a mounted fs by handle (shocker)
    D(perf_event_open),              // kernel profiling: leaks and a large attack surface
    D(lookup_dcookie), D(quotactl), D(quotactl_fd),
    D(swapon), D(swapoff),
    D(syslog),                       // the kernel log
    D(userfaultfd),                  // a tool to widen kernel races
    D(vhangup),
    // io_uring: a second system call interface whose operations seccomp never sees (an SQE runs
    // openat, connect, ... in the kernel without a syscall to filter) and a steady source of
    // kernel exploits; Docker's default profile denies it since moby 25 (moby#46762).
    D(io_uring_setup), D(io_uring_enter), D(io_uring_register),
#ifdef __NR_create_module
    D(create_module), D(get_kernel_syms), D(query_module),
#endif
#ifdef __NR_iopl
    D(iopl), D(ioperm),              // raw port I/O
#endif
#ifdef __NR_nfsservctl
    D(nfsservctl),
#endif
#ifdef __NR__sysctl
    D(_sysctl),
#endif
#ifdef __NR_sysfs
    D(sysfs),
#endif
#ifdef __NR_uselib
    D(uselib),
#endif
#ifdef __NR_ustat
    D(ustat),
#endif
#ifdef __NR_vm86
    D(vm86),
#endif
#ifdef __NR_vm86old
    D(vm86old),
#endif
};
#undef D
#define NDENIED ((int) (sizeof DENIED / sizeof DENIED[0]))

// Calls with an argument check or another errno; listed after DENIED by alice_seccomp_name.
static const char *const SPECIAL[] = {"clone3", "clone", "personality"};
#define NSPECIAL 3

#define NS_FLAGS (CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET \
                  | CLONE_NEWCGROUP)
#define RET_ERRNO(e) (SECCOMP_RET_ERRNO | ((e) & SECCOMP_RET_DATA))
#define ARG0_LOW offsetof(struct seccomp_data, args)   // little-endian on both architectures

const char *alice_seccomp_name(int i) {
    if (i < 0) return NULL;
    if (i < NDENIED) return DENIED[i].name;
    if (i < NDENIED + NSPECIAL) return SPECIAL[i - NDENIED];
    return NULL;
}

static int allowed(const char *name, const char **allow, int nallow) {
    for (int i = 0; i < nallow; i++) {
        if (strcmp(name, allow[i]) == 0) return 1;
    }
    return 0;
}

static int by_number(const void *a, const void *b) {
    unsigned x = *(const unsigned *) a, y = *(const unsigned *) b;
    return x < y ? -1 : x > y;
}

// A binary search over the sorted numbers, with leaves of at most LEAF compared one by one: the
// kernel runs (and, to build its per-syscall cache when the filter is attached, emulates) ~10
// instructions per call instead of one comparison per listed call.
#define LEAF 4

static int search_size(int count) {
    if (count <= LEAF) return count + 2;
    int left = count / 2;
    return 1 + search_size(left) + search_size(count - left);
}

static int emit_search(struct sock_filter *f, int n, const unsigned *nr, int count) {
    if (count <= LEAF) {
        // jeq a → EPERM, jeq b → EPERM, ...; ret ALLOW; ret EPERM
        for (int i = 0; i < count; i++) {
            f[n++] = (struct sock_filter) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, nr[i], (unsigned char) (count - i), 0);
        }
        f[n++] = (struct sock_filter) BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
        f[n++] = (struct sock_filter) BPF_STMT(BPF_RET | BPF_K, RET_ERRNO(EPERM));
        return n;
    }
    int left = count / 2;
    // nr >= the right half's first ? right half : left half (which follows at once)
    f[n++] = (struct sock_filter) BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, nr[left], (unsigned char) search_size(left), 0);
    n = emit_search(f, n, nr, left);
    return emit_search(f, n, nr + left, count - left);
}

int alice_seccomp_default(const char **allow, int nallow, struct sock_filter **out, unsigned short *len) {
    for (int i = 0; i < nallow; i++) {
        int known = 0;
        for (int j = 0; alice_seccomp_name(j); j++) known |= strcmp(allow[i], alice_seccomp_name(j)) == 0;
        if (!known) return -1;
    }
    struct sock_filter *f = calloc(32 + (size_t) search_size(NDENIED), sizeof *f);
    if (!f) return -2;
    int n = 0;
    f[n++] = (struct sock_filter) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
    f[n++] = (struct sock_filter) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ALICE_AUDIT_ARCH, 1, 0);
    f[n++] = (struct sock_filter) BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
    f[n++] = (struct sock_filter) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
#ifdef ALICE_X32_BIT
    f[n++] = (struct sock_filter) BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, ALICE_X32_BIT, 0, 1);
    f[n++] = (struct sock_filter) BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
#endif
    if (!allowed("clone3", allow, nallow)) {
        f[n++] = (struct sock_filter) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_clone3, 0, 1);
        f[n++] = (struct sock_filter) BPF_STMT(BPF_RET | BPF_K, RET_ERRNO(ENOSYS));
    }
    if (!allowed("clone", allow, nallow)) {
        f[n++] = (struct sock_filter) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_clone, 0, 4);
        f[n++] = (struct sock_filter) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG0_LOW);
        f[n++] = (struct sock_filter) BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, NS_FLAGS, 0, 1);
        f[n++] = (struct sock_filter) BPF_STMT(BPF_RET | BPF_K, RET_ERRNO(EPERM));
        f[n++] = (struct sock_filter) BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
    }
    if (!allowed("personality", allow, nallow)) {
        // PER_LINUX, PER_LINUX32, UNAME26, PER_LINUX32|UNAME26 and the query 0xffffffff.
        f[n++] = (struct sock_filter) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_personality, 0, 8);
        f[n++] = (struct sock_filter) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG0_LOW);
        f[n++] = (struct sock_filter) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0x0, 5, 0);
        f[n++] = (struct sock_filter) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0x8, 4, 0);
        f[n++] = (struct sock_filter) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0x20000, 3, 0);
        f[n++] = (struct sock_filter) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0x20008, 2, 0);
        f[n++] = (struct sock_filter) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0xffffffff, 1, 0);
        f[n++] = (struct sock_filter) BPF_STMT(BPF_RET | BPF_K, RET_ERRNO(EPERM));
        f[n++] = (struct sock_filter) BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
    }
    unsigned denied[NDENIED];
    int nd = 0;
    for (int i = 0; i < NDENIED; i++) {
        if (!allowed(DENIED[i].name, allow, nallow)) denied[nd++] = (unsigned) DENIED[i].nr;
    }
    qsort(denied, (size_t) nd, sizeof denied[0], by_number);
    n = emit_search(f, n, denied, nd);
    *out = f;
    *len = (unsigned short) n;
    return 0;
}
