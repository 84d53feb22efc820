/* SPDX-License-Identifier: GPL-2.0 */
/* The control program's logic (see include/xneigh/ctl.h): user space's
 * atomic read-modify-write of one entry, with the data plane's own
 * neigh_update() and the entry's spin lock. */
#ifndef XN_BPF_CTL_H
#define XN_BPF_CTL_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "xneigh/ctl.h"
#include "neigh.h"

/* XN_CTL_UPDATE: neigh_update() with the caller's flags (NUD-8). */
static __always_inline int xn_ctl_update(struct xn_ctl_req *req, struct xn_stats *s,
					 const struct xn_nref *nr, __u64 base_ns)
{
	struct xn_neigh *n;
	struct xn_upd r = {};
	__u8 ll[ETH_ALEN];
	const __u8 *llp = NULL;
	__u64 now = bpf_ktime_get_ns();
	int err;

	if (req->ctl_flags & XN_CTL_F_HAS_LLADDR) {
		__builtin_memcpy(ll, req->lladdr, ETH_ALEN);
		llp = ll;
	}
	n = bpf_map_lookup_elem(nr->map, nr->key);
	if (!n) {
		if (!(req->ctl_flags & XN_CTL_F_CREATE))
			return -ENOENT;
		if ((req->ctl_flags & XN_CTL_F_LIMIT) && xn_neigh_over_limit(nr))
			return -E2BIG;	/* GC-3, as the data plane (neigh.h) */
		err = xn_neigh_create(s, nr, llp, req->state, req->update_flags, now, base_ns,
				      0, &r, true);
		if (err == 0)
			goto done;
		if (err != -EEXIST)
			return err;
		n = bpf_map_lookup_elem(nr->map, nr->key);
		if (!n)
			return -ENOENT;
	}
	xn_neigh_update(s, n, nr, llp, req->state, req->update_flags, now, base_ns, &r, true);
done:
	req->old_state = r.old_state;
	req->new_state = r.new_state;
	req->changed = r.changed_state || r.changed_ll || r.changed_flags;
	return r.err;
}

/* XN_CTL_CAS: the timer half of the NUD machine writes its decision only if
 * nothing changed the entry since the snapshot it decided on. */
static __always_inline int xn_ctl_cas(struct xn_ctl_req *req, struct xn_stats *s,
				      const struct xn_nref *nr)
{
	struct xn_neigh *n;
	__u8 ll[ETH_ALEN], old_ll[ETH_ALEN], new_ll[ETH_ALEN];
	__u32 mask = req->set_mask;
	__u8 old_state = 0, new_state = 0, flags = 0;
	bool changed_state = false, changed_ll = false, stale_gen = false;

	__builtin_memcpy(ll, req->lladdr, ETH_ALEN);
	n = bpf_map_lookup_elem(nr->map, nr->key);
	if (!n)
		return -ENOENT;
	bpf_spin_lock(&n->lock);
	old_state = n->state;
	xn_mac_copy(old_ll, n->lladdr);
	if (n->gen != req->expect_gen || (n->xflags & XN_NF_DEAD) ||
	    ((req->ctl_flags & XN_CTL_F_EXPECT_TIMES) &&
	     (n->confirmed != req->expect_confirmed || n->used != req->expect_used))) {
		stale_gen = true;
	} else {
		if ((mask & XN_CTL_SET_STATE) && n->state != req->state) {
			n->state = req->state;
			changed_state = true;
		}
		if ((mask & XN_CTL_SET_LLADDR) && !xn_mac_eq(n->lladdr, ll)) {
			xn_mac_copy(n->lladdr, ll);
			changed_ll = true;
		}
		if (mask & XN_CTL_SET_PROBES)
			n->probes = req->probes;
		if (mask & XN_CTL_SET_CONFIRMED)
			n->confirmed = req->confirmed;
		if (mask & XN_CTL_SET_UPDATED)
			n->updated = req->updated;
		if (mask & XN_CTL_SET_USED)
			n->used = req->used;
		if (changed_state || changed_ll)
			n->gen++;
	}
	req->expect_gen = n->gen;
	new_state = n->state;
	flags = n->flags;
	xn_mac_copy(new_ll, n->lladdr);
	bpf_spin_unlock(&n->lock);

	req->old_state = old_state;
	req->new_state = new_state;
	req->changed = changed_state || changed_ll;
	if (stale_gen)
		return -EAGAIN;
	/* NUD-5: INCOMPLETE/PROBE -> FAILED is neigh_invalidate(); a DELAY
	 * entry allowed no probe goes through PROBE to FAILED in one timer run */
	if (changed_state && new_state == NUD_FAILED &&
	    (old_state & (NUD_INCOMPLETE | NUD_PROBE | NUD_DELAY)))
		XN_STAT_INC_ATOMIC(s, res_failed);
	if (changed_state || changed_ll) {
		XN_STAT_INC_ATOMIC(s, updated);
		xn_event(s, changed_ll ? XN_EV_LLADDR : XN_EV_STATE, nr->family, nr->ifindex,
			 nr->addr, old_state, new_state, old_ll, new_ll, flags, true);
	}
	return 0;
}

