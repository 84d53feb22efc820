// SPDX-License-Identifier: GPL-2.0
/* xneighd: device events -> neighbour flushes (see devev.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <net/if.h>
#include "devev.h"

/* net/core/dev.c __dev_notify_flags(): a flag change on an up device
 * raises NETDEV_CHANGE unless only these changed (IFF_VOLATILE is
 * include/uapi/linux/if.h's set of flags the driver, not the admin, owns). */
#ifndef IFF_LOWER_UP
#define IFF_LOWER_UP	(1 << 16)
#endif
#ifndef IFF_DORMANT
#define IFF_DORMANT	(1 << 17)
#endif
#ifndef IFF_ECHO
#define IFF_ECHO	(1 << 18)
#endif
#define XN_IFF_VOLATILE	(IFF_LOOPBACK | IFF_POINTOPOINT | IFF_BROADCAST | IFF_ECHO | \
			 IFF_MASTER | IFF_SLAVE | IFF_RUNNING | IFF_LOWER_UP | IFF_DORMANT)
#define XN_IFF_NO_CHANGE_EVENT	(IFF_UP | IFF_PROMISC | IFF_ALLMULTI | XN_IFF_VOLATILE)

const char *xn_devev_why_str(int why)
{
	switch (why) {
	case XN_DEVEV_DOWN:		return "set down";
	case XN_DEVEV_CHANGEADDR:	return "MAC address changed";
	case XN_DEVEV_NOARP:		return "NOARP flag changed";
	case XN_DEVEV_CARRIER:		return "carrier lost";
	case XN_DEVEV_NOADDR4:		return "last IPv4 address removed";
	case XN_DEVEV_NOIPV4:		return "IPv4 disabled";
	case XN_DEVEV_NOIPV6:		return "IPv6 disabled";
	case XN_DEVEV_GONE:		return "deleted";
	default:			return "?";
	}
}

void xn_devev_free(struct xn_devev *t)
{
	free(t->links.v);
	free(t->addrs.v);
	memset(t, 0, sizeof(*t));
}

/* Ask for a flush; an earlier one of the same (family, ifindex) in this
 * batch is widened instead (skip_perm only if both keep PERMANENT). */
static int want(struct xn_devev_out *out, __u32 ifindex, int family, bool skip_perm, int why,
		__u64 before)
{
	struct xn_devev_flush *f;
	size_t i;

	for (i = 0; i < out->v.n; i++) {
		f = &out->v.v[i];
		if (f->ifindex != ifindex || f->family != family)
			continue;
		if (f->skip_perm && !skip_perm) {
			f->skip_perm = false;
			f->why = (__u8)why;
		}
		if (before > f->before)
			f->before = before;
		return 0;
	}
	f = XN_VEC_PUSH(out->v);
	if (!f)
		return -ENOMEM;
	f->ifindex = ifindex;
	f->family = (__u8)family;
	f->skip_perm = skip_perm;
	f->why = (__u8)why;
	f->before = before;
	return 0;
}

static int want_both(struct xn_devev_out *out, __u32 ifindex, bool skip_perm, int why,
		     __u64 before)
{
	int err = want(out, ifindex, AF_INET, skip_perm, why, before);

	return err ? err : want(out, ifindex, AF_INET6, skip_perm, why, before);
}

static struct xn_devev_link *link_find(struct xn_devev *t, __u32 ifindex)
{
	size_t i;

	for (i = 0; i < t->links.n; i++)
		if (t->links.v[i].ifindex == ifindex)
			return &t->links.v[i];
	return NULL;
}

static void link_drop(struct xn_devev *t, struct xn_devev_link *l)
{
	size_t i = (size_t)(l - t->links.v);

	memmove(l, l + 1, (t->links.n - i - 1) * sizeof(*l));
	t->links.n--;
}

/* The sysctl side of a link, from the model (its directories exist or not). */
static void link_conf_from(struct xn_devev_link *l, const struct xn_link_rec *r)
{
	l->ipv4 = r->ipv4;
	l->ipv6 = r->ipv6;
	l->v6_disabled = r->ipv6 && r->conf6.disable_ipv6;
}

