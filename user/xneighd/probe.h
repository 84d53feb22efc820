/* SPDX-License-Identifier: GPL-2.0 */
/* xneighd: the solicitations the NUD engine asks for (spec §3 ARPTX-*, §4.3
 * ND-TX4, §5.2 NUD-4), put on the wire through AF_PACKET on the entry's
 * interface, and the "app probe" of app_solicit (neigh_app_ns()) sent to
 * rtnetlink listeners.
 *
 * The frame builders are pure (unit-tested); the sender owns the sockets.
 * Frames leave through dev_queue_xmit(), so they pass TC egress, like the
 * kernel's own solicitations: a unicast NS marks its target used there, as
 * the kernel's NS output through neigh_resolve_output() does (NUD-1).
 */
#ifndef XND_PROBE_H
#define XND_PROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include "xneigh/maps.h"
#include "timerq.h"			/* struct xn_nud_key */

/* Ethernet + ARP for IPv4 over Ethernet: 14 + 28. The kernel's arp_create()
 * sends exactly this (the driver pads short frames on real hardware). */
#define XN_ARP_FRAME_LEN	(ETH_HLEN + XN_ARP_ETH_IP4_LEN)
/* Ethernet + IPv6 + NS (24) + source link-layer address option (8). */
#define XN_NS_FRAME_LEN		(ETH_HLEN + 40 + 24 + 8)

/* ARPTX-4: an ARP request for `tpa` from `sha`/`spa`. dst_mac NULL: Ethernet
 * broadcast (INCOMPLETE, mcast_resolicit); else the cached address (PROBE's
 * unicast probes). tha is zero either way (arp_solicit() passes no target
 * hardware address). Returns the frame length, or 0 if buf is too small. */
size_t xn_arp_request_build(__u8 *buf, size_t len, const __u8 sha[ETH_ALEN],
			    const __u8 *dst_mac, __be32 spa, __be32 tpa);

/* ff02::1:ffXX:XXXX, the solicited-node group of `target`. */
void xn_ipv6_solicited_node(const __u8 target[16], __u8 out[16]);

/* ND-TX4 ndisc_send_ns(): an NS for `target` from `saddr` with an SLLAO
 * (saddr is never :: here: address resolution needs a source), hop limit
 * 255 (ND-TX3), traffic class `tclass` (ndisc_tclass), ICMPv6 checksum
 * filled in. dst_mac NULL: to the solicited-node group (Ethernet
 * 33:33:ff:XX:XX:XX); else unicast to the target at dst_mac. Returns the
 * frame length, or 0 if buf is too small. */
size_t xn_ns_build(__u8 *buf, size_t len, const __u8 src_mac[ETH_ALEN], const __u8 *dst_mac,
		   const __u8 saddr[16], const __u8 target[16], __u8 tclass);

/* The ICMPv6 checksum over the pseudo-header and `len` bytes of `icmp`
 * (whose checksum field must be zero), as the wire carries it. */
__u16 xn_icmp6_csum(const __u8 saddr[16], const __u8 daddr[16], const void *icmp, size_t len);

/* neigh_app_ns() -> __neigh_notify(RTM_GETNEIGH, NLM_F_REQUEST): the
 * message a user-space resolver listening on RTNLGRP_NEIGH receives (`ip
 * monitor neigh` prints it as "miss"). `probes` is the counter before the
 * probe, `now` CLOCK_MONOTONIC ns for the cache-info ages. Returns the
 * message length, or 0 if buf is too small. */
size_t xn_app_probe_build(void *buf, size_t len, const struct xn_nud_key *key,
			  const struct xn_neigh *v, __u32 probes, __u64 now);

struct xn_prober {
	int pkt_fd;			/* AF_PACKET, SOCK_RAW, protocol 0: send only */
	int nl_fd;			/* NETLINK_ROUTE, for app probes */
	__u32 nl_portid;
	/* what was sent (logged at exit and on -vv) */
	__u64 arp_sent, ns_sent, app_sent, send_errors, no_source;
};

/* Open the sockets. 0 or -errno (the message names the socket). */
int xn_prober_open(struct xn_prober *pr);
void xn_prober_close(struct xn_prober *pr);

/* Put one frame on `ifindex`. 0 or -errno. */
int xn_prober_send(struct xn_prober *pr, __u32 ifindex, const void *frame, size_t len);

/* Send an app probe (RTM_GETNEIGH to RTNLGRP_NEIGH). 0 or -errno. */
int xn_prober_app(struct xn_prober *pr, const struct xn_nud_key *key, const struct xn_neigh *v,
		  __u32 probes, __u64 now);

#endif /* XND_PROBE_H */
