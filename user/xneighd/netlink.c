// SPDX-License-Identifier: GPL-2.0
/* xneighd: rtnetlink dumps and notifications (libmnl). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/time.h>
#include <time.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/fib_rules.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/nexthop.h>
#include <linux/rtnetlink.h>
#include "log.h"
#include "netlink.h"

#ifndef IFF_LOWER_UP
#define IFF_LOWER_UP	(1 << 16)	/* linux/if.h; glibc's net/if.h stops earlier */
#endif

#define XN_DUMP_RETRIES	8
#define XN_NL_REQ_SIZE	256	/* a dump request: header, family header, one attribute */
#define XN_NL_TIMEOUT_S	5	/* a dump reply never takes this long */
#define XN_EV_RCVBUF	(4 << 20)	/* room for a burst of notifications */

/* Anycast address notifications (RTM_NEWANYCAST / RTM_DELANYCAST on
 * RTNLGRP_IPV6_ACADDR) exist from Linux 6.13 on; older uapi headers lack the
 * names. Without them /proc/net/anycast6 is polled (sync.c), which is done
 * anyway. */
#ifndef RTM_NEWANYCAST
#define RTM_NEWANYCAST		60
#define RTM_DELANYCAST		61
#endif
/* enum rtnetlink_groups: ... RTNLGRP_STATS (36), RTNLGRP_IPV4_MCADDR,
 * RTNLGRP_IPV6_MCADDR, RTNLGRP_IPV6_ACADDR (39); checked on 6.18: group 39
 * delivers message types 60 and 61 when anycast addresses change. */
#define XN_RTNLGRP_IPV6_ACADDR	39

static const unsigned int xn_groups[] = {
	RTNLGRP_LINK, RTNLGRP_IPV4_IFADDR, RTNLGRP_IPV4_ROUTE, RTNLGRP_NEIGH,
	RTNLGRP_IPV6_IFADDR, RTNLGRP_IPV6_ROUTE, RTNLGRP_IPV4_RULE,
};

int xn_nl_open(struct xn_nl *nl)
{
	struct timeval tv = { .tv_sec = XN_NL_TIMEOUT_S };
	int err, size = XN_EV_RCVBUF;
	size_t i;

	memset(nl, 0, sizeof(*nl));
	nl->buf = malloc(XN_NL_BUF_SIZE);
	if (!nl->buf)
		return -ENOMEM;

	nl->ev = mnl_socket_open2(NETLINK_ROUTE, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (!nl->ev || mnl_socket_bind(nl->ev, 0, MNL_SOCKET_AUTOPID) < 0) {
		err = -errno;
		pr_warn("cannot open the rtnetlink notification socket: %s\n", strerror(-err));
		goto err;
	}
	for (i = 0; i < sizeof(xn_groups) / sizeof(xn_groups[0]); i++) {
		unsigned int grp = xn_groups[i];

		if (mnl_socket_setsockopt(nl->ev, NETLINK_ADD_MEMBERSHIP, &grp, sizeof(grp)) < 0) {
			err = -errno;
			pr_warn("cannot join rtnetlink group %u: %s\n", xn_groups[i],
				strerror(-err));
			goto err;
		}
	}
	{
		unsigned int grp = XN_RTNLGRP_IPV6_ACADDR;

		/* EINVAL before 6.13: there is no such group; the IPv6
		 * local routes and the poll are enough. */
		nl->acaddr_group = !mnl_socket_setsockopt(nl->ev, NETLINK_ADD_MEMBERSHIP,
							  &grp, sizeof(grp));
		pr_debug("IPv6 anycast addresses: %s\n", nl->acaddr_group ?
			 "RTNLGRP_IPV6_ACADDR notifications, local routes and polling" :
			 "local-route notifications and polling");
	}
	{
		unsigned int grp = RTNLGRP_NEXTHOP;

		/* Nexthop objects (5.3+). Without them no route can use one. */
		nl->nexthop_group = !mnl_socket_setsockopt(nl->ev, NETLINK_ADD_MEMBERSHIP,
							   &grp, sizeof(grp));
	}
	/* Best effort: SO_RCVBUFFORCE needs CAP_NET_ADMIN, which we have; an
	 * overrun is survivable anyway (full resync). */
	if (setsockopt(mnl_socket_get_fd(nl->ev), SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)))
		setsockopt(mnl_socket_get_fd(nl->ev), SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));

	nl->dump = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (!nl->dump || mnl_socket_bind(nl->dump, 0, MNL_SOCKET_AUTOPID) < 0) {
		err = -errno;
		pr_warn("cannot open the rtnetlink request socket: %s\n", strerror(-err));
		goto err;
	}
	nl->dump_portid = mnl_socket_get_portid(nl->dump);
	/* A lost reply must not hang the daemon (it also serves signals). */
	setsockopt(mnl_socket_get_fd(nl->dump), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return 0;
err:
	xn_nl_close(nl);
	return err;
}

