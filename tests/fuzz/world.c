// SPDX-License-Identifier: GPL-2.0
/* The fuzzing harness's world: lab, base table, configurations. See world.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <bpf/bpf.h>

#include "world.h"
#include "pkt.h"

#define IP6(...)	{ __VA_ARGS__ }
#define MAC(...)	{ __VA_ARGS__ }

/* The base table. Ages matter: 10.0.0.3 was confirmed 100 ms ago, inside
 * the default locktime (ARP-U5); the others long ago. */
const struct fz_entry fz_base_entries[] = {
	{ .ip4 = IP4(10, 0, 0, 2), .state = NUD_STALE, .mac = MAC(2, 0, 0, 0, 0x0a, 2), .age_ms = 60000 },
	{ .ip4 = IP4(10, 0, 0, 3), .state = NUD_REACHABLE, .mac = MAC(2, 0, 0, 0, 0x0a, 3),
	  .age_ms = 100 },
	{ .ip4 = IP4(10, 0, 0, 4), .state = NUD_PERMANENT, .mac = MAC(2, 0, 0, 0, 0x0a, 4),
	  .age_ms = 60000 },
	{ .ip4 = IP4(10, 0, 0, 5), .state = NUD_INCOMPLETE, .age_ms = 1000 },
	{ .ip4 = IP4(10, 0, 0, 6), .state = NUD_DELAY, .mac = MAC(2, 0, 0, 0, 0, 0x99), .age_ms = 2000 },
	{ .ip4 = IP4(10, 0, 0, 7), .state = NUD_PROBE, .mac = MAC(2, 0, 0, 0, 0, 0x99), .age_ms = 3000 },
	{ .ip4 = IP4(10, 0, 0, 8), .state = NUD_FAILED, .mac = MAC(2, 0, 0, 0, 0, 0x99), .age_ms = 10000 },
	{ .ip4 = IP4(10, 0, 2, 9), .state = NUD_NOARP, .mac = MAC(2, 0, 0, 0, 0x0d, 9), .age_ms = 60000 },
	/* keyed by a broadcast and a multicast address: NOARP, as the kernel's
	 * arp_constructor() makes them when it sends there (NUD-12) */
	{ .ip4 = IP4(10, 0, 2, 255), .state = NUD_NOARP, .mac = MAC(0xff, 0xff, 0xff, 0xff, 0xff, 0xff),
	  .age_ms = 60000 },
	{ .ip4 = IP4(224, 0, 0, 251), .state = NUD_NOARP, .mac = MAC(1, 0, 0x5e, 0, 0, 0xfb),
	  .age_ms = 60000 },
	{ .dev = DEV_OX, .ip4 = IP4(10, 1, 0, 254), .state = NUD_STALE, .mac = MAC(2, 0, 0, 0, 0x0c, 0xfe),
	  .age_ms = 60000 },

	{ .v6 = true, .ip6 = IP6(0x20, 0x01, 0x0d, 0xb8, 0, 1, [15] = 2), .state = NUD_STALE,
	  .mac = MAC(2, 0, 0, 0, 0x0a, 2), .age_ms = 60000 },
	{ .v6 = true, .ip6 = IP6(0xfe, 0x80, [11] = 0xff, 0xfe, 0, 0x0a, 0x02), .state = NUD_REACHABLE,
	  .flags = XN_NTF_ROUTER, .mac = MAC(2, 0, 0, 0, 0x0a, 2), .age_ms = 100 },
	{ .v6 = true, .ip6 = IP6(0x20, 0x01, 0x0d, 0xb8, 0, 1, [15] = 3), .state = NUD_PERMANENT,
	  .mac = MAC(2, 0, 0, 0, 0x0a, 3), .age_ms = 60000 },
	{ .v6 = true, .ip6 = IP6(0x20, 0x01, 0x0d, 0xb8, 0, 1, [15] = 4), .state = NUD_DELAY,
	  .mac = MAC(2, 0, 0, 0, 0x0a, 4), .age_ms = 2000 },
	{ .v6 = true, .ip6 = IP6(0x20, 0x01, 0x0d, 0xb8, 0, 1, [15] = 7), .state = NUD_INCOMPLETE,
	  .age_ms = 1000 },
	{ .v6 = true, .ip6 = IP6(0x20, 0x01, 0x0d, 0xb8, 0, 1, [15] = 8), .state = NUD_FAILED,
	  .mac = MAC(2, 0, 0, 0, 0, 0x99), .age_ms = 10000 },
	{ .v6 = true, .ip6 = IP6(0x20, 0x01, 0x0d, 0xb8, 0, 1, [15] = 9), .state = NUD_PROBE,
	  .mac = MAC(2, 0, 0, 0, 0, 0x99), .age_ms = 3000 },
	{ .v6 = true, .ip6 = IP6(0xff, 0x02, [15] = 0xfb), .state = NUD_NOARP,
	  .mac = MAC(0x33, 0x33, 0, 0, 0, 0xfb), .age_ms = 60000 },
	{ .v6 = true, .dev = DEV_OX, .ip6 = IP6(0x20, 0x01, 0x0d, 0xb8, 0, 0x10, [15] = 0xfe),
	  .state = NUD_STALE, .mac = MAC(2, 0, 0, 0, 0x0c, 0xfe), .age_ms = 60000 },
};
const int fz_nbase_entries = (int)(sizeof(fz_base_entries) / sizeof(fz_base_entries[0]));