/* ---- the address set ---------------------------------------------------------- */

static int addr_cmp(const struct xn_devev_addr *a, const struct xn_devev_addr *b)
{
	if (a->ifindex != b->ifindex)
		return a->ifindex < b->ifindex ? -1 : 1;
	if (a->local != b->local)
		return a->local < b->local ? -1 : 1;
	if (a->address != b->address)
		return a->address < b->address ? -1 : 1;
	return (int)a->prefixlen - (int)b->prefixlen;
}

/* Index of `a` in the sorted set, or where it would go (*found false). */
static size_t addr_pos(const struct xn_devev *t, const struct xn_devev_addr *a, bool *found)
{
	size_t lo = 0, hi = t->addrs.n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = addr_cmp(a, &t->addrs.v[mid]);

		if (!c) {
			*found = true;
			return mid;
		}
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	*found = false;
	return lo;
}

static int addr_insert(struct xn_devev *t, const struct xn_devev_addr *a, bool *added)
{
	bool found;
	size_t pos = addr_pos(t, a, &found);

	*added = false;
	if (found)
		return 0;		/* a change of an address we have */
	if (!XN_VEC_PUSH(t->addrs))
		return -ENOMEM;
	memmove(&t->addrs.v[pos + 1], &t->addrs.v[pos],
		(t->addrs.n - 1 - pos) * sizeof(*t->addrs.v));
	t->addrs.v[pos] = *a;
	*added = true;
	return 0;
}

static bool addr_remove(struct xn_devev *t, const struct xn_devev_addr *a)
{
	bool found;
	size_t pos = addr_pos(t, a, &found);

	if (!found)
		return false;
	memmove(&t->addrs.v[pos], &t->addrs.v[pos + 1],
		(t->addrs.n - 1 - pos) * sizeof(*t->addrs.v));
	t->addrs.n--;
	return true;
}

/* The set and the per-link counts from the model's addresses. */
static int addrs_from_model(struct xn_devev *t, const struct xn_model *m)
{
	size_t i;
	int err;

	t->addrs.n = 0;
	for (i = 0; i < t->links.n; i++)
		t->links.v[i].naddr4 = 0;
	for (i = 0; i < m->addrs.n; i++) {
		const struct xn_addr_rec *r = &m->addrs.v[i];
		struct xn_devev_addr a = {
			.ifindex = r->ifindex, .local = r->local, .address = r->address,
			.prefixlen = r->prefixlen,
		};
		struct xn_devev_link *l;
		bool added;

		err = addr_insert(t, &a, &added);
		if (err)
			return err;
		l = link_find(t, r->ifindex);
		if (added && l)
			l->naddr4++;
	}
	return 0;
}

/* ---- links ------------------------------------------------------------------------ */

/* arp_netdev_event(), ndisc_netdev_event(): NETDEV_CHANGE with the carrier
 * off evicts if {arp,ndisc}_evict_nocarrier (all AND dev), or always when
 * the device has no IPv4 / IPv6 state. */
static int carrier_down(const struct xn_model *m, __u32 ifindex, __u64 before,
			struct xn_devev_out *out)
{
	const struct xn_link_rec *r = xn_model_link(m, ifindex);
	bool evict4 = true, evict6 = true;
	int err = 0;

	if (r && r->ipv4)
		evict4 = m->all.arp_evict_nocarrier && r->conf.arp_evict_nocarrier;
	if (r && r->ipv6)
		evict6 = m->all6.ndisc_evict_nocarrier && r->conf6.ndisc_evict_nocarrier;
	if (evict4)
		err = want(out, ifindex, AF_INET, true, XN_DEVEV_CARRIER, before);
	if (!err && evict6)
		err = want(out, ifindex, AF_INET6, true, XN_DEVEV_CARRIER, before);
	return err;
}

static bool mac_zero(const __u8 *mac)
{
	static const __u8 zero[ETH_ALEN];

	return !memcmp(mac, zero, ETH_ALEN);
}