void xn_nl_close(struct xn_nl *nl)
{
	if (nl->ev)
		mnl_socket_close(nl->ev);
	if (nl->dump)
		mnl_socket_close(nl->dump);
	free(nl->buf);
	free(nl->devmsgs.v);
	memset(nl, 0, sizeof(*nl));
}

int xn_nl_event_fd(const struct xn_nl *nl)
{
	return mnl_socket_get_fd(nl->ev);
}

/* ---- dumps ---------------------------------------------------------------- */

/* Does the buffer hold the end (NLMSG_DONE or NLMSG_ERROR) of dump seq? */
static bool buf_has_dump_end(const void *buf, ssize_t len, unsigned int seq)
{
	const struct nlmsghdr *nlh = buf;
	int left = (int)len;

	for (; mnl_nlmsg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left))
		if (nlh->nlmsg_seq == seq &&
		    (nlh->nlmsg_type == NLMSG_DONE || nlh->nlmsg_type == NLMSG_ERROR))
			return true;
	return false;
}

/* Read and discard the rest of dump `seq` (after an interrupted dump or a
 * callback error) so the next request starts on a clean socket. */
static int drain_dump(struct xn_nl *nl, unsigned int seq)
{
	for (;;) {
		ssize_t len = mnl_socket_recvfrom(nl->dump, nl->buf, XN_NL_BUF_SIZE);

		if (len < 0)
			return -errno;
		if (buf_has_dump_end(nl->buf, len, seq))
			return 0;
	}
}

int xn_nl_dump(struct xn_nl *nl, struct nlmsghdr *req, mnl_cb_t cb,
	       void (*reset)(void *data), void *data)
{
	int attempt, err = 0;

	for (attempt = 0; attempt < XN_DUMP_RETRIES; attempt++) {
		unsigned int seq = ++nl->seq;

		if (reset)
			reset(data);
		req->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
		req->nlmsg_seq = seq;
		req->nlmsg_pid = 0;
		if (mnl_socket_sendto(nl->dump, req, req->nlmsg_len) < 0)
			return -errno;
		for (;;) {
			ssize_t len = mnl_socket_recvfrom(nl->dump, nl->buf, XN_NL_BUF_SIZE);
			int ret;

			if (len < 0)
				return -errno;
			errno = 0;
			ret = mnl_cb_run(nl->buf, len, seq, nl->dump_portid, cb, data);
			if (ret == MNL_CB_STOP)
				return 0;
			if (ret == MNL_CB_OK)
				continue;
			err = errno ? -errno : -EIO;
			/* libmnl stopped in the middle of this buffer: an
			 * NLMSG_ERROR reply, a message flagged NLM_F_DUMP_INTR
			 * (the tables changed during the dump) or a callback
			 * error. Unless the buffer already holds the end of
			 * the dump, the rest of it is still queued. */
			if (!buf_has_dump_end(nl->buf, len, seq))
				drain_dump(nl, seq);
			if (err != -EINTR)
				return err;
			break;	/* inconsistent dump: start again */
		}
	}
	pr_warn("rtnetlink dump (type %u) kept being interrupted; giving up this round\n",
		req->nlmsg_type);
	return -EINTR;
}

/* Attribute table helpers: keep the last attribute of each known type. */
struct attrs {
	const struct nlattr *tb[64];
};

static int attr_collect(const struct nlattr *attr, void *data)
{
	struct attrs *a = data;
	unsigned int type = mnl_attr_get_type(attr);

	if (type < sizeof(a->tb) / sizeof(a->tb[0]))
		a->tb[type] = attr;
	return MNL_CB_OK;
}

static bool attr_u32(const struct nlattr *attr, __u32 *out)
{
	if (!attr || mnl_attr_get_payload_len(attr) < sizeof(__u32))
		return false;
	*out = mnl_attr_get_u32(attr);
	return true;
}

static bool attr_be32(const struct nlattr *attr, __be32 *out)
{
	if (!attr || mnl_attr_get_payload_len(attr) != sizeof(__be32))
		return false;
	memcpy(out, mnl_attr_get_payload(attr), sizeof(*out));
	return true;
}

struct dump_ctx {
	struct xn_model *m;
	int err;
};

