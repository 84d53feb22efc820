/* SPDX-License-Identifier: GPL-2.0 */
/* xneighd: the daemon's copy of the kernel state it mirrors (interfaces,
 * IPv4 and IPv6 addresses, IPv6 anycast addresses, the local routing table,
 * proxy entries, sysctls), and the pure functions that turn it into map
 * values. Netlink and /proc fill it (netlink.c, sync.c), sync.c writes what
 * these functions compute into the maps. Nothing here does I/O, so every
 * function can be checked against the kernel by reading, and unit-tested.
 */
#ifndef XND_MODEL_H
#define XND_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <net/if.h>
#include "xneigh/maps.h"
#include "sysctl.h"

/* One struct in_ifaddr, as RTM_NEWADDR describes it. */
struct xn_addr_rec {
	__u32 ifindex;
	__be32 local;			/* ifa_local (IFA_LOCAL) */
	__be32 address;			/* ifa_address (IFA_ADDRESS): the peer on p2p links */
	__u8 prefixlen;
	__u8 scope;			/* RT_SCOPE_* */
	__u32 flags;			/* IFA_F_* (IFA_FLAGS, else ifa_flags) */
};

/* One struct inet6_ifaddr, as RTM_NEWADDR (AF_INET6) describes it. */
struct xn_addr6_rec {
	__u32 ifindex;
	__u8 addr[16];			/* ifa->addr: IFA_LOCAL, else IFA_ADDRESS */
	__u8 prefixlen;
	__u8 scope;			/* RT_SCOPE_* */
	__u32 flags;			/* IFA_F_* (IFA_FLAGS, else ifa_flags) */
};

/* One anycast address of an interface (a line of /proc/net/anycast6). */
struct xn_acaddr6_rec {
	__u32 ifindex;
	__u8 addr[16];
};

/* One interface of the namespace. */
struct xn_link_rec {
	__u32 ifindex;
	char name[IF_NAMESIZE];
	unsigned int ifi_flags;		/* IFF_* incl. IFF_LOWER_UP */
	__u8 mac[ETH_ALEN];		/* zero unless the address is 6 bytes */
	bool carrier;			/* IFLA_CARRIER, else IFF_LOWER_UP */
	bool ipv4;			/* has an in_device (conf/NAME exists) */
	bool ipv6;			/* has an inet6_dev (ipv6/conf/NAME exists) */
	struct xn_ipv4_conf conf;	/* raw conf/NAME values */
	struct xn_neigh_parms neigh;	/* raw neigh/NAME values */
	struct xn_ipv6_conf conf6;	/* raw ipv6/conf/NAME values */
	struct xn_neigh_parms neigh6;	/* raw ipv6/neigh/NAME values */
};

/* One /32 route of the local table (RTN_LOCAL or RTN_BROADCAST). */
struct xn_route_rec {
	__be32 dst;
	__u8 type;
	__u32 ifindex;			/* RTA_OIF, 0 if none */
};

/* One IPv4 route that matters to the xn_route4 mirror, as RTM_NEWROUTE
 * describes it: every route of tables main (254) and default (253), and the
 * routes of table local (255) that xn_local4 does not hold (all but its
 * tos-0 /32 RTN_LOCAL and RTN_BROADCAST routes). */
struct xn_rt4_rec {
	__u32 table;			/* RTA_TABLE, else rtm_table */
	__be32 dst;			/* RTA_DST (0 for a default route) */
	__u8 dst_len;
	__u8 tos;			/* rtm_tos */
	__u8 type;			/* rtm_type: RTN_* */
	__u8 pad;
	__u32 flags;			/* rtm_flags (RTNH_F_DEAD: the only next hop is
					 * dead, or linkdown with ignore_routes_with_linkdown) */
	__u32 priority;			/* RTA_PRIORITY, the metric */
	__u32 nh_id;			/* RTA_NH_ID: uses a nexthop object; 0 none */
	__u32 nhs;			/* next hops listed: 1 for RTA_OIF, the count of
					 * RTA_MULTIPATH; 0 none (a nexthop object under
					 * nexthop_compat_mode 0, or an error route) */
	__u32 alive;			/* of those, how many without RTNH_F_DEAD */
	__u32 oif[XN_ROUTE4_NH_MAX];	/* devices of the first next hops, dead or not */
};

