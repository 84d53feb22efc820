// SPDX-License-Identifier: GPL-2.0
/* xneighd's configuration file and parameter layers (user/xneighd/conf.c).
 *
 *   file text                    parser                     layer content
 *   ---------------------------  -------------------------  ----------------------------
 *   "[dev DEV] [inet|inet6]   -> words, comments, units  -> (family, dev, key) = value
 *    KEY VALUE  # comment"        errors "FILE:LINE: ..."     in the key's canonical unit
 *                                 naming the word
 *
 *   sysctl values (the model's) + file layer + override layer
 *                             -> effective value and source per (family, dev, key)
 *
 * Every parse row is one cmocka test: the whole text, the exact return code,
 * the exact message, and then the complete layer content (every setting,
 * nothing more). The layering tests compare whole parameter structs.
 * Needs nothing from the machine but a temporary file for xn_conf_load().
 */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "../../user/xneighd/conf.h"

#define ARRAY_LEN(a)	(sizeof(a) / sizeof((a)[0]))

/* ---- parsing: fixture rows ----------------------------------------------------------- */

struct want {
	int family;		/* AF_INET or AF_INET6; 0 ends the list */
	const char *dev;	/* "" every device */
	unsigned int key;
	int value;
};

struct parse_row {
	const char *name;
	const char *text;
	int rc;
	const char *err;	/* exact message when rc != 0 */
	struct want want[8];
};

#define V4	AF_INET
#define V6	AF_INET6

