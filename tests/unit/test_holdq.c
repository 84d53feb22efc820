// SPDX-License-Identifier: GPL-2.0
/* user/xneighd/holdq.c, the queue alone: the kernel's arp_queue rules
 * (__neigh_event_send(), spec NUD-3) with unres_qlen_bytes as the budget,
 * frames charged SKB_TRUESIZE(len), oldest dropped first, a lone frame
 * always queued; and the global cap, expiry, per-neighbour bookkeeping.
 * Then the ICMP errors for frames discarded at FAILED: the message built
 * from a held frame (__icmp_send(), icmp6_send() and their rules for when
 * not to send) and the rate limits (icmp_global_allow(),
 * inet_peer_xrlim_allow()), with an injected clock. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "../../user/xneighd/holdq.h"

#define TS(len)		XN_HOLDQ_TRUESIZE(len)

static struct xn_nud_key key4(__u8 last)
{
	struct xn_nud_key k;

	memset(&k, 0, sizeof(k));
	k.family = AF_INET;
	k.ifindex = 7;
	k.addr[0] = 10;
	k.addr[3] = last;
	return k;
}

/* A frame whose bytes say which it is: byte 14 = id, length len. */
static const __u8 *frame(__u8 id, size_t len)
{
	static __u8 buf[2048];

	memset(buf, 0xee, len);
	buf[14] = id;
	return buf;
}

struct taken {
	__u8 ids[64];
	size_t lens[64];
	size_t n;
};

static void take_cb(void *ctx, __u8 *f, size_t len)
{
	struct taken *t = ctx;

	t->ids[t->n] = f[14];
	t->lens[t->n] = len;
	t->n++;
	memset(f, 0, 12);	/* the driver rewrites the addresses in place */
}

static int add(struct xn_holdq *q, const struct xn_nud_key *k, __u8 id, size_t len, __u64 ts,
	       size_t budget, unsigned int *dropped)
{
	return xn_holdq_add(q, k, frame(id, len), len, ts, budget, dropped);
}

static void test_budget_of_unres_qlen(void **state)
{
	/* unres_qlen x SKB_TRUESIZE(ETH_FRAME_LEN): the kernel's default 101
	 * packets give 101 * 2090 bytes (its 212992 read back as 101) */
	assert_int_equal(xn_holdq_budget(101), 101 * 2090);
	assert_int_equal(xn_holdq_budget(0), 0);
	assert_int_equal(TS(1514), 2090);
}

static void test_fifo(void **state)
{
	struct xn_holdq *q = xn_holdq_new(1 << 20, 1);
	struct xn_nud_key k = key4(1), other = key4(2);
	struct taken t = { .n = 0 };
	unsigned int dropped = 99;
	__u64 oldest = 0;

	assert_non_null(q);
	assert_int_equal(add(q, &k, 1, 100, 10, 1 << 20, &dropped), 0);
	assert_int_equal(dropped, 0);
	assert_int_equal(add(q, &k, 2, 200, 11, 1 << 20, &dropped), 0);
	assert_int_equal(add(q, &other, 9, 60, 5, 1 << 20, &dropped), 0);
	assert_int_equal(add(q, &k, 3, 300, 12, 1 << 20, &dropped), 0);
	assert_int_equal(xn_holdq_count(q, &k, &oldest), 3);
	assert_int_equal(oldest, 10);
	assert_int_equal(xn_holdq_frames(q), 4);
	assert_int_equal(xn_holdq_bytes(q), TS(100) + TS(200) + TS(300) + TS(60));
	assert_int_equal(xn_holdq_neighbours(q), 2);

	/* oldest first, whole frames, and the queue is gone afterwards */
	assert_int_equal(xn_holdq_take(q, &k, take_cb, &t), 3);
	assert_int_equal(t.n, 3);
	assert_int_equal(t.ids[0], 1);
	assert_int_equal(t.ids[1], 2);
	assert_int_equal(t.ids[2], 3);
	assert_int_equal(t.lens[0], 100);
	assert_int_equal(t.lens[2], 300);
	assert_int_equal(xn_holdq_count(q, &k, NULL), 0);
	assert_int_equal(xn_holdq_take(q, &k, take_cb, &t), 0);
	assert_int_equal(xn_holdq_neighbours(q), 1);
	assert_int_equal(xn_holdq_bytes(q), TS(60));
	/* the other neighbour is untouched */
	assert_int_equal(xn_holdq_drop(q, &other), 1);
	assert_int_equal(xn_holdq_frames(q), 0);
	assert_int_equal(xn_holdq_bytes(q), 0);
	assert_int_equal(xn_holdq_neighbours(q), 0);
	xn_holdq_free(q);
}

