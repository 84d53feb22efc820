/* SPDX-License-Identifier: GPL-2.0 */
/* IPv6 Neighbour Discovery receive: the kernel's ndisc_rcv(),
 * ndisc_recv_ns() and ndisc_recv_na() (net/ipv6/ndisc.c), spec §4 (ND-*).
 *
 * Differences from ARP that the kernel has and we keep: strong host (only
 * addresses of the receiving interface are answered, ND-NS3), no locktime,
 * FAILED entries ignore advertisements (ND-NA8).
 *
 * As for ARP, xneigh consumes only the solicitations it answers; everything
 * else, advertisements included, goes on to the kernel untouched. */
#ifndef XN_BPF_NDISC_H
#define XN_BPF_NDISC_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "xneigh/wire.h"
#include "xneigh/nud.h"
#include "ctx.h"
#include "eth.h"
#include "ipv6.h"
#include "maps.h"
#include "stats.h"
#include "events.h"
#include "neigh.h"
#include "conf.h"
#include "strict.h"

#define XN_ND_MAX_OPTS		64

/* Where the options we care about are (offsets from the ND message start). */
struct xn_nd_opts {
	__u16 sll;		/* SLLAO body (the MAC) offset, 0 = absent */
	__u16 tll;		/* TLLAO body offset, 0 = absent */
	__u8 bad_sll;		/* the SLLAO has the wrong size (ND-V6) */
	__u8 bad_tll;		/* the TLLAO has the wrong size (ND-V6) */
	__u8 pad[2];
};

/* What the decision code asks the writer to send (ndisc_send_na()). */
struct xn_na {
	__u32 src[4];		/* IPv6 source */
	__u32 dst[4];		/* IPv6 destination */
	__u32 target[4];
	__u8 dmac[ETH_ALEN];	/* Ethernet destination */
	__u8 flags;		/* XN_NA_F_* */
	__u8 tllao;		/* include a target link-layer address option */
	__u8 tclass;
	__u8 pad[3];
};

/* State of the option walk, shared with the bpf_loop() callback. */
struct xn_nd_walk {
	const struct xn_nd_buf *b;
	__u32 len;
	__u32 off;
	int rc;			/* 0 done, -1 malformed, 1 still walking */
	struct xn_nd_opts o;
};

/* One option. bpf_loop() verifies this once instead of once per possible
 * path through every unrolled iteration. */
static long xn_nd_walk_one(__u64 index, struct xn_nd_walk *w)
{
	const struct xn_nd_buf *b = w->b;
	__u32 off = w->off, len = w->len, l;
	__u8 type;

	if (!b || off >= len || len > XN_ND_MAX_LEN) {
		w->rc = 0;
		return 1;
	}
	if (len - off < 2) {
		w->rc = -1;
		return 1;
	}
	type = b->b[off & (XN_ND_MAX_LEN - 1)];
	l = (__u32)b->b[(off + 1) & (XN_ND_MAX_LEN - 1)] << 3;
	if (l == 0 || len - off < l) {
		w->rc = -1;
		return 1;
	}
	/* __ndisc_opt_addr_data(): exactly 8 bytes on Ethernet; checked only
	 * for the option the message uses (SLLAO in an NS, TLLAO in an NA) */
	if (type == XN_ND_OPT_SLLAO && !w->o.sll) {
		w->o.sll = off + 2;
		if (l != XN_ND_OPT_LL_LEN)
			w->o.bad_sll = 1;
	} else if (type == XN_ND_OPT_TLLAO && !w->o.tll) {
		w->o.tll = off + 2;
		if (l != XN_ND_OPT_LL_LEN)
			w->o.bad_tll = 1;
	}
	w->off = off + l;
	return 0;
}

/* ndisc_parse_options() (ND-V5/V6) over the copied message b[24, len).
 * Returns 0, -1 for a malformed option list (the whole packet is dropped),
 * 1 for more options than we walk (left to the kernel). Only the first
 * SLLAO/TLLAO counts. */
static __always_inline int xn_nd_parse_opts(const struct xn_nd_buf *b, __u32 len,
					    struct xn_nd_opts *o)
{
	struct xn_nd_walk w = { .b = b, .len = len, .off = XN_ND_MSG_LEN, .rc = 1 };

