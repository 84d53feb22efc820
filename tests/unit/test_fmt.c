// SPDX-License-Identifier: GPL-2.0
/* user/lib/fmt.c: the text/JSON writer and the strict parsers behind the
 * xneigh CLI, driven by fixture tables (one cmocka test per row).
 *
 *   writer   same calls in text, JSON and pretty JSON -> whole output bytes,
 *            compared with what `ip [-j [-p]] neigh` prints for the same
 *            fields; escaping per RFC 8259, bad UTF-8 -> U+FFFD
 *   MAC      parse (strict, 1-2 hex digits per group) + format
 *   IPv4     parse (four decimal octets, no leading zero) + format + prefixes
 *   IPv6     parse (inet_pton: no zone, no brackets) + format (RFC 5952 as
 *            inet_ntop, i.e. as ip prints) + prefixes
 *   prefix   PREFIX of either family, all/any/default, family conflicts
 *   NUD      state names both ways, ip's print order, ip's parse words
 *   words    iproute2 prefix matching, first-in-table-order resolution
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
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "xneigh/nud.h"
#include "fmt.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* 16 address bytes from eight 16-bit groups. */
#define G(x)		(__u8)((x) >> 8), (__u8)((x) & 0xff)
#define A6(a, b, c, d, e, f, g, h) { G(a), G(b), G(c), G(d), G(e), G(f), G(g), G(h) }
#define A4(a, b, c, d)	{ a, b, c, d }

