// SPDX-License-Identifier: GPL-2.0
/* Per-neighbour confirmation at TC ingress (bpf/lib/confirm.h): a TCP
 * segment for one of the host's sockets that acknowledges new data
 * refreshes `confirmed` of the neighbour it came from, and only if its
 * source MAC is that entry's. Every case runs through both programs that
 * confirm: xn_tc_in (--mode tc) and xn_tc_confirm (beside xn_xdp in the XDP
 * modes, which must answer nothing itself).
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
#include "xneigh.skel.h"

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
	int prog;			/* the program under test: xn_tc_in or xn_tc_confirm */
	bool confirm_only;		/* it is xn_tc_confirm */
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
	T.prog = T.confirm_only ? bpf_program__fd(T.l.skel->progs.xn_tc_confirm) : T.l.prog_tc_in;
	return T.prog < 0 ? -1 : 0;
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

/* A TCP segment from the peer B to us: Ethernet, `ntags` VLAN tags (802.1ad
 * outside, 802.1Q inside), IPv4 or IPv6, then for IPv6 the extension
 * headers in ext[] (ext_len bytes; the first one's type in first_nh, each
 * carrying the next one's type), then 20 bytes of TCP. */
struct seg {
	int family;
	const uint8_t *smac;
	const struct conn *c;
	uint8_t flags;
	uint32_t ack;
	uint8_t ntags;
	uint8_t first_nh;		/* IPv6 next header when ext_len != 0 */
	const uint8_t *ext;
	size_t ext_len;
};

static size_t segment_x(uint8_t *f, const struct seg *g)
{
	static const uint8_t mac_rx[6] = { 0x02, 0, 0, 0, 0, 0x01 };
	size_t l3 = 12, tcp;

	memset(f, 0, 256);
	memcpy(f, mac_rx, 6);
	memcpy(f + 6, g->smac, 6);
	for (int i = 0; i < g->ntags; i++) {
		/* outermost first: 802.1ad before 802.1Q when there are two */
		f[l3] = i + 1 < g->ntags ? 0x88 : 0x81;
		f[l3 + 1] = i + 1 < g->ntags ? 0xa8 : 0x00;
		f[l3 + 3] = (uint8_t)(5 + i);		/* VLAN ids 5, 6, 7 */
		l3 += 4;
	}
	if (g->family == AF_INET) {
		uint32_t s = htonl(IP_B), d = htonl(IP4(10, 0, 0, 1));

		f[l3] = 0x08;
		l3 += 2;
		f[l3] = 0x45;
		f[l3 + 3] = 40;
		f[l3 + 8] = 64;
		f[l3 + 9] = IPPROTO_TCP;
		memcpy(f + l3 + 12, &s, 4);
		memcpy(f + l3 + 16, &d, 4);
		tcp = l3 + 20;
	} else {
		f[l3] = 0x86;
		f[l3 + 1] = 0xdd;
		l3 += 2;
		f[l3] = 0x60;
		f[l3 + 5] = (uint8_t)(20 + g->ext_len);
		f[l3 + 6] = g->ext_len ? g->first_nh : IPPROTO_TCP;
		f[l3 + 7] = 64;
		memcpy(f + l3 + 8, IP6_B, 16);
		memcpy(f + l3 + 24, IP6_LOCAL, 16);
		memcpy(f + l3 + 40, g->ext, g->ext_len);
		tcp = l3 + 40 + g->ext_len;
	}
	f[tcp] = g->c->cport >> 8;
	f[tcp + 1] = g->c->cport & 0xff;
	f[tcp + 2] = g->c->lport >> 8;
	f[tcp + 3] = g->c->lport & 0xff;
	f[tcp + 8] = g->ack >> 24;
	f[tcp + 9] = (g->ack >> 16) & 0xff;
	f[tcp + 10] = (g->ack >> 8) & 0xff;
	f[tcp + 11] = g->ack & 0xff;
	f[tcp + 12] = 0x50;
	f[tcp + 13] = g->flags;
	f[tcp + 14] = 0xff;
	return tcp + 20;
}

