/* SPDX-License-Identifier: GPL-2.0 */
/* xneighd: keeps xn_ifconf, xn_ifaddr4, xn_local4, xn_proxy4, xn_addr6,
 * xn_prefix6, xn_proxy6, xn_route4 and xn_global equal to what the kernel
 * says (netlink dumps, /proc/sys, /proc/net/anycast6), deleting what no
 * longer exists and rewriting only what changed. */
#ifndef XND_SYNC_H
#define XND_SYNC_H

#include "model.h"
#include "netlink.h"

struct xn_sync_maps {
	int ifconf, ifaddr4, local4, proxy4, global;
	int local4f;		/* xn_local4_filt, rebuilt with xn_local4 */
	int snap;		/* xn_snap, republished when xn_ifconf or
				 * xn_local4 changes (user/lib/snap.h) */
	int addr6, prefix6, proxy6;
	int route4;
};

#define XN_WHY_LEN	192

struct xn_conf;

struct xn_sync {
	struct xn_nl nl;
	struct xn_model m;
	const struct xn_conf *conf;	/* file and override layers over the model's
					 * neighbour sysctls (conf.h), for xn_ifconf;
					 * NULL: sysctls alone. Set after init. */
	bool strict;			/* xneighd --strict: XN_IFF_STRICT on every
					 * interface's xn_ifconf. Set after init. */
	struct xn_model scratch;	/* anycast6 parse target, so a bad read
					 * leaves the model as it was */
	struct xn_sync_maps fd;
	__u32 fib_ifindex;		/* last value written, for logging changes */
	bool fib_written;
	__u32 fib6_ifindex;		/* the same for xn_global.fib6_ifindex */
	bool fib6_written;
	bool addr6_any;			/* XN_GF_ADDR6_ANY: xn_addr6 holds every local
					 * IPv6 address under ifindex 0 too, complete */
	unsigned int parms_gen;		/* bumped whenever a link's or the default
					 * neighbour parameters may have changed */
	/* xn_route4 and XN_GF_ROUTE4_VALID */
	__u32 route4_max;		/* max_entries of xn_route4 */
	bool route4_valid;		/* the flag as last decided */
	char route4_why[XN_WHY_LEN];	/* why not, when !route4_valid */
	bool route4_said;		/* the state below was logged */
	bool route4_said_valid;
	char route4_said_why[XN_WHY_LEN];
	bool routes4_pending;		/* a main/default change waits for the next tick */
	__u64 routes_next_ns;		/* CLOCK_MONOTONIC ns: no paced route dump before */
	bool fwd_said_valid;		/* mirror state of the last forwarding message */
	char fwd_said_why[XN_WHY_LEN];
	bool anycast6_bad;		/* last read of /proc/net/anycast6 failed:
					 * said once, not at every tick */
	char *readbuf;			/* /proc/net/anycast6 text */
	size_t readbuf_cap;
	bool snap_dirty;		/* xn_ifconf or xn_local4 changed since the
					 * last snapshot (true at start: a snapshot
					 * left by a predecessor is not trusted) */
	__u32 snap_gen;			/* snapshots published */
	int snap_live_fd;		/* the inner map in xn_snap's slot, held until
					 * the swap that replaces it returns, or -1 */
	unsigned int retry;		/* maps whose last write failed */
	__u64 retry_at;			/* CLOCK_MONOTONIC ns of the next attempt */
};

/* Open netlink and read the whole kernel state into the model (no map
 * writes yet). */
int xn_sync_init(struct xn_sync *s);
void xn_sync_set_maps(struct xn_sync *s, const struct xn_sync_maps *fd);
void xn_sync_fini(struct xn_sync *s);

/* Re-read what `dirty` (XN_DIRTY_*) names and write the maps it affects. */
int xn_sync_run(struct xn_sync *s, unsigned int dirty);

/* The periodic tick: re-read every sysctl (they have no notifications),
 * the proxy table (pneigh changes are not notified on every kernel) and
 * /proc/net/anycast6 (no notifications before 6.13), write what changed,
 * and refresh xn_global.daemon_heartbeat. */
int xn_sync_tick(struct xn_sync *s);

#endif /* XND_SYNC_H */
