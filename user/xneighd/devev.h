/* SPDX-License-Identifier: GPL-2.0 */
/* xneighd: device events (spec §7 EV-1..EV-4, §6 GC-4): which neighbour
 * entries the kernel removes when an interface changes, decided from the
 * rtnetlink messages that report the change. Pure: no I/O; nudd.c carries
 * the decisions out on the maps (xn_nudd_flush_dev()).
 *
 * The kernel flushes its tables from its netdevice and inetaddr notifiers,
 * observed on 6.18 (tests/netns/test_dev_events.sh holds the table):
 *
 *   event                                  arp_tbl            nd_tbl
 *   admin down (NETDEV_DOWN)               all                all
 *   MAC change (NETDEV_CHANGEADDR)         all                all
 *   IFF_NOARP toggled while up             all                all
 *   NETDEV_CHANGE with the carrier off     all but PERMANENT  all but PERMANENT
 *     (if arp/ndisc_evict_nocarrier)
 *   last IPv4 address deleted              all                -
 *   IPv4 state gone (MTU < 68)             all                -
 *   disable_ipv6 set, IPv6 state gone      -                  all
 *   device deleted or moved away           all                all
 *
 * "all" includes PERMANENT and NOARP entries (neigh_ifdown(),
 * neigh_changeaddr()); carrier loss keeps PERMANENT only (neigh_carrier_down(),
 * skip_perm) and removes NOARP and extern_learn entries too. Proxy entries
 * live in the kernel's pneigh tables, which xneighd mirrors as they are, so
 * they need nothing here. Deleting IPv6 addresses, even all of them, flushes
 * nothing, nor does a carrier coming back.
 *
 * The announcements of EV-2 (arp_notify: a gratuitous ARP request per IPv4
 * address on NETDEV_UP and NETDEV_CHANGEADDR) and EV-4 (ndisc_notify: an
 * unsolicited NA per usable IPv6 address, and one when DAD completes) are
 * sent by the kernel itself: its transmit path does not go through xneigh
 * (XDP and xn_tc_in see received frames only), so xneighd sends none.
 */
#ifndef XND_DEVEV_H
#define XND_DEVEV_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include "model.h"

/* One rtnetlink message about a device or an IPv4 address, in arrival
 * order (netlink.c fills them in). */
enum xn_devmsg_kind {
	XN_DEVMSG_LINK = 1,		/* RTM_NEWLINK, family AF_UNSPEC */
	XN_DEVMSG_DELLINK,		/* RTM_DELLINK, family AF_UNSPEC: gone from the netns */
	XN_DEVMSG_NEWADDR4,		/* RTM_NEWADDR, AF_INET (new or changed) */
	XN_DEVMSG_DELADDR4,		/* RTM_DELADDR, AF_INET */
};

struct xn_devmsg {
	__u8 kind;			/* enum xn_devmsg_kind */
	__u32 ifindex;
	__u64 at;			/* CLOCK_MONOTONIC ns when it was read: the
					 * change happened before */
	/* XN_DEVMSG_LINK */
	unsigned int ifi_flags;		/* IFF_* incl. IFF_LOWER_UP */
	bool carrier;			/* IFLA_CARRIER, else IFF_LOWER_UP */
	__u8 mac[ETH_ALEN];		/* zero unless the address is 6 bytes */
	/* XN_DEVMSG_*ADDR4: the in_ifaddr's identity */
	__be32 local, address;
	__u8 prefixlen;
};

/* Why entries go (for the log). */
enum xn_devev_why {
	XN_DEVEV_DOWN = 1,		/* NETDEV_DOWN: neigh_ifdown() */
	XN_DEVEV_CHANGEADDR,		/* NETDEV_CHANGEADDR: neigh_changeaddr() */
	XN_DEVEV_NOARP,			/* NETDEV_CHANGE, IFF_NOARP changed:
					 * neigh_changeaddr() */
	XN_DEVEV_CARRIER,		/* NETDEV_CHANGE, no carrier: neigh_carrier_down() */
	XN_DEVEV_NOADDR4,		/* last IPv4 address: fib_disable_ip() -> arp_ifdown() */
	XN_DEVEV_NOIPV4,		/* inetdev_destroy() -> arp_ifdown() */
	XN_DEVEV_NOIPV6,		/* disable_ipv6 or inet6_dev gone: addrconf_ifdown() */
	XN_DEVEV_GONE,			/* NETDEV_UNREGISTER */
};

const char *xn_devev_why_str(int why);

/* One flush: remove the entries of (family, ifindex), all of them or all
 * but the PERMANENT ones. */
struct xn_devev_flush {
	__u32 ifindex;
	__u8 family;			/* AF_INET or AF_INET6 */
	bool skip_perm;			/* carrier loss: PERMANENT entries stay */
	__u8 why;			/* enum xn_devev_why of the strongest cause */
	__u64 before;			/* CLOCK_MONOTONIC ns: the event happened
					 * before this; an entry created or changed
					 * later is not the event's to remove */
};

/* The flushes one batch of messages asks for, at most one per (family,
 * ifindex): a batch is carried out at once, so two flushes of the same
 * device merge (the one that removes more wins). */
struct xn_devev_out {
	XN_VEC(struct xn_devev_flush) v;
};

/* What the tracker last knew of an interface. */
struct xn_devev_link {
	__u32 ifindex;
	unsigned int ifi_flags;
	bool carrier;
	__u8 mac[ETH_ALEN];
	bool ipv4, ipv6, v6_disabled;	/* from the model (sysctl directories) */
	__u32 naddr4;			/* IPv4 addresses in the tracker's set */
};

/* One IPv4 address of the tracker's set (sorted by ifindex, then the rest). */
struct xn_devev_addr {
	__u32 ifindex;
	__be32 local, address;
	__u8 prefixlen;
};

struct xn_devev {
	XN_VEC(struct xn_devev_link) links;
	XN_VEC(struct xn_devev_addr) addrs;
};

void xn_devev_free(struct xn_devev *t);

/* Take the model as the state the next messages change, deciding nothing
 * (at start). 0 or -ENOMEM. */
int xn_devev_reset(struct xn_devev *t, const struct xn_model *m);

/* One message, against the state left by the messages before it; the
 * sysctl values (arp/ndisc_evict_nocarrier) are the model's, read after
 * the message arrived. Flushes go into *out. 0 or -ENOMEM. */
int xn_devev_msg(struct xn_devev *t, const struct xn_model *m, const struct xn_devmsg *msg,
		 struct xn_devev_out *out);

/* After the model was refreshed (`now`: when it was read): what changes
 * without a message of its own (disable_ipv6, the IPv4 or IPv6 state of a
 * device going away) is taken from the model. With `lost` (notifications were lost, the model was
 * dumped whole) the links and addresses are also compared with the model,
 * as if their messages had arrived, and the tracker takes the model's state.
 * 0 or -ENOMEM. */
int xn_devev_sync(struct xn_devev *t, const struct xn_model *m, bool lost, __u64 now,
		  struct xn_devev_out *out);

#endif /* XND_DEVEV_H */
