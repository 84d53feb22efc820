// SPDX-License-Identifier: GPL-2.0
/* xneighd: mirror the kernel's state into the data plane's maps.
 *
 * Each map is rewritten from the model as a whole set: entries the kernel no
 * longer has are deleted, entries that differ are written, equal ones are
 * left alone (so a sysctl poll that finds nothing new writes nothing).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/rtnetlink.h>
#include <bpf/bpf.h>
#include "xneigh/nud.h"
#include "conf.h"
#include "log.h"
#include "sync.h"
#include "local4f.h"
#include "snap.h"

int xn_sync_init(struct xn_sync *s)
{
	memset(s, 0, sizeof(*s));
	s->fd.ifconf = s->fd.ifaddr4 = s->fd.local4 = s->fd.proxy4 = s->fd.global = -1;
	s->fd.addr6 = s->fd.prefix6 = s->fd.proxy6 = s->fd.route4 = s->fd.local4f = -1;
	s->fd.snap = -1;
	s->snap_dirty = true;
	s->snap_live_fd = -1;
	snprintf(s->route4_why, sizeof(s->route4_why), "not written yet");
	xn_ipv4_conf_defaults(&s->m.all);
	xn_ipv6_conf_defaults(&s->m.all6);
	xn_neigh_parms_defaults(&s->m.dflt_neigh, AF_INET);
	xn_neigh_parms_defaults(&s->m.dflt_neigh6, AF_INET6);
	xn_neigh_thresh_defaults(&s->m.thresh4);
	xn_neigh_thresh_defaults(&s->m.thresh6);
	return xn_nl_open(&s->nl);
}

void xn_sync_set_maps(struct xn_sync *s, const struct xn_sync_maps *fd)
{
	struct bpf_map_info info = {};
	__u32 len = sizeof(info);

	s->fd = *fd;
	s->route4_max = 0;
	if (fd->route4 >= 0 && !bpf_obj_get_info_by_fd(fd->route4, &info, &len))
		s->route4_max = info.max_entries;
}

static void snap_release(struct xn_sync *s);

void xn_sync_fini(struct xn_sync *s)
{
	snap_release(s);
	xn_nl_close(&s->nl);
	xn_model_free(&s->m);
	xn_model_free(&s->scratch);
	free(s->readbuf);
	s->readbuf = NULL;
}

static int keep_first(int err, int e)
{
	return err ? err : e;
}

/* ---- sysctls ----------------------------------------------------------------- */

/* Log each value that differs, as `sysctl` names it, so an operator sees
 * xneigh follow `sysctl -w`. */