static const struct parse_row parse_rows[] = {
	/* ---- good files ---- */
	{ "empty file", "", 0, NULL, { { 0 } } },
	{ "comments and blank lines only", "# xneighd\n\n   \t\n  # indented\n", 0, NULL,
	  { { 0 } } },
	{ "no family, no dev: both families, every device", "retrans_time_ms 500\n", 0, NULL,
	  { { V4, "", XN_CK_RETRANS_TIME_MS, 500 }, { V6, "", XN_CK_RETRANS_TIME_MS, 500 } } },
	{ "dev and family", "dev eth0 inet6 mcast_solicit 1\n", 0, NULL,
	  { { V6, "eth0", XN_CK_MCAST_SOLICIT, 1 } } },
	{ "family before dev", "inet dev eth0 ucast_solicit 5\n", 0, NULL,
	  { { V4, "eth0", XN_CK_UCAST_SOLICIT, 5 } } },
	{ "dev default is every device", "dev default inet gc_stale_time 120\n", 0, NULL,
	  { { V4, "", XN_CK_GC_STALE_TIME, 120 } } },
	{ "trailing comment, tabs, CRLF, no final newline",
	  "inet\tapp_solicit\t2\r\ninet6 unres_qlen 7   # no final newline", 0, NULL,
	  { { V4, "", XN_CK_APP_SOLICIT, 2 }, { V6, "", XN_CK_UNRES_QLEN, 7 } } },
	{ "a '#' inside a word is not a comment", "dev a#b inet locktime 0\n", 0, NULL,
	  { { V4, "a#b", XN_CK_LOCKTIME, 0 } } },
	{ "base_reachable_time is in seconds", "inet base_reachable_time 30\n", 0, NULL,
	  { { V4, "", XN_CK_BASE_REACHABLE_TIME_MS, 30000 } } },
	{ "retrans_time is in USER_HZ ticks", "inet6 retrans_time 50\n", 0, NULL,
	  { { V6, "", XN_CK_RETRANS_TIME_MS, 500 } } },
	{ "locktime stays in ticks, seconds keys stay in seconds",
	  "inet locktime 100\ninet delay_first_probe_time 5\n", 0, NULL,
	  { { V4, "", XN_CK_LOCKTIME, 100 }, { V4, "", XN_CK_DELAY_FIRST_PROBE_TIME, 5 } } },
	{ "gc_thresh1/2/3 without dev", "gc_thresh1 64\ninet6 gc_thresh2 256\ngc_thresh3 2048\n",
	  0, NULL,
	  { { V4, "", XN_CK_GC_THRESH1, 64 }, { V6, "", XN_CK_GC_THRESH1, 64 },
	    { V6, "", XN_CK_GC_THRESH2, 256 },
	    { V4, "", XN_CK_GC_THRESH3, 2048 }, { V6, "", XN_CK_GC_THRESH3, 2048 } } },
	{ "a later line wins for what both set",
	  "retrans_time_ms 500\ninet6 retrans_time_ms 200\nbase_reachable_time_ms 1\n"
	  "base_reachable_time 2\n", 0, NULL,
	  { { V4, "", XN_CK_RETRANS_TIME_MS, 500 }, { V6, "", XN_CK_RETRANS_TIME_MS, 200 },
	    { V4, "", XN_CK_BASE_REACHABLE_TIME_MS, 2000 },
	    { V6, "", XN_CK_BASE_REACHABLE_TIME_MS, 2000 } } },
	{ "largest values", "inet retrans_time_ms 2147483647\ninet base_reachable_time 2147483\n"
	  "inet6 retrans_time 214748364\ninet mcast_solicit 2147483647\n", 0, NULL,
	  { { V4, "", XN_CK_RETRANS_TIME_MS, INT_MAX },
	    { V4, "", XN_CK_BASE_REACHABLE_TIME_MS, 2147483000 },
	    { V6, "", XN_CK_RETRANS_TIME_MS, 2147483640 },
	    { V4, "", XN_CK_MCAST_SOLICIT, INT_MAX } } },
	{ "leading zeros are decimal", "inet mcast_resolicit 010\n", 0, NULL,
	  { { V4, "", XN_CK_MCAST_RESOLICIT, 10 } } },
	{ "15-character device name", "dev abcdefghijklmno inet mcast_solicit 2\n", 0, NULL,
	  { { V4, "abcdefghijklmno", XN_CK_MCAST_SOLICIT, 2 } } },

	/* ---- errors: exact message, nothing kept ---- */
	{ "unknown key", "retrans_time_ms 5\n\ninet retrans 5\n", -EINVAL,
	  "t.conf:3: unknown key 'retrans'" },
	{ "unknown key without a value", "proxy_delay\n", -EINVAL,
	  "t.conf:1: unknown key 'proxy_delay'" },
	{ "a known key without a value", "dev eth0 mcast_solicit\n", -EINVAL,
	  "t.conf:1: 'mcast_solicit' needs a value" },
	{ "a key xneigh does not mirror", "inet anycast_delay 100\n", -EINVAL,
	  "t.conf:1: unknown key 'anycast_delay'" },
	{ "value not a number", "retrans_time_ms fast\n", -EINVAL,
	  "t.conf:1: invalid value 'fast' for retrans_time_ms: expected an integer from 0 to "
	  "2147483647 (ms)" },
	{ "value with a unit", "gc_stale_time 60s\n", -EINVAL,
	  "t.conf:1: invalid value '60s' for gc_stale_time: expected an integer from 0 to "
	  "2147483 (s)" },
	{ "value with a sign", "mcast_solicit +3\n", -EINVAL,
	  "t.conf:1: invalid value '+3' for mcast_solicit: expected an integer from 0 to "
	  "2147483647" },
	{ "hex value", "unres_qlen 0x10\n", -EINVAL,
	  "t.conf:1: invalid value '0x10' for unres_qlen: expected an integer from 0 to "
	  "2147483647" },
	{ "negative value", "inet6 ucast_solicit -1\n", -EINVAL,
	  "t.conf:1: value '-1' for ucast_solicit is out of range: expected 0 to 2147483647" },
	{ "one past INT_MAX", "retrans_time_ms 2147483648\n", -EINVAL,
	  "t.conf:1: value '2147483648' for retrans_time_ms is out of range: expected 0 to "
	  "2147483647 (ms)" },
	{ "seconds whose ms overflow", "base_reachable_time 2147484\n", -EINVAL,
	  "t.conf:1: value '2147484' for base_reachable_time is out of range: expected 0 to "
	  "2147483 (s)" },
	{ "ticks whose ms overflow", "retrans_time 214748365\n", -EINVAL,
	  "t.conf:1: value '214748365' for retrans_time is out of range: expected 0 to "
	  "214748364 (USER_HZ ticks)" },
	{ "beyond long long", "locktime 99999999999999999999\n", -EINVAL,
	  "t.conf:1: value '99999999999999999999' for locktime is out of range: expected 0 to "
	  "214748364 (USER_HZ ticks)" },
	{ "trailing word", "inet mcast_solicit 3 please\n", -EINVAL,
	  "t.conf:1: unexpected 'please' after 'mcast_solicit 3'" },
	{ "selectors after the setting", "mcast_solicit 3 dev eth0\n", -EINVAL,
	  "t.conf:1: unexpected 'dev' after 'mcast_solicit 3'" },
	{ "dev twice", "dev a dev b mcast_solicit 3\n", -EINVAL,
	  "t.conf:1: 'dev' given twice" },
	{ "family twice", "inet inet6 mcast_solicit 3\n", -EINVAL,
	  "t.conf:1: family given twice: 'inet6' after 'inet'" },
	{ "dev without a name", "inet dev\n", -EINVAL,
	  "t.conf:1: 'dev' needs a device name" },
	{ "selectors only", "dev eth0 inet\n", -EINVAL,
	  "t.conf:1: 'inet' is not followed by KEY VALUE" },
	{ "device name with a slash", "dev a/b mcast_solicit 1\n", -EINVAL,
	  "t.conf:1: invalid device name 'a/b' (1 to 15 characters, no '/', ':' or blanks)" },
	{ "device name too long", "dev abcdefghijklmnop mcast_solicit 1\n", -EINVAL,
	  "t.conf:1: invalid device name 'abcdefghijklmnop' (1 to 15 characters, no '/', ':' or "
	  "blanks)" },
	{ "device name '..'", "dev .. mcast_solicit 1\n", -EINVAL,
	  "t.conf:1: invalid device name '..' (1 to 15 characters, no '/', ':' or blanks)" },
	{ "gc_thresh with a device", "dev eth0 gc_thresh3 10\n", -EINVAL,
	  "t.conf:1: gc_thresh3 is table-wide: it takes no 'dev eth0'" },
	{ "the error is on the right line after good ones",
	  "# c\nmcast_solicit 1\n\ndev eth0 inet6 app_solicit 1\nmcast_solicit x\n", -EINVAL,
	  "t.conf:5: invalid value 'x' for mcast_solicit: expected an integer from 0 to "
	  "2147483647" },
	{ "a long word is cut in the message",
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa 1\n",
	  -EINVAL,
	  "t.conf:1: unknown key "
	  "'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...'" },
};

