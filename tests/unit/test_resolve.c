// SPDX-License-Identifier: GPL-2.0
/* include/xneigh/resolve.h: next-hop resolution for other BPF programs,
 * neigh_event_send() on xneigh's tables (spec NUD-1..3), run through
 * tests/bpf/resolve_test.bpf.c, an object of its own whose xneigh maps are
 * the lab's (bpf_map__reuse_fd(), as a user of resolve.h does with xneighd's
 * pins).
 *
 *   netns under test (lab.h)
 *   +--------------------------------------------------------------------+
 *   | rt_xdp / rt_tc:  xn_resolve4/6(ifindex, next hop, policy)           |
 *   |   xo0 02:00:00:00:01:01 (xn_ifconf)  ->  10.1.0.254 / 2001:db8:10::fe |
 *   |                                          (gateway G, 02:00:00:00:0c:fe)|
 *   |   lo (no xn_ifconf): not xneigh's, nothing is resolved there         |
 *   +--------------------------------------------------------------------+
 *
 *   valid entry      XN_RES_OK, dmac = entry, smac = xo0; CONNECTED untouched
 *                    (NUD-2), STALE -> DELAY (NUD-3), DELAY/PROBE used := now
 *   no entry         NONE entry created (CREATED event), resolution asked
 *                    (XN_EV_RESOLVE, or the held frame's XN_HOLD_F_RESOLVE)
 *   NONE / FAILED    resolution asked; INCOMPLETE: not asked again
 *   policy           PASS -> XN_RES_PASS; DROP -> XN_RES_DROP + unres_discards;
 *                    HOLD -> XN_RES_HELD + the whole frame in xn_hold, or
 *                    XN_RES_DROP + unres_discards when it cannot be held
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <cmocka.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "xneigh.skel.h"
#include "lab.h"
#include "pkt.h"

#define IP_GW		IP4(10, 1, 0, 254)
#define MAC_GW		{ 0x02, 0, 0, 0, 0x0c, 0xfe }
#define MAC_OLD		{ 0x02, 0, 0, 0, 0x0c, 0x99 }
static const uint8_t GW6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0x10, [15] = 0xfe };

/* tests/bpf/resolve_test.bpf.c's argument block */
struct rt_args {
	__u32 ifindex;
	__u32 family;
	__u8 nh[16];
	__s32 policy;
	__s32 ret;
	/* struct xn_resolve_out */
	__u8 dmac[6];
	__u8 smac[6];
	__u8 state;
	__u8 pad[3];
};

enum { POL_PASS = 0, POL_DROP = 1, POL_HOLD = 2 };		/* enum xn_resolve_policy */
enum { RES_OK = 0, RES_PASS, RES_DROP, RES_HELD };		/* enum xn_resolve_ret */

#define MAX_HELD	8

static struct {
	struct lab l;
	struct bpf_object *obj;
	int prog_xdp, prog_tc, args_fd, hold_fd;
	struct ring_buffer *hold_rb;
	struct xn_hold_rec held[MAX_HELD];
	int nheld;
} T;

static int on_hold(void *ctx, void *data, size_t size)
{
	if (size != sizeof(struct xn_hold_rec)) {
		fprintf(stderr, "hold record of %zu bytes, expected %zu\n", size,
			sizeof(struct xn_hold_rec));
		return 0;
	}
	if (T.nheld < MAX_HELD)
		memcpy(&T.held[T.nheld], data, size);
	T.nheld++;
	return 0;
}

/* The test object next to this binary ($BUILD/tests/). */
static int obj_path(char *buf, size_t len)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	char *slash;

	if (n <= 0)
		return -1;
	self[n] = '\0';
	slash = strrchr(self, '/');
	if (!slash)
		return -1;
	*slash = '\0';
	return snprintf(buf, len, "%s/resolve_test.bpf.o", self) >= (int)len ? -1 : 0;
}

