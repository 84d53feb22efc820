// SPDX-License-Identifier: GPL-2.0
/* Periodic GC (GC-2) in the kernel: xn_ctl's XN_CTL_GC_SCAN walks a table
 * with bpf_for_each_map_elem() and applies neigh_periodic_work()'s rule to
 * every entry under its lock (include/xneigh/ctl.h):
 *
 *   entry                                   scan                 after
 *   PERMANENT, a timer state, EXT_LEARNED,  exempt               untouched
 *     being removed (XN_NF_DEAD)
 *   used < confirmed <= now                 used := confirmed    raised
 *   FAILED                                  victim
 *   NONE, STALE, NOARP: now - used >=       victim
 *     gc_stale_time of its interface
 *   otherwise (a `used` after now too)      kept
 *
 * The scan removes nothing: xneighd gets the victims back (xn_gcscan map),
 * checks each with its engine (xn_nud_gc_periodic_victim()) and removes it
 * with a gen-checked XN_CTL_DELETE, which counts destroys and emits
 * XN_EV_DELETED. The fixtures below give the table before, the expected
 * victims, the table after (used raised) and the counters and events of
 * the removals; every verdict is also checked against the engine's.
 *
 * Time is the scan's `now` input (T below), not the clock, so the bounds
 * are exact: gc_stale_time 60 s by default, 10 s on xo0.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "lab.h"
#include "ctl.h"
#include "../../user/xneighd/nud_engine.h"

static struct lab lab;
static int lab_ok = -1;
static struct xn_gc_scan *io;

#define SEC_NS		1000000000ull
#define T		(5000 * SEC_NS)		/* the scan's "now" */
#define STALE_DFLT	(60 * SEC_NS)		/* gc_stale_time (kernel default) */
#define STALE_OX	(10 * SEC_NS)		/* net.ipv4.neigh.xo0.gc_stale_time = 10 */

static int setup(void **state)
{
	if (lab_ok < 0) {
		lab_ok = lab_netns() == 0 && lab_open(&lab, 0) == 0;
		io = calloc(1, sizeof(*io));
		assert_non_null(io);
	}
	if (!lab_ok)
		return 0;
	lab_reset(&lab);
	return 0;
}

#define NEED_LAB() do { if (!lab_ok) skip(); } while (0)

static struct xn_ctl ctl_of_lab(void)
{
	struct xn_ctl c;

	xn_ctl_init(&c);
	c.fd = lab.prog_ctl;
	return c;
}

/* One scan of `family` at time `now` with the lab's two parameter sets. */
static void scan_at(int family, __u64 now)
{
	struct xn_gc_set ox = { .ifindex = lab.ifindex[DEV_OX], .stale_ns = STALE_OX };
	struct xn_ctl c = ctl_of_lab();

	xn_gc_scan_params(io, STALE_DFLT, &ox, 1);
	io->now = now;
	assert_int_equal(xn_ctl_gc_scan(&c, family, io), 0);
}

/* The engine with the same parameters: xneighd's own reading of GC-2. */
static struct xn_nud_engine *engine_like_lab(void)
{
	struct xn_nud_engine *e = xn_nud_engine_new(NULL, T);
	struct xn_nud_parms p;
	int f;

	assert_non_null(e);
	for (f = 0; f < 2; f++) {
		int fam = f ? AF_INET6 : AF_INET;

		xn_nud_parms_default(fam, &p);
		assert_int_equal(p.gc_stale_time, STALE_DFLT);
		assert_int_equal(xn_nud_parms_set(e, fam, 0, &p), 0);
		p.gc_stale_time = STALE_OX;
		assert_int_equal(xn_nud_parms_set(e, fam, lab.ifindex[DEV_OX], &p), 0);
	}
	return e;
}

/* ---- the fixture table ---------------------------------------------------------------------- */

enum expect { KEEP, VICTIM, EXEMPT };

struct fx {
	const char *what;
	enum lab_dev dev;
	const char *ip;			/* 10.0.3.N: one per row */
	__u8 state, flags;
	__u32 xflags;
	__s64 used, confirmed;		/* seconds relative to T */
	enum expect expect;
	__s64 used_after;		/* seconds relative to T */
};

#define S(x)	((__s64)(x))