/* Is (family, dev, key) = value in the layer? */
static bool layer_has(const struct xn_conf_layer *l, const struct want *w)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		const struct xn_conf_set *s = &l->v[i];

		if (s->family == w->family && !strcmp(s->dev, w->dev) &&
		    (s->has & (1u << w->key)) && s->val[w->key] == w->value)
			return true;
	}
	return false;
}

static void run_parse_row(void **state)
{
	const struct parse_row *r = *state;
	struct xn_conf_layer l = {};
	char err[256] = "";
	size_t nwant = 0, i;
	int rc;

	rc = xn_conf_parse(r->text, strlen(r->text), "t.conf", &l, err, sizeof(err));
	if (rc != r->rc)
		fail_msg("rc %d, expected %d (message: %s)", rc, r->rc, err);
	if (r->rc) {
		if (strcmp(err, r->err))
			fail_msg("message\n  got:      %s\n  expected: %s", err, r->err);
		/* nothing half-parsed is left */
		assert_int_equal(l.n, 0);
		assert_null(l.v);
		return;
	}
	for (i = 0; i < ARRAY_LEN(r->want) && r->want[i].family; i++) {
		nwant++;
		if (!layer_has(&l, &r->want[i]))
			fail_msg("missing: family %d dev '%s' %s = %d", r->want[i].family,
				 r->want[i].dev, xn_conf_key_name(r->want[i].key),
				 r->want[i].value);
	}
	if (xn_conf_layer_count(&l) != nwant)
		fail_msg("%zu settings, expected %zu", xn_conf_layer_count(&l), nwant);
	xn_conf_layer_free(&l);
}

/* ---- single cases ------------------------------------------------------------------------ */

static void test_nul_byte(void **state)
{
	static const char text[] = "mcast_solicit 1\nucast\0_solicit 1\n";
	struct xn_conf_layer l = {};
	char err[128];

	assert_int_equal(xn_conf_parse(text, sizeof(text) - 1, "t.conf", &l, err, sizeof(err)),
			 -EINVAL);
	assert_string_equal(err, "t.conf:2: a NUL byte: not a text file");
	assert_int_equal(l.n, 0);
}

/* The enum follows XN_NEIGH_NUD_KEYS, which maps each key to its field of
 * struct xn_neigh_parms: every key must land in its own field. */
static void test_key_names_and_fields(void **state)
{
	static const char *const names[XN_CONF_NKEYS] = {
		"base_reachable_time_ms", "retrans_time_ms", "delay_first_probe_time",
		"gc_stale_time", "locktime", "ucast_solicit", "mcast_solicit", "app_solicit",
		"mcast_resolicit", "unres_qlen", "gc_thresh1", "gc_thresh2", "gc_thresh3",
	};
	struct xn_conf c = {};
	struct xn_neigh_parms p, want;
	struct xn_neigh_thresh t, twant;
	unsigned int k;

	for (k = 0; k < XN_CONF_NKEYS; k++) {
		assert_non_null(xn_conf_key_name(k));
		assert_string_equal(xn_conf_key_name(k), names[k]);
		assert_true(strlen(names[k]) < XN_CONF_KEYLEN);
	}
	assert_null(xn_conf_key_name(XN_CONF_NKEYS));
	for (k = 0; k < XN_CONF_NKEYS; k++)
		assert_int_equal(xn_conf_layer_set(&c.file, AF_INET, NULL, k, 1000 + (int)k), 0);
	memset(&p, 0, sizeof(p));
	xn_conf_apply_parms(&c, AF_INET, "eth0", &p);
	memset(&want, 0, sizeof(want));
	want.base_reachable_ms = 1000;
	want.retrans_ms = 1001;
	want.delay_first_probe = 1002;
	want.gc_stale = 1003;
	want.locktime = 1004;
	want.ucast_solicit = 1005;
	want.mcast_solicit = 1006;
	want.app_solicit = 1007;
	want.mcast_resolicit = 1008;
	want.unres_qlen = 1009;
	assert_memory_equal(&p, &want, sizeof(p));	/* proxy_delay untouched: 0 */
	memset(&t, 0, sizeof(t));
	xn_conf_apply_thresh(&c, AF_INET, &t);
	twant.gc_thresh1 = 1010;
	twant.gc_thresh2 = 1011;
	twant.gc_thresh3 = 1012;
	assert_memory_equal(&t, &twant, sizeof(t));
	/* the other family saw none of it */
	memset(&t, 0, sizeof(t));
	xn_conf_apply_thresh(&c, AF_INET6, &t);
	assert_int_equal(t.gc_thresh1 | t.gc_thresh2 | t.gc_thresh3, 0);
	xn_conf_free(&c);
}

