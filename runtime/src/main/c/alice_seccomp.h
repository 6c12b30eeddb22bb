// SPDX-License-Identifier: AGPL-3.0-or-later
// The default seccomp profile of ALICE containers; see alice_seccomp.c.
#ifndef ALICE_SECCOMP_H
#define ALICE_SECCOMP_H

#include <linux/filter.h>

/// Builds the default filter without the syscalls named in allow (names as in the table; "clone"
/// and "personality" lift the argument checks). Returns 0, -1 for an unknown name, -2 without
/// memory. *out is malloc'ed.
int alice_seccomp_default(const char **allow, int nallow, struct sock_filter **out, unsigned short *len);

/// The i-th syscall name the default profile restricts on this architecture, NULL past the end.
const char *alice_seccomp_name(int i);

#endif