static const struct fx table4[] = {
	{ "STALE idle 61 s", DEV_RX, "10.0.3.1", NUD_STALE, 0, 0, S(-61), S(-200), VICTIM, S(-61) },
	{ "STALE idle 59 s", DEV_RX, "10.0.3.2", NUD_STALE, 0, 0, S(-59), S(-200), KEEP, S(-59) },
	{ "STALE idle exactly 60 s", DEV_RX, "10.0.3.3", NUD_STALE, 0, 0, S(-60), S(-200), VICTIM,
	  S(-60) },
	{ "STALE, confirmed 30 s ago: used raised, kept", DEV_RX, "10.0.3.4", NUD_STALE, 0, 0,
	  S(-100), S(-30), KEEP, S(-30) },
	{ "STALE, confirmed in the future: not raised", DEV_RX, "10.0.3.5", NUD_STALE, 0, 0,
	  S(-100), S(5), VICTIM, S(-100) },
	{ "STALE, confirmed == now: raised", DEV_RX, "10.0.3.6", NUD_STALE, 0, 0, S(-100), S(0),
	  KEEP, S(0) },
	{ "STALE, used after now", DEV_RX, "10.0.3.7", NUD_STALE, 0, 0, S(10), S(-200), KEEP,
	  S(10) },
	{ "FAILED just used", DEV_RX, "10.0.3.8", NUD_FAILED, 0, 0, S(0), S(-200), VICTIM, S(0) },
	{ "FAILED, confirmed newer: raised, still a victim", DEV_RX, "10.0.3.9", NUD_FAILED, 0, 0,
	  S(-100), S(-50), VICTIM, S(-50) },
	{ "NONE idle 61 s", DEV_RX, "10.0.3.10", NUD_NONE, 0, 0, S(-61), S(-200), VICTIM, S(-61) },
	{ "NOARP idle 61 s", DEV_RX, "10.0.3.11", NUD_NOARP, 0, 0, S(-61), S(-200), VICTIM,
	  S(-61) },
	{ "PERMANENT idle 1000 s, confirmed newer", DEV_RX, "10.0.3.12", NUD_PERMANENT, 0, 0,
	  S(-1000), S(-10), EXEMPT, S(-1000) },
	{ "REACHABLE (timer) idle 1000 s", DEV_RX, "10.0.3.13", NUD_REACHABLE, 0, 0, S(-1000),
	  S(-10), EXEMPT, S(-1000) },
	{ "DELAY (timer)", DEV_RX, "10.0.3.14", NUD_DELAY, 0, 0, S(-1000), S(-10), EXEMPT,
	  S(-1000) },
	{ "PROBE (timer)", DEV_RX, "10.0.3.15", NUD_PROBE, 0, 0, S(-1000), S(-1000), EXEMPT,
	  S(-1000) },
	{ "INCOMPLETE (timer)", DEV_RX, "10.0.3.16", NUD_INCOMPLETE, 0, 0, S(-1000), S(-1000),
	  EXEMPT, S(-1000) },
	{ "STALE EXT_LEARNED", DEV_RX, "10.0.3.17", NUD_STALE, XN_NTF_EXT_LEARNED, 0, S(-1000),
	  S(-10), EXEMPT, S(-1000) },
	{ "FAILED being removed", DEV_RX, "10.0.3.18", NUD_FAILED, 0, XN_NF_DEAD, S(-1000), S(-10),
	  EXEMPT, S(-1000) },
	{ "xo0 (10 s): STALE idle 11 s", DEV_OX, "10.0.3.19", NUD_STALE, 0, 0, S(-11), S(-200),
	  VICTIM, S(-11) },
	{ "xo0 (10 s): STALE idle 9 s", DEV_OX, "10.0.3.20", NUD_STALE, 0, 0, S(-9), S(-200), KEEP,
	  S(-9) },
	{ "lo: STALE idle 61 s (loopback is no exemption in GC-2)", DEV_LO, "10.0.3.21", NUD_STALE,
	  0, 0, S(-61), S(-200), VICTIM, S(-61) },
	{ "lo: STALE idle 30 s", DEV_LO, "10.0.3.22", NUD_STALE, 0, 0, S(-30), S(-200), KEEP,
	  S(-30) },
};
#define N4	(sizeof(table4) / sizeof(table4[0]))

