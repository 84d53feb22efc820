// SPDX-License-Identifier: GPL-2.0
/* user/xneighd/holdq.c, the queue alone: the kernel's arp_queue rules
 * (__neigh_event_send(), spec NUD-3) with unres_qlen_bytes as the budget,
 * frames charged SKB_TRUESIZE(len), oldest dropped first, a lone frame
 * always queued; and the global cap, expiry, per-neighbour bookkeeping. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
