// SPDX-License-Identifier: GPL-2.0
/* xn_ctl's operations for the daemon's half of the NUD machine: a
 * compare-and-set on the entry's `gen`, a gen-checked delete, and the same
 * on the IPv6 table.
 *
 *   xneighd (timer fired)                       xn_ctl, entry lock held
 *   ---------------------                       ----------------------------
 *   snapshot {state REACHABLE, gen 7}
 *   decides: STALE, updated := t
 *   CAS {expect_gen 7, SET_STATE|SET_UPDATED} -> gen == 7 ? write, gen 8 : -EAGAIN
 *                                                (the data plane may have
 *                                                 confirmed it meanwhile)
 *   DELETE {expect_gen 8}                     -> gen == 8 ? mark dead, remove
 *
 *   entries: 10.0.0.2 and 2001:db8:1::2 on xr0 (lab.h); MACs H, H2.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "lab.h"

static struct lab lab;
static int lab_ok = -1;

static const uint8_t H[6] = { 0x02, 0, 0, 0, 0x0a, 0x02 };
static const uint8_t H2[6] = { 0x02, 0, 0, 0, 0x0b, 0x02 };

static int setup(void **state)
{
	if (lab_ok < 0)
		lab_ok = lab_netns() == 0 && lab_open(&lab, 0) == 0;
	if (!lab_ok)
		return 0;
	lab_reset(&lab);
	lab_stats_zero(&lab);
	lab_events_drain(&lab);
	lab.nev = 0;
	return 0;
}

/* host order, as the lab API takes IPv4 addresses */
static uint32_t ip4(const char *s)
{
	return ntohl(inet_addr(s));
}

static void put4(uint8_t state, const uint8_t *mac, uint32_t gen)
{
	struct xn_neigh v = { .state = state, .gen = gen, .confirmed = 1, .updated = 2, .used = 3 };

	memcpy(v.lladdr, mac, 6);
	assert_int_equal(lab_neigh_put(&lab, lab.ifindex[DEV_RX], ip4("10.0.0.2"), &v), 0);
}

static void req4(struct xn_ctl_req *r, __u32 op)
{
	uint32_t a = inet_addr("10.0.0.2");

	memset(r, 0, sizeof(*r));
	r->op = op;
	r->family = AF_INET;
	r->ifindex = lab.ifindex[DEV_RX];
	memcpy(r->addr, &a, 4);
}

static uint64_t stat4(int idx)
{
	struct xn_stats s;

	assert_int_equal(lab_stats_sum(&lab, XN_FAM_ARP, &s), 0);
	return lab_stat(&s, idx);
}

#define NEED_LAB() do { if (!lab_ok) skip(); } while (0)

/* CAS with the right gen writes exactly the masked fields and bumps gen. */
static void cas_matching_gen_writes(void **state)
{
	struct xn_ctl_req r;
	struct xn_neigh v;
	__u32 ret;

	NEED_LAB();
	put4(NUD_REACHABLE, H, 7);
	req4(&r, XN_CTL_CAS);
	r.expect_gen = 7;
	r.set_mask = XN_CTL_SET_STATE | XN_CTL_SET_UPDATED;
	r.state = NUD_STALE;
	r.updated = 12345;
	r.confirmed = 999;	/* not in the mask: must not be written */
	assert_int_equal(lab_run_ctl(&lab, &r, &ret), 0);
	assert_int_equal(r.result, 0);
	assert_int_equal(r.old_state, NUD_REACHABLE);
	assert_int_equal(r.new_state, NUD_STALE);
	assert_int_equal(r.changed, 1);
	assert_int_equal(r.expect_gen, 8);
	assert_int_equal(lab_neigh_get(&lab, lab.ifindex[DEV_RX], ip4("10.0.0.2"), &v), 0);
	assert_int_equal(v.state, NUD_STALE);
	assert_int_equal(v.gen, 8);
	assert_int_equal(v.updated, 12345);
	assert_int_equal(v.confirmed, 1);
	assert_memory_equal(v.lladdr, H, 6);
	assert_int_equal(stat4(XN_STAT_updated), 1);
	lab_events_drain(&lab);
	assert_int_equal(lab.nev, 1);
	assert_int_equal(lab.ev[0].type, XN_EV_STATE);
	assert_int_equal(lab.ev[0].old_state, NUD_REACHABLE);
	assert_int_equal(lab.ev[0].new_state, NUD_STALE);
}

/* CAS on a gen the data plane has moved past: nothing written, -EAGAIN, the
 * current gen returned so the daemon can re-read and decide again. */
