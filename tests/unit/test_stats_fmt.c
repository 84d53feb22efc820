// SPDX-License-Identifier: GPL-2.0
/* user/lib/stats_fmt.c: the output of `xneigh stats` from fixed per-CPU
 * counter values, compared byte for byte (text, -s, -j, -s -j), and the
 * parser of the kernel's CPU lists (/sys/devices/system/cpu/possible).
 *
 * Fixture: arp_cache with 4 entries on two CPUs (0 and 1), printing three
 * per-reason counters (a fixed list: the exact outputs do not change when a
 * counter is added to XN_STATS_REASONS; "all reasons" checks that the
 * default list is every one of them, in order):
 *
 *   counter           cpu0     cpu1   total
 *   allocs               3        2       5
 *   lookups           1000      234    1234
 *   hits               998      200    1198
 *   periodic_gc_runs     0        7       7
 *   unres_discards       5        0       5   (printed "unresolved_discards")
 *   table_fulls          0        1       1
 *   rx_arp              12       30      42
 *   replies_sent   1234567        0 1234567   (widens its column)
 *   na_sent              0        9       9
 *   rx_requests         77        0      77   (not in the list: not printed)
 *
 * Needs nothing from the machine: no root, no BPF.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fmt.h"
#include "stats_fmt.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* Show a byte string with escapes, so a failure message says what differs. */
static void show_bytes(const char *label, const char *s, size_t n)
{
	char buf[16384];
	size_t i, o = 0;

	for (i = 0; i < n && o + 5 < sizeof(buf); i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch == '\n') {
			buf[o++] = '\\';
			buf[o++] = 'n';
			buf[o++] = '\n';
		} else if (ch < 0x20 || ch >= 0x7f) {
			o += (size_t)snprintf(buf + o, sizeof(buf) - o, "\\x%02x", ch);
		} else {
			buf[o++] = (char)ch;
		}
	}
	buf[o] = '\0';
	print_message("  %s:\n%s\n", label, buf);
}

static void assert_output(const char *got, size_t got_len, const char *want)
{
	size_t want_len = strlen(want);

	if (got_len != want_len || memcmp(got, want, want_len)) {
		show_bytes("expected", want, want_len);
		show_bytes("got", got, got_len);
		fail_msg("output differs (%zu bytes expected, %zu written)", want_len, got_len);
	}
}

/* ==== Output ================================================================ */

static struct xn_stats fixture[2];
static const unsigned int fixture_cpus[2] = { 0, 1 };
static const struct xn_stats_counter fixture_reasons[] = {
	{ "rx_arp", offsetof(struct xn_stats, rx_arp) },
	{ "replies_sent", offsetof(struct xn_stats, replies_sent) },
	{ "na_sent", offsetof(struct xn_stats, na_sent) },
};

static void fixture_fill(void)
{
	memset(fixture, 0, sizeof(fixture));
	fixture[0].allocs = 3;
	fixture[1].allocs = 2;
	fixture[0].lookups = 1000;
	fixture[1].lookups = 234;
	fixture[0].hits = 998;
	fixture[1].hits = 200;
	fixture[1].periodic_gc_runs = 7;
	fixture[0].unres_discards = 5;
	fixture[1].table_fulls = 1;
	fixture[0].rx_arp = 12;
	fixture[1].rx_arp = 30;
	fixture[0].replies_sent = 1234567;
	fixture[1].na_sent = 9;
	fixture[0].rx_requests = 77;
}

/* What stats.c does for one table: the table inside the top-level object. */
static void print_one(struct xn_out *o, const struct xn_stats_table *t, bool per_cpu)
{
	xn_open_object(o, NULL);
	xn_stats_print(o, t, per_cpu);
	xn_close_object(o);
	xn_json_end(o);
}

struct output_case {
	const char *name;
	bool json;
	bool per_cpu;
	const char *want;
};

#define COLUMNS \
	"entries allocs destroys hash_grows lookups hits res_failed rcv_probes_mcast" \
	" rcv_probes_ucast periodic_gc_runs forced_gc_runs unresolved_discards table_fulls\n"
