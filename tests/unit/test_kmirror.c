// SPDX-License-Identifier: GPL-2.0
/* The kernel table mirror's decisions (user/xneighd/kmirror.h): which
 * kernel entries are ours or protected, what xneigh's entry asks of the
 * kernel, and what to write. No netlink, no BPF, no root.
 *
 *   RTM_NEWNEIGH / RTM_DELNEIGH {state, flags, proto}  -> xn_km_classify()  -> OURS/PROTECTED/NONE
 *   xneigh entry {state, flags, xflags}, dev, key      -> xn_km_want_of()   -> NOARP/PERMANENT/none
 *   want x have x suppressed                           -> xn_km_decide()    -> KEEP/WRITE/DELETE
 *   kernel entry, dev                                  -> xn_km_importable()
 *   address                                            -> xn_km_addr_special()
 *
 * Every table row is one cmocka test named after what it checks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/neighbour.h>
#include <cmocka.h>

#include "xneigh/nud.h"
#include "../../user/xneighd/kmirror.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static const __u8 MAC1[ETH_ALEN] = { 0x02, 0, 0, 0, 0x01, 0x02 };

/* ---- xn_km_classify() ---- */

struct classify_row {
	const char *name;
	bool del;
	__u8 state, flags, proto;
	enum xn_km_kind want;
};

static const struct classify_row classify_rows[] = {
	{ "ours: NOARP, extern_learn, proto 120", false, NUD_NOARP, NTF_EXT_LEARNED,
	  XN_KM_PROTO, XN_KM_OURS },
	{ "ours: PERMANENT, extern_learn, proto 120", false, NUD_PERMANENT, NTF_EXT_LEARNED,
	  XN_KM_PROTO, XN_KM_OURS },
	{ "ours with router flag", false, NUD_NOARP, NTF_EXT_LEARNED | NTF_ROUTER, XN_KM_PROTO,
	  XN_KM_OURS },
	{ "ours set FAILED (neigh_delete's first step) is gone", false, NUD_FAILED,
	  NTF_EXT_LEARNED, XN_KM_PROTO, XN_KM_NONE },
	{ "RTM_DELNEIGH of ours: gone", true, NUD_NOARP, NTF_EXT_LEARNED, XN_KM_PROTO,
	  XN_KM_NONE },
	{ "admin PERMANENT: protected", false, NUD_PERMANENT, 0, 0, XN_KM_PROTECTED },
	{ "admin NOARP (or the constructor's): protected", false, NUD_NOARP, 0, 0,
	  XN_KM_PROTECTED },
	{ "ours replaced by an admin (extern_learn cleared, proto kept): protected", false,
	  NUD_PERMANENT, 0, XN_KM_PROTO, XN_KM_PROTECTED },
	{ "another control plane's extern_learn (proto zebra): protected", false, NUD_REACHABLE,
	  NTF_EXT_LEARNED, 11, XN_KM_PROTECTED },
	{ "extern_learn without a protocol: protected", false, NUD_NOARP, NTF_EXT_LEARNED, 0,
	  XN_KM_PROTECTED },
	{ "another's extern_learn FAILED: still protected", false, NUD_FAILED, NTF_EXT_LEARNED, 0,
	  XN_KM_PROTECTED },
	{ "dynamic REACHABLE: the kernel's", false, NUD_REACHABLE, 0, 0, XN_KM_NONE },
	{ "dynamic STALE with our protocol but no extern_learn: the kernel's", false, NUD_STALE,
	  0, XN_KM_PROTO, XN_KM_NONE },
	{ "INCOMPLETE: the kernel's", false, NUD_INCOMPLETE, 0, 0, XN_KM_NONE },
	{ "RTM_DELNEIGH of an admin PERMANENT: gone", true, NUD_PERMANENT, 0, 0, XN_KM_NONE },
};

static void t_classify(const void *p)
{
	const struct classify_row *r = p;

	assert_int_equal(xn_km_classify(r->del, r->state, r->flags, r->proto), r->want);
}

/* ---- xn_km_addr_special() ---- */

struct special_row {
	const char *name;
	const char *addr;
	bool special;
};