static __u64 at(__s64 rel_s)
{
	return T + (__u64)(rel_s * (__s64)SEC_NS);
}

static __be32 ip_be(const char *s)
{
	return inet_addr(s);
}

static void fx_value(const struct fx *x, __u32 gen, struct xn_neigh *v)
{
	memset(v, 0, sizeof(*v));
	v->state = x->state;
	v->flags = x->flags;
	v->xflags = x->xflags;
	v->gen = gen;
	v->probes = 3;
	v->lladdr[0] = 0x02;
	v->lladdr[5] = (__u8)gen;
	v->used = at(x->used);
	v->confirmed = at(x->confirmed);
	v->updated = at(-500);
}

static void put_table4(void)
{
	struct xn_neigh v;
	size_t i;

	for (i = 0; i < N4; i++) {
		fx_value(&table4[i], 100 + (__u32)i, &v);
		assert_int_equal(lab_neigh_put(&lab, lab.ifindex[table4[i].dev],
					       ntohl(ip_be(table4[i].ip)), &v), 0);
	}
}

/* The row a candidate is about, or -1. */
static int row_of(const struct xn_gc_cand *c)
{
	size_t i;

	for (i = 0; i < N4; i++) {
		__be32 a = ip_be(table4[i].ip);

		if (!memcmp(c->addr, &a, 4) && c->ifindex == lab.ifindex[table4[i].dev])
			return (int)i;
	}
	return -1;
}

/* Before: table4. Expected: the victims exactly, each snapshot as stored
 * (used raised), the counts; after: the same table with `used` raised
 * where the kernel raises it, nothing removed, no event, no counter. */
static void scan_fixture_table(void **state)
{
	static const __u8 zero12[12];
	struct xn_nud_engine *e;
	unsigned int seen[N4] = { 0 }, victims = 0, exempt = 0, raised = 0;
	struct xn_stats s;
	size_t i;

	NEED_LAB();
	put_table4();
	lab_stats_zero(&lab);
	scan_at(AF_INET, T);

	for (i = 0; i < N4; i++) {
		victims += table4[i].expect == VICTIM;
		exempt += table4[i].expect == EXEMPT;
		raised += table4[i].used_after != table4[i].used;
	}
	assert_int_equal(io->now_used, T);
	assert_int_equal(io->entries, N4);
	assert_int_equal(io->exempt, exempt);
	assert_int_equal(io->raised, raised);
	assert_int_equal(io->more, 0);
	assert_int_equal(io->victims, victims);
	assert_int_equal(io->ncand, victims);
	/* the earliest time a kept entry can become a victim: xneighd skips
	 * the walks before it */
	{
		__u64 next = ~0ULL;

		for (i = 0; i < N4; i++) {
			__u64 due = at(table4[i].used_after) +
				    (table4[i].dev == DEV_OX ? 10 : 60) * (__u64)SEC_NS;

			if (table4[i].expect == KEEP && due < next)
				next = due;
		}
		assert_true(next != ~0ULL);
		assert_int_equal(io->next_victim, next);
	}
	for (i = 0; i < io->ncand; i++) {
		const struct xn_gc_cand *c = &io->cand[i];
		int r = row_of(c);
		struct xn_neigh want;

		if (r < 0)
			fail_msg("candidate %u is no entry of the table", c->ifindex);
		seen[r]++;
		if (table4[r].expect != VICTIM)
			fail_msg("\"%s\" returned as a victim", table4[r].what);
		fx_value(&table4[r], 100 + (__u32)r, &want);
		assert_memory_equal(c->addr + 4, zero12, 12);
		assert_int_equal(c->gen, want.gen);
		assert_int_equal(c->state, want.state);
		assert_int_equal(c->flags, want.flags);
		assert_int_equal(c->xflags, want.xflags);
		assert_int_equal(c->probes, want.probes);
		assert_memory_equal(c->lladdr, want.lladdr, ETH_ALEN);
		assert_int_equal(c->confirmed, want.confirmed);
		assert_int_equal(c->updated, want.updated);
		assert_int_equal(c->used, at(table4[r].used_after));
	}
	e = engine_like_lab();
	for (i = 0; i < N4; i++) {
		struct xn_neigh want, got;
		struct xn_nud_key k = { .family = AF_INET, .ifindex = lab.ifindex[table4[i].dev] };
		__be32 a = ip_be(table4[i].ip);
		bool engine_victim;

		if (table4[i].expect == VICTIM && seen[i] != 1)
			fail_msg("\"%s\" returned %u times, expected once", table4[i].what, seen[i]);
		/* after: only `used` moved, and only where raised */
		fx_value(&table4[i], 100 + (__u32)i, &want);
		want.used = at(table4[i].used_after);
		assert_int_equal(lab_neigh_get(&lab, k.ifindex, ntohl(a), &got), 0);
		memset(&got.lock, 0, sizeof(got.lock));
		if (memcmp(&got, &want, sizeof(got)))
			fail_msg("\"%s\": entry after the scan differs (used %lld s, expected %lld s)",
				 table4[i].what, (long long)((__s64)(got.used - T) / (__s64)SEC_NS),
				 (long long)table4[i].used_after);
		/* the engine agrees on the entry as it was before */
		fx_value(&table4[i], 100 + (__u32)i, &want);
		memcpy(k.addr, &a, 4);
		engine_victim = xn_nud_gc_periodic_victim(e, &k, &want, T, NULL);
		if (engine_victim != (table4[i].expect == VICTIM))
			fail_msg("\"%s\": the engine says %s", table4[i].what,
				 engine_victim ? "victim" : "not a victim");
	}
	xn_nud_engine_free(e);
	assert_int_equal(lab_neigh_count(&lab), N4);
	assert_int_equal(lab_stats_sum(&lab, XN_FAM_ARP, &s), 0);
	for (i = 0; i < XN_STAT__COUNT; i++)
		if (lab_stat(&s, (int)i))
			fail_msg("the scan moved counter %s", lab_stat_name((int)i));
	assert_int_equal(lab_events_drain(&lab), 0);
}

