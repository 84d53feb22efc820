// SPDX-License-Identifier: GPL-2.0
/* Spoofing: frames claiming our addresses (conflicts), overrides within
 * locktime, PERMANENT entries under every kind of frame, and xneighd
 * --strict (bpf/lib/strict.h), through xn_xdp and xn_tc_in with one
 * bpf_prog_test_run_opts() per case.
 *
 *   host H   02:00:00:00:0a:02  10.0.0.2  2001:db8:1::2  fe80::ff:fe00:a02
 *   H2       02:00:00:00:0b:02  (a second MAC claiming H's addresses)
 *   host J   02:00:00:00:0a:03  10.0.0.3  2001:db8:1::3
 *   R        02:00:00:00:0a:09  10.9.0.5, 2001:db8:99::7: off xr0's subnets
 *   X        02:00:00:00:00:99  the spoofer
 *      |
 *      |  ARP (requests, replies, gratuitous), NS, NA; the Ethernet source
 *      |  and the sender MAC / link-layer option agree or not
 *      v
 *   +--------------------- netns under test (unshare) ---------------------+
 *   | xr0  02:00:00:00:00:01  10.0.0.1/24 10.0.2.1/24  2001:db8:1::1/64    |
 *   |      fe80::ff:fe00:1/64                     <- xn_xdp / xn_tc_in    |
 *   |      "strict=1": XN_IFF_STRICT in its xn_ifconf (xneighd --strict)   |
 *   | xo0  02:00:00:00:01:01  10.1.0.1/24 127.25.3.4/24  2001:db8:10::1/64 |
 *   +---------------------------------------------------------------------+
 *      |
 *      v  verdict: XDP_TX / TC_ACT_REDIRECT with the reply, XDP_PASS /
 *         TC_ACT_OK untouched, or XDP_DROP / TC_ACT_SHOT (--strict)
 *
 * Counters (every one not listed must be 0): as in test_arp.c and
 * test_nd.c; a frame --strict drops counts one of strict_mac_mismatch,
 * strict_off_subnet, strict_garp_create (the first check it fails) and,
 * for ARP, what was counted before the check (rx_arp, rx_requests /
 * rx_replies, gratuitous_seen, conflicts); an NS or NA is dropped before
 * rx_ns / rx_na.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "fixture.h"
#include "frames.h"

#define RQ	C(rx_arp, 1), C(rx_requests, 1)
#define RP	C(rx_arp, 1), C(rx_replies, 1)
#define NS1	C(rx_ns, 1)
#define NA1	C(rx_na, 1)
#define PM	C(rcv_probes_mcast, 1)
#define PU	C(rcv_probes_ucast, 1)
#define MISS	C(lookups, 1)
#define HIT	C(lookups, 1), C(hits, 1)
#define NEW	C(allocs, 1), C(learned, 1)
#define CHGLL	C(updated, 1), C(lladdr_changes, 1)
#define GSEEN	C(gratuitous_seen, 1)
#define STATIC	C(static_untouched, 1)
#define MACX	C(strict_mac_mismatch, 1)
#define SUBNET	C(strict_off_subnet, 1)
#define GARP	C(strict_garp_create, 1)

#define E(ip_, st, mac_)	.ip = (ip_), .state = (st), .mac = M(mac_)
#define E6(a, st, mac_)		.ip6 = A6(a), .state = (st), .mac = M(mac_)

#define EV_NEW(ip, st, mac)	{ XN_EV_CREATED, (ip), DEV_RX, NUD_NONE, (st), M(Z), M(mac) }
#define EV_LL(ip, o, n, om, nm)		{ XN_EV_LLADDR, (ip), DEV_RX, (o), (n), M(om), M(nm) }
#define EV_CONFLICT(ip, mac)		{ XN_EV_CONFLICT, (ip), DEV_RX, 0, 0, M(Z), M(mac) }
#define EV6(type, a, o, n, om, nm)	{ (type), 0, DEV_RX, (o), (n), M(om), M(nm), A6(a) }
#define EV6_NEW(a, st, mac)		EV6(XN_EV_CREATED, a, NUD_NONE, st, Z, mac)
#define EV6_LL(a, o, n, om, nm)		EV6(XN_EV_LLADDR, a, o, n, om, nm)
#define EV6_CONFLICT(a, mac)		EV6(XN_EV_CONFLICT, a, 0, 0, Z, mac)

/* The NA xr0 sends (ND-NS11), with or without TLLAO. */
#define NA_OUT(edst, src, dst, tgt, flags)	NA_TO(edst, RX, src, dst, tgt, flags)
#define WITH_TLL				.opt = { TLL(RX) }

