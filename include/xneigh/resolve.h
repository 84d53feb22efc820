/* SPDX-License-Identifier: GPL-2.0 */
/* Next-hop resolution for XDP and TC programs: the kernel's transmit-side
 * neighbour code (neigh_output() -> neigh_resolve_output() ->
 * __neigh_event_send(), spec NUD-1..3) on xneigh's tables, for programs that
 * build their own frames (forwarders, load balancers) and would otherwise get
 * BPF_FIB_LKUP_RET_NO_NEIGH from bpf_fib_lookup() and punt to the stack.
 *
 *   #include "xneigh/resolve.h"	   (-I XNEIGH/include -I XNEIGH/bpf -I XNEIGH/vmlinux)
 *
 *   struct xn_resolve_out r;
 *   switch (xn_xdp_resolve4(ctx, oif, next_hop, XN_RESOLVE_HOLD, &r)) {
 *   case XN_RES_OK:   write r.dmac, r.smac into the frame; return bpf_redirect(oif, 0);
 *   case XN_RES_PASS: return XDP_PASS;	   the kernel resolves and sends it
 *   case XN_RES_HELD: return XDP_DROP;	   xneighd sends the copy once resolved
 *   default:          return XDP_DROP;	   XN_RES_DROP, counted
 *   }
 *
 * What a call does, with the entry (ifindex, next hop) of xn_neigh4/xn_neigh6:
 *   - valid (REACHABLE, STALE, DELAY, PROBE, PERMANENT, NOARP): XN_RES_OK with
 *     the entry's MAC in dmac and the egress interface's in smac. Use is
 *     marked as neigh_event_send() marks it, through the same code as TC
 *     egress (lib/neigh.h xn_tx_use_locked()): nothing for CONNECTED
 *     entries (the kernel's header cache, NUD-2), `used` := now otherwise,
 *     and STALE -> DELAY (NUD-3), which xneighd turns into a probe after
 *     delay_first_probe_time unless the neighbour is confirmed first;
 *   - missing: an entry is created, state NONE, as __neigh_create() does on
 *     the kernel's output path (subject to the table's size: a full BPF table
 *     counts table_fulls; xneighd applies gc_thresh3 and forced GC to every
 *     entry the data plane creates, GC-3);
 *   - NONE or FAILED (or just created): xneighd is asked to run
 *     neigh_event_send() on it (an XN_EV_RESOLVE event, or the flag
 *     XN_HOLD_F_RESOLVE of a held frame): INCOMPLETE, probes := ucast_solicit,
 *     the first ARP request or NS at once (NUD-3), the rest on its timer;
 *     INCOMPLETE entries are being resolved already: no request;
 *   - not valid (any of the three above): `used` := now (NUD-1) and the
 *     caller's policy decides about this frame:
 *       XN_RESOLVE_PASS  XN_RES_PASS: hand it to the kernel, which queues it
 *                        and resolves the neighbour itself as well;
 *       XN_RESOLVE_DROP  XN_RES_DROP, counted in unres_discards;
 *       XN_RESOLVE_HOLD  XN_RES_HELD: the whole frame is copied to xneighd
 *                        (ring buffer xn_hold) and the caller drops the
 *                        original; xneighd keeps it in the neighbour's queue
 *                        and sends it, with the resolved destination MAC and
 *                        the interface's source MAC, once the entry is valid
 *                        (counters tx_held, hold_sent). A frame that cannot be
 *                        held (longer than XN_HOLD_FRAME_MAX, ring full) is
 *                        XN_RES_DROP, counted in unres_discards.
 *   - an interface xneighd does not run on (no xn_ifconf entry): nothing is
 *     created or requested, nobody would resolve it; PASS and HOLD give
 *     XN_RES_PASS, DROP gives XN_RES_DROP (counted).
 * Call it with the frame exactly as it is to leave (TTL or hop limit already
 * decremented, checksum updated), but for the Ethernet addresses: a held
 * frame is sent as it was copied, with only those rewritten.
 *
 * The hold queue (unres_qlen semantics, __neigh_event_send() in
 * net/core/neighbour.c): per neighbour, xneighd keeps the *last*
 * unres_qlen_bytes worth of frames (net.ipv{4,6}.neigh.DEV.unres_qlen x
 * SKB_TRUESIZE(1514), each frame charged SKB_TRUESIZE(its length), the
 * kernel's accounting on x86-64), dropping the oldest to make room, each
 * counted in unres_discards, as the kernel does; a frame that alone exceeds
 * the budget is still held when the queue is empty. A global cap bounds the
 * daemon's memory. On resolution the queue is sent in arrival order; when
 * the entry fails, is deleted, its resolution is refused, or the frames wait
 * longer than XN_HOLDQ_MAX_AGE (user/xneighd/holdq.h), they are discarded,
 * counted in hold_failed; when it fails, each is also reported to its
 * sender with the ICMP/ICMPv6 destination unreachable the kernel's
 * neigh_invalidate() -> error_report would send (hold_unreachable).
 *
 * Why a copy through a ring buffer: an XDP program cannot keep a frame
 * past its return (there is no skb to queue, unlike arp_queue) and the
 * kernel has no helper that sends a stored frame later from BPF:
 *   - BPF_MAP_TYPE_QUEUE/STACK copies have the same problem (someone must
 *     send them) and fixed-size values, and pop from BPF cannot wait;
 *   - bpf_timer callbacks cannot transmit (no redirect or xmit helper
 *     outside a packet context);
 *   - AF_XDP would need a socket and UMEM per interface and queue, set up
 *     by every program that includes this header;
 * while the ring buffer is a single shared map, ordered, with a wake-up for
 * the consumer, and xneighd already waits for the resolution the frames
 * wait for: it sends them through AF_PACKET on the egress interface (they
 * pass TC egress and the qdisc like any local frame). Cost: one copy of
 * the first frames of each flow to an unresolved next hop, which the kernel
 * pays too (the skb is queued, then sent through the slow path).
 *
 * Sharing xneigh's maps: this header defines xneigh's maps (bpf/lib/maps.h)
 * in the including object; before loading it, make each of them the map
 * xneighd pinned under the same name in /sys/fs/bpf/xneigh/net<inode>/
 * (<inode> of /proc/self/ns/net):
 *
 *   bpf_object__for_each_map(map, obj) {
 *           snprintf(path, sizeof(path), "%s/%s", pin_dir, bpf_map__name(map));
 *           fd = bpf_obj_get(path);           (skip internal maps: .rodata, .bss)
 *           if (fd >= 0) { bpf_map__reuse_fd(map, fd); close(fd); }
 *   }
 *
 * bpf_map__reuse_fd() takes the pinned map as it is, whatever its size
 * (xneighd --max-entries). LIBBPF_PIN_BY_NAME with pin_root_path set to the
 * pin directory is not used: libbpf would refuse a table xneighd resized,
 * and create and pin, in xneighd's directory, any map it did not find.
 * Under `ip netns exec` bpffs is not mounted (the pins are invisible): the
 * maps are also reachable through xneigh's programs attached to the
 * namespace's interfaces (their map_ids); user/xneigh-fwd/main.c does both.
 * xneighd must run on every interface frames are resolved for.
 *
 * Cost, for a CONNECTED next hop: two hash lookups (xn_ifconf, the
 * entry) and the entry's spin lock, no clock read (NUD-2 marks nothing).
 * Other states take the time and the lock again; unresolved next hops one
 * ring-buffer record more.
 */
