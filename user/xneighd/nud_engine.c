// SPDX-License-Identifier: GPL-2.0
/* xneighd: the NUD engine (see nud_engine.h). Pure decisions: no I/O, no
 * clock reads except the optional forced-GC budget callback.
 *
 * Time comparisons are the kernel's wrap-safe jiffies comparisons on 64-bit
 * ns (time_before() etc.): the data plane writes confirmed = 0 on a machine
 * up for less than 2 * base_reachable_time, and a timestamp written by the
 * data plane can be a little after a `now` the daemon read earlier.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <linux/if_addr.h>

#include "nud_engine.h"

/* ---- time -------------------------------------------------------------------- */

static inline bool t_before(__u64 a, __u64 b)
{
	return (__s64)(a - b) < 0;
}

static inline bool t_before_eq(__u64 a, __u64 b)
{
	return (__s64)(a - b) <= 0;
}

static inline bool t_after(__u64 a, __u64 b)
{
	return t_before(b, a);
}

static inline __u64 u64_max(__u64 a, __u64 b)
{
	return a > b ? a : b;
}

/* ---- engine state -------------------------------------------------------------- */

/* One neigh_parms: the values plus the drawn reachable_time (NUD-7, O-3). */
struct nud_pset {
	__u32 ifindex;
	__u64 reachable_time;
	struct xn_nud_parms p;
};

/* One neigh_table (arp_tbl or nd_tbl). */
struct nud_tbl {
	struct nud_pset dflt;		/* tbl->parms, ifindex 0 */
	struct nud_pset *sets;		/* per interface, sorted by ifindex */
	size_t nsets, cap;
	struct xn_nud_thresh th;
	struct xn_nud_stats st;
	__u64 last_rand;		/* last re-draw of every set (NUD-7) */
	__u64 last_flush;		/* end of the last complete forced GC (GC-3) */
	__u64 next_periodic;		/* next periodic GC run (GC-2) */
};

struct xn_nud_engine {
	struct nud_tbl tbl[2];		/* [0] AF_INET, [1] AF_INET6 */
	__u64 (*rand)(void *ctx);
	void *rand_ctx;
	__u64 rng;			/* splitmix64 state when rand is NULL */
	__u64 (*clock)(void *ctx);
	void *clock_ctx;
};

static int fam_idx(int family)
{
	switch (family) {
	case AF_INET:
		return 0;
	case AF_INET6:
		return 1;
	}
	return -1;
}

static struct nud_tbl *tbl_of(struct xn_nud_engine *e, int family)
{
	int i = fam_idx(family);

	return i < 0 ? NULL : &e->tbl[i];
}

static const struct nud_tbl *ctbl_of(const struct xn_nud_engine *e, int family)
{
	int i = fam_idx(family);

	return i < 0 ? NULL : &e->tbl[i];
}

/* Binary search: the index of ifindex's set, or where it would go. */
static size_t pset_pos(const struct nud_tbl *t, __u32 ifindex, bool *found)
{
	size_t lo = 0, hi = t->nsets;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (t->sets[mid].ifindex < ifindex)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = lo < t->nsets && t->sets[lo].ifindex == ifindex;
	return lo;
}

/* The set an entry on (family, ifindex) uses: the interface's own, else the
 * table default (an interface without IPv4/IPv6 state of its own). */
static const struct nud_pset *pset_of(const struct xn_nud_engine *e, int family, __u32 ifindex)
{
	const struct nud_tbl *t = ctbl_of(e, family);
	bool found;
	size_t i;

	if (!t)
		return NULL;
	if (ifindex) {
		i = pset_pos(t, ifindex, &found);
		if (found)
			return &t->sets[i];
	}
	return &t->dflt;
}

/* ---- randomness (NUD-7) ---------------------------------------------------------- */