static int group_setup(void **state)
{
	struct bpf_map *map;
	char path[PATH_MAX];
	int err;

	if (lab_netns() || lab_open(&T.l, 0))
		return -1;
	if (obj_path(path, sizeof(path)))
		return -1;
	T.obj = bpf_object__open_file(path, NULL);
	if (!T.obj) {
		fprintf(stderr, "cannot open %s: %s\n", path, strerror(errno));
		return -1;
	}
	/* every xneigh map of the object is the lab's (resolve.h: reuse) */
	bpf_object__for_each_map(map, T.obj) {
		struct bpf_map *ours;

		if (bpf_map__is_internal(map))
			continue;
		ours = bpf_object__find_map_by_name(T.l.skel->obj, bpf_map__name(map));
		if (!ours)
			continue;
		err = bpf_map__reuse_fd(map, bpf_map__fd(ours));
		if (err) {
			fprintf(stderr, "reuse %s: %s\n", bpf_map__name(map), strerror(-err));
			return -1;
		}
	}
	err = bpf_object__load(T.obj);
	if (err) {
		fprintf(stderr, "load %s: %s\n", path, strerror(-err));
		return -1;
	}
	T.prog_xdp = bpf_program__fd(bpf_object__find_program_by_name(T.obj, "rt_xdp"));
	T.prog_tc = bpf_program__fd(bpf_object__find_program_by_name(T.obj, "rt_tc"));
	T.args_fd = bpf_object__find_map_fd_by_name(T.obj, "rt_args");
	T.hold_fd = bpf_map__fd(T.l.skel->maps.xn_hold);
	T.hold_rb = ring_buffer__new(T.hold_fd, on_hold, NULL, NULL);
	if (T.prog_xdp < 0 || T.prog_tc < 0 || T.args_fd < 0 || !T.hold_rb)
		return -1;
	return 0;
}

static int group_teardown(void **state)
{
	ring_buffer__free(T.hold_rb);
	bpf_object__close(T.obj);
	lab_close(&T.l);
	return 0;
}

/* Empty tables, default configuration, nothing held. */
static int setup(void **state)
{
	struct xn_ifconf rx, ox;

	if (lab_reset(&T.l))
		return -1;
	lab_ifconf_default(&T.l, DEV_RX, &rx);
	lab_ifconf_default(&T.l, DEV_OX, &ox);
	if (lab_apply(&T.l, &rx, &ox))
		return -1;
	ring_buffer__consume(T.hold_rb);
	T.nheld = 0;
	return 0;
}

/* An IPv4/UDP frame to 10.9.0.5 (routed via the gateway), as it would
 * leave: Ethernet addresses still those it arrived with. */
static size_t frame4(uint8_t *buf, size_t pad_to)
{
	struct pkt p = {
		.kind = PKT_IP4,
		.eth_dst = { 0x02, 0, 0, 0, 0, 0x01 },
		.eth_src = { 0x02, 0, 0, 0, 0x0a, 0x02 },
		.saddr = IP4(10, 0, 0, 2),
		.daddr = IP4(10, 9, 0, 5),
		.pad_to = (uint16_t)pad_to,
	};
	int n = pkt_build(&p, buf, PKT_MAX);

	assert_true(n > 0);
	return (size_t)n;
}

static size_t frame6(uint8_t *buf)
{
	struct pkt p = {
		.kind = PKT_IP6,
		.eth_dst = { 0x02, 0, 0, 0, 0, 0x01 },
		.eth_src = { 0x02, 0, 0, 0, 0x0a, 0x02 },
		.src6 = { 0x20, 0x01, 0x0d, 0xb8, 0, 1, [15] = 2 },
		.dst6 = { 0x20, 0x01, 0x0d, 0xb8, 0, 0x99, [15] = 5 },
		.hlim = 63,
	};
	int n = pkt_build(&p, buf, PKT_MAX);

	assert_true(n > 0);
	return (size_t)n;
}

