// SPDX-License-Identifier: GPL-2.0
/* The NUD engine (user/xneighd/nud_engine.c) and its timer queue
 * (user/xneighd/timerq.c), with a fake clock; no BPF, no root.
 *
 * A small simulator plays xneighd: it holds one entry as the map would, arms
 * the entry's timer in the timer queue from xn_nud_next(), pops it when due,
 * asks xn_nud_fire(), applies the action with an emulation of the xn_ctl CAS
 * (gen compared, fields written by set_mask, gen bumped on state change) and
 * records every probe and every transition. Another part plays the data
 * plane: confirmations (neigh_update to REACHABLE), CF-1 confirmations
 * (`confirmed` only) and transmissions (TC egress: used, STALE -> DELAY).
 *
 * Defaults (retrans 1 s, delay_first_probe 5 s, ucast 3, mcast 3, app 0,
 * resolicit 0), t in seconds after T0:
 *
 *   unresolved address (xneigh resolve at 0):
 *     t:     0          1          2          3
 *            |          |          |          |
 *     NONE ->INCOMPLETE ....................... -> FAILED (notify, res_failed)
 *            bcast p=3  bcast p=4  bcast p=5
 *
 *   used STALE entry (TC egress at 0), peer silent:
 *     t:     0                     5          6          7          8
 *     STALE->DELAY ............... -> PROBE ........................ -> FAILED
 *            (no notify)           ucast p=0  ucast p=1  ucast p=2
 *
 *   same, peer answers the first unicast probe at 5.2:
 *     ...                          5    5.2
 *                                  PROBE -> REACHABLE (data plane) -> STALE at
 *                                  5.2 + reachable_time + 10 ms (not used)
 *
 *   restart: a snapshot {state, updated, probes, confirmed, used} taken at any
 *   point resumes the same schedule (xn_nud_next() from the fields alone).
 *
 * Addresses: 10.1.0.2 on ifindex 2 (s1), 2001:db8:1::2 on ifindex 2; the
 * entry's MAC 02:00:00:00:0b:02.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>
#include <linux/if_addr.h>
#include <cmocka.h>

#include "xneigh/nud.h"
#include "xneigh/ctl.h"
#include "../../user/xneighd/nud_engine.h"
#include "../../user/xneighd/timerq.h"

#define ARRAY_LEN(a)	(sizeof(a) / sizeof((a)[0]))
#define SEC		XN_NSEC_PER_SEC
#define MSEC		XN_NSEC_PER_MSEC
/* a monotonic clock well after boot, so now - 2 * base_reachable_time > 0 */
#define T0		(10000ULL * SEC)
#define AT(ms)		(T0 + (__u64)(ms) * MSEC)
#define NEVER		XN_NUD_NEVER

static const __u8 MAC_B[ETH_ALEN] = { 0x02, 0x00, 0x00, 0x00, 0x0b, 0x02 };

/* ---- helpers ------------------------------------------------------------------ */

static struct xn_nud_key key4(const char *a, __u32 ifindex)
{
	struct xn_nud_key k;

	memset(&k, 0, sizeof(k));
	k.family = AF_INET;
	k.ifindex = ifindex;
	if (inet_pton(AF_INET, a, k.addr) != 1)
		fail_msg("bad IPv4 literal in a fixture: %s", a);
	return k;
}

static struct xn_nud_key key6(const char *a, __u32 ifindex)
{
	struct xn_nud_key k;

	memset(&k, 0, sizeof(k));
	k.family = AF_INET6;
	k.ifindex = ifindex;
	if (inet_pton(AF_INET6, a, k.addr) != 1)
		fail_msg("bad IPv6 literal in a fixture: %s", a);
	return k;
}

static __be32 v4(const char *s)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1)
		fail_msg("bad IPv4 literal in a fixture: %s", s);
	return a.s_addr;
}

static void v6(const char *s, __u8 out[16])
{
	if (inet_pton(AF_INET6, s, out) != 1)
		fail_msg("bad IPv6 literal in a fixture: %s", s);
}

static const char *v6str(const __u8 a[16], char *buf)
{
	return inet_ntop(AF_INET6, a, buf, INET6_ADDRSTRLEN);
}

static const char *v4str(__be32 a, char *buf)
{
	return inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN);
}

/* An entry as the map holds it. */
static struct xn_neigh neigh(__u8 state, __u64 confirmed, __u64 updated, __u64 used,
			     __u32 probes)
{
	struct xn_neigh n;

	memset(&n, 0, sizeof(n));
	n.state = state;
	memcpy(n.lladdr, MAC_B, ETH_ALEN);
	n.probes = probes;
	n.gen = 7;
	n.confirmed = confirmed;
	n.updated = updated;
	n.used = used;
	return n;
}

static const char *state_name(__u8 s)
{
	switch (s) {
	case NUD_NONE: return "NONE";
	case NUD_INCOMPLETE: return "INCOMPLETE";
	case NUD_REACHABLE: return "REACHABLE";
	case NUD_STALE: return "STALE";
	case NUD_DELAY: return "DELAY";
	case NUD_PROBE: return "PROBE";
	case NUD_FAILED: return "FAILED";
	case NUD_NOARP: return "NOARP";
	case NUD_PERMANENT: return "PERMANENT";
	}
	return "?";
}

static const char *kind_name(__u8 k)
{
	switch (k) {
	case XN_PROBE_NONE: return "none";
	case XN_PROBE_UNICAST: return "unicast";
	case XN_PROBE_APP: return "app";
	case XN_PROBE_MULTICAST: return "multicast";
	}
	return "?";
}

/* ms after T0 for messages; NEVER prints as -1 */
static long long rel_ms(__u64 t)
{
	return t == NEVER ? -1 : (long long)(t - T0) / (long long)MSEC;
}

/* A generator that returns a fixed sequence, counting its calls. */
struct seq_rng {
	__u64 vals[4];
	unsigned int n, calls;
};

static __u64 seq_rand(void *ctx)
{
	struct seq_rng *r = ctx;

	return r->vals[r->calls++ % r->n];
}

/* An engine whose draws are known: reachable_time = x % base + base/2, so
 * with base 30 s and x = 7 * 30 s + 4 s every set gets 15 s + 4 s = 19 s. */
static struct seq_rng fixed_rng = { { 7ULL * 30 * SEC + 4 * SEC }, 1, 0 };
#define FIXED_RT	(19 * SEC)

static struct xn_nud_engine *engine_fixed(void)
{
	struct xn_nud_engine_opts o = { .rand = seq_rand, .rand_ctx = &fixed_rng };
	struct xn_nud_engine *e = xn_nud_engine_new(&o, T0 - 100 * SEC);

	assert_non_null(e);
	assert_int_equal(xn_nud_reachable_time(e, AF_INET, 0), FIXED_RT);
	return e;
}

/* ---- the simulator: one entry, xneighd's loop, the data plane ----------------- */

struct sim_probe {
	__u64 t;
	__u8 kind;
	__u32 p;
};

struct sim_trans {
	__u64 t;
	__u8 from, to;
	bool notify;
};

struct sim {
	struct xn_nud_engine *e;
	struct xn_timerq *tq;
	struct xn_nud_key key;
	struct xn_neigh n;		/* the map's entry */
	bool exists;
	__u64 now;
	struct sim_probe pr[64];
	int npr;
	struct sim_trans tr[64];
	int ntr;
	unsigned int res_failed;	/* act.res_failed of applied actions */
	unsigned int cas_fail;
	/* run once between a decision and its CAS (the data plane racing) */
	void (*race)(struct sim *s);
};

static void sim_init(struct sim *s, struct xn_nud_engine *e, const struct xn_nud_key *key)
{
	memset(s, 0, sizeof(*s));
	s->e = e;
	s->tq = xn_tq_new(0, 1);
	assert_non_null(s->tq);
	s->key = *key;
}

static void sim_free(struct sim *s)
{
	xn_tq_free(s->tq);
	xn_nud_engine_free(s->e);
}

/* xneighd after an event or at adoption: arm from the stored fields. */
static void sim_arm(struct sim *s)
{
	__u64 due = s->exists ? xn_nud_next(s->e, &s->key, &s->n) : NEVER;

	if (due == NEVER)
		xn_tq_del(s->tq, &s->key);
	else
		assert_int_equal(xn_tq_set(s->tq, &s->key, due, s->n.gen), 0);
}

/* The xn_ctl XN_CTL_CAS program (bpf/lib/ctl.h), on the simulated map. */
static int sim_cas(struct sim *s, const struct xn_ctl_req *req)
{
	struct xn_neigh *n = &s->n;
	bool changed = false;

	assert_int_equal(req->op, XN_CTL_CAS);
	assert_int_equal(req->family, s->key.family);
	assert_int_equal(req->ifindex, s->key.ifindex);
	assert_memory_equal(req->addr, s->key.addr, 16);
	if (!s->exists)
		return -ENOENT;
	if (n->gen != req->expect_gen) {
		s->cas_fail++;
		return -EAGAIN;
	}
	if ((req->set_mask & XN_CTL_SET_STATE) && n->state != req->state) {
		n->state = req->state;
		changed = true;
	}
	if (req->set_mask & XN_CTL_SET_PROBES)
		n->probes = req->probes;
	if (req->set_mask & XN_CTL_SET_CONFIRMED)
		n->confirmed = req->confirmed;
	if (req->set_mask & XN_CTL_SET_UPDATED)
		n->updated = req->updated;
	if (req->set_mask & XN_CTL_SET_USED)
		n->used = req->used;
	if (changed)
		n->gen++;
	return 0;
}

/* Apply a decision taken on `snap`: CAS, then the probe, then the timer. */
static int sim_apply(struct sim *s, const struct xn_neigh *snap, const struct xn_nud_action *a)
{
	struct xn_ctl_req req;
	int err;

	if (a->set) {
		xn_nud_action_ctl(&s->key, snap, a, &req);
		if (s->race) {
			void (*race)(struct sim *) = s->race;

			s->race = NULL;
			race(s);
		}
		err = sim_cas(s, &req);
		if (err)
			return err;
	}
	if (a->res_failed)
		s->res_failed++;
	if (a->state != a->old_state) {
		assert_true(s->ntr < (int)ARRAY_LEN(s->tr));
		s->tr[s->ntr++] = (struct sim_trans){ s->now, a->old_state, a->state, a->notify };
	}
	if (a->probe != XN_PROBE_NONE) {
		assert_true(s->npr < (int)ARRAY_LEN(s->pr));
		s->pr[s->npr++] = (struct sim_probe){ s->now, a->probe, a->probe_p };
	}
	if (a->next == NEVER)
		xn_tq_del(s->tq, &s->key);
	else
		assert_int_equal(xn_tq_set(s->tq, &s->key, a->next, s->n.gen), 0);
	return 0;
}

/* The timer popped: decide on a fresh snapshot; retry while the CAS loses. */
static void sim_fire(struct sim *s)
{
	struct xn_nud_action a;
	struct xn_neigh snap;
	int tries = 0;

	do {
		assert_true(++tries < 5);
		if (!s->exists)
			return;
		snap = s->n;
		xn_nud_fire(s->e, &s->key, &snap, s->now, &a);
	} while (sim_apply(s, &snap, &a) == -EAGAIN);
}

/* Run xneighd's loop until `until`: every timer fires at its due time (or
 * at once if that is already past, as after a restart). */
static void sim_run(struct sim *s, __u64 until)
{
	unsigned int fires = 0;
	__u64 due;

	while ((due = xn_tq_next_due(s->tq)) <= until) {
		struct xn_nud_key k;

		/* one entry fires a handful of times a second at most; a timer
		 * that re-arms at `now` would spin here */
		if (++fires > 10000)
			fail_msg("timer loop: re-armed at %lld ms again and again", rel_ms(due));
		if (due > s->now)
			s->now = due;
		assert_true(xn_tq_pop(s->tq, s->now, &k, NULL, NULL));
		assert_memory_equal(&k, &s->key, sizeof(k));
		sim_fire(s);
	}
	if (until > s->now)
		s->now = until;
}

/* `xneigh resolve` at s->now: create if needed, then neigh_event_send(). */
static void sim_resolve(struct sim *s, __u32 flags)
{
	struct xn_nud_action a;
	struct xn_neigh snap;
	int tries = 0;

	for (;;) {
		assert_true(++tries < 5);
		xn_nud_resolve(s->e, &s->key, s->exists ? &s->n : NULL, s->now, flags, &a);
		if (a.create) {
			/* XN_CTL_UPDATE(F_CREATE, NONE): neigh_alloc() values */
			const struct xn_nud_parms *p =
				xn_nud_parms_of(s->e, s->key.family, s->key.ifindex);

			memset(&s->n, 0, sizeof(s->n));
			s->n.state = NUD_NONE;
			s->n.gen = 1;
			s->n.updated = s->n.used = s->now;
			s->n.confirmed = s->now - 2 * p->base_reachable_time;
			s->exists = true;
			continue;
		}
		snap = s->n;
		if (sim_apply(s, &snap, &a) != -EAGAIN)
			return;
	}
}

static void sim_trans_dp(struct sim *s, __u8 from, __u8 to, bool notify)
{
	assert_true(s->ntr < (int)ARRAY_LEN(s->tr));
	s->tr[s->ntr++] = (struct sim_trans){ s->now, from, to, notify };
}

/* Data plane: neigh_update(lladdr unchanged, REACHABLE) from a solicited
 * reply (NUD-8.7/8.10): confirmed := now; a state change moves updated,
 * bumps gen (an event: xneighd re-arms) and, as neigh_add_timer() does,
 * raises used to confirmed. */
static void dp_confirm(struct sim *s)
{
	struct xn_neigh *n = &s->n;

	n->confirmed = s->now;
	if (n->state != NUD_REACHABLE) {
		sim_trans_dp(s, n->state, NUD_REACHABLE, true);
		n->state = NUD_REACHABLE;
		n->updated = s->now;
		if (n->used < n->confirmed)
			n->used = n->confirmed;
		n->gen++;
		sim_arm(s);
	}
}

/* Data plane: CF-1 neigh_confirm(): confirmed only, no event. */
static void dp_neigh_confirm(struct sim *s)
{
	s->n.confirmed = s->now;
}

