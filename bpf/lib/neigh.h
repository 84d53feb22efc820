/* SPDX-License-Identifier: GPL-2.0 */
/* Neighbour entries: the kernel's __neigh_update() (spec NUD-8) and the
 * create-or-update paths (neigh_event_ns, __neigh_lookup with creat).
 *
 * Concurrency: every field of struct xn_neigh is read and written with the
 * entry's bpf_spin_lock held (user space uses BPF_F_LOCK, or the xn_ctl
 * program for read-modify-write). xn_neigh_apply() runs inside the lock, so it
 * calls no helpers; the caller takes the time stamp before locking and emits
 * events after unlocking.
 */
#ifndef XN_BPF_NEIGH_H
#define XN_BPF_NEIGH_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "xneigh/nud.h"
#include "maps.h"
#include "stats.h"
#include "events.h"
#include "eth.h"

#ifndef EEXIST
#define EEXIST	17
#endif
#ifndef EPERM
#define EPERM	1
#endif
#ifndef EINVAL
#define EINVAL	22
#endif
#ifndef ENOSPC
#define ENOSPC	28
#endif
#ifndef E2BIG
#define E2BIG	7
#endif
#ifndef ENOENT
#define ENOENT	2
#endif
#ifndef EAGAIN
#define EAGAIN	11
#endif

/* What an update did, for counters and events (filled under the lock). */
struct xn_upd {
	int err;		/* 0, -EPERM (static entry), -EINVAL (no lladdr) */
	__u8 old_state;
	__u8 new_state;
	__u8 changed_state;
	__u8 changed_ll;
	__u8 refused_override;	/* a different lladdr was refused (no OVERRIDE) */
	__u8 invalidated;	/* INCOMPLETE/PROBE -> FAILED: neigh_invalidate() */
	__u8 changed_flags;	/* NTF flags changed (IsRouter, EXT_LEARNED): notified */
	__u8 flags;		/* entry NTF flags after the update */
	__u8 old_ll[ETH_ALEN];
	__u8 new_ll[ETH_ALEN];
};

/* NUD-8 (__neigh_update in net/core/neighbour.c) on one entry, lock held.
 * lladdr may be NULL (no address supplied). `now` and `base_reach_ns` come
 * from the caller; timers are xneighd's business, so "arm the timer" here is
 * just the state change the daemon observes through `updated`/`gen`. */
static __always_inline void xn_neigh_apply(struct xn_neigh *n, const __u8 *lladdr, __u8 new,
					   __u32 flags, __u64 now, __u64 base_reach_ns,
					   struct xn_upd *r)
{
	__u8 old = n->state;
	__u8 old_flags = n->flags;
	bool same_ll;
	bool update_isrouter = false;

	r->err = 0;
	r->old_state = old;
	r->new_state = old;
	r->changed_state = 0;
	r->changed_ll = 0;
	r->refused_override = 0;
	r->invalidated = 0;
	r->changed_flags = 0;
	xn_mac_copy(r->old_ll, n->lladdr);

	/* NUD-8.1: an entry being removed takes no more updates. */
	if (n->xflags & XN_NF_DEAD) {
		r->err = -ENOENT;
		goto out;
	}

	/* NUD-8.2: without ADMIN, NOARP and PERMANENT entries never change. */
	if (!(flags & XN_UPD_ADMIN) && (old & (NUD_NOARP | NUD_PERMANENT))) {
		r->err = -EPERM;
		goto out;
	}

	/* NUD-8.3 (neigh_update_flags): ADMIN sets/clears EXT_LEARNED. */
	if (flags & XN_UPD_ADMIN) {
		__u8 want = (flags & XN_UPD_EXT_LEARNED) ? XN_NTF_EXT_LEARNED : 0;

		n->flags = (n->flags & ~XN_NTF_EXT_LEARNED) | want;
	}

	/* NUD-8.4: USE/MANAGED only drop the PERMANENT bit; the caller then
	 * triggers resolution. */
	if (flags & (XN_UPD_USE | XN_UPD_MANAGED)) {
		new = old & ~NUD_PERMANENT;
		if (new != old) {
			n->state = new;
			r->changed_state = 1;
		}
		goto out;
	}