/* The gen every base entry starts with: a change shows as gen 6. */
#define FZ_BASE_GEN	5

/* ---- configuration ----------------------------------------------------------- */

/* Input byte 0: ARP answering; byte 1: ARP routing and proxy; byte 2: ND;
 * byte 3: the device and the world, and whether the harness corrects the
 * ICMPv6 checksum. All zero = the kernel's defaults.
 * arp_ignore and arp_accept include values the kernel's switch treats as
 * 0 (5, 9; 3): the data plane must map them alike. */
static const int32_t arp_ignore_vals[8] = { 0, 1, 2, 3, 4, 5, 8, 9 };
static const uint8_t rp_filter_vals[4] = { 0, 1, 2, 0 };
static const uint8_t untracked_vals[4] = { 0, 1, 2, 0 };

#define BIT(b, n)	(((b) >> (n)) & 1)

void fz_cfg_decode(const struct lab *l, const uint8_t *b, struct fz_cfg *c)
{
	struct xn_ifconf *x = &c->rx;

	memset(c, 0, sizeof(*c));
	memcpy(c->raw, b, FZ_CFG_LEN);
	lab_ifconf_default(l, DEV_RX, x);

	x->arp_ignore = arp_ignore_vals[b[0] & 7];
	x->arp_accept = (b[0] >> 3) & 3;
	x->arp_filter = BIT(b[0], 5);
	x->drop_gratuitous_arp = BIT(b[0], 6);
	x->route_localnet = BIT(b[0], 7);

	x->forwarding = BIT(b[1], 0);
	x->proxy_arp = BIT(b[1], 1);
	x->proxy_arp_pvlan = BIT(b[1], 2);
	x->rp_filter = rp_filter_vals[(b[1] >> 3) & 3];
	if (BIT(b[1], 5))
		x->proxy_delay_ms = 0;
	if (BIT(b[1], 6))
		x->locktime_ms = 0;
	if (BIT(b[1], 7))
		x->medium_id = -1;

	x->forwarding6 = BIT(b[2], 0);
	x->proxy_ndp = BIT(b[2], 1);
	x->drop_unsolicited_na = BIT(b[2], 2);
	x->accept_untracked_na = untracked_vals[(b[2] >> 3) & 3];
	x->force_tllao = BIT(b[2], 5);
	x->all_forwarding6 = x->all_proxy_ndp = BIT(b[2], 6);
	if (BIT(b[2], 7))
		x->proxy_delay6_ms = 0;

	c->rx_none = BIT(b[3], 0);
	c->noarp = BIT(b[3], 1);
	c->ipv4_off = BIT(b[3], 2);
	c->ipv6_off = BIT(b[3], 3);
	c->table_full = BIT(b[3], 4);
	if (BIT(b[3], 5))
		x->ndisc_tclass = 0xb8;
	if (BIT(b[3], 6))
		memset(x->src6_global, 0, 16);
	c->keep_csum = BIT(b[3], 7);
	/* without an xn_ifconf entry these device flags do not exist */
	if (c->rx_none)
		c->noarp = c->ipv4_off = c->ipv6_off = false;
	if (c->noarp)
		x->flags |= XN_IFF_NOARP;
	if (c->ipv4_off)
		x->flags &= (__u16)~XN_IFF_IPV4;
	if (c->ipv6_off)
		x->flags &= (__u16)~XN_IFF_IPV6;
}

static int index_of(const int32_t *vals, int n, int32_t v)
{
	for (int i = 0; i < n; i++)
		if (vals[i] == v)
			return i;
	return 0;
}

