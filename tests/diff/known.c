// SPDX-License-Identifier: GPL-2.0
/* Documented differences between xneigh and the kernel: the only
 * disagreements that do not fail the suite. Each is a real behaviour
 * difference (README "Known differences"), not a harness artefact, and
 * each says what it excuses and why it is not a bug. A case is excused
 * only by the entry it names in the corpus, or, for the frames xneigh
 * leaves to the kernel (proxy delay, unresolved ND sender), only when
 * xneigh's own counter shows it handed the frame on. */
#include <string.h>
#include "diff.h"

const struct known_diff known_diffs[] = {
	{
		.id = "vlan",
		.excuses = KNOWN_REPLY | KNOWN_ENTRIES,
		.what = "a frame tagged with a VLAN id other than 0 arrives on h0: the kernel, "
			"which has no VLAN device for it, ignores it (PACKET_OTHERHOST in "
			"__netif_receive_skb_core); xneigh answers and learns it on h0 with the "
			"tags kept",
		.why = "README \"Known differences\": XDP runs before VLAN demultiplexing, so "
		       "xneigh treats tagged frames on the parent interface with the parent's "
		       "configuration; on a host with VLAN devices the kernel would answer "
		       "them on the VLAN device instead",
	},
	{
		.id = "proxy_delay",
		.excuses = KNOWN_REPLY,
		.what = "a proxy request not unicast to us with proxy_delay > 0: the kernel "
			"queues it and answers after a random delay (pneigh_enqueue); xneigh "
			"learns the sender the same way but passes the request on (counter "
			"proxy_deferred), and the xneigh side's kernel, whose ARP requests the "
			"lab drops, never answers it",
		.why = "README \"Known differences\": the random delay is the kernel's to keep; "
		       "on a real host the kernel receives the passed request and answers it "
		       "itself after the delay",
	},
	{
		.id = "proxy_delay6",
		.excuses = KNOWN_REPLY | KNOWN_ENTRIES,
		.what = "a multicast NS for a proxied or anycast target with the IPv6 "
			"proxy_delay > 0: the kernel queues it (pneigh_enqueue) and, after a "
			"random delay, learns the sender and answers; xneigh passes it on "
			"(proxy_deferred) without learning, and the lab drops it before the "
			"xneigh side's kernel",
		.why = "as for ARP, the delayed answer is left to the kernel, which gets the "
		       "NS on a real host; unlike ARP (arp_process learns before queueing), "
		       "ndisc_recv_ns() queues before it learns, so the sender's entry is "
		       "the kernel's to make, in the kernel's table",
	},
	{
		.id = "nd_unresolved",
		.excuses = KNOWN_REPLY | KNOWN_ENTRIES,
		.what = "an NS whose sender is not resolved and carries no SLLAO (ND-NS10a): "
			"the kernel creates the sender's entry, and sending the NA moves it to "
			"INCOMPLETE, sends a multicast NS for the sender and queues the NA until "
			"an NA resolves it; xneigh creates the entry (NONE, as the kernel does "
			"before transmitting) and passes the NS on (counter nd_deferred), and "
			"the xneigh side's kernel, whose NS input the lab drops, never answers",
		.why = "resolving an address takes an NS of our own, retransmissions and a "
		       "packet queue: the kernel's job (README \"Known differences\"). On a "
		       "real host the kernel receives the passed NS and resolves and answers "
		       "exactly as on the kernel side; xneigh's copy of the entry stays NONE "
		       "until the sender's NA makes it REACHABLE in both tables",
	},
	{
		.id = "accept_local",
		.excuses = KNOWN_REPLY | KNOWN_ENTRIES,
		.what = "a request or gratuitous ARP whose sender is one of our own addresses "
			"while net.ipv4.conf.*.accept_local is on: fib_validate_source() then "
			"accepts the local source and the kernel answers and learns; xneigh "
			"treats our own address as a martian source whatever accept_local says",
		.why = "xneighd does not mirror accept_local yet (off by default, used for "
		       "multi-homed loops through an external link); with it off, the "
		       "default, both sides agree. README \"Known differences\"",
	},
	{
		.id = "locktime_ticks",
		.excuses = KNOWN_ENTRIES,
		.what = "a second MAC within a locktime of 1 tick (net.ipv4.neigh.DEV.locktime "
			"= 1): the kernel stores 2 jiffies (8 ms at HZ=250) but /proc reads "
			"back 0, which xneighd mirrors, so xneigh lets the second MAC override "
			"where the kernel refuses it",
		.why = "the rounding is in the kernel's /proc conversion; xneighd reads "
		       "locktime from /proc (the netlink NDTPA_LOCKTIME value in ms would be "
		       "exact and is the planned fix). Whole-second locktimes, the default "
		       "included, agree. README \"Known differences\"",
	},
	{
		.id = "nd_mcast_groups",
		.excuses = KNOWN_REPLY | KNOWN_ENTRIES,
		.what = "an NS for our address sent to a solicited-node group h0 joined for "
			"another reason (a proxy entry, our link-local address) instead of the "
			"target's own group: the kernel delivers and answers it; xneigh accepts "
			"only the target's own group, ff02::1 and (routers) ff02::2",
		.why = "xneighd does not mirror the joined groups (/proc/net/igmp6) yet; real "
		       "stacks send an NS to the target's solicited-node group (RFC 4861 "
		       "§7.2.2), which agrees. README \"Known differences\"",
	},
	{
		.id = "nd_src_select",
		.excuses = KNOWN_REPLY,
		.what = "the NA for an anycast or proxied target: the kernel picks its source "
			"with the whole of ipv6_dev_get_saddr() (rule 8: longest matching "
			"prefix); xneigh uses the interface's preferred address of the "
			"destination's scope, which differs when h0 has several global "
			"addresses (the lab adds 2001:db8:ffff::1)",
		.why = "README \"Known differences\": the source is one address per scope, "
		       "precomputed by xneighd; flags, target and TLLAO agree",
	},
};

const size_t known_ndiffs = sizeof(known_diffs) / sizeof(known_diffs[0]);

const struct known_diff *known_find(const char *id)
{
	for (size_t i = 0; i < known_ndiffs; i++)
		if (!strcmp(known_diffs[i].id, id))
			return &known_diffs[i];
	return NULL;
}
