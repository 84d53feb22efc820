/* SPDX-License-Identifier: GPL-2.0 */
/* xneigh: the integer types shared by BPF and user-space code.
 *
 * BPF objects get __u8 … __be32 and struct bpf_spin_lock from vmlinux.h;
 * user space gets them from the uapi headers. Everything under include/xneigh/
 * includes this file first and nothing else that only one side can compile.
 */
#ifndef XNEIGH_TYPES_H
#define XNEIGH_TYPES_H

#ifdef __bpf__
#include "vmlinux.h"
#define XN_STATIC_ASSERT(cond, msg) _Static_assert(cond, msg)
#else
#include <linux/types.h>
#include <linux/bpf.h>		/* struct bpf_spin_lock */
#include <stddef.h>
#define XN_STATIC_ASSERT(cond, msg) _Static_assert(cond, msg)
#endif

#endif /* XNEIGH_TYPES_H */