/* What xneighd does with the victims: the engine confirms, XN_CTL_DELETE
 * with the snapshot's gen removes. Expected: exactly the victims gone,
 * destroys = their number, one DELETED event each with the old state; a
 * victim changed since the scan (gen moved) stays. */
static void victims_removed_with_gen(void **state)
{
	struct xn_nud_engine *e;
	struct xn_ctl c = ctl_of_lab();
	unsigned int victims = 0, removed = 0, deleted_ev = 0;
	int raced = -1;
	struct xn_neigh v;
	struct xn_stats s;
	size_t i;
	int n;

	NEED_LAB();
	put_table4();
	scan_at(AF_INET, T);
	for (i = 0; i < N4; i++)
		victims += table4[i].expect == VICTIM;
	assert_int_equal(io->ncand, victims);
	lab_events_drain(&lab);
	lab.nev = 0;

	/* the data plane changes one victim after the scan: its gen moves */
	raced = row_of(&io->cand[0]);
	assert_true(raced >= 0);
	assert_int_equal(lab_neigh_get(&lab, lab.ifindex[table4[raced].dev],
				       ntohl(ip_be(table4[raced].ip)), &v), 0);
	v.gen++;
	assert_int_equal(lab_neigh_put(&lab, lab.ifindex[table4[raced].dev],
				       ntohl(ip_be(table4[raced].ip)), &v), 0);

	e = engine_like_lab();
	for (i = 0; i < io->ncand; i++) {
		const struct xn_gc_cand *cd = &io->cand[i];
		struct xn_neigh snap = {
			.state = cd->state, .flags = cd->flags, .gen = cd->gen,
			.xflags = cd->xflags, .confirmed = cd->confirmed, .used = cd->used,
		};
		struct xn_nud_key k = { .family = AF_INET, .ifindex = cd->ifindex };
		struct xn_ctl_req r = { .op = XN_CTL_DELETE, .family = AF_INET };

		memcpy(k.addr, cd->addr, 4);
		assert_true(xn_nud_gc_periodic_victim(e, &k, &snap, T, NULL));
		r.ifindex = cd->ifindex;
		memcpy(r.addr, cd->addr, 4);
		r.expect_gen = cd->gen;
		assert_int_equal(xn_ctl_run(&c, &r), 0);
		if (row_of(cd) == raced) {
			assert_int_equal(r.result, -EAGAIN);
			continue;
		}
		assert_int_equal(r.result, 0);
		removed++;
	}
	xn_nud_engine_free(e);
	assert_int_equal(removed, victims - 1);
	for (i = 0; i < N4; i++) {
		int present = lab_neigh_get(&lab, lab.ifindex[table4[i].dev],
					    ntohl(ip_be(table4[i].ip)), &v) == 0;
		bool gone = table4[i].expect == VICTIM && (int)i != raced;

		if (present == gone)
			fail_msg("\"%s\" %s", table4[i].what, gone ? "not removed" : "removed");
	}
	n = lab_neigh_count(&lab);
	assert_int_equal(n, (int)(N4 - removed));
	assert_int_equal(lab_stats_sum(&lab, XN_FAM_ARP, &s), 0);
	assert_int_equal(lab_stat(&s, XN_STAT_destroys), removed);
	lab_events_drain(&lab);
	for (i = 0; i < (size_t)lab.nev; i++) {
		const struct xn_event *ev = &lab.ev[i];
		struct xn_gc_cand probe = { .ifindex = ev->ifindex };
		int r;

		assert_int_equal(ev->type, XN_EV_DELETED);
		memcpy(probe.addr, ev->addr, 16);
		r = row_of(&probe);
		assert_true(r >= 0 && r != raced && table4[r].expect == VICTIM);
		assert_int_equal(ev->old_state, table4[r].state);
		deleted_ev++;
	}
	assert_int_equal(deleted_ev, removed);
}

