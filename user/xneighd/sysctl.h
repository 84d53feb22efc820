/* SPDX-License-Identifier: GPL-2.0 */
/* xneighd: reading net.ipv{4,6}.conf.{all,DEV}.* and net.ipv{4,6}.neigh.DEV.*
 * from /proc/sys and combining them into the effective per-interface values
 * the data plane reads (struct xn_ifconf), the way the kernel combines them:
 * the IN_DEV_* macros of include/linux/inetdevice.h for IPv4, the reads in
 * net/ipv6/ndisc.c for IPv6 (spec §1.3).
 */
#ifndef XND_SYSCTL_H
#define XND_SYSCTL_H

#include <stdbool.h>
#include "xneigh/maps.h"

#define XN_PROC_CONF	"/proc/sys/net/ipv4/conf"
#define XN_PROC_NEIGH	"/proc/sys/net/ipv4/neigh"
#define XN_PROC_CONF6	"/proc/sys/net/ipv6/conf"
#define XN_PROC_NEIGH6	"/proc/sys/net/ipv6/neigh"

/* Every net.ipv4.conf key xneigh mirrors: X(name, how, default).
 * `how` is the kernel's combination of the all/ and DEV/ values:
 *   MAX  IN_DEV_MAXCONF  max(all, dev)
 *   OR   IN_DEV_ORCONF   all || dev
 *   AND  IN_DEV_ANDCONF  all && dev
 *   DEV  IN_DEV_CONF_GET dev only (all/ is ignored)
 *   DEVB dev only, read as a truth value (IN_DEV_FORWARD() is tested, never
 *        compared), stored as 0/1 so any int fits the __u8 field
 *   RPF  MAX, then folded into 0 / 1 / 2 (off / strict / loose) as
 *        fib_validate_source() reads rp_filter, so any int fits the __u8
 * `default` is the kernel's ipv4_devconf_dflt value, used for an interface
 * that has no conf/ directory (no in_device). Each name is also the field of
 * struct xn_ifconf that receives the combined value. */
#define XN_CONF_KEYS(X)					\
	X(arp_ignore,		MAX,	0)		\
	X(arp_announce,		MAX,	0)		\
	X(arp_accept,		MAX,	0)		\
	X(arp_notify,		MAX,	0)		\
	X(rp_filter,		RPF,	0)		\
	X(arp_filter,		OR,	0)		\
	X(drop_gratuitous_arp,	OR,	0)		\
	X(proxy_arp,		OR,	0)		\
	X(proxy_arp_pvlan,	OR,	0)		\
	X(route_localnet,	OR,	0)		\
	X(arp_evict_nocarrier,	AND,	1)		\
	X(forwarding,		DEVB,	0)		\
	X(medium_id,		DEV,	0)

/* Raw values of one conf/ directory (all/ or DEV/), as written in /proc. */
struct xn_ipv4_conf {
#define XN_CONF_FIELD(name, how, dflt) int name;
	XN_CONF_KEYS(XN_CONF_FIELD)
#undef XN_CONF_FIELD
};

/* Every net.ipv6.conf key xneigh reads: X(name, default), default being
 * ipv6_devconf_dflt's value (net/ipv6/addrconf.c). How each combines into
 * struct xn_ifconf is written out in xn_sysctl_combine6(): the fields are
 * named differently there and the rules differ per key (spec §1.3). */
#define XN_CONF6_KEYS(X)				\
	X(forwarding,		0)			\
	X(proxy_ndp,		0)			\
	X(drop_unsolicited_na,	0)			\
	X(accept_untracked_na,	0)			\
	X(force_tllao,		0)			\
	X(ndisc_notify,		0)			\
	X(ndisc_evict_nocarrier, 1)			\
	X(ndisc_tclass,		0)			\
	X(disable_ipv6,		0)

/* Raw values of one net.ipv6.conf directory (all/ or DEV/). */
struct xn_ipv6_conf {
#define XN_CONF6_FIELD(name, dflt) int name;
	XN_CONF6_KEYS(XN_CONF6_FIELD)
#undef XN_CONF6_FIELD
};

/* Raw values of net.ipv{4,6}.neigh.{default,DEV}, in the units /proc uses
 * (spec §1.4). The first three feed xn_ifconf; the NUD engine reads all of
 * them (xn_nud_parms_sysctl() converts each from its file's unit). */