/* Show a byte string with escapes, so a failure message says what differs. */
static void show_bytes(const char *label, const char *s, size_t n)
{
	char buf[2048];
	size_t i, o = 0;

	for (i = 0; i < n && o + 5 < sizeof(buf); i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch == '\n') {
			buf[o++] = '\\';
			buf[o++] = 'n';
		} else if (ch < 0x20 || ch >= 0x7f) {
			o += (size_t)snprintf(buf + o, sizeof(buf) - o, "\\x%02x", ch);
		} else {
			buf[o++] = (char)ch;
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

/* ==== Writer ================================================================ */

enum mode { TEXT, JSON, PRETTY };

struct writer_case {
	const char *name;
	enum mode mode;
	void (*build)(struct xn_out *o);
	const char *want;
};

/* Two entries printed with the calls and formats of xneigh show. */
static void build_neigh_list(struct xn_out *o)
{
	xn_open_array(o, NULL);

	xn_open_object(o, NULL);
	xn_print_string(o, XN_PRINT_ANY, "dst", "%s ", "10.0.0.2");
	xn_print_string(o, XN_PRINT_ANY, "lladdr", "lladdr %s ", "02:00:00:00:00:22");
	xn_print_null(o, XN_PRINT_ANY, "extern_learn", "extern_learn ");
	xn_print_nud_state(o, NUD_STALE);
	xn_print_text(o, "\n");
	xn_close_object(o);

	xn_open_object(o, NULL);
	xn_print_string(o, XN_PRINT_ANY, "dst", "%s ", "2001:db8::9");
	xn_print_string(o, XN_PRINT_ANY, "dev", "dev %s ", "a0");
	xn_print_string(o, XN_PRINT_ANY, "lladdr", "lladdr %s ", "02:00:00:00:00:09");
	xn_print_null(o, XN_PRINT_ANY, "router", "router ");
	xn_print_uint(o, XN_PRINT_ANY, "used", " used %llu", 0);
	xn_print_uint(o, XN_PRINT_ANY, "confirmed", "/%llu", 60);
	xn_print_uint(o, XN_PRINT_ANY, "updated", "/%llu", 0);
	xn_print_uint(o, XN_PRINT_ANY, "probes", "probes %u ", 0);
	xn_print_nud_state(o, NUD_STALE);
	xn_print_text(o, "\n");
	xn_close_object(o);

	xn_close_array(o);
	xn_json_end(o);
}

static void build_empty_list(struct xn_out *o)
{
	xn_open_array(o, NULL);
	xn_close_array(o);
	xn_json_end(o);
}

/* No state word for NUD_NONE; several bits in ip's order. */
static void build_states(struct xn_out *o)
{
	xn_open_array(o, NULL);
	xn_open_object(o, NULL);
	xn_print_string(o, XN_PRINT_ANY, "dst", "%s ", "10.0.0.10");
	xn_print_nud_state(o, NUD_NONE);
	xn_print_text(o, "\n");
	xn_close_object(o);
	xn_open_object(o, NULL);
	xn_print_string(o, XN_PRINT_ANY, "dst", "%s ", "10.0.0.11");
	xn_print_nud_state(o, NUD_PERMANENT | NUD_STALE | NUD_INCOMPLETE);
	xn_print_text(o, "\n");
	xn_close_object(o);
	xn_close_array(o);
	xn_json_end(o);
}

/* The shape of xneigh stats -j. */
static void build_stats(struct xn_out *o)
{
	xn_open_object(o, NULL);
	xn_print_text(o, "arp_cache:\n");
	xn_open_object(o, "arp_cache");
	xn_print_uint(o, XN_PRINT_ANY, "entries", "  entries %llu\n", 2);
	xn_print_uint(o, XN_PRINT_ANY, "allocs", "  allocs %llu\n", 0);
	xn_close_object(o);
	xn_print_text(o, "ndisc_cache:\n");
	xn_open_object(o, "ndisc_cache");
	xn_print_uint(o, XN_PRINT_ANY, "entries", "  entries %llu\n", 1);
	xn_close_object(o);
	xn_close_object(o);
	xn_json_end(o);
}

static void build_scalars(struct xn_out *o)
{
	xn_open_object(o, NULL);
	xn_print_uint(o, XN_PRINT_ANY, "u", "%llu|", UINT64_MAX);
	xn_print_int(o, XN_PRINT_ANY, "i", "%lld|", INT64_MIN);
	xn_print_int(o, XN_PRINT_ANY, "j", "%d|", 42);
	xn_print_bool(o, XN_PRINT_ANY, "t", "%s|", true);
	xn_print_bool(o, XN_PRINT_ANY, "f", "%s|", false);
	xn_print_null(o, XN_PRINT_ANY, "n", "N|");
	xn_open_object(o, "empty");
	xn_close_object(o);
	xn_open_array(o, "list");
	xn_print_uint(o, XN_PRINT_ANY, NULL, "%llu,", 1);
	xn_print_uint(o, XN_PRINT_ANY, NULL, "%llu,", 2);
	xn_close_array(o);
	xn_close_object(o);
	xn_json_end(o);
}

/* Where a field goes: text-only, JSON-only, no text format; "%%". */
static void build_where(struct xn_out *o)
{
	xn_open_object(o, NULL);
	xn_print_string(o, XN_PRINT_TEXT, "t", "text-only %s;", "a");
	xn_print_string(o, XN_PRINT_JSON, "j", "json-only %s;", "b");
	xn_print_string(o, XN_PRINT_ANY, "nofmt", NULL, "c");
	xn_print_uint(o, XN_PRINT_ANY, "pct", "100%% %llu%%;", 5);
	xn_print_string(o, XN_PRINT_ANY, "null", "[%s]", NULL);
	xn_print_text(o, "literal %s\n");
	xn_close_object(o);
	xn_json_end(o);
}

static void build_escapes(struct xn_out *o)
{
	xn_open_object(o, NULL);
	xn_print_string(o, XN_PRINT_ANY, "s", "%s",
			"q\"b\\ n\n t\t r\r b\b f\f c\x01 \x1f del\x7f /");
	xn_print_string(o, XN_PRINT_ANY, "k\"ey\n", "%s", "");
	xn_close_object(o);
}

static void build_utf8(struct xn_out *o)
{
	xn_open_array(o, NULL);
	/* valid: kept as they are (e-acute, euro, U+1F600) */
	xn_print_string(o, XN_PRINT_ANY, NULL, NULL, "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
	/* lone continuation byte */
	xn_print_string(o, XN_PRINT_ANY, NULL, NULL, "a\x80z");
	/* overlong NUL (C0 80) */
	xn_print_string(o, XN_PRINT_ANY, NULL, NULL, "\xc0\x80");
	/* UTF-16 surrogate D800 (ED A0 80) */
	xn_print_string(o, XN_PRINT_ANY, NULL, NULL, "\xed\xa0\x80");
	/* above U+10FFFF */
	xn_print_string(o, XN_PRINT_ANY, NULL, NULL, "\xf4\x90\x80\x80");
	/* truncated at the end of the string */
	xn_print_string(o, XN_PRINT_ANY, NULL, NULL, "\xe2\x82");
	xn_close_array(o);
}

#define FFFD "\\ufffd"

static const struct writer_case writer_cases[] = {
	/* the neighbour list: as `ip neigh`, `ip -j neigh`, `ip -j -p neigh` */
	{ "neigh list, text", TEXT, build_neigh_list,
	  "10.0.0.2 lladdr 02:00:00:00:00:22 extern_learn STALE \n"
	  "2001:db8::9 dev a0 lladdr 02:00:00:00:00:09 router  used 0/60/0probes 0 STALE \n" },
	{ "neigh list, JSON", JSON, build_neigh_list,
	  "[{\"dst\":\"10.0.0.2\",\"lladdr\":\"02:00:00:00:00:22\",\"extern_learn\":null,"
	  "\"state\":[\"STALE\"]},{\"dst\":\"2001:db8::9\",\"dev\":\"a0\","
	  "\"lladdr\":\"02:00:00:00:00:09\",\"router\":null,\"used\":0,\"confirmed\":60,"
	  "\"updated\":0,\"probes\":0,\"state\":[\"STALE\"]}]\n" },
	{ "neigh list, pretty JSON", PRETTY, build_neigh_list,
	  "[ {\n"
	  "        \"dst\": \"10.0.0.2\",\n"
	  "        \"lladdr\": \"02:00:00:00:00:22\",\n"
	  "        \"extern_learn\": null,\n"
	  "        \"state\": [ \"STALE\" ]\n"
	  "    },{\n"
	  "        \"dst\": \"2001:db8::9\",\n"
	  "        \"dev\": \"a0\",\n"
	  "        \"lladdr\": \"02:00:00:00:00:09\",\n"
	  "        \"router\": null,\n"
	  "        \"used\": 0,\n"
	  "        \"confirmed\": 60,\n"
	  "        \"updated\": 0,\n"
	  "        \"probes\": 0,\n"
	  "        \"state\": [ \"STALE\" ]\n"
	  "    } ]\n" },
	{ "empty list, text", TEXT, build_empty_list, "" },
	{ "empty list, JSON", JSON, build_empty_list, "[]\n" },
	{ "empty list, pretty JSON", PRETTY, build_empty_list, "[ ]\n" },
	{ "states, text", TEXT, build_states,
	  "10.0.0.10 \n10.0.0.11 INCOMPLETE STALE PERMANENT \n" },
	{ "states, JSON", JSON, build_states,
	  "[{\"dst\":\"10.0.0.10\"},{\"dst\":\"10.0.0.11\","
	  "\"state\":[\"INCOMPLETE\",\"STALE\",\"PERMANENT\"]}]\n" },
	{ "stats, text", TEXT, build_stats,
	  "arp_cache:\n  entries 2\n  allocs 0\nndisc_cache:\n  entries 1\n" },
	{ "stats, JSON", JSON, build_stats,
	  "{\"arp_cache\":{\"entries\":2,\"allocs\":0},\"ndisc_cache\":{\"entries\":1}}\n" },
	{ "stats, pretty JSON", PRETTY, build_stats,
	  "{\n"
	  "    \"arp_cache\": {\n"
	  "        \"entries\": 2,\n"
	  "        \"allocs\": 0\n"
	  "    },\n"
	  "    \"ndisc_cache\": {\n"
	  "        \"entries\": 1\n"
	  "    }\n"
	  "}\n" },
	{ "scalars, text", TEXT, build_scalars,
	  "18446744073709551615|-9223372036854775808|42|true|false|N|1,2," },
	{ "scalars, JSON", JSON, build_scalars,
	  "{\"u\":18446744073709551615,\"i\":-9223372036854775808,\"j\":42,\"t\":true,"
	  "\"f\":false,\"n\":null,\"empty\":{},\"list\":[1,2]}\n" },
	{ "scalars, pretty JSON", PRETTY, build_scalars,
	  "{\n"
	  "    \"u\": 18446744073709551615,\n"
	  "    \"i\": -9223372036854775808,\n"
	  "    \"j\": 42,\n"
	  "    \"t\": true,\n"
	  "    \"f\": false,\n"
	  "    \"n\": null,\n"
	  "    \"empty\": {},\n"
	  "    \"list\": [ 1,2 ]\n"
	  "}\n" },
	{ "where fields go, text", TEXT, build_where,
	  "text-only a;100% 5%;[]literal %s\n" },
	{ "where fields go, JSON", JSON, build_where,
	  "{\"j\":\"b\",\"nofmt\":\"c\",\"pct\":5,\"null\":\"\"}\n" },
	{ "escapes, JSON", JSON, build_escapes,
	  "{\"s\":\"q\\\"b\\\\ n\\n t\\t r\\r b\\b f\\f c\\u0001 \\u001f del\x7f /\","
	  "\"k\\\"ey\\n\":\"\"}" },
	{ "escapes, text (verbatim)", TEXT, build_escapes,
	  "q\"b\\ n\n t\t r\r b\b f\f c\x01 \x1f del\x7f /" },
	{ "UTF-8, JSON", JSON, build_utf8,
	  "[\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\",\"a" FFFD "z\"," "\"" FFFD FFFD "\","
	  "\"" FFFD FFFD FFFD "\",\"" FFFD FFFD FFFD FFFD "\",\"" FFFD FFFD "\"]" },
};

static void test_writer(void **state)
{
	const struct writer_case *tc = *state;
	struct xn_out o;

	assert_int_equal(xn_out_init(&o, -1, tc->mode != TEXT, tc->mode == PRETTY), 0);
	tc->build(&o);
	assert_int_equal(o.err, 0);
	assert_int_equal(o.depth, 0);
	assert_bytes(o.buf, o.len, tc->want);
	/* nothing written yet: fd -1 would have failed */
	free(o.buf);
}

/* The buffer reaches the file descriptor whole, and a closing bracket
 * without an opening one is reported, not written. */
static void test_writer_fd(void **state)
{
	struct xn_out o;
	char got[256];
	ssize_t n;
	int p[2];

	(void)state;
	assert_int_equal(pipe(p), 0);
	assert_int_equal(xn_out_init(&o, p[1], true, false), 0);
	build_empty_list(&o);
	assert_int_equal(xn_out_flush(&o), 0);
	assert_int_equal(o.written, 3);
	xn_print_text(&o, "ignored in JSON");
	xn_close_array(&o);
	assert_int_equal(o.err, -EINVAL);
	assert_int_equal(xn_out_fini(&o), -EINVAL);
	close(p[1]);
	n = read(p[0], got, sizeof(got));
	close(p[0]);
	assert_bytes(got, n < 0 ? 0 : (size_t)n, "[]\n");
}

/* xn_out_discard() drops a half-built document so an error can replace it. */
static void test_writer_discard(void **state)
{
	struct xn_out o;

	(void)state;
	assert_int_equal(xn_out_init(&o, -1, true, false), 0);
	xn_open_array(&o, NULL);
	xn_open_object(&o, NULL);
	xn_print_string(&o, XN_PRINT_ANY, "dst", "%s", "10.0.0.1");
	xn_out_discard(&o);
	xn_open_object(&o, NULL);
	xn_print_string(&o, XN_PRINT_JSON, "error", NULL, "boom");
	xn_close_object(&o);
	xn_json_end(&o);
	assert_bytes(o.buf, o.len, "{\"error\":\"boom\"}\n");
	free(o.buf);
}

/* ==== MAC ===================================================================== */

struct mac_case {
	const char *in;
	bool ok;
	__u8 mac[6];
	const char *out;		/* the formatted form, when ok */
};

static const struct mac_case mac_cases[] = {
	{ "02:00:00:00:00:01", true, { 2, 0, 0, 0, 0, 1 }, "02:00:00:00:00:01" },
	{ "2:0:0:0:0:1", true, { 2, 0, 0, 0, 0, 1 }, "02:00:00:00:00:01" },
	{ "AA:bb:Cc:dD:ee:FF", true, { 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff }, "aa:bb:cc:dd:ee:ff" },
	{ "ff:ff:ff:ff:ff:ff", true, { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff }, "ff:ff:ff:ff:ff:ff" },
	{ "0:0:0:0:0:0", true, { 0 }, "00:00:00:00:00:00" },
	{ "", false },
	{ "02:00:00:00:00", false },
	{ "02:00:00:00:00:01:02", false },
	{ "02:00:00:00:00:01:", false },
	{ ":02:00:00:00:00:01", false },
	{ "02-00-00-00-00-01", false },
	{ "0200.0000.0001", false },
	{ "020000000001", false },
	{ "002:00:00:00:00:01", false },
	{ "02:00:00:00:00:0g", false },
	{ "02::00:00:00:01", false },
	{ "02:00:00:00:00:01 ", false },
	{ " 02:00:00:00:00:01", false },
	{ "0x2:00:00:00:00:01", false },
};

static void test_mac(void **state)
{
	const struct mac_case *tc = *state;
	__u8 mac[6] = { 0x5a, 0x5a, 0x5a, 0x5a, 0x5a, 0x5a };
	char buf[XN_MAC_STRLEN];
	int err = xn_mac_parse(tc->in, mac);

	if (!tc->ok) {
		assert_int_equal(err, -EINVAL);
		/* a refused token leaves the output alone */
		assert_memory_equal(mac, "\x5a\x5a\x5a\x5a\x5a\x5a", 6);
		return;
	}
	assert_int_equal(err, 0);
	assert_memory_equal(mac, tc->mac, 6);
	assert_string_equal(xn_mac_str(mac, buf), tc->out);
}

/* ==== IPv4 ===================================================================== */

struct ip4_case {
	const char *in;
	bool ok;
	__u8 a[4];
};

static const struct ip4_case ip4_cases[] = {
	{ "10.1.0.2", true, A4(10, 1, 0, 2) },
	{ "0.0.0.0", true, A4(0, 0, 0, 0) },
	{ "255.255.255.255", true, A4(255, 255, 255, 255) },
	{ "192.168.100.9", true, A4(192, 168, 100, 9) },
	{ "", false },
	{ "1.2.3", false },
	{ "10.1", false },
	{ "1.2.3.4.5", false },
	{ "256.0.0.1", false },
	{ "1.2.3.1000", false },
	{ "01.2.3.4", false },
	{ "1.2.3.00", false },
	{ "1..2.3", false },
	{ "1.2.3.4.", false },
	{ ".1.2.3.4", false },
	{ "1.2.3.-4", false },
	{ "1.2.3.+4", false },
	{ "0x1.2.3.4", false },
	{ "a.b.c.d", false },
	{ "1.2.3.4 ", false },
	{ " 1.2.3.4", false },
	{ "1.2.3.4/32", false },
	{ "::1", false },
};

static void test_ip4(void **state)
{
	const struct ip4_case *tc = *state;
	char buf[XN_IP4_STRLEN];
	__be32 a = 0x5a5a5a5a;
	int err = xn_ip4_parse(tc->in, &a);

	if (!tc->ok) {
		assert_int_equal(err, -EINVAL);
		assert_int_equal(a, 0x5a5a5a5a);
		return;
	}
	assert_int_equal(err, 0);
	assert_memory_equal(&a, tc->a, 4);
	/* the canonical dotted quad is its own format */
	assert_string_equal(xn_ip4_str(a, buf), tc->in);
}

struct ip4_prefix_case {
	const char *in;
	bool ok;
	__u8 a[4];
	unsigned int plen;
};

static const struct ip4_prefix_case ip4_prefix_cases[] = {
	{ "10.0.0.0/8", true, A4(10, 0, 0, 0), 8 },
	{ "10.1.2.3/32", true, A4(10, 1, 2, 3), 32 },
	{ "10.1.2.3", true, A4(10, 1, 2, 3), 32 },
	{ "0.0.0.0/0", true, A4(0, 0, 0, 0), 0 },
	{ "10.1.2.3/24", true, A4(10, 1, 2, 3), 24 },	/* host bits kept, as ip */
	{ "10.0.0.0/33", false },
	{ "10.0.0.0/", false },
	{ "10.0.0.0/08", false },			/* ip would read octal */
	{ "10.0.0.0/00", false },
	{ "10.0.0.0/-1", false },
	{ "10.0.0.0/+8", false },
	{ "10.0.0.0/8/8", false },
	{ "10.0.0.0/8 ", false },
	{ "10.0.0/8", false },
	{ "/8", false },
	{ "10.0.0.0/100", false },
};

static void test_ip4_prefix(void **state)
{
	const struct ip4_prefix_case *tc = *state;
	__be32 a = 0x5a5a5a5a;
	unsigned int plen = 999;
	int err = xn_ip4_prefix_parse(tc->in, &a, &plen);

	if (!tc->ok) {
		assert_int_equal(err, -EINVAL);
		assert_int_equal(a, 0x5a5a5a5a);
		assert_int_equal(plen, 999);
		return;
	}
	assert_int_equal(err, 0);
	assert_memory_equal(&a, tc->a, 4);
	assert_int_equal(plen, tc->plen);
}

struct in_prefix_case {
	const char *name;
	int family;
	__u8 addr[16];
	__u8 prefix[16];
	unsigned int plen;
	bool in;
};

static const struct in_prefix_case in_prefix_cases[] = {
	{ "10.1.2.3 in 10.0.0.0/8", AF_INET, A4(10, 1, 2, 3), A4(10, 0, 0, 0), 8, true },
	{ "11.0.0.0 not in 10.0.0.0/8", AF_INET, A4(11, 0, 0, 0), A4(10, 0, 0, 0), 8, false },
	{ "anything in 0/0", AF_INET, A4(203, 0, 113, 7), A4(10, 0, 0, 0), 0, true },
	{ "/32 equal", AF_INET, A4(10, 0, 0, 1), A4(10, 0, 0, 1), 32, true },
	{ "/32 last bit", AF_INET, A4(10, 0, 0, 1), A4(10, 0, 0, 0), 32, false },
	{ "/31 pair", AF_INET, A4(10, 0, 0, 1), A4(10, 0, 0, 0), 31, true },
	{ "/25 upper half", AF_INET, A4(10, 0, 0, 128), A4(10, 0, 0, 0), 25, false },
	{ "2001:db8::1 in 2001:db8::/32", AF_INET6,
	  A6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1), A6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 0), 32, true },
	{ "2001:db9:: not in 2001:db8::/32", AF_INET6,
	  A6(0x2001, 0xdb9, 0, 0, 0, 0, 0, 0), A6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 0), 32, false },
	{ "anything in ::/0", AF_INET6,
	  A6(0xfe80, 0, 0, 0, 0, 0, 0, 1), A6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 0), 0, true },
	{ "/128 equal", AF_INET6,
	  A6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 9), A6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 9), 128, true },
	{ "/128 last bit", AF_INET6,
	  A6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 9), A6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 8), 128, false },
	{ "/127 pair", AF_INET6,
	  A6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 9), A6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 8), 127, true },
	{ "/121 partial byte in", AF_INET6,
	  A6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 0x7f), A6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 0), 121, true },
	{ "/121 partial byte out", AF_INET6,
	  A6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 0x80), A6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 0), 121, false },
	{ "/33 bit 33", AF_INET6,
	  A6(0x2001, 0xdb8, 0x8000, 0, 0, 0, 0, 0), A6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 0), 33, false },
};