static void test_parse_setting(void **state)
{
	unsigned int key = 99;
	int value = -7;
	char err[160];

	assert_int_equal(xn_conf_parse_setting("retrans_time", "7", &key, &value, err,
					       sizeof(err)), 0);
	assert_int_equal(key, XN_CK_RETRANS_TIME_MS);
	assert_int_equal(value, 70);
	assert_int_equal(xn_conf_parse_setting("base_reachable_time", "0", &key, &value, err,
					       sizeof(err)), 0);
	assert_int_equal(key, XN_CK_BASE_REACHABLE_TIME_MS);
	assert_int_equal(value, 0);

	key = 99;
	value = -7;
	assert_int_equal(xn_conf_parse_setting("mcast_solicits", "1", &key, &value, err,
					       sizeof(err)), -ENOENT);
	assert_string_equal(err, "unknown key 'mcast_solicits'");
	assert_int_equal(xn_conf_parse_setting("gc_thresh3", "-5", &key, &value, err,
					       sizeof(err)), -ERANGE);
	assert_string_equal(err, "value '-5' for gc_thresh3 is out of range: expected 0 to "
			    "2147483647");
	assert_int_equal(xn_conf_parse_setting("gc_thresh3", "", &key, &value, err,
					       sizeof(err)), -EINVAL);
	assert_string_equal(err, "invalid value '' for gc_thresh3: expected an integer from 0 "
			    "to 2147483647");
	assert_int_equal(xn_conf_parse_setting("locktime", "-", &key, &value, err,
					       sizeof(err)), -EINVAL);
	/* failures leave the outputs alone */
	assert_int_equal(key, 99);
	assert_int_equal(value, -7);
}

static void test_dev_valid(void **state)
{
	assert_true(xn_conf_dev_valid("eth0"));
	assert_true(xn_conf_dev_valid("veth-a.10"));
	assert_true(xn_conf_dev_valid("abcdefghijklmno"));
	assert_false(xn_conf_dev_valid(""));
	assert_false(xn_conf_dev_valid("abcdefghijklmnop"));
	assert_false(xn_conf_dev_valid("."));
	assert_false(xn_conf_dev_valid(".."));
	assert_false(xn_conf_dev_valid("a:1"));
	assert_false(xn_conf_dev_valid("a b"));
	assert_false(xn_conf_dev_valid("a/b"));
}

/* ---- layering ------------------------------------------------------------------------------- */

/* A device's sysctl values: distinct from every layered value below. */
static void sys_parms(struct xn_neigh_parms *p)
{
	xn_neigh_parms_defaults(p, AF_INET);	/* 30000 1000 5 60 100 3 3 0 0 101 */
}

static void test_layers_sysctl_only(void **state)
{
	struct xn_conf c = {};
	struct xn_neigh_parms sys;
	struct xn_neigh_thresh th = { 1, 2, 3 };
	struct xn_conf_value out[XN_CONF_NKEYS];
	unsigned int k;

	sys_parms(&sys);
	xn_conf_resolve(&c, AF_INET, "eth0", &sys, true, &th, false, out);
	for (k = 0; k < XN_CONF_NDEVKEYS; k++)
		assert_int_equal(out[k].src, XN_CONF_SRC_SYSCTL);
	for (; k < XN_CONF_NKEYS; k++)
		assert_int_equal(out[k].src, XN_CONF_SRC_BUILTIN);
	assert_int_equal(out[XN_CK_BASE_REACHABLE_TIME_MS].value, 30000);
	assert_int_equal(out[XN_CK_RETRANS_TIME_MS].value, 1000);
	assert_int_equal(out[XN_CK_LOCKTIME].value, 100);
	assert_int_equal(out[XN_CK_UNRES_QLEN].value, 101);
	assert_int_equal(out[XN_CK_GC_THRESH1].value, 1);
	assert_int_equal(out[XN_CK_GC_THRESH3].value, 3);
	/* the default set outside the initial netns: builtin */
	xn_conf_resolve(&c, AF_INET, NULL, &sys, false, &th, false, out);
	for (k = 0; k < XN_CONF_NKEYS; k++)
		assert_int_equal(out[k].src, XN_CONF_SRC_BUILTIN);
	assert_string_equal(xn_conf_src_name(XN_CONF_SRC_BUILTIN), "builtin");
	assert_string_equal(xn_conf_src_name(XN_CONF_SRC_SYSCTL), "sysctl");
	assert_string_equal(xn_conf_src_name(XN_CONF_SRC_FILE), "file");
	assert_string_equal(xn_conf_src_name(XN_CONF_SRC_OVERRIDE), "override");
	assert_null(xn_conf_src_name(4));
}

/* mcast_solicit, one layer at a time, from the weakest to the strongest:
 * sysctl 3 < file default 4 < file dev 5 < override default 6 < override dev 7 */
