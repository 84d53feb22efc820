// SPDX-License-Identifier: GPL-2.0
/* ARP receive: every rule of kernel-semantics.md §2 (ARP-V*, ARP-D*, ARP-R*,
 * ARP-P*, ARP-U*), driven through xn_xdp and xn_tc_in with one
 * bpf_prog_test_run_opts() per case.
 *
 *   host H   02:00:00:00:0a:02  10.0.0.2  (new NIC: 02:00:00:00:0b:02)
 *   host J   02:00:00:00:0a:03  10.0.0.3
 *   host R   02:00:00:00:0a:09  10.9.0.5 / 10.8.0.5 / 10.5.5.5 (off-link)
 *      |
 *      |  request / reply / gratuitous ARP, broadcast or unicast,
 *      |  untagged, 802.1Q, 802.1ad+802.1Q
 *      v
 *   +--------------------- netns under test (unshare) ---------------------+
 *   | xr0  02:00:00:00:00:01  10.0.0.1/24  10.0.2.1/24     <- xn_xdp /     |
 *   |                                                         xn_tc_in    |
 *   | xo0  02:00:00:00:01:01  127.25.3.4/24 (host) 10.1.0.1/24            |
 *   |        10.9.0.0/24 via 10.1.0.254   unreachable 10.8.0.0/24         |
 *   | lo   127.0.0.1/8, forwarding=1 (xn_global.fib_ifindex)              |
 *   +---------------------------------------------------------------------+
 *      |
 *      v  verdict: XDP_TX / TC_ACT_REDIRECT with the reply below, or
 *         XDP_PASS / TC_ACT_OK with the frame untouched
 *
 *   reply (ARP-R5): eth 02:00:00:00:00:01 -> requester sha, op 2,
 *                   sha = 02:00:00:00:00:01, spa = tip, tha = requester sha,
 *                   tpa = sip (0.0.0.0 for DAD), VLAN tags as received.
 *
 * Counter conventions checked here (every counter not listed must be 0):
 *   rx_arp          every frame with EtherType ARP behind at most two tags
 *   rx_requests /   frames that pass the header checks (ARP-V2, V4), by op
 *   rx_replies
 *   lookups / hits  the kernel's neigh_lookup() calls: one for neigh_event_ns
 *                   (answered or proxied request), one for the learning step,
 *                   a second one when the learning step creates the entry
 *                   (__neigh_lookup(..., creat=1) in arp_process)
 *   allocs/learned  an entry created by a frame
 *   updated         an existing entry whose state or lladdr changed;
 *   lladdr_changes  ... whose lladdr changed
 *   gratuitous_seen sip == tip in a frame that passed ARP-V2..V5 (whether
 *                   or not ARP-V6 then drops it, and whatever arp_is_garp()
 *                   later says about the sender's address type)
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
#define MISS	C(lookups, 1)
#define MISS2	C(lookups, 2)
#define HIT	C(lookups, 1), C(hits, 1)
#define NEW	C(allocs, 1), C(learned, 1)
#define SENT	C(replies_sent, 1)
#define CHG	C(updated, 1)
#define CHGLL	C(updated, 1), C(lladdr_changes, 1)

#define E(ip_, st, mac_)	.ip = (ip_), .state = (st), .mac = M(mac_)
#define GONE(ip_)	{ .ip = (ip_), .absent = true }

#define EV_NEW(ip, st, mac)		{ XN_EV_CREATED, (ip), DEV_RX, NUD_NONE, (st), M(Z), M(mac) }
#define EV_ST(ip, o, n, mac)		{ XN_EV_STATE, (ip), DEV_RX, (o), (n), M(mac), M(mac) }
#define EV_LL(ip, o, n, om, nm)		{ XN_EV_LLADDR, (ip), DEV_RX, (o), (n), M(om), M(nm) }
#define EV_CONFLICT(ip, mac)		{ XN_EV_CONFLICT, (ip), DEV_RX, 0, 0, M(Z), M(mac) }
#define EV_FULL(ip, mac)		{ XN_EV_TABLE_FULL, (ip), DEV_RX, 0, 0, M(Z), M(mac) }

/* Proxy settings of xr0 used by most ARP-P cases: replies are immediate. */
#define PROXY_ON	"forwarding=1 proxy_arp=1 proxy_delay_ms=0"

