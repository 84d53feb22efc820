/* SPDX-License-Identifier: GPL-2.0 */
/* xneighd: the timer queue of the NUD state machine.
 *
 * One timer per neighbour entry, keyed by (family, ifindex, address), ordered
 * by due time. The kernel keeps a timer_list in every struct neighbour; we
 * keep a binary min-heap of due times plus a hash index from key to heap
 * slot, so that
 *   - arming, re-arming and cancelling one entry's timer is O(log n),
 *   - finding the next due time (for the daemon's timerfd) is O(1),
 *   - popping what is due is O(log n) per due entry:
 * a second with 1 M entries in the table costs what is due in that second,
 * never a scan of the table. No I/O, no clock: due times are whatever the
 * caller says (CLOCK_MONOTONIC ns in xneighd).
 */
#ifndef XND_TIMERQ_H
#define XND_TIMERQ_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

/* A neighbour entry's identity, shared with the NUD engine (nud_engine.h).
 * Writers zero the whole struct first: the hash and the comparison read all
 * 24 bytes. IPv4 addresses take the first 4 bytes of addr, network order. */
struct xn_nud_key {
	__u32 family;			/* AF_INET or AF_INET6 */
	__u32 ifindex;
	__u8 addr[16];
};

/* "No timer": larger than any due time. */
#define XN_TQ_NEVER	((__u64)-1)

struct xn_timerq;

/* An empty queue sized for about `hint` timers (0: small); NULL when out of
 * memory. It grows as needed. `seed` keys the hash index: keys come from the
 * network (learned addresses), so xneighd passes a random seed to keep a
 * sender from choosing addresses that all land in one hash chain. */
struct xn_timerq *xn_tq_new(size_t hint, __u64 seed);
void xn_tq_free(struct xn_timerq *tq);

/* Arm (or re-arm) the timer of `key` at `due`, with an opaque `tag` the
 * caller gets back (xneighd stores the entry's gen the timer was armed for).
 * 0, or -ENOMEM (the queue is unchanged then). */
int xn_tq_set(struct xn_timerq *tq, const struct xn_nud_key *key, __u64 due, __u64 tag);

/* Cancel the timer of `key`. True if there was one. */
bool xn_tq_del(struct xn_timerq *tq, const struct xn_nud_key *key);

/* The timer of `key`: true and its due time and tag (either pointer may be
 * NULL), or false when none is armed. */
bool xn_tq_get(const struct xn_timerq *tq, const struct xn_nud_key *key, __u64 *due,
	       __u64 *tag);

/* Number of armed timers. */
size_t xn_tq_len(const struct xn_timerq *tq);

/* The earliest due time, XN_TQ_NEVER when the queue is empty. */
__u64 xn_tq_next_due(const struct xn_timerq *tq);

/* Remove and return one timer whose due time is <= now, earliest first (ties
 * in no particular order). True when one was popped; key, due and tag (any
 * may be NULL) receive it. */
bool xn_tq_pop(struct xn_timerq *tq, __u64 now, struct xn_nud_key *key, __u64 *due,
	       __u64 *tag);

#endif /* XND_TIMERQ_H */