/* NUD-3: the queue keeps the LAST budget's worth, dropping the oldest. */
static void test_keeps_the_last(void **state)
{
	struct xn_holdq *q = xn_holdq_new(1 << 20, 2);
	struct xn_nud_key k = key4(1);
	size_t budget = 3 * TS(100);
	struct taken t = { .n = 0 };
	unsigned int dropped;

	for (__u8 id = 1; id <= 3; id++) {
		assert_int_equal(add(q, &k, id, 100, id, budget, &dropped), 0);
		assert_int_equal(dropped, 0);
	}
	/* the fourth pushes out the first */
	assert_int_equal(add(q, &k, 4, 100, 4, budget, &dropped), 0);
	assert_int_equal(dropped, 1);
	/* a big one pushes out as many as it needs: 2 and 3 */
	assert_int_equal(add(q, &k, 5, 100 + TS(100), 5, budget, &dropped), 0);
	assert_int_equal(dropped, 2);
	assert_int_equal(xn_holdq_count(q, &k, NULL), 2);
	assert_int_equal(xn_holdq_bytes(q), TS(100) + TS(100 + TS(100)));
	assert_int_equal(xn_holdq_take(q, &k, take_cb, &t), 2);
	assert_int_equal(t.ids[0], 4);
	assert_int_equal(t.ids[1], 5);
	xn_holdq_free(q);
}

/* A frame larger than the whole budget empties the queue and is still
 * queued ("if the queue empties the packet is queued anyway"). */
static void test_lone_frame_always_queued(void **state)
{
	struct xn_holdq *q = xn_holdq_new(1 << 20, 3);
	struct xn_nud_key k = key4(1);
	struct taken t = { .n = 0 };
	unsigned int dropped;

	assert_int_equal(add(q, &k, 1, 1000, 1, 0, &dropped), 0);
	assert_int_equal(dropped, 0);
	assert_int_equal(add(q, &k, 2, 1000, 2, 0, &dropped), 0);
	assert_int_equal(dropped, 1);
	assert_int_equal(add(q, &k, 3, 1500, 3, TS(1000), &dropped), 0);
	assert_int_equal(dropped, 1);
	assert_int_equal(xn_holdq_take(q, &k, take_cb, &t), 1);
	assert_int_equal(t.ids[0], 3);
	xn_holdq_free(q);
}

/* The global cap refuses the new frame, after the per-neighbour trim, and
 * leaves no empty neighbour behind. */
static void test_global_cap(void **state)
{
	struct xn_holdq *q = xn_holdq_new(2 * TS(100), 4);
	struct xn_nud_key a = key4(1), b = key4(2);
	unsigned int dropped;

	assert_int_equal(add(q, &a, 1, 100, 1, 1 << 20, &dropped), 0);
	assert_int_equal(add(q, &a, 2, 100, 2, 1 << 20, &dropped), 0);
	assert_int_equal(add(q, &b, 3, 100, 3, 1 << 20, &dropped), -ENOBUFS);
	assert_int_equal(dropped, 0);
	assert_int_equal(xn_holdq_count(q, &b, NULL), 0);
	assert_int_equal(xn_holdq_neighbours(q), 1);
	/* within its own budget a neighbour makes room for itself first */
	assert_int_equal(add(q, &a, 4, 100, 4, 2 * TS(100), &dropped), 0);
	assert_int_equal(dropped, 1);
	assert_int_equal(xn_holdq_frames(q), 2);
	/* a neighbour trimmed to nothing and then refused is gone too */
	assert_int_equal(add(q, &b, 5, 100, 5, 1 << 20, &dropped), -ENOBUFS);
	assert_int_equal(xn_holdq_neighbours(q), 1);
	assert_int_equal(xn_holdq_bytes(q), 2 * TS(100));
	xn_holdq_free(q);
}

