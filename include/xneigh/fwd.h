/* SPDX-License-Identifier: GPL-2.0 */
/* xneigh-fwd (bpf/xneigh_fwd.bpf.c, user/xneigh-fwd/main.c): the layout its
 * BPF program and its loader share. */
#ifndef XNEIGH_FWD_H
#define XNEIGH_FWD_H

#include "types.h"

/* Value of the per-CPU array xf_stats (one slot): what the forwarder did. */
struct xf_stats {
	__u64 forwarded4;	/* IPv4 frames redirected */
	__u64 forwarded6;	/* IPv6 frames redirected */
	__u64 held;		/* next hop unresolved: held by xneighd */
	__u64 unres_passed;	/* next hop unresolved: to the kernel */
	__u64 unres_dropped;	/* next hop unresolved: dropped */
	__u64 to_kernel;	/* not for the fast path (see xneigh_fwd.bpf.c) */
	__u64 redirect_failed;	/* bpf_redirect() refused the egress interface */
};
XN_STATIC_ASSERT(sizeof(struct xf_stats) == 7 * 8, "xf_stats layout");

#endif /* XNEIGH_FWD_H */
