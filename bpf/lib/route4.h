/* SPDX-License-Identifier: GPL-2.0 */
/* Route lookups the ARP rules need, through bpf_fib_lookup(): the reverse
 * route of arp_filter / rp_filter and the forward route of proxy ARP.
 *
 * bpf_fib_lookup() refuses interfaces without IPv4 forwarding
 * (BPF_FIB_LKUP_RET_FWD_DISABLED). For the reverse lookups the input
 * interface only matters to `iif` policy rules, so we retry from
 * xn_global.fib_ifindex (an interface with forwarding on, chosen by xneighd);
 * when there is none the caller leaves the frame to the kernel. */
#ifndef XN_BPF_ROUTE4_H
#define XN_BPF_ROUTE4_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "maps.h"

enum xn_route_res {
	XN_ROUTE_OK = 0,	/* a unicast route; *oif is its device */
	XN_ROUTE_NONE,		/* no usable route (unreachable, prohibit, local, ...) */
	XN_ROUTE_UNKNOWN,	/* lookup impossible here: leave it to the kernel */
};

static __always_inline int xn_fib4(void *ctx, __u32 ifindex, __be32 dst, __be32 src, __u32 *oif)
{
	struct bpf_fib_lookup p = {};
	long rc;

	p.family = AF_INET;
	p.ifindex = ifindex;
	p.ipv4_dst = dst;
	p.ipv4_src = src;
	rc = bpf_fib_lookup(ctx, &p, sizeof(p), BPF_FIB_LOOKUP_SKIP_NEIGH);
	if (rc == BPF_FIB_LKUP_RET_SUCCESS || rc == BPF_FIB_LKUP_RET_NO_NEIGH) {
		*oif = p.ifindex;
		return XN_ROUTE_OK;
	}
	if (rc == BPF_FIB_LKUP_RET_FWD_DISABLED || rc < 0)
		return XN_ROUTE_UNKNOWN;
	return XN_ROUTE_NONE;
}

/* The output device of the route towards dst (from src), looked up from
 * `ifindex` or, if that interface does not forward, from the global lookup
 * interface. */
static __always_inline int xn_route4_reverse(void *ctx, __u32 ifindex, __be32 dst, __be32 src,
					     __u32 *oif)
{
	const struct xn_global *g;
	__u32 zero = 0;
	int res;

	res = xn_fib4(ctx, ifindex, dst, src, oif);
	if (res != XN_ROUTE_UNKNOWN)
		return res;
	g = bpf_map_lookup_elem(&xn_global, &zero);
	if (!g || !g->fib_ifindex || g->fib_ifindex == ifindex)
		return XN_ROUTE_UNKNOWN;
	return xn_fib4(ctx, g->fib_ifindex, dst, src, oif);
}

#endif /* XN_BPF_ROUTE4_H */
