/* SPDX-License-Identifier: GPL-2.0 */
/* The control program: how user space changes a neighbour entry atomically.
 *
 * A plain BPF_F_LOCK map update replaces the whole value, so a read-modify-
 * write from user space would lose a data-plane update made in between. User
 * space therefore runs the SEC("syscall") program xn_ctl with a struct
 * xn_ctl_req as its context: it applies the kernel's neigh_update() rules
 * (NUD-8) under the entry's spin lock, with the same code the data plane uses.
 */
#ifndef XNEIGH_CTL_H
#define XNEIGH_CTL_H

#include "types.h"
#include "wire.h"

enum xn_ctl_op {
	XN_CTL_UPDATE = 1,		/* neigh_update(entry, lladdr, state, flags); create if asked */
	XN_CTL_CAS = 2,			/* set the fields in set_mask if gen == expect_gen */
	XN_CTL_DELETE = 3,		/* remove if gen == expect_gen (or XN_CTL_F_ANY_GEN) */
	XN_CTL_STAT_ADD = 4,		/* add `probes` to counter number `state` (enum
					 * xn_stat_index) of the family: the daemon's
					 * periodic_gc_runs, forced_gc_runs, ... */
};

#define XN_CTL_F_CREATE		0x1	/* create the entry if it does not exist */
#define XN_CTL_F_HAS_LLADDR	0x2	/* lladdr is given */
#define XN_CTL_F_ANY_GEN	0x4	/* DELETE: whatever the entry's gen */
#define XN_CTL_F_EXPECT_TIMES	0x8	/* CAS: also require confirmed == expect_confirmed
					 * and used == expect_used (a confirmation does
					 * not move gen) */

/* XN_CTL_CAS: which fields to write. The timer side of the NUD machine
 * (xneighd) decides from a snapshot; the compare on `gen` makes the write
 * fail with -EAGAIN if the data plane changed the entry meanwhile, and the
 * daemon decides again from a fresh snapshot. */
#define XN_CTL_SET_STATE	0x01
#define XN_CTL_SET_LLADDR	0x02
#define XN_CTL_SET_PROBES	0x04
#define XN_CTL_SET_CONFIRMED	0x08
#define XN_CTL_SET_UPDATED	0x10
#define XN_CTL_SET_USED		0x20

struct xn_ctl_req {
	/* in */
	__u32 op;			/* enum xn_ctl_op */
	__u32 family;			/* AF_INET or AF_INET6 */
	__u32 ifindex;
	__u32 ctl_flags;		/* XN_CTL_F_* */
	__u8 addr[16];			/* IPv4: first 4 bytes, network order */
	__u8 lladdr[ETH_ALEN];
	__u8 state;			/* requested NUD_* */
	__u8 ntf_flags;			/* XN_NTF_* to set with ADMIN (EXT_LEARNED, ROUTER) */
	__u32 update_flags;		/* XN_UPD_* */
	/* out */
	__s32 result;			/* 0, or -errno */
	__u8 old_state;
	__u8 new_state;
	__u8 changed;			/* 1 when state or lladdr changed */
	__u8 pad;
	/* XN_CTL_CAS / XN_CTL_DELETE */
	__u32 expect_gen;		/* in: gen of the snapshot; out: the entry's gen */
	__u32 set_mask;			/* XN_CTL_SET_* */
	__u32 probes;
	__u32 pad2;
	__u64 confirmed;
	__u64 updated;
	__u64 used;
	__u64 expect_confirmed;		/* with XN_CTL_F_EXPECT_TIMES */
	__u64 expect_used;
};
XN_STATIC_ASSERT(sizeof(struct xn_ctl_req) == 112, "xn_ctl_req layout");

#endif /* XNEIGH_CTL_H */