static void test_layers_precedence(void **state)
{
	static const char file[] = "inet mcast_solicit 4\ndev eth0 inet mcast_solicit 5\n";
	struct xn_conf c = {};
	struct xn_neigh_parms sys, p;
	struct xn_neigh_thresh th = { 128, 512, 1024 };
	struct xn_conf_value out[XN_CONF_NKEYS];
	char err[128];

	sys_parms(&sys);
#define EXPECT(dev, val, source)							\
	do {										\
		xn_conf_resolve(&c, AF_INET, dev, &sys, true, &th, true, out);		\
		assert_int_equal(out[XN_CK_MCAST_SOLICIT].value, val);			\
		assert_int_equal(out[XN_CK_MCAST_SOLICIT].src, source);			\
		p = sys;								\
		xn_conf_apply_parms(&c, AF_INET, dev, &p);				\
		assert_int_equal(p.mcast_solicit, val);					\
	} while (0)

	EXPECT("eth0", 3, XN_CONF_SRC_SYSCTL);
	assert_int_equal(xn_conf_parse(file, 20, "f", &c.file, err, sizeof(err)), 0);
	/* first line only: the file's default */
	EXPECT("eth0", 4, XN_CONF_SRC_FILE);
	EXPECT(NULL, 4, XN_CONF_SRC_FILE);
	xn_conf_layer_free(&c.file);
	assert_int_equal(xn_conf_parse(file, sizeof(file) - 1, "f", &c.file, err, sizeof(err)), 0);
	EXPECT("eth0", 5, XN_CONF_SRC_FILE);
	EXPECT("eth1", 4, XN_CONF_SRC_FILE);		/* the file's default */
	EXPECT(NULL, 4, XN_CONF_SRC_FILE);
	/* an override for every device beats the file's device setting */
	assert_int_equal(xn_conf_layer_set(&c.override, AF_INET, "default",
					   XN_CK_MCAST_SOLICIT, 6), 0);
	EXPECT("eth0", 6, XN_CONF_SRC_OVERRIDE);
	EXPECT("eth1", 6, XN_CONF_SRC_OVERRIDE);
	EXPECT(NULL, 6, XN_CONF_SRC_OVERRIDE);
	assert_int_equal(xn_conf_layer_set(&c.override, AF_INET, "eth0",
					   XN_CK_MCAST_SOLICIT, 7), 0);
	EXPECT("eth0", 7, XN_CONF_SRC_OVERRIDE);
	EXPECT("eth1", 6, XN_CONF_SRC_OVERRIDE);
	/* the other keys are still the sysctl's */
	xn_conf_resolve(&c, AF_INET, "eth0", &sys, true, &th, true, out);
	assert_int_equal(out[XN_CK_UCAST_SOLICIT].src, XN_CONF_SRC_SYSCTL);
	assert_int_equal(out[XN_CK_GC_THRESH2].value, 512);
	assert_int_equal(out[XN_CK_GC_THRESH2].src, XN_CONF_SRC_SYSCTL);
	/* and the other family saw none of it */
	xn_conf_resolve(&c, AF_INET6, "eth0", &sys, true, &th, true, out);
	assert_int_equal(out[XN_CK_MCAST_SOLICIT].value, 3);
	assert_int_equal(out[XN_CK_MCAST_SOLICIT].src, XN_CONF_SRC_SYSCTL);

	/* unset peels the layers off again */
	assert_int_equal(xn_conf_layer_unset(&c.override, AF_INET, "eth0",
					     XN_CK_MCAST_SOLICIT), 1);
	EXPECT("eth0", 6, XN_CONF_SRC_OVERRIDE);
	assert_int_equal(xn_conf_layer_unset(&c.override, AF_UNSPEC, NULL,
					     XN_CK_MCAST_SOLICIT), 1);
	assert_int_equal(c.override.n, 0);		/* empty sets are dropped */
	EXPECT("eth0", 5, XN_CONF_SRC_FILE);
	assert_int_equal(xn_conf_layer_unset(&c.override, AF_UNSPEC, NULL,
					     XN_CK_MCAST_SOLICIT), 0);
#undef EXPECT
	xn_conf_free(&c);
}

/* A sysctl that changes underneath keeps flowing where no layer covers it,
 * and is masked where one does. */
static void test_layers_sysctl_changes(void **state)
{
	static const char file[] = "dev eth0 retrans_time_ms 250\n";
	struct xn_conf c = {};
	struct xn_neigh_parms sys, p;
	char err[128];

	assert_int_equal(xn_conf_parse(file, sizeof(file) - 1, "f", &c.file, err, sizeof(err)), 0);
	sys_parms(&sys);
	sys.retrans_ms = 700;
	sys.ucast_solicit = 9;
	p = sys;
	xn_conf_apply_parms(&c, AF_INET6, "eth0", &p);
	assert_int_equal(p.retrans_ms, 250);
	assert_int_equal(p.ucast_solicit, 9);
	p = sys;
	xn_conf_apply_parms(&c, AF_INET6, "eth1", &p);
	assert_memory_equal(&p, &sys, sizeof(p));
	/* no conf at all: nothing changes */
	p = sys;
	xn_conf_apply_parms(NULL, AF_INET, "eth0", &p);
	assert_memory_equal(&p, &sys, sizeof(p));
	xn_conf_free(&c);
}

