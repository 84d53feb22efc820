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

static __always_inline int xn_ctl_update4(struct xn_ctl_req *req)
{
	struct xn_stats *s = xn_stats_get(XN_FAM_ARP);
	struct xn_neigh4_key key = {};
	struct xn_nref nr;
	const struct xn_ifconf *conf;
	struct xn_neigh *n;
	struct xn_upd r = {};
	__u8 ll[ETH_ALEN];
	const __u8 *llp = NULL;
	__u64 now = bpf_ktime_get_ns();
	__u64 base_ns = (__u64)XN_DEFAULT_BASE_REACHABLE_MS * 1000000ULL;
	__u32 ifindex = req->ifindex;
	int err;

	key.ifindex = ifindex;
	__builtin_memcpy(&key.addr, req->addr, sizeof(key.addr));
	xn_nref4(&nr, &key);
	conf = bpf_map_lookup_elem(&xn_ifconf, &ifindex);
	if (conf && (conf->flags & XN_IFF_CONFIGURED))
		base_ns = (__u64)conf->base_reachable_ms * 1000000ULL;
	if (req->ctl_flags & XN_CTL_F_HAS_LLADDR) {
		__builtin_memcpy(ll, req->lladdr, ETH_ALEN);
		llp = ll;
	}

	n = bpf_map_lookup_elem(&xn_neigh4, &key);
	if (!n) {
		if (!(req->ctl_flags & XN_CTL_F_CREATE))
			return -ENOENT;
		err = xn_neigh_create(s, &nr, llp, req->state, req->update_flags, now, base_ns,
				      0, &r, true);
		if (err == 0)
			goto done;
		if (err != -EEXIST)
			return err;
		n = bpf_map_lookup_elem(&xn_neigh4, &key);
		if (!n)
			return -ENOENT;
	}
	xn_neigh_update(s, n, &nr, llp, req->state, req->update_flags, now, base_ns, &r, true);
done:
	req->old_state = r.old_state;
	req->new_state = r.new_state;
	req->changed = r.changed_state || r.changed_ll;
	return r.err;
}

static __always_inline int xn_ctl_run(struct xn_ctl_req *req)
{
	int ret = -EINVAL;

	if (req->op == XN_CTL_UPDATE && req->family == AF_INET)
		ret = xn_ctl_update4(req);
	req->result = ret;
	return 0;
}

#endif /* XN_BPF_CTL_H */