static void test_expire(void **state)
{
	struct xn_holdq *q = xn_holdq_new(1 << 20, 5);
	struct xn_nud_key a = key4(1), b = key4(2), c;
	size_t by_fam[2];
	unsigned int dropped;
	__u64 oldest;

	memset(&c, 0, sizeof(c));
	c.family = AF_INET6;
	c.ifindex = 7;
	c.addr[0] = 0xfe;
	assert_int_equal(add(q, &a, 1, 100, 100, 1 << 20, &dropped), 0);
	assert_int_equal(add(q, &a, 2, 100, 300, 1 << 20, &dropped), 0);
	assert_int_equal(add(q, &b, 3, 100, 150, 1 << 20, &dropped), 0);
	assert_int_equal(add(q, &b, 5, 100, 200, 1 << 20, &dropped), 0);
	assert_int_equal(add(q, &c, 4, 100, 120, 1 << 20, &dropped), 0);
	/* held before 200: gone; held at 200: kept */
	assert_int_equal(xn_holdq_expire(q, 200, by_fam), 3);
	assert_int_equal(by_fam[0], 2);
	assert_int_equal(by_fam[1], 1);
	assert_int_equal(xn_holdq_count(q, &a, &oldest), 1);
	assert_int_equal(oldest, 300);
	assert_int_equal(xn_holdq_count(q, &b, &oldest), 1);
	assert_int_equal(oldest, 200);
	assert_int_equal(xn_holdq_count(q, &c, NULL), 0);
	assert_int_equal(xn_holdq_neighbours(q), 2);
	assert_int_equal(xn_holdq_bytes(q), 2 * TS(100));
	xn_holdq_free(q);
}

/* Many neighbours (the table grows): each keeps its own frames. */
static void test_many_neighbours(void **state)
{
	struct xn_holdq *q = xn_holdq_new(64 << 20, 6);
	static struct xn_nud_key keys[5000];
	unsigned int dropped;
	size_t n;

	for (int i = 0; i < 3000; i++) {
		struct xn_nud_key k = key4(0);

		k.addr[2] = (__u8)(i >> 8);
		k.addr[3] = (__u8)i;
		assert_int_equal(add(q, &k, (__u8)i, 60, (__u64)i, 1 << 20, &dropped), 0);
		assert_int_equal(add(q, &k, (__u8)(i + 1), 61, (__u64)i, 1 << 20, &dropped), 0);
	}
	assert_int_equal(xn_holdq_neighbours(q), 3000);
	assert_int_equal(xn_holdq_frames(q), 6000);
	n = xn_holdq_keys(q, keys, 5000);
	assert_int_equal(n, 3000);
	for (size_t i = 0; i < n; i++) {
		struct taken t = { .n = 0 };
		int id = keys[i].addr[2] << 8 | keys[i].addr[3];

		assert_int_equal(xn_holdq_take(q, &keys[i], take_cb, &t), 2);
		assert_int_equal(t.ids[0], (__u8)id);
		assert_int_equal(t.ids[1], (__u8)(id + 1));
	}
	assert_int_equal(xn_holdq_frames(q), 0);
	assert_int_equal(xn_holdq_neighbours(q), 0);
	assert_int_equal(xn_holdq_keys(q, keys, 5000), 0);
	xn_holdq_free(q);
}

/* ---- ICMP errors -------------------------------------------------------------------- */

/* Ethernet, `ntags` tags (802.1ad outside, then 802.1Q), then the IPv4 header
 * (ihl 5) of a datagram of tot_len bytes whose payload bytes count up from
 * 1, protocol proto; pad: Ethernet padding after it. Returns the frame
 * length; *ip is where the IP header starts. */
