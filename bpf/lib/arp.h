/* SPDX-License-Identifier: GPL-2.0 */
/* ARP receive: the kernel's arp_rcv() + arp_process() (net/ipv4/arp.c),
 * rule by rule (spec §2: ARP-V*, ARP-D*, ARP-R*, ARP-P*, ARP-U*).
 *
 * The one deliberate difference in *where* things happen: the kernel consumes
 * every ARP frame; xneigh consumes only the requests it answers (XDP_TX) and
 * hands everything else on untouched, so the kernel and other programs keep
 * seeing replies, gratuitous ARPs and whatever xneigh declines. */
#ifndef XN_BPF_ARP_H
#define XN_BPF_ARP_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "xneigh/wire.h"
#include "xneigh/nud.h"
#include "ctx.h"
#include "eth.h"
#include "maps.h"
#include "stats.h"
#include "events.h"
#include "neigh.h"
#include "addr4.h"
#include "route4.h"
#include "conf.h"
#include "strict.h"

/* ARP over Ethernet carrying IPv4 (the kernel's struct arphdr stops at
 * ar_op). Fields after ar_op are only 2-byte aligned; x86 and arm64 load
 * them unaligned without a penalty the verifier cares about. */
struct xn_arp {
	__be16 ar_hrd;
	__be16 ar_pro;
	__u8 ar_hln;
	__u8 ar_pln;
	__be16 ar_op;
	__u8 ar_sha[ETH_ALEN];
	__u8 ar_sip[4];
	__u8 ar_tha[ETH_ALEN];
	__u8 ar_tip[4];
};
_Static_assert(sizeof(struct xn_arp) == XN_ARP_ETH_IP4_LEN, "ARP body is 28 bytes");

static __always_inline __be32 xn_load32(const __u8 *p)
{
	return *(const __be32 *)p;
}

static __always_inline void xn_store32(__u8 *p, __be32 v)
{
	*(__be32 *)p = v;
}

/* Turn the request into the reply in place (ARP-R5 / ARP-D1 / ARP-P4):
 * Ethernet dst = requester's sha, src = our MAC; op 2; sha = our MAC,
 * spa = tip, tha = requester's sha, tpa = sip (0 for DAD). The kernel's
 * arp_create() writes ar_hrd = dev->type, so a request with hrd 6 (IEEE 802)
 * is answered with hrd 1. */
static __always_inline void xn_arp_make_reply(struct ethhdr *eth, struct xn_arp *arp,
					      const __u8 *our_mac, __be32 sip, __be32 tip)
{
	__u8 sha[ETH_ALEN];

	xn_mac_copy(sha, arp->ar_sha);
	xn_mac_copy(eth->h_dest, sha);
	xn_mac_copy(eth->h_source, our_mac);
	arp->ar_hrd = bpf_htons(ARPHRD_ETHER);
	arp->ar_op = bpf_htons(ARPOP_REPLY);
	xn_mac_copy(arp->ar_tha, sha);
	xn_store32(arp->ar_tip, sip);
	xn_mac_copy(arp->ar_sha, our_mac);
	xn_store32(arp->ar_sip, tip);
}

/* ARP-U5: the learning update for an existing entry, with the locktime test
 * done under the entry lock against the entry's own `updated`. */
static __always_inline void xn_arp_learn_update(struct xn_stats *s, struct xn_neigh *n,
						const struct xn_nref *nr, const __u8 *sha,
						__u8 state, bool is_garp, __u64 now,
						__u64 locktime_ns, __u64 base_ns)
{
	struct xn_upd r;
	bool override;

	bpf_spin_lock(&n->lock);
	/* time_after(jiffies, updated + locktime) || is_garp */
	override = is_garp || (__s64)(now - (n->updated + locktime_ns)) > 0;
	xn_neigh_apply(n, sha, state, override ? XN_UPD_OVERRIDE : 0, now, base_ns, &r);
	bpf_spin_unlock(&n->lock);
	if (r.refused_override)
		XN_STAT_INC(s, locktime_refused);
	xn_neigh_report(s, nr, &r, false);
}

enum xn_arp_route {
	XN_ARPRT_FAIL = 0,	/* ip_route_input_noref() fails: no reply, learn (ARP-R1) */
	XN_ARPRT_LOCAL,		/* RTN_LOCAL: the reply decision (ARP-R2) */
	XN_ARPRT_UNICAST,	/* forwarded route: proxy candidates (ARP-P1) */
	XN_ARPRT_DEFER,		/* needs a lookup we cannot make here */
};