#ifndef XNEIGH_RESOLVE_H
#define XNEIGH_RESOLVE_H

/* User space (a loader choosing the policy) gets the constants only. */
#ifdef __bpf__
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "xneigh/maps.h"
#include "xneigh/nud.h"
#include "lib/neigh.h"
#else
#include "xneigh/maps.h"
#endif

/* What to do with a frame whose next hop is not resolved (the caller's). */
enum xn_resolve_policy {
	XN_RESOLVE_PASS = 0,	/* to the kernel (XDP_PASS / TC_ACT_OK) */
	XN_RESOLVE_DROP = 1,	/* drop it, counted in unres_discards */
	XN_RESOLVE_HOLD = 2,	/* held by xneighd until resolved (arp_queue) */
};

/* The answer of xn_*_resolve*(). */
enum xn_resolve_ret {
	XN_RES_OK = 0,		/* out->dmac and out->smac filled: send the frame */
	XN_RES_PASS,		/* unresolved: give the frame to the kernel */
	XN_RES_DROP,		/* unresolved: drop the frame (counted) */
	XN_RES_HELD,		/* unresolved: a copy is held; drop the original */
};

struct xn_resolve_out {
	__u8 dmac[ETH_ALEN];	/* XN_RES_OK: the next hop's link-layer address */
	__u8 smac[ETH_ALEN];	/* XN_RES_OK: the egress interface's address */
	__u8 state;		/* the entry's state as found (NUD_*; NONE: no entry) */
	__u8 pad[3];
};