static const struct special_row special_rows[] = {
	{ "0.0.0.0", "0.0.0.0", true },
	{ "255.255.255.255", "255.255.255.255", true },
	{ "224.0.0.1 multicast", "224.0.0.1", true },
	{ "239.255.255.250 multicast", "239.255.255.250", true },
	{ "127.0.0.1 loopback", "127.0.0.1", true },
	{ "10.1.0.2 unicast", "10.1.0.2", false },
	{ "223.255.255.255 unicast", "223.255.255.255", false },
	{ "240.0.0.1 (class E) unicast", "240.0.0.1", false },
	{ ":: unspecified", "::", true },
	{ "::1 loopback", "::1", true },
	{ "ff02::1 multicast", "ff02::1", true },
	{ "ff02::1:ff00:2 solicited-node", "ff02::1:ff00:2", true },
	{ "fe80::1 link-local", "fe80::1", false },
	{ "2001:db8:1::2 global", "2001:db8:1::2", false },
};

static void t_special(const void *p)
{
	const struct special_row *r = p;
	__u8 a[16] = {};
	__u32 family = strchr(r->addr, ':') ? AF_INET6 : AF_INET;

	assert_int_equal(inet_pton((int)family, r->addr, a), 1);
	assert_int_equal(xn_km_addr_special(family, a), r->special);
}

/* ---- xn_km_want_of() ---- */

struct want_row {
	const char *name;
	bool entry;			/* false: no xneigh entry */
	__u8 state, flags;
	__u32 xflags;
	bool dev_ok, key_ok;
	bool present;
	__u8 kstate, router;
};

static const struct want_row want_rows[] = {
	{ "REACHABLE -> NOARP", true, NUD_REACHABLE, 0, XN_NF_CREATED_BY_DP, true, true,
	  true, NUD_NOARP, 0 },
	{ "STALE -> NOARP", true, NUD_STALE, 0, XN_NF_CREATED_BY_DP, true, true,
	  true, NUD_NOARP, 0 },
	{ "DELAY -> NOARP", true, NUD_DELAY, 0, XN_NF_CREATED_BY_DP, true, true,
	  true, NUD_NOARP, 0 },
	{ "PROBE -> NOARP", true, NUD_PROBE, 0, XN_NF_CREATED_BY_DP, true, true,
	  true, NUD_NOARP, 0 },
	{ "xneigh add (PERMANENT) -> PERMANENT", true, NUD_PERMANENT, 0, 0, true, true,
	  true, NUD_PERMANENT, 0 },
	{ "xneigh add nud noarp -> NOARP", true, NUD_NOARP, 0, 0, true, true,
	  true, NUD_NOARP, 0 },
	{ "the data plane's NOARP (broadcast key, NUD-12) -> nothing", true, NUD_NOARP, 0,
	  XN_NF_CREATED_BY_DP, true, true, false, 0, 0 },
	{ "IPv6 router -> NOARP router", true, NUD_REACHABLE, XN_NTF_ROUTER,
	  XN_NF_CREATED_BY_DP, true, true, true, NUD_NOARP, 1 },
	{ "INCOMPLETE -> nothing", true, NUD_INCOMPLETE, 0, XN_NF_CREATED_BY_DP, true, true,
	  false, 0, 0 },
	{ "INCOMPLETE for the kernel's own solicitation (NUD-15) -> nothing", true,
	  NUD_INCOMPLETE, 0, XN_NF_CREATED_BY_DP | XN_NF_KERNEL_SOLICIT, true, true,
	  false, 0, 0 },
	{ "FAILED -> nothing", true, NUD_FAILED, 0, XN_NF_CREATED_BY_DP, true, true,
	  false, 0, 0 },
	{ "NONE -> nothing", true, NUD_NONE, 0, XN_NF_CREATED_BY_DP, true, true, false, 0, 0 },
	{ "REACHABLE being removed (dead) -> nothing", true, NUD_REACHABLE, 0,
	  XN_NF_CREATED_BY_DP | XN_NF_DEAD, true, true, false, 0, 0 },
	{ "REACHABLE on a device not mirrored -> nothing", true, NUD_REACHABLE, 0,
	  XN_NF_CREATED_BY_DP, false, true, false, 0, 0 },
	{ "REACHABLE for a special or local key -> nothing", true, NUD_REACHABLE, 0,
	  XN_NF_CREATED_BY_DP, true, false, false, 0, 0 },
	{ "deleted -> nothing", false, 0, 0, 0, true, true, false, 0, 0 },
};

