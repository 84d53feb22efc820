/* SPDX-License-Identifier: GPL-2.0 */
/* xneighd: the data plane's events (ring buffer xn_events), logged in
 * `ip monitor neigh` style: neighbour changes at debug level, DAD conflicts
 * (IPv6) at info level, claims of our addresses at warn level, rate-limited. */
#ifndef XND_EVENTS_H
#define XND_EVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include "xneigh/maps.h"

/* net_ratelimit()'s defaults: a burst of 10 messages per 5 s. */
#define XN_RATELIMIT_INTERVAL_NS	(5ull * 1000000000ull)
#define XN_RATELIMIT_BURST		10

struct xn_ratelimit {
	__u64 begin;			/* start of the current interval (ns) */
	unsigned int printed, missed;
};

/* May one more message be printed at now_ns? When an interval ends, *missed
 * says how many the previous one suppressed (to be reported). */
bool xn_ratelimit_ok(struct xn_ratelimit *rl, __u64 now_ns, unsigned int *missed);

/* Format one event as a line without newline; "" for unknown types. */
void xn_event_format(const struct xn_event *ev, const char *ifname, char *buf, size_t len);

/* ring_buffer_sample_fn; ctx is the struct xn_model for interface names. */
int xn_event_handle(void *ctx, void *data, size_t size);

#endif /* XND_EVENTS_H */