#define STRICT		"strict=1"

/* A link-local address outside fe80::/64, the prefix of xr0's own
 * link-local address: on-link only because it is link-local (fe80::/10). */
#define ADDR6_a_LL2	{ 0xfe, 0x80, 0, 0, 0, 0, 0, 1, [15] = 0x02 }	/* fe80:0:0:1::2 */

/* The entries every PERMANENT case starts from. */
#define PERM4		{ E(IP_H, NUD_PERMANENT, H) }
#define PERM6		{ E6(H, NUD_PERMANENT, H) }

static const struct fixture strict_fixtures[] = {
	/* ---- 1. frames claiming one of our addresses (strict off) ------------------------- */
	{
		.rule = "ARP-U3 ARP-U4 conflict", .name = "gratuitous reply claiming xr0's address, arp_accept=1 -> CONFLICT, nothing learned",
		.rx = "arp_accept=1",
		.in = { GARP_REP(X, IP_RX) },
		.verdict = V_PASS,
		.ctr = { RP, MISS, GSEEN, C(conflicts, 1) },
		.ev = { EV_CONFLICT(IP_RX, X) },
	},
	{
		.rule = "ARP-U4 conflict", .name = "reply claiming xo0's address, arp_accept=1 -> CONFLICT, nothing learned",
		.rx = "arp_accept=1",
		.in = { REPLY(RX, X, IP_OX, RX, IP_RX) },
		.verdict = V_PASS,
		.ctr = { RP, MISS, C(conflicts, 1) },
		.ev = { EV_CONFLICT(IP_OX, X) },
	},
	{
		.rule = "ARP-R1 conflict", .name = "xo0's own gratuitous ARP seen on xr0 (its MAC is xo0's) -> no conflict",
		.in = { GARP_REQ(OX, IP_OX) },
		.verdict = V_PASS,
		.ctr = { RQ, MISS, GSEEN, C(route_rejected, 1) },
	},
	{
		.rule = "ND-NS10 conflict", .name = "NS from xr0's own address with SLLAO X -> CONFLICT, not learned, not answered",
		.in = { NS_MC(X, RX, RXLL, SN1), .opt = { SLL(X) } },
		.verdict = V_PASS,
		.ctr6 = { NS1, PM, MISS, C(conflicts, 1) },
		.ev = { EV6_CONFLICT(RX, X) },
	},
	{
		.rule = "ND-NS10 conflict", .name = "unicast NS from xr0's link-local address without SLLAO -> CONFLICT naming the Ethernet source",
		.in = { NS_UC(RX, X, RXLL, RX, RX) },
		.verdict = V_PASS,
		.ctr6 = { NS1, PU, MISS, C(conflicts, 1) },
		.ev = { EV6_CONFLICT(RXLL, X) },
	},
	{
		.rule = "ND-NA5 conflict", .name = "unsolicited NA O=1 for xr0's address -> CONFLICT, nothing learned",
		.in = { NA_TO(ALLN, X, HLL, ALLN, RX, F_O), .opt = { TLL(X) } },
		.verdict = V_PASS,
		.ctr6 = { NA1, C(conflicts, 1) },
		.ev = { EV6_CONFLICT(RX, X) },
	},

	/* ---- 2. locktime (ARP-U5) ---------------------------------------------------------- */
	{
		.rule = "ARP-U5", .name = "reply from X claiming H within locktime -> refused, H kept",
		.pre = { { E(IP_H, NUD_REACHABLE, H), .age_ms = 200 } },
		.in = { REPLY(BC, X, IP_H, Z, IP_RX) },
		.verdict = V_PASS,
		.ctr = { RP, HIT, C(locktime_refused, 1) },
	},
	{
		.rule = "ARP-U5", .name = "request from X claiming H within locktime -> refused, H kept",
		.pre = { { E(IP_H, NUD_STALE, H), .age_ms = 200 } },
		.in = { REQ(X, IP_H, IP_NOTOURS) },
		.verdict = V_PASS,
		.ctr = { RQ, HIT, C(not_for_us, 1), C(locktime_refused, 1) },
	},
	{
		.rule = "ARP-U5", .name = "reply from X claiming H after locktime -> X replaces H (what arpwatch reports)",
		.pre = { { E(IP_H, NUD_REACHABLE, H), .age_ms = 1500 } },
		.in = { REPLY(BC, X, IP_H, Z, IP_RX) },
		.verdict = V_PASS,
		.post = { { E(IP_H, NUD_STALE, X) } },
		.ctr = { RP, HIT, CHGLL },
		.ev = { EV_LL(IP_H, NUD_REACHABLE, NUD_STALE, H, X) },
	},
	{
		.rule = "ARP-U3 ARP-U5", .name = "gratuitous ARP from X claiming H within locktime -> overrides (the kernel's rule)",
		.pre = { { E(IP_H, NUD_REACHABLE, H), .age_ms = 200 } },
		.in = { GARP_REQ(X, IP_H) },
		.verdict = V_PASS,
		.post = { { E(IP_H, NUD_STALE, X) } },
		.ctr = { RQ, HIT, CHGLL, C(not_for_us, 1), GSEEN },
		.ev = { EV_LL(IP_H, NUD_REACHABLE, NUD_STALE, H, X) },
	},

	/* ---- 3. PERMANENT entries: no frame changes them (NUD-8.2) ------------------------ */
	{
		.rule = "ARP-R5 NUD-8.2", .name = "PERMANENT: request for xr0 from H2 -> answered, entry untouched",
		.pre = { PERM4 },
		.in = { REQ(H2, IP_H, IP_RX) },
		.verdict = V_TX, .out = { ANSWER(RX, H2, IP_RX, IP_H) },
		.ctr = { RQ, HIT, C(replies_sent, 1), STATIC },
	},
	{
		.rule = "ARP-U5 NUD-8.2", .name = "PERMANENT: request for another host from H2 -> untouched",
		.pre = { PERM4 },
		.in = { REQ(H2, IP_H, IP_NOTOURS) },
		.verdict = V_PASS,
		.ctr = { RQ, HIT, C(not_for_us, 1), STATIC },
	},
	{
		.rule = "ARP-U5 NUD-8.2", .name = "PERMANENT: broadcast reply from H2 -> untouched",
		.pre = { PERM4 },
		.in = { REPLY(BC, H2, IP_H, Z, IP_RX) },
		.verdict = V_PASS,
		.ctr = { RP, HIT, STATIC },
	},
	{
		.rule = "ARP-U5 NUD-8.2", .name = "PERMANENT: reply unicast to xr0 from H2 -> untouched (not even confirmed)",
		.pre = { PERM4 },
		.in = { REPLY(RX, H2, IP_H, RX, IP_RX) },
		.verdict = V_PASS,
		.ctr = { RP, HIT, STATIC },
	},
	{
		.rule = "ARP-U3 NUD-8.2", .name = "PERMANENT: gratuitous request from H2 -> untouched",
		.pre = { PERM4 },
		.in = { GARP_REQ(H2, IP_H) },
		.verdict = V_PASS,
		.ctr = { RQ, HIT, C(not_for_us, 1), GSEEN, STATIC },
	},
	{
		.rule = "ARP-U3 NUD-8.2", .name = "PERMANENT: gratuitous reply from H2, arp_accept=1 -> untouched",
		.rx = "arp_accept=1",
		.pre = { PERM4 },
		.in = { GARP_REP(H2, IP_H) },
		.verdict = V_PASS,
		.ctr = { RP, HIT, GSEEN, STATIC },
	},
	{
		.rule = "ND-NS10 NUD-8.2", .name = "PERMANENT: multicast NS from H with SLLAO H2 -> answered to H's cached MAC, untouched",
		.pre = { PERM6 },
		.in = { NS_MC(H2, H, RX, SN1), .opt = { SLL(H2) } },
		.verdict = V_TX, .out = { NA_OUT(H, RX, H, RX, F_S | F_O), WITH_TLL },
		.ctr6 = { NS1, PM, HIT, C(na_sent, 1), STATIC },
	},
	{
		.rule = "ND-NS10 NUD-8.2", .name = "PERMANENT: unicast NS from H with SLLAO H2 -> answered, untouched",
		.pre = { PERM6 },
		.in = { NS_UC(RX, H2, H, RX, RX), .opt = { SLL(H2) } },
		.verdict = V_TX, .out = { NA_OUT(H, RX, H, RX, F_S) },
		.ctr6 = { NS1, PU, HIT, C(na_sent, 1), STATIC },
	},
	{
		.rule = "ND-NA10 NUD-8.2", .name = "PERMANENT: solicited NA O=1 with TLLAO H2 -> untouched",
		.pre = { PERM6 },
		.in = { NA_TO(RX, H2, H, RX, H, F_S | F_O), .opt = { TLL(H2) } },
		.verdict = V_PASS,
		.ctr6 = { NA1, HIT, STATIC },
	},
	{
		.rule = "ND-NA10 NUD-8.2", .name = "PERMANENT: unsolicited NA O=1 R=1 with TLLAO H2 -> untouched, router flag too",
		.pre = { PERM6 },
		.in = { NA_TO(ALLN, H2, H, ALLN, H, F_O | F_R), .opt = { TLL(H2) } },
		.verdict = V_PASS,
		.ctr6 = { NA1, HIT, STATIC },
	},
	{
		.rule = "NUD-8.2 strict", .name = "PERMANENT, --strict: gratuitous ARP from H2 passes the checks (entry exists) -> untouched",
		.rx = STRICT,
		.pre = { PERM4 },
		.in = { GARP_REQ(H2, IP_H) },
		.verdict = V_PASS,
		.ctr = { RQ, HIT, C(not_for_us, 1), GSEEN, STATIC },
	},
	{
		.rule = "NUD-8.2 strict", .name = "PERMANENT, --strict: unsolicited NA O=1 from H2 (entry exists) -> untouched",
		.rx = STRICT,
		.pre = { PERM6 },
		.in = { NA_TO(ALLN, H2, H, ALLN, H, F_O), .opt = { TLL(H2) } },
		.verdict = V_PASS,
		.ctr6 = { NA1, HIT, STATIC },
	},

	/* ---- 4a. --strict, ARP ------------------------------------------------------------ */
	{
		.rule = "strict (a)", .name = "request for xr0, sender MAC H, Ethernet source H2 -> dropped, nothing learned",
		.rx = STRICT,
		.in = { ARP(1, BC, H2, H, IP_H, Z, IP_RX) },
		.verdict = V_DROP,
		.ctr = { RQ, MACX },
	},
	{
		.rule = "ARP-R5", .name = "... the same request without --strict -> answered to the sender MAC, H learned",
		.in = { ARP(1, BC, H2, H, IP_H, Z, IP_RX) },
		.verdict = V_TX, .out = { ANSWER(RX, H, IP_RX, IP_H) },
		.post = { { E(IP_H, NUD_STALE, H) } },
		.ctr = { RQ, MISS, NEW, C(replies_sent, 1) },
		.ev = { EV_NEW(IP_H, NUD_STALE, H) },
	},
	{
		.rule = "strict ARP-R5", .name = "request for xr0 from H, MACs agree, on xr0's subnet -> answered, learned",
		.rx = STRICT,
		.in = { REQ(H, IP_H, IP_RX) },
		.verdict = V_TX, .out = { ANSWER(RX, H, IP_RX, IP_H) },
		.post = { { E(IP_H, NUD_STALE, H) } },
		.ctr = { RQ, MISS, NEW, C(replies_sent, 1) },
		.ev = { EV_NEW(IP_H, NUD_STALE, H) },
	},
	{
		.rule = "strict (b)", .name = "request for xr0 from 10.9.0.5 (routed via xo0) -> dropped",
		.rx = STRICT,
		.in = { REQ(R, IP_FAR, IP_RX) },
		.verdict = V_DROP,
		.ctr = { RQ, SUBNET },
	},
	{
		.rule = "strict (b)", .name = "request for xr0 from 10.1.0.3 (xo0's subnet, not xr0's) -> dropped",
		.rx = STRICT,
		.in = { REQ(H, IP_OX_NET, IP_RX) },
		.verdict = V_DROP,
		.ctr = { RQ, SUBNET },
	},
	{
		.rule = "strict (b) ARP-R5", .name = "request for 10.0.2.1 from 10.0.2.9 (xr0's second prefix) -> answered",
		.rx = STRICT,
		.in = { REQ(H, IP_H_RX2, IP_RX2) },
		.verdict = V_TX, .out = { ANSWER(RX, H, IP_RX2, IP_H_RX2) },
		.post = { { E(IP_H_RX2, NUD_STALE, H) } },
		.ctr = { RQ, MISS, NEW, C(replies_sent, 1) },
		.ev = { EV_NEW(IP_H_RX2, NUD_STALE, H) },
	},
	{
		.rule = "strict (c)", .name = "gratuitous request from a new host, arp_accept=1 -> dropped, not created",
		.rx = STRICT " arp_accept=1",
		.in = { GARP_REQ(H, IP_H) },
		.verdict = V_DROP,
		.ctr = { RQ, GSEEN, GARP },
	},
	{
		.rule = "ARP-U4", .name = "... the same without --strict -> created (arp_accept=1)",
		.rx = "arp_accept=1",
		.in = { GARP_REQ(H, IP_H) },
		.verdict = V_PASS,
		.post = { { E(IP_H, NUD_STALE, H) } },
		.ctr = { RQ, C(lookups, 2), C(not_for_us, 1), GSEEN, NEW },
		.ev = { EV_NEW(IP_H, NUD_STALE, H) },
	},
	{
		.rule = "strict (c)", .name = "gratuitous reply from a new host, arp_accept=1 -> dropped",
		.rx = STRICT " arp_accept=1",
		.in = { GARP_REP(H, IP_H) },
		.verdict = V_DROP,
		.ctr = { RP, GSEEN, GARP },
	},
	{
		.rule = "strict (c) ARP-U3", .name = "gratuitous request from H2 for a known H -> updates it (new MAC)",
		.rx = STRICT,
		.pre = { { E(IP_H, NUD_STALE, H) } },
		.in = { GARP_REQ(H2, IP_H) },
		.verdict = V_PASS,
		.post = { { E(IP_H, NUD_STALE, H2) } },
		.ctr = { RQ, HIT, C(not_for_us, 1), GSEEN, CHGLL },
		.ev = { EV_LL(IP_H, NUD_STALE, NUD_STALE, H, H2) },
	},
	{
		.rule = "strict (a) (c)", .name = "gratuitous request for a known H, sender MAC H2, Ethernet source X -> dropped as (a)",
		.rx = STRICT,
		.pre = { { E(IP_H, NUD_STALE, H) } },
		.in = { ARP(1, BC, X, H2, IP_H, Z, IP_H) },
		.verdict = V_DROP,
		.ctr = { RQ, GSEEN, MACX },
	},
	{
		.rule = "strict ARP-U5", .name = "reply to xr0 from H for an INCOMPLETE entry -> REACHABLE",
		.rx = STRICT,
		.pre = { { E(IP_H, NUD_INCOMPLETE, Z), .age_ms = 100 } },
		.in = { REPLY(RX, H, IP_H, RX, IP_RX) },
		.verdict = V_PASS,
		.post = { { E(IP_H, NUD_REACHABLE, H) } },
		.ctr = { RP, HIT, CHGLL },
		.ev = { EV_LL(IP_H, NUD_INCOMPLETE, NUD_REACHABLE, Z, H) },
	},
	{
		.rule = "strict ARP-D1", .name = "DAD probe for xr0's address -> answered (no sender address to check)",
		.rx = STRICT,
		.in = { REQ(H, 0, IP_RX) },
		.verdict = V_TX, .out = { ANSWER(RX, H, IP_RX, 0) },
		.ctr = { RQ, C(replies_sent, 1), C(dad_replies, 1) },
	},
	{
		.rule = "strict (a) ARP-D1", .name = "DAD probe, sender MAC H, Ethernet source X -> dropped",
		.rx = STRICT,
		.in = { ARP(1, BC, X, H, 0, Z, IP_RX) },
		.verdict = V_DROP,
		.ctr = { RQ, MACX },
	},
	{
		.rule = "strict conflict", .name = "request claiming xr0's address, MACs disagree -> CONFLICT, passed on (conflicts are not dropped)",
		.rx = STRICT,
		.in = { ARP(1, BC, H, X, IP_RX, Z, IP_RX2) },
		.verdict = V_PASS,
		.ctr = { RQ, MISS, C(route_rejected, 1), C(conflicts, 1) },
		.ev = { EV_CONFLICT(IP_RX, X) },
	},

	/* ---- 4b. --strict, ND -------------------------------------------------------------- */
	{
		.rule = "strict (a)", .name = "NS for xr0 from H, SLLAO H2, Ethernet source H -> dropped, nothing learned",
		.rx = STRICT,
		.in = { NS_MC(H, H, RX, SN1), .opt = { SLL(H2) } },
		.verdict = V_DROP,
		.ctr6 = { MACX },
	},
	{
		.rule = "ND-NS10", .name = "... the same NS without --strict -> answered to H2, H learned as H2",
		.in = { NS_MC(H, H, RX, SN1), .opt = { SLL(H2) } },
		.verdict = V_TX, .out = { NA_OUT(H2, RX, H, RX, F_S | F_O), WITH_TLL },
		.post = { { E6(H, NUD_STALE, H2) } },
		.ctr6 = { NS1, PM, MISS, NEW, C(na_sent, 1) },
		.ev = { EV6_NEW(H, NUD_STALE, H2) },
	},
	{
		.rule = "strict ND-NS10", .name = "NS for xr0 from H, SLLAO H -> answered, learned",
		.rx = STRICT,
		.in = { NS_MC(H, H, RX, SN1), .opt = { SLL(H) } },
		.verdict = V_TX, .out = { NA_OUT(H, RX, H, RX, F_S | F_O), WITH_TLL },
		.post = { { E6(H, NUD_STALE, H) } },
		.ctr6 = { NS1, PM, MISS, NEW, C(na_sent, 1) },
		.ev = { EV6_NEW(H, NUD_STALE, H) },
	},
	{
		.rule = "strict (b)", .name = "NS for xr0 from 2001:db8:99::7 (off every prefix of xr0) -> dropped",
		.rx = STRICT,
		.in = { NS_MC(R, FAR, RX, SN1), .opt = { SLL(R) } },
		.verdict = V_DROP,
		.ctr6 = { SUBNET },
	},
	{
		.rule = "strict (b) ND-NS10", .name = "NS for xr0 from H's link-local address -> answered",
		.rx = STRICT,
		.in = { NS_MC(H, HLL, RX, SN1), .opt = { SLL(H) } },
		.verdict = V_TX, .out = { NA_OUT(H, RX, HLL, RX, F_S | F_O), WITH_TLL },
		.post = { { E6(HLL, NUD_STALE, H) } },
		.ctr6 = { NS1, PM, MISS, NEW, C(na_sent, 1) },
		.ev = { EV6_NEW(HLL, NUD_STALE, H) },
	},
	{
		.rule = "strict (b) ND-NS10", .name = "NS for xr0 from fe80:0:0:1::2 (link-local, outside xr0's fe80::/64) -> answered",
		.rx = STRICT,
		.in = { NS_MC(H, LL2, RX, SN1), .opt = { SLL(H) } },
		.verdict = V_TX, .out = { NA_OUT(H, RX, LL2, RX, F_S | F_O), WITH_TLL },
		.post = { { E6(LL2, NUD_STALE, H) } },
		.ctr6 = { NS1, PM, MISS, NEW, C(na_sent, 1) },
		.ev = { EV6_NEW(LL2, NUD_STALE, H) },
	},
	{
		.rule = "strict ND-V6", .name = "NS whose first SLLAO has the wrong size -> not compared, refused by ND-V6",
		.rx = STRICT,
		.in = { NS_MC(H, H, RX, SN1), .opt = { SLL16(H2) } },
		.verdict = V_PASS,
		.ctr6 = { NS1, C(bad_lladdr_opt, 1) },
	},
	{
		.rule = "strict ND-NS8", .name = "DAD NS for xr0's address -> answered (nothing to check)",
		.rx = STRICT,
		.in = { NS_DAD(H, RX, SN1) },
		.verdict = V_TX, .out = { NA_OUT(ALLN, RX, ALLN, RX, F_O), WITH_TLL },
		.ctr6 = { NS1, C(dad_replies, 1), C(na_sent, 1) },
	},
	{
		.rule = "strict conflict", .name = "NS from xr0's own address with SLLAO X -> CONFLICT, passed on",
		.rx = STRICT,
		.in = { NS_MC(X, RX, RXLL, SN1), .opt = { SLL(X) } },
		.verdict = V_PASS,
		.ctr6 = { NS1, PM, MISS, C(conflicts, 1) },
		.ev = { EV6_CONFLICT(RX, X) },
	},
	{
		.rule = "strict (c)", .name = "unsolicited NA for unknown J -> dropped",
		.rx = STRICT,
		.in = { NA_TO(ALLN, J, J, ALLN, J, F_O), .opt = { TLL(J) } },
		.verdict = V_DROP,
		.ctr6 = { GARP },
	},
	{
		.rule = "ND-NA7", .name = "... the same NA without --strict -> passed on, not learned",
		.in = { NA_TO(ALLN, J, J, ALLN, J, F_O), .opt = { TLL(J) } },
		.verdict = V_PASS,
		.ctr6 = { NA1, MISS, C(untracked_ignored, 1) },
	},
	{
		.rule = "strict (c) ND-NA10", .name = "unsolicited NA O=1 from H2 for a known H -> updates it",
		.rx = STRICT,
		.pre = { { E6(H, NUD_STALE, H) } },
		.in = { NA_TO(ALLN, H2, H, ALLN, H, F_O), .opt = { TLL(H2) } },
		.verdict = V_PASS,
		.post = { { E6(H, NUD_STALE, H2) } },
		.ctr6 = { NA1, HIT, CHGLL },
		.ev = { EV6_LL(H, NUD_STALE, NUD_STALE, H, H2) },
	},
	{
		.rule = "strict ND-NA10", .name = "solicited NA from H for an INCOMPLETE entry -> REACHABLE",
		.rx = STRICT,
		.pre = { { E6(H, NUD_INCOMPLETE, Z), .age_ms = 100 } },
		.in = { NA_TO(RX, H, H, RX, H, F_S | F_O), .opt = { TLL(H) } },
		.verdict = V_PASS,
		.post = { { E6(H, NUD_REACHABLE, H) } },
		.ctr6 = { NA1, HIT, CHGLL },
		.ev = { EV6_LL(H, NUD_INCOMPLETE, NUD_REACHABLE, Z, H) },
	},
	{
		.rule = "strict (a)", .name = "solicited NA, TLLAO H2, Ethernet source H -> dropped, entry untouched",
		.rx = STRICT,
		.pre = { { E6(H, NUD_INCOMPLETE, Z), .age_ms = 100 } },
		.in = { NA_TO(RX, H, H, RX, H, F_S | F_O), .opt = { TLL(H2) } },
		.verdict = V_DROP,
		.ctr6 = { MACX },
	},
	{
		.rule = "strict (b)", .name = "solicited NA from H's link-local address for 2001:db8:99::7 (off-link target) -> dropped",
		.rx = STRICT,
		.in = { NA_TO(RX, H, HLL, RX, FAR, F_S | F_O), .opt = { TLL(H) } },
		.verdict = V_DROP,
		.ctr6 = { SUBNET },
	},
	{
		.rule = "strict conflict", .name = "unsolicited NA for xr0's address, TLLAO X, Ethernet source H -> CONFLICT, passed on",
		.rx = STRICT,
		.in = { NA_TO(ALLN, H, HLL, ALLN, RX, F_O), .opt = { TLL(X) } },
		.verdict = V_PASS,
		.ctr6 = { NA1, C(conflicts, 1) },
		.ev = { EV6_CONFLICT(RX, X) },
	},
};

int main(void)
{
	return fx_run_table("spoofing and --strict (xn_xdp, xn_tc_in)", strict_fixtures,
			    (int)(sizeof(strict_fixtures) / sizeof(strict_fixtures[0])));
}
