// SPDX-License-Identifier: GPL-2.0
/* user/xneighd/holdq.c, the driver (xn_holdd_*) on the lab's live maps: what
 * happens to held frames when their neighbour's resolution is refused or
 * fails.
 *
 *   netns under test (lab.h): xr0 10.0.0.1/24, 2001:db8:1::1/64
 *   - the held frames are UDP datagrams from the host's own address
 *     (10.0.0.1, 2001:db8:1::1) to 10.9.9.9 / 2001:db8:99::9, held for the
 *     next hop 10.0.0.50 / 2001:db8:1::50 on xr0: the ICMP errors about them
 *     come back to this namespace through loopback, where a raw socket of
 *     the test reads them;
 *   - resolve() is the test's: it counts the calls and returns what the
 *     case says (0, -EAGAIN, a refusal);
 *   - the counters go through the lab's xn_ctl into its xn_stats.
 *
 * Checks: a refused resolution discards the frames at once (hold_failed)
 * and is not asked again, -EAGAIN keeps them and asks again at the next
 * tick; FAILED discards them and reports each to its sender, exactly as
 * the kernel's __icmp_send() / icmp6_send() would (type, code, TOS, the
 * quote, the source address the route gives); errors to one of the host's
 * own addresses have no per-destination limit (loopback), to others a
 * burst of 6.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <cmocka.h>

#include "lab.h"
#include "pkt.h"
#include "../../user/xneighd/holdq.h"
#include "../../user/xneighd/model.h"

#define NEXT_HOP4	IP4(10, 0, 0, 50)
static const __u8 NEXT_HOP6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 1, [15] = 0x50 };
static const __u8 LOCAL6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 1, [15] = 1 };
static const __u8 FAR6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0x99, [15] = 9 };

static struct {
	struct lab l;
	struct xn_model m;		/* with or without the host's addresses */
	struct xn_holdd *h;
	int resolve_rc, resolve_calls;
	int icmp4, icmp6;		/* the test's raw sockets: what comes back */
} T;

static int fake_resolve(void *ctx, const struct xn_nud_key *k)
{
	T.resolve_calls++;
	return T.resolve_rc;
}

