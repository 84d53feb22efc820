// SPDX-License-Identifier: GPL-2.0
/* The oracle of the fuzzing harness: see oracle.h. Everything here is
 * written from the kernel's code and the lab's topology; nothing is taken
 * from bpf/. Rule ids name the rules of kernel-semantics.md. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "oracle.h"
#include "pkt.h"

/* ---- the world, by heart (lab.h, world.h) --------------------------------- */

static const uint8_t mac_rx[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };
static const uint8_t mac_ox[6] = { 0x02, 0x00, 0x00, 0x00, 0x01, 0x01 };

struct addr4 {
	uint32_t a;
	int plen;
	enum lab_dev dev;
	bool host_scope;
};

/* every IPv4 address of the namespace */
static const struct addr4 addrs4[] = {
	{ IP4(10, 0, 0, 1), 24, DEV_RX, false },
	{ IP4(10, 0, 2, 1), 24, DEV_RX, false },
	{ IP4(10, 1, 0, 1), 24, DEV_OX, false },
	{ IP4(127, 25, 3, 4), 24, DEV_OX, true },	/* the kernel forces scope host on 127/8 */
	{ IP4(127, 0, 0, 1), 8, DEV_LO, true },
};
#define N_ADDRS4	(int)(sizeof(addrs4) / sizeof(addrs4[0]))

/* table main; the local table is derived from addrs4 (fib_add_ifaddr()) */
struct route4 {
	uint32_t pfx;
	int plen;
	enum lab_dev dev;
	bool unreachable;
};

static const struct route4 routes4[] = {
	{ IP4(10, 0, 0, 0), 24, DEV_RX, false },
	{ IP4(10, 0, 2, 0), 24, DEV_RX, false },
	{ IP4(10, 1, 0, 0), 24, DEV_OX, false },
	{ IP4(127, 25, 3, 0), 24, DEV_OX, false },
	{ IP4(10, 9, 0, 0), 24, DEV_OX, false },	/* via 10.1.0.254 */
	{ IP4(10, 8, 0, 0), 24, DEV_RX, true },		/* unreachable */
};

/* ip neigh add proxy ...: (device or any, address) */
static const struct {
	bool any;
	uint32_t a;
} proxies4[] = {
	{ false, IP4(10, 9, 0, 7) },
	{ true, IP4(10, 1, 0, 9) },
};

enum a6_kind { A6_PLAIN, A6_TENTATIVE, A6_OPTIMISTIC, A6_ANYCAST };

static const struct addr6 {
	uint8_t a[16];
	enum lab_dev dev;
	enum a6_kind kind;
	bool in_kernel;		/* a real address of the lab (the others are map-only) */
} addrs6[] = {
	{ { 0x20, 0x01, 0x0d, 0xb8, 0, 1, [15] = 1 }, DEV_RX, A6_PLAIN, true },
	{ { 0xfe, 0x80, [11] = 0xff, 0xfe, 0, 0, 1 }, DEV_RX, A6_PLAIN, true },
	{ { 0x20, 0x01, 0x0d, 0xb8, 0, 1, [15] = 5 }, DEV_RX, A6_TENTATIVE, false },
	{ { 0x20, 0x01, 0x0d, 0xb8, 0, 1, [15] = 6 }, DEV_RX, A6_OPTIMISTIC, false },
	{ { 0x20, 0x01, 0x0d, 0xb8, 0, 1 }, DEV_RX, A6_ANYCAST, false },
	{ { 0x20, 0x01, 0x0d, 0xb8, 0, 0x10, [15] = 1 }, DEV_OX, A6_PLAIN, true },
	{ { 0xfe, 0x80, [11] = 0xff, 0xfe, 0, 1, 1 }, DEV_OX, A6_PLAIN, true },
	{ { [15] = 1 }, DEV_LO, A6_PLAIN, true },
};
#define N_ADDRS6	(int)(sizeof(addrs6) / sizeof(addrs6[0]))

static const struct {
	bool any;
	uint8_t a[16];
	bool router;
} proxies6[] = {
	{ false, { 0x20, 0x01, 0x0d, 0xb8, 0, 1, [15] = 0x99 }, true },
	{ true, { 0x20, 0x01, 0x0d, 0xb8, 0, 0x99, [15] = 7 }, false },
};

#define ARRAY_LEN(a)	(int)(sizeof(a) / sizeof((a)[0]))

/* ---- byte helpers ---------------------------------------------------------------- */

static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static bool mac_eq(const uint8_t *a, const uint8_t *b)
{
	return !memcmp(a, b, 6);
}

static bool mac_group(const uint8_t *m)
{
	return m[0] & 1;
}

static uint32_t mask4(int plen)
{
	return plen <= 0 ? 0 : plen >= 32 ? 0xffffffffu : ~((1u << (32 - plen)) - 1);
}

static bool in_prefix(uint32_t a, uint32_t pfx, int plen)
{
	return ((a ^ pfx) & mask4(plen)) == 0;
}

static bool ip4_multicast(uint32_t a) { return (a >> 28) == 0xe; }
static bool ip4_loopback(uint32_t a) { return (a >> 24) == 127; }
static bool ip4_lbcast(uint32_t a) { return a == 0xffffffffu; }

static bool ip6_zero(const uint8_t *a)
{
	static const uint8_t z[16];

	return !memcmp(a, z, 16);
}

static bool ip6_multicast(const uint8_t *a) { return a[0] == 0xff; }

static bool ip6_loopback(const uint8_t *a)
{
	static const uint8_t lo[16] = { [15] = 1 };

	return !memcmp(a, lo, 16);
}

static bool ip6_linklocal(const uint8_t *a)
{
	return a[0] == 0xfe && (a[1] & 0xc0) == 0x80;
}

/* ff02::1:ffXX:XXXX */
static bool ip6_solicited_node(const uint8_t *a)
{
	static const uint8_t p[13] = { 0xff, 0x02, [11] = 0x01, 0xff };

	return !memcmp(a, p, 13);
}