	/* NUD-8.5: an invalid new state (NONE/INCOMPLETE/FAILED) sets the state
	 * and leaves the address alone; INCOMPLETE/PROBE -> FAILED is
	 * neigh_invalidate(), which moves `updated`. */
	if (!(new & XN_NUD_VALID)) {
		if (new != old) {
			n->state = new;
			r->changed_state = 1;
		}
		if ((old & (NUD_INCOMPLETE | NUD_PROBE)) && (new & NUD_FAILED)) {
			n->updated = now;
			r->invalidated = 1;	/* ST: res_failed */
		}
		goto out;
	}

	/* NUD-8.6: compare the proposed address with the cached one. */
	if (lladdr) {
		same_ll = (old & XN_NUD_VALID) && xn_mac_eq(lladdr, n->lladdr);
	} else {
		if (!(old & XN_NUD_VALID)) {
			r->err = -EINVAL;	/* nothing known, nothing given */
			goto out;
		}
		same_ll = true;
	}

	/* NUD-8.7: a CONNECTED target state confirms, even if the rest of the
	 * update is refused below. */
	if (new & XN_NUD_CONNECTED)
		n->confirmed = now;

	/* NUD-8.8: override rules for a valid entry. */
	update_isrouter = flags & XN_UPD_OVERRIDE_ISROUTER;
	if (old & XN_NUD_VALID) {
		if (!same_ll && !(flags & XN_UPD_OVERRIDE)) {
			update_isrouter = false;
			if ((flags & XN_UPD_WEAK_OVERRIDE) && (old & XN_NUD_CONNECTED)) {
				same_ll = true;
				new = NUD_STALE;
			} else {
				r->refused_override = 1;
				goto out;
			}
		} else if (same_ll && new == NUD_STALE && !(flags & XN_UPD_ADMIN)) {
			/* a STALE hint never demotes an entry whose address
			 * did not change */
			new = old;
		}
	}

	/* NUD-8.9: `updated` moves only on a real change (ARP locktime). */
	if (new != old || !same_ll)
		n->updated = now;

	/* NUD-8.10 */
	if (new != old) {
		if (new & NUD_PROBE)
			n->probes = 0;
		/* neigh_add_timer(): arming the timer pulls `used` up to
		 * `confirmed`, which decides REACHABLE -> DELAY vs STALE later */
		if ((new & XN_NUD_IN_TIMER) && n->used < n->confirmed)
			n->used = n->confirmed;
		n->state = new;
		r->changed_state = 1;
	}

	/* NUD-8.11 */
	if (!same_ll) {
		xn_mac_copy(n->lladdr, lladdr);
		if (!(new & XN_NUD_CONNECTED))
			n->confirmed = now > 2 * base_reach_ns ? now - 2 * base_reach_ns : 0;
		r->changed_ll = 1;
	}

out:
	/* NUD-8.13: IsRouter follows ISROUTER when asked and not cancelled. */
	if (update_isrouter)
		n->flags = (flags & XN_UPD_ISROUTER) ? (n->flags | XN_NTF_ROUTER)
						     : (n->flags & ~XN_NTF_ROUTER);
	r->new_state = n->state;
	r->flags = n->flags;
	r->changed_flags = n->flags != old_flags;	/* the kernel notifies these too */
	xn_mac_copy(r->new_ll, n->lladdr);
	if (r->changed_state || r->changed_ll || r->changed_flags)
		n->gen++;
}

/* Which entry an operation is about: its table, its key, and for counters
 * and events its family, interface and address (inside the key). Built on
 * the stack with constants, so the verifier sees a known map on every path. */
struct xn_nref {
	void *map;		/* &xn_neigh4 or &xn_neigh6 */
	void *key;		/* struct xn_neigh4_key * or struct xn_neigh6_key * */
	const void *addr;	/* 4 or 16 address bytes inside *key */
	__u32 ifindex;
	__u8 family;		/* AF_INET or AF_INET6 */
};

/* Count and report what an update did. Called after unlocking. */
static __always_inline void xn_neigh_report(struct xn_stats *s, const struct xn_nref *nr,
					    const struct xn_upd *r, bool atomic)
{
	if (r->err == -EPERM) {
		XN_STAT_BUMP(s, static_untouched, atomic);
		return;
	}
	if (r->invalidated)
		XN_STAT_BUMP(s, res_failed, atomic);
	if (!r->changed_state && !r->changed_ll && !r->changed_flags)
		return;
	XN_STAT_BUMP(s, updated, atomic);
	if (r->changed_ll)
		XN_STAT_BUMP(s, lladdr_changes, atomic);
	xn_event(s, r->changed_ll ? XN_EV_LLADDR : XN_EV_STATE, nr->family, nr->ifindex, nr->addr,
		 r->old_state, r->new_state, r->old_ll, r->new_ll, r->flags, atomic);
}