/* A second scan right after the first: `used` is already raised, so
 * nothing is raised again, and the same victims come back. */
static void rescan_raises_nothing(void **state)
{
	unsigned int victims;

	NEED_LAB();
	put_table4();
	scan_at(AF_INET, T);
	victims = io->ncand;
	assert_true(io->raised > 0);
	scan_at(AF_INET, T);
	assert_int_equal(io->raised, 0);
	assert_int_equal(io->ncand, victims);
}

/* n victims (STALE idle 100 s) and k keepers (idle 1 s) on xr0:
 * 11.0.0.0 + i, every 17th of the first 17 * k a keeper. */
static void put_victims_and_keepers(__u32 n, __u32 k)
{
	struct xn_neigh v;
	__u32 i;

	for (i = 0; i < n + k; i++) {
		memset(&v, 0, sizeof(v));
		v.state = NUD_STALE;
		v.gen = 1;
		v.used = i % 17 == 0 && i / 17 < k ? at(-1) : at(-100);
		v.confirmed = at(-200);
		assert_int_equal(lab_neigh_put(&lab, lab.ifindex[DEV_RX], 0x0b000000u + i, &v), 0);
	}
}

/* Exactly XN_GC_SCAN_CAP victims: all returned, nothing left out. */
static void cap_victims_fit(void **state)
{
	NEED_LAB();
	put_victims_and_keepers(XN_GC_SCAN_CAP, 40);
	scan_at(AF_INET, T);
	assert_int_equal(io->entries, XN_GC_SCAN_CAP + 40);
	assert_int_equal(io->victims, XN_GC_SCAN_CAP);
	assert_int_equal(io->ncand, XN_GC_SCAN_CAP);
	assert_int_equal(io->more, 0);
}

/* More victims than a scan returns: the first XN_GC_SCAN_CAP of the walk,
 * each once and each a victim, `more` set and every victim counted (xneighd
 * then reads the table itself); the walk still counts every entry. */
static void over_cap_says_more(void **state)
{
	enum { NV = XN_GC_SCAN_CAP + 900, NK = 300 };
	unsigned char *got = calloc(NV + NK, 1);
	__u32 i;

	NEED_LAB();
	assert_non_null(got);
	put_victims_and_keepers(NV, NK);
	scan_at(AF_INET, T);
	assert_int_equal(io->entries, NV + NK);
	assert_int_equal(io->victims, NV);
	assert_int_equal(io->ncand, XN_GC_SCAN_CAP);
	assert_int_equal(io->more, 1);
	for (i = 0; i < io->ncand; i++) {
		__u32 host = ntohl(*(const __be32 *)io->cand[i].addr) - 0x0b000000u;

		assert_true(host < NV + NK);
		if (host % 17 == 0 && host / 17 < NK)
			fail_msg("keeper %u returned as a victim", host);
		if (got[host]++)
			fail_msg("entry %u returned twice", host);
	}
	free(got);
}

