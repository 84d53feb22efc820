// SPDX-License-Identifier: GPL-2.0
/* Device events (user/xneighd/devev.c, spec EV-1..EV-4, GC-4): sequences of
 * rtnetlink messages about an interface, and the flushes of the neighbour
 * tables the kernel makes for them (observed on 6.18; the netns test
 * tests/netns/test_dev_events.sh checks the same on the wire and in the
 * tables). Pure: no BPF, no root.
 *
 *   Interface s1 = ifindex 2, 02:00:00:00:0a:01, up with carrier, IPv4 and
 *   IPv6 state, addresses 10.1.0.1/24 and 10.1.0.2/24 unless a row says
 *   otherwise; every evict_nocarrier sysctl 1 (the default).
 *
 * A row's messages come in batches (a batch is what one read of the
 * netlink socket returns; its flushes are merged per family and device).
 * The expected flushes of each batch are written "F:K:WHY", F = 4 or 6, K =
 * all (PERMANENT too) or perm (PERMANENT kept), batches separated by " | ".
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <cmocka.h>

#include "../../user/xneighd/devev.h"

#ifndef IFF_LOWER_UP
#define IFF_LOWER_UP	(1 << 16)
#endif

#define ARRAY_LEN(a)	(sizeof(a) / sizeof((a)[0]))
#define S1		2
#define UPF		(IFF_UP | IFF_BROADCAST | IFF_MULTICAST | IFF_RUNNING | IFF_LOWER_UP)
#define UP_NOCARRIER	(IFF_UP | IFF_BROADCAST | IFF_MULTICAST)
#define DOWNF		(IFF_BROADCAST | IFF_MULTICAST)

/* One message of a row. */
struct msg {
	int kind;			/* XN_DEVMSG_*; ROW_BATCH: end of a batch;
					 * 0: end of the row */
	unsigned int flags;		/* LINK */
	int carrier;
	__u8 mac_last;			/* LINK: last byte of the MAC (0x01 is s1's);
					 * NO_MAC: no 6-byte address in the message */
	const char *addr;		/* *ADDR4: "a.b.c.d/len" */
	__u32 ifindex;			/* 0: s1 */
};

#define NO_MAC		0xff
#define LINK(f, c, m)	{ XN_DEVMSG_LINK, (f), (c), (m), NULL, 0 }
#define NEWA(a)		{ XN_DEVMSG_NEWADDR4, 0, 0, 0, (a), 0 }
#define DELA(a)		{ XN_DEVMSG_DELADDR4, 0, 0, 0, (a), 0 }
#define DELLINK		{ XN_DEVMSG_DELLINK, 0, 0, 0, NULL, 0 }
#define ROW_BATCH	(-1)
#define BATCH		{ ROW_BATCH, 0, 0, 0, NULL, 0 }

/* Changes to the starting state. */
struct setup {
	int all4, dev4, all6, dev6;	/* evict_nocarrier; -1: the default 1 */
	bool no_ipv4, no_ipv6;		/* the device has no IPv4 / IPv6 state */
	bool no_addrs;			/* no IPv4 address */
	bool down;			/* starts administratively down, no carrier */
};

struct row {
	const char *name;
	struct setup set;
	struct msg msgs[10];
	const char *expect;
};