/* ARP-R1: what ip_route_input_noref(skb, tip, sip, 0, dev) decides for an
 * ARP request (ip_route_input_slow() in net/ipv4/route.c): the martian
 * checks, the local table, fib_validate_source() (a source that is one of our
 * own addresses is martian; rp_filter), forwarding, and ARP-P2. Policy rules
 * ordered before the local table are not evaluated (see README). */
static __always_inline int xn_arp_input_route(struct xn_pkt *p, const struct xn_snapshot *snap,
					      const struct xn_ifconf *conf,
					      __be32 sip, __be32 tip, bool sip_is_local,
					      bool sip_bcast, const struct xn_local4 **tip_local,
					      int *tip_type, __u32 *oif)
{
	int type, res;
	__u32 rev_oif = 0;

	/* The address type first (it only tells the counters whether the
	 * request was for us); the martian checks below fail either way. */
	type = xn_addr_type(snap, tip, tip_local);
	*tip_type = type;
	if (ipv4_is_multicast(sip) || ipv4_is_lbcast(sip))
		return XN_ARPRT_FAIL;
	/* limited broadcast goes to brd_input, which refuses non-IP skbs */
	if (ipv4_is_lbcast(tip))
		return XN_ARPRT_FAIL;
	if (ipv4_is_zeronet(sip) || ipv4_is_zeronet(tip))
		return XN_ARPRT_FAIL;
	if (ipv4_is_loopback(tip)) {
		if (!conf->route_localnet)
			return XN_ARPRT_FAIL;
	} else if (ipv4_is_loopback(sip) && !conf->route_localnet) {
		return XN_ARPRT_FAIL;
	}

	if (type == XN_RTN_BROADCAST)
		return XN_ARPRT_FAIL;	/* brd_input: not ETH_P_IP -> -EINVAL */
	if (type != XN_RTN_LOCAL) {
		/* forwarding path: -EHOSTUNREACH without forwarding */
		if (!conf->forwarding)
			return XN_ARPRT_FAIL;
		res = xn_fib4(p->ctx, p->ifindex, tip, sip, oif, NULL);
		if (res != XN_ROUTE_OK)
			return XN_ARPRT_FAIL;
		/* ARP-P2 (__mkroute_input): same-device routes only with pvlan */
		if (*oif == p->ifindex && !conf->proxy_arp_pvlan)
			return XN_ARPRT_FAIL;
	}

	/* fib_validate_source(): our own address as source is martian */
	if (sip_is_local)
		return XN_ARPRT_FAIL;
	/* ... and reverse-path filtering when rp_filter is on (1 strict, 2 loose).
	 * The reverse lookup of a broadcast source hits the local table's
	 * broadcast route, which is not RTN_UNICAST: -EINVAL */
	if (conf->rp_filter > 0 && sip_bcast)
		return XN_ARPRT_FAIL;
	if (conf->rp_filter > 0) {
		res = xn_route4_reverse(p->ctx, p->ifindex, sip, tip, &rev_oif);
		if (res == XN_ROUTE_UNKNOWN)
			return XN_ARPRT_DEFER;
		if (res != XN_ROUTE_OK)
			return XN_ARPRT_FAIL;
		if (conf->rp_filter == 1 && rev_oif != p->ifindex)
			return XN_ARPRT_FAIL;
	}
	return type == XN_RTN_LOCAL ? XN_ARPRT_LOCAL : XN_ARPRT_UNICAST;
}

/* ARP-P1 (a): arp_fwd_proxy()'s medium_id rule for the output device. */
static __always_inline bool xn_arp_medium_ok(const struct xn_snapshot *snap,
					     const struct xn_ifconf *conf, __u32 oif)
{
	const struct xn_ifconf *out;
	__s32 imi = conf->medium_id, omi = -1;

	if (imi == 0)
		return true;
	if (imi == -1)
		return false;
	out = xn_ifconf_get(snap, oif);
	if (out && (out->flags & XN_IFF_IPV4))
		omi = out->medium_id;
	return omi != imi && omi != -1;
}

/* ARP-P1 (c): a proxy entry for tip on this device or on any device. */
static __always_inline bool xn_arp_proxy_entry(__u32 ifindex, __be32 tip)
{
	struct xn_proxy4_key k = { .ifindex = ifindex, .addr = tip };

	if (bpf_map_lookup_elem(&xn_proxy4, &k))
		return true;
	k.ifindex = 0;
	return bpf_map_lookup_elem(&xn_proxy4, &k) != NULL;
}

/* The sender's entry would be keyed by a broadcast address of the local
 * table (NUD-12). sip_local is the xn_local4 entry of sip, if any. */