static void cas_stale_gen_refused(void **state)
{
	struct xn_ctl_req r;
	struct xn_neigh v;
	__u32 ret;

	NEED_LAB();
	put4(NUD_REACHABLE, H, 9);
	req4(&r, XN_CTL_CAS);
	r.expect_gen = 8;
	r.set_mask = XN_CTL_SET_STATE | XN_CTL_SET_PROBES;
	r.state = NUD_STALE;
	r.probes = 5;
	assert_int_equal(lab_run_ctl(&lab, &r, &ret), 0);
	assert_int_equal(r.result, -EAGAIN);
	assert_int_equal(r.expect_gen, 9);
	assert_int_equal(r.changed, 0);
	assert_int_equal(lab_neigh_get(&lab, lab.ifindex[DEV_RX], ip4("10.0.0.2"), &v), 0);
	assert_int_equal(v.state, NUD_REACHABLE);
	assert_int_equal(v.probes, 0);
	assert_int_equal(v.gen, 9);
	assert_int_equal(stat4(XN_STAT_updated), 0);
	lab_events_drain(&lab);
	assert_int_equal(lab.nev, 0);
}

/* A CAS that changes only timestamps/probes does not bump gen (gen counts
 * state and lladdr changes) and emits nothing. */
static void cas_timestamps_only(void **state)
{
	struct xn_ctl_req r;
	struct xn_neigh v;
	__u32 ret;

	NEED_LAB();
	put4(NUD_PROBE, H, 3);
	req4(&r, XN_CTL_CAS);
	r.expect_gen = 3;
	r.set_mask = XN_CTL_SET_PROBES | XN_CTL_SET_USED;
	r.probes = 2;
	r.used = 777;
	assert_int_equal(lab_run_ctl(&lab, &r, &ret), 0);
	assert_int_equal(r.result, 0);
	assert_int_equal(r.changed, 0);
	assert_int_equal(lab_neigh_get(&lab, lab.ifindex[DEV_RX], ip4("10.0.0.2"), &v), 0);
	assert_int_equal(v.gen, 3);
	assert_int_equal(v.probes, 2);
	assert_int_equal(v.used, 777);
	lab_events_drain(&lab);
	assert_int_equal(lab.nev, 0);
}

/* NUD-5: PROBE -> FAILED by the timer is neigh_invalidate(): res_failed. */
static void cas_probe_to_failed_counts_res_failed(void **state)
{
	struct xn_ctl_req r;
	__u32 ret;

	NEED_LAB();
	put4(NUD_PROBE, H, 4);
	req4(&r, XN_CTL_CAS);
	r.expect_gen = 4;
	r.set_mask = XN_CTL_SET_STATE;
	r.state = NUD_FAILED;
	assert_int_equal(lab_run_ctl(&lab, &r, &ret), 0);
	assert_int_equal(r.result, 0);
	assert_int_equal(stat4(XN_STAT_res_failed), 1);
}

static void cas_missing_entry(void **state)
{
	struct xn_ctl_req r;
	__u32 ret;

	NEED_LAB();
	req4(&r, XN_CTL_CAS);
	r.set_mask = XN_CTL_SET_STATE;
	r.state = NUD_STALE;
	assert_int_equal(lab_run_ctl(&lab, &r, &ret), 0);
	assert_int_equal(r.result, -ENOENT);
	assert_int_equal(lab_neigh_count(&lab), 0);
}

/* DELETE with the right gen removes the entry, counts destroys, and emits
 * XN_EV_DELETED; with a stale gen it leaves it alone. */
static void delete_by_gen(void **state)
{
	struct xn_ctl_req r;
	__u32 ret;

	NEED_LAB();
	put4(NUD_FAILED, H, 5);
	req4(&r, XN_CTL_DELETE);
	r.expect_gen = 4;
	assert_int_equal(lab_run_ctl(&lab, &r, &ret), 0);
	assert_int_equal(r.result, -EAGAIN);
	assert_int_equal(r.expect_gen, 5);
	assert_int_equal(lab_neigh_count(&lab), 1);

	req4(&r, XN_CTL_DELETE);
	r.expect_gen = 5;
	assert_int_equal(lab_run_ctl(&lab, &r, &ret), 0);
	assert_int_equal(r.result, 0);
	assert_int_equal(lab_neigh_count(&lab), 0);
	assert_int_equal(stat4(XN_STAT_destroys), 1);
	lab_events_drain(&lab);
	assert_int_equal(lab.nev, 1);
	assert_int_equal(lab.ev[0].type, XN_EV_DELETED);
	assert_int_equal(lab.ev[0].old_state, NUD_FAILED);
}

static void delete_any_gen(void **state)
{
	struct xn_ctl_req r;
	__u32 ret;

	NEED_LAB();
	put4(NUD_STALE, H, 42);
	req4(&r, XN_CTL_DELETE);
	r.ctl_flags = XN_CTL_F_ANY_GEN;
	assert_int_equal(lab_run_ctl(&lab, &r, &ret), 0);
	assert_int_equal(r.result, 0);
	assert_int_equal(lab_neigh_count(&lab), 0);
}

/* NUD-8.1: an entry marked dead (between the delete's lock and its removal)
 * takes no update, neither from a frame nor from xn_ctl. */
