/* SPDX-License-Identifier: GPL-2.0 */
/* Peer side of the request-load generator (tests/reliability/reqload.c):
 * attached to the generator's interface, it counts and drops the replies to
 * the generator's requests and lets everything else through to the peer's
 * stack, which answers the host's own probes as usual.
 *
 * A reply counts only if it answers the generator exactly (an ARP reply to
 * its IPv4 address and MAC, a solicited NA to its IPv6 address for the
 * target it asks for), so nothing else on the link (gratuitous ARP,
 * unsolicited NAs, the host's probes) can pass for an answer.
 *
 * The ARP requests and NSs that arrive (the host's NUD probes: the
 * generator's own requests leave through this device and never come back)
 * are counted per target address, so a test can tell how many probes an
 * entry got across a daemon restart. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define ETH_P_ARP	0x0806
#define ETH_P_IPV6	0x86DD
#define ARPOP_REQUEST	1
#define ARPOP_REPLY	2
#define IPPROTO_ICMPV6_	58
#define ICMPV6_NS	135
#define ICMPV6_NA	136
#define NA_FLAG_SOLICITED 0x40	/* first byte of the NA flags word */

/* Who the generator is, written by it before it sends anything. */
struct rq_conf {
	__u8 mac[6];
	__u8 pad[2];
	__be32 ip4;			/* 0: no ARP load */
	__u8 ip6[16];			/* all zero (never an NA's destination): no NS load */
	__u8 target6[16];		/* the address its NSs ask for */
};

enum { RQ_ARP_REPLY = 0, RQ_NA = 1, RQ__MAX };

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct rq_conf);
} rq_conf SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, RQ__MAX);
	__type(key, __u32);
	__type(value, __u64);
} rq_count SEC(".maps");	/* replies to the generator, per CPU */

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 256);
	__type(key, __be32);
	__type(value, __u64);
} rq_probe4 SEC(".maps");	/* ARP requests received, by target address */

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 256);
	__type(key, struct in6_addr);
	__type(value, __u64);
} rq_probe6 SEC(".maps");	/* NSs received, by target address */

struct arp_eth {
	__be16 htype, ptype;
	__u8 hlen, plen;
	__be16 op;
	__u8 sha[6];
	__u8 spa[4];
	__u8 tha[6];
	__u8 tpa[4];
} __attribute__((packed));

struct nd_msg_ {
	__u8 type, code;
	__be16 csum;
	__u8 flags[4];
	struct in6_addr target;
};

static __always_inline void bump(__u32 slot)
{
	__u64 *n = bpf_map_lookup_elem(&rq_count, &slot);

	if (n)
		(*n)++;
}

static __always_inline void count_probe(void *map, const void *key)
{
	__u64 one = 1, *n = bpf_map_lookup_elem(map, key);

	if (n)
		__sync_fetch_and_add(n, 1);
	else
		bpf_map_update_elem(map, key, &one, BPF_NOEXIST);
}

static __always_inline bool eq(const __u8 *a, const __u8 *b, int len)
{
	int i;

	for (i = 0; i < len; i++)
		if (a[i] != b[i])
			return false;
	return true;
}

static __always_inline int on_arp(struct arp_eth *arp, const struct rq_conf *c)
{
	__be32 tpa;

	__builtin_memcpy(&tpa, arp->tpa, 4);
	if (arp->op == bpf_htons(ARPOP_REQUEST)) {
		count_probe(&rq_probe4, &tpa);
		return XDP_PASS;
	}
	if (arp->op == bpf_htons(ARPOP_REPLY) && c->ip4 && tpa == c->ip4 &&
	    eq(arp->tha, c->mac, 6)) {
		bump(RQ_ARP_REPLY);
		return XDP_DROP;
	}
	return XDP_PASS;
}

static __always_inline int on_ipv6(struct ipv6hdr *ip6, void *end, const struct rq_conf *c)
{
	struct nd_msg_ *nd = (void *)(ip6 + 1);

	if ((void *)(nd + 1) > end || ip6->nexthdr != IPPROTO_ICMPV6_)
		return XDP_PASS;
	if (nd->type == ICMPV6_NS) {
		count_probe(&rq_probe6, &nd->target);
		return XDP_PASS;
	}
	if (nd->type == ICMPV6_NA && (nd->flags[0] & NA_FLAG_SOLICITED) &&
	    eq((const __u8 *)&ip6->daddr, c->ip6, 16) &&
	    eq((const __u8 *)&nd->target, c->target6, 16)) {
		bump(RQ_NA);
		return XDP_DROP;
	}
	return XDP_PASS;
}

SEC("xdp")
int reqload_count(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	const struct rq_conf *c;
	__u32 zero = 0;

	c = bpf_map_lookup_elem(&rq_conf, &zero);
	if (!c || (void *)(eth + 1) > end)
		return XDP_PASS;
	if (eth->h_proto == bpf_htons(ETH_P_ARP)) {
		struct arp_eth *arp = (void *)(eth + 1);

		if ((void *)(arp + 1) > end)
			return XDP_PASS;
		return on_arp(arp, c);
	}
	if (eth->h_proto == bpf_htons(ETH_P_IPV6)) {
		struct ipv6hdr *ip6 = (void *)(eth + 1);

		if ((void *)(ip6 + 1) > end)
			return XDP_PASS;
		return on_ipv6(ip6, end, c);
	}
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