/* One run of rt_xdp (xdp) or rt_tc; returns the program's answer. */
static int run(bool xdp, __u32 family, __u32 ifindex, const void *nh, int policy,
	       const uint8_t *frame, size_t len, struct rt_args *a)
{
	static uint8_t out[4096];
	__u32 zero = 0;
	int err;

	memset(a, 0, sizeof(*a));
	a->ifindex = ifindex;
	a->family = family;
	memcpy(a->nh, nh, family == AF_INET6 ? 16 : 4);
	a->policy = policy;
	a->ret = -1;
	assert_int_equal(bpf_map_update_elem(T.args_fd, &zero, a, BPF_ANY), 0);
	if (xdp) {
		struct xdp_md ctx = { .data_end = (__u32)len,
				      .ingress_ifindex = T.l.ifindex[DEV_RX] };
		LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = frame, .data_size_in = (__u32)len,
			    .data_out = out, .data_size_out = sizeof(out), .ctx_in = &ctx,
			    .ctx_size_in = sizeof(ctx), .repeat = 1);

		err = bpf_prog_test_run_opts(T.prog_xdp, &o);
	} else {
		struct __sk_buff ctx = { .ifindex = ifindex };
		LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = frame, .data_size_in = (__u32)len,
			    .data_out = out, .data_size_out = sizeof(out), .ctx_in = &ctx,
			    .ctx_size_in = sizeof(ctx), .repeat = 1);

		err = bpf_prog_test_run_opts(T.prog_tc, &o);
	}
	assert_int_equal(err, 0);
	assert_int_equal(bpf_map_lookup_elem(T.args_fd, &zero, a), 0);
	lab_events_drain(&T.l);
	ring_buffer__consume(T.hold_rb);
	return a->ret;
}

static void put4(uint8_t state, const uint8_t *mac, __u64 age_ns, __u32 xflags)
{
	struct xn_neigh v = { .state = state, .gen = 5, .xflags = xflags };
	__u64 t = lab_now_ns() - age_ns;

	if (mac)
		memcpy(v.lladdr, mac, 6);
	v.confirmed = v.updated = v.used = t;
	assert_int_equal(lab_neigh_put(&T.l, T.l.ifindex[DEV_OX], IP_GW, &v), 0);
}

static void get4(struct xn_neigh *v)
{
	assert_int_equal(lab_neigh_get(&T.l, T.l.ifindex[DEV_OX], IP_GW, v), 0);
}

static __u64 stat4(int slot, int idx)
{
	struct xn_stats s;

	assert_int_equal(lab_stats_sum(&T.l, slot, &s), 0);
	return lab_stat(&s, idx);
}

/* Every counter of both slots is 0 but those listed (idx, value pairs,
 * slot given per pair as idx + 1000 * slot), ended by -1. */
static void expect_counters(int first, ...)
{
	__u64 want[2][XN_STAT__COUNT] = { { 0 } };
	va_list ap;
	int idx = first;

	va_start(ap, first);
	while (idx >= 0) {
		int slot = idx / 1000;

		want[slot][idx % 1000] = va_arg(ap, __u64);
		idx = va_arg(ap, int);
	}
	va_end(ap);
	for (int slot = 0; slot < 2; slot++) {
		for (int i = 0; i < XN_STAT__COUNT; i++) {
			__u64 got = stat4(slot, i);

			if (got != want[slot][i])
				fail_msg("counter %s (slot %d): %llu, expected %llu",
					 lab_stat_name(i), slot, (unsigned long long)got,
					 (unsigned long long)want[slot][i]);
		}
	}
}

#define ND(idx)		(1000 + (idx))
#define END		-1

static const uint8_t mac_gw[6] = MAC_GW;
static const uint8_t mac_ox[6] = { 0x02, 0, 0, 0, 0x01, 0x01 };
static const uint8_t zero6[6];

static void gw4(uint8_t *nh)
{
	uint32_t be = htonl(IP_GW);

	memcpy(nh, &be, 4);
}

/* ---- usable entries ------------------------------------------------------------- */

static void check_reachable(bool xdp)
{
	uint8_t f[PKT_MAX], nh[4];
	struct xn_neigh v;
	struct rt_args a;
	size_t len = frame4(f, 0);

	put4(NUD_REACHABLE, mac_gw, 1000000000ull, 0);
	gw4(nh);
	assert_int_equal(run(xdp, AF_INET, T.l.ifindex[DEV_OX], nh, POL_HOLD, f, len, &a), RES_OK);
	assert_memory_equal(a.dmac, mac_gw, 6);
	assert_memory_equal(a.smac, mac_ox, 6);
	assert_int_equal(a.state, NUD_REACHABLE);
	get4(&v);
	/* NUD-2: the header cache path marks nothing */
	assert_int_equal(v.state, NUD_REACHABLE);
	assert_int_equal(v.gen, 5);
	assert_true(v.used < lab_now_ns() - 500000000ull);
	assert_int_equal(T.l.nev, 0);
	assert_int_equal(T.nheld, 0);
	expect_counters(END);
}