static void test_in_prefix(void **state)
{
	const struct in_prefix_case *tc = *state;

	if (tc->family == AF_INET) {
		__be32 a, p;

		memcpy(&a, tc->addr, 4);
		memcpy(&p, tc->prefix, 4);
		assert_int_equal(xn_ip4_in_prefix(a, p, tc->plen), tc->in);
	} else {
		assert_int_equal(xn_ip6_in_prefix(tc->addr, tc->prefix, tc->plen), tc->in);
	}
}

/* ==== IPv6 ===================================================================== */

struct ip6_case {
	const char *in;			/* parse input */
	bool ok;
	__u8 a[16];
	const char *out;		/* how ip prints it (inet_ntop) */
};

static const struct ip6_case ip6_cases[] = {
	{ "2001:db8::1", true, A6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1), "2001:db8::1" },
	{ "::", true, A6(0, 0, 0, 0, 0, 0, 0, 0), "::" },
	{ "::1", true, A6(0, 0, 0, 0, 0, 0, 0, 1), "::1" },
	{ "fe80::1", true, A6(0xfe80, 0, 0, 0, 0, 0, 0, 1), "fe80::1" },
	{ "2001:DB8::A", true, A6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 0xa), "2001:db8::a" },
	{ "2001:0db8:0000:0000:0000:0000:0000:0001", true,
	  A6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1), "2001:db8::1" },
	/* the longest zero run is compressed; of two equal runs the first */
	{ "2001:db8:0:1:0:0:0:1", true, A6(0x2001, 0xdb8, 0, 1, 0, 0, 0, 1), "2001:db8:0:1::1" },
	{ "2001:db8:0:0:1:0:0:1", true, A6(0x2001, 0xdb8, 0, 0, 1, 0, 0, 1), "2001:db8::1:0:0:1" },
	/* a single zero group is not compressed (RFC 5952 4.2.2) */
	{ "2001:db8:1:2:3:4:5:0", true, A6(0x2001, 0xdb8, 1, 2, 3, 4, 5, 0), "2001:db8:1:2:3:4:5:0" },
	{ "1:0:2:0:3:0:4:0", true, A6(1, 0, 2, 0, 3, 0, 4, 0), "1:0:2:0:3:0:4:0" },
	{ "1:2:3:4:5:6:7:8", true, A6(1, 2, 3, 4, 5, 6, 7, 8), "1:2:3:4:5:6:7:8" },
	{ "1::", true, A6(1, 0, 0, 0, 0, 0, 0, 0), "1::" },
	{ "ff02::1:ff00:a00", true, A6(0xff02, 0, 0, 0, 0, 1, 0xff00, 0xa00), "ff02::1:ff00:a00" },
	/* IPv4-mapped: dotted tail, as ip prints it */
	{ "::ffff:192.0.2.1", true, A6(0, 0, 0, 0, 0, 0xffff, 0xc000, 0x0201), "::ffff:192.0.2.1" },
	{ "::ffff:c000:201", true, A6(0, 0, 0, 0, 0, 0xffff, 0xc000, 0x0201), "::ffff:192.0.2.1" },
	{ "", false },
	{ ":", false },
	{ ":::", false },
	{ "2001:db8::1::1", false },
	{ "12345::", false },
	{ "g::1", false },
	{ "1:2:3:4:5:6:7:8:9", false },
	{ "1:2:3:4:5:6:7", false },
	{ "1:2:3:4:5:6:7:8::", false },
	{ "fe80::1%eth0", false },
	{ "[::1]", false },
	{ " ::1", false },
	{ "::1 ", false },
	{ "::ffff:1.2.3.256", false },
	{ "2001:db8::/64", false },
	{ "10.0.0.1", false },
};