static size_t frame4(__u8 *f, int ntags, const char *src, const char *dst, __u8 proto,
		     __u8 tos, __u16 frag, size_t tot_len, size_t pad, size_t *ip)
{
	size_t off = 12;
	__u32 a;

	memset(f, 0, 2048);
	memset(f, 0x02, 12);
	for (int i = 0; i < ntags; i++) {
		f[off] = i + 1 < ntags ? 0x88 : 0x81;
		f[off + 1] = i + 1 < ntags ? 0xa8 : 0x00;
		f[off + 3] = 9;
		off += 4;
	}
	f[off] = 0x08;
	off += 2;
	*ip = off;
	f[off] = 0x45;
	f[off + 1] = tos;
	f[off + 2] = (__u8)(tot_len >> 8);
	f[off + 3] = (__u8)tot_len;
	f[off + 6] = (__u8)(frag >> 8);
	f[off + 7] = (__u8)frag;
	f[off + 8] = 63;
	f[off + 9] = proto;
	inet_pton(AF_INET, src, &a);
	memcpy(f + off + 12, &a, 4);
	inet_pton(AF_INET, dst, &a);
	memcpy(f + off + 16, &a, 4);
	for (size_t i = 20; i < tot_len; i++)
		f[off + i] = (__u8)i;
	if (proto == IPPROTO_ICMP)
		f[off + 20] = 8;	/* echo request, unless the caller says otherwise */
	return off + tot_len + pad;
}

/* Ethernet + IPv6 (next header nh, payload plen bytes counting up). */
static size_t frame6(__u8 *f, const char *src, const char *dst, __u8 nh, size_t plen,
		     size_t *ip)
{
	memset(f, 0, 2048);
	memset(f, 0x02, 12);
	f[12] = 0x86;
	f[13] = 0xdd;
	*ip = 14;
	f[14] = 0x60;
	f[18] = (__u8)(plen >> 8);
	f[19] = (__u8)plen;
	f[20] = nh;
	f[21] = 63;
	inet_pton(AF_INET6, src, f + 22);
	inet_pton(AF_INET6, dst, f + 38);
	for (size_t i = 0; i < plen; i++)
		f[54 + i] = (__u8)(i + 1);
	if (nh == IPPROTO_ICMPV6)
		f[54] = 128;	/* echo request */
	return 14 + 40 + plen;
}

