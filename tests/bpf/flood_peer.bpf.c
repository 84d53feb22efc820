/* SPDX-License-Identifier: GPL-2.0 */
/* The flood's peer (tests/netns/test_flood.sh): what xneigh sends back with
 * XDP_TX lands on the other end of the veth. Answers to the legitimate
 * senders (MAC 02:1e:...) and to the flood's senders (02:f1:...) are counted
 * by kind and dropped; everything else (the host's pings, xneighd's probes)
 * goes on to the peer's own stack, which answers them. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

enum { FP_LEGIT_ARP, FP_LEGIT_NA, FP_FLOOD_ARP, FP_FLOOD_NA, FP__MAX };

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, FP__MAX);
	__type(key, __u32);
	__type(value, __u64);
} fp_frames SEC(".maps");

SEC("xdp")
int flood_peer(struct xdp_md *ctx)
{
	__u8 *d = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	__u32 slot;
	__u64 *n;
	bool legit, na;

	/* an ARP reply is 42 bytes: Ethernet header and ARP body, no padding */
	if (d + 42 > end || d[0] != 0x02 || (d[1] != 0x1e && d[1] != 0xf1))
		return XDP_PASS;
	legit = d[1] == 0x1e;
	/* ARP reply (opcode at 20-21), or ICMPv6 (next header at 20) NA (type
	 * right after the 40-byte IPv6 header) */
	if (d[12] == 0x08 && d[13] == 0x06 && d[20] == 0 && d[21] == 2)
		na = false;
	else if (d + 55 <= end && d[12] == 0x86 && d[13] == 0xdd && d[20] == 58 && d[54] == 136)
		na = true;
	else
		return XDP_PASS;
	slot = legit ? (na ? FP_LEGIT_NA : FP_LEGIT_ARP) : (na ? FP_FLOOD_NA : FP_FLOOD_ARP);
	n = bpf_map_lookup_elem(&fp_frames, &slot);
	if (n)
		(*n)++;
	return XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
