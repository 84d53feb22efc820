// SPDX-License-Identifier: GPL-2.0
/* xneighd: the NUD driver (see nudd.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <sys/random.h>
#include <linux/rtnetlink.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "xneigh/nud.h"
#include "xneigh/stats.h"
#include "conf.h"
#include "ctl.h"
#include "devev.h"
#include "log.h"
#include "maps_open.h"
#include "netlink.h"
#include "nud_engine.h"
#include "nudd.h"
#include "probe.h"

/* Timers handled per xn_nudd_run(): the loop stays responsive (ring buffer,
 * netlink, signals) under a burst of expiries; the rest runs next turn. */
#define XN_NUDD_BATCH		4096
/* Decisions retried on a fresh snapshot while the compare-and-set loses. */
#define XN_NUDD_CAS_TRIES	8
/* ... the first ones also compare confirmed/used (a confirmation moves no
 * gen); later ones only gen, so traffic marking `used` cannot starve us. */
#define XN_NUDD_CAS_TIMED	4
/* Entries created by xn_nudd_resolve() whose forced-GC check is done. */
#define XN_NUDD_OWN		16
/* At most one "neighbour table overflow" line per this many ns. */
#define XN_NUDD_OVERFLOW_LOG_NS	(5 * XN_NSEC_PER_SEC)

#define NFAM			2

struct xn_nudd {
	struct xn_nudd_cfg cfg;
	struct xn_nud_engine *e;
	struct xn_timerq *tq;			/* entry timers, tag = gen armed for */
	struct xn_timerq *gcq[NFAM];		/* GC candidates: due = creation sequence */
	__u64 seed;
	__u64 gc_seq;
	__u32 total[NFAM];			/* every entry, exempt ones too (GC-2) */
	__u32 thresh3[NFAM];			/* gc_thresh3 in effect */
	__u32 limit_said[NFAM];			/* xn_global.neigh_limit as last written */
	bool limit_written;
	/* GC-2: no entry can become a victim before this (CLOCK_MONOTONIC ns):
	 * the earliest used + gc_stale_time the last walk kept, lowered by
	 * every event that leaves an entry collectable; a periodic run before
	 * it skips the walk. `used` only grows without an event (the data
	 * plane marking use), which only delays a victim. 0: walk. */
	__u64 gc_walk_after[NFAM];
	struct xn_ctl ctl;
	struct xn_prober pr;
	struct xn_nud_stats published[NFAM];
	XN_VEC(__u32) psets[NFAM];		/* interfaces with their own set */
	XN_VEC(struct xn_src_link) links;	/* device order, for ARPTX-2 */
	struct xn_nud_key own[XN_NUDD_OWN];
	unsigned int own_next;
	__u64 events_lost;
	int ncpus;
	struct xn_devev dev;			/* device state, for the device events */
	struct xn_devev_out devout;		/* one batch's flushes */
	bool dev_nomem_said;
	/* counters for the log */
	__u64 fires, cas_retries, cas_giveups, gc_deleted, overflow_deleted, ctl_errors;
	__u64 dev_flushes, dev_deleted;
	__u64 last_ctl_warn;
	__u64 last_overflow_warn, overflow_unsaid;
	__u64 fgc_quiet_until[NFAM];		/* forced_gc_refused(): no walk before */
	bool fulls_counted;			/* the data plane counted this table_fulls */
};

static const int fams[NFAM] = { AF_INET, AF_INET6 };

static void publish_limit(struct xn_nudd *n);

static int fidx(__u32 family)
{
	return family == AF_INET6 ? 1 : 0;
}

static __u64 mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec * 1000000000ull + (__u64)ts.tv_nsec;
}

/* CPU time of this thread (the daemon is single-threaded), for the cost
 * figures of periodic GC in the log (make bench reads them). */
static __u64 cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (__u64)ts.tv_sec * 1000000000ull + (__u64)ts.tv_nsec;
}

static __u64 clock_cb(void *ctx)
{
	(void)ctx;
	return mono_ns();
}

static size_t addr_len(__u32 family)
{
	return family == AF_INET6 ? 16 : 4;
}

static void key_make(struct xn_nud_key *k, __u32 family, __u32 ifindex, const __u8 *addr)
{
	memset(k, 0, sizeof(*k));
	k->family = family;
	k->ifindex = ifindex;
	memcpy(k->addr, addr, addr_len(family));
}

static const char *key_str(const struct xn_nud_key *k, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN] = "?", ifn[IF_NAMESIZE];

	inet_ntop(k->family == AF_INET6 ? AF_INET6 : AF_INET, k->addr, a, sizeof(a));
	snprintf(buf, len, "%s dev %s", a, if_indextoname(k->ifindex, ifn) ? ifn : "?");
	return buf;
}

/* The map key of an entry, and its size. */
static size_t map_key(const struct xn_nud_key *k, void *out)
{
	if (k->family == AF_INET6) {
		struct xn_neigh6_key k6 = { .ifindex = k->ifindex };

		memcpy(k6.addr, k->addr, 16);
		memcpy(out, &k6, sizeof(k6));
		return sizeof(k6);
	}
	{
		struct xn_neigh4_key k4 = { .ifindex = k->ifindex };

		memcpy(&k4.addr, k->addr, 4);
		memcpy(out, &k4, sizeof(k4));
		return sizeof(k4);
	}
}

static int read_entry(const struct xn_nudd *n, const struct xn_nud_key *k, struct xn_neigh *v)
{
	__u8 mk[sizeof(struct xn_neigh6_key)];

	map_key(k, mk);
	return bpf_map_lookup_elem_flags(n->cfg.neigh_fd[fidx(k->family)], mk, v, BPF_F_LOCK);
}

static void notify(struct xn_nudd *n, const struct xn_nud_key *k, const struct xn_neigh *v)
{
	if (n->cfg.changed)
		n->cfg.changed(n->cfg.ctx, k, v, mono_ns());
}

/* A failed xn_ctl run (the program itself, not its answer) is logged at
 * most every 10 s: it means something is badly wrong and would repeat at
 * every timer. */
static void ctl_failed(struct xn_nudd *n, const char *what, int err)
{
	__u64 now = mono_ns();

	n->ctl_errors++;
	if (n->last_ctl_warn && now - n->last_ctl_warn < 10 * XN_NSEC_PER_SEC)
		return;
	n->last_ctl_warn = now;
	pr_warn("xn_ctl %s failed: %s (%llu failures so far)\n", what, strerror(-err),
		(unsigned long long)n->ctl_errors);
}

static bool link_is_loopback(const struct xn_nudd *n, __u32 ifindex)
{
	const struct xn_link_rec *l = xn_model_link(n->cfg.m, ifindex);

	return l && (l->ifi_flags & IFF_LOOPBACK);
}

/* ---- xn_ctl requests -------------------------------------------------------------- */

/* Apply an engine decision taken on snapshot v. 0 (and *gen, the entry's
 * gen afterwards), the operation's -errno (-EAGAIN: changed meanwhile,
 * -ENOENT: gone), or the run's -errno. */
static int apply_cas(struct xn_nudd *n, const struct xn_nud_key *k, const struct xn_neigh *v,
		     const struct xn_nud_action *act, bool times, __u32 *gen)
{
	struct xn_ctl_req req;
	int err;

	xn_nud_action_ctl(k, v, act, &req);
	if (times) {
		req.ctl_flags |= XN_CTL_F_EXPECT_TIMES;
		req.expect_confirmed = v->confirmed;
		req.expect_used = v->used;
	}
	err = xn_ctl_run(&n->ctl, &req);
	if (err) {
		ctl_failed(n, "CAS", err);
		return err;
	}
	*gen = req.expect_gen;
	return req.result;
}

