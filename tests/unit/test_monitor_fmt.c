// SPDX-License-Identifier: GPL-2.0
/* user/lib/ctlmon.c: the lines and JSON objects of `xneigh monitor`, one
 * cmocka test per fixture row: a record of xneighd's event stream in, the
 * exact bytes out, in text (no stamp, -t, -ts), JSON and pretty JSON.
 *
 * The ip-style lines are the ones `ip -ts monitor neigh` (iproute2 6.1)
 * prints for the same kernel notification (checked on this machine):
 *   [2026-11-22T06:19:44.384636] 10.9.0.2 dev a0 lladdr 02:00:00:00:09:02 REACHABLE
 *   Timestamp: Sun Nov 22 06:19:44 2026 384642 usec      (ip -t, the line before)
 *   Deleted 10.9.0.2 dev a0 FAILED
 * every field followed by one space, as ip prints them.
 *
 * Times are printed in local time: the tests run with TZ=UTC.
 * Needs nothing from the machine: no root, no BPF.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "xneigh/nud.h"
#include "ctlmon.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* 2026-11-22T10:00:00.123456789 UTC, a Sunday */
#define T0		(1795341600ull * 1000000000ull + 123456789ull)

#define MAC_A		{ 0x02, 0, 0, 0, 0x02, 0x02 }
#define MAC_B		{ 0x02, 0, 0, 0, 0x02, 0x99 }
#define IP4(a, b, c, d)	{ a, b, c, d }
#define IP6_2		{ 0x20, 0x01, 0x0d, 0xb8, [15] = 2 }
#define IP6_5		{ 0x20, 0x01, 0x0d, 0xb8, [15] = 5 }

enum mode { TEXT, JSON, PRETTY };

struct mon_case {
	const char *name;
	enum mode mode;
	enum xn_mon_ts ts;
	__u16 kind;			/* 0: XND_MON_EVENT */
	__u64 realtime;			/* 0: T0 */
	__u64 lost;
	__u8 type, family, old_state, new_state, flags;
	__u8 addr[16];
	__u8 old_ll[ETH_ALEN], new_ll[ETH_ALEN];
	const char *want;
};