	bpf_loop(XN_ND_MAX_OPTS, xn_nd_walk_one, &w, 0);
	*o = w.o;
	return w.rc;
}

/* One's-complement sum of the copied message, folded to 16 bits (len is a
 * multiple of 4; callers check). A global function, like the above. */
__attribute__((noinline))
__u32 xn_nd_csum_buf(const struct xn_nd_buf *b, __u32 len)
{
	__u64 sum = 0;

	if (!b)
		return 0;
	for (__u32 i = 0; i < XN_ND_MAX_LEN / 4; i++) {
		if (i * 4 >= len)
			break;
		sum += *(const __u32 *)&b->b[(i * 4) & (XN_ND_MAX_LEN - 4)];
	}
	return xn_csum_fold(sum);
}

/* ND-V1: the ICMPv6 checksum over the pseudo header and the message. */
static __always_inline bool xn_nd_csum_ok(const __u32 *saddr, const __u32 *daddr,
					  const struct xn_nd_buf *b, __u32 len)
{
	__u64 sum = xn_csum_pseudo6(saddr, daddr, len);

	sum += xn_nd_csum_buf(b, len);
	return xn_csum_fold(sum) == 0xffff;
}

/* A proxy NDP entry for target on this device or any device; *router gets
 * its NTF_ROUTER flag (pndisc_is_router()). */
static __always_inline bool xn_nd_proxy_entry(__u32 ifindex, const __u32 *target, int *router)
{
	struct xn_proxy6_key k = { .ifindex = ifindex };
	const struct xn_proxy *e;

	__builtin_memcpy(k.addr, target, 16);
	e = bpf_map_lookup_elem(&xn_proxy6, &k);
	if (!e) {
		k.ifindex = 0;
		e = bpf_map_lookup_elem(&xn_proxy6, &k);
	}
	if (!e)
		return false;
	*router = !!(e->flags & XN_NTF_ROUTER);
	return true;
}

/* ND-TX1: source of an NA for an anycast or proxied target:
 * ipv6_dev_get_saddr() towards dst. xneighd precomputes the interface's
 * preferred link-local and global addresses; scope decides (RFC 6724 rule 2). */
static __always_inline bool xn_nd_select_src(const struct xn_ifconf *conf, const __u32 *dst,
					     __u32 *src)
{
	const __u32 *ll = (const __u32 *)conf->src6_ll;
	const __u32 *gl = (const __u32 *)conf->src6_global;

	if (xn_ip6_is_linklocal(dst) || xn_ip6_is_multicast(dst) || xn_ip6_is_zero(gl)) {
		if (xn_ip6_is_zero(ll))
			return false;
		xn_ip6_copy(src, ll);
		return true;
	}
	xn_ip6_copy(src, gl);
	return true;
}

/* ND-NA7: accept_untracked_na() — 2 means the NA's source must be inside an
 * on-link prefix of the receiving interface (ipv6_chk_prefix()). */
static __always_inline bool xn_nd_accept_untracked(const struct xn_ifconf *conf, __u32 ifindex,
						   const __u32 *saddr)
{
	struct xn_prefix6_key k = {};

	switch (conf->accept_untracked_na) {
	case 1:
		return true;
	case 2:
		k.prefixlen = 32 + 128;
		k.ifindex = bpf_htonl(ifindex);
		__builtin_memcpy(k.addr, saddr, 16);
		return bpf_map_lookup_elem(&xn_prefix6, &k) != NULL;
	default:
		return false;
	}
}

static __always_inline __u32 xn_ip6_low24(const __u32 *a)
{
	return a[3] & bpf_htonl(0x00ffffff);
}

/* Would IPv6 input hand this NS to ndisc at all? (ipv6_rcv/ip6_input,
 * verified on 6.18.) Multicast: only groups the interface joined —
 * all-nodes, all-routers when forwarding, and the solicited-node group of
 * the target (which is ours, an anycast address or a proxied one: all join
 * theirs). Unicast: a local address on any interface; or, through
 * ip6_forward()'s proxy check, a proxied address when all.forwarding and
 * all.proxy_ndp are on and the frame was addressed to us. */
