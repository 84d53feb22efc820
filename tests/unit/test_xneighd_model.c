// SPDX-License-Identifier: GPL-2.0
/* xneighd's pure functions (user/xneighd/model.c, sysctl.c, events.c), fed
 * with hand-written kernel state; no BPF, no root.
 *
 *   what the kernel says                       xneighd                      map it feeds
 *   -----------------------------------------  ---------------------------  -------------------
 *   RTM_NEWADDR AF_INET {ifindex, ifa_local,   confirm_addr_indev() (ARP-R3) xn_local4 .flags
 *     ifa_address = p2p peer, plen, scope}  -> inet_confirm_addr(..LINK)  -> CONFIRM_LINK
 *                                              ifaddrs (+ peer)          -> xn_ifaddr4
 *   RTM_NEWADDR AF_INET6 {ifindex, addr,    -> NA source choice (ND-TX1) -> xn_ifconf .src6_*
 *     plen, scope, IFA_F_*}                    on-link prefix key        -> xn_prefix6
 *                                              unicast entry             -> xn_addr6
 *   /proc/net/anycast6                      -> strict parse, anycast     -> xn_addr6 (ANYCAST)
 *     "2    s1   20010db8000100000000000000000000     1"
 *   net.ipv{4,6}.conf.{all,DEV}.*           -> all/dev combination       -> xn_ifconf
 *   net.ipv{4,6}.neigh.DEV.*                   (spec §1.3), units
 *   struct xn_event (ring buffer)           -> one log line
 *   RTM_NEWROUTE AF_INET table main         -> per prefix: tos 0, live     -> xn_route4
 *     {dst/len, tos, type, metric, RTA_OIF     next hops, lowest metric,
 *     | RTA_MULTIPATH | RTA_NH_ID}             first in dump order
 *   RTM_NEWRULE AF_INET, tables default     -> kernel's default rules,    -> xn_global.flags
 *     and local                                nothing else that matches     ROUTE4_VALID
 *   net.ipv6.conf.DEV.forwarding            -> lo first, else the first   -> xn_global
 *                                              forwarding device            .fib6_ifindex
 *   NUD engine probe decisions (probe.c)    -> ARP request, NS frames,    -> AF_PACKET /
 *                                              RTM_GETNEIGH app probe        rtnetlink
 *
 *   Interfaces: lo = ifindex 1, s1 = ifindex 2 (02:00:00:00:0a:01), s2 = 3
 *   (s3..s5 = 4..6 in the route tables).
 *   IPv4: 10.1.0.0/24 on s1 unless a case says otherwise; p2p: local
 *   10.1.0.1 peer 10.2.0.1/32. IPv6: 2001:db8:1::/64 and fe80::/64 on s1.
 *
 * Every table row is one cmocka test named after what it checks; a failing
 * row prints each mismatch (what, got, expected).
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
#include <arpa/inet.h>
#include <linux/fib_rules.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <cmocka.h>

#include <libmnl/libmnl.h>
#include <linux/neighbour.h>
#include "xneigh/nud.h"
#include "../../user/xneighd/ctlsock.h"
#include "../../user/xneighd/events.h"
#include "../../user/xneighd/model.h"
#include "../../user/xneighd/nud_engine.h"
#include "../../user/xneighd/probe.h"
#include "../../user/xneighd/sysctl.h"

#define XN_WHY_LEN_TEST	192	/* room for any reason xn_route4_usable() gives */

/* ---- helpers ------------------------------------------------------------------ */

#define ARRAY_LEN(a)	(sizeof(a) / sizeof((a)[0]))

static __be32 v4(const char *s)
{
	struct in_addr a = {};

	if (s && inet_pton(AF_INET, s, &a) != 1)
		fail_msg("bad IPv4 literal in a fixture: %s", s);
	return a.s_addr;
}

static void v6(const char *s, __u8 out[16])
{
	memset(out, 0, 16);
	if (s && inet_pton(AF_INET6, s, out) != 1)
		fail_msg("bad IPv6 literal in a fixture: %s", s);
}

static const char *v4str(__be32 a, char *buf)
{
	return inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN);
}

static const char *v6str(const __u8 a[16], char *buf)
{
	return inet_ntop(AF_INET6, a, buf, INET6_ADDRSTRLEN);
}

/* Mismatches of the current row; the row fails at the end if any. */
static int mismatches;

static void expect_ll(const char *what, long long got, long long want)
{
	if (got == want)
		return;
	fprintf(stderr, "    %s: got %lld, expected %lld\n", what, got, want);
	mismatches++;
}

static void expect_str(const char *what, const char *got, const char *want)
{
	if (!strcmp(got, want))
		return;
	fprintf(stderr, "    %s:\n      got      '%s'\n      expected '%s'\n", what, got, want);
	mismatches++;
}

static void expect_ip6(const char *what, const __u8 got[16], const char *want)
{
	char g[INET6_ADDRSTRLEN];
	__u8 w[16];

	v6(want, w);
	if (!memcmp(got, w, 16))
		return;
	fprintf(stderr, "    %s: got %s, expected %s\n", what, v6str(got, g), want ? want : "::");
	mismatches++;
}

static void row_done(void)
{
	int n = mismatches;

	mismatches = 0;
	if (n)
		fail_msg("%d check(s) failed", n);
}

/* One row of any table: cmocka runs `fn(row)` as a test named `name`. */
struct tcase {
	char name[200];
	void (*fn)(const void *row);
	const void *row;
};

static void run_case(void **state)
{
	const struct tcase *t = *state;

	mismatches = 0;
	t->fn(t->row);
	row_done();
}

/* ---- ARP-R3: confirm_addr_indev() --------------------------------------------- */

struct a4 {
	__u32 ifindex;
	const char *local, *peer;	/* peer NULL: ifa_address = ifa_local */
	__u8 plen, scope;
};

struct confirm_row {
	const char *name;
	struct a4 addrs[6];		/* ends at ifindex 0 */
	__u32 ifindex;
	bool route_localnet;
	const char *dst, *local;	/* NULL = 0 */
	__u8 scope;
	const char *want;		/* NULL = 0 (not confirmed) */
};

#define G	RT_SCOPE_UNIVERSE
#define L	RT_SCOPE_LINK
#define HS	RT_SCOPE_HOST

static const struct confirm_row confirm_rows[] = {
	{ "global address inside its own prefix is confirmed",
	  { { 2, "10.1.0.1", NULL, 24, G } }, 2, false, NULL, "10.1.0.1", L, "10.1.0.1" },
	{ "the address of another interface is not",
	  { { 2, "10.1.0.1", NULL, 24, G } }, 3, false, NULL, "10.1.0.1", L, NULL },
	{ "an address the interface does not have is not",
	  { { 2, "10.1.0.1", NULL, 24, G } }, 2, false, NULL, "10.1.0.9", L, NULL },
	{ "host scope is above link: not confirmed",
	  { { 2, "10.9.0.1", NULL, 32, HS } }, 2, false, NULL, "10.9.0.1", L, NULL },
	{ "host scope counts as link with route_localnet",
	  { { 2, "10.9.0.1", NULL, 32, HS } }, 2, true, NULL, "10.9.0.1", L, "10.9.0.1" },
	{ "host-scope /32 inside a link prefix: the equal address's scope decides",
	  { { 2, "10.1.0.7", NULL, 32, HS }, { 2, "10.1.0.1", NULL, 24, G } },
	  2, false, NULL, "10.1.0.7", L, NULL },
	{ "p2p: the prefix is the peer's (inet_ifa_match on ifa_address)",
	  { { 2, "10.1.0.1", "10.2.0.1", 32, G } }, 2, false, NULL, "10.1.0.1", L, NULL },
	{ "p2p: a later address's /16 contains the local address",
	  { { 2, "10.1.0.1", "10.2.0.1", 32, G }, { 2, "10.1.0.2", NULL, 16, G } },
	  2, false, NULL, "10.1.0.1", L, "10.1.0.1" },
	{ "prefix first, address later: still found (walk does not stop early)",
	  { { 2, "10.1.0.2", NULL, 16, G }, { 2, "10.1.0.1", "10.2.0.1", 32, G } },
	  2, false, NULL, "10.1.0.1", L, "10.1.0.1" },
	{ "p2p: given local must be inside the peer's prefix",
	  { { 2, "10.1.0.1", "10.2.0.1", 24, G } }, 2, false, "10.2.0.9", "10.1.0.1", L, NULL },
	{ "p2p: wildcard local, dst in the peer's prefix gives the local address",
	  { { 2, "10.1.0.1", "10.2.0.1", 24, G } }, 2, false, "10.2.0.9", NULL, L, "10.1.0.1" },
	{ "local and dst in one prefix (arp_ignore=2)",
	  { { 2, "10.1.0.1", NULL, 24, G } }, 2, false, "10.1.0.5", "10.1.0.1", L, "10.1.0.1" },
	{ "local and dst in different prefixes: not confirmed",
	  { { 2, "10.1.0.1", NULL, 24, G }, { 2, "10.3.0.1", NULL, 24, G } },
	  2, false, "10.3.0.5", "10.1.0.1", L, NULL },
	{ "wildcard local: the address in dst's subnet",
	  { { 2, "10.2.0.1", NULL, 24, G }, { 2, "10.1.0.1", NULL, 24, G } },
	  2, false, "10.1.0.5", NULL, L, "10.1.0.1" },
	{ "order matters: two addresses of dst's subnet, the first wins (A, B)",
	  { { 2, "10.1.0.1", NULL, 24, G }, { 2, "10.1.0.2", NULL, 24, G } },
	  2, false, "10.1.0.9", NULL, L, "10.1.0.1" },
	{ "order matters: two addresses of dst's subnet, the first wins (B, A)",
	  { { 2, "10.1.0.2", NULL, 24, G }, { 2, "10.1.0.1", NULL, 24, G } },
	  2, false, "10.1.0.9", NULL, L, "10.1.0.2" },
	{ "wildcard local: a later larger subnet of dst supplies the address",
	  { { 2, "192.168.0.1", NULL, 24, G }, { 2, "10.1.0.1", NULL, 24, HS },
	    { 2, "10.0.0.1", NULL, 8, G } },
	  2, false, "10.1.0.5", NULL, L, "10.0.0.1" },
	{ "same, route_localnet: the host-scope address in dst's /24 qualifies",
	  { { 2, "192.168.0.1", NULL, 24, G }, { 2, "10.1.0.1", NULL, 24, HS },
	    { 2, "10.0.0.1", NULL, 8, G } },
	  2, true, "10.1.0.5", NULL, L, "10.1.0.1" },
	{ "wildcard local, dst in no prefix: not confirmed",
	  { { 2, "10.2.0.1", NULL, 24, G } }, 2, false, "10.3.0.5", NULL, L, NULL },
	{ "prefix length 0 contains everything",
	  { { 2, "10.1.0.1", NULL, 0, G } }, 2, false, "192.0.2.1", "10.1.0.1", L, "10.1.0.1" },
	{ "scope host asked: a host-scope address qualifies without route_localnet",
	  { { 2, "10.9.0.1", NULL, 32, HS } }, 2, false, NULL, "10.9.0.1", HS, "10.9.0.1" },
};

static size_t fill_addrs4(const struct a4 *in, size_t max, struct xn_addr_rec *out)
{
	size_t n;

	for (n = 0; n < max && in[n].ifindex; n++) {
		memset(&out[n], 0, sizeof(out[n]));
		out[n].ifindex = in[n].ifindex;
		out[n].local = v4(in[n].local);
		out[n].address = in[n].peer ? v4(in[n].peer) : out[n].local;
		out[n].prefixlen = in[n].plen;
		out[n].scope = in[n].scope;
		out[n].flags = IFA_F_PERMANENT;
	}
	return n;
}

