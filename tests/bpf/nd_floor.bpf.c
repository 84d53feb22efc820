/* SPDX-License-Identifier: GPL-2.0 */
/* The NS -> NA benchmark floor: no validation, no tables. It turns an NS
 * carrying one SLLAO into an NA with a TLLAO of the same size by rewriting
 * fields in place and patching the checksum incrementally (RFC 1624), so it
 * costs what an in-place XDP_TX answer must cost at the least. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct nd {
	__u8 type, code;
	__be16 csum;
	__u8 flags, rsv[3];
	__u8 target[16];
	__u8 opt_type, opt_len, mac[6];
};

static __always_inline __u32 add16(__u32 sum, __u16 v) { return sum + v; }

SEC("xdp")
int nd_floor(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct ipv6hdr *ip6 = (void *)(eth + 1);
	struct nd *m = (void *)(ip6 + 1);
	const __u8 ours[6] = { 0x02, 0, 0, 0, 0x01, 0x01 };
	__u32 sum;
	__u16 old_w0, new_w0, old_w1, new_w1;

	if ((void *)(m + 1) > end || eth->h_proto != bpf_htons(0x86dd) ||
	    ip6->nexthdr != 58 || m->type != 135)
		return XDP_PASS;
	__builtin_memcpy(eth->h_dest, eth->h_source, 6);
	__builtin_memcpy(eth->h_source, ours, 6);
	/* destination := source, source := target; the pseudo-header sum
	 * changes by (target - old destination) */
	sum = (__u16)~m->csum;
	for (int i = 0; i < 8; i++) {
		sum += (__u16)~((__u16 *)&ip6->daddr)[i];
		sum += ((__u16 *)m->target)[i];
	}
	ip6->daddr = ip6->saddr;
	__builtin_memcpy(&ip6->saddr, m->target, 16);
	old_w0 = *(__u16 *)&m->type;
	old_w1 = *(__u16 *)&m->flags;
	m->type = 136;
	m->flags = 0x60;		/* S, O */
	new_w0 = *(__u16 *)&m->type;
	new_w1 = *(__u16 *)&m->flags;
	sum = add16(sum, (__u16)~old_w0);
	sum = add16(sum, new_w0);
	sum = add16(sum, (__u16)~old_w1);
	sum = add16(sum, new_w1);
	for (int i = 0; i < 4; i++)	/* option: SLLAO(1) -> TLLAO(2) with our MAC */
		sum += (__u16)~((__u16 *)&m->opt_type)[i];
	m->opt_type = 2;
	__builtin_memcpy(m->mac, ours, 6);
	for (int i = 0; i < 4; i++)
		sum += ((__u16 *)&m->opt_type)[i];
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	m->csum = ~(__u16)sum;
	return XDP_TX;
}

char LICENSE[] SEC("license") = "GPL";