static void test_reachable_xdp(void **state) { check_reachable(true); }
static void test_reachable_tc(void **state) { check_reachable(false); }

static void check_stale(bool xdp)
{
	uint8_t f[PKT_MAX], nh[4];
	struct xn_neigh v;
	struct rt_args a;
	size_t len = frame4(f, 0);
	__u64 t0 = lab_now_ns();

	put4(NUD_STALE, mac_gw, 5000000000ull, 0);
	gw4(nh);
	assert_int_equal(run(xdp, AF_INET, T.l.ifindex[DEV_OX], nh, POL_DROP, f, len, &a), RES_OK);
	assert_memory_equal(a.dmac, mac_gw, 6);
	assert_int_equal(a.state, NUD_STALE);
	get4(&v);
	/* NUD-3: STALE -> DELAY, updated and used now, gen bumped */
	assert_int_equal(v.state, NUD_DELAY);
	assert_int_equal(v.gen, 6);
	assert_true(v.used >= t0 && v.updated >= t0);
	assert_true(v.confirmed < t0);
	assert_int_equal(T.l.nev, 1);
	assert_int_equal(T.l.ev[0].type, XN_EV_STATE);
	assert_int_equal(T.l.ev[0].old_state, NUD_STALE);
	assert_int_equal(T.l.ev[0].new_state, NUD_DELAY);
	assert_memory_equal(T.l.ev[0].new_lladdr, mac_gw, 6);
	expect_counters(XN_STAT_tx_used, 1ull, XN_STAT_tx_stale_to_delay, 1ull, END);
}

static void test_stale_xdp(void **state) { check_stale(true); }
static void test_stale_tc(void **state) { check_stale(false); }

static void test_probe_marks_used(void **state)
{
	uint8_t f[PKT_MAX], nh[4];
	struct xn_neigh v;
	struct rt_args a;
	size_t len = frame4(f, 0);
	__u64 t0 = lab_now_ns();

	put4(NUD_PROBE, mac_gw, 5000000000ull, 0);
	gw4(nh);
	assert_int_equal(run(true, AF_INET, T.l.ifindex[DEV_OX], nh, POL_PASS, f, len, &a), RES_OK);
	get4(&v);
	/* NUD-1: used := now, nothing else */
	assert_int_equal(v.state, NUD_PROBE);
	assert_int_equal(v.gen, 5);
	assert_true(v.used >= t0);
	assert_true(v.updated < t0);
	assert_int_equal(T.l.nev, 0);
	expect_counters(XN_STAT_tx_used, 1ull, END);
}

/* ---- unresolved next hops -------------------------------------------------------- */

static void expect_created_none(__u64 t0)
{
	struct xn_neigh v;

	get4(&v);
	assert_int_equal(v.state, NUD_NONE);
	assert_int_equal(v.xflags, XN_NF_CREATED_BY_DP);
	assert_int_equal(v.gen, 1);
	assert_memory_equal(v.lladdr, zero6, 6);
	assert_true(v.updated >= t0 && v.used >= t0);
	/* NUD-11: not confirmed, 2 * base_reachable_time back */
	assert_true(v.confirmed <= lab_now_ns() - 2 * 30000000000ull);
	assert_true(T.l.nev >= 1);
	assert_int_equal(T.l.ev[0].type, XN_EV_CREATED);
	assert_int_equal(T.l.ev[0].ifindex, T.l.ifindex[DEV_OX]);
	assert_int_equal(T.l.ev[0].new_state, NUD_NONE);
}

static void expect_resolve_event(int i, uint8_t state)
{
	uint32_t be = htonl(IP_GW);

	assert_true(T.l.nev > i);
	assert_int_equal(T.l.ev[i].type, XN_EV_RESOLVE);
	assert_int_equal(T.l.ev[i].family, AF_INET);
	assert_int_equal(T.l.ev[i].ifindex, T.l.ifindex[DEV_OX]);
	assert_memory_equal(T.l.ev[i].addr, &be, 4);
	assert_int_equal(T.l.ev[i].old_state, state);
}