static bool ip6_is(const uint8_t *a, uint8_t b0, uint8_t b1, uint8_t last)
{
	for (int i = 2; i < 15; i++)
		if (a[i])
			return false;
	return a[0] == b0 && a[1] == b1 && a[15] == last;
}

/* ---- the world's answers ----------------------------------------------------------- */

static const struct addr4 *our_addr4(uint32_t a)
{
	for (int i = 0; i < N_ADDRS4; i++)
		if (addrs4[i].a == a)
			return &addrs4[i];
	return NULL;
}

/* A broadcast route of the local table: prefix | ~mask of every address
 * with a prefix shorter than 31 (fib_add_ifaddr()). */
static bool our_bcast4(uint32_t a)
{
	for (int i = 0; i < N_ADDRS4; i++)
		if (addrs4[i].plen < 31 && a == (addrs4[i].a | ~mask4(addrs4[i].plen)))
			return true;
	return false;
}

enum { T_UNICAST, T_LOCAL, T_BROADCAST, T_MULTICAST };

/* inet_addr_type(): 0.0.0.0 and 255.255.255.255 are broadcast, 224/4
 * multicast, then the local table (our addresses, the broadcast routes,
 * 127.0.0.0/8 local on lo). 0.0.0.0/8 beyond 0.0.0.0 is unicast since 5.x
 * (ipv4_is_zeronet() tests == 0). */
static int addr4_type(uint32_t a)
{
	if (a == 0 || ip4_lbcast(a))
		return T_BROADCAST;
	if (ip4_multicast(a))
		return T_MULTICAST;
	if (our_addr4(a))
		return T_LOCAL;
	if (our_bcast4(a))
		return T_BROADCAST;
	if (ip4_loopback(a))
		return T_LOCAL;
	return T_UNICAST;
}

/* fib_lookup() of a destination: the local table first, then main. Returns
 * false without a unicast route; *dev gets the output device. */
static bool route4_unicast(uint32_t a, enum lab_dev *dev)
{
	const struct route4 *best = NULL;

	if (addr4_type(a) != T_UNICAST)
		return false;
	for (int i = 0; i < ARRAY_LEN(routes4); i++)
		if (in_prefix(a, routes4[i].pfx, routes4[i].plen) &&
		    (!best || routes4[i].plen > best->plen))
			best = &routes4[i];
	if (!best || best->unreachable)
		return false;
	*dev = best->dev;
	return true;
}

static bool proxy4(uint32_t a)
{
	for (int i = 0; i < ARRAY_LEN(proxies4); i++)
		if (proxies4[i].a == a)
			return true;
	return false;
}

static const struct addr6 *our_addr6(const uint8_t *a)
{
	for (int i = 0; i < N_ADDRS6; i++)
		if (!memcmp(addrs6[i].a, a, 16))
			return &addrs6[i];
	return NULL;
}

static const struct addr6 *rx_addr6(const uint8_t *a)
{
	const struct addr6 *x = our_addr6(a);

	return x && x->dev == DEV_RX ? x : NULL;
}

/* A proxy NDP entry for a on xr0 or on any device; *router its flag. */
static bool proxy6(const uint8_t *a, bool *router)
{
	for (int i = 0; i < ARRAY_LEN(proxies6); i++) {
		if (!memcmp(proxies6[i].a, a, 16)) {
			*router = proxies6[i].router;
			return true;
		}
	}
	return false;
}

static const struct fz_entry *base_entry(bool v6, const uint8_t *addr)
{
	for (int i = 0; i < fz_nbase_entries; i++) {
		const struct fz_entry *e = &fz_base_entries[i];

		if (e->v6 != v6 || e->dev != DEV_RX)
			continue;
		if (v6 ? !memcmp(e->ip6, addr, 16) : e->ip4 == rd32(addr))
			return e;
	}
	return NULL;
}

/* The settings the data plane applies on xr0: xn_ifconf, or the kernel's
 * defaults when xr0 has none (every switch off). */
static void effective(const struct fz_cfg *c, struct xn_ifconf *x)
{
	if (!c->rx_none) {
		*x = c->rx;
		return;
	}
	memset(x, 0, sizeof(*x));
	x->flags = XN_IFF_IPV4 | XN_IFF_IPV6;
	x->locktime_ms = XN_DEFAULT_LOCKTIME_MS;
	x->proxy_delay_ms = XN_DEFAULT_PROXY_DELAY_MS;
	x->proxy_delay6_ms = XN_DEFAULT_PROXY_DELAY_MS;
}

/* ---- parsing ---------------------------------------------------------------------------- */

/* The ICMPv6 checksum over the pseudo header and len bytes of message
 * (RFC 4443 §2.3), as 16-bit big-endian words. Returns the folded sum:
 * 0xffff when a message with a correct checksum is summed. */