static __u16 csum16(const __u8 *b, size_t len)
{
	__u32 sum = 0;

	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (__u32)b[i] << 8 | b[i + 1];
	if (len & 1)
		sum += (__u32)b[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (__u16)sum;
}

/* A forwarded echo request of 1028 bytes (TTL already decremented): type
 * 3 code 1, "as much as fits in 576 bytes" of it (548), a valid checksum,
 * addressed to its source, TOS 0xc0 | the frame's TOS bits. */
static void test_icmp4_host_unreachable(void **state)
{
	static __u8 f[2048];
	static struct xn_icmp_err e;
	__u8 dst[4];
	size_t ip, len = frame4(f, 0, "10.6.0.2", "10.6.9.1", IPPROTO_ICMP, 0xb8, 0x4000, 1028,
				0, &ip);

	assert_int_equal(xn_icmp_error_build(f, len, &e), XN_ICMP_SEND);
	assert_int_equal(e.family, AF_INET);
	inet_pton(AF_INET, "10.6.0.2", dst);
	assert_memory_equal(e.dst, dst, 4);
	assert_int_equal(e.tos, 0xc0 | 0x18);
	assert_int_equal(e.len, 8 + 548);
	assert_int_equal(e.msg[0], 3);
	assert_int_equal(e.msg[1], 1);
	assert_memory_equal(e.msg + 4, "\0\0\0\0", 4);
	assert_int_equal(csum16(e.msg, e.len), 0xffff);
	assert_memory_equal(e.msg + 8, f + ip, 548);

	/* a short one is quoted whole, its Ethernet padding not */
	len = frame4(f, 0, "10.6.0.2", "10.6.9.1", IPPROTO_UDP, 0, 0, 29, 17, &ip);
	assert_int_equal(xn_icmp_error_build(f, len, &e), XN_ICMP_SEND);
	assert_int_equal(e.len, 8 + 29);
	assert_int_equal(e.tos, 0xc0);
	assert_memory_equal(e.msg + 8, f + ip, 29);
	assert_int_equal(csum16(e.msg, e.len), 0xffff);

	/* behind two VLAN tags; a first fragment (offset 0, more fragments) */
	len = frame4(f, 2, "10.6.0.2", "10.6.9.1", IPPROTO_UDP, 0, 0x2000, 100, 0, &ip);
	assert_int_equal(ip, 22);
	assert_int_equal(xn_icmp_error_build(f, len, &e), XN_ICMP_SEND);
	assert_int_equal(e.len, 8 + 100);
	assert_memory_equal(e.msg + 8, f + ip, 100);
}

struct verdict_case {
	const char *what;
	const char *src, *dst;
	__u8 proto, icmp_type;
	__u16 frag;
	size_t tot_len;
	enum xn_icmp_verdict want;
};

static void test_icmp4_when_not(void **state)
{
	static const struct verdict_case cases[] = {
		{ "a later fragment", "10.6.0.2", "10.6.9.1", IPPROTO_UDP, 0, 0x0001, 100,
		  XN_ICMP_FRAGMENT },
		{ "the last fragment", "10.6.0.2", "10.6.9.1", IPPROTO_UDP, 0, 0x00b9, 100,
		  XN_ICMP_FRAGMENT },
		{ "to multicast", "10.6.0.2", "224.0.0.5", IPPROTO_UDP, 0, 0, 100,
		  XN_ICMP_MCAST_DST },
		{ "to broadcast", "10.6.0.2", "255.255.255.255", IPPROTO_UDP, 0, 0, 100,
		  XN_ICMP_MCAST_DST },
		{ "from 0.0.0.0", "0.0.0.0", "10.6.9.1", IPPROTO_UDP, 0, 0, 100, XN_ICMP_BAD_SRC },
		{ "from loopback", "127.0.0.1", "10.6.9.1", IPPROTO_UDP, 0, 0, 100,
		  XN_ICMP_BAD_SRC },
		{ "from multicast", "239.1.1.1", "10.6.9.1", IPPROTO_UDP, 0, 0, 100,
		  XN_ICMP_BAD_SRC },
		{ "from class E", "240.0.0.1", "10.6.9.1", IPPROTO_UDP, 0, 0, 100,
		  XN_ICMP_BAD_SRC },
		{ "from broadcast", "255.255.255.255", "10.6.9.1", IPPROTO_UDP, 0, 0, 100,
		  XN_ICMP_BAD_SRC },
		{ "about destination unreachable", "10.6.0.2", "10.6.9.1", IPPROTO_ICMP, 3, 0, 100,
		  XN_ICMP_ABOUT_ERROR },
		{ "about time exceeded", "10.6.0.2", "10.6.9.1", IPPROTO_ICMP, 11, 0, 100,
		  XN_ICMP_ABOUT_ERROR },
		{ "about an unknown type", "10.6.0.2", "10.6.9.1", IPPROTO_ICMP, 42, 0, 100,
		  XN_ICMP_ABOUT_ERROR },
		{ "about an ICMP message cut before its type", "10.6.0.2", "10.6.9.1",
		  IPPROTO_ICMP, 8, 0, 20, XN_ICMP_ABOUT_ERROR },
		{ "about an echo request", "10.6.0.2", "10.6.9.1", IPPROTO_ICMP, 8, 0, 100,
		  XN_ICMP_SEND },
		{ "about an echo reply", "10.6.0.2", "10.6.9.1", IPPROTO_ICMP, 0, 0, 100,
		  XN_ICMP_SEND },
		{ "about a timestamp request", "10.6.0.2", "10.6.9.1", IPPROTO_ICMP, 13, 0, 100,
		  XN_ICMP_SEND },
		{ "total length below the header", "10.6.0.2", "10.6.9.1", IPPROTO_UDP, 0, 0, 19,
		  XN_ICMP_NOT_IP },
	};
	static __u8 f[2048];
	static struct xn_icmp_err e;
	size_t ip, len;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct verdict_case *c = &cases[i];
		enum xn_icmp_verdict v;

		len = frame4(f, 0, c->src, c->dst, c->proto, 0, c->frag,
			     c->tot_len < 20 ? 20 : c->tot_len, 0, &ip);
		if (c->tot_len < 20) {
			f[ip + 3] = (__u8)c->tot_len;
		}
		if (c->proto == IPPROTO_ICMP && c->tot_len > 20)
			f[ip + 20] = c->icmp_type;
		v = xn_icmp_error_build(f, len, &e);
		if (v != c->want)
			fail_msg("%s: %s, expected %s", c->what, xn_icmp_verdict_str(v),
				 xn_icmp_verdict_str(c->want));
	}
	/* not IP at all: ARP, a cut header, IHL 4, a third tag */
	len = frame4(f, 0, "10.6.0.2", "10.6.9.1", IPPROTO_UDP, 0, 0, 100, 0, &ip);
	f[12] = 0x08;
	f[13] = 0x06;
	assert_int_equal(xn_icmp_error_build(f, len, &e), XN_ICMP_NOT_IP);
	len = frame4(f, 0, "10.6.0.2", "10.6.9.1", IPPROTO_UDP, 0, 0, 100, 0, &ip);
	assert_int_equal(xn_icmp_error_build(f, ip + 19, &e), XN_ICMP_NOT_IP);
	f[ip] = 0x44;
	assert_int_equal(xn_icmp_error_build(f, len, &e), XN_ICMP_NOT_IP);
	len = frame4(f, 2, "10.6.0.2", "10.6.9.1", IPPROTO_UDP, 0, 0, 100, 0, &ip);
	f[20] = 0x81;		/* the inner tag's type: a third tag */
	f[21] = 0x00;
	assert_int_equal(xn_icmp_error_build(f, len, &e), XN_ICMP_NOT_IP);
	assert_int_equal(xn_icmp_error_build(f, 10, &e), XN_ICMP_NOT_IP);
}