static void log_conf_changes(const char *dev, const struct xn_ipv4_conf *o,
			     const struct xn_ipv4_conf *n)
{
#define XN_CONF_LOG(name, how, dflt)						\
	if (o->name != n->name)							\
		pr_info("net.ipv4.conf.%s.%s: %d -> %d\n", dev, #name, o->name, n->name);
	XN_CONF_KEYS(XN_CONF_LOG)
#undef XN_CONF_LOG
}

static void log_conf6_changes(const char *dev, const struct xn_ipv6_conf *o,
			      const struct xn_ipv6_conf *n)
{
#define XN_CONF6_LOG(name, dflt)						\
	if (o->name != n->name)							\
		pr_info("net.ipv6.conf.%s.%s: %d -> %d\n", dev, #name, o->name, n->name);
	XN_CONF6_KEYS(XN_CONF6_LOG)
#undef XN_CONF6_LOG
}

static void log_neigh_changes(const char *fam, const char *dev,
			      const struct xn_neigh_parms *o, const struct xn_neigh_parms *n)
{
	if (o->proxy_delay != n->proxy_delay)
		pr_info("net.%s.neigh.%s.proxy_delay: %d -> %d\n", fam, dev,
			o->proxy_delay, n->proxy_delay);
#define XN_NEIGH_LOG(file, field)						\
	if (o->field != n->field)						\
		pr_info("net.%s.neigh.%s.%s: %d -> %d\n", fam, dev, file, o->field,	\
			n->field);
	XN_NEIGH_NUD_KEYS(XN_NEIGH_LOG)
#undef XN_NEIGH_LOG
}

/* net.ipv{4,6}.neigh.default (initial netns only): true if it changed. */
static bool poll_neigh_default(struct xn_sync *s, int family, bool log)
{
	struct xn_neigh_parms *cur = family == AF_INET6 ? &s->m.dflt_neigh6 : &s->m.dflt_neigh;
	struct xn_neigh_thresh *th = family == AF_INET6 ? &s->m.thresh6 : &s->m.thresh4;
	bool *read = family == AF_INET6 ? &s->m.dflt_neigh6_read : &s->m.dflt_neigh_read;
	const char *fam = family == AF_INET6 ? "ipv6" : "ipv4";
	struct xn_neigh_parms np = *cur;
	struct xn_neigh_thresh t = *th;
	bool changed = false;

	if (xn_sysctl_read_neigh(family, "default", &np))
		return false;	/* not the initial namespace: built-in defaults */
	xn_sysctl_read_thresh(family, &t);
	*read = true;
	if (memcmp(&np, cur, sizeof(np))) {
		if (log)
			log_neigh_changes(fam, "default", cur, &np);
		*cur = np;
		changed = true;
	}
	if (memcmp(&t, th, sizeof(t))) {
		if (log)
			pr_info("net.%s.neigh.default.gc_thresh1/2/3: %d %d %d -> %d %d %d\n",
				fam, th->gc_thresh1, th->gc_thresh2, th->gc_thresh3,
				t.gc_thresh1, t.gc_thresh2, t.gc_thresh3);
		*th = t;
		changed = true;
	}
	return changed;
}

/* Re-read ipv4/conf/NAME, ipv4/neigh/NAME, ipv6/conf/NAME and
 * ipv6/neigh/NAME of one interface. A family the interface has no state for
 * keeps the kernel defaults. */
static void read_link_sysctls(struct xn_link_rec *l)
{
	l->ipv4 = xn_sysctl_has_ipv4(l->name);
	if (!l->ipv4) {
		xn_ipv4_conf_defaults(&l->conf);
		xn_neigh_parms_defaults(&l->neigh, AF_INET);
	} else {
		/* -ENOENT: the interface went away (or was renamed) between
		 * the dump and now; the link notification that follows
		 * re-reads it. */
		if (xn_sysctl_read_conf(l->name, &l->conf) == -ENOENT)
			l->ipv4 = false;
		xn_sysctl_read_neigh(AF_INET, l->name, &l->neigh);
	}

	l->ipv6 = xn_sysctl_has_ipv6(l->name);
	if (!l->ipv6) {
		xn_ipv6_conf_defaults(&l->conf6);
		xn_neigh_parms_defaults(&l->neigh6, AF_INET6);
	} else {
		if (xn_sysctl_read_conf6(l->name, &l->conf6) == -ENOENT)
			l->ipv6 = false;
		xn_sysctl_read_neigh(AF_INET6, l->name, &l->neigh6);
	}
}

/* Re-read every sysctl; true if anything changed. */
static bool poll_sysctls(struct xn_sync *s, bool log)
{
	struct xn_ipv4_conf all = s->m.all;
	struct xn_ipv6_conf all6 = s->m.all6;
	bool changed = false;
	size_t i;

	xn_sysctl_read_conf("all", &all);
	if (memcmp(&all, &s->m.all, sizeof(all))) {
		if (log)
			log_conf_changes("all", &s->m.all, &all);
		s->m.all = all;
		changed = true;
	}
	/* No IPv6 in this kernel: all6 keeps its defaults. */
	xn_sysctl_read_conf6("all", &all6);
	if (memcmp(&all6, &s->m.all6, sizeof(all6))) {
		if (log)
			log_conf6_changes("all", &s->m.all6, &all6);
		s->m.all6 = all6;
		changed = true;
	}
	if (poll_neigh_default(s, AF_INET, log) | poll_neigh_default(s, AF_INET6, log))
		s->parms_gen++;
	for (i = 0; i < s->m.links.n; i++) {
		struct xn_link_rec *l = &s->m.links.v[i];
		struct xn_link_rec old = *l;

		read_link_sysctls(l);
		if (l->ipv4 == old.ipv4 && l->ipv6 == old.ipv6 &&
		    !memcmp(&l->conf, &old.conf, sizeof(l->conf)) &&
		    !memcmp(&l->neigh, &old.neigh, sizeof(l->neigh)) &&
		    !memcmp(&l->conf6, &old.conf6, sizeof(l->conf6)) &&
		    !memcmp(&l->neigh6, &old.neigh6, sizeof(l->neigh6)))
			continue;
		if (log) {
			log_conf_changes(l->name, &old.conf, &l->conf);
			log_neigh_changes("ipv4", l->name, &old.neigh, &l->neigh);
			log_conf6_changes(l->name, &old.conf6, &l->conf6);
			log_neigh_changes("ipv6", l->name, &old.neigh6, &l->neigh6);
		}
		if (l->ipv4 != old.ipv4 || l->ipv6 != old.ipv6 ||
		    memcmp(&l->neigh, &old.neigh, sizeof(l->neigh)) ||
		    memcmp(&l->neigh6, &old.neigh6, sizeof(l->neigh6)))
			s->parms_gen++;
		changed = true;
	}
	return changed;
}

/* ---- writing a map as a set ------------------------------------------------------ */

/* A desired map content: n records of [key][value][order], order being the
 * position in kernel (dump) order so the first of duplicate keys wins. */
struct recset {
	char *buf;
	size_t n, cap, ksz, vsz;
	size_t changed;		/* map_mirror(): entries written, deleted or not
				 * written (the map is then not what was meant) */
};

static size_t rec_size(const struct recset *rs)
{
	return rs->ksz + rs->vsz + sizeof(__u32);
}

static int recset_add(struct recset *rs, const void *key, const void *val)
{
	size_t rsz = rec_size(rs);
	__u32 order = rs->n;
	char *r;

	if (rs->n == rs->cap) {
		size_t ncap = rs->cap ? rs->cap * 2 : 64;

		r = realloc(rs->buf, ncap * rsz);
		if (!r)
			return -ENOMEM;
		rs->buf = r;
		rs->cap = ncap;
	}
	r = rs->buf + rs->n++ * rsz;
	memcpy(r, key, rs->ksz);
	memcpy(r + rs->ksz, val, rs->vsz);
	memcpy(r + rs->ksz + rs->vsz, &order, sizeof(order));
	return 0;
}

static int rec_cmp(const void *a, const void *b, void *arg)
{
	const struct recset *rs = arg;
	__u32 oa, ob;
	int c = memcmp(a, b, rs->ksz);

	if (c)
		return c;
	memcpy(&oa, (const char *)a + rs->ksz + rs->vsz, sizeof(oa));
	memcpy(&ob, (const char *)b + rs->ksz + rs->vsz, sizeof(ob));
	return oa < ob ? -1 : oa > ob;
}

/* Sort by key and drop later duplicates of a key. */
static void recset_finish(struct recset *rs)
{
	size_t rsz = rec_size(rs), i, out = 0;

	if (!rs->n)
		return;
	qsort_r(rs->buf, rs->n, rsz, rec_cmp, rs);
	for (i = 0; i < rs->n; i++) {
		char *r = rs->buf + i * rsz;

		if (out && !memcmp(rs->buf + (out - 1) * rsz, r, rs->ksz))
			continue;
		if (out != i)
			memcpy(rs->buf + out * rsz, r, rsz);
		out++;
	}
	rs->n = out;
}

static const char *recset_find(const struct recset *rs, const void *key)
{
	size_t lo = 0, hi = rs->n, rsz = rec_size(rs);

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *r = rs->buf + mid * rsz;
		int c = memcmp(key, r, rs->ksz);

		if (!c)
			return r;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/* Sort n keys of ksz bytes in memcmp order. */
static int key_cmp(const void *a, const void *b, void *arg)
{
	return memcmp(a, b, *(const size_t *)arg);
}

static bool key_present(const char *keys, size_t n, size_t ksz, const void *key)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = memcmp(key, keys + mid * ksz, ksz);

		if (!c)
			return true;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return false;
}

/* Make map `fd` hold exactly the records of rs. 0 or the first -errno.
 *
 * Whether a key is in the map is decided from the walk, never by a lookup:
 * a lookup in an LPM trie (xn_prefix6) returns the longest prefix that
 * *contains* the key, so it would find ::/0 for a missing fe80::/64. */
static int map_mirror(int fd, const char *name, struct recset *rs)
{
	size_t rsz = rec_size(rs), i, ndel = 0, nhave = 0, capk = 0, nupd = 0, nfail = 0;
	char *key = NULL, *next = NULL, *val = NULL, *have = NULL;
	int err, first_err = 0;

	recset_finish(rs);
	key = malloc(rs->ksz);
	next = malloc(rs->ksz);
	val = malloc(rs->vsz);
	if (!key || !next || !val) {
		first_err = -ENOMEM;
		goto out;
	}

	/* Every key in the map. Deleting while walking a hash map restarts
	 * the walk, so the stale ones are deleted afterwards. */
	err = bpf_map_get_next_key(fd, NULL, next);
	while (!err) {
		if (nhave == capk) {
			size_t ncap = capk ? capk * 2 : 64;
			char *p = realloc(have, ncap * rs->ksz);

			if (!p) {
				first_err = -ENOMEM;
				goto out;
			}
			have = p;
			capk = ncap;
		}
		memcpy(have + nhave++ * rs->ksz, next, rs->ksz);
		memcpy(key, next, rs->ksz);
		err = bpf_map_get_next_key(fd, key, next);
	}
	if (err != -ENOENT) {
		pr_warn("%s: cannot walk the map: %s\n", name, strerror(-err));
		first_err = err;
	}
	for (i = 0; i < nhave; i++) {
		const char *k = have + i * rs->ksz;

		if (recset_find(rs, k))
			continue;
		err = bpf_map_delete_elem(fd, k);
		if (err && err != -ENOENT) {
			pr_warn("%s: cannot delete an entry: %s\n", name, strerror(-err));
			if (!first_err)
				first_err = err;
			continue;
		}
		ndel++;
	}
	if (nhave)
		qsort_r(have, nhave, rs->ksz, key_cmp, &rs->ksz);

	for (i = 0; i < rs->n; i++) {
		const char *r = rs->buf + i * rsz;

		if (key_present(have, nhave, rs->ksz, r) && !bpf_map_lookup_elem(fd, r, val) &&
		    !memcmp(val, r + rs->ksz, rs->vsz))
			continue;
		err = bpf_map_update_elem(fd, r, r + rs->ksz, BPF_ANY);
		if (err) {
			if (!nfail++ && !first_err)
				first_err = err;
			continue;
		}
		nupd++;
	}
	rs->changed = ndel + nupd + nfail;
	if (nfail)
		pr_warn("%s: %zu of %zu entries could not be written: %s%s\n", name, nfail,
			rs->n, strerror(-first_err),
			first_err == -E2BIG || first_err == -ENOSPC ?
			" (map full: more than its max_entries)" : "");
	if (ndel || nupd)
		pr_debug("%s: %zu written, %zu deleted, %zu entries\n", name, nupd, ndel, rs->n);
out:
	free(key);
	free(next);
	free(val);
	free(have);
	return first_err;
}

/* ---- the maps ------------------------------------------------------------------------ */

static int apply_ifconf(struct xn_sync *s)
{
	struct recset rs = { .ksz = sizeof(__u32), .vsz = sizeof(struct xn_ifconf) };
	int err = 0;
	size_t i;

	for (i = 0; i < s->m.links.n && !err; i++) {
		struct xn_link_rec eff = s->m.links.v[i];
		struct xn_ifconf v;

		/* locktime and base_reachable_time as configured: the
		 * effective values over the sysctls (conf.h) */
		xn_conf_apply_parms(s->conf, AF_INET, eff.name, &eff.neigh);
		xn_conf_apply_parms(s->conf, AF_INET6, eff.name, &eff.neigh6);
		xn_model_ifconf(&s->m, &eff, &v);
		if (s->strict)
			v.flags |= XN_IFF_STRICT;	/* bpf/lib/strict.h */
		err = recset_add(&rs, &eff.ifindex, &v);
	}
	if (!err)
		err = map_mirror(s->fd.ifconf, XN_MAP_IFCONF, &rs);
	if (err || rs.changed)
		s->snap_dirty = true;
	free(rs.buf);
	return err;
}

static bool seen_ifindex(const struct xn_model *m, size_t upto, __u32 ifindex)
{
	size_t i;

	for (i = 0; i < upto; i++)
		if (m->addrs.v[i].ifindex == ifindex)
			return true;
	return false;
}

static int apply_ifaddr4(struct xn_sync *s)
{
	struct recset rs = { .ksz = sizeof(__u32), .vsz = sizeof(struct xn_ifaddrs4) };
	int err = 0;
	size_t i;

	for (i = 0; i < s->m.addrs.n && !err; i++) {
		__u32 ifindex = s->m.addrs.v[i].ifindex;
		struct xn_ifaddrs4 v;
		unsigned int total;
		char name[IF_NAMESIZE];

		if (seen_ifindex(&s->m, i, ifindex))
			continue;
		total = xn_model_ifaddrs(&s->m, ifindex, &v);
		/* The data plane evaluates confirm_addr_indev() over at most
		 * XN_IFADDR4_MAX addresses: say so on every resync rather than
		 * answer differently from the kernel in silence. */
		if (total > XN_IFADDR4_MAX)
			pr_warn("interface %s has %u IPv4 addresses, more than the %d xneigh "
				"supports: only the first %d are used, ARP answers may differ "
				"from the kernel's\n",
				xn_model_ifname(&s->m, ifindex, name, sizeof(name)), total,
				XN_IFADDR4_MAX, XN_IFADDR4_MAX);
		err = recset_add(&rs, &ifindex, &v);
	}
	if (!err)
		err = map_mirror(s->fd.ifaddr4, XN_MAP_IFADDR4, &rs);
	free(rs.buf);
	return err;
}

/* xn_local4 and its filter (xn_local4_filt): the filter must hold every key
 * the map holds at any moment, so it first takes the keys about to be added,
 * then, once the map is written, exactly the keys of the map. */
static int apply_local4_filtered(struct xn_sync *s, struct recset *rs)
{
	__be32 *add = NULL;
	size_t i;
	int err, e;

	if (s->fd.local4f >= 0) {
		add = calloc(rs->n ? rs->n : 1, sizeof(*add));
		if (!add)
			return -ENOMEM;
		for (i = 0; i < rs->n; i++)
			memcpy(&add[i], rs->buf + i * rec_size(rs), sizeof(*add));
		e = xn_local4f_sync(s->fd.local4, s->fd.local4f, add, rs->n);
		free(add);
		if (e)
			pr_warn("%s: cannot write: %s\n", XN_MAP_LOCAL4F, strerror(-e));
	}
	err = map_mirror(s->fd.local4, XN_MAP_LOCAL4, rs);
	if (s->fd.local4f >= 0) {
		e = xn_local4f_sync(s->fd.local4, s->fd.local4f, NULL, 0);
		if (e)
			pr_warn("%s: cannot write: %s\n", XN_MAP_LOCAL4F, strerror(-e));
		err = keep_first(err, e);
	}
	return err;
}

static int apply_local4(struct xn_sync *s)
{
	struct recset rs = { .ksz = sizeof(__be32), .vsz = sizeof(struct xn_local4) };
	int err = 0;
	size_t i;

	/* Duplicates (the same /32 twice in the local table) keep the first
	 * in dump order, the alias fib_table_lookup() meets first. */
	for (i = 0; i < s->m.routes.n && !err; i++) {
		const struct xn_route_rec *r = &s->m.routes.v[i];
		struct xn_local4 v;

		xn_model_local4(&s->m, r, &v);
		err = recset_add(&rs, &r->dst, &v);
	}
	if (!err)
		err = apply_local4_filtered(s, &rs);
	if (err || rs.changed)
		s->snap_dirty = true;
	free(rs.buf);
	return err;
}

/* xn_proxy4 and xn_proxy6 from the proxy entries of both families. */
static int apply_proxies(struct xn_sync *s)
{
	struct recset rs4 = { .ksz = sizeof(struct xn_proxy4_key), .vsz = sizeof(struct xn_proxy) };
	struct recset rs6 = { .ksz = sizeof(struct xn_proxy6_key), .vsz = sizeof(struct xn_proxy) };
	int err = 0;
	size_t i;

	for (i = 0; i < s->m.proxies.n && !err; i++) {
		const struct xn_proxy_rec *p = &s->m.proxies.v[i];
		struct xn_proxy v = {
			/* pndisc_is_router(): NTF_ROUTER of the pneigh entry */
			.flags = p->flags & XN_NTF_ROUTER,
			.permanent = p->permanent,
		};

		if (p->family == AF_INET) {
			struct xn_proxy4_key k = { .ifindex = p->ifindex };

			memcpy(&k.addr, p->addr, sizeof(k.addr));
			err = recset_add(&rs4, &k, &v);
		} else {
			struct xn_proxy6_key k = { .ifindex = p->ifindex };

			memcpy(k.addr, p->addr, sizeof(k.addr));
			err = recset_add(&rs6, &k, &v);
		}
	}
	if (!err) {
		err = map_mirror(s->fd.proxy4, XN_MAP_PROXY4, &rs4);
		err = keep_first(err, map_mirror(s->fd.proxy6, XN_MAP_PROXY6, &rs6));
	}
	free(rs4.buf);
	free(rs6.buf);
	return err;
}

static int write_global(struct xn_sync *s, __u32 *fib_ifindex);

/* Add k/v and the same address under ifindex 0 ("local on some interface",
 * XN_GF_ADDR6_ANY): IPv6 input delivers a unicast packet addressed to any
 * local address, whichever interface it arrived on. The first record of a
 * duplicate key wins; the data plane only tests presence there. */
static int addr6_add(struct recset *rs, struct xn_addr6_key *k, const struct xn_addr6 *v)
{
	int err = recset_add(rs, k, v);

	if (err)
		return err;
	k->ifindex = 0;
	return recset_add(rs, k, v);
}

/* xn_addr6: every unicast address, then the anycast addresses that are not
 * also unicast addresses of the same interface; each also under ifindex 0.
 * XN_GF_ADDR6_ANY is off while the map is rewritten (the data plane then
 * accepts any unicast destination, as before it knew better) and on again
 * once the whole set is in. */
static int apply_addr6(struct xn_sync *s)
{
	struct recset rs = { .ksz = sizeof(struct xn_addr6_key), .vsz = sizeof(struct xn_addr6) };
	struct xn_addr6_key k;
	struct xn_addr6 v;
	__u32 ignored;
	int err = 0;
	size_t i;

	for (i = 0; i < s->m.addrs6.n && !err; i++) {
		xn_model_addr6(&s->m.addrs6.v[i], &k, &v);
		err = addr6_add(&rs, &k, &v);
	}
	for (i = 0; i < s->m.anycast6.n && !err; i++)
		if (xn_model_acaddr6(&s->m, &s->m.anycast6.v[i], &k, &v))
			err = addr6_add(&rs, &k, &v);
	if (err)
		goto out;
	if (s->addr6_any) {
		s->addr6_any = false;
		err = write_global(s, &ignored);
		if (err)
			goto out;
	}
	err = map_mirror(s->fd.addr6, XN_MAP_ADDR6, &rs);
	if (!err) {
		s->addr6_any = true;
		err = write_global(s, &ignored);
		if (err)
			s->addr6_any = false;
	}
out:
	free(rs.buf);
	return err;
}

/* xn_prefix6: the prefix of every IPv6 address, tentative and dadfailed
 * ones included (ipv6_chk_prefix() walks the whole addr_list). */
static int apply_prefix6(struct xn_sync *s)
{
	struct recset rs = { .ksz = sizeof(struct xn_prefix6_key), .vsz = sizeof(__u32) };
	struct xn_prefix6_key k;
	__u32 one = 1;
	int err = 0;
	size_t i;

	for (i = 0; i < s->m.addrs6.n && !err; i++) {
		const struct xn_addr6_rec *a = &s->m.addrs6.v[i];

		xn_prefix6_key_make(a->ifindex, a->addr, a->prefixlen, &k);
		err = recset_add(&rs, &k, &one);
	}
	if (!err)
		err = map_mirror(s->fd.prefix6, XN_MAP_PREFIX6, &rs);
	free(rs.buf);
	return err;
}

static __u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/* Say how the reverse-path lookups (ARP-R1 rp_filter, ARP-R4 arp_filter)
 * are answered, when that changes: bpf_fib_lookup() needs an interface with
 * forwarding on (route4.h); without one the data plane reads xn_route4. A
 * warning only when neither works, since then every request that needs the
 * lookup goes to the kernel. */
static void log_lookup_path(struct xn_sync *s, __u32 fib_ifindex)
{
	char name[IF_NAMESIZE];

	if (s->fib_written && fib_ifindex == s->fib_ifindex &&
	    (fib_ifindex || (s->route4_valid == s->fwd_said_valid &&
			     (s->route4_valid || !strcmp(s->route4_why, s->fwd_said_why)))))
		return;
	if (fib_ifindex)
		pr_info("route lookups (rp_filter, arp_filter, proxy ARP) go through %s "
			"(ifindex %u), which has IPv4 forwarding on\n",
			xn_model_ifname(&s->m, fib_ifindex, name, sizeof(name)), fib_ifindex);
	else if (s->route4_valid)
		pr_info("no interface has IPv4 forwarding on: rp_filter and arp_filter use "
			"xneigh's mirror of table main (%s); proxy ARP needs forwarding on the "
			"receiving interface, in the kernel as in xneigh\n", XN_MAP_ROUTE4);
	else
		pr_warn("no interface has IPv4 forwarding on and the route mirror %s is not "
			"usable (%s): ARP requests that need rp_filter or arp_filter are left "
			"to the kernel\n", XN_MAP_ROUTE4, s->route4_why);
	s->fib_ifindex = fib_ifindex;
	s->fib_written = true;
	s->fwd_said_valid = s->route4_valid;
	snprintf(s->fwd_said_why, sizeof(s->fwd_said_why), "%s", s->route4_why);
}

/* Write xn_global; fib_ifindex (or 0) in *fib_ifindex. */
static int write_global(struct xn_sync *s, __u32 *fib_ifindex)
{
	struct xn_global g = {};
	__u32 key = 0;
	int err;

	/* Keep what other writers may own (the other flag bits); set ours. */
	bpf_map_lookup_elem(s->fd.global, &key, &g);
	g.fib_ifindex = xn_model_fib_ifindex(&s->m);
	g.fib6_ifindex = xn_model_fib6_ifindex(&s->m);
	g.flags &= ~(__u32)(XN_GF_ROUTE4_VALID | XN_GF_ADDR6_ANY);
	if (s->route4_valid)
		g.flags |= XN_GF_ROUTE4_VALID;
	if (s->addr6_any)
		g.flags |= XN_GF_ADDR6_ANY;
	g.daemon_heartbeat = now_ns();
	err = bpf_map_update_elem(s->fd.global, &key, &g, BPF_ANY);
	if (err) {
		pr_warn("%s: cannot write: %s\n", XN_MAP_GLOBAL, strerror(-err));
		return err;
	}
	*fib_ifindex = g.fib_ifindex;
	if (!s->fib6_written || s->fib6_ifindex != g.fib6_ifindex) {
		char name[IF_NAMESIZE];

		if (g.fib6_ifindex)
			pr_info("IPv6 route lookups for off-link destinations go through %s "
				"(ifindex %u), which has IPv6 forwarding on\n",
				xn_model_ifname(&s->m, g.fib6_ifindex, name, sizeof(name)),
				g.fib6_ifindex);
		else
			pr_info("no interface has IPv6 forwarding on: transmit-side marking of "
				"off-link IPv6 next hops is off\n");
		s->fib6_ifindex = g.fib6_ifindex;
		s->fib6_written = true;
	}
	return 0;
}

static int apply_global(struct xn_sync *s)
{
	__u32 fib_ifindex;
	int err = write_global(s, &fib_ifindex);

	if (!err)
		log_lookup_path(s, fib_ifindex);
	return err;
}

/* Do the routes of table main need the nexthop table (a nexthop object
 * whose next hops the route dump did not list: nexthop_compat_mode 0)? */
static bool routes_need_nexthops(const struct xn_model *m)
{
	size_t i;

	for (i = 0; i < m->routes4.n; i++) {
		const struct xn_rt4_rec *r = &m->routes4.v[i];

		if (r->table == RT_TABLE_MAIN && !r->tos && r->nh_id && !r->nhs &&
		    !xn_rtn_is_error(r->type))
			return true;
	}
	return false;
}

/* xn_route4 from table main, then the decision on XN_GF_ROUTE4_VALID (the
 * caller writes xn_global after this). The map is kept equal to table main
 * whenever it was read and fits, usable or not; the flag goes off before a
 * rewrite of a mirror that became unusable, and on only after a complete
 * write. */
static int apply_route4(struct xn_sync *s)
{
	struct recset rs = { .ksz = sizeof(struct xn_route4_key), .vsz = sizeof(struct xn_route4) };
	struct xn_route4_ent *ents = NULL;
	char why[XN_WHY_LEN];
	bool usable;
	int n = 0, i, err = 0;

	usable = xn_route4_usable(&s->m, why, sizeof(why));
	if (s->fd.route4 < 0) {
		usable = false;
		snprintf(why, sizeof(why), "the map is not open");
		goto decide;
	}
	if (!usable && s->route4_valid) {
		__u32 ignored;

		/* logged below, and by the caller's apply_global() */
		s->route4_valid = false;
		write_global(s, &ignored);
	}
	if (!s->m.routes4_known)
		goto decide;	/* a partial table: keep the last complete one */

	n = xn_model_route4(&s->m, &ents);
	if (n < 0) {
		err = n;
		usable = false;
		snprintf(why, sizeof(why), "out of memory computing its content");
		goto decide;
	}
	if (s->route4_max && (__u32)n > s->route4_max) {
		usable = false;
		snprintf(why, sizeof(why), "table main has %d prefixes, more than the %u %s holds",
			 n, s->route4_max, XN_MAP_ROUTE4);
		goto decide;
	}
	for (i = 0; i < n && !err; i++)
		err = recset_add(&rs, &ents[i].k, &ents[i].v);
	if (!err)
		err = map_mirror(s->fd.route4, XN_MAP_ROUTE4, &rs);
	if (err) {
		usable = false;
		snprintf(why, sizeof(why), "writing %s failed: %s", XN_MAP_ROUTE4, strerror(-err));
	}
decide:
	s->route4_valid = usable;
	snprintf(s->route4_why, sizeof(s->route4_why), "%s", usable ? "" : why);
	if (!s->route4_said || usable != s->route4_said_valid ||
	    strcmp(s->route4_why, s->route4_said_why)) {
		/* info: when the mirror is needed (no interface forwards)
		 * log_lookup_path() warns, with the same reason */
		if (usable)
			pr_info("route mirror %s in use: %d prefix%s of table main, default "
				"policy rules\n", XN_MAP_ROUTE4, n, n == 1 ? "" : "es");
		else
			pr_info("route mirror %s not used: %s\n", XN_MAP_ROUTE4, why);
		s->route4_said = true;
		s->route4_said_valid = usable;
		snprintf(s->route4_said_why, sizeof(s->route4_said_why), "%s", s->route4_why);
	}
	free(ents);
	free(rs.buf);
	return err;
}

/* ---- /proc/net/anycast6 ------------------------------------------------------------ */

#define XN_PROC_ANYCAST6	"/proc/net/anycast6"

/* Read the whole file into *buf (grown as needed); its length or -errno. */
static ssize_t read_file(const char *path, char **buf, size_t *cap)
{
	size_t len = 0;
	int fd, err = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	for (;;) {
		ssize_t n;

		if (*cap - len < 4096) {
			size_t ncap = *cap ? *cap * 2 : 16384;
			char *p = realloc(*buf, ncap);

			if (!p) {
				err = -ENOMEM;
				break;
			}
			*buf = p;
			*cap = ncap;
		}
		n = read(fd, *buf + len, *cap - len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			err = -errno;
			break;
		}
		if (!n)
			break;
		len += (size_t)n;
	}
	close(fd);
	return err ? err : (ssize_t)len;
}

/* Re-read the anycast addresses. 1 if they changed (the model holds the
 * new set), 0 if not, -errno if the file could not be read or parsed (the
 * model keeps the last good set; the problem is logged once). */
static int read_anycast6(struct xn_sync *s)
{
	char msg[160];
	ssize_t len;
	int err;

	len = read_file(XN_PROC_ANYCAST6, &s->readbuf, &s->readbuf_cap);
	if (len == -ENOENT) {
		/* No IPv6 in this kernel: no anycast addresses either. */
		len = 0;
	} else if (len < 0) {
		if (!s->anycast6_bad)
			pr_warn("cannot read %s: %s; IPv6 anycast addresses are not followed "
				"until it can be read\n", XN_PROC_ANYCAST6, strerror((int)-len));
		s->anycast6_bad = true;
		return (int)len;
	}
	err = xn_anycast6_parse(s->readbuf, (size_t)len, &s->scratch, msg, sizeof(msg));
	if (err) {
		if (!s->anycast6_bad)
			pr_warn("%s: %s; IPv6 anycast addresses are not followed until it "
				"parses again\n", XN_PROC_ANYCAST6, msg);
		s->anycast6_bad = true;
		return err;
	}
	if (s->anycast6_bad)
		pr_info("%s readable again\n", XN_PROC_ANYCAST6);
	s->anycast6_bad = false;
	if (s->scratch.anycast6.n == s->m.anycast6.n &&
	    (!s->m.anycast6.n ||
	     !memcmp(s->scratch.anycast6.v, s->m.anycast6.v,
		     s->m.anycast6.n * sizeof(*s->m.anycast6.v))))
		return 0;
	/* Swap the vectors: the model takes the new set, scratch the old
	 * buffer for the next read. */
	{
		typeof(s->m.anycast6) t = s->m.anycast6;

		s->m.anycast6 = s->scratch.anycast6;
		s->scratch.anycast6 = t;
	}
	return 1;
}

/* Dump the proxy entries; 1 if they changed, 0 if not, -errno. */
static int read_proxies(struct xn_sync *s)
{
	size_t n = s->m.proxies.n, sz = n * sizeof(*s->m.proxies.v);
	struct xn_proxy_rec *old = NULL;
	int err, changed;

	if (n) {
		old = malloc(sz);
		if (!old)
			return -ENOMEM;
		memcpy(old, s->m.proxies.v, sz);
	}
	err = xn_nl_dump_proxies(&s->nl, &s->m);
	if (err) {
		pr_warn("cannot dump proxy ARP/NDP entries: %s\n", strerror(-err));
		free(old);
		return err;
	}
	/* Records are zeroed before they are filled: padding compares. */
	changed = s->m.proxies.n != n || (n && memcmp(old, s->m.proxies.v, sz));
	free(old);
	return changed;
}

/* ---- entry points ---------------------------------------------------------------------- */

/* Which maps to (re)write. */
enum {
	AP_IFCONF	= 1 << 0,
	AP_GLOBAL	= 1 << 1,
	AP_IFADDR4	= 1 << 2,
	AP_LOCAL4	= 1 << 3,
	AP_PROXIES	= 1 << 4,
	AP_ADDR6	= 1 << 5,
	AP_PREFIX6	= 1 << 6,
	AP_ROUTE4	= 1 << 7,
};

/* A map write that failed (a full map, ENOMEM) is tried again at the ticks,
 * but not more often than this, so a persistent problem is not logged twice
 * a second. */
#define XN_RETRY_NS	(5ull * 1000000000ull)

/* Route dumps for changes in tables main and default: at least this far
 * apart, and four times as long as the last dump took (so a table of a
 * million routes under churn costs at most a fifth of a core). */
#define XN_ROUTES_GAP_NS	(100ull * 1000000ull)

static void snap_release(struct xn_sync *s)
{
	if (s->snap_live_fd >= 0)
		close(s->snap_live_fd);
	s->snap_live_fd = -1;
}

/* A new snapshot of xn_ifconf and xn_local4 into xn_snap when either
 * changed since the last one (or the last publication failed).
 * The inner map in the slot is held open (snap_live_fd) until the swap that
 * replaces it has returned: that update (or, after a failure, the
 * withdrawal) returns only once the kernel has waited for the programs
 * running (maybe_wait_bpf_programs(), for any update of an array of maps),
 * so none can still read the old map when it is closed. Without our fd a
 * kernel lacking "bpf: Defer the free of inner map when necessary" (late
 * 2023) could free it during that wait. */
static int publish_snapshot(struct xn_sync *s)
{
	int inner = -1, err;

	if (!s->snap_dirty || s->fd.snap < 0)
		return 0;
	err = xn_snap_publish(s->fd.ifconf, s->fd.local4, s->fd.snap, s->snap_gen + 1, &inner);
	snap_release(s);
	if (err) {
		pr_warn("%s: cannot publish the snapshot (the data plane reads %s and %s "
			"instead): %s\n", XN_MAP_SNAP, XN_MAP_IFCONF, XN_MAP_LOCAL4, strerror(-err));
		return err;
	}
	s->snap_live_fd = inner;
	s->snap_gen++;
	s->snap_dirty = false;
	return 0;
}

int xn_sync_run(struct xn_sync *s, unsigned int dirty)
{
	unsigned int apply = 0, failed = 0;
	int err = 0, e;

	/* Link changes are not always followed by notifications for what
	 * they take along (a device going down loses its local routes and
	 * proxy entries in silence): re-read everything. */
	if (dirty & XN_DIRTY_LINKS)
		dirty |= XN_DIRTY_ALL;

	if (dirty & XN_DIRTY_LINKS) {
		e = xn_nl_dump_links(&s->nl, &s->m);
		if (e)
			pr_warn("cannot dump interfaces: %s\n", strerror(-e));
		err = keep_first(err, e);
		poll_sysctls(s, false);
		s->parms_gen++;		/* interfaces came or went */
		apply |= AP_IFCONF | AP_GLOBAL | AP_IFADDR4 | AP_LOCAL4 | AP_PROXIES |
			 AP_ADDR6 | AP_PREFIX6 | AP_ROUTE4;
	}
	if (dirty & XN_DIRTY_ADDRS) {
		e = xn_nl_dump_addrs(&s->nl, &s->m);
		if (e)
			pr_warn("cannot dump IPv4 addresses: %s\n", strerror(-e));
		err = keep_first(err, e);
		/* XN_LOCAL_CONFIRM_LINK depends on the addresses */
		apply |= AP_IFADDR4 | AP_LOCAL4;
	}
	if (dirty & XN_DIRTY_ADDRS6) {
		e = xn_nl_dump_addrs6(&s->nl, &s->m);
		if (e)
			pr_warn("cannot dump IPv6 addresses: %s\n", strerror(-e));
		err = keep_first(err, e);
		/* the NA source addresses live in xn_ifconf */
		apply |= AP_ADDR6 | AP_PREFIX6 | AP_IFCONF;
	}
	if (dirty & XN_DIRTY_ANYCAST6) {
		e = read_anycast6(s);
		if (e > 0)
			apply |= AP_ADDR6;
		err = keep_first(err, e < 0 ? e : 0);
	}
	if (dirty & XN_DIRTY_ROUTES4) {
		/* A router's table main can be large and busy: one dump
		 * reads it whole, so changes that follow one another closely
		 * are gathered for the tick. The first change of a quiet
		 * table, a local-table change and a resync go at once. */
		if (!(dirty & XN_DIRTY_ROUTES) && now_ns() < s->routes_next_ns)
			s->routes4_pending = true;
		else
			dirty |= XN_DIRTY_ROUTES;
	}
	if (dirty & XN_DIRTY_ROUTES) {
		__u64 t0 = now_ns(), took;

		s->routes4_pending = false;
		e = xn_nl_dump_routes(&s->nl, &s->m);
		if (e)
			pr_warn("cannot dump the IPv4 routing tables: %s\n", strerror(-e));
		s->m.routes4_known = !e;
		err = keep_first(err, e);
		s->m.nexthops.n = 0;
		s->m.nexthops_known = false;
		if (!e && routes_need_nexthops(&s->m)) {
			e = xn_nl_dump_nexthops(&s->nl, &s->m);
			if (e)
				pr_warn("cannot dump the nexthop objects: %s; routes using them "
					"are left to the kernel\n", strerror(-e));
			s->m.nexthops_known = !e;
			err = keep_first(err, e);
		}
		took = now_ns() - t0;
		s->routes_next_ns = now_ns() + (took * 4 > XN_ROUTES_GAP_NS ? took * 4 :
						XN_ROUTES_GAP_NS);
		apply |= AP_LOCAL4 | AP_ROUTE4;
	}
	if (dirty & XN_DIRTY_RULES) {
		e = xn_nl_dump_rules4(&s->nl, &s->m);
		if (e)
			pr_warn("cannot dump the IPv4 policy rules: %s\n", strerror(-e));
		s->m.rules4_known = !e;
		err = keep_first(err, e);
		apply |= AP_ROUTE4;
	}
	if (dirty & XN_DIRTY_PROXIES) {
		e = read_proxies(s);
		if (e > 0)
			apply |= AP_PROXIES;
		err = keep_first(err, e < 0 ? e : 0);
	}
	if (dirty & XN_DIRTY_SYSCTL)
		/* route_localnet feeds XN_LOCAL_CONFIRM_LINK, forwarding
		 * xn_global.fib_ifindex */
		apply |= AP_IFCONF | AP_GLOBAL | AP_LOCAL4;
	if (s->fd.ifconf < 0)
		return err;

	if (s->retry && now_ns() >= s->retry_at) {
		apply |= s->retry;
		s->retry = 0;
	}
	/* XN_GF_ROUTE4_VALID lives in xn_global */
	if (apply & AP_ROUTE4)
		apply |= AP_GLOBAL;
#define XN_APPLY(bit, fn)					\
	if (apply & (bit)) {					\
		e = fn(s);					\
		if (e)						\
			failed |= (bit);			\
		err = keep_first(err, e);			\
	}
	XN_APPLY(AP_IFCONF, apply_ifconf)
	XN_APPLY(AP_ROUTE4, apply_route4)
	XN_APPLY(AP_GLOBAL, apply_global)
	XN_APPLY(AP_IFADDR4, apply_ifaddr4)
	XN_APPLY(AP_LOCAL4, apply_local4)
	/* xn_ifconf and xn_local4 are written: the snapshot copies them */
	err = keep_first(err, publish_snapshot(s));
	XN_APPLY(AP_PROXIES, apply_proxies)
	XN_APPLY(AP_ADDR6, apply_addr6)
	XN_APPLY(AP_PREFIX6, apply_prefix6)
#undef XN_APPLY
	if (failed) {
		s->retry |= failed;
		s->retry_at = now_ns() + XN_RETRY_NS;
	}
	return err;
}

int xn_sync_tick(struct xn_sync *s)
{
	unsigned int dirty = XN_DIRTY_PROXIES | XN_DIRTY_ANYCAST6;
	int err;

	if (s->routes4_pending)
		dirty |= XN_DIRTY_ROUTES4;
	if (poll_sysctls(s, true))
		dirty |= XN_DIRTY_SYSCTL;
	err = xn_sync_run(s, dirty);
	/* xn_sync_run() already refreshed it when sysctls changed. */
	if (!(dirty & XN_DIRTY_SYSCTL) && s->fd.global >= 0)
		err = keep_first(err, apply_global(s));
	return err;
}
