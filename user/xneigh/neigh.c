// SPDX-License-Identifier: GPL-2.0
/* xneigh show / flush: the neighbour tables xn_neigh4 (IPv4) and xn_neigh6
 * (IPv6) in the words of `ip neigh show` and `ip neigh flush` (iproute2 6.1,
 * checked against the output of ip on kernel entries in the same states;
 * tests/netns/test_cli_vs_ip.sh diffs the two):
 *
 *   text:  DST [dev DEV] [lladdr MAC] [router] [extern_learn] STATE
 *          every field followed by one space, as ip prints it; "dev DEV" is
 *          left out under a dev filter; lladdr only for NUD_VALID states
 *          (the kernel's neigh_fill_info() sends no NDA_LLADDR otherwise);
 *          no state word for NUD_NONE. DST is inet_ntop()'s form for IPv6,
 *          as ip's format_host().
 *   -s:    " ref 1" in the states with a running timer (the reference the
 *          kernel's timer holds: what ip shows for an entry nothing else
 *          uses), then " used U/C/Uprobes P " (ages in seconds, "probes"
 *          glued to them as ip 6.1 prints it).
 *   JSON:  [{"dst":..,"dev":..,"lladdr":..,"router":null,"extern_learn":null,
 *            "state":["STALE"]}], with -s also refcnt (timer states), used,
 *          confirmed, updated, probes.
 *   flush: one neigh_delete() per entry, as ip sends one RTM_DELNEIGH per
 *          entry: through xn_ctl (FAILED, then removed; counted and
 *          reported like any removal), plain map deletes without it.
 *   order: IPv4 then IPv6, one list (ip's AF_UNSPEC dump walks arp_tbl before
 *          nd_tbl); inside a table by device, then address. The kernel lists
 *          a table in hash order, which a copy in a BPF map cannot reproduce.
 */
#include <endian.h>
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <bpf/bpf.h>
#include "xneigh/maps.h"
#include "xneigh/nud.h"
#include "ctl.h"
#include "log.h"
#include "maps_open.h"
#include "xneigh.h"

/* iproute2's filter word for "state NONE requested" (state 0 has no bit). */
#define NUD_FILTER_NONE		0x100
/* `ip neigh flush` gives up after this many dump/delete rounds. */
#define FLUSH_MAX_ROUNDS	10

/* Both key layouts are {__u32 ifindex; address}: one walker serves both. */
#define KEY_ADDR_OFF		4
XN_STATIC_ASSERT(offsetof(struct xn_neigh4_key, addr) == KEY_ADDR_OFF, "xn_neigh4_key.addr");
XN_STATIC_ASSERT(offsetof(struct xn_neigh6_key, addr) == KEY_ADDR_OFF, "xn_neigh6_key.addr");

/* One neighbour table, in the order ip lists them. */
struct family {
	int af;
	enum xn_map_index map;
	size_t key_size;
	unsigned int addr_len;
};

static const struct family families[] = {
	{ AF_INET,  XN_MI_NEIGH4, sizeof(struct xn_neigh4_key), 4 },
	{ AF_INET6, XN_MI_NEIGH6, sizeof(struct xn_neigh6_key), 16 },
};
#define NR_FAMILIES	(sizeof(families) / sizeof(families[0]))

struct neigh_filter {
	int family;			/* AF_UNSPEC: both tables */
	const char *dev;		/* dev DEV as given */
	__u32 ifindex;			/* 0: every device */
	unsigned int state;		/* NUD_* bits, NUD_FILTER_NONE */
	bool nud_given;
	bool has_prefix;
	const char *prefix_arg;
	struct xn_prefix prefix;
};

static bool family_selected(const struct neigh_filter *f, const struct family *fam)
{
	return f->family == AF_UNSPEC || f->family == fam->af;
}

/* iproute2 (ip/ipneigh.c, print_neigh): an entry is listed or flushed when
 * its state is in the filter, when it is NONE and "none" was asked for, or
 * — whatever the filter — when it carries NTF_EXT_LEARNED. Checked on this
 * machine: `ip neigh flush dev X` removes a PERMANENT extern_learn entry. */
