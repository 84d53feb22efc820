/* SPDX-License-Identifier: GPL-2.0 */
/* xneighd: the data plane's events (ring buffer xn_events), logged at debug
 * level in `ip monitor neigh` style. */
#ifndef XND_EVENTS_H
#define XND_EVENTS_H

#include <stddef.h>
#include "xneigh/maps.h"

/* Format one event as a line without newline; "" for unknown types. */
void xn_event_format(const struct xn_event *ev, const char *ifname, char *buf, size_t len);

/* ring_buffer_sample_fn; ctx is the struct xn_model for interface names. */
int xn_event_handle(void *ctx, void *data, size_t size);

#endif /* XND_EVENTS_H */