static const struct mon_case cases[] = {
	/* ---- an entry created or changed: ip's RTM_NEWNEIGH line ---- */
	{ "created REACHABLE", TEXT, XN_MON_TS_NONE, .type = XN_EV_CREATED, .family = AF_INET,
	  .new_state = NUD_REACHABLE, .addr = IP4(10, 1, 0, 2), .new_ll = MAC_A,
	  .want = "10.1.0.2 dev s1 lladdr 02:00:00:00:02:02 REACHABLE \n" },
	{ "created REACHABLE -ts", TEXT, XN_MON_TS_SHORT, .type = XN_EV_CREATED,
	  .family = AF_INET, .new_state = NUD_REACHABLE, .addr = IP4(10, 1, 0, 2), .new_ll = MAC_A,
	  .want = "[2026-11-22T10:00:00.123456] 10.1.0.2 dev s1 lladdr 02:00:00:00:02:02 "
		  "REACHABLE \n" },
	{ "created REACHABLE -t", TEXT, XN_MON_TS_LONG, .type = XN_EV_CREATED,
	  .family = AF_INET, .new_state = NUD_REACHABLE, .addr = IP4(10, 1, 0, 2), .new_ll = MAC_A,
	  .want = "Timestamp: Sun Nov 22 10:00:00 2026 123456 usec\n"
		  "10.1.0.2 dev s1 lladdr 02:00:00:00:02:02 REACHABLE \n" },
	{ "-ts pads the microseconds", TEXT, XN_MON_TS_SHORT, .realtime = 1795341600ull *
	  1000000000ull + 5999, .type = XN_EV_STATE, .family = AF_INET, .old_state = NUD_NONE,
	  .new_state = NUD_INCOMPLETE, .addr = IP4(10, 1, 0, 9),
	  .want = "[2026-11-22T10:00:00.000005] 10.1.0.9 dev s1 INCOMPLETE \n" },
	{ "-t does not pad them (ip's %ld)", TEXT, XN_MON_TS_LONG, .realtime = 1795341600ull *
	  1000000000ull + 5999, .type = XN_EV_STATE, .family = AF_INET, .old_state = NUD_NONE,
	  .new_state = NUD_INCOMPLETE, .addr = IP4(10, 1, 0, 9),
	  .want = "Timestamp: Sun Nov 22 10:00:00 2026 5 usec\n10.1.0.9 dev s1 INCOMPLETE \n" },
	{ "created NONE: no state word", TEXT, XN_MON_TS_NONE, .type = XN_EV_CREATED,
	  .family = AF_INET, .new_state = NUD_NONE, .addr = IP4(10, 1, 0, 9),
	  .want = "10.1.0.9 dev s1 \n" },
	{ "FAILED: no lladdr though the entry keeps one", TEXT, XN_MON_TS_NONE,
	  .type = XN_EV_STATE, .family = AF_INET, .old_state = NUD_INCOMPLETE,
	  .new_state = NUD_FAILED, .addr = IP4(10, 1, 0, 9), .old_ll = MAC_A, .new_ll = MAC_A,
	  .want = "10.1.0.9 dev s1 FAILED \n" },
	{ "resolved (lladdr from none): an ordinary line", TEXT, XN_MON_TS_NONE,
	  .type = XN_EV_LLADDR, .family = AF_INET, .old_state = NUD_INCOMPLETE,
	  .new_state = NUD_REACHABLE, .addr = IP4(10, 1, 0, 2), .new_ll = MAC_A,
	  .want = "10.1.0.2 dev s1 lladdr 02:00:00:00:02:02 REACHABLE \n" },
	{ "resolved, JSON: event state", JSON, XN_MON_TS_NONE, .type = XN_EV_LLADDR,
	  .family = AF_INET, .old_state = NUD_INCOMPLETE, .new_state = NUD_REACHABLE,
	  .addr = IP4(10, 1, 0, 2), .new_ll = MAC_A,
	  .want = "{\"timestamp\":\"2026-11-22T10:00:00.123456\",\"event\":\"state\","
		  "\"dst\":\"10.1.0.2\",\"dev\":\"s1\",\"lladdr\":\"02:00:00:00:02:02\","
		  "\"state\":[\"REACHABLE\"]}\n" },
	{ "IPv6 router", TEXT, XN_MON_TS_NONE, .type = XN_EV_STATE, .family = AF_INET6,
	  .old_state = NUD_REACHABLE, .new_state = NUD_STALE, .flags = XN_NTF_ROUTER,
	  .addr = IP6_2, .old_ll = MAC_A, .new_ll = MAC_A,
	  .want = "2001:db8::2 dev s1 lladdr 02:00:00:00:02:02 router STALE \n" },
	{ "extern_learn PERMANENT", JSON, XN_MON_TS_NONE, .type = XN_EV_CREATED,
	  .family = AF_INET, .new_state = NUD_PERMANENT, .flags = XN_NTF_EXT_LEARNED,
	  .addr = IP4(10, 1, 0, 3), .new_ll = MAC_B,
	  .want = "{\"timestamp\":\"2026-11-22T10:00:00.123456\",\"event\":\"created\","
		  "\"dst\":\"10.1.0.3\",\"dev\":\"s1\",\"lladdr\":\"02:00:00:00:02:99\","
		  "\"extern_learn\":null,\"state\":[\"PERMANENT\"]}\n" },

	/* ---- the MAC changed (arpwatch) ---- */
	{ "MAC change", TEXT, XN_MON_TS_SHORT, .type = XN_EV_LLADDR, .family = AF_INET,
	  .old_state = NUD_REACHABLE, .new_state = NUD_STALE, .addr = IP4(10, 1, 0, 2),
	  .old_ll = MAC_A, .new_ll = MAC_B,
	  .want = "[2026-11-22T10:00:00.123456] 10.1.0.2 dev s1 lladdr 02:00:00:00:02:99 "
		  "old_lladdr 02:00:00:00:02:02 STALE \n" },
	{ "MAC change, JSON", JSON, XN_MON_TS_NONE, .type = XN_EV_LLADDR, .family = AF_INET,
	  .old_state = NUD_REACHABLE, .new_state = NUD_STALE, .addr = IP4(10, 1, 0, 2),
	  .old_ll = MAC_A, .new_ll = MAC_B,
	  .want = "{\"timestamp\":\"2026-11-22T10:00:00.123456\",\"event\":\"lladdr\","
		  "\"dst\":\"10.1.0.2\",\"dev\":\"s1\",\"lladdr\":\"02:00:00:00:02:99\","
		  "\"old_lladdr\":\"02:00:00:00:02:02\",\"state\":[\"STALE\"]}\n" },
	{ "MAC change, pretty JSON", PRETTY, XN_MON_TS_NONE, .type = XN_EV_LLADDR,
	  .family = AF_INET6, .old_state = NUD_STALE, .new_state = NUD_STALE,
	  .flags = XN_NTF_ROUTER, .addr = IP6_2, .old_ll = MAC_A, .new_ll = MAC_B,
	  .want = "{\n"
		  "    \"timestamp\": \"2026-11-22T10:00:00.123456\",\n"
		  "    \"event\": \"lladdr\",\n"
		  "    \"dst\": \"2001:db8::2\",\n"
		  "    \"dev\": \"s1\",\n"
		  "    \"lladdr\": \"02:00:00:00:02:99\",\n"
		  "    \"old_lladdr\": \"02:00:00:00:02:02\",\n"
		  "    \"router\": null,\n"
		  "    \"state\": [ \"STALE\" ]\n"
		  "}\n" },

	/* ---- an entry removed: ip's RTM_DELNEIGH line, the entry as it was ---- */
	{ "Deleted FAILED (xneigh del, as ip neigh del)", TEXT, XN_MON_TS_NONE,
	  .type = XN_EV_DELETED, .family = AF_INET, .old_state = NUD_FAILED,
	  .addr = IP4(10, 1, 0, 2), .old_ll = MAC_A,
	  .want = "Deleted 10.1.0.2 dev s1 FAILED \n" },
	{ "Deleted STALE (garbage collection)", TEXT, XN_MON_TS_SHORT, .type = XN_EV_DELETED,
	  .family = AF_INET, .old_state = NUD_STALE, .flags = XN_NTF_ROUTER,
	  .addr = IP4(10, 1, 0, 2), .old_ll = MAC_A,
	  .want = "[2026-11-22T10:00:00.123456] Deleted 10.1.0.2 dev s1 lladdr "
		  "02:00:00:00:02:02 router STALE \n" },
	{ "Deleted, JSON: deleted true as ip -j", JSON, XN_MON_TS_NONE, .type = XN_EV_DELETED,
	  .family = AF_INET, .old_state = NUD_STALE, .addr = IP4(10, 1, 0, 2), .old_ll = MAC_A,
	  .want = "{\"timestamp\":\"2026-11-22T10:00:00.123456\",\"event\":\"deleted\","
		  "\"deleted\":true,\"dst\":\"10.1.0.2\",\"dev\":\"s1\","
		  "\"lladdr\":\"02:00:00:00:02:02\",\"state\":[\"STALE\"]}\n" },

	/* ---- conflicts and overflow ---- */
	{ "conflict", TEXT, XN_MON_TS_SHORT, .type = XN_EV_CONFLICT, .family = AF_INET,
	  .addr = IP4(10, 1, 0, 1), .new_ll = MAC_B,
	  .want = "[2026-11-22T10:00:00.123456] Conflict 10.1.0.1 dev s1 lladdr "
		  "02:00:00:00:02:99 \n" },
	{ "conflict, JSON", JSON, XN_MON_TS_NONE, .type = XN_EV_CONFLICT, .family = AF_INET,
	  .addr = IP4(10, 1, 0, 1), .new_ll = MAC_B,
	  .want = "{\"timestamp\":\"2026-11-22T10:00:00.123456\",\"event\":\"conflict\","
		  "\"dst\":\"10.1.0.1\",\"dev\":\"s1\",\"lladdr\":\"02:00:00:00:02:99\"}\n" },
	{ "DAD conflict, no lladdr known", TEXT, XN_MON_TS_NONE,
	  .type = XN_EV_DAD_CONFLICT, .family = AF_INET6, .addr = IP6_5,
	  .want = "Conflict 2001:db8::5 dev s1 dad \n" },
	{ "DAD conflict, JSON", JSON, XN_MON_TS_NONE, .type = XN_EV_DAD_CONFLICT,
	  .family = AF_INET6, .addr = IP6_5, .new_ll = MAC_B,
	  .want = "{\"timestamp\":\"2026-11-22T10:00:00.123456\",\"event\":\"dad_conflict\","
		  "\"dst\":\"2001:db8::5\",\"dev\":\"s1\",\"lladdr\":\"02:00:00:00:02:99\","
		  "\"dad\":null}\n" },
	{ "table full", TEXT, XN_MON_TS_NONE, .type = XN_EV_TABLE_FULL, .family = AF_INET,
	  .new_state = NUD_STALE, .addr = IP4(10, 1, 0, 7), .new_ll = MAC_A,
	  .want = "Overflow 10.1.0.7 dev s1 lladdr 02:00:00:00:02:02 \n" },
	{ "table full, JSON", JSON, XN_MON_TS_NONE, .type = XN_EV_TABLE_FULL,
	  .family = AF_INET6, .addr = IP6_2,
	  .want = "{\"timestamp\":\"2026-11-22T10:00:00.123456\",\"event\":\"table_full\","
		  "\"dst\":\"2001:db8::2\",\"dev\":\"s1\"}\n" },
	{ "a type this build does not know", TEXT, XN_MON_TS_NONE, .type = 99,
	  .family = AF_INET, .addr = IP4(10, 1, 0, 2),
	  .want = "Event 99 10.1.0.2 dev s1 \n" },

	/* ---- a monitor that fell behind ---- */
	{ "lost 1", TEXT, XN_MON_TS_NONE, .kind = XND_MON_LOST, .lost = 1,
	  .want = "Lost 1 event\n" },
	{ "lost 269 -ts", TEXT, XN_MON_TS_SHORT, .kind = XND_MON_LOST, .lost = 269,
	  .want = "[2026-11-22T10:00:00.123456] Lost 269 events\n" },
	{ "lost, JSON", JSON, XN_MON_TS_LONG, .kind = XND_MON_LOST, .lost = 269,
	  .want = "{\"timestamp\":\"2026-11-22T10:00:00.123456\",\"event\":\"lost\","
		  "\"lost\":269}\n" },
};