static void test_miss_pass(void **state)
{
	uint8_t f[PKT_MAX], nh[4];
	struct rt_args a;
	size_t len = frame4(f, 0);
	__u64 t0 = lab_now_ns();

	gw4(nh);
	assert_int_equal(run(true, AF_INET, T.l.ifindex[DEV_OX], nh, POL_PASS, f, len, &a),
			 RES_PASS);
	assert_int_equal(a.state, NUD_NONE);
	expect_created_none(t0);
	assert_int_equal(T.l.nev, 2);
	expect_resolve_event(1, NUD_NONE);
	assert_int_equal(T.nheld, 0);
	expect_counters(XN_STAT_allocs, 1ull, XN_STAT_learned, 1ull, XN_STAT_tx_resolves, 1ull,
			END);
}

static void check_miss_drop(bool xdp)
{
	uint8_t f[PKT_MAX], nh[4];
	struct rt_args a;
	size_t len = frame4(f, 0);
	__u64 t0 = lab_now_ns();

	gw4(nh);
	assert_int_equal(run(xdp, AF_INET, T.l.ifindex[DEV_OX], nh, POL_DROP, f, len, &a),
			 RES_DROP);
	expect_created_none(t0);
	assert_int_equal(T.l.nev, 2);
	expect_resolve_event(1, NUD_NONE);
	assert_int_equal(T.nheld, 0);
	expect_counters(XN_STAT_allocs, 1ull, XN_STAT_learned, 1ull, XN_STAT_tx_resolves, 1ull,
			XN_STAT_unres_discards, 1ull, END);
}

static void test_miss_drop_xdp(void **state) { check_miss_drop(true); }
static void test_miss_drop_tc(void **state) { check_miss_drop(false); }

static void expect_held(int i, const uint8_t *frame, size_t len, int family, const void *nh,
			uint8_t state, uint8_t flags, __u64 t0)
{
	const struct xn_hold_rec *r = &T.held[i];
	uint8_t want_addr[16] = { 0 };

	assert_true(T.nheld > i);
	assert_int_equal(r->ifindex, T.l.ifindex[DEV_OX]);
	assert_int_equal(r->family, family);
	assert_int_equal(r->flags, flags);
	assert_int_equal(r->state, state);
	memcpy(want_addr, nh, family == AF_INET6 ? 16 : 4);
	assert_memory_equal(r->addr, want_addr, 16);
	assert_int_equal(r->len, len);
	assert_memory_equal(r->frame, frame, len);
	assert_true(r->ts >= t0 && r->ts <= lab_now_ns());
	assert_int_equal(r->pad, 0);
	assert_int_equal(r->pad2, 0);
}

static void check_miss_hold(bool xdp)
{
	uint8_t f[PKT_MAX], nh[4];
	struct rt_args a;
	size_t len = frame4(f, 0);
	__u64 t0 = lab_now_ns();

	gw4(nh);
	assert_int_equal(run(xdp, AF_INET, T.l.ifindex[DEV_OX], nh, POL_HOLD, f, len, &a),
			 RES_HELD);
	expect_created_none(t0);
	/* the held frame carries the request: no separate event */
	assert_int_equal(T.l.nev, 1);
	assert_int_equal(T.nheld, 1);
	expect_held(0, f, len, AF_INET, nh, NUD_NONE, XN_HOLD_F_RESOLVE, t0);
	expect_counters(XN_STAT_allocs, 1ull, XN_STAT_learned, 1ull, XN_STAT_tx_held, 1ull, END);
}

static void test_miss_hold_xdp(void **state) { check_miss_hold(true); }
static void test_miss_hold_tc(void **state) { check_miss_hold(false); }

static void test_incomplete_hold(void **state)
{
	uint8_t f[PKT_MAX], nh[4];
	struct xn_neigh v;
	struct rt_args a;
	size_t len = frame4(f, 0);
	__u64 t0 = lab_now_ns();

	put4(NUD_INCOMPLETE, NULL, 100000000ull, XN_NF_CREATED_BY_DP);
	gw4(nh);
	assert_int_equal(run(true, AF_INET, T.l.ifindex[DEV_OX], nh, POL_HOLD, f, len, &a),
			 RES_HELD);
	assert_int_equal(a.state, NUD_INCOMPLETE);
	/* being resolved already: held, not asked again; used := now (NUD-1) */
	assert_int_equal(T.nheld, 1);
	expect_held(0, f, len, AF_INET, nh, NUD_INCOMPLETE, 0, t0);
	assert_int_equal(T.l.nev, 0);
	get4(&v);
	assert_int_equal(v.state, NUD_INCOMPLETE);
	assert_int_equal(v.gen, 5);
	assert_true(v.used >= t0 && v.updated < t0);
	expect_counters(XN_STAT_tx_used, 1ull, XN_STAT_tx_held, 1ull, END);
}