#ifdef __bpf__

/* Copy the whole frame into xn_hold. 0, or negative: not held. */
static __always_inline int xn_hold_frame(void *ctx, bool xdp, const struct xn_nref *nr,
					 __u8 state, bool resolve)
{
	struct xn_hold_rec *rec;
	__u64 len;		/* 64 bits: the bounds checked are those the helper sees */
	long err;

	if (xdp)
		len = bpf_xdp_get_buff_len(ctx);
	else
		len = ((struct __sk_buff *)ctx)->len;
	/* never truncated: a frame that does not fit is not held */
	if (len < ETH_HLEN || len > XN_HOLD_FRAME_MAX)
		return -E2BIG;
	rec = bpf_ringbuf_reserve(&xn_hold, sizeof(*rec), 0);
	if (!rec)
		return -ENOSPC;
	if (xdp)
		err = bpf_xdp_load_bytes(ctx, 0, rec->frame, len);
	else
		err = bpf_skb_load_bytes(ctx, 0, rec->frame, len);
	if (err) {
		bpf_ringbuf_discard(rec, 0);
		return -EINVAL;
	}
	rec->ts = bpf_ktime_get_ns();
	rec->ifindex = nr->ifindex;
	rec->family = nr->family;
	rec->flags = resolve ? XN_HOLD_F_RESOLVE : 0;
	rec->state = state;
	rec->pad = 0;
	__builtin_memset(rec->addr, 0, sizeof(rec->addr));
	if (nr->family == AF_INET6)
		__builtin_memcpy(rec->addr, nr->addr, 16);
	else
		__builtin_memcpy(rec->addr, nr->addr, 4);
	rec->len = (__u32)len;
	rec->pad2 = 0;
	bpf_ringbuf_submit(rec, 0);
	return 0;
}