static void confirm_case(const void *p)
{
	const struct confirm_row *r = p;
	struct xn_addr_rec addrs[6];
	char g[INET_ADDRSTRLEN], w[INET_ADDRSTRLEN];
	size_t n = fill_addrs4(r->addrs, ARRAY_LEN(r->addrs), addrs);
	__be32 got = xn_confirm_addr_indev(addrs, n, r->ifindex, r->route_localnet, v4(r->dst),
					    v4(r->local), r->scope);

	if (got != v4(r->want)) {
		fprintf(stderr, "    confirm_addr_indev: got %s, expected %s\n", v4str(got, g),
			v4str(v4(r->want), w));
		mismatches++;
	}
}

/* ---- xn_local4 CONFIRM_LINK: inet_confirm_addr(net, NULL, 0, addr, LINK) -------- */

struct local4_row {
	const char *name;
	struct a4 addrs[4];
	bool s1_ipv4, s2_ipv4;		/* interfaces with an in_device */
	int all_rl, s1_rl, s2_rl;	/* route_localnet values */
	const char *dst;		/* the local route */
	__u8 want_flags;
};

static const struct local4_row local4_rows[] = {
	{ "global address: CONFIRM_LINK",
	  { { 2, "10.1.0.1", NULL, 24, G } }, true, true, 0, 0, 0, "10.1.0.1",
	  XN_LOCAL_CONFIRM_LINK },
	{ "127.x on s1 (host scope): no CONFIRM_LINK",
	  { { 2, "127.25.3.4", NULL, 8, HS } }, true, true, 0, 0, 0, "127.25.3.4", 0 },
	{ "127.x, route_localnet on all: CONFIRM_LINK (all || dev)",
	  { { 2, "127.25.3.4", NULL, 8, HS } }, true, true, 1, 0, 0, "127.25.3.4",
	  XN_LOCAL_CONFIRM_LINK },
	{ "127.x, route_localnet on the owning device: CONFIRM_LINK",
	  { { 2, "127.25.3.4", NULL, 8, HS } }, true, true, 0, 1, 0, "127.25.3.4",
	  XN_LOCAL_CONFIRM_LINK },
	{ "127.x, route_localnet on another device only: no CONFIRM_LINK",
	  { { 2, "127.25.3.4", NULL, 8, HS } }, true, true, 0, 0, 1, "127.25.3.4", 0 },
	{ "address on s2 counts too (any interface, weak host)",
	  { { 3, "10.2.0.1", NULL, 24, G } }, true, true, 0, 0, 0, "10.2.0.1",
	  XN_LOCAL_CONFIRM_LINK },
	{ "interface without an in_device is skipped (for_each_netdev + in_dev)",
	  { { 2, "10.1.0.1", NULL, 24, G } }, false, true, 0, 0, 0, "10.1.0.1", 0 },
	{ "p2p address outside its peer prefix: no CONFIRM_LINK",
	  { { 2, "10.1.0.1", "10.2.0.1", 32, G } }, true, true, 0, 0, 0, "10.1.0.1", 0 },
};

static void local4_case(const void *p)
{
	const struct local4_row *r = p;
	struct xn_link_rec links[2] = {};
	struct xn_addr_rec addrs[4];
	struct xn_route_rec route = { .dst = v4(r->dst), .type = RTN_LOCAL, .ifindex = 2 };
	struct xn_model m = {};
	struct xn_local4 out;

	links[0].ifindex = 2;
	links[0].ipv4 = r->s1_ipv4;
	links[1].ifindex = 3;
	links[1].ipv4 = r->s2_ipv4;
	xn_ipv4_conf_defaults(&links[0].conf);
	xn_ipv4_conf_defaults(&links[1].conf);
	xn_ipv4_conf_defaults(&m.all);
	m.all.route_localnet = r->all_rl;
	links[0].conf.route_localnet = r->s1_rl;
	links[1].conf.route_localnet = r->s2_rl;
	m.links.v = links;
	m.links.n = 2;
	m.addrs.v = addrs;
	m.addrs.n = fill_addrs4(r->addrs, ARRAY_LEN(r->addrs), addrs);

	xn_model_local4(&m, &route, &out);
	expect_ll("type", out.type, RTN_LOCAL);
	expect_ll("ifindex", out.ifindex, 2);
	expect_ll("flags", out.flags, r->want_flags);
	expect_ll("pad", out.pad, 0);
}

/* ---- sysctl combination, IPv4 (spec §1.3, IN_DEV_* macros) --------------------- */

/* A field of struct xn_ipv4_conf / xn_ipv6_conf and the xn_ifconf field it
 * becomes. */
struct field_ref {
	const char *name;
	size_t conf_off;
	size_t out_off, out_size;
	bool out_signed;
};

#define F4(cf, of, sgn) { #cf, offsetof(struct xn_ipv4_conf, cf), \
	offsetof(struct xn_ifconf, of), sizeof(((struct xn_ifconf *)0)->of), sgn }
#define F6(cf, of) { #cf " -> " #of, offsetof(struct xn_ipv6_conf, cf), \
	offsetof(struct xn_ifconf, of), sizeof(((struct xn_ifconf *)0)->of), false }

struct combine_row {
	const char *name;
	struct field_ref f;
	int all, dev;
	long long want;
};

static long long ifconf_field(const struct xn_ifconf *c, const struct field_ref *f)
{
	const char *p = (const char *)c + f->out_off;

	if (f->out_size == 4) {
		__s32 s;
		__u32 u;

		memcpy(&s, p, 4);
		memcpy(&u, p, 4);
		if (f->out_signed)
			return s;
		return u;
	}
	return *(const __u8 *)p;
}

static const struct combine_row combine4_rows[] = {
	{ "arp_ignore: max(all, dev)", F4(arp_ignore, arp_ignore, true), 2, 1, 2 },
	{ "arp_ignore: max, out of range kept (8 and 9 are the kernel's to map)",
	  F4(arp_ignore, arp_ignore, true), 1, 9, 9 },
	{ "arp_ignore: max of negatives kept", F4(arp_ignore, arp_ignore, true), -3, -1, -1 },
	{ "arp_announce: max(all, dev)", F4(arp_announce, arp_announce, true), 0, 2, 2 },
	{ "arp_accept: max(all, dev)", F4(arp_accept, arp_accept, true), 2, 0, 2 },
	{ "arp_notify: max(all, dev)", F4(arp_notify, arp_notify, true), 1, 0, 1 },
	{ "rp_filter: max(all=1, dev=2) = loose", F4(rp_filter, rp_filter, false), 1, 2, 2 },
	{ "rp_filter: max = 1 strict", F4(rp_filter, rp_filter, false), 1, 0, 1 },
	{ "rp_filter: 257 is loose, not a truncated 1", F4(rp_filter, rp_filter, false), 0, 257,
	  2 },
	{ "rp_filter: max(-1, -5) = -1 is loose (non-zero, not 1)",
	  F4(rp_filter, rp_filter, false), -5, -1, 2 },
	{ "rp_filter: 0/0 off", F4(rp_filter, rp_filter, false), 0, 0, 0 },
	{ "arp_filter: all || dev (all only)", F4(arp_filter, arp_filter, false), 7, 0, 1 },
	{ "arp_filter: all || dev (neither)", F4(arp_filter, arp_filter, false), 0, 0, 0 },
	{ "drop_gratuitous_arp: all || dev", F4(drop_gratuitous_arp, drop_gratuitous_arp, false),
	  0, -1, 1 },
	{ "proxy_arp: all || dev", F4(proxy_arp, proxy_arp, false), 1, 0, 1 },
	{ "proxy_arp_pvlan: all || dev", F4(proxy_arp_pvlan, proxy_arp_pvlan, false), 0, 1, 1 },
	{ "route_localnet: all || dev", F4(route_localnet, route_localnet, false), 0, 3, 1 },
	{ "arp_evict_nocarrier: all && dev (1, 0)",
	  F4(arp_evict_nocarrier, arp_evict_nocarrier, false), 1, 0, 0 },
	{ "arp_evict_nocarrier: all && dev (1, 1)",
	  F4(arp_evict_nocarrier, arp_evict_nocarrier, false), 1, 1, 1 },
	{ "forwarding: dev only (all 1, dev 0)", F4(forwarding, forwarding, false), 1, 0, 0 },
	{ "forwarding: dev only, 256 is on (not a truncated 0)", F4(forwarding, forwarding, false),
	  0, 256, 1 },
	{ "medium_id: dev only, -1 kept", F4(medium_id, medium_id, true), 5, -1, -1 },
};

static void combine4_case(const void *p)
{
	const struct combine_row *r = p;
	struct xn_ipv4_conf all, dev;
	struct xn_neigh_parms np;
	struct xn_ifconf out;

	xn_ipv4_conf_defaults(&all);
	xn_ipv4_conf_defaults(&dev);
	xn_neigh_parms_defaults(&np, AF_INET);
	memcpy((char *)&all + r->f.conf_off, &r->all, sizeof(int));
	memcpy((char *)&dev + r->f.conf_off, &r->dev, sizeof(int));
	memset(&out, 0xa5, sizeof(out));
	xn_sysctl_combine(&all, &dev, &np, &out);
	expect_ll(r->f.name, ifconf_field(&out, &r->f), r->want);
	expect_ll("reserved", out.reserved, 0);
}

/* ---- sysctl combination, IPv6 (spec §1.3, as ndisc.c reads them) ---------------- */

static const struct combine_row combine6_rows[] = {
	{ "forwarding6: dev only (all 1, dev 0)", F6(forwarding, forwarding6), 1, 0, 0 },
	{ "forwarding6: dev only, 5 is on", F6(forwarding, forwarding6), 0, 5, 1 },
	{ "all_forwarding6: all's value as a truth value", F6(forwarding, all_forwarding6), 7, 0,
	  1 },
	{ "proxy_ndp: all || dev (all only)", F6(proxy_ndp, proxy_ndp), 1, 0, 1 },
	{ "proxy_ndp: all || dev, 256 is on", F6(proxy_ndp, proxy_ndp), 0, 256, 1 },
	{ "all_proxy_ndp: all's value, -1 is on", F6(proxy_ndp, all_proxy_ndp), -1, 0, 1 },
	{ "drop_unsolicited_na: dev only (all 1, dev 0)",
	  F6(drop_unsolicited_na, drop_unsolicited_na), 1, 0, 0 },
	{ "drop_unsolicited_na: dev only, 7 is on", F6(drop_unsolicited_na, drop_unsolicited_na),
	  0, 7, 1 },
	{ "accept_untracked_na: dev only, 2 kept", F6(accept_untracked_na, accept_untracked_na),
	  1, 2, 2 },
	{ "accept_untracked_na: 3 acts as 0 (default: of the switch)",
	  F6(accept_untracked_na, accept_untracked_na), 0, 3, 0 },
	{ "accept_untracked_na: 258 is not a truncated 2",
	  F6(accept_untracked_na, accept_untracked_na), 0, 258, 0 },
	{ "accept_untracked_na: -1 acts as 0", F6(accept_untracked_na, accept_untracked_na), 0, -1,
	  0 },
	{ "force_tllao: dev only (all 1, dev 0)", F6(force_tllao, force_tllao), 1, 0, 0 },
	{ "force_tllao: dev only, 2 is on", F6(force_tllao, force_tllao), 0, 2, 1 },
	{ "ndisc_notify: all || dev", F6(ndisc_notify, ndisc_notify), 1, 0, 1 },
	{ "ndisc_evict_nocarrier: all && dev (0, 1)",
	  F6(ndisc_evict_nocarrier, ndisc_evict_nocarrier), 0, 1, 0 },
	{ "ndisc_evict_nocarrier: all && dev (1, 1)",
	  F6(ndisc_evict_nocarrier, ndisc_evict_nocarrier), 1, 1, 1 },
	{ "ndisc_tclass: dev only, 200 kept", F6(ndisc_tclass, ndisc_tclass), 100, 200, 200 },
	{ "ndisc_tclass: 300 (outside the sysctl's range) is 0", F6(ndisc_tclass, ndisc_tclass),
	  0, 300, 0 },
};

