// SPDX-License-Identifier: GPL-2.0
/* The corpus: sysctl combinations x cases.
 *
 * The lab (tests/netns/test_differential.sh builds it; both sides alike):
 *
 *   host  lo  127.0.0.1/8, 192.168.50.1/32 (a VIP, scope global)
 *         h0  02:00:00:00:01:01  10.1.0.1/24, 10.1.0.50/24 (secondary),
 *             10.1.0.99/32 scope host, 10.3.0.1/24, 2001:db8:1::1/64,
 *             2001:db8:ffff::1/128 (the sentinel's, see lab.c; also makes
 *             h0 a host with two global IPv6 addresses, so an NA for an
 *             anycast or proxied target has a source to choose, ND-TX1),
 *             fe80::ff:fe00:101
 *         h1  02:00:00:00:02:01  10.2.0.1/24, 2001:db8:2::1/64
 *         routes   10.5.0.0/16 via 10.2.0.2 dev h1, 10.6.0.0/16 via 10.1.0.254 dev h0
 *         proxies  10.2.0.9 dev h0, 10.1.0.88 dev h0,
 *                  2001:db8:1::99 dev h0, 2001:db8:2::9 dev h0
 *   peer  p0  02:00:00:00:01:02 (MAC "A" below; no addresses, IPv6 off)
 *
 * Senders the frames impersonate: A = 10.1.0.2 / 2001:db8:1::2 (the
 * default), B = 02:00:00:00:0b:03 (10.1.0.3 / 2001:db8:1::3), C and D new
 * MACs for known addresses.
 *
 * A case is a list of frame specs (frame.c) sent in order from flushed
 * tables; replies are compared after every frame, the tables after the
 * last. Under the bounded corpus a combination runs the families it is
 * about (its `focus`), and CASE_BASE cases run only under the default
 * combination; the full corpus runs every case under every combination of
 * its protocol. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include "diff.h"

const char *const family_names[FAM__COUNT] = {
	[FAM_V] = "V", [FAM_D] = "D", [FAM_R] = "R", [FAM_P] = "P", [FAM_U] = "U",
	[FAM_NDV] = "ND-V", [FAM_NDNS] = "ND-NS", [FAM_NDNA] = "ND-NA",
};

/* An NS from A (2001:db8:1::2) for our address with an SLLAO: creates a
 * STALE entry for A in both tables, the usual first frame of NA cases. */
#define NS_FROM_A	"nd=ns sll=A"
/* NA from A for its own address, unicast to us. */
#define NA_A		"nd=na s6=2001:db8:1::2 tgt=2001:db8:1::2"