static bool filter_match(const struct neigh_filter *f, const struct family *fam,
			 const __u8 *key, const struct xn_neigh *v)
{
	__u32 ifindex;

	memcpy(&ifindex, key, sizeof(ifindex));
	if (f->ifindex && ifindex != f->ifindex)
		return false;
	if (f->has_prefix && !xn_prefix_match(&f->prefix, fam->af, key + KEY_ADDR_OFF))
		return false;
	if (f->state & v->state)
		return true;
	if (v->flags & XN_NTF_EXT_LEARNED)
		return true;
	return v->state == NUD_NONE && (f->state & NUD_FILTER_NONE);
}

static const char *prefix_name(int af)
{
	return af == AF_INET6 ? "IPv6" : "IPv4";
}

/* Parse [to] PREFIX, dev DEV, nud STATE, help and options. Returns -1 to go
 * on, or the exit status to return (help printed, or usage error reported). */
static int parse_neigh_args(struct cli *c, int argc, char **argv,
			    struct neigh_filter *f, bool flush)
{
	int i, r, selectors = 0, err;

	memset(f, 0, sizeof(*f));
	/* defaults of ip/ipneigh.c do_show_or_flush() */
	f->state = flush ? ~(unsigned int)(NUD_PERMANENT | NUD_NOARP)
			 : 0xFF & ~(unsigned int)NUD_NOARP;

	for (i = 0; i < argc; i++) {
		const char *a = argv[i];

		if (cli_is_help_opt(a)) {
			help_neigh(stdout);
			return XN_EXIT_OK;
		}
		r = cli_option(c, argc - i, argv + i);
		if (r < 0)
			return XN_EXIT_USAGE;
		if (r > 0) {
			i += r - 1;
			continue;
		}
		selectors++;
		if (!strcmp(a, "dev")) {
			if (++i >= argc)
				return cli_usage(c, "\"dev\" needs an interface name");
			if (f->dev)
				return cli_usage(c, "duplicate \"dev\": \"%s\" after \"%s\"",
						 xn_tok(argv[i]), xn_tok(f->dev));
			f->dev = argv[i];
		} else if (!strcmp(a, "nud")) {
			unsigned int st;

			if (++i >= argc)
				return cli_usage(c, "\"nud\" needs a state (all, permanent, noarp, reachable, stale, none, incomplete, delay, probe, failed)");
			if (!f->nud_given) {
				f->nud_given = true;
				f->state = 0;
			}
			if (!strcasecmp(argv[i], "all")) {
				st = ~0u;
				if (flush)
					st &= ~(unsigned int)NUD_NOARP;
			} else if (xn_nud_parse(argv[i], &st)) {
				return cli_usage(c, "nud state \"%s\" is invalid (all, permanent, noarp, reachable, stale, none, incomplete, delay, probe, failed)", xn_tok(argv[i]));
			}
			f->state |= st ? st : NUD_FILTER_NONE;
		} else if (xn_matches(a, "help")) {
			help_neigh(stdout);
			return XN_EXIT_OK;
		} else {
			struct xn_prefix p;
			bool to = !strcmp(a, "to");

			if (to) {
				if (++i >= argc)
					return cli_usage(c, "\"to\" needs a prefix (A.B.C.D[/LEN], X:X::X[/LEN] or all)");
				a = argv[i];
			}
			if (f->has_prefix)
				return cli_usage(c, "duplicate prefix: \"%s\" after \"%s\"",
						 xn_tok(a), xn_tok(f->prefix_arg));
			/* the family is checked once every option is known */
			if (xn_prefix_parse(a, AF_UNSPEC, &p)) {
				if (to)
					return cli_usage(c, "invalid prefix \"%s\" (A.B.C.D[/LEN], X:X::X[/LEN] or all)", xn_tok(a));
				return cli_usage(c, "\"%s\" is neither a keyword (dev, nud, to, help) nor a prefix (A.B.C.D[/LEN], X:X::X[/LEN] or all)", xn_tok(a));
			}
			f->has_prefix = true;
			f->prefix_arg = a;
		}
	}
	if (flush && !selectors)
		return cli_usage(c, "flush requires arguments: a prefix, dev DEV or nud STATE (\"flush all\" empties the tables)");