/* Ethernet + IPv4/IPv6 + TCP from the peer B to us, flags and ack given. */
static size_t segment(uint8_t *f, int family, const uint8_t *smac, const struct conn *c,
		      uint8_t flags, uint32_t ack)
{
	struct seg g = { .family = family, .smac = smac, .c = c, .flags = flags, .ack = ack };

	return segment_x(f, &g);
}

static void run_in(const uint8_t *f, size_t len)
{
	uint8_t out[512];
	size_t out_len = sizeof(out);
	__u32 ret = 99;

	assert_int_equal(lab_run_tc(&T.l, T.prog, T.l.ifindex[DEV_RX], f, len, out, &out_len,
				    &ret), 0);
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
	uint8_t f[256];
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
	uint8_t f[256];
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
	uint8_t f[256];
	__u64 was = put(IP_B, MAC_B, NUD_REACHABLE, 10 * SEC_NS);

	run_in(f, segment(f, AF_INET, MAC_X, &T.c4, ACK, T.c4.una + 1));
	run_in(f, segment(f, AF_INET, MAC_X, &T.c4, ACK, T.c4.una + 1));
	assert_int_equal(get(IP_B).confirmed, was);
	assert_int_equal(get(IP_B).state, NUD_REACHABLE);
	expect_counters(0, 0, 0, 2);
}

static void test_no_new_data(void **state)
{
	uint8_t f[256];
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
	uint8_t f[256];
	__u64 was = put(IP_B, MAC_B, NUD_REACHABLE, 10 * SEC_NS);

	/* not one of the host's connections: no evidence at all */
	other.lport = (uint16_t)(T.c4.lport + 1);
	run_in(f, segment(f, AF_INET, MAC_B, &other, ACK, T.c4.una + 1));
	assert_int_equal(get(IP_B).confirmed, was);
	expect_counters(0, 0, 0, 0);
}

static void test_within_grain(void **state)
{
	uint8_t f[256];
	__u64 was = put(IP_B, MAC_B, NUD_REACHABLE, 2 * MS_NS);

	/* confirmed 2 ms ago: left alone (XN_CONFIRM_GRAIN, 10 ms) */
	run_in(f, segment(f, AF_INET, MAC_B, &T.c4, ACK, T.c4.una + 1));
	assert_int_equal(get(IP_B).confirmed, was);
	expect_counters(0, 0, 0, 0);
}

