// SPDX-License-Identifier: GPL-2.0
/* xneighd: pure functions over the mirrored kernel state (see model.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <linux/fib_rules.h>
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
	free(m->routes4.v);
	free(m->nexthops.v);
	free(m->rules4.v);
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

__u32 xn_model_fib6_ifindex(const struct xn_model *m)
{
	__u32 first = 0;
	size_t i;

	for (i = 0; i < m->links.n; i++) {
		const struct xn_link_rec *l = &m->links.v[i];

		/* bpf_ipv6_fib_lookup(): BPF_FIB_LKUP_RET_FWD_DISABLED unless the
		 * device has an inet6_dev with cnf.forwarding set */
		if (!l->ipv6 || !l->conf6.forwarding)
			continue;
		if (l->ifi_flags & IFF_LOOPBACK)
			return l->ifindex;
		if (!first)
			first = l->ifindex;
	}
	return first;
}

/* ---- xn_route4 ---- */

bool xn_rtn_is_error(__u8 type)
{
	switch (type) {
	case RTN_BLACKHOLE:
	case RTN_UNREACHABLE:
	case RTN_PROHIBIT:
	case RTN_THROW:
	case RTN_NAT:
	case RTN_XRESOLVE:
		return true;
	default:
		return false;
	}
}

static const struct xn_nh_rec *find_nh(const struct xn_model *m, __u32 id)
{
	size_t i;

	if (!m->nexthops_known)
		return NULL;
	for (i = 0; i < m->nexthops.n; i++)
		if (m->nexthops.v[i].id == id)
			return &m->nexthops.v[i];
	return NULL;
}

/* The next hops of nexthop object `id` into v; false when they cannot be
 * told (unknown id, a member missing, a group inside a group). */
static bool resolve_nh(const struct xn_model *m, __u32 id, struct xn_route4 *v)
{
	const struct xn_nh_rec *nh = find_nh(m, id);
	__u32 i;

	if (!nh)
		return false;
	if (!nh->group) {
		if (!nh->oif)
			return false;
		v->nhs = 1;
		v->oif[0] = nh->oif;
		return true;
	}
	if (!nh->ngrp)
		return false;
	/* nexthop_uses_dev(): any member's device */
	v->nhs = nh->ngrp > 255 ? 255 : (__u8)nh->ngrp;
	if (nh->ngrp > XN_ROUTE4_NH_MAX)
		return true;
	for (i = 0; i < nh->ngrp; i++) {
		const struct xn_nh_rec *mem = find_nh(m, nh->grp[i]);

		if (!mem || mem->group || !mem->oif)
			return false;
		v->oif[i] = mem->oif;
	}
	return true;
}

bool xn_route4_value(const struct xn_model *m, const struct xn_rt4_rec *r,
		     struct xn_route4_key *k, struct xn_route4 *v)
{
	__u32 i;

	memset(k, 0, sizeof(*k));
	memset(v, 0, sizeof(*v));
	if (r->table != RT_TABLE_MAIN || r->tos)
		return false;
	k->prefixlen = r->dst_len > 32 ? 32 : r->dst_len;
	k->addr = r->dst & prefix_mask(k->prefixlen);
	v->type = r->type;
	/* fib_table_lookup(): an error type rejects before any next hop is
	 * looked at. */
	if (xn_rtn_is_error(r->type))
		return true;