static void test_ip6(void **state)
{
	const struct ip6_case *tc = *state;
	__u8 a[16];
	char buf[XN_IP6_STRLEN];
	int err;

	memset(a, 0x5a, sizeof(a));
	err = xn_ip6_parse(tc->in, a);
	if (!tc->ok) {
		__u8 untouched[16];

		memset(untouched, 0x5a, sizeof(untouched));
		assert_int_equal(err, -EINVAL);
		assert_memory_equal(a, untouched, 16);
		return;
	}
	assert_int_equal(err, 0);
	assert_memory_equal(a, tc->a, 16);
	assert_string_equal(xn_ip6_str(tc->a, buf), tc->out);
}

struct ip6_prefix_case {
	const char *in;
	bool ok;
	__u8 a[16];
	unsigned int plen;
};

static const struct ip6_prefix_case ip6_prefix_cases[] = {
	{ "2001:db8::/32", true, A6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 0), 32 },
	{ "2001:db8::1/128", true, A6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1), 128 },
	{ "2001:db8::1", true, A6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1), 128 },
	{ "::/0", true, A6(0, 0, 0, 0, 0, 0, 0, 0), 0 },
	{ "fe80::1/64", true, A6(0xfe80, 0, 0, 0, 0, 0, 0, 1), 64 },
	{ "2001:db8::/129", false },
	{ "2001:db8::/", false },
	{ "2001:db8::/064", false },
	{ "2001:db8::/1000", false },
	{ "2001:db8::/64/64", false },
	{ "/64", false },
	{ "fe80::1%eth0/64", false },
	{ "2001:db8:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0/64", false },	/* longer than any address */
};

static void test_ip6_prefix(void **state)
{
	const struct ip6_prefix_case *tc = *state;
	__u8 a[16];
	unsigned int plen = 999;
	int err;

	memset(a, 0x5a, sizeof(a));
	err = xn_ip6_prefix_parse(tc->in, a, &plen);
	if (!tc->ok) {
		assert_int_equal(err, -EINVAL);
		assert_int_equal(plen, 999);
		return;
	}
	assert_int_equal(err, 0);
	assert_memory_equal(a, tc->a, 16);
	assert_int_equal(plen, tc->plen);
}

/* ==== Families and prefixes of either family ============================ */

struct family_case {
	const char *in;
	int af;				/* -EINVAL when refused */
};

static const struct family_case family_cases[] = {
	{ "inet", AF_INET },
	{ "inet6", AF_INET6 },
	{ "INET", -EINVAL },
	{ "inet4", -EINVAL },
	{ "ine", -EINVAL },		/* ip's read_family() wants the whole word */
	{ "link", -EINVAL },
	{ "bridge", -EINVAL },
	{ "", -EINVAL },
};

static void test_family(void **state)
{
	const struct family_case *tc = *state;

	assert_int_equal(xn_family_parse(tc->in), tc->af);
	if (tc->af > 0)
		assert_string_equal(xn_family_name(tc->af), tc->in);
}

struct prefix_case {
	const char *in;
	int family;			/* the one asked for */
	int ret;
	int out_family;
	unsigned int plen;
	__u8 a[16];
};

static const struct prefix_case prefix_cases[] = {
	{ "10.0.0.0/8", AF_UNSPEC, 0, AF_INET, 8, A4(10, 0, 0, 0) },
	{ "10.0.0.0/8", AF_INET, 0, AF_INET, 8, A4(10, 0, 0, 0) },
	{ "10.0.0.0/8", AF_INET6, -EAFNOSUPPORT },
	{ "2001:db8::/32", AF_UNSPEC, 0, AF_INET6, 32, A6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 0) },
	{ "2001:db8::/32", AF_INET6, 0, AF_INET6, 32, A6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 0) },
	{ "2001:db8::/32", AF_INET, -EAFNOSUPPORT },
	{ "::ffff:10.0.0.1", AF_INET, -EAFNOSUPPORT },
	{ "all", AF_UNSPEC, 0, AF_UNSPEC, 0, { 0 } },
	{ "any", AF_INET, 0, AF_INET, 0, { 0 } },
	{ "default", AF_INET6, 0, AF_INET6, 0, { 0 } },
	{ "ALL", AF_UNSPEC, -EINVAL },
	{ "al", AF_UNSPEC, -EINVAL },
	{ "10.0.0.0/33", AF_UNSPEC, -EINVAL },
	{ "10.0.0.0/33", AF_INET6, -EINVAL },	/* malformed beats wrong family */
	{ "2001:db8::/129", AF_UNSPEC, -EINVAL },
	{ "dev", AF_UNSPEC, -EINVAL },
	{ "", AF_UNSPEC, -EINVAL },
	{ "10.0.0.1", 12345, -EINVAL },		/* not a family */
};

static void test_prefix(void **state)
{
	const struct prefix_case *tc = *state;
	struct xn_prefix p;
	int err;

	memset(&p, 0x5a, sizeof(p));
	err = xn_prefix_parse(tc->in, tc->family, &p);
	assert_int_equal(err, tc->ret);
	if (err)
		return;
	assert_int_equal(p.family, tc->out_family);
	assert_int_equal(p.plen, tc->plen);
	assert_memory_equal(p.addr, tc->a, 16);
}

struct prefix_match_case {
	const char *prefix;
	int family;			/* to parse the prefix with */
	int addr_family;
	__u8 addr[16];
	bool match;
};

static const struct prefix_match_case prefix_match_cases[] = {
	{ "all", AF_UNSPEC, AF_INET, A4(10, 0, 0, 1), true },
	{ "all", AF_UNSPEC, AF_INET6, A6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1), true },
	{ "any", AF_INET, AF_INET, A4(10, 0, 0, 1), true },
	{ "any", AF_INET, AF_INET6, A6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1), false },
	{ "10.0.0.0/8", AF_UNSPEC, AF_INET, A4(10, 9, 9, 9), true },
	{ "10.0.0.0/8", AF_UNSPEC, AF_INET, A4(11, 0, 0, 0), false },
	/* 10.x in the first bytes of an IPv6 address is not an IPv4 match */
	{ "10.0.0.0/8", AF_UNSPEC, AF_INET6, A6(0x0a00, 0, 0, 0, 0, 0, 0, 1), false },
	{ "2001:db8::/32", AF_UNSPEC, AF_INET6, A6(0x2001, 0xdb8, 1, 0, 0, 0, 0, 1), true },
	{ "2001:db8::/32", AF_UNSPEC, AF_INET6, A6(0x2001, 0xdb9, 0, 0, 0, 0, 0, 1), false },
	{ "::/0", AF_UNSPEC, AF_INET, A4(10, 0, 0, 1), false },
};