static __u64 splitmix64(__u64 *s)
{
	__u64 z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static __u64 rand_u64(struct xn_nud_engine *e)
{
	return e->rand ? e->rand(e->rand_ctx) : splitmix64(&e->rng);
}

/* get_random_u32_below(n), unbiased: reject the 2^64 mod n lowest values. */
static __u64 rand_below(struct xn_nud_engine *e, __u64 n)
{
	__u64 threshold = -n % n;
	__u64 x;

	do
		x = rand_u64(e);
	while (x < threshold);
	return x % n;
}

/* neigh_rand_reach_time(): uniform in [base/2, 3*base/2), 0 for base 0. */
static __u64 rand_reach_time(struct xn_nud_engine *e, __u64 base)
{
	return base ? rand_below(e, base) + (base >> 1) : 0;
}

/* ---- parameters ------------------------------------------------------------------ */

void xn_nud_parms_default(int family, struct xn_nud_parms *p)
{
	/* arp_tbl / nd_tbl initialisers (spec §1.4) */
	memset(p, 0, sizeof(*p));
	p->base_reachable_time = 30 * XN_NSEC_PER_SEC;
	p->retrans_time = 1 * XN_NSEC_PER_SEC;
	p->delay_first_probe_time = 5 * XN_NSEC_PER_SEC;
	p->gc_stale_time = 60 * XN_NSEC_PER_SEC;
	p->locktime = family == AF_INET6 ? 0 : 1 * XN_NSEC_PER_SEC;
	p->ucast_solicit = 3;
	p->mcast_solicit = 3;
	p->app_solicit = 0;
	p->mcast_resolicit = 0;
	p->unres_qlen = 101;
}

int xn_nud_parms_sysctl(struct xn_nud_parms *p, const char *name, long long value)
{
	/* file name, field, ns per unit (0: a count) */
	static const struct {
		const char *name;
		size_t off;
		__u64 unit;
	} keys[] = {
#define T(n, f, u) { n, offsetof(struct xn_nud_parms, f), u }
		T("base_reachable_time", base_reachable_time, XN_NSEC_PER_SEC),
		T("base_reachable_time_ms", base_reachable_time, XN_NSEC_PER_MSEC),
		T("retrans_time", retrans_time, 10 * XN_NSEC_PER_MSEC),	/* USER_HZ */
		T("retrans_time_ms", retrans_time, XN_NSEC_PER_MSEC),
		T("delay_first_probe_time", delay_first_probe_time, XN_NSEC_PER_SEC),
		T("gc_stale_time", gc_stale_time, XN_NSEC_PER_SEC),
		T("locktime", locktime, 10 * XN_NSEC_PER_MSEC),		/* USER_HZ */
		T("ucast_solicit", ucast_solicit, 0),
		T("mcast_solicit", mcast_solicit, 0),
		T("app_solicit", app_solicit, 0),
		T("mcast_resolicit", mcast_resolicit, 0),
		T("unres_qlen", unres_qlen, 0),
#undef T
	};
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		char *f = (char *)p + keys[i].off;

		if (strcmp(name, keys[i].name))
			continue;
		if (value < 0)
			return -ERANGE;
		if (keys[i].unit) {
			__u64 ns = (__u64)value * keys[i].unit;

			if (value && ns / keys[i].unit != (__u64)value)
				return -ERANGE;
			memcpy(f, &ns, sizeof(ns));
		} else {
			__u32 n;

			if (value > (long long)UINT32_MAX)
				return -ERANGE;
			n = (__u32)value;
			memcpy(f, &n, sizeof(n));
		}
		return 0;
	}
	return -ENOENT;
}

static void pset_init(struct xn_nud_engine *e, struct nud_pset *s, __u32 ifindex,
		      const struct xn_nud_parms *p)
{
	s->ifindex = ifindex;
	s->p = *p;
	s->reachable_time = rand_reach_time(e, p->base_reachable_time);
}

/* A set changes: a new base_reachable_time re-draws (NUD-7). */
static void pset_change(struct xn_nud_engine *e, struct nud_pset *s, const struct xn_nud_parms *p)
{
	bool redraw = s->p.base_reachable_time != p->base_reachable_time;

	s->p = *p;
	if (redraw)
		s->reachable_time = rand_reach_time(e, p->base_reachable_time);
}