/* XN_CTL_DELETE: mark the entry dead under its lock if gen still matches
 * (so no update lands in between, NUD-8.1), then remove it. */
static __always_inline int xn_ctl_delete(struct xn_ctl_req *req, struct xn_stats *s,
					 const struct xn_nref *nr)
{
	struct xn_neigh *n;
	__u8 old_ll[ETH_ALEN];
	__u8 old_state, flags;
	bool ok;

	n = bpf_map_lookup_elem(nr->map, nr->key);
	if (!n)
		return -ENOENT;
	bpf_spin_lock(&n->lock);
	ok = ((req->ctl_flags & XN_CTL_F_ANY_GEN) || n->gen == req->expect_gen) &&
	     !(n->xflags & XN_NF_DEAD);
	if (ok)
		n->xflags |= XN_NF_DEAD;
	old_state = n->state;
	flags = n->flags;
	xn_mac_copy(old_ll, n->lladdr);
	req->expect_gen = n->gen;
	bpf_spin_unlock(&n->lock);
	req->old_state = old_state;
	req->new_state = 0;
	if (!ok)
		return -EAGAIN;
	bpf_map_delete_elem(nr->map, nr->key);
	req->changed = 1;
	XN_STAT_INC_ATOMIC(s, destroys);
	xn_event(s, XN_EV_DELETED, nr->family, nr->ifindex, nr->addr, old_state, 0, old_ll, NULL,
		 flags, true);
	return 0;
}

/* XN_CTL_STAT_ADD: counters that user space keeps (GC runs, destroys by
 * GC, table_fulls) join the data plane's, so `xneigh stats` and a restarted
 * daemon see one set. */
static __always_inline int xn_ctl_stat_add(struct xn_ctl_req *req, struct xn_stats *s)
{
	__u32 idx = req->state;

	if (!s || idx >= XN_STAT__COUNT)
		return -EINVAL;
	__sync_fetch_and_add(&((__u64 *)s)[idx & 127], req->probes);
	return 0;
}

/* ---- XN_CTL_GC_SCAN (GC-2, see include/xneigh/ctl.h) ------------------------------- */

/* The scan's in/out buffer; user space writes the parameters and reads the
 * victims back. Private to xn_ctl and xneighd. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct xn_gc_scan);
} xn_gcscan SEC(".maps");

/* The walk's state, on xn_ctl's stack, handed to every callback. The
 * counters live in the map value (io->entries, io->ncand, ...): the verifier
 * checks a callback as a loop body until its state repeats, and a counter it
 * knows exactly (one on the stack, starting at 0) would never repeat. */