static void test_prefix_match(void **state)
{
	const struct prefix_match_case *tc = *state;
	struct xn_prefix p;

	assert_int_equal(xn_prefix_parse(tc->prefix, tc->family, &p), 0);
	assert_int_equal(xn_prefix_match(&p, tc->addr_family, tc->addr), tc->match);
}

/* ==== One address (xneigh add/get ADDR) ======================================== */

struct addr_case {
	const char *in;
	int family;			/* -4/-6: the one asked for */
	int ret;
	int af;
	__u8 a[16];
};

static const struct addr_case addr_cases[] = {
	{ "10.0.0.1", AF_UNSPEC, 0, AF_INET, A4(10, 0, 0, 1) },
	{ "10.0.0.1", AF_INET, 0, AF_INET, A4(10, 0, 0, 1) },
	{ "10.0.0.1", AF_INET6, -EAFNOSUPPORT },
	{ "2001:db8::1", AF_UNSPEC, 0, AF_INET6, A6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1) },
	{ "2001:db8::1", AF_INET6, 0, AF_INET6, A6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1) },
	{ "2001:db8::1", AF_INET, -EAFNOSUPPORT },
	{ "::ffff:10.0.0.7", AF_UNSPEC, 0, AF_INET6, A6(0, 0, 0, 0, 0, 0xffff, 0x0a00, 0x0007) },
	{ "::ffff:10.0.0.7", AF_INET, -EAFNOSUPPORT },	/* a ':' makes it IPv6, as in ip */
	{ "10.0.0.0/24", AF_UNSPEC, -EINVAL },		/* an address, not a prefix */
	{ "2001:db8::/64", AF_UNSPEC, -EINVAL },
	{ "all", AF_UNSPEC, -EINVAL },			/* prefix words are not addresses */
	{ "default", AF_INET, -EINVAL },
	{ "10.0.0.300", AF_UNSPEC, -EINVAL },
	{ "10.0.0.300", AF_INET6, -EINVAL },		/* malformed beats wrong family */
	{ "fe80::1%e0", AF_UNSPEC, -EINVAL },
	{ "", AF_UNSPEC, -EINVAL },
	{ "dev", AF_UNSPEC, -EINVAL },
	{ "10.0.0.1", 12345, -EINVAL },			/* not a family */
};

static void test_addr(void **state)
{
	const struct addr_case *tc = *state;
	__u8 a[16];
	int af = 0x5a5a, err;

	memset(a, 0x5a, sizeof(a));
	err = xn_addr_parse(tc->in, tc->family, &af, a);
	assert_int_equal(err, tc->ret);
	if (err) {
		/* a refused token leaves the outputs alone */
		assert_int_equal(af, 0x5a5a);
		assert_int_equal(a[0], 0x5a);
		assert_int_equal(a[15], 0x5a);
		return;
	}
	assert_int_equal(af, tc->af);
	/* all 16 bytes: an IPv4 address has its tail zeroed */
	assert_memory_equal(a, tc->a, 16);
}

/* ==== xneigh add/replace/change/del/get arguments ================================ */

#define W(...)		{ __VA_ARGS__, NULL }
#define MAC(a, b, c, d, e, f)	{ a, b, c, d, e, f }

struct nargs_case {
	const char *words[14];		/* NULL-terminated */
	enum xn_nargs_cmd cmd;
	int family;			/* -4/-6 */
	int ret;
	const char *msg_has;		/* error: the message names this */
	/* success: what the words mean */
	int af;
	__u8 addr[16];
	const char *dev;
	bool has_lladdr;
	__u8 lladdr[6];
	unsigned int state;
	bool state_given, router, extern_learn, proxy, help;
};

#define MOD	XN_NARGS_MODIFY
#define DEL	XN_NARGS_DELETE
#define GET	XN_NARGS_GET
#define PERM	NUD_PERMANENT

