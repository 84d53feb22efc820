/* SPDX-License-Identifier: GPL-2.0 */
/* Spoofing defences beyond the kernel's rules (README "Spoofing and --strict").
 *
 * Always on: an NS whose IPv6 source is one of the receiving interface's
 * addresses is a conflict, like an ARP frame or an NA claiming one of them
 * (arp.h, ndisc.h ND-NA5): counted, reported, never learned. The kernel
 * would learn it (ndisc_recv_ns() -> neigh_event_ns() does not look at the
 * source; checked on 6.18); xneigh hands the frame on unanswered, so the
 * kernel still answers and learns it in its own table.
 *
 * xneighd --strict (XN_IFF_STRICT in xn_ifconf.flags, written for every
 * interface): VPP-like checks. A frame that fails one is dropped (XDP_DROP /
 * TC_ACT_SHOT: the kernel does not learn from it either) and counted once,
 * for the first check it fails:
 *   (a) strict_mac_mismatch: the link-layer address the frame teaches is its
 *       Ethernet source: the ARP sender MAC, the NS's SLLAO, the NA's TLLAO
 *       (an NS or NA without the option has nothing to compare);
 *   (b) strict_off_subnet: the sender is on a subnet of the receiving
 *       interface: the ARP sender address inside the prefix of one of the
 *       interface's IPv4 addresses (inet_ifa_match()); the IPv6 source, and
 *       an NA's target, link-local or inside one of the interface's on-link
 *       prefixes (xn_prefix6);
 *   (c) strict_garp_create: a gratuitous ARP (sender address = target
 *       address) or an unsolicited NA (S clear) only refreshes an existing
 *       entry of the receiving interface: for an unknown address it is
 *       dropped.
 * Not checked: DAD probes (ARP sender 0.0.0.0: only (a); NS from ::), which
 * teach nothing, and frames claiming one of our own addresses, which the
 * conflict paths report and never learn: user-space address conflict
 * detection (n-acd, arping -D) and the kernel's IPv6 DAD must still see them.
 *
 * The checks run in global (noinline) functions: verified once on their
 * own, they add a call, not states, to xn_xdp and xn_tc_in; with strict off
 * a receive path pays one flag test.
 */
#ifndef XN_BPF_STRICT_H
#define XN_BPF_STRICT_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "xneigh/wire.h"
#include "ctx.h"
#include "eth.h"
#include "ipv6.h"
#include "maps.h"
#include "stats.h"
#include "events.h"
#include "addr4.h"

/* Options looked at for the NS's SLLAO / the NA's TLLAO (as ndisc.h walks). */
#define XN_STRICT_MAX_OPTS	64

/* What a check says (the first one that fails). */
enum xn_strict_verdict {
	XN_STRICT_OK = 0,
	XN_STRICT_MAC,		/* (a) */
	XN_STRICT_SUBNET,	/* (b) */
	XN_STRICT_GARP,		/* (c) */
};

/* The call sites test this flag and nothing else: everything below runs
 * only with --strict. */
static __always_inline bool xn_strict_on(const struct xn_ifconf *conf)
{
	return conf->flags & XN_IFF_STRICT;
}

/* A MAC as a number, so that the checks, global functions, take it as a
 * scalar (they cannot take a pointer into the packet). */
static __always_inline __u64 xn_mac_u64(const __u8 *m)
{
	const __u16 *w = (const __u16 *)m;

	return (__u64)w[0] | (__u64)w[1] << 16 | (__u64)w[2] << 32;
}

/* Count a refusal; true when the frame must be dropped. */
static __always_inline bool xn_strict_count(struct xn_stats *s, int verdict)
{
	switch (verdict) {
	case XN_STRICT_MAC:
		XN_STAT_INC(s, strict_mac_mismatch);
		return true;
	case XN_STRICT_SUBNET:
		XN_STAT_INC(s, strict_off_subnet);
		return true;
	case XN_STRICT_GARP:
		XN_STAT_INC(s, strict_garp_create);
		return true;
	default:
		return false;
	}
}

/* (b), IPv4: a inside the prefix of one of the interface's addresses. */
static __always_inline bool xn_strict_on_subnet4(__u32 ifindex, __be32 a)
{
	const struct xn_ifaddrs4 *ia = bpf_map_lookup_elem(&xn_ifaddr4, &ifindex);
	__u32 count;

	if (!ia)
		return false;
	count = ia->count;
	for (__u32 i = 0; i < XN_IFADDR4_MAX; i++) {
		if (i >= count)
			break;
		if (xn_ifa_match(a, &ia->a[i]))
			return true;
	}
	return false;
}

/* (b), IPv6: link-local, or inside an on-link prefix of the interface.
 * k: the caller's key space. */