/* Data plane: TC egress through the entry (bpf/lib/tx.h, NUD-1..3). */
static void dp_use(struct sim *s)
{
	struct xn_neigh *n = &s->n;

	if (!(n->state & XN_NUD_VALID) || (n->state & XN_NUD_CONNECTED))
		return;
	n->used = s->now;
	if (n->state == NUD_STALE) {
		sim_trans_dp(s, NUD_STALE, NUD_DELAY, false);	/* O-9 */
		n->state = NUD_DELAY;
		n->updated = s->now;
		n->gen++;
		sim_arm(s);
	}
}

struct exp_probe {
	long long ms;			/* after T0 */
	__u8 kind;
	__u32 p;
};

struct exp_trans {
	long long ms;
	__u8 from, to;
	bool notify;
};

static void check_probes(const struct sim *s, const struct exp_probe *x, int n)
{
	int i, bad = 0;

	for (i = 0; i < n || i < s->npr; i++) {
		const struct sim_probe *g = i < s->npr ? &s->pr[i] : NULL;
		const struct exp_probe *w = i < n ? &x[i] : NULL;

		if (g && w && rel_ms(g->t) == w->ms && g->kind == w->kind && g->p == w->p)
			continue;
		bad++;
		print_message("probe %d: got %s, expected %s\n", i,
			      g ? "" : "(none)", w ? "" : "(none)");
		if (g)
			print_message("    got      t=%lld ms %s p=%u\n", rel_ms(g->t),
				      kind_name(g->kind), g->p);
		if (w)
			print_message("    expected t=%lld ms %s p=%u\n", w->ms, kind_name(w->kind),
				      w->p);
	}
	assert_int_equal(bad, 0);
}

static void check_trans(const struct sim *s, const struct exp_trans *x, int n)
{
	int i, bad = 0;

	for (i = 0; i < n || i < s->ntr; i++) {
		const struct sim_trans *g = i < s->ntr ? &s->tr[i] : NULL;
		const struct exp_trans *w = i < n ? &x[i] : NULL;

		if (g && w && rel_ms(g->t) == w->ms && g->from == w->from && g->to == w->to &&
		    g->notify == w->notify)
			continue;
		bad++;
		print_message("transition %d differs\n", i);
		if (g)
			print_message("    got      t=%lld ms %s -> %s notify=%d\n", rel_ms(g->t),
				      state_name(g->from), state_name(g->to), g->notify);
		if (w)
			print_message("    expected t=%lld ms %s -> %s notify=%d\n", w->ms,
				      state_name(w->from), state_name(w->to), w->notify);
	}
	assert_int_equal(bad, 0);
}

#define CHECK_PROBES(s, ...)						\
	do {								\
		static const struct exp_probe x_[] = { __VA_ARGS__ };	\
		check_probes(s, x_, ARRAY_LEN(x_));			\
	} while (0)
#define CHECK_NO_PROBES(s)	check_probes(s, NULL, 0)
#define CHECK_TRANS(s, ...)						\
	do {								\
		static const struct exp_trans x_[] = { __VA_ARGS__ };	\
		check_trans(s, x_, ARRAY_LEN(x_));			\
	} while (0)

#define U	XN_PROBE_UNICAST
#define A	XN_PROBE_APP
#define M	XN_PROBE_MULTICAST

/* A simulator on key k with the fixed engine; if p is given it becomes the
 * parameter set of k's interface. */
static void sim_setup(struct sim *s, const struct xn_nud_key *k, const struct xn_nud_parms *p)
{
	struct xn_nud_engine *e = engine_fixed();

	if (p)
		assert_int_equal(xn_nud_parms_set(e, k->family, k->ifindex, p), 0);
	sim_init(s, e, k);
	s->now = T0;
}

/* Adopt an entry as a (re)started daemon does: the map has it, arm from it. */
static void sim_adopt(struct sim *s, const struct xn_neigh *n, __u64 now)
{
	s->n = *n;
	s->exists = true;
	s->now = now;
	sim_arm(s);
}

/* ---- the default timelines (issue 4) --------------------------------------------- */

/* NUD-3/NUD-4/NUD-5: an unresolved address is probed at 0, 1, 2 s by
 * broadcast (IPv4) / solicited-node multicast (IPv6) and FAILED at 3 s. */
static void test_timeline_unresolved(void **state)
{
	const struct xn_nud_key keys[] = { key4("10.1.0.2", 2), key6("2001:db8:1::2", 2) };
	size_t i;

	for (i = 0; i < ARRAY_LEN(keys); i++) {
		struct sim s;

		sim_setup(&s, &keys[i], NULL);
		sim_resolve(&s, 0);
		sim_run(&s, AT(10000));
		CHECK_PROBES(&s, { 0, M, 3 }, { 1000, M, 4 }, { 2000, M, 5 });
		CHECK_TRANS(&s, { 0, NUD_NONE, NUD_INCOMPLETE, false },
			    { 3000, NUD_INCOMPLETE, NUD_FAILED, true });
		assert_int_equal(s.res_failed, 1);
		assert_int_equal(s.n.state, NUD_FAILED);
		assert_int_equal(s.n.updated, AT(3000));	/* neigh_invalidate() */
		assert_int_equal(s.n.probes, 6);
		assert_int_equal(s.n.used, AT(0));
		assert_int_equal(xn_tq_len(s.tq), 0);		/* FAILED has no timer */
		sim_free(&s);
	}
}

/* NUD-3 + NUD-5: a used STALE entry goes DELAY, 5 s later PROBE with three
 * unicast probes at 5, 6, 7 s, FAILED at 8 s. */
static void test_timeline_used_stale_silent(void **state)
{
	struct xn_nud_key k = key4("10.1.0.2", 2);
	struct xn_neigh n = neigh(NUD_STALE, T0 - 100 * SEC, T0 - 50 * SEC, T0 - 50 * SEC, 0);
	struct sim s;

	sim_setup(&s, &k, NULL);
	sim_adopt(&s, &n, T0);
	assert_int_equal(xn_tq_len(s.tq), 0);		/* STALE: no timer */
	dp_use(&s);					/* TC egress at 0 */
	sim_run(&s, AT(20000));
	CHECK_PROBES(&s, { 5000, U, 0 }, { 6000, U, 1 }, { 7000, U, 2 });
	CHECK_TRANS(&s, { 0, NUD_STALE, NUD_DELAY, false },
		    { 5000, NUD_DELAY, NUD_PROBE, true },
		    { 8000, NUD_PROBE, NUD_FAILED, true });
	assert_int_equal(s.res_failed, 1);
	assert_int_equal(s.n.updated, AT(8000));
	assert_memory_equal(s.n.lladdr, MAC_B, ETH_ALEN);	/* FAILED keeps the address */
	sim_free(&s);
}

/* The same entry moved to DELAY by `xneigh resolve` (neigh_event_send()). */
static void test_timeline_resolve_stale(void **state)
{
	struct xn_nud_key k = key6("2001:db8:1::2", 2);
	struct xn_neigh n = neigh(NUD_STALE, T0 - 100 * SEC, T0 - 50 * SEC, T0 - 50 * SEC, 0);
	struct sim s;

	sim_setup(&s, &k, NULL);
	sim_adopt(&s, &n, T0);
	sim_resolve(&s, 0);
	sim_run(&s, AT(20000));
	CHECK_PROBES(&s, { 5000, U, 0 }, { 6000, U, 1 }, { 7000, U, 2 });
	CHECK_TRANS(&s, { 0, NUD_STALE, NUD_DELAY, false },
		    { 5000, NUD_DELAY, NUD_PROBE, true },
		    { 8000, NUD_PROBE, NUD_FAILED, true });
	sim_free(&s);
}

/* The peer answers the first unicast probe: PROBE -> REACHABLE (data
 * plane), the probes stop, and the unused entry goes STALE after
 * reachable_time (+10 ms: the handler that fires exactly at confirmed +
 * reachable_time keeps the entry, NUD-5 "now <= ...", and re-arms 10 ms on). */
static void test_timeline_probe_answered(void **state)
{
	struct xn_nud_key k = key4("10.1.0.2", 2);
	struct xn_neigh n = neigh(NUD_STALE, T0 - 100 * SEC, T0 - 50 * SEC, T0 - 50 * SEC, 0);
	struct sim s;

	sim_setup(&s, &k, NULL);
	sim_adopt(&s, &n, T0);
	dp_use(&s);
	sim_run(&s, AT(5200));
	dp_confirm(&s);
	sim_run(&s, AT(60000));
	CHECK_PROBES(&s, { 5000, U, 0 });
	CHECK_TRANS(&s, { 0, NUD_STALE, NUD_DELAY, false },
		    { 5000, NUD_DELAY, NUD_PROBE, true },
		    { 5200, NUD_PROBE, NUD_REACHABLE, true },
		    { 5200 + 19000 + 10, NUD_REACHABLE, NUD_STALE, true });
	assert_int_equal(s.res_failed, 0);
	sim_free(&s);
}

/* NUD-5 DELAY + CF-1: an upper-layer confirmation during DELAY brings the
 * entry back to REACHABLE without a probe; its timer then runs from that
 * confirmation. */
static void test_delay_confirmed_to_reachable(void **state)
{
	struct xn_nud_key k = key4("10.1.0.2", 2);
	struct xn_neigh n = neigh(NUD_STALE, T0 - 100 * SEC, T0 - 50 * SEC, T0 - 50 * SEC, 0);
	struct sim s;

	sim_setup(&s, &k, NULL);
	sim_adopt(&s, &n, T0);
	dp_use(&s);
	sim_run(&s, AT(2000));
	dp_neigh_confirm(&s);				/* no gen change, no event */
	sim_run(&s, AT(60000));
	CHECK_NO_PROBES(&s);
	CHECK_TRANS(&s, { 0, NUD_STALE, NUD_DELAY, false },
		    { 5000, NUD_DELAY, NUD_REACHABLE, true },
		    { 2000 + 19000 + 10, NUD_REACHABLE, NUD_STALE, true });
	sim_free(&s);
}

/* NUD-5/NUD-6: REACHABLE whose reachable_time ran out goes DELAY (not STALE,
 * no notification) when it was used within delay_first_probe_time, and the
 * probe cycle follows. */
static void test_reachable_used_goes_delay(void **state)
{
	struct xn_nud_key k = key4("10.1.0.2", 2);
	struct xn_neigh n = neigh(NUD_REACHABLE, T0, T0, T0, 0);
	struct sim s;

	sim_setup(&s, &k, NULL);
	sim_adopt(&s, &n, T0);
	sim_run(&s, AT(18000));
	sim_resolve(&s, 0);				/* a slow-path send: used := 18 s */
	assert_int_equal(s.n.used, AT(18000));
	sim_run(&s, AT(40000));
	CHECK_TRANS(&s, { 19010, NUD_REACHABLE, NUD_DELAY, false },
		    { 24010, NUD_DELAY, NUD_PROBE, true },
		    { 27010, NUD_PROBE, NUD_FAILED, true });
	CHECK_PROBES(&s, { 24010, U, 0 }, { 25010, U, 1 }, { 26010, U, 2 });
	sim_free(&s);
}

/* NUD-5: not used -> STALE with a notification, no timer. */
static void test_reachable_unused_goes_stale(void **state)
{
	struct xn_nud_key k = key4("10.1.0.2", 2);
	struct xn_neigh n = neigh(NUD_REACHABLE, T0, T0, T0, 0);
	struct sim s;

	sim_setup(&s, &k, NULL);
	sim_adopt(&s, &n, T0);
	sim_run(&s, AT(100000));
	CHECK_TRANS(&s, { 19010, NUD_REACHABLE, NUD_STALE, true });
	CHECK_NO_PROBES(&s);
	assert_int_equal(s.n.updated, AT(19010));
	assert_int_equal(xn_tq_len(s.tq), 0);
	sim_free(&s);
}

/* CF-1: confirmations keep REACHABLE; the timer re-arms at confirmed +
 * reachable_time, not 10 ms later. */
static void test_reachable_kept_by_confirmation(void **state)
{
	struct xn_nud_key k = key4("10.1.0.2", 2);
	struct xn_neigh n = neigh(NUD_REACHABLE, T0, T0, T0, 0);
	struct sim s;
	__u64 due;

	sim_setup(&s, &k, NULL);
	sim_adopt(&s, &n, T0);
	sim_run(&s, AT(10000));
	dp_neigh_confirm(&s);
	sim_run(&s, AT(19000));				/* the old timer fires */
	assert_true(xn_tq_get(s.tq, &k, &due, NULL));
	assert_int_equal(rel_ms(due), 29000);
	sim_run(&s, AT(100000));
	CHECK_TRANS(&s, { 29010, NUD_REACHABLE, NUD_STALE, true });
	sim_free(&s);
}

/* NUD-4 + ARPTX-3: INCOMPLETE with app_solicit 2 sends the app probes
 * (netlink, no packet) first, then mcast_solicit broadcasts. */
static void test_incomplete_app_solicit(void **state)
{
	struct xn_nud_key k = key4("10.1.0.2", 2);
	struct xn_nud_parms p;
	struct sim s;

	xn_nud_parms_default(AF_INET, &p);
	p.app_solicit = 2;
	sim_setup(&s, &k, &p);
	sim_resolve(&s, 0);
	sim_run(&s, AT(20000));
	CHECK_PROBES(&s, { 0, A, 3 }, { 1000, A, 4 }, { 2000, M, 5 }, { 3000, M, 6 },
		     { 4000, M, 7 });
	CHECK_TRANS(&s, { 0, NUD_NONE, NUD_INCOMPLETE, false },
		    { 5000, NUD_INCOMPLETE, NUD_FAILED, true });
	sim_free(&s);
}

/* NUD-4: PROBE sends ucast_solicit unicasts, then app_solicit app probes,
 * then mcast_resolicit broadcasts; FAILED after ucast + app + resolicit. */
static void test_probe_app_and_resolicit(void **state)
{
	struct xn_nud_key k = key6("2001:db8:1::2", 2);
	struct xn_neigh n = neigh(NUD_STALE, T0 - 100 * SEC, T0 - 50 * SEC, T0 - 50 * SEC, 0);
	struct xn_nud_parms p;
	struct sim s;

	xn_nud_parms_default(AF_INET6, &p);
	p.app_solicit = 1;
	p.mcast_resolicit = 2;
	sim_setup(&s, &k, &p);
	sim_adopt(&s, &n, T0);
	dp_use(&s);
	sim_run(&s, AT(30000));
	CHECK_PROBES(&s, { 5000, U, 0 }, { 6000, U, 1 }, { 7000, U, 2 }, { 8000, A, 3 },
		     { 9000, M, 4 }, { 10000, M, 5 });
	CHECK_TRANS(&s, { 0, NUD_STALE, NUD_DELAY, false },
		    { 5000, NUD_DELAY, NUD_PROBE, true },
		    { 11000, NUD_PROBE, NUD_FAILED, true });
	sim_free(&s);
}

