/* SPDX-License-Identifier: GPL-2.0 */
/* The benchmark floor: an ARP "responder" with no semantics at all. It turns
 * any ARP request into a reply by swapping fields and sends it back. Nothing
 * real should run this; it only tells how fast an XDP_TX reply can be. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct arp_eth {
	__be16 hrd, pro;
	__u8 hln, pln;
	__be16 op;
	__u8 sha[6], sip[4], tha[6], tip[4];
};

SEC("xdp")
int arp_floor(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct arp_eth *a = (void *)(eth + 1);
	__u8 tmp[4];

	if ((void *)(a + 1) > end || eth->h_proto != bpf_htons(0x0806) ||
	    a->op != bpf_htons(1))
		return XDP_PASS;
	__builtin_memcpy(eth->h_dest, a->sha, 6);
	__builtin_memcpy(eth->h_source, "\x02\x00\x00\x00\x01\x01", 6);
	a->op = bpf_htons(2);
	__builtin_memcpy(a->tha, a->sha, 6);
	__builtin_memcpy(a->sha, eth->h_source, 6);
	__builtin_memcpy(tmp, a->sip, 4);
	__builtin_memcpy(a->sip, a->tip, 4);
	__builtin_memcpy(a->tip, tmp, 4);
	return XDP_TX;
}

char LICENSE[] SEC("license") = "GPL";