/* Remove an entry if it is still the one we looked at. 0 when removed. */
static int ctl_delete(struct xn_nudd *n, const struct xn_nud_key *k, __u32 gen)
{
	struct xn_ctl_req req = { .op = XN_CTL_DELETE };
	int err;

	req.family = k->family;
	req.ifindex = k->ifindex;
	memcpy(req.addr, k->addr, sizeof(req.addr));
	req.expect_gen = gen;
	err = xn_ctl_run(&n->ctl, &req);
	if (err) {
		ctl_failed(n, "DELETE", err);
		return err;
	}
	return req.result;
}

static void stat_add(struct xn_nudd *n, int family, enum xn_stat_index idx, __u64 delta)
{
	struct xn_ctl_req req = { .op = XN_CTL_STAT_ADD };
	int err;

	while (delta) {
		__u32 d = delta > 0xffffffffull ? 0xffffffffu : (__u32)delta;

		req.family = (__u32)family;
		req.state = (__u8)idx;
		req.probes = d;
		err = xn_ctl_run(&n->ctl, &req);
		if (err || req.result) {
			ctl_failed(n, "STAT_ADD", err ? err : req.result);
			return;
		}
		delta -= d;
	}
}

/* The engine's GC counters, as deltas, into xn_stats. */
static void publish_stats(struct xn_nudd *n, int f)
{
	struct xn_nud_stats s, *p = &n->published[f];

	if (xn_nud_stats_get(n->e, fams[f], &s))
		return;
	if (s.periodic_gc_runs != p->periodic_gc_runs)
		stat_add(n, fams[f], XN_STAT_periodic_gc_runs,
			 s.periodic_gc_runs - p->periodic_gc_runs);
	if (s.forced_gc_runs != p->forced_gc_runs)
		stat_add(n, fams[f], XN_STAT_forced_gc_runs, s.forced_gc_runs - p->forced_gc_runs);
	if (s.table_fulls != p->table_fulls && !n->fulls_counted)
		stat_add(n, fams[f], XN_STAT_table_fulls, s.table_fulls - p->table_fulls);
	*p = s;
}

/* ---- parameters ---------------------------------------------------------------------- */

/* A parameter set from raw /proc values (NULL: the kernel's defaults), with
 * the configuration file's and the operator's values over them (conf.h; dev
 * NULL: the table's default set). A value the engine refuses (negative)
 * keeps the default. */
static void parms_from_raw(const struct xn_conf *conf, int family, const char *dev,
			   const struct xn_neigh_parms *raw, struct xn_nud_parms *p)
{
	struct xn_neigh_parms eff;

	xn_nud_parms_default(family, p);
	if (!raw)
		return;
	eff = *raw;
	xn_conf_apply_parms(conf, family, dev, &eff);
	raw = &eff;
#define XN_PARM(file, field) xn_nud_parms_sysctl(p, file, raw->field);
	XN_NEIGH_NUD_KEYS(XN_PARM)
#undef XN_PARM
}

static __u32 thresh_u32(int v)
{
	return v < 0 ? 0 : (__u32)v;
}

static bool u32_in(const __u32 *v, size_t n, __u32 x)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i] == x)
			return true;
	return false;
}

void xn_nudd_sync_parms(struct xn_nudd *n)
{
	const struct xn_model *m = n->cfg.m;
	size_t i;
	int f;

	/* gc_stale_time may have changed: the next periodic run walks */
	memset(n->gc_walk_after, 0, sizeof(n->gc_walk_after));

	for (f = 0; f < NFAM; f++) {
		const struct xn_neigh_parms *dflt = f ? &m->dflt_neigh6 : &m->dflt_neigh;
		struct xn_neigh_thresh th = f ? m->thresh6 : m->thresh4;
		struct xn_nud_thresh t;
		typeof(n->psets[0]) now = { 0 };
		struct xn_nud_parms p;

		xn_conf_apply_thresh(n->cfg.conf, fams[f], &th);
		t.gc_thresh1 = thresh_u32(th.gc_thresh1);
		t.gc_thresh2 = thresh_u32(th.gc_thresh2);
		t.gc_thresh3 = thresh_u32(th.gc_thresh3);
		n->thresh3[f] = t.gc_thresh3;
		/* outside the initial netns dflt_neigh holds the built-in
		 * defaults, which is what the table there runs with */
		parms_from_raw(n->cfg.conf, fams[f], NULL, dflt, &p);
		xn_nud_parms_set(n->e, fams[f], 0, &p);
		xn_nud_thresh_set(n->e, fams[f], &t);
		for (i = 0; i < m->links.n; i++) {
			const struct xn_link_rec *l = &m->links.v[i];
			__u32 *slot;

			if (!(f ? l->ipv6 : l->ipv4))
				continue;
			parms_from_raw(n->cfg.conf, fams[f], l->name,
				       f ? &l->neigh6 : &l->neigh, &p);
			if (xn_nud_parms_set(n->e, fams[f], l->ifindex, &p))
				continue;
			slot = XN_VEC_PUSH(now);
			if (slot)
				*slot = l->ifindex;
		}
		for (i = 0; i < n->psets[f].n; i++)
			if (!u32_in(now.v, now.n, n->psets[f].v[i]))
				xn_nud_parms_del(n->e, fams[f], n->psets[f].v[i]);
		free(n->psets[f].v);
		n->psets[f] = now;
	}

	/* inet_select_addr()'s device walk (ARPTX-2); no VRF knowledge here */
	n->links.n = 0;
	for (i = 0; i < m->links.n; i++) {
		struct xn_src_link *sl = XN_VEC_PUSH(n->links);

		if (!sl)
			break;
		sl->ifindex = m->links.v[i].ifindex;
		sl->l3mdev = 0;
	}
	publish_limit(n);
}

/* ---- timers and the GC list ------------------------------------------------------------ */

static void arm(struct xn_nudd *n, const struct xn_nud_key *k, const struct xn_neigh *v)
{
	__u64 due = xn_nud_next(n->e, k, v);

	if (due == XN_NUD_NEVER)
		xn_tq_del(n->tq, k);
	else if (xn_tq_set(n->tq, k, due, v->gen))
		pr_warn("out of memory arming a NUD timer\n");
}

static void gc_track(struct xn_nudd *n, const struct xn_nud_key *k, const struct xn_neigh *v)
{
	struct xn_timerq *q = n->gcq[fidx(k->family)];

	if (xn_nud_gc_exempt(v, link_is_loopback(n, k->ifindex))) {
		xn_tq_del(q, k);
		return;
	}
	/* GC-1: a new member goes to the tail; a member keeps its place */
	if (!xn_tq_get(q, k, NULL, NULL) && xn_tq_set(q, k, ++n->gc_seq, 0))
		pr_warn("out of memory growing the GC list\n");
}

static bool own_created(struct xn_nudd *n, const struct xn_nud_key *k)
{
	unsigned int i;

	for (i = 0; i < XN_NUDD_OWN; i++) {
		if (!memcmp(&n->own[i], k, sizeof(*k))) {
			memset(&n->own[i], 0, sizeof(n->own[i]));
			return true;
		}
	}
	return false;
}

