/* SPDX-License-Identifier: GPL-2.0 */
/* xneighd: the kernel table mirror. What xneigh learns is written to the
 * kernel's own neighbour table over rtnetlink, so the host's traffic finds
 * its neighbours resolved and sends no ARP request or NS of its own; what an
 * administrator put in the kernel's table is imported and never overwritten.
 *
 * How a mirrored entry is marked, and why (checked on 6.18, read in
 * net/core/neighbour.c): NUD_NOARP | NTF_EXT_LEARNED, protocol
 * XN_KM_PROTO (NDA_PROTOCOL), with xneigh's MAC and IsRouter flag; an entry
 * xneigh holds as PERMANENT (`xneigh add`) is written PERMANENT |
 * NTF_EXT_LEARNED instead, so that it also survives carrier loss as
 * xneigh's does (neigh_carrier_down() keeps PERMANENT entries).
 *   - NOARP is not in NUD_IN_TIMER: the kernel arms no timer, so it never
 *     ages the entry to STALE, never probes it, never fails it; it is in
 *     NUD_CONNECTED, so output uses it at once (no neigh_event_send());
 *   - __neigh_update() refuses every non-admin update of a NOARP or
 *     PERMANENT entry (NUD-8.2): ARP replies, gratuitous ARPs, NS and NA
 *     received by the kernel do not change it; only xneighd does;
 *   - NTF_EXT_LEARNED keeps it off the GC list (GC-1), out of periodic GC
 *     (GC-2) and out of forced GC (GC-3, which would otherwise remove any
 *     entry in state NOARP);
 *   - so only xneighd ages and probes the neighbour, on xneigh's entry (the
 *     host's packets still pass xn_tc_out, which marks xneigh's entry used,
 *     NUD-1..3), and the kernel's entry follows: rewritten when xneigh's MAC
 *     changes, deleted when xneigh's entry leaves the valid states (FAILED,
 *     INCOMPLETE, NONE) or is deleted; the kernel then resolves by itself.
 * Rejected: REACHABLE | NTF_EXT_LEARNED (FL-1: the kernel still runs its NUD
 * machine on it, so both would age and probe it, and received frames would
 * change it); NTF_EXT_VALIDATED (6.17+, FL-5: still probed by the kernel,
 * returns to STALE instead of FAILED, and refused by older kernels).
 *
 * Ownership: an entry is ours when it carries NTF_EXT_LEARNED *and*
 * protocol XN_KM_PROTO (`ip neigh` shows "extern_learn NOARP proto 120").
 * An administrator's `ip neigh replace` clears NTF_EXT_LEARNED (NUD-8.3)
 * and so takes the entry over; another control plane's extern_learn
 * entries (FRR's, any other protocol) are not ours. Our own notifications
 * come back on RTNLGRP_NEIGH and are recognised by these marks: they only
 * confirm what was written, never cause a write.
 *
 * What is mirrored: xneigh entries on the interfaces xneighd runs on, in
 * REACHABLE, STALE, DELAY, PROBE, PERMANENT, or NOARP when an administrator
 * made it (`xneigh add ... nud noarp`; the data plane's own NOARP entries
 * are the ARP constructor's, for broadcast keys, NUD-12). Never: multicast,
 * broadcast, unspecified or loopback keys, our own local addresses, and
 * devices that are NOARP or loopback; the kernel makes those itself.
 *
 * What is protected (never written, never deleted): every kernel entry in
 * PERMANENT or NOARP without NTF_EXT_LEARNED (an administrator's, or the
 * kernel's own constructor entries), and every NTF_EXT_LEARNED entry of
 * another protocol. An administrator's PERMANENT entry (no
 * NTF_EXT_LEARNED, with an address) on one of our interfaces is imported
 * into xneigh's table as PERMANENT through xn_ctl with neigh_add()'s admin
 * semantics, so the data plane never overrides it (NUD-8.2) and answers
 * with it; the import follows the kernel entry's MAC and is removed from
 * xneigh when the administrator deletes the kernel entry or makes it
 * dynamic. Proxy entries (NTF_PROXY) are sync.c's (xn_proxy4/6).
 *
 * Entries the kernel resolved itself (dynamic, no NTF_EXT_LEARNED) are
 * left to it until xneigh learns the same neighbour: then the mirror
 * replaces them (NLM_F_REPLACE), so the kernel stops aging and probing them.
 * An entry of ours that someone else removes (`ip neigh del`, carrier loss,
 * link down) is not written back at once: it returns when xneigh's entry
 * next changes.
 *
 * Cost and bounds: the decisions are queued per entry (one pending decision
 * per key however often it changes) and written in batches of XN_KM_BATCH
 * requests per sendmsg, at most XN_KM_TURN per event-loop turn; an eventfd
 * stays readable while work is queued, so the loop keeps serving
 * everything else in between. A write the kernel refuses is counted, logged
 * (rate-limited) and retried with a per-entry backoff. Lost notifications
 * (ENOBUFS) make the next turn re-read the kernel's table (one dump) and
 * decide every entry again, which writes only what differs.
 *
 * At start: one dump of the kernel's table (subscribed first, so nothing is
 * missed), then every xneigh entry (xn_nudd_adopt() reports each through
 * the `changed` callback): everything that differs is written, entries of
 * ours that xneigh no longer has are deleted. At exit without --keep every
 * entry of ours is deleted (the kernel then resolves by itself again); with
 * --keep they stay (the data plane keeps answering; the next xneighd
 * reconciles). With --no-kernel-sync no mirror runs; xneighd only removes
 * entries of ours an earlier xneighd left (--keep), which nobody would age.
 */
