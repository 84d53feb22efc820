/* SPDX-License-Identifier: GPL-2.0 */
/* Per-neighbour reachability confirmation from upper layers: what replaced
 * dst_confirm() in 2017 (Linux 4.11, "net: add dst_pending_confirm flag to
 * skbuff"), made stricter. dst_confirm() confirmed the dst, i.e. whichever
 * neighbour the next packet through a route shared by several neighbours
 * went to; since then the kernel confirms the neighbour the confirming
 * packet itself is sent to (sock_confirm_neigh() in ip_finish_output2()).
 *
 * xneigh refreshes `confirmed` (NUD-8.7's field; neigh_confirm()) only on
 * the entry the evidence is about, and only when the frame's link-layer
 * address is the entry's:
 *   - receive (TC ingress: xn_tc_in in --mode tc, xn_tc_confirm beside
 *     xn_xdp in the XDP modes): a TCP segment for one of the host's
 *     sockets that acknowledges new data confirms the neighbour it came
 *     from: the entry of its source address on the receiving interface, or,
 *     for an off-link source, of the gateway of the route back to it; and
 *     only if the frame's source MAC is that entry's (tcp_ack()'s
 *     FLAG_ACKED, which makes the kernel set sk_dst_pending_confirm). A
 *     different source MAC proves nothing about the address the entry holds
 *     (a neighbour that changed its MAC, a forger): counted in
 *     confirm_mismatch, nothing refreshed;
 *   - transmit (TC egress, xn_tc_out): a non-TCP packet the host sends with
 *     MSG_CONFIRM (UDP, raw; ip_append_data() / __ip6_append_data() set the
 *     skb's dst_pending_confirm bit, the kernel's own sign, read here through
 *     bpf_cast_to_kern_ctx()) confirms the entry it is sent to, if the
 *     frame's destination MAC is that entry's. TCP segments carry the same
 *     bit after forward progress; for them the receive side decides.
 *
 * "Acknowledges new data" is decided as tcp_ack() does, cheaply: the
 * segment's ack_seq is after the socket's snd_una (bpf_skc_lookup_tcp(),
 * bpf_skc_to_tcp_sock(); TC ingress runs before TCP has seen the segment).
 * Not counted, unlike the kernel: data newly SACKed without snd_una moving,
 * and duplicate ACKs (tcp_ack() confirms on those too, !FLAG_NOT_DUP) —
 * stricter, never looser. The socket is looked up at most once per entry
 * per XN_CONFIRM_GRAIN (an entry confirmed less than that ago is left
 * alone; the kernel's own grain is a jiffy), so a bulk transfer costs one
 * lookup per neighbour per grain, not per ACK: per segment, the headers are
 * parsed, the entry looked up and its time compared, nothing more (the TCP
 * header itself is read only when the entry is due).
 *
 * Frames: Ethernet with up to two 802.1Q/802.1ad tags (xn_parse_l2(); as
 * everywhere in xneigh the parent interface's entries), IPv4 with options
 * (first fragments only), IPv6 with the extension headers
 * ipv6_skip_exthdr() skips (hop-by-hop, routing, destination options,
 * fragment — first fragments only —, AH), at most XN_CONFIRM_EXT_MAX of them.
 * The TCP header and the extension headers are copied out with
 * bpf_skb_load_bytes(), so they may lie past the linear part of the skb.
 *
 * Stack: the receive side is one global function (xn_confirm_skb(),
 * bpf/xneigh.bpf.c), called from xn_tc_in, whose own frame leaves little of
 * the 512 bytes: everything larger than a few scalars (lookup keys, the
 * bpf_fib_lookup arguments, the socket tuple, copied headers) lives in the
 * per-CPU scratch map. Its loops are unrolled with a fixed bound, so the
 * verifier walks a fixed number of states.
 */
#ifndef XN_BPF_CONFIRM_H
#define XN_BPF_CONFIRM_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_core_read.h>
#include "ctx.h"
#include "eth.h"
#include "neigh.h"

#define XN_CONFIRM_GRAIN	(10ULL * 1000000ULL)	/* ns */

/* 6.2+: the kernel's struct sk_buff behind a TC program's context. Weak: an
 * older kernel loads the object without it (no MSG_CONFIRM evidence). */
extern void *bpf_cast_to_kern_ctx(void *obj) __ksym __weak;

#define XN_TCP_FLAG_ACK		0x10
#define XN_TCP_FLAG_RST		0x04
#define XN_TCP_HLEN		20	/* what is read of the TCP header */

/* IPv6 extension headers (include/net/ipv6.h's NEXTHDR_*; vmlinux.h has no
 * macros) and how many are skipped before giving up. */