static void combine6_case(const void *p)
{
	const struct combine_row *r = p;
	struct xn_ipv6_conf all, dev;
	struct xn_neigh_parms np;
	struct xn_ifconf out;

	xn_ipv6_conf_defaults(&all);
	xn_ipv6_conf_defaults(&dev);
	xn_neigh_parms_defaults(&np, AF_INET6);
	memcpy((char *)&all + r->f.conf_off, &r->all, sizeof(int));
	memcpy((char *)&dev + r->f.conf_off, &r->dev, sizeof(int));
	memset(&out, 0xa5, sizeof(out));
	xn_sysctl_combine6(&all, &dev, &np, &out);
	expect_ll(r->f.name, ifconf_field(&out, &r->f), r->want);
	expect_ll("pad6", out.pad6, 0);
}

/* ---- neighbour parameters: units --------------------------------------------------- */

struct parms_row {
	const char *name;
	int family;
	int locktime, base_ms, proxy_delay;	/* /proc values */
	long long want_lock, want_base, want_delay;
};

static const struct parms_row parms_rows[] = {
	{ "IPv4 defaults: locktime 100 ticks, 30 s, proxy_delay 80 ticks", AF_INET,
	  100, 30000, 80, 1000, 30000, 800 },
	{ "IPv4: ticks are 10 ms (USER_HZ)", AF_INET, 7, 1234, 13, 70, 1234, 130 },
	{ "IPv4: negative values are 0", AF_INET, -5, -1, -80, 0, 0, 0 },
	{ "IPv4: INT_MAX ticks clamp to the u32 maximum", AF_INET, INT_MAX, INT_MAX, INT_MAX,
	  UINT32_MAX, INT_MAX, UINT32_MAX },
	{ "IPv6: base_reachable_time_ms and proxy_delay", AF_INET6, 0, 12348, 12, 0, 12348, 120 },
	{ "IPv6: negative values are 0", AF_INET6, 0, -1, -1, 0, 0, 0 },
};

static void parms_case(const void *p)
{
	const struct parms_row *r = p;
	struct xn_ipv4_conf c4;
	struct xn_ipv6_conf c6;
	struct xn_neigh_parms np = {
		.locktime = r->locktime, .base_reachable_ms = r->base_ms,
		.proxy_delay = r->proxy_delay,
	};
	struct xn_ifconf out = {};

	xn_ipv4_conf_defaults(&c4);
	xn_ipv6_conf_defaults(&c6);
	if (r->family == AF_INET) {
		xn_sysctl_combine(&c4, &c4, &np, &out);
		expect_ll("locktime_ms", out.locktime_ms, r->want_lock);
		expect_ll("base_reachable_ms", out.base_reachable_ms, r->want_base);
		expect_ll("proxy_delay_ms", out.proxy_delay_ms, r->want_delay);
	} else {
		xn_sysctl_combine6(&c6, &c6, &np, &out);
		expect_ll("base_reachable6_ms", out.base_reachable6_ms, r->want_base);
		expect_ll("proxy_delay6_ms", out.proxy_delay6_ms, r->want_delay);
	}
}

/* ---- xn_ifconf flags and defaults ---------------------------------------------------- */

struct flags_row {
	const char *name;
	unsigned int ifi_flags;
	bool carrier, ipv4, ipv6;
	int disable_ipv6;
	__u16 want;
};

#define XN_IFF_BASE	XN_IFF_CONFIGURED

static const struct flags_row flags_rows[] = {
	{ "up, carrier, IPv4 and IPv6", IFF_UP, true, true, true, 0,
	  XN_IFF_BASE | XN_IFF_UP | XN_IFF_CARRIER | XN_IFF_IPV4 | XN_IFF_IPV6 },
	{ "disable_ipv6=1: inet6_dev exists, but no XN_IFF_IPV6", IFF_UP, true, true, true, 1,
	  XN_IFF_BASE | XN_IFF_UP | XN_IFF_CARRIER | XN_IFF_IPV4 },
	{ "no ipv6/conf/DEV: no XN_IFF_IPV6", IFF_UP, false, true, false, 0,
	  XN_IFF_BASE | XN_IFF_UP | XN_IFF_IPV4 },
	{ "down, NOARP, loopback, no IPv4", IFF_NOARP | IFF_LOOPBACK, false, false, true, 0,
	  XN_IFF_BASE | XN_IFF_NOARP | XN_IFF_LOOPBACK | XN_IFF_IPV6 },
};

static void flags_case(const void *p)
{
	const struct flags_row *r = p;
	struct xn_link_rec l = { .ifindex = 2, .name = "s1", .ifi_flags = r->ifi_flags,
				 .mac = { 2, 0, 0, 0, 0x0a, 1 }, .carrier = r->carrier,
				 .ipv4 = r->ipv4, .ipv6 = r->ipv6 };
	struct xn_model m = {};
	struct xn_ifconf out;

	xn_ipv4_conf_defaults(&m.all);
	xn_ipv6_conf_defaults(&m.all6);
	xn_ipv4_conf_defaults(&l.conf);
	xn_ipv6_conf_defaults(&l.conf6);
	xn_neigh_parms_defaults(&l.neigh, AF_INET);
	xn_neigh_parms_defaults(&l.neigh6, AF_INET6);
	l.conf6.disable_ipv6 = r->disable_ipv6;
	m.links.v = &l;
	m.links.n = 1;
	xn_model_ifconf(&m, &l, &out);
	expect_ll("flags", out.flags, r->want);
	expect_ll("mac[5]", out.mac[5], 1);
	/* kernel defaults (spec §1.4, §1.5) */
	expect_ll("arp_evict_nocarrier", out.arp_evict_nocarrier, 1);
	expect_ll("ndisc_evict_nocarrier", out.ndisc_evict_nocarrier, 1);
	expect_ll("locktime_ms", out.locktime_ms, XN_DEFAULT_LOCKTIME_MS);
	expect_ll("base_reachable6_ms", out.base_reachable6_ms, XN_DEFAULT_BASE_REACHABLE_MS);
	expect_ll("proxy_delay6_ms", out.proxy_delay6_ms, XN_DEFAULT_PROXY_DELAY_MS);
	expect_ip6("src6_ll (no addresses)", out.src6_ll, NULL);
}

/* ---- ND-TX1: NA source addresses ---------------------------------------------------- */

struct a6 {
	__u32 ifindex;
	const char *addr;
	__u8 plen, scope;
	__u32 flags;
};

struct src6_row {
	const char *name;
	struct a6 addrs[6];		/* idev->addr_list order; ends at ifindex 0 */
	const char *want_ll, *want_gl;	/* NULL: none */
};

#define PERM	IFA_F_PERMANENT
#define TENT	(IFA_F_PERMANENT | IFA_F_TENTATIVE)
#define OPTI	(IFA_F_PERMANENT | IFA_F_TENTATIVE | IFA_F_OPTIMISTIC)
#define DEPR	(IFA_F_PERMANENT | IFA_F_DEPRECATED)
#define DADF	(IFA_F_PERMANENT | IFA_F_TENTATIVE | IFA_F_DADFAILED)

static const struct src6_row src6_rows[] = {
	{ "global and link-local",
	  { { 2, "2001:db8:1::1", 64, G, PERM }, { 2, "fe80::1", 64, L, PERM } },
	  "fe80::1", "2001:db8:1::1" },
	{ "tentative addresses are no candidates",
	  { { 2, "2001:db8:1::5", 64, G, TENT }, { 2, "2001:db8:1::1", 64, G, PERM },
	    { 2, "fe80::1", 64, L, TENT } },
	  NULL, "2001:db8:1::1" },
	{ "two preferred globals: the first in list order",
	  { { 2, "2001:db8:1::6", 64, G, PERM }, { 2, "2001:db8:1::1", 64, G, PERM } },
	  NULL, "2001:db8:1::6" },
	{ "deprecated first, preferred later: the preferred (rule 3)",
	  { { 2, "2001:db8:1::7", 64, G, DEPR }, { 2, "2001:db8:1::1", 64, G, PERM } },
	  NULL, "2001:db8:1::1" },
	{ "only a deprecated one: still used",
	  { { 2, "2001:db8:1::7", 64, G, DEPR } }, NULL, "2001:db8:1::7" },
	{ "optimistic (tentative) is a candidate, below a preferred one",
	  { { 2, "2001:db8:1::8", 64, G, OPTI }, { 2, "2001:db8:1::1", 64, G, PERM } },
	  NULL, "2001:db8:1::1" },
	{ "only an optimistic one: used",
	  { { 2, "2001:db8:1::8", 64, G, OPTI } }, NULL, "2001:db8:1::8" },
	{ "optimistic then deprecated: equal rank, the first",
	  { { 2, "2001:db8:1::8", 64, G, OPTI }, { 2, "2001:db8:1::7", 64, G, DEPR } },
	  NULL, "2001:db8:1::8" },
	{ "dadfailed: never",
	  { { 2, "2001:db8:1::2", 64, G, DADF }, { 2, "fe80::2", 64, L, DADF } }, NULL, NULL },
	{ "addresses of another interface do not count",
	  { { 3, "2001:db8:2::1", 64, G, PERM }, { 3, "fe80::3", 64, L, PERM } }, NULL, NULL },
	{ "site and host scope are neither slot",
	  { { 2, "fec0::1", 64, RT_SCOPE_SITE, PERM }, { 2, "::1", 128, HS, PERM } },
	  NULL, NULL },
};

static size_t fill_addrs6(const struct a6 *in, size_t max, struct xn_addr6_rec *out)
{
	size_t n;

	for (n = 0; n < max && in[n].ifindex; n++) {
		memset(&out[n], 0, sizeof(out[n]));
		out[n].ifindex = in[n].ifindex;
		v6(in[n].addr, out[n].addr);
		out[n].prefixlen = in[n].plen;
		out[n].scope = in[n].scope;
		out[n].flags = in[n].flags;
	}
	return n;
}

static void src6_case(const void *p)
{
	const struct src6_row *r = p;
	struct xn_addr6_rec addrs[6];
	struct xn_model m = {};
	__u8 ll[16], gl[16];

	m.addrs6.v = addrs;
	m.addrs6.n = fill_addrs6(r->addrs, ARRAY_LEN(r->addrs), addrs);
	xn_model_src6(&m, 2, ll, gl);
	expect_ip6("src6_ll", ll, r->want_ll);
	expect_ip6("src6_global", gl, r->want_gl);
}

/* ---- xn_prefix6 keys ----------------------------------------------------------------- */

struct prefix_row {
	const char *name;
	__u32 ifindex;
	const char *addr;
	unsigned int plen;
	__u32 want_prefixlen;
	const char *want_addr;
};

