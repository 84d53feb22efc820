// SPDX-License-Identifier: GPL-2.0
/* user/lib/local4f.h: xn_local4_filt rebuilt from the keys of xn_local4
 * (what xneighd's sync and the unit lab call). The data plane's use of the
 * filter is tested by the fixtures of test_arp.c. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <cmocka.h>
#include <bpf/bpf.h>

#include "local4f.h"

struct maps {
	int local4, filt;
};

static int setup(void **state)
{
	static struct maps m;

	m.local4 = bpf_map_create(BPF_MAP_TYPE_HASH, "t_local4", sizeof(__be32),
				  sizeof(struct xn_local4), 16, NULL);
	m.filt = bpf_map_create(BPF_MAP_TYPE_ARRAY, "t_local4f", sizeof(__u32),
				sizeof(struct xn_local4_filter), 1, NULL);
	if (m.local4 < 0 || m.filt < 0) {
		fprintf(stderr, "    SKIP: cannot create BPF maps (%s): run as root\n",
			strerror(errno));
		skip();
	}
	*state = &m;
	return 0;
}

static int teardown(void **state)
{
	struct maps *m = *state;

	close(m->local4);
	close(m->filt);
	return 0;
}

static void put(int fd, const char *addr)
{
	struct xn_local4 v = { .type = XN_RTN_LOCAL };
	__be32 a = inet_addr(addr);

	assert_int_equal(bpf_map_update_elem(fd, &a, &v, BPF_ANY), 0);
}

static struct xn_local4_filter get(int fd)
{
	struct xn_local4_filter f;
	__u32 slot = 0;

	assert_int_equal(bpf_map_lookup_elem(fd, &slot, &f), 0);
	return f;
}

static bool has(const struct xn_local4_filter *f, const char *addr)
{
	__u32 bit = xn_local4f_bit(inet_addr(addr));

	return (f->bits[bit / 64] >> (bit % 64)) & 1;
}

static unsigned int nbits(const struct xn_local4_filter *f)
{
	unsigned int n = 0;

	for (size_t i = 0; i < XN_LOCAL4F_BITS / 64; i++)
		n += __builtin_popcountll(f->bits[i]);
	return n;
}

/* The bits of the map's keys and of the extra addresses, nothing else. */
static void test_keys_and_extra(void **state)
{
	struct maps *m = *state;
	__be32 extra[] = { inet_addr("192.0.2.7") };
	struct xn_local4_filter f;

	put(m->local4, "10.0.0.1");
	put(m->local4, "10.0.0.255");
	assert_int_equal(xn_local4f_sync(m->local4, m->filt, extra, 1), 0);
	f = get(m->filt);
	assert_int_equal(f.valid, 1);
	assert_true(has(&f, "10.0.0.1"));
	assert_true(has(&f, "10.0.0.255"));
	assert_true(has(&f, "192.0.2.7"));
	assert_int_equal(nbits(&f), 3);	/* three distinct bits for these three */

	/* rebuilt without the extra address: exactly the map's keys */
	assert_int_equal(xn_local4f_sync(m->local4, m->filt, NULL, 0), 0);
	f = get(m->filt);
	assert_int_equal(f.valid, 1);
	assert_false(has(&f, "192.0.2.7"));
	assert_int_equal(nbits(&f), 2);
}

/* Consecutive addresses of a subnet land on distinct bits. */
static void test_subnet_spreads(void **state)
{
	struct xn_local4_filter f = { .valid = 1 };
	char a[32];

	(void)state;
	for (int i = 0; i < 64; i++) {
		snprintf(a, sizeof(a), "10.1.2.%d", i);
		xn_local4f_add(&f, inet_addr(a));
	}
	assert_int_equal(nbits(&f), 64);
}

/* A map that cannot be read leaves the filter invalid, never stale. */
static void test_failure_invalidates(void **state)
{
	struct maps *m = *state;
	struct xn_local4_filter f;

	assert_int_equal(xn_local4f_sync(m->local4, m->filt, NULL, 0), 0);
	assert_int_equal(get(m->filt).valid, 1);
	assert_int_equal(xn_local4f_sync(-1, m->filt, NULL, 0), -EBADF);
	f = get(m->filt);
	assert_int_equal(f.valid, 0);
	assert_int_equal(xn_local4f_sync(m->local4, m->filt, NULL, 0), 0);
	assert_int_equal(xn_local4f_invalidate(m->filt), 0);
	assert_int_equal(get(m->filt).valid, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys_and_extra),
		cmocka_unit_test(test_subnet_spreads),
		cmocka_unit_test(test_failure_invalidates),
	};

	return cmocka_run_group_tests_name("xn_local4_filt from xn_local4", tests, setup, teardown);
}