static void record_of(const struct mon_case *tc, struct xnd_ctl_mon *rec)
{
	memset(rec, 0, sizeof(*rec));
	rec->magic = XND_CTL_MAGIC;
	rec->version = XND_CTL_VERSION;
	rec->kind = tc->kind ? tc->kind : XND_MON_EVENT;
	rec->realtime_ns = tc->realtime ? tc->realtime : T0;
	rec->lost = tc->lost;
	rec->ev.ts = 42;
	rec->ev.ifindex = 7;
	rec->ev.type = tc->type;
	rec->ev.family = tc->family;
	rec->ev.old_state = tc->old_state;
	rec->ev.new_state = tc->new_state;
	rec->ev.flags = tc->flags;
	memcpy(rec->ev.addr, tc->addr, sizeof(rec->ev.addr));
	memcpy(rec->ev.old_lladdr, tc->old_ll, ETH_ALEN);
	memcpy(rec->ev.new_lladdr, tc->new_ll, ETH_ALEN);
}

/* Show a byte string with \n escaped, so a failure says what differs. */
static void show_bytes(const char *label, const char *s, size_t n)
{
	char buf[1024];
	size_t i, o = 0;

	for (i = 0; i < n && o + 3 < sizeof(buf); i++) {
		if (s[i] == '\n') {
			buf[o++] = '\\';
			buf[o++] = 'n';
		} else {
			buf[o++] = s[i];
		}
	}
	buf[o] = '\0';
	print_message("  %s: \"%s\"\n", label, buf);
}

