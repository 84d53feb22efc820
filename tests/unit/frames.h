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

/* ---- IPv6 / Neighbour Discovery ------------------------------------------ */

/* IPv6 addresses are named by token too: A6(name) = ADDR6_a_name. */
#define A6(name)	ADDR6_a_##name
#define ADDR6_a_Z	{ 0 }						/* :: */
#define ADDR6_a_LOOP	{ [15] = 1 }					/* ::1 */
/* ours (lab.h): xr0 and xo0 */
#define ADDR6_a_RX	{ 0x20, 0x01, 0x0d, 0xb8, 0, 1, [15] = 0x01 }	/* 2001:db8:1::1/64 */
#define ADDR6_a_RXLL	{ 0xfe, 0x80, [11] = 0xff, 0xfe, 0, 0, 0x01 }	/* fe80::ff:fe00:1/64 */
#define ADDR6_a_OX	{ 0x20, 0x01, 0x0d, 0xb8, 0, 0x10, [15] = 0x01 }	/* 2001:db8:10::1/64 */
#define ADDR6_a_OXLL	{ 0xfe, 0x80, [11] = 0xff, 0xfe, 0, 0x01, 0x01 }	/* fe80::ff:fe00:101/64 */
/* written into xn_addr6 by the fixtures that need them (.addr6) */
#define ADDR6_a_TENT	{ 0x20, 0x01, 0x0d, 0xb8, 0, 1, [15] = 0x05 }	/* 2001:db8:1::5 tentative */
#define ADDR6_a_OPT	{ 0x20, 0x01, 0x0d, 0xb8, 0, 1, [15] = 0x06 }	/* 2001:db8:1::6 optimistic */
#define ADDR6_a_ANY	{ 0x20, 0x01, 0x0d, 0xb8, 0, 1 }			/* 2001:db8:1:: anycast */
#define ADDR6_a_PRX	{ 0x20, 0x01, 0x0d, 0xb8, 0, 1, [15] = 0x99 }	/* 2001:db8:1::99 proxied */
#define ADDR6_a_A6_98	{ 0x20, 0x01, 0x0d, 0xb8, 0, 1, [15] = 0x98 }	/* 2001:db8:1::98 (kernel capture) */
/* others on xr0's link */
#define ADDR6_a_H	{ 0x20, 0x01, 0x0d, 0xb8, 0, 1, [15] = 0x02 }	/* 2001:db8:1::2, MAC H */
#define ADDR6_a_HLL	{ 0xfe, 0x80, [11] = 0xff, 0xfe, 0, 0x0a, 0x02 }	/* fe80::ff:fe00:a02, MAC H */
#define ADDR6_a_J	{ 0x20, 0x01, 0x0d, 0xb8, 0, 1, [15] = 0x03 }	/* 2001:db8:1::3, MAC J */
#define ADDR6_a_K	{ 0x20, 0x01, 0x0d, 0xb8, 0, 1, [15] = 0x04 }	/* 2001:db8:1::4, MAC K */
#define ADDR6_a_NOTOURS	{ 0x20, 0x01, 0x0d, 0xb8, 0, 1, [15] = 0x55 }	/* 2001:db8:1::55, nobody's */
#define ADDR6_a_FAR	{ 0x20, 0x01, 0x0d, 0xb8, 0, 0x99, [15] = 0x07 }	/* 2001:db8:99::7, off every prefix */
#define ADDR6_a_GW	{ 0x20, 0x01, 0x0d, 0xb8, 0, 0x10, [15] = 0xfe }	/* 2001:db8:10::fe on xo0 */
/* multicast groups: all-nodes, all-routers, solicited-node groups */
#define ADDR6_a_ALLN	{ 0xff, 0x02, [15] = 0x01 }				/* ff02::1 */
#define ADDR6_a_ALLR	{ 0xff, 0x02, [15] = 0x02 }				/* ff02::2 */
#define ADDR6_a_SN1	{ 0xff, 0x02, [11] = 0x01, 0xff, 0, 0, 0x01 }	/* ff02::1:ff00:1 (RX, RXLL) */
#define ADDR6_a_SN0	{ 0xff, 0x02, [11] = 0x01, 0xff, 0, 0, 0x00 }	/* ff02::1:ff00:0 (ANY) */
#define ADDR6_a_SN5	{ 0xff, 0x02, [11] = 0x01, 0xff, 0, 0, 0x05 }	/* ff02::1:ff00:5 (TENT) */
#define ADDR6_a_SN6	{ 0xff, 0x02, [11] = 0x01, 0xff, 0, 0, 0x06 }	/* ff02::1:ff00:6 (OPT) */
#define ADDR6_a_SN99	{ 0xff, 0x02, [11] = 0x01, 0xff, 0, 0, 0x99 }	/* ff02::1:ff00:99 (PRX) */
#define ADDR6_a_SN101	{ 0xff, 0x02, [11] = 0x01, 0xff, 0, 0x01, 0x01 }	/* ff02::1:ff00:101 (OX, OXLL) */
#define ADDR6_a_SNX	{ 0xff, 0x02, [11] = 0x01, 0xff, 0x99, 0x99, 0x99 }	/* ff02::1:ff99:9999 (nobody's) */
/* the Ethernet groups of these (33:33 + the low 32 bits, RFC 2464 §7) */
#define MAC_m_ALLN	{ 0x33, 0x33, 0x00, 0x00, 0x00, 0x01 }
#define MAC_m_ALLR	{ 0x33, 0x33, 0x00, 0x00, 0x00, 0x02 }
#define MAC_m_SN1	{ 0x33, 0x33, 0xff, 0x00, 0x00, 0x01 }
#define MAC_m_SN0	{ 0x33, 0x33, 0xff, 0x00, 0x00, 0x00 }
#define MAC_m_SN5	{ 0x33, 0x33, 0xff, 0x00, 0x00, 0x05 }
#define MAC_m_SN6	{ 0x33, 0x33, 0xff, 0x00, 0x00, 0x06 }
#define MAC_m_SN99	{ 0x33, 0x33, 0xff, 0x00, 0x00, 0x99 }
#define MAC_m_SN101	{ 0x33, 0x33, 0xff, 0x00, 0x01, 0x01 }
#define MAC_m_SNX	{ 0x33, 0x33, 0xff, 0x99, 0x99, 0x99 }