static const struct row rows[] = {
	/* EV-1 / EV-3: carrier loss, neigh_carrier_down() */
	{ "carrier lost: both tables, PERMANENT kept", { -1, -1, -1, -1 },
	  { LINK(UP_NOCARRIER, 0, 1) }, "4:perm:carrier lost 6:perm:carrier lost" },
	{ "carrier lost, net.ipv4.conf.s1.arp_evict_nocarrier=0: IPv6 only", { -1, 0, -1, -1 },
	  { LINK(UP_NOCARRIER, 0, 1) }, "6:perm:carrier lost" },
	{ "carrier lost, net.ipv4.conf.all.arp_evict_nocarrier=0 (all AND dev): IPv6 only",
	  { 0, -1, -1, -1 }, { LINK(UP_NOCARRIER, 0, 1) }, "6:perm:carrier lost" },
	{ "carrier lost, net.ipv6.conf.s1.ndisc_evict_nocarrier=0: IPv4 only", { -1, -1, -1, 0 },
	  { LINK(UP_NOCARRIER, 0, 1) }, "4:perm:carrier lost" },
	{ "carrier lost, net.ipv6.conf.all.ndisc_evict_nocarrier=0 (all AND dev): IPv4 only",
	  { -1, -1, 0, -1 }, { LINK(UP_NOCARRIER, 0, 1) }, "4:perm:carrier lost" },
	{ "carrier lost, every evict_nocarrier 0: nothing", { 0, 0, 0, 0 },
	  { LINK(UP_NOCARRIER, 0, 1) }, "" },
	{ "carrier lost without IPv4/IPv6 state: evicts whatever the sysctls",
	  { 0, 0, 0, 0, .no_ipv4 = true, .no_ipv6 = true },
	  { LINK(UP_NOCARRIER, 0, 1) }, "4:perm:carrier lost 6:perm:carrier lost" },
	{ "carrier back: nothing", { -1, -1, -1, -1 },
	  { LINK(UP_NOCARRIER, 0, 1), BATCH, LINK(UPF, 1, 1) },
	  "4:perm:carrier lost 6:perm:carrier lost | " },
	{ "carrier off, a flag change (NETDEV_CHANGE): evicted again", { -1, -1, -1, -1 },
	  { LINK(UP_NOCARRIER, 0, 1), BATCH, LINK(UP_NOCARRIER & ~IFF_MULTICAST, 0, 1) },
	  "4:perm:carrier lost 6:perm:carrier lost | 4:perm:carrier lost 6:perm:carrier lost" },
	{ "carrier off, promisc on (no NETDEV_CHANGE): nothing", { -1, -1, -1, -1 },
	  { LINK(UP_NOCARRIER, 0, 1), BATCH, LINK(UP_NOCARRIER | IFF_PROMISC, 0, 1) },
	  "4:perm:carrier lost 6:perm:carrier lost | " },
	{ "carrier off, a message with nothing changed (MTU): nothing", { -1, -1, -1, -1 },
	  { LINK(UP_NOCARRIER, 0, 1), BATCH, LINK(UP_NOCARRIER, 0, 1) },
	  "4:perm:carrier lost 6:perm:carrier lost | " },
	{ "set up without carrier: no NETDEV_CHANGE, nothing", { -1, -1, -1, -1, .down = true },
	  { LINK(UP_NOCARRIER, 0, 1) }, "" },
	{ "set up without carrier and multicast off at once: NETDEV_CHANGE, evicted",
	  { -1, -1, -1, -1, .down = true },
	  { LINK(UP_NOCARRIER & ~IFF_MULTICAST, 0, 1) },
	  "4:perm:carrier lost 6:perm:carrier lost" },
	{ "one batch, carrier lost twice: one flush per table", { -1, -1, -1, -1 },
	  { LINK(UP_NOCARRIER, 0, 1), LINK(UPF, 1, 1), LINK(UP_NOCARRIER, 0, 1) },
	  "4:perm:carrier lost 6:perm:carrier lost" },

	/* GC-4: neigh_ifdown(), neigh_changeaddr() */
	{ "set down: everything", { -1, -1, -1, -1 },
	  { LINK(DOWNF, 0, 1) }, "4:all:set down 6:all:set down" },
	{ "set down after carrier loss, one batch: everything", { -1, -1, -1, -1 },
	  { LINK(UP_NOCARRIER, 0, 1), LINK(DOWNF, 0, 1) }, "4:all:set down 6:all:set down" },
	{ "MAC change: everything", { -1, -1, -1, -1 },
	  { LINK(UPF, 1, 0x11) }, "4:all:MAC address changed 6:all:MAC address changed" },
	{ "MAC change while down: everything (NETDEV_CHANGEADDR all the same)",
	  { -1, -1, -1, -1, .down = true },
	  { LINK(DOWNF, 0, 0x11) }, "4:all:MAC address changed 6:all:MAC address changed" },
	{ "same MAC again: nothing", { -1, -1, -1, -1 }, { LINK(UPF, 1, 1) }, "" },
	{ "a message without a 6-byte address: not a MAC change", { -1, -1, -1, -1 },
	  { LINK(UPF, 1, NO_MAC), BATCH, LINK(UPF, 1, 1) }, " | " },
	{ "NOARP set while up: everything", { -1, -1, -1, -1 },
	  { LINK(UPF | IFF_NOARP, 1, 1) }, "4:all:NOARP flag changed 6:all:NOARP flag changed" },
	{ "NOARP cleared while up: everything", { -1, -1, -1, -1 },
	  { LINK(UPF | IFF_NOARP, 1, 1), BATCH, LINK(UPF, 1, 1) },
	  "4:all:NOARP flag changed 6:all:NOARP flag changed | "
	  "4:all:NOARP flag changed 6:all:NOARP flag changed" },
	{ "NOARP set while down: nothing", { -1, -1, -1, -1, .down = true },
	  { LINK(DOWNF | IFF_NOARP, 0, 1) }, "" },
	{ "carrier lost, then the MAC changes, one batch: everything", { -1, -1, -1, -1 },
	  { LINK(UP_NOCARRIER, 0, 1), LINK(UP_NOCARRIER, 0, 0x11) },
	  "4:all:MAC address changed 6:all:MAC address changed" },
	{ "device deleted: everything", { -1, -1, -1, -1 },
	  { DELLINK }, "4:all:deleted 6:all:deleted" },
	{ "another device's carrier: not s1's tables", { -1, -1, -1, -1 },
	  { { XN_DEVMSG_LINK, UPF, 1, 7, NULL, 9 }, BATCH,
	    { XN_DEVMSG_LINK, UP_NOCARRIER, 0, 7, NULL, 9 } },
	  " | 4:perm:carrier lost@9 6:perm:carrier lost@9" },

	/* fib_inetaddr_event(NETDEV_DOWN), the last address -> arp_ifdown() */
	{ "one of two addresses deleted: nothing", { -1, -1, -1, -1 },
	  { DELA("10.1.0.2/24") }, "" },
	{ "both addresses deleted: IPv4 everything", { -1, -1, -1, -1 },
	  { DELA("10.1.0.2/24"), BATCH, DELA("10.1.0.1/24") },
	  " | 4:all:last IPv4 address removed" },
	{ "an address added before the last old one goes: nothing", { -1, -1, -1, -1 },
	  { DELA("10.1.0.2/24"), NEWA("10.1.0.3/24"), DELA("10.1.0.1/24") }, "" },
	{ "an address deleted and added back, then the other: nothing", { -1, -1, -1, -1 },
	  { DELA("10.1.0.1/24"), NEWA("10.1.0.1/24"), DELA("10.1.0.2/24") }, "" },
	{ "a change of an address we have (RTM_NEWADDR again) counts once", { -1, -1, -1, -1 },
	  { NEWA("10.1.0.1/24"), DELA("10.1.0.1/24"), DELA("10.1.0.2/24") },
	  "4:all:last IPv4 address removed" },
	{ "deleting an address s1 never had: nothing", { -1, -1, -1, -1, .no_addrs = true },
	  { DELA("10.1.0.9/24") }, "" },
	{ "first address added, then deleted: IPv4 everything",
	  { -1, -1, -1, -1, .no_addrs = true },
	  { NEWA("10.1.0.9/24"), BATCH, DELA("10.1.0.9/24") },
	  " | 4:all:last IPv4 address removed" },
	{ "same address, another prefix length: another address", { -1, -1, -1, -1 },
	  { DELA("10.1.0.2/24"), NEWA("10.1.0.1/16"), DELA("10.1.0.1/24") }, "" },
};