static void test_stale_and_incomplete(void **state)
{
	uint8_t f[256];
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
	uint8_t f[256];
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

/* Tagged frames (one 802.1Q tag; 802.1ad + 802.1Q): the parent's entry,
 * as everywhere in xneigh. Three tags are not parsed. */
static void test_vlan_tagged(void **state)
{
	struct seg g = { .family = AF_INET, .smac = MAC_B, .c = &T.c4, .flags = ACK,
			 .ack = T.c4.una + 1 };
	struct xn_neigh v = { .state = NUD_REACHABLE };
	uint8_t f[256];
	__u64 was, t0;

	for (g.ntags = 1; g.ntags <= 2; g.ntags++) {
		put(IP_B, MAC_B, NUD_REACHABLE, 10 * SEC_NS);
		t0 = lab_now_ns();
		run_in(f, segment_x(f, &g));
		assert_true(get(IP_B).confirmed >= t0);
	}
	was = put(IP_B, MAC_B, NUD_REACHABLE, 10 * SEC_NS);
	g.ntags = 3;
	run_in(f, segment_x(f, &g));
	assert_int_equal(get(IP_B).confirmed, was);
	/* from another MAC behind the same tags: refused */
	g.ntags = 2;
	g.smac = MAC_X;
	run_in(f, segment_x(f, &g));
	assert_int_equal(get(IP_B).confirmed, was);
	expect_counters(0, 2, 0, 1);

	/* IPv6 behind one tag */
	memcpy(v.lladdr, MAC_B, 6);
	v.confirmed = v.updated = v.used = lab_now_ns() - 10 * SEC_NS;
	assert_int_equal(lab_neigh6_put(&T.l, T.l.ifindex[DEV_RX], IP6_B, &v), 0);
	g = (struct seg){ .family = AF_INET6, .smac = MAC_B, .c = &T.c6, .flags = ACK,
			  .ack = T.c6.una + 1, .ntags = 1 };
	t0 = lab_now_ns();
	run_in(f, segment_x(f, &g));
	assert_int_equal(lab_neigh6_get(&T.l, T.l.ifindex[DEV_RX], IP6_B, &v), 0);
	assert_true(v.confirmed >= t0);
	expect_counters(1, 1, 0, 0);
}

#define NH_HOP		0
#define NH_ROUTING	43
#define NH_FRAGMENT	44
#define NH_ESP		50
#define NH_AUTH		51
#define NH_NONE		59
#define NH_DEST		60

struct ext_case {
	const char *what;
	uint8_t first_nh;
	uint8_t ext[128];
	size_t len;
	bool confirms;
};

/* IPv6 extension headers before TCP: skipped as ipv6_skip_exthdr() does,
 * at most six of them, first fragments only. */
static void test_ipv6_extension_headers(void **state)
{
	static const struct ext_case cases[] = {
		{ "hop-by-hop (8 bytes)", NH_HOP,
		  { IPPROTO_TCP, 0, 1, 4 }, 8, true },
		{ "hop-by-hop, destination options (16 bytes), routing", NH_HOP,
		  { NH_DEST, 0, 1, 4, 0, 0, 0, 0,
		    NH_ROUTING, 1, 1, 12, [24] = IPPROTO_TCP, 0, 4, 0 }, 32, true },
		{ "first fragment (offset 0, more fragments)", NH_FRAGMENT,
		  { IPPROTO_TCP, 0, 0x00, 0x01, 0, 0, 0, 9 }, 8, true },
		{ "authentication header (24 bytes)", NH_AUTH,
		  { IPPROTO_TCP, 4 }, 24, true },
		{ "six headers", NH_HOP,
		  { NH_DEST, 0, 1, 4, [8] = NH_DEST, 0, 1, 4, [16] = NH_DEST, 0, 1, 4,
		    [24] = NH_DEST, 0, 1, 4, [32] = NH_DEST, 0, 1, 4,
		    [40] = IPPROTO_TCP, 0, 1, 4 }, 48, true },
		{ "seven headers: more than xneigh follows", NH_HOP,
		  { NH_DEST, 0, 1, 4, [8] = NH_DEST, 0, 1, 4, [16] = NH_DEST, 0, 1, 4,
		    [24] = NH_DEST, 0, 1, 4, [32] = NH_DEST, 0, 1, 4, [40] = NH_DEST, 0, 1, 4,
		    [48] = IPPROTO_TCP, 0, 1, 4 }, 56, false },
		{ "a later fragment (offset 8)", NH_FRAGMENT,
		  { IPPROTO_TCP, 0, 0x00, 0x08, 0, 0, 0, 9 }, 8, false },
		{ "the last fragment (offset 1480, no more)", NH_FRAGMENT,
		  { IPPROTO_TCP, 0, 0x05, 0xc8, 0, 0, 0, 9 }, 8, false },
		{ "ESP: encrypted", NH_ESP, { 0 }, 8, false },
		{ "no next header", NH_DEST, { NH_NONE, 0, 1, 4 }, 8, false },
		{ "UDP after hop-by-hop", NH_HOP, { IPPROTO_UDP, 0, 1, 4 }, 8, false },
	};
	struct xn_neigh v = { .state = NUD_REACHABLE };
	uint8_t f[256];
	__u64 confirmed = 0;

	memcpy(v.lladdr, MAC_B, 6);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct ext_case *c = &cases[i];
		struct seg g = { .family = AF_INET6, .smac = MAC_B, .c = &T.c6, .flags = ACK,
				 .ack = T.c6.una + 1, .first_nh = c->first_nh, .ext = c->ext,
				 .ext_len = c->len };
		__u64 was = lab_now_ns() - 10 * SEC_NS, t0;

		v.confirmed = v.updated = v.used = was;
		assert_int_equal(lab_neigh6_put(&T.l, T.l.ifindex[DEV_RX], IP6_B, &v), 0);
		t0 = lab_now_ns();
		run_in(f, segment_x(f, &g));
		assert_int_equal(lab_neigh6_get(&T.l, T.l.ifindex[DEV_RX], IP6_B, &v), 0);
		if (c->confirms != (v.confirmed >= t0))
			fail_msg("%s: %s", c->what, c->confirms ? "not confirmed" : "confirmed");
		if (!c->confirms && v.confirmed != was)
			fail_msg("%s: confirmed moved", c->what);
		confirmed += c->confirms;
	}
	expect_counters(1, confirmed, 0, 0);
	/* the headers are truncated: the frame ends inside the chain */
	{
		static const uint8_t hop[8] = { NH_DEST, 0, 1, 4 };
		struct seg g = { .family = AF_INET6, .smac = MAC_B, .c = &T.c6, .flags = ACK,
				 .ack = T.c6.una + 1, .first_nh = NH_HOP, .ext = hop,
				 .ext_len = 8 };
		size_t len = segment_x(f, &g);
		__u64 was = lab_now_ns() - 10 * SEC_NS;

		v.confirmed = was;
		assert_int_equal(lab_neigh6_put(&T.l, T.l.ifindex[DEV_RX], IP6_B, &v), 0);
		f[14 + 40 + 1] = 30;	/* the hop-by-hop header claims 248 bytes */
		run_in(f, len);
		assert_int_equal(lab_neigh6_get(&T.l, T.l.ifindex[DEV_RX], IP6_B, &v), 0);
		assert_int_equal(v.confirmed, was);
	}
}