/* nd_tbl: its own table, 16-byte addresses; an IPv4 scan does not see it. */
static void ipv6_table(void **state)
{
	uint8_t a[3][16];
	struct xn_neigh v;
	int i;

	NEED_LAB();
	for (i = 0; i < 3; i++) {
		inet_pton(AF_INET6, "2001:db8:1::10", a[i]);
		a[i][15] += (uint8_t)i;
		memset(&v, 0, sizeof(v));
		v.gen = 7;
		v.state = i == 0 ? NUD_STALE : i == 1 ? NUD_REACHABLE : NUD_FAILED;
		v.used = at(-61);
		v.confirmed = at(-70);
		assert_int_equal(lab_neigh6_put(&lab, lab.ifindex[DEV_RX], a[i], &v), 0);
	}
	scan_at(AF_INET, T);
	assert_int_equal(io->entries, 0);
	assert_int_equal(io->ncand, 0);
	scan_at(AF_INET6, T);
	assert_int_equal(io->entries, 3);
	assert_int_equal(io->exempt, 1);
	assert_int_equal(io->ncand, 2);
	for (i = 0; i < 2; i++) {
		const struct xn_gc_cand *c = &io->cand[i];

		assert_int_equal(c->ifindex, lab.ifindex[DEV_RX]);
		assert_true(!memcmp(c->addr, a[0], 16) || !memcmp(c->addr, a[2], 16));
		assert_int_equal(c->gen, 7);
	}
	assert_memory_not_equal(io->cand[0].addr, io->cand[1].addr, 16);
}

/* gc_stale_time per interface: 64 interfaces with their own time (the
 * most that fit), entries on the first, a middle and the last of them and
 * on one without (the default); each judged by its own time. */
static void per_interface_stale_times(void **state)
{
	struct xn_gc_set sets[XN_GC_SCAN_SETS];
	struct xn_ctl c = ctl_of_lab();
	static const __u32 probe_if[] = { 1000, 1000 + 31 * 7, 1000 + 63 * 7, 999 };
	struct xn_neigh v;
	unsigned int i, k;

	NEED_LAB();
	/* interface 1000 + 7j has gc_stale_time 5 + j seconds; given in
	 * reverse order: the helper sorts them */
	for (i = 0; i < XN_GC_SCAN_SETS; i++) {
		unsigned int j = XN_GC_SCAN_SETS - 1 - i;

		sets[i].ifindex = 1000 + 7 * j;
		sets[i].stale_ns = (5 + j) * SEC_NS;
	}
	xn_gc_scan_params(io, STALE_DFLT, sets, XN_GC_SCAN_SETS);
	assert_int_equal(io->nsets, XN_GC_SCAN_SETS);
	assert_int_equal(io->stale_ns, STALE_DFLT);
	for (i = 1; i < XN_GC_SCAN_SETS; i++)
		assert_true(io->sets[i - 1].ifindex < io->sets[i].ifindex);
	/* per probed interface: idle just under and just at its time */
	for (k = 0; k < 4; k++) {
		__u64 stale = probe_if[k] == 999 ? STALE_DFLT
						 : (5 + (probe_if[k] - 1000) / 7) * SEC_NS;

		for (i = 0; i < 2; i++) {
			memset(&v, 0, sizeof(v));
			v.state = NUD_STALE;
			v.gen = 1;
			v.used = T - stale + (i ? 0 : 1);
			assert_int_equal(lab_neigh_put(&lab, probe_if[k], 0x0a000000u + k * 2 + i, &v),
					 0);
		}
	}
	io->now = T;
	assert_int_equal(xn_ctl_gc_scan(&c, AF_INET, io), 0);
	assert_int_equal(io->entries, 8);
	assert_int_equal(io->ncand, 4);
	for (i = 0; i < io->ncand; i++) {
		__u32 host = ntohl(*(const __be32 *)io->cand[i].addr) - 0x0a000000u;

		/* the victim of each pair is the one idle exactly its time */
		assert_int_equal(host % 2, 1);
		assert_int_equal(io->cand[i].ifindex, probe_if[host / 2]);
	}
}

