/* SPDX-License-Identifier: GPL-2.0 */
/* The next hop of the forwarding benchmark (tests/bench/bench.c): counts
 * the IPv4 frames addressed to it (10.3.0.2) and drops everything, so no
 * other frame on the link (the kernel's own ARP requests) passes for a
 * forwarded one. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} fs_frames SEC(".maps");

SEC("xdp")
int fwd_sink(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	__u32 zero = 0;
	__u64 *n;

	if ((void *)(ip + 1) > end || eth->h_proto != bpf_htons(0x0800) ||
	    ip->daddr != bpf_htonl(0x0a030002))
		return XDP_DROP;
	n = bpf_map_lookup_elem(&fs_frames, &zero);
	if (n)
		(*n)++;
	return XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