static uint16_t icmp6_sum(const uint8_t *src, const uint8_t *dst, const uint8_t *m, size_t len)
{
	uint64_t sum = 0;

	for (int i = 0; i < 16; i += 2)
		sum += rd16(src + i) + rd16(dst + i);
	sum += (uint32_t)len >> 16;
	sum += len & 0xffff;
	sum += 58;
	for (size_t i = 0; i + 1 < len; i += 2)
		sum += rd16(m + i);
	if (len & 1)
		sum += (uint32_t)m[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

void fz_parse(const uint8_t *b, size_t len, struct fz_frame *f)
{
	size_t off = 12;
	uint16_t type;

	memset(f, 0, sizeof(*f));
	f->b = b;
	f->len = len;
	if (len < 14)
		return;
	f->eth_dst = b;
	f->eth_src = b + 6;
	type = rd16(b + 12);
	for (;;) {
		if (type != 0x8100 && type != 0x88a8)
			break;
		if (f->ntags == FZ_MAX_TAGS) {
			f->too_many_tags = true;
			break;
		}
		if (off + 6 > len)
			return;		/* a tag cut short */
		f->tag_tpid[f->ntags] = type;
		f->tag_tci[f->ntags] = rd16(b + off + 2);
		f->ntags++;
		off += 4;
		type = rd16(b + off);
	}
	f->l2_ok = true;
	f->type = type;
	f->l3 = off + 2;
	f->prio_only = f->ntags == 1 && (f->tag_tci[0] & 0x0fff) == 0;
	if (f->too_many_tags)
		return;

	if (type == 0x0806 && f->l3 + 28 <= len) {
		const uint8_t *a = b + f->l3;

		f->arp_body = true;
		f->hrd = rd16(a);
		f->pro = rd16(a + 2);
		f->hln = a[4];
		f->pln = a[5];
		f->op = rd16(a + 6);
		f->sha = a + 8;
		f->sip = rd32(a + 14);
		f->tha = a + 18;
		f->tip = rd32(a + 24);
	} else if (type == 0x0800 && f->l3 + 20 <= len) {
		f->ip4 = true;
		f->saddr = rd32(b + f->l3 + 12);
		f->daddr = rd32(b + f->l3 + 16);
	} else if (type == 0x86dd && f->l3 + 40 <= len) {
		const uint8_t *ip = b + f->l3, *m = ip + 40;
		size_t room = len - f->l3 - 40;

		f->ip6 = true;
		f->version = ip[0] >> 4;
		f->tclass = (uint8_t)(rd16(ip) >> 4);
		f->plen = rd16(ip + 4);
		f->nexthdr = ip[6];
		f->hlim = ip[7];
		f->src = ip + 8;
		f->dst = ip + 24;
		if (f->nexthdr != 58 || room < 4)
			return;
		f->icmp_hdr = true;
		f->icmp_type = m[0];
		f->icmp_code = m[1];
		f->nd = f->icmp_type == 135 || f->icmp_type == 136;
		f->plen_fits = f->plen > 0 && f->plen <= room;
		if (!f->plen_fits)
			return;
		f->csum_ok = icmp6_sum(f->src, f->dst, m, f->plen) == 0xffff;
		if (f->plen < 24)
			return;
		f->nd_body = true;
		f->nd_flags = m[4];
		f->target = m + 8;
		/* ndisc_parse_options(): every option at least 8 bytes and inside
		 * the message; a second SLLAO/TLLAO is ignored */
		f->opts_ok = true;
		for (size_t o = 24; o < f->plen;) {
			size_t l;

			if (f->plen - o < 2) {
				f->opts_ok = false;
				break;
			}
			l = (size_t)m[o + 1] * 8;
			if (l == 0 || l > f->plen - o) {
				f->opts_ok = false;
				break;
			}
			if (m[o] == 1 && !f->sllao)
				f->sllao = m + o;
			else if (m[o] == 2 && !f->tllao)
				f->tllao = m + o;
			o += l;
		}
	}
}

bool fz_icmp6_fix(uint8_t *b, size_t len)
{
	struct fz_frame f;
	uint8_t *m;
	uint16_t c;

	fz_parse(b, len, &f);
	if (!f.ip6 || !f.icmp_hdr || !f.plen_fits)
		return false;
	m = b + f.l3 + 40;
	m[2] = m[3] = 0;
	c = (uint16_t)~icmp6_sum(f.src, f.dst, m, f.plen);
	m[2] = (uint8_t)(c >> 8);
	m[3] = (uint8_t)c;
	return true;
}

bool fz_is_arp(const struct fz_frame *f)
{
	return f->l2_ok && !f->too_many_tags && f->type == 0x0806;
}

bool fz_is_nd(const struct fz_frame *f)
{
	return f->l2_ok && !f->too_many_tags && f->ip6 && f->version == 6 && f->icmp_hdr && f->nd;
}

bool fz_target_tentative(const struct fz_frame *f)
{
	const struct addr6 *x;

	if (!f->nd_body)
		return false;
	x = rx_addr6(f->target);
	return x && x->kind == A6_TENTATIVE;
}

/* ---- answering: ARP --------------------------------------------------------------------- */

static bool no(struct fz_answer *a, const char *why)
{
	a->ok = false;
	a->why = why;
	return false;
}

/* arp_ignore() (ARP-R3) as a necessary condition: 1 and 2 want tip on xr0
 * (2 also sip in a prefix of xr0 with tip), 3 an address of scope link or
 * wider, 8 never; everything else answers. */
static const char *arp_ignore_refuses(const struct xn_ifconf *x, uint32_t sip, uint32_t tip)
{
	const struct addr4 *t = our_addr4(tip);

	switch (x->arp_ignore) {
	case 1:
	case 2:
		if (!t || t->dev != DEV_RX)
			return "arp_ignore 1/2 and the target is not an address of xr0";
		if (x->arp_ignore == 2 && sip) {
			for (int i = 0; i < N_ADDRS4; i++)
				if (addrs4[i].dev == DEV_RX && in_prefix(sip, addrs4[i].a, addrs4[i].plen) &&
				    in_prefix(tip, addrs4[i].a, addrs4[i].plen))
					return NULL;
			return "arp_ignore 2 and the sender is not in a prefix of xr0 with the target";
		}
		return NULL;
	case 3:
		if (!t || t->host_scope)
			return "arp_ignore 3 and the target has host scope";
		return NULL;
	case 8:
		return "arp_ignore 8";
	default:
		return NULL;
	}
}

static void arp_may_answer(const struct fz_frame *f, const struct xn_ifconf *x,
			   const struct fz_cfg *c, struct fz_answer *a)
{
	uint32_t sip = f->sip, tip = f->tip;
	const char *why;
	enum lab_dev dev;
	bool local;

	if (!f->arp_body)
		return (void)no(a, "ARP body cut short (ARP-V2)");
	if (f->hln != 6 || f->pln != 4)
		return (void)no(a, "hln/pln not 6/4 (ARP-V2)");
	if (f->hrd != 1 && f->hrd != 6)
		return (void)no(a, "hardware type (ARP-V4)");
	if (f->pro != 0x0800)
		return (void)no(a, "protocol type (ARP-V4)");
	if (f->op != 1)
		return (void)no(a, "not a request");
	if (c->noarp)
		return (void)no(a, "NOARP interface (ARP-V1)");
	if (!mac_group(f->eth_dst) && !mac_eq(f->eth_dst, mac_rx))
		return (void)no(a, "unicast to another host (ARP-V1)");
	if (c->ipv4_off)
		return (void)no(a, "no IPv4 on xr0 (ARP-V3)");
	if (ip4_multicast(tip) || (ip4_loopback(tip) && !x->route_localnet))
		return (void)no(a, "multicast or loopback target (ARP-V5)");
	if (sip == tip && x->drop_gratuitous_arp)
		return (void)no(a, "gratuitous, drop_gratuitous_arp (ARP-V6)");
	local = addr4_type(tip) == T_LOCAL;
	if (sip == 0) {
		/* ARP-D1: a local target that arp_ignore allows */
		if (!local)
			return (void)no(a, "DAD probe for an address that is not ours");
		why = arp_ignore_refuses(x, 0, tip);
		if (why)
			return (void)no(a, why);
		a->ok = true;
		a->why = "DAD probe for one of our addresses (ARP-D1)";
		return;
	}
	/* ARP-R1: ip_route_input_noref() */
	if (ip4_multicast(sip) || ip4_lbcast(sip) || ip4_lbcast(tip) || tip == 0)
		return (void)no(a, "martian sender or target (ARP-R1)");
	if (ip4_loopback(sip) && !x->route_localnet)
		return (void)no(a, "loopback sender without route_localnet (ARP-R1)");
	if (our_addr4(sip))
		return (void)no(a, "the sender is one of our addresses (ARP-R1)");
	if (x->rp_filter) {
		if (!route4_unicast(sip, &dev))
			return (void)no(a, "rp_filter: no unicast route back to the sender (ARP-R1)");
		if (x->rp_filter == 1 && dev != DEV_RX)
			return (void)no(a, "rp_filter 1: the route back leaves by another device");
	}
	if (local) {
		why = arp_ignore_refuses(x, sip, tip);
		if (why)
			return (void)no(a, why);
		if (x->arp_filter) {
			/* ARP-R4: ip_route_output(sip) must leave by xr0 */
			bool bcast_rx = false;

			for (int i = 0; i < N_ADDRS4; i++)
				if (addrs4[i].dev == DEV_RX && addrs4[i].plen < 31 &&
				    sip == (addrs4[i].a | ~mask4(addrs4[i].plen)))
					bcast_rx = true;
			if (!bcast_rx && (!route4_unicast(sip, &dev) || dev != DEV_RX))
				return (void)no(a, "arp_filter: the route to the sender is not via xr0 (ARP-R4)");
		}
		a->ok = true;
		a->why = "request for one of our addresses (ARP-R5)";
		return;
	}
	if (addr4_type(tip) != T_UNICAST)
		return (void)no(a, "broadcast target");
	/* ARP-P1 */
	if (!x->forwarding)
		return (void)no(a, "not ours, and no forwarding for proxy ARP");
	if (!route4_unicast(tip, &dev))
		return (void)no(a, "not ours, and no unicast route (proxy ARP)");
	if (dev == DEV_RX) {
		if (!x->proxy_arp_pvlan || sip == tip)
			return (void)no(a, "not ours, routed back out of xr0 without proxy_arp_pvlan");
	} else if (!(x->proxy_arp && x->medium_id != -1) && !proxy4(tip)) {
		return (void)no(a, "not ours, no proxy_arp and no proxy entry (ARP-P1)");
	}
	if (!mac_eq(f->eth_dst, mac_rx) && x->proxy_delay_ms)
		return (void)no(a, "proxy request the kernel delays (proxy_delay, ARP-P5)");
	a->ok = true;
	a->why = "proxy ARP (ARP-P1)";
}

/* ---- answering: NS ------------------------------------------------------------------------ */

/* ip6_rcv_core() and ip6 input: would the NS reach ndisc_rcv()? Multicast:
 * all-nodes, all-routers on a router, a solicited-node group (any: the
 * kernel joins several); unicast: one of our addresses, or a proxied one
 * through ip6_forward() with all.forwarding and all.proxy_ndp. */
static bool ip6_dst_accepted(const struct fz_frame *f, const struct xn_ifconf *x)
{
	bool router;

	if (ip6_multicast(f->dst))
		return ip6_is(f->dst, 0xff, 0x02, 1) || (ip6_is(f->dst, 0xff, 0x02, 2) && x->forwarding6) ||
		       ip6_solicited_node(f->dst);
	if (our_addr6(f->dst))
		return true;
	return mac_eq(f->eth_dst, mac_rx) && x->all_forwarding6 && x->all_proxy_ndp &&
	       proxy6(f->dst, &router);
}

/* Common to NS and NA on receive: what ipv6_rcv(), icmpv6_rcv() and
 * ndisc_rcv() check before the message handlers. NULL when it passes. */
static const char *nd_common(const struct fz_frame *f, const struct fz_cfg *c, bool configured)
{
	if (!f->ip6 || f->version != 6)
		return "not IPv6 (version)";
	if (f->nexthdr != 58 || !f->icmp_hdr)
		return "not ICMPv6 right after the IPv6 header";
	if (!f->nd)
		return "not an NS or NA";
	if (configured && !mac_group(f->eth_dst) && !mac_eq(f->eth_dst, mac_rx))
		return "unicast to another host";
	if (configured && c->ipv6_off)
		return "no IPv6 on xr0";
	if (!f->plen_fits)
		return "payload length 0 or past the frame";
	if (ip6_multicast(f->src) || ip6_loopback(f->src) || ip6_loopback(f->dst))
		return "multicast or loopback source, loopback destination (ipv6_rcv)";
	if (ip6_multicast(f->dst) && (f->dst[1] & 0x0f) <= 1)
		return "multicast destination of scope 0 or 1 (ipv6_rcv)";
	if (!f->csum_ok)
		return "ICMPv6 checksum (ND-V1)";
	if (f->hlim != 255)
		return "hop limit not 255 (ND-V2)";
	if (f->icmp_code != 0)
		return "ICMPv6 code not 0 (ND-V2)";
	if (!f->nd_body)
		return "shorter than 24 bytes (ND-V3)";
	if (ip6_multicast(f->target))
		return "multicast target (ND-V4)";
	if (!f->opts_ok)
		return "option of length 0 or past the end (ND-V5)";
	return NULL;
}

static void ns_may_answer(const struct fz_frame *f, const struct xn_ifconf *x,
			  const struct fz_cfg *c, struct fz_answer *a)
{
	const struct addr6 *t;
	const struct fz_entry *e;
	const char *why = nd_common(f, c, true);
	bool src_ll;

	if (why)
		return (void)no(a, why);
	if (f->icmp_type != 135)
		return (void)no(a, "not a solicitation");
	if (f->sllao && f->sllao[1] != 1)
		return (void)no(a, "SLLAO of the wrong size (ND-V6)");
	a->dad = ip6_zero(f->src);
	a->inc = ip6_multicast(f->dst);
	if (a->dad && (!ip6_solicited_node(f->dst) || f->sllao))
		return (void)no(a, "DAD probe not to a solicited-node group or with SLLAO (ND-NS1)");
	if (!ip6_dst_accepted(f, x))
		return (void)no(a, "IPv6 destination not ours (ipv6 input)");

	t = rx_addr6(f->target);
	if (t && t->kind == A6_TENTATIVE)
		return (void)no(a, "target is tentative (ND-NS4)");
	if (t && t->kind == A6_OPTIMISTIC && a->dad)
		return (void)no(a, "DAD probe for our optimistic address: a conflict (ND-NS4)");
	if (t && t->kind != A6_ANYCAST) {
		a->kind = FZ_NA_OWN;
		a->optimistic = t->kind == A6_OPTIMISTIC;
		a->router = x->forwarding6;
	} else if (t) {
		a->kind = FZ_NA_ANYCAST;
		a->router = x->forwarding6;
	} else if (x->forwarding6 && x->proxy_ndp && proxy6(f->target, &a->router)) {
		a->kind = FZ_NA_PROXY;
	} else {
		return (void)no(a, "target not ours, not anycast, not proxied (ND-NS3)");
	}
	if (a->kind != FZ_NA_OWN && a->inc && !mac_eq(f->eth_dst, mac_rx) && x->proxy_delay6_ms)
		return (void)no(a, "anycast/proxy NS the kernel delays (proxy_delay, ND-NS5)");
	/* ND-TX1: anycast and proxy answers need a source address */
	src_ll = a->dad || ip6_linklocal(f->src) || ip6_zero(x->src6_global);
	if (a->kind != FZ_NA_OWN && ip6_zero(src_ll ? x->src6_ll : x->src6_global))
		return (void)no(a, "no source address for an anycast/proxy answer");
	if (a->dad) {
		memcpy(a->dmac, "\x33\x33\x00\x00\x00\x01", 6);
		a->ok = true;
		a->why = "DAD probe for an address we answer (ND-NS8)";
		return;
	}
	/* ND-NS10/11: the answer goes to the sender's link-layer address: the
	 * SLLAO, or what the table holds; a static entry keeps its own */
	e = base_entry(true, f->src);
	if (e && (e->state & (NUD_PERMANENT | NUD_NOARP))) {
		memcpy(a->dmac, e->mac, 6);
	} else if (f->sllao) {
		if (!e && c->table_full)
			return (void)no(a, "table full: the sender cannot be learned (ND-NS11)");
		memcpy(a->dmac, f->sllao + 2, 6);
	} else if (e && (e->state & XN_NUD_VALID)) {
		memcpy(a->dmac, e->mac, 6);
	} else {
		return (void)no(a, "sender unknown and no SLLAO (ND-NS10/NS11)");
	}
	a->ok = true;
	a->why = a->kind == FZ_NA_OWN ? "NS for one of our addresses (ND-NS11)" :
		 a->kind == FZ_NA_ANYCAST ? "NS for our anycast address (ND-NS5)" :
					    "NS for a proxied address (ND-NS6)";
}

void fz_may_answer(const struct fz_frame *f, const struct fz_cfg *c, struct fz_answer *a)
{
	struct xn_ifconf x;

	memset(a, 0, sizeof(*a));
	effective(c, &x);
	if (!f->l2_ok || f->too_many_tags)
		return (void)no(a, "Ethernet header or VLAN tags cut short, or more than two tags");
	if (c->rx_none)
		return (void)no(a, "xr0 unconfigured: its MAC is unknown");
	if (f->type == 0x0806)
		return arp_may_answer(f, &x, c, a);
	if (f->type == 0x86dd)
		return ns_may_answer(f, &x, c, a);
	no(a, "neither ARP nor IPv6");
}

/* ---- the reply --------------------------------------------------------------------------- */

static char reply_err[256];

static const char *bad(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static const char *bad(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reply_err, sizeof(reply_err), fmt, ap);
	va_end(ap);
	return reply_err;
}

/* Ethernet header and tags of the reply: dst, our MAC, the request's tags
 * (a lone priority tag is removed, as vlan_do_receive() untags the frame
 * the kernel answers), then the EtherType. Returns the L3 offset or 0. */
static size_t check_l2(const struct fz_frame *req, const uint8_t *out, size_t len,
		       const uint8_t *dmac, uint16_t type, const char **err)
{
	int ntags = req->prio_only ? 0 : req->ntags;
	size_t off = 12;

	if (len < 14 + 4 * (size_t)ntags) {
		*err = bad("reply of %zu bytes is shorter than its Ethernet header", len);
		return 0;
	}
	if (!mac_eq(out, dmac)) {
		*err = bad("Ethernet destination %s, expected %s", pkt_mac_str(out), pkt_mac_str(dmac));
		return 0;
	}
	if (!mac_eq(out + 6, mac_rx)) {
		*err = bad("Ethernet source %s is not xr0's MAC", pkt_mac_str(out + 6));
		return 0;
	}
	for (int i = 0; i < ntags; i++, off += 4) {
		if (rd16(out + off) != req->tag_tpid[i] || rd16(out + off + 2) != req->tag_tci[i]) {
			*err = bad("VLAN tag %d is %04x/%04x, the request had %04x/%04x", i,
				   rd16(out + off), rd16(out + off + 2), req->tag_tpid[i], req->tag_tci[i]);
			return 0;
		}
	}
	if (rd16(out + off) != type) {
		*err = bad("EtherType 0x%04x after %d tag(s), expected 0x%04x", rd16(out + off), ntags,
			   type);
		return 0;
	}
	return off + 2;
}

static const char *check_arp_reply(const struct fz_frame *req, const uint8_t *out, size_t len)
{
	const char *err = NULL;
	size_t l3 = check_l2(req, out, len, req->sha, 0x0806, &err);
	const uint8_t *a;

	if (!l3)
		return err;
	/* ARP-R5: the kernel's arp_create(): exactly 28 bytes of ARP */
	if (len != l3 + 28)
		return bad("ARP reply of %zu bytes, expected %zu", len, l3 + 28);
	a = out + l3;
	if (rd16(a) != 1 || rd16(a + 2) != 0x0800 || a[4] != 6 || a[5] != 4)
		return bad("ARP header %04x/%04x/%u/%u, expected 0001/0800/6/4", rd16(a), rd16(a + 2),
			   a[4], a[5]);
	if (rd16(a + 6) != 2)
		return bad("ARP opcode %u, expected 2 (reply)", rd16(a + 6));
	if (!mac_eq(a + 8, mac_rx))
		return bad("sender MAC %s is not xr0's", pkt_mac_str(a + 8));
	if (rd32(a + 14) != req->tip)
		return bad("sender IP %s, expected the request's target %s", pkt_ip_str(rd32(a + 14)),
			   pkt_ip_str(req->tip));
	if (!mac_eq(a + 18, req->sha))
		return bad("target MAC %s, expected the requester's %s", pkt_mac_str(a + 18),
			   pkt_mac_str(req->sha));
	if (rd32(a + 24) != req->sip)
		return bad("target IP %s, expected the requester's %s", pkt_ip_str(rd32(a + 24)),
			   pkt_ip_str(req->sip));
	return NULL;
}

static const char *check_na(const struct fz_frame *req, const struct fz_answer *a,
			    const struct fz_cfg *c, const uint8_t *out, size_t len)
{
	static const uint8_t all_nodes[16] = { 0xff, 0x02, [15] = 1 };
	const struct xn_ifconf *x = &c->rx;
	const char *err = NULL;
	size_t l3 = check_l2(req, out, len, a->dmac, 0x86dd, &err);
	const uint8_t *ip, *m, *want_src, *want_dst;
	bool tllao = a->dad || a->inc || (a->kind == FZ_NA_OWN && x->force_tllao);
	uint8_t want_flags;
	uint16_t plen = tllao ? 32 : 24;
	bool src_ll;

	if (!l3)
		return err;
	if (len != l3 + 40 + plen)
		return bad("NA frame of %zu bytes, expected %zu (%s TLLAO)", len, l3 + 40 + plen,
			   tllao ? "with" : "without");
	ip = out + l3;
	m = ip + 40;
	/* ip6_nd_hdr(): version 6, ndisc_tclass, no flow label */
	if (rd32(ip) != (0x60000000u | (uint32_t)x->ndisc_tclass << 20))
		return bad("IPv6 first word %08x, expected %08x", rd32(ip),
			   0x60000000u | (uint32_t)x->ndisc_tclass << 20);
	if (rd16(ip + 4) != plen || ip[6] != 58 || ip[7] != 255)
		return bad("IPv6 payload length %u, next header %u, hop limit %u; expected %u, 58, 255",
			   rd16(ip + 4), ip[6], ip[7], plen);
	/* ND-TX1: our own address answers for itself; anycast and proxy NAs
	 * come from the interface's address chosen by scope */
	want_dst = a->dad ? all_nodes : req->src;
	src_ll = a->dad || ip6_linklocal(req->src) || ip6_zero(x->src6_global);
	want_src = a->kind == FZ_NA_OWN ? req->target : src_ll ? x->src6_ll : x->src6_global;
	if (memcmp(ip + 8, want_src, 16))
		return bad("IPv6 source %s, expected %s", pkt_ip6_str(ip + 8), pkt_ip6_str(want_src));
	if (memcmp(ip + 24, want_dst, 16))
		return bad("IPv6 destination %s, expected %s", pkt_ip6_str(ip + 24),
			   pkt_ip6_str(want_dst));
	if (m[0] != 136 || m[1] != 0)
		return bad("ICMPv6 type %u code %u, expected 136 0", m[0], m[1]);
	if (icmp6_sum(ip + 8, ip + 24, m, plen) != 0xffff)
		return bad("ICMPv6 checksum %04x does not verify", rd16(m + 2));
	/* ND-NS7/NS8/NS11: R for a router (or the proxy entry's flag), S unless
	 * DAD, O for our own address asked by multicast or DAD, not optimistic */
	want_flags = (uint8_t)((a->router ? 0x80 : 0) | (a->dad ? 0 : 0x40) |
			       (a->kind == FZ_NA_OWN && (a->dad || a->inc) && !a->optimistic ? 0x20 : 0));
	if (m[4] != want_flags || m[5] || m[6] || m[7])
		return bad("NA flags %02x %02x%02x%02x, expected %02x 000000", m[4], m[5], m[6], m[7],
			   want_flags);
	if (memcmp(m + 8, req->target, 16))
		return bad("NA target %s, expected %s", pkt_ip6_str(m + 8), pkt_ip6_str(req->target));
	if (tllao && (m[24] != 2 || m[25] != 1 || !mac_eq(m + 26, mac_rx)))
		return bad("TLLAO %02x %02x %s, expected 02 01 %s", m[24], m[25], pkt_mac_str(m + 26),
			   pkt_mac_str(mac_rx));
	return NULL;
}

const char *fz_check_reply(const struct fz_frame *req, const struct fz_answer *a,
			   const struct fz_cfg *c, const uint8_t *out, size_t out_len)
{
	if (req->type == 0x0806)
		return check_arp_reply(req, out, out_len);
	return check_na(req, a, c, out, out_len);
}

/* ---- learning ------------------------------------------------------------------------------ */

static bool none(struct fz_learn *l, const char *why)
{
	l->may = false;
	l->why = why;
	return false;
}

static void key4(struct fz_learn *l, uint32_t a)
{
	uint32_t n = htonl(a);

	l->may = true;
	l->v6 = false;
	memset(l->key, 0, 16);
	memcpy(l->key, &n, 4);
}

static void key6(struct fz_learn *l, const uint8_t *a)
{
	l->may = true;
	l->v6 = true;
	memcpy(l->key, a, 16);
}

static void arp_rx_learn(const struct fz_frame *f, const struct xn_ifconf *x,
			 const struct fz_cfg *c, struct fz_learn *l)
{
	bool configured = !c->rx_none;

	if (c->noarp)
		return (void)none(l, "NOARP interface (ARP-V1)");
	/* an unconfigured xr0 does not know its MAC: frames for other hosts
	 * cannot be told apart, so this is claimed only when configured */
	if (configured && !mac_group(f->eth_dst) && !mac_eq(f->eth_dst, mac_rx))
		return (void)none(l, "unicast to another host (ARP-V1)");
	if (!f->arp_body || f->hln != 6 || f->pln != 4 || (f->hrd != 1 && f->hrd != 6) ||
	    f->pro != 0x0800 || (f->op != 1 && f->op != 2))
		return (void)none(l, "malformed ARP (ARP-V2, V4)");
	if (configured && c->ipv4_off)
		return (void)none(l, "no IPv4 on xr0 (ARP-V3)");
	if (ip4_multicast(f->tip) || (ip4_loopback(f->tip) && !x->route_localnet))
		return (void)none(l, "multicast or loopback target (ARP-V5)");
	if (f->sip == f->tip && x->drop_gratuitous_arp)
		return (void)none(l, "drop_gratuitous_arp (ARP-V6)");
	if (f->sip == 0)
		return (void)none(l, "sender 0.0.0.0: a DAD probe (ARP-D3)");
	if (ip4_multicast(f->sip) || ip4_lbcast(f->sip))
		return (void)none(l, "multicast or broadcast sender");
	if (ip4_loopback(f->sip) && !x->route_localnet)
		return (void)none(l, "loopback sender without route_localnet");
	if (our_addr4(f->sip))
		return (void)none(l, "the sender is one of our addresses");
	key4(l, f->sip);
	l->bcast_noarp = our_bcast4(f->sip);
}

static void nd_rx_learn(const struct fz_frame *f, const struct xn_ifconf *x,
			const struct fz_cfg *c, struct fz_learn *l)
{
	const char *why = nd_common(f, c, !c->rx_none);
	const struct addr6 *t;
	bool router;

	if (why)
		return (void)none(l, why);
	if (f->icmp_type == 135) {
		if (ip6_zero(f->src))
			return (void)none(l, "DAD probe (ND-NS1)");
		if (f->sllao && f->sllao[1] != 1)
			return (void)none(l, "SLLAO of the wrong size (ND-V6)");
		if (!ip6_dst_accepted(f, x))
			return (void)none(l, "IPv6 destination not ours (ipv6 input)");
		return key6(l, f->src);
	}
	if (ip6_multicast(f->dst) && (f->nd_flags & 0x40))
		return (void)none(l, "solicited NA to a multicast address (ND-NA2)");
	if (!(f->nd_flags & 0x40) && x->drop_unsolicited_na)
		return (void)none(l, "unsolicited NA, drop_unsolicited_na (ND-NA3)");
	if (f->tllao && f->tllao[1] != 1)
		return (void)none(l, "TLLAO of the wrong size (ND-V6)");
	t = rx_addr6(f->target);
	if (t && t->kind != A6_ANYCAST)
		return (void)none(l, "NA for one of our addresses: a conflict (ND-NA5)");
	/* a unicast NA for an address that is not ours is forwarded or
	 * dropped by ip6 input (ip6_forward() hands only proxied ones on); a
	 * multicast one reaches ndisc only for a group xr0 joined: all-nodes,
	 * all-routers on a router, solicited-node groups (which ones is not
	 * claimed here) */
	if (!ip6_multicast(f->dst) && !our_addr6(f->dst) &&
	    !(mac_eq(f->eth_dst, mac_rx) && x->all_forwarding6 && x->all_proxy_ndp &&
	      proxy6(f->dst, &router)))
		return (void)none(l, "unicast NA for an address that is not ours (ipv6 input)");
	if (ip6_multicast(f->dst) && !ip6_is(f->dst, 0xff, 0x02, 1) &&
	    !(ip6_is(f->dst, 0xff, 0x02, 2) && x->forwarding6) && !ip6_solicited_node(f->dst))
		return (void)none(l, "NA to a multicast group xr0 has not joined (ipv6 input)");
	key6(l, f->target);
}

void fz_rx_learn(const struct fz_frame *f, const struct fz_cfg *c, struct fz_learn *l)
{
	struct xn_ifconf x;

	memset(l, 0, sizeof(*l));
	effective(c, &x);
	if (!f->l2_ok || f->too_many_tags)
		return (void)none(l, "Ethernet header or VLAN tags cut short, or more than two tags");
	if (f->type == 0x0806)
		return arp_rx_learn(f, &x, c, l);
	if (f->type == 0x86dd)
		return nd_rx_learn(f, &x, c, l);
	none(l, "neither ARP nor IPv6");
}

void fz_tx_learn(const struct fz_frame *f, const struct fz_cfg *c, struct fz_learn *l)
{
	memset(l, 0, sizeof(*l));
	if (!f->l2_ok || f->too_many_tags)
		return (void)none(l, "Ethernet header or VLAN tags cut short, or more than two tags");
	/* NUD-15: the kernel's own ARP request or NS leaving: an INCOMPLETE
	 * entry for its target may appear */
	if (f->type == 0x0806) {
		if (!f->arp_body || f->op != 1 || f->hln != 6 || f->pln != 4 || c->rx_none ||
		    !mac_eq(f->sha, mac_rx) || f->sip == 0 || f->sip == f->tip)
			return (void)none(l, "not our own ARP request (NUD-15)");
		key4(l, f->tip);
		l->create = true;
		return;
	}
	if (f->type == 0x86dd && f->ip6) {
		if (f->icmp_hdr && f->icmp_type == 135) {
			/* the header fields are the kernel's own: not checked */
			if (f->l3 + 40 + 24 > f->len || c->rx_none ||
			    !mac_eq(f->eth_src, mac_rx) || ip6_zero(f->src) ||
			    ip6_multicast(f->b + f->l3 + 48))
				return (void)none(l, "not our own NS (NUD-15)");
			key6(l, f->b + f->l3 + 48);
			l->create = true;
			return;
		}
		/* NUD-1..3: the entry of the destination is marked */
		if (mac_group(f->eth_dst))
			return (void)none(l, "multicast frame: no neighbour entry");
		return key6(l, f->dst);
	}
	if (f->type == 0x0800 && f->ip4) {
		if (mac_group(f->eth_dst))
			return (void)none(l, "multicast frame: no neighbour entry");
		return key4(l, f->daddr);
	}
	none(l, "no IPv4, IPv6 or ARP on egress");
}

bool fz_addr_never_neighbour(bool v6, const uint8_t *addr)
{
	if (v6)
		return ip6_zero(addr) || ip6_multicast(addr) || ip6_loopback(addr) ||
		       our_addr6(addr) != NULL;
	uint32_t a = rd32(addr);

	return a == 0 || ip4_lbcast(a) || ip4_multicast(a) || ip4_loopback(a) || our_addr4(a) ||
	       our_bcast4(a);
}

/* ---- the world against the kernel ------------------------------------------------------------ */

static int mismatch(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int mismatch(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "fuzz: the oracle's world differs from the lab: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	return -1;
}

/* Every line of a command's output must be claimed by want(); every
 * expectation must be seen. */
static int check_cmd(const char *cmd, int (*line_ok)(const char *line, int *seen), int nwant)
{
	int seen[32] = { 0 }, rc = 0;
	char line[512];
	FILE *p = popen(cmd, "r");

	if (!p)
		return mismatch("cannot run %s", cmd);
	while (fgets(line, sizeof(line), p))
		if (line_ok(line, seen) < 0) {
			rc = mismatch("unexpected line from '%s': %s", cmd, line);
			break;
		}
	pclose(p);
	for (int i = 0; !rc && i < nwant; i++)
		if (!seen[i])
			rc = mismatch("'%s' lacks expectation %d", cmd, i);
	return rc;
}

static const char *const dev_names[DEV__COUNT] = { LAB_RX_NAME, LAB_OX_NAME, "lo" };

/* "N: DEV inet A/P ..." */
static int addr4_line(const char *line, int *seen)
{
	char dev[32], a[64];
	int plen;
	struct in_addr ia;

	if (sscanf(line, "%*d: %31s inet %63[0-9.]/%d", dev, a, &plen) != 3 ||
	    inet_pton(AF_INET, a, &ia) != 1)
		return -1;
	for (int i = 0; i < N_ADDRS4; i++)
		if (addrs4[i].a == ntohl(ia.s_addr) && addrs4[i].plen == plen &&
		    !strcmp(dev, dev_names[addrs4[i].dev]) &&
		    (strstr(line, "scope host") != NULL) == addrs4[i].host_scope) {
			seen[i] = 1;
			return 0;
		}
	return -1;
}

static int addr6_line(const char *line, int *seen)
{
	char dev[32], a[64];
	uint8_t b[16];
	int k = 0;

	if (sscanf(line, "%*d: %31s inet6 %63[0-9a-f:]", dev, a) != 2 || inet_pton(AF_INET6, a, b) != 1)
		return -1;
	for (int i = 0; i < N_ADDRS6; i++) {
		if (!addrs6[i].in_kernel)
			continue;
		if (!memcmp(addrs6[i].a, b, 16) && !strcmp(dev, dev_names[addrs6[i].dev])) {
			seen[k] = 1;
			return 0;
		}
		k++;
	}
	return -1;
}

/* "local A dev D ..." / "broadcast A dev D ..." / "local 127.0.0.0/8 dev lo" */
static int local_line(const char *line, int *seen)
{
	char type[32], a[64];
	struct in_addr ia;
	uint32_t v;

	if (sscanf(line, "%31s %63s", type, a) != 2)
		return -1;
	if (!strcmp(type, "local") && !strcmp(a, "127.0.0.0/8")) {
		seen[2 * N_ADDRS4] = 1;
		return 0;
	}
	if (inet_pton(AF_INET, a, &ia) != 1)
		return -1;
	v = ntohl(ia.s_addr);
	for (int i = 0; i < N_ADDRS4; i++) {
		if (!strcmp(type, "local") && v == addrs4[i].a) {
			seen[i] = 1;
			return 0;
		}
		if (!strcmp(type, "broadcast") && addrs4[i].plen < 31 &&
		    v == (addrs4[i].a | ~mask4(addrs4[i].plen))) {
			seen[N_ADDRS4 + i] = 1;
			return 0;
		}
	}
	return -1;
}

int fz_oracle_check_world(const struct lab *l)
{
	int n6 = 0;

	if (!mac_eq(l->mac[DEV_RX], mac_rx) || !mac_eq(l->mac[DEV_OX], mac_ox))
		return mismatch("MACs of xr0/xo0");
	for (int i = 0; i < N_ADDRS6; i++)
		n6 += addrs6[i].in_kernel;
	if (check_cmd("ip -o -4 addr show", addr4_line, N_ADDRS4) ||
	    check_cmd("ip -o -6 addr show", addr6_line, n6) ||
	    check_cmd("ip -o -4 route show table local", local_line, 2 * N_ADDRS4 + 1))
		return -1;
	return 0;
}