/* NUD-3: with mcast_solicit + app_solicit == 0 nothing may be sent:
 * NONE/FAILED -> FAILED at once, updated := now, no probe, no res_failed,
 * no notification. */
static void test_resolve_nothing_to_send(void **state)
{
	struct xn_nud_key k = key4("10.1.0.2", 2);
	struct xn_nud_parms p;
	struct sim s;

	xn_nud_parms_default(AF_INET, &p);
	p.mcast_solicit = 0;
	sim_setup(&s, &k, &p);
	sim_resolve(&s, 0);
	CHECK_TRANS(&s, { 0, NUD_NONE, NUD_FAILED, false });
	CHECK_NO_PROBES(&s);
	assert_int_equal(s.res_failed, 0);
	assert_int_equal(s.n.updated, AT(0));
	assert_int_equal(xn_tq_len(s.tq), 0);
	/* again later: still FAILED, updated and used move */
	s.now = AT(1000);
	sim_resolve(&s, 0);
	assert_int_equal(s.n.state, NUD_FAILED);
	assert_int_equal(s.n.updated, AT(1000));
	assert_int_equal(s.n.used, AT(1000));
	assert_int_equal(s.ntr, 1);
	sim_free(&s);
}

/* NUD-5: a PROBE with no probe allowed (ucast = app = resolicit = 0) fails
 * in the same handler run that leaves DELAY; neigh_invalidate() counts. */
static void test_probe_without_probes_fails_at_once(void **state)
{
	struct xn_nud_key k = key4("10.1.0.2", 2);
	struct xn_neigh n = neigh(NUD_STALE, T0 - 100 * SEC, T0 - 50 * SEC, T0 - 50 * SEC, 0);
	struct xn_nud_parms p;
	struct sim s;

	xn_nud_parms_default(AF_INET, &p);
	p.ucast_solicit = 0;
	sim_setup(&s, &k, &p);
	sim_adopt(&s, &n, T0);
	dp_use(&s);
	sim_run(&s, AT(20000));
	CHECK_NO_PROBES(&s);
	CHECK_TRANS(&s, { 0, NUD_STALE, NUD_DELAY, false },
		    { 5000, NUD_DELAY, NUD_FAILED, true });
	assert_int_equal(s.res_failed, 1);
	assert_int_equal(s.n.probes, 0);
	sim_free(&s);
}

/* NUD-3/NUD-5: max(retrans_time, 10 ms). */
static void test_retrans_floor(void **state)
{
	struct xn_nud_key k = key4("10.1.0.2", 2);
	struct xn_nud_parms p;
	struct sim s;

	xn_nud_parms_default(AF_INET, &p);
	p.retrans_time = 0;
	sim_setup(&s, &k, &p);
	sim_resolve(&s, 0);
	sim_run(&s, AT(1000));
	CHECK_PROBES(&s, { 0, M, 3 }, { 10, M, 4 }, { 20, M, 5 });
	CHECK_TRANS(&s, { 0, NUD_NONE, NUD_INCOMPLETE, false },
		    { 30, NUD_INCOMPLETE, NUD_FAILED, true });
	sim_free(&s);
}

/* NUD-3 with immediate_ok = false (the NTF_MANAGED worker): no probe in the
 * call, the timer sends the first one; same timeline. */
static void test_resolve_deferred(void **state)
{
	struct xn_nud_key k = key4("10.1.0.2", 2);
	struct sim s;

	sim_setup(&s, &k, NULL);
	sim_resolve(&s, XN_NUD_RESOLVE_DEFERRED);
	assert_int_equal(s.n.state, NUD_INCOMPLETE);
	assert_int_equal(s.n.probes, 3);
	CHECK_NO_PROBES(&s);
	sim_run(&s, AT(10000));
	CHECK_PROBES(&s, { 0, M, 3 }, { 1000, M, 4 }, { 2000, M, 5 });
	CHECK_TRANS(&s, { 0, NUD_NONE, NUD_INCOMPLETE, false },
		    { 3000, NUD_INCOMPLETE, NUD_FAILED, true });
	sim_free(&s);
}

/* The CAS protocol: the data plane confirms between the DELAY decision and
 * its write; the write fails on gen, the daemon decides again on the new
 * snapshot (REACHABLE, not due) and sends no probe. */
static void race_confirm(struct sim *s)
{
	dp_confirm(s);
}

static void test_cas_race_confirm(void **state)
{
	struct xn_nud_key k = key4("10.1.0.2", 2);
	struct xn_neigh n = neigh(NUD_STALE, T0 - 100 * SEC, T0 - 50 * SEC, T0 - 50 * SEC, 0);
	struct sim s;

	sim_setup(&s, &k, NULL);
	sim_adopt(&s, &n, T0);
	dp_use(&s);
	sim_run(&s, AT(4999));
	s.race = race_confirm;
	sim_run(&s, AT(60000));
	assert_int_equal(s.cas_fail, 1);
	CHECK_NO_PROBES(&s);
	CHECK_TRANS(&s, { 0, NUD_STALE, NUD_DELAY, false },
		    { 5000, NUD_DELAY, NUD_REACHABLE, true },
		    { 5000 + 19000 + 10, NUD_REACHABLE, NUD_STALE, true });
	sim_free(&s);
}

/* ---- restart safety: timers resume from the stored fields ------------------------- */

/* Mid-INCOMPLETE: two probes sent (0 and 1 s), the daemon restarts at 1.5 s. */
static void test_restart_mid_incomplete(void **state)
{
	struct xn_nud_key k = key4("10.1.0.2", 2);
	struct xn_neigh n = neigh(NUD_INCOMPLETE, T0 - 60 * SEC, T0, T0, 5);
	struct sim s;

	memset(n.lladdr, 0, ETH_ALEN);
	sim_setup(&s, &k, NULL);
	sim_adopt(&s, &n, AT(1500));
	sim_run(&s, AT(10000));
	CHECK_PROBES(&s, { 2000, M, 5 });
	CHECK_TRANS(&s, { 3000, NUD_INCOMPLETE, NUD_FAILED, true });
	sim_free(&s);
}

/* Mid-PROBE: the first unicast probe sent at 0 (entered PROBE at 0). */
static void test_restart_mid_probe(void **state)
{
	struct xn_nud_key k = key6("2001:db8:1::2", 2);
	struct xn_neigh n = neigh(NUD_PROBE, T0 - 100 * SEC, T0, T0 - 5 * SEC, 1);
	struct sim s;

	sim_setup(&s, &k, NULL);
	sim_adopt(&s, &n, AT(500));
	sim_run(&s, AT(10000));
	CHECK_PROBES(&s, { 1000, U, 1 }, { 2000, U, 2 });
	CHECK_TRANS(&s, { 3000, NUD_PROBE, NUD_FAILED, true });
	sim_free(&s);
}

/* Mid-DELAY: entered DELAY at 0, the daemon restarts at 3 s. */
static void test_restart_mid_delay(void **state)
{
	struct xn_nud_key k = key4("10.1.0.2", 2);
	struct xn_neigh n = neigh(NUD_DELAY, T0 - 100 * SEC, T0, T0, 0);
	struct sim s;

	sim_setup(&s, &k, NULL);
	sim_adopt(&s, &n, AT(3000));
	sim_run(&s, AT(20000));
	CHECK_PROBES(&s, { 5000, U, 0 }, { 6000, U, 1 }, { 7000, U, 2 });
	CHECK_TRANS(&s, { 5000, NUD_DELAY, NUD_PROBE, true },
		    { 8000, NUD_PROBE, NUD_FAILED, true });
	sim_free(&s);
}

/* Mid-REACHABLE: confirmed at 0, restart at 10 s: STALE on time. */
static void test_restart_mid_reachable(void **state)
{
	struct xn_nud_key k = key4("10.1.0.2", 2);
	struct xn_neigh n = neigh(NUD_REACHABLE, T0, T0, T0, 0);
	struct sim s;

	sim_setup(&s, &k, NULL);
	sim_adopt(&s, &n, AT(10000));
	sim_run(&s, AT(60000));
	CHECK_TRANS(&s, { 19010, NUD_REACHABLE, NUD_STALE, true });
	sim_free(&s);
}

/* The daemon was down across two probe times: one probe at once, then the
 * schedule goes on retrans_time apart (no burst), and fails after the same
 * number of probes. */
static void test_restart_late_no_burst(void **state)
{
	struct xn_nud_key k = key4("10.1.0.2", 2);
	struct xn_neigh n = neigh(NUD_INCOMPLETE, T0 - 60 * SEC, T0, T0, 4);
	struct sim s;

	sim_setup(&s, &k, NULL);
	sim_adopt(&s, &n, AT(2500));
	sim_run(&s, AT(20000));
	CHECK_PROBES(&s, { 2500, M, 4 }, { 3500, M, 5 });
	CHECK_TRANS(&s, { 4500, NUD_INCOMPLETE, NUD_FAILED, true });
	sim_free(&s);
}

/* States without a timer are not armed on adoption. */
static void test_restart_untimed_states(void **state)
{
	static const __u8 states[] = { NUD_NONE, NUD_STALE, NUD_FAILED, NUD_NOARP,
				       NUD_PERMANENT };
	struct xn_nud_key k = key4("10.1.0.2", 2);
	size_t i;

	for (i = 0; i < ARRAY_LEN(states); i++) {
		struct xn_neigh n = neigh(states[i], T0, T0, T0, 0);
		struct sim s;

		sim_setup(&s, &k, NULL);
		sim_adopt(&s, &n, T0);
		assert_int_equal(xn_tq_len(s.tq), 0);
		sim_run(&s, AT(3600 * 1000));
		assert_int_equal(s.ntr, 0);
		sim_free(&s);
	}
}

/* ---- one decision at a time: tables ----------------------------------------------- */

#define S_STATE		XN_CTL_SET_STATE
#define S_PROBES	XN_CTL_SET_PROBES
#define S_UPD		XN_CTL_SET_UPDATED
#define S_USED		XN_CTL_SET_USED
#define NOW		AT(100000)
#define AGO(ms)		(NOW - (__u64)(ms) * MSEC)
#define IN(ms)		(NOW + (__u64)(ms) * MSEC)

struct act_row {
	const char *name;
	struct xn_neigh n;		/* gen 7, MAC_B */
	__u8 dead;			/* XN_NF_DEAD */
	/* expected */
	__u32 set;
	__u8 state;
	__u8 probe;
	__u32 probe_p;
	__u32 probes;
	bool notify;
	bool res_failed;
	bool create;
	__u64 next;
};

static void check_act(const struct act_row *r, const struct xn_nud_action *a, __u64 now)
{
	int bad = 0;

#define CMP(field, want)								\
	do {										\
		if ((unsigned long long)(a->field) != (unsigned long long)(want)) {	\
			print_message("%s: %s = %llu (%lld ms), expected %llu (%lld ms)\n", \
				      r->name, #field, (unsigned long long)(a->field),	\
				      rel_ms(a->field), (unsigned long long)(want),	\
				      rel_ms(want));					\
			bad++;								\
		}									\
	} while (0)
	CMP(set, r->set);
	CMP(old_state, r->n.state);
	CMP(state, r->state);
	CMP(probe, r->probe);
	if (r->probe)
		CMP(probe_p, r->probe_p);
	CMP(probes, r->probes);
	CMP(notify, r->notify);
	CMP(res_failed, r->res_failed);
	CMP(create, r->create);
	CMP(next, r->next);
	if (r->set & S_UPD)
		CMP(updated, now);
	else
		CMP(updated, r->n.updated);
	if (r->set & S_USED)
		CMP(used, now);
	else
		CMP(used, r->n.used);
	CMP(confirmed, r->n.confirmed);
#undef CMP
	if (bad)
		fail_msg("%s: %d field(s) differ", r->name, bad);
}