/* xn_gc_scan_params(): the same interface twice keeps its smaller time;
 * beyond XN_GC_SCAN_SETS interfaces the largest times are left out and
 * folded into the bound for unlisted interfaces only if smaller than it. */
static void params_dedup_and_overflow(void **state)
{
	enum { N = XN_GC_SCAN_SETS + 3 };
	struct xn_gc_set sets[N];
	unsigned int i;

	(void)state;
	sets[0] = (struct xn_gc_set){ .ifindex = 9, .stale_ns = 30 };
	sets[1] = (struct xn_gc_set){ .ifindex = 4, .stale_ns = 20 };
	sets[2] = (struct xn_gc_set){ .ifindex = 9, .stale_ns = 10 };
	xn_gc_scan_params(io, 100, sets, 3);
	assert_int_equal(io->nsets, 2);
	assert_int_equal(io->sets[0].ifindex, 4);
	assert_int_equal(io->sets[0].stale_ns, 20);
	assert_int_equal(io->sets[1].ifindex, 9);
	assert_int_equal(io->sets[1].stale_ns, 10);
	assert_int_equal(io->sets[2].ifindex, XN_GC_SET_NONE);
	assert_int_equal(io->sets[XN_GC_SCAN_SETS - 1].ifindex, XN_GC_SET_NONE);
	assert_int_equal(io->stale_ns, 100);
	assert_int_equal(io->now, 0);

	/* 67 interfaces with times 1..67: the three largest (65, 66, 67) do
	 * not fit. Above the default (60) they change nothing ... */
	for (i = 0; i < N; i++)
		sets[i] = (struct xn_gc_set){ .ifindex = 100 + i, .stale_ns = 1 + i };
	xn_gc_scan_params(io, 60, sets, N);
	assert_int_equal(io->nsets, XN_GC_SCAN_SETS);
	for (i = 0; i < XN_GC_SCAN_SETS; i++) {
		assert_int_equal(io->sets[i].ifindex, 100 + i);
		assert_int_equal(io->sets[i].stale_ns, 1 + i);
	}
	assert_int_equal(io->stale_ns, 60);
	/* ... below it (default 200) the smallest of them becomes the time of
	 * every interface not listed */
	xn_gc_scan_params(io, 200, sets, N);
	assert_int_equal(io->nsets, XN_GC_SCAN_SETS);
	assert_int_equal(io->stale_ns, 65);
}

/* Without an input time the scan reads the kernel's clock. */
static void now_from_the_clock(void **state)
{
	struct xn_ctl c = ctl_of_lab();
	__u64 t0, t1;

	NEED_LAB();
	xn_gc_scan_params(io, STALE_DFLT, NULL, 0);
	t0 = lab_now_ns();
	assert_int_equal(xn_ctl_gc_scan(&c, AF_INET, io), 0);
	t1 = lab_now_ns();
	assert_true(io->now_used >= t0 && io->now_used <= t1);
}

static void unknown_family(void **state)
{
	struct xn_ctl_req r = { .op = XN_CTL_GC_SCAN, .family = 99 };
	struct xn_ctl c = ctl_of_lab();

	NEED_LAB();
	assert_int_equal(xn_ctl_gc_scan(&c, 99, io), -EINVAL);
	/* and the program itself refuses it too */
	assert_int_equal(xn_ctl_run(&c, &r), 0);
	assert_int_equal(r.result, -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(scan_fixture_table, setup),
		cmocka_unit_test_setup(victims_removed_with_gen, setup),
		cmocka_unit_test_setup(rescan_raises_nothing, setup),
		cmocka_unit_test_setup(cap_victims_fit, setup),
		cmocka_unit_test_setup(over_cap_says_more, setup),
		cmocka_unit_test_setup(ipv6_table, setup),
		cmocka_unit_test_setup(per_interface_stale_times, setup),
		cmocka_unit_test_setup(params_dedup_and_overflow, setup),
		cmocka_unit_test_setup(now_from_the_clock, setup),
		cmocka_unit_test_setup(unknown_family, setup),
	};

	return cmocka_run_group_tests_name("periodic GC scan (XN_CTL_GC_SCAN)", tests, NULL, NULL);
}