	/* As ip: -4/-6 decide how the prefix is read; otherwise the prefix
	 * decides the family ("all" keeps both). */
	f->family = c->family;
	if (f->has_prefix) {
		err = xn_prefix_parse(f->prefix_arg, c->family, &f->prefix);
		if (err == -EAFNOSUPPORT)
			return cli_usage(c, "%s prefix is expected rather than \"%s\" (%s given)",
					 prefix_name(c->family), xn_tok(f->prefix_arg),
					 c->family == AF_INET6 ? "-6" : "-4");
		if (err)
			return cli_usage(c, "invalid prefix \"%s\"", xn_tok(f->prefix_arg));
		if (f->family == AF_UNSPEC)
			f->family = f->prefix.family;
	}
	return -1;
}

/* Interface names, the dev filter and the maps: what both commands need.
 * Like parse_neigh_args(): -1 to go on, else the exit status (error reported). */
static int neigh_prepare(struct cli *c, struct neigh_filter *f, struct ifcache *ic,
			 struct xn_maps *m)
{
	const char *why;
	size_t i;
	int err, ret;

	/* a device that is no interface name, or none of this namespace, is
	 * a bad argument: a usage error before anything is read or deleted */
	if (f->dev && (why = xn_ifname_invalid(f->dev)))
		return cli_usage(c, "interface name \"%s\" %s", xn_tok(f->dev), why);
	err = ifcache_load(ic);
	if (err)
		return cli_fail(c, "cannot list network interfaces: %s", strerror(-err));
	if (f->dev) {
		f->ifindex = ifcache_index(ic, f->dev);
		if (!f->ifindex)
			return cli_usage(c, "Cannot find device \"%s\"", xn_tok(f->dev));
	}
	ret = cli_maps_open(c, m);
	if (ret >= 0)
		return ret;
	/* every table asked for, or nothing: never half a listing */
	for (i = 0; i < NR_FAMILIES; i++)
		if (family_selected(f, &families[i]) && xn_maps_require(m, families[i].map))
			return cli_fail(c, "%s", m->errmsg);
	return -1;
}

struct neigh_table {
	__u8 *keys;			/* key_size each */
	struct xn_neigh *vals;
	size_t n;
};

/* -1 to go on, else the exit status (error reported). */
static int table_read(struct cli *c, const struct xn_maps *m, const struct family *fam,
		      struct neigh_table *t)
{
	void *k, *v;
	int err;

	/* BPF_F_LOCK: state, lladdr and flags of an entry come from one writer */
	err = xn_map_dump(m->fd[fam->map], fam->key_size, sizeof(*t->vals), BPF_F_LOCK,
			  &k, &v, &t->n);
	if (err)
		return cli_fail(c, "reading map %s: %s", xn_map_name(fam->map), strerror(-err));
	t->keys = k;
	t->vals = v;
	return -1;
}

static void table_free(struct neigh_table *t)
{
	free(t->keys);
	free(t->vals);
	memset(t, 0, sizeof(*t));
}

/* What a listed line needs, copied out of the dump in map order so the
 * printing pass after the sort reads memory sequentially (a sorted walk
 * through the 48-byte values costs a cache miss per entry). The sort key
 * is (ifindex, address) as three host-order integers: an IPv4 key is all
 * in k0, so IPv4 sorts on one comparison. */
struct row {
	__u64 k0;			/* ifindex << 32 | address bytes 0-3 */
	__u64 k1;			/* address bytes 4-11 (IPv6) */
	__u32 k2;			/* address bytes 12-15 (IPv6) */
	__u32 idx;			/* into the dump, for the -s fields */
	__u8 state;
	__u8 flags;
	__u8 lladdr[ETH_ALEN];
};
XN_STATIC_ASSERT(sizeof(struct row) == 32, "struct row stays small");

static void row_set_key(struct row *r, const struct family *fam, const __u8 *key)
{
	__u8 a[16] = {};
	__u32 ifindex, w0, w3;
	__u64 mid;

	memcpy(&ifindex, key, sizeof(ifindex));
	memcpy(a, key + KEY_ADDR_OFF, fam->addr_len);
	memcpy(&w0, a, 4);
	memcpy(&mid, a + 4, 8);
	memcpy(&w3, a + 12, 4);
	r->k0 = (__u64)ifindex << 32 | ntohl(w0);
	r->k1 = be64toh(mid);
	r->k2 = ntohl(w3);
}

