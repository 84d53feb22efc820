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
 *   - when it fails (FAILED): discards them, counted in hold_failed, and
 *     reports each to its sender as neigh_invalidate() does through the
 *     protocol's error_report (ICMP host unreachable, ICMPv6 address
 *     unreachable; see "ICMP errors" below), counted in hold_unreachable;
 *   - when it is deleted, or the frames are older than XN_HOLDQ_MAX_AGE:
 *     discards them silently (neigh_flush_dev() purges the queue without a
 *     report; the age is xneighd's own bound), counted in hold_failed;
 *   - when its resolution is refused (xn_nudd_resolve() will not resolve
 *     the address: a NOARP device, not a unicast neighbour, no IPv4/IPv6 on
 *     the interface, the table full): discards them at once, counted in
 *     hold_failed, as the kernel drops a packet whose neighbour it cannot
 *     create (ip_finish_output2(): no neighbour, no report).
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

/* ---- ICMP errors for frames discarded at FAILED --------------------------------- */

/* neigh_invalidate() (net/core/neighbour.c) hands every frame still queued
 * when an entry fails to the protocol's error_report: arp_error_report() /
 * ndisc_error_report() -> dst_link_failure() -> ipv4_send_dest_unreach()
 * -> __icmp_send(ICMP_DEST_UNREACH, ICMP_HOST_UNREACH), or ip6_link_failure()
 * -> icmpv6_send(ICMPV6_DEST_UNREACH, ICMPV6_ADDR_UNREACH). xneighd builds
 * the same message from the held frame (xn_icmp_error_build(), pure) and
 * sends it through a raw socket, so that the kernel routes it back to the
 * frame's source and picks its source address as __icmp_send() does for a
 * forwarded packet (no inbound-address rule: icmp_errors_use_inbound_ifaddr
 * off, the default) and icmp6_send() does when the route has a preferred
 * source (else the kernel takes the receiving interface's; xneighd does not
 * know it: the route's interface, the same one on a symmetric path). */

/* __icmp_send(): "return as much as we can without exceeding 576 bytes" */
#define XN_ICMP4_QUOTE_MAX	(576 - 20 - 8)
/* icmp6_send(): IPV6_MIN_MTU - sizeof(ipv6hdr) - sizeof(icmp6hdr) */
#define XN_ICMP6_QUOTE_MAX	(1280 - 40 - 8)
#define XN_ICMP_ERR_MAX		(8 + XN_ICMP6_QUOTE_MAX)

#define XN_ICMP4_DEST_UNREACH	3
#define XN_ICMP4_HOST_UNREACH	1
#define XN_ICMP6_DEST_UNREACH	1
#define XN_ICMP6_ADDR_UNREACH	3
/* __icmp_send()'s TOS for an error: IPTOS_PREC_INTERNETCONTROL | RT_TOS() */
#define XN_ICMP4_ERR_TOS(tos)	(0xc0 | ((tos) & 0x1e))

/* Why no error is sent for a frame (xn_icmp_error_build()). */
enum xn_icmp_verdict {
	XN_ICMP_SEND = 0,	/* built */
	XN_ICMP_NOT_IP,		/* not IPv4/IPv6 after Ethernet and tags, or its header
				 * is truncated or malformed */
	XN_ICMP_FRAGMENT,	/* IPv4: not the first fragment (RFC 1122 3.2.2) */
	XN_ICMP_MCAST_DST,	/* to a multicast or broadcast address (RFC 1122,
				 * RFC 4443 2.4 (e.3)) */
	XN_ICMP_BAD_SRC,	/* from an address that names no single host: zero,
				 * multicast, broadcast, loopback, class E (IPv4); the
				 * unspecified address or multicast (IPv6) */
	XN_ICMP_ABOUT_ERROR,	/* an ICMP error itself (or unknown ICMP type, IPv4),
				 * RFC 1122 3.2.2 / RFC 4443 2.4 (e.1) */
};

struct xn_icmp_err {
	int family;			/* AF_INET / AF_INET6 */
	__u8 dst[16];			/* the frame's source: where the error goes */
	__u8 tos;			/* IPv4: the error's TOS */
	size_t len;			/* bytes of msg */
	/* the ICMP message: header and quote, from the frame's IP header on;
	 * the IPv4 checksum done, the ICMPv6 one left to the kernel (raw
	 * ICMPv6 sockets always compute it) */
	__u8 msg[XN_ICMP_ERR_MAX];
};

/* The destination unreachable the kernel would send for `frame` (a held
 * frame: Ethernet, up to two VLAN tags, IPv4 or IPv6), with the kernel's
 * rules for when not to (__icmp_send(), icmp6_send(), is_ineligible()). */
enum xn_icmp_verdict xn_icmp_error_build(const __u8 *frame, size_t len, struct xn_icmp_err *out);
const char *xn_icmp_verdict_str(enum xn_icmp_verdict v);

/* The rate limits of both kernels' ICMP errors, with an injected clock
 * (CLOCK_MONOTONIC ns):
 *   - global, shared by IPv4 and IPv6 (icmp_global_allow()): a bucket of
 *     icmp_msgs_burst messages refilled at icmp_msgs_per_sec, refilled at
 *     most every 20 ms; one message takes one credit (the kernel draws 0 to
 *     2: one on average);
 *   - per destination (inet_peer_xrlim_allow()): one message per
 *     icmp_ratelimit (net.ipv6.icmp.ratelimit), bursts of 6, a new
 *     destination starting with its full burst. The kernel divides the
 *     IPv6 interval for destinations behind routes shorter than /128 (by 2
 *     to 16); xneighd does not: stricter, never looser. Destinations are
 *     kept in XN_ICMP_RL_PEERS slots by hash; a destination that takes
 *     another's slot starts afresh (the global bucket still bounds all).
 * A family whose ratemask leaves out destination unreachable is not
 * limited at all, as in the kernel. An error that leaves through loopback
 * (to one of the host's own addresses) has no per-destination limit
 * (icmpv4_xrlim_allow(), icmpv6_xrlim_allow()) but takes global credit. */
#define XN_ICMP_RL_PEERS	1024
#define XN_ICMP_RL_BURST	6	/* XRLIM_BURST_FACTOR */

struct xn_icmp_rl_cfg {
	__u64 interval_ns[2];		/* icmp_ratelimit [0], icmpv6 ratelimit [1] */
	bool limited[2];		/* destination unreachable in the ratemask */
	__u32 msgs_per_sec, msgs_burst;
};

struct xn_icmp_rl_peer {
	__u8 family;			/* 0: free */
	__u8 addr[16];
	__u64 last, tokens;		/* ns */
};

struct xn_icmp_rl {
	struct xn_icmp_rl_cfg cfg;
	__u64 global_stamp;
	__s64 global_credit;
	__u64 seed;
	struct xn_icmp_rl_peer peer[XN_ICMP_RL_PEERS];
};

/* The kernel's defaults: 1000 ms, both ratemasks with the type, 1000 per
 * second, bursts of 50. */
void xn_icmp_rl_defaults(struct xn_icmp_rl_cfg *cfg);
/* The running kernel's values, from /proc/sys (defaults where unreadable). */
void xn_icmp_rl_read_sysctls(struct xn_icmp_rl_cfg *cfg);
void xn_icmp_rl_init(struct xn_icmp_rl *rl, const struct xn_icmp_rl_cfg *cfg, __u64 seed);
/* May an error go to dst (family's address length) at `now`? Takes the
 * credit and the token when it may. loopback: dst is the host's own. */
bool xn_icmp_rl_allow(struct xn_icmp_rl *rl, int family, const __u8 *dst, bool loopback,
		      __u64 now);

/* ---- the driver ------------------------------------------------------------------ */

struct xn_model;
struct xn_conf;

struct xn_holdd_cfg {
	int neigh_fd[2];		/* xn_neigh4, xn_neigh6 (read with BPF_F_LOCK) */
	int ctl_fd;			/* xn_ctl, for the counters (XN_CTL_STAT_ADD) */
	const struct xn_model *m;	/* interfaces: MAC, name, unres_qlen */
	const struct xn_conf *conf;	/* the layers over the sysctls (NULL: none) */
	/* neigh_event_send() on the entry (xn_nudd_resolve()); may be NULL.
	 * 0: resolving (or resolved); -EAGAIN: ask again at the next tick;
	 * another -errno: refused, the frames held for it are discarded. */
	int (*resolve)(void *ctx, const struct xn_nud_key *k);
	void *ctx;
};

struct xn_holdd;

/* 0 or -errno (said). */
int xn_holdd_new(struct xn_holdd **out, const struct xn_holdd_cfg *cfg);
void xn_holdd_free(struct xn_holdd *h);

/* One record of xn_hold (a libbpf ring_buffer callback's data). */
void xn_holdd_record(struct xn_holdd *h, const void *data, size_t size);

/* The entry changed (v NULL: deleted): send or discard its frames (and
 * report them to their senders when it FAILED). */
void xn_holdd_entry(struct xn_holdd *h, const struct xn_nud_key *k, const struct xn_neigh *v);

/* Periodic: entries whose event was missed, NONE entries nobody resolves,
 * frames past XN_HOLDQ_MAX_AGE. `now` is CLOCK_MONOTONIC ns. */
void xn_holdd_tick(struct xn_holdd *h, __u64 now);

void xn_holdd_log_summary(const struct xn_holdd *h);

#endif /* XND_HOLDQ_H */
