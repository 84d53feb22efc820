// SPDX-License-Identifier: GPL-2.0
/* xneighd: pure functions over the mirrored kernel state (see model.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <linux/if_addr.h>
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
	free(m->addrs6.v);
	free(m->anycast6.v);
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
	/* ipv6_rcv() drops everything on an inet6_dev with disable_ipv6. */
	if (l->ipv6 && !l->conf6.disable_ipv6)
		out->flags |= XN_IFF_IPV6;
	xn_sysctl_combine(&m->all, &l->conf, &l->neigh, out);
	xn_sysctl_combine6(&m->all6, &l->conf6, &l->neigh6, out);
	xn_model_src6(m, l->ifindex, out->src6_ll, out->src6_global);
}

static bool ip6_is_zero(const __u8 a[16])
{
	static const __u8 zero[16];

	return !memcmp(a, zero, 16);
}

void xn_model_src6(const struct xn_model *m, __u32 ifindex, __u8 ll[16], __u8 global[16])
{
	/* rank: 0 none yet, 1 usable but avoided by rule 3, 2 preferred */
	int rank_ll = 0, rank_gl = 0;
	size_t i;

	memset(ll, 0, 16);
	memset(global, 0, 16);
	for (i = 0; i < m->addrs6.n; i++) {
		const struct xn_addr6_rec *a = &m->addrs6.v[i];
		int rank, *best;
		__u8 *slot;

		if (a->ifindex != ifindex)
			continue;
		/* __ipv6_dev_get_saddr(): a tentative address is no candidate
		 * unless optimistic; a dadfailed one is tentative too, but
		 * say it rather than rely on that. */
		if ((a->flags & IFA_F_TENTATIVE) && !(a->flags & IFA_F_OPTIMISTIC))
			continue;
		if (a->flags & IFA_F_DADFAILED)
			continue;
		if (ip6_is_zero(a->addr) || a->addr[0] == 0xff)
			continue;
		if (a->scope == RT_SCOPE_LINK) {
			slot = ll;
			best = &rank_ll;
		} else if (a->scope == RT_SCOPE_UNIVERSE) {
			slot = global;
			best = &rank_gl;
		} else {
			continue;
		}
		/* Rule 3: avoid deprecated and (with use_optimistic off, the
		 * default) optimistic addresses. Among equals the first in
		 * list order stays: a later candidate replaces the best one
		 * only when strictly better. */
		rank = a->flags & (IFA_F_DEPRECATED | IFA_F_OPTIMISTIC) ? 1 : 2;
		if (rank > *best) {
			memcpy(slot, a->addr, 16);
			*best = rank;
		}
	}
}

__u8 xn_ipv6_scope(const __u8 a[16])
{
	static const __u8 loopback[16] = { [15] = 1 };

	if (!memcmp(a, loopback, 16))
		return RT_SCOPE_HOST;
	if (a[0] == 0xfe && (a[1] & 0xc0) == 0x80)
		return RT_SCOPE_LINK;
	if (a[0] == 0xfe && (a[1] & 0xc0) == 0xc0)
		return RT_SCOPE_SITE;
	return RT_SCOPE_UNIVERSE;
}

void xn_model_addr6(const struct xn_addr6_rec *a, struct xn_addr6_key *k, struct xn_addr6 *v)
{
	memset(k, 0, sizeof(*k));
	memset(v, 0, sizeof(*v));
	k->ifindex = a->ifindex;
	memcpy(k->addr, a->addr, 16);
	/* IFA_F_* end at 0x800 today; a future flag at our ANYCAST bit must
	 * not turn a unicast address into an anycast one */
	v->flags = a->flags & ~XN_ADDR6_ANYCAST;
	v->prefixlen = a->prefixlen;
	v->scope = a->scope;
}

bool xn_model_acaddr6(const struct xn_model *m, const struct xn_acaddr6_rec *a,
		      struct xn_addr6_key *k, struct xn_addr6 *v)
{
	size_t i;

	for (i = 0; i < m->addrs6.n; i++)
		if (m->addrs6.v[i].ifindex == a->ifindex &&
		    !memcmp(m->addrs6.v[i].addr, a->addr, 16))
			return false;
	memset(k, 0, sizeof(*k));
	memset(v, 0, sizeof(*v));
	k->ifindex = a->ifindex;
	memcpy(k->addr, a->addr, 16);
	v->flags = XN_ADDR6_ANYCAST;
	v->prefixlen = 128;
	v->scope = xn_ipv6_scope(a->addr);
	return true;
}