/* ---- probes ------------------------------------------------------------------------------ */

static void send_probe(struct xn_nudd *n, const struct xn_nud_key *k, const struct xn_neigh *v,
		       const struct xn_nud_action *act, __u64 now)
{
	const struct xn_model *m = n->cfg.m;
	const struct xn_link_rec *l;
	const __u8 *dst = NULL;
	__u8 frame[128];
	char ks[96];
	size_t len;
	int err;

	if (act->probe == XN_PROBE_NONE)
		return;
	if (act->probe == XN_PROBE_APP) {
		/* neigh_app_ns(): no packet, user space is asked about the
		 * entry as it is now (INCOMPLETE or PROBE) */
		struct xn_neigh cur = *v;

		cur.state = act->state;
		cur.confirmed = act->confirmed;
		cur.updated = act->updated;
		cur.used = act->used;
		err = xn_prober_app(&n->pr, k, &cur, act->probe_p, now);
		if (err)
			pr_debug("app probe for %s: %s\n", key_str(k, ks, sizeof(ks)),
				 strerror(-err));
		else
			pr_debug("app probe (RTM_GETNEIGH) for %s, probes %u\n",
				 key_str(k, ks, sizeof(ks)), act->probe_p);
		return;
	}
	if (act->probe == XN_PROBE_UNICAST)
		dst = v->lladdr;
	l = xn_model_link(m, k->ifindex);
	/* ARPTX-1: no IPv4 state, or a NOARP device: nothing is sent (the
	 * probe still counts, as in neigh_probe()) */
	if (!l || (l->ifi_flags & IFF_NOARP))
		return;

	if (k->family == AF_INET) {
		struct xn_arp_src_req r = {
			.ifindex = k->ifindex,
			.arp_announce = m->all.arp_announce > l->conf.arp_announce ?
					m->all.arp_announce : l->conf.arp_announce,
			.route_localnet = xn_conf_route_localnet(&m->all, &l->conf),
			.addrs = m->addrs.v,
			.naddrs = m->addrs.n,
			.links = n->links.v,
			.nlinks = n->links.n,
		};
		__be32 spa, tpa;

		if (!l->ipv4)
			return;
		memcpy(&tpa, k->addr, 4);
		r.target = tpa;
		spa = xn_arp_probe_source(&r);
		len = xn_arp_request_build(frame, sizeof(frame), l->mac, dst, spa, tpa);
		err = xn_prober_send(&n->pr, k->ifindex, frame, len);
		if (!err)
			n->pr.arp_sent++;
		if (xn_log_get_level() >= XN_LOG_DEBUG) {
			char sa[INET_ADDRSTRLEN];

			inet_ntop(AF_INET, &spa, sa, sizeof(sa));
			pr_debug("ARP probe for %s (%s, probes %u) from %s%s%s\n",
				 key_str(k, ks, sizeof(ks)), dst ? "unicast" : "broadcast",
				 act->probe_p, sa, err ? ": " : "", err ? strerror(-err) : "");
		}
	} else {
		struct xn_ns_src_req r = {
			.ifindex = k->ifindex,
			.addrs = m->addrs6.v,
			.naddrs = m->addrs6.n,
		};
		__u8 saddr[16];
		int tclass = l->conf6.ndisc_tclass;

		if (!l->ipv6 || l->conf6.disable_ipv6)
			return;
		/* ND-TX4: without a usable link-local source nothing is sent */
		if (xn_nd_probe_source(&r, saddr)) {
			n->pr.no_source++;
			pr_debug("NS probe for %s not sent: no usable link-local source\n",
				 key_str(k, ks, sizeof(ks)));
			return;
		}
		len = xn_ns_build(frame, sizeof(frame), l->mac, dst, saddr, k->addr,
				  tclass >= 0 && tclass <= 255 ? (__u8)tclass : 0);
		err = xn_prober_send(&n->pr, k->ifindex, frame, len);
		if (!err)
			n->pr.ns_sent++;
		if (xn_log_get_level() >= XN_LOG_DEBUG) {
			char sa[INET6_ADDRSTRLEN];

			inet_ntop(AF_INET6, saddr, sa, sizeof(sa));
			pr_debug("NS probe for %s (%s, probes %u) from %s%s%s\n",
				 key_str(k, ks, sizeof(ks)), dst ? "unicast" : "multicast",
				 act->probe_p, sa, err ? ": " : "", err ? strerror(-err) : "");
		}
	}
}

/* ---- the timer handler -------------------------------------------------------------------- */

static void fire(struct xn_nudd *n, const struct xn_nud_key *k)
{
	struct xn_nud_action act;
	struct xn_neigh v;
	__u64 now = 0;
	__u32 gen;
	int tries, err;

	n->fires++;
	for (tries = 0; tries < XN_NUDD_CAS_TRIES; tries++) {
		err = read_entry(n, k, &v);
		if (err) {
			if (err != -ENOENT)
				pr_warn("cannot read a neighbour entry: %s\n", strerror(-err));
			return;		/* gone: its DELETED event says the rest */
		}
		/* after the read: a time stamp the data plane wrote just
		 * before is not in our future */
		now = mono_ns();
		xn_nud_fire(n->e, k, &v, now, &act);
		gen = v.gen;
		if (act.set) {
			bool times = tries < XN_NUDD_CAS_TIMED &&
				     (v.state & (NUD_REACHABLE | NUD_DELAY));

			err = apply_cas(n, k, &v, &act, times, &gen);
			if (err == -EAGAIN) {
				n->cas_retries++;
				continue;
			}
			if (err == -ENOENT)
				return;
			if (err) {
				/* try again a little later rather than spin */
				xn_tq_set(n->tq, k, now + XN_NSEC_PER_SEC, v.gen);
				return;
			}
		}
		/* the write went in: now the solicitation (neigh_probe()) */
		send_probe(n, k, &v, &act, now);
		if (act.next == XN_NUD_NEVER)
			xn_tq_del(n->tq, k);
		else
			xn_tq_set(n->tq, k, act.next, gen);
		return;
	}
	n->cas_giveups++;
	xn_tq_set(n->tq, k, now + XN_NUD_MIN_TIMER, 0);
}

/* ---- garbage collection --------------------------------------------------------------------- */

struct popped {
	struct xn_nud_key k;
	__u64 seq;
};

/* GC-3 neigh_forced_gc() before an entry of family index f is created (or,
 * for the data plane's entries, right after it was; `fresh` is that entry,
 * never a candidate). True if the entry may be (or stay) created. */
