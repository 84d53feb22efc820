/* SPDX-License-Identifier: GPL-2.0 */
/* Keys and values of the maps the data plane and user space share.
 *
 * Rules for every struct here: fixed-width fields, byte order in the type
 * (__be32 is network order, everything else host order), padding written out
 * as named fields that writers zero, and a compile-time size check so a layout
 * change is a build error on both sides rather than garbage in a map.
 * Times are CLOCK_MONOTONIC nanoseconds (bpf_ktime_get_ns()).
 */
#ifndef XNEIGH_MAPS_H
#define XNEIGH_MAPS_H

#include "types.h"
#include "wire.h"

/* Map names as the kernel shows them (at most 15 characters, BPF_OBJ_NAME_LEN). */
#define XN_MAP_NEIGH4		"xn_neigh4"
#define XN_MAP_IFCONF		"xn_ifconf"
#define XN_MAP_IFADDR4		"xn_ifaddr4"
#define XN_MAP_LOCAL4		"xn_local4"
#define XN_MAP_LOCAL4F		"xn_local4_filt"
#define XN_MAP_PROXY4		"xn_proxy4"
#define XN_MAP_GLOBAL		"xn_global"
#define XN_MAP_STATS		"xn_stats"
#define XN_MAP_EVENTS		"xn_events"
#define XN_MAP_NEIGH6		"xn_neigh6"
#define XN_MAP_ADDR6		"xn_addr6"
#define XN_MAP_PREFIX6		"xn_prefix6"
#define XN_MAP_PROXY6		"xn_proxy6"
#define XN_MAP_ROUTE4		"xn_route4"
#define XN_MAP_SCRATCH		"xn_scratch"
#define XN_MAP_SNAP		"xn_snap"
#define XN_MAP_HOLD		"xn_hold"

/* Default sizes; xneighd can change them before loading. */
#define XN_NEIGH4_MAX_DEFAULT	65536
#define XN_IFACES_MAX		256
#define XN_LOCAL4_MAX		4096
#define XN_PROXY4_MAX		4096
#define XN_EVENTS_BYTES		(256 * 1024)
#define XN_NEIGH6_MAX_DEFAULT	65536
#define XN_ADDR6_MAX		4096
#define XN_PREFIX6_MAX		4096
#define XN_PROXY6_MAX		4096
#define XN_ROUTE4_MAX		65536
#define XN_HOLD_BYTES		(2 * 1024 * 1024)

/* ---- Neighbour table -------------------------------------------------- */

/* Key of xn_neigh4: one entry per (interface, IPv4 address), as the kernel's
 * arp_tbl is keyed by (primary key, dev). */
struct xn_neigh4_key {
	__u32 ifindex;
	__be32 addr;
};
XN_STATIC_ASSERT(sizeof(struct xn_neigh4_key) == 8, "xn_neigh4_key layout");

/* Key of xn_neigh6: (interface, IPv6 address), as the kernel's nd_tbl. */
struct xn_neigh6_key {
	__u32 ifindex;
	__u8 addr[16];			/* struct in6_addr, network order */
};
XN_STATIC_ASSERT(sizeof(struct xn_neigh6_key) == 20, "xn_neigh6_key layout");

/* Value of the neighbour tables. Every field is read and written under
 * `lock` (bpf_spin_lock in BPF, BPF_F_LOCK from user space), so a reader never
 * sees the MAC of one writer with the state of another. */
struct xn_neigh {
	struct bpf_spin_lock lock;
	__u8 state;			/* NUD_* */
	__u8 flags;			/* XN_NTF_ROUTER, XN_NTF_EXT_LEARNED, … */
	__u8 lladdr[ETH_ALEN];		/* cached link-layer address */
	__u32 probes;			/* solicitations sent (NUD-4) */
	__u32 gen;			/* bumped on every change of state, lladdr or
					 * NTF flags (what the kernel notifies) */
	__u32 xflags;			/* XN_NF_*: xneigh's own bookkeeping */
	__u64 confirmed;		/* last reachability confirmation */
	__u64 updated;			/* last change of state or lladdr */
	__u64 used;			/* last use for transmission */
};
XN_STATIC_ASSERT(sizeof(struct xn_neigh) == 48, "xn_neigh layout");
XN_STATIC_ASSERT(__builtin_offsetof(struct xn_neigh, confirmed) == 24, "xn_neigh alignment");