static const struct prefix_row prefix_rows[] = {
	{ "/64: host part cleared", 2, "2001:db8:1::abcd", 64, 96, "2001:db8:1::" },
	{ "link-local /64", 2, "fe80::ff:fe00:a01", 64, 96, "fe80::" },
	{ "/128: whole address", 2, "2001:db8:1::1", 128, 160, "2001:db8:1::1" },
	{ "/0: address all zero, matches the whole interface", 2, "2001:db8:1::1", 0, 32, "::" },
	{ "/65: first bit of byte 8 kept", 2, "2001:db8:1:0:ffff::1", 65, 97, "2001:db8:1:0:8000::" },
	{ "/7: top 7 bits of byte 0", 2, "ffff::1", 7, 39, "fe00::" },
	{ "/200 is taken as /128", 2, "2001:db8::1", 200, 160, "2001:db8::1" },
};

static void prefix_case(const void *p)
{
	const struct prefix_row *r = p;
	struct xn_prefix6_key k;
	__u8 a[16];
	__u32 ifi;

	v6(r->addr, a);
	memset(&k, 0xa5, sizeof(k));
	xn_prefix6_key_make(r->ifindex, a, r->plen, &k);
	expect_ll("prefixlen", k.prefixlen, r->want_prefixlen);
	/* the LPM trie matches byte by byte: ifindex must be big-endian */
	memcpy(&ifi, &k.ifindex, 4);
	expect_ll("ifindex (network order)", ifi, htonl(r->ifindex));
	expect_ip6("addr", k.addr, r->want_addr);
}

/* ---- xn_addr6 entries (unicast, anycast) ---------------------------------------------- */

struct addr6_row {
	const char *name;
	struct a6 unicast[3];
	__u32 ac_ifindex;
	const char *ac_addr;
	bool want_written;
	__u32 want_flags;
	__u8 want_plen, want_scope;
};

static const struct addr6_row addr6_rows[] = {
	{ "subnet-router anycast 2001:db8:1:: on s1",
	  { { 2, "2001:db8:1::1", 64, G, PERM } }, 2, "2001:db8:1::", true,
	  XN_ADDR6_ANYCAST, 128, RT_SCOPE_UNIVERSE },
	{ "link-local anycast fe80:: has link scope",
	  { { 2, "fe80::1", 64, L, PERM } }, 2, "fe80::", true,
	  XN_ADDR6_ANYCAST, 128, RT_SCOPE_LINK },
	{ "anycast that is also a unicast address of s1: the unicast entry stands",
	  { { 2, "2001:db8:1::", 64, G, PERM | IFA_F_NODAD } }, 2, "2001:db8:1::", false, 0, 0, 0 },
	{ "the same address as unicast on s2 does not hide s1's anycast",
	  { { 3, "2001:db8:1::", 64, G, PERM } }, 2, "2001:db8:1::", true,
	  XN_ADDR6_ANYCAST, 128, RT_SCOPE_UNIVERSE },
};

static void addr6_case(const void *p)
{
	const struct addr6_row *r = p;
	struct xn_addr6_rec addrs[3];
	struct xn_acaddr6_rec ac = { .ifindex = r->ac_ifindex };
	struct xn_model m = {};
	struct xn_addr6_key k;
	struct xn_addr6 v;
	bool written;

	m.addrs6.v = addrs;
	m.addrs6.n = fill_addrs6(r->unicast, ARRAY_LEN(r->unicast), addrs);
	v6(r->ac_addr, ac.addr);
	written = xn_model_acaddr6(&m, &ac, &k, &v);
	expect_ll("anycast entry written", written, r->want_written);
	if (!written)
		return;
	expect_ll("key.ifindex", k.ifindex, r->ac_ifindex);
	expect_ip6("key.addr", k.addr, r->ac_addr);
	expect_ll("flags", v.flags, r->want_flags);
	expect_ll("prefixlen", v.prefixlen, r->want_plen);
	expect_ll("scope", v.scope, r->want_scope);
	expect_ll("pad", v.pad, 0);
}

/* A unicast entry carries IFA_FLAGS as they are (DAD state included). */
static void addr6_unicast_case(const void *p)
{
	struct xn_addr6_rec a = { .ifindex = 2, .prefixlen = 64, .scope = RT_SCOPE_UNIVERSE,
				  .flags = OPTI };
	struct xn_addr6_key k;
	struct xn_addr6 v;

	(void)p;
	v6("2001:db8:1::8", a.addr);
	memset(&k, 0xa5, sizeof(k));
	memset(&v, 0xa5, sizeof(v));
	xn_model_addr6(&a, &k, &v);
	expect_ll("key.ifindex", k.ifindex, 2);
	expect_ip6("key.addr", k.addr, "2001:db8:1::8");
	expect_ll("flags (tentative|optimistic|permanent)", v.flags,
		  XN_ADDR6_TENTATIVE | XN_ADDR6_OPTIMISTIC | IFA_F_PERMANENT);
	expect_ll("prefixlen", v.prefixlen, 64);
	expect_ll("scope", v.scope, RT_SCOPE_UNIVERSE);
	expect_ll("pad", v.pad, 0);
}

/* ---- /proc/net/anycast6 ----------------------------------------------------------------- */

struct ac_row {
	const char *name;
	const char *text;
	int want_err;
	size_t want_n;
	__u32 want_ifindex;		/* of the last record */
	const char *want_addr;
	const char *want_msg;		/* substring of the error message */
};

static const struct ac_row ac_rows[] = {
	{ "two addresses as ac6_seq_show() prints them",
	  "2    s1              fe800000000000000000000000000000     1\n"
	  "2    s1              20010db8000100000000000000000000     2\n",
	  0, 2, 2, "2001:db8:1::", NULL },
	{ "empty file: no anycast addresses", "", 0, 0, 0, NULL, NULL },
	{ "long device name and ifindex", "12345 abcdefghijklmno 20010db8000100000000000000000001 99999\n",
	  0, 1, 12345, "2001:db8:1::1", NULL },
	{ "upper-case hex is read too", "2 s1 20010DB8000100000000000000000000 1\n",
	  0, 1, 2, "2001:db8:1::", NULL },
	{ "no newline at the end", "2    s1              fe800000000000000000000000000000     1",
	  -EINVAL, 0, 0, NULL, "line 1: no newline" },
	{ "three fields", "2 s1 fe800000000000000000000000000000\n",
	  -EINVAL, 0, 0, NULL, "line 1: 3 fields" },
	{ "five fields", "2 s1 fe800000000000000000000000000000 1 x\n",
	  -EINVAL, 0, 0, NULL, "line 1: 5 fields" },
	{ "empty line", "2 s1 fe800000000000000000000000000000 1\n\n",
	  -EINVAL, 0, 0, NULL, "line 2: 0 fields" },
	{ "ifindex not a number",
	  "2 s1 fe800000000000000000000000000000 1\nx2 s1 fe800000000000000000000000000000 1\n",
	  -EINVAL, 0, 0, NULL, "line 2: bad ifindex 'x2'" },
	{ "ifindex 0", "0 s1 fe800000000000000000000000000000 1\n",
	  -EINVAL, 0, 0, NULL, "bad ifindex '0'" },
	{ "ifindex with a sign", "+2 s1 fe800000000000000000000000000000 1\n",
	  -EINVAL, 0, 0, NULL, "bad ifindex '+2'" },
	{ "device name of 16 characters", "2 abcdefghijklmnop fe800000000000000000000000000000 1\n",
	  -EINVAL, 0, 0, NULL, "device name 'abcdefghijklmnop' too long" },
	{ "31 hex digits", "2 s1 fe80000000000000000000000000000 1\n",
	  -EINVAL, 0, 0, NULL, "bad address 'fe80000000000000000000000000000'" },
	{ "colon notation is not /proc's format", "2 s1 fe80::1 1\n",
	  -EINVAL, 0, 0, NULL, "bad address 'fe80::1'" },
	{ "non-hex digit", "2 s1 fe80000000000000000000000000000g 1\n",
	  -EINVAL, 0, 0, NULL, "not hex" },
	{ "negative user count", "2 s1 fe800000000000000000000000000000 -1\n",
	  -EINVAL, 0, 0, NULL, "bad user count '-1'" },
};

static void ac_case(const void *p)
{
	const struct ac_row *r = p;
	struct xn_model m = {};
	char msg[200] = "";
	int err;

	err = xn_anycast6_parse(r->text, strlen(r->text), &m, msg, sizeof(msg));
	expect_ll("result", err, r->want_err);
	if (!err) {
		expect_ll("records", (long long)m.anycast6.n, (long long)r->want_n);
		if (r->want_n && m.anycast6.n == r->want_n) {
			expect_ll("last ifindex", m.anycast6.v[r->want_n - 1].ifindex,
				  r->want_ifindex);
			expect_ip6("last address", m.anycast6.v[r->want_n - 1].addr, r->want_addr);
		}
	} else if (!strstr(msg, r->want_msg)) {
		fprintf(stderr, "    error message '%s' does not contain '%s'\n", msg,
			r->want_msg);
		mismatches++;
	}
	xn_model_free(&m);
}

/* ---- strict integers (/proc/sys values) ------------------------------------------------- */

struct int_row {
	const char *name, *text;
	int want_err, want;
};

static const struct int_row int_rows[] = {
	{ "value with the newline /proc adds", "1\n", 0, 1 },
	{ "negative", "-1", 0, -1 },
	{ "explicit plus", "+7\n", 0, 7 },
	{ "INT_MIN", "-2147483648", 0, INT_MIN },
	{ "empty", "", -EINVAL, 0 },
	{ "leading blank", " 1", -EINVAL, 0 },
	{ "two numbers (a vector sysctl)", "1 2", -EINVAL, 0 },
	{ "two newlines", "1\n\n", -EINVAL, 0 },
	{ "trailing garbage", "12abc", -EINVAL, 0 },
	{ "sign only", "-", -EINVAL, 0 },
	{ "above INT_MAX", "2147483648", -ERANGE, 0 },
	{ "far above", "99999999999999999999999", -ERANGE, 0 },
};

static void int_case(const void *p)
{
	const struct int_row *r = p;
	int v = 12345, err = xn_parse_int(r->text, &v);

	expect_ll("result", err, r->want_err);
	expect_ll("value", v, err ? 12345 : r->want);
}

/* ---- xn_ifaddr4 values (peer) and fib_ifindex ------------------------------------------- */

static void ifaddrs_peer_case(const void *p)
{
	static const struct a4 in[] = {
		{ 2, "10.1.0.1", NULL, 24, G }, { 2, "10.1.0.5", "10.2.0.1", 32, G },
		{ 3, "10.3.0.1", NULL, 24, G }, { 0 },
	};
	struct xn_addr_rec addrs[4];
	struct xn_model m = {};
	struct xn_ifaddrs4 v;

	(void)p;
	m.addrs.v = addrs;
	m.addrs.n = fill_addrs4(in, ARRAY_LEN(in), addrs);
	expect_ll("total on s1", xn_model_ifaddrs(&m, 2, &v), 2);
	expect_ll("count", v.count, 2);
	expect_ll("a[0].addr", v.a[0].addr, v4("10.1.0.1"));
	expect_ll("a[0].peer (not p2p)", v.a[0].peer, 0);
	expect_ll("a[1].addr = ifa_local", v.a[1].addr, v4("10.1.0.5"));
	expect_ll("a[1].peer = ifa_address", v.a[1].peer, v4("10.2.0.1"));
	expect_ll("a[1].prefixlen", v.a[1].prefixlen, 32);
	expect_ll("a[1].flags (IFA_F_PERMANENT low byte)", v.a[1].flags, IFA_F_PERMANENT);
	expect_ll("a[2] unused", v.a[2].addr, 0);
}

