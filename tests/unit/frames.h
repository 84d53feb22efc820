/* SPDX-License-Identifier: GPL-2.0 */
/* The cast of the unit tests: fixed MACs and addresses, and shorthands that
 * expand to the designated initialisers of a struct pkt (every field
 * explicit, see pkt.h).
 *
 * MACs are named by a token (M(H) = host H's MAC) so they can travel through
 * the frame macros without their commas splitting macro arguments.
 */
#ifndef XN_TEST_FRAMES_H
#define XN_TEST_FRAMES_H

#include "pkt.h"

#define M(name)		MAC_m_##name
#define MAC_m_BC	{ 0xff, 0xff, 0xff, 0xff, 0xff, 0xff }
#define MAC_m_Z		{ 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 }
#define MAC_m_RX	{ 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 }	/* xr0, the receiving interface */
#define MAC_m_OX	{ 0x02, 0x00, 0x00, 0x00, 0x01, 0x01 }	/* xo0 */
#define MAC_m_H		{ 0x02, 0x00, 0x00, 0x00, 0x0a, 0x02 }	/* host H = 10.0.0.2 */
#define MAC_m_H2	{ 0x02, 0x00, 0x00, 0x00, 0x0b, 0x02 }	/* H's new NIC */
#define MAC_m_J		{ 0x02, 0x00, 0x00, 0x00, 0x0a, 0x03 }	/* host J = 10.0.0.3 */
#define MAC_m_K		{ 0x02, 0x00, 0x00, 0x00, 0x0a, 0x04 }	/* host K = 10.0.0.4 */
#define MAC_m_R		{ 0x02, 0x00, 0x00, 0x00, 0x0a, 0x09 }	/* a routed sender (10.9.0.5, ...) */
#define MAC_m_X		{ 0x02, 0x00, 0x00, 0x00, 0x00, 0x99 }	/* someone else's MAC */
#define MAC_m_GW	{ 0x02, 0x00, 0x00, 0x00, 0x0c, 0xfe }	/* gateway 10.1.0.254 on xo0 */

/* Our addresses (lab.h) */
#define IP_RX		IP4(10, 0, 0, 1)	/* xr0 */
#define IP_RX2		IP4(10, 0, 2, 1)	/* xr0, second prefix */
#define IP_RX_BCAST	IP4(10, 0, 0, 255)	/* subnet broadcast of xr0 */
#define IP_OX		IP4(10, 1, 0, 1)	/* xo0 */
#define IP_OX_HOST	IP4(127, 25, 3, 4)	/* xo0, scope host */
#define IP_LO		IP4(127, 0, 0, 1)
/* Others */
#define IP_H		IP4(10, 0, 0, 2)
#define IP_J		IP4(10, 0, 0, 3)
#define IP_K		IP4(10, 0, 0, 4)
#define IP_H_RX2	IP4(10, 0, 2, 9)	/* a host in xr0's second prefix */
#define IP_OX_NET	IP4(10, 1, 0, 3)	/* a host in xo0's prefix */
#define IP_NOTOURS	IP4(10, 0, 0, 99)	/* on xr0's link, not ours */
#define IP_FAR		IP4(10, 9, 0, 5)	/* routed via xo0 */
#define IP_UNREACH	IP4(10, 8, 0, 5)	/* unreachable route */
#define IP_NOROUTE	IP4(10, 5, 5, 5)	/* no route at all */
#define IP_GW		IP4(10, 1, 0, 254)	/* gateway of 10.9.0.0/24 */

#define ETH_ARP_LEN	42			/* 14 + 28 */

/* An Ethernet + ARP frame with every header field given. */
#define ARPX(hrd_, pro_, hln_, pln_, op_, edst, esrc, sha_, sip_, tha_, tip_)		\
	.kind = PKT_ARP, .eth_dst = M(edst), .eth_src = M(esrc), .hrd = (hrd_),		\
	.pro = (pro_), .hln = (hln_), .pln = (pln_), .op = (op_), .sha = M(sha_),	\
	.sip = (sip_), .tha = M(tha_), .tip = (tip_)
/* Ethernet/IPv4 ARP (hrd 1, pro 0x0800, hln 6, pln 4). */
#define ARP(op, edst, esrc, sha, sip, tha, tip) ARPX(1, 0x0800, 6, 4, op, edst, esrc, sha, sip, tha, tip)

/* Broadcast request from host (mac, sip) for tip. */
#define REQ(mac, sip, tip)		ARP(1, BC, mac, mac, sip, Z, tip)
/* Request sent to a unicast Ethernet address. */
#define REQ_TO(edst, mac, sip, tip)	ARP(1, edst, mac, mac, sip, Z, tip)
/* Reply from (mac, sip) to edst / (tha, tip). */
#define REPLY(edst, mac, sip, tha, tip)	ARP(2, edst, mac, mac, sip, tha, tip)
/* Gratuitous request / reply (arping -U / arping -A). */
#define GARP_REQ(mac, ip)		ARP(1, BC, mac, mac, ip, Z, ip)
#define GARP_REP(mac, ip)		ARP(2, BC, mac, mac, ip, mac, ip)
/* The reply the kernel sends for a request (ARP-R5 / ARP-D1 / ARP-P4):
 * to the requester's sha, from our MAC, spa = tip, tha = sha, tpa = sip. */
#define ANSWER(our, reqsha, tip, sip)	ARP(2, reqsha, our, our, tip, reqsha, sip)

/* 802.1Q / 802.1ad tags. */
#define TAG_Q(vid)	{ 0x8100, (vid) }
#define TAG_AD(vid)	{ 0x88a8, (vid) }

/* An IPv4/UDP packet (egress tests). */
#define IPV4(edst, esrc, s, d) \
	.kind = PKT_IP4, .eth_dst = M(edst), .eth_src = M(esrc), .saddr = (s), .daddr = (d)

#endif /* XN_TEST_FRAMES_H */