static __always_inline bool xn_nd_dst_accepted(const struct xn_ifconf *conf, __u32 ifindex,
					       const __u32 *daddr, const __u32 *target, bool host)
{
	struct xn_addr6_key ak = { .ifindex = ifindex };
	const struct xn_global *g;
	__u32 zero = 0;
	int router;

	if (xn_ip6_is_multicast(daddr)) {
		if (xn_ip6_is_solicited_node(daddr))
			return xn_ip6_low24(daddr) == xn_ip6_low24(target);
		if (daddr[0] != bpf_htonl(0xff020000) || daddr[1] || daddr[2])
			return false;
		if (daddr[3] == bpf_htonl(1))
			return true;			/* ff02::1, all nodes */
		if (daddr[3] == bpf_htonl(2))
			return conf->forwarding6;	/* ff02::2, joined by routers */
		return false;
	}
	__builtin_memcpy(ak.addr, daddr, 16);
	if (bpf_map_lookup_elem(&xn_addr6, &ak))
		return true;
	g = bpf_map_lookup_elem(&xn_global, &zero);
	if (!g || !(g->flags & XN_GF_ADDR6_ANY))
		return true;	/* no any-interface view: do not second-guess */
	ak.ifindex = 0;
	if (bpf_map_lookup_elem(&xn_addr6, &ak))
		return true;
	return host && conf->all_forwarding6 && conf->all_proxy_ndp &&
	       xn_nd_proxy_entry(ifindex, daddr, &router);
}

