/* SPDX-License-Identifier: GPL-2.0 */
/* xneighd: the NUD engine, the timer half of the kernel's neighbour state
 * machine (spec §5 NUD-*, §6 GC-*, §3 ARPTX-*, §4.3 ND-TX4), as pure
 * decisions over snapshots.
 *
 * The truth lives in the BPF maps (struct xn_neigh): the data plane learns,
 * confirms and moves STALE -> DELAY on transmit at any time, bumping `gen` on
 * every change of state or lladdr. The engine never owns an entry. It is
 * handed a snapshot (key + value) and a time `now`, and answers with a
 * decision (struct xn_nud_action) that xneighd applies with the xn_ctl
 * program's compare-and-set on `gen` (XN_CTL_CAS, xn_nud_action_ctl()). When
 * the CAS fails (-EAGAIN) the entry changed meanwhile: xneighd re-reads it and
 * asks again.
 *
 * Everything an entry's timer needs is in its stored timestamps and probe
 * counter (xn_nud_next()), so a restarted daemon re-arms every timer from the
 * maps. Apart from the parameter sets and the table-wide GC bookkeeping the
 * engine holds no per-entry state; it does no I/O and never reads a clock:
 * time is the caller's `now` (CLOCK_MONOTONIC ns, the clock of
 * bpf_ktime_get_ns()), randomness comes from an injected generator, and the
 * only clock callback bounds the forced GC walk (GC-3's 1 ms budget).
 *
 * Kernel names in comments refer to net/core/neighbour.c, net/ipv4/arp.c,
 * net/ipv4/devinet.c and net/ipv6/ndisc.c of Linux 6.12.
 */
#ifndef XND_NUD_ENGINE_H
#define XND_NUD_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include "xneigh/maps.h"
#include "xneigh/nud.h"
#include "xneigh/ctl.h"
#include "model.h"			/* struct xn_addr_rec, struct xn_addr6_rec */
#include "timerq.h"			/* struct xn_nud_key */

#define XN_NSEC_PER_MSEC	1000000ULL
#define XN_NSEC_PER_SEC		1000000000ULL

/* "No timer" (STALE, FAILED, NONE, NOARP, PERMANENT). */
#define XN_NUD_NEVER		XN_TQ_NEVER
/* HZ/100: the shortest probe interval and the earliest re-arm (NUD-5). */
#define XN_NUD_MIN_TIMER	(10 * XN_NSEC_PER_MSEC)
/* NUD-7: reachable_time is re-drawn by the first periodic GC run after this. */
#define XN_NUD_RAND_PERIOD	(300 * XN_NSEC_PER_SEC)
/* GC-3: forced GC removes entries updated longer ago than this, and runs at
 * gc_thresh2 only if the last complete run is older than this. */
#define XN_NUD_FGC_AGE		(5 * XN_NSEC_PER_SEC)
/* GC-3: a forced GC run stops after this long (checked every 16 entries). */
#define XN_NUD_FGC_BUDGET	XN_NSEC_PER_MSEC

/* ---- parameters ------------------------------------------------------------- */

/* One neigh_parms set (net.ipv{4,6}.neigh.{default,DEV}.*), in ns and counts
 * (spec §1.4). */
struct xn_nud_parms {
	__u64 base_reachable_time;	/* NUD-7 */
	__u64 retrans_time;		/* probe interval (NUD-5) */
	__u64 delay_first_probe_time;	/* DELAY length, "used recently" (NUD-5) */
	__u64 gc_stale_time;		/* GC-2 */
	__u64 locktime;			/* ARP-U5 (the data plane's); kept for `conf show` */
	__u32 ucast_solicit;		/* NUD-4 */
	__u32 mcast_solicit;
	__u32 app_solicit;
	__u32 mcast_resolicit;
	__u32 unres_qlen;		/* packets (NUD-3; no queue in xneigh, kept for `conf show`) */
};

