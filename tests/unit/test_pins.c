// SPDX-License-Identifier: GPL-2.0
/* user/lib/pins.c: the identity that keeps a namespace from adopting the
 * pins another one left under a reused inode number.
 *
 *   owner    xn_owner_of(ours, stamp): who the stamped maps belong to
 *   cookie   xn_netns_cookie(): non-zero, stable, different in a new
 *            network namespace (a forked child after unshare(CLONE_NEWNET))
 *   stamp    xn_global_cookie(): reads xn_global.netns_cookie from a map of
 *            this build's layout, refuses another layout (-EPROTO)
 *
 * The cookie and stamp cases need root (SO_NETNS_COOKIE works for anyone,
 * unshare and map creation do not) and Linux 5.14+; they are skipped
 * otherwise.
 */
#include <errno.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <cmocka.h>
#include <bpf/bpf.h>

#include "xneigh/maps.h"
#include "pins.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

struct owner_case {
	const char *name;
	__u64 ours, stamp;
	enum xn_owner want;
};

static const struct owner_case owner_cases[] = {
	{ "no cookie here, unstamped",		0, 0, XN_OWNER_UNKNOWN },
	{ "no cookie here, stamped",		0, 7, XN_OWNER_UNKNOWN },
	{ "stamped with ours",			7, 7, XN_OWNER_THIS_NETNS },
	{ "never stamped",			7, 0, XN_OWNER_UNSTAMPED },
	{ "stamped by another namespace",	7, 8, XN_OWNER_OTHER_NETNS },
	{ "stamped by an older namespace",	8, 7, XN_OWNER_OTHER_NETNS },
};

static void test_owner(void **state)
{
	const struct owner_case *tc = *state;

	assert_int_equal(xn_owner_of(tc->ours, tc->stamp), tc->want);
	assert_non_null(xn_owner_str(tc->want));
}

static void test_cookie(void **state)
{
	__u64 a = 0, b = 0, child = 0;
	int p[2], status, err;
	pid_t pid;

	(void)state;
	err = xn_netns_cookie(&a);
	if (err == -ENOPROTOOPT)
		skip();		/* before Linux 5.14 */
	assert_int_equal(err, 0);
	assert_true(a != 0);
	assert_int_equal(xn_netns_cookie(&b), 0);
	assert_true(a == b);

	/* a new namespace has another cookie */
	assert_int_equal(pipe(p), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		__u64 c = 0;

		close(p[0]);
		if (unshare(CLONE_NEWNET) || xn_netns_cookie(&c))
			c = 0;
		if (write(p[1], &c, sizeof(c)) != sizeof(c))
			_exit(2);
		_exit(0);
	}
	close(p[1]);
	assert_int_equal(read(p[0], &child, sizeof(child)), sizeof(child));
	close(p[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	if (!child)
		skip();		/* not allowed to unshare (not root) */
	assert_true(child != a);
}

static void test_stamp(void **state)
{
	struct xn_global g = { .fib_ifindex = 3, .netns_cookie = 0x1122334455667788ull };
	__u64 stamp = 0;
	__u32 key = 0;
	int fd, old, hash;

	(void)state;
	fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "xn_global", sizeof(key), sizeof(g), 1, NULL);
	if (fd < 0)
		skip();		/* no BPF for us (not root) */
	assert_int_equal(xn_global_cookie(fd, &stamp), 0);
	assert_true(stamp == 0);	/* a fresh map: never stamped */
	assert_int_equal(bpf_map_update_elem(fd, &key, &g, BPF_ANY), 0);
	assert_int_equal(xn_global_cookie(fd, &stamp), 0);
	assert_true(stamp == 0x1122334455667788ull);
	close(fd);

	/* xn_global of a build before the stamp (24 bytes), or not an array */
	old = bpf_map_create(BPF_MAP_TYPE_ARRAY, "xn_global", sizeof(key), 24, 1, NULL);
	assert_true(old >= 0);
	assert_int_equal(xn_global_cookie(old, &stamp), -EPROTO);
	close(old);
	hash = bpf_map_create(BPF_MAP_TYPE_HASH, "xn_global", sizeof(key), sizeof(g), 1, NULL);
	assert_true(hash >= 0);
	assert_int_equal(xn_global_cookie(hash, &stamp), -EPROTO);
	close(hash);
}

int main(void)
{
	struct CMUnitTest tests[ARRAY_SIZE(owner_cases) + 2];
	char names[ARRAY_SIZE(tests)][64];
	size_t i, k = 0;

	for (i = 0; i < ARRAY_SIZE(owner_cases); i++, k++) {
		snprintf(names[k], sizeof(names[k]), "owner: %s", owner_cases[i].name);
		tests[k] = (struct CMUnitTest){ .name = names[k], .test_func = test_owner,
						 .initial_state = (void *)&owner_cases[i] };
	}
	tests[k++] = (struct CMUnitTest){ .name = "cookie: stable, another in a new netns",
					   .test_func = test_cookie };
	tests[k++] = (struct CMUnitTest){ .name = "stamp: from xn_global, other layouts refused",
					   .test_func = test_stamp };
	return _cmocka_run_group_tests("test_pins", tests, k, NULL, NULL);
}