/* ---- links ---- */

/* The MAC (zero unless 6 bytes long) and the carrier of an RTM_NEWLINK. */
static void link_mac_carrier(const struct ifinfomsg *ifi, const struct attrs *a,
			     __u8 mac[ETH_ALEN], bool *carrier)
{
	if (a->tb[IFLA_ADDRESS] && mnl_attr_get_payload_len(a->tb[IFLA_ADDRESS]) == ETH_ALEN)
		memcpy(mac, mnl_attr_get_payload(a->tb[IFLA_ADDRESS]), ETH_ALEN);
	if (a->tb[IFLA_CARRIER] && mnl_attr_get_payload_len(a->tb[IFLA_CARRIER]) >= 1)
		*carrier = mnl_attr_get_u8(a->tb[IFLA_CARRIER]);
	else
		*carrier = !!(ifi->ifi_flags & IFF_LOWER_UP);
}

static void links_reset(void *data)
{
	((struct dump_ctx *)data)->m->links.n = 0;
}

static int link_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dump_ctx *ctx = data;
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	struct xn_link_rec *l;
	struct attrs a = {};

	if (nlh->nlmsg_type != RTM_NEWLINK || nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*ifi)))
		return MNL_CB_OK;
	mnl_attr_parse(nlh, sizeof(*ifi), attr_collect, &a);
	if (!a.tb[IFLA_IFNAME] || mnl_attr_validate(a.tb[IFLA_IFNAME], MNL_TYPE_NUL_STRING) < 0)
		return MNL_CB_OK;

	l = XN_VEC_PUSH(ctx->m->links);
	if (!l) {
		ctx->err = -ENOMEM;
		errno = ENOMEM;
		return MNL_CB_ERROR;
	}
	l->ifindex = ifi->ifi_index;
	snprintf(l->name, sizeof(l->name), "%s", mnl_attr_get_str(a.tb[IFLA_IFNAME]));
	l->ifi_flags = ifi->ifi_flags;
	link_mac_carrier(ifi, &a, l->mac, &l->carrier);
	return MNL_CB_OK;
}

int xn_nl_dump_links(struct xn_nl *nl, struct xn_model *m)
{
	char req[XN_NL_REQ_SIZE] __attribute__((aligned(NLMSG_ALIGNTO)));
	struct dump_ctx ctx = { .m = m };
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(req);
	struct ifinfomsg *ifi;

	nlh->nlmsg_type = RTM_GETLINK;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	return xn_nl_dump(nl, nlh, link_cb, links_reset, &ctx);
}

/* ---- IPv4 addresses ---- */

static void addrs_reset(void *data)
{
	((struct dump_ctx *)data)->m->addrs.n = 0;
}

/* ifa_local and ifa_address of an RTM_NEWADDR / RTM_DELADDR (AF_INET):
 * inet_fill_ifaddr() sends IFA_ADDRESS (ifa_address) and IFA_LOCAL
 * (ifa_local); they differ only on point-to-point links. False if neither. */
static bool addr4_local_address(const struct attrs *a, __be32 *local, __be32 *address)
{
	bool has_local = attr_be32(a->tb[IFA_LOCAL], local);
	bool has_address = attr_be32(a->tb[IFA_ADDRESS], address);

	if (!has_local && !has_address)
		return false;
	if (!has_local)
		*local = *address;
	if (!has_address)
		*address = *local;
	return true;
}

static int addr_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dump_ctx *ctx = data;
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	struct xn_addr_rec *r;
	struct attrs a = {};
	__be32 local = 0, address = 0;
	__u32 flags;

	if (nlh->nlmsg_type != RTM_NEWADDR || nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*ifa)) ||
	    ifa->ifa_family != AF_INET)
		return MNL_CB_OK;
	mnl_attr_parse(nlh, sizeof(*ifa), attr_collect, &a);
	if (!addr4_local_address(&a, &local, &address))
		return MNL_CB_OK;
	if (!attr_u32(a.tb[IFA_FLAGS], &flags))
		flags = ifa->ifa_flags;

	r = XN_VEC_PUSH(ctx->m->addrs);
	if (!r) {
		ctx->err = -ENOMEM;
		errno = ENOMEM;
		return MNL_CB_ERROR;
	}
	r->ifindex = ifa->ifa_index;
	r->local = local;
	r->address = address;
	r->prefixlen = ifa->ifa_prefixlen;
	r->scope = ifa->ifa_scope;
	r->flags = flags;
	return MNL_CB_OK;
}