static const struct fixture arp_fixtures[] = {
	/* ---- the reply decision and the sender's entry (ARP-R2, R5) ------------ */
	{
		.rule = "ARP-R2 ARP-R5 NUD-9", .name = "request for xr0's address from a new host -> reply, sender learned STALE",
		.in = { REQ(H, IP_H, IP_RX) },
		.verdict = V_TX, .out = { ANSWER(RX, H, IP_RX, IP_H) },
		.post = { { E(IP_H, NUD_STALE, H) } },
		.ctr = { RQ, MISS, NEW, SENT },
		.ev = { EV_NEW(IP_H, NUD_STALE, H) },
	},
	{
		.rule = "ARP-R5", .name = "padded 60-byte request -> reply trimmed to 42 bytes",
		.in = { REQ(H, IP_H, IP_RX), .pad_to = 60 },
		.verdict = V_TX, .out = { ANSWER(RX, H, IP_RX, IP_H) },
		.post = { { E(IP_H, NUD_STALE, H) } },
		.ctr = { RQ, MISS, NEW, SENT },
		.ev = { EV_NEW(IP_H, NUD_STALE, H) },
	},
	{
		.rule = "ARP-R5", .name = "unicast request (re-validation) to xr0's MAC -> reply",
		.in = { REQ_TO(RX, H, IP_H, IP_RX) },
		.verdict = V_TX, .out = { ANSWER(RX, H, IP_RX, IP_H) },
		.post = { { E(IP_H, NUD_STALE, H) } },
		.ctr = { RQ, MISS, NEW, SENT },
		.ev = { EV_NEW(IP_H, NUD_STALE, H) },
	},
	{
		.rule = "ARP-R5 NUD-8.8", .name = "request from a REACHABLE host, same MAC -> reply, entry untouched (STALE hint keeps state)",
		.pre = { { E(IP_H, NUD_REACHABLE, H) } },
		.in = { REQ(H, IP_H, IP_RX) },
		.verdict = V_TX, .out = { ANSWER(RX, H, IP_RX, IP_H) },
		.ctr = { RQ, HIT, SENT },
	},
	{
		.rule = "ARP-R5 NUD-9", .name = "request from a known host with a new MAC within locktime -> reply, override (STALE, new MAC)",
		.pre = { { E(IP_H, NUD_REACHABLE, H), .age_ms = 100 } },
		.in = { REQ(H2, IP_H, IP_RX) },
		.verdict = V_TX, .out = { ANSWER(RX, H2, IP_RX, IP_H) },
		.post = { { E(IP_H, NUD_STALE, H2) } },
		.ctr = { RQ, HIT, SENT, CHGLL },
		.ev = { EV_LL(IP_H, NUD_REACHABLE, NUD_STALE, H, H2) },
	},
	{
		.rule = "ARP-R5 NUD-8.5", .name = "request from a host with a FAILED entry -> reply, entry STALE with the MAC",
		.pre = { { E(IP_H, NUD_FAILED, Z), .age_ms = 100 } },
		.in = { REQ(H, IP_H, IP_RX) },
		.verdict = V_TX, .out = { ANSWER(RX, H, IP_RX, IP_H) },
		.post = { { E(IP_H, NUD_STALE, H) } },
		.ctr = { RQ, HIT, SENT, CHGLL },
		.ev = { EV_LL(IP_H, NUD_FAILED, NUD_STALE, Z, H) },
	},
	{
		.rule = "ARP-R2 ARP-R3", .name = "weak host: request for xo0's address arriving on xr0 -> reply with xr0's MAC",
		.in = { REQ(H, IP_H, IP_OX) },
		.verdict = V_TX, .out = { ANSWER(RX, H, IP_OX, IP_H) },
		.post = { { E(IP_H, NUD_STALE, H) } },
		.ctr = { RQ, MISS, NEW, SENT },
		.ev = { EV_NEW(IP_H, NUD_STALE, H) },
	},
	{
		.rule = "ARP-U4", .name = "request for an address that is not ours -> pass, nothing created",
		.in = { REQ(H, IP_H, IP_NOTOURS) },
		.verdict = V_PASS,
		.ctr = { RQ, MISS, C(not_for_us, 1) },
	},
	{
		.rule = "ARP-U5", .name = "request for another host after locktime, new MAC -> existing entry STALE with the new MAC",
		.pre = { { E(IP_H, NUD_REACHABLE, H) } },
		.in = { REQ(H2, IP_H, IP_NOTOURS) },
		.verdict = V_PASS,
		.post = { { E(IP_H, NUD_STALE, H2) } },
		.ctr = { RQ, HIT, C(not_for_us, 1), CHGLL },
		.ev = { EV_LL(IP_H, NUD_REACHABLE, NUD_STALE, H, H2) },
	},
	{
		.rule = "ARP-U5 NUD-8.8", .name = "request for another host, same MAC -> REACHABLE kept",
		.pre = { { E(IP_H, NUD_REACHABLE, H) } },
		.in = { REQ(H, IP_H, IP_NOTOURS) },
		.verdict = V_PASS,
		.ctr = { RQ, HIT, C(not_for_us, 1) },
	},
	{
		.rule = "ARP-U5", .name = "request for another host, new MAC within locktime -> refused",
		.pre = { { E(IP_H, NUD_STALE, H), .age_ms = 200 } },
		.in = { REQ(H2, IP_H, IP_NOTOURS) },
		.verdict = V_PASS,
		.ctr = { RQ, HIT, C(not_for_us, 1), C(locktime_refused, 1) },
	},

	/* ---- arp_ignore (ARP-R3): tip on the receiving / on another interface --- */
	{
		.rule = "ARP-R3", .name = "arp_ignore=0, tip on xr0 -> reply",
		.rx = "arp_ignore=0",
		.in = { REQ(H, IP_H, IP_RX) },
		.verdict = V_TX, .out = { ANSWER(RX, H, IP_RX, IP_H) },
		.post = { { E(IP_H, NUD_STALE, H) } },
		.ctr = { RQ, MISS, NEW, SENT },
		.ev = { EV_NEW(IP_H, NUD_STALE, H) },
	},
	{
		.rule = "ARP-R3", .name = "arp_ignore=1, tip on xr0 -> reply",
		.rx = "arp_ignore=1",
		.in = { REQ(H, IP_H, IP_RX) },
		.verdict = V_TX, .out = { ANSWER(RX, H, IP_RX, IP_H) },
		.post = { { E(IP_H, NUD_STALE, H) } },
		.ctr = { RQ, MISS, NEW, SENT },
		.ev = { EV_NEW(IP_H, NUD_STALE, H) },
	},
	{
		.rule = "ARP-R3 ARP-R6", .name = "arp_ignore=1, tip on xo0 -> no reply, nothing learned",
		.rx = "arp_ignore=1",
		.in = { REQ(H, IP_H, IP_OX) },
		.verdict = V_PASS,
		.ctr = { RQ, C(ignored_arp_ignore, 1) },
	},
	{
		.rule = "ARP-R3", .name = "arp_ignore=2, tip on xr0, sip in the same prefix -> reply",
		.rx = "arp_ignore=2",
		.in = { REQ(H, IP_H, IP_RX) },
		.verdict = V_TX, .out = { ANSWER(RX, H, IP_RX, IP_H) },
		.post = { { E(IP_H, NUD_STALE, H) } },
		.ctr = { RQ, MISS, NEW, SENT },
		.ev = { EV_NEW(IP_H, NUD_STALE, H) },
	},
	{
		.rule = "ARP-R3 ARP-R6", .name = "arp_ignore=2, tip on xr0, sip in xr0's other prefix -> no reply",
		.rx = "arp_ignore=2",
		.in = { REQ(H, IP_H_RX2, IP_RX) },
		.verdict = V_PASS,
		.ctr = { RQ, C(ignored_arp_ignore, 1) },
	},
	{
		.rule = "ARP-R3", .name = "arp_ignore=2, tip 10.0.2.1 on xr0 with sip 10.0.2.9 -> reply",
		.rx = "arp_ignore=2",
		.in = { REQ(H, IP_H_RX2, IP_RX2) },
		.verdict = V_TX, .out = { ANSWER(RX, H, IP_RX2, IP_H_RX2) },
		.post = { { E(IP_H_RX2, NUD_STALE, H) } },
		.ctr = { RQ, MISS, NEW, SENT },
		.ev = { EV_NEW(IP_H_RX2, NUD_STALE, H) },
	},
	{
		.rule = "ARP-R3 ARP-R6", .name = "arp_ignore=2, tip on xo0 -> no reply",
		.rx = "arp_ignore=2",
		.in = { REQ(H, IP_H, IP_OX) },
		.verdict = V_PASS,
		.ctr = { RQ, C(ignored_arp_ignore, 1) },
	},
	{
		.rule = "ARP-R3", .name = "arp_ignore=3, tip on xr0 (scope global) -> reply",
		.rx = "arp_ignore=3",
		.in = { REQ(H, IP_H, IP_RX) },
		.verdict = V_TX, .out = { ANSWER(RX, H, IP_RX, IP_H) },
		.post = { { E(IP_H, NUD_STALE, H) } },
		.ctr = { RQ, MISS, NEW, SENT },
		.ev = { EV_NEW(IP_H, NUD_STALE, H) },
	},
	{
		.rule = "ARP-R3", .name = "arp_ignore=3, tip on xo0 (scope global) -> reply",
		.rx = "arp_ignore=3",
		.in = { REQ(H, IP_H, IP_OX) },
		.verdict = V_TX, .out = { ANSWER(RX, H, IP_OX, IP_H) },
		.post = { { E(IP_H, NUD_STALE, H) } },
		.ctr = { RQ, MISS, NEW, SENT },
		.ev = { EV_NEW(IP_H, NUD_STALE, H) },
	},
	{
		.rule = "ARP-R3 ARP-R6", .name = "arp_ignore=3, tip 127.25.3.4 (scope host on xo0) -> no reply",
		.rx = "arp_ignore=3 route_localnet=1",
		.in = { REQ(H, IP_H, IP_OX_HOST) },
		.verdict = V_PASS,
		.ctr = { RQ, C(ignored_arp_ignore, 1) },
	},
	{
		.rule = "ARP-R3", .name = "arp_ignore=3, tip 127.25.3.4 on xo0 with xo0 route_localnet=1 (host counts as link) -> reply",
		.rx = "arp_ignore=3 route_localnet=1", .ox = "route_localnet=1",
		.in = { REQ(H, IP_H, IP_OX_HOST) },
		.verdict = V_TX, .out = { ANSWER(RX, H, IP_OX_HOST, IP_H) },
		.post = { { E(IP_H, NUD_STALE, H) } },
		.ctr = { RQ, MISS, NEW, SENT },
		.ev = { EV_NEW(IP_H, NUD_STALE, H) },
	},
	{
		.rule = "ARP-R3 ARP-R6", .name = "arp_ignore=3, tip 127.0.0.1 (lo, scope host) -> no reply",
		.rx = "arp_ignore=3 route_localnet=1",
		.in = { REQ(H, IP_H, IP_LO) },
		.verdict = V_PASS,
		.ctr = { RQ, C(ignored_arp_ignore, 1) },
	},
	{
		.rule = "ARP-R3", .name = "arp_ignore=4 behaves as 0: tip on xo0 -> reply",
		.rx = "arp_ignore=4",
		.in = { REQ(H, IP_H, IP_OX) },
		.verdict = V_TX, .out = { ANSWER(RX, H, IP_OX, IP_H) },
		.post = { { E(IP_H, NUD_STALE, H) } },
		.ctr = { RQ, MISS, NEW, SENT },
		.ev = { EV_NEW(IP_H, NUD_STALE, H) },
	},
	{
		.rule = "ARP-R3", .name = "arp_ignore=5 behaves as 0: tip on xo0 -> reply",
		.rx = "arp_ignore=5",
		.in = { REQ(H, IP_H, IP_OX) },
		.verdict = V_TX, .out = { ANSWER(RX, H, IP_OX, IP_H) },
		.post = { { E(IP_H, NUD_STALE, H) } },
		.ctr = { RQ, MISS, NEW, SENT },
		.ev = { EV_NEW(IP_H, NUD_STALE, H) },
	},
	{
		.rule = "ARP-R3", .name = "arp_ignore=6 behaves as 0: tip on xo0 -> reply",
		.rx = "arp_ignore=6",
		.in = { REQ(H, IP_H, IP_OX) },
		.verdict = V_TX, .out = { ANSWER(RX, H, IP_OX, IP_H) },
		.post = { { E(IP_H, NUD_STALE, H) } },
		.ctr = { RQ, MISS, NEW, SENT },
		.ev = { EV_NEW(IP_H, NUD_STALE, H) },
	},
	{
		.rule = "ARP-R3", .name = "arp_ignore=7 behaves as 0: tip on xo0 -> reply",
		.rx = "arp_ignore=7",
		.in = { REQ(H, IP_H, IP_OX) },
		.verdict = V_TX, .out = { ANSWER(RX, H, IP_OX, IP_H) },
		.post = { { E(IP_H, NUD_STALE, H) } },
		.ctr = { RQ, MISS, NEW, SENT },
		.ev = { EV_NEW(IP_H, NUD_STALE, H) },
	},
	{
		.rule = "ARP-R3 ARP-R6", .name = "arp_ignore=8, tip on xr0 -> never reply",
		.rx = "arp_ignore=8",
		.in = { REQ(H, IP_H, IP_RX) },
		.verdict = V_PASS,
		.ctr = { RQ, C(ignored_arp_ignore, 1) },
	},
	{
		.rule = "ARP-R3", .name = "arp_ignore=9 (out of range) behaves as 0: tip on xo0 -> reply",
		.rx = "arp_ignore=9",
		.in = { REQ(H, IP_H, IP_OX) },
		.verdict = V_TX, .out = { ANSWER(RX, H, IP_OX, IP_H) },
		.post = { { E(IP_H, NUD_STALE, H) } },
		.ctr = { RQ, MISS, NEW, SENT },
		.ev = { EV_NEW(IP_H, NUD_STALE, H) },
	},
	{
		.rule = "ARP-R3", .name = "arp_ignore=255 (out of range) behaves as 0: tip on xo0 -> reply",
		.rx = "arp_ignore=255",
		.in = { REQ(H, IP_H, IP_OX) },
		.verdict = V_TX, .out = { ANSWER(RX, H, IP_OX, IP_H) },
		.post = { { E(IP_H, NUD_STALE, H) } },
		.ctr = { RQ, MISS, NEW, SENT },
		.ev = { EV_NEW(IP_H, NUD_STALE, H) },
	},
	{
		.rule = "ARP-R3", .name = "arp_ignore=-1 (out of range) behaves as 0: tip on xo0 -> reply",
		.rx = "arp_ignore=-1",
		.in = { REQ(H, IP_H, IP_OX) },
		.verdict = V_TX, .out = { ANSWER(RX, H, IP_OX, IP_H) },
		.post = { { E(IP_H, NUD_STALE, H) } },
		.ctr = { RQ, MISS, NEW, SENT },
		.ev = { EV_NEW(IP_H, NUD_STALE, H) },
	},
	{
		.rule = "ARP-R6", .name = "refused by arp_ignore: the sender's existing entry is not refreshed",
		.rx = "arp_ignore=1",
		.pre = { { E(IP_H, NUD_REACHABLE, H) } },
		.in = { REQ(H2, IP_H, IP_OX) },
		.verdict = V_PASS,
		.ctr = { RQ, C(ignored_arp_ignore, 1) },
	},

	/* ---- arp_filter (ARP-R4) -------------------------------------------------- */
	{
		.rule = "ARP-R4", .name = "arp_filter=1, route back to the sender via xr0 -> reply",
		.rx = "arp_filter=1",
		.in = { REQ(H, IP_H, IP_RX) },
		.verdict = V_TX, .out = { ANSWER(RX, H, IP_RX, IP_H) },
		.post = { { E(IP_H, NUD_STALE, H) } },
		.ctr = { RQ, MISS, NEW, SENT },
		.ev = { EV_NEW(IP_H, NUD_STALE, H) },
	},
	{
		.rule = "ARP-R4 ARP-R6", .name = "arp_filter=1, route back to the sender via xo0 -> no reply, nothing learned",
		.rx = "arp_filter=1",
		.in = { REQ(R, IP_FAR, IP_RX) },
		.verdict = V_PASS,
		.ctr = { RQ, C(filtered_arp_filter, 1) },
	},
	{
		.rule = "ARP-R4", .name = "arp_filter=1, route back to the sender unreachable -> no reply",
		.rx = "arp_filter=1",
		.in = { REQ(R, IP_UNREACH, IP_RX) },
		.verdict = V_PASS,
		.ctr = { RQ, C(filtered_arp_filter, 1) },
	},
	{
		.rule = "ARP-R4", .name = "arp_filter=1, no route back to the sender -> no reply",
		.rx = "arp_filter=1",
		.in = { REQ(R, IP_NOROUTE, IP_RX) },
		.verdict = V_PASS,
		.ctr = { RQ, C(filtered_arp_filter, 1) },
	},
	{
		.rule = "ARP-R4", .name = "arp_filter=0, route back via xo0 -> reply anyway",
		.rx = "arp_filter=0",
		.in = { REQ(R, IP_FAR, IP_RX) },
		.verdict = V_TX, .out = { ANSWER(RX, R, IP_RX, IP_FAR) },
		.post = { { E(IP_FAR, NUD_STALE, R) } },
		.ctr = { RQ, MISS, NEW, SENT },
		.ev = { EV_NEW(IP_FAR, NUD_STALE, R) },
	},
	{
		.rule = "ARP-R2 ARP-R3 ARP-R4", .name = "arp_ignore refuses before arp_filter is asked",
		.rx = "arp_ignore=1 arp_filter=1",
		.in = { REQ(R, IP_FAR, IP_OX) },
		.verdict = V_PASS,
		.ctr = { RQ, C(ignored_arp_ignore, 1) },
	},

	/* ---- DAD probes (ARP-D1..D3) ------------------------------------------------ */
	{
		.rule = "ARP-D1 ARP-D3", .name = "DAD probe for xr0's address -> reply with tpa 0.0.0.0, nothing learned",
		.in = { REQ(H, 0, IP_RX) },
		.verdict = V_TX, .out = { ANSWER(RX, H, IP_RX, 0) },
		.ctr = { RQ, SENT, C(dad_replies, 1) },
	},
	{
		.rule = "ARP-D1", .name = "DAD probe for xo0's address, arp_ignore=0 -> reply",
		.in = { REQ(H, 0, IP_OX) },
		.verdict = V_TX, .out = { ANSWER(RX, H, IP_OX, 0) },
		.ctr = { RQ, SENT, C(dad_replies, 1) },
	},
	{
		.rule = "ARP-D1 ARP-R3", .name = "DAD probe for xo0's address, arp_ignore=1 -> no reply",
		.rx = "arp_ignore=1",
		.in = { REQ(H, 0, IP_OX) },
		.verdict = V_PASS,
		.ctr = { RQ, C(ignored_arp_ignore, 1) },
	},
	{
		.rule = "ARP-D1 ARP-R3", .name = "DAD probe, arp_ignore=2 degenerates to 1: tip on xr0 -> reply",
		.rx = "arp_ignore=2",
		.in = { REQ(H, 0, IP_RX) },
		.verdict = V_TX, .out = { ANSWER(RX, H, IP_RX, 0) },
		.ctr = { RQ, SENT, C(dad_replies, 1) },
	},
	{
		.rule = "ARP-D1", .name = "DAD probe for an address that is not ours -> pass",
		.in = { REQ(H, 0, IP_NOTOURS) },
		.verdict = V_PASS,
		.ctr = { RQ },
	},
	{
		.rule = "ARP-D2", .name = "DAD probe with arp_filter=1 -> reply (arp_filter not consulted)",
		.rx = "arp_filter=1",
		.in = { REQ(H, 0, IP_RX) },
		.verdict = V_TX, .out = { ANSWER(RX, H, IP_RX, 0) },
		.ctr = { RQ, SENT, C(dad_replies, 1) },
	},
	{
		.rule = "ARP-D3", .name = "reply with sip 0.0.0.0, arp_accept=1 -> ignored",
		.rx = "arp_accept=1",
		.in = { REPLY(RX, H, 0, RX, IP_RX) },
		.verdict = V_PASS,
		.ctr = { RP },
	},
	{
		.rule = "ARP-D3", .name = "DAD probe from a host with an entry -> entry untouched",
		.pre = { { E(IP_H, NUD_REACHABLE, H) } },
		.in = { REQ(H2, 0, IP_RX) },
		.verdict = V_TX, .out = { ANSWER(RX, H2, IP_RX, 0) },
		.ctr = { RQ, SENT, C(dad_replies, 1) },
	},

	/* ---- arp_accept (ARP-U2..U4) ---------------------------------------------- */
	{
		.rule = "ARP-U2 ARP-U4", .name = "arp_accept=0: gratuitous request from a new host -> nothing created",
		.rx = "arp_accept=0",
		.in = { GARP_REQ(J, IP_J) },
		.verdict = V_PASS,
		.post = { GONE(IP_J) },
		.ctr = { RQ, MISS, C(not_for_us, 1), C(gratuitous_seen, 1) },
	},
	{
		.rule = "ARP-U2 ARP-U4", .name = "arp_accept=0: gratuitous reply from a new host -> nothing created",
		.rx = "arp_accept=0",
		.in = { GARP_REP(J, IP_J) },
		.verdict = V_PASS,
		.ctr = { RP, MISS, C(gratuitous_seen, 1) },
	},
	{
		.rule = "ARP-U2 ARP-U4", .name = "arp_accept=0: unicast reply from a new host -> nothing created",
		.rx = "arp_accept=0",
		.in = { REPLY(RX, J, IP_J, RX, IP_RX) },
		.verdict = V_PASS,
		.post = { GONE(IP_J) },
		.ctr = { RP, MISS },
	},
	{
		.rule = "ARP-U2 ARP-U4 ARP-U5", .name = "arp_accept=1: gratuitous request from a new host -> created STALE",
		.rx = "arp_accept=1",
		.in = { GARP_REQ(J, IP_J) },
		.verdict = V_PASS,
		.post = { { E(IP_J, NUD_STALE, J) } },
		.ctr = { RQ, MISS2, NEW, C(not_for_us, 1), C(gratuitous_seen, 1) },
		.ev = { EV_NEW(IP_J, NUD_STALE, J) },
	},
	{
		.rule = "ARP-U2 ARP-U4 ARP-U5", .name = "arp_accept=1: gratuitous reply (tha == sha) from a new host -> created STALE",
		.rx = "arp_accept=1",
		.in = { GARP_REP(J, IP_J) },
		.verdict = V_PASS,
		.post = { { E(IP_J, NUD_STALE, J) } },
		.ctr = { RP, MISS2, NEW, C(gratuitous_seen, 1) },
		.ev = { EV_NEW(IP_J, NUD_STALE, J) },
	},
	{
		.rule = "ARP-U2 ARP-U4 ARP-U5", .name = "arp_accept=1: reply unicast to us from a new host -> created REACHABLE",
		.rx = "arp_accept=1",
		.in = { REPLY(RX, J, IP_J, RX, IP_RX) },
		.verdict = V_PASS,
		.post = { { E(IP_J, NUD_REACHABLE, J) } },
		.ctr = { RP, MISS2, NEW },
		.ev = { EV_NEW(IP_J, NUD_REACHABLE, J) },
	},
	{
		.rule = "ARP-U4 ARP-U5", .name = "arp_accept=1: broadcast reply from a new host -> created STALE",
		.rx = "arp_accept=1",
		.in = { REPLY(BC, J, IP_J, Z, IP_RX) },
		.verdict = V_PASS,
		.post = { { E(IP_J, NUD_STALE, J) } },
		.ctr = { RP, MISS2, NEW },
		.ev = { EV_NEW(IP_J, NUD_STALE, J) },
	},
	{
		.rule = "ARP-U4", .name = "arp_accept=1: request for another host from a new host -> nothing created",
		.rx = "arp_accept=1",
		.in = { REQ(J, IP_J, IP_NOTOURS) },
		.verdict = V_PASS,
		.ctr = { RQ, MISS, C(not_for_us, 1) },
	},
	{
		.rule = "ARP-U4", .name = "arp_accept=1: reply whose sip is a broadcast address (10.0.0.255) -> nothing created",
		.rx = "arp_accept=1",
		.in = { REPLY(RX, J, IP_RX_BCAST, RX, IP_RX) },
		.verdict = V_PASS,
		.ctr = { RP, MISS },
	},
	{
		.rule = "ARP-U3 ARP-U4", .name = "arp_accept=1: 'gratuitous' reply from the broadcast address -> not a GARP, nothing created",
		.rx = "arp_accept=1",
		.in = { GARP_REP(J, IP_RX_BCAST) },
		.verdict = V_PASS,
		.ctr = { RP, MISS, C(gratuitous_seen, 1) },
	},
	{
		.rule = "ARP-U2 ARP-U4", .name = "arp_accept=2: gratuitous request, sip in xr0's prefix -> created STALE",
		.rx = "arp_accept=2",
		.in = { GARP_REQ(J, IP_J) },
		.verdict = V_PASS,
		.post = { { E(IP_J, NUD_STALE, J) } },
		.ctr = { RQ, MISS2, NEW, C(not_for_us, 1), C(gratuitous_seen, 1) },
		.ev = { EV_NEW(IP_J, NUD_STALE, J) },
	},
	{
		.rule = "ARP-U2 ARP-U4", .name = "arp_accept=2: reply unicast to us, sip in xr0's second prefix -> created REACHABLE",
		.rx = "arp_accept=2",
		.in = { REPLY(RX, J, IP_H_RX2, RX, IP_RX2) },
		.verdict = V_PASS,
		.post = { { E(IP_H_RX2, NUD_REACHABLE, J) } },
		.ctr = { RP, MISS2, NEW },
		.ev = { EV_NEW(IP_H_RX2, NUD_REACHABLE, J) },
	},
	{
		.rule = "ARP-U2 ARP-U4", .name = "arp_accept=2: gratuitous request, sip in xo0's prefix only -> nothing created",
		.rx = "arp_accept=2",
		.in = { GARP_REQ(J, IP_OX_NET) },
		.verdict = V_PASS,
		.ctr = { RQ, MISS, C(not_for_us, 1), C(gratuitous_seen, 1) },
	},
	{
		.rule = "ARP-U2", .name = "arp_accept=3 (out of range) is false -> nothing created",
		.rx = "arp_accept=3",
		.in = { GARP_REQ(J, IP_J) },
		.verdict = V_PASS,
		.ctr = { RQ, MISS, C(not_for_us, 1), C(gratuitous_seen, 1) },
	},

	/* ---- updates of existing entries (ARP-U5, NUD-8) ---------------------------- */
	{
		.rule = "ARP-U5", .name = "reply unicast to us, same MAC -> STALE becomes REACHABLE",
		.pre = { { E(IP_H, NUD_STALE, H) } },
		.in = { REPLY(RX, H, IP_H, RX, IP_RX) },
		.verdict = V_PASS,
		.post = { { E(IP_H, NUD_REACHABLE, H) } },
		.ctr = { RP, HIT, CHG },
		.ev = { EV_ST(IP_H, NUD_STALE, NUD_REACHABLE, H) },
	},
	{
		.rule = "ARP-U5", .name = "broadcast reply, new MAC after locktime -> STALE with the new MAC",
		.pre = { { E(IP_H, NUD_DELAY, H) } },
		.in = { REPLY(BC, H2, IP_H, Z, IP_RX) },
		.verdict = V_PASS,
		.post = { { E(IP_H, NUD_STALE, H2) } },
		.ctr = { RP, HIT, CHGLL },
		.ev = { EV_LL(IP_H, NUD_DELAY, NUD_STALE, H, H2) },
	},
	{
		.rule = "ARP-U5 NUD-8.6", .name = "INCOMPLETE entry, reply within locktime -> takes the MAC, REACHABLE",
		.pre = { { E(IP_H, NUD_INCOMPLETE, Z), .age_ms = 100 } },
		.in = { REPLY(RX, H, IP_H, RX, IP_RX) },
		.verdict = V_PASS,
		.post = { { E(IP_H, NUD_REACHABLE, H) } },
		.ctr = { RP, HIT, CHGLL },
		.ev = { EV_LL(IP_H, NUD_INCOMPLETE, NUD_REACHABLE, Z, H) },
	},
	{
		.rule = "ARP-U6", .name = "reply unicast to our MAC but for another IP (tpa not ours) -> still confirms: REACHABLE",
		.pre = { { E(IP_H, NUD_STALE, H) } },
		.in = { REPLY(RX, H, IP_H, RX, IP_NOTOURS) },
		.verdict = V_PASS,
		.post = { { E(IP_H, NUD_REACHABLE, H) } },
		.ctr = { RP, HIT, CHG },
		.ev = { EV_ST(IP_H, NUD_STALE, NUD_REACHABLE, H) },
	},
	{
		.rule = "ARP-U5 NUD-8.8", .name = "broadcast reply, same MAC -> REACHABLE kept (STALE hint)",
		.pre = { { E(IP_H, NUD_REACHABLE, H) } },
		.in = { REPLY(BC, H, IP_H, Z, IP_RX) },
		.verdict = V_PASS,
		.ctr = { RP, HIT },
	},
	{
		.rule = "ARP-U5 NUD-8.7", .name = "reply unicast to us, same MAC, already REACHABLE -> only confirmed moves",
		.pre = { { E(IP_H, NUD_REACHABLE, H) } },
		.in = { REPLY(RX, H, IP_H, RX, IP_RX) },
		.verdict = V_PASS,
		.post = { { E(IP_H, NUD_REACHABLE, H), .confirmed = T_NOW } },
		.ctr = { RP, HIT },
	},
	{
		.rule = "ARP-U5 NUD-8.7", .name = "reply unicast to us, new MAC within locktime -> refused (confirmed still moves)",
		.pre = { { E(IP_H, NUD_REACHABLE, H), .age_ms = 300 } },
		.in = { REPLY(RX, H2, IP_H, RX, IP_RX) },
		.verdict = V_PASS,
		.post = { { E(IP_H, NUD_REACHABLE, H), .confirmed = T_NOW } },
		.ctr = { RP, HIT, C(locktime_refused, 1) },
	},
	{
		.rule = "ARP-U5", .name = "broadcast reply, new MAC within locktime -> refused, entry untouched",
		.pre = { { E(IP_H, NUD_STALE, H), .age_ms = 300 } },
		.in = { REPLY(BC, H2, IP_H, Z, IP_RX) },
		.verdict = V_PASS,
		.ctr = { RP, HIT, C(locktime_refused, 1) },
	},
	{
		.rule = "ARP-U5", .name = "locktime 5 s from xn_ifconf: new MAC after 3 s -> refused",
		.rx = "locktime_ms=5000",
		.pre = { { E(IP_H, NUD_STALE, H), .age_ms = 3000 } },
		.in = { REPLY(BC, H2, IP_H, Z, IP_RX) },
		.verdict = V_PASS,
		.ctr = { RP, HIT, C(locktime_refused, 1) },
	},
	{
		.rule = "ARP-U5", .name = "reply unicast to us, new MAC after locktime -> changed, REACHABLE",
		.pre = { { E(IP_H, NUD_REACHABLE, H), .age_ms = 1500 } },
		.in = { REPLY(RX, H2, IP_H, RX, IP_RX) },
		.verdict = V_PASS,
		.post = { { E(IP_H, NUD_REACHABLE, H2) } },
		.ctr = { RP, HIT, CHGLL },
		.ev = { EV_LL(IP_H, NUD_REACHABLE, NUD_REACHABLE, H, H2) },
	},
	{
		.rule = "ARP-U3 ARP-U5", .name = "gratuitous request overrides locktime -> new MAC, STALE",
		.pre = { { E(IP_H, NUD_REACHABLE, H), .age_ms = 100 } },
		.in = { GARP_REQ(H2, IP_H) },
		.verdict = V_PASS,
		.post = { { E(IP_H, NUD_STALE, H2) } },
		.ctr = { RQ, HIT, CHGLL, C(not_for_us, 1), C(gratuitous_seen, 1) },
		.ev = { EV_LL(IP_H, NUD_REACHABLE, NUD_STALE, H, H2) },
	},
	{
		.rule = "ARP-U3 ARP-U5", .name = "gratuitous reply (tha == sha) overrides locktime -> new MAC, STALE",
		.pre = { { E(IP_H, NUD_REACHABLE, H), .age_ms = 100 } },
		.in = { GARP_REP(H2, IP_H) },
		.verdict = V_PASS,
		.post = { { E(IP_H, NUD_STALE, H2) } },
		.ctr = { RP, HIT, CHGLL, C(gratuitous_seen, 1) },
		.ev = { EV_LL(IP_H, NUD_REACHABLE, NUD_STALE, H, H2) },
	},
	{
		.rule = "ARP-U3 ARP-U5", .name = "reply with sip == tip but tha != sha is not gratuitous -> refused within locktime",
		.pre = { { E(IP_H, NUD_STALE, H), .age_ms = 100 } },
		.in = { REPLY(BC, H2, IP_H, Z, IP_H) },
		.verdict = V_PASS,
		.ctr = { RP, HIT, C(locktime_refused, 1), C(gratuitous_seen, 1) },
	},
	{
		.rule = "ARP-U5 NUD-8.2", .name = "PERMANENT entry: gratuitous request with a new MAC -> untouched",
		.pre = { { E(IP_H, NUD_PERMANENT, H) } },
		.in = { GARP_REQ(H2, IP_H) },
		.verdict = V_PASS,
		.ctr = { RQ, HIT, C(not_for_us, 1), C(gratuitous_seen, 1), C(static_untouched, 1) },
	},
	{
		.rule = "ARP-U5 NUD-8.2", .name = "NOARP entry: reply unicast to us with a new MAC -> untouched (not even confirmed)",
		.pre = { { E(IP_H, NUD_NOARP, H) } },
		.in = { REPLY(RX, H2, IP_H, RX, IP_RX) },
		.verdict = V_PASS,
		.ctr = { RP, HIT, C(static_untouched, 1) },
	},
	{
		.rule = "ARP-R5 NUD-8.2", .name = "PERMANENT entry: request for us from a new MAC -> reply, entry untouched",
		.pre = { { E(IP_H, NUD_PERMANENT, H) } },
		.in = { REQ(H2, IP_H, IP_RX) },
		.verdict = V_TX, .out = { ANSWER(RX, H2, IP_RX, IP_H) },
		.ctr = { RQ, HIT, SENT, C(static_untouched, 1) },
	},
	{
		.rule = "ARP-U1", .name = "an entry on another interface is not the receiving interface's entry",
		.rx = "arp_accept=0",
		.pre = { { E(IP_H, NUD_STALE, H), .dev = DEV_OX } },
		.in = { REPLY(RX, H2, IP_H, RX, IP_RX) },
		.verdict = V_PASS,
		.ctr = { RP, MISS },
	},

	/* ---- drop_gratuitous_arp (ARP-V6) ------------------------------------------ */
	{
		.rule = "ARP-V6", .name = "drop_gratuitous_arp=1: gratuitous request -> pass, existing entry untouched",
		.rx = "drop_gratuitous_arp=1",
		.pre = { { E(IP_H, NUD_REACHABLE, H) } },
		.in = { GARP_REQ(H2, IP_H) },
		.verdict = V_PASS,
		.ctr = { RQ, C(gratuitous_seen, 1), C(gratuitous_dropped, 1) },
	},
	{
		.rule = "ARP-V6", .name = "drop_gratuitous_arp=1: gratuitous reply -> pass, nothing created (arp_accept=1)",
		.rx = "drop_gratuitous_arp=1 arp_accept=1",
		.in = { GARP_REP(J, IP_J) },
		.verdict = V_PASS,
		.ctr = { RP, C(gratuitous_seen, 1), C(gratuitous_dropped, 1) },
	},
	{
		.rule = "ARP-V6", .name = "drop_gratuitous_arp=1: ordinary request -> reply",
		.rx = "drop_gratuitous_arp=1",
		.in = { REQ(H, IP_H, IP_RX) },
		.verdict = V_TX, .out = { ANSWER(RX, H, IP_RX, IP_H) },
		.post = { { E(IP_H, NUD_STALE, H) } },
		.ctr = { RQ, MISS, NEW, SENT },
		.ev = { EV_NEW(IP_H, NUD_STALE, H) },
	},

	/* ---- proxy ARP (ARP-P1..P6) --------------------------------------------------- */
	{
		.rule = "ARP-P1a ARP-P3 ARP-P4", .name = "proxy_arp + forwarding, tip routed via xo0 -> reply with xr0's MAC, sender STALE",
		.rx = PROXY_ON,
		.in = { REQ(H, IP_H, IP4(10, 1, 0, 50)) },
		.verdict = V_TX, .out = { ANSWER(RX, H, IP4(10, 1, 0, 50), IP_H) },
		.post = { { E(IP_H, NUD_STALE, H) } },
		.ctr = { RQ, MISS, NEW, SENT, C(proxied, 1) },
		.ev = { EV_NEW(IP_H, NUD_STALE, H) },
	},
	{
		.rule = "ARP-P1", .name = "proxy_arp without forwarding -> no reply",
		.rx = "forwarding=0 proxy_arp=1 proxy_delay_ms=0",
		.in = { REQ(H, IP_H, IP4(10, 1, 0, 50)) },
		.verdict = V_PASS,
		.ctr = { RQ, MISS, C(not_for_us, 1) },
	},
	{
		.rule = "ARP-P1a ARP-P2", .name = "proxy_arp, tip on xr0's own link -> no reply (same device needs pvlan)",
		.rx = PROXY_ON,
		.in = { REQ(H, IP_H, IP4(10, 0, 0, 50)) },
		.verdict = V_PASS,
		.ctr = { RQ, MISS, C(not_for_us, 1) },
	},
	{
		.rule = "ARP-P1", .name = "proxy_arp, no route to tip -> no reply",
		.rx = PROXY_ON,
		.in = { REQ(H, IP_H, IP_NOROUTE) },
		.verdict = V_PASS,
		.ctr = { RQ, MISS, C(not_for_us, 1) },
	},
	{
		.rule = "ARP-P1b", .name = "proxy_arp_pvlan + forwarding, tip on xr0's own link -> reply",
		.rx = "forwarding=1 proxy_arp_pvlan=1 proxy_delay_ms=0",
		.in = { REQ(H, IP_H, IP4(10, 0, 0, 50)) },
		.verdict = V_TX, .out = { ANSWER(RX, H, IP4(10, 0, 0, 50), IP_H) },
		.post = { { E(IP_H, NUD_STALE, H) } },
		.ctr = { RQ, MISS, NEW, SENT, C(proxied, 1) },
		.ev = { EV_NEW(IP_H, NUD_STALE, H) },
	},
	{
		.rule = "ARP-P1b", .name = "proxy_arp_pvlan, self-probe (sip == tip) -> no reply",
		.rx = "forwarding=1 proxy_arp_pvlan=1 proxy_delay_ms=0",
		.in = { GARP_REQ(J, IP4(10, 0, 0, 50)) },
		.verdict = V_PASS,
		.ctr = { RQ, MISS, C(not_for_us, 1), C(gratuitous_seen, 1) },
	},
	{
		.rule = "ARP-P1c", .name = "proxy entry on xr0 (proxy_arp off) + forwarding -> reply",
		.rx = "forwarding=1 proxy_delay_ms=0",
		.proxy = { { DEV_RX, IP4(10, 1, 0, 60) } },
		.in = { REQ(H, IP_H, IP4(10, 1, 0, 60)) },
		.verdict = V_TX, .out = { ANSWER(RX, H, IP4(10, 1, 0, 60), IP_H) },
		.post = { { E(IP_H, NUD_STALE, H) } },
		.ctr = { RQ, MISS, NEW, SENT, C(proxied, 1) },
		.ev = { EV_NEW(IP_H, NUD_STALE, H) },
	},
	{
		.rule = "ARP-P1c", .name = "proxy entry for any device -> reply",
		.rx = "forwarding=1 proxy_delay_ms=0",
		.proxy = { { DEV_ANY, IP4(10, 1, 0, 61) } },
		.in = { REQ(H, IP_H, IP4(10, 1, 0, 61)) },
		.verdict = V_TX, .out = { ANSWER(RX, H, IP4(10, 1, 0, 61), IP_H) },
		.post = { { E(IP_H, NUD_STALE, H) } },
		.ctr = { RQ, MISS, NEW, SENT, C(proxied, 1) },
		.ev = { EV_NEW(IP_H, NUD_STALE, H) },
	},
	{
		.rule = "ARP-P1c", .name = "proxy entry on xo0 only -> no reply on xr0",
		.rx = "forwarding=1 proxy_delay_ms=0",
		.proxy = { { DEV_OX, IP4(10, 1, 0, 62) } },
		.in = { REQ(H, IP_H, IP4(10, 1, 0, 62)) },
		.verdict = V_PASS,
		.ctr = { RQ, MISS, C(not_for_us, 1) },
	},
	{
		.rule = "ARP-P1c", .name = "proxy entry on xr0 for a tip routed out of xr0 -> no reply",
		.rx = "forwarding=1 proxy_delay_ms=0",
		.proxy = { { DEV_RX, IP4(10, 0, 0, 60) } },
		.in = { REQ(H, IP_H, IP4(10, 0, 0, 60)) },
		.verdict = V_PASS,
		.ctr = { RQ, MISS, C(not_for_us, 1) },
	},
	{
		.rule = "ARP-P1c", .name = "proxy entry on xr0 without forwarding -> no reply",
		.rx = "forwarding=0 proxy_delay_ms=0",
		.proxy = { { DEV_RX, IP4(10, 1, 0, 60) } },
		.in = { REQ(H, IP_H, IP4(10, 1, 0, 60)) },
		.verdict = V_PASS,
		.ctr = { RQ, MISS, C(not_for_us, 1) },
	},
	{
		.rule = "ARP-P1a", .name = "medium_id 1 on both interfaces -> no proxy reply",
		.rx = PROXY_ON " medium_id=1", .ox = "medium_id=1",
		.in = { REQ(H, IP_H, IP4(10, 1, 0, 50)) },
		.verdict = V_PASS,
		.ctr = { RQ, MISS, C(not_for_us, 1) },
	},
	{
		.rule = "ARP-P1a", .name = "medium_id 1 in, 2 out -> proxy reply",
		.rx = PROXY_ON " medium_id=1", .ox = "medium_id=2",
		.in = { REQ(H, IP_H, IP4(10, 1, 0, 50)) },
		.verdict = V_TX, .out = { ANSWER(RX, H, IP4(10, 1, 0, 50), IP_H) },
		.post = { { E(IP_H, NUD_STALE, H) } },
		.ctr = { RQ, MISS, NEW, SENT, C(proxied, 1) },
		.ev = { EV_NEW(IP_H, NUD_STALE, H) },
	},
	{
		.rule = "ARP-P1a", .name = "medium_id -1 on the receiving interface -> no proxy reply",
		.rx = PROXY_ON " medium_id=-1", .ox = "medium_id=2",
		.in = { REQ(H, IP_H, IP4(10, 1, 0, 50)) },
		.verdict = V_PASS,
		.ctr = { RQ, MISS, C(not_for_us, 1) },
	},
	{
		.rule = "ARP-P1a", .name = "medium_id 1 in, -1 out -> no proxy reply",
		.rx = PROXY_ON " medium_id=1", .ox = "medium_id=-1",
		.in = { REQ(H, IP_H, IP4(10, 1, 0, 50)) },
		.verdict = V_PASS,
		.ctr = { RQ, MISS, C(not_for_us, 1) },
	},
	{
		.rule = "ARP-P5 ARP-P3", .name = "proxy_delay 800 ms, broadcast request -> left to the kernel, sender learned",
		.rx = "forwarding=1 proxy_arp=1 proxy_delay_ms=800",
		.in = { REQ(H, IP_H, IP4(10, 1, 0, 50)) },
		.verdict = V_PASS,
		.post = { { E(IP_H, NUD_STALE, H) } },
		.ctr = { RQ, MISS, NEW, C(proxy_deferred, 1) },
		.ev = { EV_NEW(IP_H, NUD_STALE, H) },
	},
	{
		.rule = "ARP-P5", .name = "proxy_delay 800 ms, request unicast to xr0 -> answered immediately",
		.rx = "forwarding=1 proxy_arp=1 proxy_delay_ms=800",
		.in = { REQ_TO(RX, H, IP_H, IP4(10, 1, 0, 50)) },
		.verdict = V_TX, .out = { ANSWER(RX, H, IP4(10, 1, 0, 50), IP_H) },
		.post = { { E(IP_H, NUD_STALE, H) } },
		.ctr = { RQ, MISS, NEW, SENT, C(proxied, 1) },
		.ev = { EV_NEW(IP_H, NUD_STALE, H) },
	},
	{
		.rule = "ARP-P3", .name = "proxy: sender's new MAC within locktime -> overridden (STALE)",
		.rx = PROXY_ON,
		.pre = { { E(IP_H, NUD_REACHABLE, H), .age_ms = 100 } },
		.in = { REQ(H2, IP_H, IP4(10, 1, 0, 50)) },
		.verdict = V_TX, .out = { ANSWER(RX, H2, IP4(10, 1, 0, 50), IP_H) },
		.post = { { E(IP_H, NUD_STALE, H2) } },
		.ctr = { RQ, HIT, SENT, CHGLL, C(proxied, 1) },
		.ev = { EV_LL(IP_H, NUD_REACHABLE, NUD_STALE, H, H2) },
	},
	{
		.rule = "ARP-P1 ARP-R3", .name = "proxy replies are not subject to arp_ignore (=8)",
		.rx = PROXY_ON " arp_ignore=8",
		.in = { REQ(H, IP_H, IP4(10, 1, 0, 50)) },
		.verdict = V_TX, .out = { ANSWER(RX, H, IP4(10, 1, 0, 50), IP_H) },
		.post = { { E(IP_H, NUD_STALE, H) } },
		.ctr = { RQ, MISS, NEW, SENT, C(proxied, 1) },
		.ev = { EV_NEW(IP_H, NUD_STALE, H) },
	},

	/* ---- VLAN tags ------------------------------------------------------------------ */
	{
		.rule = "ARP-R5 VLAN", .name = "802.1Q tagged request -> reply keeps the tag",
		.in = { REQ(H, IP_H, IP_RX), .ntags = 1, .tags = { TAG_Q(10) } },
		.verdict = V_TX, .out = { ANSWER(RX, H, IP_RX, IP_H), .ntags = 1, .tags = { TAG_Q(10) } },
		.post = { { E(IP_H, NUD_STALE, H) } },
		.ctr = { RQ, MISS, NEW, SENT },
		.ev = { EV_NEW(IP_H, NUD_STALE, H) },
	},
	{
		/* vlan_do_receive(): a priority tag (VLAN id 0) is cleared, the
		 * frame is handled untagged and so is the reply (differential
		 * suite, 6.18) */
		.rule = "ARP-R5 VLAN", .name = "priority-tagged request (VLAN id 0, PCP 5) -> untagged reply",
		.in = { REQ(H, IP_H, IP_RX), .ntags = 1, .tags = { TAG_Q(0xa000) } },
		.verdict = V_TX, .out = { ANSWER(RX, H, IP_RX, IP_H) },
		.post = { { E(IP_H, NUD_STALE, H) } },
		.ctr = { RQ, MISS, NEW, SENT },
		.ev = { EV_NEW(IP_H, NUD_STALE, H) },
	},
	{
		.rule = "ARP-R5 VLAN", .name = "padded 802.1Q request (64 bytes) -> reply trimmed to 46 bytes",
		.in = { REQ(H, IP_H, IP_RX), .ntags = 1, .tags = { TAG_Q(0x2005) }, .pad_to = 64 },
		.verdict = V_TX, .out = { ANSWER(RX, H, IP_RX, IP_H), .ntags = 1, .tags = { TAG_Q(0x2005) } },
		.post = { { E(IP_H, NUD_STALE, H) } },
		.ctr = { RQ, MISS, NEW, SENT },
		.ev = { EV_NEW(IP_H, NUD_STALE, H) },
	},
	{
		.rule = "ARP-R5 VLAN", .name = "802.1ad + 802.1Q double-tagged request -> reply keeps both tags",
		.in = { REQ(H, IP_H, IP_RX), .ntags = 2, .tags = { TAG_AD(100), TAG_Q(10) } },
		.verdict = V_TX,
		.out = { ANSWER(RX, H, IP_RX, IP_H), .ntags = 2, .tags = { TAG_AD(100), TAG_Q(10) } },
		.post = { { E(IP_H, NUD_STALE, H) } },
		.ctr = { RQ, MISS, NEW, SENT },
		.ev = { EV_NEW(IP_H, NUD_STALE, H) },
	},
	{
		.rule = "VLAN", .name = "three tags -> counted bad_vlan and passed",
		.in = { REQ(H, IP_H, IP_RX), .ntags = 3, .tags = { TAG_AD(100), TAG_Q(10), TAG_Q(20) } },
		.verdict = V_PASS,
		.ctr = { C(bad_vlan, 1) },
	},

	/* ---- malformed frames (ARP-V2, V4, V5) -------------------------------------------- */
	{
		.rule = "ARP-V2", .name = "too short (ARP body of 20 bytes) -> bad_length, pass",
		.in = { REQ(H, IP_H, IP_RX), .cut_to = 14 + 20 },
		.verdict = V_PASS,
		.ctr = { C(rx_arp, 1), C(bad_length, 1) },
	},
	{
		.rule = "ARP-V2", .name = "hln 8 -> bad_hln, pass",
		.in = { ARPX(1, 0x0800, 8, 4, 1, BC, H, H, IP_H, Z, IP_RX) },
		.verdict = V_PASS,
		.ctr = { C(rx_arp, 1), C(bad_hln, 1) },
	},
	{
		.rule = "ARP-V2", .name = "pln 16 -> bad_pln, pass",
		.in = { ARPX(1, 0x0800, 6, 16, 1, BC, H, H, IP_H, Z, IP_RX) },
		.verdict = V_PASS,
		.ctr = { C(rx_arp, 1), C(bad_pln, 1) },
	},
	{
		.rule = "ARP-V4", .name = "hrd 6 (IEEE 802) is accepted -> reply with hrd 1",
		.in = { ARPX(6, 0x0800, 6, 4, 1, BC, H, H, IP_H, Z, IP_RX) },
		.verdict = V_TX, .out = { ANSWER(RX, H, IP_RX, IP_H) },
		.post = { { E(IP_H, NUD_STALE, H) } },
		.ctr = { RQ, MISS, NEW, SENT },
		.ev = { EV_NEW(IP_H, NUD_STALE, H) },
	},
	{
		.rule = "ARP-V4", .name = "hrd 2 -> bad_hrd, pass",
		.in = { ARPX(2, 0x0800, 6, 4, 1, BC, H, H, IP_H, Z, IP_RX) },
		.verdict = V_PASS,
		.ctr = { C(rx_arp, 1), C(bad_hrd, 1) },
	},
	{
		.rule = "ARP-V4", .name = "hrd 0x0100 (byte-swapped 1) -> bad_hrd, pass",
		.in = { ARPX(0x0100, 0x0800, 6, 4, 1, BC, H, H, IP_H, Z, IP_RX) },
		.verdict = V_PASS,
		.ctr = { C(rx_arp, 1), C(bad_hrd, 1) },
	},
	{
		.rule = "ARP-V4", .name = "pro 0x86dd -> bad_pro, pass",
		.in = { ARPX(1, 0x86dd, 6, 4, 1, BC, H, H, IP_H, Z, IP_RX) },
		.verdict = V_PASS,
		.ctr = { C(rx_arp, 1), C(bad_pro, 1) },
	},
	{
		.rule = "ARP-V4", .name = "op 3 (RARP request) -> bad_op, pass",
		.in = { ARPX(1, 0x0800, 6, 4, 3, BC, H, H, IP_H, Z, IP_RX) },
		.verdict = V_PASS,
		.ctr = { C(rx_arp, 1), C(bad_op, 1) },
	},
	{
		.rule = "ARP-V4", .name = "op 0 -> bad_op, pass",
		.in = { ARPX(1, 0x0800, 6, 4, 0, BC, H, H, IP_H, Z, IP_RX) },
		.verdict = V_PASS,
		.ctr = { C(rx_arp, 1), C(bad_op, 1) },
	},
	{
		.rule = "ARP-V5", .name = "multicast target 224.0.0.1 -> bad_target, pass, nothing learned",
		.rx = "arp_accept=1",
		.in = { REQ(H, IP_H, IP4(224, 0, 0, 1)) },
		.verdict = V_PASS,
		.ctr = { RQ, C(bad_target, 1) },
	},
	{
		.rule = "ARP-V5", .name = "target 127.0.0.1 without route_localnet -> bad_target, pass",
		.in = { REQ(H, IP_H, IP_LO) },
		.verdict = V_PASS,
		.ctr = { RQ, C(bad_target, 1) },
	},
	{
		.rule = "ARP-V5 ARP-R2", .name = "target 127.0.0.1 with route_localnet -> not dropped: reply (kernel 6.18 does)",
		.rx = "route_localnet=1",
		.in = { REQ(H, IP_H, IP_LO) },
		.verdict = V_TX, .out = { ANSWER(RX, H, IP_LO, IP_H) },
		.post = { { E(IP_H, NUD_STALE, H) } },
		.ctr = { RQ, MISS, NEW, SENT },
		.ev = { EV_NEW(IP_H, NUD_STALE, H) },
	},
	{
		.rule = "ARP-V5 ARP-R2", .name = "target 127.0.0.9 (inside lo's 127/8 local route) with route_localnet -> reply",
		.rx = "route_localnet=1",
		.in = { REQ(H, IP_H, IP4(127, 0, 0, 9)) },
		.verdict = V_TX, .out = { ANSWER(RX, H, IP4(127, 0, 0, 9), IP_H) },
		.post = { { E(IP_H, NUD_STALE, H) } },
		.ctr = { RQ, MISS, NEW, SENT },
		.ev = { EV_NEW(IP_H, NUD_STALE, H) },
	},
	{
		.rule = "ARP", .name = "an IPv4 frame is not ARP -> pass, no counter moves",
		.in = { IPV4(RX, H, IP_H, IP_RX) },
		.verdict = V_PASS,
	},

	/* ---- OTHERHOST, NOARP, unconfigured interface (ARP-V1, ARP-V3) ------------------ */
	{
		.rule = "ARP-V1", .name = "request unicast to another MAC (OTHERHOST) -> pass, nothing learned",
		.rx = "arp_accept=1",
		.pre = { { E(IP_H, NUD_STALE, H) } },
		.in = { REQ_TO(X, H2, IP_H, IP_RX) },
		.verdict = V_PASS,
		.ctr = { C(rx_arp, 1), C(otherhost, 1) },
	},
	{
		.rule = "ARP-V1", .name = "NOARP interface -> pass, nothing learned or answered",
		.rx = "noarp=1 arp_accept=1",
		.pre = { { E(IP_H, NUD_STALE, H) } },
		.in = { GARP_REQ(H2, IP_H) },
		.verdict = V_PASS,
		.ctr = { C(rx_arp, 1) },
	},
	{
		.rule = "ARP-V3", .name = "interface without IPv4 state -> pass, nothing learned or answered",
		.rx = "ipv4=0 arp_accept=1",
		.pre = { { E(IP_H, NUD_STALE, H) } },
		.in = { REQ(H2, IP_H, IP_RX) },
		.verdict = V_PASS,
		.ctr = { C(rx_arp, 1) },
	},
	{
		/* The contract: without xn_ifconf xneigh "learns and counts with
		 * kernel defaults but never answers". With the defaults the kernel
		 * answers this request and learns the sender (ARP-R5/NUD-9). */
		.rule = "contract ARP-R5", .name = "xr0 without xn_ifconf: request for us not answered, sender learned as the kernel does",
		.rx_none = true,
		.in = { REQ(H, IP_H, IP_RX) },
		.verdict = V_PASS,
		.post = { { E(IP_H, NUD_STALE, H) } },
		.ctr = { RQ, MISS, NEW, C(no_ifconf, 1) },
		.ev = { EV_NEW(IP_H, NUD_STALE, H) },
	},
	{
		.rule = "contract ARP-U5", .name = "xr0 without xn_ifconf: broadcast reply with a new MAC updates the entry (kernel default locktime)",
		.rx_none = true,
		.pre = { { E(IP_H, NUD_REACHABLE, H), .age_ms = 1500 } },
		.in = { REPLY(BC, H2, IP_H, Z, IP_RX) },
		.verdict = V_PASS,
		.post = { { E(IP_H, NUD_STALE, H2) } },
		.ctr = { RP, HIT, CHGLL, C(no_ifconf, 1) },
		.ev = { EV_LL(IP_H, NUD_REACHABLE, NUD_STALE, H, H2) },
	},
	{
		.rule = "contract ARP-U5", .name = "xr0 without xn_ifconf: new MAC within the default locktime (1 s) -> refused",
		.rx_none = true,
		.pre = { { E(IP_H, NUD_REACHABLE, H), .age_ms = 300 } },
		.in = { REPLY(BC, H2, IP_H, Z, IP_RX) },
		.verdict = V_PASS,
		.ctr = { RP, HIT, C(locktime_refused, 1), C(no_ifconf, 1) },
	},

	/* ---- what the kernel's input route check implies (ARP-R1) -------------------------- */
	{
		.rule = "ARP-R1 conflict", .name = "request with sip = xr0's own address from another MAC -> no reply, CONFLICT",
		.in = { REQ(H, IP_RX, IP_RX2) },
		.verdict = V_PASS,
		.ctr = { RQ, MISS, C(route_rejected, 1), C(conflicts, 1) },
		.ev = { EV_CONFLICT(IP_RX, H) },
	},
	{
		.rule = "ARP-R1 conflict", .name = "request with sip = xo0's address from another MAC -> no reply, CONFLICT",
		.in = { REQ(H, IP_OX, IP_RX) },
		.verdict = V_PASS,
		.ctr = { RQ, MISS, C(route_rejected, 1), C(conflicts, 1) },
		.ev = { EV_CONFLICT(IP_OX, H) },
	},
	{
		.rule = "ARP-R1 ARP-U3 conflict", .name = "gratuitous request claiming xr0's address -> no reply, CONFLICT, nothing learned",
		.in = { GARP_REQ(H, IP_RX) },
		.verdict = V_PASS,
		.ctr = { RQ, MISS, C(route_rejected, 1), C(conflicts, 1), C(gratuitous_seen, 1) },
		.ev = { EV_CONFLICT(IP_RX, H) },
	},
	{
		.rule = "ARP-R1", .name = "our own request looped back (sip ours, sha = our MAC) -> no reply, no conflict",
		.in = { REQ(RX, IP_RX, IP_RX2) },
		.verdict = V_PASS,
		.ctr = { RQ, MISS, C(route_rejected, 1) },
	},
	{
		.rule = "ARP-U6 conflict", .name = "reply claiming xr0's address -> CONFLICT, nothing learned",
		.rx = "arp_accept=1",
		.in = { REPLY(RX, H, IP_RX, RX, IP_RX2) },
		.verdict = V_PASS,
		.ctr = { RP, MISS, C(conflicts, 1) },
		.ev = { EV_CONFLICT(IP_RX, H) },
	},
	/* ---- the same with xn_local4_filt invalid: every sender looked up ---------------- */
	{
		.rule = "ARP-R1 conflict", .name = "filter invalid: request with sip = xr0's own address from another MAC -> no reply, CONFLICT",
		.local4f = FX_L4F_INVALID,
		.in = { REQ(H, IP_RX, IP_RX2) },
		.verdict = V_PASS,
		.ctr = { RQ, MISS, C(route_rejected, 1), C(conflicts, 1) },
		.ev = { EV_CONFLICT(IP_RX, H) },
	},
	{
		.rule = "ARP-R1 NUD-12", .name = "filter invalid: request from the subnet broadcast -> reply, NOARP entry",
		.local4f = FX_L4F_INVALID,
		.in = { REQ(H, IP_RX_BCAST, IP_RX) },
		.verdict = V_TX, .out = { ANSWER(RX, H, IP_RX, IP_RX_BCAST) },
		.post = { { E(IP_RX_BCAST, NUD_NOARP, BC), .confirmed = T_NOTCONF } },
		.ctr = { RQ, MISS, NEW, SENT, C(static_untouched, 1) },
		.ev = { EV_NEW(IP_RX_BCAST, NUD_NOARP, BC) },
	},
	{
		.rule = "ARP-R2 ARP-R5", .name = "filter invalid: request from a new host -> reply, sender learned STALE",
		.local4f = FX_L4F_INVALID,
		.in = { REQ(H, IP_H, IP_RX) },
		.verdict = V_TX, .out = { ANSWER(RX, H, IP_RX, IP_H) },
		.post = { { E(IP_H, NUD_STALE, H) } },
		.ctr = { RQ, MISS, NEW, SENT },
		.ev = { EV_NEW(IP_H, NUD_STALE, H) },
	},
	{
		/* not kernel behaviour: shows the data plane trusts a valid
		 * filter, for the sender and the target alike, which is why
		 * xneighd rebuilds it with xn_local4 */
		.rule = "contract", .name = "filter valid but without xr0's addresses: request from one of them for the other -> neither taken for ours (no reply, no conflict)",
		.local4f = FX_L4F_EMPTY,
		.in = { REQ(H, IP_RX, IP_RX2) },
		.verdict = V_PASS,
		.ctr = { RQ, MISS, C(not_for_us, 1) },
	},
	/* ---- the snapshot (xn_snap): slots taken by others, or stale ------------------------ */
	{
		.rule = "ARP-R2 ARP-R5", .name = "snapshot slots all taken: request from a new host -> settings and target from the hash maps, reply, sender learned",
		.snap = FX_SNAP_SLOTS_TAKEN,
		.in = { REQ(H, IP_H, IP_RX) },
		.verdict = V_TX, .out = { ANSWER(RX, H, IP_RX, IP_H) },
		.post = { { E(IP_H, NUD_STALE, H) } },
		.ctr = { RQ, MISS, NEW, SENT },
		.ev = { EV_NEW(IP_H, NUD_STALE, H) },
	},
	{
		.rule = "ARP-R1 conflict", .name = "snapshot slots all taken: request with sip = xr0's own address -> found in xn_local4: no reply, CONFLICT",
		.snap = FX_SNAP_SLOTS_TAKEN,
		.in = { REQ(H, IP_RX, IP_RX2) },
		.verdict = V_PASS,
		.ctr = { RQ, MISS, C(route_rejected, 1), C(conflicts, 1) },
		.ev = { EV_CONFLICT(IP_RX, H) },
	},
	{
		.rule = "ARP-R1 NUD-12", .name = "snapshot slots all taken: request from the subnet broadcast -> reply, NOARP entry",
		.snap = FX_SNAP_SLOTS_TAKEN,
		.in = { REQ(H, IP_RX_BCAST, IP_RX) },
		.verdict = V_TX, .out = { ANSWER(RX, H, IP_RX, IP_RX_BCAST) },
		.post = { { E(IP_RX_BCAST, NUD_NOARP, BC), .confirmed = T_NOTCONF } },
		.ctr = { RQ, MISS, NEW, SENT, C(static_untouched, 1) },
		.ev = { EV_NEW(IP_RX_BCAST, NUD_NOARP, BC) },
	},
	{
		.rule = "ARP-R3", .name = "snapshot slots all taken: arp_ignore=8 in xn_ifconf -> no reply",
		.snap = FX_SNAP_SLOTS_TAKEN,
		.rx = "arp_ignore=8",
		.in = { REQ(H, IP_H, IP_RX) },
		.verdict = V_PASS,
		.ctr = { RQ, C(ignored_arp_ignore, 1) },
	},
	{
		/* not kernel behaviour: shows the data plane trusts the
		 * snapshot over xn_ifconf, which is why every writer of
		 * xn_ifconf publishes a new one (user/lib/snap.h) */
		.rule = "contract", .name = "stale snapshot: arp_ignore=8 written to xn_ifconf after the snapshot -> still answered",
		.snap = FX_SNAP_STALE,
		.rx = "arp_ignore=8",
		.in = { REQ(H, IP_H, IP_RX) },
		.verdict = V_TX, .out = { ANSWER(RX, H, IP_RX, IP_H) },
		.post = { { E(IP_H, NUD_STALE, H) } },
		.ctr = { RQ, MISS, NEW, SENT },
		.ev = { EV_NEW(IP_H, NUD_STALE, H) },
	},
	{
		.rule = "ARP-R1", .name = "request from sip 255.255.255.255 -> no reply (martian source)",
		.in = { REQ(H, IP4(255, 255, 255, 255), IP_RX) },
		.verdict = V_PASS,
		.ctr = { RQ, MISS, C(route_rejected, 1) },
	},
	{
		.rule = "ARP-R1", .name = "request from multicast sip 224.0.0.5 -> no reply (martian source)",
		.in = { REQ(H, IP4(224, 0, 0, 5), IP_RX) },
		.verdict = V_PASS,
		.ctr = { RQ, MISS, C(route_rejected, 1) },
	},
	{
		.rule = "ARP-R1", .name = "request from sip 127.0.0.5 without route_localnet -> no reply (martian source)",
		.in = { REQ(H, IP4(127, 0, 0, 5), IP_RX) },
		.verdict = V_PASS,
		.ctr = { RQ, MISS, C(route_rejected, 1) },
	},
	{
		.rule = "ARP-R1 NUD-12", .name = "request from the subnet broadcast 10.0.0.255 -> reply, NOARP entry ff:ff:ff:ff:ff:ff (kernel 6.18 does)",
		.in = { REQ(H, IP_RX_BCAST, IP_RX) },
		.verdict = V_TX, .out = { ANSWER(RX, H, IP_RX, IP_RX_BCAST) },
		.post = { { E(IP_RX_BCAST, NUD_NOARP, BC), .confirmed = T_NOTCONF } },
		.ctr = { RQ, MISS, NEW, SENT, C(static_untouched, 1) },
		.ev = { EV_NEW(IP_RX_BCAST, NUD_NOARP, BC) },
	},
	{
		/* fib_validate_source() with rp_filter: the reverse lookup of a
		 * broadcast source finds the local table's broadcast route, not
		 * RTN_UNICAST -> -EINVAL (found by the differential suite) */
		.rule = "ARP-R1", .name = "rp_filter=1, request from the subnet broadcast -> no reply (route check fails)",
		.rx = "rp_filter=1",
		.in = { REQ(H, IP_RX_BCAST, IP_RX) },
		.verdict = V_PASS,
		.ctr = { RQ, MISS, C(route_rejected, 1) },
	},
	{
		.rule = "ARP-R1", .name = "rp_filter=2, request from the subnet broadcast -> no reply (route check fails)",
		.rx = "rp_filter=2",
		.in = { REQ(H, IP_RX_BCAST, IP_RX) },
		.verdict = V_PASS,
		.ctr = { RQ, MISS, C(route_rejected, 1) },
	},
	{
		/* arp_filter(): ip_route_output() to a broadcast address leaves
		 * through the device owning the broadcast route: xr0 itself */
		.rule = "ARP-R4 NUD-12", .name = "arp_filter=1, request from xr0's subnet broadcast -> reply, NOARP entry",
		.rx = "arp_filter=1",
		.in = { REQ(H, IP_RX_BCAST, IP_RX) },
		.verdict = V_TX, .out = { ANSWER(RX, H, IP_RX, IP_RX_BCAST) },
		.post = { { E(IP_RX_BCAST, NUD_NOARP, BC), .confirmed = T_NOTCONF } },
		.ctr = { RQ, MISS, NEW, SENT, C(static_untouched, 1) },
		.ev = { EV_NEW(IP_RX_BCAST, NUD_NOARP, BC) },
	},
	{
		.rule = "ARP-R1", .name = "request from sip 0.1.2.3 (only 0.0.0.0 is 'zeronet') -> reply, learned",
		.in = { REQ(H, IP4(0, 1, 2, 3), IP_RX) },
		.verdict = V_TX, .out = { ANSWER(RX, H, IP_RX, IP4(0, 1, 2, 3)) },
		.post = { { E(IP4(0, 1, 2, 3), NUD_STALE, H) } },
		.ctr = { RQ, MISS, NEW, SENT },
		.ev = { EV_NEW(IP4(0, 1, 2, 3), NUD_STALE, H) },
	},

	/* ---- table full (GC-3, ARP-R5: no entry, no reply) ------------------------------- */
	{
		.rule = "ARP-R5 GC-3", .name = "table full (2 slots used) -> request from a new host not answered, TABLE_FULL",
		.neigh_max = 2,
		.pre = { { E(IP_J, NUD_STALE, J) }, { E(IP_K, NUD_STALE, K) } },
		.in = { REQ(H, IP_H, IP_RX) },
		.verdict = V_PASS,
		.ctr = { RQ, MISS, C(table_fulls, 1) },
		.ev = { EV_FULL(IP_H, H) },
	},
	{
		.rule = "ARP-R5 GC-3", .name = "table full -> request from a known host still answered",
		.neigh_max = 2,
		.pre = { { E(IP_J, NUD_STALE, J) }, { E(IP_K, NUD_STALE, K) } },
		.in = { REQ(J, IP_J, IP_RX) },
		.verdict = V_TX, .out = { ANSWER(RX, J, IP_RX, IP_J) },
		.ctr = { RQ, HIT, SENT },
	},
	{
		.rule = "ARP-U4 GC-3", .name = "table full -> gratuitous ARP with arp_accept=1 creates nothing, TABLE_FULL",
		.neigh_max = 2,
		.rx = "arp_accept=1",
		.pre = { { E(IP_J, NUD_STALE, J) }, { E(IP_K, NUD_STALE, K) } },
		.in = { GARP_REQ(H, IP_H) },
		.verdict = V_PASS,
		.ctr = { RQ, MISS2, C(not_for_us, 1), C(gratuitous_seen, 1), C(table_fulls, 1) },
		.ev = { EV_FULL(IP_H, H) },
	},
	/* GC-3 in the data plane: xneighd publishes gc_thresh3 (+ exempt
	 * entries) as xn_global.neigh_limit; the map has room, the limit
	 * does not (neigh_alloc() refuses past gc_thresh3) */
	{
		.rule = "ARP-R5 GC-3", .name = "neigh_limit 2 reached (map not full) -> request from a new host not answered, TABLE_FULL",
		.neigh_limit = 2,
		.pre = { { E(IP_J, NUD_STALE, J) }, { E(IP_K, NUD_STALE, K) } },
		.in = { REQ(H, IP_H, IP_RX) },
		.verdict = V_PASS,
		.ctr = { RQ, MISS, C(table_fulls, 1) },
		.ev = { EV_FULL(IP_H, H) },
	},
	{
		.rule = "ARP-R5 GC-3", .name = "neigh_limit 3, 2 entries -> request from a new host answered, entry made",
		.neigh_limit = 3,
		.pre = { { E(IP_J, NUD_STALE, J) }, { E(IP_K, NUD_STALE, K) } },
		.in = { REQ(H, IP_H, IP_RX) },
		.verdict = V_TX, .out = { ANSWER(RX, H, IP_RX, IP_H) },
		.post = { { E(IP_H, NUD_STALE, H) } },
		.ctr = { RQ, MISS, NEW, SENT },
		.ev = { EV_NEW(IP_H, NUD_STALE, H) },
	},
};

int main(void)
{
	return fx_run_table("arp receive (xn_xdp, xn_tc_in)", arp_fixtures,
			    (int)(sizeof(arp_fixtures) / sizeof(arp_fixtures[0])));
}