/* One nexthop object (ip nexthop), as RTM_NEWNEXTHOP describes it. */
struct xn_nh_rec {
	__u32 id;			/* NHA_ID */
	__u32 oif;			/* NHA_OIF, 0 none */
	bool blackhole;			/* NHA_BLACKHOLE */
	bool group;			/* NHA_GROUP */
	__u32 ngrp;			/* members of the group */
	__u32 grp[XN_ROUTE4_NH_MAX];	/* ids of its first members */
};

/* One IPv4 policy rule (ip rule), as RTM_NEWRULE describes it. */
struct xn_rule4_rec {
	__u32 pref;			/* FRA_PRIORITY, 0 when absent */
	__u32 table;			/* FRA_TABLE, else frh->table */
	__u8 action;			/* FR_ACT_* */
	__u8 src_len, dst_len, tos;
	__u32 flags;			/* FIB_RULE_* */
	bool selectors;			/* carries a match attribute (iif, oif, fwmark,
					 * uid range, ports, l3mdev, suppress_*, goto,
					 * dscp, or any attribute xneighd does not know) */
};

/* One proxy entry (pneigh) of either family. */
struct xn_proxy_rec {
	__u32 ifindex;			/* 0: any device */
	__u8 family;			/* AF_INET or AF_INET6 */
	__u8 addr[16];			/* IPv4: first 4 bytes, network order */
	__u8 flags;			/* ndm_flags without NTF_PROXY */
	bool permanent;			/* ndm_state & NUD_PERMANENT */
};

/* A growable array; `n` used, `cap` allocated. */
#define XN_VEC(type) struct { type *v; size_t n, cap; }

struct xn_model {
	XN_VEC(struct xn_link_rec) links;	/* RTM_GETLINK dump order */
	XN_VEC(struct xn_addr_rec) addrs;	/* RTM_GETADDR dump order = ifa_list order */
	XN_VEC(struct xn_addr6_rec) addrs6;	/* RTM_GETADDR (AF_INET6) dump order =
						 * idev->addr_list order */
	XN_VEC(struct xn_acaddr6_rec) anycast6;	/* /proc/net/anycast6 order */
	XN_VEC(struct xn_route_rec) routes;
	XN_VEC(struct xn_proxy_rec) proxies;	/* both families, dump order */
	XN_VEC(struct xn_rt4_rec) routes4;	/* xn_route4's sources, dump order =
						 * the kernel's order within a prefix */
	XN_VEC(struct xn_nh_rec) nexthops;	/* nexthop objects, read when a route of
						 * table main names one without listing it */
	XN_VEC(struct xn_rule4_rec) rules4;	/* IPv4 policy rules, in evaluation order */
	bool routes4_known;			/* last route dump complete */
	bool nexthops_known;			/* last nexthop dump complete */
	bool rules4_known;			/* last rule dump complete */
	struct xn_ipv4_conf all;		/* conf/all */
	struct xn_ipv6_conf all6;		/* ipv6/conf/all */
	/* net.ipv{4,6}.neigh.default: the table's own parameter set (the
	 * one interfaces without a set use, and whose base_reachable_time
	 * paces periodic GC) and the GC thresholds. Only the initial network
	 * namespace has that directory; elsewhere they keep the kernel's
	 * defaults, which is what the namespace's tables run with unless
	 * someone changes them in the initial namespace. */
	struct xn_neigh_parms dflt_neigh;	/* ipv4/neigh/default */
	struct xn_neigh_parms dflt_neigh6;	/* ipv6/neigh/default */
	bool dflt_neigh_read, dflt_neigh6_read;	/* read from /proc, not built-in */
	struct xn_neigh_thresh thresh4, thresh6;
};

