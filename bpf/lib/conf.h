/* SPDX-License-Identifier: GPL-2.0 */
/* Per-interface configuration as the data plane sees it. */
#ifndef XN_BPF_CONF_H
#define XN_BPF_CONF_H

#include "maps.h"

/* Kernel defaults (spec §1.4/§1.5) for an interface xneighd has not
 * described: it learns and counts with them, and never answers (it does not
 * know its own MAC). */
static const struct xn_ifconf xn_default_ifconf = {
	.arp_evict_nocarrier = 1,
	.ndisc_evict_nocarrier = 1,
	.locktime_ms = XN_DEFAULT_LOCKTIME_MS,
	.base_reachable_ms = XN_DEFAULT_BASE_REACHABLE_MS,
	.proxy_delay_ms = XN_DEFAULT_PROXY_DELAY_MS,
	.base_reachable6_ms = XN_DEFAULT_BASE_REACHABLE_MS,
	.proxy_delay6_ms = XN_DEFAULT_PROXY_DELAY_MS,
};

/* The snapshot now published (xn_snap), or NULL: read the hash maps. Both
 * lookups are array lookups the verifier inlines. Taken once per frame: every
 * read of this frame then comes from the same snapshot. */
static __always_inline const struct xn_snapshot *xn_snap_get(void)
{
	__u32 zero = 0;
	void *inner;

	inner = bpf_map_lookup_elem(&xn_snap, &zero);
	if (!inner)
		return NULL;
	return bpf_map_lookup_elem(inner, &zero);
}

/* xn_ifconf's entry for ifindex: from the snapshot when it has the
 * interface's slot, or when it says there is no entry; otherwise (no
 * snapshot, or another interface in the same slot) from the hash map. */
static __always_inline const struct xn_ifconf *xn_ifconf_get(const struct xn_snapshot *snap,
							     __u32 ifindex)
{
	if (snap && ifindex) {	/* an empty slot holds ifindex 0 */
		const struct xn_snap_if *e = &snap->ifs[ifindex & (XN_SNAP_IF_SLOTS - 1)];

		if (e->ifindex == ifindex)
			return &e->conf;
		if (!e->ifindex && (snap->flags & XN_SNAP_IF_ALL))
			return NULL;
	}
	return bpf_map_lookup_elem(&xn_ifconf, &ifindex);
}

#endif /* XN_BPF_CONF_H */
