/* SPDX-License-Identifier: GPL-2.0 */
/* The statistics counters, defined once.
 *
 * XN_STATS(X) expands X(name, description) per counter. The BPF data plane
 * bumps fields of struct xn_stats by name; the CLI walks the same list to print
 * every counter with its name, so adding a counter here is the whole change.
 * The first twelve are the kernel's struct neigh_statistics (spec §9.1), in
 * the order of /proc/net/stat/arp_cache; the rest say why a frame went where.
 */
#ifndef XNEIGH_STATS_H
#define XNEIGH_STATS_H

#include "types.h"

#define XN_STATS_KERNEL(X)							\
	X(allocs,		"entries allocated")				\
	X(destroys,		"entries destroyed")				\
	X(hash_grows,		"hash table grows (always 0: fixed-size BPF hash)") \
	X(lookups,		"neighbour lookups on receive")			\
	X(hits,			"lookups that found an entry")			\
	X(res_failed,		"resolutions that ended FAILED")		\
	X(rcv_probes_mcast,	"multicast solicitations received (IPv6)")	\
	X(rcv_probes_ucast,	"unicast solicitations received (IPv6)")	\
	X(periodic_gc_runs,	"periodic garbage-collection runs")		\
	X(forced_gc_runs,	"forced garbage-collection runs")		\
	X(unres_discards,	"packets discarded while unresolved")		\
	X(table_fulls,		"entries refused: table full")

#define XN_STATS_REASONS(X)							\
	X(rx_arp,		"ARP frames seen")				\
	X(rx_requests,		"ARP requests seen")				\
	X(rx_replies,		"ARP replies seen")				\
	X(replies_sent,		"replies sent by xneigh")			\
	X(dad_replies,		"replies to duplicate-address probes")		\
	X(proxied,		"proxy replies sent")				\
	X(proxy_deferred,	"proxy requests left to the kernel (proxy_delay)") \
	X(ignored_arp_ignore,	"requests refused by arp_ignore")		\
	X(filtered_arp_filter,	"requests refused by arp_filter")		\
	X(filter_deferred,	"arp_filter/rp_filter lookups left to the kernel") \
	X(route_rejected,	"requests whose input route check failed")	\
	X(not_for_us,		"requests for addresses that are not local")	\
	X(gratuitous_seen,	"gratuitous ARPs seen")				\
	X(gratuitous_dropped,	"gratuitous ARPs dropped (drop_gratuitous_arp)") \
	X(learned,		"entries created from received frames")		\
	X(updated,		"entries changed by received frames")		\
	X(lladdr_changes,	"link-layer address changes")			\
	X(locktime_refused,	"overrides refused within locktime")		\
	X(static_untouched,	"updates refused: PERMANENT/NOARP entry")	\
	X(conflicts,		"frames claiming one of our addresses")		\
	X(strict_mac_mismatch,	"dropped (--strict): link-layer address not the Ethernet source") \
	X(strict_off_subnet,	"dropped (--strict): sender not on the interface's subnets") \
	X(strict_garp_create,	"dropped (--strict): gratuitous ARP / unsolicited NA, no entry") \
	X(no_ifconf,		"frames on interfaces without configuration")	\
	X(otherhost,		"frames unicast to another host")		\
	X(tx_used,		"transmitted packets that marked a neighbour used") \
	X(tx_stale_to_delay,	"STALE entries moved to DELAY by transmit")	\
	X(tx_kernel_solicits,	"entries created for the kernel's own solicitations") \
	X(events_lost,		"events lost: ring buffer full")		\
	X(bad_length,		"malformed: frame too short")			\
	X(bad_hrd,		"malformed: hardware type")			\
	X(bad_pro,		"malformed: protocol type")			\
	X(bad_hln,		"malformed: hardware address length")		\
	X(bad_pln,		"malformed: protocol address length")		\
	X(bad_op,		"malformed: opcode")				\
	X(bad_target,		"dropped: multicast or loopback target (ARP-V5)") \
	X(bad_vlan,		"malformed: more than two VLAN tags")			\
	X(rx_ns,		"neighbour solicitations seen")			\
	X(rx_na,		"neighbour advertisements seen")		\
	X(na_sent,		"advertisements sent by xneigh")		\
	X(nd_deferred,		"solicitations left to the kernel (sender unresolved)") \
	X(dad_conflicts,	"NS/NA for one of our tentative addresses")	\
	X(bad_hoplimit,		"malformed: hop limit not 255 (ND-V2)")		\
	X(bad_code,		"malformed: ICMPv6 code not 0 (ND-V2)")		\
	X(bad_options,		"malformed: ND option length 0 or past the end (ND-V5)") \
	X(bad_lladdr_opt,	"malformed: link-layer option of the wrong size (ND-V6)") \
	X(bad_csum,		"malformed: ICMPv6 checksum (ND-V1)")		\
	X(bad_dad,		"dropped: DAD NS not to solicited-node or with SLLAO (ND-NS1)") \
	X(bad_source,		"dropped: IPv6 source or destination that ipv6_rcv() refuses") \
	X(na_mcast_solicited,	"dropped: solicited NA sent to multicast (ND-NA2)") \
	X(unsolicited_dropped,	"dropped: unsolicited NA (drop_unsolicited_na)")	\
	X(untracked_ignored,	"unsolicited NAs for unknown targets not learned (ND-NA7)") \
	X(tx_resolves,		"resolutions started by a transmit path (resolve.h)") \
	X(tx_held,		"packets held until their neighbour resolves (resolve.h)") \
	X(hold_sent,		"held packets sent once their neighbour resolved") \
	X(hold_failed,		"held packets discarded: resolution failed or timed out") \
	X(hold_unreachable,	"held packets reported unreachable to their sender (ICMP)") \
	X(confirm_tcp,		"confirmations by TCP forward progress (per neighbour)") \
	X(confirm_sent,		"confirmations by the host's MSG_CONFIRM sends") \
	X(confirm_mismatch,	"confirmations refused: the frame's MAC is not the entry's")

#define XN_STATS(X) XN_STATS_KERNEL(X) XN_STATS_REASONS(X)

/* One per family per CPU: value of the BPF_MAP_TYPE_PERCPU_ARRAY xn_stats. */
struct xn_stats {
#define XN_STAT_FIELD(name, desc) __u64 name;
	XN_STATS(XN_STAT_FIELD)
#undef XN_STAT_FIELD
};

enum xn_stat_index {
#define XN_STAT_ENUM(name, desc) XN_STAT_##name,
	XN_STATS(XN_STAT_ENUM)
#undef XN_STAT_ENUM
	XN_STAT__COUNT
};
XN_STATIC_ASSERT(sizeof(struct xn_stats) == XN_STAT__COUNT * sizeof(__u64),
		 "struct xn_stats is one __u64 per counter");

/* Keys of the stats map: one slot per family. */
enum xn_family_slot {
	XN_FAM_ARP = 0,		/* IPv4: arp_cache */
	XN_FAM_ND = 1,		/* IPv6: ndisc_cache */
	XN_FAM__COUNT
};

#endif /* XNEIGH_STATS_H */