/* The kernel's defaults: arp_tbl (AF_INET) or nd_tbl (AF_INET6). */
void xn_nud_parms_default(int family, struct xn_nud_parms *p);

/* Set the field that the file /proc/sys/net/ipv{4,6}/neigh/DEV/`name` holds,
 * from that file's `value` in that file's unit: base_reachable_time,
 * delay_first_probe_time, gc_stale_time in s; retrans_time, locktime in
 * USER_HZ ticks (1/100 s); base_reachable_time_ms, retrans_time_ms in ms;
 * ucast_solicit, mcast_solicit, app_solicit, mcast_resolicit, unres_qlen as
 * counts. 0; -ENOENT for any other name (the caller ignores keys xneigh
 * does not use: proxy_delay, anycast_delay, gc_thresh*, ...); -ERANGE for a
 * negative value. */
int xn_nud_parms_sysctl(struct xn_nud_parms *p, const char *name, long long value);

/* Table-wide limits (net.ipv{4,6}.neigh.default.gc_thresh1/2/3). */
struct xn_nud_thresh {
	__u32 gc_thresh1;		/* no periodic GC below this many entries (GC-2) */
	__u32 gc_thresh2;		/* forced GC if the last one is > 5 s old (GC-3) */
	__u32 gc_thresh3;		/* forced GC always; hard limit (GC-3) */
};

/* ---- the engine ------------------------------------------------------------- */

struct xn_nud_engine_opts {
	/* Uniform 64-bit random numbers for reachable_time (NUD-7). NULL: a
	 * splitmix64 generator seeded with `seed` (xneighd seeds it from
	 * getrandom(); tests pass a constant). */
	__u64 (*rand)(void *ctx);
	void *rand_ctx;
	__u64 seed;
	/* CLOCK_MONOTONIC ns, read only to bound a forced GC walk to 1 ms
	 * (GC-3). NULL: the walk has no time bound. */
	__u64 (*clock)(void *ctx);
	void *clock_ctx;
};

struct xn_nud_engine;

/* A new engine whose two tables (AF_INET, AF_INET6) have the kernel's
 * default parameters and thresholds, as if neigh_table_init() ran at `now`:
 * the default sets draw their reachable_time, the first periodic GC is due
 * after it. NULL when out of memory. opts may be NULL. */
struct xn_nud_engine *xn_nud_engine_new(const struct xn_nud_engine_opts *opts, __u64 now);
void xn_nud_engine_free(struct xn_nud_engine *e);

/* Create or change the parameter set of (family, ifindex); ifindex 0 is the
 * table default, used by interfaces without a set of their own. A new set
 * draws its reachable_time (neigh_parms_alloc()); a changed
 * base_reachable_time re-draws it (neigh_proc_base_reachable_time()).
 * 0, -EAFNOSUPPORT, -ENOMEM. */
int xn_nud_parms_set(struct xn_nud_engine *e, int family, __u32 ifindex,
		     const struct xn_nud_parms *p);
/* Forget an interface's set (the interface went away). 0 or -ENOENT. */
int xn_nud_parms_del(struct xn_nud_engine *e, int family, __u32 ifindex);
/* The set an entry on (family, ifindex) uses: its own, else the default.
 * NULL only for an unknown family. */
const struct xn_nud_parms *xn_nud_parms_of(const struct xn_nud_engine *e, int family,
					   __u32 ifindex);
/* That set's current reachable_time (ns); 0 for an unknown family. */
__u64 xn_nud_reachable_time(const struct xn_nud_engine *e, int family, __u32 ifindex);

int xn_nud_thresh_set(struct xn_nud_engine *e, int family, const struct xn_nud_thresh *t);
int xn_nud_thresh_get(const struct xn_nud_engine *e, int family, struct xn_nud_thresh *t);