int xn_nl_dump_addrs(struct xn_nl *nl, struct xn_model *m)
{
	char req[XN_NL_REQ_SIZE] __attribute__((aligned(NLMSG_ALIGNTO)));
	struct dump_ctx ctx = { .m = m };
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(req);
	struct ifaddrmsg *ifa;

	nlh->nlmsg_type = RTM_GETADDR;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = AF_INET;
	return xn_nl_dump(nl, nlh, addr_cb, addrs_reset, &ctx);
}

/* ---- IPv6 addresses ---- */

static void addrs6_reset(void *data)
{
	((struct dump_ctx *)data)->m->addrs6.n = 0;
}

static bool attr_in6(const struct nlattr *attr, __u8 out[16])
{
	if (!attr || mnl_attr_get_payload_len(attr) != 16)
		return false;
	memcpy(out, mnl_attr_get_payload(attr), 16);
	return true;
}

static int addr6_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dump_ctx *ctx = data;
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	struct xn_addr6_rec *r;
	struct attrs a = {};
	__u8 addr[16];
	__u32 flags;

	if (nlh->nlmsg_type != RTM_NEWADDR || nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*ifa)) ||
	    ifa->ifa_family != AF_INET6)
		return MNL_CB_OK;
	mnl_attr_parse(nlh, sizeof(*ifa), attr_collect, &a);
	/* inet6_fill_ifaddr(): with a peer, IFA_LOCAL = ifa->addr and
	 * IFA_ADDRESS = the peer; without one IFA_ADDRESS = ifa->addr. */
	if (!attr_in6(a.tb[IFA_LOCAL], addr) && !attr_in6(a.tb[IFA_ADDRESS], addr))
		return MNL_CB_OK;
	if (!attr_u32(a.tb[IFA_FLAGS], &flags))
		flags = ifa->ifa_flags;

	r = XN_VEC_PUSH(ctx->m->addrs6);
	if (!r) {
		ctx->err = -ENOMEM;
		errno = ENOMEM;
		return MNL_CB_ERROR;
	}
	r->ifindex = ifa->ifa_index;
	memcpy(r->addr, addr, 16);
	r->prefixlen = ifa->ifa_prefixlen;
	r->scope = ifa->ifa_scope;
	r->flags = flags;
	return MNL_CB_OK;
}

int xn_nl_dump_addrs6(struct xn_nl *nl, struct xn_model *m)
{
	char req[XN_NL_REQ_SIZE] __attribute__((aligned(NLMSG_ALIGNTO)));
	struct dump_ctx ctx = { .m = m };
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(req);
	struct ifaddrmsg *ifa;

	nlh->nlmsg_type = RTM_GETADDR;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = AF_INET6;
	return xn_nl_dump(nl, nlh, addr6_cb, addrs6_reset, &ctx);
}

/* ---- IPv4 routes: the local table's /32s, and the xn_route4 sources ---- */

static void routes_reset(void *data)
{
	struct xn_model *m = ((struct dump_ctx *)data)->m;

	m->routes.n = 0;
	m->routes4.n = 0;
}

static __u32 route_table(const struct rtmsg *rtm, const struct attrs *a)
{
	__u32 table;

	/* rtm_table holds only 8 bits; RTA_TABLE the whole id. */
	return attr_u32(a->tb[RTA_TABLE], &table) ? table : rtm->rtm_table;
}

/* The next hops of a route into r: RTA_MULTIPATH (struct rtnexthop list),
 * else RTA_OIF. fib_dump_info() lists them for nexthop objects too unless
 * net.ipv4.nexthop_compat_mode is 0. */
static void route_nexthops(const struct rtmsg *rtm, const struct attrs *a, struct xn_rt4_rec *r)
{
	__u32 oif;

	if (a->tb[RTA_MULTIPATH]) {
		const struct rtnexthop *nh = mnl_attr_get_payload(a->tb[RTA_MULTIPATH]);
		int left = mnl_attr_get_payload_len(a->tb[RTA_MULTIPATH]);

		for (; left >= (int)sizeof(*nh) && RTNH_OK(nh, left);
		     left -= RTNH_ALIGN(nh->rtnh_len), nh = RTNH_NEXT(nh)) {
			if (r->nhs < XN_ROUTE4_NH_MAX)
				r->oif[r->nhs] = nh->rtnh_ifindex > 0 ? (__u32)nh->rtnh_ifindex : 0;
			r->nhs++;
			if (!(nh->rtnh_flags & RTNH_F_DEAD))
				r->alive++;
		}
	} else if (attr_u32(a->tb[RTA_OIF], &oif)) {
		r->nhs = 1;
		r->oif[0] = oif;
		/* one next hop: rtm_flags are its flags (fib_nexthop_info()
		 * adds RTNH_F_DEAD for linkdown with ignore_routes_with_linkdown) */
		r->alive = !(rtm->rtm_flags & RTNH_F_DEAD);
	}
}