/* NUD-5 neigh_timer_handler(), reachable_time 19 s, defaults otherwise. */
static void test_fire_table(void **state)
{
	const struct act_row rows[] = {
		{ "REACHABLE before its time: nothing, due at confirmed + rt",
		  neigh(NUD_REACHABLE, AGO(18000), AGO(18000), AGO(18000), 0), 0,
		  0, NUD_REACHABLE, 0, 0, 0, false, false, false, IN(1000) },
		{ "REACHABLE exactly at confirmed + rt: kept, re-armed 10 ms on",
		  neigh(NUD_REACHABLE, AGO(19000), AGO(19000), AGO(19000), 0), 0,
		  0, NUD_REACHABLE, 0, 0, 0, false, false, false, IN(10) },
		{ "REACHABLE expired, used 5 s ago: DELAY, no notification (NUD-6, O-9)",
		  neigh(NUD_REACHABLE, AGO(19001), AGO(19001), AGO(5000), 0), 0,
		  S_STATE | S_UPD, NUD_DELAY, 0, 0, 0, false, false, false, IN(5000) },
		{ "REACHABLE expired, used 5 s + 1 ms ago: STALE, notify, no timer",
		  neigh(NUD_REACHABLE, AGO(19001), AGO(19001), AGO(5001), 0), 0,
		  S_STATE | S_UPD, NUD_STALE, 0, 0, 0, true, false, false, NEVER },
		{ "DELAY confirmed 5 s ago: REACHABLE, notify, due at confirmed + rt",
		  neigh(NUD_DELAY, AGO(5000), AGO(5000), AGO(5000), 0), 0,
		  S_STATE | S_UPD, NUD_REACHABLE, 0, 0, 0, true, false, false, IN(14000) },
		{ "DELAY confirmed long ago: PROBE, probes := 0, first unicast probe",
		  neigh(NUD_DELAY, AGO(60000), AGO(5000), AGO(5000), 9), 0,
		  S_STATE | S_UPD | S_PROBES, NUD_PROBE, U, 0, 1, true, false, false, IN(1000) },
		{ "DELAY before its time: nothing",
		  neigh(NUD_DELAY, AGO(60000), AGO(4999), AGO(4999), 0), 0,
		  0, NUD_DELAY, 0, 0, 0, false, false, false, IN(1) },
		{ "INCOMPLETE, 2nd interval: multicast probe p=4",
		  neigh(NUD_INCOMPLETE, AGO(60000), AGO(1000), AGO(1000), 4), 0,
		  S_PROBES, NUD_INCOMPLETE, M, 4, 5, false, false, false, IN(1000) },
		{ "INCOMPLETE, probes exhausted: FAILED, notify, res_failed",
		  neigh(NUD_INCOMPLETE, AGO(60000), AGO(3000), AGO(3000), 6), 0,
		  S_STATE | S_UPD, NUD_FAILED, 0, 0, 6, true, true, false, NEVER },
		{ "PROBE, 3rd unicast probe",
		  neigh(NUD_PROBE, AGO(60000), AGO(2000), AGO(9000), 2), 0,
		  S_PROBES, NUD_PROBE, U, 2, 3, false, false, false, IN(1000) },
		{ "PROBE, probes exhausted: FAILED",
		  neigh(NUD_PROBE, AGO(60000), AGO(3000), AGO(9000), 3), 0,
		  S_STATE | S_UPD, NUD_FAILED, 0, 0, 3, true, true, false, NEVER },
		{ "PROBE before its time: nothing",
		  neigh(NUD_PROBE, AGO(60000), AGO(1500), AGO(9000), 2), 0,
		  0, NUD_PROBE, 0, 0, 2, false, false, false, IN(500) },
		{ "STALE: no timer", neigh(NUD_STALE, AGO(90000), AGO(90000), AGO(90000), 0), 0,
		  0, NUD_STALE, 0, 0, 0, false, false, false, NEVER },
		{ "NONE: no timer", neigh(NUD_NONE, AGO(90000), AGO(90000), AGO(90000), 0), 0,
		  0, NUD_NONE, 0, 0, 0, false, false, false, NEVER },
		{ "FAILED: no timer", neigh(NUD_FAILED, AGO(90000), AGO(90000), AGO(90000), 6), 0,
		  0, NUD_FAILED, 0, 0, 6, false, false, false, NEVER },
		{ "NOARP: no timer", neigh(NUD_NOARP, AGO(90000), AGO(90000), AGO(90000), 0), 0,
		  0, NUD_NOARP, 0, 0, 0, false, false, false, NEVER },
		{ "PERMANENT: no timer",
		  neigh(NUD_PERMANENT, AGO(90000), AGO(90000), AGO(90000), 0), 0,
		  0, NUD_PERMANENT, 0, 0, 0, false, false, false, NEVER },
		{ "dead REACHABLE: left alone",
		  neigh(NUD_REACHABLE, AGO(90000), AGO(90000), AGO(90000), 0), 1,
		  0, NUD_REACHABLE, 0, 0, 0, false, false, false, NEVER },
	};
	struct xn_nud_engine *e = engine_fixed();
	struct xn_nud_key k = key4("10.1.0.2", 2);
	size_t i;

	for (i = 0; i < ARRAY_LEN(rows); i++) {
		struct xn_neigh n = rows[i].n;
		struct xn_nud_action a;

		if (rows[i].dead)
			n.xflags |= XN_NF_DEAD;
		xn_nud_fire(e, &k, &n, NOW, &a);
		check_act(&rows[i], &a, NOW);
	}
	/* an unknown family has no parameters: nothing */
	{
		struct xn_nud_key kx = k;
		struct xn_neigh n = neigh(NUD_INCOMPLETE, 0, AGO(3000), 0, 3);
		struct xn_nud_action a;

		kx.family = 99;
		xn_nud_fire(e, &kx, &n, NOW, &a);
		assert_int_equal(a.set, 0);
		assert_int_equal(a.probe, XN_PROBE_NONE);
		assert_int_equal(xn_nud_next(e, &kx, &n), NEVER);
	}
	xn_nud_engine_free(e);
}

/* NUD-1/NUD-3 neigh_event_send() for every state. */
static void test_resolve_table(void **state)
{
	const struct act_row rows[] = {
		{ "NONE: INCOMPLETE, probes := ucast, first (broadcast) probe now",
		  neigh(NUD_NONE, AGO(60000), AGO(10), AGO(10), 0), 0,
		  S_STATE | S_UPD | S_USED | S_PROBES, NUD_INCOMPLETE, M, 3, 4,
		  false, false, false, IN(1000) },
		{ "FAILED: the same",
		  neigh(NUD_FAILED, AGO(60000), AGO(9000), AGO(9000), 6), 0,
		  S_STATE | S_UPD | S_USED | S_PROBES, NUD_INCOMPLETE, M, 3, 4,
		  false, false, false, IN(1000) },
		{ "STALE: DELAY, no probe, due in delay_first_probe_time",
		  neigh(NUD_STALE, AGO(60000), AGO(9000), AGO(9000), 3), 0,
		  S_STATE | S_UPD | S_USED, NUD_DELAY, 0, 0, 3, false, false, false, IN(5000) },
		{ "INCOMPLETE: queued; used only",
		  neigh(NUD_INCOMPLETE, AGO(60000), AGO(500), AGO(500), 4), 0,
		  S_USED, NUD_INCOMPLETE, 0, 0, 4, false, false, false, IN(500) },
		{ "REACHABLE: used only",
		  neigh(NUD_REACHABLE, AGO(1000), AGO(1000), AGO(1000), 0), 0,
		  S_USED, NUD_REACHABLE, 0, 0, 0, false, false, false, IN(18000) },
		{ "DELAY: used only",
		  neigh(NUD_DELAY, AGO(60000), AGO(1000), AGO(1000), 0), 0,
		  S_USED, NUD_DELAY, 0, 0, 0, false, false, false, IN(4000) },
		{ "PROBE: used only",
		  neigh(NUD_PROBE, AGO(60000), AGO(1000), AGO(1000), 2), 0,
		  S_USED, NUD_PROBE, 0, 0, 2, false, false, false, IN(1000) },
		{ "PERMANENT: used only",
		  neigh(NUD_PERMANENT, AGO(60000), AGO(1000), AGO(1000), 0), 0,
		  S_USED, NUD_PERMANENT, 0, 0, 0, false, false, false, NEVER },
		{ "NOARP: used only",
		  neigh(NUD_NOARP, AGO(60000), AGO(1000), AGO(1000), 0), 0,
		  S_USED, NUD_NOARP, 0, 0, 0, false, false, false, NEVER },
		{ "dead STALE: left alone",
		  neigh(NUD_STALE, AGO(60000), AGO(1000), AGO(1000), 0), 1,
		  0, NUD_STALE, 0, 0, 0, false, false, false, NEVER },
	};
	struct xn_nud_engine *e = engine_fixed();
	struct xn_nud_key k = key4("10.1.0.2", 2);
	struct xn_nud_action a;
	size_t i;

	for (i = 0; i < ARRAY_LEN(rows); i++) {
		struct xn_neigh n = rows[i].n;

		if (rows[i].dead)
			n.xflags |= XN_NF_DEAD;
		xn_nud_resolve(e, &k, &n, NOW, 0, &a);
		check_act(&rows[i], &a, NOW);
	}
	/* no entry: create first (NUD-15) and nothing else */
	xn_nud_resolve(e, &k, NULL, NOW, 0, &a);
	assert_true(a.create);
	assert_int_equal(a.set, 0);
	assert_int_equal(a.probe, XN_PROBE_NONE);
	xn_nud_engine_free(e);
}

/* ARPTX-3 / ND-TX4 boundaries and NUD-4 maxima. */
static void test_probe_kind(void **state)
{
	struct xn_nud_parms p;

	xn_nud_parms_default(AF_INET, &p);
	p.ucast_solicit = 2;
	p.app_solicit = 3;
	p.mcast_solicit = 4;
	p.mcast_resolicit = 5;
	assert_int_equal(xn_nud_probe_kind(&p, 0), XN_PROBE_UNICAST);
	assert_int_equal(xn_nud_probe_kind(&p, 1), XN_PROBE_UNICAST);
	assert_int_equal(xn_nud_probe_kind(&p, 2), XN_PROBE_APP);
	assert_int_equal(xn_nud_probe_kind(&p, 4), XN_PROBE_APP);
	assert_int_equal(xn_nud_probe_kind(&p, 5), XN_PROBE_MULTICAST);
	assert_int_equal(xn_nud_probe_kind(&p, 1000), XN_PROBE_MULTICAST);
	assert_int_equal(xn_nud_max_probes(&p, NUD_INCOMPLETE), 2 + 3 + 4);
	assert_int_equal(xn_nud_max_probes(&p, NUD_PROBE), 2 + 3 + 5);
	p.ucast_solicit = 0;
	p.app_solicit = 0;
	assert_int_equal(xn_nud_probe_kind(&p, 0), XN_PROBE_MULTICAST);
}

/* xn_nud_next() from stored fields only. */
static void test_next_from_fields(void **state)
{
	struct xn_nud_engine *e = engine_fixed();
	struct xn_nud_key k = key4("10.1.0.2", 2);
	struct xn_nud_parms p;
	struct xn_neigh n;

	n = neigh(NUD_REACHABLE, AT(1000), AT(0), AT(0), 0);
	assert_int_equal(rel_ms(xn_nud_next(e, &k, &n)), 1000 + 19000);
	n = neigh(NUD_DELAY, AT(-50000), AT(2000), AT(2000), 0);
	assert_int_equal(rel_ms(xn_nud_next(e, &k, &n)), 7000);
	n = neigh(NUD_INCOMPLETE, 0, AT(0), AT(0), 3);		/* deferred: at once */
	assert_int_equal(rel_ms(xn_nud_next(e, &k, &n)), 0);
	n.probes = 5;
	assert_int_equal(rel_ms(xn_nud_next(e, &k, &n)), 2000);
	n.probes = 1;			/* fewer than ucast_solicit: as just entered */
	assert_int_equal(rel_ms(xn_nud_next(e, &k, &n)), 0);
	n = neigh(NUD_PROBE, 0, AT(0), AT(0), 0);		/* set by an admin update */
	assert_int_equal(rel_ms(xn_nud_next(e, &k, &n)), 0);
	n.probes = 3;
	assert_int_equal(rel_ms(xn_nud_next(e, &k, &n)), 3000);
	n.probes = 50;			/* beyond the maximum (3): due at the last one */
	assert_int_equal(rel_ms(xn_nud_next(e, &k, &n)), 3000);
	n = neigh(NUD_INCOMPLETE, 0, AT(0), AT(0), 50);
	assert_int_equal(rel_ms(xn_nud_next(e, &k, &n)), 3000);
	n.xflags = XN_NF_DEAD;
	assert_int_equal(xn_nud_next(e, &k, &n), NEVER);
	n = neigh(NUD_PROBE, 0, AT(0), AT(0), 3);
	/* the interface's own retrans_time */
	xn_nud_parms_default(AF_INET, &p);
	p.retrans_time = 250 * MSEC;
	assert_int_equal(xn_nud_parms_set(e, AF_INET, 2, &p), 0);
	n.xflags = 0;
	assert_int_equal(rel_ms(xn_nud_next(e, &k, &n)), 750);
	k.ifindex = 3;			/* no set of its own: the default */
	assert_int_equal(rel_ms(xn_nud_next(e, &k, &n)), 3000);
	xn_nud_engine_free(e);
}

/* The CAS request carries the snapshot's gen and the action's fields. */
static void test_action_ctl(void **state)
{
	struct xn_nud_engine *e = engine_fixed();
	struct xn_nud_key k = key6("2001:db8:1::2", 5);
	struct xn_neigh n = neigh(NUD_DELAY, AGO(60000), AGO(5000), AGO(5000), 0);
	struct xn_nud_action a;
	struct xn_ctl_req req;

	n.gen = 41;
	xn_nud_fire(e, &k, &n, NOW, &a);
	xn_nud_action_ctl(&k, &n, &a, &req);
	assert_int_equal(req.op, XN_CTL_CAS);
	assert_int_equal(req.family, AF_INET6);
	assert_int_equal(req.ifindex, 5);
	assert_memory_equal(req.addr, k.addr, 16);
	assert_memory_equal(req.lladdr, MAC_B, ETH_ALEN);
	assert_int_equal(req.expect_gen, 41);
	assert_int_equal(req.set_mask, XN_CTL_SET_STATE | XN_CTL_SET_UPDATED | XN_CTL_SET_PROBES);
	assert_int_equal(req.state, NUD_PROBE);
	assert_int_equal(req.probes, 1);
	assert_int_equal(req.updated, NOW);
	assert_int_equal(req.used, n.used);
	assert_int_equal(req.confirmed, n.confirmed);
	assert_int_equal(req.ctl_flags, 0);
	xn_nud_engine_free(e);
}

/* ---- parameters and reachable_time (NUD-7) ---------------------------------------- */