#define JSON_TOTALS \
	"\"entries\":4,\"allocs\":5,\"destroys\":0,\"hash_grows\":0,\"lookups\":1234," \
	"\"hits\":1198,\"res_failed\":0,\"rcv_probes_mcast\":0,\"rcv_probes_ucast\":0," \
	"\"periodic_gc_runs\":7,\"forced_gc_runs\":0,\"unresolved_discards\":5," \
	"\"table_fulls\":1,\"rx_arp\":42,\"replies_sent\":1234567,\"na_sent\":9"

static const struct output_case output_cases[] = {
	{ "text", false, false,
	"arp_cache:\n"
	"  " COLUMNS
	"        4      5        0          0    1234 1198          0                0"
	"                0                7              0                   5           1\n"
	"  rx_arp            42\n"
	"  replies_sent 1234567\n"
	"  na_sent            9\n" },
	{ "text -s", false, true,
	"arp_cache:\n"
	"  cpu   " COLUMNS
	"  0           -      3        0          0    1000  998          0                0"
	"                0                0              0                   5           0\n"
	"  1           -      2        0          0     234  200          0                0"
	"                0                7              0                   0           1\n"
	"  total       4      5        0          0    1234 1198          0                0"
	"                0                7              0                   5           1\n"
	"  counter         cpu0 cpu1   total\n"
	"  rx_arp            12   30      42\n"
	"  replies_sent 1234567    0 1234567\n"
	"  na_sent            0    9       9\n" },
	{ "JSON", true, false,
	"{\"arp_cache\":{" JSON_TOTALS "}}\n" },
	{ "JSON -s", true, true,
	"{\"arp_cache\":{" JSON_TOTALS ",\"per_cpu\":["
	"{\"cpu\":0,\"allocs\":3,\"destroys\":0,\"hash_grows\":0,\"lookups\":1000,\"hits\":998,"
	"\"res_failed\":0,\"rcv_probes_mcast\":0,\"rcv_probes_ucast\":0,\"periodic_gc_runs\":0,"
	"\"forced_gc_runs\":0,\"unresolved_discards\":5,\"table_fulls\":0,"
	"\"rx_arp\":12,\"replies_sent\":1234567,\"na_sent\":0},"
	"{\"cpu\":1,\"allocs\":2,\"destroys\":0,\"hash_grows\":0,\"lookups\":234,\"hits\":200,"
	"\"res_failed\":0,\"rcv_probes_mcast\":0,\"rcv_probes_ucast\":0,\"periodic_gc_runs\":7,"
	"\"forced_gc_runs\":0,\"unresolved_discards\":0,\"table_fulls\":1,"
	"\"rx_arp\":30,\"replies_sent\":0,\"na_sent\":9}]}}\n" },
};

static void test_output(void **state)
{
	const struct output_case *tc = *state;
	struct xn_stats_table t = {
		.name = "arp_cache", .entries = 4,
		.percpu = fixture, .cpu_ids = fixture_cpus, .ncpus = 2,
		.reasons = fixture_reasons, .nr_reasons = ARRAY_SIZE(fixture_reasons),
	};
	struct xn_out o;

	fixture_fill();
	assert_int_equal(xn_out_init(&o, -1, tc->json, false), 0);
	print_one(&o, &t, tc->per_cpu);
	assert_int_equal(o.err, 0);
	assert_int_equal(o.depth, 0);
	assert_output(o.buf, o.len, tc->want);
	free(o.buf);
}

/* Possible CPUs need not be contiguous: rows and columns carry the CPU
 * numbers (the values come in the order of the possible CPUs), and a
 * two-digit number widens the cpu column. Only the start is compared. */
