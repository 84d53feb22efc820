/* SPDX-License-Identifier: GPL-2.0 */
/* Transmit side (TC egress): the neigh_event_send() role for xneigh's table.
 *
 * NUD-1/NUD-2: the kernel refreshes `used` only on slow-path sends, i.e. when
 * the entry is not CONNECTED; traffic through a REACHABLE entry's cached
 * header leaves it alone, which is what lets REACHABLE fall to STALE on the
 * kernel's timeline. NUD-3: a send through a STALE entry moves it to DELAY
 * (updated := now); xneighd then probes it after delay_first_probe_time. */
#ifndef XN_BPF_TX_H
#define XN_BPF_TX_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "ctx.h"
#include "eth.h"
#include "neigh.h"
#include "route4.h"

/* Mark the entry the frame is leaving for. The entry must hold the frame's
 * destination MAC: a frame addressed elsewhere is not evidence of use. */
static __always_inline bool xn_tx_mark(struct xn_stats *s, struct xn_neigh *n,
				       const struct xn_nref *nr, const __u8 *dmac, __u64 now)
{
	__u8 old = 0, new = 0;
	__u8 ll[ETH_ALEN];
	bool marked;

	bpf_spin_lock(&n->lock);
	/* only the slow path (not CONNECTED) marks use, NUD-2 */
	marked = (n->state & XN_NUD_VALID) && !(n->state & XN_NUD_CONNECTED) &&
		 !(n->xflags & XN_NF_DEAD) && xn_mac_eq(n->lladdr, dmac);
	if (marked) {
		old = n->state;
		n->used = now;				/* NUD-1 */
		if (old == NUD_STALE) {			/* NUD-3 */
			n->state = NUD_DELAY;
			n->updated = now;
			n->gen++;
			new = NUD_DELAY;
			xn_mac_copy(ll, n->lladdr);
		}
	}
	bpf_spin_unlock(&n->lock);
	if (!marked)
		return false;
	XN_STAT_INC(s, tx_used);
	if (new) {
		XN_STAT_INC(s, tx_stale_to_delay);
		/* the kernel sends no netlink notification here (O-9); the
		 * event is for xneighd, which arms the DELAY timer */
		xn_event(s, XN_EV_STATE, nr->family, nr->ifindex, nr->addr, old, new, ll, ll, 0,
			 false);
	}
	return true;
}

static __always_inline void xn_tx_ipv4(struct xn_pkt *p, const struct xn_l2 *l2)
{
	struct ethhdr *eth = p->data;
	struct iphdr *ip = p->data + l2->l3_off;
	struct xn_neigh4_key key = {};
	struct xn_nref nr;
	struct xn_stats *s;
	struct xn_neigh *n;
	__u64 now;

	if ((void *)(ip + 1) > p->data_end || (void *)(eth + 1) > p->data_end)
		return;
	if (xn_mac_is_multicast(eth->h_dest))
		return;
	key.ifindex = p->ifindex;
	key.addr = ip->daddr;
	n = bpf_map_lookup_elem(&xn_neigh4, &key);
	if (!n) {
		/* Off-link destination: the neighbour is the route's gateway.
		 * bpf_fib_lookup() replaces ipv4_dst with the gateway; it needs
		 * an interface with forwarding (see route4.h). */
		struct bpf_fib_lookup fl = {};
		const struct xn_global *g;
		__u32 zero = 0;
		long rc;

		fl.family = AF_INET;
		fl.ifindex = p->ifindex;
		fl.ipv4_dst = ip->daddr;
		fl.ipv4_src = ip->saddr;
		rc = bpf_fib_lookup(p->ctx, &fl, sizeof(fl), BPF_FIB_LOOKUP_SKIP_NEIGH);
		if (rc == BPF_FIB_LKUP_RET_FWD_DISABLED) {
			g = bpf_map_lookup_elem(&xn_global, &zero);
			if (!g || !g->fib_ifindex)
				return;
			fl.ifindex = g->fib_ifindex;
			fl.ipv4_dst = ip->daddr;
			rc = bpf_fib_lookup(p->ctx, &fl, sizeof(fl), BPF_FIB_LOOKUP_SKIP_NEIGH);
		}
		if ((rc != BPF_FIB_LKUP_RET_SUCCESS && rc != BPF_FIB_LKUP_RET_NO_NEIGH) ||
		    fl.ifindex != p->ifindex || fl.ipv4_dst == ip->daddr)
			return;
		key.addr = fl.ipv4_dst;
		n = bpf_map_lookup_elem(&xn_neigh4, &key);
		if (!n)
			return;
	}
	s = xn_stats_get(XN_FAM_ARP);
	now = bpf_ktime_get_ns();
	xn_nref4(&nr, &key);
	xn_tx_mark(s, n, &nr, eth->h_dest, now);
}

/* The same for IPv6 (ip6_finish_output2 -> neigh_output). */
static __always_inline void xn_tx_ipv6(struct xn_pkt *p, const struct xn_l2 *l2)
{
	struct ethhdr *eth = p->data;
	struct ipv6hdr *ip6 = p->data + l2->l3_off;
	struct xn_neigh6_key key = {};
	struct xn_nref nr;
	struct xn_stats *s;
	struct xn_neigh *n;
	__u64 now;

	if ((void *)(ip6 + 1) > p->data_end || (void *)(eth + 1) > p->data_end)
		return;
	if (xn_mac_is_multicast(eth->h_dest))
		return;
	key.ifindex = p->ifindex;
	__builtin_memcpy(key.addr, &ip6->daddr, 16);
	n = bpf_map_lookup_elem(&xn_neigh6, &key);
	if (!n) {
		struct bpf_fib_lookup fl = {};
		const struct xn_global *g;
		__u32 zero = 0;
		long rc;

		fl.family = AF_INET6;
		fl.ifindex = p->ifindex;
		__builtin_memcpy(fl.ipv6_dst, &ip6->daddr, 16);
		__builtin_memcpy(fl.ipv6_src, &ip6->saddr, 16);
		rc = bpf_fib_lookup(p->ctx, &fl, sizeof(fl), BPF_FIB_LOOKUP_SKIP_NEIGH);
		if (rc == BPF_FIB_LKUP_RET_FWD_DISABLED) {
			/* IPv6 lookups need IPv6 forwarding on the device */
			g = bpf_map_lookup_elem(&xn_global, &zero);
			if (!g || !g->fib6_ifindex)
				return;
			fl.ifindex = g->fib6_ifindex;
			__builtin_memcpy(fl.ipv6_dst, &ip6->daddr, 16);
			rc = bpf_fib_lookup(p->ctx, &fl, sizeof(fl), BPF_FIB_LOOKUP_SKIP_NEIGH);
		}
		if ((rc != BPF_FIB_LKUP_RET_SUCCESS && rc != BPF_FIB_LKUP_RET_NO_NEIGH) ||
		    fl.ifindex != p->ifindex)
			return;
		__builtin_memcpy(key.addr, fl.ipv6_dst, 16);
		n = bpf_map_lookup_elem(&xn_neigh6, &key);
		if (!n)
			return;
	}
	s = xn_stats_get(XN_FAM_ND);
	now = bpf_ktime_get_ns();
	xn_nref6(&nr, &key);
	xn_tx_mark(s, n, &nr, eth->h_dest, now);
}

#endif /* XN_BPF_TX_H */
