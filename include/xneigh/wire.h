/* SPDX-License-Identifier: GPL-2.0 */
/* Wire-format constants that vmlinux.h lacks (it carries types, not macros).
 * Defined once here; the #ifndef guards let user space include the libc/uapi
 * headers that define the same names with the same values.
 */
#ifndef XNEIGH_WIRE_H
#define XNEIGH_WIRE_H

#ifndef ETH_ALEN
#define ETH_ALEN		6
#endif
#ifndef ETH_HLEN
#define ETH_HLEN		14
#endif
#ifndef ETH_P_IP
#define ETH_P_IP		0x0800
#endif
#ifndef ETH_P_ARP
#define ETH_P_ARP		0x0806
#endif
#ifndef ETH_P_8021Q
#define ETH_P_8021Q		0x8100
#endif
#ifndef ETH_P_8021AD
#define ETH_P_8021AD		0x88A8
#endif
#ifndef ETH_P_IPV6
#define ETH_P_IPV6		0x86DD
#endif
#define XN_VLAN_HLEN		4
#define XN_VLAN_MAX_DEPTH	2	/* 802.1ad outer + 802.1Q inner */

/* ARP (RFC 826; include/uapi/linux/if_arp.h) */
#ifndef ARPHRD_ETHER
#define ARPHRD_ETHER		1
#endif
#ifndef ARPHRD_IEEE802
#define ARPHRD_IEEE802		6
#endif
#ifndef ARPOP_REQUEST
#define ARPOP_REQUEST		1
#endif
#ifndef ARPOP_REPLY
#define ARPOP_REPLY		2
#endif
/* Fixed ARP header (hrd, pro, hln, pln, op) and the Ethernet/IPv4 body. */
#define XN_ARP_HDR_LEN		8
#define XN_ARP_ETH_IP4_LEN	28	/* 8 + 2 * (6 + 4): ARP-V2 minimum */

/* Route types (enum in include/uapi/linux/rtnetlink.h; prefixed because
 * user space also sees the enum), used as address types. */
#define XN_RTN_UNICAST		1
#define XN_RTN_LOCAL		2
#define XN_RTN_BROADCAST	3
#define XN_RTN_MULTICAST	5

/* Address scopes (enum rt_scope_t, likewise prefixed). */
#define XN_SCOPE_UNIVERSE	0
#define XN_SCOPE_SITE		200
#define XN_SCOPE_LINK		253
#define XN_SCOPE_HOST		254

/* tc verdicts (include/uapi/linux/pkt_cls.h) */
#ifndef TC_ACT_OK
#define TC_ACT_OK		0
#define TC_ACT_SHOT		2
#define TC_ACT_REDIRECT		7
#endif

#ifndef AF_INET
#define AF_INET			2
#endif
#ifndef AF_INET6
#define AF_INET6		10
#endif

#endif /* XNEIGH_WIRE_H */