static void test_failed_restarts(void **state)
{
	uint8_t f[PKT_MAX], nh[4];
	struct xn_neigh v;
	struct rt_args a;
	size_t len = frame4(f, 0);

	put4(NUD_FAILED, mac_gw, 100000000ull, 0);
	gw4(nh);
	/* NUD-3: a packet through a FAILED entry starts resolving it again */
	assert_int_equal(run(true, AF_INET, T.l.ifindex[DEV_OX], nh, POL_PASS, f, len, &a),
			 RES_PASS);
	assert_int_equal(a.state, NUD_FAILED);
	assert_int_equal(T.l.nev, 1);
	expect_resolve_event(0, NUD_FAILED);
	get4(&v);
	assert_int_equal(v.state, NUD_FAILED);	/* xneighd moves it */
	expect_counters(XN_STAT_tx_used, 1ull, XN_STAT_tx_resolves, 1ull, END);
}

static void test_dead_entry(void **state)
{
	uint8_t f[PKT_MAX], nh[4];
	struct rt_args a;
	size_t len = frame4(f, 0);

	put4(NUD_INCOMPLETE, NULL, 100000000ull, XN_NF_DEAD);
	gw4(nh);
	/* out_dead: nothing marked, nothing asked, the policy decides */
	assert_int_equal(run(true, AF_INET, T.l.ifindex[DEV_OX], nh, POL_DROP, f, len, &a),
			 RES_DROP);
	assert_int_equal(T.l.nev, 0);
	expect_counters(XN_STAT_unres_discards, 1ull, END);
}

static void test_too_long_to_hold(void **state)
{
	static uint8_t big[XN_HOLD_FRAME_MAX + 1];
	uint8_t nh[4];
	struct rt_args a;
	__u64 t0 = lab_now_ns();

	frame4(big, 0);
	gw4(nh);
	/* never truncated: not held, discarded and counted, resolution asked */
	assert_int_equal(run(true, AF_INET, T.l.ifindex[DEV_OX], nh, POL_HOLD, big, sizeof(big),
			     &a), RES_DROP);
	assert_int_equal(T.nheld, 0);
	expect_created_none(t0);
	assert_int_equal(T.l.nev, 2);
	expect_resolve_event(1, NUD_NONE);
	expect_counters(XN_STAT_allocs, 1ull, XN_STAT_learned, 1ull, XN_STAT_tx_resolves, 1ull,
			XN_STAT_unres_discards, 1ull, END);
}

static void test_longest_held(void **state)
{
	static uint8_t big[XN_HOLD_FRAME_MAX];
	uint8_t nh[4];
	struct rt_args a;
	__u64 t0 = lab_now_ns();

	frame4(big, 0);
	for (size_t i = 64; i < sizeof(big); i++)
		big[i] = (uint8_t)i;
	gw4(nh);
	assert_int_equal(run(false, AF_INET, T.l.ifindex[DEV_OX], nh, POL_HOLD, big, sizeof(big),
			     &a), RES_HELD);
	expect_held(0, big, sizeof(big), AF_INET, nh, NUD_NONE, XN_HOLD_F_RESOLVE, t0);
}

static void test_not_xneighs_interface(void **state)
{
	uint8_t f[PKT_MAX], nh[4];
	struct rt_args a;
	size_t len = frame4(f, 0);

	gw4(nh);
	/* lo has no xn_ifconf: nobody would resolve or release anything */
	assert_int_equal(run(true, AF_INET, T.l.ifindex[DEV_LO], nh, POL_HOLD, f, len, &a),
			 RES_PASS);
	assert_int_equal(run(true, AF_INET, T.l.ifindex[DEV_LO], nh, POL_PASS, f, len, &a),
			 RES_PASS);
	assert_int_equal(run(true, AF_INET, T.l.ifindex[DEV_LO], nh, POL_DROP, f, len, &a),
			 RES_DROP);
	assert_int_equal(lab_neigh_count(&T.l), 0);
	assert_int_equal(T.l.nev, 0);
	assert_int_equal(T.nheld, 0);
	expect_counters(XN_STAT_unres_discards, 1ull, END);
}