struct xn_gc_walk {
	struct xn_gc_scan *io;
	__u64 now;
};

/* gc_stale_time of an interface that may have its own set: sets[] is
 * sorted by ifindex and its unused slots hold XN_GC_SET_NONE, so a
 * branch-per-step lower bound over all 64 slots finds it in 6 steps. A
 * global function: verified once on its own, not once per state of each
 * caller. */
__noinline __u64 xn_gc_stale_of(const struct xn_gc_scan *io, __u32 ifindex)
{
	__u32 base = 0, step;

	if (!io)
		return 0;
#pragma unroll
	for (step = XN_GC_SCAN_SETS / 2; step; step /= 2)
		if (io->sets[base + step - 1].ifindex < ifindex)
			base += step;
	if (base < XN_GC_SCAN_SETS && io->sets[base].ifindex == ifindex)
		return io->sets[base].stale_ns;
	return io->stale_ns;
}

/* One entry of neigh_periodic_work()'s walk: the rule, `used` raised in
 * place, a victim's snapshot into cand[]. */
static __always_inline void xn_gc_visit(struct xn_gc_walk *w, __u32 ifindex, const __u8 *addr,
					bool v6, struct xn_neigh *n)
{
	struct xn_gc_scan *io = w->io;
	struct xn_gc_cand *c = NULL;
	__u64 stale = io->nsets ? xn_gc_stale_of(io, ifindex) : io->stale_ns;
	__u32 ncand = io->ncand;
	bool victim, raised;
	int verdict;
	__u64 used;

	io->entries++;
	/* Most entries need nothing: look first without the lock (taking it
	 * costs more than the rest of the visit), and decide again under it
	 * for an entry to change or return. A look torn by a concurrent
	 * writer (the data plane, using the entry) can only leave the entry
	 * for the next run. */
	used = n->used;
	verdict = xn_gc2_verdict(n->state, n->flags, n->xflags, n->confirmed, w->now, stale,
				 &used);
	if (verdict == XN_GC2_EXEMPT) {
		io->exempt++;
		return;
	}
	if (verdict == XN_GC2_KEEP && used == n->used) {
		if (used + stale < io->next_victim)
			io->next_victim = used + stale;
		return;
	}

	if (ncand < XN_GC_SCAN_CAP)
		c = &io->cand[ncand & (XN_GC_SCAN_CAP - 1)];
	bpf_spin_lock(&n->lock);
	used = n->used;
	verdict = xn_gc2_verdict(n->state, n->flags, n->xflags, n->confirmed, w->now, stale,
				 &used);
	raised = used != n->used;
	if (raised)
		n->used = used;
	victim = verdict == XN_GC2_VICTIM;
	if (victim && c) {
		c->gen = n->gen;
		c->state = n->state;
		c->flags = n->flags;
		xn_mac_copy(c->lladdr, n->lladdr);
		c->probes = n->probes;
		c->xflags = n->xflags;
		c->confirmed = n->confirmed;
		c->updated = n->updated;
		c->used = n->used;
	}
	bpf_spin_unlock(&n->lock);

	if (verdict == XN_GC2_EXEMPT)
		io->exempt++;
	if (raised)
		io->raised++;
	if (verdict == XN_GC2_KEEP && used + stale < io->next_victim)
		io->next_victim = used + stale;
	if (!victim)
		return;
	io->victims++;
	if (!c) {
		io->more = 1;	/* full: the caller reads the table itself */
		return;
	}
	c->ifindex = ifindex;
	if (v6) {
		__builtin_memcpy(c->addr, addr, 16);
	} else {
		__builtin_memset(c->addr, 0, 16);
		__builtin_memcpy(c->addr, addr, 4);
	}
	io->ncand = ncand + 1;
}

static long xn_gc_cb4(void *map, struct xn_neigh4_key *key, struct xn_neigh *n,
		      struct xn_gc_walk *w)
{
	xn_gc_visit(w, key->ifindex, (const __u8 *)&key->addr, false, n);
	return 0;
}

