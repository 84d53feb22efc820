// SPDX-License-Identifier: GPL-2.0
/* IPv6 Neighbour Discovery: every rule of kernel-semantics.md §4 (ND-V*,
 * ND-NS*, ND-NA*, ND-TX*) and the NUD-8 outcomes of §5.5 that NS/NA drive,
 * through xn_xdp and xn_tc_in with one bpf_prog_test_run_opts() per case;
 * plus xn_tc_out for IPv6 (NUD-1..3).
 *
 *   host H   02:00:00:00:0a:02  2001:db8:1::2  fe80::ff:fe00:a02
 *            (new NIC H2 02:00:00:00:0b:02)
 *   host J   02:00:00:00:0a:03  2001:db8:1::3     host K  ...:0a:04  2001:db8:1::4
 *   X        02:00:00:00:00:99  someone else's MAC (OTHERHOST)
 *      |
 *      |  NS (multicast to ff02::1:ffXX:XXXX / ff02::1, unicast, DAD from ::),
 *      |  NA (solicited / unsolicited), untagged, 802.1Q, 802.1ad+802.1Q
 *      v
 *   +--------------------- netns under test (unshare) ---------------------+
 *   | xr0  02:00:00:00:00:01  2001:db8:1::1/64  fe80::ff:fe00:1/64  <- xn_xdp|
 *   |      fixtures add: 2001:db8:1::5 tentative, 2001:db8:1::6 optimistic,  |
 *   |      2001:db8:1:: anycast, proxy 2001:db8:1::99          xn_tc_in    |
 *   | xo0  02:00:00:00:01:01  2001:db8:10::1/64 fe80::ff:fe00:101/64        |
 *   |      2001:db8:99::/64 via 2001:db8:10::fe                             |
 *   | lo   ::1, IPv6 forwarding on (xn_global.fib_ifindex)                  |
 *   +----------------------------------------------------------------------+
 *      |
 *      v  verdict: XDP_TX / TC_ACT_REDIRECT with the NA below, or
 *         XDP_PASS / TC_ACT_OK with the frame untouched
 *
 *   NA (ND-NS8, ND-NS11, ND-TX1..3): Ethernet 02:00:00:00:00:01 -> the
 *   source's cached MAC (33:33:00:00:00:01 for DAD), tags as received;
 *   IPv6 version 6, traffic class ndisc_tclass, flow label 0, hop limit 255,
 *   source = the target if ours, else src6_ll / src6_global by scope;
 *   R (forwarding or the proxy entry), S (not for DAD), O (our own address
 *   asked by multicast or DAD, never when optimistic); TLLAO only for a
 *   multicast NS, a DAD NS, or force_tllao. Every NA is built here from
 *   those fields with the tests' own checksum and, as sent, verified again
 *   by pkt_icmp6_csum_check().
 *
 * Kernel facts checked on this machine (6.18, veth pair between two netns,
 * crafted frames from scapy, the kernel's NA captured on the wire):
 *   - unicast NS: NA without TLLAO, O=0, to the cached MAC of the source
 *     (not the Ethernet source of the NS); force_tllao adds the TLLAO;
 *   - multicast NS (also to ff02::1, also in a broadcast or unicast
 *     Ethernet frame): O=1 and TLLAO; a unicast-IPv6 NS in a multicast
 *     Ethernet frame is answered as unicast;
 *   - an NS to a multicast group the interface has not joined
 *     (ff02::1:ff99:9999, ff02::2 without forwarding) is not answered, DAD
 *     ones included (ipv6 input drops it before ndisc);
 *   - a unicast NS whose IPv6 destination is not local (2001:db8:1::55) is
 *     not answered; one to the address of another interface or to our
 *     link-local address is; one to a proxied address needs
 *     net.ipv6.conf.all.forwarding and all.proxy_ndp (ip6_forward() hands it
 *     to ip6_input() only then);
 *   - an NS with a valid SLLAO and a 16-byte TLLAO is answered; an NA with a
 *     valid TLLAO and a 16-byte SLLAO is learned (only the option the
 *     message uses is size-checked);
 *   - DAD reply: to ff02::1, S=0, O=1 for our address, O=0 and link-local
 *     source for anycast/proxied targets; anycast/proxy NAs have O=0 and the
 *     source address selected towards the NS source;
 *   - accept_untracked_na needs forwarding (1 and 2 with forwarding=0 create
 *     nothing), created entries are STALE even for S=1; 2 accepts sources
 *     in an on-link prefix only;
 *   - our own proxy NA seen again on an untracked target leaves a NONE entry
 *     (neigh_create() before the ND-NA9 check);
 *   - clearing the router flag by NA alone is notified (ip monitor neigh
 *     prints the entry again).
 *
 * Counter conventions (every counter not listed must be 0, ARP slot too):
 *   rx_ns / rx_na   NS / NA that passed the common checks (ND-V1..V3)
 *   lookups / hits  neigh_lookup() of the NS source / NA target
 *   allocs/learned  an entry created by a frame
 *   updated         an entry whose state, lladdr or router flag changed;
 *   lladdr_changes  ... whose lladdr changed
 *   not_for_us      an NS the kernel's IPv6 input or ndisc_recv_ns() would
 *                   not process as ours (target, destination or group)
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "fixture.h"
#include "frames.h"

#define NS1	C(rx_ns, 1)
#define NA1	C(rx_na, 1)
#define MISS	C(lookups, 1)
#define HIT	C(lookups, 1), C(hits, 1)
#define NEW	C(allocs, 1), C(learned, 1)
#define SENT	C(na_sent, 1)
#define PM	C(rcv_probes_mcast, 1)
#define PU	C(rcv_probes_ucast, 1)
#define CHG	C(updated, 1)
#define CHGLL	C(updated, 1), C(lladdr_changes, 1)
#define DADR	C(dad_replies, 1), C(na_sent, 1)

#define E6(a, st, mac_)		.ip6 = A6(a), .state = (st), .mac = M(mac_)

#define EV6(type, a, o, n, om, nm)	{ (type), 0, DEV_RX, (o), (n), M(om), M(nm), A6(a) }
#define EV_NEW(a, st, mac)		EV6(XN_EV_CREATED, a, NUD_NONE, st, Z, mac)
#define EV_ST(a, o, n, mac)		EV6(XN_EV_STATE, a, o, n, mac, mac)
#define EV_LL(a, o, n, om, nm)		EV6(XN_EV_LLADDR, a, o, n, om, nm)
#define EV_CONFLICT(a, mac)		EV6(XN_EV_CONFLICT, a, 0, 0, Z, mac)
#define EV_DAD(a, mac)			EV6(XN_EV_DAD_CONFLICT, a, 0, 0, Z, mac)
#define EV_FULL(a, mac)			EV6(XN_EV_TABLE_FULL, a, 0, 0, Z, mac)

/* The NA xr0 sends (src MAC 02:00:00:00:00:01), with or without TLLAO. */
#define NA_OUT(edst, src, dst, tgt, flags)	NA_TO(edst, RX, src, dst, tgt, flags)
#define WITH_TLL				.opt = { TLL(RX) }

/* The standard question: H asks for xr0's global address by multicast. */
#define NS_H	{ NS_MC(H, H, RX, SN1), .opt = { SLL(H) } }
#define ANS_H	{ NA_OUT(H, RX, H, RX, F_S | F_O), WITH_TLL }
/* ... and H's NUD probe: unicast, with SLLAO. */
#define NSU_H	{ NS_UC(RX, H, H, RX, RX), .opt = { SLL(H) } }
#define ANSU_H	{ NA_OUT(H, RX, H, RX, F_S) }

/* Extra addresses of xr0 (xn_addr6 only) */
#define ADDR_TENT	{ A6(TENT), DEV_RX, XN_ADDR6_TENTATIVE, 64, 0 }
#define ADDR_OPT	{ A6(OPT), DEV_RX, XN_ADDR6_TENTATIVE | XN_ADDR6_OPTIMISTIC, 64, 0 }
#define ADDR_DADFAIL	{ A6(TENT), DEV_RX, XN_ADDR6_TENTATIVE | XN_ADDR6_DADFAILED, 64, 0 }
#define ADDR_ANY	{ A6(ANY), DEV_RX, XN_ADDR6_ANYCAST, 0, 0 }
#define PROXY(dev_, fl)	{ .dev = (dev_), .ip6 = A6(PRX), .flags = (fl) }

/* xr0 as a router with proxy NDP answering at once */
#define PROXY_ON	"forwarding6=1 proxy_ndp=1 proxy_delay6_ms=0"

/* An NA from H about H, unicast to xr0, with TLLAO. */
#define NA_H(flags, mac)	{ NA_TO(RX, H, H, RX, H, flags), .opt = { TLL(mac) } }

