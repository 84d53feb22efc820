// SPDX-License-Identifier: GPL-2.0
/* Per-neighbour confirmation at TC ingress (bpf/lib/confirm.h, xn_tc_in): a
 * TCP segment for one of the host's sockets that acknowledges new data
 * refreshes `confirmed` of the neighbour it came from, and only if its
 * source MAC is that entry's.
 *
 *   netns under test (lab.h)
 *   +--------------------------------------------------------------------+
 *   | xr0 02:00:00:00:00:01 10.0.0.1/24, 2001:db8:1::1/64 <- TCP segments |
 *   |   an established TCP connection 10.0.0.1:P <-> 10.0.0.2:Q (and      |
 *   |   [2001:db8:1::1]:P <-> [2001:db8:1::2]:Q): 10.0.0.2 and           |
 *   |   2001:db8:1::2 are added on xo0 so that this process owns both ends |
 *   |   neighbours on xr0 (one on-link route shared by both):            |
 *   |     B 10.0.0.2 / 2001:db8:1::2  02:00:00:00:0b:02  (the TCP peer)  |
 *   |     A 10.0.0.3                  02:00:00:00:0a:03  (someone else)   |
 *   +--------------------------------------------------------------------+
 * The segments are crafted: ack_seq = the socket's snd_una + 1 ("new
 * data", read with TCP_REPAIR) or = snd_una (nothing new); the kernel's
 * TCP never sees them (a test run only runs the program).
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <cmocka.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "lab.h"
#include "pkt.h"

#ifndef TCP_REPAIR_OFF_NO_WP
#define TCP_REPAIR_OFF_NO_WP	-1
#endif

#define IP_B		IP4(10, 0, 0, 2)
#define IP_A		IP4(10, 0, 0, 3)
static const uint8_t MAC_B[6] = { 0x02, 0, 0, 0, 0x0b, 0x02 };
static const uint8_t MAC_A[6] = { 0x02, 0, 0, 0, 0x0a, 0x03 };
static const uint8_t MAC_X[6] = { 0x02, 0, 0, 0, 0x0e, 0x0e };	/* B's new MAC, or a forger */
static const uint8_t IP6_LOCAL[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 1, [15] = 1 };
static const uint8_t IP6_B[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 1, [15] = 2 };

#define SEC_NS		1000000000ull
#define MS_NS		1000000ull

struct conn {
	int lfd, cfd, afd;		/* listener, client end, accepted (local) end */
	uint16_t lport, cport;		/* host order */
	uint32_t una;			/* the accepted end's snd_una */
};

static struct {
	struct lab l;
	struct conn c4, c6;
} T;

/* The accepted end's write_seq: its snd_una, nothing having been sent. */
static int read_una(int fd, uint32_t *una)
{
	int on = 1, q = TCP_SEND_QUEUE, off = TCP_REPAIR_OFF_NO_WP;
	socklen_t len = sizeof(*una);
	int err = 0;

	if (setsockopt(fd, SOL_TCP, TCP_REPAIR, &on, sizeof(on)))
		return -errno;
	if (setsockopt(fd, SOL_TCP, TCP_REPAIR_QUEUE, &q, sizeof(q)) ||
	    getsockopt(fd, SOL_TCP, TCP_QUEUE_SEQ, una, &len))
		err = -errno;
	if (setsockopt(fd, SOL_TCP, TCP_REPAIR, &off, sizeof(off)) && !err)
		err = -errno;
	return err;
}

/* A connection local:lport <- remote:cport inside the lab namespace. */
static int conn_open(struct conn *c, int family, const void *local, const void *remote)
{
	struct sockaddr_storage ls = {}, rs = {};
	socklen_t alen = family == AF_INET ? sizeof(struct sockaddr_in) :
			 sizeof(struct sockaddr_in6);
	int one = 1;

	if (family == AF_INET) {
		struct sockaddr_in *l4 = (void *)&ls, *r4 = (void *)&rs;

		l4->sin_family = r4->sin_family = AF_INET;
		memcpy(&l4->sin_addr, local, 4);
		memcpy(&r4->sin_addr, remote, 4);
	} else {
		struct sockaddr_in6 *l6 = (void *)&ls, *r6 = (void *)&rs;

		l6->sin6_family = r6->sin6_family = AF_INET6;
		memcpy(&l6->sin6_addr, local, 16);
		memcpy(&r6->sin6_addr, remote, 16);
	}
	c->lfd = socket(family, SOCK_STREAM, 0);
	c->cfd = socket(family, SOCK_STREAM, 0);
	if (c->lfd < 0 || c->cfd < 0)
		return -errno;
	setsockopt(c->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(c->lfd, (void *)&ls, alen) || listen(c->lfd, 1) ||
	    getsockname(c->lfd, (void *)&ls, &alen) || bind(c->cfd, (void *)&rs, alen) ||
	    connect(c->cfd, (void *)&ls, alen) || getsockname(c->cfd, (void *)&rs, &alen))
		return -errno;
	c->afd = accept(c->lfd, NULL, NULL);
	if (c->afd < 0)
		return -errno;
	c->lport = ntohs(((struct sockaddr_in *)&ls)->sin_port);
	c->cport = ntohs(((struct sockaddr_in *)&rs)->sin_port);
	return read_una(c->afd, &c->una);
}

