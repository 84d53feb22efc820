// SPDX-License-Identifier: GPL-2.0
/* Transmit side: xn_tc_out (TC egress) plays neigh_event_send() for the
 * entries of xn_neigh4 (spec NUD-1..NUD-3).
 *
 *   netns under test
 *   +--------------------------------------------------------------+
 *   | 10.0.0.1 xr0 02:00:00:00:00:01  --- IPv4/UDP --->  H 10.0.0.2 |  eth dst = H's MAC
 *   |                                                 02:00:00:00:0a:02
 *   | 10.1.0.1 xo0 02:00:00:00:01:01  --- IPv4/UDP --->  10.9.0.5  |  via 10.1.0.254
 *   |                                  (eth dst = gateway 02:00:00:00:0c:fe)
 *   +--------------------------------------------------------------+
 *         xn_tc_out sees the frame on egress (ctx ifindex = xr0 / xo0)
 *
 *   STALE -> DELAY, used := now, updated := now        (NUD-3, slow path)
 *   DELAY / PROBE: used := now, state kept             (NUD-1)
 *   REACHABLE / PERMANENT / NOARP: nothing, not even `used` (NUD-2 fast path)
 *   unknown destination: nothing
 * Always TC_ACT_OK with the frame untouched.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "fixture.h"
#include "frames.h"

#define E(ip_, st, mac_)	.ip = (ip_), .state = (st), .mac = M(mac_)
#define TO_H	{ IPV4(H, RX, IP_RX, IP_H) }

static const struct fixture tx_fixtures[] = {
	/* NUD-15: the kernel's own ARP request for an unknown neighbour leaves
	 * through xr0: xneigh creates the entry the kernel created, INCOMPLETE */
	{
		.rule = "NUD-15", .name = "our own ARP request for an unknown neighbour -> INCOMPLETE entry",
		.prog = FX_TC_OUT,
		.in = { REQ(RX, IP_RX, IP_H) },
		.post = { { E(IP_H, NUD_INCOMPLETE, Z), .xflags_set = true,
			    .xflags = XN_NF_CREATED_BY_DP | XN_NF_KERNEL_SOLICIT, .confirmed = T_ANY } },
		.ctr = { C(allocs, 1), C(learned, 1), C(tx_kernel_solicits, 1) },
		.ev = { { XN_EV_CREATED, IP_H, DEV_RX, NUD_NONE, NUD_INCOMPLETE, M(Z), M(Z) } },
	},
	{
		.rule = "NUD-15", .name = "our own ARP request for a known neighbour -> untouched",
		.prog = FX_TC_OUT,
		.pre = { { E(IP_H, NUD_STALE, H) } },
		.in = { REQ(RX, IP_RX, IP_H) },
	},
	{
		.rule = "NUD-15", .name = "our own gratuitous ARP (sip == tip) -> nothing",
		.prog = FX_TC_OUT,
		.in = { REQ(RX, IP_RX, IP_RX) },
	},
	{
		.rule = "NUD-15", .name = "an ARP request from another MAC (bridged through) -> nothing",
		.prog = FX_TC_OUT,
		.in = { REQ(X, IP_J, IP_H) },
	},
	{
		.rule = "NUD-3", .name = "packet to a STALE neighbour -> DELAY, used and updated now",
		.prog = FX_TC_OUT,
		.pre = { { E(IP_H, NUD_STALE, H) } },
		.in = TO_H,
		.post = { { E(IP_H, NUD_DELAY, H), .used = T_NOW, .updated = T_NOW, .confirmed = T_KEEP } },
		.ctr = { C(tx_used, 1), C(tx_stale_to_delay, 1) },
		/* the kernel sends no netlink message for STALE -> DELAY (O-9);
		 * xneighd gets this event to arm its DELAY timer */
		.ev = { { XN_EV_STATE, IP_H, DEV_RX, NUD_STALE, NUD_DELAY, M(H), M(H) } },
	},
	{
		.rule = "NUD-2", .name = "packet to a REACHABLE neighbour -> unchanged, used not refreshed",
		.prog = FX_TC_OUT,
		.pre = { { E(IP_H, NUD_REACHABLE, H) } },
		.in = TO_H,
	},
	{
		.rule = "NUD-2", .name = "packet to a PERMANENT neighbour -> unchanged",
		.prog = FX_TC_OUT,
		.pre = { { E(IP_H, NUD_PERMANENT, H) } },
		.in = TO_H,
	},
	{
		.rule = "NUD-1", .name = "packet to a DELAY neighbour -> used now, state kept",
		.prog = FX_TC_OUT,
		.pre = { { E(IP_H, NUD_DELAY, H), .age_ms = 2000 } },
		.in = TO_H,
		.post = { { E(IP_H, NUD_DELAY, H), .used = T_NOW } },
		.ctr = { C(tx_used, 1) },
	},
	{
		.rule = "NUD-1", .name = "packet to a PROBE neighbour -> used now, state kept",
		.prog = FX_TC_OUT,
		.pre = { { E(IP_H, NUD_PROBE, H), .age_ms = 2000 } },
		.in = TO_H,
		.post = { { E(IP_H, NUD_PROBE, H), .used = T_NOW } },
		.ctr = { C(tx_used, 1) },
	},
	{
		.rule = "NUD-3", .name = "packet to an unknown neighbour -> nothing created",
		.prog = FX_TC_OUT,
		.in = TO_H,
	},
	{
		.rule = "NUD-3", .name = "STALE entry on another interface is not this interface's neighbour",
		.prog = FX_TC_OUT,
		.pre = { { E(IP_H, NUD_STALE, H), .dev = DEV_OX } },
		.in = TO_H,
	},
	{
		.rule = "NUD-3", .name = "frame addressed to another MAC than the entry's -> entry untouched",
		.prog = FX_TC_OUT,
		.pre = { { E(IP_H, NUD_STALE, H2) } },
		.in = TO_H,
	},
	{
		.rule = "NUD-3", .name = "off-link destination -> the gateway's STALE entry goes DELAY",
		.prog = FX_TC_OUT, .in_dev = DEV_OX,
		.pre = { { E(IP_GW, NUD_STALE, GW), .dev = DEV_OX } },
		.in = { IPV4(GW, OX, IP_OX, IP_FAR) },
		.post = { { E(IP_GW, NUD_DELAY, GW), .dev = DEV_OX, .used = T_NOW, .updated = T_NOW,
			    .confirmed = T_KEEP } },
		.ctr = { C(tx_used, 1), C(tx_stale_to_delay, 1) },
		.ev = { { XN_EV_STATE, IP_GW, DEV_OX, NUD_STALE, NUD_DELAY, M(GW), M(GW) } },
	},
	{
		.rule = "NUD-3", .name = "an ARP frame on egress -> untouched, nothing marked",
		.prog = FX_TC_OUT,
		.pre = { { E(IP_H, NUD_STALE, H) } },
		.in = { REQ_TO(H, RX, IP_RX, IP_H) },
	},
};

int main(void)
{
	return fx_run_table("transmit (xn_tc_out)", tx_fixtures,
			    (int)(sizeof(tx_fixtures) / sizeof(tx_fixtures[0])));
}