const struct diff_case corpus_cases[] = {
	/* ---- ARP-V: validity (arp_rcv, start of arp_process) ---------------- */
	{ FAM_V, "otherhost", "dst=OTHER", CASE_BASE, NULL,
	  "ARP-V1: unicast to another MAC is ignored" },
	{ FAM_V, "mcast-eth-dst", "dst=MC", CASE_BASE, NULL,
	  "a multicast Ethernet destination is processed like broadcast" },
	{ FAM_V, "len-41", "len=41", CASE_BASE, NULL, "ARP-V2: 27-byte ARP body" },
	{ FAM_V, "len-20", "len=20", CASE_BASE, NULL, "ARP-V2: 6-byte ARP body" },
	{ FAM_V, "padded-60", "len=60", CASE_BASE, NULL,
	  "a padded minimum-size frame; the reply is 42 bytes" },
	{ FAM_V, "trailer-200", "len=200", CASE_BASE, NULL, "trailing bytes after the ARP body" },
	{ FAM_V, "hln-4", "hln=4", CASE_BASE, NULL, "ARP-V2: ar_hln != 6" },
	{ FAM_V, "pln-6", "pln=6", CASE_BASE, NULL, "ARP-V2: ar_pln != 4" },
	{ FAM_V, "hrd-6", "hrd=6", CASE_BASE, NULL,
	  "ARP-V4: hrd 6 (IEEE 802) is accepted; the reply has hrd 1" },
	{ FAM_V, "hrd-2", "hrd=2", CASE_BASE, NULL, "ARP-V4: other hardware types" },
	{ FAM_V, "pro-ipv6", "pro=0x86dd", CASE_BASE, NULL, "ARP-V4: ar_pro != 0x0800" },
	{ FAM_V, "op-3", "op=3", CASE_BASE, NULL, "ARP-V4: opcodes other than 1 and 2" },
	{ FAM_V, "op-0", "op=0", CASE_BASE, NULL, "ARP-V4: opcode 0" },
	{ FAM_V, "rarp-etype", "etype=0x8035", CASE_BASE, NULL, "not ARP: RARP Ethernet type" },
	{ FAM_V, "tip-mcast", "tip=224.0.0.1", CASE_BASE, NULL, "ARP-V5: multicast target" },
	{ FAM_V, "tip-loopback", "tip=127.0.0.1", CASE_ALL, NULL,
	  "ARP-V5: 127/8 target without route_localnet; with it, 127.0.0.1 is local" },
	{ FAM_V, "tip-zero", "tip=0.0.0.0", CASE_BASE, NULL, "target 0.0.0.0 (martian)" },
	{ FAM_V, "tip-lbcast", "tip=255.255.255.255", CASE_BASE, NULL, "limited broadcast target" },
	{ FAM_V, "tip-bcast", "tip=10.1.0.255", CASE_BASE, NULL, "subnet broadcast target" },
	{ FAM_V, "sha-zero", "sha=Z src=A", CASE_BASE, NULL, "sender MAC 00:00:00:00:00:00" },
	{ FAM_V, "sha-bcast", "sha=BC src=A", CASE_BASE, NULL, "sender MAC ff:ff:ff:ff:ff:ff" },
	{ FAM_V, "sha-mcast", "sha=MC src=A", CASE_BASE, NULL, "multicast sender MAC" },
	{ FAM_V, "src-ne-sha", "sha=C src=A", CASE_BASE, NULL,
	  "Ethernet source differs from sha: sha is what counts" },
	{ FAM_V, "tha-garbage", "tha=B", CASE_BASE, NULL, "a request's tha is ignored" },
	{ FAM_V, "vlan-5", "vlan=5", CASE_BASE, "vlan", "802.1Q tag, VID 5" },
	{ FAM_V, "qinq-5-7", "vlan=5/7", CASE_BASE, "vlan", "802.1ad + 802.1Q tags" },
	{ FAM_V, "vlan-0", "vlan=0", CASE_BASE, NULL,
	  "priority tag (VID 0): the kernel strips it and answers untagged" },

	/* ---- ARP-D: duplicate address probes (sip 0.0.0.0) ------------------ */
	{ FAM_D, "dad", "sip=0.0.0.0", CASE_ALL, NULL, "ARP-D1: probe for h0's address" },
	{ FAM_D, "dad-secondary", "sip=0.0.0.0 tip=10.1.0.50", CASE_ALL, NULL,
	  "ARP-D1: probe for a secondary address" },
	{ FAM_D, "dad-h1", "sip=0.0.0.0 tip=10.2.0.1", CASE_ALL, NULL,
	  "ARP-D1: probe on h0 for h1's address (weak host, arp_ignore)" },
	{ FAM_D, "dad-vip", "sip=0.0.0.0 tip=192.168.50.1", CASE_ALL, NULL,
	  "ARP-D1: probe for an address on lo" },
	{ FAM_D, "dad-hostscope", "sip=0.0.0.0 tip=10.1.0.99", CASE_ALL, NULL,
	  "ARP-D1: probe for a scope-host address (arp_ignore=3)" },
	{ FAM_D, "dad-notours", "sip=0.0.0.0 tip=10.1.0.77", CASE_ALL, NULL,
	  "ARP-D1: probe for an address that is not ours" },
	{ FAM_D, "dad-unicast", "sip=0.0.0.0 dst=US", CASE_ALL, NULL,
	  "ARP-D1: probe unicast to us" },
	{ FAM_D, "dad-reply", "op=rep sip=0.0.0.0 dst=US", CASE_ALL, NULL,
	  "ARP-D3: replies from 0.0.0.0 are ignored" },
	{ FAM_D, "dad-loopback", "sip=0.0.0.0 tip=127.0.0.1", CASE_ALL, NULL,
	  "ARP-D1: probe for 127.0.0.1 (route_localnet)" },
	{ FAM_D, "dad-bcast", "sip=0.0.0.0 tip=10.1.0.255", CASE_ALL, NULL,
	  "ARP-D1: probe for the subnet broadcast (not RTN_LOCAL)" },
	{ FAM_D, "dad-proxy", "sip=0.0.0.0 tip=10.2.0.5", CASE_ALL, NULL,
	  "ARP-D1: proxy ARP is not considered for probes" },
	{ FAM_D, "dad-then-req", "sip=0.0.0.0; tip=10.1.0.1", CASE_ALL, NULL,
	  "ARP-D3: the probe learns nothing, the request then does" },

	/* ---- ARP-R: requests for local addresses ----------------------------- */
	{ FAM_R, "req", "", CASE_ALL, NULL, "ARP-R5: broadcast request for h0's address" },
	{ FAM_R, "req-unicast", "dst=US", CASE_ALL, NULL, "request unicast to us" },
	{ FAM_R, "req-secondary", "tip=10.1.0.50", CASE_ALL, NULL, "secondary address" },
	{ FAM_R, "req-h1", "tip=10.2.0.1", CASE_ALL, NULL,
	  "ARP-R2: weak host, h1's address asked on h0" },
	{ FAM_R, "req-vip", "tip=192.168.50.1", CASE_ALL, NULL, "ARP-R3: a VIP on lo" },
	{ FAM_R, "req-hostscope", "tip=10.1.0.99", CASE_ALL, NULL,
	  "ARP-R3: scope-host address (arp_ignore=3, route_localnet)" },
	{ FAM_R, "req-notours", "tip=10.1.0.77", CASE_ALL, NULL,
	  "not local: no reply; nothing learned without an entry" },
	{ FAM_R, "req-from-h1-net", "sip=10.2.0.7", CASE_ALL, NULL,
	  "ARP-R3/R4: sender in h1's subnet (arp_ignore=2, arp_filter, rp_filter)" },
	{ FAM_R, "req-h1-from-h1-net", "sip=10.2.0.7 tip=10.2.0.1", CASE_ALL, NULL,
	  "ARP-R3/R4: h1's address asked on h0 by a sender in h1's subnet" },
	{ FAM_R, "req-other-prefix", "sip=10.3.0.7", CASE_ALL, NULL,
	  "ARP-R3: sender in h0's second prefix, target in the first (arp_ignore=2)" },
	{ FAM_R, "req-prefix2", "sip=10.3.0.7 tip=10.3.0.1", CASE_ALL, NULL,
	  "ARP-R3: sender and target in h0's second prefix" },
	{ FAM_R, "req-from-noroute", "sip=10.7.0.7", CASE_ALL, NULL,
	  "ARP-R1/R4: no route back to the sender" },
	{ FAM_R, "req-from-bcast", "sip=10.1.0.255", CASE_ALL, NULL,
	  "ARP-R1: broadcast source (martian)" },
	{ FAM_R, "req-from-netaddr", "sip=10.1.0.0", CASE_ALL, NULL, "network address as source" },
	{ FAM_R, "req-from-ours", "sha=C sip=10.1.0.1 tip=10.1.0.50", CASE_ALL, "accept_local",
	  "ARP-R1: our own address as source (martian)" },
	{ FAM_R, "req-from-loopback", "sip=127.0.0.5", CASE_ALL, NULL,
	  "ARP-R1: 127/8 source (martian unless route_localnet)" },
	{ FAM_R, "req-from-mcast", "sip=224.0.0.9", CASE_ALL, NULL, "ARP-R1: multicast source" },
	{ FAM_R, "req-from-zeronet", "sip=0.1.2.3", CASE_ALL, NULL,
	  "ARP-R1: 0/8 source other than 0.0.0.0" },
	{ FAM_R, "req-loopback", "tip=127.0.0.1", CASE_ALL, NULL,
	  "127.0.0.1 with route_localnet: local on lo" },
	{ FAM_R, "req-twice-newmac", "; sha=C", CASE_ALL, NULL,
	  "ARP-R5: neigh_event_ns() always overrides: the second request's MAC wins" },
	{ FAM_R, "reply-then-req", "op=rep dst=US; ", CASE_ALL, NULL,
	  "a REACHABLE entry (arp_accept) stays REACHABLE after a request with the same MAC" },

	/* ---- ARP-P: proxy ARP -------------------------------------------------- */
	{ FAM_P, "pneigh", "tip=10.2.0.9", CASE_ALL, NULL,
	  "ARP-P1c: proxy entry on h0, route via h1" },
	{ FAM_P, "proxy-arp", "tip=10.2.0.5", CASE_ALL, NULL, "ARP-P1a: proxy_arp, route via h1" },
	{ FAM_P, "proxy-gw", "tip=10.5.0.1", CASE_ALL, NULL,
	  "ARP-P1a: proxy_arp, gateway route via h1" },
	{ FAM_P, "proxy-samedev", "tip=10.1.0.77", CASE_ALL, NULL,
	  "ARP-P1b/P2: route back out of h0 (proxy_arp_pvlan only)" },
	{ FAM_P, "proxy-samedev-gw", "tip=10.6.0.1", CASE_ALL, NULL,
	  "ARP-P2: gateway route out of h0" },
	{ FAM_P, "pneigh-samedev", "tip=10.1.0.88", CASE_ALL, NULL,
	  "ARP-P1c: proxy entry whose route is out of h0 itself" },
	{ FAM_P, "proxy-unicast", "dst=US tip=10.2.0.5", CASE_ALL, NULL,
	  "ARP-P5: unicast to us: answered at once even with proxy_delay" },
	{ FAM_P, "proxy-noroute", "tip=10.9.9.9", CASE_ALL, NULL, "ARP-R1: no route to the target" },
	{ FAM_P, "proxy-selfprobe", "sip=10.1.0.77 tip=10.1.0.77", CASE_ALL, NULL,
	  "ARP-P1b: no pvlan replies to a sender probing for itself" },
	{ FAM_P, "proxy-from-h1-net", "sip=10.2.0.7 tip=10.2.0.9", CASE_ALL, NULL,
	  "ARP-P1: sender in the subnet of the route's device" },
	{ FAM_P, "proxy-bcast", "tip=10.2.0.255", CASE_ALL, NULL,
	  "ARP-P1: h1's broadcast address is not RTN_UNICAST" },
	{ FAM_P, "proxy-then-reply", "tip=10.2.0.5; op=rep dst=US sha=C tip=10.1.0.1", CASE_ALL,
	  NULL, "ARP-P3 then ARP-U5: locktime after a proxy-learned entry" },

	/* ---- ARP-U: learning --------------------------------------------------- */
	{ FAM_U, "reply-unicast", "op=rep dst=US sha=B sip=10.1.0.3", CASE_ALL, NULL,
	  "ARP-U4: unsolicited reply unicast to us (arp_accept)" },
	{ FAM_U, "reply-bcast", "op=rep sha=B sip=10.1.0.3", CASE_ALL, NULL,
	  "ARP-U5: broadcast reply -> STALE" },
	{ FAM_U, "reply-mcast", "op=rep dst=MC sha=B sip=10.1.0.3", CASE_ALL, NULL,
	  "ARP-U5: multicast reply -> STALE" },
	{ FAM_U, "garp-req", "sha=B sip=10.1.0.3 tip=10.1.0.3", CASE_ALL, NULL,
	  "ARP-U3: gratuitous request (arp_accept, drop_gratuitous_arp)" },
	{ FAM_U, "garp-rep", "op=rep sha=B sip=10.1.0.3 tip=10.1.0.3 tha=B", CASE_ALL, NULL,
	  "ARP-U3: gratuitous reply (tha == sha)" },
	{ FAM_U, "garp-rep-tha-zero", "op=rep sha=B sip=10.1.0.3 tip=10.1.0.3 tha=Z", CASE_ALL,
	  NULL, "ARP-U3: a reply with sip == tip but tha != sha is not gratuitous" },
	{ FAM_U, "req-then-reply", "; op=rep dst=US", CASE_ALL, NULL,
	  "ARP-U5: STALE -> REACHABLE by a unicast reply" },
	{ FAM_U, "req-then-reply-bcast", "; op=rep", CASE_ALL, NULL,
	  "ARP-U5: a broadcast reply with the same MAC keeps STALE" },
	{ FAM_U, "req-then-reply-newmac", "; op=rep dst=US sha=C", CASE_ALL, "locktime_ticks",
	  "ARP-U5: another MAC within locktime is refused" },
	{ FAM_U, "req-then-garp-newmac", "; sha=C tip=10.1.0.2", CASE_ALL, NULL,
	  "ARP-U5: a gratuitous ARP overrides within locktime" },
	{ FAM_U, "req-then-notours-newmac", "; sha=C tip=10.1.0.77", CASE_ALL, "locktime_ticks",
	  "ARP-U1/U5: request not for us updates an existing entry (locktime)" },
	{ FAM_U, "garp-twice", "sha=B sip=10.1.0.3 tip=10.1.0.3; sha=C sip=10.1.0.3 tip=10.1.0.3",
	  CASE_ALL, NULL, "ARP-U5: the second GARP overrides" },
	{ FAM_U, "reply-twice-newmac",
	  "op=rep dst=US sha=B sip=10.1.0.3; op=rep dst=US sha=C sip=10.1.0.3", CASE_ALL, "locktime_ticks",
	  "ARP-U5: first reply wins within locktime" },
	{ FAM_U, "reply-twice-after-locktime",
	  "op=rep dst=US sha=B sip=10.1.0.3; sleep=1100 op=rep dst=US sha=C sip=10.1.0.3",
	  CASE_ALL | CASE_SLOW, NULL, "ARP-U5: after locktime (1 s) another MAC overrides" },
	{ FAM_U, "req-then-reply-after-locktime", "; sleep=1100 op=rep dst=US sha=C",
	  CASE_ALL | CASE_SLOW, NULL,
	  "ARP-U5: neigh_event_ns() set `updated`; 1.1 s later a new MAC overrides" },
	{ FAM_U, "reply-other-net", "op=rep dst=US sha=B sip=10.2.0.7", CASE_ALL, NULL,
	  "ARP-U2: arp_accept=2 wants sip in h0's subnets" },
	{ FAM_U, "reply-from-bcast", "op=rep dst=US sha=B sip=10.1.0.255", CASE_ALL, NULL,
	  "ARP-U4: a broadcast address is not RTN_UNICAST; NUD-12 NOARP" },
	{ FAM_U, "reply-from-ours", "op=rep dst=US sha=C sip=10.1.0.1 tip=10.1.0.2", CASE_ALL, NULL,
	  "ARP-U4: our own address is RTN_LOCAL: never learned" },
	{ FAM_U, "reply-tip-notours", "op=rep dst=US sha=B sip=10.1.0.3 tip=10.1.0.77", CASE_ALL,
	  NULL, "ARP-U6: tpa is not checked" },
	{ FAM_U, "reply-otherhost", "op=rep dst=OTHER sha=B sip=10.1.0.3", CASE_ALL, NULL,
	  "ARP-V1: a reply for another MAC teaches nothing" },
	{ FAM_U, "garp-h1-addr", "sha=C sip=10.2.0.1 tip=10.2.0.1", CASE_ALL, "accept_local",
	  "ARP-U3: a GARP for h1's address seen on h0 is RTN_LOCAL: not learned" },
	{ FAM_U, "garp-offnet", "sha=B sip=10.9.9.9 tip=10.9.9.9", CASE_ALL, NULL,
	  "ARP-U2/U3: GARP from outside h0's subnets (arp_accept=2 refuses)" },
	{ FAM_U, "garp-bcast", "sha=B sip=10.1.0.255 tip=10.1.0.255", CASE_ALL, NULL,
	  "ARP-U3: a GARP from the broadcast address is not gratuitous" },
	{ FAM_U, "reply-sha-zero", "op=rep dst=US sha=Z src=B sip=10.1.0.3", CASE_ALL, NULL,
	  "learning a zero MAC" },

	/* ---- ND-V: common validation (ndisc_rcv, icmpv6_rcv) -------------------- */
	{ FAM_NDV, "ns-hoplimit-64", NS_FROM_A " hl=64", CASE_BASE, NULL, "ND-V2: hop limit 64" },
	{ FAM_NDV, "ns-code-1", NS_FROM_A " code=1", CASE_BASE, NULL, "ND-V2: code 1" },
	{ FAM_NDV, "ns-bad-csum", NS_FROM_A " csum=bad", CASE_BASE, NULL, "ND-V1: checksum" },
	{ FAM_NDV, "ns-short-20", "nd=ns mlen=20", CASE_BASE, NULL,
	  "ND-V3: 20-byte NS with a valid checksum" },
	{ FAM_NDV, "ns-tgt-mcast", "nd=ns sll=A tgt=ff02::1 d6=ff02::1", CASE_BASE, NULL,
	  "ND-V4: multicast target" },
	{ FAM_NDV, "ns-opt-len0", "nd=ns opts=0100000000000000", CASE_BASE, NULL,
	  "ND-V5: option of length 0" },
	{ FAM_NDV, "ns-opt-past-end", "nd=ns opts=0102020000000000", CASE_BASE, NULL,
	  "ND-V5: option running past the end" },
	{ FAM_NDV, "ns-sll-16", "nd=ns sllbad=A", CASE_BASE, NULL,
	  "ND-V6: 16-byte source link-layer option" },
	{ FAM_NDV, "ns-opt-unknown", "nd=ns opts=6301000000000000 sll=A", CASE_BASE, NULL,
	  "ND-V5: unknown options are skipped" },
	{ FAM_NDV, "ns-sll-twice", "nd=ns sll=A sll=C", CASE_BASE, NULL,
	  "ND-V5: only the first SLLAO counts" },
	{ FAM_NDV, "ns-otherhost", "nd=ns sll=A dst=OTHER d6=2001:db8:1::1", CASE_BASE, NULL,
	  "unicast to another MAC (PACKET_OTHERHOST)" },
	{ FAM_NDV, "ns-src-mcast", "nd=ns sll=A s6=ff02::5", CASE_BASE, NULL, "multicast source" },
	{ FAM_NDV, "ns-not-icmp", NS_FROM_A " nh=59", CASE_BASE, NULL, "next header 59: not ND" },
	{ FAM_NDV, "ns-unjoined-group", "nd=ns sll=A d6=ff02::1:ff12:3456", CASE_BASE, NULL,
	  "NS to a solicited-node group h0 has not joined (ip6_mc_input drops it)" },
	{ FAM_NDV, "ns-proxy-group", "nd=ns sll=A d6=ff02::1:ff00:99", CASE_BASE, "nd_mcast_groups",
	  "NS for our address sent to the group h0 joined for proxy entry 2001:db8:1::99" },
	{ FAM_NDV, "ns-ll-group", "nd=ns sll=A d6=ff02::1:ff00:101", CASE_BASE, "nd_mcast_groups",
	  "NS for our global address sent to the group of our link-local address" },
	{ FAM_NDV, "ns-allnodes", "nd=ns sll=A d6=allnodes", CASE_BASE, NULL,
	  "NS to ff02::1 (joined; the kernel does not insist on the solicited-node group)" },
	{ FAM_NDV, "ns-plen-long", NS_FROM_A " plen=100", CASE_BASE, NULL,
	  "payload length beyond the frame" },
	{ FAM_NDV, "ns-trailer", NS_FROM_A " len=200", CASE_BASE, NULL,
	  "bytes after the payload length" },
	{ FAM_NDV, "ns-vlan-5", NS_FROM_A " vlan=5", CASE_BASE, "vlan", "802.1Q tag, VID 5" },
	{ FAM_NDV, "ns-vlan-0", NS_FROM_A " vlan=0", CASE_BASE, NULL,
	  "priority tag (VID 0): the kernel strips it and answers untagged" },
	{ FAM_NDV, "na-hoplimit-64", NS_FROM_A "; " NA_A " flags=SO tll=C hl=64", CASE_BASE, NULL,
	  "ND-V2 on an NA" },
	{ FAM_NDV, "na-bad-csum", NS_FROM_A "; " NA_A " flags=SO tll=C csum=bad", CASE_BASE, NULL,
	  "ND-V1 on an NA" },
	{ FAM_NDV, "na-tll-16", NS_FROM_A "; " NA_A " flags=SO tllbad=C", CASE_BASE, NULL,
	  "ND-V6 on an NA" },
	{ FAM_NDV, "na-tgt-mcast", NS_FROM_A "; " NA_A " flags=SO tll=C tgt=ff02::1", CASE_BASE,
	  NULL, "ND-NA1: multicast target" },

	/* ---- ND-NS: solicitations ---------------------------------------------------- */
	{ FAM_NDNS, "ns", NS_FROM_A, CASE_ALL, NULL,
	  "ND-NS11: multicast NS with SLLAO: NA S O + TLLAO, sender STALE" },
	{ FAM_NDNS, "ns-unicast", "nd=ns sll=A d6=2001:db8:1::1", CASE_ALL, NULL,
	  "ND-NS11: unicast NS: S, no O, no TLLAO" },
	{ FAM_NDNS, "ns-unicast-nosll", "nd=ns d6=2001:db8:1::1", CASE_ALL, NULL,
	  "ND-NS10a: unicast NS without SLLAO from an unknown sender" },
	{ FAM_NDNS, "ns-mcast-nosll", "nd=ns", CASE_ALL, NULL,
	  "ND-NS11: multicast NS without SLLAO from an unknown sender: no reply" },
	{ FAM_NDNS, "ns-linklocal", "nd=ns sll=A s6=fe80::2 tgt=fe80::ff:fe00:101", CASE_ALL, NULL,
	  "NS for h0's link-local address" },
	{ FAM_NDNS, "ns-from-linklocal", "nd=ns sll=A s6=fe80::2", CASE_ALL, NULL,
	  "NS from a link-local source for the global address" },
	{ FAM_NDNS, "ns-h1-addr", "nd=ns sll=A tgt=2001:db8:2::1", CASE_ALL, NULL,
	  "ND-NS3: h1's address asked on h0 (strong host)" },
	{ FAM_NDNS, "ns-notours", "nd=ns sll=A tgt=2001:db8:1::77", CASE_ALL, NULL,
	  "ND-NS5: not ours" },
	{ FAM_NDNS, "ns-offlink-src", "nd=ns sll=A s6=2001:db8:9::9", CASE_ALL, NULL,
	  "NS from a source outside h0's prefixes" },
	{ FAM_NDNS, "ns-nonce", NS_FROM_A " nonce=010203040506", CASE_ALL, NULL,
	  "ND-NS2: a nonce on a non-DAD NS" },
	{ FAM_NDNS, "ns-then-unicast-nosll", NS_FROM_A "; nd=ns d6=2001:db8:1::1", CASE_ALL, NULL,
	  "ND-NS11: unicast NS without SLLAO from a known sender" },
	{ FAM_NDNS, "ns-then-newmac", NS_FROM_A "; nd=ns sll=C src=C", CASE_ALL, NULL,
	  "ND-NS10: a different SLLAO replaces the address" },
	{ FAM_NDNS, "dad", "nd=ns s6=::", CASE_ALL, NULL,
	  "ND-NS8: DAD NS for our address: NA to ff02::1, S=0 O=1" },
	{ FAM_NDNS, "dad-nonce", "nd=ns s6=:: nonce=0a0b0c0d0e0f", CASE_ALL, NULL,
	  "ND-NS2/NS8: a DAD NS with a nonce for our (not tentative) address" },
	{ FAM_NDNS, "dad-sll", "nd=ns s6=:: sll=A", CASE_ALL, NULL,
	  "ND-NS1: DAD NS with SLLAO is dropped" },
	{ FAM_NDNS, "dad-unicast", "nd=ns s6=:: d6=2001:db8:1::1", CASE_ALL, NULL,
	  "ND-NS1: DAD NS not to a solicited-node group" },
	{ FAM_NDNS, "dad-notours", "nd=ns s6=:: tgt=2001:db8:1::77", CASE_ALL, NULL,
	  "DAD NS for an address that is not ours" },
	{ FAM_NDNS, "proxy", "nd=ns sll=A tgt=2001:db8:1::99", CASE_ALL, "nd_src_select",
	  "ND-NS5: proxy entry on h0 (forwarding + proxy_ndp)" },
	{ FAM_NDNS, "proxy-othernet", "nd=ns sll=A tgt=2001:db8:2::9", CASE_ALL, "nd_src_select",
	  "ND-NS5: proxy entry for an address of h1's prefix" },
	{ FAM_NDNS, "proxy-unicast", "nd=ns sll=A tgt=2001:db8:1::99 d6=2001:db8:1::99", CASE_ALL,
	  "nd_src_select", "ND-NS6: unicast NS for a proxied target: no delay" },
	{ FAM_NDNS, "proxy-dad", "nd=ns s6=:: tgt=2001:db8:1::99", CASE_ALL, NULL,
	  "ND-NS8: DAD NS for a proxied target" },
	{ FAM_NDNS, "anycast", "nd=ns sll=A tgt=2001:db8:1::", CASE_ALL, "nd_src_select",
	  "ND-NS5: the subnet-router anycast address (exists with forwarding)" },
	{ FAM_NDNS, "anycast-dad", "nd=ns s6=:: tgt=2001:db8:1::", CASE_ALL, NULL,
	  "ND-NS8: DAD NS for the subnet-router anycast address" },

	/* ---- ND-NA: advertisements ------------------------------------------------------ */
	{ FAM_NDNA, "na-untracked", "nd=na s6=2001:db8:1::3 tgt=2001:db8:1::3 d6=allnodes flags=O tll=B src=B",
	  CASE_ALL, NULL, "ND-NA7: unsolicited NA for an unknown target" },
	{ FAM_NDNA, "na-untracked-offlink",
	  "nd=na s6=2001:db8:9::3 tgt=2001:db8:1::3 d6=allnodes flags=O tll=B src=B", CASE_ALL, NULL,
	  "ND-NA7: accept_untracked_na=2 wants the source in h0's prefixes" },
	{ FAM_NDNA, "na-untracked-solicited", "nd=na s6=2001:db8:1::3 tgt=2001:db8:1::3 flags=SO tll=B src=B",
	  CASE_ALL, NULL, "ND-NA7: an untracked solicited NA also creates STALE" },
	{ FAM_NDNA, "na-solicited-mcast", NS_FROM_A "; " NA_A " d6=allnodes flags=SO tll=A",
	  CASE_ALL, NULL, "ND-NA2: solicited NA to multicast is dropped" },
	{ FAM_NDNA, "na-confirm", NS_FROM_A "; " NA_A " flags=SO tll=A", CASE_ALL, NULL,
	  "ND-NA10: STALE -> REACHABLE" },
	{ FAM_NDNA, "na-confirm-nottl", NS_FROM_A "; " NA_A " flags=S", CASE_ALL, NULL,
	  "ND-NA10: no TLLAO on a VALID entry: same address, REACHABLE" },
	{ FAM_NDNA, "na-newmac-no-o", NS_FROM_A "; " NA_A " flags=S tll=C", CASE_ALL, NULL,
	  "ND-NA10: O=0 with another MAC on a STALE entry is ignored" },
	{ FAM_NDNA, "na-newmac-o", NS_FROM_A "; " NA_A " flags=SO tll=C", CASE_ALL, NULL,
	  "ND-NA10: O=1 replaces the address" },
	{ FAM_NDNA, "na-router", NS_FROM_A "; " NA_A " flags=RSO tll=A", CASE_ALL, NULL,
	  "ND-NA10/NUD-8.13: the router flag" },
	{ FAM_NDNA, "na-router-then-host", NS_FROM_A "; " NA_A " flags=RSO tll=A; " NA_A " flags=SO tll=A",
	  CASE_ALL, NULL, "NUD-8.13/ND-NA11: an NA without R clears the router flag" },
	{ FAM_NDNA, "na-unsolicited-same", NS_FROM_A "; " NA_A " flags=O tll=A", CASE_ALL, NULL,
	  "ND-NA3/NA10: unsolicited NA, same MAC (drop_unsolicited_na)" },
	{ FAM_NDNA, "na-unsolicited-newmac", NS_FROM_A "; " NA_A " flags=O tll=C", CASE_ALL, NULL,
	  "ND-NA3/NA10: unsolicited NA with another MAC" },
	{ FAM_NDNA, "na-reachable-no-o", NS_FROM_A "; " NA_A " flags=SO tll=A; " NA_A " flags=S tll=C",
	  CASE_ALL, NULL, "ND-NA10: O=0 with another MAC on a REACHABLE entry -> STALE, address kept" },
	{ FAM_NDNA, "na-our-addr", "nd=na s6=2001:db8:1::3 tgt=2001:db8:1::1 d6=allnodes flags=O tll=B src=B",
	  CASE_ALL, NULL, "ND-NA5: an NA for our own address changes nothing" },
	{ FAM_NDNA, "na-own-proxy",
	  "nd=ns s6=2001:db8:1::99 sll=B src=B; nd=na s6=2001:db8:1::3 tgt=2001:db8:1::99 flags=SO tll=US src=B",
	  CASE_ALL, NULL, "ND-NA9: an NA with our MAC for a proxied target (all.forwarding, "
	  "all.proxy_ndp) is our own" },
	{ FAM_NDNA, "na-after-nosll-ns", "nd=ns d6=2001:db8:1::1; " NA_A " flags=SO tll=A", CASE_ALL,
	  NULL, "ND-NS10a then ND-NA10: the NA resolves the NONE/INCOMPLETE entry" },
};