static void test_output_sparse_cpus(void **state)
{
	static const unsigned int cpus[3] = { 0, 4, 12 };
	struct xn_stats percpu[3] = {};
	struct xn_stats_table t = {
		.name = "ndisc_cache", .entries = 0,
		.percpu = percpu, .cpu_ids = cpus, .ncpus = 3,
		.reasons = fixture_reasons, .nr_reasons = 1,	/* rx_arp */
	};
	struct xn_out o;

	(void)state;
	percpu[0].allocs = 1;
	percpu[2].allocs = 10;
	percpu[1].rx_arp = 7;
	percpu[2].rx_arp = 100;
	assert_int_equal(xn_out_init(&o, -1, false, false), 0);
	print_one(&o, &t, true);
	assert_int_equal(o.err, 0);
	assert_output(o.buf, o.len,
		"ndisc_cache:\n"
		"  cpu   " COLUMNS
		"  0           -      1        0          0       0    0          0                0"
		"                0                0              0                   0           0\n"
		"  4           -      0        0          0       0    0          0                0"
		"                0                0              0                   0           0\n"
		"  12          -     10        0          0       0    0          0                0"
		"                0                0              0                   0           0\n"
		"  total       0     11        0          0       0    0          0                0"
		"                0                0              0                   0           0\n"
		"  counter cpu0 cpu4 cpu12 total\n"
		"  rx_arp     0    7   100   107\n");
	free(o.buf);

	/* the same in JSON: the CPU numbers, not their positions */
	assert_int_equal(xn_out_init(&o, -1, true, false), 0);
	print_one(&o, &t, true);
	assert_int_equal(o.err, 0);
	assert_non_null(memmem(o.buf, o.len, "\"per_cpu\":[{\"cpu\":0,\"allocs\":1,", 31));
	assert_non_null(memmem(o.buf, o.len, "},{\"cpu\":4,\"allocs\":0,", 22));
	assert_non_null(memmem(o.buf, o.len, "},{\"cpu\":12,\"allocs\":10,", 24));
	free(o.buf);
}

/* Without a list, every XN_STATS_REASONS counter is printed once, in its
 * order, after the columns: in text one line each, in JSON one member each. */
static void test_all_reasons(void **state)
{
	static const char *const names[] = {
#define XN_REASON_NAME(name, desc) #name,
		XN_STATS_REASONS(XN_REASON_NAME)
#undef XN_REASON_NAME
	};
	struct xn_stats percpu[1] = {};
	static const unsigned int cpu0;
	struct xn_stats_table t = {
		.name = "arp_cache", .percpu = percpu, .cpu_ids = &cpu0, .ncpus = 1,
	};
	const char *p, *end, *nl;
	char member[64];
	struct xn_out o;
	size_t i, n;

	(void)state;
	assert_int_equal(xn_out_init(&o, -1, false, false), 0);
	print_one(&o, &t, false);
	p = o.buf;
	end = o.buf + o.len;
	for (i = 0; i < 3; i++) {	/* "arp_cache:", the column names, the values */
		nl = memchr(p, '\n', (size_t)(end - p));
		assert_non_null(nl);
		p = nl + 1;
	}
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		n = strlen(names[i]);
		nl = memchr(p, '\n', (size_t)(end - p));
		assert_non_null(nl);
		if (nl - p < (ptrdiff_t)(n + 4) || memcmp(p, "  ", 2) || memcmp(p + 2, names[i], n) ||
		    p[2 + n] != ' ' || nl[-1] != '0')
			fail_msg("line %zu of the counters is \"%.*s\", expected %s 0", i,
				 (int)(nl - p), p, names[i]);
		p = nl + 1;
	}
	assert_true(p == end);	/* nothing else */
	free(o.buf);

	assert_int_equal(xn_out_init(&o, -1, true, false), 0);
	print_one(&o, &t, false);
	p = o.buf;
	end = o.buf + o.len;
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		snprintf(member, sizeof(member), "\"%s\":0", names[i]);
		nl = memmem(p, (size_t)(end - p), member, strlen(member));
		if (!nl)
			fail_msg("JSON: no %s after the counters before it", member);
		p = nl + strlen(member);
	}
	assert_int_equal(end - p, 3);	/* "}}\n" */
	free(o.buf);
}