struct xn_neigh_parms {
	int locktime;			/* USER_HZ ticks (1/100 s) */
	int base_reachable_ms;		/* base_reachable_time_ms */
	int proxy_delay;		/* USER_HZ ticks */
	int retrans_ms;			/* retrans_time_ms */
	int delay_first_probe;		/* delay_first_probe_time, s */
	int gc_stale;			/* gc_stale_time, s */
	int ucast_solicit;
	int mcast_solicit;
	int app_solicit;
	int mcast_resolicit;
	int unres_qlen;			/* packets */
};

/* Each NUD key of struct xn_neigh_parms: X(file name, field). The file
 * names are those xn_nud_parms_sysctl() knows. */
#define XN_NEIGH_NUD_KEYS(X)					\
	X("base_reachable_time_ms",	base_reachable_ms)	\
	X("retrans_time_ms",		retrans_ms)		\
	X("delay_first_probe_time",	delay_first_probe)	\
	X("gc_stale_time",		gc_stale)		\
	X("locktime",			locktime)		\
	X("ucast_solicit",		ucast_solicit)		\
	X("mcast_solicit",		mcast_solicit)		\
	X("app_solicit",		app_solicit)		\
	X("mcast_resolicit",		mcast_resolicit)	\
	X("unres_qlen",			unres_qlen)

/* Table-wide limits, only in net.ipv{4,6}.neigh.default (initial netns). */
struct xn_neigh_thresh {
	int gc_thresh1, gc_thresh2, gc_thresh3;
};

void xn_ipv4_conf_defaults(struct xn_ipv4_conf *c);
void xn_ipv6_conf_defaults(struct xn_ipv6_conf *c);
/* arp_tbl's (family AF_INET) or nd_tbl's (AF_INET6) defaults. */
void xn_neigh_parms_defaults(struct xn_neigh_parms *p, int family);

/* Parse a decimal int, strictly: optional sign, digits, nothing else (one
 * trailing newline allowed). 0 or -EINVAL / -ERANGE. */
int xn_parse_int(const char *s, int *out);

/* Read one integer sysctl file. 0, -ENOENT (no such file: device gone or
 * key unknown to this kernel), or another -errno. */
int xn_sysctl_read_int(const char *path, int *val);

/* Read conf/DEV (dev = "all" for the global values). Keys this kernel lacks
 * keep the value already in *c. 0, or -ENOENT when the directory is gone. */
int xn_sysctl_read_conf(const char *dev, struct xn_ipv4_conf *c);

/* Read net.ipv6.conf.DEV (dev = "all" for the global values). Same
 * conventions. */
int xn_sysctl_read_conf6(const char *dev, struct xn_ipv6_conf *c);

/* Read net.ipv4.neigh.DEV (family AF_INET) or net.ipv6.neigh.DEV
 * (AF_INET6); dev "default" for the table's own set, which exists only in
 * the initial network namespace. Same conventions. */
int xn_sysctl_read_neigh(int family, const char *dev, struct xn_neigh_parms *p);

/* Read gc_thresh1/2/3 of net.ipv{4,6}.neigh.default. -ENOENT outside the
 * initial network namespace (the directory does not exist there). */
int xn_sysctl_read_thresh(int family, struct xn_neigh_thresh *t);
/* The kernel's gc_thresh1/2/3 defaults: 128, 512, 1024. */
void xn_neigh_thresh_defaults(struct xn_neigh_thresh *t);

/* Does DEV have IPv4 state (an in_device)? Exactly when conf/DEV exists. */
bool xn_sysctl_has_ipv4(const char *dev);
/* Does DEV have IPv6 state (an inet6_dev)? Exactly when ipv6/conf/DEV
 * exists (whether it is disabled is disable_ipv6, read with the rest). */
bool xn_sysctl_has_ipv6(const char *dev);

/* Fill the sysctl-derived fields of *out (every field except mac and flags)
 * from the all/ and DEV/ values and DEV's neighbour parameters. Pure. */
void xn_sysctl_combine(const struct xn_ipv4_conf *all, const struct xn_ipv4_conf *dev,
		       const struct xn_neigh_parms *np, struct xn_ifconf *out);

/* Fill the IPv6 fields of *out (forwarding6 ... proxy_delay6_ms; not the
 * source addresses) from net.ipv6.conf.{all,DEV} and net.ipv6.neigh.DEV.
 * Pure. */
void xn_sysctl_combine6(const struct xn_ipv6_conf *all, const struct xn_ipv6_conf *dev,
			const struct xn_neigh_parms *np, struct xn_ifconf *out);

/* IN_DEV_ROUTE_LOCALNET(): all || dev. */
static inline bool xn_conf_route_localnet(const struct xn_ipv4_conf *all,
					  const struct xn_ipv4_conf *dev)
{
	return all->route_localnet || dev->route_localnet;
}

#endif /* XND_SYSCTL_H */