/* ndisc_recv_ns(). Returns XN_TX with *na filled when an NA must be sent. */
static __always_inline enum xn_verdict xn_nd_ns(struct xn_pkt *p, struct xn_stats *s,
						const struct xn_ifconf *conf, bool configured,
						bool host, const __u32 *saddr, const __u32 *daddr,
						const struct xn_nd_buf *b, __u32 len, struct xn_na *na)
{
	const struct xn_nd_msg *msg = (const void *)b->b;
	struct xn_addr6_key ak = { .ifindex = p->ifindex };
	struct xn_neigh6_key key = { .ifindex = p->ifindex };
	const struct xn_addr6 *ifp;
	struct xn_nd_opts o;
	struct xn_nref nr;
	struct xn_neigh *n;
	struct xn_upd r;
	__u8 sll[ETH_ALEN];
	const __u8 *llp = NULL;
	__u32 target[4];
	bool dad, inc, own = false;
	int is_router = -1, rc;
	__u64 base_ns;
	bool unchanged;

	XN_STAT_INC(s, rx_ns);
	__builtin_memcpy(target, msg->target, 16);
	/* ND-V4 */
	if (xn_ip6_is_multicast(target)) {
		XN_STAT_INC(s, bad_target);
		return XN_PASS;
	}
	dad = xn_ip6_is_zero(saddr);
	inc = xn_ip6_is_multicast(daddr);
	/* ND-NS1: DAD goes to a solicited-node group */
	if (dad && !xn_ip6_is_solicited_node(daddr)) {
		XN_STAT_INC(s, bad_dad);
		return XN_PASS;
	}
	if (!xn_nd_dst_accepted(conf, p->ifindex, daddr, target, host)) {
		XN_STAT_INC(s, not_for_us);
		return XN_PASS;
	}
	rc = xn_nd_parse_opts(b, len, &o);
	if (rc < 0) {
		XN_STAT_INC(s, bad_options);
		return XN_PASS;
	}
	if (rc > 0) {
		XN_STAT_INC(s, nd_deferred);
		return XN_PASS;
	}
	if (o.sll) {
		if (o.bad_sll) {		/* ND-V6 */
			XN_STAT_INC(s, bad_lladdr_opt);
			return XN_PASS;
		}
		if (dad) {			/* ND-NS1: no SLLAO from :: */
			XN_STAT_INC(s, bad_dad);
			return XN_PASS;
		}
		if (o.sll > XN_ND_MAX_LEN - ETH_ALEN)
			return XN_PASS;
		xn_mac_copy(sll, &b->b[o.sll]);
		llp = sll;
	}

	/* ND-NS3: the target among the receiving interface's addresses. */
	__builtin_memcpy(ak.addr, target, 16);
	ifp = bpf_map_lookup_elem(&xn_addr6, &ak);
	if (ifp && !(ifp->flags & XN_ADDR6_ANYCAST)) {
		/* ND-NS4 */
		if (ifp->flags & (XN_ADDR6_TENTATIVE | XN_ADDR6_OPTIMISTIC)) {
			if (dad) {
				/* another node is doing DAD for our tentative
				 * address: the kernel fails ours (it alone
				 * knows its DAD nonce, so it gets the frame) */
				struct ethhdr *eth = p->data;

				XN_STAT_INC(s, dad_conflicts);
				/* a DAD NS has no SLLAO: the claimant is the
				 * frame's Ethernet source */
				xn_event(s, XN_EV_DAD_CONFLICT, AF_INET6, p->ifindex, target, 0, 0,
					 NULL, (void *)(eth + 1) <= p->data_end ? eth->h_source : NULL,
					 0, false);
				return XN_PASS;
			}
			if (!(ifp->flags & XN_ADDR6_OPTIMISTIC))
				return XN_PASS;
		}
		own = true;
	} else if (ifp || (conf->forwarding6 && conf->proxy_ndp &&
			   xn_nd_proxy_entry(p->ifindex, target, &is_router))) {
		/* ND-NS5/NS6: anycast or proxied; multicast NS are answered
		 * after a random delay, which is the kernel's to keep */
		if (!host && inc && conf->proxy_delay6_ms) {
			XN_STAT_INC(s, proxy_deferred);
			return XN_PASS;
		}
	} else {
		XN_STAT_INC(s, not_for_us);
		return XN_PASS;
	}
	/* ND-NS7 */
	if (is_router < 0)
		is_router = conf->forwarding6;
	na->flags = is_router ? XN_NA_F_ROUTER : 0;
	na->tclass = conf->ndisc_tclass;
	xn_ip6_copy(na->target, target);

	if (dad) {
		/* a DAD answer goes to ff02::1, which is link-scoped */
		__u32 all_nodes[4] = { bpf_htonl(0xff020000), 0, 0, bpf_htonl(1) };

		if (!configured)
			return XN_PASS;		/* we do not know our MAC */
		/* ND-TX1: our own address is the source */
		if (own)
			xn_ip6_copy(na->src, target);
		else if (!xn_nd_select_src(conf, all_nodes, na->src))
			return XN_PASS;
		/* ND-NS8: to all-nodes, S=0, O=1 for our own address, TLLAO;
		 * no neighbour entry is touched */
		na->dst[0] = bpf_htonl(0xff020000);
		na->dst[1] = 0;
		na->dst[2] = 0;
		na->dst[3] = bpf_htonl(1);
		__builtin_memcpy(na->dmac, "\x33\x33\x00\x00\x00\x01", ETH_ALEN);
		if (own && !(ifp->flags & XN_ADDR6_OPTIMISTIC))
			na->flags |= XN_NA_F_OVERRIDE;
		na->tllao = 1;
		XN_STAT_INC(s, dad_replies);
		XN_STAT_INC(s, na_sent);
		return XN_TX;
	}

	/* ND-NS9 */
	if (inc)
		XN_STAT_INC(s, rcv_probes_mcast);
	else
		XN_STAT_INC(s, rcv_probes_ucast);

	/* ND-NS10: create only if unicast or with SLLAO; STALE with
	 * WEAK_OVERRIDE|OVERRIDE; IsRouter untouched */
	xn_ip6_copy((__u32 *)key.addr, saddr);
	xn_nref6(&nr, &key);
	base_ns = (__u64)conf->base_reachable6_ms * 1000000ULL;
	n = xn_neigh_lookup(s, &nr);
	if (!n && inc && !llp)
		return XN_PASS;		/* ND-NS11: no entry, no reply */
	if (!n && xn_nd_src_conflict(p, s, conf, configured, saddr, llp))
		return XN_PASS;		/* an NS from one of our addresses (strict.h) */
	/* the steady state: a known sender with the same SLLAO (without one,
	 * the NA's destination is the entry's address: read under the lock) */
	unchanged = n && llp && xn_neigh_solicit_unchanged(n, llp);
	if (unchanged) {
		r.new_state = NUD_STALE;	/* valid: answered below */
		xn_mac_copy(r.new_ll, llp);
	} else if (xn_neigh_upsert(s, n, &nr, llp, NUD_STALE,
				   XN_UPD_WEAK_OVERRIDE | XN_UPD_OVERRIDE, bpf_ktime_get_ns(),
				   base_ns, false, &r)) {
		return XN_PASS;		/* table full: no entry, no reply */
	}
	if (!(r.new_state & XN_NUD_VALID)) {
		/* ND-NS10a: the sender must be resolved before the kernel can
		 * answer; that takes an NS of our own, which is the kernel's */
		XN_STAT_INC(s, nd_deferred);
		return XN_PASS;
	}

	/* the sender is learned; answering needs our MAC and a source */
	if (!configured)
		return XN_PASS;
	if (own)
		xn_ip6_copy(na->src, target);	/* ND-TX1; optimistic -> O=0 below */
	else if (!xn_nd_select_src(conf, saddr, na->src))
		return XN_PASS;

	/* The kernel's NA leaves through the sender's neighbour entry
	 * (ndisc_send_skb -> ip6_finish_output2 -> neigh_output): a STALE
	 * entry moves to DELAY there (NUD-3). Ours leaves by XDP_TX, so do
	 * the same to the entry here. */
	if (!unchanged)
		n = bpf_map_lookup_elem(&xn_neigh6, &key);
	/* NUD-2: through a CONNECTED entry nothing is marked (no lock) */
	if (n && !(unchanged && (xn_neigh_state_once(n) & XN_NUD_CONNECTED)))
		xn_tx_mark(s, n, &nr, r.new_ll, bpf_ktime_get_ns());

	/* ND-NS11: to the sender, S=1, O only for our own address asked by
	 * multicast, TLLAO only for multicast NS (or force_tllao, ND-TX2) */
	xn_ip6_copy(na->dst, saddr);
	xn_mac_copy(na->dmac, r.new_ll);
	na->flags |= XN_NA_F_SOLICITED;
	if (own && inc && !(ifp->flags & XN_ADDR6_OPTIMISTIC))
		na->flags |= XN_NA_F_OVERRIDE;
	na->tllao = inc || (own && conf->force_tllao);
	XN_STAT_INC(s, na_sent);
	return XN_TX;
}