struct xn_nud_engine *xn_nud_engine_new(const struct xn_nud_engine_opts *opts, __u64 now)
{
	struct xn_nud_engine *e = calloc(1, sizeof(*e));
	static const int fams[2] = { AF_INET, AF_INET6 };
	int i;

	if (!e)
		return NULL;
	if (opts) {
		e->rand = opts->rand;
		e->rand_ctx = opts->rand_ctx;
		e->rng = opts->seed;
		e->clock = opts->clock;
		e->clock_ctx = opts->clock_ctx;
	}
	for (i = 0; i < 2; i++) {
		struct nud_tbl *t = &e->tbl[i];
		struct xn_nud_parms p;

		xn_nud_parms_default(fams[i], &p);
		/* neigh_table_init(): the default set draws its reachable_time
		 * and the first periodic GC comes after it. The kernel also
		 * puts the first re-draw 20 reachable_times + 300 s after boot;
		 * a daemon start is no boot, so ours is 300 s after `now`. */
		pset_init(e, &t->dflt, 0, &p);
		t->th = (struct xn_nud_thresh){ 128, 512, 1024 };
		t->last_rand = now;
		t->last_flush = now;
		t->next_periodic = now + t->dflt.reachable_time;
	}
	return e;
}

void xn_nud_engine_free(struct xn_nud_engine *e)
{
	if (!e)
		return;
	free(e->tbl[0].sets);
	free(e->tbl[1].sets);
	free(e);
}

