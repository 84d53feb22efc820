// SPDX-License-Identifier: GPL-2.0
/* xneigh show / flush: the IPv4 neighbour table (xn_neigh4) in the words of
 * `ip neigh show` and `ip neigh flush` (iproute2 6.1, checked against the
 * output of ip on kernel entries in the same states):
 *
 *   text:  DST [dev DEV] [lladdr MAC] [router] [extern_learn] STATE
 *          every field followed by one space, as ip prints it; "dev DEV" is
 *          left out under a dev filter; lladdr only for NUD_VALID states
 *          (the kernel's neigh_fill_info() sends no NDA_LLADDR otherwise);
 *          no state word for NUD_NONE.
 *   JSON:  [{"dst":..,"dev":..,"lladdr":..,"router":null,"extern_learn":null,
 *            "state":["STALE"]}], with -s also used/confirmed/updated/probes.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>
#include <bpf/bpf.h>
#include "xneigh/maps.h"
#include "xneigh/nud.h"
#include "maps_open.h"
#include "xneigh.h"

/* iproute2's filter word for "state NONE requested" (state 0 has no bit). */
#define NUD_FILTER_NONE		0x100
/* `ip neigh flush` gives up after this many dump/delete rounds. */
#define FLUSH_MAX_ROUNDS	10

struct neigh_filter {
	const char *dev;		/* dev DEV as given */
	__u32 ifindex;			/* 0: every device */
	unsigned int state;		/* NUD_* bits, NUD_FILTER_NONE */
	bool nud_given;
	bool has_prefix;
	const char *prefix_arg;
	__be32 prefix;
	unsigned int plen;
};

/* iproute2 (ip/ipneigh.c, print_neigh): an entry is listed or flushed when
 * its state is in the filter, when it is NONE and "none" was asked for, or
 * — whatever the filter — when it carries NTF_EXT_LEARNED. Checked on this
 * machine: `ip neigh flush dev X` removes a PERMANENT extern_learn entry. */
static bool filter_match(const struct neigh_filter *f, const struct xn_neigh4_key *k,
			 const struct xn_neigh *v)
{
	if (f->ifindex && k->ifindex != f->ifindex)
		return false;
	if (f->has_prefix && !xn_ip4_in_prefix(k->addr, f->prefix, f->plen))
		return false;
	if (f->state & v->state)
		return true;
	if (v->flags & XN_NTF_EXT_LEARNED)
		return true;
	return v->state == NUD_NONE && (f->state & NUD_FILTER_NONE);
}

/* Parse [to] PREFIX, dev DEV, nud STATE, help and options. Returns -1 to go
 * on, or the exit status to return (help printed, or usage error reported). */
static int parse_neigh_args(struct cli *c, int argc, char **argv,
			    struct neigh_filter *f, bool flush)
{
	int i, r;

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
		r = cli_option(c, a);
		if (r < 0)
			return XN_EXIT_USAGE;
		if (r > 0)
			continue;
		if (!strcmp(a, "dev")) {
			if (++i >= argc)
				return cli_usage(c, "\"dev\" needs an interface name");
			if (f->dev)
				return cli_usage(c, "duplicate \"dev\": \"%s\" after \"%s\"", argv[i], f->dev);
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
				return cli_usage(c, "nud state \"%s\" is invalid (all, permanent, noarp, reachable, stale, none, incomplete, delay, probe, failed)", argv[i]);
			}
			f->state |= st ? st : NUD_FILTER_NONE;
		} else if (xn_matches(a, "help")) {
			help_neigh(stdout);
			return XN_EXIT_OK;
		} else {
			bool to = !strcmp(a, "to");

			if (to) {
				if (++i >= argc)
					return cli_usage(c, "\"to\" needs an IPv4 prefix (A.B.C.D[/LEN])");
				a = argv[i];
			}
			if (f->has_prefix)
				return cli_usage(c, "duplicate prefix: \"%s\" after \"%s\"", a, f->prefix_arg);
			if (xn_ip4_prefix_parse(a, &f->prefix, &f->plen)) {
				if (to)
					return cli_usage(c, "invalid IPv4 prefix \"%s\" (A.B.C.D[/LEN])", a);
				return cli_usage(c, "\"%s\" is neither a keyword (dev, nud, to, help) nor an IPv4 prefix", a);
			}
			f->has_prefix = true;
			f->prefix_arg = a;
		}
	}
	return -1;
}

