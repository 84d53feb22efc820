// SPDX-License-Identifier: GPL-2.0
/* The control program xn_ctl (SEC "syscall"): user space's atomic
 * neigh_update() (spec NUD-8) on one entry, under the entry's lock.
 *
 *   xneighd / xneigh CLI                     BPF
 *   --------------------                     ---------------------------------
 *   struct xn_ctl_req {op UPDATE, AF_INET,   xn_ctl: lookup (ifindex, addr),
 *     ifindex xr0, addr 10.0.0.2,      --->  create if XN_CTL_F_CREATE,
 *     lladdr, state, update_flags}           __neigh_update() under the lock
 *   result / old_state / new_state /  <---   (written back into ctx_in)
 *   changed
 *
 *   entry under test: 10.0.0.2 on xr0; MACs H = 02:00:00:00:0a:02,
 *   H2 = 02:00:00:00:0b:02.
 *
 * Counters: allocs for a creation; updated (+ lladdr_changes) for a change;
 * static_untouched for an update refused on PERMANENT/NOARP without ADMIN.
 * The control path does not count lookups/hits (the kernel's timer and
 * netlink paths are not ARP receive processing).
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "fixture.h"
#include "frames.h"

#define E(ip_, st, mac_)	.ip = (ip_), .state = (st), .mac = M(mac_)
#define REQ_UPD(st, upd, cflags, mac_) \
	{ .op = XN_CTL_UPDATE, .family = AF_INET, .ctl_flags = (cflags), .lladdr = M(mac_), \
	  .state = (st), .update_flags = (upd) }
#define ADMIN_OVR	(XN_UPD_ADMIN | XN_UPD_OVERRIDE)
#define CRT_LL		(XN_CTL_F_CREATE | XN_CTL_F_HAS_LLADDR)

static const struct fixture ctl_fixtures[] = {
	{
		.rule = "NUD-8 NUD-11", .name = "create PERMANENT (ip neigh add ... nud permanent)",
		.prog = FX_CTL, .ctl_ip = IP_H,
		.ctl = REQ_UPD(NUD_PERMANENT, ADMIN_OVR, CRT_LL, H),
		.ctl_result = 0, .ctl_old = NUD_NONE, .ctl_new = NUD_PERMANENT, .ctl_changed = 1,
		.post = { { E(IP_H, NUD_PERMANENT, H) } },
		.ctr = { C(allocs, 1) },
		.ev = { { XN_EV_CREATED, IP_H, DEV_RX, NUD_NONE, NUD_PERMANENT, M(Z), M(H) } },
	},
	{
		.rule = "NUD-8 NUD-11", .name = "create STALE: confirmed = now - 2*base_reachable",
		.prog = FX_CTL, .ctl_ip = IP_H,
		.ctl = REQ_UPD(NUD_STALE, ADMIN_OVR, CRT_LL, H),
		.ctl_result = 0, .ctl_old = NUD_NONE, .ctl_new = NUD_STALE, .ctl_changed = 1,
		.post = { { E(IP_H, NUD_STALE, H) } },
		.ctr = { C(allocs, 1) },
		.ev = { { XN_EV_CREATED, IP_H, DEV_RX, NUD_NONE, NUD_STALE, M(Z), M(H) } },
	},
	{
		.rule = "NUD-8", .name = "missing entry without XN_CTL_F_CREATE -> -ENOENT, nothing created",
		.prog = FX_CTL, .ctl_ip = IP_H,
		.ctl = REQ_UPD(NUD_STALE, ADMIN_OVR, XN_CTL_F_HAS_LLADDR, H),
		.ctl_result = -ENOENT,
	},
	{
		.rule = "NUD-8.8 NUD-8.11", .name = "ADMIN|OVERRIDE replaces a STALE entry with REACHABLE + new MAC",
		.prog = FX_CTL, .ctl_ip = IP_H,
		.pre = { { E(IP_H, NUD_STALE, H), .age_ms = 100 } },
		.ctl = REQ_UPD(NUD_REACHABLE, ADMIN_OVR, CRT_LL, H2),
		.ctl_result = 0, .ctl_old = NUD_STALE, .ctl_new = NUD_REACHABLE, .ctl_changed = 1,
		.post = { { E(IP_H, NUD_REACHABLE, H2) } },
		.ctr = { C(updated, 1), C(lladdr_changes, 1) },
		.ev = { { XN_EV_LLADDR, IP_H, DEV_RX, NUD_STALE, NUD_REACHABLE, M(H), M(H2) } },
	},
	{
		.rule = "NUD-8.2", .name = "PERMANENT entry, update without ADMIN -> -EPERM, unchanged",
		.prog = FX_CTL, .ctl_ip = IP_H,
		.pre = { { E(IP_H, NUD_PERMANENT, H) } },
		.ctl = REQ_UPD(NUD_STALE, XN_UPD_OVERRIDE, XN_CTL_F_HAS_LLADDR, H2),
		.ctl_result = -EPERM, .ctl_old = NUD_PERMANENT, .ctl_new = NUD_PERMANENT, .ctl_changed = 0,
		.ctr = { C(static_untouched, 1) },
	},
	{
		.rule = "NUD-8.2", .name = "PERMANENT entry, ADMIN|OVERRIDE -> replaced",
		.prog = FX_CTL, .ctl_ip = IP_H,
		.pre = { { E(IP_H, NUD_PERMANENT, H) } },
		.ctl = REQ_UPD(NUD_REACHABLE, ADMIN_OVR, XN_CTL_F_HAS_LLADDR, H2),
		.ctl_result = 0, .ctl_old = NUD_PERMANENT, .ctl_new = NUD_REACHABLE, .ctl_changed = 1,
		.post = { { E(IP_H, NUD_REACHABLE, H2) } },
		.ctr = { C(updated, 1), C(lladdr_changes, 1) },
		.ev = { { XN_EV_LLADDR, IP_H, DEV_RX, NUD_PERMANENT, NUD_REACHABLE, M(H), M(H2) } },
	},
	{
		.rule = "NUD-8.2", .name = "NOARP entry, update without ADMIN -> -EPERM, unchanged",
		.prog = FX_CTL, .ctl_ip = IP_H,
		.pre = { { E(IP_H, NUD_NOARP, H) } },
		.ctl = REQ_UPD(NUD_REACHABLE, XN_UPD_OVERRIDE, XN_CTL_F_HAS_LLADDR, H),
		.ctl_result = -EPERM, .ctl_old = NUD_NOARP, .ctl_new = NUD_NOARP, .ctl_changed = 0,
		.ctr = { C(static_untouched, 1) },
	},
	{
		.rule = "NUD-8.5", .name = "STALE -> FAILED (ADMIN): lladdr kept",
		.prog = FX_CTL, .ctl_ip = IP_H,
		.pre = { { E(IP_H, NUD_STALE, H) } },
		.ctl = REQ_UPD(NUD_FAILED, ADMIN_OVR, 0, Z),
		.ctl_result = 0, .ctl_old = NUD_STALE, .ctl_new = NUD_FAILED, .ctl_changed = 1,
		.post = { { E(IP_H, NUD_FAILED, H), .updated = T_KEEP } },
		.ctr = { C(updated, 1) },
		.ev = { { XN_EV_STATE, IP_H, DEV_RX, NUD_STALE, NUD_FAILED, M(H), M(H) } },
	},
	{
		.rule = "NUD-8.5 ST res_failed", .name = "INCOMPLETE -> FAILED (probes exhausted): neigh_invalidate, res_failed",
		.prog = FX_CTL, .ctl_ip = IP_H,
		.pre = { { E(IP_H, NUD_INCOMPLETE, Z) } },
		.ctl = REQ_UPD(NUD_FAILED, 0, 0, Z),
		.ctl_result = 0, .ctl_old = NUD_INCOMPLETE, .ctl_new = NUD_FAILED, .ctl_changed = 1,
		.post = { { E(IP_H, NUD_FAILED, Z), .updated = T_NOW } },
		.ctr = { C(updated, 1), C(res_failed, 1) },
		.ev = { { XN_EV_STATE, IP_H, DEV_RX, NUD_INCOMPLETE, NUD_FAILED, M(Z), M(Z) } },
	},
	{
		.rule = "NUD-8.6", .name = "no lladdr for an INCOMPLETE entry -> -EINVAL, unchanged",
		.prog = FX_CTL, .ctl_ip = IP_H,
		.pre = { { E(IP_H, NUD_INCOMPLETE, Z) } },
		.ctl = REQ_UPD(NUD_REACHABLE, ADMIN_OVR, 0, Z),
		.ctl_result = -EINVAL, .ctl_old = NUD_INCOMPLETE, .ctl_new = NUD_INCOMPLETE, .ctl_changed = 0,
	},
	{
		.rule = "NUD-8.6 NUD-8.7", .name = "no lladdr for a STALE entry, REACHABLE -> keeps MAC, REACHABLE, confirmed",
		.prog = FX_CTL, .ctl_ip = IP_H,
		.pre = { { E(IP_H, NUD_STALE, H) } },
		.ctl = REQ_UPD(NUD_REACHABLE, XN_UPD_OVERRIDE, 0, Z),
		.ctl_result = 0, .ctl_old = NUD_STALE, .ctl_new = NUD_REACHABLE, .ctl_changed = 1,
		.post = { { E(IP_H, NUD_REACHABLE, H) } },
		.ctr = { C(updated, 1) },
		.ev = { { XN_EV_STATE, IP_H, DEV_RX, NUD_STALE, NUD_REACHABLE, M(H), M(H) } },
	},
	{
		.rule = "NUD-8.8", .name = "different lladdr without OVERRIDE -> no change, result 0",
		.prog = FX_CTL, .ctl_ip = IP_H,
		.pre = { { E(IP_H, NUD_STALE, H) } },
		.ctl = REQ_UPD(NUD_STALE, 0, XN_CTL_F_HAS_LLADDR, H2),
		.ctl_result = 0, .ctl_old = NUD_STALE, .ctl_new = NUD_STALE, .ctl_changed = 0,
	},
	{
		.rule = "NUD-8.8", .name = "WEAK_OVERRIDE on REACHABLE with a different lladdr -> old MAC kept, STALE",
		.prog = FX_CTL, .ctl_ip = IP_H,
		.pre = { { E(IP_H, NUD_REACHABLE, H) } },
		.ctl = REQ_UPD(NUD_REACHABLE, XN_UPD_WEAK_OVERRIDE, XN_CTL_F_HAS_LLADDR, H2),
		/* NUD-8.7: the REACHABLE target confirms before 8.8 demotes */
		.ctl_result = 0, .ctl_old = NUD_REACHABLE, .ctl_new = NUD_STALE, .ctl_changed = 1,
		.post = { { E(IP_H, NUD_STALE, H), .confirmed = T_NOW } },
		.ctr = { C(updated, 1) },
		.ev = { { XN_EV_STATE, IP_H, DEV_RX, NUD_REACHABLE, NUD_STALE, M(H), M(H) } },
	},
	{
		.rule = "NUD-8.8", .name = "same lladdr, STALE, no ADMIN on REACHABLE -> state kept",
		.prog = FX_CTL, .ctl_ip = IP_H,
		.pre = { { E(IP_H, NUD_REACHABLE, H) } },
		.ctl = REQ_UPD(NUD_STALE, XN_UPD_OVERRIDE, XN_CTL_F_HAS_LLADDR, H),
		.ctl_result = 0, .ctl_old = NUD_REACHABLE, .ctl_new = NUD_REACHABLE, .ctl_changed = 0,
	},
	{
		.rule = "NUD-8.8", .name = "same lladdr, STALE, with ADMIN on REACHABLE -> STALE",
		.prog = FX_CTL, .ctl_ip = IP_H,
		.pre = { { E(IP_H, NUD_REACHABLE, H) } },
		.ctl = REQ_UPD(NUD_STALE, ADMIN_OVR, XN_CTL_F_HAS_LLADDR, H),
		.ctl_result = 0, .ctl_old = NUD_REACHABLE, .ctl_new = NUD_STALE, .ctl_changed = 1,
		.post = { { E(IP_H, NUD_STALE, H) } },
		.ctr = { C(updated, 1) },
		.ev = { { XN_EV_STATE, IP_H, DEV_RX, NUD_REACHABLE, NUD_STALE, M(H), M(H) } },
	},
	{
		.rule = "NUD-8.3", .name = "ADMIN with EXT_LEARNED sets NTF_EXT_LEARNED (no state change)",
		.prog = FX_CTL, .ctl_ip = IP_H,
		.pre = { { E(IP_H, NUD_STALE, H) } },
		.ctl = REQ_UPD(NUD_STALE, ADMIN_OVR | XN_UPD_EXT_LEARNED, XN_CTL_F_HAS_LLADDR, H),
		.ctl_result = 0, .ctl_old = NUD_STALE, .ctl_new = NUD_STALE, .ctl_changed = 1,
		.post = { { E(IP_H, NUD_STALE, H), .flags = XN_NTF_EXT_LEARNED, .updated = T_KEEP } },
		/* NUD-8.3: the flag change is notified (gen, updated, event) */
		.ctr = { C(updated, 1) },
		.ev = { { XN_EV_STATE, IP_H, DEV_RX, NUD_STALE, NUD_STALE, M(H), M(H) } },
	},
	{
		.rule = "NUD-8.13", .name = "OVERRIDE_ISROUTER|ISROUTER sets NTF_ROUTER",
		.prog = FX_CTL, .ctl_ip = IP_H,
		.pre = { { E(IP_H, NUD_STALE, H) } },
		.ctl = REQ_UPD(NUD_STALE, ADMIN_OVR | XN_UPD_OVERRIDE_ISROUTER | XN_UPD_ISROUTER,
			       XN_CTL_F_HAS_LLADDR, H),
		.ctl_result = 0, .ctl_old = NUD_STALE, .ctl_new = NUD_STALE, .ctl_changed = 1,
		.post = { { E(IP_H, NUD_STALE, H), .flags = XN_NTF_ROUTER, .updated = T_KEEP } },
		/* NUD-8.13: the IsRouter change is notified */
		.ctr = { C(updated, 1) },
		.ev = { { XN_EV_STATE, IP_H, DEV_RX, NUD_STALE, NUD_STALE, M(H), M(H) } },
	},
	{
		.rule = "NUD-8.4", .name = "USE on a PERMANENT entry drops the PERMANENT bit",
		.prog = FX_CTL, .ctl_ip = IP_H,
		.pre = { { E(IP_H, NUD_PERMANENT, H) } },
		.ctl = REQ_UPD(NUD_PERMANENT, XN_UPD_ADMIN | XN_UPD_USE, XN_CTL_F_HAS_LLADDR, H),
		.ctl_result = 0, .ctl_old = NUD_PERMANENT, .ctl_new = NUD_NONE, .ctl_changed = 1,
		.post = { { E(IP_H, NUD_NONE, H), .updated = T_KEEP } },
		.ctr = { C(updated, 1) },
		.ev = { { XN_EV_STATE, IP_H, DEV_RX, NUD_PERMANENT, NUD_NONE, M(H), M(H) } },
	},
	{
		.rule = "contract", .name = "unknown op -> -EINVAL",
		.prog = FX_CTL, .ctl_ip = IP_H,
		.ctl = { .op = 99, .family = AF_INET },
		.ctl_result = -EINVAL,
	},
};

int main(void)
{
	return fx_run_table("control program (xn_ctl)", ctl_fixtures,
			    (int)(sizeof(ctl_fixtures) / sizeof(ctl_fixtures[0])));
}
