// SPDX-License-Identifier: GPL-2.0
/* xneighd: pure functions over the mirrored kernel state (see model.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <linux/rtnetlink.h>
#include "model.h"

void *xn_vec_push(void **v, size_t *n, size_t *cap, size_t elsz)
{
	char *p;

	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 16;

		p = realloc(*v, ncap * elsz);
		if (!p)
			return NULL;
		*v = p;
		*cap = ncap;
	}
	p = (char *)*v + (*n)++ * elsz;
	memset(p, 0, elsz);
	return p;
}

void xn_model_free(struct xn_model *m)
{
	free(m->links.v);
	free(m->addrs.v);
	free(m->routes.v);
	free(m->proxies.v);
	memset(m, 0, sizeof(*m));
}

const struct xn_link_rec *xn_model_link(const struct xn_model *m, __u32 ifindex)
{
	size_t i;

	for (i = 0; i < m->links.n; i++)
		if (m->links.v[i].ifindex == ifindex)
			return &m->links.v[i];
	return NULL;
}

const char *xn_model_ifname(const struct xn_model *m, __u32 ifindex, char *buf, size_t len)
{
	const struct xn_link_rec *l = xn_model_link(m, ifindex);

	if (l)
		snprintf(buf, len, "%s", l->name);
	else if (!if_indextoname(ifindex, buf))
		snprintf(buf, len, "if%u", ifindex);
	return buf;
}

/* inet_make_mask() */
static __be32 prefix_mask(unsigned int len)
{
	return len ? htonl(~0u << (32 - (len > 32 ? 32 : len))) : 0;
}

bool xn_ifa_match(__be32 addr, const struct xn_addr_rec *ifa)
{
	return !((addr ^ ifa->address) & prefix_mask(ifa->prefixlen));
}

/* A line-by-line transcription of confirm_addr_indev() (net/ipv4/devinet.c):
 * walk the interface's addresses in list order; `addr` is the first address
 * equal to `local` (any address if local is 0) whose scope, with host scope
 * lowered to link under route_localnet, is at most `scope`; `same` says some
 * address's prefix contains local (if given) and dst (if given). When both
 * are known the walk stops; with dst and no local it prefers an addr inside
 * dst's prefix, as the kernel does. */
__be32 xn_confirm_addr_indev(const struct xn_addr_rec *addrs, size_t n, __u32 ifindex,
			     bool route_localnet, __be32 dst, __be32 local,
			     unsigned char scope)
{
	unsigned char localnet_scope = route_localnet ? RT_SCOPE_LINK : RT_SCOPE_HOST;
	__be32 addr = 0;
	bool same = false;
	size_t i;

	for (i = 0; i < n; i++) {
		const struct xn_addr_rec *ifa = &addrs[i];
		unsigned char min_scope;

		if (ifa->ifindex != ifindex)
			continue;
		min_scope = ifa->scope < localnet_scope ? ifa->scope : localnet_scope;

		if (!addr && (local == ifa->local || !local) && min_scope <= scope) {
			addr = ifa->local;
			if (same)
				break;
		}
		if (!same) {
			same = (!local || xn_ifa_match(local, ifa)) &&
			       (!dst || xn_ifa_match(dst, ifa));
			if (same && addr) {
				if (local || !dst)
					break;
				/* Is the selected addr in dst's subnet? */
				if (xn_ifa_match(addr, ifa))
					break;
				/* No: can this address be the source instead? */
				if (min_scope <= scope) {
					addr = ifa->local;
					break;
				}
				/* Look for a larger subnet of dst containing addr. */
				same = false;
			}
		}
	}
	return same ? addr : 0;
}

__be32 xn_inet_confirm_addr(const struct xn_model *m, __be32 dst, __be32 local,
			    unsigned char scope)
{
	size_t i;

	for (i = 0; i < m->links.n; i++) {
		const struct xn_link_rec *l = &m->links.v[i];
		__be32 addr;

		if (!l->ipv4)		/* for_each_netdev: only devices with an in_device */
			continue;
		addr = xn_confirm_addr_indev(m->addrs.v, m->addrs.n, l->ifindex,
					     xn_conf_route_localnet(&m->all, &l->conf),
					     dst, local, scope);
		if (addr)
			return addr;
	}
	return 0;
}

void xn_model_local4(const struct xn_model *m, const struct xn_route_rec *r,
		     struct xn_local4 *out)
{
	memset(out, 0, sizeof(*out));
	out->type = r->type;
	out->ifindex = r->ifindex;
	/* ARP-R3, arp_ignore=3: arp_ignore() -> inet_confirm_addr(net, NULL, 0,
	 * tip, RT_SCOPE_LINK). Evaluated here for every local address so the
	 * data plane only reads a flag. */
	if (xn_inet_confirm_addr(m, 0, r->dst, RT_SCOPE_LINK))
		out->flags |= XN_LOCAL_CONFIRM_LINK;
}

void xn_model_ifconf(const struct xn_model *m, const struct xn_link_rec *l,
		     struct xn_ifconf *out)
{
	memset(out, 0, sizeof(*out));
	memcpy(out->mac, l->mac, ETH_ALEN);
	out->flags = XN_IFF_CONFIGURED;
	if (l->ifi_flags & IFF_UP)
		out->flags |= XN_IFF_UP;
	if (l->ifi_flags & IFF_NOARP)
		out->flags |= XN_IFF_NOARP;
	if (l->ifi_flags & IFF_LOOPBACK)
		out->flags |= XN_IFF_LOOPBACK;
	if (l->carrier)
		out->flags |= XN_IFF_CARRIER;
	if (l->ipv4)
		out->flags |= XN_IFF_IPV4;
	xn_sysctl_combine(&m->all, &l->conf, &l->neigh, out);
}

unsigned int xn_model_ifaddrs(const struct xn_model *m, __u32 ifindex,
			      struct xn_ifaddrs4 *out)
{
	unsigned int total = 0;
	size_t i;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < m->addrs.n; i++) {
		const struct xn_addr_rec *a = &m->addrs.v[i];

		if (a->ifindex != ifindex)
			continue;
		if (total < XN_IFADDR4_MAX) {
			struct xn_ifaddr4 *d = &out->a[total];

			d->addr = a->local;
			d->prefixlen = a->prefixlen;
			d->scope = a->scope;
			d->flags = a->flags & 0xff;
		}
		total++;
	}
	out->count = total < XN_IFADDR4_MAX ? total : XN_IFADDR4_MAX;
	return total;
}

__u32 xn_model_fib_ifindex(const struct xn_model *m)
{
	__u32 first = 0;
	size_t i;

	for (i = 0; i < m->links.n; i++) {
		const struct xn_link_rec *l = &m->links.v[i];

		/* bpf_ipv4_fib_lookup(): BPF_FIB_LKUP_RET_FWD_DISABLED unless
		 * IN_DEV_FORWARD() of the lookup's device. */
		if (!l->ipv4 || !l->conf.forwarding)
			continue;
		if (l->ifi_flags & IFF_LOOPBACK)
			return l->ifindex;
		if (!first)
			first = l->ifindex;
	}
	return first;
}
