/* SPDX-License-Identifier: GPL-2.0 */
/* The control program: how user space changes a neighbour entry atomically.
 *
 * A plain BPF_F_LOCK map update replaces the whole value, so a read-modify-
 * write from user space would lose a data-plane update made in between. User
 * space therefore runs the SEC("syscall") program xn_ctl with a struct
 * xn_ctl_req as its context: it applies the kernel's neigh_update() rules
 * (NUD-8) under the entry's spin lock, with the same code the data plane uses.
 */
#ifndef XNEIGH_CTL_H
#define XNEIGH_CTL_H

#include "types.h"
#include "wire.h"
#include "nud.h"
#include "maps.h"

enum xn_ctl_op {
	XN_CTL_UPDATE = 1,		/* neigh_update(entry, lladdr, state, flags); create if asked */
	XN_CTL_CAS = 2,			/* set the fields in set_mask if gen == expect_gen */
	XN_CTL_DELETE = 3,		/* remove if gen == expect_gen (or XN_CTL_F_ANY_GEN) */
	XN_CTL_STAT_ADD = 4,		/* add `probes` to counter number `state` (enum
					 * xn_stat_index) of the family: the daemon's
					 * periodic_gc_runs, forced_gc_runs, ... */
	XN_CTL_GC_SCAN = 5,		/* GC-2 walk of the family's table: see
					 * struct xn_gc_scan below */
};

#define XN_CTL_F_CREATE		0x1	/* create the entry if it does not exist */
#define XN_CTL_F_HAS_LLADDR	0x2	/* lladdr is given */
#define XN_CTL_F_ANY_GEN	0x4	/* DELETE: whatever the entry's gen */
#define XN_CTL_F_LIMIT		0x10	/* UPDATE: create only within xn_global.neigh_limit */
#define XN_CTL_F_EXPECT_TIMES	0x8	/* CAS: also require confirmed == expect_confirmed
					 * and used == expect_used (a confirmation does
					 * not move gen) */

/* XN_CTL_CAS: which fields to write. The timer side of the NUD machine
 * (xneighd) decides from a snapshot; the compare on `gen` makes the write
 * fail with -EAGAIN if the data plane changed the entry meanwhile, and the
 * daemon decides again from a fresh snapshot. */
#define XN_CTL_SET_STATE	0x01
#define XN_CTL_SET_LLADDR	0x02
#define XN_CTL_SET_PROBES	0x04
#define XN_CTL_SET_CONFIRMED	0x08
#define XN_CTL_SET_UPDATED	0x10
#define XN_CTL_SET_USED		0x20

struct xn_ctl_req {
	/* in */
	__u32 op;			/* enum xn_ctl_op */
	__u32 family;			/* AF_INET or AF_INET6 */
	__u32 ifindex;
	__u32 ctl_flags;		/* XN_CTL_F_* */
	__u8 addr[16];			/* IPv4: first 4 bytes, network order */
	__u8 lladdr[ETH_ALEN];
	__u8 state;			/* requested NUD_* */
	__u8 ntf_flags;			/* XN_NTF_* to set with ADMIN (EXT_LEARNED, ROUTER) */
	__u32 update_flags;		/* XN_UPD_* */
	/* out */
	__s32 result;			/* 0, or -errno */
	__u8 old_state;
	__u8 new_state;
	__u8 changed;			/* 1 when state or lladdr changed */
	__u8 pad;
	/* XN_CTL_CAS / XN_CTL_DELETE */
	__u32 expect_gen;		/* in: gen of the snapshot; out: the entry's gen */
	__u32 set_mask;			/* XN_CTL_SET_* */
	__u32 probes;
	__u32 pad2;
	__u64 confirmed;
	__u64 updated;
	__u64 used;
	__u64 expect_confirmed;		/* with XN_CTL_F_EXPECT_TIMES */
	__u64 expect_used;
};
XN_STATIC_ASSERT(sizeof(struct xn_ctl_req) == 112, "xn_ctl_req layout");

/* ---- XN_CTL_GC_SCAN: the walk of periodic GC (GC-2) in the kernel ------------------ */

/* neigh_periodic_work() (net/core/neighbour.c) visits every entry of the
 * table under its lock: it leaves PERMANENT entries, entries in a timer
 * state and NTF_EXT_LEARNED ones alone, raises `used` to `confirmed` when
 * confirmed is newer and not in the future, and removes FAILED entries and
 * those idle (now - used) for gc_stale_time or more. Reading a million
 * entries into user space for that costs ~0.6 us each (bpf_map_lookup_batch
 * with BPF_F_LOCK), so xn_ctl walks the table itself with
 * bpf_for_each_map_elem() (RCU, no copies; ~0.1-0.15 us an entry at 1 M
 * entries, about one cache miss each), applies xn_gc2_verdict() to each
 * entry, raises `used` in place as the kernel does, counts the entries and
 * hands the victims back to xneighd in the xn_gcscan map. An entry it
 * changes or returns is decided under its lock; the others are only looked
 * at (see bpf/lib/ctl.h). xneighd checks each victim with its NUD engine and
 * removes it with a gen-checked XN_CTL_DELETE (destroys, XN_EV_DELETED), so
 * a removal is counted and reported as any other.
 *
 * One run returns at most XN_GC_SCAN_CAP victims, about what the event
 * ring (XN_EVENTS_BYTES) holds of the DELETED events their removal emits;
 * with more, `more` is set and xneighd reads the table with a batch dump for
 * that run instead. A walk cannot be resumed where it stopped
 * (bpf_for_each_map_elem() always starts at bucket 0), so a second scan
 * would cost a whole walk again per XN_GC_SCAN_CAP victims, and a mass
 * expiry of a large table is bounded better by one walk and one dump. */