void xn_prefix6_key_make(__u32 ifindex, const __u8 addr[16], unsigned int plen,
			 struct xn_prefix6_key *k)
{
	unsigned int i;

	if (plen > 128)
		plen = 128;
	memset(k, 0, sizeof(*k));
	k->prefixlen = 32 + plen;
	k->ifindex = htonl(ifindex);
	for (i = 0; i < 16; i++) {
		unsigned int bits = plen > i * 8 ? plen - i * 8 : 0;

		if (bits >= 8)
			k->addr[i] = addr[i];
		else if (bits)
			k->addr[i] = addr[i] & (__u8)(0xff << (8 - bits));
	}
}

/* ---- /proc/net/anycast6 ---- */

/* The next blank-separated token of [*p, end) on the current line: its start
 * and length; false at the end of the line. */
static bool next_token(const char **p, const char *end, const char **tok, size_t *len)
{
	const char *s = *p;

	while (s < end && *s == ' ')
		s++;
	if (s == end || *s == '\n') {
		*p = s;
		return false;
	}
	*tok = s;
	while (s < end && *s != ' ' && *s != '\n')
		s++;
	*len = (size_t)(s - *tok);
	*p = s;
	return true;
}

/* An unsigned decimal of at most 10 digits into *out (<= max). */
static bool parse_udec(const char *t, size_t len, unsigned long max, unsigned long *out)
{
	unsigned long v = 0;
	size_t i;

	if (!len || len > 10)
		return false;
	for (i = 0; i < len; i++) {
		if (t[i] < '0' || t[i] > '9')
			return false;
		v = v * 10 + (unsigned long)(t[i] - '0');
	}
	if (v > max)
		return false;
	*out = v;
	return true;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int xn_anycast6_parse(const char *text, size_t len, struct xn_model *out,
		      char *err, size_t errlen)
{
	const char *p = text, *end = text + len;
	unsigned int line = 0;

	out->anycast6.n = 0;
	if (!len)
		return 0;
	while (p < end) {
		const char *tok[5], *eol;
		size_t tlen[5], ntok = 0, i;
		struct xn_acaddr6_rec *r;
		unsigned long ifindex, users;

		line++;
		eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol) {
			snprintf(err, errlen, "line %u: no newline at the end (truncated read?)",
				 line);
			return -EINVAL;
		}
		while (ntok < 5 && next_token(&p, eol, &tok[ntok], &tlen[ntok]))
			ntok++;
		if (ntok != 4) {
			snprintf(err, errlen, "line %u: %zu fields, expected 4 (ifindex, device, "
				 "address, users)", line, ntok);
			return -EINVAL;
		}
		if (!parse_udec(tok[0], tlen[0], 0x7fffffff, &ifindex) || !ifindex) {
			snprintf(err, errlen, "line %u: bad ifindex '%.*s'", line, (int)tlen[0],
				 tok[0]);
			return -EINVAL;
		}
		if (tlen[1] >= IF_NAMESIZE) {
			snprintf(err, errlen, "line %u: device name '%.*s' too long", line,
				 (int)tlen[1], tok[1]);
			return -EINVAL;
		}
		if (tlen[2] != 32) {
			snprintf(err, errlen, "line %u: bad address '%.*s': expected 32 hex digits",
				 line, (int)tlen[2], tok[2]);
			return -EINVAL;
		}
		r = XN_VEC_PUSH(out->anycast6);
		if (!r) {
			snprintf(err, errlen, "out of memory");
			return -ENOMEM;
		}
		r->ifindex = (__u32)ifindex;
		for (i = 0; i < 16; i++) {
			int hi = hexval(tok[2][2 * i]), lo = hexval(tok[2][2 * i + 1]);

			if (hi < 0 || lo < 0) {
				out->anycast6.n--;
				snprintf(err, errlen, "line %u: bad address '%.*s': not hex", line,
					 (int)tlen[2], tok[2]);
				return -EINVAL;
			}
			r->addr[i] = (__u8)(hi << 4 | lo);
		}
		if (!parse_udec(tok[3], tlen[3], 0x7fffffff, &users)) {
			out->anycast6.n--;
			snprintf(err, errlen, "line %u: bad user count '%.*s'", line, (int)tlen[3],
				 tok[3]);
			return -EINVAL;
		}
		p = eol + 1;
	}
	return 0;
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
			/* inet_ifa_match() tests ifa_address, the peer on
			 * point-to-point links */
			d->peer = a->address != a->local ? a->address : 0;
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