/* gc_thresh* come from the family's default sets whatever the device. */
static void test_layers_thresh(void **state)
{
	struct xn_conf c = {};
	struct xn_neigh_parms sys;
	struct xn_neigh_thresh th = { 128, 512, 1024 }, t;
	struct xn_conf_value out[XN_CONF_NKEYS];

	sys_parms(&sys);
	assert_int_equal(xn_conf_layer_set(&c.file, AF_INET6, NULL, XN_CK_GC_THRESH3, 4096), 0);
	assert_int_equal(xn_conf_layer_set(&c.override, AF_UNSPEC, NULL, XN_CK_GC_THRESH1, 16), 0);
	xn_conf_resolve(&c, AF_INET6, "eth0", &sys, true, &th, true, out);
	assert_int_equal(out[XN_CK_GC_THRESH1].value, 16);
	assert_int_equal(out[XN_CK_GC_THRESH1].src, XN_CONF_SRC_OVERRIDE);
	assert_int_equal(out[XN_CK_GC_THRESH2].value, 512);
	assert_int_equal(out[XN_CK_GC_THRESH2].src, XN_CONF_SRC_SYSCTL);
	assert_int_equal(out[XN_CK_GC_THRESH3].value, 4096);
	assert_int_equal(out[XN_CK_GC_THRESH3].src, XN_CONF_SRC_FILE);
	t = th;
	xn_conf_apply_thresh(&c, AF_INET, &t);
	assert_int_equal(t.gc_thresh1, 16);
	assert_int_equal(t.gc_thresh2, 512);
	assert_int_equal(t.gc_thresh3, 1024);
	xn_conf_free(&c);
}

static void test_load_file(void **state)
{
	char path[] = "/tmp/test_conf.XXXXXX", err[PATH_MAX + 64];
	struct xn_conf_layer l = {};
	static const char good[] = "# test\ndev s1 inet mcast_solicit 1\n";
	static const char bad[] = "mcast_solicit 1\ndev s1 inet6 retrans_time_ms -3\n";
	int fd;

	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, good, sizeof(good) - 1), (ssize_t)sizeof(good) - 1);
	assert_int_equal(xn_conf_load(path, &l, err, sizeof(err)), 0);
	assert_int_equal(xn_conf_layer_count(&l), 1);
	assert_int_equal(l.v[0].val[XN_CK_MCAST_SOLICIT], 1);
	xn_conf_layer_free(&l);

	assert_int_equal(ftruncate(fd, 0), 0);
	assert_int_equal(pwrite(fd, bad, sizeof(bad) - 1, 0), (ssize_t)sizeof(bad) - 1);
	assert_int_equal(xn_conf_load(path, &l, err, sizeof(err)), -EINVAL);
	{
		char want[PATH_MAX + 64];

		snprintf(want, sizeof(want), "%s:2: value '-3' for retrans_time_ms is out of "
			 "range: expected 0 to 2147483647 (ms)", path);
		assert_string_equal(err, want);
	}
	close(fd);
	unlink(path);
	assert_int_equal(xn_conf_load(path, &l, err, sizeof(err)), -ENOENT);
	{
		char want[PATH_MAX + 64];

		snprintf(want, sizeof(want), "%s: No such file or directory", path);
		assert_string_equal(err, want);
	}
	assert_int_equal(xn_conf_load("/tmp", &l, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "/tmp: not a regular file");
}

/* ---- the control socket's operations, on a model ------------------------------------ */

/* A model with lo and s1, s1's IPv4 mcast_solicit at 5 in its sysctl. */
static void model_make(struct xn_model *m, bool init_netns)
{
	static const char *const names[] = { "lo", "s1" };
	size_t i;

	memset(m, 0, sizeof(*m));
	for (i = 0; i < ARRAY_LEN(names); i++) {
		struct xn_link_rec *l = XN_VEC_PUSH(m->links);

		assert_non_null(l);
		l->ifindex = (__u32)i + 1;
		snprintf(l->name, sizeof(l->name), "%s", names[i]);
		l->ipv4 = l->ipv6 = true;
		xn_neigh_parms_defaults(&l->neigh, AF_INET);
		xn_neigh_parms_defaults(&l->neigh6, AF_INET6);
	}
	m->links.v[1].neigh.mcast_solicit = 5;
	xn_neigh_parms_defaults(&m->dflt_neigh, AF_INET);
	xn_neigh_parms_defaults(&m->dflt_neigh6, AF_INET6);
	m->dflt_neigh_read = m->dflt_neigh6_read = init_netns;
	xn_neigh_thresh_defaults(&m->thresh4);
	xn_neigh_thresh_defaults(&m->thresh6);
	m->thresh6.gc_thresh3 = 4096;
}

/* The row of key `name` in a CONF_GET answer, as "VALUE SOURCE". */
static const char *row(const struct xnd_ctl_conf_key *keys, const char *name)
{
	static char buf[64];
	unsigned int k;

	for (k = 0; k < XN_CONF_NKEYS; k++) {
		if (!strcmp(keys[k].key, name)) {
			snprintf(buf, sizeof(buf), "%d %s", keys[k].value, keys[k].source);
			return buf;
		}
	}
	return "(missing)";
}