static void test_parms_defaults_and_sysctl(void **state)
{
	struct xn_nud_parms p, q;

	xn_nud_parms_default(AF_INET, &p);
	assert_int_equal(p.base_reachable_time, 30 * SEC);
	assert_int_equal(p.retrans_time, 1 * SEC);
	assert_int_equal(p.delay_first_probe_time, 5 * SEC);
	assert_int_equal(p.gc_stale_time, 60 * SEC);
	assert_int_equal(p.locktime, 1 * SEC);
	assert_int_equal(p.ucast_solicit, 3);
	assert_int_equal(p.mcast_solicit, 3);
	assert_int_equal(p.app_solicit, 0);
	assert_int_equal(p.mcast_resolicit, 0);
	assert_int_equal(p.unres_qlen, 101);
	xn_nud_parms_default(AF_INET6, &q);
	assert_int_equal(q.locktime, 0);		/* nd_tbl */
	q.locktime = p.locktime;
	assert_memory_equal(&p, &q, sizeof(p));

	/* /proc units (spec §1.4) */
	assert_int_equal(xn_nud_parms_sysctl(&p, "base_reachable_time", 10), 0);
	assert_int_equal(p.base_reachable_time, 10 * SEC);
	assert_int_equal(xn_nud_parms_sysctl(&p, "base_reachable_time_ms", 2500), 0);
	assert_int_equal(p.base_reachable_time, 2500 * MSEC);
	assert_int_equal(xn_nud_parms_sysctl(&p, "retrans_time", 50), 0);	/* USER_HZ */
	assert_int_equal(p.retrans_time, 500 * MSEC);
	assert_int_equal(xn_nud_parms_sysctl(&p, "retrans_time_ms", 300), 0);
	assert_int_equal(p.retrans_time, 300 * MSEC);
	assert_int_equal(xn_nud_parms_sysctl(&p, "delay_first_probe_time", 2), 0);
	assert_int_equal(p.delay_first_probe_time, 2 * SEC);
	assert_int_equal(xn_nud_parms_sysctl(&p, "gc_stale_time", 1), 0);
	assert_int_equal(p.gc_stale_time, 1 * SEC);
	assert_int_equal(xn_nud_parms_sysctl(&p, "locktime", 100), 0);	/* USER_HZ */
	assert_int_equal(p.locktime, 1 * SEC);
	assert_int_equal(xn_nud_parms_sysctl(&p, "ucast_solicit", 5), 0);
	assert_int_equal(p.ucast_solicit, 5);
	assert_int_equal(xn_nud_parms_sysctl(&p, "mcast_solicit", 6), 0);
	assert_int_equal(p.mcast_solicit, 6);
	assert_int_equal(xn_nud_parms_sysctl(&p, "app_solicit", 7), 0);
	assert_int_equal(p.app_solicit, 7);
	assert_int_equal(xn_nud_parms_sysctl(&p, "mcast_resolicit", 8), 0);
	assert_int_equal(p.mcast_resolicit, 8);
	assert_int_equal(xn_nud_parms_sysctl(&p, "unres_qlen", 9), 0);
	assert_int_equal(p.unres_qlen, 9);
	q = p;
	assert_int_equal(xn_nud_parms_sysctl(&p, "proxy_delay", 80), -ENOENT);
	assert_int_equal(xn_nud_parms_sysctl(&p, "gc_thresh1", 8), -ENOENT);
	assert_int_equal(xn_nud_parms_sysctl(&p, "ucast_solicit", -1), -ERANGE);
	assert_int_equal(xn_nud_parms_sysctl(&p, "retrans_time_ms", -1), -ERANGE);
	assert_int_equal(xn_nud_parms_sysctl(&p, "app_solicit", 1LL << 33), -ERANGE);
	assert_memory_equal(&p, &q, sizeof(p));		/* refused writes change nothing */
}

static void test_parms_sets(void **state)
{
	struct xn_nud_engine *e = engine_fixed();
	struct xn_nud_thresh th;
	struct xn_nud_parms p;

	xn_nud_parms_default(AF_INET, &p);
	p.ucast_solicit = 9;
	assert_int_equal(xn_nud_parms_set(e, AF_INET, 7, &p), 0);
	assert_int_equal(xn_nud_parms_of(e, AF_INET, 7)->ucast_solicit, 9);
	assert_int_equal(xn_nud_parms_of(e, AF_INET, 8)->ucast_solicit, 3);	/* default */
	assert_int_equal(xn_nud_parms_of(e, AF_INET6, 7)->ucast_solicit, 3);	/* other table */
	assert_null(xn_nud_parms_of(e, 99, 7));
	assert_int_equal(xn_nud_parms_set(e, 99, 7, &p), -EAFNOSUPPORT);
	/* many interfaces, inserted out of order, all found */
	for (int i = 200; i > 100; i -= 3) {
		p.app_solicit = (__u32)i;
		assert_int_equal(xn_nud_parms_set(e, AF_INET6, (__u32)i, &p), 0);
	}
	for (int i = 200; i > 100; i -= 3)
		assert_int_equal(xn_nud_parms_of(e, AF_INET6, (__u32)i)->app_solicit, i);
	assert_int_equal(xn_nud_parms_del(e, AF_INET6, 200), 0);
	assert_int_equal(xn_nud_parms_of(e, AF_INET6, 200)->app_solicit, 0);
	assert_int_equal(xn_nud_parms_of(e, AF_INET6, 197)->app_solicit, 197);
	assert_int_equal(xn_nud_parms_del(e, AF_INET6, 200), -ENOENT);
	assert_int_equal(xn_nud_parms_del(e, AF_INET6, 0), -ENOENT);
	/* the default set itself */
	p.ucast_solicit = 1;
	assert_int_equal(xn_nud_parms_set(e, AF_INET, 0, &p), 0);
	assert_int_equal(xn_nud_parms_of(e, AF_INET, 8)->ucast_solicit, 1);
	/* thresholds */
	assert_int_equal(xn_nud_thresh_get(e, AF_INET, &th), 0);
	assert_int_equal(th.gc_thresh1, 128);
	assert_int_equal(th.gc_thresh2, 512);
	assert_int_equal(th.gc_thresh3, 1024);
	th = (struct xn_nud_thresh){ 8, 9, 10 };
	assert_int_equal(xn_nud_thresh_set(e, AF_INET6, &th), 0);
	assert_int_equal(xn_nud_thresh_get(e, AF_INET6, &th), 0);
	assert_int_equal(th.gc_thresh3, 10);
	assert_int_equal(xn_nud_thresh_get(e, AF_INET, &th), 0);
	assert_int_equal(th.gc_thresh3, 1024);
	xn_nud_engine_free(e);
}

/* NUD-7: uniform in [base/2, 3*base/2), per set, re-drawn by the first
 * periodic GC run more than 300 s after the last draw and when base changes. */
static void test_reachable_time_random(void **state)
{
	struct xn_nud_engine_opts o = { .seed = 12345 };
	struct xn_nud_engine *e = xn_nud_engine_new(&o, T0);
	const __u64 base = 30 * SEC;
	__u64 lo = UINT64_MAX, hi = 0, before[101];
	double sum = 0;
	struct xn_nud_gc_run run;
	struct xn_nud_parms p;
	unsigned int i, changed;
	const unsigned int N = 20000;

	assert_non_null(e);
	xn_nud_parms_default(AF_INET, &p);
	for (i = 1; i <= N; i++) {
		__u64 rt;

		assert_int_equal(xn_nud_parms_set(e, AF_INET, i, &p), 0);
		rt = xn_nud_reachable_time(e, AF_INET, i);
		if (rt < base / 2 || rt >= base + base / 2)
			fail_msg("draw %u: reachable_time %llu ns outside [15 s, 45 s)", i,
				 (unsigned long long)rt);
		lo = rt < lo ? rt : lo;
		hi = rt > hi ? rt : hi;
		sum += (double)rt;
	}
	/* uniform: the extremes come close to the bounds, the mean is base */
	print_message("    %u draws: min %.3f s, max %.3f s, mean %.3f s\n", N, lo / 1e9,
		      hi / 1e9, sum / N / 1e9);
	assert_true(lo < base / 2 + base / 100);
	assert_true(hi > base + base / 2 - base / 100);
	assert_true(sum / N > 0.98 * (double)base && sum / N < 1.02 * (double)base);

	for (i = 0; i <= 100; i++)
		before[i] = xn_nud_reachable_time(e, AF_INET, i);
	/* exactly 300 s after the last draw: not yet (time_after) */
	assert_int_equal(xn_nud_gc_periodic_begin(e, AF_INET, 0, T0 + 300 * SEC, &run), 0);
	assert_false(run.redrawn);
	for (i = 0; i <= 100; i++)
		assert_int_equal(xn_nud_reachable_time(e, AF_INET, i), before[i]);
	assert_int_equal(xn_nud_gc_periodic_begin(e, AF_INET, 0, T0 + 300 * SEC + 1, &run), 0);
	assert_true(run.redrawn);
	for (i = 0, changed = 0; i <= 100; i++) {
		__u64 rt = xn_nud_reachable_time(e, AF_INET, i);

		assert_true(rt >= base / 2 && rt < base + base / 2);
		changed += rt != before[i];
	}
	assert_true(changed >= 99);	/* the default set (i = 0) too */
	/* the other table keeps its own schedule and values */
	before[0] = xn_nud_reachable_time(e, AF_INET6, 0);
	assert_int_equal(xn_nud_gc_periodic_begin(e, AF_INET, 0, T0 + 400 * SEC, &run), 0);
	assert_false(run.redrawn);	/* 100 s after the last draw */
	assert_int_equal(xn_nud_reachable_time(e, AF_INET6, 0), before[0]);

	/* a base change re-draws that set only; other changes do not */
	before[0] = xn_nud_reachable_time(e, AF_INET, 1);
	before[1] = xn_nud_reachable_time(e, AF_INET, 2);
	p.retrans_time = 2 * SEC;
	assert_int_equal(xn_nud_parms_set(e, AF_INET, 1, &p), 0);
	assert_int_equal(xn_nud_reachable_time(e, AF_INET, 1), before[0]);
	p.base_reachable_time = 10 * SEC;
	assert_int_equal(xn_nud_parms_set(e, AF_INET, 1, &p), 0);
	assert_true(xn_nud_reachable_time(e, AF_INET, 1) >= 5 * SEC);
	assert_true(xn_nud_reachable_time(e, AF_INET, 1) < 15 * SEC);
	assert_int_equal(xn_nud_reachable_time(e, AF_INET, 2), before[1]);
	p.base_reachable_time = 0;
	assert_int_equal(xn_nud_parms_set(e, AF_INET, 1, &p), 0);
	assert_int_equal(xn_nud_reachable_time(e, AF_INET, 1), 0);
	xn_nud_engine_free(e);
}

/* The injected generator is what draws, unbiased: x % base + base/2, with
 * values below 2^64 mod base rejected. */
static void test_reachable_time_injected_rng(void **state)
{
	struct seq_rng r = { { 3, 7ULL * 10 * SEC + 2 * SEC }, 2, 0 };
	struct xn_nud_engine_opts o = { .rand = seq_rand, .rand_ctx = &r };
	struct xn_nud_engine *e = xn_nud_engine_new(&o, T0);
	struct xn_nud_parms p;
	unsigned int calls;

	assert_non_null(e);
	assert_true(r.calls > 0);	/* the default sets drew */
	xn_nud_parms_default(AF_INET, &p);
	p.base_reachable_time = 10 * SEC;
	calls = r.calls;
	r.calls = 0;			/* next value: 3, below 2^64 mod 10 s: rejected */
	assert_int_equal(xn_nud_parms_set(e, AF_INET, 4, &p), 0);
	assert_int_equal(r.calls, 2);
	assert_int_equal(xn_nud_reachable_time(e, AF_INET, 4), 5 * SEC + 2 * SEC);
	(void)calls;
	xn_nud_engine_free(e);
}

/* ---- garbage collection (GC-1..GC-3) ------------------------------------------------- */

static void test_gc_exempt_and_multicast(void **state)
{
	struct xn_neigh n = neigh(NUD_STALE, 0, 0, 0, 0);
	struct xn_nud_key k;

	assert_false(xn_nud_gc_exempt(&n, false));
	assert_true(xn_nud_gc_exempt(&n, true));	/* NUD-14 loopback */
	n.flags = XN_NTF_EXT_LEARNED;
	assert_true(xn_nud_gc_exempt(&n, false));
	n.flags = XN_NTF_ROUTER;
	assert_false(xn_nud_gc_exempt(&n, false));
	n.state = NUD_PERMANENT;
	assert_true(xn_nud_gc_exempt(&n, false));
	n.state = NUD_NOARP;
	assert_false(xn_nud_gc_exempt(&n, false));

	k = key4("224.0.0.251", 2);
	assert_true(xn_nud_key_is_multicast(&k));
	k = key4("239.255.255.255", 2);
	assert_true(xn_nud_key_is_multicast(&k));
	k = key4("223.255.255.255", 2);
	assert_false(xn_nud_key_is_multicast(&k));
	k = key4("240.0.0.1", 2);
	assert_false(xn_nud_key_is_multicast(&k));
	k = key6("ff02::1:ff00:2", 2);
	assert_true(xn_nud_key_is_multicast(&k));
	k = key6("fe80::ff", 2);
	assert_false(xn_nud_key_is_multicast(&k));
}

/* GC-2: the run itself: counter, gc_thresh1 floor, schedule. */
static void test_gc_periodic_run(void **state)
{
	struct xn_nud_engine *e = engine_fixed();	/* created at T0 - 100 s */
	struct xn_nud_gc_run run;
	struct xn_nud_stats st;
	struct xn_nud_parms p;

	/* first run after the default set's reachable_time */
	assert_int_equal(xn_nud_gc_periodic_due(e, AF_INET), T0 - 100 * SEC + FIXED_RT);
	assert_int_equal(xn_nud_gc_periodic_begin(e, AF_INET, 127, T0, &run), 0);
	assert_false(run.scan);				/* below gc_thresh1 */
	assert_int_equal(run.next_run, T0 + 15 * SEC);	/* base/2, not gc_interval */
	assert_int_equal(xn_nud_gc_periodic_due(e, AF_INET), T0 + 15 * SEC);
	assert_int_equal(xn_nud_gc_periodic_begin(e, AF_INET, 128, T0 + 15 * SEC, &run), 0);
	assert_true(run.scan);
	assert_int_equal(xn_nud_stats_get(e, AF_INET, &st), 0);
	assert_int_equal(st.periodic_gc_runs, 2);	/* counted even without a scan */
	assert_int_equal(xn_nud_stats_get(e, AF_INET6, &st), 0);
	assert_int_equal(st.periodic_gc_runs, 0);
	/* the period follows the default set's base, not an interface's */
	xn_nud_parms_default(AF_INET, &p);
	p.base_reachable_time = 4 * SEC;
	assert_int_equal(xn_nud_parms_set(e, AF_INET, 2, &p), 0);
	assert_int_equal(xn_nud_gc_periodic_begin(e, AF_INET, 0, T0 + 30 * SEC, &run), 0);
	assert_int_equal(run.next_run, T0 + 45 * SEC);
	assert_int_equal(xn_nud_parms_set(e, AF_INET, 0, &p), 0);
	assert_int_equal(xn_nud_gc_periodic_begin(e, AF_INET, 0, T0 + 45 * SEC, &run), 0);
	assert_int_equal(run.next_run, T0 + 47 * SEC);
	assert_int_equal(xn_nud_gc_periodic_begin(e, 99, 0, T0, &run), -EAFNOSUPPORT);
	xn_nud_engine_free(e);
}

struct gc_row {
	const char *name;
	struct xn_neigh n;
	__u8 flags;			/* XN_NTF_* */
	__u8 dead;
	bool victim;
	__u64 used_out;
};

