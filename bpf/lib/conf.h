/* SPDX-License-Identifier: GPL-2.0 */
/* Per-interface configuration as the data plane sees it. */
#ifndef XN_BPF_CONF_H
#define XN_BPF_CONF_H

#include "maps.h"

/* Kernel defaults (spec §1.4/§1.5) for an interface xneighd has not
 * described: it learns and counts with them, and never answers (it does not
 * know its own MAC). */
static const struct xn_ifconf xn_default_ifconf = {
	.arp_evict_nocarrier = 1,
	.ndisc_evict_nocarrier = 1,
	.locktime_ms = XN_DEFAULT_LOCKTIME_MS,
	.base_reachable_ms = XN_DEFAULT_BASE_REACHABLE_MS,
	.proxy_delay_ms = XN_DEFAULT_PROXY_DELAY_MS,
	.base_reachable6_ms = XN_DEFAULT_BASE_REACHABLE_MS,
	.proxy_delay6_ms = XN_DEFAULT_PROXY_DELAY_MS,
};

#endif /* XN_BPF_CONF_H */