static void test_ctl_get(void **state)
{
	struct xn_conf c = {};
	struct xn_model m;
	struct xnd_ctl_conf hdr;
	struct xnd_ctl_conf_key keys[XN_CONF_NKEYS];
	char msg[128], dev[IF_NAMESIZE];
	unsigned int k;

	model_make(&m, false);
	assert_int_equal(xn_conf_layer_set(&c.file, AF_INET6, NULL, XN_CK_GC_THRESH1, 64), 0);
	assert_int_equal(xn_conf_layer_set(&c.override, AF_INET, "s1", XN_CK_RETRANS_TIME_MS,
					   300), 0);

	assert_int_equal(xn_conf_ctl_get(&c, &m, AF_INET, "s1", &hdr, keys, msg, sizeof(msg)), 0);
	assert_int_equal(hdr.family, AF_INET);
	assert_int_equal(hdr.nkeys, XN_CONF_NKEYS);
	assert_string_equal(hdr.dev, "s1");
	for (k = 0; k < XN_CONF_NKEYS; k++)
		assert_string_equal(keys[k].key, xn_conf_key_name(k));
	assert_string_equal(row(keys, "mcast_solicit"), "5 sysctl");
	assert_string_equal(row(keys, "retrans_time_ms"), "300 override");
	assert_string_equal(row(keys, "locktime"), "100 sysctl");
	assert_string_equal(row(keys, "gc_thresh1"), "128 builtin");
	/* a device without IPv6 state has no ipv6/neigh/DEV: builtin */
	m.links.v[0].ipv6 = false;
	assert_int_equal(xn_conf_ctl_get(&c, &m, AF_INET6, "lo", &hdr, keys, msg, sizeof(msg)), 0);
	assert_string_equal(row(keys, "mcast_solicit"), "3 builtin");
	assert_int_equal(xn_conf_ctl_get(&c, &m, AF_INET, "lo", &hdr, keys, msg, sizeof(msg)), 0);
	assert_string_equal(row(keys, "mcast_solicit"), "3 sysctl");

	/* the default set: "" and "default" alike; builtin outside the
	 * initial netns, sysctl inside */
	assert_int_equal(xn_conf_ctl_get(&c, &m, AF_INET6, "default", &hdr, keys, msg,
					 sizeof(msg)), 0);
	assert_string_equal(hdr.dev, "");
	assert_string_equal(row(keys, "gc_thresh1"), "64 file");
	assert_string_equal(row(keys, "gc_thresh3"), "4096 builtin");
	assert_string_equal(row(keys, "locktime"), "0 builtin");
	m.dflt_neigh6_read = true;
	assert_int_equal(xn_conf_ctl_get(&c, &m, AF_INET6, "", &hdr, keys, msg, sizeof(msg)), 0);
	assert_string_equal(row(keys, "gc_thresh3"), "4096 sysctl");
	assert_string_equal(row(keys, "mcast_solicit"), "3 sysctl");

	assert_int_equal(xn_conf_ctl_get(&c, &m, AF_INET, "eth9", &hdr, keys, msg, sizeof(msg)),
			 -ENODEV);
	assert_string_equal(msg, "unknown device 'eth9'");
	assert_int_equal(xn_conf_ctl_get(&c, &m, AF_INET, "a/b", &hdr, keys, msg, sizeof(msg)),
			 -EINVAL);
	assert_string_equal(msg, "invalid device name 'a/b'");
	assert_int_equal(xn_conf_ctl_get(&c, &m, AF_UNSPEC, "s1", &hdr, keys, msg, sizeof(msg)),
			 -EAFNOSUPPORT);
	memset(dev, 'x', sizeof(dev));
	assert_int_equal(xn_conf_ctl_get(&c, &m, AF_INET, dev, &hdr, keys, msg, sizeof(msg)),
			 -EINVAL);
	assert_string_equal(msg, "malformed request: device name not terminated");
	xn_conf_free(&c);
	xn_model_free(&m);
}

static void set_req(struct xnd_ctl_conf_req *r, const char *dev, const char *key,
		    const char *value)
{
	memset(r, 0, sizeof(*r));
	snprintf(r->dev, sizeof(r->dev), "%s", dev);
	snprintf(r->key, sizeof(r->key), "%s", key);
	snprintf(r->value, sizeof(r->value), "%s", value);
}