static void ifaddrs_many_case(const void *p)
{
	static struct xn_addr_rec many[40];
	struct xn_model m = {};
	struct xn_ifaddrs4 v;
	int i;

	(void)p;
	for (i = 0; i < 40; i++) {
		memset(&many[i], 0, sizeof(many[i]));
		many[i].ifindex = 5;
		many[i].local = many[i].address = htonl(0x0a000001 + i);
		many[i].prefixlen = 8;
		many[i].flags = IFA_F_PERMANENT | IFA_F_NOPREFIXROUTE | (i ? IFA_F_SECONDARY : 0);
	}
	m.addrs.v = many;
	m.addrs.n = 40;
	expect_ll("total (the caller reports > 32)", xn_model_ifaddrs(&m, 5, &v), 40);
	expect_ll("count capped", v.count, XN_IFADDR4_MAX);
	expect_ll("a[31] is the 32nd", v.a[31].addr, htonl(0x0a000001 + 31));
	expect_ll("a[1].flags low byte (secondary)", v.a[1].flags, IFA_F_PERMANENT | IFA_F_SECONDARY);
}

static void fib_ifindex_case(const void *p)
{
	struct xn_link_rec links[3] = {};
	struct xn_model m = {};

	(void)p;
	links[0].ifindex = 2;
	links[1].ifindex = 3;
	links[2].ifindex = 1;
	links[2].ifi_flags = IFF_LOOPBACK;
	for (int i = 0; i < 3; i++) {
		links[i].ipv4 = true;
		xn_ipv4_conf_defaults(&links[i].conf);
	}
	m.links.v = links;
	m.links.n = 3;
	expect_ll("no forwarding anywhere", xn_model_fib_ifindex(&m), 0);
	links[1].conf.forwarding = 1;
	expect_ll("s2 forwards", xn_model_fib_ifindex(&m), 3);
	links[2].conf.forwarding = 1;
	expect_ll("lo forwards too: preferred", xn_model_fib_ifindex(&m), 1);
	links[2].ipv4 = false;
	expect_ll("lo without an in_device does not count", xn_model_fib_ifindex(&m), 3);
}

static void fib6_ifindex_case(const void *p)
{
	struct xn_link_rec links[3] = {};
	struct xn_model m = {};

	(void)p;
	links[0].ifindex = 2;
	links[1].ifindex = 3;
	links[2].ifindex = 1;
	links[2].ifi_flags = IFF_LOOPBACK;
	for (int i = 0; i < 3; i++) {
		links[i].ipv4 = links[i].ipv6 = true;
		xn_ipv4_conf_defaults(&links[i].conf);
		xn_ipv6_conf_defaults(&links[i].conf6);
	}
	m.links.v = links;
	m.links.n = 3;
	xn_ipv6_conf_defaults(&m.all6);
	m.all6.forwarding = 1;
	expect_ll("all.forwarding alone does not count (device value)", xn_model_fib6_ifindex(&m), 0);
	links[0].conf.forwarding = 1;
	expect_ll("IPv4 forwarding does not count", xn_model_fib6_ifindex(&m), 0);
	links[1].conf6.forwarding = 1;
	expect_ll("s2 forwards IPv6", xn_model_fib6_ifindex(&m), 3);
	links[2].conf6.forwarding = 1;
	expect_ll("lo forwards too: preferred", xn_model_fib6_ifindex(&m), 1);
	links[2].ipv6 = false;
	expect_ll("lo without an inet6_dev does not count", xn_model_fib6_ifindex(&m), 3);
	expect_ll("fib_ifindex unchanged (IPv4 s1)", xn_model_fib_ifindex(&m), 2);
}

/* ---- probe frames (ARPTX-4, ND-TX4, neigh_app_ns) ------------------------------------- */

static void expect_bytes(const char *what, const __u8 *got, const __u8 *want, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (got[i] == want[i])
			continue;
		fprintf(stderr, "    %s: byte %zu is 0x%02x, expected 0x%02x\n", what, i, got[i],
			want[i]);
		mismatches++;
		return;
	}
}

static const __u8 mac_s1[6] = { 2, 0, 0, 0, 0x0a, 1 }, mac_peer[6] = { 2, 0, 0, 0, 0x0a, 2 };

static void arp_request_case(const void *p)
{
	/* Ethernet broadcast, ARP request, sha s1, spa 10.1.0.1, tha 0, tpa 10.1.0.99 */
	static const __u8 want_bcast[XN_ARP_FRAME_LEN] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0, 0x0a, 1, 0x08, 0x06,
		0x00, 0x01, 0x08, 0x00, 6, 4, 0x00, 0x01,
		2, 0, 0, 0, 0x0a, 1, 10, 1, 0, 1,
		0, 0, 0, 0, 0, 0, 10, 1, 0, 99,
	};
	__u8 f[64];
	size_t n;

	(void)p;
	memset(f, 0xa5, sizeof(f));
	n = xn_arp_request_build(f, sizeof(f), mac_s1, NULL, v4("10.1.0.1"), v4("10.1.0.99"));
	expect_ll("broadcast: length (no padding, as arp_create())", n, 42);
	expect_bytes("broadcast frame", f, want_bcast, sizeof(want_bcast));
	n = xn_arp_request_build(f, sizeof(f), mac_s1, mac_peer, v4("10.1.0.1"), v4("10.1.0.99"));
	expect_ll("unicast: length", n, 42);
	expect_bytes("unicast: Ethernet destination = cached MAC", f, mac_peer, 6);
	expect_bytes("unicast: rest as the broadcast one", f + 6, want_bcast + 6, 36);
	expect_ll("unicast: tha still zero", f[32] | f[33] | f[34] | f[35] | f[36] | f[37], 0);
	expect_ll("buffer too small", xn_arp_request_build(f, 41, mac_s1, NULL, 0, 0), 0);
}

/* RFC 8200 8.1 / RFC 1071, written out independently of probe.c: the sum
 * over the pseudo-header and the whole message, checksum included, is
 * 0xffff when the checksum is right. */
static unsigned int ones_sum(const __u8 *ip6, const __u8 *icmp, size_t len)
{
	unsigned long sum = 0;
	size_t i;

	for (i = 8; i < 40; i += 2)		/* source and destination */
		sum += (unsigned int)ip6[i] << 8 | ip6[i + 1];
	sum += len;				/* upper-layer length */
	sum += 58;				/* next header */
	for (i = 0; i < len; i += 2)
		sum += (unsigned int)icmp[i] << 8 | (i + 1 < len ? icmp[i + 1] : 0);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (unsigned int)sum;
}

static void ns_case(const void *p)
{
	__u8 f[128], saddr[16], target[16], sn[16];
	const __u8 *ip, *icmp;
	static const __u8 mmac[6] = { 0x33, 0x33, 0xff, 0x00, 0x00, 0x99 };
	size_t n;

	(void)p;
	v6("fe80::ff:fe00:a01", saddr);
	v6("2001:db8:1::99", target);
	memset(f, 0xa5, sizeof(f));
	n = xn_ns_build(f, sizeof(f), mac_s1, NULL, saddr, target, 0);
	ip = f + 14;
	icmp = ip + 40;
	expect_ll("length: 14 + 40 + 24 + 8", n, 86);
	expect_bytes("Ethernet dst 33:33:ff:00:00:99", f, mmac, 6);
	expect_bytes("Ethernet src", f + 6, mac_s1, 6);
	expect_ll("ethertype", f[12] << 8 | f[13], 0x86dd);
	expect_ll("version/class", ip[0], 0x60);
	expect_ll("payload length", ip[4] << 8 | ip[5], 32);
	expect_ll("next header ICMPv6", ip[6], 58);
	expect_ll("hop limit 255 (ND-TX3)", ip[7], 255);
	expect_ip6("source", ip + 8, "fe80::ff:fe00:a01");
	expect_ip6("destination: solicited-node group", ip + 24, "ff02::1:ff00:99");
	expect_ll("type 135", icmp[0], 135);
	expect_ll("code 0", icmp[1], 0);
	expect_ll("reserved", icmp[4] | icmp[5] | icmp[6] | icmp[7], 0);
	expect_ip6("target", icmp + 8, "2001:db8:1::99");
	expect_ll("option: SLLAO, 8 bytes", icmp[24] << 8 | icmp[25], 0x0101);
	expect_bytes("SLLAO = s1's MAC", icmp + 26, mac_s1, 6);
	expect_ll("checksum verifies", ones_sum(ip, icmp, 32), 0xffff);

	xn_ipv6_solicited_node(target, sn);
	expect_ip6("xn_ipv6_solicited_node()", sn, "ff02::1:ff00:99");

	/* unicast, with a traffic class: to the target itself at its MAC */
	n = xn_ns_build(f, sizeof(f), mac_s1, mac_peer, saddr, target, 0xb8);
	expect_ll("unicast length", n, 86);
	expect_bytes("unicast: Ethernet dst = cached MAC", f, mac_peer, 6);
	expect_ip6("unicast: destination = target", ip + 24, "2001:db8:1::99");
	expect_ll("tclass 0xb8: first byte", ip[0], 0x6b);
	expect_ll("tclass 0xb8: second byte", ip[1], 0x80);
	expect_ll("unicast checksum verifies", ones_sum(ip, icmp, 32), 0xffff);
	expect_ll("buffer too small", xn_ns_build(f, 85, mac_s1, NULL, saddr, target, 0), 0);
}

struct app_attrs {
	const struct nlattr *a[NDA_MAX + 1];
};

static int app_attr_cb(const struct nlattr *attr, void *data)
{
	struct app_attrs *t = data;
	int type = mnl_attr_get_type(attr);

	if (type <= NDA_MAX)
		t->a[type] = attr;
	return MNL_CB_OK;
}

static void app_probe_case(const void *p)
{
	char buf[256] __attribute__((aligned(4)));
	const __u64 S = 1000000000ull;
	struct xn_nud_key k = { .family = AF_INET, .ifindex = 2 };
	struct xn_neigh v = { .state = NUD_INCOMPLETE, .flags = 0,
			      .confirmed = 40 * S, .updated = 99 * S, .used = 98 * S };
	const struct nda_cacheinfo *ci;
	struct app_attrs t = {};
	struct nlmsghdr *nlh;
	struct ndmsg *ndm;
	size_t n;

	(void)p;
	memcpy(k.addr, (__u8[]){ 10, 1, 0, 99 }, 4);
	n = xn_app_probe_build(buf, sizeof(buf), &k, &v, 3, 100 * S);
	nlh = (struct nlmsghdr *)buf;
	expect_ll("length = nlmsg_len", n, nlh->nlmsg_len);
	expect_ll("type RTM_GETNEIGH", nlh->nlmsg_type, RTM_GETNEIGH);
	expect_ll("flags NLM_F_REQUEST", nlh->nlmsg_flags, NLM_F_REQUEST);
	ndm = mnl_nlmsg_get_payload(nlh);
	expect_ll("family", ndm->ndm_family, AF_INET);
	expect_ll("ifindex", ndm->ndm_ifindex, 2);
	expect_ll("state", ndm->ndm_state, NUD_INCOMPLETE);
	expect_ll("type RTN_UNICAST", ndm->ndm_type, RTN_UNICAST);
	mnl_attr_parse(nlh, sizeof(*ndm), app_attr_cb, &t);
	expect_ll("NDA_DST present", t.a[NDA_DST] != NULL, 1);
	if (t.a[NDA_DST]) {
		expect_ll("NDA_DST length", mnl_attr_get_payload_len(t.a[NDA_DST]), 4);
		expect_bytes("NDA_DST", mnl_attr_get_payload(t.a[NDA_DST]), k.addr, 4);
	}
	expect_ll("no NDA_LLADDR while not valid", t.a[NDA_LLADDR] != NULL, 0);
	expect_ll("NDA_PROBES",
		  t.a[NDA_PROBES] ? (long long)mnl_attr_get_u32(t.a[NDA_PROBES]) : -1, 3);
	ci = t.a[NDA_CACHEINFO] ? mnl_attr_get_payload(t.a[NDA_CACHEINFO]) : NULL;
	expect_ll("NDA_CACHEINFO present", ci != NULL, 1);
	if (ci) {
		expect_ll("confirmed 60 s ago, in USER_HZ", ci->ndm_confirmed, 6000);
		expect_ll("used 2 s ago", ci->ndm_used, 200);
		expect_ll("updated 1 s ago", ci->ndm_updated, 100);
	}
	/* a PROBE entry carries its address */
	v.state = NUD_PROBE;
	memcpy(v.lladdr, mac_peer, 6);
	memset(&t, 0, sizeof(t));
	xn_app_probe_build(buf, sizeof(buf), &k, &v, 3, 100 * S);
	mnl_attr_parse(nlh, sizeof(*ndm), app_attr_cb, &t);
	expect_ll("PROBE: NDA_LLADDR present", t.a[NDA_LLADDR] != NULL, 1);
	if (t.a[NDA_LLADDR])
		expect_bytes("PROBE: NDA_LLADDR", mnl_attr_get_payload(t.a[NDA_LLADDR]), mac_peer, 6);
}

