/* SPDX-License-Identifier: GPL-2.0 */
/* xneighd: rtnetlink through libmnl. One socket subscribed to the groups
 * whose changes xneigh mirrors (it only says *what* changed), one socket for
 * the dumps that read the current state into the model. */
#ifndef XND_NETLINK_H
#define XND_NETLINK_H

#include <libmnl/libmnl.h>
#include "devev.h"
#include "model.h"

/* What a notification (or the sysctl poll) says must be re-read. */
enum {
	XN_DIRTY_LINKS		= 1 << 0,	/* RTNLGRP_LINK */
	XN_DIRTY_ADDRS		= 1 << 1,	/* RTNLGRP_IPV4_IFADDR */
	XN_DIRTY_ROUTES		= 1 << 2,	/* RTNLGRP_IPV4_ROUTE, table local */
	XN_DIRTY_PROXIES	= 1 << 3,	/* RTNLGRP_NEIGH, NTF_PROXY, both families */
	XN_DIRTY_SYSCTL		= 1 << 4,	/* a /proc/sys value changed */
	XN_DIRTY_ADDRS6		= 1 << 5,	/* RTNLGRP_IPV6_IFADDR, IPv6 local routes */
	XN_DIRTY_ANYCAST6	= 1 << 6,	/* RTNLGRP_IPV6_ACADDR (6.13+), IPv6 local
						 * routes, or the poll */
	XN_DIRTY_RULES		= 1 << 7,	/* RTNLGRP_IPV4_RULE */
	XN_DIRTY_ROUTES4	= 1 << 8,	/* RTNLGRP_IPV4_ROUTE, tables main and
						 * default; RTNLGRP_NEXTHOP (the same dump
						 * as XN_DIRTY_ROUTES, paced under churn) */
	XN_DIRTY_ALL		= (1 << 9) - 1,
};

#define XN_NL_BUF_SIZE	65536
/* Device messages kept between two xn_nl_devmsgs_done(); more are counted
 * as lost (the full resync that follows an overrun covers them). */
#define XN_NL_DEVMSGS_MAX	65536

struct xn_nl {
	struct mnl_socket *ev;		/* notifications, non-blocking */
	bool acaddr_group;		/* joined RTNLGRP_IPV6_ACADDR */
	bool nexthop_group;		/* joined RTNLGRP_NEXTHOP */
	struct mnl_socket *dump;	/* requests and dumps, blocking */
	unsigned int dump_portid;
	unsigned int seq;
	char *buf;			/* XN_NL_BUF_SIZE bytes */
	/* RTM_{NEW,DEL}LINK and IPv4 RTM_{NEW,DEL}ADDR notifications, in order,
	 * for the device events (devev.h) */
	XN_VEC(struct xn_devmsg) devmsgs;
	bool devmsgs_lost;		/* some were not queued (socket overrun, queue full) */
};

int xn_nl_open(struct xn_nl *nl);
void xn_nl_close(struct xn_nl *nl);
int xn_nl_event_fd(const struct xn_nl *nl);

/* Drain pending notifications, OR-ing XN_DIRTY_* into *dirty and queueing
 * the device messages in nl->devmsgs. A socket overrun (ENOBUFS:
 * notifications were lost) marks everything dirty and sets devmsgs_lost. */
int xn_nl_read_events(struct xn_nl *nl, unsigned int *dirty);
/* The queued device messages were handled: empty the queue. */
void xn_nl_devmsgs_done(struct xn_nl *nl);

/* Dumps into the model, replacing the vector they fill. 0 or -errno. */
int xn_nl_dump_links(struct xn_nl *nl, struct xn_model *m);
int xn_nl_dump_addrs(struct xn_nl *nl, struct xn_model *m);
int xn_nl_dump_addrs6(struct xn_nl *nl, struct xn_model *m);
/* IPv4 routes: the local table's /32 local and broadcast routes into
 * m->routes, the routes xn_route4 depends on into m->routes4. */
int xn_nl_dump_routes(struct xn_nl *nl, struct xn_model *m);
/* Nexthop objects of both families into m->nexthops. */
int xn_nl_dump_nexthops(struct xn_nl *nl, struct xn_model *m);
/* IPv4 policy rules into m->rules4. */
int xn_nl_dump_rules4(struct xn_nl *nl, struct xn_model *m);
/* Proxy entries of both families (IPv4 proxy ARP, IPv6 proxy NDP). */
int xn_nl_dump_proxies(struct xn_nl *nl, struct xn_model *m);

/* Send the dump request `req` (type and header filled in by the caller; this
 * sets flags, seq and port) and run `cb` on each reply until NLMSG_DONE.
 * A dump the kernel marks interrupted is retried from the start after
 * `reset(data)`. 0 or -errno. */
int xn_nl_dump(struct xn_nl *nl, struct nlmsghdr *req, mnl_cb_t cb,
	       void (*reset)(void *data), void *data);

#endif /* XND_NETLINK_H */