static const struct nargs_case nargs_cases[] = {
	/* accepted */
	{ W("10.0.0.5", "dev", "e0", "lladdr", "02:00:00:00:00:05"), MOD, AF_UNSPEC, 0, NULL,
	  AF_INET, A4(10, 0, 0, 5), "e0", true, MAC(2, 0, 0, 0, 0, 5), PERM },
	{ W("dev", "e0", "to", "10.0.0.5"), MOD, AF_UNSPEC, 0, NULL,
	  AF_INET, A4(10, 0, 0, 5), "e0", false, {0}, PERM },
	{ W("10.0.0.5", "dev", "e0", "lladdr", "2:0:0:0:0:5", "nud", "stale", "router", "extern_learn"),
	  MOD, AF_UNSPEC, 0, NULL,
	  AF_INET, A4(10, 0, 0, 5), "e0", true, MAC(2, 0, 0, 0, 0, 5), NUD_STALE, true, true, true },
	/* ip's prefixes: l(laddr), reach(able), ext(ern_learn), perm(anent) */
	{ W("10.0.0.5", "dev", "e0", "l", "02:00:00:00:00:05", "nud", "reach", "ext"),
	  MOD, AF_UNSPEC, 0, NULL,
	  AF_INET, A4(10, 0, 0, 5), "e0", true, MAC(2, 0, 0, 0, 0, 5), NUD_REACHABLE, true, false, true },
	{ W("10.0.0.5", "dev", "e0", "nud", "perm"), MOD, AF_UNSPEC, 0, NULL,
	  AF_INET, A4(10, 0, 0, 5), "e0", false, {0}, PERM, true },
	{ W("10.0.0.5", "dev", "e0", "nud", "0x4"), MOD, AF_UNSPEC, 0, NULL,
	  AF_INET, A4(10, 0, 0, 5), "e0", false, {0}, NUD_STALE, true },
	{ W("2001:db8::5", "dev", "e0", "nud", "none"), MOD, AF_UNSPEC, 0, NULL,
	  AF_INET6, A6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 5), "e0", false, {0}, NUD_NONE, true },
	{ W("2001:db8::5", "dev", "e0"), MOD, AF_INET6, 0, NULL,
	  AF_INET6, A6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 5), "e0", false, {0}, PERM },
	{ W("10.0.0.5", "dev", "e0", "lladdr", "null"), MOD, AF_UNSPEC, 0, NULL,
	  AF_INET, A4(10, 0, 0, 5), "e0", false, {0}, PERM },
	/* an interface name that looks like an option is dev's value */
	{ W("10.0.0.5", "dev", "-j"), MOD, AF_UNSPEC, 0, NULL,
	  AF_INET, A4(10, 0, 0, 5), "-j", false, {0}, PERM },
	/* proxy ADDR (ip's form), proxy without dev, proxy as a flag */
	{ W("proxy", "10.0.0.50", "dev", "e0"), MOD, AF_UNSPEC, 0, NULL,
	  AF_INET, A4(10, 0, 0, 50), "e0", false, {0}, PERM, false, false, false, true },
	{ W("p", "2001:db8::50", "router"), MOD, AF_UNSPEC, 0, NULL,
	  AF_INET6, A6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 0x50), NULL, false, {0}, PERM, false, true, false, true },
	{ W("10.0.0.51", "dev", "e0", "proxy"), MOD, AF_UNSPEC, 0, NULL,
	  AF_INET, A4(10, 0, 0, 51), "e0", false, {0}, PERM, false, false, false, true },
	{ W("10.0.0.51", "proxy", "dev", "e0"), MOD, AF_UNSPEC, 0, NULL,
	  AF_INET, A4(10, 0, 0, 51), "e0", false, {0}, PERM, false, false, false, true },
	/* help wherever it comes, before any check of what is missing */
	{ W("help"), MOD, AF_UNSPEC, 0, NULL, .state = PERM, .help = true },
	{ W("10.0.0.5", "he"), GET, AF_UNSPEC, 0, NULL, AF_INET, A4(10, 0, 0, 5), NULL, false, {0}, PERM,
	  .help = true },
	/* del is parsed like add (ipneigh_modify()) */
	{ W("10.0.0.5", "dev", "e0", "lladdr", "02:00:00:00:00:05", "nud", "stale"), DEL, AF_UNSPEC, 0, NULL,
	  AF_INET, A4(10, 0, 0, 5), "e0", true, MAC(2, 0, 0, 0, 0, 5), NUD_STALE, true },
	{ W("10.0.0.5", "dev", "e0"), GET, AF_UNSPEC, 0, NULL,
	  AF_INET, A4(10, 0, 0, 5), "e0", false, {0}, PERM },
	{ W("proxy", "10.0.0.50"), GET, AF_UNSPEC, 0, NULL,
	  AF_INET, A4(10, 0, 0, 50), NULL, false, {0}, PERM, false, false, false, true },

	/* refused, naming the offending word */
	{ W("10.0.0.300", "dev", "e0"), MOD, AF_UNSPEC, -EINVAL, "\"10.0.0.300\" is invalid" },
	{ W("10.0.0.5/24", "dev", "e0"), MOD, AF_UNSPEC, -EINVAL, "\"10.0.0.5/24\"" },
	{ W("fe80::1%e0", "dev", "e0"), MOD, AF_UNSPEC, -EINVAL, "\"fe80::1%e0\"" },
	{ W("bogus", "dev", "e0"), MOD, AF_UNSPEC, -EINVAL, "\"bogus\" is neither a keyword" },
	{ W("10.0.0.5", "dev", "e0", "bogus"), MOD, AF_UNSPEC, -EINVAL, "\"bogus\" is not a keyword" },
	{ W("10.0.0.5", "10.0.0.6", "dev", "e0"), MOD, AF_UNSPEC, -EINVAL,
	  "duplicate address \"10.0.0.6\" after \"10.0.0.5\"" },
	{ W("10.0.0.5", "dev", "e0", "lladdr", "zz"), MOD, AF_UNSPEC, -EINVAL, "lladdr \"zz\" is invalid" },
	{ W("10.0.0.5", "dev", "e0", "lladdr", "02:00:00:00:00"), MOD, AF_UNSPEC, -EINVAL,
	  "\"02:00:00:00:00\" is invalid" },
	{ W("10.0.0.5", "dev", "e0", "lladdr", "02:00:00:00:00:01", "lladdr", "02:00:00:00:00:02"), MOD,
	  AF_UNSPEC, -EINVAL, "duplicate \"lladdr\": \"02:00:00:00:00:02\"" },
	{ W("10.0.0.5", "dev", "e0", "nud", "bogus"), MOD, AF_UNSPEC, -EINVAL, "nud state \"bogus\"" },
	{ W("10.0.0.5", "dev", "e0", "nud", "all"), MOD, AF_UNSPEC, -EINVAL, "nud state \"all\"" },
	{ W("10.0.0.5", "dev", "e0", "nud", "stale", "nud", "permanent"), MOD, AF_UNSPEC, -EINVAL,
	  "duplicate \"nud\": \"permanent\"" },
	{ W("10.0.0.5", "dev", "e0", "dev", "e1"), MOD, AF_UNSPEC, -EINVAL, "duplicate \"dev\": \"e1\"" },
	/* a repeated flag too (ip lets it pass), named as written */
	{ W("10.0.0.5", "dev", "e0", "router", "router"), MOD, AF_UNSPEC, -EINVAL,
	  "duplicate \"router\": \"router\" after \"router\"" },
	{ W("10.0.0.5", "dev", "e0", "extern_learn", "ext"), MOD, AF_UNSPEC, -EINVAL,
	  "duplicate \"extern_learn\": \"ext\" after \"extern_learn\"" },
	{ W("proxy", "10.0.0.50", "dev", "e0", "p"), MOD, AF_UNSPEC, -EINVAL,
	  "duplicate \"proxy\": \"p\" after \"proxy\"" },
	{ W("10.0.0.5", "proxy", "proxy"), DEL, AF_UNSPEC, -EINVAL, "duplicate \"proxy\"" },
	/* hostile words are quoted cut and escaped (xn_tok()) */
	{ W("10.0.0.5", "dev", "e0", "lladdr", "\033[31mred"), MOD, AF_UNSPEC, -EINVAL,
	  "lladdr \"\\x1b[31mred\" is invalid" },
	{ W("10.0.0.5", "dev", "e0", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
	  MOD, AF_UNSPEC, -EINVAL,
	  "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...\" is not a keyword" },
	{ W("10.0.0.5"), MOD, AF_UNSPEC, -EINVAL, "\"dev DEV\" is required for 10.0.0.5" },
	{ W("dev", "e0"), MOD, AF_UNSPEC, -EINVAL, "an address is required" },
	{ W("10.0.0.5", "dev"), MOD, AF_UNSPEC, -EINVAL, "\"dev\" needs" },
	{ W("10.0.0.5", "dev", "e0", "lladdr"), MOD, AF_UNSPEC, -EINVAL, "\"lladdr\" needs" },
	{ W("10.0.0.5", "dev", "e0", "nud"), MOD, AF_UNSPEC, -EINVAL, "\"nud\" needs" },
	{ W("dev", "e0", "to"), MOD, AF_UNSPEC, -EINVAL, "\"to\" needs" },
	{ W("10.0.0.5", "dev", "e0", "protocol", "static"), MOD, AF_UNSPEC, -EINVAL,
	  "\"protocol\" is not supported" },
	{ W("10.0.0.5", "dev", "e0", "use"), MOD, AF_UNSPEC, -EINVAL, "\"use\" is not supported" },
	{ W("10.0.0.5", "dev", "e0", "managed"), MOD, AF_UNSPEC, -EINVAL, "\"managed\" is not supported" },
	{ W("2001:db8::1", "dev", "e0"), MOD, AF_INET, -EINVAL,
	  "IPv4 address expected rather than \"2001:db8::1\" (-4 given)" },
	{ W("10.0.0.5", "dev", "e0"), MOD, AF_INET6, -EINVAL,
	  "IPv6 address expected rather than \"10.0.0.5\" (-6 given)" },
	{ W("10.0.0.5", "dev", "e0", "-j"), MOD, AF_UNSPEC, -EINVAL, "option \"-j\" is unknown" },
	{ W("proxy", "bogus"), MOD, AF_UNSPEC, -EINVAL, "\"bogus\" is neither a keyword" },
	{ W("10.0.0.5", "dev", "e0", "nud", "stale"), GET, AF_UNSPEC, -EINVAL,
	  "\"nud\" is not an argument of get" },
	{ W("10.0.0.5", "dev", "e0", "lladdr", "02:00:00:00:00:05"), GET, AF_UNSPEC, -EINVAL,
	  "\"lladdr\" is not an argument of get" },
	{ W("10.0.0.5", "dev", "e0", "router"), GET, AF_UNSPEC, -EINVAL, "\"router\" is not an argument of get" },
	{ W("10.0.0.5"), GET, AF_UNSPEC, -EINVAL, "\"dev DEV\" is required" },
	{ W(""), MOD, AF_UNSPEC, -EINVAL, "\"\" is neither a keyword" },
};

static const char *nargs_name(const struct nargs_case *tc, char *buf, size_t len)
{
	static const char *cmd[] = { "add", "del", "get" };
	size_t o;
	int i;

	o = (size_t)snprintf(buf, len, "%s%s", tc->family == AF_INET ? "-4 " :
			     tc->family == AF_INET6 ? "-6 " : "", cmd[tc->cmd]);
	for (i = 0; tc->words[i] && o < len; i++)
		o += (size_t)snprintf(buf + o, len - o, " %s", xn_tok(tc->words[i]));
	return buf;
}

static void test_nargs(void **state)
{
	const struct nargs_case *tc = *state;
	char *argv[16];
	char msg[320];
	struct xn_neigh_args a;
	int argc = 0, err;

	while (tc->words[argc]) {
		argv[argc] = (char *)tc->words[argc];
		argc++;
	}
	memset(&a, 0x5a, sizeof(a));
	memset(msg, 'x', sizeof(msg));
	err = xn_neigh_args_parse(argc, argv, tc->family, tc->cmd, NULL, NULL, &a, msg, sizeof(msg));
	if (err != tc->ret)
		print_message("  message: \"%s\"\n", err ? msg : "");
	assert_int_equal(err, tc->ret);
	if (err) {
		if (!strstr(msg, tc->msg_has))
			print_message("  message \"%s\" does not contain \"%s\"\n", msg, tc->msg_has);
		assert_non_null(strstr(msg, tc->msg_has));
		return;
	}
	assert_int_equal(a.help, tc->help);
	assert_int_equal(a.proxy, tc->proxy);
	if (tc->help && !tc->af)
		return;			/* nothing else was read */
	assert_int_equal(a.family, tc->af);
	assert_memory_equal(a.addr, tc->addr, 16);
	if (tc->dev)
		assert_string_equal(a.dev, tc->dev);
	else
		assert_null(a.dev);
	assert_int_equal(a.has_lladdr, tc->has_lladdr);
	if (tc->has_lladdr)
		assert_memory_equal(a.lladdr, tc->lladdr, 6);
	assert_int_equal(a.state, tc->state);
	assert_int_equal(a.state_given, tc->state_given);
	assert_int_equal(a.router, tc->router);
	assert_int_equal(a.extern_learn, tc->extern_learn);
}

