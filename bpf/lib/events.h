/* SPDX-License-Identifier: GPL-2.0 */
/* Events for user space on the xn_events ring buffer. */
#ifndef XN_BPF_EVENTS_H
#define XN_BPF_EVENTS_H

#include "maps.h"
#include "stats.h"
#include "eth.h"

/* Emit one event. addr points at 4 (AF_INET) or 16 (AF_INET6) bytes in
 * network order. Never called with a lock held (ring-buffer helpers are not
 * allowed inside bpf_spin_lock). */
static __always_inline void xn_event(struct xn_stats *s, __u8 type, __u8 family, __u32 ifindex,
				     const void *addr, __u8 old_state, __u8 new_state,
				     const __u8 *old_ll, const __u8 *new_ll, __u8 flags, bool atomic)
{
	struct xn_event *e;

	e = bpf_ringbuf_reserve(&xn_events, sizeof(*e), 0);
	if (!e) {
		XN_STAT_BUMP(s, events_lost, atomic);
		return;
	}
	__builtin_memset(e, 0, sizeof(*e));
	e->ts = bpf_ktime_get_ns();
	e->ifindex = ifindex;
	e->type = type;
	e->family = family;
	e->old_state = old_state;
	e->new_state = new_state;
	if (family == AF_INET6)
		__builtin_memcpy(e->addr, addr, 16);
	else
		__builtin_memcpy(e->addr, addr, 4);
	if (old_ll)
		xn_mac_copy(e->old_lladdr, old_ll);
	if (new_ll)
		xn_mac_copy(e->new_lladdr, new_ll);
	e->flags = flags;
	bpf_ringbuf_submit(e, 0);
}

#endif /* XN_BPF_EVENTS_H */