static bool forced_gc(struct xn_nudd *n, int f, const struct xn_nud_key *fresh)
{
	struct xn_timerq *q = n->gcq[f];
	struct popped *kept = NULL;
	size_t nkept = 0, cap = 0, i;
	struct xn_nud_fgc run;
	struct xn_nud_key k;
	struct xn_neigh v;
	__u64 now = mono_ns(), seq;
	bool ok;

	if (!xn_nud_gc_forced_begin(n->e, fams[f], (__u32)xn_tq_len(q), now, &run))
		return true;
	/* the list oldest first; popped candidates that stay go back with
	 * their place */
	while (xn_tq_pop(q, XN_TQ_NEVER - 1, &k, &seq, NULL)) {
		bool is_fresh = fresh && !memcmp(&k, fresh, sizeof(k));
		bool removed = false;

		if (!is_fresh && read_entry(n, &k, &v))
			continue;	/* gone meanwhile: off the list */
		if (!is_fresh && xn_nud_gc_forced_victim(n->e, &run, &k, &v)) {
			removed = !ctl_delete(n, &k, v.gen);
			if (removed) {
				n->gc_deleted++;
				xn_tq_del(n->tq, &k);
			}
		}
		if (!removed) {
			if (nkept == cap) {
				size_t ncap = cap ? cap * 2 : 64;
				struct popped *p = realloc(kept, ncap * sizeof(*p));

				if (!p) {
					/* cannot remember it: put it back now and stop */
					xn_tq_set(q, &k, seq, 0);
					break;
				}
				kept = p;
				cap = ncap;
			}
			kept[nkept].k = k;
			kept[nkept].seq = seq;
			nkept++;
		}
		if (!xn_nud_gc_forced_account(n->e, &run, removed))
			break;
	}
	for (i = 0; i < nkept; i++)
		xn_tq_set(q, &kept[i].k, kept[i].seq, 0);
	free(kept);
	ok = xn_nud_gc_forced_end(n->e, &run, mono_ns());
	pr_debug("forced GC (%s): %u removed%s%s\n", f ? "ndisc_cache" : "arp_cache", run.shrunk,
		 run.timed_out ? ", stopped by the 1 ms budget" : "",
		 ok ? "" : "; table full");
	publish_stats(n, f);
	return ok;
}

/* Forced GC after the data plane refused an entry at neigh_limit, as
 * neigh_alloc() runs it on every allocation attempt. The refusal is counted
 * there (table_fulls): the engine's count of a failed run is not published
 * again. A flood refuses entries by the hundred thousand a second and a walk
 * of the GC list costs about 0.1 ms, so after a walk that found nothing the
 * attempts of the next XN_NUDD_FGC_QUIET_NS are counted (forced_gc_runs)
 * without a walk: an entry that becomes collectable meanwhile waits at most
 * that long. */
#define XN_NUDD_FGC_QUIET_NS	(100 * XN_NSEC_PER_MSEC)

static bool forced_gc_refused(struct xn_nudd *n, int f)
{
	__u64 now = mono_ns();
	struct xn_nud_fgc run;
	bool ok;

	n->fulls_counted = true;
	if (now < n->fgc_quiet_until[f]) {
		if (xn_nud_gc_forced_begin(n->e, fams[f], (__u32)xn_tq_len(n->gcq[f]), now, &run))
			ok = xn_nud_gc_forced_end(n->e, &run, now);
		else
			ok = true;
		publish_stats(n, f);
	} else {
		ok = forced_gc(n, f, NULL);
		if (!ok)
			n->fgc_quiet_until[f] = now + XN_NUDD_FGC_QUIET_NS;
	}
	n->fulls_counted = false;
	return ok;
}

/* Forced GC made room after the data plane refused an entry learned from a
 * frame: the kernel would have created it in that allocation, so create it
 * now, as the frame would have (its answer, if it asked for one, is not sent:
 * the sender asks again). Only learned entries (a valid state and an
 * address); a transmit path's refused NONE entry is asked for again by its
 * next packet. */
static void refused_catch_up(struct xn_nudd *n, const struct xn_event *ev)
{
	struct xn_ctl_req req = { .op = XN_CTL_UPDATE };
	static const __u8 zero_ll[ETH_ALEN];
	int err;

	if (!(ev->new_state & XN_NUD_VALID) || !memcmp(ev->new_lladdr, zero_ll, ETH_ALEN))
		return;
	req.family = ev->family;
	req.ifindex = ev->ifindex;
	memcpy(req.addr, ev->addr, sizeof(req.addr));
	memcpy(req.lladdr, ev->new_lladdr, ETH_ALEN);
	/* within the limit: the flood may have taken the room back meanwhile */
	req.ctl_flags = XN_CTL_F_CREATE | XN_CTL_F_HAS_LLADDR | XN_CTL_F_LIMIT;
	req.state = ev->new_state;
	req.update_flags = XN_UPD_OVERRIDE;
	err = xn_ctl_run(&n->ctl, &req);
	if (!err)
		err = req.result;
	if (err && err != -E2BIG)	/* full again meanwhile: the flood won */
		ctl_failed(n, "create a refused entry", err);
}

/* The scan's parameters for family index f: gc_stale_time of the table's
 * default set, and of every interface whose own set differs from it. */
static void gc_scan_params(struct xn_nudd *n, int f, struct xn_gc_scan *io)
{
	const struct xn_nud_parms *dflt = xn_nud_parms_of(n->e, fams[f], 0);
	struct xn_gc_set *sets = calloc(n->psets[f].n ? n->psets[f].n : 1, sizeof(*sets));
	size_t i, nsets = 0;
	__u64 stale = dflt ? dflt->gc_stale_time : 0;

	for (i = 0; sets && i < n->psets[f].n; i++) {
		const struct xn_nud_parms *p = xn_nud_parms_of(n->e, fams[f], n->psets[f].v[i]);

		if (p && p->gc_stale_time != stale) {
			sets[nsets].ifindex = n->psets[f].v[i];
			sets[nsets].stale_ns = p->gc_stale_time;
			nsets++;
		}
	}
	if (!sets) {
		/* no memory for the list: the smallest time for every interface
		 * (more candidates, each still checked by the engine) */
		for (i = 0; i < n->psets[f].n; i++) {
			const struct xn_nud_parms *p = xn_nud_parms_of(n->e, fams[f],
								       n->psets[f].v[i]);

			if (p && p->gc_stale_time < stale)
				stale = p->gc_stale_time;
		}
	}
	xn_gc_scan_params(io, stale, sets, nsets);
	free(sets);
}

/* Remove one victim the scan (or the dump) saw as v, if the engine agrees
 * and it is still that entry (gen). True when removed. */
static bool gc_periodic_remove(struct xn_nudd *n, const struct xn_nud_key *k,
			       const struct xn_neigh *v, __u64 now)
{
	if (!xn_nud_gc_periodic_victim(n->e, k, v, now, NULL) || ctl_delete(n, k, v->gen))
		return false;
	xn_tq_del(n->tq, k);
	return true;
}

/* More victims than a scan returns: read the whole table instead (BPF_F_LOCK
 * batches; `used` is already raised by the scan). How many were removed. */
static size_t gc_periodic_dump(struct xn_nudd *n, int f)
{
	size_t ksz = f ? sizeof(struct xn_neigh6_key) : sizeof(struct xn_neigh4_key);
	void *keys = NULL, *vals = NULL;
	size_t cnt = 0, i, removed = 0;
	__u64 now;
	int err;

	err = xn_map_dump(n->cfg.neigh_fd[f], ksz, sizeof(struct xn_neigh), BPF_F_LOCK, &keys,
			  &vals, &cnt);
	if (err) {
		pr_warn("periodic GC: cannot read %s: %s\n", f ? XN_MAP_NEIGH6 : XN_MAP_NEIGH4,
			strerror(-err));
		return 0;
	}
	now = mono_ns();
	for (i = 0; i < cnt; i++) {
		const __u8 *mk = (const __u8 *)keys + i * ksz;
		struct xn_nud_key k;

		key_make(&k, (__u32)fams[f], *(const __u32 *)mk, mk + 4);
		removed += gc_periodic_remove(n, &k, (const struct xn_neigh *)vals + i, now);
	}
	free(keys);
	free(vals);
	return removed;
}