/* A forwarded IPv6 echo request of 1500 bytes: type 1 code 3, the first
 * 1232 bytes quoted, addressed to its source. */
static void test_icmp6_address_unreachable(void **state)
{
	static __u8 f[2048];
	static struct xn_icmp_err e;
	__u8 dst[16];
	size_t ip, len = frame6(f, "2001:db8:6::2", "2001:db8:69::1", IPPROTO_ICMPV6, 1460, &ip);

	assert_int_equal(xn_icmp_error_build(f, len, &e), XN_ICMP_SEND);
	assert_int_equal(e.family, AF_INET6);
	inet_pton(AF_INET6, "2001:db8:6::2", dst);
	assert_memory_equal(e.dst, dst, 16);
	assert_int_equal(e.len, 8 + 1232);
	assert_int_equal(e.msg[0], 1);
	assert_int_equal(e.msg[1], 3);
	assert_memory_equal(e.msg + 2, "\0\0\0\0\0\0", 6);	/* checksum: the kernel's */
	assert_memory_equal(e.msg + 8, f + ip, 1232);
	/* short: whole, up to its payload length (not the padding) */
	len = frame6(f, "2001:db8:6::2", "2001:db8:69::1", IPPROTO_UDP, 12, &ip);
	assert_int_equal(xn_icmp_error_build(f, len + 6, &e), XN_ICMP_SEND);
	assert_int_equal(e.len, 8 + 52);
}

struct verdict6_case {
	const char *what;
	const char *src, *dst;
	__u8 nh;
	__u8 ext[24];		/* extension headers, then the ICMPv6 type */
	size_t plen;
	enum xn_icmp_verdict want;
};