/* xn_tc_confirm runs beside xn_xdp, which answers ARP and ND: it must not
 * answer them a second time. The same request through xn_tc_in (the check
 * that it is a request xneigh answers) is redirected as a reply. */
static void test_confirm_only_answers_nothing(void **state)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	struct pkt req = {
		.kind = PKT_ARP, .hrd = 1, .pro = 0x0800, .hln = 6, .pln = 4, .op = 1,
		.sip = IP_A, .tip = IP4(10, 0, 0, 1),
	};
	uint8_t f[PKT_MAX], out[PKT_MAX];
	size_t out_len = sizeof(out);
	struct xn_stats s;
	__u32 ret = 99;
	int len;

	memcpy(req.eth_dst, bcast, 6);
	memcpy(req.eth_src, MAC_A, 6);
	memcpy(req.sha, MAC_A, 6);
	len = pkt_build(&req, f, sizeof(f));
	assert_true(len > 0);
	run_in(f, (size_t)len);
	assert_int_equal(lab_stats_sum(&T.l, 0, &s), 0);
	assert_int_equal(s.replies_sent, 0);
	assert_int_equal(s.rx_arp, 0);
	assert_int_equal(lab_run_tc(&T.l, T.l.prog_tc_in, T.l.ifindex[DEV_RX], f, (size_t)len,
				    out, &out_len, &ret), 0);
	assert_int_equal(ret, TC_ACT_REDIRECT);
	assert_int_equal(lab_stats_sum(&T.l, 0, &s), 0);
	assert_int_equal(s.replies_sent, 1);
}

#define CONFIRM_TESTS							\
	cmocka_unit_test_setup(test_new_data_confirms, setup),		\
	cmocka_unit_test_setup(test_only_the_sender, setup),		\
	cmocka_unit_test_setup(test_other_mac_never_confirms, setup),	\
	cmocka_unit_test_setup(test_no_new_data, setup),		\
	cmocka_unit_test_setup(test_no_socket, setup),			\
	cmocka_unit_test_setup(test_within_grain, setup),		\
	cmocka_unit_test_setup(test_stale_and_incomplete, setup),	\
	cmocka_unit_test_setup(test_ipv6, setup),			\
	cmocka_unit_test_setup(test_vlan_tagged, setup),		\
	cmocka_unit_test_setup(test_ipv6_extension_headers, setup)

int main(void)
{
	const struct CMUnitTest tc_in[] = { CONFIRM_TESTS };
	const struct CMUnitTest tc_confirm[] = {
		CONFIRM_TESTS,
		cmocka_unit_test_setup(test_confirm_only_answers_nothing, setup),
	};
	int failed;

	failed = cmocka_run_group_tests_name("xn_tc_in", tc_in, group_setup, group_teardown);
	T.confirm_only = true;
	failed += cmocka_run_group_tests_name("xn_tc_confirm", tc_confirm, group_setup,
					      group_teardown);
	return failed;
}
