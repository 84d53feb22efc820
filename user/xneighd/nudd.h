/* SPDX-License-Identifier: GPL-2.0 */
/* xneighd: the NUD driver. It runs the pure NUD engine (nud_engine.h) on the
 * live tables, doing what the engine's contract asks of the daemon:
 *
 *   - parameters: one set per (family, interface) from net.ipv{4,6}.neigh.
 *     {default,DEV}, gc_thresh1/2/3 from neigh/default (initial netns only,
 *     else the kernel's defaults), refreshed whenever the sysctl poll or a
 *     link change says they may have changed (xn_nudd_sync_parms());
 *   - timers: one per entry in a timer state, in a timer queue ordered by due
 *     time (timerq.h), armed from the entry's stored fields (xn_nud_next())
 *     at adoption and after every event the data plane reports for the entry
 *     (created, state or lladdr changed), cancelled when it is deleted. A
 *     due timer reads the entry (BPF_F_LOCK), asks xn_nud_fire(), writes the
 *     decision with XN_CTL_CAS (a fresh snapshot and a new decision while
 *     the compare fails, bounded), sends the probe, and re-arms. The cost is
 *     that of the due entries: nothing scans the table but periodic GC, and
 *     only when the engine says to (entries >= gc_thresh1), or a re-adoption
 *     after the data plane lost events (xn_events full);
 *   - probes: ARP requests and NS on AF_PACKET (probe.h), app probes as
 *     RTM_GETNEIGH to RTNLGRP_NEIGH;
 *   - garbage collection: periodic (GC-2) every base_reachable_time/2 of the
 *     default set, forced (GC-3) when an entry is created at gc_thresh2/3,
 *     over a list of the GC candidates in creation order; victims go with a
 *     gen-checked XN_CTL_DELETE (which counts destroys); periodic_gc_runs,
 *     forced_gc_runs and table_fulls go into xn_stats with XN_CTL_STAT_ADD.
 *     The data plane creates entries without asking: when one arrives over
 *     gc_thresh3 and forced GC frees nothing, the new entry is removed
 *     again, as neigh_alloc() would have refused it;
 *   - resolution on request (xn_nudd_resolve(): neigh_event_send()).
 */
#ifndef XND_NUDD_H
#define XND_NUDD_H

#include <stdbool.h>
#include <stddef.h>
#include "xneigh/maps.h"
#include "model.h"
#include "timerq.h"

struct xn_nl;

struct xn_conf;

struct xn_nudd_cfg {
	int neigh_fd[2];		/* xn_neigh4, xn_neigh6 */
	int stats_fd;			/* xn_stats */
	int global_fd;			/* xn_global (neigh_limit); -1 or 0: none */
	int ctl_fd;			/* the xn_ctl program */
	const struct xn_model *m;	/* kept up to date by sync.c */
	const struct xn_conf *conf;	/* file and override layers over the model's
					 * sysctls (conf.h); NULL: sysctls alone */
	/* An entry of (family, ifindex, addr) changed (v NULL: it is gone);
	 * `now` is CLOCK_MONOTONIC ns. May be NULL. */
	void (*changed)(void *ctx, const struct xn_nud_key *key, const struct xn_neigh *v,
			__u64 now);
	void *ctx;
};

struct xn_nudd;

/* A driver with the kernel's default parameters; then call
 * xn_nudd_sync_parms() and xn_nudd_adopt(). 0 or -errno (said). */
int xn_nudd_new(struct xn_nudd **out, const struct xn_nudd_cfg *cfg);
void xn_nudd_free(struct xn_nudd *n);

/* Take the parameter sets and thresholds from the model, with the layers of
 * cfg.conf over them (their effective values). */
void xn_nudd_sync_parms(struct xn_nudd *n);

/* Walk both tables (BPF_F_LOCK, batched): arm the timer of every entry in
 * a timer state (a timer already due fires at the next xn_nudd_run()),
 * count the entries and rebuild the GC list. 0 or -errno. */
int xn_nudd_adopt(struct xn_nudd *n);

/* One event of the data plane (or of xn_ctl). */
void xn_nudd_event(struct xn_nudd *n, const struct xn_event *ev);

/* Run what is due now: entry timers (at most a bounded batch per call; the
 * rest is due at once again) and periodic GC. */
void xn_nudd_run(struct xn_nudd *n);

/* CLOCK_MONOTONIC ns of the next due work (XN_TQ_NEVER: none). */
__u64 xn_nudd_next_due(const struct xn_nudd *n);

/* Periodic housekeeping (every sysctl tick): if the data plane lost events
 * since the last look, re-adopt the tables. */
void xn_nudd_tick(struct xn_nudd *n);

/* neigh_event_send() for an address (XND_CTL_RESOLVE, user/lib/ctlproto.h): create
 * the entry if there is none (forced GC first), then let the engine decide
 * (NONE/FAILED -> INCOMPLETE and the first probe now; STALE -> DELAY;
 * otherwise only `used`). The interface is assumed checked by the caller
 * (one xneighd runs on). 0 with *out / *present the entry afterwards, or
 * -errno with msg saying why. */
int xn_nudd_resolve(struct xn_nudd *n, __u32 family, __u32 ifindex, const __u8 addr[16],
		    struct xn_neigh *out, bool *present, char *msg, size_t msglen);

/* EV-1, EV-3, GC-4: remove the entries of (family, ifindex) as the
 * kernel's neigh_flush_dev() does: all of them, or all but PERMANENT ones
 * (skip_perm, carrier loss). An entry whose `updated` is after `before`
 * (CLOCK_MONOTONIC ns) was created or changed after the event and stays.
 * Each goes with a gen-checked XN_CTL_DELETE (counted in destroys, reported
 * as a DELETED event); an entry that changed meanwhile is looked at again.
 * Returns how many were removed, or -errno if the table cannot be read. */
int xn_nudd_flush_dev(struct xn_nudd *n, int family, __u32 ifindex, bool skip_perm,
		      __u64 before);

/* Device events (devev.h): take the device messages netlink queued (and
 * empty the queue), and, when `model_changed` (a resync or the sysctl
 * tick), what the refreshed model says; carry out the flushes the kernel
 * would have made. */
void xn_nudd_dev_events(struct xn_nudd *n, struct xn_nl *nl, bool model_changed);

/* Counters for the exit log. */
void xn_nudd_log_summary(const struct xn_nudd *n);

#endif /* XND_NUDD_H */