int xn_nud_parms_set(struct xn_nud_engine *e, int family, __u32 ifindex,
		     const struct xn_nud_parms *p)
{
	struct nud_tbl *t = tbl_of(e, family);
	bool found;
	size_t i;

	if (!t)
		return -EAFNOSUPPORT;
	if (!ifindex) {
		pset_change(e, &t->dflt, p);
		return 0;
	}
	i = pset_pos(t, ifindex, &found);
	if (found) {
		pset_change(e, &t->sets[i], p);
		return 0;
	}
	if (t->nsets == t->cap) {
		size_t ncap = t->cap ? 2 * t->cap : 16;
		struct nud_pset *n = realloc(t->sets, ncap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		t->sets = n;
		t->cap = ncap;
	}
	memmove(&t->sets[i + 1], &t->sets[i], (t->nsets - i) * sizeof(t->sets[0]));
	t->nsets++;
	pset_init(e, &t->sets[i], ifindex, p);
	return 0;
}

int xn_nud_parms_del(struct xn_nud_engine *e, int family, __u32 ifindex)
{
	struct nud_tbl *t = tbl_of(e, family);
	bool found;
	size_t i;

	if (!t)
		return -EAFNOSUPPORT;
	if (!ifindex)
		return -ENOENT;		/* the default set cannot go */
	i = pset_pos(t, ifindex, &found);
	if (!found)
		return -ENOENT;
	memmove(&t->sets[i], &t->sets[i + 1], (t->nsets - i - 1) * sizeof(t->sets[0]));
	t->nsets--;
	return 0;
}

const struct xn_nud_parms *xn_nud_parms_of(const struct xn_nud_engine *e, int family,
					   __u32 ifindex)
{
	const struct nud_pset *s = pset_of(e, family, ifindex);

	return s ? &s->p : NULL;
}

__u64 xn_nud_reachable_time(const struct xn_nud_engine *e, int family, __u32 ifindex)
{
	const struct nud_pset *s = pset_of(e, family, ifindex);

	return s ? s->reachable_time : 0;
}

int xn_nud_thresh_set(struct xn_nud_engine *e, int family, const struct xn_nud_thresh *th)
{
	struct nud_tbl *t = tbl_of(e, family);

	if (!t)
		return -EAFNOSUPPORT;
	t->th = *th;
	return 0;
}

int xn_nud_thresh_get(const struct xn_nud_engine *e, int family, struct xn_nud_thresh *th)
{
	const struct nud_tbl *t = ctbl_of(e, family);

	if (!t)
		return -EAFNOSUPPORT;
	*th = t->th;
	return 0;
}

int xn_nud_stats_get(const struct xn_nud_engine *e, int family, struct xn_nud_stats *s)
{
	const struct nud_tbl *t = ctbl_of(e, family);

	if (!t)
		return -EAFNOSUPPORT;
	*s = t->st;
	return 0;
}

/* ---- the state machine ------------------------------------------------------------- */

/* max(retrans_time, HZ/100): the probe interval (NUD-3, NUD-5). */
static inline __u64 probe_ival(const struct xn_nud_parms *p)
{
	return u64_max(p->retrans_time, XN_NUD_MIN_TIMER);
}

__u32 xn_nud_max_probes(const struct xn_nud_parms *p, __u8 state)
{
	return p->ucast_solicit + p->app_solicit +
	       ((state & NUD_PROBE) ? p->mcast_resolicit : p->mcast_solicit);
}

enum xn_nud_probe xn_nud_probe_kind(const struct xn_nud_parms *p, __u32 probes)
{
	/* ARPTX-3 / ND-TX4: arp_solicit() and ndisc_solicit() subtract
	 * ucast_solicit, then app_solicit, from the counter */
	if (probes < p->ucast_solicit)
		return XN_PROBE_UNICAST;
	if (probes - p->ucast_solicit < p->app_solicit)
		return XN_PROBE_APP;
	return XN_PROBE_MULTICAST;
}

static void act_init(struct xn_nud_action *a, const struct xn_neigh *v)
{
	memset(a, 0, sizeof(*a));
	a->old_state = v ? v->state : NUD_NONE;
	a->state = a->old_state;
	a->probe = XN_PROBE_NONE;
	if (v) {
		a->probes = v->probes;
		a->confirmed = v->confirmed;
		a->updated = v->updated;
		a->used = v->used;
	}
	a->next = XN_NUD_NEVER;
}

static void act_state(struct xn_nud_action *a, __u8 state, __u64 now)
{
	a->state = state;
	a->set |= XN_CTL_SET_STATE;
	a->updated = now;
	a->set |= XN_CTL_SET_UPDATED;
}

/* Send one probe now: neigh_probe() solicits with the current counter and
 * counts it afterwards (NUD-4). */
static void act_probe(struct xn_nud_action *a, const struct xn_nud_parms *p)
{
	a->probe_p = a->probes;
	a->probe = xn_nud_probe_kind(p, a->probes);
	a->probes++;
	a->set |= XN_CTL_SET_PROBES;
}

__u64 xn_nud_next(const struct xn_nud_engine *e, const struct xn_nud_key *key,
		  const struct xn_neigh *v)
{
	const struct nud_pset *s = pset_of(e, key->family, key->ifindex);
	__u32 k, last;

	if (!s || (v->xflags & XN_NF_DEAD))
		return XN_NUD_NEVER;
	switch (v->state) {
	case NUD_REACHABLE:
		return v->confirmed + s->reachable_time;
	case NUD_DELAY:
		return v->updated + s->p.delay_first_probe_time;
	case NUD_INCOMPLETE:
		/* NUD-3 sets probes := ucast_solicit on entry and the immediate
		 * probe counts; the k-th probe after it is due k intervals
		 * after `updated` */
		k = v->probes > s->p.ucast_solicit ? v->probes - s->p.ucast_solicit : 0;
		last = xn_nud_max_probes(&s->p, NUD_INCOMPLETE) - s->p.ucast_solicit;
		break;
	case NUD_PROBE:
		/* NUD-5 DELAY -> PROBE: probes := 0, first probe at once */
		k = v->probes;
		last = xn_nud_max_probes(&s->p, NUD_PROBE);
		break;
	default:
		return XN_NUD_NEVER;
	}
	/* a counter beyond the end (the solicit counts were lowered meanwhile)
	 * means "fail at the next run", not "wait for probes never sent" */
	if (k > last)
		k = last;
	return v->updated + (__u64)k * probe_ival(&s->p);
}

void xn_nud_fire(const struct xn_nud_engine *e, const struct xn_nud_key *key,
		 const struct xn_neigh *v, __u64 now, struct xn_nud_action *act)
{
	const struct nud_pset *s = pset_of(e, key->family, key->ifindex);
	const struct xn_nud_parms *p;
	__u64 due, next;
	__u8 state;

	act_init(act, v);
	if (!s || !(v->state & XN_NUD_IN_TIMER) || (v->xflags & XN_NF_DEAD))
		return;
	p = &s->p;
	/* The kernel's timer never runs early; a daemon timer armed for an
	 * older version of the entry can. */
	due = xn_nud_next(e, key, v);
	if (t_before(now, due)) {
		act->next = due;
		return;
	}

	state = v->state;
	if (state & NUD_REACHABLE) {
		if (t_before_eq(now, v->confirmed + s->reachable_time)) {
			next = v->confirmed + s->reachable_time;
		} else if (t_before_eq(now, v->used + p->delay_first_probe_time)) {
			/* NUD-6: used recently, skip STALE; no notification (O-9) */
			act_state(act, NUD_DELAY, now);
			next = now + p->delay_first_probe_time;
		} else {
			act_state(act, NUD_STALE, now);
			act->notify = true;
			next = XN_NUD_NEVER;
		}
	} else if (state & NUD_DELAY) {
		if (t_before_eq(now, v->confirmed + p->delay_first_probe_time)) {
			/* CF-1: confirmed while waiting, no probe needed */
			act_state(act, NUD_REACHABLE, now);
			act->notify = true;
			next = v->confirmed + s->reachable_time;
		} else {
			act_state(act, NUD_PROBE, now);
			act->probes = 0;
			act->set |= XN_CTL_SET_PROBES;
			act->notify = true;
			next = now + probe_ival(p);
		}
	} else {
		/* INCOMPLETE / PROBE */
		next = now + probe_ival(p);
	}

	if ((act->state & (NUD_INCOMPLETE | NUD_PROBE)) &&
	    act->probes >= xn_nud_max_probes(p, act->state)) {
		/* neigh_invalidate(): res_failed++, updated := now */
		act_state(act, NUD_FAILED, now);
		act->notify = true;
		act->res_failed = true;
		act->next = XN_NUD_NEVER;
		return;
	}
	if (act->state & XN_NUD_IN_TIMER) {
		if (t_before(next, now + XN_NUD_MIN_TIMER))
			next = now + XN_NUD_MIN_TIMER;
		act->next = next;
	}
	if (act->state & (NUD_INCOMPLETE | NUD_PROBE))
		act_probe(act, p);
}

void xn_nud_resolve(const struct xn_nud_engine *e, const struct xn_nud_key *key,
		    const struct xn_neigh *v, __u64 now, __u32 flags,
		    struct xn_nud_action *act)
{
	const struct nud_pset *s = pset_of(e, key->family, key->ifindex);
	const struct xn_nud_parms *p;

	act_init(act, v);
	if (!s)
		return;
	if (!v) {
		/* NUD-15: the transmit path creates a NONE entry first */
		act->create = true;
		return;
	}
	if (v->xflags & XN_NF_DEAD)
		return;
	p = &s->p;
	/* NUD-1: every slow-path transmission marks the entry used */
	act->used = now;
	act->set |= XN_CTL_SET_USED;
	act->next = xn_nud_next(e, key, v);

	if (v->state & (XN_NUD_CONNECTED | NUD_DELAY | NUD_PROBE | NUD_INCOMPLETE))
		return;		/* INCOMPLETE: the packet would be queued */

	if (v->state & NUD_STALE) {
		act_state(act, NUD_DELAY, now);
		act->next = now + p->delay_first_probe_time;
		return;
	}

	/* NONE or FAILED */
	if (p->mcast_solicit + p->app_solicit) {
		act_state(act, NUD_INCOMPLETE, now);
		act->probes = p->ucast_solicit;
		act->set |= XN_CTL_SET_PROBES;
		if (flags & XN_NUD_RESOLVE_DEFERRED) {
			/* timer at now + 1 jiffy, probe from the timer */
			act->next = now;
		} else {
			act->next = now + probe_ival(p);
			act_probe(act, p);
		}
	} else {
		/* nothing may be sent: FAILED at once, without res_failed */
		act->state = NUD_FAILED;
		if (v->state != NUD_FAILED)
			act->set |= XN_CTL_SET_STATE;
		act->updated = now;
		act->set |= XN_CTL_SET_UPDATED;
		act->next = XN_NUD_NEVER;
	}
}

void xn_nud_action_ctl(const struct xn_nud_key *key, const struct xn_neigh *v,
		       const struct xn_nud_action *act, struct xn_ctl_req *req)
{
	memset(req, 0, sizeof(*req));
	req->op = XN_CTL_CAS;
	req->family = key->family;
	req->ifindex = key->ifindex;
	memcpy(req->addr, key->addr, sizeof(req->addr));
	memcpy(req->lladdr, v->lladdr, ETH_ALEN);
	req->expect_gen = v->gen;
	req->set_mask = act->set;
	req->state = act->state;
	req->probes = act->probes;
	req->confirmed = act->confirmed;
	req->updated = act->updated;
	req->used = act->used;
}

/* ---- garbage collection --------------------------------------------------------------- */

bool xn_nud_key_is_multicast(const struct xn_nud_key *key)
{
	if (key->family == AF_INET)
		return (key->addr[0] & 0xf0) == 0xe0;	/* ipv4_is_multicast() */
	if (key->family == AF_INET6)
		return key->addr[0] == 0xff;		/* ipv6_addr_is_multicast() */
	return false;
}

bool xn_nud_gc_exempt(const struct xn_neigh *v, bool loopback_dev)
{
	return (v->state & NUD_PERMANENT) || (v->flags & XN_NTF_EXT_LEARNED) || loopback_dev;
}

__u64 xn_nud_gc_periodic_due(const struct xn_nud_engine *e, int family)
{
	const struct nud_tbl *t = ctbl_of(e, family);

	return t ? t->next_periodic : XN_NUD_NEVER;
}

int xn_nud_gc_periodic_begin(struct xn_nud_engine *e, int family, __u32 entries,
			     __u64 now, struct xn_nud_gc_run *run)
{
	struct nud_tbl *t = tbl_of(e, family);
	size_t i;

	memset(run, 0, sizeof(*run));
	if (!t)
		return -EAFNOSUPPORT;
	t->st.periodic_gc_runs++;
	/* NUD-7: neigh_periodic_work() re-draws every set of the table */
	if (t_after(now, t->last_rand + XN_NUD_RAND_PERIOD)) {
		t->last_rand = now;
		t->dflt.reachable_time = rand_reach_time(e, t->dflt.p.base_reachable_time);
		for (i = 0; i < t->nsets; i++)
			t->sets[i].reachable_time =
				rand_reach_time(e, t->sets[i].p.base_reachable_time);
		run->redrawn = true;
	}
	/* GC-2: small tables are never aged (O-4) */
	run->scan = entries >= t->th.gc_thresh1;
	/* GC-2/O-5: base_reachable_time/2 of the default set, not gc_interval.
	 * A zero base would make the kernel's work re-queue itself at once;
	 * we keep the 10 ms floor instead of spinning. */
	t->next_periodic = now + u64_max(t->dflt.p.base_reachable_time / 2, XN_NUD_MIN_TIMER);
	run->next_run = t->next_periodic;
	return 0;
}

bool xn_nud_gc_periodic_victim(const struct xn_nud_engine *e, const struct xn_nud_key *key,
			       const struct xn_neigh *v, __u64 now, __u64 *used_out)
{
	const struct nud_pset *s = pset_of(e, key->family, key->ifindex);
	__u64 used = v->used;
	int verdict = XN_GC2_EXEMPT;

	/* GC-2, written once for this engine and xn_ctl's in-kernel scan
	 * (include/xneigh/ctl.h) */
	if (s)
		verdict = xn_gc2_verdict(v->state, v->flags, v->xflags, v->confirmed, now,
					 s->p.gc_stale_time, &used);
	if (used_out)
		*used_out = used;
	return verdict == XN_GC2_VICTIM;
}

bool xn_nud_gc_forced_begin(struct xn_nud_engine *e, int family, __u32 gc_entries,
			    __u64 now, struct xn_nud_fgc *run)
{
	struct nud_tbl *t = tbl_of(e, family);

	memset(run, 0, sizeof(*run));
	run->family = family;
	if (!t)
		return false;
	/* neigh_alloc() */
	if (!(gc_entries >= t->th.gc_thresh3 ||
	      (gc_entries >= t->th.gc_thresh2 &&
	       t_after(now, t->last_flush + XN_NUD_FGC_AGE))))
		return false;
	t->st.forced_gc_runs++;
	run->entries = gc_entries;
	/* neigh_forced_gc() reads gc_entries with the new entry counted */
	run->max_clean = (long long)gc_entries + 1 - (long long)t->th.gc_thresh2;
	run->tref = now - XN_NUD_FGC_AGE;
	run->tmax = now + XN_NUD_FGC_BUDGET;
	return true;
}

bool xn_nud_gc_forced_victim(const struct xn_nud_engine *e, const struct xn_nud_fgc *run,
			     const struct xn_nud_key *key, const struct xn_neigh *v)
{
	if (run->stopped || (v->xflags & XN_NF_DEAD) || xn_nud_gc_exempt(v, false))
		return false;
	/* neigh_forced_gc() takes only entries nobody holds (refcount 1) and
	 * a pending timer holds one (neigh_add_timer()): INCOMPLETE,
	 * REACHABLE, DELAY and PROBE are never forced out, whatever their age */
	if (v->state & XN_NUD_IN_TIMER)
		return false;
	if (v->state == NUD_FAILED || v->state == NUD_NOARP || xn_nud_key_is_multicast(key))
		return true;
	/* !time_in_range(updated, tref, now): only an `updated` older than
	 * 5 s; one after the run began (the data plane raced us) is fresh,
	 * not ancient */
	return t_before(v->updated, run->tref);
}

bool xn_nud_gc_forced_account(const struct xn_nud_engine *e, struct xn_nud_fgc *run,
			      bool removed)
{
	if (run->stopped)
		return false;
	if (removed)
		run->shrunk++;
	if ((long long)run->shrunk >= run->max_clean) {
		run->stopped = true;
		return false;
	}
	if (++run->loop == 16) {
		if (e->clock && t_after(e->clock(e->clock_ctx), run->tmax)) {
			run->timed_out = true;
			run->stopped = true;
			return false;
		}
		run->loop = 0;
	}
	return true;
}

bool xn_nud_gc_forced_end(struct xn_nud_engine *e, struct xn_nud_fgc *run, __u64 now)
{
	struct nud_tbl *t = tbl_of(e, run->family);

	run->stopped = true;
	if (!t)
		return false;
	if (!run->timed_out)
		t->last_flush = now;
	if (run->shrunk == 0 && run->entries >= t->th.gc_thresh3) {
		/* "neighbor table overflow!" */
		t->st.table_fulls++;
		return false;
	}
	return true;
}

/* ---- probe source addresses -------------------------------------------------------------- */

static bool ifa_secondary(const struct xn_addr_rec *a)
{
	return a->flags & IFA_F_SECONDARY;
}

/* inet_addr_onlink(in_dev, a, b): some prefix of the interface holds a and
 * (if given) b. */
static bool arp_onlink(const struct xn_arp_src_req *r, __be32 a, __be32 b)
{
	size_t i;

	for (i = 0; i < r->naddrs; i++) {
		const struct xn_addr_rec *ifa = &r->addrs[i];

		if (ifa->ifindex != r->ifindex || !xn_ifa_match(a, ifa))
			continue;
		if (!b || xn_ifa_match(b, ifa))
			return true;
	}
	return false;
}

/* in_dev_select_addr(in_dev, scope): the first primary address of scope
 * universe or site (link excluded) at most `scope`. */
static __be32 in_dev_select(const struct xn_arp_src_req *r, __u32 ifindex, unsigned int scope)
{
	size_t i;

	for (i = 0; i < r->naddrs; i++) {
		const struct xn_addr_rec *ifa = &r->addrs[i];

		if (ifa->ifindex != ifindex || ifa_secondary(ifa))
			continue;
		if (ifa->scope != XN_SCOPE_LINK && ifa->scope <= scope)
			return ifa->local;
	}
	return 0;
}

static __u32 link_l3mdev(const struct xn_arp_src_req *r, __u32 ifindex)
{
	size_t i;

	for (i = 0; r->links && i < r->nlinks; i++)
		if (r->links[i].ifindex == ifindex)
			return r->links[i].l3mdev;
	return 0;
}

/* inet_select_addr(dev, dst, scope) */
static __be32 inet_select(const struct xn_arp_src_req *r, __be32 dst, unsigned int scope)
{
	unsigned int localnet_scope = r->route_localnet ? XN_SCOPE_LINK : XN_SCOPE_HOST;
	__u32 master = link_l3mdev(r, r->ifindex);
	__be32 addr = 0;
	size_t i, j;

	for (i = 0; i < r->naddrs; i++) {
		const struct xn_addr_rec *ifa = &r->addrs[i];
		unsigned int sc = ifa->scope < localnet_scope ? ifa->scope : localnet_scope;

		if (ifa->ifindex != r->ifindex || ifa_secondary(ifa))
			continue;
		if (sc > scope)
			continue;
		if (!dst || xn_ifa_match(dst, ifa))
			return ifa->local;
		if (!addr)
			addr = ifa->local;
	}
	if (addr)
		return addr;

	/* a VRF's own addresses first */
	if (master) {
		addr = in_dev_select(r, master, scope);
		if (addr)
			return addr;
	}
	/* then every interface of the same L3 domain, in device order */
	if (r->links) {
		for (i = 0; i < r->nlinks; i++) {
			if (r->links[i].l3mdev != master)
				continue;
			addr = in_dev_select(r, r->links[i].ifindex, scope);
			if (addr)
				return addr;
		}
		return 0;
	}
	for (i = 0; i < r->naddrs; i++) {
		bool seen = false;

		/* device order = order of first appearance */
		for (j = 0; j < i && !seen; j++)
			seen = r->addrs[j].ifindex == r->addrs[i].ifindex;
		if (seen)
			continue;
		addr = in_dev_select(r, r->addrs[i].ifindex, scope);
		if (addr)
			return addr;
	}
	return 0;
}

__be32 xn_arp_probe_source(const struct xn_arp_src_req *r)
{
	__be32 saddr = 0;

	switch (r->arp_announce) {
	default:
	case 0:
		/* announce any local address */
		if (r->has_hint && r->hint_local)
			saddr = r->hint_saddr;
		break;
	case 1:
		/* only a source the target can see on its own subnet */
		if (r->has_hint && r->hint_local && arp_onlink(r, r->target, r->hint_saddr))
			saddr = r->hint_saddr;
		break;
	case 2:
		/* always the interface's primary/preferred address */
		break;
	}
	if (!saddr)
		saddr = inet_select(r, r->target, XN_SCOPE_LINK);
	return saddr;
}

int xn_nd_probe_source(const struct xn_ns_src_req *r, __u8 out[16])
{
	const __u32 banned = IFA_F_TENTATIVE | IFA_F_OPTIMISTIC;
	size_t i;

	if (r->has_hint) {
		for (i = 0; i < r->naddrs; i++) {
			const struct xn_addr6_rec *a = &r->addrs[i];

			if (a->ifindex == r->ifindex && !(a->flags & banned) &&
			    !memcmp(a->addr, r->hint_saddr, 16)) {
				memcpy(out, r->hint_saddr, 16);
				return 0;
			}
		}
	}
	/* __ipv6_get_lladdr(): addr_list is sorted by scope, widest first,
	 * and walked backwards from the narrowest */
	for (i = r->naddrs; i-- > 0;) {
		const struct xn_addr6_rec *a = &r->addrs[i];

		if (a->ifindex != r->ifindex)
			continue;
		if (a->scope == XN_SCOPE_SITE)
			break;
		if (a->scope == XN_SCOPE_LINK && !(a->flags & banned)) {
			memcpy(out, a->addr, 16);
			return 0;
		}
	}
	return -EADDRNOTAVAIL;
}