#define XN_NEXTHDR_HOP		0
#define XN_NEXTHDR_ROUTING	43
#define XN_NEXTHDR_FRAGMENT	44
#define XN_NEXTHDR_AUTH		51
#define XN_NEXTHDR_DEST		60
#define XN_CONFIRM_EXT_MAX	6

/* The lookups' arguments live in the per-CPU scratch buffer (xn_scratch,
 * free at this point of xn_tc_in: the ND code fills it later), not on the
 * stack: xn_tc_in's own frame leaves little room for a callee. */
struct xn_confirm_scratch {
	struct bpf_fib_lookup fl;
	struct bpf_sock_tuple t;
	struct xn_neigh6_key key6;
	struct xn_neigh4_key key4;
	__u8 hdr[XN_TCP_HLEN];		/* the TCP header, or an extension header's start */
};
_Static_assert(sizeof(struct xn_confirm_scratch) <= XN_ND_MAX_LEN, "xn_scratch too small");

static __always_inline struct xn_confirm_scratch *xn_confirm_scratch(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&xn_scratch, &zero);
}

/* Worth a look: a valid entry not confirmed within the grain (read without
 * the lock: only a filter, xn_confirm_entry() decides under it). `now` is
 * the coarse clock (CLOCK_MONOTONIC_COARSE, up to a tick behind the one
 * `confirmed` is stamped with, and cheaper to read on every segment): an
 * entry is looked at up to a tick later, never earlier. */
static __always_inline bool xn_confirm_due(const struct xn_neigh *n, __u64 now)
{
	return (n->state & XN_NUD_VALID) && n->confirmed + XN_CONFIRM_GRAIN <= now;
}

/* neigh_confirm() on n if it holds `mac`; else count the mismatch. */
static __always_inline void xn_confirm_entry(struct xn_stats *s, struct xn_neigh *n,
					     const __u8 *mac, __u64 now, bool rx)
{
	bool match, valid;

	bpf_spin_lock(&n->lock);
	valid = (n->state & XN_NUD_VALID) && !(n->xflags & XN_NF_DEAD);
	match = valid && xn_mac_eq(n->lladdr, mac);
	if (match && n->confirmed < now)
		n->confirmed = now;
	bpf_spin_unlock(&n->lock);
	if (match && rx)
		XN_STAT_INC(s, confirm_tcp);
	else if (match)
		XN_STAT_INC(s, confirm_sent);
	else if (valid)
		XN_STAT_INC(s, confirm_mismatch);
}

/* Does the segment acknowledge data the socket has not seen acknowledged?
 * tuple as bpf_skc_lookup_tcp() wants it, from the segment's view. */
static __always_inline bool xn_tcp_acks_new_data(struct __sk_buff *skb,
						 struct bpf_sock_tuple *t, __u32 tlen,
						 __be32 ack_seq)
{
	struct bpf_sock *sk;
	struct tcp_sock *tp;
	bool progress = false;

	sk = bpf_skc_lookup_tcp(skb, t, tlen, BPF_F_CURRENT_NETNS, 0);
	if (!sk)
		return false;
	tp = bpf_skc_to_tcp_sock(sk);
	if (tp)
		progress = (__s32)(bpf_ntohl(ack_seq) - tp->snd_una) > 0;
	bpf_sk_release(sk);
	return progress;
}

/* The TCP header at off, if it is an ACK (not a reset): its ack_seq and
 * ports. Copied into sc->hdr: it may be past the linear data. */
static __always_inline bool xn_tcp_ack(struct xn_pkt *p, __u32 off, struct xn_confirm_scratch *sc,
				       __be32 *ack_seq, __be16 *sport, __be16 *dport)
{
	__u8 *th = sc->hdr;

	if (xn_pkt_load(p, off, th, XN_TCP_HLEN))
		return false;
	if ((th[13] & (XN_TCP_FLAG_ACK | XN_TCP_FLAG_RST)) != XN_TCP_FLAG_ACK)
		return false;
	*sport = *(__be16 *)th;
	*dport = *(__be16 *)(th + 2);
	*ack_seq = *(__be32 *)(th + 8);
	return true;
}

/* ipv6_skip_exthdr() for TCP: from the header after the fixed IPv6 header
 * (*off, of type nexthdr) past the extension headers. True when TCP follows
 * at *off; false for anything else, a fragment that is not the first, a
 * chain longer than XN_CONFIRM_EXT_MAX or a truncated one. */