static const struct fixture nd_fixtures[] = {
	/* ---- common validation (ND-V1..V6, IPv6 input) ---------------------------------- */
	{
		.rule = "ND-NS11 ND-NS10", .name = "multicast NS for xr0's global address from a new host -> NA S=1 O=1 TLLAO, source learned STALE",
		.in = NS_H,
		.verdict = V_TX, .out = ANS_H,
		.post = { { E6(H, NUD_STALE, H) } },
		.ctr6 = { NS1, PM, MISS, NEW, SENT },
		.ev = { EV_NEW(H, NUD_STALE, H) },
	},
	{
		.rule = "ND-V1", .name = "NS with a bad ICMPv6 checksum -> pass, nothing learned",
		.in = { NS_MC(H, H, RX, SN1), .opt = { SLL(H) }, .csum_xor = 0x0101 },
		.verdict = V_PASS,
		.ctr6 = { C(bad_csum, 1) },
	},
	{
		.rule = "ND-V1", .name = "NA with a bad ICMPv6 checksum -> pass, entry untouched",
		.pre = { { E6(H, NUD_INCOMPLETE, Z) } },
		.in = { NA_TO(RX, H, H, RX, H, F_S | F_O), .opt = { TLL(H) }, .csum_xor = 0x8000 },
		.verdict = V_PASS,
		.ctr6 = { C(bad_csum, 1) },
	},
	{
		.rule = "ND-V2", .name = "NS with hop limit 254 (routed) -> pass",
		.in = { ND6X(ND_NS, 0, 254, SN1, H, H, SN1, RX, 0), .opt = { SLL(H) } },
		.verdict = V_PASS,
		.ctr6 = { C(bad_hoplimit, 1) },
	},
	{
		.rule = "ND-V2", .name = "NA with hop limit 64 -> pass, entry untouched",
		.pre = { { E6(H, NUD_INCOMPLETE, Z) } },
		.in = { ND6X(ND_NA, 0, 64, RX, H, H, RX, H, F_S | F_O), .opt = { TLL(H) } },
		.verdict = V_PASS,
		.ctr6 = { C(bad_hoplimit, 1) },
	},
	{
		.rule = "ND-V2", .name = "NS with ICMPv6 code 1 -> pass",
		.in = { ND6X(ND_NS, 1, 255, SN1, H, H, SN1, RX, 0), .opt = { SLL(H) } },
		.verdict = V_PASS,
		.ctr6 = { C(bad_code, 1) },
	},
	{
		.rule = "ND-V2", .name = "NA with ICMPv6 code 1 -> pass",
		.pre = { { E6(H, NUD_INCOMPLETE, Z) } },
		.in = { ND6X(ND_NA, 1, 255, RX, H, H, RX, H, F_S | F_O), .opt = { TLL(H) } },
		.verdict = V_PASS,
		.ctr6 = { C(bad_code, 1) },
	},
	{
		.rule = "ND-V3", .name = "NS of 20 bytes (target cut short) -> pass",
		.in = { NS_MC(H, H, RX, SN1), .nd_cut = 20 },
		.verdict = V_PASS,
		.ctr6 = { C(bad_length, 1) },
	},
	{
		.rule = "ND-V3 ND-NA1", .name = "NA of 16 bytes -> pass",
		.pre = { { E6(H, NUD_INCOMPLETE, Z) } },
		.in = { NA_TO(RX, H, H, RX, H, F_S | F_O), .nd_cut = 16 },
		.verdict = V_PASS,
		.ctr6 = { C(bad_length, 1) },
	},
	{
		.rule = "IPv6 input", .name = "payload length beyond the frame (truncated) -> pass",
		.in = { NS_MC(H, H, RX, SN1), .opt = { SLL(H) }, .plen = 64 },
		.verdict = V_PASS,
		.ctr6 = { C(bad_length, 1) },
	},
	{
		.rule = "IPv6 input ND-NS11", .name = "NS with Ethernet padding after the payload -> NA of exactly 86 bytes",
		.in = { NS_MC(H, H, RX, SN1), .opt = { SLL(H) }, .pad_to = 120 },
		.verdict = V_TX, .out = ANS_H,
		.post = { { E6(H, NUD_STALE, H) } },
		.ctr6 = { NS1, PM, MISS, NEW, SENT },
		.ev = { EV_NEW(H, NUD_STALE, H) },
	},
	{
		.rule = "ND-V4", .name = "NS for a multicast target -> pass",
		.in = { NS_MC(H, H, SN1, SN1), .opt = { SLL(H) } },
		.verdict = V_PASS,
		.ctr6 = { NS1, C(bad_target, 1) },
	},
	{
		.rule = "ND-V4 ND-NA1", .name = "NA for a multicast target -> pass, nothing learned",
		.rx = "forwarding6=1 accept_untracked_na=1",
		.in = { NA_TO(ALLN, H, H, ALLN, ALLN, F_O), .opt = { TLL(H) } },
		.verdict = V_PASS,
		.ctr6 = { NA1, C(bad_target, 1) },
	},
	{
		.rule = "ND-V5", .name = "NS with an option of length 0 -> pass, nothing learned",
		.in = { NS_MC(H, H, RX, SN1), .opt = { SLL(H), OPT_LEN0 } },
		.verdict = V_PASS,
		.ctr6 = { NS1, C(bad_options, 1) },
	},
	{
		.rule = "ND-V5", .name = "NS with an option running past the end -> pass",
		.in = { NS_MC(H, H, RX, SN1), .opt = { SLL(H), OPT_PAST_END } },
		.verdict = V_PASS,
		.ctr6 = { NS1, C(bad_options, 1) },
	},
	{
		.rule = "ND-V5", .name = "NS with 4 bytes after the SLLAO (option header, no room) -> pass",
		.in = { NS_MC(H, H, RX, SN1), .opt = { SLL(H), { .type = 200, .len = 1, .size = 4 } } },
		.verdict = V_PASS,
		.ctr6 = { NS1, C(bad_options, 1) },
	},
	{
		.rule = "ND-V5", .name = "NS of 26 bytes (2-byte option header left) -> pass",
		.in = { NS_MC(H, H, RX, SN1), .opt = { { .type = 1, .len = 1, .size = 2 } } },
		.verdict = V_PASS,
		.ctr6 = { NS1, C(bad_options, 1) },
	},
	{
		.rule = "ND-V5", .name = "NA with an option of length 0 -> pass, entry untouched",
		.pre = { { E6(H, NUD_INCOMPLETE, Z) } },
		.in = { NA_TO(RX, H, H, RX, H, F_S | F_O), .opt = { TLL(H), OPT_LEN0 } },
		.verdict = V_PASS,
		.ctr6 = { NA1, C(bad_options, 1) },
	},
	{
		.rule = "ND-V5", .name = "NA with an option running past the end -> pass, entry untouched",
		.pre = { { E6(H, NUD_INCOMPLETE, Z) } },
		.in = { NA_TO(RX, H, H, RX, H, F_S | F_O), .opt = { TLL(H), OPT_PAST_END } },
		.verdict = V_PASS,
		.ctr6 = { NA1, C(bad_options, 1) },
	},
	{
		.rule = "ND-V5", .name = "NS with a nonce and an unknown option before the SLLAO -> answered",
		.in = { NS_MC(H, H, RX, SN1), .opt = { NONCE, OPT_UNKNOWN, SLL(H) } },
		.verdict = V_TX, .out = ANS_H,
		.post = { { E6(H, NUD_STALE, H) } },
		.ctr6 = { NS1, PM, MISS, NEW, SENT },
		.ev = { EV_NEW(H, NUD_STALE, H) },
	},
	{
		.rule = "ND-V5", .name = "two SLLAOs: the first counts",
		.in = { NS_MC(H, H, RX, SN1), .opt = { SLL(H), SLL(H2) } },
		.verdict = V_TX, .out = ANS_H,
		.post = { { E6(H, NUD_STALE, H) } },
		.ctr6 = { NS1, PM, MISS, NEW, SENT },
		.ev = { EV_NEW(H, NUD_STALE, H) },
	},
	{
		.rule = "ND-V6", .name = "NS with a 16-byte SLLAO -> pass, nothing learned",
		.in = { NS_MC(H, H, RX, SN1), .opt = { SLL16(H) } },
		.verdict = V_PASS,
		.ctr6 = { NS1, C(bad_lladdr_opt, 1) },
	},
	{
		.rule = "ND-V6", .name = "NS with a valid SLLAO and a 16-byte TLLAO (unused by NS) -> answered (kernel 6.18 does)",
		.in = { NS_MC(H, H, RX, SN1), .opt = { SLL(H), TLL16(H) } },
		.verdict = V_TX, .out = ANS_H,
		.post = { { E6(H, NUD_STALE, H) } },
		.ctr6 = { NS1, PM, MISS, NEW, SENT },
		.ev = { EV_NEW(H, NUD_STALE, H) },
	},
	{
		.rule = "ND-V6 ND-NA4", .name = "NA with a 16-byte TLLAO -> pass, entry untouched",
		.pre = { { E6(H, NUD_INCOMPLETE, Z) } },
		.in = { NA_TO(RX, H, H, RX, H, F_S | F_O), .opt = { TLL16(H) } },
		.verdict = V_PASS,
		.ctr6 = { NA1, C(bad_lladdr_opt, 1) },
	},
	{
		.rule = "ND-V6 ND-NA10", .name = "NA with a valid TLLAO and a 16-byte SLLAO (unused by NA) -> learned (kernel 6.18 does)",
		.pre = { { E6(H, NUD_REACHABLE, H) } },
		.in = { NA_TO(RX, H, H, RX, H, F_S | F_O), .opt = { TLL(H2), SLL16(H) } },
		.verdict = V_PASS,
		.post = { { E6(H, NUD_REACHABLE, H2) } },
		.ctr6 = { NA1, HIT, CHGLL },
		.ev = { EV_LL(H, NUD_REACHABLE, NUD_REACHABLE, H, H2) },
	},
	{
		.rule = "IPv6 input", .name = "NS from a multicast source -> pass",
		.in = { NS_MC(H, ALLN, RX, SN1), .opt = { SLL(H) } },
		.verdict = V_PASS,
		.ctr6 = { C(bad_source, 1) },
	},
	{
		.rule = "IPv6 input", .name = "NS from ::1 -> pass",
		.in = { NS_MC(H, LOOP, RX, SN1), .opt = { SLL(H) } },
		.verdict = V_PASS,
		.ctr6 = { C(bad_source, 1) },
	},
	{
		.rule = "ND-V1", .name = "ND message longer than xneigh reads (520 bytes) -> left to the kernel",
		.in = { NS_MC(H, H, RX, SN1), .opt = { SLL(H), { .type = 200, .len = 61 } } },
		.verdict = V_PASS,
		.ctr6 = { C(bad_length, 1) },
	},
	{
		.rule = "ND", .name = "ICMPv6 echo request to xr0 -> pass, no counter moves",
		.in = { ND6(128, RX, H, H, RX, Z, 0) },
		.verdict = V_PASS,
	},
	{
		.rule = "ND", .name = "IPv6/UDP to xr0 -> pass, no counter moves",
		.in = { IPV6(RX, H, H, RX) },
		.verdict = V_PASS,
	},
	{
		.rule = "ND VLAN", .name = "three VLAN tags -> pass, bad_vlan",
		.in = { NS_MC(H, H, RX, SN1), .opt = { SLL(H) }, .ntags = 3,
			.tags = { TAG_AD(100), TAG_Q(5), TAG_Q(6) } },
		.verdict = V_PASS,
		.ctr = { C(bad_vlan, 1) },
	},

	/* ---- DAD probes (ND-NS1, ND-NS4, ND-NS8) ----------------------------------------- */
	{
		.rule = "ND-NS8", .name = "DAD NS for xr0's address -> NA to ff02::1, S=0 O=1 TLLAO, no entry touched",
		.pre = { { E6(H, NUD_STALE, H) } },
		.in = { NS_DAD(H, RX, SN1) },
		.verdict = V_TX, .out = { NA_OUT(ALLN, RX, ALLN, RX, F_O), WITH_TLL },
		.ctr6 = { NS1, DADR },
	},
	{
		.rule = "ND-NS8 ND-NS7", .name = "DAD NS for xr0's address on a router -> R=1 O=1",
		.rx = "forwarding6=1",
		.in = { NS_DAD(H, RX, SN1) },
		.verdict = V_TX, .out = { NA_OUT(ALLN, RX, ALLN, RX, F_R | F_O), WITH_TLL },
		.ctr6 = { NS1, DADR },
	},
	{
		.rule = "ND-NS8", .name = "DAD NS for xr0's link-local address -> NA from that address",
		.in = { NS_DAD(H, RXLL, SN1) },
		.verdict = V_TX, .out = { NA_OUT(ALLN, RXLL, ALLN, RXLL, F_O), WITH_TLL },
		.ctr6 = { NS1, DADR },
	},
	{
		.rule = "ND-NS8 ND-NS2", .name = "DAD NS with a nonce for a valid address -> answered as without",
		.in = { NS_DAD(H, RX, SN1), .opt = { NONCE } },
		.verdict = V_TX, .out = { NA_OUT(ALLN, RX, ALLN, RX, F_O), WITH_TLL },
		.ctr6 = { NS1, DADR },
	},
	{
		.rule = "ND-NS1", .name = "DAD NS to ff02::1 (not a solicited-node group) -> pass",
		.in = { NS_DAD(H, RX, ALLN) },
		.verdict = V_PASS,
		.ctr6 = { NS1, C(bad_dad, 1) },
	},
	{
		.rule = "ND-NS1", .name = "DAD NS unicast to xr0's address -> pass",
		.in = { NS_UC(RX, H, Z, RX, RX) },
		.verdict = V_PASS,
		.ctr6 = { NS1, C(bad_dad, 1) },
	},
	{
		.rule = "ND-NS1", .name = "DAD NS with an SLLAO -> pass",
		.in = { NS_DAD(H, RX, SN1), .opt = { SLL(H) } },
		.verdict = V_PASS,
		.ctr6 = { NS1, C(bad_dad, 1) },
	},
	{
		.rule = "IPv6 input ND-NS1", .name = "DAD NS to a solicited-node group xr0 has not joined -> pass (kernel 6.18 drops it)",
		.in = { NS_DAD(H, RX, SNX) },
		.verdict = V_PASS,
		.ctr6 = { NS1, C(not_for_us, 1) },
	},
	{
		.rule = "ND-NS4", .name = "DAD NS for our tentative address -> pass (the kernel fails its DAD), DAD_CONFLICT",
		.addr6 = { ADDR_TENT },
		.in = { NS_DAD(H, TENT, SN5) },
		.verdict = V_PASS,
		.ctr6 = { NS1, C(dad_conflicts, 1) },
		.ev = { EV_DAD(TENT, H) },	/* the claimant: Ethernet source of the DAD NS */
	},
	{
		.rule = "ND-NS4", .name = "DAD NS for our optimistic address -> pass, DAD_CONFLICT",
		.addr6 = { ADDR_OPT },
		.in = { NS_DAD(H, OPT, SN6) },
		.verdict = V_PASS,
		.ctr6 = { NS1, C(dad_conflicts, 1) },
		.ev = { EV_DAD(OPT, H) },	/* the claimant: Ethernet source of the DAD NS */
	},
	{
		.rule = "ND-NS4", .name = "NS for our tentative address -> not answered, nothing learned",
		.addr6 = { ADDR_TENT },
		.in = { NS_MC(H, H, TENT, SN5), .opt = { SLL(H) } },
		.verdict = V_PASS,
		.ctr6 = { NS1 },
	},
	{
		.rule = "ND-NS4 ND-DAD4", .name = "NS for our dadfailed (tentative) address -> not answered",
		.addr6 = { ADDR_DADFAIL },
		.in = { NS_MC(H, H, TENT, SN5), .opt = { SLL(H) } },
		.verdict = V_PASS,
		.ctr6 = { NS1 },
	},
	{
		.rule = "ND-NS4 ND-TX1", .name = "multicast NS for our optimistic address -> NA S=1 O=0 TLLAO",
		.addr6 = { ADDR_OPT },
		.in = { NS_MC(H, H, OPT, SN6), .opt = { SLL(H) } },
		.verdict = V_TX, .out = { NA_OUT(H, OPT, H, OPT, F_S), WITH_TLL },
		.post = { { E6(H, NUD_STALE, H) } },
		.ctr6 = { NS1, PM, MISS, NEW, SENT },
		.ev = { EV_NEW(H, NUD_STALE, H) },
	},
	{
		.rule = "ND-NS4 ND-TX1 ND-TX2", .name = "unicast NS for our optimistic address with force_tllao -> NA S=1 O=0 TLLAO",
		.rx = "force_tllao=1",
		.addr6 = { ADDR_OPT },
		.pre = { { E6(H, NUD_STALE, H) } },
		.in = { NS_UC(RX, H, H, RX, OPT), .opt = { SLL(H) } },
		.verdict = V_TX, .out = { NA_OUT(H, OPT, H, OPT, F_S), WITH_TLL },
		.ctr6 = { NS1, PU, HIT, SENT },
	},

	/* ---- NS for our addresses: who is asked, how, and the NA (ND-NS3, NS9, NS11) ---- */
	{
		.rule = "ND-NS11", .name = "multicast NS for xr0's link-local address -> NA from it, to H's link-local",
		.in = { NS_MC(H, HLL, RXLL, SN1), .opt = { SLL(H) } },
		.verdict = V_TX, .out = { NA_OUT(H, RXLL, HLL, RXLL, F_S | F_O), WITH_TLL },
		.post = { { E6(HLL, NUD_STALE, H) } },
		.ctr6 = { NS1, PM, MISS, NEW, SENT },
		.ev = { EV_NEW(HLL, NUD_STALE, H) },
	},
	{
		.rule = "ND-NS11 ND-NS9", .name = "unicast NS with SLLAO from a new host -> NA S=1 O=0 without TLLAO, learned",
		.in = NSU_H,
		.verdict = V_TX, .out = ANSU_H,
		.post = { { E6(H, NUD_STALE, H) } },
		.ctr6 = { NS1, PU, MISS, NEW, SENT },
		.ev = { EV_NEW(H, NUD_STALE, H) },
	},
	{
		.rule = "ND-NS11", .name = "unicast NS for xr0's link-local address from H's link-local -> NA S=1 O=0 without TLLAO",
		.in = { NS_UC(RX, H, HLL, RXLL, RXLL), .opt = { SLL(H) } },
		.verdict = V_TX, .out = { NA_OUT(H, RXLL, HLL, RXLL, F_S) },
		.post = { { E6(HLL, NUD_STALE, H) } },
		.ctr6 = { NS1, PU, MISS, NEW, SENT },
		.ev = { EV_NEW(HLL, NUD_STALE, H) },
	},
	{
		.rule = "ND-NS11 ND-NS10", .name = "unicast NS without SLLAO, sent from another MAC -> NA to the cached MAC, entry unchanged",
		.pre = { { E6(H, NUD_STALE, H) } },
		.in = { NS_UC(RX, H2, H, RX, RX) },
		.verdict = V_TX, .out = ANSU_H,
		.ctr6 = { NS1, PU, HIT, SENT },
	},
	{
		.rule = "ND-NS11", .name = "NS whose SLLAO differs from the Ethernet source -> NA to the SLLAO",
		.in = { NS_MC(X, H, RX, SN1), .opt = { SLL(H) } },
		.verdict = V_TX, .out = ANS_H,
		.post = { { E6(H, NUD_STALE, H) } },
		.ctr6 = { NS1, PM, MISS, NEW, SENT },
		.ev = { EV_NEW(H, NUD_STALE, H) },
	},
	{
		.rule = "ND-NS11", .name = "multicast NS without options from a known host -> NA grows to 32 bytes with TLLAO",
		.pre = { { E6(H, NUD_STALE, H) } },
		.in = { NS_MC(H, H, RX, SN1) },
		.verdict = V_TX, .out = ANS_H,
		.ctr6 = { NS1, PM, HIT, SENT },
	},
	{
		.rule = "IPv6 input ND-NS11", .name = "unicast NS to xr0's link-local address for its global one -> answered",
		.in = { NS_UC(RX, H, H, RXLL, RX), .opt = { SLL(H) } },
		.verdict = V_TX, .out = ANSU_H,
		.post = { { E6(H, NUD_STALE, H) } },
		.ctr6 = { NS1, PU, MISS, NEW, SENT },
		.ev = { EV_NEW(H, NUD_STALE, H) },
	},
	{
		.rule = "IPv6 input ND-NS11", .name = "unicast NS to xo0's address for xr0's -> answered (delivery is weak host)",
		.in = { NS_UC(RX, H, H, OX, RX), .opt = { SLL(H) } },
		.verdict = V_TX, .out = ANSU_H,
		.post = { { E6(H, NUD_STALE, H) } },
		.ctr6 = { NS1, PU, MISS, NEW, SENT },
		.ev = { EV_NEW(H, NUD_STALE, H) },
	},
	{
		.rule = "IPv6 input", .name = "unicast NS to an address that is not local -> pass, nothing learned (kernel 6.18 forwards or drops it)",
		.in = { NS_UC(RX, H, H, NOTOURS, RX), .opt = { SLL(H) } },
		.verdict = V_PASS,
		.ctr6 = { NS1, C(not_for_us, 1) },
	},
	{
		.rule = "IPv6 input", .name = "multicast NS to a solicited-node group xr0 has not joined -> pass (kernel 6.18 drops it)",
		.in = { NS_MC(H, H, RX, SNX), .opt = { SLL(H) } },
		.verdict = V_PASS,
		.ctr6 = { NS1, C(not_for_us, 1) },
	},
	{
		.rule = "IPv6 input", .name = "NS to ff02::2 on a host (group not joined) -> pass",
		.in = { NS_MC(H, H, RX, ALLR), .opt = { SLL(H) } },
		.verdict = V_PASS,
		.ctr6 = { NS1, C(not_for_us, 1) },
	},
	{
		.rule = "ND-NS11 ND-NS7", .name = "NS to ff02::2 on a router -> NA R=1 S=1 O=1",
		.rx = "forwarding6=1",
		.in = { NS_MC(H, H, RX, ALLR), .opt = { SLL(H) } },
		.verdict = V_TX, .out = { NA_OUT(H, RX, H, RX, F_R | F_S | F_O), WITH_TLL },
		.post = { { E6(H, NUD_STALE, H) } },
		.ctr6 = { NS1, PM, MISS, NEW, SENT },
		.ev = { EV_NEW(H, NUD_STALE, H) },
	},
	{
		.rule = "ND-NS11", .name = "NS to ff02::1 -> answered as multicast",
		.in = { NS_MC(H, H, RX, ALLN), .opt = { SLL(H) } },
		.verdict = V_TX, .out = ANS_H,
		.post = { { E6(H, NUD_STALE, H) } },
		.ctr6 = { NS1, PM, MISS, NEW, SENT },
		.ev = { EV_NEW(H, NUD_STALE, H) },
	},
	{
		.rule = "ND-NS11", .name = "multicast-IPv6 NS in a unicast Ethernet frame to xr0 -> answered as multicast",
		.in = { ND6(ND_NS, RX, H, H, SN1, RX, 0), .opt = { SLL(H) } },
		.verdict = V_TX, .out = ANS_H,
		.post = { { E6(H, NUD_STALE, H) } },
		.ctr6 = { NS1, PM, MISS, NEW, SENT },
		.ev = { EV_NEW(H, NUD_STALE, H) },
	},
	{
		.rule = "ND-NS11", .name = "unicast-IPv6 NS in a multicast Ethernet frame -> answered as unicast",
		.in = { ND6(ND_NS, SN1, H, H, RX, RX, 0), .opt = { SLL(H) } },
		.verdict = V_TX, .out = ANSU_H,
		.post = { { E6(H, NUD_STALE, H) } },
		.ctr6 = { NS1, PU, MISS, NEW, SENT },
		.ev = { EV_NEW(H, NUD_STALE, H) },
	},
	{
		.rule = "ND-NS11", .name = "NS in a broadcast Ethernet frame -> answered as multicast",
		.in = { ND6(ND_NS, BC, H, H, SN1, RX, 0), .opt = { SLL(H) } },
		.verdict = V_TX, .out = ANS_H,
		.post = { { E6(H, NUD_STALE, H) } },
		.ctr6 = { NS1, PM, MISS, NEW, SENT },
		.ev = { EV_NEW(H, NUD_STALE, H) },
	},
	{
		.rule = "ND-NS3", .name = "strong host: NS for xo0's address arriving on xr0 -> not answered, nothing learned",
		.in = { NS_MC(H, H, OX, SN101), .opt = { SLL(H) } },
		.verdict = V_PASS,
		.ctr6 = { NS1, C(not_for_us, 1) },
	},
	{
		.rule = "ND-NS3", .name = "strong host: NS for xo0's link-local address, to xr0's MAC -> not answered",
		.in = { NS_UC(RX, H, H, RX, OXLL), .opt = { SLL(H) } },
		.verdict = V_PASS,
		.ctr6 = { NS1, C(not_for_us, 1) },
	},
	{
		.rule = "ND-NS5", .name = "NS for an address nobody here has -> not answered, nothing learned",
		.pre = { { E6(H, NUD_STALE, H2) } },
		.in = { NS_MC(H, H, NOTOURS, SN1), .opt = { SLL(H) } },
		.verdict = V_PASS,
		.ctr6 = { NS1, C(not_for_us, 1) },
	},
	{
		.rule = "ND-NS7", .name = "router (forwarding6=1) -> NA R=1 S=1 O=1",
		.rx = "forwarding6=1",
		.in = NS_H,
		.verdict = V_TX, .out = { NA_OUT(H, RX, H, RX, F_R | F_S | F_O), WITH_TLL },
		.post = { { E6(H, NUD_STALE, H) } },
		.ctr6 = { NS1, PM, MISS, NEW, SENT },
		.ev = { EV_NEW(H, NUD_STALE, H) },
	},
	{
		.rule = "ND-TX3", .name = "ndisc_tclass=0xb8 -> NA with traffic class 0xb8",
		.rx = "ndisc_tclass=0xb8",
		.in = NS_H,
		.verdict = V_TX, .out = { NA_OUT(H, RX, H, RX, F_S | F_O), WITH_TLL, .tclass = 0xb8 },
		.post = { { E6(H, NUD_STALE, H) } },
		.ctr6 = { NS1, PM, MISS, NEW, SENT },
		.ev = { EV_NEW(H, NUD_STALE, H) },
	},
	{
		.rule = "ND-TX2", .name = "force_tllao=1, unicast NS -> NA with TLLAO (O=0)",
		.rx = "force_tllao=1",
		.in = NSU_H,
		.verdict = V_TX, .out = { NA_OUT(H, RX, H, RX, F_S), WITH_TLL },
		.post = { { E6(H, NUD_STALE, H) } },
		.ctr6 = { NS1, PU, MISS, NEW, SENT },
		.ev = { EV_NEW(H, NUD_STALE, H) },
	},
	{
		.rule = "ND-NS11 VLAN", .name = "802.1Q-tagged NS -> NA with the tag kept",
		.in = { NS_MC(H, H, RX, SN1), .opt = { SLL(H) }, .ntags = 1, .tags = { TAG_Q(5) } },
		.verdict = V_TX, .out = { NA_OUT(H, RX, H, RX, F_S | F_O), WITH_TLL, .ntags = 1,
					  .tags = { TAG_Q(5) } },
		.post = { { E6(H, NUD_STALE, H) } },
		.ctr6 = { NS1, PM, MISS, NEW, SENT },
		.ev = { EV_NEW(H, NUD_STALE, H) },
	},
	{
		.rule = "ND-NS11 VLAN", .name = "802.1ad+802.1Q-tagged unicast NS -> NA with both tags kept",
		.in = { NS_UC(RX, H, H, RX, RX), .opt = { SLL(H) }, .ntags = 2,
			.tags = { TAG_AD(100), TAG_Q(5) } },
		.verdict = V_TX, .out = { NA_OUT(H, RX, H, RX, F_S), .ntags = 2,
					  .tags = { TAG_AD(100), TAG_Q(5) } },
		.post = { { E6(H, NUD_STALE, H) } },
		.ctr6 = { NS1, PU, MISS, NEW, SENT },
		.ev = { EV_NEW(H, NUD_STALE, H) },
	},

	/* ---- learning from NS (ND-NS10, ND-NS10a, ND-NS11; NUD-8) -------------------------- */
	{
		.rule = "ND-NS10a", .name = "unicast NS without SLLAO from an unknown source -> NONE entry, NS left to the kernel",
		.in = { NS_UC(RX, H, H, RX, RX) },
		.verdict = V_PASS,
		.post = { { E6(H, NUD_NONE, Z) } },
		.ctr6 = { NS1, PU, MISS, NEW, C(nd_deferred, 1) },
		.ev = { EV_NEW(H, NUD_NONE, Z) },
	},
	{
		.rule = "ND-NS10a", .name = "unicast NS without SLLAO, source entry NONE -> stays NONE, left to the kernel",
		.pre = { { E6(H, NUD_NONE, Z) } },
		.in = { NS_UC(RX, H, H, RX, RX) },
		.verdict = V_PASS,
		.ctr6 = { NS1, PU, HIT, C(nd_deferred, 1) },
	},
	{
		.rule = "ND-NS10a", .name = "unicast NS without SLLAO, source entry INCOMPLETE -> unchanged, left to the kernel",
		.pre = { { E6(H, NUD_INCOMPLETE, Z) } },
		.in = { NS_UC(RX, H, H, RX, RX) },
		.verdict = V_PASS,
		.ctr6 = { NS1, PU, HIT, C(nd_deferred, 1) },
	},
	{
		.rule = "ND-NS11", .name = "multicast NS without SLLAO from an unknown source -> no entry, no NA",
		.in = { NS_MC(H, H, RX, SN1) },
		.verdict = V_PASS,
		.ctr6 = { NS1, PM, MISS },
	},
	{
		.rule = "ND-NS10 NUD-8.8", .name = "REACHABLE source, same SLLAO -> REACHABLE kept, answered",
		.pre = { { E6(H, NUD_REACHABLE, H) } },
		.in = NS_H,
		.verdict = V_TX, .out = ANS_H,
		.ctr6 = { NS1, PM, HIT, SENT },
	},
	{
		.rule = "ND-NS10 NUD-8.8", .name = "DELAY source, same SLLAO -> DELAY kept",
		.pre = { { E6(H, NUD_DELAY, H), .age_ms = 2000 } },
		.in = NS_H,
		.verdict = V_TX, .out = ANS_H,
		.ctr6 = { NS1, PM, HIT, SENT },
	},
	{
		.rule = "ND-NS10 NUD-8.11", .name = "REACHABLE source, new SLLAO -> STALE with the new MAC, NA to it",
		.pre = { { E6(H, NUD_REACHABLE, H), .age_ms = 100 } },
		.in = { NS_MC(H2, H, RX, SN1), .opt = { SLL(H2) } },
		.verdict = V_TX, .out = { NA_OUT(H2, RX, H, RX, F_S | F_O), WITH_TLL },
		.post = { { E6(H, NUD_STALE, H2) } },
		.ctr6 = { NS1, PM, HIT, CHGLL, SENT },
		.ev = { EV_LL(H, NUD_REACHABLE, NUD_STALE, H, H2) },
	},
	{
		.rule = "ND-NS10 NUD-8.11", .name = "STALE source, new SLLAO -> STALE with the new MAC",
		.pre = { { E6(H, NUD_STALE, H) } },
		.in = { NS_MC(H2, H, RX, SN1), .opt = { SLL(H2) } },
		.verdict = V_TX, .out = { NA_OUT(H2, RX, H, RX, F_S | F_O), WITH_TLL },
		.post = { { E6(H, NUD_STALE, H2) } },
		.ctr6 = { NS1, PM, HIT, CHGLL, SENT },
		.ev = { EV_LL(H, NUD_STALE, NUD_STALE, H, H2) },
	},
	{
		.rule = "ND-NS10 NUD-8.13", .name = "router entry, new SLLAO -> STALE with the new MAC, router flag untouched",
		.pre = { { E6(H, NUD_REACHABLE, H), .flags = XN_NTF_ROUTER } },
		.in = { NS_MC(H2, H, RX, SN1), .opt = { SLL(H2) } },
		.verdict = V_TX, .out = { NA_OUT(H2, RX, H, RX, F_S | F_O), WITH_TLL },
		.post = { { E6(H, NUD_STALE, H2), .flags = XN_NTF_ROUTER } },
		.ctr6 = { NS1, PM, HIT, CHGLL, SENT },
		.ev = { EV_LL(H, NUD_REACHABLE, NUD_STALE, H, H2) },
	},
	{
		.rule = "ND-NS10 NUD-8.5", .name = "INCOMPLETE source, NS with SLLAO -> STALE with the MAC, answered",
		.pre = { { E6(H, NUD_INCOMPLETE, Z), .age_ms = 500 } },
		.in = NS_H,
		.verdict = V_TX, .out = ANS_H,
		.post = { { E6(H, NUD_STALE, H) } },
		.ctr6 = { NS1, PM, HIT, CHGLL, SENT },
		.ev = { EV_LL(H, NUD_INCOMPLETE, NUD_STALE, Z, H) },
	},
	{
		.rule = "ND-NS10", .name = "FAILED source, NS with SLLAO -> STALE with the MAC (no FAILED check on NS)",
		.pre = { { E6(H, NUD_FAILED, Z) } },
		.in = NS_H,
		.verdict = V_TX, .out = ANS_H,
		.post = { { E6(H, NUD_STALE, H) } },
		.ctr6 = { NS1, PM, HIT, CHGLL, SENT },
		.ev = { EV_LL(H, NUD_FAILED, NUD_STALE, Z, H) },
	},
	{
		.rule = "ND-NS10 NUD-8.2", .name = "PERMANENT source, other SLLAO -> entry kept, NA to the permanent MAC",
		.pre = { { E6(H, NUD_PERMANENT, H) } },
		.in = { NS_MC(H2, H, RX, SN1), .opt = { SLL(H2) } },
		.verdict = V_TX, .out = ANS_H,
		.ctr6 = { NS1, PM, HIT, C(static_untouched, 1), SENT },
	},
	{
		.rule = "ND-NS10 GC-3", .name = "table full -> NS from a new host: no entry, no NA, TABLE_FULL",
		.neigh_max = 2,
		.pre = { { E6(J, NUD_STALE, J) }, { E6(K, NUD_STALE, K) } },
		.in = NS_H,
		.verdict = V_PASS,
		.ctr6 = { NS1, PM, MISS, C(table_fulls, 1) },
		.ev = { EV_FULL(H, H) },
	},
	{
		.rule = "ND-NS10 GC-3", .name = "table full -> NS from a known host still answered",
		.neigh_max = 2,
		.pre = { { E6(J, NUD_STALE, J) }, { E6(K, NUD_STALE, K) } },
		.in = { NS_MC(J, J, RX, SN1), .opt = { SLL(J) } },
		.verdict = V_TX, .out = { NA_OUT(J, RX, J, RX, F_S | F_O), WITH_TLL },
		.ctr6 = { NS1, PM, HIT, SENT },
	},

	/* ---- anycast (ND-NS5, ND-NS6, ND-TX1) ---------------------------------------------- */
	{
		.rule = "ND-NS5 ND-TX1", .name = "multicast NS for our anycast address from a global source -> NA from src6_global, S=1 O=0",
		.rx = "forwarding6=1 proxy_delay6_ms=0",
		.addr6 = { ADDR_ANY },
		.in = { NS_MC(H, H, ANY, SN0), .opt = { SLL(H) } },
		.verdict = V_TX, .out = { NA_OUT(H, RX, H, ANY, F_R | F_S), WITH_TLL },
		.post = { { E6(H, NUD_STALE, H) } },
		.ctr6 = { NS1, PM, MISS, NEW, SENT },
		.ev = { EV_NEW(H, NUD_STALE, H) },
	},
	{
		.rule = "ND-NS5 ND-TX1", .name = "anycast NS from a link-local source -> NA from src6_ll",
		.rx = "forwarding6=1 proxy_delay6_ms=0",
		.addr6 = { ADDR_ANY },
		.in = { NS_MC(H, HLL, ANY, SN0), .opt = { SLL(H) } },
		.verdict = V_TX, .out = { NA_OUT(H, RXLL, HLL, ANY, F_R | F_S), WITH_TLL },
		.post = { { E6(HLL, NUD_STALE, H) } },
		.ctr6 = { NS1, PM, MISS, NEW, SENT },
		.ev = { EV_NEW(HLL, NUD_STALE, H) },
	},
	{
		.rule = "ND-NS5 ND-TX1", .name = "anycast NS from a global source, no global address -> NA from src6_ll",
		.rx = "forwarding6=1 proxy_delay6_ms=0 src6_global=::",
		.addr6 = { ADDR_ANY },
		.in = { NS_MC(H, H, ANY, SN0), .opt = { SLL(H) } },
		.verdict = V_TX, .out = { NA_OUT(H, RXLL, H, ANY, F_R | F_S), WITH_TLL },
		.post = { { E6(H, NUD_STALE, H) } },
		.ctr6 = { NS1, PM, MISS, NEW, SENT },
		.ev = { EV_NEW(H, NUD_STALE, H) },
	},
	{
		.rule = "ND-NS5 ND-NS11", .name = "unicast NS for our anycast address -> NA S=1 O=0 without TLLAO",
		.rx = "forwarding6=1",
		.addr6 = { ADDR_ANY },
		.in = { NS_UC(RX, H, H, ANY, ANY), .opt = { SLL(H) } },
		.verdict = V_TX, .out = { NA_OUT(H, RX, H, ANY, F_R | F_S) },
		.post = { { E6(H, NUD_STALE, H) } },
		.ctr6 = { NS1, PU, MISS, NEW, SENT },
		.ev = { EV_NEW(H, NUD_STALE, H) },
	},
	{
		.rule = "ND-NS8", .name = "DAD NS for our anycast address -> NA to ff02::1 from src6_ll, S=0 O=0",
		.rx = "forwarding6=1 proxy_delay6_ms=0",
		.addr6 = { ADDR_ANY },
		.in = { NS_DAD(H, ANY, SN0) },
		.verdict = V_TX, .out = { NA_OUT(ALLN, RXLL, ALLN, ANY, F_R), WITH_TLL },
		.ctr6 = { NS1, DADR },
	},
	{
		.rule = "ND-NS6 ND-NS8", .name = "DAD NS for our anycast address with proxy_delay -> left to the kernel",
		.rx = "forwarding6=1 proxy_delay6_ms=800",
		.addr6 = { ADDR_ANY },
		.in = { NS_DAD(H, ANY, SN0) },
		.verdict = V_PASS,
		.ctr6 = { NS1, C(proxy_deferred, 1) },
	},
	{
		.rule = "ND-NS6", .name = "multicast anycast NS with proxy_delay -> left to the kernel, nothing learned",
		.rx = "forwarding6=1 proxy_delay6_ms=800",
		.addr6 = { ADDR_ANY },
		.in = { NS_MC(H, H, ANY, SN0), .opt = { SLL(H) } },
		.verdict = V_PASS,
		.ctr6 = { NS1, C(proxy_deferred, 1) },
	},
	{
		.rule = "ND-NS6", .name = "multicast-IPv6 anycast NS in a frame to xr0's MAC with proxy_delay -> answered at once",
		.rx = "forwarding6=1 proxy_delay6_ms=800",
		.addr6 = { ADDR_ANY },
		.in = { ND6(ND_NS, RX, H, H, SN0, ANY, 0), .opt = { SLL(H) } },
		.verdict = V_TX, .out = { NA_OUT(H, RX, H, ANY, F_R | F_S), WITH_TLL },
		.post = { { E6(H, NUD_STALE, H) } },
		.ctr6 = { NS1, PM, MISS, NEW, SENT },
		.ev = { EV_NEW(H, NUD_STALE, H) },
	},

	/* ---- proxy NDP (ND-NS5, ND-NS6, ND-NS7) ------------------------------------------- */
	{
		.rule = "ND-NS5 ND-NS7", .name = "proxy NDP: multicast NS for a proxied address -> NA S=1 O=0 R=0 from src6_global",
		.rx = PROXY_ON,
		.proxy = { PROXY(DEV_RX, 0) },
		.in = { NS_MC(H, H, PRX, SN99), .opt = { SLL(H) } },
		.verdict = V_TX, .out = { NA_OUT(H, RX, H, PRX, F_S), WITH_TLL },
		.post = { { E6(H, NUD_STALE, H) } },
		.ctr6 = { NS1, PM, MISS, NEW, SENT },
		.ev = { EV_NEW(H, NUD_STALE, H) },
	},
	{
		.rule = "ND-NS7", .name = "proxy entry with the router flag -> R=1",
		.rx = PROXY_ON,
		.proxy = { PROXY(DEV_RX, XN_NTF_ROUTER) },
		.in = { NS_MC(H, H, PRX, SN99), .opt = { SLL(H) } },
		.verdict = V_TX, .out = { NA_OUT(H, RX, H, PRX, F_R | F_S), WITH_TLL },
		.post = { { E6(H, NUD_STALE, H) } },
		.ctr6 = { NS1, PM, MISS, NEW, SENT },
		.ev = { EV_NEW(H, NUD_STALE, H) },
	},
	{
		.rule = "ND-NS5", .name = "proxy entry for any device -> answered",
		.rx = PROXY_ON,
		.proxy = { PROXY(DEV_ANY, 0) },
		.in = { NS_MC(H, HLL, PRX, SN99), .opt = { SLL(H) } },
		.verdict = V_TX, .out = { NA_OUT(H, RXLL, HLL, PRX, F_S), WITH_TLL },
		.post = { { E6(HLL, NUD_STALE, H) } },
		.ctr6 = { NS1, PM, MISS, NEW, SENT },
		.ev = { EV_NEW(HLL, NUD_STALE, H) },
	},
	{
		.rule = "ND-NS5", .name = "proxy entry on xo0 only -> not answered on xr0",
		.rx = PROXY_ON,
		.proxy = { PROXY(DEV_OX, 0) },
		.in = { NS_MC(H, H, PRX, SN99), .opt = { SLL(H) } },
		.verdict = V_PASS,
		.ctr6 = { NS1, C(not_for_us, 1) },
	},
	{
		.rule = "ND-NS5", .name = "proxy entry without forwarding -> not answered",
		.rx = "proxy_ndp=1 proxy_delay6_ms=0",
		.proxy = { PROXY(DEV_RX, 0) },
		.in = { NS_MC(H, H, PRX, SN99), .opt = { SLL(H) } },
		.verdict = V_PASS,
		.ctr6 = { NS1, C(not_for_us, 1) },
	},
	{
		.rule = "ND-NS5", .name = "proxy entry without proxy_ndp -> not answered",
		.rx = "forwarding6=1 proxy_delay6_ms=0",
		.proxy = { PROXY(DEV_RX, 0) },
		.in = { NS_MC(H, H, PRX, SN99), .opt = { SLL(H) } },
		.verdict = V_PASS,
		.ctr6 = { NS1, C(not_for_us, 1) },
	},
	{
		.rule = "ND-NS6", .name = "multicast proxy NS with proxy_delay -> left to the kernel",
		.rx = "forwarding6=1 proxy_ndp=1 proxy_delay6_ms=800",
		.proxy = { PROXY(DEV_RX, 0) },
		.in = { NS_MC(H, H, PRX, SN99), .opt = { SLL(H) } },
		.verdict = V_PASS,
		.ctr6 = { NS1, C(proxy_deferred, 1) },
	},
	{
		.rule = "ND-NS6 ND-NS11", .name = "unicast NS to xr0's address for a proxied target with proxy_delay -> answered at once, no TLLAO",
		.rx = "forwarding6=1 proxy_ndp=1 proxy_delay6_ms=800",
		.proxy = { PROXY(DEV_RX, 0) },
		.in = { NS_UC(RX, H, H, RX, PRX), .opt = { SLL(H) } },
		.verdict = V_TX, .out = { NA_OUT(H, RX, H, PRX, F_S) },
		.post = { { E6(H, NUD_STALE, H) } },
		.ctr6 = { NS1, PU, MISS, NEW, SENT },
		.ev = { EV_NEW(H, NUD_STALE, H) },
	},
	{
		.rule = "IPv6 input ND-NS5", .name = "unicast NS to the proxied address without all.forwarding/all.proxy_ndp -> not answered (kernel 6.18)",
		.rx = PROXY_ON,
		.proxy = { PROXY(DEV_RX, 0) },
		.in = { NS_UC(RX, H, H, PRX, PRX), .opt = { SLL(H) } },
		.verdict = V_PASS,
		.ctr6 = { NS1, C(not_for_us, 1) },
	},
	{
		.rule = "IPv6 input ND-NS5", .name = "unicast NS to the proxied address with all.forwarding and all.proxy_ndp -> answered",
		.rx = PROXY_ON " all_forwarding6=1 all_proxy_ndp=1",
		.proxy = { PROXY(DEV_RX, 0) },
		.in = { NS_UC(RX, H, H, PRX, PRX), .opt = { SLL(H) } },
		.verdict = V_TX, .out = { NA_OUT(H, RX, H, PRX, F_S) },
		.post = { { E6(H, NUD_STALE, H) } },
		.ctr6 = { NS1, PU, MISS, NEW, SENT },
		.ev = { EV_NEW(H, NUD_STALE, H) },
	},
	{
		.rule = "ND-NS8", .name = "DAD NS for a proxied address -> NA to ff02::1 from src6_ll, S=0 O=0",
		.rx = PROXY_ON,
		.proxy = { PROXY(DEV_RX, 0) },
		.in = { NS_DAD(H, PRX, SN99) },
		.verdict = V_TX, .out = { NA_OUT(ALLN, RXLL, ALLN, PRX, 0), WITH_TLL },
		.ctr6 = { NS1, DADR },
	},

	/* ---- NA receive (ND-NA2..ND-NA10) -------------------------------------------------- */
	{
		.rule = "ND-NA2", .name = "solicited NA to ff02::1 -> dropped, entry untouched",
		.pre = { { E6(H, NUD_INCOMPLETE, Z) } },
		.in = { NA_TO(ALLN, H, H, ALLN, H, F_S | F_O), .opt = { TLL(H) } },
		.verdict = V_PASS,
		.ctr6 = { NA1, C(na_mcast_solicited, 1) },
	},
	{
		.rule = "ND-NA3", .name = "drop_unsolicited_na=1, unsolicited NA -> dropped, entry untouched",
		.rx = "drop_unsolicited_na=1",
		.pre = { { E6(H, NUD_STALE, H) } },
		.in = { NA_TO(ALLN, H2, H, ALLN, H, F_O), .opt = { TLL(H2) } },
		.verdict = V_PASS,
		.ctr6 = { NA1, C(unsolicited_dropped, 1) },
	},
	{
		.rule = "ND-NA3 ND-NA7", .name = "drop_unsolicited_na takes precedence over accept_untracked_na -> nothing created",
		.rx = "drop_unsolicited_na=1 forwarding6=1 accept_untracked_na=1",
		.in = { NA_TO(ALLN, J, J, ALLN, J, F_O), .opt = { TLL(J) } },
		.verdict = V_PASS,
		.ctr6 = { NA1, C(unsolicited_dropped, 1) },
	},
	{
		.rule = "ND-NA3", .name = "drop_unsolicited_na=1, solicited NA -> processed",
		.rx = "drop_unsolicited_na=1",
		.pre = { { E6(H, NUD_INCOMPLETE, Z) } },
		.in = NA_H(F_S | F_O, H),
		.verdict = V_PASS,
		.post = { { E6(H, NUD_REACHABLE, H) } },
		.ctr6 = { NA1, HIT, CHGLL },
		.ev = { EV_LL(H, NUD_INCOMPLETE, NUD_REACHABLE, Z, H) },
	},
	{
		.rule = "ND-NA5", .name = "NA for xr0's own address -> CONFLICT, nothing learned",
		.rx = "forwarding6=1 accept_untracked_na=1",
		.in = { NA_TO(ALLN, H, H, ALLN, RX, F_O), .opt = { TLL(H) } },
		.verdict = V_PASS,
		.ctr6 = { NA1, C(conflicts, 1) },
		.ev = { EV_CONFLICT(RX, H) },
	},
	{
		.rule = "ND-NA5", .name = "NA for xr0's own address without TLLAO -> CONFLICT",
		.in = { NA_TO(ALLN, H, H, ALLN, RXLL, F_O) },
		.verdict = V_PASS,
		.ctr6 = { NA1, C(conflicts, 1) },
		.ev = { EV_CONFLICT(RXLL, Z) },
	},
	{
		.rule = "ND-NA5 ND-DAD1", .name = "NA for our tentative address -> DAD_CONFLICT (the kernel fails its DAD)",
		.addr6 = { ADDR_TENT },
		.in = { NA_TO(ALLN, H, H, ALLN, TENT, F_O), .opt = { TLL(H) } },
		.verdict = V_PASS,
		.ctr6 = { NA1, C(dad_conflicts, 1) },
		.ev = { EV_DAD(TENT, H) },
	},
	{
		.rule = "ND-NA5 ND-DAD1", .name = "NA for our optimistic address (still tentative) -> DAD_CONFLICT",
		.addr6 = { ADDR_OPT },
		.in = { NA_TO(ALLN, H, H, ALLN, OPT, F_O), .opt = { TLL(H) } },
		.verdict = V_PASS,
		.ctr6 = { NA1, C(dad_conflicts, 1) },
		.ev = { EV_DAD(OPT, H) },
	},
	{
		.rule = "ND-NA5 ND-NS3", .name = "NA for xo0's address arriving on xr0 -> an ordinary untracked NA",
		.in = { NA_TO(ALLN, H, H, ALLN, OX, F_O), .opt = { TLL(H) } },
		.verdict = V_PASS,
		.ctr6 = { NA1, MISS, C(untracked_ignored, 1) },
	},
	/* ND-NA7: no entry for the target (RFC 9131) */
	{
		.rule = "ND-NA7", .name = "untracked NA, accept_untracked_na=0 forwarding=0 -> nothing",
		.in = { NA_TO(ALLN, J, J, ALLN, J, F_O), .opt = { TLL(J) } },
		.verdict = V_PASS,
		.ctr6 = { NA1, MISS, C(untracked_ignored, 1) },
	},
	{
		.rule = "ND-NA7", .name = "untracked NA, accept_untracked_na=0 forwarding=1 -> nothing",
		.rx = "forwarding6=1",
		.in = { NA_TO(ALLN, J, J, ALLN, J, F_O), .opt = { TLL(J) } },
		.verdict = V_PASS,
		.ctr6 = { NA1, MISS, C(untracked_ignored, 1) },
	},
	{
		.rule = "ND-NA7", .name = "untracked NA, accept_untracked_na=1 forwarding=0 -> nothing (kernel 6.18)",
		.rx = "accept_untracked_na=1",
		.in = { NA_TO(ALLN, J, J, ALLN, J, F_O), .opt = { TLL(J) } },
		.verdict = V_PASS,
		.ctr6 = { NA1, MISS, C(untracked_ignored, 1) },
	},
	{
		.rule = "ND-NA7", .name = "untracked NA, accept_untracked_na=2 forwarding=0 -> nothing",
		.rx = "accept_untracked_na=2",
		.in = { NA_TO(ALLN, J, J, ALLN, J, F_O), .opt = { TLL(J) } },
		.verdict = V_PASS,
		.ctr6 = { NA1, MISS, C(untracked_ignored, 1) },
	},
	{
		.rule = "ND-NA7", .name = "untracked unsolicited NA, accept_untracked_na=1 forwarding=1 -> new STALE entry",
		.rx = "forwarding6=1 accept_untracked_na=1",
		.in = { NA_TO(ALLN, J, J, ALLN, J, F_O), .opt = { TLL(J) } },
		.verdict = V_PASS,
		.post = { { E6(J, NUD_STALE, J) } },
		.ctr6 = { NA1, MISS, NEW },
		.ev = { EV_NEW(J, NUD_STALE, J) },
	},
	{
		.rule = "ND-NA7", .name = "untracked solicited NA, accept_untracked_na=1 forwarding=1 -> new entry is STALE, not REACHABLE",
		.rx = "forwarding6=1 accept_untracked_na=1",
		.in = { NA_TO(RX, J, J, RX, J, F_S | F_O), .opt = { TLL(J) } },
		.verdict = V_PASS,
		.post = { { E6(J, NUD_STALE, J) } },
		.ctr6 = { NA1, MISS, NEW },
		.ev = { EV_NEW(J, NUD_STALE, J) },
	},
	{
		.rule = "ND-NA7 ND-NA10", .name = "untracked NA with R=1 -> new STALE entry with the router flag",
		.rx = "forwarding6=1 accept_untracked_na=1",
		.in = { NA_TO(ALLN, J, J, ALLN, J, F_R | F_O), .opt = { TLL(J) } },
		.verdict = V_PASS,
		.post = { { E6(J, NUD_STALE, J), .flags = XN_NTF_ROUTER } },
		.ctr6 = { NA1, MISS, NEW },
		.ev = { EV_NEW(J, NUD_STALE, J) },
	},
	{
		.rule = "ND-NA7", .name = "untracked NA without TLLAO, accept_untracked_na=1 forwarding=1 -> nothing",
		.rx = "forwarding6=1 accept_untracked_na=1",
		.in = { NA_TO(ALLN, J, J, ALLN, J, F_O) },
		.verdict = V_PASS,
		.ctr6 = { NA1, MISS, C(untracked_ignored, 1) },
	},
	{
		.rule = "ND-NA7", .name = "accept_untracked_na=2, source in xr0's global prefix -> new STALE entry",
		.rx = "forwarding6=1 accept_untracked_na=2",
		.in = { NA_TO(ALLN, J, H, ALLN, J, F_O), .opt = { TLL(J) } },
		.verdict = V_PASS,
		.post = { { E6(J, NUD_STALE, J) } },
		.ctr6 = { NA1, MISS, NEW },
		.ev = { EV_NEW(J, NUD_STALE, J) },
	},
	{
		.rule = "ND-NA7", .name = "accept_untracked_na=2, link-local source (fe80::/64 is on-link) -> new STALE entry",
		.rx = "forwarding6=1 accept_untracked_na=2",
		.in = { NA_TO(ALLN, J, HLL, ALLN, J, F_O), .opt = { TLL(J) } },
		.verdict = V_PASS,
		.post = { { E6(J, NUD_STALE, J) } },
		.ctr6 = { NA1, MISS, NEW },
		.ev = { EV_NEW(J, NUD_STALE, J) },
	},
	{
		.rule = "ND-NA7", .name = "accept_untracked_na=2, source outside every prefix of xr0 -> nothing",
		.rx = "forwarding6=1 accept_untracked_na=2",
		.in = { NA_TO(ALLN, J, FAR, ALLN, J, F_O), .opt = { TLL(J) } },
		.verdict = V_PASS,
		.ctr6 = { NA1, MISS, C(untracked_ignored, 1) },
	},
	{
		.rule = "ND-NA7", .name = "accept_untracked_na=2, source in xo0's prefix (not xr0's) -> nothing",
		.rx = "forwarding6=1 accept_untracked_na=2",
		.in = { NA_TO(ALLN, J, GW, ALLN, J, F_O), .opt = { TLL(J) } },
		.verdict = V_PASS,
		.ctr6 = { NA1, MISS, C(untracked_ignored, 1) },
	},
	{
		.rule = "ND-NA7 ND-NA6", .name = "tracked target, accept_untracked_na=0: unsolicited NA with a new MAC, O=1 -> STALE, new MAC",
		.pre = { { E6(J, NUD_REACHABLE, J), .age_ms = 100 } },
		.in = { NA_TO(ALLN, J, J, ALLN, J, F_O), .opt = { TLL(K) } },
		.verdict = V_PASS,
		.post = { { E6(J, NUD_STALE, K) } },
		.ctr6 = { NA1, HIT, CHGLL },
		.ev = { EV_LL(J, NUD_REACHABLE, NUD_STALE, J, K) },
	},
	{
		.rule = "ND-NA7 ND-NA6", .name = "tracked target, accept_untracked_na=1 forwarding=1, S=1 -> REACHABLE (STALE is for created entries only)",
		.rx = "forwarding6=1 accept_untracked_na=1",
		.pre = { { E6(J, NUD_STALE, J) } },
		.in = { NA_TO(RX, J, J, RX, J, F_S | F_O), .opt = { TLL(J) } },
		.verdict = V_PASS,
		.post = { { E6(J, NUD_REACHABLE, J) } },
		.ctr6 = { NA1, HIT, CHG },
		.ev = { EV_ST(J, NUD_STALE, NUD_REACHABLE, J) },
	},
	{
		.rule = "ND-NA7 ND-NA6", .name = "tracked target, accept_untracked_na=2, source off every prefix -> still updated (the prefix only gates creation)",
		.rx = "forwarding6=1 accept_untracked_na=2",
		.pre = { { E6(J, NUD_INCOMPLETE, Z), .age_ms = 500 } },
		.in = { NA_TO(RX, J, FAR, RX, J, F_S | F_O), .opt = { TLL(J) } },
		.verdict = V_PASS,
		.post = { { E6(J, NUD_REACHABLE, J) } },
		.ctr6 = { NA1, HIT, CHGLL },
		.ev = { EV_LL(J, NUD_INCOMPLETE, NUD_REACHABLE, Z, J) },
	},
	{
		.rule = "ND-NA8", .name = "FAILED entry ignores an NA",
		.pre = { { E6(H, NUD_FAILED, Z) } },
		.in = NA_H(F_S | F_O, H),
		.verdict = V_PASS,
		.ctr6 = { NA1, HIT },
	},
	{
		.rule = "ND-NA9", .name = "our own proxy NA (TLLAO = xr0's MAC, all.forwarding, all.proxy_ndp, proxy entry) -> ignored",
		.rx = PROXY_ON " all_forwarding6=1 all_proxy_ndp=1",
		.proxy = { PROXY(DEV_RX, 0) },
		.pre = { { E6(PRX, NUD_STALE, J) } },
		.in = { NA_TO(ALLN, J, H, ALLN, PRX, F_O), .opt = { TLL(RX) } },
		.verdict = V_PASS,
		.ctr6 = { NA1, HIT },
	},
	{
		.rule = "ND-NA9", .name = "NA with xr0's MAC but all.proxy_ndp=0 -> not our proxy NA: applied",
		.rx = PROXY_ON " all_forwarding6=1",
		.proxy = { PROXY(DEV_RX, 0) },
		.pre = { { E6(PRX, NUD_STALE, J) } },
		.in = { NA_TO(ALLN, J, H, ALLN, PRX, F_O), .opt = { TLL(RX) } },
		.verdict = V_PASS,
		.post = { { E6(PRX, NUD_STALE, RX) } },
		.ctr6 = { NA1, HIT, CHGLL },
		.ev = { EV_LL(PRX, NUD_STALE, NUD_STALE, J, RX) },
	},
	{
		.rule = "ND-NA9 ND-NA7", .name = "our own proxy NA for an untracked target -> NONE entry only (kernel 6.18 creates, then ignores)",
		.rx = PROXY_ON " all_forwarding6=1 all_proxy_ndp=1 accept_untracked_na=1",
		.proxy = { PROXY(DEV_RX, 0) },
		.in = { NA_TO(ALLN, J, H, ALLN, PRX, F_O), .opt = { TLL(RX) } },
		.verdict = V_PASS,
		.post = { { E6(PRX, NUD_NONE, Z) } },
		.ctr6 = { NA1, MISS, NEW },
		.ev = { EV_NEW(PRX, NUD_NONE, Z) },
	},
	/* ND-NA10: RFC 4861 §7.2.5 through neigh_update (NUD-8) */
	{
		.rule = "ND-NA10", .name = "INCOMPLETE + TLLAO, S=1 -> REACHABLE with the MAC",
		.pre = { { E6(H, NUD_INCOMPLETE, Z), .age_ms = 500 } },
		.in = NA_H(F_S, H),
		.verdict = V_PASS,
		.post = { { E6(H, NUD_REACHABLE, H) } },
		.ctr6 = { NA1, HIT, CHGLL },
		.ev = { EV_LL(H, NUD_INCOMPLETE, NUD_REACHABLE, Z, H) },
	},
	{
		.rule = "ND-NA10", .name = "INCOMPLETE + TLLAO, S=0 -> STALE with the MAC",
		.pre = { { E6(H, NUD_INCOMPLETE, Z), .age_ms = 500 } },
		.in = { NA_TO(ALLN, H, H, ALLN, H, 0), .opt = { TLL(H) } },
		.verdict = V_PASS,
		.post = { { E6(H, NUD_STALE, H) } },
		.ctr6 = { NA1, HIT, CHGLL },
		.ev = { EV_LL(H, NUD_INCOMPLETE, NUD_STALE, Z, H) },
	},
	{
		.rule = "ND-NA10", .name = "INCOMPLETE + TLLAO, S=1 R=1 -> REACHABLE with the router flag",
		.pre = { { E6(H, NUD_INCOMPLETE, Z), .age_ms = 500 } },
		.in = NA_H(F_R | F_S | F_O, H),
		.verdict = V_PASS,
		.post = { { E6(H, NUD_REACHABLE, H), .flags = XN_NTF_ROUTER } },
		.ctr6 = { NA1, HIT, CHGLL },
		.ev = { EV_LL(H, NUD_INCOMPLETE, NUD_REACHABLE, Z, H) },
	},
	{
		.rule = "ND-NA10", .name = "INCOMPLETE, NA without TLLAO -> ignored",
		.pre = { { E6(H, NUD_INCOMPLETE, Z), .age_ms = 500 } },
		.in = { NA_TO(RX, H, H, RX, H, F_S | F_O) },
		.verdict = V_PASS,
		.ctr6 = { NA1, HIT },
	},
	{
		.rule = "ND-NA10", .name = "NONE + TLLAO, S=1 -> REACHABLE with the MAC",
		.pre = { { E6(H, NUD_NONE, Z), .age_ms = 500 } },
		.in = NA_H(F_S | F_O, H),
		.verdict = V_PASS,
		.post = { { E6(H, NUD_REACHABLE, H) } },
		.ctr6 = { NA1, HIT, CHGLL },
		.ev = { EV_LL(H, NUD_NONE, NUD_REACHABLE, Z, H) },
	},
	{
		.rule = "ND-NA10 NUD-8.7 NUD-8.8", .name = "REACHABLE + O=0 S=1, different TLLAO -> STALE, MAC kept (confirmed anyway)",
		.pre = { { E6(H, NUD_REACHABLE, H), .age_ms = 100 } },
		.in = NA_H(F_S, H2),
		.verdict = V_PASS,
		.post = { { E6(H, NUD_STALE, H), .confirmed = T_NOW } },
		.ctr6 = { NA1, HIT, CHG },
		.ev = { EV_ST(H, NUD_REACHABLE, NUD_STALE, H) },
	},
	{
		.rule = "ND-NA10 NUD-8.8", .name = "REACHABLE + O=0 S=0, different TLLAO -> STALE, MAC kept",
		.pre = { { E6(H, NUD_REACHABLE, H), .age_ms = 100 } },
		.in = { NA_TO(ALLN, H2, H, ALLN, H, 0), .opt = { TLL(H2) } },
		.verdict = V_PASS,
		.post = { { E6(H, NUD_STALE, H) } },
		.ctr6 = { NA1, HIT, CHG },
		.ev = { EV_ST(H, NUD_REACHABLE, NUD_STALE, H) },
	},
	{
		.rule = "ND-NA10 NUD-8.8 NUD-8.13", .name = "REACHABLE router + O=0 R=0, different TLLAO -> STALE, router flag kept (override cancelled)",
		.pre = { { E6(H, NUD_REACHABLE, H), .flags = XN_NTF_ROUTER, .age_ms = 100 } },
		.in = NA_H(F_S, H2),
		.verdict = V_PASS,
		.post = { { E6(H, NUD_STALE, H), .flags = XN_NTF_ROUTER, .confirmed = T_NOW } },
		.ctr6 = { NA1, HIT, CHG },
		.ev = { EV_ST(H, NUD_REACHABLE, NUD_STALE, H) },
	},
	{
		.rule = "ND-NA10 NUD-8.7 NUD-8.8", .name = "STALE + O=0 S=1, different TLLAO -> ignored (only confirmed moves)",
		.pre = { { E6(H, NUD_STALE, H) } },
		.in = NA_H(F_S, H2),
		.verdict = V_PASS,
		.post = { { E6(H, NUD_STALE, H), .confirmed = T_NOW } },
		.ctr6 = { NA1, HIT },
	},
	{
		.rule = "ND-NA10 NUD-8.8", .name = "STALE + O=0 S=0, different TLLAO -> ignored completely",
		.pre = { { E6(H, NUD_STALE, H) } },
		.in = { NA_TO(ALLN, H2, H, ALLN, H, 0), .opt = { TLL(H2) } },
		.verdict = V_PASS,
		.ctr6 = { NA1, HIT },
	},
	{
		.rule = "ND-NA10 NUD-8.8 NUD-8.13", .name = "STALE router + O=0 R=0, different TLLAO -> ignored, router flag kept",
		.pre = { { E6(H, NUD_STALE, H), .flags = XN_NTF_ROUTER } },
		.in = { NA_TO(ALLN, H2, H, ALLN, H, 0), .opt = { TLL(H2) } },
		.verdict = V_PASS,
		.ctr6 = { NA1, HIT },
	},
	{
		.rule = "ND-NA10 NUD-8.8", .name = "DELAY + O=0 S=0, different TLLAO -> ignored",
		.pre = { { E6(H, NUD_DELAY, H), .age_ms = 2000 } },
		.in = { NA_TO(ALLN, H2, H, ALLN, H, 0), .opt = { TLL(H2) } },
		.verdict = V_PASS,
		.ctr6 = { NA1, HIT },
	},
	{
		.rule = "ND-NA10 NUD-8.7 NUD-8.8", .name = "PROBE + O=0 S=1, different TLLAO -> ignored (only confirmed moves)",
		.pre = { { E6(H, NUD_PROBE, H), .age_ms = 2000 } },
		.in = NA_H(F_S, H2),
		.verdict = V_PASS,
		.post = { { E6(H, NUD_PROBE, H), .confirmed = T_NOW } },
		.ctr6 = { NA1, HIT },
	},
	{
		.rule = "ND-NA10 NUD-8.11", .name = "STALE + O=1 S=1, different TLLAO -> REACHABLE with the new MAC",
		.pre = { { E6(H, NUD_STALE, H) } },
		.in = NA_H(F_S | F_O, H2),
		.verdict = V_PASS,
		.post = { { E6(H, NUD_REACHABLE, H2) } },
		.ctr6 = { NA1, HIT, CHGLL },
		.ev = { EV_LL(H, NUD_STALE, NUD_REACHABLE, H, H2) },
	},
	{
		.rule = "ND-NA10 NUD-8.11", .name = "STALE + O=1 S=0, different TLLAO -> STALE with the new MAC",
		.pre = { { E6(H, NUD_STALE, H) } },
		.in = { NA_TO(ALLN, H2, H, ALLN, H, F_O), .opt = { TLL(H2) } },
		.verdict = V_PASS,
		.post = { { E6(H, NUD_STALE, H2) } },
		.ctr6 = { NA1, HIT, CHGLL },
		.ev = { EV_LL(H, NUD_STALE, NUD_STALE, H, H2) },
	},
	{
		.rule = "ND-NA10 NUD-8.11", .name = "REACHABLE + O=1 S=0, different TLLAO -> STALE with the new MAC",
		.pre = { { E6(H, NUD_REACHABLE, H), .age_ms = 100 } },
		.in = { NA_TO(ALLN, H2, H, ALLN, H, F_O), .opt = { TLL(H2) } },
		.verdict = V_PASS,
		.post = { { E6(H, NUD_STALE, H2) } },
		.ctr6 = { NA1, HIT, CHGLL },
		.ev = { EV_LL(H, NUD_REACHABLE, NUD_STALE, H, H2) },
	},
	{
		.rule = "ND-NA10", .name = "STALE + S=1 O=0, same TLLAO -> REACHABLE",
		.pre = { { E6(H, NUD_STALE, H) } },
		.in = NA_H(F_S, H),
		.verdict = V_PASS,
		.post = { { E6(H, NUD_REACHABLE, H) } },
		.ctr6 = { NA1, HIT, CHG },
		.ev = { EV_ST(H, NUD_STALE, NUD_REACHABLE, H) },
	},
	{
		.rule = "ND-NA10", .name = "STALE + S=1, no TLLAO -> REACHABLE",
		.pre = { { E6(H, NUD_STALE, H) } },
		.in = { NA_TO(RX, H, H, RX, H, F_S) },
		.verdict = V_PASS,
		.post = { { E6(H, NUD_REACHABLE, H) } },
		.ctr6 = { NA1, HIT, CHG },
		.ev = { EV_ST(H, NUD_STALE, NUD_REACHABLE, H) },
	},
	{
		.rule = "ND-NA10", .name = "DELAY + S=1, same TLLAO -> REACHABLE",
		.pre = { { E6(H, NUD_DELAY, H), .age_ms = 2000 } },
		.in = NA_H(F_S | F_O, H),
		.verdict = V_PASS,
		.post = { { E6(H, NUD_REACHABLE, H) } },
		.ctr6 = { NA1, HIT, CHG },
		.ev = { EV_ST(H, NUD_DELAY, NUD_REACHABLE, H) },
	},
	{
		.rule = "ND-NA10 NUD-8.8", .name = "REACHABLE + S=0 O=1, same TLLAO -> REACHABLE kept",
		.pre = { { E6(H, NUD_REACHABLE, H), .age_ms = 100 } },
		.in = { NA_TO(ALLN, H, H, ALLN, H, F_O), .opt = { TLL(H) } },
		.verdict = V_PASS,
		.ctr6 = { NA1, HIT },
	},
	{
		.rule = "ND-NA10 NUD-8.2", .name = "PERMANENT + S=1 O=1, different TLLAO -> unchanged",
		.pre = { { E6(H, NUD_PERMANENT, H) } },
		.in = NA_H(F_S | F_O, H2),
		.verdict = V_PASS,
		.ctr6 = { NA1, HIT, C(static_untouched, 1) },
	},
	{
		.rule = "ND-NA10 NUD-8.13", .name = "STALE host + S=1 R=1 -> REACHABLE router",
		.pre = { { E6(H, NUD_STALE, H) } },
		.in = NA_H(F_R | F_S | F_O, H),
		.verdict = V_PASS,
		.post = { { E6(H, NUD_REACHABLE, H), .flags = XN_NTF_ROUTER } },
		.ctr6 = { NA1, HIT, CHG },
		.ev = { EV_ST(H, NUD_STALE, NUD_REACHABLE, H) },
	},
	{
		/* ND-NA11: router -> host; the kernel notifies the flag change
		 * (RTM_NEWNEIGH, seen with `ip monitor neigh` on 6.18) */
		.rule = "ND-NA10 NUD-8.13 ND-NA11", .name = "REACHABLE router + S=1 R=0, same TLLAO -> router flag cleared, change reported",
		.pre = { { E6(H, NUD_REACHABLE, H), .flags = XN_NTF_ROUTER, .age_ms = 100 } },
		.in = NA_H(F_S | F_O, H),
		.verdict = V_PASS,
		.post = { { E6(H, NUD_REACHABLE, H), .confirmed = T_NOW } },
		.ctr6 = { NA1, HIT, CHG },
		.ev = { EV_ST(H, NUD_REACHABLE, NUD_REACHABLE, H) },
	},
	{
		.rule = "ND-NA10", .name = "unsolicited multicast NA with a new MAC, O=1 -> STALE with it",
		.pre = { { E6(H, NUD_STALE, H) } },
		.in = { NA_TO(ALLN, H2, H, ALLN, H, F_O), .opt = { TLL(H2) } },
		.verdict = V_PASS,
		.post = { { E6(H, NUD_STALE, H2) } },
		.ctr6 = { NA1, HIT, CHGLL },
		.ev = { EV_LL(H, NUD_STALE, NUD_STALE, H, H2) },
	},

	/* ---- OTHERHOST, no IPv6, unconfigured interface ----------------------------------- */
	{
		.rule = "IPv6 input", .name = "NS unicast to another MAC (OTHERHOST) -> pass, nothing learned",
		.in = { NS_UC(X, H, H, RX, RX), .opt = { SLL(H) } },
		.verdict = V_PASS,
		.ctr6 = { C(otherhost, 1) },
	},
	{
		.rule = "IPv6 input", .name = "NA unicast to another MAC (OTHERHOST) -> pass, entry untouched",
		.pre = { { E6(H, NUD_INCOMPLETE, Z) } },
		.in = { NA_TO(X, H, H, RX, H, F_S | F_O), .opt = { TLL(H) } },
		.verdict = V_PASS,
		.ctr6 = { C(otherhost, 1) },
	},
	{
		.rule = "ND", .name = "interface without IPv6 state -> pass, nothing learned or answered",
		.rx = "ipv6=0",
		.pre = { { E6(H, NUD_INCOMPLETE, Z) } },
		.in = NS_H,
		.verdict = V_PASS,
	},
	{
		/* The contract: without xn_ifconf xneigh "learns and counts with
		 * kernel defaults but never answers". The kernel learns the
		 * source of this NS (ND-NS10) and answers it. */
		.rule = "contract ND-NS10", .name = "xr0 without xn_ifconf: NS for xr0's address not answered, source learned as the kernel does",
		.rx_none = true,
		.in = NS_H,
		.verdict = V_PASS,
		.post = { { E6(H, NUD_STALE, H) } },
		.ctr6 = { C(no_ifconf, 1), NS1, PM, MISS, NEW },
		.ev = { EV_NEW(H, NUD_STALE, H) },
	},
	{
		.rule = "ND-NS10 ND-NA1", .name = "snapshot slots all taken: NS for xr0's address -> settings from xn_ifconf, NA, source learned",
		.snap = FX_SNAP_SLOTS_TAKEN,
		.in = NS_H,
		.verdict = V_TX, .out = ANS_H,
		.post = { { E6(H, NUD_STALE, H) } },
		.ctr6 = { NS1, PM, MISS, NEW, SENT },
		.ev = { EV_NEW(H, NUD_STALE, H) },
	},
	{
		/* not kernel behaviour: the data plane trusts the snapshot */
		.rule = "contract", .name = "stale snapshot: xr0 taken away from xn_ifconf after the snapshot -> still answered",
		.snap = FX_SNAP_STALE,
		.rx_none = true,
		.in = NS_H,
		.verdict = V_TX, .out = ANS_H,
		.post = { { E6(H, NUD_STALE, H) } },
		.ctr6 = { NS1, PM, MISS, NEW, SENT },
		.ev = { EV_NEW(H, NUD_STALE, H) },
	},
	{
		.rule = "contract ND-NS5", .name = "xr0 without xn_ifconf: NS for an address that is not ours -> nothing",
		.rx_none = true,
		.in = { NS_MC(H, H, NOTOURS, SN1), .opt = { SLL(H) } },
		.verdict = V_PASS,
		.ctr6 = { C(no_ifconf, 1), NS1, C(not_for_us, 1) },
	},
	{
		.rule = "contract ND-NA10", .name = "xr0 without xn_ifconf: solicited NA with a new MAC, O=1 -> REACHABLE with it",
		.rx_none = true,
		.pre = { { E6(H, NUD_STALE, H) } },
		.in = NA_H(F_S | F_O, H2),
		.verdict = V_PASS,
		.post = { { E6(H, NUD_REACHABLE, H2) } },
		.ctr6 = { C(no_ifconf, 1), NA1, HIT, CHGLL },
		.ev = { EV_LL(H, NUD_STALE, NUD_REACHABLE, H, H2) },
	},
	{
		.rule = "contract ND-NA7", .name = "xr0 without xn_ifconf: untracked NA -> nothing (defaults: no forwarding)",
		.rx_none = true,
		.in = { NA_TO(ALLN, J, J, ALLN, J, F_O), .opt = { TLL(J) } },
		.verdict = V_PASS,
		.ctr6 = { C(no_ifconf, 1), NA1, MISS, C(untracked_ignored, 1) },
	},

	/* ---- transmit side: the kernel's own NS (NUD-15) ----------------------------------- */
	{
		.rule = "NUD-15", .name = "our own NS for an unknown target leaves -> INCOMPLETE entry (the kernel resolves it)",
		.prog = FX_TC_OUT,
		.in = { NS_UC(H, RX, RX, H, H), .opt = { SLL(RX) } },
		.post = { { E6(H, NUD_INCOMPLETE, Z), .xflags_set = true,
			    .xflags = XN_NF_CREATED_BY_DP | XN_NF_KERNEL_SOLICIT,
			    .confirmed = T_ANY } },
		.ctr6 = { C(allocs, 1), C(learned, 1), C(tx_kernel_solicits, 1) },
		.ev = { EV_NEW(H, NUD_INCOMPLETE, Z) },
	},
	{
		.rule = "NUD-15", .name = "our own NS for a known target -> entry untouched",
		.prog = FX_TC_OUT,
		.pre = { { E6(H, NUD_STALE, H) } },
		.in = { NS_UC(H, RX, RX, H, H), .opt = { SLL(RX) } },
	},
	{
		.rule = "NUD-15", .name = "our own DAD probe (from ::) -> nothing",
		.prog = FX_TC_OUT,
		.in = { NS_DAD(RX, RX, SN1) },
	},
	{
		.rule = "NUD-15", .name = "an NS whose Ethernet source is not ours (bridged) -> nothing",
		.prog = FX_TC_OUT,
		.in = { NS_UC(H, X, J, H, H), .opt = { SLL(X) } },
	},

	/* ---- transmit side: xn_tc_out on IPv6 (NUD-1..NUD-3) ------------------------------ */
	{
		.rule = "NUD-3", .name = "IPv6 packet to a STALE neighbour -> DELAY, used and updated now",
		.prog = FX_TC_OUT,
		.pre = { { E6(H, NUD_STALE, H) } },
		.in = { IPV6(H, RX, RX, H) },
		.post = { { E6(H, NUD_DELAY, H), .used = T_NOW, .updated = T_NOW, .confirmed = T_KEEP } },
		.ctr6 = { C(tx_used, 1), C(tx_stale_to_delay, 1) },
		.ev = { EV_ST(H, NUD_STALE, NUD_DELAY, H) },
	},
	{
		.rule = "NUD-2", .name = "IPv6 packet to a REACHABLE neighbour -> untouched, used not refreshed",
		.prog = FX_TC_OUT,
		.pre = { { E6(H, NUD_REACHABLE, H) } },
		.in = { IPV6(H, RX, RX, H) },
	},
	{
		.rule = "NUD-1", .name = "IPv6 packet to a PROBE neighbour -> used now, state kept",
		.prog = FX_TC_OUT,
		.pre = { { E6(H, NUD_PROBE, H), .age_ms = 2000 } },
		.in = { IPV6(H, RX, RX, H) },
		.post = { { E6(H, NUD_PROBE, H), .used = T_NOW } },
		.ctr6 = { C(tx_used, 1) },
	},
	{
		.rule = "NUD-3", .name = "IPv6 packet to an unknown neighbour -> nothing created",
		.prog = FX_TC_OUT,
		.in = { IPV6(H, RX, RX, H) },
	},
	{
		.rule = "NUD-3", .name = "IPv6 packet to a multicast group -> nothing",
		.prog = FX_TC_OUT,
		.pre = { { E6(ALLN, NUD_NOARP, ALLN) } },
		.in = { IPV6(ALLN, RX, RX, ALLN) },
	},
	{
		.rule = "NUD-3", .name = "off-link IPv6 destination -> the gateway's STALE entry goes DELAY",
		.prog = FX_TC_OUT, .in_dev = DEV_OX,
		.pre = { { E6(GW, NUD_STALE, GW), .dev = DEV_OX } },
		.in = { IPV6(GW, OX, OX, FAR) },
		.post = { { E6(GW, NUD_DELAY, GW), .dev = DEV_OX, .used = T_NOW, .updated = T_NOW,
			    .confirmed = T_KEEP } },
		.ctr6 = { C(tx_used, 1), C(tx_stale_to_delay, 1) },
		.ev = { { XN_EV_STATE, 0, DEV_OX, NUD_STALE, NUD_DELAY, M(GW), M(GW), A6(GW) } },
	},
};