const size_t corpus_ncases = sizeof(corpus_cases) / sizeof(corpus_cases[0]);

/* ---- combinations ------------------------------------------------------------------ */

/* Every knob a combination may set. Unset knobs are written with the
 * lab's default (the kernel's, except proxy_delay: 0, so proxy replies are
 * immediate unless a combination asks for the delay). */
struct settings {
	/* net.ipv4.conf.h0 */
	int arp_ignore, arp_filter, arp_accept, drop_garp, proxy_arp, pvlan, fwd,
	    route_localnet, rp_filter, medium_id, accept_local;
	/* net.ipv4.conf.all */
	int all_arp_ignore, all_arp_accept, all_arp_filter, all_drop_garp, all_route_localnet;
	int proxy_delay;		/* net.ipv4.neigh.h0.proxy_delay */
	int locktime;			/* net.ipv4.neigh.h0.locktime - 100 (kernel default) */
	/* net.ipv6.conf.h0 */
	int fwd6, proxy_ndp, drop_una, accept_una, force_tllao;
	int all_fwd6, all_proxy_ndp;
	int proxy_delay6;		/* net.ipv6.neigh.h0.proxy_delay */
	unsigned int focus;		/* bounded corpus: families run */
	bool slow_ok;			/* runs the CASE_SLOW cases */
	bool nd;
};

