/* SPDX-License-Identifier: GPL-2.0 */
/* The unit-test lab: a private network namespace with fixed interfaces, the
 * xneigh skeleton loaded into it, the maps written the way xneighd writes
 * them, and one-shot test runs of each program.
 *
 *   lo   127.0.0.1/8 (host scope), ::1/128, IPv4 and IPv6 forwarding on:
 *        the bpf_fib_lookup interface
 *   xr0  02:00:00:00:00:01  10.0.0.1/24, 10.0.2.1/24      <- frames arrive here
 *        2001:db8:1::1/64, fe80::ff:fe00:1/64
 *        (peer xr0p 02:00:00:00:00:02)
 *   xo0  02:00:00:00:01:01  127.25.3.4/24 (host scope, forced by the kernel),
 *        10.1.0.1/24                                       <- "another interface"
 *        2001:db8:10::1/64, fe80::ff:fe00:101/64
 *        (peer xo0p 02:00:00:00:01:02)
 *   routes: 10.9.0.0/24 via 10.1.0.254 dev xo0; unreachable 10.8.0.0/24;
 *           2001:db8:99::/64 via 2001:db8:10::fe dev xo0
 *   IPv6 addresses are added with nodad and no automatic link-local (the
 *   link-local ones above are explicit), so none is ever tentative.
 */
#ifndef XN_TEST_LAB_H
#define XN_TEST_LAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <bpf/libbpf.h>

#include "xneigh/maps.h"
#include "xneigh/stats.h"
#include "xneigh/nud.h"
#include "xneigh/ctl.h"

/* Interfaces of the lab, by role. */
enum lab_dev {
	DEV_RX = 0,	/* xr0: the receiving interface */
	DEV_OX,		/* xo0: another interface of the host */
	DEV_LO,		/* lo */
	DEV__COUNT,
	DEV_ANY = 100,	/* proxy entry for "any device" (ifindex 0) */
};

#define LAB_RX_NAME	"xr0"
#define LAB_OX_NAME	"xo0"
#define LAB_MAX_EVENTS	64

struct xneigh;

struct lab {
	struct xneigh *skel;
	__u32 ifindex[DEV__COUNT];
	const char *ifname[DEV__COUNT];
	uint8_t mac[DEV__COUNT][6];
	int fd_neigh4, fd_ifconf, fd_ifaddr4, fd_local4, fd_proxy4, fd_global, fd_stats, fd_events;
	int fd_local4f;		/* xn_local4_filt: lab_apply() writes it as xneighd does */
	int fd_snap;		/* xn_snap: lab_apply() publishes it as xneighd does,
				 * unless lab_snapshot is false */
	int snap_inner;		/* the lab's own inner map for xn_snap, or -1 */
	__u32 snap_inner_id;
	int fd_neigh6, fd_addr6, fd_prefix6, fd_proxy6;
	int prog_xdp, prog_tc_in, prog_tc_out, prog_ctl;
	struct ring_buffer *rb;
	struct xn_event ev[LAB_MAX_EVENTS];
	int nev;		/* events collected by lab_events_drain() */
	int ev_overflow;	/* events beyond LAB_MAX_EVENTS */
	int ncpus;		/* possible CPUs (per-CPU map values) */
};

/* lab_apply() publishes the snapshot of xn_ifconf and xn_local4 (xn_snap)
 * when true (the default); when false it publishes an empty one, flags
 * clear, so that every lookup goes to the hash maps. fx_run_table() runs
 * every table both ways. */
extern bool lab_snapshot;

/* Publish the snapshot of what xn_ifconf and xn_local4 hold now (or the empty
 * one when lab_snapshot is false); after writing either map by hand. */
int lab_snap_sync(struct lab *l);

/* Enter a fresh network namespace and build the lab topology in it. Done
 * once per process; later calls return the first result. 0 or -errno. */
int lab_netns(void);

/* Load the skeleton. neigh_max != 0 sets the max_entries of xn_neigh4 and
 * xn_neigh6 before loading (table-full tests). 0 or -errno (message printed). */
int lab_open(struct lab *l, __u32 neigh_max);
void lab_close(struct lab *l);

/* Empty every map, zero the counters, drop pending events. */
int lab_reset(struct lab *l);
/* Zero the counters only. */
int lab_stats_zero(struct lab *l);

