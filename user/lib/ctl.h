/* SPDX-License-Identifier: GPL-2.0 */
/* The xn_ctl control program from user space: finding it, running it, and
 * the kernel's netlink neighbour operations (neigh_add(), neigh_delete() in
 * net/core/neighbour.c) expressed as xn_ctl requests.
 *
 * xn_ctl is a SEC("syscall") program (include/xneigh/ctl.h): it is attached
 * nowhere, so it is found either through a pin (DIR/xn_ctl, where DIR is
 * xn_pin_dir()) or by walking every loaded program (bpf_prog_get_next_id())
 * for a BPF_PROG_TYPE_SYSCALL program named "xn_ctl" whose map_ids include
 * the neighbour table already found (xn_maps_open()). The walk works from
 * any mount namespace — under `ip netns exec`, where bpffs is not mounted —
 * and the map id ties it to this network namespace's data plane. Both need
 * CAP_SYS_ADMIN (opening BPF objects by id or path) and CAP_BPF.
 */
#ifndef XN_CTL_USER_H
#define XN_CTL_USER_H

#include <stdbool.h>
#include "xneigh/types.h"
#include "xneigh/ctl.h"

#define XN_CTL_PROG_NAME	"xn_ctl"

struct xn_ctl {
	int fd;				/* program fd, -1 when not open */
	__u32 id;			/* kernel program id */
	bool from_pin;			/* found through DIR/xn_ctl */
	char where[300];		/* "pinned at DIR/xn_ctl (id N)" or "program id N" */
	char errmsg[256];		/* why xn_ctl_open() failed, one line */
};

/* Mark as not open, so xn_ctl_close() is always safe. */
void xn_ctl_init(struct xn_ctl *c);

/* Find the xn_ctl program of the data plane whose neighbour table has map
 * id map_id (xn_neigh4's, or xn_neigh6's). pin_dir: the directory where the
 * maps were found pinned, or NULL when they were found otherwise; a program
 * pinned there is used first. 0, or -errno with c->errmsg set:
 *   -ENOENT  no such program (the data plane was built without it, or gone)
 *   -EPERM   not allowed to open BPF programs */
int xn_ctl_open(struct xn_ctl *c, const char *pin_dir, __u32 map_id);
void xn_ctl_close(struct xn_ctl *c);

/* Run the program once on req (BPF_PROG_TEST_RUN; the program writes its
 * answer back into req). Returns 0 when it ran, the operation's own outcome
 * being req->result; -errno when the run itself failed. */
int xn_ctl_run(const struct xn_ctl *c, struct xn_ctl_req *req);

/* One entry, as a netlink RTM_NEWNEIGH describes it. */
struct xn_ctl_neigh {
	int family;			/* AF_INET or AF_INET6 */
	__u32 ifindex;
	__u8 addr[16];			/* network order; IPv4 in the first 4 bytes */
	bool has_lladdr;
	__u8 lladdr[ETH_ALEN];
	__u8 state;			/* NUD_* (ndm_state) */
	__u8 ntf_flags;			/* XN_NTF_ROUTER, XN_NTF_EXT_LEARNED (ndm_flags) */
	/* The address the kernel's constructor gives a new entry (NUD-12,
	 * NUD-13: multicast, broadcast, NOARP device), which the update then
	 * keeps when it brings none; used only when the entry is created. */
	bool has_ctor_lladdr;
	__u8 ctor_lladdr[ETH_ALEN];
};

/* neigh_add() with nlmsg_flags nlm_flags (NLM_F_CREATE, NLM_F_EXCL,
 * NLM_F_REPLACE; spec NUD-10): `ip neigh add` is CREATE|EXCL, `replace`
 * CREATE|REPLACE, `change` REPLACE. neigh_map_fd is the family's table
 * (xn_neigh4 or xn_neigh6), read to decide EXCL and CREATE as the kernel's
 * neigh_lookup() does. Returns 0 or the kernel's -errno:
 *   -EEXIST  exists and NLM_F_EXCL
 *   -ENOENT  missing and no NLM_F_CREATE
 *   -EINVAL  a valid state without an address to use ("No link layer
 *            address given"); as in the kernel, a newly created entry
 *            stays, in state NONE
 *   -E2BIG   the table is full
 * out (may be NULL) receives the program's answer (old/new state). */
int xn_ctl_neigh_add(const struct xn_ctl *c, int neigh_map_fd, const struct xn_ctl_neigh *n,
		     __u16 nlm_flags, struct xn_ctl_req *out);

/* neigh_delete(): neigh_update(FAILED, OVERRIDE|ADMIN), so the data plane
 * counts and reports the entry's end as the kernel does, then removal.
 * 0, -ENOENT (no such entry) or another -errno. */
int xn_ctl_neigh_delete(const struct xn_ctl *c, int family, __u32 ifindex, const __u8 *addr);

/* ---- periodic GC (GC-2): XN_CTL_GC_SCAN --------------------------------------------- */

/* Fill the parameters of a scan (the `in` part of io; include/xneigh/ctl.h):
 * stale_ns is the table default set's gc_stale_time, sets[0..nsets) the
 * interfaces with a set of their own (any order; the same ifindex twice
 * keeps the smaller time). At most XN_GC_SCAN_SETS fit: beyond that the
 * ones with the largest times are left out and the time of every interface
 * not listed becomes the smallest of the default and theirs, so the scan
 * still returns every victim (and some that are not yet: the caller checks
 * each one anyway). now = 0: the kernel's clock. */
void xn_gc_scan_params(struct xn_gc_scan *io, __u64 stale_ns, const struct xn_gc_set *sets,
		       size_t nsets);

/* Run XN_CTL_GC_SCAN on the table of `family` (AF_INET, AF_INET6) with io's
 * parameters; io's `out` part receives the walk's results. The scan's map
 * (xn_gcscan) is found through the program's map ids. 0, -ENOENT (no such
 * map: a data plane of another build), -EINVAL (family), or the run's
 * -errno. */
int xn_ctl_gc_scan(const struct xn_ctl *c, int family, struct xn_gc_scan *io);

#endif /* XN_CTL_USER_H */