/* Bit n set when v holds. */
static uint8_t on(bool v, int n)
{
	return (uint8_t)(v ? 1u << n : 0);
}

void fz_cfg_encode(const struct xn_ifconf *x, bool rx_none, bool keep_csum, uint8_t *b)
{
	static const int32_t rp_vals[3] = { 0, 1, 2 }, untracked[3] = { 0, 1, 2 };

	b[0] = (uint8_t)(index_of(arp_ignore_vals, 8, x->arp_ignore) | (x->arp_accept & 3) << 3) |
	       on(x->arp_filter, 5) | on(x->drop_gratuitous_arp, 6) | on(x->route_localnet, 7);
	b[1] = on(x->forwarding, 0) | on(x->proxy_arp, 1) | on(x->proxy_arp_pvlan, 2) |
	       (uint8_t)(index_of(rp_vals, 3, x->rp_filter) << 3) | on(x->proxy_delay_ms == 0, 5) |
	       on(x->locktime_ms == 0, 6) | on(x->medium_id == -1, 7);
	b[2] = on(x->forwarding6, 0) | on(x->proxy_ndp, 1) | on(x->drop_unsolicited_na, 2) |
	       (uint8_t)(index_of(untracked, 3, x->accept_untracked_na) << 3) | on(x->force_tllao, 5) |
	       on(x->all_forwarding6 && x->all_proxy_ndp, 6) | on(x->proxy_delay6_ms == 0, 7);
	b[3] = on(rx_none, 0) | on(x->flags & XN_IFF_NOARP, 1) | on(!(x->flags & XN_IFF_IPV4), 2) |
	       on(!(x->flags & XN_IFF_IPV6), 3) | on(x->ndisc_tclass != 0, 5) |
	       on(x->src6_global[0] == 0, 6) | on(keep_csum, 7);
}

void fz_cfg_print(FILE *f, const struct fz_cfg *c)
{
	const struct xn_ifconf *x = &c->rx;

	fprintf(f, "config %02x%02x%02x%02x:", c->raw[0], c->raw[1], c->raw[2], c->raw[3]);
	if (c->rx_none)
		fprintf(f, " xr0-unconfigured");
	if (c->table_full)
		fprintf(f, " table-full");
	if (c->keep_csum)
		fprintf(f, " checksum-as-is");
	fprintf(f, " noarp=%d ipv4=%d ipv6=%d arp_ignore=%d arp_accept=%d arp_filter=%u"
		" drop_gratuitous_arp=%u route_localnet=%u forwarding=%u proxy_arp=%u"
		" proxy_arp_pvlan=%u rp_filter=%u proxy_delay_ms=%u locktime_ms=%u medium_id=%d"
		" forwarding6=%u proxy_ndp=%u drop_unsolicited_na=%u accept_untracked_na=%u"
		" force_tllao=%u all_forwarding6=%u all_proxy_ndp=%u proxy_delay6_ms=%u"
		" ndisc_tclass=%u src6_ll=%s src6_global=%s\n",
		c->noarp, !c->ipv4_off, !c->ipv6_off, x->arp_ignore, x->arp_accept, x->arp_filter,
		x->drop_gratuitous_arp, x->route_localnet, x->forwarding, x->proxy_arp,
		x->proxy_arp_pvlan, x->rp_filter, x->proxy_delay_ms, x->locktime_ms, x->medium_id,
		x->forwarding6, x->proxy_ndp, x->drop_unsolicited_na, x->accept_untracked_na,
		x->force_tllao, x->all_forwarding6, x->all_proxy_ndp, x->proxy_delay6_ms,
		x->ndisc_tclass, pkt_ip6_str(x->src6_ll), pkt_ip6_str(x->src6_global));
}

/* ---- maps -------------------------------------------------------------------------- */

static int fail_errno(const char *what)
{
	int err = -errno;

	fprintf(stderr, "fuzz: %s: %s\n", what, strerror(errno));
	return err ? err : -EIO;
}

static int write_forwarding(int on)
{
	FILE *f = fopen("/proc/sys/net/ipv4/conf/" LAB_RX_NAME "/forwarding", "w");
	int err = 0;

	if (!f)
		return fail_errno("open net.ipv4.conf.xr0.forwarding");
	if (fprintf(f, "%d\n", on) < 0)
		err = -EIO;
	if (fclose(f) && !err)
		err = -errno;
	if (err)
		fprintf(stderr, "fuzz: write net.ipv4.conf.xr0.forwarding: %s\n", strerror(-err));
	return err;
}