/* Counters the engine's decisions account for, per table (spec §9.1).
 * res_failed is not here (see xn_nud_action.res_failed); destroys are
 * counted by whoever deletes. xneighd publishes these. */
struct xn_nud_stats {
	__u64 periodic_gc_runs;
	__u64 forced_gc_runs;
	__u64 table_fulls;		/* allocations refused after a fruitless forced GC */
};
int xn_nud_stats_get(const struct xn_nud_engine *e, int family, struct xn_nud_stats *s);

/* ---- the state machine -------------------------------------------------------- */

/* What kind of solicitation a probe is (ARPTX-3, ND-TX4), from the probe
 * counter p before the probe: */
enum xn_nud_probe {
	XN_PROBE_NONE = 0,
	XN_PROBE_UNICAST,	/* p < ucast_solicit: to the cached lladdr (ARP request
				 * with Ethernet dst = lladdr; NS to the target itself) */
	XN_PROBE_APP,		/* p < ucast + app_solicit: no packet; RTM_GETNEIGH to
				 * RTNLGRP_NEIGH for a user-space resolver (neigh_app_ns) */
	XN_PROBE_MULTICAST,	/* otherwise: broadcast ARP request; NS to the
				 * target's solicited-node multicast group */
};

enum xn_nud_probe xn_nud_probe_kind(const struct xn_nud_parms *p, __u32 probes);

/* NUD-4 neigh_max_probes(): ucast + app + (PROBE ? mcast_resolicit : mcast_solicit). */
__u32 xn_nud_max_probes(const struct xn_nud_parms *p, __u8 state);

/* A decision about one entry. Apply it in this order:
 *   1. if `create`: create the entry (NONE; XN_CTL_UPDATE with
 *      XN_CTL_F_CREATE, after xn_nud_gc_forced_begin() allowed it) and ask
 *      xn_nud_resolve() again with the new snapshot;
 *   2. if `set`: XN_CTL_CAS with the snapshot's gen (xn_nud_action_ctl());
 *      -EAGAIN: re-read the entry and ask again; -ENOENT: it is gone;
 *   3. then, and only then, send the probe of kind `probe` (xn_arp_probe_source()
 *      / xn_nd_probe_source() give the source address);
 *   4. arm the entry's timer at `next` (XN_NUD_NEVER: cancel it), tagged
 *      with the gen the CAS returned.
 * The kernel counts a probe when it tried to send it, whatever the driver
 * said (neigh_probe()), so a failed send is not retried. */
struct xn_nud_action {
	__u32 set;			/* XN_CTL_SET_* fields below to write; 0: none */
	__u8 old_state;			/* state of the snapshot */
	__u8 state;			/* state after the action (== old_state: unchanged) */
	__u8 probe;			/* enum xn_nud_probe to send after the write */
	bool create;			/* resolve: no entry yet, create one (NUD-15) */
	bool notify;			/* the kernel would send RTM_NEWNEIGH: not for
					 * NONE->INCOMPLETE, STALE->DELAY, REACHABLE->DELAY
					 * (O-9) nor for a mere timestamp change */
	bool res_failed;		/* -> FAILED by the timer (neigh_invalidate()):
					 * res_failed++ is due once. xn_ctl's CAS counts
					 * old INCOMPLETE/PROBE -> FAILED itself; not the
					 * DELAY -> FAILED of a PROBE that allows no probe */
	__u32 probe_p;			/* the probe counter the probe was chosen with */
	__u32 probes;			/* XN_CTL_SET_PROBES: value after the probe */
	__u64 confirmed;		/* XN_CTL_SET_CONFIRMED */
	__u64 updated;			/* XN_CTL_SET_UPDATED */
	__u64 used;			/* XN_CTL_SET_USED */
	__u64 next;			/* the entry's next due time, XN_NUD_NEVER: none */
};