/* ---- the expected NAs against the kernel's own ------------------------------------- */

/* NAs that Linux 6.18 sent on the wire (tcpdump/scapy on the peer of a veth
 * whose host side had exactly this lab's MAC and addresses), in answer to
 * the NS named. The builder must produce them byte for byte from the fields
 * the fixtures use, and the independent checksum must accept them: this
 * ties both to the kernel rather than to the data plane. */
static const struct golden {
	const char *what;
	struct pkt spec;
	const char *hex;
} golden[] = {
	{ "multicast NS for 2001:db8:1::1 with SLLAO", { NA_OUT(H, RX, H, RX, F_S | F_O), WITH_TLL },
	  "020000000a0202000000000186dd6000000000203aff20010db800010000000000000000000120010db8"
	  "00010000000000000000000288008a706000000020010db80001000000000000000000010201020000000001" },
	{ "unicast NS for 2001:db8:1::1", { NA_OUT(H, RX, H, RX, F_S) },
	  "020000000a0202000000000186dd6000000000183aff20010db800010000000000000000000120010db8"
	  "0001000000000000000000028800ae7a4000000020010db8000100000000000000000001" },
	{ "unicast NS for fe80::ff:fe00:1 from fe80::ff:fe00:a02", { NA_OUT(H, RXLL, HLL, RXLL, F_S) },
	  "020000000a0202000000000186dd6000000000183afffe80000000000000000000fffe000001fe800000"
	  "00000000000000fffe000a028800352640000000fe80000000000000000000fffe000001" },
	{ "unicast NS with force_tllao=1", { NA_OUT(H, RX, H, RX, F_S), WITH_TLL },
	  "020000000a0202000000000186dd6000000000203aff20010db800010000000000000000000120010db8"
	  "0001000000000000000000028800aa704000000020010db80001000000000000000000010201020000000001" },
	{ "DAD NS for 2001:db8:1::1", { NA_OUT(ALLN, RX, ALLN, RX, F_O), WITH_TLL },
	  "33330000000102000000000186dd6000000000203aff20010db8000100000000000000000001ff020000"
	  "0000000000000000000000018800f9282000000020010db80001000000000000000000010201020000000001" },
	{ "multicast NS with ndisc_tclass=184", { NA_OUT(H, RX, H, RX, F_S | F_O), WITH_TLL, .tclass = 0xb8 },
	  "020000000a0202000000000186dd6b80000000203aff20010db800010000000000000000000120010db8"
	  "00010000000000000000000288008a706000000020010db80001000000000000000000010201020000000001" },
	{ "anycast 2001:db8:1:: asked by 2001:db8:1::2 (forwarding=1)",
	  { NA_OUT(H, RX, H, ANY, F_R | F_S), WITH_TLL },
	  "020000000a0202000000000186dd6000000000203aff20010db800010000000000000000000120010db8"
	  "00010000000000000000000288002a71c000000020010db80001000000000000000000000201020000000001" },
	{ "DAD NS for anycast 2001:db8:1:: (forwarding=1)", { NA_OUT(ALLN, RXLL, ALLN, ANY, F_R), WITH_TLL },
	  "33330000000102000000000186dd6000000000203afffe80000000000000000000fffe000001ff020000"
	  "0000000000000000000000018800c9628000000020010db80001000000000000000000000201020000000001" },
	{ "proxied 2001:db8:1::98 (router proxy entry)", { NA_OUT(H, RX, H, A6_98, F_R | F_S), WITH_TLL },
	  "020000000a0202000000000186dd6000000000203aff20010db800010000000000000000000120010db8"
	  "000100000000000000000002880029d9c000000020010db80001000000000000000000980201020000000001" },
	{ "optimistic 2001:db8:1::5", { NA_OUT(H, TENT, H, TENT, F_S), WITH_TLL },
	  "020000000a0202000000000186dd6000000000203aff20010db800010000000000000000000520010db8"
	  "0001000000000000000000028800aa684000000020010db80001000000000000000000050201020000000001" },
};

