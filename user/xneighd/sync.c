// SPDX-License-Identifier: GPL-2.0
/* xneighd: mirror the kernel's state into the data plane's maps.
 *
 * Each map is rewritten from the model as a whole set: entries the kernel no
 * longer has are deleted, entries that differ are written, equal ones are
 * left alone (so a sysctl poll that finds nothing new writes nothing).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>
#include <bpf/bpf.h>
#include "xneigh/nud.h"
#include "log.h"
#include "sync.h"

int xn_sync_init(struct xn_sync *s)
{
	memset(s, 0, sizeof(*s));
	s->fd.ifconf = s->fd.ifaddr4 = s->fd.local4 = s->fd.proxy4 = s->fd.global = -1;
	xn_ipv4_conf_defaults(&s->m.all);
	return xn_nl_open(&s->nl);
}

void xn_sync_set_maps(struct xn_sync *s, const struct xn_sync_maps *fd)
{
	s->fd = *fd;
}

void xn_sync_fini(struct xn_sync *s)
{
	xn_nl_close(&s->nl);
	xn_model_free(&s->m);
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

static void log_neigh_changes(const char *dev, const struct xn_neigh_parms *o,
			      const struct xn_neigh_parms *n)
{
	if (o->locktime != n->locktime)
		pr_info("net.ipv4.neigh.%s.locktime: %d -> %d\n", dev, o->locktime, n->locktime);
	if (o->base_reachable_ms != n->base_reachable_ms)
		pr_info("net.ipv4.neigh.%s.base_reachable_time_ms: %d -> %d\n", dev,
			o->base_reachable_ms, n->base_reachable_ms);
	if (o->proxy_delay != n->proxy_delay)
		pr_info("net.ipv4.neigh.%s.proxy_delay: %d -> %d\n", dev,
			o->proxy_delay, n->proxy_delay);
}

/* Re-read conf/NAME and neigh/NAME of one interface. An interface without
 * IPv4 state keeps the kernel defaults. */
static void read_link_sysctls(struct xn_link_rec *l)
{
	l->ipv4 = xn_sysctl_has_ipv4(l->name);
	if (!l->ipv4) {
		xn_ipv4_conf_defaults(&l->conf);
		xn_neigh_parms_defaults(&l->neigh);
		return;
	}
	/* -ENOENT: the interface went away (or was renamed) between the dump
	 * and now; the link notification that follows re-reads it. */
	if (xn_sysctl_read_conf(l->name, &l->conf) == -ENOENT)
		l->ipv4 = false;
	xn_sysctl_read_neigh(l->name, &l->neigh);
}