static int route_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dump_ctx *ctx = data;
	const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	struct xn_rt4_rec *r4;
	struct attrs a = {};
	__be32 dst = 0;
	__u32 table, oif = 0;

	if (nlh->nlmsg_type != RTM_NEWROUTE || nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*rtm)) ||
	    rtm->rtm_family != AF_INET || rtm->rtm_dst_len > 32)
		return MNL_CB_OK;
	mnl_attr_parse(nlh, sizeof(*rtm), attr_collect, &a);
	table = route_table(rtm, &a);
	if (table != RT_TABLE_LOCAL && table != RT_TABLE_MAIN && table != RT_TABLE_DEFAULT)
		return MNL_CB_OK;
	if (rtm->rtm_dst_len && !attr_be32(a.tb[RTA_DST], &dst))
		return MNL_CB_OK;

	if (table == RT_TABLE_LOCAL && rtm->rtm_dst_len == 32 && !rtm->rtm_tos &&
	    (rtm->rtm_type == RTN_LOCAL || rtm->rtm_type == RTN_BROADCAST)) {
		struct xn_route_rec *r = XN_VEC_PUSH(ctx->m->routes);

		if (!r)
			goto nomem;
		attr_u32(a.tb[RTA_OIF], &oif);
		r->dst = dst;
		r->type = rtm->rtm_type;
		r->ifindex = oif;
		return MNL_CB_OK;
	}

	r4 = XN_VEC_PUSH(ctx->m->routes4);
	if (!r4)
		goto nomem;
	r4->table = table;
	r4->dst = dst;
	r4->dst_len = rtm->rtm_dst_len;
	r4->tos = rtm->rtm_tos;
	r4->type = rtm->rtm_type;
	r4->flags = rtm->rtm_flags;
	attr_u32(a.tb[RTA_PRIORITY], &r4->priority);
	attr_u32(a.tb[RTA_NH_ID], &r4->nh_id);
	route_nexthops(rtm, &a, r4);
	return MNL_CB_OK;
nomem:
	ctx->err = -ENOMEM;
	errno = ENOMEM;
	return MNL_CB_ERROR;
}

int xn_nl_dump_routes(struct xn_nl *nl, struct xn_model *m)
{
	char req[XN_NL_REQ_SIZE] __attribute__((aligned(NLMSG_ALIGNTO)));
	struct dump_ctx ctx = { .m = m };
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(req);
	struct rtmsg *rtm;

	nlh->nlmsg_type = RTM_GETROUTE;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = AF_INET;
	return xn_nl_dump(nl, nlh, route_cb, routes_reset, &ctx);
}

/* ---- nexthop objects ---- */

static void nexthops_reset(void *data)
{
	((struct dump_ctx *)data)->m->nexthops.n = 0;
}

static int nexthop_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dump_ctx *ctx = data;
	const struct nhmsg *nhm = mnl_nlmsg_get_payload(nlh);
	struct xn_nh_rec *r;
	struct attrs a = {};
	__u32 id;

	if (nlh->nlmsg_type != RTM_NEWNEXTHOP || nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*nhm)))
		return MNL_CB_OK;
	mnl_attr_parse(nlh, sizeof(*nhm), attr_collect, &a);
	if (!attr_u32(a.tb[NHA_ID], &id))
		return MNL_CB_OK;

	r = XN_VEC_PUSH(ctx->m->nexthops);
	if (!r) {
		ctx->err = -ENOMEM;
		errno = ENOMEM;
		return MNL_CB_ERROR;
	}
	r->id = id;
	attr_u32(a.tb[NHA_OIF], &r->oif);
	r->blackhole = a.tb[NHA_BLACKHOLE] != NULL;
	if (a.tb[NHA_GROUP]) {
		const struct nexthop_grp *g = mnl_attr_get_payload(a.tb[NHA_GROUP]);
		__u32 i, n = mnl_attr_get_payload_len(a.tb[NHA_GROUP]) / sizeof(*g);

		r->group = true;
		r->ngrp = n;
		for (i = 0; i < n && i < XN_ROUTE4_NH_MAX; i++)
			r->grp[i] = g[i].id;
	}
	return MNL_CB_OK;
}