/* GC-2: one periodic run for family index f. neigh_periodic_work() walks
 * the whole table; so does xn_ctl (XN_CTL_GC_SCAN), in the kernel, applying
 * the rule under each entry's lock and raising `used` there, and hands back
 * the victims only. The engine confirms each one and it goes with a
 * gen-checked XN_CTL_DELETE. */
static void gc_periodic(struct xn_nudd *n, int f, __u64 now)
{
	struct xn_nud_gc_run run;
	struct xn_gc_scan *io = NULL;
	size_t removed = 0, i;
	__u64 cpu0 = cpu_ns(), wall0 = mono_ns();
	int err;

	if (xn_nud_gc_periodic_begin(n->e, fams[f], n->total[f], now, &run))
		return;
	if (!run.scan) {
		pr_debug("periodic GC (%s): %u entries (below gc_thresh1: no scan)\n",
			 f ? "ndisc_cache" : "arp_cache", n->total[f]);
		goto out;
	}
	if (now < n->gc_walk_after[f]) {
		/* the run counts (periodic_gc_runs, NUD-7's re-draw above) but
		 * would find nothing: skip the walk of the whole table */
		pr_debug("periodic GC (%s): %u entries, none collectable for %.1f s: no walk\n",
			 f ? "ndisc_cache" : "arp_cache", n->total[f],
			 (double)(n->gc_walk_after[f] - now) / 1e9);
		goto out;
	}
	io = calloc(1, sizeof(*io));
	if (!io) {
		pr_warn("periodic GC: out of memory\n");
		goto out;
	}
	gc_scan_params(n, f, io);
	err = xn_ctl_gc_scan(&n->ctl, fams[f], io);
	if (err) {
		pr_warn("periodic GC: cannot scan %s: %s\n", f ? XN_MAP_NEIGH6 : XN_MAP_NEIGH4,
			strerror(-err));
		goto out;
	}
	/* the exact count, before this run removes anything (each removal's
	 * DELETED event counts itself) */
	n->total[f] = io->entries;
	if (io->more) {
		removed = gc_periodic_dump(n, f);
	} else {
		now = mono_ns();
		for (i = 0; i < io->ncand; i++) {
			const struct xn_gc_cand *c = &io->cand[i];
			struct xn_neigh v = {
				.state = c->state, .flags = c->flags, .probes = c->probes,
				.gen = c->gen, .xflags = c->xflags, .confirmed = c->confirmed,
				.updated = c->updated, .used = c->used,
			};
			struct xn_nud_key k;

			memcpy(v.lladdr, c->lladdr, ETH_ALEN);
			key_make(&k, (__u32)fams[f], c->ifindex, c->addr);
			removed += gc_periodic_remove(n, &k, &v, now);
		}
	}
	n->gc_deleted += removed;
	/* victims left (the table read instead, a removal refused) are looked
	 * at again by the next run */
	n->gc_walk_after[f] = io->more || removed < io->ncand ? 0 : io->next_victim;
	pr_info("periodic GC (%s): %u entries scanned, %zu removed, %.1f ms CPU, %.1f ms wall\n",
		f ? "ndisc_cache" : "arp_cache", n->total[f], removed,
		(double)(cpu_ns() - cpu0) / 1e6, (double)(mono_ns() - wall0) / 1e6);
	pr_debug("periodic GC (%s): %u exempt, %u victims%s, %u `used` raised\n",
		 f ? "ndisc_cache" : "arp_cache", io->exempt, io->victims,
		 io->more ? " (over the scan's cap: table read)" : "", io->raised);
out:
	free(io);
	publish_stats(n, f);
}

/* ---- events ------------------------------------------------------------------------------------- */

/* GC-2 hint: the entry as it is now may become a victim at used +
 * gc_stale_time (at once if FAILED): the next periodic run must walk then. */
static void gc_hint(struct xn_nudd *n, const struct xn_nud_key *k, const struct xn_neigh *v)
{
	const struct xn_nud_parms *p = xn_nud_parms_of(n->e, (int)k->family, k->ifindex);
	int f = fidx(k->family);
	__u64 used = v->used, due;
	int verdict;

	if (!p) {
		n->gc_walk_after[f] = 0;
		return;
	}
	verdict = xn_gc2_verdict(v->state, v->flags, v->xflags, v->confirmed, mono_ns(),
				 p->gc_stale_time, &used);
	if (verdict == XN_GC2_EXEMPT)
		return;
	due = verdict == XN_GC2_VICTIM ? 0 : used + p->gc_stale_time;
	if (due < n->gc_walk_after[f])
		n->gc_walk_after[f] = due;
}

static void entry_changed(struct xn_nudd *n, const struct xn_nud_key *k)
{
	struct xn_neigh v;

	if (read_entry(n, k, &v)) {
		xn_tq_del(n->tq, k);
		return;		/* its DELETED event follows */
	}
	gc_track(n, k, &v);
	gc_hint(n, k, &v);
	arm(n, k, &v);
	notify(n, k, &v);
}

/* The kernel says "neighbor table overflow!" with net_info_ratelimited():
 * a flood of new senders must not turn into a flood of log lines. One line
 * per XN_NUDD_OVERFLOW_LOG_NS, with the number removed since the last one. */
static void overflow_warn(struct xn_nudd *n, int f, const struct xn_nud_key *k, const char *what)
{
	__u64 now = mono_ns();
	char ks[96];

	n->overflow_unsaid++;
	if (n->last_overflow_warn && now - n->last_overflow_warn < XN_NUDD_OVERFLOW_LOG_NS)
		return;
	pr_warn("%s: neighbour table overflow (gc_thresh3 reached, nothing to collect): entry %s "
		"%s (%llu entries since the last message)\n", f ? "ndisc_cache" : "arp_cache",
		key_str(k, ks, sizeof(ks)), what, (unsigned long long)n->overflow_unsaid);
	n->last_overflow_warn = now;
	n->overflow_unsaid = 0;
}

static void entry_created(struct xn_nudd *n, const struct xn_nud_key *k)
{
	int f = fidx(k->family);
	struct xn_neigh v;

	n->total[f]++;
	if (read_entry(n, k, &v))
		return;
	if (!xn_nud_gc_exempt(&v, link_is_loopback(n, k->ifindex)) && !own_created(n, k) &&
	    !forced_gc(n, f, k)) {
		/* neigh_alloc() would have refused it: "neighbor table overflow!" */
		if (!ctl_delete(n, k, v.gen)) {
			n->overflow_deleted++;
			overflow_warn(n, f, k, "removed");
			return;
		}
	}
	gc_track(n, k, &v);
	gc_hint(n, k, &v);
	arm(n, k, &v);
	notify(n, k, &v);
}

void xn_nudd_event(struct xn_nudd *n, const struct xn_event *ev)
{
	struct xn_nud_key k;
	int f;

	if (ev->family != AF_INET && ev->family != AF_INET6)
		return;
	f = fidx(ev->family);
	key_make(&k, ev->family, ev->ifindex, ev->addr);
	switch (ev->type) {
	case XN_EV_CREATED:
		entry_created(n, &k);
		break;
	case XN_EV_STATE:
	case XN_EV_LLADDR:
		entry_changed(n, &k);
		break;
	case XN_EV_TABLE_FULL:
		/* GC-3: the data plane refused an entry at neigh_limit; the
		 * kernel runs forced GC on every such allocation attempt
		 * (neigh_alloc()), making room for the next one */
		if (!forced_gc_refused(n, f))
			overflow_warn(n, f, &k, "refused by the data plane");
		else
			refused_catch_up(n, ev);
		break;
	case XN_EV_DELETED:
		if (n->total[f])
			n->total[f]--;
		xn_tq_del(n->tq, &k);
		xn_tq_del(n->gcq[f], &k);
		notify(n, &k, NULL);
		break;
	default:
		break;
	}
}