static __always_inline bool xn_addr_is_bcast(const struct xn_local4 *sip_local)
{
	return sip_local && sip_local->type == XN_RTN_BROADCAST;
}

/* A frame whose sender address is one of ours comes from another host
 * unless its MAC is that of the receiving interface or of the interface the
 * address lives on (our own announcement seen on a second port). */
static __always_inline bool xn_arp_is_conflict(const struct xn_snapshot *snap,
					       const struct xn_ifconf *conf, bool configured,
					       const struct xn_local4 *sip_local, const __u8 *sha)
{
	const struct xn_ifconf *owner;
	__u32 oif = sip_local->ifindex;

	if (configured && xn_mac_eq(sha, conf->mac))
		return false;
	owner = xn_ifconf_get(snap, oif);
	if (owner && (owner->flags & XN_IFF_CONFIGURED) && xn_mac_eq(sha, owner->mac))
		return false;
	return true;
}

/* arp_process(). Returns XN_TX with *reply_len set when the frame has been
 * rewritten into a reply, XN_PASS otherwise. */
static __always_inline enum xn_verdict xn_arp_rx(struct xn_pkt *p, const struct xn_l2 *l2,
						 __u32 *reply_len)
{
	struct xn_stats *s = xn_stats_get(XN_FAM_ARP);
	const struct xn_snapshot *snap = xn_snap_get();
	struct ethhdr *eth = p->data;
	struct xn_arp *arp;
	const struct xn_ifconf *conf;
	const struct xn_local4 *tip_local = NULL, *sip_local = NULL;
	struct xn_neigh4_key key = {};
	struct xn_nref nr;
	struct xn_neigh *n;
	struct xn_upd r;
	__u32 ifindex = p->ifindex, oif = 0;
	__u64 now, base_ns, locktime_ns;
	__be32 sip, tip;
	__u16 op, hrd;
	bool configured, host, accept, is_garp, sip_is_local;
	int sip_type, tip_type = -1, rt, err;
	__u8 state;

	XN_STAT_INC(s, rx_arp);
	conf = xn_ifconf_get(snap, ifindex);
	configured = conf && (conf->flags & XN_IFF_CONFIGURED);
	if (!configured) {
		/* learn and count with the kernel's defaults; never answer,
		 * since we do not know our own MAC */
		XN_STAT_INC(s, no_ifconf);
		conf = &xn_default_ifconf;
	}

	/* ARP-V1 (arp_rcv): NOARP devices and frames for another host are
	 * consumed by the kernel without a trace. */
	if (conf->flags & XN_IFF_NOARP)
		return XN_PASS;
	if ((void *)(eth + 1) > p->data_end)
		return XN_PASS;
	host = configured && xn_mac_eq(eth->h_dest, conf->mac);
	if (configured && !host && !xn_mac_is_multicast(eth->h_dest)) {
		XN_STAT_INC(s, otherhost);
		return XN_PASS;
	}

	/* ARP-V2 (arp_rcv): header plus two MACs and two IPv4 addresses. */
	arp = p->data + l2->l3_off;
	if ((void *)(arp + 1) > p->data_end) {
		XN_STAT_INC(s, bad_length);
		return XN_PASS;
	}
	if (arp->ar_hln != ETH_ALEN) {
		XN_STAT_INC(s, bad_hln);
		return XN_PASS;
	}
	if (arp->ar_pln != 4) {
		XN_STAT_INC(s, bad_pln);
		return XN_PASS;
	}
	/* ARP-V3 (arp_process): no IPv4 state on the device. */
	if (configured && !(conf->flags & XN_IFF_IPV4))
		return XN_PASS;
	/* ARP-V4: Ethernet devices accept hrd 1 (Ethernet) or 6 (IEEE 802). */
	hrd = bpf_ntohs(arp->ar_hrd);
	if (hrd != ARPHRD_ETHER && hrd != ARPHRD_IEEE802) {
		XN_STAT_INC(s, bad_hrd);
		return XN_PASS;
	}
	if (arp->ar_pro != bpf_htons(ETH_P_IP)) {
		XN_STAT_INC(s, bad_pro);
		return XN_PASS;
	}
	op = bpf_ntohs(arp->ar_op);
	if (op != ARPOP_REQUEST && op != ARPOP_REPLY) {
		XN_STAT_INC(s, bad_op);
		return XN_PASS;
	}
	if (op == ARPOP_REQUEST)
		XN_STAT_INC(s, rx_requests);
	else
		XN_STAT_INC(s, rx_replies);

	sip = xn_load32(arp->ar_sip);
	tip = xn_load32(arp->ar_tip);

	/* ARP-V5: multicast targets, and 127/8 without route_localnet. */
	if (ipv4_is_multicast(tip) || (!conf->route_localnet && ipv4_is_loopback(tip))) {
		XN_STAT_INC(s, bad_target);
		return XN_PASS;
	}
	/* ARP-V6: drop_gratuitous_arp, before any other decision. */
	if (sip == tip) {
		XN_STAT_INC(s, gratuitous_seen);
		if (conf->drop_gratuitous_arp) {
			XN_STAT_INC(s, gratuitous_dropped);
			return XN_PASS;
		}
	}

	base_ns = (__u64)conf->base_reachable_ms * 1000000ULL;
	locktime_ns = (__u64)conf->locktime_ms * 1000000ULL;

	/* Someone else claims one of our addresses: tell user space. (The
	 * kernel has no such event; the learning below still follows the
	 * kernel, which never learns our own address.) */
	sip_is_local = false;
	if (sip) {
		sip_local = xn_local4_get(snap, sip);
		sip_is_local = sip_local && sip_local->type == XN_RTN_LOCAL;
		if (sip_is_local && xn_arp_is_conflict(snap, conf, configured, sip_local, arp->ar_sha)) {
			XN_STAT_INC(s, conflicts);
			xn_event(s, XN_EV_CONFLICT, AF_INET, ifindex, &sip, 0, 0, NULL, arp->ar_sha, 0,
				 false);
		}
	}
	if (xn_strict_arp(s, conf, ifindex, eth->h_source, arp->ar_sha, sip, tip, sip_is_local))
		return XN_DROP;		/* --strict (strict.h) */

	/* ARP-D1..D3: duplicate address detection probes (sip 0). */
	if (sip == 0) {
		if (op == ARPOP_REQUEST && xn_addr_type(snap, tip, &tip_local) == XN_RTN_LOCAL) {
			if (xn_arp_ignore(conf, ifindex, 0, tip, tip_local)) {
				XN_STAT_INC(s, ignored_arp_ignore);
				return XN_PASS;
			}
			if (!configured)
				return XN_PASS;
			/* ARP-D2: no arp_filter; ARP-D3: nothing learned */
			xn_arp_make_reply(eth, arp, conf->mac, 0, tip);
			XN_STAT_INC(s, dad_replies);
			XN_STAT_INC(s, replies_sent);
			*reply_len = l2->l3_off + sizeof(*arp);
			return XN_TX;
		}
		return XN_PASS;
	}

	key.ifindex = ifindex;
	key.addr = sip;
	xn_nref4(&nr, &key);

	if (op == ARPOP_REQUEST) {
		rt = xn_arp_input_route(p, snap, conf, sip, tip, sip_is_local, xn_addr_is_bcast(sip_local),
					&tip_local, &tip_type, &oif);
		if (rt == XN_ARPRT_DEFER) {
			XN_STAT_INC(s, filter_deferred);
			return XN_PASS;
		}
		if (rt == XN_ARPRT_LOCAL) {
			/* ARP-R2/R3: arp_ignore, then arp_filter */
			if (xn_arp_ignore(conf, ifindex, sip, tip, tip_local)) {
				XN_STAT_INC(s, ignored_arp_ignore);
				return XN_PASS;	/* ARP-R6: nothing learned */
			}
			if (conf->arp_filter) {
				/* ARP-R4: arp_filter(): the route back to sip
				 * must leave through the receiving device; for a
				 * broadcast sip that is the local table's
				 * broadcast route, on the device that owns it */
				if (xn_addr_is_bcast(sip_local)) {
					oif = sip_local->ifindex;
					err = XN_ROUTE_OK;
				} else {
					err = xn_route4_reverse(p->ctx, ifindex, sip, tip, &oif);
				}
				if (err == XN_ROUTE_UNKNOWN) {
					XN_STAT_INC(s, filter_deferred);
					return XN_PASS;
				}
				if (err != XN_ROUTE_OK || oif != ifindex) {
					XN_STAT_INC(s, filtered_arp_filter);
					return XN_PASS;	/* ARP-R6 */
				}
			}
			/* ARP-R5: neigh_event_ns() first; no entry, no reply (O-6) */
			n = xn_neigh_lookup(s, &nr);
			if ((!n || !xn_neigh_solicit_unchanged(n, arp->ar_sha)) &&
			    xn_neigh_upsert(s, n, &nr, arp->ar_sha, NUD_STALE, XN_UPD_OVERRIDE,
					    bpf_ktime_get_ns(), base_ns, xn_addr_is_bcast(sip_local),
					    &r))
				return XN_PASS;
			if (!configured)
				return XN_PASS;
			xn_arp_make_reply(eth, arp, conf->mac, sip, tip);
			XN_STAT_INC(s, replies_sent);
			*reply_len = l2->l3_off + sizeof(*arp);
			return XN_TX;
		}
		if (rt == XN_ARPRT_UNICAST) {
			/* ARP-P1: proxy ARP (forwarding already checked) */
			bool proxy = false;

			if (oif != ifindex && conf->proxy_arp && xn_arp_medium_ok(snap, conf, oif))
				proxy = true;		/* arp_fwd_proxy() */
			else if (oif == ifindex && sip != tip && conf->proxy_arp_pvlan)
				proxy = true;		/* arp_fwd_pvlan() */
			else if (oif != ifindex && xn_arp_proxy_entry(ifindex, tip))
				proxy = true;		/* pneigh_lookup() */
			if (proxy) {
				/* ARP-P3: learn the sender whatever arp_accept
				 * says; a full table does not stop the reply */
				n = xn_neigh_lookup(s, &nr);
				if (!n || !xn_neigh_solicit_unchanged(n, arp->ar_sha))
					xn_neigh_upsert(s, n, &nr, arp->ar_sha, NUD_STALE,
							XN_UPD_OVERRIDE, bpf_ktime_get_ns(), base_ns,
							xn_addr_is_bcast(sip_local), &r);
				/* ARP-P5: unicast to us or proxy_delay 0 -> now;
				 * otherwise the kernel queues it for a random
				 * delay: leave it to the kernel */
				if (!configured)
					return XN_PASS;
				if (!host && conf->proxy_delay_ms) {
					XN_STAT_INC(s, proxy_deferred);
					return XN_PASS;
				}
				xn_arp_make_reply(eth, arp, conf->mac, sip, tip);
				XN_STAT_INC(s, proxied);
				XN_STAT_INC(s, replies_sent);
				*reply_len = l2->l3_off + sizeof(*arp);
				return XN_TX;	/* ARP-P6: no learning step */
			}
			XN_STAT_INC(s, not_for_us);
		} else if (tip_type == XN_RTN_LOCAL) {
			XN_STAT_INC(s, route_rejected);
		} else {
			XN_STAT_INC(s, not_for_us);
		}
	}

	/* §2.5 learning: replies, and requests not answered above. */
	now = bpf_ktime_get_ns();
	n = xn_neigh_lookup(s, &nr);		/* ARP-U1 */
	accept = xn_arp_accept(conf, ifindex, sip);	/* ARP-U2 */
	is_garp = false;
	sip_type = -1;
	if (n || accept) {
		/* ARP-U3: arp_is_garp() */
		is_garp = sip == tip;
		if (is_garp && op == ARPOP_REPLY)
			is_garp = xn_mac_eq(arp->ar_tha, arp->ar_sha);
		if (is_garp) {
			sip_type = xn_addr_type(snap, sip, NULL);
			if (sip_type != XN_RTN_UNICAST)
				is_garp = false;
		}
	}
	/* ARP-U5: REACHABLE only for a reply unicast to us */
	state = (op == ARPOP_REPLY && host) ? NUD_REACHABLE : NUD_STALE;
	if (!n) {
		/* ARP-U4: create only with arp_accept, for a GARP or a reply
		 * from a unicast address */
		if (!accept)
			return XN_PASS;
		if (!is_garp) {
			if (op != ARPOP_REPLY)
				return XN_PASS;
			if (sip_type < 0)
				sip_type = xn_addr_type(snap, sip, NULL);
			if (sip_type != XN_RTN_UNICAST)
				return XN_PASS;
		}
		/* __neigh_lookup(..., creat=1) looks up once more before it
		 * creates (ST: lookups) */
		XN_STAT_INC(s, lookups);
		err = xn_neigh_create(s, &nr, arp->ar_sha, state, XN_UPD_OVERRIDE, now, base_ns,
				      XN_NF_CREATED_BY_DP, &r, false);
		if (err != -EEXIST)
			return XN_PASS;
		n = bpf_map_lookup_elem(&xn_neigh4, &key);
		if (!n)
			return XN_PASS;
	}
	xn_arp_learn_update(s, n, &nr, arp->ar_sha, state, is_garp, now, locktime_ns, base_ns);
	return XN_PASS;
}

#endif /* XN_BPF_ARP_H */