#define F(x)		(1u << (x))
#define F_ARP		(F(FAM_V) | F(FAM_D) | F(FAM_R) | F(FAM_P) | F(FAM_U))
#define F_ND		(F(FAM_NDV) | F(FAM_NDNS) | F(FAM_NDNA))

static void kv(struct combo *c, const char *path, int value, int dflt, const char *label)
{
	struct sysctl_kv *e = &c->kv[c->nkv++];

	snprintf(e->path, sizeof(e->path), "%s", path);
	e->value = value;
	if (value != dflt && label)
		snprintf(c->name + strlen(c->name), sizeof(c->name) - strlen(c->name), "%s%s=%d",
			 c->name[0] ? " " : "", label, value);
}

static void combo_from(const struct settings *s, struct combo *c)
{
	memset(c, 0, sizeof(*c));
	c->nd = s->nd;
	c->proxy_delay = s->proxy_delay;
	c->proxy_delay6 = s->proxy_delay6;
	kv(c, "ipv4/conf/all/arp_ignore", s->all_arp_ignore, 0, "all.arp_ignore");
	kv(c, "ipv4/conf/all/arp_accept", s->all_arp_accept, 0, "all.arp_accept");
	kv(c, "ipv4/conf/all/arp_filter", s->all_arp_filter, 0, "all.arp_filter");
	kv(c, "ipv4/conf/all/drop_gratuitous_arp", s->all_drop_garp, 0, "all.drop_gratuitous_arp");
	kv(c, "ipv4/conf/all/route_localnet", s->all_route_localnet, 0, "all.route_localnet");
	kv(c, "ipv4/conf/h0/arp_ignore", s->arp_ignore, 0, "arp_ignore");
	kv(c, "ipv4/conf/h0/arp_filter", s->arp_filter, 0, "arp_filter");
	kv(c, "ipv4/conf/h0/arp_accept", s->arp_accept, 0, "arp_accept");
	kv(c, "ipv4/conf/h0/drop_gratuitous_arp", s->drop_garp, 0, "drop_gratuitous_arp");
	kv(c, "ipv4/conf/h0/proxy_arp", s->proxy_arp, 0, "proxy_arp");
	kv(c, "ipv4/conf/h0/proxy_arp_pvlan", s->pvlan, 0, "proxy_arp_pvlan");
	kv(c, "ipv4/conf/h0/forwarding", s->fwd, 0, "forwarding");
	kv(c, "ipv4/conf/h0/route_localnet", s->route_localnet, 0, "route_localnet");
	kv(c, "ipv4/conf/h0/rp_filter", s->rp_filter, 0, "rp_filter");
	kv(c, "ipv4/conf/h0/medium_id", s->medium_id, 0, "medium_id");
	kv(c, "ipv4/conf/h0/accept_local", s->accept_local, 0, "accept_local");
	kv(c, "ipv4/neigh/h0/proxy_delay", s->proxy_delay, 0, "proxy_delay");
	kv(c, "ipv4/neigh/h0/locktime", s->locktime + 100, 100, "locktime");
	/* all.forwarding is written to every interface: before h0's own */
	kv(c, "ipv6/conf/all/forwarding", s->all_fwd6, 0, "all.forwarding6");
	kv(c, "ipv6/conf/all/proxy_ndp", s->all_proxy_ndp, 0, "all.proxy_ndp");
	kv(c, "ipv6/conf/h0/forwarding", s->fwd6, 0, "forwarding6");
	kv(c, "ipv6/conf/h0/proxy_ndp", s->proxy_ndp, 0, "proxy_ndp");
	kv(c, "ipv6/conf/h0/drop_unsolicited_na", s->drop_una, 0, "drop_unsolicited_na");
	kv(c, "ipv6/conf/h0/accept_untracked_na", s->accept_una, 0, "accept_untracked_na");
	kv(c, "ipv6/conf/h0/force_tllao", s->force_tllao, 0, "force_tllao");
	kv(c, "ipv6/neigh/h0/proxy_delay", s->proxy_delay6, 0, "proxy_delay6");
	if (!c->name[0])
		snprintf(c->name, sizeof(c->name), "default");
	snprintf(c->name + strlen(c->name), sizeof(c->name) - strlen(c->name), " (%s)",
		 c->nd ? "IPv6" : "ARP");
}