static void neigh_key(const struct fz_neigh *n, void *key)
{
	if (n->v6) {
		struct xn_neigh6_key *k = key;

		k->ifindex = n->ifindex;
		memcpy(k->addr, n->addr, 16);
	} else {
		struct xn_neigh4_key *k = key;

		k->ifindex = n->ifindex;
		memcpy(&k->addr, n->addr, 4);
	}
}

/* Write entries of one family with one batch update (BPF_F_LOCK). */
static int put_batch(struct fz_world *w, bool v6, const struct fz_neigh *e, int n)
{
	LIBBPF_OPTS(bpf_map_batch_opts, o, .elem_flags = BPF_F_LOCK);
	uint8_t keys[FZ_NEIGH_MAX * sizeof(struct xn_neigh6_key)];
	struct xn_neigh vals[FZ_NEIGH_MAX];
	size_t ksz = v6 ? sizeof(struct xn_neigh6_key) : sizeof(struct xn_neigh4_key);
	__u32 count = 0;

	for (int i = 0; i < n; i++) {
		if (e[i].v6 != v6)
			continue;
		if (count == FZ_NEIGH_MAX)
			return -E2BIG;
		neigh_key(&e[i], keys + count * ksz);
		vals[count++] = e[i].v;
	}
	if (!count)
		return 0;
	if (bpf_map_update_batch(v6 ? w->lab.fd_neigh6 : w->lab.fd_neigh4, keys, vals, &count, &o))
		return fail_errno(v6 ? "batch update of xn_neigh6" : "batch update of xn_neigh4");
	return 0;
}

static void filler(const struct fz_world *w, bool v6, int i, struct fz_neigh *e)
{
	memset(e, 0, sizeof(*e));
	e->v6 = v6;
	e->ifindex = w->lab.ifindex[DEV_OX];
	if (v6) {
		static const uint8_t pfx[8] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0x10, 0, 0 };

		memcpy(e->addr, pfx, 8);
		e->addr[13] = 0x10;
		e->addr[14] = (uint8_t)(i >> 8);
		e->addr[15] = (uint8_t)i;
	} else {
		uint32_t a = htonl(IP4(10, 1, 1, 0) + (uint32_t)i);

		memcpy(e->addr, &a, 4);
	}
	e->v.state = NUD_STALE;
	e->v.lladdr[0] = 2;
	e->v.lladdr[4] = 0x0f;
	e->v.lladdr[5] = (uint8_t)i;
	e->v.gen = 1;
}

/* Fill both tables to FZ_NEIGH_MAX with entries on xo0, or remove them. */
static int set_full(struct fz_world *w, bool full)
{
	int nbase4 = 0, nbase6 = 0;

	for (int i = 0; i < w->nbase; i++)
		*(w->base[i].v6 ? &nbase6 : &nbase4) += 1;
	for (int f6 = 0; f6 < 2; f6++) {
		struct fz_neigh fill[FZ_NEIGH_MAX];
		int want = full ? FZ_NEIGH_MAX - (f6 ? nbase6 : nbase4) : 0;
		int *have = f6 ? &w->nfill6 : &w->nfill4;
		int err;

		if (*have == want)
			continue;
		if (full) {
			for (int i = 0; i < want; i++)
				filler(w, f6, i, &fill[i]);
			err = put_batch(w, f6, fill, want);
			if (err)
				return err;
		} else {
			for (int i = 0; i < *have; i++) {
				uint8_t key[sizeof(struct xn_neigh6_key)];

				filler(w, f6, i, &fill[0]);
				neigh_key(&fill[0], key);
				if (bpf_map_delete_elem(f6 ? w->lab.fd_neigh6 : w->lab.fd_neigh4, key) &&
				    errno != ENOENT)
					return fail_errno("delete a filler entry");
			}
		}
		*have = want;
	}
	w->nfill = 0;
	for (int i = 0; i < w->nfill4; i++)
		filler(w, false, i, &w->fill[w->nfill++]);
	for (int i = 0; i < w->nfill6; i++)
		filler(w, true, i, &w->fill[w->nfill++]);
	return 0;
}