/* xn_neigh.xflags */
#define XN_NF_CREATED_BY_DP	0x1	/* created by the data plane (not by an admin) */
#define XN_NF_DEAD		0x2	/* being removed (NUD-8.1: no more updates) */
#define XN_NF_KERNEL_SOLICIT	0x4	/* created when the kernel's own solicitation for it
					 * left (NUD-15): the kernel is resolving it, so
					 * xneighd does not probe it too */

/* ---- Per-interface configuration --------------------------------------- */

/* xn_ifconf.flags */
#define XN_IFF_CONFIGURED	0x0001	/* written by xneighd (or by hand): MAC is valid */
#define XN_IFF_UP		0x0002
#define XN_IFF_NOARP		0x0004	/* IFF_NOARP: ARP-V1, nothing is answered */
#define XN_IFF_LOOPBACK		0x0008
#define XN_IFF_IPV4		0x0010	/* has IPv4 state (in_device): ARP-V3 */
#define XN_IFF_CARRIER		0x0020
#define XN_IFF_IPV6		0x0040	/* has IPv6 state (inet6_dev) */
#define XN_IFF_STRICT		0x0080	/* xneighd --strict: drop frames that fail the
					 * anti-spoofing checks (bpf/lib/strict.h) */

/* Value of xn_ifconf, keyed by ifindex (__u32). The writer combines the
 * net.ipv4.conf.{all,DEV} values as the kernel does (spec §1.3), so the data
 * plane reads one effective value per setting. Out-of-range values are stored
 * as they are: the data plane maps them exactly as the kernel's switch does. */
struct xn_ifconf {
	__u8 mac[ETH_ALEN];		/* interface hardware address */
	__u16 flags;			/* XN_IFF_* */
	__s32 arp_ignore;		/* max(all, dev) */
	__s32 arp_announce;		/* max(all, dev) */
	__s32 arp_accept;		/* max(all, dev) */
	__s32 arp_notify;		/* max(all, dev) */
	__s32 medium_id;		/* dev */
	__u8 arp_filter;		/* all || dev */
	__u8 drop_gratuitous_arp;	/* all || dev */
	__u8 proxy_arp;			/* all || dev */
	__u8 proxy_arp_pvlan;		/* all || dev */
	__u8 forwarding;		/* dev (IN_DEV_FORWARD) */
	__u8 route_localnet;		/* all || dev */
	__u8 arp_evict_nocarrier;	/* all && dev */
	__u8 rp_filter;			/* max(all, dev) */
	__u32 locktime_ms;		/* net.ipv4.neigh.DEV.locktime, in ms */
	__u32 base_reachable_ms;	/* net.ipv4.neigh.DEV.base_reachable_time_ms */
	__u32 proxy_delay_ms;		/* net.ipv4.neigh.DEV.proxy_delay, in ms */
	__u32 reserved;			/* zero */
	/* IPv6 (net.ipv6.conf; spec §1.3 says how each combines) */
	__u8 forwarding6;		/* dev */
	__u8 proxy_ndp;			/* all || dev */
	__u8 drop_unsolicited_na;	/* dev */
	__u8 accept_untracked_na;	/* dev, 0..2 */
	__u8 force_tllao;		/* dev */
	__u8 ndisc_notify;		/* all || dev */
	__u8 ndisc_evict_nocarrier;	/* all && dev */
	__u8 ndisc_tclass;		/* dev: traffic class of ND messages */
	__u8 all_forwarding6;		/* net.ipv6.conf.all.forwarding (ND-NA9) */
	__u8 all_proxy_ndp;		/* net.ipv6.conf.all.proxy_ndp (ND-NA9) */
	__u16 pad6;
	__u32 base_reachable6_ms;	/* net.ipv6.neigh.DEV.base_reachable_time_ms */
	__u32 proxy_delay6_ms;		/* net.ipv6.neigh.DEV.proxy_delay, in ms */
	/* NA source for anycast/proxy targets (ND-TX1): the interface's
	 * preferred link-local and global addresses, chosen by xneighd;
	 * all-zero when there is none */
	__u8 src6_ll[16];
	__u8 src6_global[16];
};
XN_STATIC_ASSERT(sizeof(struct xn_ifconf) == 52 + 12 + 8 + 32, "xn_ifconf layout");

