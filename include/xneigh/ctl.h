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
};

#define XN_CTL_F_CREATE		0x1	/* create the entry if it does not exist */
#define XN_CTL_F_HAS_LLADDR	0x2	/* lladdr is given */

struct xn_ctl_req {
	/* in */
	__u32 op;			/* enum xn_ctl_op */
	__u32 family;			/* AF_INET */
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
};
XN_STATIC_ASSERT(sizeof(struct xn_ctl_req) == 52, "xn_ctl_req layout");

#endif /* XNEIGH_CTL_H */