static int group_setup(void **state)
{
	uint32_t local4 = htonl(IP4(10, 0, 0, 1)), remote4 = htonl(IP_B);
	int err;

	if (lab_netns() || lab_open(&T.l, 0))
		return -1;
	if (lab_sh("ip addr add 10.0.0.2/32 dev %s", LAB_OX_NAME) ||
	    lab_sh("ip addr add 2001:db8:1::2/128 dev %s nodad", LAB_OX_NAME))
		return -1;
	err = conn_open(&T.c4, AF_INET, &local4, &remote4);
	if (!err)
		err = conn_open(&T.c6, AF_INET6, IP6_LOCAL, IP6_B);
	if (err) {
		fprintf(stderr, "test connections: %s\n", strerror(-err));
		return -1;
	}
	return 0;
}

static int group_teardown(void **state)
{
	struct conn *cs[] = { &T.c4, &T.c6 };

	for (size_t i = 0; i < 2; i++) {
		close(cs[i]->afd);
		close(cs[i]->cfd);
		close(cs[i]->lfd);
	}
	lab_sh("ip addr del 10.0.0.2/32 dev %s", LAB_OX_NAME);
	lab_sh("ip addr del 2001:db8:1::2/128 dev %s", LAB_OX_NAME);
	lab_close(&T.l);
	return 0;
}

static int setup(void **state)
{
	struct xn_ifconf rx, ox;

	if (lab_reset(&T.l))
		return -1;
	lab_ifconf_default(&T.l, DEV_RX, &rx);
	lab_ifconf_default(&T.l, DEV_OX, &ox);
	return lab_apply(&T.l, &rx, &ox);
}

/* Ethernet + IPv4/IPv6 + TCP from the peer B to us, flags and ack given. */
static size_t segment(uint8_t *f, int family, const uint8_t *smac, const struct conn *c,
		      uint8_t flags, uint32_t ack)
{
	static const uint8_t mac_rx[6] = { 0x02, 0, 0, 0, 0, 0x01 };
	size_t l3, tcp;

	memset(f, 0, 128);
	memcpy(f, mac_rx, 6);
	memcpy(f + 6, smac, 6);
	if (family == AF_INET) {
		uint32_t s = htonl(IP_B), d = htonl(IP4(10, 0, 0, 1));

		f[12] = 0x08;
		l3 = 14;
		f[l3] = 0x45;
		f[l3 + 3] = 40;
		f[l3 + 8] = 64;
		f[l3 + 9] = IPPROTO_TCP;
		memcpy(f + l3 + 12, &s, 4);
		memcpy(f + l3 + 16, &d, 4);
		tcp = l3 + 20;
	} else {
		f[12] = 0x86;
		f[13] = 0xdd;
		l3 = 14;
		f[l3] = 0x60;
		f[l3 + 5] = 20;
		f[l3 + 6] = IPPROTO_TCP;
		f[l3 + 7] = 64;
		memcpy(f + l3 + 8, IP6_B, 16);
		memcpy(f + l3 + 24, IP6_LOCAL, 16);
		tcp = l3 + 40;
	}
	f[tcp] = c->cport >> 8;
	f[tcp + 1] = c->cport & 0xff;
	f[tcp + 2] = c->lport >> 8;
	f[tcp + 3] = c->lport & 0xff;
	f[tcp + 8] = ack >> 24;
	f[tcp + 9] = (ack >> 16) & 0xff;
	f[tcp + 10] = (ack >> 8) & 0xff;
	f[tcp + 11] = ack & 0xff;
	f[tcp + 12] = 0x50;
	f[tcp + 13] = flags;
	f[tcp + 14] = 0xff;
	return tcp + 20;
}