/* When the entry next needs the timer handler, from its stored fields alone
 * (NUD-5; re-arms a restarted daemon):
 *   REACHABLE   confirmed + reachable_time
 *   DELAY       updated + delay_first_probe_time
 *   INCOMPLETE  updated + k * max(retrans_time, 10 ms), k = probes - ucast_solicit
 *               (probes sent since the entry went INCOMPLETE, NUD-3/NUD-4)
 *   PROBE       updated + probes * max(retrans_time, 10 ms)
 *               (k and probes capped at the last probe, xn_nud_max_probes(),
 *               so a counter beyond it fails at that time)
 *   others      XN_NUD_NEVER (STALE/FAILED/NONE are left to GC; NOARP/PERMANENT
 *               have no timer), as for an entry marked XN_NF_DEAD.
 * May be in the past (the daemon was not running): the handler is then due
 * at once, and its action's `next` (now + retrans_time) spaces the probes
 * that follow, so a resumed entry does not burst. */
__u64 xn_nud_next(const struct xn_nud_engine *e, const struct xn_nud_key *key,
		  const struct xn_neigh *v);

/* NUD-5 neigh_timer_handler() at `now`:
 *   REACHABLE  now <= confirmed + reachable_time: unchanged, next then;
 *              else now <= used + delay_first_probe_time: DELAY (NUD-6, no notify);
 *              else STALE (notify, no timer)
 *   DELAY      now <= confirmed + delay_first_probe_time: REACHABLE (notify);
 *              else PROBE, probes := 0 (notify)
 *   INCOMPLETE/PROBE (also just entered): probes >= xn_nud_max_probes():
 *              FAILED (notify, res_failed, updated := now, no timer); else one
 *              probe of xn_nud_probe_kind(probes), probes + 1, next in
 *              max(retrans_time, 10 ms)
 * updated := now on every state change; timers never re-arm sooner than
 * now + 10 ms. Called before the time xn_nud_next() gives (a timer armed for
 * an older version of the entry) it does nothing but return that time in
 * `next`; states without a timer: nothing, XN_NUD_NEVER. */
void xn_nud_fire(const struct xn_nud_engine *e, const struct xn_nud_key *key,
		 const struct xn_neigh *v, __u64 now, struct xn_nud_action *act);

/* xn_nud_resolve() flags */
#define XN_NUD_RESOLVE_DEFERRED	0x1	/* neigh_event_send_probe(immediate_ok = false),
					 * the NTF_MANAGED worker's: no probe now, the
					 * timer fires at once */

/* NUD-1/NUD-3 neigh_event_send(): a transmission through the entry, which is
 * what `xneigh resolve` does. v NULL: no entry -> `create`. Always used :=
 * now; then
 *   NONE/FAILED  mcast_solicit + app_solicit > 0: INCOMPLETE, updated := now,
 *                probes := ucast_solicit, and the first probe now (its kind by
 *                ARPTX-3: app probes first if app_solicit, else multicast);
 *                otherwise FAILED, updated := now (no res_failed, no probe)
 *   STALE        DELAY, updated := now, next = now + delay_first_probe_time
 *   others       only `used` (INCOMPLETE, DELAY, PROBE, CONNECTED)
 * None of these notifies (NUD-3). A XN_NF_DEAD entry is left alone. */
void xn_nud_resolve(const struct xn_nud_engine *e, const struct xn_nud_key *key,
		    const struct xn_neigh *v, __u64 now, __u32 flags,
		    struct xn_nud_action *act);

/* The XN_CTL_CAS request that applies `act` to the entry `key` whose
 * snapshot is `v` (expect_gen = v->gen). */
void xn_nud_action_ctl(const struct xn_nud_key *key, const struct xn_neigh *v,
		       const struct xn_nud_action *act, struct xn_ctl_req *req);

/* ---- garbage collection ---------------------------------------------------------- */

/* Is the key a multicast address (arp_is_multicast / ndisc_is_multicast)? */
bool xn_nud_key_is_multicast(const struct xn_nud_key *key);