	if (r->nh_id && !r->nhs) {
		/* nexthop_compat_mode 0: the route names its nexthop object
		 * only. Unknown (nhs 0) unless the object resolves. */
		if (!resolve_nh(m, r->nh_id, v)) {
			v->nhs = 0;
			memset(v->oif, 0, sizeof(v->oif));
		}
		return true;
	}
	if (!r->nhs)
		return true;		/* no next hop listed: unknown */
	if (r->nh_id) {
		/* For several next hops rtm_flags is fi->fib_flags: dead means
		 * the alias is skipped ("continue"). A nexthop object without
		 * a good member ends the whole leaf ("goto miss"): unknown. */
		if (r->nhs > 1 && (r->flags & RTNH_F_DEAD))
			return false;
		if (!r->alive)
			return true;
	} else if (!r->alive) {
		/* fi->fib_flags & RTNH_F_DEAD, or no fib_lookup_good_nhc():
		 * the next alias of the prefix, or a shorter prefix, decides */
		return false;
	}
	v->nhs = r->nhs > 255 ? 255 : (__u8)r->nhs;
	if (r->nhs <= XN_ROUTE4_NH_MAX)
		for (i = 0; i < r->nhs; i++)
			v->oif[i] = r->oif[i];
	return true;
}

/* Per prefix: the lowest metric, then the lowest dump position. */
struct route4_cand {
	struct xn_route4_ent e;
	__u32 priority;
	size_t order;
};