static void run_in(const uint8_t *f, size_t len)
{
	uint8_t out[256];
	size_t out_len = sizeof(out);
	__u32 ret = 99;

	assert_int_equal(lab_run_tc(&T.l, T.l.prog_tc_in, T.l.ifindex[DEV_RX], f, len, out,
				    &out_len, &ret), 0);
	/* never consumed, never changed */
	assert_int_equal(ret, TC_ACT_OK);
	assert_int_equal(out_len, len);
	assert_memory_equal(out, f, len);
}

/* An entry confirmed `age` ago (used and updated too). */
static __u64 put(uint32_t ip, const uint8_t *mac, uint8_t state, __u64 age)
{
	struct xn_neigh v = { .state = state, .gen = 3 };
	__u64 t = lab_now_ns() - age;

	memcpy(v.lladdr, mac, 6);
	v.confirmed = v.updated = v.used = t;
	assert_int_equal(lab_neigh_put(&T.l, T.l.ifindex[DEV_RX], ip, &v), 0);
	return t;
}

static struct xn_neigh get(uint32_t ip)
{
	struct xn_neigh v;

	assert_int_equal(lab_neigh_get(&T.l, T.l.ifindex[DEV_RX], ip, &v), 0);
	return v;
}

static void expect_counters(int slot, __u64 tcp, __u64 sent, __u64 mismatch)
{
	struct xn_stats s;

	assert_int_equal(lab_stats_sum(&T.l, slot, &s), 0);
	assert_int_equal(s.confirm_tcp, tcp);
	assert_int_equal(s.confirm_sent, sent);
	assert_int_equal(s.confirm_mismatch, mismatch);
}

#define ACK	0x10
#define RST	0x04
#define PSH	0x08

static void test_new_data_confirms(void **state)
{
	uint8_t f[128];
	__u64 t0, was = put(IP_B, MAC_B, NUD_REACHABLE, 10 * SEC_NS);
	struct xn_neigh v;

	t0 = lab_now_ns();
	run_in(f, segment(f, AF_INET, MAC_B, &T.c4, ACK | PSH, T.c4.una + 1));
	v = get(IP_B);
	assert_true(v.confirmed >= t0);
	/* confirmation alone: state, gen and the other times untouched */
	assert_int_equal(v.state, NUD_REACHABLE);
	assert_int_equal(v.gen, 3);
	assert_int_equal(v.used, was);
	assert_int_equal(v.updated, was);
	expect_counters(0, 1, 0, 0);
	assert_int_equal(lab_events_drain(&T.l), 0);
}

/* The 2017 case: two neighbours on one route; B's progress is B's alone. */
static void test_only_the_sender(void **state)
{
	uint8_t f[128];
	__u64 a_was = put(IP_A, MAC_A, NUD_REACHABLE, 10 * SEC_NS);
	__u64 t0;

	put(IP_B, MAC_B, NUD_REACHABLE, 10 * SEC_NS);
	t0 = lab_now_ns();
	run_in(f, segment(f, AF_INET, MAC_B, &T.c4, ACK, T.c4.una + 1));
	assert_true(get(IP_B).confirmed >= t0);
	assert_int_equal(get(IP_A).confirmed, a_was);
	expect_counters(0, 1, 0, 0);
}

/* B's entry holds a MAC that is not the frame's: never confirmed. */
static void test_other_mac_never_confirms(void **state)
{
	uint8_t f[128];
	__u64 was = put(IP_B, MAC_B, NUD_REACHABLE, 10 * SEC_NS);

	run_in(f, segment(f, AF_INET, MAC_X, &T.c4, ACK, T.c4.una + 1));
	run_in(f, segment(f, AF_INET, MAC_X, &T.c4, ACK, T.c4.una + 1));
	assert_int_equal(get(IP_B).confirmed, was);
	assert_int_equal(get(IP_B).state, NUD_REACHABLE);
	expect_counters(0, 0, 0, 2);
}