/* A batch's flushes as the row writes them. */
static void out_str(const struct xn_devev_out *out, char *buf, size_t len)
{
	size_t i, off = 0;

	buf[0] = '\0';
	for (i = 0; i < out->v.n && off < len; i++) {
		const struct xn_devev_flush *f = &out->v.v[i];
		char at[16] = "";

		if (f->ifindex != S1)
			snprintf(at, sizeof(at), "@%u", f->ifindex);
		off += snprintf(buf + off, len - off, "%s%d:%s:%s%s", i ? " " : "",
				f->family == AF_INET6 ? 6 : 4, f->skip_perm ? "perm" : "all",
				xn_devev_why_str(f->why), at);
	}
}

static void link_rec(struct xn_link_rec *l, __u32 ifindex, const char *name, unsigned int flags,
		     bool carrier, __u8 mac_last)
{
	memset(l, 0, sizeof(*l));
	l->ifindex = ifindex;
	snprintf(l->name, sizeof(l->name), "%s", name);
	l->ifi_flags = flags;
	l->carrier = carrier;
	l->mac[0] = 2;
	l->mac[4] = 0x0a;
	l->mac[5] = mac_last;
	l->ipv4 = l->ipv6 = true;
	xn_ipv4_conf_defaults(&l->conf);
	xn_ipv6_conf_defaults(&l->conf6);
}