static int rx_socket(int family)
{
	/* a bound for a lost error, not a timing check */
	struct timeval tv = { .tv_sec = 2 };
	int fd = socket(family, SOCK_RAW, family == AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6);

	if (fd >= 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return fd;
}

static int group_setup(void **state)
{
	struct xn_addr_rec *a;
	struct xn_addr6_rec *a6;

	if (lab_netns() || lab_open(&T.l, 0))
		return -1;
	a = XN_VEC_PUSH(T.m.addrs);
	a6 = XN_VEC_PUSH(T.m.addrs6);
	if (!a || !a6)
		return -1;
	a->ifindex = a6->ifindex = T.l.ifindex[DEV_RX];
	a->local = a->address = htonl(IP4(10, 0, 0, 1));
	a->prefixlen = 24;
	memcpy(a6->addr, LOCAL6, 16);
	a6->prefixlen = 64;
	T.icmp4 = rx_socket(AF_INET);
	T.icmp6 = rx_socket(AF_INET6);
	return T.icmp4 < 0 || T.icmp6 < 0 ? -1 : 0;
}

static int group_teardown(void **state)
{
	close(T.icmp4);
	close(T.icmp6);
	xn_model_free(&T.m);
	lab_close(&T.l);
	return 0;
}

/* A fresh driver; `local`: the model knows the host's addresses. */
static void driver(bool local)
{
	struct xn_holdd_cfg cfg = {
		.neigh_fd = { T.l.fd_neigh4, T.l.fd_neigh6 },
		.ctl_fd = T.l.prog_ctl,
		.m = &T.m,
		.resolve = fake_resolve,
	};
	static struct xn_model empty;

	if (!local)
		cfg.m = &empty;
	assert_int_equal(xn_holdd_new(&T.h, &cfg), 0);
}

static int setup(void **state)
{
	struct xn_ifconf rx, ox;
	__u8 drain[2048];

	if (lab_reset(&T.l))
		return -1;
	lab_ifconf_default(&T.l, DEV_RX, &rx);
	lab_ifconf_default(&T.l, DEV_OX, &ox);
	if (lab_apply(&T.l, &rx, &ox))
		return -1;
	T.resolve_rc = 0;
	T.resolve_calls = 0;
	T.h = NULL;
	while (recv(T.icmp4, drain, sizeof(drain), MSG_DONTWAIT) > 0 ||
	       recv(T.icmp6, drain, sizeof(drain), MSG_DONTWAIT) > 0)
		;
	return 0;
}

static int teardown(void **state)
{
	xn_holdd_free(T.h);
	return 0;
}

static void put4(__u8 state)
{
	struct xn_neigh v = { .state = state };

	v.updated = v.used = v.confirmed = lab_now_ns();
	assert_int_equal(lab_neigh_put(&T.l, T.l.ifindex[DEV_RX], NEXT_HOP4, &v), 0);
}

static void put6(__u8 state)
{
	struct xn_neigh v = { .state = state };

	v.updated = v.used = v.confirmed = lab_now_ns();
	assert_int_equal(lab_neigh6_put(&T.l, T.l.ifindex[DEV_RX], NEXT_HOP6, &v), 0);
}

/* A held record: Ethernet + IPv4 or IPv6 + UDP with `id` in the payload,
 * from the host to a far address, for the next hop on xr0. */
static void record(struct xn_hold_rec *r, int family, __u8 flags, __u8 id)
{
	__u8 *f = r->frame;
	size_t ip = 14;

	memset(r, 0, sizeof(*r));
	r->ts = lab_now_ns();
	r->ifindex = T.l.ifindex[DEV_RX];
	r->family = (__u8)family;
	r->flags = flags;
	memset(f, 0x02, 12);
	if (family == AF_INET) {
		__u32 s = htonl(IP4(10, 0, 0, 1)), d = htonl(IP4(10, 9, 9, 9));
		__u32 nh = htonl(NEXT_HOP4);

		memcpy(r->addr, &nh, 4);
		f[12] = 0x08;
		f[ip] = 0x45;
		f[ip + 3] = 28 + 72;	/* IPv4 + UDP + 72 bytes */
		f[ip + 8] = 63;
		f[ip + 9] = IPPROTO_UDP;
		memcpy(f + ip + 12, &s, 4);
		memcpy(f + ip + 16, &d, 4);
		f[ip + 20 + 8] = id;
		r->len = (__u32)(ip + 100);
	} else {
		memcpy(r->addr, NEXT_HOP6, 16);
		f[12] = 0x86;
		f[13] = 0xdd;
		f[ip] = 0x60;
		f[ip + 5] = 8 + 72;
		f[ip + 6] = IPPROTO_UDP;
		f[ip + 7] = 63;
		memcpy(f + ip + 8, LOCAL6, 16);
		memcpy(f + ip + 24, FAR6, 16);
		f[ip + 40 + 8] = id;
		r->len = (__u32)(ip + 120);
	}
}

static void counters(int slot, __u64 failed, __u64 unreachable, __u64 sent)
{
	struct xn_stats s;

	assert_int_equal(lab_stats_sum(&T.l, (__u32)slot, &s), 0);
	assert_int_equal(s.hold_failed, failed);
	assert_int_equal(s.hold_unreachable, unreachable);
	assert_int_equal(s.hold_sent, sent);
}

static struct xn_nud_key key(int family)
{
	struct xn_nud_key k;
	__u32 nh = htonl(NEXT_HOP4);

	memset(&k, 0, sizeof(k));
	k.family = (__u32)family;
	k.ifindex = T.l.ifindex[DEV_RX];
	if (family == AF_INET)
		memcpy(k.addr, &nh, 4);
	else
		memcpy(k.addr, NEXT_HOP6, 16);
	return k;
}

/* Nothing more arrives on fd (after what was expected). */
static void no_more(int fd)
{
	__u8 buf[2048];

	assert_true(recv(fd, buf, sizeof(buf), MSG_DONTWAIT) < 0);
}

/* A refusal (a NOARP device, not a unicast neighbour, ...): the frames are
 * discarded at once, and the refusal is not asked again at every tick. */
static void test_refused_discards_at_once(void **state)
{
	static struct xn_hold_rec r;

	driver(true);
	put4(NUD_NONE);
	T.resolve_rc = -EINVAL;
	record(&r, AF_INET, XN_HOLD_F_RESOLVE, 1);
	xn_holdd_record(T.h, &r, sizeof(r));
	assert_int_equal(T.resolve_calls, 1);
	counters(0, 1, 0, 0);
	xn_holdd_tick(T.h, lab_now_ns());
	xn_holdd_tick(T.h, lab_now_ns());
	assert_int_equal(T.resolve_calls, 1);
	counters(0, 1, 0, 0);
	no_more(T.icmp4);		/* discarded, not reported: nothing failed */
}

/* -EAGAIN: kept, asked again at the next tick, then reported at FAILED. */
static void test_again_keeps_them(void **state)
{
	static struct xn_hold_rec r;
	struct xn_nud_key k = key(AF_INET6);
	struct xn_neigh v = { .state = NUD_FAILED };

	driver(true);
	put6(NUD_NONE);
	T.resolve_rc = -EAGAIN;
	record(&r, AF_INET6, XN_HOLD_F_RESOLVE, 1);
	xn_holdd_record(T.h, &r, sizeof(r));
	xn_holdd_tick(T.h, lab_now_ns());
	assert_int_equal(T.resolve_calls, 2);
	counters(1, 0, 0, 0);
	xn_holdd_entry(T.h, &k, &v);
	counters(1, 1, 1, 0);
}

/* FAILED: each frame reported as __icmp_send() would report it, oldest
 * first: host unreachable, TOS 0xc0, DF clear, the datagram quoted whole,
 * from the address the route back gives (here the host's own). */
static void test_failed_reports_ipv4(void **state)
{
	static struct xn_hold_rec r[2];
	struct xn_nud_key k = key(AF_INET);
	struct xn_neigh v = { .state = NUD_FAILED };
	__u32 local = htonl(IP4(10, 0, 0, 1));
	__u8 buf[2048];
	ssize_t n;

	driver(true);
	put4(NUD_INCOMPLETE);
	for (int i = 0; i < 2; i++) {
		record(&r[i], AF_INET, 0, (__u8)(i + 1));
		xn_holdd_record(T.h, &r[i], sizeof(r[i]));
	}
	counters(0, 0, 0, 0);
	xn_holdd_entry(T.h, &k, &v);
	counters(0, 2, 2, 0);
	for (int i = 0; i < 2; i++) {
		n = recv(T.icmp4, buf, sizeof(buf), 0);
		assert_int_equal(n, 20 + 8 + 100);
		assert_int_equal(buf[0], 0x45);
		assert_int_equal(buf[1], 0xc0);			/* TOS */
		assert_int_equal(buf[6] & 0x40, 0);		/* DF clear */
		assert_int_equal(buf[9], IPPROTO_ICMP);
		assert_memory_equal(buf + 12, &local, 4);	/* source */
		assert_memory_equal(buf + 16, &local, 4);	/* to the sender */
		assert_int_equal(buf[20], 3);			/* destination unreachable */
		assert_int_equal(buf[21], 1);			/* host unreachable */
		assert_memory_equal(buf + 28, r[i].frame + 14, 100);
	}
	no_more(T.icmp4);
}

static void test_failed_reports_ipv6(void **state)
{
	static struct xn_hold_rec r;
	struct xn_nud_key k = key(AF_INET6);
	struct xn_neigh v = { .state = NUD_FAILED };
	struct sockaddr_in6 from;
	socklen_t flen = sizeof(from);
	__u8 buf[2048];
	ssize_t n;

	driver(true);
	put6(NUD_INCOMPLETE);
	record(&r, AF_INET6, 0, 7);
	xn_holdd_record(T.h, &r, sizeof(r));
	xn_holdd_entry(T.h, &k, &v);
	counters(1, 1, 1, 0);
	n = recvfrom(T.icmp6, buf, sizeof(buf), 0, (struct sockaddr *)&from, &flen);
	assert_int_equal(n, 8 + 120);
	assert_int_equal(buf[0], 1);			/* destination unreachable */
	assert_int_equal(buf[1], 3);			/* address unreachable */
	assert_memory_equal(buf + 8, r.frame + 14, 120);
	assert_memory_equal(&from.sin6_addr, LOCAL6, 16);
	no_more(T.icmp6);
}

/* A frame held while the entry was INCOMPLETE whose record is read after
 * it FAILED: reported as the ones queued at the failure. */
static void test_late_record_reported(void **state)
{
	static struct xn_hold_rec r;
	__u8 buf[2048];

	driver(true);
	put4(NUD_FAILED);
	record(&r, AF_INET, 0, 9);
	xn_holdd_record(T.h, &r, sizeof(r));
	counters(0, 1, 1, 0);
	assert_int_equal(recv(T.icmp4, buf, sizeof(buf), 0), 20 + 8 + 100);
	assert_int_equal(buf[28 + 28], 9);
}

/* Errors to the host's own addresses leave through loopback: no limit per
 * destination. To an address the driver does not know as the host's: a
 * burst of six (inet_peer_xrlim_allow()), the rest counted as discarded
 * only. */
static void test_rate_limit(void **state)
{
	static struct xn_hold_rec r;
	struct xn_nud_key k = key(AF_INET);
	struct xn_neigh v = { .state = NUD_FAILED };
	__u8 buf[2048];
	int got;

	for (int local = 1; local >= 0; local--) {
		driver(local);
		put4(NUD_INCOMPLETE);
		for (int i = 0; i < 9; i++) {
			record(&r, AF_INET, 0, (__u8)i);
			xn_holdd_record(T.h, &r, sizeof(r));
		}
		xn_holdd_entry(T.h, &k, &v);
		for (got = 0; got < (local ? 9 : 6); got++)
			assert_int_equal(recv(T.icmp4, buf, sizeof(buf), 0), 20 + 8 + 100);
		no_more(T.icmp4);
		xn_holdd_free(T.h);
		T.h = NULL;
	}
	counters(0, 18, 15, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_refused_discards_at_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_again_keeps_them, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed_reports_ipv4, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed_reports_ipv6, setup, teardown),
		cmocka_unit_test_setup_teardown(test_late_record_reported, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rate_limit, setup, teardown),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