/* Kernel defaults used for an interface without an xn_ifconf entry (spec §1.4). */
#define XN_DEFAULT_LOCKTIME_MS		1000
#define XN_DEFAULT_BASE_REACHABLE_MS	30000
#define XN_DEFAULT_PROXY_DELAY_MS	800

/* ---- Local addresses --------------------------------------------------- */

/* One IPv4 address of an interface, in the kernel's ifa_list order. */
struct xn_ifaddr4 {
	__be32 addr;			/* ifa_local */
	__u8 prefixlen;
	__u8 scope;			/* XN_SCOPE_* (ifa_scope) */
	__u8 flags;			/* IFA_F_* low byte (IFA_F_SECONDARY = 0x01) */
	__u8 pad;
	__be32 peer;			/* ifa_address when it differs from ifa_local
					 * (point-to-point peer), else 0: prefixes are
					 * matched against it, as inet_ifa_match() does */
};

#define XN_IFADDR4_MAX		32

/* Value of xn_ifaddr4, keyed by ifindex (__u32): every IPv4 address of the
 * interface, so confirm_addr_indev() can be evaluated exactly, order included.
 * An interface with more than XN_IFADDR4_MAX addresses is refused by xneighd
 * with an error; it is never silently truncated. */
struct xn_ifaddrs4 {
	__u32 count;
	__u32 pad;
	struct xn_ifaddr4 a[XN_IFADDR4_MAX];
};
XN_STATIC_ASSERT(sizeof(struct xn_ifaddrs4) == 8 + 12 * XN_IFADDR4_MAX, "xn_ifaddrs4 layout");

/* xn_local4.flags */
#define XN_LOCAL_CONFIRM_LINK	0x01	/* arp_ignore=3 answers: inet_confirm_addr(net, NULL, 0, addr, RT_SCOPE_LINK) */

/* Value of xn_local4, keyed by __be32 address: the /32 routes of the kernel's
 * local table (ip route show table local): our addresses (RTN_LOCAL) and the
 * broadcast addresses (RTN_BROADCAST). inet_addr_type() reads the same table. */
struct xn_local4 {
	__u8 type;			/* XN_RTN_LOCAL or XN_RTN_BROADCAST */
	__u8 flags;			/* XN_LOCAL_* */
	__u16 pad;
	__u32 ifindex;			/* device of the local route */
};
XN_STATIC_ASSERT(sizeof(struct xn_local4) == 8, "xn_local4 layout");

/* Value of xn_local4_filt (one slot): which addresses may be keys of
 * xn_local4, one bit per xn_local4f_bit() value. Without a snapshot that
 * holds every key (xn_snap, below), the ARP path asks it before looking an
 * address up: almost every sender is a remote host, and the hash lookup it
 * saves costs ~15 ns where reading an inlined array slot costs ~2 ns. A
 * clear bit is trusted only when `valid` is 1, which says every key of
 * xn_local4 has its bit set; xneighd rebuilds the filter from the map after
 * each sync of xn_local4 (user/lib/local4f.h). Whoever writes xn_local4
 * without rebuilding it leaves `valid` 0: every address is then looked up. */
#define XN_LOCAL4F_BITS		4096
struct xn_local4_filter {
	__u32 valid;
	__u32 pad;
	__u64 bits[XN_LOCAL4F_BITS / 64];
};
XN_STATIC_ASSERT(sizeof(struct xn_local4_filter) == 8 + XN_LOCAL4F_BITS / 8,
		 "xn_local4_filter layout");

/* The bit of an address (Fibonacci hashing: the top 12 bits of a * 2^32/phi,
 * which spreads the consecutive addresses of a subnet). Computed on the
 * network-order value as stored, the same way in BPF and in user space. */