static __always_inline bool xn_strict_on_link6(struct xn_prefix6_key *k, __u32 ifindex,
					       const __u32 *a)
{
	if (xn_ip6_is_linklocal(a))
		return true;
	k->prefixlen = 32 + 128;
	k->ifindex = bpf_htonl(ifindex);
	__builtin_memcpy(k->addr, a, 16);
	return bpf_map_lookup_elem(&xn_prefix6, k) != NULL;
}

/* ARP; sha_is_src: the sender MAC equals the Ethernet source; sip_is_local
 * as arp.h found it (BPF functions take at most five arguments). */
__noinline int xn_strict_arp_check(__u32 ifindex, bool sha_is_src, __be32 sip, __be32 tip,
				   bool sip_is_local)
{
	struct xn_neigh4_key k = {};

	/* a claim of one of our addresses is the conflict path's (arp.h) */
	if (sip_is_local)
		return XN_STRICT_OK;
	if (!sha_is_src)
		return XN_STRICT_MAC;
	if (sip == 0)
		return XN_STRICT_OK;	/* a DAD probe (ARP-D3: nothing learned) */
	if (!xn_strict_on_subnet4(ifindex, sip))
		return XN_STRICT_SUBNET;
	if (sip == tip) {
		k.ifindex = ifindex;
		k.addr = sip;
		if (!bpf_map_lookup_elem(&xn_neigh4, &k))
			return XN_STRICT_GARP;
	}
	return XN_STRICT_OK;
}

/* The ARP call site (arp.h), after the conflict check: true = drop. */
static __always_inline bool xn_strict_arp(struct xn_stats *s, const struct xn_ifconf *conf,
					  __u32 ifindex, const __u8 *eth_src, const __u8 *sha,
					  __be32 sip, __be32 tip, bool sip_is_local)
{
	if (!xn_strict_on(conf))
		return false;
	return xn_strict_count(s, xn_strict_arp_check(ifindex, xn_mac_eq(eth_src, sha), sip, tip,
						      sip_is_local));
}

/* The option walk's state and the lookup keys live in slot 1 of xn_scratch
 * (slot 0 holds the message): on the stack they made xn_xdp's call chain
 * exceed BPF's 512 bytes. bpf_loop()'s context must be on the stack, so it
 * is just the two pointers. */
struct xn_strict_tmp {
	__u32 len;
	__u32 off;
	__u32 found;		/* body offset of the first option of type `want`, 0: none */
	__u8 want;
	__u8 na;		/* the message is an NA */
	__u32 ifindex;
	__u64 eth_src;
	__u32 saddr[4];
	union {
		struct xn_neigh6_key n;	/* also the xn_addr6 key: the same layout */
		struct xn_prefix6_key p;
	} k;
};
_Static_assert(sizeof(struct xn_strict_tmp) <= XN_ND_MAX_LEN, "xn_scratch slot too small");

struct xn_strict_walk {
	const struct xn_nd_buf *b;
	struct xn_strict_tmp *t;
};

/* ndisc_parse_options() keeps the first SLLAO / TLLAO; one of the wrong
 * size or a malformed list is the receive path's to refuse (ND-V5, V6), so
 * here it just means "nothing to compare". */
static long xn_strict_walk_one(__u64 index, struct xn_strict_walk *w)
{
	const struct xn_nd_buf *b = w->b;
	struct xn_strict_tmp *t = w->t;
	__u32 off, len, l;

	if (!b || !t)
		return 1;
	off = t->off;
	len = t->len;
	if (len > XN_ND_MAX_LEN || off >= len || len - off < 2)
		return 1;
	l = (__u32)b->b[(off + 1) & (XN_ND_MAX_LEN - 1)] << 3;
	if (l == 0 || len - off < l)
		return 1;
	if (b->b[off & (XN_ND_MAX_LEN - 1)] == t->want) {
		if (l == XN_ND_OPT_LL_LEN)
			t->found = off + 2;
		return 1;
	}
	t->off = off + l;
	return 0;
}

/* ND: b holds the NS or NA (len bytes, validated up to ND-V3 by
 * xn_nd_rx()); eth_src as xn_mac_u64(). Small stack: the caller's frame is
 * most of BPF's 512 bytes. */
