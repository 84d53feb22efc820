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
#include "ipv6.h"
#include "confirm.h"

/* NUD-15: the kernel creates an entry when it sends towards an unknown
 * neighbour and resolves it itself. Its solicitation leaving through us is
 * the evidence: create the same INCOMPLETE entry, so the answer (a reply
 * unicast to us, an NA) lands on an existing entry as in the kernel, and
 * later gratuitous announcements from that neighbour are followed even with
 * arp_accept=0. Existing entries are left alone; xneighd does not probe
 * entries marked XN_NF_KERNEL_SOLICIT (the kernel is doing it). */
static __always_inline void xn_tx_solicit(const struct xn_nref *nr, struct xn_stats *s)
{
	struct xn_upd r;
	__u64 now;

	if (bpf_map_lookup_elem(nr->map, nr->key))
		return;
	now = bpf_ktime_get_ns();
	if (xn_neigh_create(s, nr, NULL, NUD_INCOMPLETE, 0, now, 0,
			    XN_NF_CREATED_BY_DP | XN_NF_KERNEL_SOLICIT,
			    &r, false) == 0)
		XN_STAT_INC(s, tx_kernel_solicits);
}

/* An ARP request the host itself sends (sender hardware address = the
 * interface's MAC, sender IP not 0: not a DAD probe or announcement). */
static __always_inline void xn_tx_arp(struct xn_pkt *p, const struct xn_l2 *l2)
{
	struct xn_arp_tx {
		__be16 hrd, pro;
		__u8 hln, pln;
		__be16 op;
		__u8 sha[ETH_ALEN], sip[4], tha[ETH_ALEN], tip[4];
	} *arp = p->data + l2->l3_off;
	struct xn_neigh4_key key = {};
	const struct xn_snapshot *snap;
	const struct xn_ifconf *conf;
	struct xn_nref nr;
	__u32 ifindex = p->ifindex;
	__be32 sip, tip;

	if ((void *)(arp + 1) > p->data_end || arp->op != bpf_htons(ARPOP_REQUEST) ||
	    arp->hln != ETH_ALEN || arp->pln != 4)
		return;
	snap = xn_snap_get();
	conf = xn_ifconf_get(snap, ifindex);
	if (!conf || !(conf->flags & XN_IFF_CONFIGURED) || !xn_mac_eq(arp->sha, conf->mac))
		return;
	sip = *(__be32 *)arp->sip;
	tip = *(__be32 *)arp->tip;
	if (!sip || sip == tip)
		return;
	/* the kernel resolves unicast neighbours only: it never solicits a
	 * broadcast, multicast, loopback or own address (arp_constructor()
	 * makes the first NOARP); a crafted request (arping) is no evidence */
	if (xn_addr_type(snap, tip, NULL) != XN_RTN_UNICAST)
		return;
	key.ifindex = ifindex;
	key.addr = tip;
	xn_nref4(&nr, &key);
	xn_tx_solicit(&nr, xn_stats_get(XN_FAM_ARP));
}

/* An NS the host itself sends for address resolution (source not ::). */
static __always_inline void xn_tx_ns(struct xn_pkt *p, const struct xn_l2 *l2,
				     struct ipv6hdr *ip6)
{
	struct ethhdr *eth = p->data;
	__u8 *icmp = (void *)(ip6 + 1);
	struct xn_neigh6_key key = {};
	struct xn_addr6_key ak = {};
	const struct xn_ifconf *conf;
	struct xn_nref nr;
	__u32 ifindex = p->ifindex;

	if ((void *)(icmp + 24) > p->data_end || (void *)(eth + 1) > p->data_end ||
	    icmp[0] != 135 || xn_ip6_is_zero(ip6->saddr.in6_u.u6_addr32))
		return;
	conf = xn_ifconf_get(xn_snap_get(), ifindex);
	if (!conf || !(conf->flags & XN_IFF_CONFIGURED) || !xn_mac_eq(eth->h_source, conf->mac))
		return;
	key.ifindex = ifindex;
	__builtin_memcpy(key.addr, icmp + 8, 16);
	if (xn_ip6_is_multicast((const __u32 *)key.addr) ||
	    xn_ip6_is_zero((const __u32 *)key.addr) || xn_ip6_is_loopback((const __u32 *)key.addr))
		return;
	/* nor one of our own addresses (on this interface or any other) */
	ak.ifindex = ifindex;
	__builtin_memcpy(ak.addr, key.addr, 16);
	if (bpf_map_lookup_elem(&xn_addr6, &ak))
		return;
	ak.ifindex = 0;
	if (bpf_map_lookup_elem(&xn_addr6, &ak))
		return;
	xn_nref6(&nr, &key);
	xn_tx_solicit(&nr, xn_stats_get(XN_FAM_ND));
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
		/* Off-link destination: the neighbour is the route's gateway
		 * (route4.h: bpf_fib_lookup() needs an interface with forwarding) */
		const struct xn_global *g;
		__be32 nh = 0;
		__u32 oif = 0;

		if (xn_fib4_any(p->ctx, p->ifindex, ip->daddr, ip->saddr, &oif, &nh, &g) !=
			    XN_ROUTE_OK ||
		    oif != p->ifindex || nh == ip->daddr)
			return;
		key.addr = nh;
		n = bpf_map_lookup_elem(&xn_neigh4, &key);
		if (!n)
			return;
	}
	s = xn_stats_get(XN_FAM_ARP);
	now = bpf_ktime_get_ns();
	xn_nref4(&nr, &key);
	xn_tx_mark(s, n, &nr, eth->h_dest, now);
	xn_confirm_tx(p, s, n, eth->h_dest, ip->protocol, now);
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
	if (ip6->nexthdr == 58) {
		__u8 *icmp = (void *)(ip6 + 1);

		/* our own NS: the kernel is resolving its target (other ICMPv6,
		 * NAs included, mark their neighbour like any packet) */
		if ((void *)(icmp + 1) <= p->data_end && icmp[0] == 135) {
			xn_tx_ns(p, l2, ip6);
			return;
		}
	}
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
	xn_confirm_tx(p, s, n, eth->h_dest, ip6->nexthdr, now);
}

#endif /* XN_BPF_TX_H */