static inline __attribute__((always_inline)) __u32 xn_local4f_bit(__be32 a)
{
	return ((__u32)a * 0x9e3779b1u) >> (32 - 12);
}
XN_STATIC_ASSERT(XN_LOCAL4F_BITS == 1 << 12, "xn_local4f_bit() yields 12 bits");

/* ---- Snapshot of the interface settings and local addresses ----------- */

/* xn_snap is an array of maps with one slot. The slot holds an array map of
 * one struct xn_snapshot: a copy of xn_ifconf and xn_local4 laid out so the
 * data plane finds an interface or an address with inlined array reads
 * instead of two hash lookups (~15 ns each here) on every ARP request.
 *
 * The copy is never written in place: xneighd builds a new inner map for
 * each change of xn_ifconf or xn_local4 and swaps it into the slot, and the
 * kernel frees the old one after an RCU grace period, when no program can
 * still be reading it. A program therefore reads one whole snapshot, never a
 * half-written one; user space cannot promise that for an array value it
 * rewrites in place.
 *
 * The hash maps stay the reference (xn_ctl, the CLI and bpftool read them).
 * The slot empty means "no snapshot": the data plane reads the hash maps.
 * Whoever writes xn_ifconf or xn_local4 must publish a new snapshot or empty
 * the slot (user/lib/snap.h does both), as xneighd and the unit lab do. */
#define XN_SNAP_IF_SLOTS	256	/* a power of two: slot = ifindex % slots */
#define XN_SNAP_L4_BUCKETS	2048	/* a power of two; 2 slots each */

/* xn_snapshot.flags */
#define XN_SNAP_IF_ALL		0x1	/* every key of xn_ifconf is in ifs[]: an
					 * interface not found has no xn_ifconf entry */
#define XN_SNAP_L4_ALL		0x2	/* every key of xn_local4 is in l4[]: an
					 * address not found is not local */

struct xn_snap_if {
	__u32 ifindex;			/* 0: empty slot */
	__u32 pad;
	struct xn_ifconf conf;
};

struct xn_snap_l4 {
	__be32 addr;			/* 0: empty slot (0.0.0.0 is never a key) */
	struct xn_local4 v;
};

struct xn_snapshot {
	__u32 flags;			/* XN_SNAP_* */
	__u32 gen;			/* publication number (xneighd's count) */
	struct xn_snap_if ifs[XN_SNAP_IF_SLOTS];
	struct xn_snap_l4 l4[XN_SNAP_L4_BUCKETS * 2];
};
XN_STATIC_ASSERT(sizeof(struct xn_snap_if) == 8 + sizeof(struct xn_ifconf), "xn_snap_if layout");
XN_STATIC_ASSERT(sizeof(struct xn_snap_l4) == 12, "xn_snap_l4 layout");

/* The bucket of an address in xn_snapshot.l4: slots 2b and 2b + 1, the same
 * Fibonacci hashing as xn_local4f_bit(), 11 bits. */
static inline __attribute__((always_inline)) __u32 xn_snap_l4_bucket(__be32 a)
{
	return ((__u32)a * 0x9e3779b1u) >> (32 - 11);
}
XN_STATIC_ASSERT(XN_SNAP_L4_BUCKETS == 1 << 11, "xn_snap_l4_bucket() yields 11 bits");

/* ---- Local IPv6 addresses ------------------------------------------- */

/* xn_addr6 flags: IFA_F_* values (include/uapi/linux/if_addr.h) plus ours. */
#define XN_ADDR6_OPTIMISTIC	0x04	/* IFA_F_OPTIMISTIC */
#define XN_ADDR6_DADFAILED	0x08	/* IFA_F_DADFAILED */
#define XN_ADDR6_TENTATIVE	0x40	/* IFA_F_TENTATIVE */
#define XN_ADDR6_ANYCAST	0x10000	/* an anycast address of the interface (not an ifa) */