/* GC-1: an entry not counted in gc_entries and never on the forced-GC list:
 * PERMANENT, NTF_EXT_LEARNED, or on a loopback device (NUD-14). */
bool xn_nud_gc_exempt(const struct xn_neigh *v, bool loopback_dev);

/* GC-2 periodic GC. Due every base_reachable_time/2 of the table default
 * parameters (not gc_interval); the first run after the default
 * reachable_time. */
__u64 xn_nud_gc_periodic_due(const struct xn_nud_engine *e, int family);

struct xn_nud_gc_run {
	bool scan;			/* walk the table: entries >= gc_thresh1 */
	bool redrawn;			/* every set of the table drew a new reachable_time */
	__u64 next_run;			/* xn_nud_gc_periodic_due() from now on */
};

/* Start a periodic run of `family`'s table holding `entries` entries in all
 * (exempt ones included): periodic_gc_runs++, re-draw every reachable_time of
 * the table if the last draw is more than 300 s old (NUD-7), and schedule
 * the next run. -EAFNOSUPPORT for an unknown family. */
int xn_nud_gc_periodic_begin(struct xn_nud_engine *e, int family, __u32 entries,
			     __u64 now, struct xn_nud_gc_run *run);

/* GC-2 for one entry of a scanning run: true = remove it. PERMANENT,
 * IN_TIMER states and NTF_EXT_LEARNED entries stay; FAILED goes; the others
 * (NONE, STALE, NOARP) go once now >= used + gc_stale_time, where used is
 * first raised to confirmed if confirmed is newer and not in the future.
 * *used_out (may be NULL) receives that raised `used`: the kernel stores it;
 * xneighd may write it back (XN_CTL_SET_USED with the gen) for `ip -s neigh`
 * fidelity. A `used` after `now` counts as fresh: read `now` after the
 * snapshot. */
bool xn_nud_gc_periodic_victim(const struct xn_nud_engine *e, const struct xn_nud_key *key,
			       const struct xn_neigh *v, __u64 now, __u64 *used_out);

/* GC-3 forced GC, one run, on the caller's stack. */
struct xn_nud_fgc {
	int family;
	__u32 entries;			/* gc_entries before the new entry */
	long long max_clean;		/* stop when this many are removed */
	__u32 shrunk;			/* removed so far */
	__u32 loop;			/* candidates since the last clock check */
	__u64 tref;			/* now - 5 s */
	__u64 tmax;			/* now + 1 ms */
	bool timed_out;			/* stopped by the budget: last_flush kept */
	bool stopped;
};

/* Before creating a non-exempt entry in a table holding `gc_entries`
 * non-exempt entries (the new one not counted): must forced GC run? It must
 * if gc_entries >= gc_thresh3, or >= gc_thresh2 and the last complete run
 * ended more than 5 s ago. If so, forced_gc_runs++ and *run is set up: walk
 * the GC list oldest first (creation order), call xn_nud_gc_forced_victim()
 * for each candidate, try to remove the victims (XN_CTL_DELETE with the
 * snapshot's gen), report each outcome to xn_nud_gc_forced_account() and stop
 * when it says so; then xn_nud_gc_forced_end(). False: create right away. */
bool xn_nud_gc_forced_begin(struct xn_nud_engine *e, int family, __u32 gc_entries,
			    __u64 now, struct xn_nud_fgc *run);
/* GC-3 for one candidate: FAILED or NOARP exactly, a multicast key, or
 * `updated` more than 5 s before the run started (an `updated` in the future
 * counts as fresh). Exempt entries (GC-1) are never victims. */
bool xn_nud_gc_forced_victim(const struct xn_nud_engine *e, const struct xn_nud_fgc *run,
			     const struct xn_nud_key *key, const struct xn_neigh *v);
/* After a candidate: removed = it was a victim and is gone now. False: stop
 * walking (gc_entries - gc_thresh2 removed, counted with the new entry, or
 * the 1 ms budget, checked every 16 candidates, is spent). */