static void parse_addr(const char *s, __be32 *a, __u8 *plen)
{
	char buf[32], *slash;

	snprintf(buf, sizeof(buf), "%s", s);
	slash = strchr(buf, '/');
	assert_non_null(slash);
	*slash = '\0';
	assert_int_equal(inet_pton(AF_INET, buf, a), 1);
	*plen = (__u8)atoi(slash + 1);
}

static void add_addr(struct xn_model *m, __u32 ifindex, const char *s)
{
	struct xn_addr_rec *r = XN_VEC_PUSH(m->addrs);

	assert_non_null(r);
	r->ifindex = ifindex;
	parse_addr(s, &r->local, &r->prefixlen);
	r->address = r->local;
}

/* The model of the header comment, with the row's changes. */
static void model_make(struct xn_model *m, const struct setup *set)
{
	struct xn_link_rec *l;

	memset(m, 0, sizeof(*m));
	xn_ipv4_conf_defaults(&m->all);
	xn_ipv6_conf_defaults(&m->all6);
	l = XN_VEC_PUSH(m->links);
	assert_non_null(l);
	link_rec(l, 1, "lo", IFF_UP | IFF_LOOPBACK | IFF_RUNNING | IFF_LOWER_UP, true, 0);
	memset(l->mac, 0, ETH_ALEN);
	l = XN_VEC_PUSH(m->links);
	assert_non_null(l);
	link_rec(l, S1, "s1", set->down ? DOWNF : UPF, !set->down, 1);
	l->ipv4 = !set->no_ipv4;
	l->ipv6 = !set->no_ipv6;
	if (set->all4 >= 0)
		m->all.arp_evict_nocarrier = set->all4;
	if (set->dev4 >= 0)
		l->conf.arp_evict_nocarrier = set->dev4;
	if (set->all6 >= 0)
		m->all6.ndisc_evict_nocarrier = set->all6;
	if (set->dev6 >= 0)
		l->conf6.ndisc_evict_nocarrier = set->dev6;
	if (!set->no_addrs) {
		add_addr(m, S1, "10.1.0.1/24");
		add_addr(m, S1, "10.1.0.2/24");
	}
}