static void test_icmp6_when_not(void **state)
{
	static const struct verdict6_case cases[] = {
		{ "to multicast", "2001:db8:6::2", "ff02::1", IPPROTO_UDP, { 0 }, 16,
		  XN_ICMP_MCAST_DST },
		{ "from ::", "::", "2001:db8:69::1", IPPROTO_UDP, { 0 }, 16, XN_ICMP_BAD_SRC },
		{ "from multicast", "ff02::2", "2001:db8:69::1", IPPROTO_UDP, { 0 }, 16,
		  XN_ICMP_BAD_SRC },
		{ "about destination unreachable", "2001:db8:6::2", "2001:db8:69::1",
		  IPPROTO_ICMPV6, { 1 }, 16, XN_ICMP_ABOUT_ERROR },
		{ "about packet too big behind hop-by-hop", "2001:db8:6::2", "2001:db8:69::1", 0,
		  { IPPROTO_ICMPV6, 0, 1, 4, 0, 0, 0, 0, 2 }, 24, XN_ICMP_ABOUT_ERROR },
		{ "about an echo reply behind a destination header", "2001:db8:6::2",
		  "2001:db8:69::1", IPPROTO_DSTOPTS,
		  { IPPROTO_ICMPV6, 0, 1, 4, 0, 0, 0, 0, 129 }, 24, XN_ICMP_SEND },
		{ "about an ICMPv6 message cut before its type", "2001:db8:6::2", "2001:db8:69::1",
		  IPPROTO_ICMPV6, { 0 }, 0, XN_ICMP_ABOUT_ERROR },
		/* ipv6_skip_exthdr() stops at a later fragment: not ICMPv6 to it */
		{ "a later fragment of an ICMPv6 error", "2001:db8:6::2", "2001:db8:69::1",
		  IPPROTO_FRAGMENT, { IPPROTO_ICMPV6, 0, 0x05, 0xa8, 0, 0, 0, 1, 1 }, 16,
		  XN_ICMP_SEND },
		{ "the first fragment of an ICMPv6 error", "2001:db8:6::2", "2001:db8:69::1",
		  IPPROTO_FRAGMENT, { IPPROTO_ICMPV6, 0, 0x00, 0x01, 0, 0, 0, 1, 1 }, 16,
		  XN_ICMP_ABOUT_ERROR },
		{ "a chain cut short (no next header)", "2001:db8:6::2", "2001:db8:69::1", 0,
		  { 59, 0, 1, 4 }, 8, XN_ICMP_SEND },
	};
	static __u8 f[2048];
	static struct xn_icmp_err e;
	size_t ip, len;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct verdict6_case *c = &cases[i];
		enum xn_icmp_verdict v;

		len = frame6(f, c->src, c->dst, c->nh, c->plen, &ip);
		memcpy(f + ip + 40, c->ext, c->plen < sizeof(c->ext) ? c->plen : sizeof(c->ext));
		v = xn_icmp_error_build(f, len, &e);
		if (v != c->want)
			fail_msg("%s: %s, expected %s", c->what, xn_icmp_verdict_str(v),
				 xn_icmp_verdict_str(c->want));
	}
	len = frame6(f, "2001:db8:6::2", "2001:db8:69::1", IPPROTO_UDP, 16, &ip);
	assert_int_equal(xn_icmp_error_build(f, ip + 39, &e), XN_ICMP_NOT_IP);
	f[ip] = 0x40;
	assert_int_equal(xn_icmp_error_build(f, len, &e), XN_ICMP_NOT_IP);
}

#define MS	1000000ull
#define SEC	1000000000ull

static bool rl_allow4(struct xn_icmp_rl *rl, __u8 last, __u64 now)
{
	__u8 a[4] = { 10, 6, 0, last };

	return xn_icmp_rl_allow(rl, AF_INET, a, false, now);
}

/* inet_peer_xrlim_allow(): a new destination has a burst of 6, then one
 * per icmp_ratelimit; the burst comes back after 6 intervals, never more. */