/* Update an existing entry under its lock (neigh_update()). */
static __always_inline void xn_neigh_update(struct xn_stats *s, struct xn_neigh *n,
					    const struct xn_nref *nr, const __u8 *lladdr,
					    __u8 state, __u32 flags, __u64 now,
					    __u64 base_reach_ns, struct xn_upd *r, bool atomic)
{
	bpf_spin_lock(&n->lock);
	xn_neigh_apply(n, lladdr, state, flags, now, base_reach_ns, r);
	bpf_spin_unlock(&n->lock);
	xn_neigh_report(s, nr, r, atomic);
}

/* Elements in a BPF hash map (6.6+; the kernel keeps the count per CPU). */
extern __s64 bpf_map_sum_elem_count(const struct bpf_map *map) __ksym;

/* The table holds xn_global.neigh_limit entries already: the data plane's
 * gc_thresh3. Costs a sum over CPUs, paid only when an entry is created. */
static __always_inline bool xn_neigh_over_limit(const struct xn_nref *nr)
{
	const struct xn_global *g;
	__u32 zero = 0, limit;

	g = bpf_map_lookup_elem(&xn_global, &zero);
	if (!g)
		return false;
	limit = nr->family == AF_INET ? g->neigh_limit[0] : g->neigh_limit[1];
	return limit && bpf_map_sum_elem_count((const struct bpf_map *)nr->map) >= (__s64)limit;
}

/* Create an entry and apply the first update to it before it becomes
 * visible, so no reader ever sees a half-made entry (the kernel creates a
 * NONE entry and updates it under its lock: same result).
 * Returns 0 when created, -EEXIST when another CPU created it first (the
 * caller then updates that one), -E2BIG when the table is full. */
static __always_inline int xn_neigh_create_as(struct xn_stats *s, const struct xn_nref *nr,
					      const __u8 *lladdr, __u8 state, __u32 flags,
					      __u64 now, __u64 base_reach_ns, __u32 xflags,
					      bool noarp_bcast, struct xn_upd *r, bool atomic)
{
	struct xn_neigh fresh = {};
	long err;

	/* NUD-11 / neigh_alloc(): NONE, updated = used = now, not confirmed. */
	fresh.state = NUD_NONE;
	fresh.updated = now;
	fresh.used = now;
	fresh.confirmed = now > 2 * base_reach_ns ? now - 2 * base_reach_ns : 0;
	fresh.xflags = xflags;
	/* NUD-12 (arp_constructor()): a broadcast key is a NOARP entry with the
	 * device broadcast address; the update that follows cannot change it */
	if (noarp_bcast) {
		fresh.state = NUD_NOARP;
		__builtin_memset(fresh.lladdr, 0xff, ETH_ALEN);
	}
	xn_neigh_apply(&fresh, lladdr, state, flags, now, base_reach_ns, r);
	fresh.gen = 1;

	/* GC-3 neigh_alloc(): past gc_thresh3 no entry is made. xneighd
	 * enforces it too, from the events, but a flood of new senders
	 * overruns the event ring; only here does the bound hold. */
	if (!atomic && xn_neigh_over_limit(nr))
		err = -E2BIG;
	else
		err = bpf_map_update_elem(nr->map, nr->key, &fresh, BPF_NOEXIST);
	if (err == -EEXIST)
		return -EEXIST;
	if (err) {
		/* GC-3: allocation refused -> table_fulls, as neigh_alloc() */
		XN_STAT_BUMP(s, table_fulls, atomic);
		xn_event(s, XN_EV_TABLE_FULL, nr->family, nr->ifindex, nr->addr, 0, state,
			 NULL, lladdr, 0, atomic);
		return -E2BIG;
	}
	XN_STAT_BUMP(s, allocs, atomic);
	if (!atomic)
		XN_STAT_INC(s, learned);	/* the data plane, not xn_ctl, made it */
	/* the first update was refused by the constructor's NOARP */
	if (r->err == -EPERM)
		XN_STAT_BUMP(s, static_untouched, atomic);
	xn_event(s, XN_EV_CREATED, nr->family, nr->ifindex, nr->addr, NUD_NONE, r->new_state,
		 NULL, r->new_ll, r->flags, atomic);
	return 0;
}