static __always_inline bool xn_ipv6_skip_to_tcp(struct xn_pkt *p, struct xn_confirm_scratch *sc,
						__u32 *off, __u8 nexthdr)
{
	__u8 *h = sc->hdr;
	__u32 o = *off;

#pragma unroll
	for (int i = 0; i < XN_CONFIRM_EXT_MAX; i++) {
		if (nexthdr == IPPROTO_TCP)
			break;
		if (nexthdr != XN_NEXTHDR_HOP && nexthdr != XN_NEXTHDR_ROUTING &&
		    nexthdr != XN_NEXTHDR_DEST && nexthdr != XN_NEXTHDR_FRAGMENT &&
		    nexthdr != XN_NEXTHDR_AUTH)
			return false;	/* ESP, no next header, another protocol */
		if (xn_pkt_load(p, o, h, 4))
			return false;
		if (nexthdr == XN_NEXTHDR_FRAGMENT) {
			/* the offset's 13 bits (units of 8 bytes), then 2
			 * reserved bits and M: TCP's header is only in the first */
			if ((h[2] << 8 | h[3]) & 0xfff8)
				return false;
			o += 8;
		} else if (nexthdr == XN_NEXTHDR_AUTH) {
			o += ((__u32)h[1] + 2) * 4;
		} else {
			o += ((__u32)h[1] + 1) * 8;
		}
		nexthdr = h[0];
	}
	*off = o;
	return nexthdr == IPPROTO_TCP;
}

static __always_inline void xn_confirm_rx4(struct __sk_buff *skb, struct xn_pkt *p,
					   const struct xn_l2 *l2, struct xn_confirm_scratch *sc)
{
	struct ethhdr *eth = p->data;
	struct iphdr *ip = p->data + l2->l3_off;
	struct xn_neigh4_key *key = &sc->key4;
	struct bpf_sock_tuple *t = &sc->t;
	struct xn_neigh *n;
	__be32 ack_seq;
	__u64 now;

	if ((void *)(ip + 1) > p->data_end || (void *)(eth + 1) > p->data_end)
		return;
	/* first fragments and options too: the TCP header follows ihl */
	if (ip->ihl < 5 || ip->protocol != IPPROTO_TCP || (ip->frag_off & bpf_htons(0x1fff)))
		return;
	key->ifindex = p->ifindex;
	key->addr = ip->saddr;
	n = bpf_map_lookup_elem(&xn_neigh4, key);
	if (!n) {
		/* off-link: the neighbour is the gateway back to the source
		 * (route4.h's lookups, with the arguments off the stack) */
		struct bpf_fib_lookup *fl = &sc->fl;
		const struct xn_global *g;
		__u32 zero = 0;
		long rc;

		__builtin_memset(fl, 0, sizeof(*fl));
		fl->family = AF_INET;
		fl->ifindex = p->ifindex;
		fl->ipv4_dst = ip->saddr;
		fl->ipv4_src = ip->daddr;
		rc = bpf_fib_lookup(p->ctx, fl, sizeof(*fl), BPF_FIB_LOOKUP_SKIP_NEIGH);
		if (rc == BPF_FIB_LKUP_RET_FWD_DISABLED) {
			g = bpf_map_lookup_elem(&xn_global, &zero);
			if (!g || !g->fib_ifindex)
				return;
			fl->ifindex = g->fib_ifindex;
			fl->ipv4_dst = ip->saddr;
			rc = bpf_fib_lookup(p->ctx, fl, sizeof(*fl), BPF_FIB_LOOKUP_SKIP_NEIGH);
		}
		if (rc != BPF_FIB_LKUP_RET_SUCCESS || fl->ifindex != p->ifindex ||
		    fl->ipv4_dst == ip->saddr)
			return;
		key->addr = fl->ipv4_dst;
		n = bpf_map_lookup_elem(&xn_neigh4, key);
		if (!n)
			return;
	}
	if (!xn_confirm_due(n, bpf_ktime_get_coarse_ns()))
		return;
	now = bpf_ktime_get_ns();
	__builtin_memset(t, 0, sizeof(*t));
	if (!xn_tcp_ack(p, l2->l3_off + ip->ihl * 4, sc, &ack_seq, &t->ipv4.sport,
			&t->ipv4.dport))
		return;
	t->ipv4.saddr = ip->saddr;
	t->ipv4.daddr = ip->daddr;
	if (!xn_tcp_acks_new_data(skb, t, sizeof(t->ipv4), ack_seq))
		return;
	xn_confirm_entry(xn_stats_get(XN_FAM_ARP), n, eth->h_source, now, true);
}