int xn_nl_dump_nexthops(struct xn_nl *nl, struct xn_model *m)
{
	char req[XN_NL_REQ_SIZE] __attribute__((aligned(NLMSG_ALIGNTO)));
	struct dump_ctx ctx = { .m = m };
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(req);
	struct nhmsg *nhm;

	nlh->nlmsg_type = RTM_GETNEXTHOP;
	nhm = mnl_nlmsg_put_extra_header(nlh, sizeof(*nhm));
	/* both families: an IPv4 route may use an IPv6 next hop */
	nhm->nh_family = AF_UNSPEC;
	return xn_nl_dump(nl, nlh, nexthop_cb, nexthops_reset, &ctx);
}

/* ---- IPv4 policy rules ---- */

static void rules4_reset(void *data)
{
	((struct dump_ctx *)data)->m->rules4.n = 0;
}

/* Collect the attributes of a rule, and note any that selects packets:
 * everything but the table, the preference, the protocol, padding and the
 * suppress_* values the kernel reports as -1 when unset. An attribute this
 * code does not know counts as a selector. */
struct rule_attrs {
	struct attrs a;
	bool selectors;
};

static int rule_attr_collect(const struct nlattr *attr, void *data)
{
	struct rule_attrs *ra = data;

	switch (mnl_attr_get_type(attr)) {
	case FRA_TABLE:
	case FRA_PRIORITY:
	case FRA_PROTOCOL:
	case FRA_PAD:
		break;
	case FRA_SUPPRESS_PREFIXLEN:
	case FRA_SUPPRESS_IFGROUP:
		if (mnl_attr_get_payload_len(attr) != sizeof(__u32) ||
		    mnl_attr_get_u32(attr) != (__u32)-1)
			ra->selectors = true;
		break;
	default:
		ra->selectors = true;
		break;
	}
	return attr_collect(attr, &ra->a);
}

static int rule4_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dump_ctx *ctx = data;
	const struct fib_rule_hdr *frh = mnl_nlmsg_get_payload(nlh);
	struct rule_attrs ra = {};
	struct xn_rule4_rec *r;

	if (nlh->nlmsg_type != RTM_NEWRULE || nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*frh)) ||
	    frh->family != AF_INET)
		return MNL_CB_OK;
	mnl_attr_parse(nlh, sizeof(*frh), rule_attr_collect, &ra);

	r = XN_VEC_PUSH(ctx->m->rules4);
	if (!r) {
		ctx->err = -ENOMEM;
		errno = ENOMEM;
		return MNL_CB_ERROR;
	}
	if (!attr_u32(ra.a.tb[FRA_TABLE], &r->table))
		r->table = frh->table;
	attr_u32(ra.a.tb[FRA_PRIORITY], &r->pref);
	r->action = frh->action;
	r->src_len = frh->src_len;
	r->dst_len = frh->dst_len;
	r->tos = frh->tos;
	r->flags = frh->flags;
	r->selectors = ra.selectors;
	return MNL_CB_OK;
}

int xn_nl_dump_rules4(struct xn_nl *nl, struct xn_model *m)
{
	char req[XN_NL_REQ_SIZE] __attribute__((aligned(NLMSG_ALIGNTO)));
	struct dump_ctx ctx = { .m = m };
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(req);
	struct fib_rule_hdr *frh;

	nlh->nlmsg_type = RTM_GETRULE;
	frh = mnl_nlmsg_put_extra_header(nlh, sizeof(*frh));
	frh->family = AF_INET;
	return xn_nl_dump(nl, nlh, rule4_cb, rules4_reset, &ctx);
}

/* ---- proxy entries ---- */

static void proxies_reset(void *data)
{
	((struct dump_ctx *)data)->m->proxies.n = 0;
}

static int proxy_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dump_ctx *ctx = data;
	const struct ndmsg *ndm = mnl_nlmsg_get_payload(nlh);
	struct xn_proxy_rec *r;
	struct attrs a = {};
	size_t alen;

	if (nlh->nlmsg_type != RTM_NEWNEIGH || nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*ndm)) ||
	    !(ndm->ndm_flags & NTF_PROXY))
		return MNL_CB_OK;
	if (ndm->ndm_family == AF_INET)
		alen = 4;
	else if (ndm->ndm_family == AF_INET6)
		alen = 16;
	else
		return MNL_CB_OK;
	mnl_attr_parse(nlh, sizeof(*ndm), attr_collect, &a);
	if (!a.tb[NDA_DST] || mnl_attr_get_payload_len(a.tb[NDA_DST]) != alen)
		return MNL_CB_OK;

	r = XN_VEC_PUSH(ctx->m->proxies);
	if (!r) {
		ctx->err = -ENOMEM;
		errno = ENOMEM;
		return MNL_CB_ERROR;
	}
	r->ifindex = ndm->ndm_ifindex > 0 ? (__u32)ndm->ndm_ifindex : 0;
	r->family = ndm->ndm_family;
	memcpy(r->addr, mnl_attr_get_payload(a.tb[NDA_DST]), alen);
	r->flags = ndm->ndm_flags & ~NTF_PROXY;
	r->permanent = !!(ndm->ndm_state & NUD_PERMANENT);
	return MNL_CB_OK;
}

