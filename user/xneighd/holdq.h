/* SPDX-License-Identifier: GPL-2.0 */
/* xneighd: the hold queue, the kernel's arp_queue for frames the data plane
 * could not send (include/xneigh/resolve.h, policy XN_RESOLVE_HOLD).
 *
 * A BPF program that finds its next hop unresolved copies the frame into the
 * ring buffer xn_hold (struct xn_hold_rec) and drops it. xneighd keeps the
 * copies per neighbour entry, as __neigh_event_send() keeps skbs on
 * neigh->arp_queue (spec NUD-3, net/core/neighbour.c of 6.12), and
 *   - when the entry becomes valid: sends them, oldest first, through
 *     AF_PACKET on the entry's interface with the entry's MAC as destination
 *     and the interface's as source (neigh_update() -> the queue is flushed
 *     through neigh->output); counted in hold_sent;
 *   - when it fails (FAILED), is deleted, or the frames are older than
 *     XN_HOLDQ_MAX_AGE: discards them (neigh_invalidate() purges the queue);
 *     counted in hold_failed. The kernel also reports each to the sender
 *     (ICMP host unreachable through the error handler); xneighd does not.
 *
 * Bounds, as the kernel's (NUD-3): per neighbour, at most unres_qlen_bytes
 * of frames, each charged its truesize; a new frame first drops the
 * *oldest* ones until it fits, each drop counted in unres_discards; a frame
 * is always queued when the queue is empty, however large. The kernel's
 * unres_qlen_bytes is unres_qlen x SKB_TRUESIZE(ETH_FRAME_LEN) when set
 * through unres_qlen (neigh_proc_dointvec_unres_qlen()); xneighd mirrors
 * unres_qlen, so the budget is computed the same way, with x86-64's
 * SKB_TRUESIZE() (sk_buff and skb_shared_info, cache-aligned: 576 bytes
 * over the data). On top, a global cap (XN_HOLDQ_MAX_BYTES of truesize
 * over all neighbours) bounds the daemon's memory: a frame that would
 * exceed it is refused (unres_discards).
 *
 * The queue itself (xn_holdq_*) is pure: no I/O, no clock, tested on its
 * own (tests/unit/test_holdq.c). The driver (xn_holdd_*) reads entries,
 * sends, counts and asks for resolutions.
 */
#ifndef XND_HOLDQ_H
#define XND_HOLDQ_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include "xneigh/maps.h"
#include "timerq.h"			/* struct xn_nud_key */

/* SKB_TRUESIZE(X) on x86-64 (6.12): X + SKB_DATA_ALIGN(sizeof(struct
 * sk_buff)) + SKB_DATA_ALIGN(sizeof(struct skb_shared_info)) = X + 256 + 320. */
#define XN_HOLDQ_SKB_OVERHEAD	576u
#define XN_HOLDQ_TRUESIZE(len)	((size_t)(len) + XN_HOLDQ_SKB_OVERHEAD)
/* ETH_FRAME_LEN: the unit of unres_qlen. */
#define XN_HOLDQ_ETH_FRAME_LEN	1514u
/* Global cap of truesize held over all neighbours (about 8000 full frames). */
#define XN_HOLDQ_MAX_BYTES	(16u << 20)
/* Frames older than this are discarded whatever their entry says (a lost
 * event must not hold them forever). */
#define XN_HOLDQ_MAX_AGE	(60ull * 1000000000ull)

/* ---- the queue ------------------------------------------------------------------ */

struct xn_holdq;

/* An empty queue with a global cap of max_bytes (truesize). `seed` keys the
 * hash of neighbour keys (they come from traffic). NULL: out of memory. */
struct xn_holdq *xn_holdq_new(size_t max_bytes, __u64 seed);
void xn_holdq_free(struct xn_holdq *q);

/* unres_qlen (packets) as a byte budget, as the kernel stores it. */
size_t xn_holdq_budget(__u32 unres_qlen);

/* NUD-3: append a copy of frame (len bytes, held at ts) to k's queue. First
 * the oldest frames of k are dropped while the queue's truesize plus this
 * frame's exceeds `budget` (*dropped counts them: unres_discards). Then, if
 * the frame would take the whole queue over the global cap, it is refused:
 * -ENOBUFS (one more unres_discard, for the caller to count); -ENOMEM when
 * out of memory; 0 when queued. */
int xn_holdq_add(struct xn_holdq *q, const struct xn_nud_key *k, const void *frame, size_t len,
		 __u64 ts, size_t budget, unsigned int *dropped);

/* Take k's frames out, oldest first: cb(ctx, frame, len) for each (the
 * frame may be rewritten in place); then they are freed. Returns how many. */
size_t xn_holdq_take(struct xn_holdq *q, const struct xn_nud_key *k,
		     void (*cb)(void *ctx, __u8 *frame, size_t len), void *ctx);

/* Discard k's frames. Returns how many. */
size_t xn_holdq_drop(struct xn_holdq *q, const struct xn_nud_key *k);

/* Discard, in every queue, the frames held before `before`. Returns how many;
 * per family in dropped_by_family[0] (AF_INET) and [1] (AF_INET6). */
size_t xn_holdq_expire(struct xn_holdq *q, __u64 before, size_t dropped_by_family[2]);

/* Frames queued for k (0: none) and the hold time of the oldest. */
size_t xn_holdq_count(const struct xn_holdq *q, const struct xn_nud_key *k, __u64 *oldest);

/* Totals: frames, truesize, neighbours with frames. */
size_t xn_holdq_frames(const struct xn_holdq *q);
size_t xn_holdq_bytes(const struct xn_holdq *q);
size_t xn_holdq_neighbours(const struct xn_holdq *q);

/* Copy up to max keys that have frames into out. Returns how many. */
size_t xn_holdq_keys(const struct xn_holdq *q, struct xn_nud_key *out, size_t max);

/* ---- the driver ------------------------------------------------------------------ */

struct xn_model;
struct xn_conf;

struct xn_holdd_cfg {
	int neigh_fd[2];		/* xn_neigh4, xn_neigh6 (read with BPF_F_LOCK) */
	int ctl_fd;			/* xn_ctl, for the counters (XN_CTL_STAT_ADD) */
	const struct xn_model *m;	/* interfaces: MAC, name, unres_qlen */
	const struct xn_conf *conf;	/* the layers over the sysctls (NULL: none) */
	/* neigh_event_send() on the entry (xn_nudd_resolve()); may be NULL */
	void (*resolve)(void *ctx, const struct xn_nud_key *k);
	void *ctx;
};

struct xn_holdd;

/* 0 or -errno (said). */
int xn_holdd_new(struct xn_holdd **out, const struct xn_holdd_cfg *cfg);
void xn_holdd_free(struct xn_holdd *h);

/* One record of xn_hold (a libbpf ring_buffer callback's data). */
void xn_holdd_record(struct xn_holdd *h, const void *data, size_t size);

/* The entry changed (v NULL: deleted): send or discard its frames. */
void xn_holdd_entry(struct xn_holdd *h, const struct xn_nud_key *k, const struct xn_neigh *v);

/* Periodic: entries whose event was missed, NONE entries nobody resolves,
 * frames past XN_HOLDQ_MAX_AGE. `now` is CLOCK_MONOTONIC ns. */
void xn_holdd_tick(struct xn_holdd *h, __u64 now);

void xn_holdd_log_summary(const struct xn_holdd *h);

#endif /* XND_HOLDQ_H */