static void assert_bytes(const char *got, size_t got_len, const char *want)
{
	size_t want_len = strlen(want);

	if (got_len != want_len || memcmp(got, want, want_len)) {
		show_bytes("expected", want, want_len);
		show_bytes("got     ", got, got_len);
		fail_msg("output differs (%zu bytes expected, %zu written)", want_len, got_len);
	}
}

static void test_case(void **state)
{
	const struct mon_case *tc = *state;
	struct xnd_ctl_mon rec;
	struct xn_out o;

	record_of(tc, &rec);
	assert_int_equal(xn_out_init(&o, -1, tc->mode != TEXT, tc->mode == PRETTY), 0);
	xn_mon_print(&o, &rec, "s1", tc->ts);
	assert_int_equal(o.err, 0);
	assert_int_equal(o.depth, 0);
	assert_bytes(o.buf, o.len, tc->want);
	free(o.buf);
}

/* A stream of JSON objects: one per line, no separator between them. */
static void test_json_stream(void **state)
{
	const struct mon_case *a = &cases[0], *b = &cases[ARRAY_SIZE(cases) - 1];
	struct xnd_ctl_mon rec;
	struct xn_out o;

	(void)state;
	assert_int_equal(xn_out_init(&o, -1, true, false), 0);
	record_of(a, &rec);
	xn_mon_print(&o, &rec, "s1", XN_MON_TS_NONE);
	record_of(b, &rec);
	xn_mon_print(&o, &rec, "s1", XN_MON_TS_NONE);
	assert_int_equal(o.err, 0);
	assert_bytes(o.buf, o.len,
		     "{\"timestamp\":\"2026-11-22T10:00:00.123456\",\"event\":\"created\","
		     "\"dst\":\"10.1.0.2\",\"dev\":\"s1\",\"lladdr\":\"02:00:00:00:02:02\","
		     "\"state\":[\"REACHABLE\"]}\n"
		     "{\"timestamp\":\"2026-11-22T10:00:00.123456\",\"event\":\"lost\","
		     "\"lost\":269}\n");
	free(o.buf);
}

static void test_time_short(void **state)
{
	char buf[64];

	(void)state;
	assert_string_equal(xn_mon_time_short(T0, buf, sizeof(buf)),
			    "2026-11-22T10:00:00.123456");
	assert_string_equal(xn_mon_time_short(999999999ull, buf, sizeof(buf)),
			    "1970-01-01T00:00:00.999999");
}

int main(void)
{
	struct CMUnitTest tests[ARRAY_SIZE(cases) + 2];
	size_t i, n = 0;

	/* local time is what ip prints: make it known */
	setenv("TZ", "UTC", 1);
	tzset();
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		tests[n].name = cases[i].name;
		tests[n].test_func = test_case;
		tests[n].setup_func = NULL;
		tests[n].teardown_func = NULL;
		tests[n].initial_state = (void *)&cases[i];
		n++;
	}
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_json_stream);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_time_short);
	return _cmocka_run_group_tests("monitor lines (user/lib/ctlmon.c)", tests, n, NULL, NULL);
}