/* The address of a row back in network order (16 bytes; IPv4 in the first 4). */
static void row_addr(const struct row *r, __u8 *a)
{
	__u32 w0 = htonl((__u32)r->k0), w3 = htonl(r->k2);
	__u64 mid = htobe64(r->k1);

	memcpy(a, &w0, 4);
	memcpy(a + 4, &mid, 8);
	memcpy(a + 12, &w3, 4);
}

static int sort_cmp(const void *a, const void *b)
{
	const struct row *x = a, *y = b;

	if (x->k0 != y->k0)
		return x->k0 < y->k0 ? -1 : 1;
	if (x->k1 != y->k1)
		return x->k1 < y->k1 ? -1 : 1;
	return x->k2 < y->k2 ? -1 : x->k2 > y->k2;
}

/* Seconds from a CLOCK_MONOTONIC timestamp to now, as ip shows the kernel's
 * NDA_CACHEINFO ages (whole seconds, truncated). */
static __u64 age_s(__u64 now, __u64 ts)
{
	return ts >= now ? 0 : (now - ts) / 1000000000ull;
}

void neigh_print(struct cli *c, struct ifcache *ic, bool show_dev, int af, __u32 ifindex,
		 const __u8 *addr, __u8 state, __u8 flags, const __u8 *lladdr,
		 const struct xn_neigh *v, __u64 now)
{
	struct xn_out *o = &c->out;
	char dst[XN_IP6_STRLEN], mac[XN_MAC_STRLEN], ifbuf[24];

	if (af == AF_INET6) {
		xn_ip6_str(addr, dst);
	} else {
		__be32 a;

		memcpy(&a, addr, sizeof(a));
		xn_ip4_str(a, dst);
	}
	xn_open_object(o, NULL);
	xn_print_string(o, XN_PRINT_ANY, "dst", "%s ", dst);
	if (show_dev)
		xn_print_string(o, XN_PRINT_ANY, "dev", "dev %s ",
				ifcache_name(ic, ifindex, ifbuf, sizeof(ifbuf)));
	if (state & XN_NUD_VALID)
		xn_print_string(o, XN_PRINT_ANY, "lladdr", "lladdr %s ", xn_mac_str(lladdr, mac));
	if (flags & XN_NTF_ROUTER)
		xn_print_null(o, XN_PRINT_ANY, "router", "router ");
	if (flags & XN_NTF_EXT_LEARNED)
		xn_print_null(o, XN_PRINT_ANY, "extern_learn", "extern_learn ");
	if (c->stats && v) {
		/* ip prints " ref N" when neigh_fill_info() reports references
		 * beyond the table's own (ndm_refcnt = refcnt - 1). An xneigh
		 * entry has no reference count; the one a kernel entry that
		 * nothing else uses has is its pending timer (neigh_add_timer()
		 * holds it), in the states that run one: so "ref 1" there, as
		 * ip shows for such an entry, and nothing in the others. */
		if (state & XN_NUD_IN_TIMER)
			xn_print_uint(o, XN_PRINT_ANY, "refcnt", " ref %u", 1);
		/* ip 6.1 prints exactly this, "probes" glued to the ages */
		xn_print_uint(o, XN_PRINT_ANY, "used", " used %llu", age_s(now, v->used));
		xn_print_uint(o, XN_PRINT_ANY, "confirmed", "/%llu", age_s(now, v->confirmed));
		xn_print_uint(o, XN_PRINT_ANY, "updated", "/%llu", age_s(now, v->updated));
		xn_print_uint(o, XN_PRINT_ANY, "probes", "probes %u ", v->probes);
	}
	xn_print_nud_state(o, state);
	xn_print_text(o, "\n");
	xn_close_object(o);
}

static void print_entry(struct cli *c, struct ifcache *ic, const struct neigh_filter *f,
			const struct family *fam, const struct row *r,
			const struct xn_neigh *v, __u64 now)
{
	__u8 addr[16];

	row_addr(r, addr);
	neigh_print(c, ic, !f->ifindex, fam->af, (__u32)(r->k0 >> 32), addr, r->state, r->flags,
		    r->lladdr, v, now);
}

__u64 neigh_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec * 1000000000ull + (__u64)ts.tv_nsec;
}