/* Options among the words: handed to the callback, which says how many
 * words each took; its refusal ends the parse with -ECANCELED. */
struct opt_seen {
	int json, family;
};

static int fake_opt(void *ctx, int argc, char **argv)
{
	struct opt_seen *s = ctx;

	if (!strcmp(argv[0], "-j")) {
		s->json++;
		return 1;
	}
	if (!strcmp(argv[0], "-f") && argc > 1) {
		s->family = !strcmp(argv[1], "inet6") ? AF_INET6 : AF_INET;
		return 2;
	}
	return -1;
}

static void test_nargs_options(void **state)
{
	char *ok[] = { "-j", "10.0.0.5", "-f", "inet6", "dev", "e0", "-j", "nud", "stale" };
	char *bad[] = { "10.0.0.5", "dev", "e0", "-x", "nud", "stale" };
	struct opt_seen seen = {};
	struct xn_neigh_args a;
	char msg[320];

	(void)state;
	assert_int_equal(xn_neigh_args_parse(ARRAY_SIZE(ok), ok, AF_UNSPEC, XN_NARGS_MODIFY,
					     fake_opt, &seen, &a, msg, sizeof(msg)), 0);
	assert_int_equal(seen.json, 2);
	assert_int_equal(seen.family, AF_INET6);	/* "inet6" was the option's, not an address */
	assert_string_equal(a.dev, "e0");
	assert_int_equal(a.state, NUD_STALE);
	assert_int_equal(xn_neigh_args_parse(ARRAY_SIZE(bad), bad, AF_UNSPEC, XN_NARGS_MODIFY,
					     fake_opt, &seen, &a, msg, sizeof(msg)), -ECANCELED);
}

/* ==== NUD state names ========================================================== */

/* ip's print order (print_neigh_state) and names. */
static const struct xn_nud_name want_names[] = {
	{ NUD_INCOMPLETE,	"INCOMPLETE" },
	{ NUD_REACHABLE,	"REACHABLE" },
	{ NUD_STALE,		"STALE" },
	{ NUD_DELAY,		"DELAY" },
	{ NUD_PROBE,		"PROBE" },
	{ NUD_FAILED,		"FAILED" },
	{ NUD_NOARP,		"NOARP" },
	{ NUD_PERMANENT,	"PERMANENT" },
};

static void test_nud_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(want_names); i++) {
		unsigned int st = 0x5a5a;
		char lower[16];
		size_t k;

		assert_non_null(xn_nud_names[i].name);
		assert_int_equal(xn_nud_names[i].bit, want_names[i].bit);
		assert_string_equal(xn_nud_names[i].name, want_names[i].name);
		/* bit -> name */
		assert_string_equal(xn_nud_name(want_names[i].bit), want_names[i].name);
		/* name -> bit, in the lower case ip's keywords use */
		for (k = 0; want_names[i].name[k] && k + 1 < sizeof(lower); k++)
			lower[k] = (char)(want_names[i].name[k] | 0x20);
		lower[k] = '\0';
		assert_int_equal(xn_nud_parse(lower, &st), 0);
		assert_int_equal(st, want_names[i].bit);
	}
	assert_null(xn_nud_names[ARRAY_SIZE(want_names)].name);
	assert_null(xn_nud_name(NUD_NONE));
	assert_null(xn_nud_name(0x100));
	assert_null(xn_nud_name(NUD_STALE | NUD_DELAY));
}

struct nud_case {
	const char *in;
	int ret;
	unsigned int state;
};

static const struct nud_case nud_cases[] = {
	/* ip's nud_state_a2n(): permanent, reachable and failed take a prefix */
	{ "permanent", 0, NUD_PERMANENT },
	{ "perm", 0, NUD_PERMANENT },
	{ "p", 0, NUD_PERMANENT },		/* permanent comes before probe */
	{ "reachable", 0, NUD_REACHABLE },
	{ "reach", 0, NUD_REACHABLE },
	{ "failed", 0, NUD_FAILED },
	{ "fail", 0, NUD_FAILED },
	{ "noarp", 0, NUD_NOARP },
	{ "none", 0, NUD_NONE },
	{ "stale", 0, NUD_STALE },
	{ "incomplete", 0, NUD_INCOMPLETE },
	{ "delay", 0, NUD_DELAY },
	{ "probe", 0, NUD_PROBE },
	{ "STALE", 0, NUD_STALE },		/* case-insensitive */
	{ "Permanent", 0, NUD_PERMANENT },
	{ "0x4", 0, NUD_STALE },		/* one state bit as a number */
	{ "4", 0, NUD_STALE },
	{ "0x80", 0, NUD_PERMANENT },
	{ "0", 0, NUD_NONE },
	{ "noar", -EINVAL },			/* the others must be spelled out */
	{ "stal", -EINVAL },
	{ "inc", -EINVAL },
	{ "del", -EINVAL },
	{ "prob", -EINVAL },
	{ "non", -EINVAL },
	{ "permanently", -EINVAL },
	{ "all", -EINVAL },			/* a filter word, not a state */
	{ "", -EINVAL },
	{ "0x3", -EINVAL },			/* two bits */
	{ "0x100", -EINVAL },
	{ "-4", -EINVAL },
	{ "+4", -EINVAL },
	{ "4x", -EINVAL },
	{ " 4", -EINVAL },
};

static void test_nud_parse(void **state)
{
	const struct nud_case *tc = *state;
	unsigned int st = 0x5a5a;

	assert_int_equal(xn_nud_parse(tc->in, &st), tc->ret);
	assert_int_equal(st, tc->ret ? 0x5a5a : tc->state);
}

/* ==== Words ====================================================================== */

struct matches_case {
	const char *arg, *word;
	bool match;
};

static const struct matches_case matches_cases[] = {
	{ "s", "show", true },
	{ "show", "show", true },
	{ "sho", "show", true },
	{ "shows", "show", false },
	{ "", "show", false },
	{ "SHOW", "show", false },		/* case matters, as in ip */
	{ "x", "show", false },
	{ "-j", "-json", true },
	{ "-", "-json", true },			/* callers refuse a bare "-" themselves */
};

static void test_matches(void **state)
{
	const struct matches_case *tc = *state;

	assert_int_equal(xn_matches(tc->arg, tc->word), tc->match);
}

/* ==== Words in messages, interface names ========================================== */

struct tok_case {
	const char *in, *out;
};

#define A64	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