static int route4_cand_cmp(const void *a, const void *b)
{
	const struct route4_cand *x = a, *y = b;
	__u32 ax = ntohl(x->e.k.addr), ay = ntohl(y->e.k.addr);

	if (x->e.k.prefixlen != y->e.k.prefixlen)
		return x->e.k.prefixlen < y->e.k.prefixlen ? -1 : 1;
	if (ax != ay)
		return ax < ay ? -1 : 1;
	if (x->priority != y->priority)
		return x->priority < y->priority ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

int xn_model_route4(const struct xn_model *m, struct xn_route4_ent **out)
{
	struct route4_cand *c;
	struct xn_route4_ent *res;
	size_t i, n = 0, nout = 0;

	*out = NULL;
	c = calloc(m->routes4.n ? m->routes4.n : 1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	for (i = 0; i < m->routes4.n; i++) {
		const struct xn_rt4_rec *r = &m->routes4.v[i];

		if (!xn_route4_value(m, r, &c[n].e.k, &c[n].e.v))
			continue;
		c[n].priority = r->priority;
		c[n].order = i;
		n++;
	}
	qsort(c, n, sizeof(*c), route4_cand_cmp);
	res = calloc(n ? n : 1, sizeof(*res));
	if (!res) {
		free(c);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++) {
		if (nout && res[nout - 1].k.prefixlen == c[i].e.k.prefixlen &&
		    res[nout - 1].k.addr == c[i].e.k.addr)
			continue;	/* a later alias of the same prefix */
		res[nout++] = c[i].e;
	}
	free(c);
	*out = res;
	return (int)nout;
}

/* The kernel's three rules (fib_default_rules_init()). */
static const struct {
	__u32 pref, table;
	const char *name;
} default_rules4[] = {
	{ 0, RT_TABLE_LOCAL, "local" },
	{ 0x7FFE, RT_TABLE_MAIN, "main" },
	{ 0x7FFF, RT_TABLE_DEFAULT, "default" },
};
#define XN_NDEFAULT_RULES4 (sizeof(default_rules4) / sizeof(default_rules4[0]))

static const char *table_name(__u32 table, char *buf, size_t len)
{
	size_t i;

	for (i = 0; i < XN_NDEFAULT_RULES4; i++)
		if (default_rules4[i].table == table)
			return default_rules4[i].name;
	snprintf(buf, len, "%u", table);
	return buf;
}

/* Which of default_rules4 r is, or -1. */
static int default_rule4_index(const struct xn_rule4_rec *r)
{
	size_t i;

	if (r->action != FR_ACT_TO_TBL || (r->flags & ~FIB_RULE_PERMANENT) || r->src_len ||
	    r->dst_len || r->tos || r->selectors)
		return -1;
	for (i = 0; i < XN_NDEFAULT_RULES4; i++)
		if (r->pref == default_rules4[i].pref && r->table == default_rules4[i].table)
			return (int)i;
	return -1;
}

bool xn_rules4_default(const struct xn_rule4_rec *r, size_t n, char *why, size_t len)
{
	bool seen[XN_NDEFAULT_RULES4] = {};
	char tbuf[16];
	size_t i;

	/* The kernel keeps the list sorted by pref, so three rules with the
	 * three default prefs are in the default order. */
	for (i = 0; i < n; i++) {
		int d = default_rule4_index(&r[i]);

		if (d < 0) {
			bool plain = !r[i].src_len && !r[i].dst_len && !r[i].tos &&
				     !r[i].selectors && !(r[i].flags & ~FIB_RULE_PERMANENT);

			if (r[i].action == FR_ACT_TO_TBL)
				snprintf(why, len, "policy rule 'pref %u lookup %s'%s is not one of "
					 "the kernel's defaults", r[i].pref,
					 table_name(r[i].table, tbuf, sizeof(tbuf)),
					 plain ? "" : " (with selectors)");
			else
				snprintf(why, len, "policy rule 'pref %u' (action %u) is not one of "
					 "the kernel's defaults", r[i].pref, r[i].action);
			return false;
		}
		if (seen[d]) {
			snprintf(why, len, "policy rule 'pref %u lookup %s' appears twice",
				 default_rules4[d].pref, default_rules4[d].name);
			return false;
		}
		seen[d] = true;
	}
	for (i = 0; i < XN_NDEFAULT_RULES4; i++) {
		if (!seen[i]) {
			snprintf(why, len, "the default policy rule 'pref %u lookup %s' is missing",
				 default_rules4[i].pref, default_rules4[i].name);
			return false;
		}
	}
	return true;
}

static const char *rtn_name(__u8 type)
{
	static const char *const names[] = {
		[RTN_UNSPEC] = "none", [RTN_UNICAST] = "unicast", [RTN_LOCAL] = "local",
		[RTN_BROADCAST] = "broadcast", [RTN_ANYCAST] = "anycast",
		[RTN_MULTICAST] = "multicast", [RTN_BLACKHOLE] = "blackhole",
		[RTN_UNREACHABLE] = "unreachable", [RTN_PROHIBIT] = "prohibit",
		[RTN_THROW] = "throw", [RTN_NAT] = "nat", [RTN_XRESOLVE] = "xresolve",
	};

	return type < sizeof(names) / sizeof(names[0]) && names[type] ? names[type] : "?";
}

bool xn_route4_usable(const struct xn_model *m, char *why, size_t len)
{
	char a[INET_ADDRSTRLEN];
	size_t i, ndefault = 0;

	if (!m->rules4_known) {
		snprintf(why, len, "the IPv4 policy rules could not be read");
		return false;
	}
	if (!m->routes4_known) {
		snprintf(why, len, "the IPv4 routing tables could not be read");
		return false;
	}
	if (!xn_rules4_default(m->rules4.v, m->rules4.n, why, len))
		return false;
	for (i = 0; i < m->routes4.n; i++) {
		const struct xn_rt4_rec *r = &m->routes4.v[i];

		/* Both ARP lookups carry tos 0: a tos route never matches. */
		if (r->tos)
			continue;
		if (r->table == RT_TABLE_DEFAULT) {
			/* fib_lookup() falls through to it after a miss (or,
			 * without custom rules, any error) in main */
			ndefault++;
		} else if (r->table == RT_TABLE_LOCAL &&
			   !(r->type == RTN_LOCAL && r->dst_len == 8 &&
			     r->dst == htonl(0x7f000000))) {
			/* the local table is looked up first; xn_local4 holds
			 * its /32 local and broadcast routes, the data plane
			 * treats 127/8 as local, nothing else is mirrored */
			snprintf(why, len, "table local has '%s %s/%u', which xneigh does not mirror",
				 rtn_name(r->type), inet_ntop(AF_INET, &r->dst, a, sizeof(a)),
				 r->dst_len);
			return false;
		}
	}
	if (ndefault) {
		snprintf(why, len, "table default has %zu route%s", ndefault, ndefault == 1 ? "" : "s");
		return false;
	}
	return true;
}