static void msg_make(const struct msg *in, struct xn_devmsg *out, __u64 at)
{
	memset(out, 0, sizeof(*out));
	out->kind = (__u8)in->kind;
	out->ifindex = in->ifindex ? in->ifindex : S1;
	out->at = at;
	out->ifi_flags = in->flags;
	out->carrier = in->carrier;
	if (in->kind == XN_DEVMSG_LINK && in->mac_last != NO_MAC) {
		out->mac[0] = 2;
		out->mac[4] = 0x0a;
		out->mac[5] = in->mac_last;
	}
	if (in->addr) {
		parse_addr(in->addr, &out->local, &out->prefixlen);
		out->address = out->local;
	}
}

static void test_row(void **state)
{
	const struct row *r = *state;
	struct xn_devev t = { 0 };
	struct xn_devev_out out = { 0 };
	struct xn_model m;
	char got[512] = "", one[256];
	size_t i, off = 0;
	bool first = true;

	model_make(&m, &r->set);
	assert_int_equal(xn_devev_reset(&t, &m), 0);
	for (i = 0; i <= ARRAY_LEN(r->msgs); i++) {
		int kind = i < ARRAY_LEN(r->msgs) ? r->msgs[i].kind : 0;
		struct xn_devmsg msg;

		if (kind > 0) {
			msg_make(&r->msgs[i], &msg, 1000 + i);
			assert_int_equal(xn_devev_msg(&t, &m, &msg, &out), 0);
			continue;
		}
		/* end of a batch, or of the row */
		out_str(&out, one, sizeof(one));
		off += snprintf(got + off, sizeof(got) - off, "%s%s", first ? "" : " | ", one);
		first = false;
		out.v.n = 0;
		if (!kind)
			break;
	}
	if (strcmp(got, r->expect))
		fail_msg("flushes \"%s\", expected \"%s\"", got, r->expect);
	free(out.v.v);
	xn_devev_free(&t);
	xn_model_free(&m);
}

/* ---- what comes from the model: xn_devev_sync() ------------------------------------------- */

static void test_sync_disable_ipv6(void **state)
{
	struct xn_devev t = { 0 };
	struct xn_devev_out out = { 0 };
	struct setup set = { -1, -1, -1, -1 };
	struct xn_model m;
	char got[256];

	(void)state;
	model_make(&m, &set);
	assert_int_equal(xn_devev_reset(&t, &m), 0);
	/* nothing changed: nothing */
	assert_int_equal(xn_devev_sync(&t, &m, false, 5, &out), 0);
	assert_int_equal(out.v.n, 0);
	/* disable_ipv6=1: addrconf_ifdown() -> neigh_ifdown(&nd_tbl), IPv6 only */
	m.links.v[1].conf6.disable_ipv6 = 1;
	assert_int_equal(xn_devev_sync(&t, &m, false, 5, &out), 0);
	out_str(&out, got, sizeof(got));
	assert_string_equal(got, "6:all:IPv6 disabled");
	assert_int_equal(out.v.v[0].before, 5);
	/* still disabled at the next tick: once only */
	out.v.n = 0;
	assert_int_equal(xn_devev_sync(&t, &m, false, 6, &out), 0);
	assert_int_equal(out.v.n, 0);
	/* enabled again: nothing */
	m.links.v[1].conf6.disable_ipv6 = 0;
	assert_int_equal(xn_devev_sync(&t, &m, false, 7, &out), 0);
	assert_int_equal(out.v.n, 0);
	free(out.v.v);
	xn_devev_free(&t);
	xn_model_free(&m);
}

static void test_sync_state_gone(void **state)
{
	struct xn_devev t = { 0 };
	struct xn_devev_out out = { 0 };
	struct setup set = { -1, -1, -1, -1 };
	struct xn_model m;
	char got[256];

	(void)state;
	model_make(&m, &set);
	assert_int_equal(xn_devev_reset(&t, &m), 0);
	/* MTU below 68 and 1280: inetdev_destroy(), addrconf_ifdown(dev, true) */
	m.links.v[1].ipv4 = false;
	m.links.v[1].ipv6 = false;
	assert_int_equal(xn_devev_sync(&t, &m, false, 5, &out), 0);
	out_str(&out, got, sizeof(got));
	assert_string_equal(got, "4:all:IPv4 disabled 6:all:IPv6 disabled");
	free(out.v.v);
	xn_devev_free(&t);
	xn_model_free(&m);
}

