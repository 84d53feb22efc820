/* SPDX-License-Identifier: GPL-2.0 */
/* The fuzzing harness's fixed world: the unit-test lab (tests/unit/lab.h:
 * xr0 receives, xo0 is "another interface", lo), plus a neighbour table, proxy
 * entries and extra IPv6 addresses that stay the same for every input, and
 * the configuration that the first FZ_CFG_LEN bytes of each input select.
 *
 *   xr0  02:00:00:00:00:01  10.0.0.1/24 10.0.2.1/24  2001:db8:1::1/64
 *                           fe80::ff:fe00:1/64, and in xn_addr6 only:
 *                           2001:db8:1::5 tentative, 2001:db8:1::6
 *                           optimistic, 2001:db8:1:: anycast
 *   xo0  02:00:00:00:01:01  10.1.0.1/24 127.25.3.4/24 (host)
 *                           2001:db8:10::1/64 fe80::ff:fe00:101/64
 *   routes 10.9.0.0/24 via 10.1.0.254 dev xo0, unreachable 10.8.0.0/24
 *   proxies 10.9.0.7 (xr0), 10.1.0.9 (any device),
 *           2001:db8:1::99 (xr0, router), 2001:db8:99::7 (any device)
 *
 * Every input starts from the same table (fz_world_reset()), so a saved
 * input reproduces alone. The table holds one entry per NUD state, PERMANENT
 * and NOARP ones, NOARP entries keyed by a multicast and a broadcast address
 * (the kernel creates those when it sends there), and an entry on xo0.
 */
#ifndef XN_FUZZ_WORLD_H
#define XN_FUZZ_WORLD_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "lab.h"

/* Bytes of configuration at the start of every input. */
#define FZ_CFG_LEN	4
/* max_entries of xn_neigh4 and xn_neigh6 in the harness (small, so that the
 * "table full" configuration fills it with a few dozen entries). */
#define FZ_NEIGH_MAX	64
#define FZ_MAX_BASE	16

/* The decoded configuration (see fz_cfg_decode() for the bit layout). */
struct fz_cfg {
	uint8_t raw[FZ_CFG_LEN];
	bool rx_none;		/* xr0 has no xn_ifconf entry: learn, never answer */
	bool noarp;		/* IFF_NOARP on xr0 */
	bool ipv4_off;		/* xr0 without IPv4 state */
	bool ipv6_off;		/* xr0 without IPv6 state */
	bool table_full;	/* both tables filled to FZ_NEIGH_MAX */
	bool keep_csum;		/* run the frame with its ICMPv6 checksum as it is
				 * (else the harness writes the correct one, so that
				 * mutations get past ND-V1) */
	struct xn_ifconf rx;	/* the xn_ifconf value of xr0 (unless rx_none) */
};

/* One entry of the base table. */
struct fz_entry {
	bool v6;
	enum lab_dev dev;
	uint32_t ip4;		/* host order */
	uint8_t ip6[16];
	uint8_t state;
	uint8_t flags;		/* XN_NTF_* */
	uint8_t mac[6];
	uint32_t age_ms;	/* updated = confirmed = used = now - age */
};

/* A neighbour entry as read back: key and value. */
struct fz_neigh {
	bool v6;
	__u32 ifindex;
	uint8_t addr[16];	/* IPv4: first 4 bytes, network order */
	struct xn_neigh v;
};

struct fz_world {
	struct lab lab;
	struct fz_cfg cur;		/* configuration in the maps now */
	bool have_cur;
	/* the base table as last written by fz_world_reset() */
	struct fz_neigh base[2 * FZ_MAX_BASE];
	int nbase;
	int nfill4, nfill6;		/* filler entries present (table_full) */
	struct fz_neigh fill[2 * FZ_NEIGH_MAX];	/* ... and their values */
	int nfill;
	struct xn_local4 local4[2][32];	/* xn_local4 values for route_localnet 0 / 1 */
	__be32 local4_key[32];
	int nlocal4;
};

/* The base table (IPv4 and IPv6) and the proxy entries, for the oracle. */
extern const struct fz_entry fz_base_entries[];
extern const int fz_nbase_entries;

/* Build the lab (a new network namespace), load xneigh with FZ_NEIGH_MAX
 * entries per table, write the fixed world. 0 or -errno, message printed. */
int fz_world_init(struct fz_world *w);

/* Decode the first FZ_CFG_LEN bytes of an input. */
void fz_cfg_decode(const struct lab *l, const uint8_t *b, struct fz_cfg *c);
/* The nearest configuration bytes for an xn_ifconf (for seeds from the unit
 * fixtures, whose settings strings set a few fields); keep_csum for frames
 * whose ICMPv6 checksum is wrong on purpose. */
void fz_cfg_encode(const struct xn_ifconf *rx, bool rx_none, bool keep_csum, uint8_t *out);
/* Print a configuration, one "key=value" list on one line. */
void fz_cfg_print(FILE *f, const struct fz_cfg *c);

/* Put the configuration into the maps (and the kernel's forwarding sysctl
 * of xr0, which bpf_fib_lookup() consults), if it differs from the current
 * one. 0 or -errno. */
int fz_world_configure(struct fz_world *w, const struct fz_cfg *c);

/* Before every program run: the base table with fresh time stamps, entries
 * the last run created removed, counters zeroed, events drained. */
int fz_world_reset(struct fz_world *w, const struct fz_neigh *created, int ncreated);

/* Remove entries (those a run created). */
int fz_world_delete(struct fz_world *w, const struct fz_neigh *e, int n);

/* Read both neighbour tables with BPF_F_LOCK. Returns the number of entries
 * (at most cap), or -errno. */
int fz_world_dump(struct fz_world *w, struct fz_neigh *out, int cap);

#endif /* XN_FUZZ_WORLD_H */