static void test_ctl_set(void **state)
{
	static const struct {
		int family;
		const char *dev, *key, *value;
		int rc;
		const char *msg;
	} bad[] = {
		{ AF_INET, "s1", "mcast_solicit", "-1", -ERANGE,
		  "value '-1' for mcast_solicit is out of range: expected 0 to 2147483647" },
		{ AF_INET, "s1", "retrans_time_ms", "2147483648", -ERANGE,
		  "value '2147483648' for retrans_time_ms is out of range: expected 0 to "
		  "2147483647 (ms)" },
		{ AF_INET, "s1", "ucast_solicit", "3x", -EINVAL,
		  "invalid value '3x' for ucast_solicit: expected an integer from 0 to "
		  "2147483647" },
		{ AF_INET, "s1", "mcast_solicits", "1", -ENOENT, "unknown key 'mcast_solicits'" },
		{ AF_INET, "eth9", "mcast_solicit", "1", -ENODEV, "unknown device 'eth9'" },
		{ AF_INET6, "s1", "gc_thresh2", "1", -EINVAL,
		  "gc_thresh2 is table-wide: it takes no 'dev s1'" },
		{ 99, "s1", "mcast_solicit", "1", -EAFNOSUPPORT,
		  "family 99: expected inet, inet6 or both" },
	};
	struct xn_conf c = {};
	struct xn_model m;
	struct xnd_ctl_conf_req r;
	struct xn_neigh_parms p;
	char msg[160];
	size_t i;

	model_make(&m, false);
	for (i = 0; i < ARRAY_LEN(bad); i++) {
		set_req(&r, bad[i].dev, bad[i].key, bad[i].value);
		msg[0] = '\0';
		assert_int_equal(xn_conf_ctl_set(&c, &m, bad[i].family, &r, false, msg,
						 sizeof(msg)), bad[i].rc);
		assert_string_equal(msg, bad[i].msg);
		assert_int_equal(c.override.n, 0);
	}
	/* both families, converted from s */
	set_req(&r, "s1", "base_reachable_time", "12");
	assert_int_equal(xn_conf_ctl_set(&c, &m, AF_UNSPEC, &r, false, msg, sizeof(msg)), 0);
	p = m.links.v[1].neigh6;
	xn_conf_apply_parms(&c, AF_INET6, "s1", &p);
	assert_int_equal(p.base_reachable_ms, 12000);
	p = m.links.v[1].neigh;
	xn_conf_apply_parms(&c, AF_INET, "s1", &p);
	assert_int_equal(p.base_reachable_ms, 12000);
	/* a table-wide key without dev */
	set_req(&r, "", "gc_thresh3", "10");
	assert_int_equal(xn_conf_ctl_set(&c, &m, AF_INET, &r, false, msg, sizeof(msg)), 0);
	assert_int_equal(xn_conf_layer_count(&c.override), 3);
	/* unset: any spelling of the key; nothing to remove is fine */
	set_req(&r, "s1", "base_reachable_time_ms", "");
	assert_int_equal(xn_conf_ctl_set(&c, &m, AF_INET6, &r, true, msg, sizeof(msg)), 0);
	assert_int_equal(xn_conf_layer_count(&c.override), 2);
	assert_int_equal(xn_conf_ctl_set(&c, &m, AF_INET6, &r, true, msg, sizeof(msg)), 0);
	assert_int_equal(xn_conf_layer_count(&c.override), 2);
	set_req(&r, "s1", "bogus", "");
	assert_int_equal(xn_conf_ctl_set(&c, &m, AF_INET, &r, true, msg, sizeof(msg)), -ENOENT);
	assert_string_equal(msg, "unknown key 'bogus'");
	set_req(&r, "default", "gc_thresh3", "");
	assert_int_equal(xn_conf_ctl_set(&c, &m, AF_UNSPEC, &r, true, msg, sizeof(msg)), 0);
	assert_int_equal(xn_conf_layer_count(&c.override), 1);
	/* an unterminated key is refused, not read past */
	set_req(&r, "s1", "", "1");
	memset(r.key, 'k', sizeof(r.key));
	assert_int_equal(xn_conf_ctl_set(&c, &m, AF_INET, &r, false, msg, sizeof(msg)), -EINVAL);
	assert_string_equal(msg, "malformed request: key or value not terminated");
	assert_int_equal(xn_conf_layer_count(&c.override), 1);
	xn_conf_free(&c);
	xn_model_free(&m);
}

int main(void)
{
	struct CMUnitTest tests[ARRAY_LEN(parse_rows) + 16];
	static const struct CMUnitTest singles[] = {
		cmocka_unit_test(test_nul_byte),
		cmocka_unit_test(test_key_names_and_fields),
		cmocka_unit_test(test_parse_setting),
		cmocka_unit_test(test_dev_valid),
		cmocka_unit_test(test_layers_sysctl_only),
		cmocka_unit_test(test_layers_precedence),
		cmocka_unit_test(test_layers_sysctl_changes),
		cmocka_unit_test(test_layers_thresh),
		cmocka_unit_test(test_load_file),
		cmocka_unit_test(test_ctl_get),
		cmocka_unit_test(test_ctl_set),
	};
	size_t n = 0, i;

	for (i = 0; i < ARRAY_LEN(parse_rows); i++, n++) {
		memset(&tests[n], 0, sizeof(tests[n]));
		tests[n].name = parse_rows[i].name;
		tests[n].test_func = run_parse_row;
		tests[n].initial_state = (void *)&parse_rows[i];
	}
	for (i = 0; i < ARRAY_LEN(singles); i++)
		tests[n++] = singles[i];
	return _cmocka_run_group_tests("test_conf", tests, n, NULL, NULL);
}