/* Every net.ipv{4,6}.neigh key xneighd mirrors is one the NUD engine takes,
 * in the unit /proc uses, and the defaults agree with the engine's. */
static void neigh_nud_keys_case(const void *p)
{
	struct xn_neigh_parms raw;
	struct xn_nud_parms a, b;
	int fam;

	(void)p;
	for (fam = AF_INET; fam <= AF_INET6; fam += AF_INET6 - AF_INET) {
		xn_neigh_parms_defaults(&raw, fam);
		xn_nud_parms_default(fam, &a);
		memset(&b, 0xa5, sizeof(b));
		xn_nud_parms_default(fam, &b);
#define K(file, field)								\
		expect_ll("xn_nud_parms_sysctl() knows " file,				\
			  xn_nud_parms_sysctl(&b, file, raw.field), 0);
		XN_NEIGH_NUD_KEYS(K)
#undef K
		expect_ll(fam == AF_INET ? "IPv4 defaults from /proc units equal the engine's" :
					   "IPv6 defaults from /proc units equal the engine's",
			  memcmp(&a, &b, sizeof(a)), 0);
	}
}

/* ---- event lines and their rate limit ---------------------------------------------------- */

struct ev_row {
	const char *name;
	__u8 type, family, old_state, new_state, flags;
	const char *addr;
	__u8 old_ll[6], new_ll[6];
	const char *want;
};

#define MAC9	{ 2, 0, 0, 0, 0, 9 }
#define MAC8	{ 2, 0, 0, 0, 0, 8 }

static const struct ev_row ev_rows[] = {
	{ "IPv4 conflict", XN_EV_CONFLICT, AF_INET, 0, 0, 0, "10.1.0.1", {}, MAC9,
	  "conflict: 10.1.0.1 on dev s1 claimed by 02:00:00:00:00:09 (ARP)" },
	{ "IPv6 conflict (NA for our address)", XN_EV_CONFLICT, AF_INET6, 0, 0, 0,
	  "2001:db8:1::1", {}, MAC9,
	  "conflict: 2001:db8:1::1 on dev s1 claimed by 02:00:00:00:00:09 (neighbor discovery)" },
	{ "DAD conflict with the claimant's MAC", XN_EV_DAD_CONFLICT, AF_INET6, 0, 0, 0,
	  "2001:db8:1::5", {}, MAC9,
	  "DAD conflict: 2001:db8:1::5 on dev s1 claimed by 02:00:00:00:00:09" },
	{ "DAD conflict from a DAD probe (no link-layer address)", XN_EV_DAD_CONFLICT, AF_INET6,
	  0, 0, 0, "2001:db8:1::5", {}, {},
	  "DAD conflict: 2001:db8:1::5 on dev s1 claimed by another node (duplicate address "
	  "detection probe, no link-layer address)" },
	{ "created, router", XN_EV_CREATED, AF_INET6, NUD_NONE, NUD_STALE, XN_NTF_ROUTER,
	  "fe80::9", {}, MAC9, "fe80::9 dev s1 lladdr 02:00:00:00:00:09 router STALE" },
	{ "state change", XN_EV_STATE, AF_INET, NUD_STALE, NUD_REACHABLE, 0, "10.1.0.9", {}, MAC9,
	  "10.1.0.9 dev s1 lladdr 02:00:00:00:00:09 REACHABLE (was STALE)" },
	{ "lladdr change", XN_EV_LLADDR, AF_INET, NUD_REACHABLE, NUD_STALE, 0, "10.1.0.9", MAC8, MAC9,
	  "10.1.0.9 dev s1 lladdr 02:00:00:00:00:09 STALE (was lladdr 02:00:00:00:00:08 REACHABLE)" },
	{ "table full", XN_EV_TABLE_FULL, AF_INET, 0, 0, 0, "10.1.0.9", {}, MAC9,
	  "table full: 10.1.0.9 dev s1 lladdr 02:00:00:00:00:09 not learned" },
};

static void ev_case(const void *p)
{
	const struct ev_row *r = p;
	struct xn_event ev = { .type = r->type, .family = r->family, .old_state = r->old_state,
			       .new_state = r->new_state, .flags = r->flags };
	char line[256];

	if (r->family == AF_INET) {
		__be32 a = v4(r->addr);

		memcpy(ev.addr, &a, 4);
	} else {
		v6(r->addr, ev.addr);
	}
	memcpy(ev.old_lladdr, r->old_ll, 6);
	memcpy(ev.new_lladdr, r->new_ll, 6);
	xn_event_format(&ev, "s1", line, sizeof(line));
	expect_str("line", line, r->want);
}

static void ratelimit_case(const void *p)
{
	const __u64 t0 = 1000000000ull;
	struct xn_ratelimit rl = {};
	unsigned int missed, ok = 0, i;

	(void)p;
	for (i = 0; i < 25; i++)
		ok += xn_ratelimit_ok(&rl, t0 + i * 1000, &missed);
	expect_ll("printed in the first 5 s", ok, XN_RATELIMIT_BURST);
	expect_ll("suppressed, not yet reported", missed, 0);
	expect_ll("still suppressed just before the interval ends",
		  xn_ratelimit_ok(&rl, t0 + XN_RATELIMIT_INTERVAL_NS - 1, &missed), 0);
	expect_ll("next interval: printed", xn_ratelimit_ok(&rl, t0 + XN_RATELIMIT_INTERVAL_NS,
							   &missed), 1);
	expect_ll("... and reports what was suppressed", missed, 25 - XN_RATELIMIT_BURST + 1);
}

/* ---- xn_route4: table main as LPM entries, and when the data plane may trust it ------------ */

/* Fixture routes. Interfaces: s1 = 2, s2 = 3, s3 = 4, s4 = 5, s5 = 6.
 * Nexthop objects (nh_fixture): 1 -> s1, 2 -> s2, 10 = group {1, 2},
 * 11 = group of 5 members, 12 = group {1, 99} (99 does not exist),
 * 13 = blackhole. */
struct rt4 {
	__u32 table;			/* 0 ends a list */
	const char *dst;
	__u8 len, tos, type;
	__u32 flags, metric, nh_id, nhs, alive;
	__u32 oif[XN_ROUTE4_NH_MAX];
};

#define MAIN	RT_TABLE_MAIN
#define DFLT	RT_TABLE_DEFAULT
#define LOCT	RT_TABLE_LOCAL
#define UNI	RTN_UNICAST
#define DEAD	RTNH_F_DEAD

static size_t fill_rt4(const struct rt4 *in, size_t max, struct xn_rt4_rec *out)
{
	size_t n;

	for (n = 0; n < max && in[n].table; n++) {
		memset(&out[n], 0, sizeof(out[n]));
		out[n].table = in[n].table;
		out[n].dst = v4(in[n].dst);
		out[n].dst_len = in[n].len;
		out[n].tos = in[n].tos;
		out[n].type = in[n].type;
		out[n].flags = in[n].flags;
		out[n].priority = in[n].metric;
		out[n].nh_id = in[n].nh_id;
		out[n].nhs = in[n].nhs;
		out[n].alive = in[n].alive;
		memcpy(out[n].oif, in[n].oif, sizeof(out[n].oif));
	}
	return n;
}

static struct xn_nh_rec nh_fixture[] = {
	{ .id = 1, .oif = 2 },
	{ .id = 2, .oif = 3 },
	{ .id = 10, .group = true, .ngrp = 2, .grp = { 1, 2 } },
	{ .id = 11, .group = true, .ngrp = 5, .grp = { 1, 2, 1, 2 } },
	{ .id = 12, .group = true, .ngrp = 2, .grp = { 1, 99 } },
	{ .id = 13, .blackhole = true },
};

struct r4val_row {
	const char *name;
	struct rt4 r;
	bool nh_unknown;		/* the nexthop dump failed */
	bool want_ok;
	__u8 want_plen;
	const char *want_addr;
	__u8 want_type, want_nhs;
	__u32 want_oif[XN_ROUTE4_NH_MAX];
};