static void t_want(const void *p)
{
	const struct want_row *r = p;
	struct xn_neigh v = { .state = r->state, .flags = r->flags, .xflags = r->xflags };
	struct xn_km_want w;

	memcpy(v.lladdr, MAC1, ETH_ALEN);
	memset(&w, 0xa5, sizeof(w));
	xn_km_want_of(r->entry ? &v : NULL, r->dev_ok, r->key_ok, &w);
	assert_int_equal(w.present, r->present);
	if (!r->present)
		return;
	assert_int_equal(w.state, r->kstate);
	assert_int_equal(w.router, r->router);
	assert_memory_equal(w.lladdr, MAC1, ETH_ALEN);
}

/* ---- xn_km_decide() ---- */

struct decide_row {
	const char *name;
	struct xn_km_want w;
	struct xn_km_have h;
	bool suppressed;
	enum xn_km_action act;
};

#define WANT(st, rt, mac) { .present = true, .state = (st), .router = (rt), \
			    .lladdr = { mac[0], mac[1], mac[2], mac[3], mac[4], mac[5] } }
#define HAVE(k, st, fl, mac) { .kind = (k), .state = (st), .flags = (fl), .has_lladdr = true, \
			       .lladdr = { mac[0], mac[1], mac[2], mac[3], mac[4], mac[5] } }
#define M1 "\x02\x00\x00\x00\x01\x02"
#define M2 "\x02\x00\x00\x00\x0c\x02"

static const struct decide_row decide_rows[] = {
	{ "learned, kernel has nothing: write", WANT(NUD_NOARP, 0, M1), { 0 }, false,
	  XN_KM_WRITE },
	{ "learned, kernel has ours with the same MAC: keep", WANT(NUD_NOARP, 0, M1),
	  HAVE(XN_KM_OURS, NUD_NOARP, NTF_EXT_LEARNED, M1), false, XN_KM_KEEP },
	{ "MAC changed: write", WANT(NUD_NOARP, 0, M2),
	  HAVE(XN_KM_OURS, NUD_NOARP, NTF_EXT_LEARNED, M1), false, XN_KM_WRITE },
	{ "became PERMANENT in xneigh: write", WANT(NUD_PERMANENT, 0, M1),
	  HAVE(XN_KM_OURS, NUD_NOARP, NTF_EXT_LEARNED, M1), false, XN_KM_WRITE },
	{ "became a router: write", WANT(NUD_NOARP, 1, M1),
	  HAVE(XN_KM_OURS, NUD_NOARP, NTF_EXT_LEARNED, M1), false, XN_KM_WRITE },
	{ "no longer a router: write", WANT(NUD_NOARP, 0, M1),
	  HAVE(XN_KM_OURS, NUD_NOARP, NTF_EXT_LEARNED | NTF_ROUTER, M1), false, XN_KM_WRITE },
	{ "router both sides: keep", WANT(NUD_NOARP, 1, M1),
	  HAVE(XN_KM_OURS, NUD_NOARP, NTF_EXT_LEARNED | NTF_ROUTER, M1), false, XN_KM_KEEP },
	{ "ours without an address: write", WANT(NUD_NOARP, 0, M1),
	  { .kind = XN_KM_OURS, .state = NUD_NOARP, .flags = NTF_EXT_LEARNED }, false,
	  XN_KM_WRITE },
	{ "FAILED or deleted in xneigh, ours in the kernel: delete", { 0 },
	  HAVE(XN_KM_OURS, NUD_NOARP, NTF_EXT_LEARNED, M1), false, XN_KM_DELETE },
	{ "nothing either side: keep", { 0 }, { 0 }, false, XN_KM_KEEP },
	{ "admin PERMANENT with another MAC: never overwritten", WANT(NUD_NOARP, 0, M1),
	  HAVE(XN_KM_PROTECTED, NUD_PERMANENT, 0, M2), false, XN_KM_KEEP },
	{ "admin PERMANENT, xneigh has nothing: never deleted", { 0 },
	  HAVE(XN_KM_PROTECTED, NUD_PERMANENT, 0, M2), false, XN_KM_KEEP },
	{ "another's extern_learn: never overwritten", WANT(NUD_NOARP, 0, M1),
	  HAVE(XN_KM_PROTECTED, NUD_REACHABLE, NTF_EXT_LEARNED, M2), false, XN_KM_KEEP },
	{ "ours removed by someone else: not written back", WANT(NUD_NOARP, 0, M1), { 0 },
	  true, XN_KM_KEEP },
	{ "ours stale while suppressed (cannot be, ours clears it): write",
	  WANT(NUD_NOARP, 0, M2), HAVE(XN_KM_OURS, NUD_NOARP, NTF_EXT_LEARNED, M1), true,
	  XN_KM_WRITE },
	{ "suppressed, xneigh has nothing: keep", { 0 }, { 0 }, true, XN_KM_KEEP },
};