/* ND-NA8/NA10 under the entry lock: FAILED entries ignore advertisements. */
static __always_inline void xn_nd_na_update(struct xn_stats *s, struct xn_neigh *n,
					    const struct xn_nref *nr, const __u8 *tll,
					    __u8 state, __u32 flags, __u64 now, __u64 base_ns)
{
	struct xn_upd r = {};
	bool failed;

	bpf_spin_lock(&n->lock);
	failed = n->state & NUD_FAILED;
	if (!failed)
		xn_neigh_apply(n, tll, state, flags, now, base_ns, &r);
	bpf_spin_unlock(&n->lock);
	if (!failed)
		xn_neigh_report(s, nr, &r, false);
}

/* A multicast group the interface has joined, as far as the maps tell:
 * all-nodes, all-routers on a router, and solicited-node groups (which of
 * those the interface joined is not known here: any is accepted). */
static __always_inline bool xn_nd_group_joined(const struct xn_ifconf *conf, const __u32 *daddr)
{
	if (xn_ip6_is_solicited_node(daddr))
		return true;
	if (daddr[0] != bpf_htonl(0xff020000) || daddr[1] || daddr[2])
		return false;
	return daddr[3] == bpf_htonl(1) || (daddr[3] == bpf_htonl(2) && conf->forwarding6);
}

