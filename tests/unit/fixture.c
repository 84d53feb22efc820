// SPDX-License-Identifier: GPL-2.0
/* The fixture runner: set up the maps, run the program once, compare
 * verdict, whole output frame, neighbour table, counters and events. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>
#include <bpf/bpf.h>

#include "fixture.h"
#include "snap.h"

#define XDP_DROP_RC		1
#define XDP_PASS_RC		2
#define XDP_TX_RC		3
#define TC_ACT_OK_RC		0
#define TC_ACT_SHOT_RC		2
#define TC_ACT_REDIRECT_RC	7

/* ---- labs shared by the tests of one binary -------------------------------- */

static int lab_state = 1;		/* 1: not tried, 0: ready, <0: -errno */
static struct lab main_lab;
static struct {
	uint32_t neigh_max;
	struct lab lab;
	int state;
} small_labs[4];

static int lab_ready(void)
{
	if (lab_state == 1) {
		lab_state = lab_netns();
		if (!lab_state)
			lab_state = lab_open(&main_lab, 0);
	}
	return lab_state;
}

struct lab *fx_lab(void)
{
	return lab_ready() ? NULL : &main_lab;
}

static struct lab *lab_for(uint32_t neigh_max, int *err)
{
	*err = lab_ready();
	if (*err || !neigh_max)
		return *err ? NULL : &main_lab;
	for (size_t i = 0; i < sizeof(small_labs) / sizeof(small_labs[0]); i++) {
		if (small_labs[i].neigh_max == neigh_max) {
			*err = small_labs[i].state;
			return *err ? NULL : &small_labs[i].lab;
		}
		if (!small_labs[i].neigh_max) {
			small_labs[i].neigh_max = neigh_max;
			small_labs[i].state = lab_open(&small_labs[i].lab, neigh_max);
			*err = small_labs[i].state;
			return *err ? NULL : &small_labs[i].lab;
		}
	}
	*err = -ENOSPC;
	return NULL;
}

/* A lab that cannot be built for lack of privileges is a skip; anything
 * else (the skeleton does not load, a command fails) is a failure. */
static void lab_unavailable(int err)
{
	if (err == -EPERM || err == -EACCES) {
		fprintf(stderr, "    lab unavailable (%s): needs root with CAP_SYS_ADMIN/CAP_BPF/CAP_NET_ADMIN\n",
			strerror(-err));
		skip();
	}
	fail_msg("lab setup failed: %s", strerror(-err));
}

/* ---- helpers ------------------------------------------------------------------ */

static const char *state_name(uint8_t s)
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
	default: return "?";
	}
}

static const char *ev_name(uint8_t t)
{
	switch (t) {
	case XN_EV_CREATED: return "CREATED";
	case XN_EV_STATE: return "STATE";
	case XN_EV_LLADDR: return "LLADDR";
	case XN_EV_CONFLICT: return "CONFLICT";
	case XN_EV_TABLE_FULL: return "TABLE_FULL";
	case XN_EV_DELETED: return "DELETED";
	case XN_EV_DAD_CONFLICT: return "DAD_CONFLICT";
	default: return "?";
	}
}

struct run_ctx {
	const struct fixture *fx;
	enum fx_prog prog;		/* FX_XDP, FX_TC_IN, FX_TC_OUT or FX_CTL */
	struct lab *l;
	int fails;
	uint64_t t0, t1;		/* CLOCK_MONOTONIC around the run */
	uint64_t two_base;		/* 2 * base_reachable_time of xr0, ns (IPv4) */
	uint64_t two_base6;		/* the same for IPv6 (net.ipv6.neigh.xr0) */
	uint64_t cur_two_base;		/* the one of the entry being checked */
	uint64_t pre_now;		/* time the .pre entries were aged from */
};