/* Re-read every sysctl; true if anything changed. */
static bool poll_sysctls(struct xn_sync *s, bool log)
{
	struct xn_ipv4_conf all = s->m.all;
	bool changed = false;
	size_t i;

	xn_sysctl_read_conf("all", &all);
	if (memcmp(&all, &s->m.all, sizeof(all))) {
		if (log)
			log_conf_changes("all", &s->m.all, &all);
		s->m.all = all;
		changed = true;
	}
	for (i = 0; i < s->m.links.n; i++) {
		struct xn_link_rec *l = &s->m.links.v[i];
		struct xn_link_rec old = *l;

		read_link_sysctls(l);
		if (l->ipv4 == old.ipv4 && !memcmp(&l->conf, &old.conf, sizeof(l->conf)) &&
		    !memcmp(&l->neigh, &old.neigh, sizeof(l->neigh)))
			continue;
		if (log) {
			log_conf_changes(l->name, &old.conf, &l->conf);
			log_neigh_changes(l->name, &old.neigh, &l->neigh);
		}
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

/* Make map `fd` hold exactly the records of rs. 0 or the first -errno. */
static int map_mirror(int fd, const char *name, struct recset *rs)
{
	size_t rsz = rec_size(rs), i, ndel = 0, nstale = 0, nupd = 0, nfail = 0;
	char *key = NULL, *next = NULL, *val = NULL, *stale = NULL;
	int err, first_err = 0;

	recset_finish(rs);
	key = malloc(rs->ksz);
	next = malloc(rs->ksz);
	val = malloc(rs->vsz);
	if (!key || !next || !val) {
		first_err = -ENOMEM;
		goto out;
	}

	/* Collect the keys to delete first: deleting while walking a hash
	 * map restarts the walk. */
	err = bpf_map_get_next_key(fd, NULL, next);
	while (!err) {
		if (!recset_find(rs, next)) {
			char *p = realloc(stale, (nstale + 1) * rs->ksz);

			if (!p) {
				first_err = -ENOMEM;
				goto out;
			}
			stale = p;
			memcpy(stale + nstale++ * rs->ksz, next, rs->ksz);
		}
		memcpy(key, next, rs->ksz);
		err = bpf_map_get_next_key(fd, key, next);
	}
	if (err != -ENOENT) {
		pr_warn("%s: cannot walk the map: %s\n", name, strerror(-err));
		first_err = err;
	}
	for (i = 0; i < nstale; i++) {
		err = bpf_map_delete_elem(fd, stale + i * rs->ksz);
		if (err && err != -ENOENT) {
			pr_warn("%s: cannot delete an entry: %s\n", name, strerror(-err));
			if (!first_err)
				first_err = err;
			continue;
		}
		ndel++;
	}

	for (i = 0; i < rs->n; i++) {
		const char *r = rs->buf + i * rsz;

		if (!bpf_map_lookup_elem(fd, r, val) && !memcmp(val, r + rs->ksz, rs->vsz))
			continue;
		err = bpf_map_update_elem(fd, r, r + rs->ksz, BPF_ANY);
		if (err) {
			if (!nfail++ && !first_err)
				first_err = err;
			continue;
		}
		nupd++;
	}
	if (nfail)
		pr_warn("%s: %zu of %zu entries could not be written: %s%s\n", name, nfail,
			rs->n, strerror(-first_err),
			first_err == -E2BIG ? " (map full: more than its max_entries)" : "");
	if (ndel || nupd)
		pr_debug("%s: %zu written, %zu deleted, %zu entries\n", name, nupd, ndel, rs->n);
out:
	free(key);
	free(next);
	free(val);
	free(stale);
	return first_err;
}

/* ---- the maps ------------------------------------------------------------------------ */

static int apply_ifconf(struct xn_sync *s)
{
	struct recset rs = { .ksz = sizeof(__u32), .vsz = sizeof(struct xn_ifconf) };
	int err = 0;
	size_t i;

	for (i = 0; i < s->m.links.n && !err; i++) {
		const struct xn_link_rec *l = &s->m.links.v[i];
		struct xn_ifconf v;

		xn_model_ifconf(&s->m, l, &v);
		err = recset_add(&rs, &l->ifindex, &v);
	}
	if (!err)
		err = map_mirror(s->fd.ifconf, XN_MAP_IFCONF, &rs);
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
		err = map_mirror(s->fd.local4, XN_MAP_LOCAL4, &rs);
	free(rs.buf);
	return err;
}

static int apply_proxy4(struct xn_sync *s)
{
	struct recset rs = { .ksz = sizeof(struct xn_proxy4_key), .vsz = sizeof(struct xn_proxy) };
	int err = 0;
	size_t i;

	for (i = 0; i < s->m.proxies.n && !err; i++) {
		const struct xn_proxy_rec *p = &s->m.proxies.v[i];
		struct xn_proxy4_key k = { .ifindex = p->ifindex, .addr = p->addr };
		struct xn_proxy v = {
			.flags = p->flags & XN_NTF_ROUTER,
			.permanent = p->permanent,
		};

		err = recset_add(&rs, &k, &v);
	}
	if (!err)
		err = map_mirror(s->fd.proxy4, XN_MAP_PROXY4, &rs);
	free(rs.buf);
	return err;
}

static __u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static int apply_global(struct xn_sync *s)
{
	struct xn_global g = {};
	__u32 key = 0;
	int err;

	/* Keep fields other writers may own (flags); set ours. */
	bpf_map_lookup_elem(s->fd.global, &key, &g);
	g.fib_ifindex = xn_model_fib_ifindex(&s->m);
	g.daemon_heartbeat = now_ns();
	err = bpf_map_update_elem(s->fd.global, &key, &g, BPF_ANY);
	if (err) {
		pr_warn("%s: cannot write: %s\n", XN_MAP_GLOBAL, strerror(-err));
		return err;
	}
	if (!s->fib_written || g.fib_ifindex != s->fib_ifindex) {
		char name[IF_NAMESIZE];

		if (g.fib_ifindex)
			pr_info("route lookups for arp_filter and proxy ARP go through %s "
				"(ifindex %u), which has IPv4 forwarding on\n",
				xn_model_ifname(&s->m, g.fib_ifindex, name, sizeof(name)),
				g.fib_ifindex);
		else
			pr_info("no interface has IPv4 forwarding on: route lookups "
				"(arp_filter, proxy ARP) are left to the kernel\n");
		s->fib_ifindex = g.fib_ifindex;
		s->fib_written = true;
	}
	return 0;
}

/* ---- entry points ---------------------------------------------------------------------- */

static int keep_first(int err, int e)
{
	return err ? err : e;
}

int xn_sync_run(struct xn_sync *s, unsigned int dirty)
{
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
	}
	if (dirty & XN_DIRTY_ADDRS) {
		e = xn_nl_dump_addrs(&s->nl, &s->m);
		if (e)
			pr_warn("cannot dump IPv4 addresses: %s\n", strerror(-e));
		err = keep_first(err, e);
	}
	if (dirty & XN_DIRTY_ROUTES) {
		e = xn_nl_dump_routes(&s->nl, &s->m);
		if (e)
			pr_warn("cannot dump the local routing table: %s\n", strerror(-e));
		err = keep_first(err, e);
	}
	if (dirty & XN_DIRTY_PROXIES) {
		e = xn_nl_dump_proxies(&s->nl, &s->m);
		if (e)
			pr_warn("cannot dump proxy ARP entries: %s\n", strerror(-e));
		err = keep_first(err, e);
	}
	if (s->fd.ifconf < 0)
		return err;

	if (dirty & (XN_DIRTY_LINKS | XN_DIRTY_SYSCTL)) {
		err = keep_first(err, apply_ifconf(s));
		err = keep_first(err, apply_global(s));
	}
	if (dirty & (XN_DIRTY_LINKS | XN_DIRTY_ADDRS))
		err = keep_first(err, apply_ifaddr4(s));
	/* XN_LOCAL_CONFIRM_LINK depends on addresses and route_localnet. */
	if (dirty & (XN_DIRTY_ADDRS | XN_DIRTY_ROUTES | XN_DIRTY_SYSCTL))
		err = keep_first(err, apply_local4(s));
	if (dirty & XN_DIRTY_PROXIES)
		err = keep_first(err, apply_proxy4(s));
	return err;
}

int xn_sync_tick(struct xn_sync *s)
{
	unsigned int dirty = XN_DIRTY_PROXIES;
	int err;

	if (poll_sysctls(s, true))
		dirty |= XN_DIRTY_SYSCTL;
	err = xn_sync_run(s, dirty);
	/* xn_sync_run() already refreshed it when sysctls changed. */
	if (!(dirty & XN_DIRTY_SYSCTL))
		err = keep_first(err, apply_global(s));
	return err;
}