static const struct tok_case tok_cases[] = {
	{ "", "" },
	{ "e0", "e0" },
	{ A64, A64 },				/* 64: whole */
	{ A64 "b", A64 "..." },			/* 65: cut */
	{ "\033[31mred", "\\x1b[31mred" },	/* no terminal escape gets through */
	{ "a\tb\nc\x7f", "a\\x09b\\x0ac\\x7f" },
	{ "caf\xc3\xa9", "caf\xc3\xa9" },		/* UTF-8 as it is */
	{ "\xff\x80", "\xff\x80" },			/* bytes that are no UTF-8: the JSON writer
						 * replaces them, the terminal shows them */
	/* 63 a's and a 2-byte sequence: the sequence does not fit whole */
	{ "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\xc3\xa9x",
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa..." },
	/* 16 escapes fill the 64 characters, the 17th is cut */
	{ "\001\001\001\001\001\001\001\001\001\001\001\001\001\001\001\001\001",
	  "\\x01\\x01\\x01\\x01\\x01\\x01\\x01\\x01\\x01\\x01\\x01\\x01\\x01\\x01\\x01\\x01..." },
};

static void test_tok(void **state)
{
	const struct tok_case *tc = *state;
	char buf[XN_TOK_BUFLEN + 8];

	memset(buf, 'x', sizeof(buf));
	xn_tok_str(tc->in, buf);
	assert_true(strlen(buf) < XN_TOK_BUFLEN);
	assert_string_equal(buf, tc->out);
}

/* Four words of one message, each in its own buffer. */
static void test_tok_slots(void **state)
{
	char msg[512];

	(void)state;
	snprintf(msg, sizeof(msg), "%s %s %s %s", xn_tok("a"), xn_tok("b\n"), xn_tok("c"),
		 xn_tok("d"));
	assert_string_equal(msg, "a b\\x0a c d");
}

struct ifname_case {
	const char *name;
	const char *why;		/* NULL: valid */
};

/* The kernel's dev_valid_name(), checked with `ip link add NAME type veth`
 * on this machine: ".", "..", "a/b", "a:b", "a b", "e\tx", 16 characters and
 * "e\xa0" are refused (the last by the kernel alone: ip's check_ifname()
 * uses the C library's isspace()), "...", "-j", "e0.1", "é" and 15
 * characters accepted. */
static const struct ifname_case ifname_cases[] = {
	{ "e0", NULL },
	{ "-j", NULL },
	{ "e0.1", NULL },
	{ "abcdefghijklmno", NULL },		/* 15 */
	{ "\xc3\xa9", NULL },
	{ "", "is empty" },
	{ "abcdefghijklmnop", "is longer than 15 characters" },
	{ ".", "is invalid: \".\" and \"..\"" },
	{ "..", "is invalid: \".\" and \"..\"" },
	{ "...", NULL },
	{ "a/b", "is invalid: no '/'" },
	{ "e0:1", "is invalid: no '/'" },	/* an alias label, not a device */
	{ "e0 ", "is invalid: no '/'" },
	{ "e\t0", "is invalid: no '/'" },
	{ "e\n0", "is invalid: no '/'" },
	{ "e\xa0", "is invalid: no '/'" },	/* Latin-1 NBSP: the kernel's isspace() */
};

static void test_ifname(void **state)
{
	const struct ifname_case *tc = *state;
	const char *why = xn_ifname_invalid(tc->name);

	if (!tc->why) {
		assert_null(why);
		return;
	}
	assert_non_null(why);
	if (strncmp(why, tc->why, strlen(tc->why)))
		print_message("  said \"%s\", expected \"%s...\"\n", why, tc->why);
	assert_true(!strncmp(why, tc->why, strlen(tc->why)));
}

/* A command table shaped like xneigh's: the name first, then anything. */
static const struct {
	const char *name;
	int payload;
} cmd_table[] = {
	{ "show", 10 }, { "list", 11 }, { "lst", 12 }, { NULL, 13 }, { "flush", 14 },
	{ "stats", 15 }, { "help", 16 },
};

struct match_first_case {
	const char *arg;
	int index;
};

static const struct match_first_case match_first_cases[] = {
	{ "s", 0 },		/* show before stats: table order decides */
	{ "sh", 0 },
	{ "st", 5 },
	{ "stats", 5 },
	{ "l", 1 },
	{ "ls", 2 },
	{ "f", 4 },		/* the NULL row is skipped, not matched */
	{ "h", 6 },
	{ "x", -1 },
	{ "", -1 },
	{ "shows", -1 },
	{ "S", -1 },
};

static void test_match_first(void **state)
{
	const struct match_first_case *tc = *state;
	int i = XN_MATCH_TABLE(tc->arg, cmd_table);

	assert_int_equal(i, tc->index);
	if (i >= 0)
		assert_int_equal(cmd_table[i].payload, 10 + i);
}

/* ==== Runner ====================================================================== */

struct table {
	const char *group;
	CMUnitTestFunction fn;
	const void *rows;
	size_t n, size;
	const char *(*name)(const void *row);
};

static const char *name_writer(const void *r) { return ((const struct writer_case *)r)->name; }
static const char *name_mac(const void *r) { return ((const struct mac_case *)r)->in; }
static const char *name_ip4(const void *r) { return ((const struct ip4_case *)r)->in; }
static const char *name_ip4p(const void *r) { return ((const struct ip4_prefix_case *)r)->in; }
static const char *name_inp(const void *r) { return ((const struct in_prefix_case *)r)->name; }
static const char *name_ip6(const void *r) { return ((const struct ip6_case *)r)->in; }
static const char *name_ip6p(const void *r) { return ((const struct ip6_prefix_case *)r)->in; }
static const char *name_fam(const void *r) { return ((const struct family_case *)r)->in; }
static const char *name_pfx(const void *r) { return ((const struct prefix_case *)r)->in; }
static const char *name_pm(const void *r) { return ((const struct prefix_match_case *)r)->prefix; }
static const char *name_nud(const void *r) { return ((const struct nud_case *)r)->in; }
static const char *name_mat(const void *r) { return ((const struct matches_case *)r)->arg; }
static const char *name_mf(const void *r) { return ((const struct match_first_case *)r)->arg; }
static const char *name_tok(const void *r)
{
	static char buf[XN_TOK_BUFLEN];

	/* the input, escaped as the output shows it */
	return xn_tok_str(((const struct tok_case *)r)->in, buf);
}
static const char *name_ifname(const void *r)
{
	static char buf[XN_TOK_BUFLEN];

	return xn_tok_str(((const struct ifname_case *)r)->name, buf);
}
static const char *name_addr(const void *r)
{
	const struct addr_case *tc = r;
	static char buf[80];

	snprintf(buf, sizeof(buf), "%s%s", tc->family == AF_INET ? "-4 " :
		 tc->family == AF_INET6 ? "-6 " : tc->family ? "-f ? " : "", tc->in);
	return buf;
}
static const char *name_nargs(const void *r)
{
	static char buf[200];

	/* main() copies the name before the next call */
	return nargs_name(r, buf, sizeof(buf));
}

#define TABLE(group, fn, rows, namefn) \
	{ group, fn, rows, ARRAY_SIZE(rows), sizeof((rows)[0]), namefn }

static const struct table tables[] = {
	TABLE("writer", test_writer, writer_cases, name_writer),
	TABLE("mac", test_mac, mac_cases, name_mac),
	TABLE("ip4", test_ip4, ip4_cases, name_ip4),
	TABLE("ip4 prefix", test_ip4_prefix, ip4_prefix_cases, name_ip4p),
	TABLE("in prefix", test_in_prefix, in_prefix_cases, name_inp),
	TABLE("ip6", test_ip6, ip6_cases, name_ip6),
	TABLE("ip6 prefix", test_ip6_prefix, ip6_prefix_cases, name_ip6p),
	TABLE("family", test_family, family_cases, name_fam),
	TABLE("prefix", test_prefix, prefix_cases, name_pfx),
	TABLE("prefix match", test_prefix_match, prefix_match_cases, name_pm),
	TABLE("addr", test_addr, addr_cases, name_addr),
	TABLE("neigh args", test_nargs, nargs_cases, name_nargs),
	TABLE("nud parse", test_nud_parse, nud_cases, name_nud),
	TABLE("matches", test_matches, matches_cases, name_mat),
	TABLE("match first", test_match_first, match_first_cases, name_mf),
	TABLE("token", test_tok, tok_cases, name_tok),
	TABLE("ifname", test_ifname, ifname_cases, name_ifname),
};

static const struct CMUnitTest singles[] = {
	cmocka_unit_test(test_writer_fd),
	cmocka_unit_test(test_writer_discard),
	cmocka_unit_test(test_nud_table),
	cmocka_unit_test(test_nargs_options),
	cmocka_unit_test(test_tok_slots),
};

int main(void)
{
	struct CMUnitTest *tests;
	char **names;
	size_t t, i, n = ARRAY_SIZE(singles), k = 0;
	int ret;

	for (t = 0; t < ARRAY_SIZE(tables); t++)
		n += tables[t].n;
	tests = calloc(n, sizeof(*tests));
	names = calloc(n, sizeof(*names));
	if (!tests || !names) {
		fprintf(stderr, "test_fmt: out of memory for %zu tests\n", n);
		return 1;
	}
	/* one test per fixture row, named "group: row" */
	for (t = 0; t < ARRAY_SIZE(tables); t++) {
		for (i = 0; i < tables[t].n; i++) {
			const void *row = (const char *)tables[t].rows + i * tables[t].size;

			if (asprintf(&names[k], "%s: \"%s\"", tables[t].group, tables[t].name(row)) < 0)
				names[k] = NULL;
			tests[k].name = names[k] ? names[k] : tables[t].group;
			tests[k].test_func = tables[t].fn;
			tests[k].initial_state = (void *)row;
			k++;
		}
	}
	for (i = 0; i < ARRAY_SIZE(singles); i++)
		tests[k++] = singles[i];

	ret = _cmocka_run_group_tests("fmt (user/lib/fmt.c)", tests, n, NULL, NULL);

	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(tests);
	return ret;
}