static void t_decide(const void *p)
{
	const struct decide_row *r = p;

	assert_int_equal(xn_km_decide(&r->w, &r->h, r->suppressed), r->act);
}

/* ---- xn_km_importable() ---- */

struct import_row {
	const char *name;
	struct xn_km_have h;
	bool dev_ok, importable;
};

static const struct import_row import_rows[] = {
	{ "admin PERMANENT with an address on our device",
	  HAVE(XN_KM_PROTECTED, NUD_PERMANENT, 0, M1), true, true },
	{ "admin PERMANENT with the router flag", HAVE(XN_KM_PROTECTED, NUD_PERMANENT, NTF_ROUTER,
						       M1), true, true },
	{ "admin PERMANENT on a device xneighd does not run on",
	  HAVE(XN_KM_PROTECTED, NUD_PERMANENT, 0, M1), false, false },
	{ "admin PERMANENT without an address",
	  { .kind = XN_KM_PROTECTED, .state = NUD_PERMANENT }, true, false },
	{ "admin NOARP: protected, not imported", HAVE(XN_KM_PROTECTED, NUD_NOARP, 0, M1), true,
	  false },
	{ "another's extern_learn PERMANENT: not imported",
	  HAVE(XN_KM_PROTECTED, NUD_PERMANENT, NTF_EXT_LEARNED, M1), true, false },
	{ "ours PERMANENT: not imported", HAVE(XN_KM_OURS, NUD_PERMANENT, NTF_EXT_LEARNED, M1),
	  true, false },
	{ "nothing", { 0 }, true, false },
};

static void t_import(const void *p)
{
	const struct import_row *r = p;

	assert_int_equal(xn_km_importable(&r->h, r->dev_ok), r->importable);
}

/* ---- the runner ---- */

struct table {
	const char *group;
	const void *rows;
	size_t n, size;
	void (*fn)(const void *row);
};

#define TABLE(g, rows, fn) { g, rows, ARRAY_LEN(rows), sizeof(rows[0]), fn }

static const struct table tables[] = {
	TABLE("classify", classify_rows, t_classify),
	TABLE("special address", special_rows, t_special),
	TABLE("want", want_rows, t_want),
	TABLE("decide", decide_rows, t_decide),
	TABLE("import", import_rows, t_import),
};

struct tcase {
	char name[160];
	const void *row;
	void (*fn)(const void *row);
};

static void run_case(void **state)
{
	const struct tcase *c = *state;

	c->fn(c->row);
}

int main(void)
{
	struct CMUnitTest *tests;
	struct tcase *cases;
	size_t total = 0, k = 0, i, j;
	int rc;

	for (i = 0; i < ARRAY_LEN(tables); i++)
		total += tables[i].n;
	tests = calloc(total, sizeof(*tests));
	cases = calloc(total, sizeof(*cases));
	if (!tests || !cases) {
		fprintf(stderr, "test_kmirror: out of memory\n");
		free(tests);
		free(cases);
		return 1;
	}
	for (i = 0; i < ARRAY_LEN(tables); i++) {
		for (j = 0; j < tables[i].n; j++, k++) {
			/* every row struct starts with its name */
			const void *row = (const char *)tables[i].rows + j * tables[i].size;

			snprintf(cases[k].name, sizeof(cases[k].name), "%s: %s", tables[i].group,
				 *(const char *const *)row);
			cases[k].row = row;
			cases[k].fn = tables[i].fn;
			tests[k].name = cases[k].name;
			tests[k].test_func = run_case;
			tests[k].initial_state = &cases[k];
		}
	}
	rc = _cmocka_run_group_tests("kernel table mirror", tests, total, NULL, NULL);
	free(tests);
	free(cases);
	return rc;
}