/* ---- IPv6 ------------------------------------------------------------------------ */

static void test_ipv6_reachable(void **state)
{
	struct xn_neigh v = { .state = NUD_REACHABLE, .gen = 2 };
	uint8_t f[PKT_MAX];
	struct rt_args a;
	size_t len = frame6(f);

	memcpy(v.lladdr, mac_gw, 6);
	v.confirmed = v.updated = v.used = lab_now_ns() - 1000000000ull;
	assert_int_equal(lab_neigh6_put(&T.l, T.l.ifindex[DEV_OX], GW6, &v), 0);
	assert_int_equal(run(true, AF_INET6, T.l.ifindex[DEV_OX], GW6, POL_HOLD, f, len, &a),
			 RES_OK);
	assert_memory_equal(a.dmac, mac_gw, 6);
	assert_memory_equal(a.smac, mac_ox, 6);
	expect_counters(END);
}

static void test_ipv6_miss_hold(void **state)
{
	uint8_t f[PKT_MAX];
	struct xn_neigh v;
	struct rt_args a;
	size_t len = frame6(f);
	__u64 t0 = lab_now_ns();

	assert_int_equal(run(true, AF_INET6, T.l.ifindex[DEV_OX], GW6, POL_HOLD, f, len, &a),
			 RES_HELD);
	assert_int_equal(lab_neigh6_get(&T.l, T.l.ifindex[DEV_OX], GW6, &v), 0);
	assert_int_equal(v.state, NUD_NONE);
	assert_int_equal(T.l.nev, 1);
	assert_int_equal(T.l.ev[0].type, XN_EV_CREATED);
	assert_int_equal(T.l.ev[0].family, AF_INET6);
	expect_held(0, f, len, AF_INET6, GW6, NUD_NONE, XN_HOLD_F_RESOLVE, t0);
	/* IPv6 counts in the ND slot */
	expect_counters(ND(XN_STAT_allocs), 1ull, ND(XN_STAT_learned), 1ull,
			ND(XN_STAT_tx_held), 1ull, END);
}

/* A changed MAC: the entry's, not the frame's, is what resolution gives. */
static void test_uses_entry_mac(void **state)
{
	static const uint8_t old[6] = MAC_OLD;
	uint8_t f[PKT_MAX], nh[4];
	struct rt_args a;
	size_t len = frame4(f, 0);

	put4(NUD_DELAY, old, 100000000ull, 0);
	gw4(nh);
	assert_int_equal(run(true, AF_INET, T.l.ifindex[DEV_OX], nh, POL_HOLD, f, len, &a),
			 RES_OK);
	assert_memory_equal(a.dmac, old, 6);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_reachable_xdp, setup),
		cmocka_unit_test_setup(test_reachable_tc, setup),
		cmocka_unit_test_setup(test_stale_xdp, setup),
		cmocka_unit_test_setup(test_stale_tc, setup),
		cmocka_unit_test_setup(test_probe_marks_used, setup),
		cmocka_unit_test_setup(test_uses_entry_mac, setup),
		cmocka_unit_test_setup(test_miss_pass, setup),
		cmocka_unit_test_setup(test_miss_drop_xdp, setup),
		cmocka_unit_test_setup(test_miss_drop_tc, setup),
		cmocka_unit_test_setup(test_miss_hold_xdp, setup),
		cmocka_unit_test_setup(test_miss_hold_tc, setup),
		cmocka_unit_test_setup(test_incomplete_hold, setup),
		cmocka_unit_test_setup(test_failed_restarts, setup),
		cmocka_unit_test_setup(test_dead_entry, setup),
		cmocka_unit_test_setup(test_too_long_to_hold, setup),
		cmocka_unit_test_setup(test_longest_held, setup),
		cmocka_unit_test_setup(test_not_xneighs_interface, setup),
		cmocka_unit_test_setup(test_ipv6_reachable, setup),
		cmocka_unit_test_setup(test_ipv6_miss_hold, setup),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