int fz_world_configure(struct fz_world *w, const struct fz_cfg *c)
{
	const struct fz_cfg *old = w->have_cur ? &w->cur : NULL;
	__u32 rx = w->lab.ifindex[DEV_RX];
	int err;

	if (old && !memcmp(old->raw, c->raw, FZ_CFG_LEN))
		return 0;
	if (c->rx_none) {
		if (bpf_map_delete_elem(w->lab.fd_ifconf, &rx) && errno != ENOENT)
			return fail_errno("delete xn_ifconf[xr0]");
	} else if (bpf_map_update_elem(w->lab.fd_ifconf, &rx, &c->rx, BPF_ANY)) {
		return fail_errno("update xn_ifconf[xr0]");
	}
	/* bpf_fib_lookup() from xr0 needs the kernel's forwarding on xr0; the
	 * unconfigured interface is the kernel's default (off) */
	if (!old || old->rx.forwarding != c->rx.forwarding || old->rx_none != c->rx_none) {
		err = write_forwarding(c->rx_none ? 0 : c->rx.forwarding);
		if (err)
			return err;
	}
	if (!old || old->rx.route_localnet != c->rx.route_localnet || old->rx_none != c->rx_none) {
		int v = c->rx_none ? 0 : c->rx.route_localnet;

		for (int i = 0; i < w->nlocal4; i++)
			if (bpf_map_update_elem(w->lab.fd_local4, &w->local4_key[i], &w->local4[v][i],
						BPF_ANY))
				return fail_errno("update xn_local4");
	}
	/* xn_ifconf and xn_local4 were written by hand: a new snapshot */
	err = lab_snap_sync(&w->lab);
	if (err)
		return err;
	err = set_full(w, c->table_full);
	if (err)
		return err;
	w->cur = *c;
	w->have_cur = true;
	return 0;
}

/* ---- reset and dump -------------------------------------------------------------------- */

int fz_world_delete(struct fz_world *w, const struct fz_neigh *e, int n)
{
	for (int i = 0; i < n; i++) {
		uint8_t key[sizeof(struct xn_neigh6_key)];

		neigh_key(&e[i], key);
		if (bpf_map_delete_elem(e[i].v6 ? w->lab.fd_neigh6 : w->lab.fd_neigh4, key) &&
		    errno != ENOENT)
			return fail_errno("delete an entry a run created");
	}
	return 0;
}

int fz_world_reset(struct fz_world *w, const struct fz_neigh *created, int ncreated)
{
	uint64_t now = lab_now_ns();
	int err;

	err = fz_world_delete(w, created, ncreated);
	if (err)
		return err;
	w->nbase = 0;
	for (int i = 0; i < fz_nbase_entries; i++) {
		const struct fz_entry *e = &fz_base_entries[i];
		struct fz_neigh *n = &w->base[w->nbase++];
		uint64_t t = now - (uint64_t)e->age_ms * 1000000ull;

		memset(n, 0, sizeof(*n));
		n->v6 = e->v6;
		n->ifindex = w->lab.ifindex[e->dev];
		if (e->v6) {
			memcpy(n->addr, e->ip6, 16);
		} else {
			uint32_t a = htonl(e->ip4);

			memcpy(n->addr, &a, 4);
		}
		n->v.state = e->state;
		n->v.flags = e->flags;
		memcpy(n->v.lladdr, e->mac, 6);
		n->v.gen = FZ_BASE_GEN;
		n->v.updated = n->v.confirmed = n->v.used = t;
	}
	err = put_batch(w, false, w->base, w->nbase);
	if (!err)
		err = put_batch(w, true, w->base, w->nbase);
	if (!err)
		err = lab_stats_zero(&w->lab);
	if (err)
		return err;
	lab_events_drain(&w->lab);
	w->lab.nev = 0;
	w->lab.ev_overflow = 0;
	return 0;
}

static int dump_one(struct fz_world *w, bool v6, struct fz_neigh *out, int cap, int n)
{
	LIBBPF_OPTS(bpf_map_batch_opts, o, .elem_flags = BPF_F_LOCK);
	uint8_t keys[FZ_NEIGH_MAX * sizeof(struct xn_neigh6_key)];
	struct xn_neigh vals[FZ_NEIGH_MAX];
	size_t ksz = v6 ? sizeof(struct xn_neigh6_key) : sizeof(struct xn_neigh4_key);
	int fd = v6 ? w->lab.fd_neigh6 : w->lab.fd_neigh4;
	__u32 batch = 0, count = FZ_NEIGH_MAX;
	int err;

	/* the whole table fits in one batch (max_entries = FZ_NEIGH_MAX) */
	err = bpf_map_lookup_batch(fd, NULL, &batch, keys, vals, &count, &o);
	if (err && err != -ENOENT)
		return fail_errno(v6 ? "batch lookup of xn_neigh6" : "batch lookup of xn_neigh4");
	for (__u32 i = 0; i < count; i++) {
		struct fz_neigh *e;

		if (n >= cap)
			return -E2BIG;
		e = &out[n++];
		memset(e, 0, sizeof(*e));
		e->v6 = v6;
		if (v6) {
			const struct xn_neigh6_key *k = (const void *)(keys + i * ksz);

			e->ifindex = k->ifindex;
			memcpy(e->addr, k->addr, 16);
		} else {
			const struct xn_neigh4_key *k = (const void *)(keys + i * ksz);

			e->ifindex = k->ifindex;
			memcpy(e->addr, &k->addr, 4);
		}
		e->v = vals[i];
		e->v.lock.val = 0;
	}
	return n;
}