static void dead_entry_takes_no_update(void **state)
{
	struct xn_neigh v = { .state = NUD_STALE, .gen = 1, .xflags = XN_NF_DEAD };
	struct xn_ctl_req r;
	__u32 ret;

	NEED_LAB();
	memcpy(v.lladdr, H, 6);
	assert_int_equal(lab_neigh_put(&lab, lab.ifindex[DEV_RX], ip4("10.0.0.2"), &v), 0);
	req4(&r, XN_CTL_UPDATE);
	r.ctl_flags = XN_CTL_F_HAS_LLADDR;
	memcpy(r.lladdr, H2, 6);
	r.state = NUD_REACHABLE;
	r.update_flags = XN_UPD_ADMIN | XN_UPD_OVERRIDE;
	assert_int_equal(lab_run_ctl(&lab, &r, &ret), 0);
	assert_int_equal(r.result, -ENOENT);
	assert_int_equal(lab_neigh_get(&lab, lab.ifindex[DEV_RX], ip4("10.0.0.2"), &v), 0);
	assert_int_equal(v.state, NUD_STALE);
	assert_memory_equal(v.lladdr, H, 6);

	req4(&r, XN_CTL_CAS);
	r.expect_gen = 1;
	r.set_mask = XN_CTL_SET_STATE;
	r.state = NUD_DELAY;
	assert_int_equal(lab_run_ctl(&lab, &r, &ret), 0);
	assert_int_equal(r.result, -EAGAIN);
}

/* The same operations on the IPv6 table (nd_tbl), counted in slot 1. */
static void ipv6_update_cas_delete(void **state)
{
	uint8_t a6[16];
	struct xn_ctl_req r;
	struct xn_neigh v;
	struct xn_stats s;
	__u32 ret;

	NEED_LAB();
	inet_pton(AF_INET6, "2001:db8:1::2", a6);
	memset(&r, 0, sizeof(r));
	r.op = XN_CTL_UPDATE;
	r.family = AF_INET6;
	r.ifindex = lab.ifindex[DEV_RX];
	memcpy(r.addr, a6, 16);
	r.ctl_flags = XN_CTL_F_CREATE | XN_CTL_F_HAS_LLADDR;
	memcpy(r.lladdr, H, 6);
	r.state = NUD_REACHABLE;
	r.update_flags = XN_UPD_ADMIN | XN_UPD_OVERRIDE | XN_UPD_OVERRIDE_ISROUTER | XN_UPD_ISROUTER;
	assert_int_equal(lab_run_ctl(&lab, &r, &ret), 0);
	assert_int_equal(r.result, 0);
	assert_int_equal(lab_neigh6_get(&lab, lab.ifindex[DEV_RX], a6, &v), 0);
	assert_int_equal(v.state, NUD_REACHABLE);
	assert_int_equal(v.flags & XN_NTF_ROUTER, XN_NTF_ROUTER);
	assert_int_equal(lab_neigh_count(&lab), 0);	/* nothing in the IPv4 table */

	r.op = XN_CTL_CAS;
	r.expect_gen = v.gen;
	r.set_mask = XN_CTL_SET_STATE;
	r.state = NUD_STALE;
	assert_int_equal(lab_run_ctl(&lab, &r, &ret), 0);
	assert_int_equal(r.result, 0);
	assert_int_equal(lab_neigh6_get(&lab, lab.ifindex[DEV_RX], a6, &v), 0);
	assert_int_equal(v.state, NUD_STALE);

	r.op = XN_CTL_DELETE;
	r.ctl_flags = XN_CTL_F_ANY_GEN;
	assert_int_equal(lab_run_ctl(&lab, &r, &ret), 0);
	assert_int_equal(r.result, 0);
	assert_int_not_equal(lab_neigh6_get(&lab, lab.ifindex[DEV_RX], a6, &v), 0);
	assert_int_equal(lab_stats_sum(&lab, XN_FAM_ND, &s), 0);
	assert_int_equal(lab_stat(&s, XN_STAT_allocs), 1);
	assert_int_equal(lab_stat(&s, XN_STAT_destroys), 1);
	assert_int_equal(lab_stats_sum(&lab, XN_FAM_ARP, &s), 0);
	assert_int_equal(lab_stat(&s, XN_STAT_allocs), 0);
}

static void unknown_family(void **state)
{
	struct xn_ctl_req r;
	__u32 ret;

	NEED_LAB();
	req4(&r, XN_CTL_UPDATE);
	r.family = 99;
	assert_int_equal(lab_run_ctl(&lab, &r, &ret), 0);
	assert_int_equal(r.result, -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(cas_matching_gen_writes, setup),
		cmocka_unit_test_setup(cas_stale_gen_refused, setup),
		cmocka_unit_test_setup(cas_timestamps_only, setup),
		cmocka_unit_test_setup(cas_probe_to_failed_counts_res_failed, setup),
		cmocka_unit_test_setup(cas_missing_entry, setup),
		cmocka_unit_test_setup(delete_by_gen, setup),
		cmocka_unit_test_setup(delete_any_gen, setup),
		cmocka_unit_test_setup(dead_entry_takes_no_update, setup),
		cmocka_unit_test_setup(ipv6_update_cas_delete, setup),
		cmocka_unit_test_setup(unknown_family, setup),
	};

	return cmocka_run_group_tests_name("xn_ctl operations", tests, NULL, NULL);
}