#ifndef XND_KMIRROR_H
#define XND_KMIRROR_H

#include <stdbool.h>
#include <linux/types.h>
#include "xneigh/maps.h"
#include "model.h"
#include "timerq.h"

/* NDA_PROTOCOL of the entries xneighd writes (unassigned in rt_protos;
 * `echo "120 xneigh" > /etc/iproute2/rt_protos.d/xneigh.conf` names it). */
#define XN_KM_PROTO		120
/* Requests per sendmsg, and decisions per event-loop turn. */
#define XN_KM_BATCH		128
#define XN_KM_TURN		1024

/* ---- the pure part (unit-tested) ---------------------------------------------- */

/* What xneigh's entry asks of the kernel's table. */
struct xn_km_want {
	bool present;			/* false: no entry of ours there */
	__u8 state;			/* NUD_NOARP or NUD_PERMANENT */
	__u8 router;			/* NTF_ROUTER wanted */
	__u8 lladdr[ETH_ALEN];
};

/* What the kernel's table holds for a key, as far as notifications say. */
enum xn_km_kind {
	XN_KM_NONE = 0,			/* nothing, or an entry left to the kernel */
	XN_KM_OURS,			/* NTF_EXT_LEARNED, protocol XN_KM_PROTO, valid */
	XN_KM_PROTECTED,		/* an administrator's or another owner's */
};

struct xn_km_have {
	__u8 kind;			/* enum xn_km_kind */
	__u8 state;			/* ndm_state */
	__u8 flags;			/* ndm_flags */
	bool has_lladdr;
	__u8 lladdr[ETH_ALEN];
};

enum xn_km_action {
	XN_KM_KEEP = 0,			/* nothing to do */
	XN_KM_WRITE,			/* RTM_NEWNEIGH CREATE|REPLACE of `want` */
	XN_KM_DELETE,			/* RTM_DELNEIGH of our entry */
};

/* The kind of a kernel entry from an RTM_NEWNEIGH (del false) or
 * RTM_DELNEIGH (del true; always XN_KM_NONE: it is gone). Proxy entries are
 * not neighbour entries: the caller skips NTF_PROXY. */
enum xn_km_kind xn_km_classify(bool del, __u8 state, __u8 ndm_flags, __u8 protocol);

/* Is an address one the kernel never resolves through ARP/ND (multicast,
 * broadcast 255.255.255.255, unspecified, loopback)? family AF_INET (addr
 * in the first 4 bytes, network order) or AF_INET6. */
bool xn_km_addr_special(__u32 family, const __u8 *addr);

/* The kernel entry xneigh's entry v (NULL: none) asks for; dev_ok and
 * key_ok say whether its interface and its address may be mirrored at all
 * (an interface xneighd runs on, neither NOARP nor loopback; not special,
 * not local, not a broadcast address). */
void xn_km_want_of(const struct xn_neigh *v, bool dev_ok, bool key_ok, struct xn_km_want *w);

/* What to do about a key: `suppressed` is set when someone else removed an
 * entry of ours that xneigh still has (not written back until xneigh's
 * entry changes). */
enum xn_km_action xn_km_decide(const struct xn_km_want *w, const struct xn_km_have *h,
			       bool suppressed);

/* Should this kernel entry be imported into xneigh as PERMANENT (an
 * administrator's PERMANENT entry with an address)? dev_ok as above. */
bool xn_km_importable(const struct xn_km_have *h, bool dev_ok);

/* ---- the mirror ------------------------------------------------------------------- */

struct xn_km_cfg {
	const __u32 *ifindex;		/* the interfaces xneighd runs on */
	unsigned int nifaces;
	const struct xn_model *m;	/* kept up to date by sync.c */
	int neigh_fd[2];		/* xn_neigh4, xn_neigh6 (imports, audits) */
	int stats_fd;			/* xn_stats: events_lost starts an audit */
	int ctl_fd;			/* the xn_ctl program (imports) */
};

struct xn_km;

/* Open the netlink sockets, subscribe to RTNLGRP_NEIGH, read the kernel's
 * table and queue the start-up reconciliation. 0 or -errno (said). */
int xn_km_open(struct xn_km **out, const struct xn_km_cfg *cfg);

/* The fds to watch for reading (notifications, work queued): *n of them. */
void xn_km_fds(const struct xn_km *km, int fds[2], int *n);

/* xneigh's entry changed (v NULL: deleted): the nudd `changed` callback. */
void xn_km_entry(struct xn_km *km, const struct xn_nud_key *k, const struct xn_neigh *v);

/* One turn: read the notifications, then at most XN_KM_TURN decisions. */
void xn_km_run(struct xn_km *km);

/* Periodic (the daemon's tick): queue the retries that are due; when the
 * data plane lost events, check a bounded number of entries against the
 * maps (a deletion whose event was lost is reported by nobody). */
void xn_km_tick(struct xn_km *km);

/* Re-read the kernel's table and decide every entry again (SIGHUP). */
void xn_km_resync(struct xn_km *km);

/* Close; with remove, first delete every entry of ours from the kernel's
 * table (exit without --keep). */
void xn_km_close(struct xn_km *km, bool remove);

/* --no-kernel-sync: delete the entries of ours an earlier xneighd left.
 * The number deleted, or -errno. */
int xn_km_remove_leftovers(void);

#endif /* XND_KMIRROR_H */