/* The device went from state `was` to the one in `now` (one RTM_NEWLINK). */
static int link_changed(const struct xn_model *m, const struct xn_devev_link *was,
			const struct xn_devmsg *now, struct xn_devev_out *out)
{
	bool up_was = was->ifi_flags & IFF_UP, up_now = now->ifi_flags & IFF_UP;
	unsigned int flags_changed = was->ifi_flags ^ now->ifi_flags;
	bool change_event;
	int err = 0;

	/* NETDEV_DOWN: fib_disable_ip() -> arp_ifdown(); ndisc_netdev_event()
	 * and addrconf_ifdown() -> neigh_ifdown(&nd_tbl) */
	if (up_was && !up_now)
		err = want_both(out, now->ifindex, false, XN_DEVEV_DOWN, now->at);
	/* NETDEV_CHANGEADDR, sent whether the device is up or not (a message
	 * without a 6-byte address says nothing about it) */
	if (!err && !mac_zero(was->mac) && !mac_zero(now->mac) &&
	    memcmp(was->mac, now->mac, ETH_ALEN))
		err = want_both(out, now->ifindex, false, XN_DEVEV_CHANGEADDR, now->at);
	if (err || !up_now)
		return err;
	/* NETDEV_CHANGE comes from netdev_state_change() (the carrier or the
	 * operational state moved; only the carrier going away is visible
	 * here) and from a flag change on an up device */
	change_event = (up_was && was->carrier && !now->carrier) ||
		       (flags_changed & ~(unsigned int)XN_IFF_NO_CHANGE_EVENT);
	if (!change_event)
		return 0;
	if (flags_changed & IFF_NOARP)
		err = want_both(out, now->ifindex, false, XN_DEVEV_NOARP, now->at);
	if (!err && !now->carrier)
		err = carrier_down(m, now->ifindex, now->at, out);
	return err;
}

static void link_take(struct xn_devev_link *l, const struct xn_devmsg *msg)
{
	l->ifi_flags = msg->ifi_flags;
	l->carrier = msg->carrier;
	if (!mac_zero(msg->mac))
		memcpy(l->mac, msg->mac, ETH_ALEN);
}

static void msg_from_rec(const struct xn_link_rec *r, struct xn_devmsg *msg)
{
	memset(msg, 0, sizeof(*msg));
	msg->kind = XN_DEVMSG_LINK;
	msg->ifindex = r->ifindex;
	msg->ifi_flags = r->ifi_flags;
	msg->carrier = r->carrier;
	memcpy(msg->mac, r->mac, ETH_ALEN);
}

/* A link the tracker does not know yet, as the message or the model says. */
static struct xn_devev_link *link_add(struct xn_devev *t, const struct xn_model *m,
				      const struct xn_devmsg *msg)
{
	const struct xn_link_rec *r = xn_model_link(m, msg->ifindex);
	struct xn_devev_link *l = XN_VEC_PUSH(t->links);
	size_t i;

	if (!l)
		return NULL;
	l->ifindex = msg->ifindex;
	link_take(l, msg);
	if (r)
		link_conf_from(l, r);
	for (i = 0; i < t->addrs.n; i++)
		if (t->addrs.v[i].ifindex == msg->ifindex)
			l->naddr4++;
	return l;
}

/* ---- entry points ------------------------------------------------------------------ */

int xn_devev_reset(struct xn_devev *t, const struct xn_model *m)
{
	size_t i;

	t->links.n = 0;
	for (i = 0; i < m->links.n; i++) {
		struct xn_devmsg msg;

		msg_from_rec(&m->links.v[i], &msg);
		if (!link_add(t, m, &msg))
			return -ENOMEM;
	}
	return addrs_from_model(t, m);
}

int xn_devev_msg(struct xn_devev *t, const struct xn_model *m, const struct xn_devmsg *msg,
		 struct xn_devev_out *out)
{
	struct xn_devev_link *l = link_find(t, msg->ifindex);
	struct xn_devev_addr a = {
		.ifindex = msg->ifindex, .local = msg->local, .address = msg->address,
		.prefixlen = msg->prefixlen,
	};
	bool added;
	int err;