/* Interface names, the dev filter and the maps: what both commands need.
 * Like parse_neigh_args(): -1 to go on, else the exit status (error reported). */
static int neigh_prepare(struct cli *c, struct neigh_filter *f, struct ifcache *ic,
			 struct xn_maps *m)
{
	int err;

	err = ifcache_load(ic);
	if (err)
		return cli_fail(c, "cannot list network interfaces: %s", strerror(-err));
	if (f->dev) {
		f->ifindex = ifcache_index(ic, f->dev);
		if (!f->ifindex)
			return cli_fail(c, "Cannot find device \"%s\"", f->dev);
	}
	err = xn_maps_open(m);
	if (err)
		return cli_fail(c, "%s", m->errmsg);
	if (xn_maps_require(m, XN_MI_NEIGH4))
		return cli_fail(c, "%s", m->errmsg);
	return -1;
}

struct neigh_table {
	struct xn_neigh4_key *keys;
	struct xn_neigh *vals;
	size_t n;
};

/* -1 to go on, else the exit status (error reported). */
static int table_read(struct cli *c, int fd, struct neigh_table *t)
{
	void *k, *v;
	int err;

	/* BPF_F_LOCK: state, lladdr and flags of an entry come from one writer */
	err = xn_map_dump(fd, sizeof(*t->keys), sizeof(*t->vals), BPF_F_LOCK, &k, &v, &t->n);
	if (err)
		return cli_fail(c, "reading map %s: %s", xn_map_name(XN_MI_NEIGH4), strerror(-err));
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
 * through the 48-byte values costs a cache miss per entry). */
struct row {
	__u64 key;			/* ifindex << 32 | host-order address */
	__u32 idx;			/* into the dump, for the -s fields */
	__u8 state;
	__u8 flags;
	__u8 lladdr[ETH_ALEN];
};

static int sort_cmp(const void *a, const void *b)
{
	const struct row *x = a, *y = b;

	return x->key < y->key ? -1 : x->key > y->key;
}

/* Seconds from a CLOCK_MONOTONIC timestamp to now, as ip shows the kernel's
 * NDA_CACHEINFO ages (whole seconds, truncated). */
static __u64 age_s(__u64 now, __u64 ts)
{
	return ts >= now ? 0 : (now - ts) / 1000000000ull;
}

static void print_entry(struct cli *c, struct ifcache *ic, const struct neigh_filter *f,
			const struct row *r, const struct xn_neigh *v, __u64 now)
{
	struct xn_out *o = &c->out;
	char ip[XN_IP4_STRLEN], mac[XN_MAC_STRLEN], ifbuf[24];

	xn_open_object(o, NULL);
	xn_print_string(o, XN_PRINT_ANY, "dst", "%s ", xn_ip4_str(htonl((__u32)r->key), ip));
	if (!f->ifindex)
		xn_print_string(o, XN_PRINT_ANY, "dev", "dev %s ",
				ifcache_name(ic, (__u32)(r->key >> 32), ifbuf, sizeof(ifbuf)));
	if (r->state & XN_NUD_VALID)
		xn_print_string(o, XN_PRINT_ANY, "lladdr", "lladdr %s ", xn_mac_str(r->lladdr, mac));
	if (r->flags & XN_NTF_ROUTER)
		xn_print_null(o, XN_PRINT_ANY, "router", "router ");
	if (r->flags & XN_NTF_EXT_LEARNED)
		xn_print_null(o, XN_PRINT_ANY, "extern_learn", "extern_learn ");
	if (c->stats) {
		/* ip 6.1 prints exactly this, "probes" glued to the ages */
		xn_print_uint(o, XN_PRINT_ANY, "used", " used %llu", age_s(now, v->used));
		xn_print_uint(o, XN_PRINT_ANY, "confirmed", "/%llu", age_s(now, v->confirmed));
		xn_print_uint(o, XN_PRINT_ANY, "updated", "/%llu", age_s(now, v->updated));
		xn_print_uint(o, XN_PRINT_ANY, "probes", "probes %u ", v->probes);
	}
	xn_print_nud_state(o, r->state);
	xn_print_text(o, "\n");
	xn_close_object(o);
}