static void failf(struct run_ctx *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void failf(struct run_ctx *r, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "    FAIL: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	r->fails++;
}

static __u32 dev_ifindex(const struct lab *l, enum lab_dev d)
{
	if (d == DEV_ANY)
		return 0;
	return l->ifindex[d];
}

static const char *prog_name(enum fx_prog p)
{
	switch (p) {
	case FX_XDP: return "xdp";
	case FX_TC_IN: return "tc";
	case FX_TC_OUT: return "tc-out";
	case FX_CTL: return "ctl";
	default: return "rx";
	}
}

static void check_time(struct run_ctx *r, const char *ip, const char *field, enum fx_time want,
		       uint64_t got, uint64_t before)
{
	switch (want) {
	case T_ANY:
	case T_AUTO:
		return;
	case T_KEEP:
		if (got != before)
			failf(r, "entry %s: %s changed (was %llu, now %llu; expected unchanged)", ip, field,
			      (unsigned long long)before, (unsigned long long)got);
		return;
	case T_NOW:
		if (got < r->t0 || got > r->t1)
			failf(r, "entry %s: %s = %llu is not within the run [%llu, %llu] (was %llu)", ip,
			      field, (unsigned long long)got, (unsigned long long)r->t0,
			      (unsigned long long)r->t1, (unsigned long long)before);
		return;
	case T_NOTCONF:
		if (got < r->t0 - r->cur_two_base || got > r->t1 - r->cur_two_base)
			failf(r, "entry %s: %s = %llu is not now - 2*base_reachable (within [%llu, %llu])",
			      ip, field, (unsigned long long)got,
			      (unsigned long long)(r->t0 - r->cur_two_base),
			      (unsigned long long)(r->t1 - r->cur_two_base));
		return;
	}
}

static bool zero16(const uint8_t *a)
{
	static const uint8_t z[16];

	return !memcmp(a, z, 16);
}

/* List ends: an entry without an IPv4 and without an IPv6 address. */
static bool pre_used(const struct fx_pre *p) { return p->ip || !zero16(p->ip6); }
static bool post_used(const struct fx_post *p) { return p->ip || !zero16(p->ip6); }
static bool proxy_used(const struct fx_proxy *p) { return p->ip || !zero16(p->ip6); }

/* A neighbour key of either family: ip6 == NULL for IPv4. */
static bool key_match(uint32_t ip, const uint8_t *ip6, uint32_t want_ip, const uint8_t *want_ip6)
{
	if (ip6)
		return !zero16(want_ip6) && !memcmp(ip6, want_ip6, 16);
	return zero16(want_ip6) && ip == want_ip;
}

static const char *addr_str(uint32_t ip, const uint8_t *ip6)
{
	return ip6 && !zero16(ip6) ? pkt_ip6_str(ip6) : pkt_ip_str(ip);
}

static const struct fx_pre *find_pre(const struct fixture *fx, __u32 ifindex, uint32_t ip,
				     const uint8_t *ip6, const struct lab *l)
{
	for (int i = 0; i < FX_MAX_ENT && pre_used(&fx->pre[i]); i++)
		if (key_match(ip, ip6, fx->pre[i].ip, fx->pre[i].ip6) &&
		    dev_ifindex(l, fx->pre[i].dev) == ifindex)
			return &fx->pre[i];
	return NULL;
}

static const struct fx_post *find_post(const struct fixture *fx, __u32 ifindex, uint32_t ip,
				       const uint8_t *ip6, const struct lab *l)
{
	for (int i = 0; i < FX_MAX_ENT && post_used(&fx->post[i]); i++)
		if (key_match(ip, ip6, fx->post[i].ip, fx->post[i].ip6) &&
		    dev_ifindex(l, fx->post[i].dev) == ifindex)
			return &fx->post[i];
	return NULL;
}

static void pre_value(const struct run_ctx *r, const struct fx_pre *p, struct xn_neigh *v)
{
	uint64_t age = (p->age_ms ? p->age_ms : 60000) * 1000000ull;

	memset(v, 0, sizeof(*v));
	v->state = p->state;
	v->flags = p->flags;
	memcpy(v->lladdr, p->mac, 6);
	v->gen = p->gen;
	v->xflags = p->xflags;
	v->updated = r->pre_now - age;
	v->confirmed = r->pre_now - age;
	v->used = r->pre_now - age;
}

/* One entry of the table after the run against its expectation. */
static void check_entry(struct run_ctx *r, const struct fx_post *p, const struct fx_pre *q,
			const struct xn_neigh *got)
{
	const char *ip = addr_str(p->ip, p->ip6);
	struct xn_neigh before = {};
	bool changed, connected;
	uint32_t want_gen, want_xflags;
	enum fx_time t;

	r->cur_two_base = zero16(p->ip6) ? r->two_base : r->two_base6;
	if (q)
		pre_value(r, q, &before);
	if (got->state != p->state)
		failf(r, "entry %s: state %s (0x%02x), expected %s (0x%02x)", ip,
		      state_name(got->state), got->state, state_name(p->state), p->state);
	if (memcmp(got->lladdr, p->mac, 6))
		failf(r, "entry %s: lladdr %s, expected %s", ip, pkt_mac_str(got->lladdr),
		      pkt_mac_str(p->mac));
	if (got->flags != p->flags)
		failf(r, "entry %s: flags 0x%02x, expected 0x%02x", ip, got->flags, p->flags);

	/* `changed` (state or lladdr) drives the time stamps (NUD-8.9); gen
	 * moves with every change the kernel notifies, flags included */
	changed = !q || q->state != p->state || memcmp(q->mac, p->mac, 6);
	want_gen = p->gen ? p->gen :
		   q ? q->gen + ((changed || q->flags != p->flags) ? 1 : 0) : 1;
	if (got->gen != want_gen)
		failf(r, "entry %s: gen %u, expected %u", ip, got->gen, want_gen);

	want_xflags = p->xflags_set ? p->xflags :
		      q ? q->xflags : (r->prog == FX_CTL ? 0 : XN_NF_CREATED_BY_DP);
	if (got->xflags != want_xflags)
		failf(r, "entry %s: xflags 0x%x, expected 0x%x", ip, got->xflags, want_xflags);

	connected = p->state & XN_NUD_CONNECTED;

	/* updated: NUD-8.9, moves only on a real change (creation included) */
	t = p->updated != T_AUTO ? p->updated : changed ? T_NOW : T_KEEP;
	check_time(r, ip, "updated", t, got->updated, before.updated);
	/* confirmed: NUD-8.7 (CONNECTED target -> now), NUD-8.11/NUD-11 */
	if (p->confirmed != T_AUTO)
		t = p->confirmed;
	else if (!changed)
		t = T_KEEP;
	else if (connected)
		t = T_NOW;
	else if (!q || memcmp(q->mac, p->mac, 6))
		t = T_NOTCONF;
	else
		t = T_KEEP;
	check_time(r, ip, "confirmed", t, got->confirmed, before.confirmed);
	/* used: set at creation (neigh_alloc), by transmission, and pulled up to
	 * `confirmed` when a state change arms the timer (neigh_add_timer()):
	 * entering REACHABLE confirms now, so used becomes now */
	t = p->used != T_AUTO ? p->used : q ? T_KEEP : T_NOW;
	if (p->used == T_AUTO && q && q->state != p->state && (p->state & NUD_REACHABLE))
		t = T_NOW;
	check_time(r, ip, "used", t, got->used, before.used);
}

/* One table (xn_neigh4 or xn_neigh6) against the fixture's expectations. */
static void check_table_one(struct run_ctx *r, bool v6, int *seen)
{
	const struct fixture *fx = r->fx;
	struct lab *l = r->l;
	int fd = v6 ? l->fd_neigh6 : l->fd_neigh4;
	union {
		struct xn_neigh4_key k4;
		struct xn_neigh6_key k6;
	} k, next;
	void *prev = NULL;

	while (bpf_map_get_next_key(fd, prev, &next) == 0) {
		__u32 ifindex = v6 ? next.k6.ifindex : next.k4.ifindex;
		uint32_t ip = v6 ? 0 : ntohl(next.k4.addr);
		const uint8_t *ip6;
		const struct fx_post *p;
		const struct fx_pre *q;
		struct xn_neigh got;
		const char *as;

		k = next;
		prev = &k;
		ip6 = v6 ? k.k6.addr : NULL;
		as = addr_str(ip, ip6);
		p = find_post(fx, ifindex, ip, ip6, l);
		q = find_pre(fx, ifindex, ip, ip6, l);
		if (bpf_map_lookup_elem_flags(fd, &k, &got, BPF_F_LOCK)) {
			failf(r, "entry %s ifindex %u: lookup with BPF_F_LOCK: %s", as, ifindex,
			      strerror(errno));
			continue;
		}
		if (p && p->absent) {
			failf(r, "entry %s ifindex %u exists (%s %s) but must not", as, ifindex,
			      state_name(got.state), pkt_mac_str(got.lladdr));
			continue;
		}
		if (p) {
			seen[p - fx->post] = 1;
			check_entry(r, p, q, &got);
			continue;
		}
		if (q) {
			/* not mentioned in .post: must be untouched */
			struct xn_neigh want;

			pre_value(r, q, &want);
			got.lock.val = 0;
			if (memcmp(&got, &want, sizeof(got)))
				failf(r, "entry %s: changed but must be untouched: state %s lladdr %s gen %u updated %llu (was %s %s gen %u updated %llu)",
				      as, state_name(got.state), pkt_mac_str(got.lladdr),
				      got.gen, (unsigned long long)got.updated, state_name(want.state),
				      pkt_mac_str(want.lladdr), want.gen,
				      (unsigned long long)want.updated);
			continue;
		}
		failf(r, "unexpected entry %s ifindex %u: %s lladdr %s gen %u xflags 0x%x", as,
		      ifindex, state_name(got.state), pkt_mac_str(got.lladdr), got.gen, got.xflags);
	}
}

static void check_table(struct run_ctx *r)
{
	const struct fixture *fx = r->fx;
	int seen[FX_MAX_ENT] = { 0 };

	check_table_one(r, false, seen);
	check_table_one(r, true, seen);
	for (int i = 0; i < FX_MAX_ENT && post_used(&fx->post[i]); i++) {
		if (!fx->post[i].absent && !seen[i])
			failf(r, "entry %s (ifindex %u) missing: expected %s lladdr %s",
			      addr_str(fx->post[i].ip, fx->post[i].ip6),
			      dev_ifindex(r->l, fx->post[i].dev), state_name(fx->post[i].state),
			      pkt_mac_str(fx->post[i].mac));
	}
}

static void check_slot(struct run_ctx *r, __u32 slot, const struct fx_ctr *ctr)
{
	uint64_t want[XN_STAT__COUNT] = { 0 };
	struct xn_stats got;

	for (int i = 0; i < FX_MAX_CTR && ctr[i].idx1; i++)
		want[ctr[i].idx1 - 1] += ctr[i].val;
	if (lab_stats_sum(r->l, slot, &got)) {
		failf(r, "cannot read xn_stats[%u]", slot);
		return;
	}
	for (int i = 0; i < XN_STAT__COUNT; i++)
		if (lab_stat(&got, i) != want[i])
			failf(r, "%s counter %s = %llu, expected %llu", slot == XN_FAM_ND ? "IPv6" : "ARP",
			      lab_stat_name(i), (unsigned long long)lab_stat(&got, i),
			      (unsigned long long)want[i]);
}

/* Both slots, exactly: a frame of one family must not move the other's. */
static void check_counters(struct run_ctx *r)
{
	check_slot(r, XN_FAM_ARP, r->fx->ctr);
	check_slot(r, XN_FAM_ND, r->fx->ctr6);
}

static void print_event(const char *pfx, const struct xn_event *e)
{
	uint32_t ip;

	memcpy(&ip, e->addr, 4);
	fprintf(stderr, "      %s %s ifindex %u family %u %s old %s(0x%02x) new %s(0x%02x) old_ll %s new_ll %s flags 0x%02x\n",
		pfx, ev_name(e->type), e->ifindex, e->family,
		e->family == AF_INET6 ? pkt_ip6_str(e->addr) : pkt_ip_str(ntohl(ip)),
		state_name(e->old_state), e->old_state, state_name(e->new_state), e->new_state,
		pkt_mac_str(e->old_lladdr), pkt_mac_str(e->new_lladdr), e->flags);
}

static void check_events(struct run_ctx *r)
{
	const struct fixture *fx = r->fx;
	struct lab *l = r->l;
	int nwant = 0, bad = 0;

	lab_events_drain(l);
	while (nwant < FX_MAX_EV && fx->ev[nwant].type)
		nwant++;
	if (l->nev != nwant || l->ev_overflow)
		bad = 1;
	for (int i = 0; !bad && i < nwant; i++) {
		const struct fx_ev *w = &fx->ev[i];
		const struct xn_event *e = &l->ev[i];
		bool v6 = !zero16(w->ip6);
		uint32_t ip;

		memcpy(&ip, e->addr, 4);
		if (e->type != w->type || e->family != (v6 ? AF_INET6 : AF_INET) ||
		    e->ifindex != dev_ifindex(l, w->dev) || e->ts < r->t0 || e->ts > r->t1)
			bad = 1;
		if (v6 ? memcmp(e->addr, w->ip6, 16) != 0 : ntohl(ip) != w->ip)
			bad = 1;
		for (int b = 4; !v6 && b < 16; b++)
			if (e->addr[b])
				bad = 1;
		switch (w->type) {
		case XN_EV_CREATED:
			if (e->new_state != w->new_state || memcmp(e->new_lladdr, w->new_mac, 6) ||
			    e->old_state != NUD_NONE)
				bad = 1;
			break;
		case XN_EV_STATE:
		case XN_EV_LLADDR:
			if (e->old_state != w->old_state || e->new_state != w->new_state ||
			    memcmp(e->old_lladdr, w->old_mac, 6) || memcmp(e->new_lladdr, w->new_mac, 6))
				bad = 1;
			break;
		case XN_EV_CONFLICT:
		case XN_EV_DAD_CONFLICT:
		case XN_EV_TABLE_FULL:
			/* the claimant's / requester's MAC */
			if (memcmp(e->new_lladdr, w->new_mac, 6))
				bad = 1;
			break;
		}
	}
	if (!bad)
		return;
	failf(r, "events differ: expected %d, got %d%s", nwant, l->nev,
	      l->ev_overflow ? " (and more that overflowed)" : "");
	for (int i = 0; i < nwant; i++) {
		struct xn_event e = {};
		uint32_t ip = htonl(fx->ev[i].ip);

		e.type = fx->ev[i].type;
		e.ifindex = dev_ifindex(l, fx->ev[i].dev);
		e.family = zero16(fx->ev[i].ip6) ? AF_INET : AF_INET6;
		e.old_state = fx->ev[i].old_state;
		e.new_state = fx->ev[i].new_state;
		if (e.family == AF_INET6)
			memcpy(e.addr, fx->ev[i].ip6, 16);
		else
			memcpy(e.addr, &ip, 4);
		memcpy(e.old_lladdr, fx->ev[i].old_mac, 6);
		memcpy(e.new_lladdr, fx->ev[i].new_mac, 6);
		print_event("expected", &e);
	}
	for (int i = 0; i < l->nev; i++)
		print_event("got     ", &l->ev[i]);
}

/* ---- one test ------------------------------------------------------------------- */

struct fx_test {
	const struct fixture *fx;
	enum fx_prog prog;
	char name[200];
};

static bool ip6_set(const uint8_t *a)
{
	for (int i = 0; i < 16; i++)
		if (a[i])
			return true;
	return false;
}

static void ctr_add(struct fx_ctr *c, int idx, uint64_t v)
{
	for (int i = 0; i < FX_MAX_CTR; i++) {
		if (c[i].idx1 == idx + 1) {
			c[i].val += v;
			return;
		}
		if (!c[i].idx1) {
			c[i].idx1 = idx + 1;
			c[i].val = v;
			return;
		}
	}
}

/* NUD-3 on an answered NS (found by the differential suite against 6.18):
 * the kernel's NA leaves through the solicitor's neighbour entry
 * (ndisc_send_skb -> ip6_finish_output2 -> neigh_output ->
 * __neigh_event_send), so after the NS's learning step a STALE entry moves
 * to DELAY (updated and used now, one more gen, a STATE event, tx_used and
 * tx_stale_to_delay), and a DELAY/PROBE entry gets used = now (tx_used).
 * The fixtures state the learning step; this adds the transmit step to
 * every fixture whose NS is answered with a unicast NA. */
static const struct fixture *nd_answer_tx(const struct fixture *fx, enum fx_prog prog,
					  struct fixture *adj)
{
	const struct fx_pre *q = NULL;
	struct fx_post *p = NULL;
	bool changed;
	int e;

	if ((prog != FX_XDP && prog != FX_TC_IN) || fx->verdict != V_TX ||
	    fx->in.kind != PKT_ND || fx->in.icmp_type != 135 || !ip6_set(fx->in.src6))
		return fx;
	*adj = *fx;
	for (int i = 0; i < FX_MAX_ENT; i++) {
		if (!adj->post[i].ip && !ip6_set(adj->post[i].ip6))
			break;
		if (!memcmp(adj->post[i].ip6, fx->in.src6, 16) && !adj->post[i].absent &&
		    adj->post[i].dev == fx->in_dev)
			p = &adj->post[i];
	}
	for (int i = 0; i < FX_MAX_ENT; i++)
		if (ip6_set(fx->pre[i].ip6) && !memcmp(fx->pre[i].ip6, fx->in.src6, 16) &&
		    fx->pre[i].dev == fx->in_dev)
			q = &fx->pre[i];
	if (!p && q) {
		/* the fixture leaves the entry untouched by the NS: state it */
		for (int i = 0; i < FX_MAX_ENT && !p; i++) {
			if (adj->post[i].ip || ip6_set(adj->post[i].ip6))
				continue;
			p = &adj->post[i];
			memset(p, 0, sizeof(*p));
			memcpy(p->ip6, q->ip6, 16);
			p->dev = q->dev;
			p->state = q->state;
			memcpy(p->mac, q->mac, 6);
			p->flags = q->flags;
			p->xflags_set = true;
			p->xflags = q->xflags;
			p->updated = p->confirmed = p->used = T_KEEP;
		}
	}
	if (!p)
		return fx;
	if (p->state == NUD_STALE) {
		changed = !q || q->state != p->state || memcmp(q->mac, p->mac, 6) ||
			  q->flags != p->flags;
		if (!p->gen)
			p->gen = q ? q->gen + (changed ? 1 : 0) : 1;
		p->gen++;
		p->state = NUD_DELAY;
		p->updated = T_NOW;
		p->used = T_NOW;
		if (p->confirmed == T_AUTO)
			p->confirmed = !q || memcmp(q->mac, p->mac, 6) ? T_NOTCONF : T_KEEP;
		ctr_add(adj->ctr6, XN_STAT_tx_used, 1);
		ctr_add(adj->ctr6, XN_STAT_tx_stale_to_delay, 1);
		for (e = 0; e < FX_MAX_EV && adj->ev[e].type; e++)
			;
		if (e < FX_MAX_EV) {
			adj->ev[e].type = XN_EV_STATE;
			adj->ev[e].dev = fx->in_dev;
			adj->ev[e].old_state = NUD_STALE;
			adj->ev[e].new_state = NUD_DELAY;
			memcpy(adj->ev[e].old_mac, p->mac, 6);
			memcpy(adj->ev[e].new_mac, p->mac, 6);
			memcpy(adj->ev[e].ip6, fx->in.src6, 16);
		}
	} else if (p->state == NUD_DELAY || p->state == NUD_PROBE) {
		p->used = T_NOW;
		ctr_add(adj->ctr6, XN_STAT_tx_used, 1);
	} else {
		return fx;
	}
	return adj;
}

/* FX_SNAP_STALE: save the snapshot now published (save), or install it
 * again over the one lab_apply() published since. */
static int fx_snap_keep(struct lab *l, bool save)
{
	static struct xn_snapshot kept;
	int err = 0;

	if (save)
		err = xn_snap_build(l->fd_ifconf, l->fd_local4, &kept);
	else
		err = xn_snap_install(l->fd_snap, &kept, NULL);
	return err;
}

/* FX_SNAP_SLOTS_TAKEN: a snapshot of the maps in which every slot of the
 * lab's interfaces holds another interface, with settings that would be
 * wrong for them (a MAC of all ones, answering nothing), and every address
 * bucket two other addresses (240.0.0.0/4, never in a fixture frame). */
static int fx_snap_slots_taken(struct lab *l)
{
	static struct xn_snapshot snap;
	int err = xn_snap_build(l->fd_ifconf, l->fd_local4, &snap);

	if (err)
		return err;
	for (int d = 0; d < DEV__COUNT; d++) {
		struct xn_snap_if *e = &snap.ifs[l->ifindex[d] & (XN_SNAP_IF_SLOTS - 1)];

		e->ifindex = l->ifindex[d] + XN_SNAP_IF_SLOTS;
		memset(&e->conf, 0xff, sizeof(e->conf));
		e->conf.arp_ignore = 8;
	}
	for (__u32 i = 0; i < XN_SNAP_L4_BUCKETS * 2; i++) {
		snap.l4[i].addr = htonl(0xf0000000u | i);
		snap.l4[i].v.type = XN_RTN_LOCAL;
	}
	snap.flags = 0;
	return xn_snap_install(l->fd_snap, &snap, NULL);
}

static void fx_test(void **state)
{
	struct fx_test *t = *state;
	static struct fixture adjusted;
	const struct fixture *fx = nd_answer_tx(t->fx, t->prog, &adjusted);
	struct run_ctx r = { .fx = fx, .prog = t->prog };
	struct xn_ifconf rx, ox;
	uint8_t in[PKT_MAX], out[PKT_MAX], want[PKT_MAX + 64];
	size_t out_len = sizeof(out);
	int in_len = 0, want_len, err;
	__u32 retval = 0, want_rc = 0;
	struct lab *l;

	if (fx->skip) {
		fprintf(stderr, "    SKIP %s: %s\n", t->name, fx->skip);
		skip();
	}
	l = lab_for(fx->neigh_max, &err);
	if (!l)
		lab_unavailable(err);
	r.l = l;

	/* setup: maps exactly as xneighd would write them */
	assert_int_equal(lab_reset(l), 0);
	lab_ifconf_default(l, DEV_RX, &rx);
	lab_ifconf_default(l, DEV_OX, &ox);
	if (lab_ifconf_parse(fx->rx, &rx) || lab_ifconf_parse(fx->ox, &ox))
		fail_msg("%s: bad settings string", t->name);
	if (fx->snap == FX_SNAP_STALE) {
		/* the snapshot of the default settings, then the fixture's */
		struct xn_ifconf drx, dox;

		lab_ifconf_default(l, DEV_RX, &drx);
		lab_ifconf_default(l, DEV_OX, &dox);
		assert_int_equal(lab_apply(l, &drx, &dox), 0);
		assert_int_equal(fx_snap_keep(l, true), 0);
	}
	assert_int_equal(lab_apply(l, fx->rx_none ? NULL : &rx, &ox), 0);
	if (fx->snap == FX_SNAP_STALE) {
		if (fx->rx_none)	/* the snapshot's xr0 entry is gone from the map */
			assert_int_equal(bpf_map_delete_elem(l->fd_ifconf, &l->ifindex[DEV_RX]), 0);
		assert_int_equal(fx_snap_keep(l, false), 0);
	}
	if (fx->snap == FX_SNAP_SLOTS_TAKEN)
		assert_int_equal(fx_snap_slots_taken(l), 0);
	if (fx->local4f != FX_L4F_SYNCED) {
		struct xn_local4_filter f = { .valid = fx->local4f == FX_L4F_EMPTY };
		__u32 slot = 0;

		assert_int_equal(bpf_map_update_elem(l->fd_local4f, &slot, &f, BPF_ANY), 0);
		/* the filter is read only without a snapshot that holds every
		 * local address */
		assert_int_equal(xn_snap_withdraw(l->fd_snap), 0);
	}
	r.two_base = 2ull * rx.base_reachable_ms * 1000000ull;
	/* without an xn_ifconf entry the data plane uses the kernel default */
	r.two_base6 = 2ull * (fx->rx_none ? XN_DEFAULT_BASE_REACHABLE_MS : rx.base_reachable6_ms) *
		      1000000ull;
	for (int i = 0; i < FX_MAX_PROXY && proxy_used(&fx->proxy[i]); i++) {
		const struct fx_proxy *px = &fx->proxy[i];

		if (zero16(px->ip6))
			assert_int_equal(lab_proxy_add(l, dev_ifindex(l, px->dev), px->ip), 0);
		else
			assert_int_equal(lab_proxy6_add(l, dev_ifindex(l, px->dev), px->ip6, px->flags), 0);
	}
	for (int i = 0; i < FX_MAX_ADDR6 && !zero16(fx->addr6[i].addr); i++) {
		const struct fx_addr6 *a = &fx->addr6[i];

		assert_int_equal(lab_addr6_put(l, dev_ifindex(l, a->dev), a->addr, a->flags, a->plen,
					       a->scope), 0);
	}
	r.pre_now = lab_now_ns();
	for (int i = 0; i < FX_MAX_ENT && pre_used(&fx->pre[i]); i++) {
		const struct fx_pre *q = &fx->pre[i];
		struct xn_neigh v;

		pre_value(&r, q, &v);
		if (zero16(q->ip6))
			assert_int_equal(lab_neigh_put(l, dev_ifindex(l, q->dev), q->ip, &v), 0);
		else
			assert_int_equal(lab_neigh6_put(l, dev_ifindex(l, q->dev), q->ip6, &v), 0);
	}
	if (fx->neigh_limit) {
		struct xn_global g;
		__u32 zero = 0;

		assert_int_equal(bpf_map_lookup_elem(l->fd_global, &zero, &g), 0);
		g.neigh_limit[0] = g.neigh_limit[1] = fx->neigh_limit;
		assert_int_equal(bpf_map_update_elem(l->fd_global, &zero, &g, BPF_ANY), 0);
	}
	lab_events_drain(l);
	l->nev = 0;
	l->ev_overflow = 0;

	if (t->prog != FX_CTL) {
		in_len = pkt_build(&fx->in, in, sizeof(in));
		if (in_len < 0)
			fail_msg("%s: input frame cannot be built", t->name);
	}

	/* the run: exactly one execution of the program */
	r.t0 = lab_now_ns();
	switch (t->prog) {
	case FX_XDP:
		err = lab_run_xdp(l, dev_ifindex(l, fx->in_dev), in, (size_t)in_len, out, &out_len, &retval);
		want_rc = fx->verdict == V_TX ? XDP_TX_RC : fx->verdict == V_DROP ? XDP_DROP_RC :
			  XDP_PASS_RC;
		break;
	case FX_TC_IN:
		err = lab_run_tc(l, l->prog_tc_in, dev_ifindex(l, fx->in_dev), in, (size_t)in_len, out,
				 &out_len, &retval);
		want_rc = fx->verdict == V_TX ? TC_ACT_REDIRECT_RC :
			  fx->verdict == V_DROP ? TC_ACT_SHOT_RC : TC_ACT_OK_RC;
		break;
	case FX_TC_OUT:
		err = lab_run_tc(l, l->prog_tc_out, dev_ifindex(l, fx->in_dev), in, (size_t)in_len, out,
				 &out_len, &retval);
		want_rc = TC_ACT_OK_RC;
		break;
	case FX_CTL: {
		struct xn_ctl_req req = fx->ctl;
		uint32_t a = htonl(fx->ctl_ip);

		memcpy(req.addr, &a, 4);
		if (!req.ifindex)
			req.ifindex = dev_ifindex(l, DEV_RX);
		err = lab_run_ctl(l, &req, &retval);
		want_rc = 0;
		if (!err) {
			if (req.result != fx->ctl_result || req.old_state != fx->ctl_old ||
			    req.new_state != fx->ctl_new || req.changed != fx->ctl_changed)
				failf(&r, "xn_ctl output: result %d old %s new %s changed %u; expected result %d old %s new %s changed %u",
				      req.result, state_name(req.old_state), state_name(req.new_state),
				      req.changed, fx->ctl_result, state_name(fx->ctl_old),
				      state_name(fx->ctl_new), fx->ctl_changed);
		}
		break;
	}
	default:
		fail_msg("bad program kind");
	}
	r.t1 = lab_now_ns();
	if (err)
		fail_msg("%s: bpf_prog_test_run_opts: %s", t->name, strerror(-err));

	if (retval != want_rc)
		failf(&r, "verdict %u, expected %u (%s)", retval, want_rc,
		      fx->verdict == V_TX ? "reply sent" : fx->verdict == V_DROP ? "drop" : "pass");

	if (t->prog != FX_CTL) {
		if (fx->verdict == V_TX) {
			want_len = pkt_build(&fx->out, want, sizeof(want));
			if (want_len < 0)
				fail_msg("%s: expected frame cannot be built", t->name);
		} else {
			memcpy(want, in, (size_t)in_len);
			want_len = in_len;
		}
		if (!pkt_equal("output frame", want, (size_t)want_len, out, out_len))
			r.fails++;
		/* every ICMPv6 frame a program sends: checksum checked independently */
		if ((t->prog == FX_XDP && retval == XDP_TX_RC) ||
		    (t->prog == FX_TC_IN && retval == TC_ACT_REDIRECT_RC)) {
			char why[160];

			if (pkt_icmp6_csum_check(out, out_len, why, sizeof(why)) < 0)
				failf(&r, "sent frame: %s", why);
		}
	}
	check_table(&r);
	check_counters(&r);
	check_events(&r);
	if (r.fails) {
		fprintf(stderr, "    case: [%s] %s (%s)\n", fx->rule, fx->name, prog_name(t->prog));
		if (t->prog != FX_CTL)
			pkt_hexdump("input frame", in, (size_t)in_len);
		fail_msg("%d check(s) failed", r.fails);
	}
}

int fx_run_table(const char *group, const struct fixture *fx, int n)
{
	struct CMUnitTest *tests;
	struct fx_test *ts;
	char hash_group[256];
	int k = 0, rc;

	tests = calloc((size_t)n * 2, sizeof(*tests));
	ts = calloc((size_t)n * 2, sizeof(*ts));
	if (!tests || !ts) {
		fprintf(stderr, "%s: out of memory\n", group);
		free(tests);
		free(ts);
		return 1;
	}
	for (int i = 0; i < n; i++) {
		enum fx_prog progs[2];
		int np = 0;

		if (fx[i].prog == FX_RX) {
			progs[np++] = FX_XDP;
			progs[np++] = FX_TC_IN;
		} else {
			progs[np++] = fx[i].prog;
		}
		for (int j = 0; j < np; j++) {
			ts[k].fx = &fx[i];
			ts[k].prog = progs[j];
			snprintf(ts[k].name, sizeof(ts[k].name), "%s: [%s] %s", prog_name(progs[j]),
				 fx[i].rule, fx[i].name);
			tests[k].name = ts[k].name;
			tests[k].test_func = fx_test;
			tests[k].initial_state = &ts[k];
			k++;
		}
	}
	/* Twice: with the snapshot xneighd publishes (xn_snap), then with the
	 * hash maps alone (no snapshot); the data plane must decide the same. */
	rc = _cmocka_run_group_tests(group, tests, (size_t)k, NULL, NULL);
	snprintf(hash_group, sizeof(hash_group), "%s [hash maps, no snapshot]", group);
	lab_snapshot = false;
	rc |= _cmocka_run_group_tests(hash_group, tests, (size_t)k, NULL, NULL);
	lab_snapshot = true;
	free(tests);
	free(ts);
	return rc;
}
