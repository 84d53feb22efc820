/* SPDX-License-Identifier: GPL-2.0 */
/* The data plane's maps. BTF-defined, so `bpftool map dump` prints named
 * fields. Layouts live in include/xneigh/maps.h, shared with user space. */
#ifndef XN_BPF_MAPS_H
#define XN_BPF_MAPS_H

#include <bpf/bpf_helpers.h>
#include "xneigh/maps.h"
#include "xneigh/stats.h"

/* IPv4 neighbour table: (ifindex, address) -> entry, like the kernel's arp_tbl. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, XN_NEIGH4_MAX_DEFAULT);
	__type(key, struct xn_neigh4_key);
	__type(value, struct xn_neigh);
} xn_neigh4 SEC(".maps");

/* Per-interface settings (effective sysctls, MAC, flags), keyed by ifindex. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, XN_IFACES_MAX);
	__type(key, __u32);
	__type(value, struct xn_ifconf);
} xn_ifconf SEC(".maps");

/* Every IPv4 address of each interface, in the kernel's order, keyed by ifindex. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, XN_IFACES_MAX);
	__type(key, __u32);
	__type(value, struct xn_ifaddrs4);
} xn_ifaddr4 SEC(".maps");

/* Mirror of the /32 routes of the kernel's local table: address -> LOCAL/BROADCAST. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, XN_LOCAL4_MAX);
	__type(key, __be32);
	__type(value, struct xn_local4);
} xn_local4 SEC(".maps");

/* Which addresses may be keys of xn_local4 (struct xn_local4_filter). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct xn_local4_filter);
} xn_local4_filt SEC(".maps");

/* The snapshot of xn_ifconf and xn_local4 (include/xneigh/maps.h): one
 * slot, holding an array map of one struct xn_snapshot, replaced whole. */
struct xn_snap_inner {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__uint(map_flags, BPF_F_RDONLY_PROG);	/* the programs only read it */
	__uint(key_size, sizeof(__u32));
	/* a size, not a BTF type: clang emits a type reached only through an
	 * inner map definition as a forward declaration, which libbpf cannot
	 * size; the inner maps xneighd creates carry no BTF either */
	__uint(value_size, sizeof(struct xn_snapshot));
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 1);
	__type(key, __u32);
	__array(values, struct xn_snap_inner);
} xn_snap SEC(".maps");

/* Proxy ARP entries (ip neigh add proxy ADDR dev DEV); ifindex 0 = any device. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, XN_PROXY4_MAX);
	__type(key, struct xn_proxy4_key);
	__type(value, struct xn_proxy);
} xn_proxy4 SEC(".maps");

/* Global settings written by xneighd (one slot). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct xn_global);
} xn_global SEC(".maps");

/* Counters per CPU, one slot per family (enum xn_family_slot). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, XN_FAM__COUNT);
	__type(key, __u32);
	__type(value, struct xn_stats);
} xn_stats SEC(".maps");

/* IPv6 neighbour table: (ifindex, address) -> entry, like the kernel's nd_tbl. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, XN_NEIGH6_MAX_DEFAULT);
	__type(key, struct xn_neigh6_key);
	__type(value, struct xn_neigh);
} xn_neigh6 SEC(".maps");

/* IPv6 addresses (unicast and anycast) of each interface, with DAD flags. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, XN_ADDR6_MAX);
	__type(key, struct xn_addr6_key);
	__type(value, struct xn_addr6);
} xn_addr6 SEC(".maps");

/* On-link IPv6 prefixes per interface (LPM on ifindex + prefix). */
struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, XN_PREFIX6_MAX);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct xn_prefix6_key);
	__type(value, __u32);
} xn_prefix6 SEC(".maps");

/* Proxy NDP entries (ip -6 neigh add proxy ADDR dev DEV); ifindex 0 = any. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, XN_PROXY6_MAX);
	__type(key, struct xn_proxy6_key);
	__type(value, struct xn_proxy);
} xn_proxy6 SEC(".maps");

/* Mirror of the IPv4 main routing table, for reverse-path lookups on
 * interfaces where bpf_fib_lookup() refuses (no forwarding). */
struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, XN_ROUTE4_MAX);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct xn_route4_key);
	__type(value, struct xn_route4);
} xn_route4 SEC(".maps");

/* Scratch space per CPU: the ND message copied out of the frame, so option
 * parsing and the checksum run as separately verified functions over plain
 * memory (see lib/ndisc.h). */
#define XN_ND_MAX_LEN		512
struct xn_nd_buf {
	__u8 b[XN_ND_MAX_LEN];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 2);		/* 1: strict.h's walk and keys, beside the message */
	__type(key, __u32);
	__type(value, struct xn_nd_buf);
} xn_scratch SEC(".maps");

/* Events for user space: entry created/changed, conflicts, table full. */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, XN_EVENTS_BYTES);
} xn_events SEC(".maps");

/* Frames held until their next hop resolves (include/xneigh/resolve.h,
 * XN_RESOLVE_HOLD): one struct xn_hold_rec each, for xneighd. A ring of its
 * own, so a flood of held frames never crowds out xn_events. */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, XN_HOLD_BYTES);
} xn_hold SEC(".maps");

#endif /* XN_BPF_MAPS_H */