/* ndisc_recv_na(): learn; never consumes the frame. */
static __always_inline void xn_nd_na(struct xn_pkt *p, struct xn_stats *s,
				     const struct xn_ifconf *conf, bool host, const __u32 *saddr,
				     const __u32 *daddr, const struct xn_nd_buf *b, __u32 len)
{
	const struct xn_nd_msg *msg = (const void *)b->b;
	struct xn_addr6_key ak = { .ifindex = p->ifindex };
	struct xn_neigh6_key key = { .ifindex = p->ifindex };
	const struct xn_addr6 *ifp;
	struct xn_nd_opts o;
	struct xn_nref nr;
	struct xn_neigh *n;
	struct xn_upd r;
	__u8 tll[ETH_ALEN];
	const __u8 *llp = NULL;
	__u32 target[4];
	__u32 upd;
	__u8 state, nflags;
	bool own_proxy;
	int rc, router;
	__u64 now, base_ns;

	XN_STAT_INC(s, rx_na);
	__builtin_memcpy(target, msg->target, 16);
	nflags = msg->flags;
	if (xn_ip6_is_multicast(target)) {		/* ND-NA1 */
		XN_STAT_INC(s, bad_target);
		return;
	}
	if (xn_ip6_is_multicast(daddr) && (nflags & XN_NA_F_SOLICITED)) {	/* ND-NA2 */
		XN_STAT_INC(s, na_mcast_solicited);
		return;
	}
	/* ip6 input delivers a unicast NA only to one of our addresses, or
	 * through ip6_forward()'s proxy check to a proxied one, and a multicast
	 * one only for a group the interface joined; any other is forwarded or
	 * dropped, never seen by ndisc_recv_na() */
	if (xn_ip6_is_multicast(daddr) ? !xn_nd_group_joined(conf, daddr) :
					 !xn_nd_dst_accepted(conf, p->ifindex, daddr, target, host)) {
		XN_STAT_INC(s, not_for_us);
		return;
	}
	if (!(nflags & XN_NA_F_SOLICITED) && conf->drop_unsolicited_na) {	/* ND-NA3 */
		XN_STAT_INC(s, unsolicited_dropped);
		return;
	}
	rc = xn_nd_parse_opts(b, len, &o);	/* ND-NA4 */
	if (rc < 0) {
		XN_STAT_INC(s, bad_options);
		return;
	}
	if (rc > 0) {
		XN_STAT_INC(s, nd_deferred);
		return;
	}
	if (o.tll) {
		if (o.bad_tll) {
			XN_STAT_INC(s, bad_lladdr_opt);
			return;
		}
		if (o.tll > XN_ND_MAX_LEN - ETH_ALEN)
			return;
		xn_mac_copy(tll, &b->b[o.tll]);
		llp = tll;
	}

	/* ND-NA5: an advertisement for one of our addresses is a conflict
	 * (DAD failure while tentative, which the kernel acts on) */
	__builtin_memcpy(ak.addr, target, 16);
	ifp = bpf_map_lookup_elem(&xn_addr6, &ak);
	if (ifp && !(ifp->flags & XN_ADDR6_ANYCAST)) {
		if (ifp->flags & XN_ADDR6_TENTATIVE) {
			XN_STAT_INC(s, dad_conflicts);
			xn_event(s, XN_EV_DAD_CONFLICT, AF_INET6, p->ifindex, target, 0, 0, NULL,
				 llp, 0, false);
		} else {
			XN_STAT_INC(s, conflicts);
			xn_event(s, XN_EV_CONFLICT, AF_INET6, p->ifindex, target, 0, 0, NULL,
				 llp, 0, false);
		}
		return;
	}

	__builtin_memcpy(key.addr, target, 16);
	xn_nref6(&nr, &key);
	now = bpf_ktime_get_ns();
	base_ns = (__u64)conf->base_reachable6_ms * 1000000ULL;
	n = xn_neigh_lookup(s, &nr);		/* ND-NA6 */
	state = (nflags & XN_NA_F_SOLICITED) ? NUD_REACHABLE : NUD_STALE;
	upd = XN_UPD_WEAK_OVERRIDE | XN_UPD_OVERRIDE_ISROUTER |
	      ((nflags & XN_NA_F_OVERRIDE) ? XN_UPD_OVERRIDE : 0) |
	      ((nflags & XN_NA_F_ROUTER) ? XN_UPD_ISROUTER : 0);
	/* ND-NA9: our own proxy NA, seen again */
	own_proxy = llp && xn_mac_eq(llp, conf->mac) && conf->all_forwarding6 &&
		    conf->all_proxy_ndp && xn_nd_proxy_entry(p->ifindex, target, &router);
	if (!n) {
		/* ND-NA7 (RFC 9131): untracked NAs create STALE entries only
		 * on forwarding interfaces, by accept_untracked_na */
		if (!llp || !conf->forwarding6 ||
		    !xn_nd_accept_untracked(conf, p->ifindex, saddr)) {
			XN_STAT_INC(s, untracked_ignored);
			return;
		}
		/* the kernel creates the entry before the ND-NA9 test, so our
		 * own proxy NA leaves a NONE entry behind */
		rc = xn_neigh_create(s, &nr, own_proxy ? NULL : llp,
				     own_proxy ? NUD_NONE : NUD_STALE, own_proxy ? 0 : upd,
				     now, base_ns, XN_NF_CREATED_BY_DP, &r, false);
		if (rc != -EEXIST)
			return;
		n = bpf_map_lookup_elem(&xn_neigh6, &key);
		if (!n)
			return;
	}
	if (own_proxy)
		return;
	xn_nd_na_update(s, n, &nr, llp, state, upd, now, base_ns);	/* ND-NA10 */
}