	switch (msg->kind) {
	case XN_DEVMSG_LINK:
		if (!l)
			/* new to us: nothing of it can be in a table yet
			 * that an event of the past would have removed */
			return link_add(t, m, msg) ? 0 : -ENOMEM;
		err = link_changed(m, l, msg, out);
		link_take(l, msg);
		return err;
	case XN_DEVMSG_DELLINK: {
		size_t i, kept = 0;

		/* NETDEV_UNREGISTER (also a move to another namespace) */
		err = want_both(out, msg->ifindex, false, XN_DEVEV_GONE, msg->at);
		if (l)
			link_drop(t, l);
		for (i = 0; i < t->addrs.n; i++)
			if (t->addrs.v[i].ifindex != msg->ifindex)
				t->addrs.v[kept++] = t->addrs.v[i];
		t->addrs.n = kept;
		return err;
	}
	case XN_DEVMSG_NEWADDR4:
		err = addr_insert(t, &a, &added);
		if (!err && added && l)
			l->naddr4++;
		return err;
	case XN_DEVMSG_DELADDR4:
		if (!addr_remove(t, &a) || !l)
			return 0;
		/* fib_inetaddr_event(NETDEV_DOWN): the last address of the
		 * device went -> fib_disable_ip() -> arp_ifdown() */
		if (l->naddr4 && !--l->naddr4)
			return want(out, msg->ifindex, AF_INET, false, XN_DEVEV_NOADDR4,
				    msg->at);
		return 0;
	default:
		return 0;
	}
}

int xn_devev_sync(struct xn_devev *t, const struct xn_model *m, bool lost, __u64 now_ns,
		  struct xn_devev_out *out)
{
	size_t i;
	int err = 0;

	for (i = 0; i < m->links.n && !err; i++) {
		const struct xn_link_rec *r = &m->links.v[i];
		struct xn_devev_link *l = link_find(t, r->ifindex), now;
		struct xn_devmsg msg;

		msg_from_rec(r, &msg);
		msg.at = now_ns;
		if (!l) {
			if (!link_add(t, m, &msg))
				err = -ENOMEM;
			continue;
		}
		if (lost) {
			err = link_changed(m, l, &msg, out);
			link_take(l, &msg);
		}
		now = *l;
		link_conf_from(&now, r);
		/* inetdev_destroy() -> arp_ifdown() */
		if (!err && l->ipv4 && !now.ipv4)
			err = want(out, r->ifindex, AF_INET, false, XN_DEVEV_NOIPV4, now_ns);
		/* disable_ipv6 = 1, or the inet6_dev destroyed (MTU below
		 * 1280): addrconf_ifdown() -> rt6_disable_ip() -> neigh_ifdown() */
		if (!err && ((l->ipv6 && !now.ipv6) || (!l->v6_disabled && now.v6_disabled)))
			err = want(out, r->ifindex, AF_INET6, false, XN_DEVEV_NOIPV6, now_ns);
		link_conf_from(l, r);
	}
	if (err || !lost)
		return err;
	/* Devices missing from the dump are only forgotten: a partial dump must
	 * not flush a device that exists. The addresses start again from the
	 * model, and a device left without any was flushed by the kernel. */
	for (i = 0; i < t->links.n;) {
		if (!xn_model_link(m, t->links.v[i].ifindex))
			link_drop(t, &t->links.v[i]);
		else
			i++;
	}
	{
		XN_VEC(__u32) had = { 0 };

		for (i = 0; i < t->links.n; i++) {
			__u32 *p;

			if (!t->links.v[i].naddr4)
				continue;
			p = XN_VEC_PUSH(had);
			if (!p) {
				free(had.v);
				return -ENOMEM;
			}
			*p = t->links.v[i].ifindex;
		}
		err = addrs_from_model(t, m);
		for (i = 0; i < had.n && !err; i++) {
			struct xn_devev_link *l = link_find(t, had.v[i]);

			if (l && !l->naddr4)
				err = want(out, had.v[i], AF_INET, false, XN_DEVEV_NOADDR4,
					   now_ns);
		}
		free(had.v);
	}
	return err;
}
