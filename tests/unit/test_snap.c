// SPDX-License-Identifier: GPL-2.0
/* user/lib/snap.h: the snapshot of xn_ifconf and xn_local4 that xneighd's
 * sync, the unit lab and the bench publish in xn_snap. The data plane's use
 * of it (and its fallback to the hash maps) is tested by the fixtures of
 * test_arp.c and test_nd.c, which run every table with and without it. */
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
#include <cmocka.h>
#include <bpf/bpf.h>

#include "snap.h"

struct maps {
	int ifconf, local4, tmpl, snap;
};

static int setup(void **state)
{
	LIBBPF_OPTS(bpf_map_create_opts, ro, .map_flags = BPF_F_RDONLY_PROG);
	LIBBPF_OPTS(bpf_map_create_opts, outer);
	static struct maps m;

	m.ifconf = bpf_map_create(BPF_MAP_TYPE_HASH, "t_ifconf", sizeof(__u32),
				  sizeof(struct xn_ifconf), 16, NULL);
	m.local4 = bpf_map_create(BPF_MAP_TYPE_HASH, "t_local4", sizeof(__be32),
				  sizeof(struct xn_local4), 16, NULL);
	/* xn_snap as bpf/lib/maps.h declares it */
	m.tmpl = bpf_map_create(BPF_MAP_TYPE_ARRAY, "t_snap_tmpl", sizeof(__u32),
				sizeof(struct xn_snapshot), 1, &ro);
	outer.inner_map_fd = m.tmpl;
	m.snap = m.tmpl < 0 ? -1 : bpf_map_create(BPF_MAP_TYPE_ARRAY_OF_MAPS, "t_snap",
						   sizeof(__u32), sizeof(__u32), 1, &outer);
	if (m.ifconf < 0 || m.local4 < 0 || m.tmpl < 0 || m.snap < 0) {
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

	close(m->ifconf);
	close(m->local4);
	close(m->tmpl);
	close(m->snap);
	return 0;
}

static int clear(void **state)
{
	struct maps *m = *state;
	__u32 k, zero = 0;
	__be32 a;

	while (!bpf_map_get_next_key(m->ifconf, NULL, &k))
		assert_int_equal(bpf_map_delete_elem(m->ifconf, &k), 0);
	while (!bpf_map_get_next_key(m->local4, NULL, &a))
		assert_int_equal(bpf_map_delete_elem(m->local4, &a), 0);
	bpf_map_delete_elem(m->snap, &zero);
	return 0;
}

static void put_if(int fd, __u32 ifindex, __u8 mac_last)
{
	struct xn_ifconf c = { .flags = XN_IFF_CONFIGURED, .mac = { 2, 0, 0, 0, 0, mac_last } };

	assert_int_equal(bpf_map_update_elem(fd, &ifindex, &c, BPF_ANY), 0);
}

static void put_a(int fd, __be32 a, __u32 ifindex)
{
	struct xn_local4 v = { .type = XN_RTN_LOCAL, .ifindex = ifindex };

	assert_int_equal(bpf_map_update_elem(fd, &a, &v, BPF_ANY), 0);
}

/* The snapshot in the slot now, and the id of its inner map; false when the
 * slot is empty. */
static bool published(int snap_fd, struct xn_snapshot *out, __u32 *id_out)
{
	struct bpf_map_info info = {};
	__u32 zero = 0, id, len = sizeof(info);
	int fd;

	if (bpf_map_lookup_elem(snap_fd, &zero, &id))
		return false;
	fd = bpf_map_get_fd_by_id(id);
	assert_true(fd >= 0);
	assert_int_equal(bpf_map_lookup_elem(fd, &zero, out), 0);
	assert_int_equal(bpf_obj_get_info_by_fd(fd, &info, &len), 0);
	/* the data plane may only read it */
	assert_int_equal(info.map_flags, BPF_F_RDONLY_PROG);
	close(fd);
	if (id_out)
		*id_out = id;
	return true;
}

static const struct xn_snap_l4 *find_l4(const struct xn_snapshot *s, __be32 a)
{
	const struct xn_snap_l4 *e = &s->l4[2 * xn_snap_l4_bucket(a)];

	return e[0].addr == a ? &e[0] : e[1].addr == a ? &e[1] : NULL;
}

/* Every interface in its slot, every address in its bucket: both flags. */
static void test_every_key_placed(void **state)
{
	static struct xn_snapshot s;
	struct maps *m = *state;
	__be32 a = inet_addr("10.1.0.1"), b = inet_addr("10.1.0.255");

	put_if(m->ifconf, 2, 0x22);
	put_if(m->ifconf, 3, 0x33);
	put_a(m->local4, a, 2);
	put_a(m->local4, b, 2);
	assert_int_equal(xn_snap_publish(m->ifconf, m->local4, m->snap, 7, NULL), 0);
	assert_true(published(m->snap, &s, NULL));
	assert_int_equal(s.gen, 7);
	assert_int_equal(s.flags, XN_SNAP_IF_ALL | XN_SNAP_L4_ALL);
	assert_int_equal(s.ifs[2].ifindex, 2);
	assert_int_equal(s.ifs[2].conf.mac[5], 0x22);
	assert_int_equal(s.ifs[3].ifindex, 3);
	assert_int_equal(s.ifs[3].conf.mac[5], 0x33);
	for (int i = 0; i < XN_SNAP_IF_SLOTS; i++)
		if (i != 2 && i != 3)
			assert_int_equal(s.ifs[i].ifindex, 0);
	assert_non_null(find_l4(&s, a));
	assert_int_equal(find_l4(&s, a)->v.ifindex, 2);
	assert_non_null(find_l4(&s, b));
}

/* Two interfaces in one slot: one is there, the other is looked up in
 * xn_ifconf (IF_ALL cleared). Three addresses in one bucket: two are there
 * (L4_ALL cleared). */
static void test_collisions_clear_flags(void **state)
{
	static struct xn_snapshot s;
	struct maps *m = *state;
	__be32 same[3], a = inet_addr("192.0.2.1");
	__u32 bucket = xn_snap_l4_bucket(a), n = 0, placed = 0;

	same[n++] = a;
	for (__u32 x = 2; n < 3 && x < 0xffffff; x++) {
		__be32 c = htonl(0xc0000000u | x);

		if (c != a && xn_snap_l4_bucket(c) == bucket)
			same[n++] = c;
	}
	assert_int_equal(n, 3);
	put_if(m->ifconf, 5, 0x05);
	put_if(m->ifconf, 5 + XN_SNAP_IF_SLOTS, 0x06);
	for (__u32 i = 0; i < n; i++)
		put_a(m->local4, same[i], 5);
	assert_int_equal(xn_snap_publish(m->ifconf, m->local4, m->snap, 1, NULL), 0);
	assert_true(published(m->snap, &s, NULL));
	assert_int_equal(s.flags, 0);
	assert_true(s.ifs[5].ifindex == 5 || s.ifs[5].ifindex == 5 + XN_SNAP_IF_SLOTS);
	assert_int_equal(s.ifs[5].conf.mac[5], s.ifs[5].ifindex == 5 ? 0x05 : 0x06);
	for (__u32 i = 0; i < n; i++)
		placed += find_l4(&s, same[i]) != NULL;
	assert_int_equal(placed, 2);

	/* one address fewer: all placed again */
	assert_int_equal(bpf_map_delete_elem(m->local4, &same[2]), 0);
	assert_int_equal(bpf_map_delete_elem(m->ifconf, &(__u32){ 5 + XN_SNAP_IF_SLOTS }), 0);
	assert_int_equal(xn_snap_publish(m->ifconf, m->local4, m->snap, 2, NULL), 0);
	assert_true(published(m->snap, &s, NULL));
	assert_int_equal(s.flags, XN_SNAP_IF_ALL | XN_SNAP_L4_ALL);
	assert_int_equal(s.ifs[5].ifindex, 5);
	assert_non_null(find_l4(&s, same[0]));
	assert_non_null(find_l4(&s, same[1]));
}

/* Each publication is a new inner map (the old one is never written in
 * place); withdrawing empties the slot, twice is no error. */
static void test_publish_swaps_withdraw_empties(void **state)
{
	static struct xn_snapshot s;
	struct maps *m = *state;
	__u32 id1, id2;

	put_if(m->ifconf, 2, 0x22);
	assert_int_equal(xn_snap_publish(m->ifconf, m->local4, m->snap, 1, NULL), 0);
	assert_true(published(m->snap, &s, &id1));
	put_if(m->ifconf, 2, 0x23);
	assert_int_equal(xn_snap_publish(m->ifconf, m->local4, m->snap, 2, NULL), 0);
	assert_true(published(m->snap, &s, &id2));
	assert_int_not_equal(id1, id2);
	assert_int_equal(s.gen, 2);
	assert_int_equal(s.ifs[2].conf.mac[5], 0x23);
	assert_int_equal(xn_snap_withdraw(m->snap), 0);
	assert_false(published(m->snap, &s, NULL));
	assert_int_equal(xn_snap_withdraw(m->snap), 0);
}

/* A publication that fails leaves no snapshot behind, rather than one older
 * than the maps. */
static void test_failure_withdraws(void **state)
{
	static struct xn_snapshot s;
	struct maps *m = *state;

	put_if(m->ifconf, 2, 0x22);
	assert_int_equal(xn_snap_publish(m->ifconf, m->local4, m->snap, 1, NULL), 0);
	assert_true(published(m->snap, &s, NULL));
	/* xn_local4 cannot be read */
	assert_int_equal(xn_snap_publish(m->ifconf, -1, m->snap, 2, NULL), -EBADF);
	assert_false(published(m->snap, &s, NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_every_key_placed, clear),
		cmocka_unit_test_setup(test_collisions_clear_flags, clear),
		cmocka_unit_test_setup(test_publish_swaps_withdraw_empties, clear),
		cmocka_unit_test_setup(test_failure_withdraws, clear),
	};

	return cmocka_run_group_tests_name("xn_snap from xn_ifconf and xn_local4", tests, setup,
					   teardown);
}