/* Notifications lost (socket overrun): the model, dumped whole, stands in
 * for the missed messages. */
static void test_sync_lost(void **state)
{
	struct xn_devev t = { 0 };
	struct xn_devev_out out = { 0 };
	struct setup set = { -1, -1, -1, -1 };
	struct xn_model m;
	char got[256];

	(void)state;
	model_make(&m, &set);
	assert_int_equal(xn_devev_reset(&t, &m), 0);
	/* carrier gone, addresses gone: without `lost` nothing is inferred */
	m.links.v[1].ifi_flags = UP_NOCARRIER;
	m.links.v[1].carrier = false;
	m.addrs.n = 0;
	assert_int_equal(xn_devev_sync(&t, &m, false, 5, &out), 0);
	assert_int_equal(out.v.n, 0);
	xn_devev_free(&t);
	model_make(&m, &set);
	assert_int_equal(xn_devev_reset(&t, &m), 0);
	m.links.v[1].ifi_flags = UP_NOCARRIER;
	m.links.v[1].carrier = false;
	m.addrs.n = 0;
	assert_int_equal(xn_devev_sync(&t, &m, true, 5, &out), 0);
	out_str(&out, got, sizeof(got));
	assert_string_equal(got, "4:all:last IPv4 address removed 6:perm:carrier lost");
	/* a device missing from the dump is forgotten, not flushed */
	out.v.n = 0;
	m.links.n = 1;
	assert_int_equal(xn_devev_sync(&t, &m, true, 6, &out), 0);
	assert_int_equal(out.v.n, 0);
	assert_int_equal(t.links.n, 1);
	free(out.v.v);
	xn_devev_free(&t);
	xn_model_free(&m);
}

/* Merged flushes keep the latest `before` of their causes, so nothing a
 * later event of the batch removed in the kernel survives. */
static void test_merge_before(void **state)
{
	struct xn_devev t = { 0 };
	struct xn_devev_out out = { 0 };
	struct setup set = { -1, -1, -1, -1 };
	const struct msg lost = LINK(UP_NOCARRIER, 0, 1), mac = LINK(UP_NOCARRIER, 0, 0x11);
	struct xn_devmsg msg;
	struct xn_model m;

	(void)state;
	model_make(&m, &set);
	assert_int_equal(xn_devev_reset(&t, &m), 0);
	msg_make(&lost, &msg, 100);
	assert_int_equal(xn_devev_msg(&t, &m, &msg, &out), 0);
	msg_make(&mac, &msg, 200);
	assert_int_equal(xn_devev_msg(&t, &m, &msg, &out), 0);
	assert_int_equal(out.v.n, 2);
	assert_int_equal(out.v.v[0].before, 200);
	assert_false(out.v.v[0].skip_perm);
	assert_int_equal(out.v.v[1].before, 200);
	free(out.v.v);
	xn_devev_free(&t);
	xn_model_free(&m);
}

int main(void)
{
	struct CMUnitTest tests[ARRAY_LEN(rows) + 4];
	size_t i;

	for (i = 0; i < ARRAY_LEN(rows); i++) {
		tests[i] = (struct CMUnitTest){ .name = rows[i].name, .test_func = test_row,
						.initial_state = (void *)&rows[i] };
	}
	tests[i++] = (struct CMUnitTest)cmocka_unit_test(test_sync_disable_ipv6);
	tests[i++] = (struct CMUnitTest)cmocka_unit_test(test_sync_state_gone);
	tests[i++] = (struct CMUnitTest)cmocka_unit_test(test_sync_lost);
	tests[i++] = (struct CMUnitTest)cmocka_unit_test(test_merge_before);
	return _cmocka_run_group_tests("device events", tests, i, NULL, NULL);
}