int xn_nl_dump_proxies(struct xn_nl *nl, struct xn_model *m)
{
	char req[XN_NL_REQ_SIZE] __attribute__((aligned(NLMSG_ALIGNTO)));
	struct dump_ctx ctx = { .m = m };
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(req);
	struct ndmsg *ndm;

	nlh->nlmsg_type = RTM_GETNEIGH;
	ndm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ndm));
	/* neigh_dump_info(): family 0 walks arp_tbl and nd_tbl; ndm_flags ==
	 * NTF_PROXY selects their pneigh tables. */
	ndm->ndm_family = AF_UNSPEC;
	ndm->ndm_flags = NTF_PROXY;
	return xn_nl_dump(nl, nlh, proxy_cb, proxies_reset, &ctx);
}

/* ---- notifications ---- */

static __u64 mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec * 1000000000ull + (__u64)ts.tv_nsec;
}

struct event_ctx {
	struct xn_nl *nl;
	unsigned int *dirty;
	__u64 at;			/* CLOCK_MONOTONIC ns the buffer was read */
};

/* Queue a device message (devev.h) for xn_nl_devmsgs_done()'s caller. */
static struct xn_devmsg *devmsg_push(struct event_ctx *ctx, enum xn_devmsg_kind kind,
				     __u32 ifindex)
{
	struct xn_nl *nl = ctx->nl;
	struct xn_devmsg *dm;

	if (nl->devmsgs.n >= XN_NL_DEVMSGS_MAX) {
		nl->devmsgs_lost = true;
		return NULL;
	}
	dm = XN_VEC_PUSH(nl->devmsgs);
	if (!dm) {
		nl->devmsgs_lost = true;
		return NULL;
	}
	dm->kind = (__u8)kind;
	dm->ifindex = ifindex;
	dm->at = ctx->at;
	return dm;
}

/* RTM_NEWLINK / RTM_DELLINK of family AF_UNSPEC, the device's own (IPv6
 * and bridge ones say other things: a bridge port's RTM_DELLINK is not the
 * device going away). */
static void link_event(struct event_ctx *ctx, const struct nlmsghdr *nlh)
{
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	struct xn_devmsg *dm;
	struct attrs a = {};

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*ifi)) || ifi->ifi_family != AF_UNSPEC ||
	    ifi->ifi_index <= 0)
		return;
	dm = devmsg_push(ctx, nlh->nlmsg_type == RTM_DELLINK ? XN_DEVMSG_DELLINK : XN_DEVMSG_LINK,
			 (__u32)ifi->ifi_index);
	if (!dm || dm->kind == XN_DEVMSG_DELLINK)
		return;
	mnl_attr_parse(nlh, sizeof(*ifi), attr_collect, &a);
	dm->ifi_flags = ifi->ifi_flags;
	link_mac_carrier(ifi, &a, dm->mac, &dm->carrier);
}

static void addr4_event(struct event_ctx *ctx, const struct nlmsghdr *nlh,
			const struct ifaddrmsg *ifa)
{
	struct attrs a = {};
	__be32 local = 0, address = 0;
	struct xn_devmsg *dm;

	mnl_attr_parse(nlh, sizeof(*ifa), attr_collect, &a);
	if (!addr4_local_address(&a, &local, &address))
		return;
	dm = devmsg_push(ctx, nlh->nlmsg_type == RTM_DELADDR ? XN_DEVMSG_DELADDR4 :
			 XN_DEVMSG_NEWADDR4, ifa->ifa_index);
	if (!dm)
		return;
	dm->local = local;
	dm->address = address;
	dm->prefixlen = ifa->ifa_prefixlen;
}

