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
	struct xn_ipv4_conf all;		/* conf/all */
	struct xn_ipv6_conf all6;		/* ipv6/conf/all */
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

#endif /* XND_MODEL_H */
