/* SPDX-License-Identifier: GPL-2.0 */
/* xn_snap from xn_ifconf and xn_local4 (struct xn_snapshot in
 * include/xneigh/maps.h). Shared by xneighd's sync, the unit lab and the
 * bench, so the data plane is tested with the snapshot xneighd publishes.
 * Header-only: the fuzzer links the lab without user/lib. */
#ifndef XN_SNAP_H
#define XN_SNAP_H

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include "xneigh/maps.h"

/* The snapshot of what the two maps hold now. XN_SNAP_IF_ALL and
 * XN_SNAP_L4_ALL are cleared when a key finds its slots taken (two
 * interfaces in one slot, three addresses in one bucket): the data plane
 * then looks such keys up in the hash maps, as without a snapshot. */
static inline int xn_snap_build(int ifconf_fd, int local4_fd, struct xn_snapshot *snap)
{
	__u32 ifindex, cur_if;
	__be32 addr, cur_a;
	const __u32 *prev_if = NULL;
	const __be32 *prev_a = NULL;
	int err;

	memset(snap, 0, sizeof(*snap));
	snap->flags = XN_SNAP_IF_ALL | XN_SNAP_L4_ALL;
	while (!(err = bpf_map_get_next_key(ifconf_fd, prev_if, &ifindex))) {
		struct xn_snap_if *e = &snap->ifs[ifindex & (XN_SNAP_IF_SLOTS - 1)];

		cur_if = ifindex;
		prev_if = &cur_if;
		if (e->ifindex) {
			snap->flags &= ~XN_SNAP_IF_ALL;
			continue;
		}
		err = bpf_map_lookup_elem(ifconf_fd, &ifindex, &e->conf);
		if (err == -ENOENT)
			continue;	/* deleted meanwhile */
		if (err)
			return err;
		e->ifindex = ifindex;
	}
	if (err != -ENOENT)
		return err;
	while (!(err = bpf_map_get_next_key(local4_fd, prev_a, &addr))) {
		struct xn_snap_l4 *e = &snap->l4[2 * xn_snap_l4_bucket(addr)];

		cur_a = addr;
		prev_a = &cur_a;
		if (!addr)
			continue;	/* never looked up (the ARP rules stop at 0.0.0.0) */
		if (e[0].addr)
			e++;
		if (e->addr) {
			snap->flags &= ~XN_SNAP_L4_ALL;
			continue;
		}
		err = bpf_map_lookup_elem(local4_fd, &addr, &e->v);
		if (err == -ENOENT)
			continue;
		if (err)
			return err;
		e->addr = addr;
	}
	return err == -ENOENT ? 0 : err;
}

/* Empty xn_snap's slot: the data plane reads the hash maps. 0 or -errno. */
static inline int xn_snap_withdraw(int snap_fd)
{
	__u32 zero = 0;
	int err = bpf_map_delete_elem(snap_fd, &zero);

	return err == -ENOENT ? 0 : err;
}

/* Swap snap into xn_snap's slot: a new inner map each time, never one
 * rewritten in place (a program may be reading the old one; the kernel frees
 * it when none can be). The update returns only after the kernel has waited
 * for the programs running, a grace period. With inner_out, the caller keeps
 * an fd of the new inner map (xneighd holds it until the next swap has
 * returned: see publish_snapshot() in xneighd/sync.c). 0 or -errno. */
static inline int xn_snap_install(int snap_fd, const struct xn_snapshot *snap, int *inner_out)
{
	LIBBPF_OPTS(bpf_map_create_opts, opts, .map_flags = BPF_F_RDONLY_PROG);
	__u32 zero = 0;
	int err, inner;

	inner = bpf_map_create(BPF_MAP_TYPE_ARRAY, "xn_snap_value", sizeof(__u32), sizeof(*snap), 1,
			       &opts);
	if (inner < 0)
		return inner;
	err = bpf_map_update_elem(inner, &zero, snap, BPF_ANY);
	if (!err)
		err = bpf_map_update_elem(snap_fd, &zero, &inner, BPF_ANY);
	if (!err && inner_out)
		*inner_out = inner;
	else
		close(inner);
	return err;
}

/* Build the snapshot of xn_ifconf and xn_local4 and install it; gen is
 * stored for readers of the map. 0 or -errno; after a failure the slot is
 * emptied if it can be, so the data plane never reads a snapshot older than
 * the maps. */
static inline int xn_snap_publish(int ifconf_fd, int local4_fd, int snap_fd, __u32 gen,
				  int *inner_out)
{
	struct xn_snapshot *snap = malloc(sizeof(*snap));
	int err;

	err = snap ? xn_snap_build(ifconf_fd, local4_fd, snap) : -ENOMEM;
	if (!err) {
		snap->gen = gen;
		err = xn_snap_install(snap_fd, snap, inner_out);
	}
	free(snap);
	if (err)
		xn_snap_withdraw(snap_fd);
	return err;
}

#endif /* XN_SNAP_H */