static int event_cb(const struct nlmsghdr *nlh, void *data)
{
	struct event_ctx *ctx = data;
	unsigned int *dirty = ctx->dirty;

	switch (nlh->nlmsg_type) {
	case RTM_NEWLINK:
	case RTM_DELLINK:
		*dirty |= XN_DIRTY_LINKS;
		link_event(ctx, nlh);
		break;
	case RTM_NEWADDR:
	case RTM_DELADDR: {
		const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);

		if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*ifa)))
			break;
		/* IPv6: also DAD completing or failing (the tentative and
		 * dadfailed flags change), and deprecation. */
		if (ifa->ifa_family == AF_INET) {
			*dirty |= XN_DIRTY_ADDRS;
			addr4_event(ctx, nlh, ifa);
		} else if (ifa->ifa_family == AF_INET6) {
			*dirty |= XN_DIRTY_ADDRS6;
		}
		break;
	}
	case RTM_NEWANYCAST:
	case RTM_DELANYCAST:
		*dirty |= XN_DIRTY_ANYCAST6;
		break;
	case RTM_NEWROUTE:
	case RTM_DELROUTE: {
		const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
		struct attrs a = {};
		__u32 table;

		if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*rtm)))
			break;
		mnl_attr_parse(nlh, sizeof(*rtm), attr_collect, &a);
		table = route_table(rtm, &a);
		/* IPv4: the local table feeds xn_local4; it, main and default
		 * feed xn_route4 and its validity. Other tables only matter
		 * through policy rules, and any rule but the defaults makes
		 * the mirror unusable anyway. */
		if (rtm->rtm_family == AF_INET) {
			if (table == RT_TABLE_LOCAL)
				*dirty |= XN_DIRTY_ROUTES;
			else if (table == RT_TABLE_MAIN || table == RT_TABLE_DEFAULT)
				*dirty |= XN_DIRTY_ROUTES4;
			break;
		}
		if (table != RT_TABLE_LOCAL)
			break;
		/* IPv6 local-table routes come and go with addresses. They
		 * are the only notification of an optimistic address before
		 * its DAD ends (inet6_addr_add() skips ipv6_ifa_notify() for
		 * it; addrconf_dad_begin() inserts its route), and of anycast
		 * addresses before 6.13 (__ipv6_dev_ac_inc() inserts an
		 * RTN_ANYCAST route). */
		if (rtm->rtm_family == AF_INET6)
			*dirty |= XN_DIRTY_ADDRS6 | XN_DIRTY_ANYCAST6;
		break;
	}
	case RTM_NEWRULE:
	case RTM_DELRULE: {
		const struct fib_rule_hdr *frh = mnl_nlmsg_get_payload(nlh);

		if (nlh->nlmsg_len >= mnl_nlmsg_size(sizeof(*frh)) && frh->family == AF_INET)
			*dirty |= XN_DIRTY_RULES;
		break;
	}
	case RTM_NEWNEXTHOP:
	case RTM_DELNEXTHOP:
		/* A nexthop object changed under routes that use it (with
		 * nexthop_compat_mode 0 no route notification follows). */
		*dirty |= XN_DIRTY_ROUTES4;
		break;
	case RTM_NEWNEIGH:
	case RTM_DELNEIGH: {
		const struct ndmsg *ndm = mnl_nlmsg_get_payload(nlh);

		/* Ordinary neighbour churn is not ours to mirror: only proxies. */
		if (nlh->nlmsg_len >= mnl_nlmsg_size(sizeof(*ndm)) &&
		    (ndm->ndm_family == AF_INET || ndm->ndm_family == AF_INET6) &&
		    (ndm->ndm_flags & NTF_PROXY))
			*dirty |= XN_DIRTY_PROXIES;
		break;
	}
	default:
		break;
	}
	return MNL_CB_OK;
}

int xn_nl_read_events(struct xn_nl *nl, unsigned int *dirty)
{
	struct event_ctx ctx = { .nl = nl, .dirty = dirty };

	for (;;) {
		ssize_t len = mnl_socket_recvfrom(nl->ev, nl->buf, XN_NL_BUF_SIZE);

		if (len < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 0;
			if (errno == EINTR)
				continue;
			if (errno == ENOBUFS) {
				pr_info("rtnetlink notifications overran the socket; full resync\n");
				*dirty |= XN_DIRTY_ALL;
				nl->devmsgs_lost = true;
				continue;
			}
			pr_warn("reading rtnetlink notifications: %s\n", strerror(errno));
			return -errno;
		}
		ctx.at = mono_ns();
		/* seq 0 and portid 0: notifications, no sequence checks. */
		mnl_cb_run(nl->buf, len, 0, 0, event_cb, &ctx);
	}
}

void xn_nl_devmsgs_done(struct xn_nl *nl)
{
	nl->devmsgs.n = 0;
	nl->devmsgs_lost = false;
}