void xn_model_free(struct xn_model *m);
/* Append a zeroed element to a vector; NULL when out of memory. */
void *xn_vec_push(void **v, size_t *n, size_t *cap, size_t elsz);
#define XN_VEC_PUSH(vec) \
	((__typeof__((vec).v))xn_vec_push((void **)&(vec).v, &(vec).n, &(vec).cap, sizeof(*(vec).v)))

const struct xn_link_rec *xn_model_link(const struct xn_model *m, __u32 ifindex);
const char *xn_model_ifname(const struct xn_model *m, __u32 ifindex, char *buf, size_t len);

/* inet_ifa_match(): is addr inside the prefix of ifa (its ifa_address/len)? */
bool xn_ifa_match(__be32 addr, const struct xn_addr_rec *ifa);

/* devinet.c confirm_addr_indev() over the addresses of `ifindex`, taken from
 * `addrs` in list order; route_localnet is IN_DEV_ROUTE_LOCALNET() of that
 * interface. Returns the confirmed local address or 0. */
__be32 xn_confirm_addr_indev(const struct xn_addr_rec *addrs, size_t n, __u32 ifindex,
			     bool route_localnet, __be32 dst, __be32 local,
			     unsigned char scope);

/* inet_confirm_addr(net, NULL, dst, local, scope): any interface with IPv4
 * state. */
__be32 xn_inet_confirm_addr(const struct xn_model *m, __be32 dst, __be32 local,
			    unsigned char scope);

/* The xn_local4 value of a local-table route (ARP-R3 arp_ignore=3 uses the
 * flag: inet_confirm_addr(net, NULL, 0, addr, RT_SCOPE_LINK)). */
void xn_model_local4(const struct xn_model *m, const struct xn_route_rec *r,
		     struct xn_local4 *out);

/* The xn_ifconf value of an interface. */
void xn_model_ifconf(const struct xn_model *m, const struct xn_link_rec *l,
		     struct xn_ifconf *out);

/* ND-TX1: xn_ifconf.src6_ll / src6_global of an interface: the first
 * address of link or global scope in idev->addr_list order that
 * ipv6_dev_get_saddr() may use (not tentative unless optimistic, not
 * dadfailed), preferring one that is neither deprecated nor optimistic (its
 * rule 3) over one that is; all-zero when there is none. */
void xn_model_src6(const struct xn_model *m, __u32 ifindex, __u8 ll[16], __u8 global[16]);

/* The xn_ifaddr4 value of an interface: its first XN_IFADDR4_MAX addresses.
 * Returns how many addresses it has in total (more than XN_IFADDR4_MAX is
 * an error the caller reports). */
unsigned int xn_model_ifaddrs(const struct xn_model *m, __u32 ifindex,
			      struct xn_ifaddrs4 *out);

/* The xn_addr6 entry of a unicast address. */
void xn_model_addr6(const struct xn_addr6_rec *a, struct xn_addr6_key *k, struct xn_addr6 *v);

/* The xn_addr6 entry of an anycast address: flags XN_ADDR6_ANYCAST,
 * prefixlen 128 and the scope of the address. False (nothing to write) when
 * the interface also has the address as a unicast address: that entry
 * stands, as ndisc_recv_ns() looks unicast addresses up first. */
bool xn_model_acaddr6(const struct xn_model *m, const struct xn_acaddr6_rec *a,
		      struct xn_addr6_key *k, struct xn_addr6 *v);

/* The xn_prefix6 key of an address's on-link prefix (ipv6_chk_prefix()
 * compares ifa->addr over ifa->prefix_len bits): prefixlen 32 + plen,
 * ifindex in network order, the address masked to plen bits (the LPM trie
 * stores key bytes as given). plen above 128 is taken as 128. */
void xn_prefix6_key_make(__u32 ifindex, const __u8 addr[16], unsigned int plen,
			 struct xn_prefix6_key *k);

/* RT_SCOPE_* of an IPv6 address by its type, as addrconf gives a new
 * address (ipv6_addr_scope()): ::1 host, fe80::/10 link, fec0::/10 site,
 * everything else universe. */
__u8 xn_ipv6_scope(const __u8 addr[16]);