static void test_rate_limit_per_destination(void **state)
{
	static struct xn_icmp_rl rl;
	struct xn_icmp_rl_cfg cfg;
	__u64 t = 100 * SEC;
	__u8 a6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };
	int n;

	xn_icmp_rl_defaults(&cfg);
	xn_icmp_rl_init(&rl, &cfg, 1);
	for (n = 0; n < 6; n++)
		assert_true(rl_allow4(&rl, 2, t));
	assert_false(rl_allow4(&rl, 2, t));
	assert_false(rl_allow4(&rl, 2, t + 999 * MS));
	assert_true(rl_allow4(&rl, 2, t + 1000 * MS));
	assert_false(rl_allow4(&rl, 2, t + 1000 * MS));
	/* another destination, and the same address in IPv6: their own bursts */
	assert_true(rl_allow4(&rl, 3, t + 1000 * MS));
	assert_true(xn_icmp_rl_allow(&rl, AF_INET6, a6, false, t + 1000 * MS));
	/* a minute later: six again, not sixty */
	t += 61 * SEC;
	for (n = 0; rl_allow4(&rl, 2, t); n++)
		;
	assert_int_equal(n, 6);

	/* through loopback: no per-destination limit, the global one still */
	xn_icmp_rl_init(&rl, &cfg, 1);
	for (n = 0; xn_icmp_rl_allow(&rl, AF_INET6, a6, true, t); n++)
		;
	assert_int_equal(n, 50);

	/* icmp_ratelimit 0: no per-destination limit */
	cfg.interval_ns[0] = 0;
	xn_icmp_rl_init(&rl, &cfg, 1);
	for (n = 0; n < 40; n++)
		assert_true(rl_allow4(&rl, 2, t));
	/* not in the ratemask: never limited, not even globally */
	cfg.limited[0] = false;
	xn_icmp_rl_init(&rl, &cfg, 1);
	for (n = 0; n < 1000; n++)
		assert_true(rl_allow4(&rl, 2, t));
}

/* icmp_global_allow(): icmp_msgs_burst at once over all destinations, then
 * icmp_msgs_per_sec, refilled no more often than every 20 ms; IPv4 and IPv6
 * share it; a message refused for its destination takes no credit. */
static void test_rate_limit_global(void **state)
{
	static struct xn_icmp_rl rl;
	struct xn_icmp_rl_cfg cfg;
	__u64 t = 100 * SEC;
	__u8 a6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };
	int n = 0;

	xn_icmp_rl_defaults(&cfg);
	xn_icmp_rl_init(&rl, &cfg, 1);
	/* one destination: its burst of 6, the 7th refused for it */
	for (int i = 0; i < 7; i++)
		n += rl_allow4(&rl, 1, t);
	assert_int_equal(n, 6);
	/* 44 of the 50 left for everyone else */
	n = 0;
	for (int d = 2; d <= 100; d++)
		n += rl_allow4(&rl, (__u8)d, t);
	assert_int_equal(n, 44);
	assert_false(xn_icmp_rl_allow(&rl, AF_INET6, a6, false, t));
	/* 10 ms later: too soon to refill */
	assert_false(xn_icmp_rl_allow(&rl, AF_INET6, a6, false, t + 10 * MS));
	/* 20 ms later: 20 more (1000 per second), IPv6 first */
	assert_true(xn_icmp_rl_allow(&rl, AF_INET6, a6, false, t + 20 * MS));
	n = 0;
	for (int d = 101; d <= 150; d++)
		n += rl_allow4(&rl, (__u8)d, t + 20 * MS);
	assert_int_equal(n, 19);
	/* a second later: the burst, not a second's worth */
	n = 0;
	for (int d = 151; d <= 250; d++)
		n += rl_allow4(&rl, (__u8)d, t + 1020 * MS);
	assert_int_equal(n, 50);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_budget_of_unres_qlen),
		cmocka_unit_test(test_fifo),
		cmocka_unit_test(test_keeps_the_last),
		cmocka_unit_test(test_lone_frame_always_queued),
		cmocka_unit_test(test_global_cap),
		cmocka_unit_test(test_expire),
		cmocka_unit_test(test_many_neighbours),
		cmocka_unit_test(test_icmp4_host_unreachable),
		cmocka_unit_test(test_icmp4_when_not),
		cmocka_unit_test(test_icmp6_address_unreachable),
		cmocka_unit_test(test_icmp6_when_not),
		cmocka_unit_test(test_rate_limit_per_destination),
		cmocka_unit_test(test_rate_limit_global),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
