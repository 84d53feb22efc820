/* SPDX-License-Identifier: GPL-2.0 */
/* Neighbour states and flags, bit-identical to the kernel's
 * (include/uapi/linux/neighbour.h, include/net/neighbour.h; spec §1.1, §5.5, §8).
 */
#ifndef XNEIGH_NUD_H
#define XNEIGH_NUD_H

#ifndef NUD_INCOMPLETE
#define NUD_NONE		0x00
#define NUD_INCOMPLETE		0x01
#define NUD_REACHABLE		0x02
#define NUD_STALE		0x04
#define NUD_DELAY		0x08
#define NUD_PROBE		0x10
#define NUD_FAILED		0x20
#define NUD_NOARP		0x40
#define NUD_PERMANENT		0x80
#endif

/* Masks from include/net/neighbour.h (spec §1.1). */
#define XN_NUD_IN_TIMER		(NUD_INCOMPLETE | NUD_REACHABLE | NUD_DELAY | NUD_PROBE)
#define XN_NUD_VALID		(NUD_PERMANENT | NUD_NOARP | NUD_REACHABLE | NUD_PROBE | \
				 NUD_STALE | NUD_DELAY)
#define XN_NUD_CONNECTED	(NUD_PERMANENT | NUD_NOARP | NUD_REACHABLE)

/* ndm_flags (NTF_* in the uapi, written there as shifts, hence our own
 * names), stored in struct xn_neigh.flags. */
#define XN_NTF_USE		0x01
#define XN_NTF_PROXY		0x08
#define XN_NTF_EXT_LEARNED	0x10
#define XN_NTF_ROUTER		0x80

/* neigh_update() flags (NEIGH_UPDATE_F_*, include/net/neighbour.h; NUD-10). */
#define XN_UPD_OVERRIDE		0x01
#define XN_UPD_WEAK_OVERRIDE	0x02
#define XN_UPD_OVERRIDE_ISROUTER 0x04
#define XN_UPD_USE		0x08
#define XN_UPD_MANAGED		0x10
#define XN_UPD_EXT_LEARNED	0x20
#define XN_UPD_ISROUTER		0x40
#define XN_UPD_ADMIN		0x80

#endif /* XNEIGH_NUD_H */