static __always_inline int xn_neigh_create(struct xn_stats *s, const struct xn_nref *nr,
					   const __u8 *lladdr, __u8 state, __u32 flags,
					   __u64 now, __u64 base_reach_ns, __u32 xflags,
					   struct xn_upd *r, bool atomic)
{
	return xn_neigh_create_as(s, nr, lladdr, state, flags, now, base_reach_ns, xflags, false,
				  r, atomic);
}

/* neigh_lookup() on receive: counts lookups and hits (ST: lookups, hits). */
static __always_inline struct xn_neigh *xn_neigh_lookup(struct xn_stats *s,
							const struct xn_nref *nr)
{
	struct xn_neigh *n;

	XN_STAT_INC(s, lookups);
	n = bpf_map_lookup_elem(nr->map, nr->key);
	if (n)
		XN_STAT_INC(s, hits);
	return n;
}

/* The entry's state read once, without the lock (the lock-free paths below
 * and in ndisc.h): a single load the compiler may not repeat or tear. */
static __always_inline __u8 xn_neigh_state_once(const struct xn_neigh *n)
{
	return *(volatile const __u8 *)&n->state;
}

/* neigh_event_ns() for a solicitation (ARP-R5, ND-NS10: a STALE hint with
 * OVERRIDE) changes nothing when the entry already holds this address in a
 * valid, dynamic state: NUD-8.8 keeps the old state for a STALE hint with the
 * same address, NUD-8.9 leaves `updated` alone, nothing is confirmed and no
 * event is due. That is every request from a host we know, so it is decided
 * here without the lock and without reading the clock: together they were
 * half the cost of an answer (README, Benchmarks).
 * The fields are read without the lock. A snapshot showing this address in a
 * valid state orders our no-op before any writer that was changing the entry
 * meanwhile, which gives the state that writer leaves, as the kernel would
 * with the writes the other way round. lladdr == NULL (an NS without SLLAO)
 * matches any valid address, as same_ll does in xn_neigh_apply(). */
static __always_inline bool xn_neigh_solicit_unchanged(const struct xn_neigh *n,
						       const __u8 *lladdr)
{
	__u8 st = xn_neigh_state_once(n);

	if (!(st & XN_NUD_VALID) || (st & (NUD_NOARP | NUD_PERMANENT)))
		return false;
	return !lladdr || xn_mac_eq(lladdr, n->lladdr);
}

/* Create-or-update in one call (neigh_event_ns() with creation, and
 * __neigh_lookup(..., creat=1) followed by neigh_update()).
 * Returns 0 when an entry exists afterwards, -E2BIG when the table is full. */
static __always_inline int xn_neigh_upsert(struct xn_stats *s, struct xn_neigh *n,
					   const struct xn_nref *nr, const __u8 *lladdr,
					   __u8 state, __u32 flags, __u64 now,
					   __u64 base_reach_ns, bool noarp_bcast, struct xn_upd *r)
{
	int err;

	if (!n) {
		err = xn_neigh_create_as(s, nr, lladdr, state, flags, now, base_reach_ns,
					 XN_NF_CREATED_BY_DP, noarp_bcast, r, false);
		if (err != -EEXIST)
			return err;
		/* lost the race with another CPU: update its entry */
		n = bpf_map_lookup_elem(nr->map, nr->key);
		if (!n)
			return -E2BIG;	/* created and removed meanwhile: give up as full */
	}
	xn_neigh_update(s, n, nr, lladdr, state, flags, now, base_reach_ns, r, false);
	return 0;
}

static __always_inline void xn_nref4(struct xn_nref *nr, struct xn_neigh4_key *key)
{
	nr->map = &xn_neigh4;
	nr->key = key;
	nr->addr = &key->addr;
	nr->ifindex = key->ifindex;
	nr->family = AF_INET;
}

static __always_inline void xn_nref6(struct xn_nref *nr, struct xn_neigh6_key *key)
{
	nr->map = &xn_neigh6;
	nr->key = key;
	nr->addr = key->addr;
	nr->ifindex = key->ifindex;
	nr->family = AF_INET6;
}

/* What one transmission through an entry saw and did (xn_tx_use_locked()). */
struct xn_tx_use {
	__u8 state;		/* the entry's state before */
	__u8 marked;		/* `used` refreshed (NUD-1) */
	__u8 to_delay;		/* STALE -> DELAY (NUD-3) */
	__u8 usable;		/* (resolve) the entry is valid: its lladdr is in ll */
	__u8 dead;		/* XN_NF_DEAD: being removed */
	__u8 ll[ETH_ALEN];	/* the entry's lladdr when usable or to_delay */
};