/* ---- device events ------------------------------------------------------------------------------ */

/* The flush of `fl` (NULL if none) that applies to an entry of ifindex. */
static struct xn_devev_flush *flush_of(struct xn_devev_flush *fl, size_t nfl, __u32 ifindex)
{
	size_t i;

	for (i = 0; i < nfl; i++)
		if (fl[i].ifindex == ifindex)
			return &fl[i];
	return NULL;
}

/* Carry out the flushes `fl` (all of family index f, one per ifindex) in one
 * walk of the table; removed[i] counts those of fl[i]. 0 or -errno (the
 * table could not be read). */
static int flush_walk(struct xn_nudd *n, int f, struct xn_devev_flush *fl, size_t nfl,
		      unsigned int *removed)
{
	size_t ksz = f ? sizeof(struct xn_neigh6_key) : sizeof(struct xn_neigh4_key);
	void *keys = NULL, *vals = NULL;
	size_t cnt = 0, i;
	int err;

	/* neigh_flush_dev() walks the table under its lock; here the walk is a
	 * snapshot and each removal a compare-and-delete on it */
	err = xn_map_dump(n->cfg.neigh_fd[f], ksz, sizeof(struct xn_neigh), BPF_F_LOCK,
			  &keys, &vals, &cnt);
	if (err) {
		pr_warn("cannot read %s to remove the entries of a device: %s\n",
			f ? XN_MAP_NEIGH6 : XN_MAP_NEIGH4, strerror(-err));
		return err;
	}
	for (i = 0; i < cnt; i++) {
		const __u8 *mk = (const __u8 *)keys + i * ksz;
		struct xn_neigh v = ((const struct xn_neigh *)vals)[i];
		__u32 ifindex = *(const __u32 *)mk;
		struct xn_devev_flush *d = flush_of(fl, nfl, ifindex);
		struct xn_nud_key k;
		int tries;

		if (!d)
			continue;
		key_make(&k, (__u32)fams[f], ifindex, mk + 4);
		for (tries = 0; tries < XN_NUDD_CAS_TRIES; tries++) {
			/* neigh_carrier_down(): skip_perm keeps NUD_PERMANENT
			 * only; an entry made after the event is not its own */
			if ((d->skip_perm && (v.state & NUD_PERMANENT)) || v.updated > d->before)
				break;
			err = ctl_delete(n, &k, v.gen);
			if (!err) {
				removed[d - fl]++;
				xn_tq_del(n->tq, &k);
				break;
			}
			/* changed meanwhile: decide again on what it is now */
			if (err != -EAGAIN || read_entry(n, &k, &v))
				break;
		}
	}
	free(keys);
	free(vals);
	return 0;
}

int xn_nudd_flush_dev(struct xn_nudd *n, int family, __u32 ifindex, bool skip_perm,
		      __u64 before)
{
	struct xn_devev_flush fl = {
		.ifindex = ifindex, .family = (__u8)family, .skip_perm = skip_perm,
		.before = before,
	};
	unsigned int removed = 0;
	int err = flush_walk(n, fidx((__u32)family), &fl, 1, &removed);

	return err ? err : (int)removed;
}

void xn_nudd_dev_events(struct xn_nudd *n, struct xn_nl *nl, bool model_changed)
{
	const struct xn_model *m = n->cfg.m;
	struct xn_devev_out *out = &n->devout;
	unsigned int *removed;
	int err = 0, f;
	size_t i;

	out->v.n = 0;
	for (i = 0; i < nl->devmsgs.n && !err; i++)
		err = xn_devev_msg(&n->dev, m, &nl->devmsgs.v[i], out);
	if (!err && (model_changed || nl->devmsgs_lost || nl->devmsgs.n))
		err = xn_devev_sync(&n->dev, m, nl->devmsgs_lost, mono_ns(), out);
	if (nl->devmsgs_lost)
		pr_debug("device events: notifications were lost; compared with a full dump\n");
	xn_nl_devmsgs_done(nl);
	if (err && !n->dev_nomem_said) {
		pr_warn("device events: out of memory; entries may outlive an event that "
			"removes them in the kernel\n");
		n->dev_nomem_said = true;
	}
	if (!out->v.n)
		return;
	/* IPv4 flushes first, then IPv6: one walk of each table */
	for (i = 1; i < out->v.n; i++) {
		struct xn_devev_flush t = out->v.v[i];
		size_t j = i;

		for (; j > 0 && out->v.v[j - 1].family == AF_INET6 && t.family == AF_INET; j--)
			out->v.v[j] = out->v.v[j - 1];
		out->v.v[j] = t;
	}
	removed = calloc(out->v.n, sizeof(*removed));
	if (!removed) {
		pr_warn("device events: out of memory removing entries\n");
		return;
	}
	for (f = 0, i = 0; f < NFAM; f++) {
		size_t first = i;

		while (i < out->v.n && out->v.v[i].family == fams[f])
			i++;
		if (i == first || flush_walk(n, f, &out->v.v[first], i - first, &removed[first]))
			continue;
		for (size_t j = first; j < i; j++) {
			const struct xn_devev_flush *fl = &out->v.v[j];
			char name[IF_NAMESIZE];

			n->dev_flushes++;
			n->dev_deleted += removed[j];
			xn_log(removed[j] ? XN_LOG_INFO : XN_LOG_DEBUG,
			       "%s %s: %u %s entr%s removed%s\n",
			       xn_model_ifname(m, fl->ifindex, name, sizeof(name)),
			       xn_devev_why_str(fl->why), removed[j], f ? "IPv6" : "IPv4",
			       removed[j] == 1 ? "y" : "ies",
			       fl->skip_perm ? " (PERMANENT ones kept)" : "");
		}
	}
	free(removed);
}

/* ---- adoption ----------------------------------------------------------------------------------- */

struct adopt_ent {
	struct xn_nud_key k;
	__u64 updated;
};

static int adopt_cmp(const void *a, const void *b)
{
	const struct adopt_ent *x = a, *y = b;

	return x->updated < y->updated ? -1 : x->updated > y->updated;
}

/* Sum of events_lost over CPUs and families. */
static __u64 events_lost(struct xn_nudd *n)
{
	struct xn_stats *per;
	__u64 sum = 0;
	__u32 key;
	int c;

	if (n->ncpus <= 0)
		return 0;
	per = calloc((size_t)n->ncpus, sizeof(*per));
	if (!per)
		return n->events_lost;
	for (key = 0; key < XN_FAM__COUNT; key++) {
		if (bpf_map_lookup_elem(n->cfg.stats_fd, &key, per))
			continue;
		for (c = 0; c < n->ncpus; c++)
			sum += per[c].events_lost;
	}
	free(per);
	return sum;
}

