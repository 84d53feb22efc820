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

/* *nh (if not NULL) gets the next hop: the gateway, or dst itself. */
static __always_inline int xn_fib4(void *ctx, __u32 ifindex, __be32 dst, __be32 src, __u32 *oif,
				   __be32 *nh)
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
		if (nh)
			*nh = p.ipv4_dst;	/* bpf_fib_lookup() puts the gateway here */
		return XN_ROUTE_OK;
	}
	if (rc == BPF_FIB_LKUP_RET_FWD_DISABLED || rc < 0)
		return XN_ROUTE_UNKNOWN;
	return XN_ROUTE_NONE;
}

/* The mirror of table main (xn_route4), when xneighd says it is complete. A
 * multipath route counts as leaving through `want` if any next hop does
 * (fib_validate_source()'s dev_match); arp_filter's single chosen path is a
 * hash we cannot reproduce, so the same rule serves it. */
static __always_inline int xn_route4_mirror(const struct xn_global *g, __be32 dst, __u32 want,
					    __u32 *oif)
{
	struct xn_route4_key k = { .prefixlen = 32, .addr = dst };
	const struct xn_route4 *r;

	if (!g || !(g->flags & XN_GF_ROUTE4_VALID))
		return XN_ROUTE_UNKNOWN;
	r = bpf_map_lookup_elem(&xn_route4, &k);
	if (!r || r->type != XN_RTN_UNICAST)
		return XN_ROUTE_NONE;
	if (r->nhs == 0 || r->nhs > XN_ROUTE4_NH_MAX)
		return XN_ROUTE_UNKNOWN;
	*oif = r->oif[0];
	for (int i = 1; i < XN_ROUTE4_NH_MAX; i++)
		if (i < r->nhs && r->oif[i] == want)
			*oif = want;
	return XN_ROUTE_OK;
}

/* bpf_fib_lookup() from `ifindex`, else from the global lookup interface
 * (one with forwarding). *gp gets xn_global for a caller that falls back
 * further. */
static __always_inline int xn_fib4_any(void *ctx, __u32 ifindex, __be32 dst, __be32 src,
				       __u32 *oif, __be32 *nh, const struct xn_global **gp)
{
	const struct xn_global *g;
	__u32 zero = 0;
	int res;

	*gp = NULL;
	res = xn_fib4(ctx, ifindex, dst, src, oif, nh);
	if (res != XN_ROUTE_UNKNOWN)
		return res;
	g = bpf_map_lookup_elem(&xn_global, &zero);
	*gp = g;
	if (g && g->fib_ifindex && g->fib_ifindex != ifindex)
		return xn_fib4(ctx, g->fib_ifindex, dst, src, oif, nh);
	return XN_ROUTE_UNKNOWN;
}

/* The output device of the route towards dst (from src): bpf_fib_lookup()
 * from `ifindex`, else from the global lookup interface, else the mirror. */
static __always_inline int xn_route4_reverse(void *ctx, __u32 ifindex, __be32 dst, __be32 src,
					     __u32 *oif)
{
	const struct xn_global *g;
	__u32 zero = 0;
	int res;

	res = xn_fib4_any(ctx, ifindex, dst, src, oif, NULL, &g);
	if (res != XN_ROUTE_UNKNOWN)
		return res;
	if (!g)
		g = bpf_map_lookup_elem(&xn_global, &zero);
	return xn_route4_mirror(g, dst, ifindex, oif);
}

#endif /* XN_BPF_ROUTE4_H */