/* Key of xn_addr6: an IPv6 address on one interface. IPv6 answers only for
 * addresses of the receiving interface (ND-NS3), so one exact lookup does.
 * With XN_GF_ADDR6_ANY, ifindex 0 entries say "local on some interface"
 * (IPv6 delivers unicast to any local address, whatever the interface). */
struct xn_addr6_key {
	__u32 ifindex;
	__u8 addr[16];
};
XN_STATIC_ASSERT(sizeof(struct xn_addr6_key) == 20, "xn_addr6_key layout");

struct xn_addr6 {
	__u32 flags;			/* XN_ADDR6_* */
	__u8 prefixlen;
	__u8 scope;			/* RT_SCOPE_* (ifa_scope as netlink reports it; for
					 * anycast entries the address's own scope) */
	__u16 pad;
};
XN_STATIC_ASSERT(sizeof(struct xn_addr6) == 8, "xn_addr6 layout");

/* Key of the LPM trie xn_prefix6: the on-link prefixes of each interface's
 * addresses (ipv6_chk_prefix(), for accept_untracked_na = 2). prefixlen
 * counts the 32 ifindex bits too. */
struct xn_prefix6_key {
	__u32 prefixlen;		/* 32 + IPv6 prefix length */
	__be32 ifindex;			/* network order, so it is matched first */
	__u8 addr[16];
};
XN_STATIC_ASSERT(sizeof(struct xn_prefix6_key) == 24, "xn_prefix6_key layout");

/* ---- Proxy entries (ip neigh add proxy ADDR dev DEV) ------------------- */

struct xn_proxy4_key {
	__u32 ifindex;			/* 0: any device */
	__be32 addr;
};
XN_STATIC_ASSERT(sizeof(struct xn_proxy4_key) == 8, "xn_proxy4_key layout");

struct xn_proxy {
	__u8 flags;			/* XN_NTF_ROUTER (for proxy NDP) */
	__u8 permanent;			/* added with nud permanent */
	__u16 pad;
};
XN_STATIC_ASSERT(sizeof(struct xn_proxy) == 4, "xn_proxy layout");

struct xn_proxy6_key {
	__u32 ifindex;			/* 0: any device */
	__u8 addr[16];
};
XN_STATIC_ASSERT(sizeof(struct xn_proxy6_key) == 20, "xn_proxy6_key layout");

/* ---- IPv4 main routing table mirror (xn_route4, LPM trie) --------------- */

/* bpf_fib_lookup() refuses interfaces without forwarding, which is most
 * hosts. For the reverse-path questions (arp_filter, rp_filter) the data
 * plane then reads this mirror of table main, valid only while the policy
 * rules are the kernel's defaults (xn_global.flags & XN_GF_ROUTE4_VALID). */
struct xn_route4_key {
	__u32 prefixlen;
	__be32 addr;
};
XN_STATIC_ASSERT(sizeof(struct xn_route4_key) == 8, "xn_route4_key layout");

#define XN_ROUTE4_NH_MAX	4

struct xn_route4 {
	__u8 type;			/* RTN_* of the route (UNICAST, BLACKHOLE, ...) */
	__u8 nhs;			/* next hops (multipath); > XN_ROUTE4_NH_MAX: unknown */
	__u16 pad;
	__u32 oif[XN_ROUTE4_NH_MAX];	/* output device of each next hop */
};
XN_STATIC_ASSERT(sizeof(struct xn_route4) == 20, "xn_route4 layout");

/* ---- Global settings: xn_global, a one-slot array --------------------- */

/* xn_global.flags */
#define XN_GF_ROUTE4_VALID	0x1	/* xn_route4 mirrors table main, and may be
					 * trusted: default policy rules, empty table
					 * default, plain table local, complete dumps,
					 * table main fits the map (xneighd decides) */
#define XN_GF_ADDR6_ANY		0x2	/* xn_addr6 also holds every local IPv6 address
					 * under ifindex 0 ("on some interface") */