int xn_nudd_adopt(struct xn_nudd *n)
{
	struct xn_timerq *tq, *gcq[NFAM];
	size_t armed = 0, gc_entries = 0;
	int f, err = 0;

	n->events_lost = events_lost(n);
	memset(n->gc_walk_after, 0, sizeof(n->gc_walk_after));
	tq = xn_tq_new(0, n->seed);
	gcq[0] = xn_tq_new(0, n->seed ^ 1);
	gcq[1] = xn_tq_new(0, n->seed ^ 2);
	if (!tq || !gcq[0] || !gcq[1]) {
		xn_tq_free(tq);
		xn_tq_free(gcq[0]);
		xn_tq_free(gcq[1]);
		return -ENOMEM;
	}
	xn_tq_free(n->tq);
	xn_tq_free(n->gcq[0]);
	xn_tq_free(n->gcq[1]);
	n->tq = tq;
	n->gcq[0] = gcq[0];
	n->gcq[1] = gcq[1];

	for (f = 0; f < NFAM; f++) {
		size_t ksz = f ? sizeof(struct xn_neigh6_key) : sizeof(struct xn_neigh4_key);
		void *keys = NULL, *vals = NULL;
		struct adopt_ent *gc = NULL;
		size_t cnt = 0, ngc = 0, i;

		err = xn_map_dump(n->cfg.neigh_fd[f], ksz, sizeof(struct xn_neigh), BPF_F_LOCK,
				  &keys, &vals, &cnt);
		if (err) {
			pr_warn("cannot read %s: %s\n", f ? XN_MAP_NEIGH6 : XN_MAP_NEIGH4,
				strerror(-err));
			return err;
		}
		n->total[f] = (__u32)cnt;
		gc = calloc(cnt ? cnt : 1, sizeof(*gc));
		if (!gc) {
			free(keys);
			free(vals);
			return -ENOMEM;
		}
		for (i = 0; i < cnt; i++) {
			const struct xn_neigh *v = (const struct xn_neigh *)vals + i;
			const __u8 *mk = (const __u8 *)keys + i * ksz;
			struct xn_nud_key k;

			key_make(&k, (__u32)fams[f], *(const __u32 *)mk, mk + 4);
			if (xn_nud_next(n->e, &k, v) != XN_NUD_NEVER) {
				arm(n, &k, v);
				armed++;
			}
			if (!xn_nud_gc_exempt(v, link_is_loopback(n, k.ifindex))) {
				gc[ngc].k = k;
				gc[ngc].updated = v->updated;
				ngc++;
			}
			notify(n, &k, v);
		}
		/* GC-1's list is in creation order, which the maps do not
		 * keep: `updated` is the closest record of it */
		qsort(gc, ngc, sizeof(*gc), adopt_cmp);
		for (i = 0; i < ngc; i++)
			xn_tq_set(n->gcq[f], &gc[i].k, ++n->gc_seq, 0);
		gc_entries += ngc;
		free(gc);
		free(keys);
		free(vals);
	}
	pr_info("NUD: adopted %u IPv4 and %u IPv6 entries, %zu timers armed, %zu GC candidates\n",
		n->total[0], n->total[1], armed, gc_entries);
	publish_limit(n);
	return 0;
}

/* GC-3 in the data plane: it creates no entry once a table holds
 * gc_thresh3 entries besides those exempt from GC (neigh_alloc() counts
 * gc_entries, which leave out PERMANENT and externally learned ones).
 * gc_thresh3 0 publishes no limit: the kernel would still create entries
 * that forced GC makes room for, which only this daemon can do. */
static void publish_limit(struct xn_nudd *n)
{
	struct xn_global g;
	__u32 key = 0, want[NFAM];
	int f;

	if (n->cfg.global_fd <= 0)
		return;
	for (f = 0; f < NFAM; f++) {
		size_t gc = xn_tq_len(n->gcq[f]);
		__u32 exempt = n->total[f] > gc ? n->total[f] - (__u32)gc : 0;

		want[f] = n->thresh3[f] ? n->thresh3[f] + exempt : 0;
	}
	if (n->limit_written && !memcmp(want, n->limit_said, sizeof(want)))
		return;
	if (bpf_map_lookup_elem(n->cfg.global_fd, &key, &g))
		return;
	memcpy(g.neigh_limit, want, sizeof(want));
	if (bpf_map_update_elem(n->cfg.global_fd, &key, &g, BPF_ANY)) {
		pr_warn("cannot write the table limits into xn_global: %s\n", strerror(errno));
		return;
	}
	memcpy(n->limit_said, want, sizeof(want));
	n->limit_written = true;
}

void xn_nudd_tick(struct xn_nudd *n)
{
	__u64 lost = events_lost(n);

	publish_limit(n);
	if (lost == n->events_lost)
		return;
	pr_info("the data plane lost %llu events (ring buffer %s full): re-reading the tables\n",
		(unsigned long long)(lost - n->events_lost), XN_MAP_EVENTS);
	n->events_lost = lost;
	xn_nudd_adopt(n);
}

/* ---- the loop ------------------------------------------------------------------------------------ */

void xn_nudd_run(struct xn_nudd *n)
{
	struct xn_nud_key k;
	__u64 now = mono_ns();
	unsigned int done = 0;
	int f;

	while (done < XN_NUDD_BATCH && xn_tq_pop(n->tq, now, &k, NULL, NULL)) {
		fire(n, &k);
		done++;
	}
	for (f = 0; f < NFAM; f++)
		if (now >= xn_nud_gc_periodic_due(n->e, fams[f]))
			gc_periodic(n, f, now);
}

__u64 xn_nudd_next_due(const struct xn_nudd *n)
{
	__u64 due = xn_tq_next_due(n->tq);
	int f;

	for (f = 0; f < NFAM; f++) {
		__u64 g = xn_nud_gc_periodic_due(n->e, fams[f]);

		if (g < due)
			due = g;
	}
	return due;
}

/* ---- resolution ---------------------------------------------------------------------------------- */

static bool ipv4_local_or_bcast(const struct xn_model *m, __be32 a)
{
	size_t i;

	for (i = 0; i < m->routes.n; i++)
		if (m->routes.v[i].dst == a)
			return true;
	return false;
}

static bool ipv6_local_on(const struct xn_model *m, __u32 ifindex, const __u8 *a)
{
	size_t i;

	for (i = 0; i < m->addrs6.n; i++)
		if (m->addrs6.v[i].ifindex == ifindex && !memcmp(m->addrs6.v[i].addr, a, 16))
			return true;
	return false;
}

/* What the kernel would not resolve with ARP/ND at all: the constructors
 * make NOARP entries for these (NUD-12, NUD-13), or they are ours. */
static int resolve_check(const struct xn_nudd *n, __u32 family, __u32 ifindex, const __u8 *a,
			 char *msg, size_t len)
{
	const struct xn_model *m = n->cfg.m;
	const struct xn_link_rec *l = xn_model_link(m, ifindex);
	static const __u8 zero16[16], lo6[16] = { [15] = 1 };

	if (!l) {
		snprintf(msg, len, "no interface with ifindex %u", ifindex);
		return -ENODEV;
	}
	if (l->ifi_flags & (IFF_NOARP | IFF_LOOPBACK)) {
		snprintf(msg, len, "%s is a NOARP/loopback device: nothing to resolve", l->name);
		return -EINVAL;
	}
	if (family == AF_INET) {
		__be32 v4;

		memcpy(&v4, a, 4);
		if (!l->ipv4) {
			snprintf(msg, len, "%s has no IPv4 configuration", l->name);
			return -EADDRNOTAVAIL;
		}
		if (!v4 || (a[0] & 0xf0) == 0xe0 || v4 == 0xffffffff || a[0] == 127 ||
		    ipv4_local_or_bcast(m, v4)) {
			snprintf(msg, len, "%u.%u.%u.%u is not a unicast neighbour address "
				 "(zero, multicast, broadcast, loopback or local)",
				 a[0], a[1], a[2], a[3]);
			return -EINVAL;
		}
		return 0;
	}
	if (!l->ipv6 || l->conf6.disable_ipv6) {
		snprintf(msg, len, "%s has no IPv6 configuration", l->name);
		return -EADDRNOTAVAIL;
	}
	if (a[0] == 0xff || !memcmp(a, zero16, 16) || !memcmp(a, lo6, 16) ||
	    ipv6_local_on(m, ifindex, a)) {
		snprintf(msg, len, "not a unicast neighbour address (multicast, unspecified, "
			 "loopback or an address of %s)", l->name);
		return -EINVAL;
	}
	return 0;
}