static int unhex(const char *h, uint8_t *b, size_t cap)
{
	size_t n = strlen(h) / 2;

	if (n > cap)
		return -1;
	for (size_t i = 0; i < n; i++) {
		unsigned int v;

		if (sscanf(h + 2 * i, "%2x", &v) != 1)
			return -1;
		b[i] = (uint8_t)v;
	}
	return (int)n;
}

static void test_golden(void **state)
{
	int fails = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(golden) / sizeof(golden[0]); i++) {
		uint8_t want[PKT_MAX], built[PKT_MAX];
		char why[160];
		int wl = unhex(golden[i].hex, want, sizeof(want));
		int bl = pkt_build(&golden[i].spec, built, sizeof(built));

		assert_true(wl > 0 && bl > 0);
		if (pkt_icmp6_csum_check(want, (size_t)wl, why, sizeof(why)) != 1) {
			fprintf(stderr, "    %s: the kernel's NA fails our checksum check: %s\n",
				golden[i].what, why);
			fails++;
		}
		if (!pkt_equal(golden[i].what, want, (size_t)wl, built, (size_t)bl))
			fails++;
		/* the check must also see a single flipped bit anywhere in the message */
		for (int off = 54; off < wl; off++) {
			want[off] ^= 0x10;
			if (pkt_icmp6_csum_check(want, (size_t)wl, why, sizeof(why)) != -1) {
				fprintf(stderr, "    %s: a flipped bit at byte %d went unnoticed\n",
					golden[i].what, off);
				fails++;
			}
			want[off] ^= 0x10;
		}
	}
	if (fails)
		fail_msg("%d mismatch(es) against the kernel's NAs", fails);
}

int main(void)
{
	const struct CMUnitTest self[] = {
		cmocka_unit_test(test_golden),
	};
	int rc;

	rc = cmocka_run_group_tests_name("expected NAs against the kernel's (builder, checksum)",
					 self, NULL, NULL);
	rc += fx_run_table("neighbour discovery (xn_xdp, xn_tc_in, xn_tc_out)", nd_fixtures,
			   (int)(sizeof(nd_fixtures) / sizeof(nd_fixtures[0])));
	return rc;
}
