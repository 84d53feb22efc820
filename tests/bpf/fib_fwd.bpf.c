/* SPDX-License-Identifier: GPL-2.0 */
/* The usual XDP forwarder without xneigh (the benchmark's reference): the
 * kernel's neighbour table through bpf_fib_lookup(), and every frame whose
 * next hop it has no valid entry for (BPF_FIB_LKUP_RET_NO_NEIGH), or that
 * is not for the fast path, punted to the stack. IPv4 only. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define ETH_P_IP	0x0800
#define AF_INET		2

SEC("xdp")
int fib_fwd(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = data + sizeof(*eth);
	struct bpf_fib_lookup fl = {};
	__u32 check;

	if ((void *)(ip + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP) || ip->ttl <= 1)
		return XDP_PASS;
	fl.family = AF_INET;
	fl.tos = ip->tos;
	fl.l4_protocol = ip->protocol;
	fl.tot_len = bpf_ntohs(ip->tot_len);
	fl.ipv4_src = ip->saddr;
	fl.ipv4_dst = ip->daddr;
	fl.ifindex = ctx->ingress_ifindex;
	if (bpf_fib_lookup(ctx, &fl, sizeof(fl), 0) != BPF_FIB_LKUP_RET_SUCCESS)
		return XDP_PASS;
	check = ip->check;
	check += bpf_htons(0x0100);
	ip->check = (__u16)(check + (check >= 0xFFFF));
	ip->ttl--;
	__builtin_memcpy(eth->h_dest, fl.dmac, 6);
	__builtin_memcpy(eth->h_source, fl.smac, 6);
	return bpf_redirect(fl.ifindex, 0);
}

char LICENSE[] SEC("license") = "GPL";