struct xn_global {
	__u32 fib_ifindex;		/* a device with IPv4 forwarding on, for
					 * bpf_fib_lookup from interfaces without it (0: none) */
	__u32 flags;			/* XN_GF_* */
	__u64 daemon_heartbeat;		/* last time xneighd touched the maps */
	__u32 fib6_ifindex;		/* the same for IPv6 forwarding (0: none) */
	__u32 pad;
	__u64 netns_cookie;		/* the network namespace the maps belong to
					 * (SO_NETNS_COOKIE), stamped by xneighd before
					 * it pins them: pins are named after the
					 * namespace's inode, which a later namespace
					 * can reuse (0: never stamped) */
	__u32 neigh_limit[2];		/* [0] arp_cache, [1] ndisc_cache: the data plane
					 * creates no entry once the table holds this
					 * many (gc_thresh3 + the entries exempt from
					 * GC, published by xneighd; 0: the map's size) */
};
XN_STATIC_ASSERT(sizeof(struct xn_global) == 40, "xn_global layout");

/* ---- Events (ring buffer xn_events) ----------------------------------- */

enum xn_event_type {
	XN_EV_CREATED = 1,		/* entry created */
	XN_EV_STATE = 2,		/* state changed (lladdr unchanged) */
	XN_EV_LLADDR = 3,		/* link-layer address changed (old and new) */
	XN_EV_CONFLICT = 4,		/* a frame claims one of our addresses */
	XN_EV_TABLE_FULL = 5,		/* an entry could not be created */
	XN_EV_DELETED = 6,		/* entry removed (control plane) */
	XN_EV_DAD_CONFLICT = 7,		/* NS/NA for one of our tentative IPv6 addresses */
	XN_EV_RESOLVE = 8,		/* a transmit path (resolve.h) found the entry NONE
					 * or FAILED, or created it: xneighd runs
					 * neigh_event_send() on it (old_state: as seen) */
};

struct xn_event {
	__u64 ts;			/* bpf_ktime_get_ns() */
	__u32 ifindex;
	__u8 type;			/* enum xn_event_type */
	__u8 family;			/* AF_INET / AF_INET6 */
	__u8 old_state;
	__u8 new_state;
	__u8 addr[16];			/* IPv4: first 4 bytes, network order */
	__u8 old_lladdr[ETH_ALEN];
	__u8 new_lladdr[ETH_ALEN];	/* CONFLICT: the claimant's MAC */
	__u8 flags;			/* entry XN_NTF_* after the change */
	__u8 pad[3];
};
XN_STATIC_ASSERT(sizeof(struct xn_event) == 48, "xn_event layout");

/* ---- Held frames (ring buffer xn_hold; include/xneigh/resolve.h) ------- */

/* Longest frame a transmit path can hold: 1514 bytes of Ethernet frame
 * (1500-byte MTU) and two VLAN tags, rounded up. Longer frames are not
 * held (never truncated): the caller's policy drops them, counted. */
#define XN_HOLD_FRAME_MAX	1536

/* xn_hold_rec.flags */
#define XN_HOLD_F_RESOLVE	0x1	/* the entry was NONE or FAILED (or just created):
					 * xneighd runs neigh_event_send() on it too */

/* One frame waiting for its next hop to resolve (the kernel's arp_queue,
 * NUD-3), copied whole by the data plane into xn_hold and dropped there;
 * xneighd keeps it per neighbour and sends it once the entry is valid. */
struct xn_hold_rec {
	__u64 ts;			/* bpf_ktime_get_ns() when held */
	__u32 ifindex;			/* egress interface, the entry's */
	__u8 family;			/* AF_INET / AF_INET6: which table */
	__u8 flags;			/* XN_HOLD_F_* */
	__u8 state;			/* entry state the data plane saw (NUD_*) */
	__u8 pad;
	__u8 addr[16];			/* next hop; IPv4: first 4 bytes, network order */
	__u32 len;			/* bytes of frame[] in use, 1..XN_HOLD_FRAME_MAX */
	__u32 pad2;
	__u8 frame[XN_HOLD_FRAME_MAX];	/* as it is to leave, but for the Ethernet
					 * addresses, which xneighd writes */
};
XN_STATIC_ASSERT(sizeof(struct xn_hold_rec) == 40 + XN_HOLD_FRAME_MAX, "xn_hold_rec layout");

#endif /* XNEIGH_MAPS_H */