/* ICMPv6 types and NA flags (first byte after the checksum) */
#define ND_NS		135
#define ND_NA		136
#define F_R		0x80
#define F_S		0x40
#define F_O		0x20

/* Options (struct pkt_ndopt): a link-layer address option of the right
 * size for Ethernet (length 1), of a wrong size (length 2: 16 bytes), a
 * nonce, an unknown one, and two malformed ones. */
#define SLL(mac)	{ .type = 1, .len = 1, .body = M(mac) }
#define TLL(mac)	{ .type = 2, .len = 1, .body = M(mac) }
#define SLL16(mac)	{ .type = 1, .len = 2, .body = M(mac) }
#define TLL16(mac)	{ .type = 2, .len = 2, .body = M(mac) }
#define NONCE		{ .type = 14, .len = 1, .body = { 1, 2, 3, 4, 5, 6 } }
#define OPT_UNKNOWN	{ .type = 200, .len = 1 }
#define OPT_LEN0	{ .type = 200, .len = 0, .size = 8 }	/* length 0 (ND-V5) */
#define OPT_PAST_END	{ .type = 200, .len = 2, .size = 8 }	/* says 16 bytes, 8 left (ND-V5) */

/* An Ethernet + IPv6 + ICMPv6 ND frame with every header field given,
 * traffic class 0, no options (add .opt = { ... }). */
#define ND6X(type_, code_, hlim_, edst, esrc, src, dst, tgt, flags_)			\
	.kind = PKT_ND, .eth_dst = M(edst), .eth_src = M(esrc), .src6 = A6(src),	\
	.dst6 = A6(dst), .hlim = (hlim_), .icmp_type = (type_), .icmp_code = (code_),	\
	.nd_flags = (flags_), .target = A6(tgt)
/* ... with hop limit 255 and code 0 (ND-V2). */
#define ND6(type_, edst, esrc, src, dst, tgt, flags_) \
	ND6X(type_, 0, 255, edst, esrc, src, dst, tgt, flags_)
/* NS to a multicast group G (Ethernet 33:33:.. of G, IPv6 G). */
#define NS_MC(esrc, src, tgt, grp)	ND6(ND_NS, grp, esrc, src, grp, tgt, 0)
/* NS to a unicast Ethernet and IPv6 destination (NUD probe, RFC 4861 §7.3.3). */
#define NS_UC(edst, esrc, src, dst, tgt) ND6(ND_NS, edst, esrc, src, dst, tgt, 0)
/* DAD probe: from ::, to the target's solicited-node group (RFC 4862 §5.4.2). */
#define NS_DAD(esrc, tgt, grp)		ND6(ND_NS, grp, esrc, Z, grp, tgt, 0)
/* NA with the given flags. */
#define NA_TO(edst, esrc, src, dst, tgt, flags) ND6(ND_NA, edst, esrc, src, dst, tgt, flags)

/* An IPv6/UDP packet (egress tests). */
#define IPV6(edst, esrc, s, d)	\
	.kind = PKT_IP6, .eth_dst = M(edst), .eth_src = M(esrc), .src6 = A6(s), .dst6 = A6(d), .hlim = 64

#endif /* XN_TEST_FRAMES_H */
