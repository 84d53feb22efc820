/* SPDX-License-Identifier: GPL-2.0 */
/* Counter access. The per-CPU slot is looked up once per frame; increments
 * are plain adds because a program runs to completion on one CPU. */
#ifndef XN_BPF_STATS_H
#define XN_BPF_STATS_H

#include "maps.h"

static __always_inline struct xn_stats *xn_stats_get(__u32 family_slot)
{
	return bpf_map_lookup_elem(&xn_stats, &family_slot);
}

#define XN_STAT_INC(s, name)			\
	do {					\
		if (s)				\
			(s)->name++;		\
	} while (0)

/* For the sleepable control program, which can migrate between CPUs. */
#define XN_STAT_INC_ATOMIC(s, name)				\
	do {							\
		if (s)						\
			__sync_fetch_and_add(&(s)->name, 1);	\
	} while (0)

/* Code shared by the data plane and xn_ctl says which it is. */
#define XN_STAT_BUMP(s, name, atomic)			\
	do {						\
		if (atomic)				\
			XN_STAT_INC_ATOMIC(s, name);	\
		else					\
			XN_STAT_INC(s, name);		\
	} while (0)

#endif /* XN_BPF_STATS_H */