static void test_no_new_data(void **state)
{
	uint8_t f[128];
	__u64 was = put(IP_B, MAC_B, NUD_REACHABLE, 10 * SEC_NS);

	/* ack_seq = snd_una: nothing newly acknowledged (a duplicate) */
	run_in(f, segment(f, AF_INET, MAC_B, &T.c4, ACK, T.c4.una));
	/* far behind: an old segment */
	run_in(f, segment(f, AF_INET, MAC_B, &T.c4, ACK, T.c4.una - 1000));
	/* a reset, or no ACK flag at all */
	run_in(f, segment(f, AF_INET, MAC_B, &T.c4, ACK | RST, T.c4.una + 1));
	run_in(f, segment(f, AF_INET, MAC_B, &T.c4, PSH, T.c4.una + 1));
	assert_int_equal(get(IP_B).confirmed, was);
	expect_counters(0, 0, 0, 0);
}

static void test_no_socket(void **state)
{
	struct conn other = T.c4;
	uint8_t f[128];
	__u64 was = put(IP_B, MAC_B, NUD_REACHABLE, 10 * SEC_NS);

	/* not one of the host's connections: no evidence at all */
	other.lport = (uint16_t)(T.c4.lport + 1);
	run_in(f, segment(f, AF_INET, MAC_B, &other, ACK, T.c4.una + 1));
	assert_int_equal(get(IP_B).confirmed, was);
	expect_counters(0, 0, 0, 0);
}

static void test_within_grain(void **state)
{
	uint8_t f[128];
	__u64 was = put(IP_B, MAC_B, NUD_REACHABLE, 2 * MS_NS);

	/* confirmed 2 ms ago: left alone (XN_CONFIRM_GRAIN, 10 ms) */
	run_in(f, segment(f, AF_INET, MAC_B, &T.c4, ACK, T.c4.una + 1));
	assert_int_equal(get(IP_B).confirmed, was);
	expect_counters(0, 0, 0, 0);
}

static void test_stale_and_incomplete(void **state)
{
	uint8_t f[128];
	__u64 t0, was;
	struct xn_neigh v;

	/* neigh_confirm() on a STALE entry: confirmed moves, the state stays
	 * (the next transmission's DELAY then ends REACHABLE, NUD-5) */
	put(IP_B, MAC_B, NUD_STALE, 10 * SEC_NS);
	t0 = lab_now_ns();
	run_in(f, segment(f, AF_INET, MAC_B, &T.c4, ACK, T.c4.una + 1));
	v = get(IP_B);
	assert_true(v.confirmed >= t0);
	assert_int_equal(v.state, NUD_STALE);
	/* an entry without a valid address proves nothing */
	was = put(IP_B, MAC_B, NUD_INCOMPLETE, 10 * SEC_NS);
	run_in(f, segment(f, AF_INET, MAC_B, &T.c4, ACK, T.c4.una + 1));
	assert_int_equal(get(IP_B).confirmed, was);
	expect_counters(0, 1, 0, 0);
}

static void test_ipv6(void **state)
{
	struct xn_neigh v = { .state = NUD_REACHABLE, .gen = 3 };
	uint8_t f[128];
	__u64 was = lab_now_ns() - 10 * SEC_NS, t0;

	memcpy(v.lladdr, MAC_B, 6);
	v.confirmed = v.updated = v.used = was;
	assert_int_equal(lab_neigh6_put(&T.l, T.l.ifindex[DEV_RX], IP6_B, &v), 0);
	run_in(f, segment(f, AF_INET6, MAC_X, &T.c6, ACK, T.c6.una + 1));
	assert_int_equal(lab_neigh6_get(&T.l, T.l.ifindex[DEV_RX], IP6_B, &v), 0);
	assert_int_equal(v.confirmed, was);
	t0 = lab_now_ns();
	run_in(f, segment(f, AF_INET6, MAC_B, &T.c6, ACK, T.c6.una + 1));
	assert_int_equal(lab_neigh6_get(&T.l, T.l.ifindex[DEV_RX], IP6_B, &v), 0);
	assert_true(v.confirmed >= t0);
	expect_counters(1, 1, 0, 1);
	expect_counters(0, 0, 0, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_new_data_confirms, setup),
		cmocka_unit_test_setup(test_only_the_sender, setup),
		cmocka_unit_test_setup(test_other_mac_never_confirms, setup),
		cmocka_unit_test_setup(test_no_new_data, setup),
		cmocka_unit_test_setup(test_no_socket, setup),
		cmocka_unit_test_setup(test_within_grain, setup),
		cmocka_unit_test_setup(test_stale_and_incomplete, setup),
		cmocka_unit_test_setup(test_ipv6, setup),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