/* GC-2 per entry, gc_stale_time 60 s. */
static void test_gc_periodic_victims(void **state)
{
	const struct gc_row rows[] = {
		{ "STALE used 59.999 s ago: kept",
		  neigh(NUD_STALE, AGO(90000), AGO(90000), AGO(59999), 0), 0, 0, false, AGO(59999) },
		{ "STALE used 60 s ago: removed (range is half-open)",
		  neigh(NUD_STALE, AGO(90000), AGO(90000), AGO(60000), 0), 0, 0, true, AGO(60000) },
		{ "NONE unused: removed",
		  neigh(NUD_NONE, AGO(90000), AGO(90000), AGO(90000), 0), 0, 0, true, AGO(90000) },
		{ "NOARP unused: removed",
		  neigh(NUD_NOARP, AGO(90000), AGO(90000), AGO(90000), 0), 0, 0, true, AGO(90000) },
		{ "FAILED just now: removed",
		  neigh(NUD_FAILED, AGO(90000), AGO(0), AGO(0), 6), 0, 0, true, AGO(0) },
		{ "STALE used long ago, confirmed 10 s ago: used := confirmed, kept",
		  neigh(NUD_STALE, AGO(10000), AGO(90000), AGO(90000), 0), 0, 0, false, AGO(10000) },
		{ "STALE confirmed in the future: used not raised",
		  neigh(NUD_STALE, IN(10000), AGO(90000), AGO(90000), 0), 0, 0, true, AGO(90000) },
		{ "STALE used after now (raced with the snapshot): kept",
		  neigh(NUD_STALE, AGO(90000), AGO(90000), IN(1), 0), 0, 0, false, IN(1) },
		{ "PERMANENT unused: kept",
		  neigh(NUD_PERMANENT, AGO(90000), AGO(90000), AGO(90000), 0), 0, 0, false, AGO(90000) },
		{ "REACHABLE unused: kept (IN_TIMER)",
		  neigh(NUD_REACHABLE, AGO(90000), AGO(90000), AGO(90000), 0), 0, 0, false, AGO(90000) },
		{ "DELAY: kept",
		  neigh(NUD_DELAY, AGO(90000), AGO(90000), AGO(90000), 0), 0, 0, false, AGO(90000) },
		{ "PROBE: kept",
		  neigh(NUD_PROBE, AGO(90000), AGO(90000), AGO(90000), 0), 0, 0, false, AGO(90000) },
		{ "INCOMPLETE: kept",
		  neigh(NUD_INCOMPLETE, AGO(90000), AGO(90000), AGO(90000), 4), 0, 0, false, AGO(90000) },
		{ "EXT_LEARNED FAILED: kept",
		  neigh(NUD_FAILED, AGO(90000), AGO(90000), AGO(90000), 0), XN_NTF_EXT_LEARNED, 0,
		  false, AGO(90000) },
		{ "dead STALE: left to its deleter",
		  neigh(NUD_STALE, AGO(90000), AGO(90000), AGO(90000), 0), 0, 1, false, AGO(90000) },
	};
	struct xn_nud_engine *e = engine_fixed();
	struct xn_nud_key k = key4("10.1.0.2", 2);
	struct xn_nud_parms p;
	size_t i;

	for (i = 0; i < ARRAY_LEN(rows); i++) {
		struct xn_neigh n = rows[i].n;
		__u64 used = 0;
		bool v;

		n.flags = rows[i].flags;
		if (rows[i].dead)
			n.xflags = XN_NF_DEAD;
		v = xn_nud_gc_periodic_victim(e, &k, &n, NOW, &used);
		if (v != rows[i].victim || used != rows[i].used_out)
			fail_msg("%s: victim %d used %lld ms, expected %d %lld ms", rows[i].name, v,
				 rel_ms(used), rows[i].victim, rel_ms(rows[i].used_out));
	}
	/* the entry's interface's gc_stale_time */
	xn_nud_parms_default(AF_INET, &p);
	p.gc_stale_time = 1 * SEC;
	assert_int_equal(xn_nud_parms_set(e, AF_INET, 2, &p), 0);
	{
		struct xn_neigh n = neigh(NUD_STALE, AGO(90000), AGO(90000), AGO(1000), 0);
		struct xn_nud_key k3 = key4("10.1.0.2", 3);

		assert_true(xn_nud_gc_periodic_victim(e, &k, &n, NOW, NULL));
		assert_false(xn_nud_gc_periodic_victim(e, &k3, &n, NOW, NULL));
	}
	xn_nud_engine_free(e);
}

/* GC-3: when forced GC runs. */
static void test_gc_forced_trigger(void **state)
{
	struct xn_nud_engine *e = xn_nud_engine_new(NULL, T0);	/* last_flush = T0 */
	struct xn_nud_fgc run;
	struct xn_nud_stats st;

	assert_non_null(e);
	assert_false(xn_nud_gc_forced_begin(e, AF_INET, 511, T0 + 60 * SEC, &run));
	/* at gc_thresh2 only if the last complete run is more than 5 s old */
	assert_false(xn_nud_gc_forced_begin(e, AF_INET, 512, T0 + 5 * SEC, &run));
	assert_true(xn_nud_gc_forced_begin(e, AF_INET, 512, T0 + 5 * SEC + 1, &run));
	assert_int_equal(run.max_clean, 1);		/* 512 + the new one - 512 */
	assert_true(xn_nud_gc_forced_end(e, &run, T0 + 6 * SEC));	/* allowed */
	assert_false(xn_nud_gc_forced_begin(e, AF_INET, 1000, T0 + 11 * SEC, &run));
	assert_true(xn_nud_gc_forced_begin(e, AF_INET, 1000, T0 + 11 * SEC + 1, &run));
	xn_nud_gc_forced_end(e, &run, T0 + 11 * SEC + 1);
	/* at gc_thresh3 always */
	assert_true(xn_nud_gc_forced_begin(e, AF_INET, 1024, T0 + 11 * SEC + 2, &run));
	assert_int_equal(run.max_clean, 1024 + 1 - 512);
	/* nothing removed at gc_thresh3: the allocation fails (table_fulls) */
	assert_false(xn_nud_gc_forced_end(e, &run, T0 + 12 * SEC));
	/* nothing removed below gc_thresh3: allowed */
	assert_true(xn_nud_gc_forced_begin(e, AF_INET, 600, T0 + 20 * SEC, &run));
	assert_true(xn_nud_gc_forced_end(e, &run, T0 + 20 * SEC));
	assert_int_equal(xn_nud_stats_get(e, AF_INET, &st), 0);
	assert_int_equal(st.forced_gc_runs, 4);
	assert_int_equal(st.table_fulls, 1);
	assert_int_equal(xn_nud_stats_get(e, AF_INET6, &st), 0);
	assert_int_equal(st.forced_gc_runs, 0);
	xn_nud_engine_free(e);
}

/* GC-3: who goes. */
static void test_gc_forced_victims(void **state)
{
	struct xn_nud_engine *e = xn_nud_engine_new(NULL, T0);
	struct xn_nud_key k = key4("10.1.0.2", 2);
	struct xn_nud_key km4 = key4("224.0.0.5", 2), km6 = key6("ff02::5", 2);
	struct xn_nud_key ku6 = key6("2001:db8:1::2", 2);
	struct xn_nud_fgc run;
	struct xn_neigh n;

	assert_non_null(e);
	assert_true(xn_nud_gc_forced_begin(e, AF_INET, 2000, NOW, &run));
	n = neigh(NUD_FAILED, NOW, NOW, NOW, 0);
	assert_true(xn_nud_gc_forced_victim(e, &run, &k, &n));
	n.state = NUD_NOARP;
	assert_true(xn_nud_gc_forced_victim(e, &run, &k, &n));
	n.state = NUD_STALE;			/* updated now: too young */
	assert_false(xn_nud_gc_forced_victim(e, &run, &k, &n));
	assert_true(xn_nud_gc_forced_victim(e, &run, &km4, &n));	/* multicast key */
	assert_true(xn_nud_gc_forced_victim(e, &run, &km6, &n));
	assert_false(xn_nud_gc_forced_victim(e, &run, &ku6, &n));
	n.updated = AGO(5000);			/* exactly 5 s: still in range */
	assert_false(xn_nud_gc_forced_victim(e, &run, &k, &n));
	n.updated = AGO(5000) - 1;
	assert_true(xn_nud_gc_forced_victim(e, &run, &k, &n));
	/* a pending timer holds a reference (neigh_add_timer()): never a
	 * victim, however old, even with a multicast key */
	n.state = NUD_REACHABLE;
	assert_false(xn_nud_gc_forced_victim(e, &run, &k, &n));
	assert_false(xn_nud_gc_forced_victim(e, &run, &km4, &n));
	n.state = NUD_DELAY;
	assert_false(xn_nud_gc_forced_victim(e, &run, &k, &n));
	n.state = NUD_PROBE;
	assert_false(xn_nud_gc_forced_victim(e, &run, &k, &n));
	n.state = NUD_INCOMPLETE;
	assert_false(xn_nud_gc_forced_victim(e, &run, &k, &n));
	n.state = NUD_STALE;
	n.updated = IN(1);			/* after the run began: fresh */
	assert_false(xn_nud_gc_forced_victim(e, &run, &k, &n));
	n = neigh(NUD_PERMANENT, AGO(90000), AGO(90000), AGO(90000), 0);
	assert_false(xn_nud_gc_forced_victim(e, &run, &km4, &n));	/* exempt */
	n = neigh(NUD_FAILED, AGO(90000), AGO(90000), AGO(90000), 0);
	n.flags = XN_NTF_EXT_LEARNED;
	assert_false(xn_nud_gc_forced_victim(e, &run, &k, &n));
	n.flags = 0;
	n.xflags = XN_NF_DEAD;
	assert_false(xn_nud_gc_forced_victim(e, &run, &k, &n));
	xn_nud_engine_free(e);
}

/* GC-3: when the walk stops: max_clean removals (failed removals do not
 * count), even a non-positive max_clean after one candidate, and the 1 ms
 * budget checked every 16 candidates (then last_flush is not moved). */
static __u64 fake_clock(void *ctx)
{
	return *(__u64 *)ctx;
}

static void test_gc_forced_walk_limits(void **state)
{
	__u64 clk = NOW;
	struct xn_nud_engine_opts o = { .clock = fake_clock, .clock_ctx = &clk };
	struct xn_nud_engine *e = xn_nud_engine_new(&o, T0);
	struct xn_nud_thresh th = { 8, 9, 10 };
	struct xn_nud_fgc run;
	int i;

	assert_non_null(e);
	assert_int_equal(xn_nud_thresh_set(e, AF_INET, &th), 0);
	/* 10 entries + the new one - gc_thresh2 9 = 2 to clean */
	assert_true(xn_nud_gc_forced_begin(e, AF_INET, 10, NOW, &run));
	assert_int_equal(run.max_clean, 2);
	assert_true(xn_nud_gc_forced_account(e, &run, false));
	assert_true(xn_nud_gc_forced_account(e, &run, true));
	assert_true(xn_nud_gc_forced_account(e, &run, false));	/* CAS lost: not counted */
	assert_false(xn_nud_gc_forced_account(e, &run, true));
	assert_int_equal(run.shrunk, 2);
	assert_false(xn_nud_gc_forced_account(e, &run, true));	/* stays stopped */
	assert_true(xn_nud_gc_forced_end(e, &run, NOW));

	/* gc_thresh2 above gc_thresh3: max_clean <= 0, one candidate only */
	th = (struct xn_nud_thresh){ 8, 20, 10 };
	assert_int_equal(xn_nud_thresh_set(e, AF_INET, &th), 0);
	assert_true(xn_nud_gc_forced_begin(e, AF_INET, 10, NOW, &run));
	assert_true(run.max_clean <= 0);
	assert_false(xn_nud_gc_forced_account(e, &run, false));
	assert_false(xn_nud_gc_forced_end(e, &run, NOW));	/* none removed at thresh3 */

	/* the budget: 16 candidates within 1 ms go on, the 32nd after it stops;
	 * a fresh engine, whose last complete run is its creation at T0 */
	xn_nud_engine_free(e);
	e = xn_nud_engine_new(&o, T0);
	assert_non_null(e);
	th = (struct xn_nud_thresh){ 8, 9, 10 };
	assert_int_equal(xn_nud_thresh_set(e, AF_INET, &th), 0);
	assert_true(xn_nud_gc_forced_begin(e, AF_INET, 100000, NOW, &run));
	for (i = 1; i <= 15; i++)
		assert_true(xn_nud_gc_forced_account(e, &run, false));
	clk = NOW + XN_NUD_FGC_BUDGET;		/* not after tmax yet */
	assert_true(xn_nud_gc_forced_account(e, &run, false));	/* 16th */
	clk = NOW + XN_NUD_FGC_BUDGET + 1;
	for (i = 17; i <= 31; i++)
		assert_true(xn_nud_gc_forced_account(e, &run, false));
	assert_false(xn_nud_gc_forced_account(e, &run, false));	/* 32nd */
	assert_true(run.timed_out);
	assert_false(xn_nud_gc_forced_end(e, &run, NOW + 2 * MSEC));
	/* a cut-short run is not "the last forced GC": thresh2 runs again
	 * at once; a complete one holds it off for 5 s */
	th = (struct xn_nud_thresh){ 8, 9, 100 };
	assert_int_equal(xn_nud_thresh_set(e, AF_INET, &th), 0);
	assert_true(xn_nud_gc_forced_begin(e, AF_INET, 9, NOW + 3 * MSEC, &run));
	assert_true(xn_nud_gc_forced_end(e, &run, NOW + 3 * MSEC));
	assert_false(xn_nud_gc_forced_begin(e, AF_INET, 9, NOW + 4 * MSEC, &run));
	xn_nud_engine_free(e);
}

/* A small table and xneighd's two GC loops over it, for the selftest
 * scenarios. */
struct gc_ent {
	struct xn_nud_key key;
	struct xn_neigh n;
	bool alive;
};

static unsigned int gc_table_len(const struct gc_ent *t, size_t n, bool gc_only)
{
	unsigned int c = 0;
	size_t i;

	for (i = 0; i < n; i++)
		c += t[i].alive && !(gc_only && xn_nud_gc_exempt(&t[i].n, false));
	return c;
}

static void gc_periodic_pass(struct xn_nud_engine *e, struct gc_ent *t, size_t n, __u64 now)
{
	struct xn_nud_gc_run run;
	size_t i;

	assert_int_equal(xn_nud_gc_periodic_begin(e, AF_INET, gc_table_len(t, n, false), now,
						  &run), 0);
	for (i = 0; run.scan && i < n; i++)
		if (t[i].alive && xn_nud_gc_periodic_victim(e, &t[i].key, &t[i].n, now, NULL))
			t[i].alive = false;
}