/* The transmit side of a neighbour (neigh_event_send(), NUD-1..3), lock
 * held: a packet leaves through entry n at `now`. `resolve` is a constant
 * at every call site:
 *   false: the frame carries its destination MAC already, dmac (TC egress,
 *     answers the data plane sends): only a valid entry holding that MAC is
 *     marked; a frame addressed elsewhere is not evidence of use.
 *   true: the caller takes the destination from the entry
 *     (include/xneigh/resolve.h): a valid entry is usable, even one being
 *     removed (the kernel still sends through a dead entry it can address,
 *     out_dead in __neigh_event_send()); NONE, INCOMPLETE and FAILED are
 *     marked used too (NUD-1) and left to the caller's policy.
 * Only the slow path (not CONNECTED) marks use (NUD-2); STALE -> DELAY
 * (NUD-3). Entries being removed are never changed. */
static __always_inline void xn_tx_use_locked(struct xn_neigh *n, bool resolve, const __u8 *dmac,
					     __u64 now, struct xn_tx_use *u)
{
	__u8 st = n->state;
	bool valid = st & XN_NUD_VALID;

	u->state = st;
	u->marked = 0;
	u->to_delay = 0;
	u->usable = 0;
	u->dead = (n->xflags & XN_NF_DEAD) != 0;
	if (resolve && valid) {
		u->usable = 1;
		xn_mac_copy(u->ll, n->lladdr);
	}
	if (u->dead || (st & XN_NUD_CONNECTED))
		return;
	if (!resolve && !(valid && xn_mac_eq(n->lladdr, dmac)))
		return;
	u->marked = 1;
	n->used = now;					/* NUD-1 */
	if (st == NUD_STALE) {				/* NUD-3 */
		n->state = NUD_DELAY;
		n->updated = now;
		n->gen++;
		u->to_delay = 1;
		xn_mac_copy(u->ll, n->lladdr);
	}
}

/* NUD-2 without a clock: through a CONNECTED entry (the kernel's header
 * cache, neigh_hh_output()) a packet leaves with the cached address and
 * marks nothing, so resolve.h need not read the time for it. Lock held;
 * true with the entry's lladdr in ll. */
static __always_inline bool xn_tx_connected_locked(const struct xn_neigh *n, __u8 *ll)
{
	if (!(n->state & XN_NUD_CONNECTED))
		return false;
	xn_mac_copy(ll, n->lladdr);
	return true;
}

/* Count and report a marking, after unlocking. */
static __always_inline void xn_tx_use_report(struct xn_stats *s, const struct xn_nref *nr,
					     const struct xn_tx_use *u)
{
	if (!u->marked)
		return;
	XN_STAT_INC(s, tx_used);
	if (u->to_delay) {
		XN_STAT_INC(s, tx_stale_to_delay);
		/* the kernel sends no netlink notification here (O-9); the
		 * event is for xneighd, which arms the DELAY timer */
		xn_event(s, XN_EV_STATE, nr->family, nr->ifindex, nr->addr, NUD_STALE, NUD_DELAY,
			 u->ll, u->ll, 0, false);
	}
}

/* Mark the entry a frame addressed to dmac is leaving for (TC egress, and
 * answers the data plane sends through an entry). */
static __always_inline bool xn_tx_mark(struct xn_stats *s, struct xn_neigh *n,
				       const struct xn_nref *nr, const __u8 *dmac, __u64 now)
{
	struct xn_tx_use u;
	__u8 st = xn_neigh_state_once(n);

	/* neigh_event_send(): in DELAY and PROBE a packet only moves `used`,
	 * which the kernel writes without the lock (WRITE_ONCE); the lock is
	 * for STALE -> DELAY. Same test as xn_tx_use_locked() otherwise. */
	if (st & (NUD_DELAY | NUD_PROBE)) {
		if ((n->xflags & XN_NF_DEAD) || !xn_mac_eq(n->lladdr, dmac))
			return false;
		*(volatile __u64 *)&n->used = now;		/* NUD-1 */
		XN_STAT_INC(s, tx_used);
		return true;
	}
	bpf_spin_lock(&n->lock);
	xn_tx_use_locked(n, false, dmac, now, &u);
	bpf_spin_unlock(&n->lock);
	xn_tx_use_report(s, nr, &u);
	return u.marked;
}

#endif /* XN_BPF_NEIGH_H */