int fz_world_dump(struct fz_world *w, struct fz_neigh *out, int cap)
{
	int n = dump_one(w, false, out, cap, 0);

	if (n < 0)
		return n;
	return dump_one(w, true, out, cap, n);
}

/* ---- setup ----------------------------------------------------------------------------- */

/* xn_local4 as lab_apply() wrote it: keys and values for route_localnet = 1
 * (variant 1, read first), then the values of the same keys for 0. */
static int snapshot_local4(struct fz_world *w, int variant)
{
	__be32 k, next;
	void *prev = NULL;
	int n = 0;

	if (variant == 0) {
		for (int i = 0; i < w->nlocal4; i++)
			if (bpf_map_lookup_elem(w->lab.fd_local4, &w->local4_key[i], &w->local4[0][i]))
				return fail_errno("read xn_local4");
		return 0;
	}
	while (bpf_map_get_next_key(w->lab.fd_local4, prev, &next) == 0) {
		if (n >= 32)
			return -E2BIG;
		k = next;
		prev = &k;
		w->local4_key[n] = k;
		if (bpf_map_lookup_elem(w->lab.fd_local4, &k, &w->local4[1][n]))
			return fail_errno("read xn_local4");
		n++;
	}
	w->nlocal4 = n;
	return 0;
}

int fz_world_init(struct fz_world *w)
{
	static const struct {
		uint8_t addr[16];
		uint32_t flags;
	} addr6[] = {
		{ IP6(0x20, 0x01, 0x0d, 0xb8, 0, 1, [15] = 5), XN_ADDR6_TENTATIVE },
		{ IP6(0x20, 0x01, 0x0d, 0xb8, 0, 1, [15] = 6), XN_ADDR6_TENTATIVE | XN_ADDR6_OPTIMISTIC },
		{ IP6(0x20, 0x01, 0x0d, 0xb8, 0, 1), XN_ADDR6_ANYCAST },
	};
	static const uint8_t prx6_rx[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 1, [15] = 0x99 };
	static const uint8_t prx6_any[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0x99, [15] = 7 };
	struct xn_ifconf rx, ox;
	struct lab *l = &w->lab;
	int err;

	memset(w, 0, sizeof(*w));
	err = lab_netns();
	if (!err)
		err = lab_open(l, FZ_NEIGH_MAX);
	if (err)
		return err;
	lab_ifconf_default(l, DEV_RX, &rx);
	lab_ifconf_default(l, DEV_OX, &ox);
	/* xn_local4 with route_localnet on xr0, then off (the value kept) */
	rx.route_localnet = 1;
	err = lab_apply(l, &rx, &ox);
	if (!err)
		err = snapshot_local4(w, 1);
	rx.route_localnet = 0;
	if (!err)
		err = lab_apply(l, &rx, &ox);
	if (!err)
		err = snapshot_local4(w, 0);
	if (err) {
		fprintf(stderr, "fuzz: writing the lab's configuration: %s\n", strerror(-err));
		return err;
	}
	for (size_t i = 0; !err && i < sizeof(addr6) / sizeof(addr6[0]); i++)
		err = lab_addr6_put(l, l->ifindex[DEV_RX], addr6[i].addr, addr6[i].flags, 64, 0);
	if (!err)
		err = lab_proxy_add(l, l->ifindex[DEV_RX], IP4(10, 9, 0, 7));
	if (!err)
		err = lab_proxy_add(l, 0, IP4(10, 1, 0, 9));
	if (!err)
		err = lab_proxy6_add(l, l->ifindex[DEV_RX], prx6_rx, XN_NTF_ROUTER);
	if (!err)
		err = lab_proxy6_add(l, 0, prx6_any, 0);
	if (!err)
		err = fz_world_reset(w, NULL, 0);
	return err;
}