#define XN_MAP_GCSCAN		"xn_gcscan"	/* array, one struct xn_gc_scan */

#define XN_GC_SCAN_SETS		64	/* interfaces with their own gc_stale_time */
#define XN_GC_SCAN_CAP		4096	/* victims per run (a power of two) */

#define XN_GC_SET_NONE		0xffffffffu	/* ifindex of an unused sets[] slot */

/* An interface whose gc_stale_time differs from the table's default. */
struct xn_gc_set {
	__u32 ifindex;
	__u32 pad;
	__u64 stale_ns;			/* gc_stale_time of its parameter set */
};
XN_STATIC_ASSERT(sizeof(struct xn_gc_set) == 16, "xn_gc_set layout");

/* A victim: its key and the entry as the rule saw it (lock held), `used`
 * already raised. */
struct xn_gc_cand {
	__u32 ifindex;
	__u32 gen;			/* for XN_CTL_DELETE's expect_gen */
	__u8 addr[16];			/* IPv4: first 4 bytes, network order */
	__u8 state;
	__u8 flags;
	__u8 lladdr[ETH_ALEN];
	__u32 probes;
	__u32 xflags;
	__u64 confirmed;
	__u64 updated;
	__u64 used;
};
XN_STATIC_ASSERT(sizeof(struct xn_gc_cand) == 64, "xn_gc_cand layout");

/* The one value of xn_gcscan: written by the caller (in), then by the scan
 * (out). One walk at a time: xneighd is its only user. */
struct xn_gc_scan {
	/* in */
	__u64 now;			/* 0: bpf_ktime_get_ns(); else this time (tests) */
	__u64 stale_ns;			/* gc_stale_time of every interface not in sets[] */
	__u32 nsets;			/* sets[] in use: the first ones, sorted by
					 * ifindex, unique; the other slots have
					 * ifindex XN_GC_SET_NONE */
	__u32 pad;
	struct xn_gc_set sets[XN_GC_SCAN_SETS];
	/* out */
	__u64 now_used;			/* the time the rule was applied with */
	__u32 entries;			/* every entry walked: exempt and dead ones too */
	__u32 exempt;			/* PERMANENT, timer state, EXT_LEARNED, dead */
	__u32 raised;			/* entries whose `used` was raised to `confirmed` */
	__u32 victims;			/* victims found, returned or not */
	__u32 ncand;			/* cand[] filled: min(victims, XN_GC_SCAN_CAP) */
	__u32 more;			/* 1: victims were left out (XN_GC_SCAN_CAP) */
	__u64 next_victim;		/* earliest used + gc_stale_time of the entries
					 * kept (~0: none): no entry seen can become a
					 * victim before, unless an event changes it */
	struct xn_gc_cand cand[XN_GC_SCAN_CAP];
};
XN_STATIC_ASSERT(sizeof(struct xn_gc_scan) ==
		 24 + 16 * XN_GC_SCAN_SETS + 40 + 64 * XN_GC_SCAN_CAP, "xn_gc_scan layout");

/* xn_gc2_verdict() */
#define XN_GC2_EXEMPT		0	/* not looked at (`used` untouched) */
#define XN_GC2_KEEP		1
#define XN_GC2_VICTIM		2

/* GC-2 on one entry, neigh_periodic_work(): the rule the scan applies in
 * the kernel, with the NUD engine's reading of times (wrap-safe compares,
 * a `used` after `now` is fresh, not ancient). It calls nothing, so BPF may
 * run it with the entry's lock held. *used is the entry's `used`, and comes
 * back raised to `confirmed` when the kernel would raise it: the caller
 * stores it. stale_ns: gc_stale_time of the entry's interface. Loopback
 * entries are not exempt here: exempt_from_gc only keeps them off the
 * forced-GC list (GC-1). */
static inline __attribute__((always_inline)) int
xn_gc2_verdict(__u8 state, __u8 ntf_flags, __u32 xflags, __u64 confirmed, __u64 now,
	       __u64 stale_ns, __u64 *used)
{
	if ((xflags & XN_NF_DEAD) || (state & (NUD_PERMANENT | XN_NUD_IN_TIMER)) ||
	    (ntf_flags & XN_NTF_EXT_LEARNED))
		return XN_GC2_EXEMPT;
	/* time_before(used, confirmed) && time_is_before_eq_jiffies(confirmed) */
	if ((__s64)(*used - confirmed) < 0 && (__s64)(confirmed - now) <= 0)
		*used = confirmed;
	if (state == NUD_FAILED)
		return XN_GC2_VICTIM;
	/* !time_in_range_open(now, used, used + gc_stale_time) */
	if ((__s64)(now - *used) < 0)
		return XN_GC2_KEEP;
	return now - *used >= stale_ns ? XN_GC2_VICTIM : XN_GC2_KEEP;
}

#endif /* XNEIGH_CTL_H */