/* The common part: nr names the entry, slot its counters (XN_FAM_*). */
static __always_inline int xn_resolve_nref(void *ctx, bool xdp, const struct xn_nref *nr,
					   __u32 slot, int policy, struct xn_resolve_out *out)
{
	struct xn_stats *s = xn_stats_get(slot);
	const struct xn_ifconf *conf;
	struct xn_tx_use u = {};
	struct xn_neigh *n;
	__u32 ifindex = nr->ifindex;
	bool resolve = false;
	__u64 now;

	out->state = NUD_NONE;
	conf = bpf_map_lookup_elem(&xn_ifconf, &ifindex);
	if (!conf || !(conf->flags & XN_IFF_CONFIGURED)) {
		/* not an interface of xneighd: nobody would resolve it */
		if (policy != XN_RESOLVE_DROP)
			return XN_RES_PASS;
		XN_STAT_INC(s, unres_discards);
		return XN_RES_DROP;
	}
	n = bpf_map_lookup_elem(nr->map, nr->key);
	if (n) {
		bool fast;
		__u8 st;

		bpf_spin_lock(&n->lock);
		st = n->state;
		fast = xn_tx_connected_locked(n, out->dmac);
		bpf_spin_unlock(&n->lock);
		if (fast) {
			out->state = st;
			xn_mac_copy(out->smac, conf->mac);
			return XN_RES_OK;
		}
		/* the slow path: NUD-1..3 with the time */
		now = bpf_ktime_get_ns();
		bpf_spin_lock(&n->lock);
		xn_tx_use_locked(n, true, NULL, now, &u);
		bpf_spin_unlock(&n->lock);
		xn_tx_use_report(s, nr, &u);
		out->state = u.state;
		if (u.usable) {
			xn_mac_copy(out->dmac, u.ll);
			xn_mac_copy(out->smac, conf->mac);
			return XN_RES_OK;
		}
		/* NUD-3: NONE and FAILED start a resolution, INCOMPLETE is in
		 * one; an entry being removed takes none (out_dead) */
		resolve = !u.dead && (u.state == NUD_NONE || u.state == NUD_FAILED);
	} else {
		__u64 base_ns = (__u64)(nr->family == AF_INET6 ? conf->base_reachable6_ms :
					conf->base_reachable_ms) * 1000000ULL;
		struct xn_upd r;

		now = bpf_ktime_get_ns();
		/* __neigh_create() on the output path: a NONE entry, which
		 * neigh_event_send() then moves on (in xneighd). -EEXIST:
		 * another CPU made it, and asks for its resolution. */
		resolve = xn_neigh_create(s, nr, NULL, NUD_NONE, 0, now, base_ns,
					  XN_NF_CREATED_BY_DP, &r, false) == 0;
	}

	if (policy == XN_RESOLVE_HOLD) {
		if (xn_hold_frame(ctx, xdp, nr, out->state, resolve) == 0) {
			XN_STAT_INC(s, tx_held);
			return XN_RES_HELD;
		}
		policy = XN_RESOLVE_DROP;	/* cannot be held: discarded */
	}
	if (resolve) {
		XN_STAT_INC(s, tx_resolves);
		xn_event(s, XN_EV_RESOLVE, nr->family, nr->ifindex, nr->addr, out->state,
			 out->state, NULL, NULL, 0, false);
	}
	if (policy == XN_RESOLVE_DROP) {
		XN_STAT_INC(s, unres_discards);
		return XN_RES_DROP;
	}
	return XN_RES_PASS;
}

/* Resolve the IPv4 next hop nh (network order) on ifindex. */
static __always_inline int xn_resolve4(void *ctx, bool xdp, __u32 ifindex, __be32 nh, int policy,
				       struct xn_resolve_out *out)
{
	struct xn_neigh4_key key = { .ifindex = ifindex, .addr = nh };
	struct xn_nref nr;

	xn_nref4(&nr, &key);
	return xn_resolve_nref(ctx, xdp, &nr, XN_FAM_ARP, policy, out);
}

/* Resolve the IPv6 next hop nh (16 bytes, network order) on ifindex. */
static __always_inline int xn_resolve6(void *ctx, bool xdp, __u32 ifindex, const void *nh,
				       int policy, struct xn_resolve_out *out)
{
	struct xn_neigh6_key key = { .ifindex = ifindex };
	struct xn_nref nr;

	__builtin_memcpy(key.addr, nh, 16);
	xn_nref6(&nr, &key);
	return xn_resolve_nref(ctx, xdp, &nr, XN_FAM_ND, policy, out);
}

/* The entry points, by program type. */
static __always_inline int xn_xdp_resolve4(struct xdp_md *ctx, __u32 ifindex, __be32 nh,
					   int policy, struct xn_resolve_out *out)
{
	return xn_resolve4(ctx, true, ifindex, nh, policy, out);
}

static __always_inline int xn_xdp_resolve6(struct xdp_md *ctx, __u32 ifindex, const void *nh,
					   int policy, struct xn_resolve_out *out)
{
	return xn_resolve6(ctx, true, ifindex, nh, policy, out);
}

static __always_inline int xn_skb_resolve4(struct __sk_buff *skb, __u32 ifindex, __be32 nh,
					   int policy, struct xn_resolve_out *out)
{
	return xn_resolve4(skb, false, ifindex, nh, policy, out);
}

static __always_inline int xn_skb_resolve6(struct __sk_buff *skb, __u32 ifindex, const void *nh,
					   int policy, struct xn_resolve_out *out)
{
	return xn_resolve6(skb, false, ifindex, nh, policy, out);
}

#endif /* __bpf__ */

#endif /* XNEIGH_RESOLVE_H */