static __u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec * 1000000000ull + (__u64)ts.tv_nsec;
}

int do_show(struct cli *c, int argc, char **argv)
{
	struct neigh_filter f;
	struct ifcache ic = {};
	struct xn_maps m;
	struct neigh_table t = {};
	struct row *rows = NULL;
	size_t i, n = 0;
	__u64 now;
	int ret;

	ret = parse_neigh_args(c, argc, argv, &f, false);
	if (ret >= 0)
		return ret;
	xn_maps_init(&m);
	ret = neigh_prepare(c, &f, &ic, &m);
	if (ret >= 0)
		goto out;
	ret = table_read(c, m.neigh4, &t);
	if (ret >= 0)
		goto out;
	now = now_ns();

	rows = malloc((t.n ? t.n : 1) * sizeof(*rows));
	if (!rows) {
		ret = cli_fail(c, "out of memory for %zu entries", t.n);
		goto out;
	}
	for (i = 0; i < t.n; i++) {
		const struct xn_neigh *v = &t.vals[i];
		struct row *r = &rows[n];

		if (!filter_match(&f, &t.keys[i], v))
			continue;
		r->key = (__u64)t.keys[i].ifindex << 32 | ntohl(t.keys[i].addr);
		r->idx = (__u32)i;
		r->state = v->state;
		r->flags = v->flags;
		memcpy(r->lladdr, v->lladdr, ETH_ALEN);
		n++;
	}
	/* a stable listing, by device then address (ip lists in hash order) */
	qsort(rows, n, sizeof(*rows), sort_cmp);

	xn_open_array(&c->out, NULL);
	for (i = 0; i < n; i++)
		print_entry(c, &ic, &f, &rows[i], &t.vals[rows[i].idx], now);
	xn_close_array(&c->out);
	xn_json_end(&c->out);
	ret = XN_EXIT_OK;
out:
	free(rows);
	table_free(&t);
	xn_maps_close(&m);
	ifcache_free(&ic);
	return ret;
}

int do_flush(struct cli *c, int argc, char **argv)
{
	struct neigh_filter f;
	struct ifcache ic = {};
	struct xn_maps m;
	struct neigh_table t = {};
	struct xn_neigh4_key *del = NULL;
	size_t i, total = 0;
	int ret, err, round = 0;
	char line[96];

	ret = parse_neigh_args(c, argc, argv, &f, true);
	if (ret >= 0)
		return ret;
	xn_maps_init(&m);
	ret = neigh_prepare(c, &f, &ic, &m);
	if (ret >= 0)
		goto out;

	/* As ip: read, delete what matches, read again, until a read finds
	 * nothing to delete (the data plane may be learning meanwhile). The
	 * state is checked at read time; an entry made PERMANENT between the
	 * read and the delete is still deleted, exactly as with ip. */
	while (round < FLUSH_MAX_ROUNDS) {
		size_t n = 0, deleted;

		ret = table_read(c, m.neigh4, &t);
		if (ret >= 0)
			goto out;
		free(del);
		del = malloc((t.n ? t.n : 1) * sizeof(*del));
		if (!del) {
			ret = cli_fail(c, "out of memory for %zu entries", t.n);
			goto out;
		}
		for (i = 0; i < t.n; i++)
			if (filter_match(&f, &t.keys[i], &t.vals[i]))
				del[n++] = t.keys[i];
		table_free(&t);

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
		err = xn_map_delete_keys(m.neigh4, del, sizeof(*del), n, &deleted);
		if (err) {
			ret = cli_fail(c, "deleting entries from map %s: %s",
				       xn_map_name(XN_MI_NEIGH4), strerror(-err));
			goto out;
		}
		round++;
		total += deleted;
		if (c->stats && !c->json) {
			snprintf(line, sizeof(line), "\n*** Round %d, deleting %zu entries ***\n",
				 round, n);
			xn_print_text(&c->out, line);
			/* show progress as ip does: the next read may take a while */
			xn_out_flush(&c->out);
		}
	}
	ret = cli_fail(c, "flush not complete, bailing out after %d rounds: entries keep appearing",
		       FLUSH_MAX_ROUNDS);
out:
	free(del);
	table_free(&t);
	xn_maps_close(&m);
	ifcache_free(&ic);
	return ret;
}