/* ndisc_rcv(): common validation, then NS or NA. *na_out is filled when the
 * frame must be turned into an advertisement. */
static __always_inline enum xn_verdict xn_nd_rx(struct xn_pkt *p, const struct xn_l2 *l2,
						struct xn_na *na, const struct xn_ifconf **conf_out)
{
	struct ethhdr *eth = p->data;
	struct ipv6hdr *ip6 = p->data + l2->l3_off;
	struct xn_nd_msg *msg;
	struct xn_stats *s;
	const struct xn_ifconf *conf;
	struct xn_nd_buf *b;
	__u32 saddr[4], daddr[4];
	__u32 ifindex = p->ifindex, zero = 0;
	__u32 msg_off = l2->l3_off + sizeof(*ip6);
	__u32 len;
	__u64 n;
	__u8 hop_limit;
	bool configured, host;

	if ((void *)(ip6 + 1) > p->data_end || (void *)(eth + 1) > p->data_end)
		return XN_PASS;
	/* ipv6_rcv() drops any other IP version */
	if ((*(__u8 *)ip6 >> 4) != 6 || ip6->nexthdr != XN_IPPROTO_ICMPV6)
		return XN_PASS;
	msg = (void *)(ip6 + 1);
	if ((void *)&msg->flags > p->data_end)
		return XN_PASS;
	if (msg->type != XN_ND_NS && msg->type != XN_ND_NA)
		return XN_PASS;

	s = xn_stats_get(XN_FAM_ND);
	conf = xn_ifconf_get(xn_snap_get(), ifindex);
	configured = conf && (conf->flags & XN_IFF_CONFIGURED);
	if (!configured) {
		XN_STAT_INC(s, no_ifconf);
		conf = &xn_default_ifconf;
	}
	*conf_out = conf;
	host = configured && xn_mac_eq(eth->h_dest, conf->mac);
	if (configured && !host && !xn_mac_is_multicast(eth->h_dest)) {
		XN_STAT_INC(s, otherhost);
		return XN_PASS;
	}
	if (configured && !(conf->flags & XN_IFF_IPV6))
		return XN_PASS;