/* Bounded: each combination exercises what it is about. */
static const struct settings bounded_arp[] = {
	{ .focus = F_ARP, .slow_ok = true },
	{ .arp_ignore = 1, .focus = F(FAM_R) | F(FAM_D) },
	{ .arp_ignore = 2, .focus = F(FAM_R) | F(FAM_D) },
	{ .arp_ignore = 3, .focus = F(FAM_R) | F(FAM_D) },
	{ .arp_ignore = 8, .focus = F(FAM_R) | F(FAM_D) },
	{ .arp_ignore = 5, .focus = F(FAM_R) },
	{ .arp_ignore = 1, .all_arp_ignore = 2, .focus = F(FAM_R) | F(FAM_D) },
	{ .arp_filter = 1, .focus = F(FAM_R) | F(FAM_D) },
	{ .arp_filter = 1, .fwd = 1, .focus = F(FAM_R) },
	{ .all_arp_filter = 1, .focus = F(FAM_R) },
	{ .arp_accept = 1, .focus = F(FAM_U) | F(FAM_R) | F(FAM_P), .slow_ok = true },
	{ .arp_accept = 2, .focus = F(FAM_U) },
	{ .all_arp_accept = 1, .focus = F(FAM_U) },
	/* locktime 1 tick, not 0: the kernel compares in jiffies, so with 0
	 * two frames within one jiffy are refused and two a jiffy apart are
	 * not (the outcome would depend on where the tick falls). 1 tick is
	 * 2 jiffies at HZ=250 (8 ms, netlink NDTPA_LOCKTIME says so), which
	 * /proc reads back as 0 */
	{ .arp_accept = 1, .locktime = -99, .focus = F(FAM_U), .slow_ok = true },
	{ .arp_accept = 1, .locktime = 200, .focus = F(FAM_U), .slow_ok = true },
	{ .drop_garp = 1, .arp_accept = 1, .focus = F(FAM_U) | F(FAM_R) },
	{ .fwd = 1, .focus = F(FAM_P) },
	{ .fwd = 1, .proxy_arp = 1, .focus = F(FAM_P) | F(FAM_D) },
	{ .fwd = 1, .proxy_arp = 1, .arp_accept = 1, .focus = F(FAM_P) },
	{ .fwd = 1, .proxy_arp = 1, .proxy_delay = 80, .focus = F(FAM_P) },
	{ .fwd = 1, .proxy_arp = 1, .medium_id = 1, .focus = F(FAM_P) },
	{ .fwd = 1, .proxy_arp = 1, .medium_id = -1, .focus = F(FAM_P) },
	{ .fwd = 1, .pvlan = 1, .focus = F(FAM_P) },
	{ .proxy_arp = 1, .focus = F(FAM_P) },
	{ .route_localnet = 1, .focus = F(FAM_R) | F(FAM_D) | F(FAM_V) },
	{ .route_localnet = 1, .arp_ignore = 3, .focus = F(FAM_R) | F(FAM_D) },
	{ .rp_filter = 1, .focus = F(FAM_R) | F(FAM_P) },
	{ .rp_filter = 2, .focus = F(FAM_R) },
	/* fib_validate_source(): our own addresses as sources */
	{ .accept_local = 1, .focus = F(FAM_R) },
	{ .accept_local = 1, .rp_filter = 1, .focus = F(FAM_R) },
};