/* Print the entries of t that match f, sorted. 0 or -ENOMEM. */
static int print_table(struct cli *c, struct ifcache *ic, const struct neigh_filter *f,
		       const struct family *fam, const struct neigh_table *t, __u64 now)
{
	struct row *rows;
	size_t i, n = 0;

	rows = malloc((t->n ? t->n : 1) * sizeof(*rows));
	if (!rows)
		return -ENOMEM;
	for (i = 0; i < t->n; i++) {
		const __u8 *key = t->keys + i * fam->key_size;
		const struct xn_neigh *v = &t->vals[i];
		struct row *r = &rows[n];

		if (!filter_match(f, fam, key, v))
			continue;
		row_set_key(r, fam, key);
		r->idx = (__u32)i;
		r->state = v->state;
		r->flags = v->flags;
		memcpy(r->lladdr, v->lladdr, ETH_ALEN);
		n++;
	}
	qsort(rows, n, sizeof(*rows), sort_cmp);
	for (i = 0; i < n; i++)
		print_entry(c, ic, f, fam, &rows[i], &t->vals[rows[i].idx], now);
	free(rows);
	return 0;
}

int do_show(struct cli *c, int argc, char **argv)
{
	struct neigh_filter f;
	struct ifcache ic = {};
	struct xn_maps m;
	struct neigh_table t = {};
	size_t i;
	__u64 now;
	int ret, err;

	ret = parse_neigh_args(c, argc, argv, &f, false);
	if (ret >= 0)
		return ret;
	xn_maps_init(&m);
	ret = neigh_prepare(c, &f, &ic, &m);
	if (ret >= 0)
		goto out;

	xn_open_array(&c->out, NULL);
	for (i = 0; i < NR_FAMILIES; i++) {
		const struct family *fam = &families[i];

		if (!family_selected(&f, fam))
			continue;
		ret = table_read(c, &m, fam, &t);
		if (ret >= 0)
			goto out;
		now = neigh_now_ns();
		err = print_table(c, &ic, &f, fam, &t, now);
		if (err) {
			ret = cli_fail(c, "out of memory for %zu entries of map %s", t.n,
				       xn_map_name(fam->map));
			goto out;
		}
		table_free(&t);
	}
	xn_close_array(&c->out);
	xn_json_end(&c->out);
	ret = XN_EXIT_OK;
out:
	table_free(&t);
	xn_maps_close(&m);
	ifcache_free(&ic);
	return ret;
}

/* One flush pass over one table: delete what matches f, after listing it
 * when -s -s asks (text only, as ip prints deleted entries there).
 * *matched counts the keys sent for deletion, *deleted those this pass
 * removed (a racing delete can take some first). -1 to go on, else the
 * exit status (error reported). */
/* Delete n keys the way the kernel's flush does: one neigh_delete() each
 * (ip sends an RTM_DELNEIGH per entry), through xn_ctl, so every entry goes
 * FAILED, then away, counted (destroys, res_failed) and reported
 * (XN_EV_DELETED) as the data plane reports any removal. Keys already gone
 * are skipped. 0 or the first other -errno. */
static int delete_keys_ctl(const struct xn_ctl *ctl, const struct family *fam,
			   const __u8 *keys, size_t n, size_t *deleted)
{
	size_t i;
	int err;

	*deleted = 0;
	for (i = 0; i < n; i++) {
		const __u8 *key = keys + i * fam->key_size;
		__u32 ifindex;

		memcpy(&ifindex, key, sizeof(ifindex));
		err = xn_ctl_neigh_delete(ctl, fam->af, ifindex, key + KEY_ADDR_OFF);
		if (err == -ENOENT)
			continue;	/* raced with another delete */
		if (err)
			return err;
		(*deleted)++;
	}
	return 0;
}