	len = bpf_ntohs(ip6->payload_len);
	if (len == 0 || msg_off + len > p->len || len > XN_ND_MAX_LEN) {
		/* truncated, or longer than we check: the kernel decides */
		XN_STAT_INC(s, bad_length);
		return XN_PASS;
	}
	/* ipv6_rcv() (ip6_rcv_core()) never accepts a multicast or loopback
	 * source, a loopback destination, or a multicast destination of scope
	 * 0 (reserved) or 1 (interface-local) from the wire */
	xn_ip6_copy(saddr, ip6->saddr.in6_u.u6_addr32);
	xn_ip6_copy(daddr, ip6->daddr.in6_u.u6_addr32);
	if (xn_ip6_is_multicast(saddr) || xn_ip6_is_loopback(saddr) || xn_ip6_is_loopback(daddr) ||
	    (xn_ip6_is_multicast(daddr) && (((const __u8 *)daddr)[1] & 0x0f) <= 1)) {
		XN_STAT_INC(s, bad_source);
		return XN_PASS;
	}
	hop_limit = ip6->hop_limit;
	b = bpf_map_lookup_elem(&xn_scratch, &zero);
	if (!b)
		return XN_PASS;
	/* re-check the bounds next to the helper call (the verifier does not
	 * carry the earlier check through the spills in between) */
	n = len;
	asm volatile("" : "+r"(n));
	if (n < 1 || n > XN_ND_MAX_LEN || xn_pkt_load(p, msg_off, b->b, n))
		return XN_PASS;
	/* ND-V1: checksum (icmpv6_rcv) — only whole 32-bit words can be
	 * valid ND; anything else fails option parsing below */
	if (!(len & 3) && !xn_nd_csum_ok(saddr, daddr, b, len)) {
		XN_STAT_INC(s, bad_csum);
		return XN_PASS;
	}
	/* ND-V2 */
	if (hop_limit != 255) {
		XN_STAT_INC(s, bad_hoplimit);
		return XN_PASS;
	}
	if (b->b[1] != 0) {
		XN_STAT_INC(s, bad_code);
		return XN_PASS;
	}
	/* ND-V3 */
	if (len < XN_ND_MSG_LEN) {
		XN_STAT_INC(s, bad_length);
		return XN_PASS;
	}
	if (xn_strict_nd(s, conf, ifindex, eth->h_source, saddr, b, len))
		return XN_DROP;		/* --strict (strict.h) */
	if (b->b[0] == XN_ND_NS)
		return xn_nd_ns(p, s, conf, configured, host, saddr, daddr, b, len, na);
	xn_nd_na(p, s, conf, host, saddr, daddr, b, len);
	return XN_PASS;
}

/* Write the advertisement over the frame, whose length the entry point has
 * already set to l3_off + 40 + 24 (+ 8 with a TLLAO). */
static __always_inline int xn_nd_write_na(void *data, void *data_end, __u32 l3_off,
					  const __u8 *our_mac, const struct xn_na *na)
{
	struct ethhdr *eth = data;
	struct ipv6hdr *ip6 = data + (l3_off & 0xff);
	struct xn_nd_msg *msg = (void *)(ip6 + 1);
	__u8 *opt = (void *)(msg + 1);
	__u32 len = XN_ND_MSG_LEN + (na->tllao ? XN_ND_OPT_LL_LEN : 0);
	__u32 *w;
	__u64 sum;

	if ((void *)(eth + 1) > data_end || (void *)(msg + 1) > data_end)
		return -1;
	if (na->tllao && (void *)(opt + XN_ND_OPT_LL_LEN) > data_end)
		return -1;
	xn_mac_copy(eth->h_dest, na->dmac);
	xn_mac_copy(eth->h_source, our_mac);
	/* ip6_nd_hdr(): version 6, ndisc_tclass, no flow label, hop limit 255 */
	w = (__u32 *)ip6;
	w[0] = bpf_htonl(0x60000000 | ((__u32)na->tclass << 20));
	ip6->payload_len = bpf_htons(len);
	ip6->nexthdr = XN_IPPROTO_ICMPV6;
	ip6->hop_limit = 255;
	xn_ip6_copy(ip6->saddr.in6_u.u6_addr32, na->src);
	xn_ip6_copy(ip6->daddr.in6_u.u6_addr32, na->dst);
	msg->type = XN_ND_NA;
	msg->code = 0;
	msg->csum = 0;
	msg->flags = na->flags;
	msg->reserved[0] = 0;
	msg->reserved[1] = 0;
	msg->reserved[2] = 0;
	xn_ip6_copy((__u32 *)msg->target, na->target);
	if (na->tllao) {
		opt[0] = XN_ND_OPT_TLLAO;
		opt[1] = 1;
		xn_mac_copy(opt + 2, our_mac);
	}
	/* checksum from what we wrote, not by re-reading the packet */
	sum = xn_csum_pseudo6(na->src, na->dst, len);
	sum += bpf_htonl((XN_ND_NA << 24)) + bpf_htonl((__u32)na->flags << 24);
	sum = xn_csum_add_ip6(sum, na->target);
	if (na->tllao) {
		sum += *(__u32 *)opt;
		sum += *(__u32 *)(opt + 4);
	}
	msg->csum = ~xn_csum_fold(sum);
	return 0;
}

#endif /* XN_BPF_NDISC_H */