static __always_inline void xn_confirm_rx6(struct __sk_buff *skb, struct xn_pkt *p,
					   const struct xn_l2 *l2, struct xn_confirm_scratch *sc)
{
	struct ethhdr *eth = p->data;
	struct ipv6hdr *ip6 = p->data + l2->l3_off;
	struct xn_neigh6_key *key = &sc->key6;
	struct bpf_sock_tuple *t = &sc->t;
	__u32 tcp_off = l2->l3_off + sizeof(*ip6);
	struct xn_neigh *n;
	__be32 ack_seq;
	__u64 now;

	if ((void *)(ip6 + 1) > p->data_end || (void *)(eth + 1) > p->data_end)
		return;
	if (ip6->nexthdr != IPPROTO_TCP && !xn_ipv6_skip_to_tcp(p, sc, &tcp_off, ip6->nexthdr))
		return;
	key->ifindex = p->ifindex;
	__builtin_memcpy(key->addr, &ip6->saddr, 16);
	n = bpf_map_lookup_elem(&xn_neigh6, key);
	if (!n) {
		struct bpf_fib_lookup *fl = &sc->fl;
		const struct xn_global *g;
		__u32 zero = 0;
		long rc;

		__builtin_memset(fl, 0, sizeof(*fl));
		fl->family = AF_INET6;
		fl->ifindex = p->ifindex;
		__builtin_memcpy(fl->ipv6_dst, &ip6->saddr, 16);
		__builtin_memcpy(fl->ipv6_src, &ip6->daddr, 16);
		rc = bpf_fib_lookup(p->ctx, fl, sizeof(*fl), BPF_FIB_LOOKUP_SKIP_NEIGH);
		if (rc == BPF_FIB_LKUP_RET_FWD_DISABLED) {
			g = bpf_map_lookup_elem(&xn_global, &zero);
			if (!g || !g->fib6_ifindex)
				return;
			fl->ifindex = g->fib6_ifindex;
			__builtin_memcpy(fl->ipv6_dst, &ip6->saddr, 16);
			rc = bpf_fib_lookup(p->ctx, fl, sizeof(*fl), BPF_FIB_LOOKUP_SKIP_NEIGH);
		}
		if (rc != BPF_FIB_LKUP_RET_SUCCESS || fl->ifindex != p->ifindex)
			return;
		__builtin_memcpy(key->addr, fl->ipv6_dst, 16);
		n = bpf_map_lookup_elem(&xn_neigh6, key);
		if (!n)
			return;
	}
	if (!xn_confirm_due(n, bpf_ktime_get_coarse_ns()))
		return;
	now = bpf_ktime_get_ns();
	__builtin_memset(t, 0, sizeof(*t));
	if (!xn_tcp_ack(p, tcp_off, sc, &ack_seq, &t->ipv6.sport, &t->ipv6.dport))
		return;
	__builtin_memcpy(t->ipv6.saddr, &ip6->saddr, 16);
	__builtin_memcpy(t->ipv6.daddr, &ip6->daddr, 16);
	if (!xn_tcp_acks_new_data(skb, t, sizeof(t->ipv6), ack_seq))
		return;
	xn_confirm_entry(xn_stats_get(XN_FAM_ND), n, eth->h_source, now, true);
}

/* TC ingress: the confirming part of receive. */
static __always_inline void xn_confirm_rx(struct __sk_buff *skb, struct xn_pkt *p,
					  const struct xn_l2 *l2)
{
	struct xn_confirm_scratch *sc = xn_confirm_scratch();

	if (!sc)
		return;
	if (l2->proto == ETH_P_IP)
		xn_confirm_rx4(skb, p, l2, sc);
	else if (l2->proto == ETH_P_IPV6)
		xn_confirm_rx6(skb, p, l2, sc);
}

/* TC egress: the skb carries the kernel's "confirm the neighbour" bit
 * (MSG_CONFIRM, or TCP forward progress). */
static __always_inline bool xn_skb_pending_confirm(void *ctx)
{
	struct sk_buff *kskb;

	if (!bpf_cast_to_kern_ctx)
		return false;
	kskb = bpf_cast_to_kern_ctx(ctx);
	return BPF_CORE_READ_BITFIELD(kskb, dst_pending_confirm);
}

/* MSG_CONFIRM on a non-TCP packet leaving through entry n towards dmac. */
static __always_inline void xn_confirm_tx(struct xn_pkt *p, struct xn_stats *s,
					  struct xn_neigh *n, const __u8 *dmac, __u8 l4proto,
					  __u64 now)
{
	if (l4proto == IPPROTO_TCP || p->xdp || !xn_skb_pending_confirm(p->ctx))
		return;
	xn_confirm_entry(s, n, dmac, now, false);
}

#endif /* XN_BPF_CONFIRM_H */