__noinline int xn_strict_nd_check(const struct xn_nd_buf *b, __u32 len, __u32 ifindex,
				  __u64 eth_src, const struct in6_addr *src)
{
	struct xn_strict_walk w;
	struct xn_strict_tmp *t;
	const struct xn_addr6 *own;
	__u32 off, slot = 1;

	if (!b || !src || len < XN_ND_MSG_LEN || len > XN_ND_MAX_LEN)
		return XN_STRICT_OK;
	if (xn_ip6_is_zero(src->in6_u.u6_addr32))
		return XN_STRICT_OK;	/* DAD (ND-NS1): nothing learned */
	t = bpf_map_lookup_elem(&xn_scratch, &slot);
	if (!t)
		return XN_STRICT_OK;
	/* everything that must outlive a call goes into t: fewer spills */
	__builtin_memcpy(t->saddr, src->in6_u.u6_addr32, 16);
	t->ifindex = ifindex;
	t->eth_src = eth_src;
	t->na = b->b[0] == XN_ND_NA;
	/* claims of our own addresses are the conflict paths': an NS from
	 * one (xn_nd_src_conflict() below), an NA for one (ND-NA5) */
	__builtin_memset(&t->k, 0, sizeof(t->k));
	t->k.n.ifindex = ifindex;
	__builtin_memcpy(t->k.n.addr, t->na ? (const __u32 *)&b->b[8] : t->saddr, 16);
	own = bpf_map_lookup_elem(&xn_addr6, &t->k.n);
	if (own && !(own->flags & XN_ADDR6_ANYCAST))
		return XN_STRICT_OK;

	w.b = b;
	w.t = t;
	t->len = len;
	t->off = XN_ND_MSG_LEN;
	t->found = 0;
	t->want = t->na ? XN_ND_OPT_TLLAO : XN_ND_OPT_SLLAO;
	bpf_loop(XN_STRICT_MAX_OPTS, xn_strict_walk_one, &w, 0);
	off = t->found;
	if (off) {
		/* the bound is checked on the register the load uses (clang
		 * would otherwise fold it with the test above into a copy) */
		asm volatile("" : "+r"(off));
		if (off > XN_ND_MAX_LEN - ETH_ALEN)
			return XN_STRICT_OK;	/* cannot happen: the option is in b */
		if (xn_mac_u64(&b->b[off]) != t->eth_src)
			return XN_STRICT_MAC;
	}

	if (!xn_strict_on_link6(&t->k.p, t->ifindex, t->saddr) ||
	    (t->na && !xn_strict_on_link6(&t->k.p, t->ifindex, (const __u32 *)&b->b[8])))
		return XN_STRICT_SUBNET;

	if (t->na && !(b->b[4] & XN_NA_F_SOLICITED)) {
		__builtin_memset(&t->k, 0, sizeof(t->k));
		t->k.n.ifindex = t->ifindex;
		__builtin_memcpy(t->k.n.addr, &b->b[8], 16);
		if (!bpf_map_lookup_elem(&xn_neigh6, &t->k.n))
			return XN_STRICT_GARP;
	}
	return XN_STRICT_OK;
}

/* The ND call site (ndisc.h, xn_nd_rx()), before the NS / NA logic: true = drop. */
static __always_inline bool xn_strict_nd(struct xn_stats *s, const struct xn_ifconf *conf,
					 __u32 ifindex, const __u8 *eth_src, const __u32 *saddr,
					 const struct xn_nd_buf *b, __u32 len)
{
	if (!xn_strict_on(conf))
		return false;
	return xn_strict_count(s, xn_strict_nd_check(b, len, ifindex, xn_mac_u64(eth_src),
						     (const struct in6_addr *)saddr));
}

/* ND-NS10 would create an entry for the NS's source, which is one of the
 * receiving interface's (unicast) addresses: a claim of it. Count, report
 * with the claimant's MAC (the SLLAO, else the Ethernet source) and learn
 * nothing. Asked only when the source has no entry, so a known sender costs
 * nothing; an entry for our own address is never created, so every such NS
 * is reported. Our own NS seen again (the claimant is the interface's MAC)
 * is not a conflict. */
static __always_inline bool xn_nd_src_conflict(struct xn_pkt *p, struct xn_stats *s,
					       const struct xn_ifconf *conf, bool configured,
					       const __u32 *saddr, const __u8 *sll)
{
	struct xn_addr6_key k = { .ifindex = p->ifindex };
	struct ethhdr *eth = p->data;
	const struct xn_addr6 *a;
	const __u8 *who = sll;

	__builtin_memcpy(k.addr, saddr, 16);
	a = bpf_map_lookup_elem(&xn_addr6, &k);
	if (!a || (a->flags & XN_ADDR6_ANYCAST))
		return false;
	if (!who) {
		if ((void *)(eth + 1) > p->data_end)
			return false;
		who = eth->h_source;
	}
	if (configured && xn_mac_eq(who, conf->mac))
		return false;
	XN_STAT_INC(s, conflicts);
	xn_event(s, XN_EV_CONFLICT, AF_INET6, p->ifindex, saddr, 0, 0, NULL, who, 0, false);
	return true;
}

#endif /* XN_BPF_STRICT_H */