/* Parse the text of /proc/net/anycast6 (ac6_seq_show(): "%-4d %-15s %pi6
 * %5d\n" per address: ifindex, device, 32 hex digits, users) into
 * out->anycast6, replacing its content (the caller parses into a scratch
 * model, so a bad read does not lose the last good set). Strict: every line
 * must have exactly these four fields and end in a newline. 0, -ENOMEM,
 * or -EINVAL with a message naming the line and the offending token in err. */
int xn_anycast6_parse(const char *text, size_t len, struct xn_model *out,
		      char *err, size_t errlen);

/* xn_global.fib_ifindex: an interface whose own forwarding is on, loopback
 * preferred (bpf_fib_lookup() refuses to route from one without it); 0. */
__u32 xn_model_fib_ifindex(const struct xn_model *m);

/* xn_global.fib6_ifindex: the same for IPv6 (bpf_ipv6_fib_lookup() wants
 * idev->cnf.forwarding of the lookup's device: net.ipv6.conf.DEV.forwarding,
 * the device's own value); loopback preferred; 0 when none has it. */
__u32 xn_model_fib6_ifindex(const struct xn_model *m);

/* ---- xn_route4: the mirror of table main ---- */

/* A route type whose lookup ends in an error (fib_props[type].error < 0 in
 * net/ipv4/fib_semantics.c): blackhole, unreachable, prohibit, throw, nat,
 * xresolve. fib_table_lookup() returns that error at the first such alias,
 * whatever its next hops. */
bool xn_rtn_is_error(__u8 type);

/* The xn_route4 entry a route of table main would be, when it can be the
 * result of the kernel's lookups for ARP (ARP-R1 fib_validate_source(),
 * ARP-R4 arp_filter() -> ip_route_output()): false for a route of another
 * table, for a route with tos != 0 (both lookups carry tos 0, and
 * fib_table_lookup() skips an alias whose dscp differs), and for a route whose
 * next hops are all dead (skipped too). Otherwise the key is {dst_len, dst
 * masked} and the value: type = rtm_type; nhs and oif[] = every next hop
 * (fib_info_nh_uses_dev() looks at all of them, dead ones included); nhs =
 * the count when there are more than XN_ROUTE4_NH_MAX (the data plane leaves
 * those to the kernel); nhs = 0 (unknown) for a route using a nexthop object
 * that `m` cannot resolve, or whose next hops are all dead (fib_table_lookup()
 * then abandons the whole leaf, which an LPM entry cannot say). Error types
 * carry no next hop. */
bool xn_route4_value(const struct xn_model *m, const struct xn_rt4_rec *r,
		     struct xn_route4_key *k, struct xn_route4 *v);

struct xn_route4_ent {
	struct xn_route4_key k;
	struct xn_route4 v;
};

/* The whole content of xn_route4: per prefix, the route the kernel's lookup
 * meets first among those xn_route4_value() accepts: the lowest metric, then
 * the first in dump order (fib_alias list order). *out is allocated (free
 * it); returns the number of entries or -ENOMEM. */
int xn_model_route4(const struct xn_model *m, struct xn_route4_ent **out);

/* Are these IPv4 policy rules exactly the kernel's defaults
 * (fib_default_rules_init(): pref 0 lookup local, 32766 lookup main, 32767
 * lookup default, each with no selector)? If not, why names the first rule
 * that differs, or the one missing. */
bool xn_rules4_default(const struct xn_rule4_rec *r, size_t n, char *why, size_t len);

/* May the data plane trust xn_route4 as the answer of fib_lookup() for ARP
 * (XN_GF_ROUTE4_VALID)? Yes when the dumps were complete, the rules are the
 * defaults (xn_rules4_default()), table default holds no route that can
 * match, and table local holds nothing but what xn_local4 and the data
 * plane's loopback rule express (its /32 local and broadcast routes, and
 * local 127.0.0.0/8). Otherwise false, and why says what is in the way. */
bool xn_route4_usable(const struct xn_model *m, char *why, size_t len);

#endif /* XND_MODEL_H */