/* The per-CPU values add up to the totals, counter by counter. */
static void test_sum(void **state)
{
	struct xn_stats sum;
	const __u64 *a = (const __u64 *)&fixture[0], *b = (const __u64 *)&fixture[1];
	const __u64 *s = (const __u64 *)&sum;
	size_t i;

	(void)state;
	fixture_fill();
	xn_stats_sum(fixture, 2, &sum);
	for (i = 0; i < XN_STAT__COUNT; i++)
		assert_int_equal(s[i], a[i] + b[i]);
	assert_int_equal(sum.lookups, 1234);
	assert_int_equal(sum.replies_sent, 1234567);
	xn_stats_sum(fixture, 0, &sum);
	assert_int_equal(sum.allocs, 0);
}

/* ==== CPU lists ============================================================= */

struct cpulist_case {
	const char *in;
	unsigned int max;
	int ret;
	unsigned int n;
	unsigned int ids[8];
};

static const struct cpulist_case cpulist_cases[] = {
	{ "0-1\n",		8, 0, 2, { 0, 1 } },
	{ "0\n",		8, 0, 1, { 0 } },
	{ "0",			8, 0, 1, { 0 } },
	{ "0-3,8,10-11\n",	8, 0, 7, { 0, 1, 2, 3, 8, 10, 11 } },
	{ "5-5",		8, 0, 1, { 5 } },
	{ "0-1",		2, 0, 2, { 0, 1 } },
	{ "0-2",		2, -E2BIG },
	{ "",			8, -EINVAL },
	{ "\n",			8, -EINVAL },
	{ "1-0",		8, -EINVAL },
	{ "0,0",		8, -EINVAL },
	{ "3,1",		8, -EINVAL },
	{ "0-3,2",		8, -EINVAL },
	{ "a",			8, -EINVAL },
	{ "0-",			8, -EINVAL },
	{ "-1",			8, -EINVAL },
	{ "0,,1",		8, -EINVAL },
	{ "0-1,",		8, -EINVAL },
	{ "0 1",		8, -EINVAL },
	{ "0x1",		8, -EINVAL },
	{ "99999999999",	8, -EINVAL },
};

static void test_cpulist(void **state)
{
	const struct cpulist_case *tc = *state;
	unsigned int ids[8] = {}, n = 99, i;

	assert_int_equal(xn_cpu_list_parse(tc->in, ids, tc->max, &n), tc->ret);
	if (tc->ret) {
		assert_int_equal(n, 99);	/* untouched on error */
		return;
	}
	assert_int_equal(n, tc->n);
	for (i = 0; i < n; i++)
		assert_int_equal(ids[i], tc->ids[i]);
}

/* ==== Runner ================================================================ */

int main(void)
{
	struct CMUnitTest tests[ARRAY_SIZE(output_cases) + ARRAY_SIZE(cpulist_cases) + 3];
	char names[ARRAY_SIZE(tests)][64];
	size_t i, k = 0;

	for (i = 0; i < ARRAY_SIZE(output_cases); i++, k++) {
		snprintf(names[k], sizeof(names[k]), "output: %s", output_cases[i].name);
		tests[k] = (struct CMUnitTest){ .name = names[k], .test_func = test_output,
						 .initial_state = (void *)&output_cases[i] };
	}
	for (i = 0; i < ARRAY_SIZE(cpulist_cases); i++, k++) {
		const char *in = cpulist_cases[i].in;
		size_t len = strlen(in);
		bool nl = len && in[len - 1] == '\n';

		/* the trailing newline the kernel writes, shown as \n */
		snprintf(names[k], sizeof(names[k]), "cpu list: \"%.*s%s\"", (int)(len - nl), in,
			 nl ? "\\n" : "");
		tests[k] = (struct CMUnitTest){ .name = names[k], .test_func = test_cpulist,
						 .initial_state = (void *)&cpulist_cases[i] };
	}
	tests[k++] = (struct CMUnitTest){ .name = "output: sparse CPU numbers",
					   .test_func = test_output_sparse_cpus };
	tests[k++] = (struct CMUnitTest){ .name = "output: all reasons, in order",
					   .test_func = test_all_reasons };
	tests[k++] = (struct CMUnitTest){ .name = "sum over CPUs", .test_func = test_sum };
	return _cmocka_run_group_tests("test_stats_fmt", tests, k, NULL, NULL);
}