int xn_nudd_resolve(struct xn_nudd *n, __u32 family, __u32 ifindex, const __u8 addr[16],
		    struct xn_neigh *out, bool *present, char *msg, size_t msglen)
{
	struct xn_nud_action act;
	struct xn_nud_key k;
	struct xn_neigh v;
	int f = fidx(family), tries, err;
	__u32 gen;

	*present = false;
	msg[0] = '\0';
	if (family != AF_INET && family != AF_INET6) {
		snprintf(msg, msglen, "address family %u not supported", family);
		return -EAFNOSUPPORT;
	}
	err = resolve_check(n, family, ifindex, addr, msg, msglen);
	if (err)
		return err;
	key_make(&k, family, ifindex, addr);
	for (tries = 0; tries < XN_NUDD_CAS_TRIES; tries++) {
		__u64 now;
		bool exists;

		err = read_entry(n, &k, &v);
		if (err && err != -ENOENT) {
			snprintf(msg, msglen, "cannot read the entry: %s", strerror(-err));
			return err;
		}
		exists = !err;
		now = mono_ns();
		xn_nud_resolve(n->e, &k, exists ? &v : NULL, now, 0, &act);
		if (act.create) {
			struct xn_ctl_req req = { .op = XN_CTL_UPDATE };

			/* NUD-15 then GC-3: neigh_alloc() runs forced GC first */
			if (!link_is_loopback(n, ifindex) && !forced_gc(n, f, NULL)) {
				struct xn_nud_thresh th;

				xn_nud_thresh_get(n->e, (int)family, &th);
				snprintf(msg, msglen, "neighbour table overflow: %u entries, "
					 "gc_thresh3 %u, nothing to collect",
					 (unsigned int)xn_tq_len(n->gcq[f]), th.gc_thresh3);
				return -ENOBUFS;
			}
			req.family = family;
			req.ifindex = ifindex;
			memcpy(req.addr, k.addr, sizeof(req.addr));
			req.ctl_flags = XN_CTL_F_CREATE;
			req.state = NUD_NONE;
			err = xn_ctl_run(&n->ctl, &req);
			if (!err)
				err = req.result;
			if (err == -E2BIG) {
				snprintf(msg, msglen, "the BPF neighbour table is full");
				return -ENOBUFS;
			}
			if (err) {
				snprintf(msg, msglen, "cannot create the entry: %s", strerror(-err));
				return err;
			}
			n->own[n->own_next] = k;
			n->own_next = (n->own_next + 1) % XN_NUDD_OWN;
			continue;
		}
		if (!exists)
			continue;
		gen = v.gen;
		if (act.set) {
			err = apply_cas(n, &k, &v, &act, false, &gen);
			if (err == -EAGAIN || err == -ENOENT) {
				n->cas_retries++;
				continue;
			}
			if (err) {
				snprintf(msg, msglen, "cannot update the entry: %s", strerror(-err));
				return err;
			}
		}
		send_probe(n, &k, &v, &act, now);
		if (act.next == XN_NUD_NEVER)
			xn_tq_del(n->tq, &k);
		else
			xn_tq_set(n->tq, &k, act.next, gen);
		break;
	}
	if (tries == XN_NUDD_CAS_TRIES) {
		snprintf(msg, msglen, "the entry kept changing under us; try again");
		return -EAGAIN;
	}
	if (!read_entry(n, &k, out))
		*present = true;
	return 0;
}

/* ---- life cycle ------------------------------------------------------------------------------------ */

int xn_nudd_new(struct xn_nudd **out, const struct xn_nudd_cfg *cfg)
{
	struct xn_nud_engine_opts o = { .clock = clock_cb };
	struct xn_nudd *n;
	int err;

	n = calloc(1, sizeof(*n));
	if (!n)
		return -ENOMEM;
	n->cfg = *cfg;
	xn_ctl_init(&n->ctl);
	n->pr.pkt_fd = n->pr.nl_fd = -1;
	/* NUD-7 draws and the hash seeds of keys that come off the wire */
	if (getrandom(&n->seed, sizeof(n->seed), 0) != sizeof(n->seed))
		n->seed = mono_ns() ^ ((__u64)getpid() << 32);
	o.seed = n->seed;
	n->e = xn_nud_engine_new(&o, mono_ns());
	n->tq = xn_tq_new(0, n->seed);
	n->gcq[0] = xn_tq_new(0, n->seed ^ 1);
	n->gcq[1] = xn_tq_new(0, n->seed ^ 2);
	if (!n->e || !n->tq || !n->gcq[0] || !n->gcq[1]) {
		err = -ENOMEM;
		pr_warn("NUD engine: out of memory\n");
		goto fail;
	}
	n->ctl.fd = cfg->ctl_fd;
	snprintf(n->ctl.where, sizeof(n->ctl.where), "xneighd's own");
	n->ncpus = libbpf_num_possible_cpus();
	err = xn_prober_open(&n->pr);
	if (err)
		goto fail;
	/* the state device events are changes of */
	err = xn_devev_reset(&n->dev, cfg->m);
	if (err)
		goto fail;
	*out = n;
	return 0;
fail:
	n->ctl.fd = -1;
	xn_nudd_free(n);
	return err;
}

void xn_nudd_free(struct xn_nudd *n)
{
	if (!n)
		return;
	xn_prober_close(&n->pr);
	xn_tq_free(n->tq);
	xn_tq_free(n->gcq[0]);
	xn_tq_free(n->gcq[1]);
	xn_nud_engine_free(n->e);
	free(n->psets[0].v);
	free(n->psets[1].v);
	free(n->links.v);
	xn_devev_free(&n->dev);
	free(n->devout.v.v);
	/* the program fd belongs to the skeleton */
	free(n);
}

void xn_nudd_log_summary(const struct xn_nudd *n)
{
	pr_info("NUD: %llu timer runs, %llu ARP and %llu NS probes sent, %llu app probes, "
		"%llu send errors, %llu NS without a source; %llu CAS retries, %llu given up; "
		"GC removed %llu, overflow removed %llu; device events: %llu flushes removed "
		"%llu\n",
		(unsigned long long)n->fires, (unsigned long long)n->pr.arp_sent,
		(unsigned long long)n->pr.ns_sent, (unsigned long long)n->pr.app_sent,
		(unsigned long long)n->pr.send_errors, (unsigned long long)n->pr.no_source,
		(unsigned long long)n->cas_retries, (unsigned long long)n->cas_giveups,
		(unsigned long long)n->gc_deleted, (unsigned long long)n->overflow_deleted,
		(unsigned long long)n->dev_flushes, (unsigned long long)n->dev_deleted);
}