static const struct settings bounded_nd[] = {
	{ .nd = true, .focus = F_ND },
	{ .nd = true, .fwd6 = 1, .focus = F(FAM_NDNS) | F(FAM_NDNA) },
	{ .nd = true, .fwd6 = 1, .proxy_ndp = 1, .focus = F(FAM_NDNS) },
	{ .nd = true, .fwd6 = 1, .proxy_ndp = 1, .proxy_delay6 = 80, .focus = F(FAM_NDNS) },
	{ .nd = true, .proxy_ndp = 1, .focus = F(FAM_NDNS) },
	{ .nd = true, .drop_una = 1, .focus = F(FAM_NDNA) },
	{ .nd = true, .accept_una = 1, .focus = F(FAM_NDNA) },
	{ .nd = true, .fwd6 = 1, .accept_una = 1, .focus = F(FAM_NDNA) },
	{ .nd = true, .fwd6 = 1, .accept_una = 2, .focus = F(FAM_NDNA) },
	{ .nd = true, .fwd6 = 1, .accept_una = 1, .drop_una = 1, .focus = F(FAM_NDNA) },
	{ .nd = true, .force_tllao = 1, .focus = F(FAM_NDNS) },
	/* ip6_forward()'s proxy check (unicast NS to a proxied address) and
	 * ND-NA9 need the all.* values */
	{ .nd = true, .all_fwd6 = 1, .fwd6 = 1, .all_proxy_ndp = 1,
	  .focus = F(FAM_NDNS) | F(FAM_NDNA) },
};