/* Effective per-interface settings (spec §1.3) with the kernel's defaults. */
void lab_ifconf_default(const struct lab *l, enum lab_dev dev, struct xn_ifconf *c);

/* Apply a settings string such as "arp_ignore=1 forwarding=1 proxy_delay_ms=0"
 * on top of c. Keys: the struct xn_ifconf field names, plus the flags
 * noarp=0/1, ipv4=0/1, ipv6=0/1 and strict=0/1 (XN_IFF_NOARP, XN_IFF_IPV4,
 * XN_IFF_IPV6, XN_IFF_STRICT).
 * src6_ll / src6_global take an IPv6 address (:: for none).
 * Returns 0, or -EINVAL after printing the offending token. */
int lab_ifconf_parse(const char *spec, struct xn_ifconf *c);

/* Write the whole configuration as xneighd would: the kernel sysctls of xr0
 * and xo0 (so helpers such as bpf_fib_lookup see the same world), xn_ifconf
 * (rx == NULL: xr0 has no entry), xn_ifaddr4 and xn_local4 read back from the
 * kernel (RTM_GETADDR order; /32 routes of table local, with
 * XN_LOCAL_CONFIRM_LINK computed like inet_confirm_addr()), xn_addr6 and
 * xn_prefix6 from the kernel's IPv6 addresses (flags, prefix length, scope;
 * one on-link prefix per address, as ipv6_chk_prefix() walks them),
 * xn_global. The IPv6 settings of xn_ifconf are written to the map only:
 * nothing in the kernel consults them on the data plane's behalf, and
 * writing net.ipv6.conf.all.forwarding would rewrite every device's value. */
int lab_apply(struct lab *l, const struct xn_ifconf *rx, const struct xn_ifconf *ox);

int lab_proxy_add(struct lab *l, __u32 ifindex, uint32_t ip);
/* Proxy NDP entry (ip -6 neigh add proxy ADDR [dev DEV] [router]). */
int lab_proxy6_add(struct lab *l, __u32 ifindex, const uint8_t *addr, uint8_t ntf_flags);
/* One more xn_addr6 entry (tentative, optimistic or anycast addresses that
 * the kernel of the lab does not have). */
int lab_addr6_put(struct lab *l, __u32 ifindex, const uint8_t *addr, uint32_t flags,
		  uint8_t prefixlen, uint8_t scope);

/* Neighbour entries, read and written with BPF_F_LOCK. ip in host order. */
int lab_neigh_put(struct lab *l, __u32 ifindex, uint32_t ip, const struct xn_neigh *v);
int lab_neigh_get(struct lab *l, __u32 ifindex, uint32_t ip, struct xn_neigh *v);
int lab_neigh_count(struct lab *l);
/* The same for xn_neigh6; addr is 16 bytes in network order. */
int lab_neigh6_put(struct lab *l, __u32 ifindex, const uint8_t *addr, const struct xn_neigh *v);
int lab_neigh6_get(struct lab *l, __u32 ifindex, const uint8_t *addr, struct xn_neigh *v);

/* Sum of the per-CPU counters of one family slot. */
int lab_stats_sum(struct lab *l, __u32 slot, struct xn_stats *out);
uint64_t lab_stat(const struct xn_stats *s, int idx);
const char *lab_stat_name(int idx);

/* Collect every event waiting in xn_events into l->ev. Returns the count. */
int lab_events_drain(struct lab *l);

/* One program run (repeat = 1). Return 0 or -errno from the test run. */
int lab_run_xdp(struct lab *l, __u32 ifindex, const uint8_t *in, size_t in_len,
		uint8_t *out, size_t *out_len, __u32 *retval);
int lab_run_tc(struct lab *l, int prog_fd, __u32 ifindex, const uint8_t *in, size_t in_len,
	       uint8_t *out, size_t *out_len, __u32 *retval);
int lab_run_ctl(struct lab *l, struct xn_ctl_req *req, __u32 *retval);

/* CLOCK_MONOTONIC in ns, the clock of bpf_ktime_get_ns(). */
uint64_t lab_now_ns(void);

/* Run a shell command, printing it and its status on failure. 0 or -1. */
int lab_sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* XN_TEST_LAB_H */