static const struct r4val_row r4val_rows[] = {
	{ "unicast, one next hop",
	  { MAIN, "10.1.0.0", 24, 0, UNI, 0, 0, 0, 1, 1, { 2 } }, false,
	  true, 24, "10.1.0.0", UNI, 1, { 2 } },
	{ "the key is masked to the prefix",
	  { MAIN, "10.1.7.9", 16, 0, UNI, 0, 0, 0, 1, 1, { 2 } }, false,
	  true, 16, "10.1.0.0", UNI, 1, { 2 } },
	{ "default route: prefixlen 0, address 0",
	  { MAIN, NULL, 0, 0, UNI, 0, 0, 0, 1, 1, { 3 } }, false,
	  true, 0, NULL, UNI, 1, { 3 } },
	{ "tos != 0: never matches ARP's tos-0 lookups",
	  { MAIN, "10.1.0.0", 24, 0x10, UNI, 0, 0, 0, 1, 1, { 2 } }, false,
	  false, 0, NULL, 0, 0, {} },
	{ "table default is not mirrored",
	  { DFLT, "10.1.0.0", 24, 0, UNI, 0, 0, 0, 1, 1, { 2 } }, false,
	  false, 0, NULL, 0, 0, {} },
	{ "table local is not mirrored",
	  { LOCT, "10.7.0.0", 16, 0, RTN_LOCAL, 0, 0, 0, 1, 1, { 1 } }, false,
	  false, 0, NULL, 0, 0, {} },
	{ "blackhole: type, no next hop",
	  { MAIN, "10.6.0.0", 16, 0, RTN_BLACKHOLE, 0, 0, 0, 0, 0, {} }, false,
	  true, 16, "10.6.0.0", RTN_BLACKHOLE, 0, {} },
	{ "unreachable",
	  { MAIN, "10.6.0.0", 16, 0, RTN_UNREACHABLE, 0, 0, 0, 0, 0, {} }, false,
	  true, 16, "10.6.0.0", RTN_UNREACHABLE, 0, {} },
	{ "prohibit",
	  { MAIN, "10.6.0.0", 16, 0, RTN_PROHIBIT, 0, 0, 0, 0, 0, {} }, false,
	  true, 16, "10.6.0.0", RTN_PROHIBIT, 0, {} },
	{ "throw",
	  { MAIN, "10.6.0.0", 16, 0, RTN_THROW, 0, 0, 0, 0, 0, {} }, false,
	  true, 16, "10.6.0.0", RTN_THROW, 0, {} },
	{ "local route in main keeps its type and device",
	  { MAIN, "10.5.0.1", 32, 0, RTN_LOCAL, 0, 0, 0, 1, 1, { 1 } }, false,
	  true, 32, "10.5.0.1", RTN_LOCAL, 1, { 1 } },
	{ "multipath: every device",
	  { MAIN, "10.2.0.0", 24, 0, UNI, 0, 0, 0, 2, 2, { 2, 3 } }, false,
	  true, 24, "10.2.0.0", UNI, 2, { 2, 3 } },
	{ "multipath, four next hops: all fit",
	  { MAIN, "10.2.0.0", 24, 0, UNI, 0, 0, 0, 4, 4, { 2, 3, 4, 5 } }, false,
	  true, 24, "10.2.0.0", UNI, 4, { 2, 3, 4, 5 } },
	{ "multipath, six next hops: nhs 6 (unknown), no devices",
	  { MAIN, "10.2.0.0", 24, 0, UNI, 0, 0, 0, 6, 6, { 2, 3, 4, 5 } }, false,
	  true, 24, "10.2.0.0", UNI, 6, {} },
	{ "multipath, 300 next hops: nhs saturates at 255",
	  { MAIN, "10.2.0.0", 24, 0, UNI, 0, 0, 0, 300, 300, { 2, 3, 4, 5 } }, false,
	  true, 24, "10.2.0.0", UNI, 255, {} },
	{ "multipath with one dead next hop: the dead one still counts (fib_info_nh_uses_dev)",
	  { MAIN, "10.2.0.0", 24, 0, UNI, 0, 0, 0, 2, 1, { 2, 3 } }, false,
	  true, 24, "10.2.0.0", UNI, 2, { 2, 3 } },
	{ "multipath, all dead: skipped",
	  { MAIN, "10.2.0.0", 24, 0, UNI, DEAD, 0, 0, 2, 0, { 2, 3 } }, false,
	  false, 0, NULL, 0, 0, {} },
	{ "one dead next hop: skipped",
	  { MAIN, "10.2.0.0", 24, 0, UNI, DEAD, 0, 0, 1, 0, { 2 } }, false,
	  false, 0, NULL, 0, 0, {} },
	{ "nexthop object listed by the dump (compat mode): as a plain route",
	  { MAIN, "10.3.0.0", 24, 0, UNI, 0, 0, 10, 2, 2, { 2, 3 } }, false,
	  true, 24, "10.3.0.0", UNI, 2, { 2, 3 } },
	{ "nexthop object, all listed next hops dead: unknown (the leaf is abandoned)",
	  { MAIN, "10.3.0.0", 24, 0, UNI, 0, 0, 10, 2, 0, { 2, 3 } }, false,
	  true, 24, "10.3.0.0", UNI, 0, {} },
	{ "nexthop object, route dead: skipped",
	  { MAIN, "10.3.0.0", 24, 0, UNI, DEAD, 0, 10, 2, 0, { 2, 3 } }, false,
	  false, 0, NULL, 0, 0, {} },
	{ "nexthop object not listed, single: resolved",
	  { MAIN, "10.3.0.0", 24, 0, UNI, 0, 0, 2, 0, 0, {} }, false,
	  true, 24, "10.3.0.0", UNI, 1, { 3 } },
	{ "nexthop group not listed: every member's device",
	  { MAIN, "10.3.0.0", 24, 0, UNI, 0, 0, 10, 0, 0, {} }, false,
	  true, 24, "10.3.0.0", UNI, 2, { 2, 3 } },
	{ "nexthop group of five: nhs 5 (unknown)",
	  { MAIN, "10.3.0.0", 24, 0, UNI, 0, 0, 11, 0, 0, {} }, false,
	  true, 24, "10.3.0.0", UNI, 5, {} },
	{ "nexthop group with a missing member: unknown",
	  { MAIN, "10.3.0.0", 24, 0, UNI, 0, 0, 12, 0, 0, {} }, false,
	  true, 24, "10.3.0.0", UNI, 0, {} },
	{ "unknown nexthop id: unknown",
	  { MAIN, "10.3.0.0", 24, 0, UNI, 0, 0, 77, 0, 0, {} }, false,
	  true, 24, "10.3.0.0", UNI, 0, {} },
	{ "nexthop dump failed: unknown",
	  { MAIN, "10.3.0.0", 24, 0, UNI, 0, 0, 1, 0, 0, {} }, true,
	  true, 24, "10.3.0.0", UNI, 0, {} },
	{ "blackhole nexthop object (the dump says type blackhole)",
	  { MAIN, "10.3.0.0", 24, 0, RTN_BLACKHOLE, 0, 0, 13, 0, 0, {} }, false,
	  true, 24, "10.3.0.0", RTN_BLACKHOLE, 0, {} },
};

static void r4val_case(const void *p)
{
	const struct r4val_row *r = p;
	struct xn_model m = {};
	struct xn_rt4_rec rec;
	struct xn_route4_key k;
	struct xn_route4 v;
	char a[INET_ADDRSTRLEN], w[INET_ADDRSTRLEN];
	bool ok;
	int i;

	m.nexthops.v = nh_fixture;
	m.nexthops.n = ARRAY_LEN(nh_fixture);
	m.nexthops_known = !r->nh_unknown;
	fill_rt4(&r->r, 1, &rec);
	ok = xn_route4_value(&m, &rec, &k, &v);
	expect_ll("written", ok, r->want_ok);
	if (!ok || !r->want_ok)
		return;
	expect_ll("key.prefixlen", k.prefixlen, r->want_plen);
	if (k.addr != v4(r->want_addr))
		expect_str("key.addr", v4str(k.addr, a), v4str(v4(r->want_addr), w));
	expect_ll("type", v.type, r->want_type);
	expect_ll("nhs", v.nhs, r->want_nhs);
	expect_ll("pad", v.pad, 0);
	for (i = 0; i < XN_ROUTE4_NH_MAX; i++) {
		char what[16];

		snprintf(what, sizeof(what), "oif[%d]", i);
		expect_ll(what, v.oif[i], r->want_oif[i]);
	}
}

/* Whole tables: which alias of each prefix the mirror holds. */
struct r4want {
	const char *dst;		/* NULL: 0.0.0.0 */
	__u8 len, type, nhs;
	__u32 oif0;
};

struct r4sel_row {
	const char *name;
	struct rt4 in[8];
	size_t nwant;
	struct r4want want[6];		/* sorted by prefixlen, then address */
};

static const struct r4sel_row r4sel_rows[] = {
	{ "same prefix, two metrics: the lowest wins, whatever the dump order",
	  { { MAIN, "10.9.0.0", 16, 0, UNI, 0, 50, 0, 1, 1, { 3 } },
	    { MAIN, "10.9.0.0", 16, 0, UNI, 0, 10, 0, 1, 1, { 2 } } },
	  1, { { "10.9.0.0", 16, UNI, 1, 2 } } },
	{ "same prefix, same metric: the first in dump order (fib_alias list)",
	  { { MAIN, "10.1.0.0", 24, 0, UNI, 0, 0, 0, 1, 1, { 2 } },
	    { MAIN, "10.1.0.0", 24, 0, UNI, 0, 0, 0, 1, 1, { 4 } } },
	  1, { { "10.1.0.0", 24, UNI, 1, 2 } } },
	{ "the lowest metric is dead: the next alias",
	  { { MAIN, "10.9.0.0", 16, 0, UNI, DEAD, 10, 0, 1, 0, { 2 } },
	    { MAIN, "10.9.0.0", 16, 0, UNI, 0, 50, 0, 1, 1, { 3 } } },
	  1, { { "10.9.0.0", 16, UNI, 1, 3 } } },
	{ "every alias dead: no entry, a shorter prefix answers",
	  { { MAIN, NULL, 0, 0, UNI, 0, 0, 0, 1, 1, { 4 } },
	    { MAIN, "10.9.0.0", 16, 0, UNI, DEAD, 10, 0, 1, 0, { 2 } } },
	  1, { { NULL, 0, UNI, 1, 4 } } },
	{ "an unreachable route with the lowest metric shadows a unicast one",
	  { { MAIN, "10.9.0.0", 16, 0, UNI, 0, 50, 0, 1, 1, { 3 } },
	    { MAIN, "10.9.0.0", 16, 0, RTN_UNREACHABLE, 0, 5, 0, 0, 0, {} } },
	  1, { { "10.9.0.0", 16, RTN_UNREACHABLE, 0, 0 } } },
	{ "a tos route is ignored even with a lower metric",
	  { { MAIN, "10.9.0.0", 16, 0x10, UNI, 0, 0, 0, 1, 1, { 3 } },
	    { MAIN, "10.9.0.0", 16, 0, UNI, 0, 100, 0, 1, 1, { 2 } } },
	  1, { { "10.9.0.0", 16, UNI, 1, 2 } } },
	{ "one address, two prefix lengths: two entries; other tables left out",
	  { { MAIN, "10.0.0.0", 8, 0, UNI, 0, 0, 0, 1, 1, { 2 } },
	    { DFLT, "10.0.0.0", 12, 0, UNI, 0, 0, 0, 1, 1, { 5 } },
	    { MAIN, "10.0.0.0", 16, 0, UNI, 0, 0, 0, 1, 1, { 3 } },
	    { LOCT, "10.0.0.0", 24, 0, RTN_LOCAL, 0, 0, 0, 1, 1, { 1 } },
	    { MAIN, "192.168.0.0", 16, 0, UNI, 0, 0, 0, 1, 1, { 4 } } },
	  3, { { "10.0.0.0", 8, UNI, 1, 2 }, { "10.0.0.0", 16, UNI, 1, 3 },
	    { "192.168.0.0", 16, UNI, 1, 4 } } },
	{ "empty table main: empty mirror",
	  { { DFLT, "10.0.0.0", 8, 0, UNI, 0, 0, 0, 1, 1, { 2 } } },
	  0, {} },
};

static void r4sel_case(const void *p)
{
	const struct r4sel_row *r = p;
	struct xn_rt4_rec recs[ARRAY_LEN(r->in)];
	struct xn_route4_ent *e = NULL;
	struct xn_model m = {};
	size_t nwant = r->nwant;
	int n, i;

	m.routes4.v = recs;
	m.routes4.n = fill_rt4(r->in, ARRAY_LEN(r->in), recs);
	n = xn_model_route4(&m, &e);
	expect_ll("entries", n, (long long)nwant);
	for (i = 0; i < n && (size_t)i < nwant; i++) {
		const struct r4want *w = &r->want[i];
		char what[48], a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN];

		snprintf(what, sizeof(what), "entry %d prefix", i);
		if (e[i].k.prefixlen != w->len || e[i].k.addr != v4(w->dst)) {
			char got[40], want[40];

			snprintf(got, sizeof(got), "%s/%u", v4str(e[i].k.addr, a), e[i].k.prefixlen);
			snprintf(want, sizeof(want), "%s/%u", v4str(v4(w->dst), b), w->len);
			expect_str(what, got, want);
		}
		snprintf(what, sizeof(what), "entry %d type", i);
		expect_ll(what, e[i].v.type, w->type);
		snprintf(what, sizeof(what), "entry %d nhs", i);
		expect_ll(what, e[i].v.nhs, w->nhs);
		snprintf(what, sizeof(what), "entry %d oif[0]", i);
		expect_ll(what, e[i].v.oif[0], w->oif0);
	}
	free(e);
}