bool xn_nud_gc_forced_account(const struct xn_nud_engine *e, struct xn_nud_fgc *run,
			      bool removed);
/* End of the run at `now`: a run that was not cut short by the budget
 * becomes the "last complete forced GC" for the 5 s rule. Returns true if
 * the new entry may be created; false (table_fulls++) when nothing was
 * removed and gc_entries >= gc_thresh3. */
bool xn_nud_gc_forced_end(struct xn_nud_engine *e, struct xn_nud_fgc *run, __u64 now);

/* ---- probe source addresses ----------------------------------------------------- */

/* One interface for inet_select_addr()'s fallback walk, in the kernel's
 * device list order (dev_base: registration order, in practice ifindex
 * order), with its L3 master device (l3mdev_master_ifindex(): 0 outside a
 * VRF; a VRF device is its own master). */
struct xn_src_link {
	__u32 ifindex;
	__u32 l3mdev;
};

/* arp_solicit()'s source address question (ARPTX-2). */
struct xn_arp_src_req {
	__u32 ifindex;			/* outgoing interface (the entry's) */
	__be32 target;			/* the address being resolved */
	int arp_announce;		/* IN_DEV_ARP_ANNOUNCE(): max(all, dev) */
	bool route_localnet;		/* IN_DEV_ROUTE_LOCALNET() of the interface */
	bool has_hint;			/* a queued packet exists (the hint) */
	__be32 hint_saddr;		/* its IPv4 source */
	bool hint_local;		/* inet_addr_type_dev_table(hint_saddr) == RTN_LOCAL
					 * (xn_local4 says XN_RTN_LOCAL) */
	/* every IPv4 address of the namespace, each interface's in ifa_list
	 * order (the model's RTM_GETADDR dump order) */
	const struct xn_addr_rec *addrs;
	size_t naddrs;
	/* the interfaces in device order with their L3 master; NULL: the
	 * order of first appearance in addrs, no VRFs */
	const struct xn_src_link *links;
	size_t nlinks;
};

/* ARPTX-2: the sender protocol address of an ARP probe. arp_announce 0 (and
 * any value other than 1 and 2): the hint's source if it is local; 1: that,
 * if also some prefix of the interface holds both the target and the source
 * (inet_addr_onlink()); 2: never the hint. Otherwise inet_select_addr(dev,
 * target, RT_SCOPE_LINK): the interface's first primary address of scope <=
 * link (host counts as link with route_localnet) inside a prefix holding the
 * target, else its first such primary address; else the VRF master's, then
 * the first interface's of the same L3 domain, first primary address of
 * scope universe or site. 0 (0.0.0.0) when there is none. */
__be32 xn_arp_probe_source(const struct xn_arp_src_req *r);

/* ndisc_solicit()'s source address question (ND-TX4). */
struct xn_ns_src_req {
	__u32 ifindex;			/* outgoing interface */
	bool has_hint;
	__u8 hint_saddr[16];		/* the queued packet's IPv6 source */
	/* the IPv6 addresses, each interface's in idev->addr_list order (the
	 * model's RTM_GETADDR dump order); other interfaces' are skipped */
	const struct xn_addr6_rec *addrs;
	size_t naddrs;
};

/* ND-TX4: the hint's source if it is an address of the outgoing interface
 * that is neither tentative nor optimistic (ipv6_chk_addr_and_flags(...,
 * strict)); else ipv6_get_lladdr(): walking the interface's list from its
 * end, the first link-scope address that is neither tentative nor
 * optimistic, giving up at a site-scope one. 0 with out set, or
 * -EADDRNOTAVAIL: the kernel sends no NS then. */
int xn_nd_probe_source(const struct xn_ns_src_req *r, __u8 out[16]);

#endif /* XND_NUD_ENGINE_H */