/* Allocation of t[idx]: forced GC over the list in creation (= array) order. */
static bool gc_alloc(struct xn_nud_engine *e, struct gc_ent *t, size_t n, size_t idx, __u64 now)
{
	struct xn_nud_fgc run;
	size_t i;

	if (xn_nud_gc_forced_begin(e, AF_INET, gc_table_len(t, n, true), now, &run)) {
		for (i = 0; i < n; i++) {
			bool gone = false;

			if (!t[i].alive || xn_nud_gc_exempt(&t[i].n, false))
				continue;
			if (xn_nud_gc_forced_victim(e, &run, &t[i].key, &t[i].n)) {
				t[i].alive = false;		/* XN_CTL_DELETE succeeded */
				gone = true;
			}
			if (!xn_nud_gc_forced_account(e, &run, gone))
				break;
		}
		if (!xn_nud_gc_forced_end(e, &run, now))
			return false;
	}
	t[idx].alive = true;
	return true;
}

/* T-8 (test_neigh.sh) forced GC: thresh 8/9/10, an exempt entry and a
 * normal STALE one, 5 s later 20 `nud none` entries: forced_gc_runs grows,
 * the normal entry is gone, the exempt one stays. */
static void test_gc_selftest_forced(void **state)
{
	struct xn_nud_engine *e = xn_nud_engine_new(NULL, T0);
	struct xn_nud_thresh th = { 8, 9, 10 };
	struct gc_ent t[22];
	struct xn_nud_stats st;
	char a[32];
	size_t i;

	assert_non_null(e);
	assert_int_equal(xn_nud_thresh_set(e, AF_INET, &th), 0);
	memset(t, 0, sizeof(t));
	for (i = 0; i < ARRAY_LEN(t); i++) {
		snprintf(a, sizeof(a), "10.1.0.%zu", i + 10);
		t[i].key = key4(a, 2);
	}
	t[0].n = neigh(NUD_STALE, T0, T0, T0, 0);
	t[0].n.flags = XN_NTF_EXT_LEARNED;		/* stands for extern_valid */
	assert_true(gc_alloc(e, t, ARRAY_LEN(t), 0, T0));
	t[1].n = neigh(NUD_STALE, T0, T0, T0, 0);
	assert_true(gc_alloc(e, t, ARRAY_LEN(t), 1, T0));
	for (i = 2; i < ARRAY_LEN(t); i++) {
		__u64 now = T0 + 5 * SEC + i * MSEC;

		t[i].n = neigh(NUD_NONE, now - 60 * SEC, now, now, 0);
		gc_alloc(e, t, ARRAY_LEN(t), i, now);
	}
	assert_int_equal(xn_nud_stats_get(e, AF_INET, &st), 0);
	assert_true(st.forced_gc_runs > 0);
	assert_true(t[0].alive);
	assert_false(t[1].alive);
	/* young NONE entries are not victims: the table stops growing at
	 * gc_thresh3 with table_fulls, as the kernel's does */
	assert_int_equal(gc_table_len(t, ARRAY_LEN(t), true), 10);
	assert_true(st.table_fulls > 0);
	xn_nud_engine_free(e);
}

/* T-8 periodic GC: thresh1 10, base_reachable 10 s (runs every 5 s), the
 * interface's gc_stale_time 1 s, 20 more entries; after 10 s the normal
 * STALE entry is gone, the exempt one stays. */
static void test_gc_selftest_periodic(void **state)
{
	struct xn_nud_engine *e = xn_nud_engine_new(NULL, T0);
	struct xn_nud_thresh th = { 10, 512, 1024 };
	struct xn_nud_parms p;
	struct xn_nud_stats st;
	struct gc_ent t[22];
	char a[32];
	__u64 now;
	size_t i;

	assert_non_null(e);
	assert_int_equal(xn_nud_thresh_set(e, AF_INET, &th), 0);
	xn_nud_parms_default(AF_INET, &p);
	p.base_reachable_time = 10 * SEC;
	assert_int_equal(xn_nud_parms_set(e, AF_INET, 0, &p), 0);
	p.gc_stale_time = 1 * SEC;
	assert_int_equal(xn_nud_parms_set(e, AF_INET, 2, &p), 0);
	memset(t, 0, sizeof(t));
	for (i = 0; i < ARRAY_LEN(t); i++) {
		snprintf(a, sizeof(a), "10.1.0.%zu", i + 10);
		t[i].key = key4(a, 2);
		t[i].n = neigh(i < 2 ? NUD_STALE : NUD_REACHABLE, T0, T0, T0, 0);
		t[i].alive = true;
	}
	t[0].n.flags = XN_NTF_EXT_LEARNED;
	/* a run at T0 (the work was already going) puts the next one base/2
	 * later; then the daemon's loop runs it whenever due, for 10 s */
	gc_periodic_pass(e, t, ARRAY_LEN(t), T0);
	assert_true(t[1].alive);			/* used just now */
	assert_int_equal(xn_nud_gc_periodic_due(e, AF_INET), T0 + 5 * SEC);
	for (now = T0 + 100 * MSEC; now <= T0 + 10 * SEC; now += 100 * MSEC)
		if (xn_nud_gc_periodic_due(e, AF_INET) <= now)
			gc_periodic_pass(e, t, ARRAY_LEN(t), now);
	assert_int_equal(xn_nud_stats_get(e, AF_INET, &st), 0);
	assert_int_equal(st.periodic_gc_runs, 3);	/* 0, 5, 10 s */
	assert_true(t[0].alive);
	assert_false(t[1].alive);
	for (i = 2; i < ARRAY_LEN(t); i++)
		assert_true(t[i].alive);		/* REACHABLE: IN_TIMER */
	xn_nud_engine_free(e);
}

/* ---- probe sources (ARPTX-2, ND-TX4) ---------------------------------------------------- */

#define SC_U	XN_SCOPE_UNIVERSE
#define SC_L	XN_SCOPE_LINK
#define SC_H	XN_SCOPE_HOST

static struct xn_addr_rec a4(__u32 ifindex, const char *addr, __u8 plen, __u8 scope,
			     __u32 flags)
{
	struct xn_addr_rec r;

	memset(&r, 0, sizeof(r));
	r.ifindex = ifindex;
	r.local = r.address = v4(addr);
	r.prefixlen = plen;
	r.scope = scope;
	r.flags = flags;
	return r;
}

struct arp_src_row {
	const char *name;
	int announce;
	bool route_localnet;
	__u32 ifindex;
	const char *target;
	const char *hint;		/* NULL: no queued packet */
	bool hint_local;
	const char *want;
};

/* Interfaces (device order): lo 1, s1 2, s2 3, s3 4 (link scope only),
 * s4 5 (host scope only), s10 7 (host primary, universe secondary), s5 6 in
 * VRF 10, s6 11 in VRF 10, vrf 10, s7 12 and s8 13 in VRF 20 (no address on
 * vrf 20 itself), vrf 20, s9 14 in VRF 30 (nothing in that domain). */
static void test_arp_probe_source(void **state)
{
	const struct xn_addr_rec addrs[] = {
		a4(1, "127.0.0.1", 8, SC_H, 0),
		a4(2, "10.1.0.1", 24, SC_U, 0),
		a4(2, "10.1.0.9", 24, SC_U, IFA_F_SECONDARY),
		a4(2, "192.168.5.1", 24, SC_U, 0),
		a4(3, "10.2.0.1", 24, SC_U, 0),
		a4(4, "169.254.1.1", 16, SC_L, 0),
		a4(5, "127.25.3.4", 24, SC_H, 0),
		a4(10, "10.10.0.1", 32, SC_U, 0),
		a4(11, "10.11.0.1", 24, SC_U, 0),
		a4(13, "10.13.0.1", 24, SC_U, 0),
		/* a host-scope primary and a universe secondary of its prefix */
		a4(7, "10.7.0.1", 24, SC_H, 0),
		a4(7, "10.7.0.9", 24, SC_U, IFA_F_SECONDARY),
	};
	/* s6 was created before vrf 10 and enslaved later: it comes first */
	const struct xn_src_link links[] = {
		{ 1, 0 }, { 2, 0 }, { 3, 0 }, { 4, 0 }, { 5, 0 }, { 7, 0 }, { 6, 10 },
		{ 11, 10 }, { 10, 10 }, { 12, 20 }, { 13, 20 }, { 20, 20 }, { 14, 30 },
	};
	static const struct arp_src_row rows[] = {
		{ "0: a local hint, even of another interface", 0, false, 2, "10.1.0.5",
		  "10.2.0.1", true, "10.2.0.1" },
		{ "0: a hint that is not local: fallback", 0, false, 2, "10.1.0.5",
		  "10.99.0.1", false, "10.1.0.1" },
		{ "0: no hint: the primary address holding the target", 0, false, 2, "10.1.0.5",
		  NULL, false, "10.1.0.1" },
		{ "0: target in the second primary's prefix", 0, false, 2, "192.168.5.7",
		  NULL, false, "192.168.5.1" },
		{ "0: target in no prefix: the first primary", 0, false, 2, "172.16.0.1",
		  NULL, false, "10.1.0.1" },
		{ "1: local hint not on the target's subnet: fallback", 1, false, 2, "10.1.0.5",
		  "10.2.0.1", true, "10.1.0.1" },
		{ "1: local (secondary) hint on the target's subnet", 1, false, 2, "10.1.0.5",
		  "10.1.0.9", true, "10.1.0.9" },
		{ "1: on-link hint that is not local: fallback", 1, false, 2, "10.1.0.5",
		  "10.1.0.77", false, "10.1.0.1" },
		{ "1: no hint", 1, false, 2, "192.168.5.7", NULL, false, "192.168.5.1" },
		{ "2: the hint is never used", 2, false, 2, "10.1.0.5", "10.1.0.9", true,
		  "10.1.0.1" },
		{ "3 (default branch) acts as 0", 3, false, 2, "10.1.0.5", "10.2.0.1", true,
		  "10.2.0.1" },
		{ "-1 (default branch) acts as 0", -1, false, 2, "10.1.0.5", "10.2.0.1", true,
		  "10.2.0.1" },
		{ "link-scope address of the interface", 2, false, 4, "169.254.7.7", NULL, false,
		  "169.254.1.1" },
		{ "host scope only: another interface's universe address (lo's is host)", 2,
		  false, 5, "127.25.3.14", NULL, false, "10.1.0.1" },
		{ "host scope with route_localnet counts as link (T-6)", 2, true, 5,
		  "127.25.3.14", NULL, false, "127.25.3.4" },
		{ "secondaries are never chosen, even when the primary's scope is too wide",
		  2, false, 7, "10.7.0.5", NULL, false, "10.1.0.1" },
		{ "VRF slave without addresses: the VRF's own before its domain's", 2, false, 6,
		  "10.6.0.5", NULL, false, "10.10.0.1" },
		{ "VRF without addresses: the first of its domain", 2, false, 12, "10.12.0.5",
		  NULL, false, "10.13.0.1" },
		{ "nothing in the L3 domain: 0.0.0.0", 2, false, 14, "10.14.0.5", NULL, false,
		  "0.0.0.0" },
	};
	char got[INET_ADDRSTRLEN];
	size_t i;

	for (i = 0; i < ARRAY_LEN(rows); i++) {
		struct xn_arp_src_req r = {
			.ifindex = rows[i].ifindex,
			.target = v4(rows[i].target),
			.arp_announce = rows[i].announce,
			.route_localnet = rows[i].route_localnet,
			.has_hint = rows[i].hint != NULL,
			.hint_saddr = rows[i].hint ? v4(rows[i].hint) : 0,
			.hint_local = rows[i].hint_local,
			.addrs = addrs,
			.naddrs = ARRAY_LEN(addrs),
			.links = links,
			.nlinks = ARRAY_LEN(links),
		};
		__be32 s = xn_arp_probe_source(&r);

		if (s != v4(rows[i].want))
			fail_msg("%s: got %s, expected %s", rows[i].name, v4str(s, got),
				 rows[i].want);
	}
	/* without a device list: first-appearance order, no VRFs; a link-scope
	 * address of another interface is not taken */
	{
		const struct xn_addr_rec few[] = {
			a4(4, "169.254.1.1", 16, SC_L, 0),
			a4(3, "10.2.0.1", 24, SC_U, 0),
			a4(7, "10.7.0.1", 24, SC_U, 0),
		};
		struct xn_arp_src_req r = {
			.ifindex = 15, .target = v4("10.15.0.2"), .addrs = few,
			.naddrs = ARRAY_LEN(few),
		};

		assert_int_equal(xn_arp_probe_source(&r), v4("10.2.0.1"));
		r.naddrs = 1;
		assert_int_equal(xn_arp_probe_source(&r), 0);
	}
}

static struct xn_addr6_rec a6(__u32 ifindex, const char *addr, __u8 scope, __u32 flags)
{
	struct xn_addr6_rec r;

	memset(&r, 0, sizeof(r));
	r.ifindex = ifindex;
	v6(addr, r.addr);
	r.prefixlen = 64;
	r.scope = scope;
	r.flags = flags;
	return r;
}

static void expect_ns_src(const struct xn_addr6_rec *addrs, size_t n, const char *hint,
			  const char *want, const char *what)
{
	struct xn_ns_src_req r = { .ifindex = 2, .addrs = addrs, .naddrs = n };
	char got[INET6_ADDRSTRLEN];
	__u8 out[16], w[16];
	int err;

	if (hint) {
		r.has_hint = true;
		v6(hint, r.hint_saddr);
	}
	memset(out, 0, sizeof(out));
	err = xn_nd_probe_source(&r, out);
	if (!want) {
		if (err != -EADDRNOTAVAIL)
			fail_msg("%s: got %d (%s), expected no source", what, err, v6str(out, got));
		return;
	}
	v6(want, w);
	if (err || memcmp(out, w, 16))
		fail_msg("%s: got %d %s, expected %s", what, err, v6str(out, got), want);
}

/* ND-TX4. addr_list order is widest scope first, newest first within a
 * scope; ipv6_get_lladdr() walks it from the end (the oldest link-local). */
