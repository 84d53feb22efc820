/* SPDX-License-Identifier: GPL-2.0 */
/* The smallest user of include/xneigh/resolve.h (README, "Transmit path"):
 * every IPv4 frame arriving here leaves through interface `oif` towards
 * the next hop `next_hop`, both set by the loader before it loads the
 * object (with xneigh's maps reused, see resolve.h). A real forwarder
 * routes and decrements the TTL first: bpf/xneigh_fwd.bpf.c. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "xneigh/resolve.h"

const volatile __u32 oif;		/* egress interface (an xneighd interface) */
const volatile __be32 next_hop;		/* network order */

SEC("xdp")
int resolve_example(struct xdp_md *ctx)
{
	struct ethhdr *eth = (void *)(long)ctx->data;
	struct xn_resolve_out r;

	if ((void *)(eth + 1) > (void *)(long)ctx->data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	switch (xn_xdp_resolve4(ctx, oif, next_hop, XN_RESOLVE_HOLD, &r)) {
	case XN_RES_OK:
		eth = (void *)(long)ctx->data;
		if ((void *)(eth + 1) > (void *)(long)ctx->data_end)
			return XDP_DROP;
		__builtin_memcpy(eth->h_dest, r.dmac, ETH_ALEN);
		__builtin_memcpy(eth->h_source, r.smac, ETH_ALEN);
		return bpf_redirect(oif, 0);
	case XN_RES_PASS:
		return XDP_PASS;	/* the kernel resolves and sends it */
	default:
		return XDP_DROP;	/* held by xneighd (XN_RES_HELD), or dropped */
	}
}

char LICENSE[] SEC("license") = "GPL";