static int flush_table(struct cli *c, struct ifcache *ic, const struct neigh_filter *f,
		       const struct xn_maps *m, const struct xn_ctl *ctl,
		       const struct family *fam, size_t *matched, size_t *deleted)
{
	struct neigh_table t = {};
	__u8 *del = NULL;
	size_t i, n = 0;
	int ret, err;

	*matched = 0;
	*deleted = 0;
	ret = table_read(c, m, fam, &t);
	if (ret >= 0)
		return ret;
	del = malloc((t.n ? t.n : 1) * fam->key_size);
	if (!del) {
		ret = cli_fail(c, "out of memory for %zu entries of map %s", t.n, xn_map_name(fam->map));
		goto out;
	}
	for (i = 0; i < t.n; i++) {
		const __u8 *key = t.keys + i * fam->key_size;

		if (filter_match(f, fam, key, &t.vals[i]))
			memcpy(del + n++ * fam->key_size, key, fam->key_size);
	}
	if (n && c->stats >= 2 && !c->json) {
		err = print_table(c, ic, f, fam, &t, neigh_now_ns());
		if (err) {
			ret = cli_fail(c, "out of memory for %zu entries of map %s", t.n,
				       xn_map_name(fam->map));
			goto out;
		}
	}
	/* The state was checked at read time; an entry made PERMANENT between
	 * the read and the delete is still deleted, exactly as with ip. */
	if (ctl->fd >= 0)
		err = delete_keys_ctl(ctl, fam, del, n, deleted);
	else
		err = xn_map_delete_keys(m->fd[fam->map], del, fam->key_size, n, deleted);
	if (err) {
		ret = cli_fail(c, "deleting entries from map %s: %s", xn_map_name(fam->map),
			       strerror(-err));
		goto out;
	}
	*matched = n;
	ret = -1;
out:
	free(del);
	table_free(&t);
	return ret;
}

int do_flush(struct cli *c, int argc, char **argv)
{
	struct neigh_filter f;
	struct ifcache ic = {};
	struct xn_maps m;
	struct xn_ctl ctl;
	size_t i, total = 0;
	int ret, round = 0;
	char line[96];

	ret = parse_neigh_args(c, argc, argv, &f, true);
	if (ret >= 0)
		return ret;
	xn_maps_init(&m);
	xn_ctl_init(&ctl);
	ret = neigh_prepare(c, &f, &ic, &m);
	if (ret >= 0)
		goto out;
	/* Deleting through xn_ctl is what makes a flush look like the
	 * kernel's to the rest of xneigh (events, counters, xneighd's
	 * timers); a data plane without it is flushed with plain deletes. */
	if (xn_ctl_open(&ctl, m.source == XN_MAPS_SRC_PINS ? m.where : NULL,
			m.id[m.id[XN_MI_NEIGH4] ? XN_MI_NEIGH4 : XN_MI_NEIGH6]))
		pr_debug("flush: %s; deleting from the maps directly\n", ctl.errmsg);

	/* As ip: read, delete what matches, read again, until a read finds
	 * nothing to delete (the data plane may be learning meanwhile). */
	while (round < FLUSH_MAX_ROUNDS) {
		size_t n = 0;

		for (i = 0; i < NR_FAMILIES; i++) {
			size_t matched, deleted;

			if (!family_selected(&f, &families[i]))
				continue;
			ret = flush_table(c, &ic, &f, &m, &ctl, &families[i], &matched, &deleted);
			if (ret >= 0)
				goto out;
			n += matched;
			total += deleted;
		}
		if (n == 0) {
			if (c->stats && c->json) {
				xn_open_object(&c->out, NULL);
				xn_print_uint(&c->out, XN_PRINT_JSON, "rounds", NULL, (__u64)round);
				xn_print_uint(&c->out, XN_PRINT_JSON, "deleted", NULL, total);
				xn_close_object(&c->out);
				xn_json_end(&c->out);
			} else if (c->stats) {
				if (round == 0)
					snprintf(line, sizeof(line), "Nothing to flush.\n");
				else
					snprintf(line, sizeof(line), "*** Flush is complete after %d round%s ***\n",
						 round, round > 1 ? "s" : "");
				xn_print_text(&c->out, line);
			}
			ret = XN_EXIT_OK;
			goto out;
		}
		round++;
		if (c->stats && !c->json) {
			snprintf(line, sizeof(line), "\n*** Round %d, deleting %zu entries ***\n",
				 round, n);
			xn_print_text(&c->out, line);
			/* show progress as ip does: the next read may take a while */
			xn_out_flush(&c->out);
		}
		/* ip 6.1: FAILED entries go in the first round only, so entries
		 * failing while we flush cannot keep the loop going */
		f.state &= ~(unsigned int)NUD_FAILED;
	}
	ret = cli_fail(c, "flush not complete, bailing out after %d rounds: entries keep appearing",
		       FLUSH_MAX_ROUNDS);
out:
	xn_ctl_close(&ctl);
	xn_maps_close(&m);
	ifcache_free(&ic);
	return ret;
}
