/* SPDX-License-Identifier: GPL-2.0 */
/* Peer side of the benchmarks: count what arrives, then drop it, so the
 * measurement does not include the peer's own stack. Replies are counted by
 * kind, so the kernel's own chatter on the link (IPv6 router solicitations,
 * MLD reports) never passes for an answer. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

enum { XC_ALL = 0, XC_ARP_REPLY = 1, XC_NA = 2, XC__MAX };

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, XC__MAX);
	__type(key, __u32);
	__type(value, __u64);
} xc_frames SEC(".maps");	/* frames received per CPU: all, ARP replies, NAs */

static __always_inline void bump(__u32 slot)
{
	__u64 *n = bpf_map_lookup_elem(&xc_frames, &slot);

	if (n)
		(*n)++;
}

SEC("xdp")
int xdp_count(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	__u8 *l3 = (void *)(eth + 1);

	bump(XC_ALL);
	if ((void *)(l3 + 8) > end)
		return XDP_DROP;
	/* ARP: opcode at bytes 6-7 of the ARP header */
	if (eth->h_proto == bpf_htons(0x0806) && l3[6] == 0 && l3[7] == 2) {
		bump(XC_ARP_REPLY);
		return XDP_DROP;
	}
	/* IPv6: next header at byte 6, ICMPv6 type right after the 40 bytes */
	if ((void *)(l3 + 41) > end)
		return XDP_DROP;
	if (eth->h_proto == bpf_htons(0x86dd) && l3[6] == 58 && l3[40] == 136)
		bump(XC_NA);
	return XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