static long xn_gc_cb6(void *map, struct xn_neigh6_key *key, struct xn_neigh *n,
		      struct xn_gc_walk *w)
{
	xn_gc_visit(w, key->ifindex, key->addr, true, n);
	return 0;
}

/* XN_CTL_GC_SCAN: walk the family's table once, under RCU, one bucket at a
 * time (bpf_for_each_map_elem on a hash map), without copying entries out. */
static __always_inline int xn_ctl_gc_scan(struct xn_ctl_req *req)
{
	struct xn_gc_walk w = {};
	struct xn_gc_scan *io;
	__u32 zero = 0;
	long walked;

	io = bpf_map_lookup_elem(&xn_gcscan, &zero);
	if (!io)
		return -ENOENT;
	w.io = io;
	w.now = io->now ? io->now : bpf_ktime_get_ns();
	io->now_used = w.now;
	io->entries = 0;
	io->exempt = 0;
	io->raised = 0;
	io->victims = 0;
	io->ncand = 0;
	io->more = 0;
	io->next_victim = ~0ULL;
	if (req->family == AF_INET)
		walked = bpf_for_each_map_elem(&xn_neigh4, xn_gc_cb4, &w, 0);
	else if (req->family == AF_INET6)
		walked = bpf_for_each_map_elem(&xn_neigh6, xn_gc_cb6, &w, 0);
	else
		return -EINVAL;
	return walked < 0 ? (int)walked : 0;
}

static __always_inline int xn_ctl_dispatch(struct xn_ctl_req *req, struct xn_stats *s,
					   const struct xn_nref *nr, __u64 base_ns)
{
	switch (req->op) {
	case XN_CTL_STAT_ADD:
		return xn_ctl_stat_add(req, s);
	case XN_CTL_UPDATE:
		return xn_ctl_update(req, s, nr, base_ns);
	case XN_CTL_CAS:
		return xn_ctl_cas(req, s, nr);
	case XN_CTL_DELETE:
		return xn_ctl_delete(req, s, nr);
	default:
		return -EINVAL;
	}
}

static __always_inline int xn_ctl_run(struct xn_ctl_req *req)
{
	struct xn_neigh4_key k4 = {};
	struct xn_neigh6_key k6 = {};
	const struct xn_ifconf *conf;
	struct xn_nref nr;
	struct xn_stats *s;
	__u32 ifindex = req->ifindex;
	__u64 base_ms = XN_DEFAULT_BASE_REACHABLE_MS;
	int ret = -EINVAL;

	if (req->op == XN_CTL_GC_SCAN) {
		/* a whole table, no entry key */
		req->result = xn_ctl_gc_scan(req);
		return 0;
	}
	conf = bpf_map_lookup_elem(&xn_ifconf, &ifindex);
	if (req->family == AF_INET) {
		if (conf && (conf->flags & XN_IFF_CONFIGURED))
			base_ms = conf->base_reachable_ms;
		k4.ifindex = ifindex;
		__builtin_memcpy(&k4.addr, req->addr, sizeof(k4.addr));
		xn_nref4(&nr, &k4);
		s = xn_stats_get(XN_FAM_ARP);
		ret = xn_ctl_dispatch(req, s, &nr, base_ms * 1000000ULL);
	} else if (req->family == AF_INET6) {
		if (conf && (conf->flags & XN_IFF_CONFIGURED))
			base_ms = conf->base_reachable6_ms;
		k6.ifindex = ifindex;
		__builtin_memcpy(k6.addr, req->addr, sizeof(k6.addr));
		xn_nref6(&nr, &k6);
		s = xn_stats_get(XN_FAM_ND);
		ret = xn_ctl_dispatch(req, s, &nr, base_ms * 1000000ULL);
	}
	req->result = ret;
	return 0;
}

#endif /* XN_BPF_CTL_H */