static void test_nd_probe_source(void **state)
{
	const struct xn_addr6_rec ok[] = {
		a6(2, "2001:db8:1::1", SC_U, 0),
		a6(3, "2001:db8:2::1", SC_U, 0),
		a6(2, "fe80::2", SC_L, 0),
		a6(2, "fe80::1", SC_L, 0),
		a6(3, "fe80::3:1", SC_L, 0),
	};
	const struct xn_addr6_rec tent[] = {
		a6(2, "2001:db8:1::1", SC_U, IFA_F_TENTATIVE),
		a6(2, "2001:db8:1::7", SC_U, IFA_F_OPTIMISTIC),
		a6(2, "fe80::2", SC_L, 0),
		a6(2, "fe80::1", SC_L, IFA_F_TENTATIVE),
	};
	const struct xn_addr6_rec none[] = {
		a6(2, "2001:db8:1::1", SC_U, 0),
		a6(2, "fe80::2", SC_L, IFA_F_OPTIMISTIC),
		a6(2, "fe80::1", SC_L, IFA_F_TENTATIVE),
		a6(3, "fe80::3:1", SC_L, 0),
	};
	/* not a list the kernel builds (site sorts before link); it shows that
	 * the walk gives up at a site-scope address */
	const struct xn_addr6_rec site[] = {
		a6(2, "fe80::1", SC_L, 0),
		a6(2, "fec0::1", XN_SCOPE_SITE, 0),
	};

	expect_ns_src(ok, ARRAY_LEN(ok), "2001:db8:1::1", "2001:db8:1::1",
		      "hint is an address of the interface");
	expect_ns_src(ok, ARRAY_LEN(ok), "2001:db8:2::1", "fe80::1",
		      "hint of another interface: the oldest link-local");
	expect_ns_src(ok, ARRAY_LEN(ok), "2001:db8:9::1", "fe80::1", "hint not ours");
	expect_ns_src(ok, ARRAY_LEN(ok), NULL, "fe80::1", "no hint");
	expect_ns_src(tent, ARRAY_LEN(tent), "2001:db8:1::1", "fe80::2", "tentative hint");
	expect_ns_src(tent, ARRAY_LEN(tent), "2001:db8:1::7", "fe80::2", "optimistic hint");
	expect_ns_src(tent, ARRAY_LEN(tent), NULL, "fe80::2", "tentative link-local skipped");
	expect_ns_src(none, ARRAY_LEN(none), NULL, NULL,
		      "no usable link-local on the interface: no NS");
	expect_ns_src(none, ARRAY_LEN(none), "2001:db8:1::1", "2001:db8:1::1",
		      "a usable hint still works");
	expect_ns_src(site, ARRAY_LEN(site), NULL, NULL, "site scope stops the walk");
	expect_ns_src(NULL, 0, NULL, NULL, "no addresses");
}

/* ---- the timer queue ---------------------------------------------------------------- */

static struct xn_nud_key tq_key(unsigned int i)
{
	struct xn_nud_key k;

	/* keys that differ in family, ifindex and the last address byte */
	memset(&k, 0, sizeof(k));
	k.family = (i & 1) ? AF_INET6 : AF_INET;
	k.ifindex = 1 + (i >> 1) % 7;
	k.addr[0] = 10;
	k.addr[15] = (__u8)(i >> 4);
	k.addr[3] = (__u8)i;
	return k;
}

static void test_timerq_basic(void **state)
{
	struct xn_timerq *tq = xn_tq_new(0, 42);
	struct xn_nud_key a = key4("10.1.0.2", 2), b = key6("2001:db8:1::2", 2);
	struct xn_nud_key c = key4("10.1.0.2", 3), got;
	__u64 due, tag;

	assert_non_null(tq);
	assert_int_equal(xn_tq_next_due(tq), XN_TQ_NEVER);
	assert_false(xn_tq_pop(tq, UINT64_MAX - 1, &got, NULL, NULL));
	assert_int_equal(xn_tq_set(tq, &a, 300, 1), 0);
	assert_int_equal(xn_tq_set(tq, &b, 100, 2), 0);
	assert_int_equal(xn_tq_set(tq, &c, 200, 3), 0);
	assert_int_equal(xn_tq_len(tq), 3);
	assert_int_equal(xn_tq_next_due(tq), 100);
	assert_true(xn_tq_get(tq, &c, &due, &tag));
	assert_int_equal(due, 200);
	assert_int_equal(tag, 3);
	/* re-arm: earlier, later, same key never duplicated */
	assert_int_equal(xn_tq_set(tq, &a, 50, 11), 0);
	assert_int_equal(xn_tq_len(tq), 3);
	assert_int_equal(xn_tq_next_due(tq), 50);
	assert_int_equal(xn_tq_set(tq, &a, 400, 12), 0);
	assert_int_equal(xn_tq_next_due(tq), 100);
	/* pop only what is due, earliest first */
	assert_false(xn_tq_pop(tq, 99, &got, NULL, NULL));
	assert_true(xn_tq_pop(tq, 250, &got, &due, &tag));
	assert_memory_equal(&got, &b, sizeof(got));
	assert_int_equal(due, 100);
	assert_int_equal(tag, 2);
	assert_true(xn_tq_pop(tq, 250, &got, &due, &tag));
	assert_memory_equal(&got, &c, sizeof(got));
	assert_false(xn_tq_pop(tq, 250, &got, NULL, NULL));
	assert_false(xn_tq_get(tq, &b, NULL, NULL));
	/* cancel */
	assert_true(xn_tq_del(tq, &a));
	assert_false(xn_tq_del(tq, &a));
	assert_int_equal(xn_tq_len(tq), 0);
	assert_int_equal(xn_tq_next_due(tq), XN_TQ_NEVER);
	/* slots are reused */
	assert_int_equal(xn_tq_set(tq, &c, 7, 0), 0);
	assert_true(xn_tq_pop(tq, 7, NULL, NULL, NULL));
	xn_tq_free(tq);
}

static __u64 xorshift(__u64 *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* Random operations against a plain array. */
static void test_timerq_random_vs_reference(void **state)
{
	enum { NKEYS = 600, OPS = 300000 };
	struct xn_timerq *tq = xn_tq_new(0, 7);
	static bool present[NKEYS];
	static __u64 rdue[NKEYS], rtag[NKEYS];
	struct xn_nud_key keys[NKEYS];
	__u64 s = 0x1234567;
	unsigned int i, op, n = 0;

	assert_non_null(tq);
	for (i = 0; i < NKEYS; i++)
		keys[i] = tq_key(i);
	for (op = 0; op < OPS; op++) {
		unsigned int r = (unsigned int)(xorshift(&s) % 100);
		unsigned int k = (unsigned int)(xorshift(&s) % NKEYS);
		/* few distinct due times, so ties happen */
		__u64 due = xorshift(&s) % 5000;

		if (r < 50) {
			assert_int_equal(xn_tq_set(tq, &keys[k], due, op), 0);
			n += !present[k];
			present[k] = true;
			rdue[k] = due;
			rtag[k] = op;
		} else if (r < 65) {
			assert_int_equal(xn_tq_del(tq, &keys[k]), present[k]);
			n -= present[k];
			present[k] = false;
		} else if (r < 90) {
			struct xn_nud_key got;
			__u64 gdue, gtag, min = UINT64_MAX;
			unsigned int j, idx = NKEYS;

			for (j = 0; j < NKEYS; j++)
				if (present[j] && rdue[j] < min)
					min = rdue[j];
			if (min > due) {
				assert_false(xn_tq_pop(tq, due, &got, NULL, NULL));
				continue;
			}
			assert_true(xn_tq_pop(tq, due, &got, &gdue, &gtag));
			for (j = 0; j < NKEYS; j++)
				if (present[j] && !memcmp(&keys[j], &got, sizeof(got)))
					idx = j;
			if (idx == NKEYS)
				fail_msg("op %u: popped a key that is not armed", op);
			assert_int_equal(gdue, min);		/* an earliest one */
			assert_int_equal(rdue[idx], gdue);
			assert_int_equal(rtag[idx], gtag);
			present[idx] = false;
			n--;
		} else {
			__u64 gdue, gtag;
			bool got = xn_tq_get(tq, &keys[k], &gdue, &gtag);

			assert_int_equal(got, present[k]);
			if (got) {
				assert_int_equal(gdue, rdue[k]);
				assert_int_equal(gtag, rtag[k]);
			}
		}
		assert_int_equal(xn_tq_len(tq), n);
	}
	xn_tq_free(tq);
}

/* Growth from the smallest size, then everything pops in order. */
static void test_timerq_growth_order(void **state)
{
	enum { N = 100000 };
	struct xn_timerq *tq = xn_tq_new(0, 99);
	__u64 s = 99, last = 0, due;
	struct xn_nud_key k;
	unsigned int i;

	assert_non_null(tq);
	for (i = 0; i < N; i++) {
		memset(&k, 0, sizeof(k));
		k.family = AF_INET6;
		k.ifindex = 2;
		memcpy(k.addr + 12, &i, sizeof(i));
		assert_int_equal(xn_tq_set(tq, &k, xorshift(&s) % 1000000, i), 0);
	}
	assert_int_equal(xn_tq_len(tq), N);
	for (i = 0; i < N; i++) {
		memset(&k, 0, sizeof(k));
		k.family = AF_INET6;
		k.ifindex = 2;
		memcpy(k.addr + 12, &i, sizeof(i));
		assert_true(xn_tq_get(tq, &k, NULL, NULL));
	}
	for (i = 0; i < N; i++) {
		assert_true(xn_tq_pop(tq, UINT64_MAX - 1, NULL, &due, NULL));
		assert_true(due >= last);
		last = due;
	}
	assert_int_equal(xn_tq_len(tq), 0);
	xn_tq_free(tq);
}

static double mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Not a timing assertion: prints what 1 M timers cost, and checks that a
 * second's worth of due timers comes out of 1 M without touching the rest. */
static void test_timerq_bench_1m(void **state)
{
	enum { N = 1000000 };
	struct xn_timerq *tq = xn_tq_new(0, 5);
	__u64 s = 5, due, expect_due = 0;
	struct xn_nud_key k;
	unsigned int i, popped = 0;
	double t0, t1, t2, t3;

	assert_non_null(tq);
	memset(&k, 0, sizeof(k));
	k.family = AF_INET;
	t0 = mono_s();
	for (i = 0; i < N; i++) {
		/* 10.x.y.z on 16 interfaces, due uniform over 30 s */
		k.ifindex = 1 + (i & 15);
		k.addr[0] = 10;
		k.addr[1] = (__u8)(i >> 16);
		k.addr[2] = (__u8)(i >> 8);
		k.addr[3] = (__u8)i;
		due = T0 + xorshift(&s) % (30 * SEC);
		expect_due += due < T0 + SEC;
		assert_int_equal(xn_tq_set(tq, &k, due, i), 0);
	}
	t1 = mono_s();
	while (xn_tq_pop(tq, T0 + SEC, NULL, NULL, NULL))
		popped++;
	t2 = mono_s();
	/* re-arm every remaining timer once (each gets a new due time) */
	for (i = 0; i < N; i++) {
		k.ifindex = 1 + (i & 15);
		k.addr[1] = (__u8)(i >> 16);
		k.addr[2] = (__u8)(i >> 8);
		k.addr[3] = (__u8)i;
		if (xn_tq_get(tq, &k, NULL, NULL))
			assert_int_equal(xn_tq_set(tq, &k, T0 + xorshift(&s) % (30 * SEC), i), 0);
	}
	t3 = mono_s();
	assert_int_equal(popped, expect_due);
	assert_int_equal(xn_tq_len(tq), N - popped);
	print_message("    timerq: %u inserts %.0f ns each; %u due of %u popped in %.1f ms "
		      "(%.0f ns each); %zu re-arms %.0f ns each\n",
		      N, (t1 - t0) * 1e9 / N, popped, N, (t2 - t1) * 1e3,
		      popped ? (t2 - t1) * 1e9 / popped : 0.0, xn_tq_len(tq),
		      (t3 - t2) * 1e9 / (double)N);
	xn_tq_free(tq);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_timeline_unresolved),
		cmocka_unit_test(test_timeline_used_stale_silent),
		cmocka_unit_test(test_timeline_resolve_stale),
		cmocka_unit_test(test_timeline_probe_answered),
		cmocka_unit_test(test_delay_confirmed_to_reachable),
		cmocka_unit_test(test_reachable_used_goes_delay),
		cmocka_unit_test(test_reachable_unused_goes_stale),
		cmocka_unit_test(test_reachable_kept_by_confirmation),
		cmocka_unit_test(test_incomplete_app_solicit),
		cmocka_unit_test(test_probe_app_and_resolicit),
		cmocka_unit_test(test_resolve_nothing_to_send),
		cmocka_unit_test(test_probe_without_probes_fails_at_once),
		cmocka_unit_test(test_retrans_floor),
		cmocka_unit_test(test_resolve_deferred),
		cmocka_unit_test(test_cas_race_confirm),
		cmocka_unit_test(test_restart_mid_incomplete),
		cmocka_unit_test(test_restart_mid_probe),
		cmocka_unit_test(test_restart_mid_delay),
		cmocka_unit_test(test_restart_mid_reachable),
		cmocka_unit_test(test_restart_late_no_burst),
		cmocka_unit_test(test_restart_untimed_states),
		cmocka_unit_test(test_fire_table),
		cmocka_unit_test(test_resolve_table),
		cmocka_unit_test(test_probe_kind),
		cmocka_unit_test(test_next_from_fields),
		cmocka_unit_test(test_action_ctl),
		cmocka_unit_test(test_parms_defaults_and_sysctl),
		cmocka_unit_test(test_parms_sets),
		cmocka_unit_test(test_reachable_time_random),
		cmocka_unit_test(test_reachable_time_injected_rng),
		cmocka_unit_test(test_gc_exempt_and_multicast),
		cmocka_unit_test(test_gc_periodic_run),
		cmocka_unit_test(test_gc_periodic_victims),
		cmocka_unit_test(test_gc_forced_trigger),
		cmocka_unit_test(test_gc_forced_victims),
		cmocka_unit_test(test_gc_forced_walk_limits),
		cmocka_unit_test(test_gc_selftest_forced),
		cmocka_unit_test(test_gc_selftest_periodic),
		cmocka_unit_test(test_arp_probe_source),
		cmocka_unit_test(test_nd_probe_source),
		cmocka_unit_test(test_timerq_basic),
		cmocka_unit_test(test_timerq_random_vs_reference),
		cmocka_unit_test(test_timerq_growth_order),
		cmocka_unit_test(test_timerq_bench_1m),
	};

	return cmocka_run_group_tests_name("nud_engine", tests, NULL, NULL);
}