static int push(struct combo **v, size_t *n, size_t *cap, const struct settings *s)
{
	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 64;
		struct combo *nv = realloc(*v, ncap * sizeof(**v));

		if (!nv)
			return -ENOMEM;
		*v = nv;
		*cap = ncap;
	}
	combo_from(s, &(*v)[*n]);
	(*v)[*n].focus = s->focus;
	(*v)[*n].slow_ok = s->slow_ok;
	(*n)++;
	return 0;
}

int corpus_combos(enum corpus_level level, struct combo **out, size_t *n)
{
	static const int ignores[] = { 0, 1, 2, 3, 8 };
	struct combo *v = NULL;
	size_t cap = 0, i;
	int err = 0;

	*n = 0;
	if (level == CORPUS_BOUNDED) {
		for (i = 0; i < sizeof(bounded_arp) / sizeof(bounded_arp[0]) && !err; i++)
			err = push(&v, n, &cap, &bounded_arp[i]);
		for (i = 0; i < sizeof(bounded_nd) / sizeof(bounded_nd[0]) && !err; i++)
			err = push(&v, n, &cap, &bounded_nd[i]);
	} else {
		/* ARP: arp_ignore x arp_accept x arp_filter x one of the
		 * forwarding/proxy/localnet/rp_filter/drop_gratuitous modes */
		static const struct settings modes[] = {
			{ 0 },
			{ .drop_garp = 1 },
			{ .fwd = 1 },
			{ .fwd = 1, .proxy_arp = 1 },
			{ .fwd = 1, .pvlan = 1 },
			{ .fwd = 1, .proxy_arp = 1, .medium_id = -1 },
			{ .route_localnet = 1 },
			{ .rp_filter = 1 },
			{ .accept_local = 1 },
		};
		size_t a, c, f, m;

		for (a = 0; a < 5; a++)
			for (c = 0; c < 3; c++)
				for (f = 0; f < 2; f++)
					for (m = 0; m < sizeof(modes) / sizeof(modes[0]) && !err; m++) {
						struct settings s = modes[m];

						s.arp_ignore = ignores[a];
						s.arp_accept = c;
						s.arp_filter = f;
						s.focus = F_ARP;
						/* the locktime cases sleep: once per arp_accept */
						s.slow_ok = !a && !f && !m;
						err = push(&v, n, &cap, &s);
					}
		/* the all/dev combination rules and the proxy delay */
		for (i = 0; i < sizeof(bounded_arp) / sizeof(bounded_arp[0]) && !err; i++)
			if (bounded_arp[i].all_arp_ignore || bounded_arp[i].all_arp_accept ||
			    bounded_arp[i].all_arp_filter || bounded_arp[i].proxy_delay ||
			    bounded_arp[i].locktime)
				err = push(&v, n, &cap, &bounded_arp[i]);
		/* IPv6: forwarding x proxy_ndp x drop_unsolicited_na x
		 * accept_untracked_na x force_tllao */
		for (a = 0; a < 2; a++)
			for (c = 0; c < 2; c++)
				for (f = 0; f < 2; f++)
					for (m = 0; m < 3; m++)
						for (i = 0; i < 2 && !err; i++) {
							struct settings s = { .nd = true, .focus = F_ND };

							s.fwd6 = a;
							s.proxy_ndp = c;
							s.drop_una = f;
							s.accept_una = m;
							s.force_tllao = i;
							err = push(&v, n, &cap, &s);
						}
		for (i = 0; i < sizeof(bounded_nd) / sizeof(bounded_nd[0]) && !err; i++)
			if (bounded_nd[i].proxy_delay6 || bounded_nd[i].all_fwd6)
				err = push(&v, n, &cap, &bounded_nd[i]);
	}
	if (err) {
		free(v);
		*n = 0;
		return err;
	}
	*out = v;
	return 0;
}

bool corpus_case_applies(const struct diff_case *c, const struct combo *co,
			 enum corpus_level level)
{
	if (family_is_nd(c->fam) != co->nd)
		return false;
	if ((c->scope & CASE_SLOW) && !co->slow_ok)
		return false;
	if (level == CORPUS_FULL)
		return true;
	if (c->scope & CASE_BASE)
		return co->focus == (co->nd ? F_ND : F_ARP);
	return co->focus & F(c->fam);
}