/* Policy rules. */
#define RULE(pref, table)	{ pref, table, FR_ACT_TO_TBL, 0, 0, 0, 0, false }
#define RULES_DEFAULT		RULE(0, LOCT), RULE(32766, MAIN), RULE(32767, DFLT)

struct rules_row {
	const char *name;
	struct xn_rule4_rec rules[5];
	size_t n;
	bool want;
	const char *want_why;		/* the reason, word for word */
};

static const struct rules_row rules_rows[] = {
	{ "the kernel's three defaults", { RULES_DEFAULT }, 3, true, "" },
	{ "FIB_RULE_PERMANENT on a default rule changes nothing",
	  { RULE(0, LOCT), { 32766, MAIN, FR_ACT_TO_TBL, 0, 0, 0, FIB_RULE_PERMANENT, false },
	    RULE(32767, DFLT) }, 3, true, "" },
	{ "ip rule add from 10.9.9.9 table 100",
	  { RULE(0, LOCT), { 32765, 100, FR_ACT_TO_TBL, 32, 0, 0, 0, false },
	    RULE(32766, MAIN), RULE(32767, DFLT) }, 4, false,
	  "policy rule 'pref 32765 lookup 100' (with selectors) is not one of the kernel's defaults" },
	{ "a plain extra rule (ip rule add pref 100 table 100)",
	  { RULE(0, LOCT), RULE(100, 100), RULE(32766, MAIN), RULE(32767, DFLT) }, 4, false,
	  "policy rule 'pref 100 lookup 100' is not one of the kernel's defaults" },
	{ "lookup local moved to pref 1000 (VRF setups)",
	  { RULE(1000, LOCT), RULE(32766, MAIN), RULE(32767, DFLT) }, 3, false,
	  "policy rule 'pref 1000 lookup local' is not one of the kernel's defaults" },
	{ "the main rule with an iif selector",
	  { RULE(0, LOCT), { 32766, MAIN, FR_ACT_TO_TBL, 0, 0, 0, 0, true }, RULE(32767, DFLT) },
	  3, false,
	  "policy rule 'pref 32766 lookup main' (with selectors) is not one of the kernel's defaults" },
	{ "an inverted default rule",
	  { RULE(0, LOCT), { 32766, MAIN, FR_ACT_TO_TBL, 0, 0, 0, FIB_RULE_INVERT, false },
	    RULE(32767, DFLT) }, 3, false,
	  "policy rule 'pref 32766 lookup main' (with selectors) is not one of the kernel's defaults" },
	{ "an unreachable rule",
	  { RULE(0, LOCT), { 200, 0, FR_ACT_UNREACHABLE, 0, 0, 0, 0, false }, RULE(32766, MAIN),
	    RULE(32767, DFLT) }, 4, false,
	  "policy rule 'pref 200' (action 7) is not one of the kernel's defaults" },
	{ "a tos rule",
	  { RULE(0, LOCT), { 10, MAIN, FR_ACT_TO_TBL, 0, 0, 0x10, 0, false }, RULE(32766, MAIN),
	    RULE(32767, DFLT) }, 4, false,
	  "policy rule 'pref 10 lookup main' (with selectors) is not one of the kernel's defaults" },
	{ "lookup default deleted",
	  { RULE(0, LOCT), RULE(32766, MAIN) }, 2, false,
	  "the default policy rule 'pref 32767 lookup default' is missing" },
	{ "lookup main deleted",
	  { RULE(0, LOCT), RULE(32767, DFLT) }, 2, false,
	  "the default policy rule 'pref 32766 lookup main' is missing" },
	{ "no rules at all",
	  { { 0 } }, 0, false, "the default policy rule 'pref 0 lookup local' is missing" },
	{ "a default rule twice",
	  { RULE(0, LOCT), RULE(32766, MAIN), RULE(32766, MAIN), RULE(32767, DFLT) }, 4, false,
	  "policy rule 'pref 32766 lookup main' appears twice" },
};

static void rules_case(const void *p)
{
	const struct rules_row *r = p;
	char why[XN_WHY_LEN_TEST] = "";

	expect_ll("default", xn_rules4_default(r->rules, r->n, why, sizeof(why)), r->want);
	if (!r->want)
		expect_str("why", why, r->want_why);
}

/* The whole decision: rules, tables default and local, complete dumps. */
struct usable_row {
	const char *name;
	struct rt4 routes[6];
	bool custom_rule;		/* ip rule add from 10.9.9.9 table 100 */
	bool rules_unknown, routes_unknown;
	bool want;
	const char *want_why;
};

static const struct usable_row usable_rows[] = {
	{ "defaults, main only",
	  { { MAIN, "10.1.0.0", 24, 0, UNI, 0, 0, 0, 1, 1, { 2 } },
	    { LOCT, "127.0.0.0", 8, 0, RTN_LOCAL, 0, 0, 0, 1, 1, { 1 } } },
	  false, false, false, true, "" },
	{ "a custom rule",
	  { { MAIN, "10.1.0.0", 24, 0, UNI, 0, 0, 0, 1, 1, { 2 } } },
	  true, false, false, false,
	  "policy rule 'pref 32765 lookup 100' (with selectors) is not one of the kernel's defaults" },
	{ "a route in table default",
	  { { MAIN, "10.1.0.0", 24, 0, UNI, 0, 0, 0, 1, 1, { 2 } },
	    { DFLT, "10.8.0.0", 24, 0, UNI, 0, 0, 0, 1, 1, { 2 } } },
	  false, false, false, false, "table default has 1 route" },
	{ "only a tos route in table default: it never matches",
	  { { DFLT, "10.8.0.0", 24, 0x10, UNI, 0, 0, 0, 1, 1, { 2 } } },
	  false, false, false, true, "" },
	{ "tos routes in main do not matter",
	  { { MAIN, "10.8.0.0", 24, 0x10, UNI, 0, 0, 0, 1, 1, { 2 } } },
	  false, false, false, true, "" },
	{ "an AnyIP prefix in table local",
	  { { LOCT, "10.7.0.0", 16, 0, RTN_LOCAL, 0, 0, 0, 1, 1, { 1 } } },
	  false, false, false, false,
	  "table local has 'local 10.7.0.0/16', which xneigh does not mirror" },
	{ "a unicast /32 in table local",
	  { { LOCT, "10.7.0.1", 32, 0, UNI, 0, 0, 0, 1, 1, { 2 } } },
	  false, false, false, false,
	  "table local has 'unicast 10.7.0.1/32', which xneigh does not mirror" },
	{ "the rules could not be read",
	  { { 0 } }, false, true, false, false, "the IPv4 policy rules could not be read" },
	{ "the routes could not be read",
	  { { 0 } }, false, false, true, false, "the IPv4 routing tables could not be read" },
};

static void usable_case(const void *p)
{
	const struct usable_row *r = p;
	struct xn_rule4_rec rules[4] = { RULE(0, LOCT), RULE(32766, MAIN), RULE(32767, DFLT) };
	struct xn_rule4_rec custom = { 32765, 100, FR_ACT_TO_TBL, 32, 0, 0, 0, false };
	struct xn_rt4_rec recs[ARRAY_LEN(r->routes)];
	char why[XN_WHY_LEN_TEST] = "";
	struct xn_model m = {};

	if (r->custom_rule) {
		rules[3] = rules[2];
		rules[2] = rules[1];
		rules[1] = custom;
	}
	m.rules4.v = rules;
	m.rules4.n = r->custom_rule ? 4 : 3;
	m.rules4_known = !r->rules_unknown;
	m.routes4.v = recs;
	m.routes4.n = fill_rt4(r->routes, ARRAY_LEN(r->routes), recs);
	m.routes4_known = !r->routes_unknown;
	expect_ll("usable", xn_route4_usable(&m, why, sizeof(why)), r->want);
	if (!r->want)
		expect_str("why", why, r->want_why);
}

/* ---- the runner ---------------------------------------------------------------------------- */

struct table {
	const char *group;
	const void *rows;
	size_t n, size;
	void (*fn)(const void *row);
};

#define TABLE(g, rows, fn) { g, rows, ARRAY_LEN(rows), sizeof(rows[0]), fn }
#define SINGLE(g, name, fn) { g, name, 1, 0, fn }

static const struct table tables[] = {
	TABLE("ARP-R3 confirm_addr_indev", confirm_rows, confirm_case),
	TABLE("xn_local4 CONFIRM_LINK", local4_rows, local4_case),
	TABLE("sysctl IPv4 all/dev", combine4_rows, combine4_case),
	TABLE("sysctl IPv6 all/dev", combine6_rows, combine6_case),
	TABLE("neigh parms", parms_rows, parms_case),
	TABLE("xn_ifconf flags", flags_rows, flags_case),
	TABLE("ND-TX1 NA source", src6_rows, src6_case),
	TABLE("xn_prefix6 key", prefix_rows, prefix_case),
	TABLE("xn_addr6 anycast", addr6_rows, addr6_case),
	SINGLE("xn_addr6", "unicast entry keeps IFA_FLAGS", addr6_unicast_case),
	TABLE("/proc/net/anycast6", ac_rows, ac_case),
	TABLE("strict int", int_rows, int_case),
	SINGLE("xn_ifaddr4", "p2p peer filled, others 0", ifaddrs_peer_case),
	SINGLE("xn_ifaddr4", "more than 32 addresses", ifaddrs_many_case),
	SINGLE("xn_global", "fib_ifindex prefers lo", fib_ifindex_case),
	SINGLE("xn_global", "fib6_ifindex: device IPv6 forwarding, lo preferred", fib6_ifindex_case),
	SINGLE("probe frames", "ARP request, broadcast and unicast (ARPTX-4)", arp_request_case),
	SINGLE("probe frames", "NS, solicited-node and unicast, checksum (ND-TX4)", ns_case),
	SINGLE("probe frames", "app probe: RTM_GETNEIGH as neigh_app_ns() sends it",
	       app_probe_case),
	SINGLE("neigh parms", "every mirrored NUD key is the engine's, same defaults",
	       neigh_nud_keys_case),
	TABLE("xn_route4 entry", r4val_rows, r4val_case),
	TABLE("xn_route4 table", r4sel_rows, r4sel_case),
	TABLE("policy rules", rules_rows, rules_case),
	TABLE("XN_GF_ROUTE4_VALID", usable_rows, usable_case),
	TABLE("event line", ev_rows, ev_case),
	SINGLE("events", "conflict rate limit (10 per 5 s)", ratelimit_case),
};

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
		fprintf(stderr, "test_xneighd_model: out of memory\n");
		free(tests);
		free(cases);
		return 1;
	}
	for (i = 0; i < ARRAY_LEN(tables); i++) {
		const struct table *t = &tables[i];

		for (j = 0; j < t->n; j++, k++) {
			/* every row struct starts with its name */
			const void *row = t->size ? (const char *)t->rows + j * t->size : NULL;
			const char *name = t->size ? *(const char *const *)row : t->rows;

			snprintf(cases[k].name, sizeof(cases[k].name), "%s: %s", t->group, name);
			cases[k].fn = t->fn;
			cases[k].row = row;
			tests[k].name = cases[k].name;
			tests[k].test_func = run_case;
			tests[k].initial_state = &cases[k];
		}
	}
	rc = _cmocka_run_group_tests("xneighd model", tests, total, NULL, NULL);
	free(tests);
	free(cases);
	return rc;
}
