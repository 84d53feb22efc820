/* SPDX-License-Identifier: GPL-2.0 */
/* Fixture tables for the BPF_PROG_TEST_RUN unit tests.
 *
 * One fixture = one program run: the map setup (interface settings, proxy
 * entries, existing neighbour entries with state, lladdr and age), the input
 * frame, the expected verdict, the expected *whole* output frame, the
 * expected neighbour table afterwards, the exact counter values (every
 * counter not listed must be 0) and the exact list of events.
 *
 * Expected neighbour entries: every entry in the table after the run must be
 * listed in .post, or have been listed in .pre and be bit-for-bit unchanged
 * (apart from the lock word). Time stamps are checked against
 * CLOCK_MONOTONIC read before and after the run (T_NOW), against their value
 * before the run (T_KEEP), or against "not confirmed" = now - 2 *
 * base_reachable_time (T_NOTCONF, NUD-8.11/NUD-11). T_AUTO derives the
 * expectation from the kernel rules NUD-8.7/8.9/8.11 and the final state;
 * a fixture whose *requested* state differs from the final one (a refused
 * update that still confirms) says so explicitly.
 *
 * IPv4 and IPv6: an entry, event or proxy entry is about an IPv6 address
 * when its .ip6 is set (then .ip is 0) and lives in xn_neigh6 / xn_proxy6.
 * .ctr lists the counters of xn_stats slot 0 (ARP), .ctr6 those of slot 1
 * (ND); every counter of both slots not listed must be 0. Every frame that a
 * program sends (XDP_TX / TC redirect) and that is ICMPv6 has its checksum
 * verified by the tests' own implementation (pkt_icmp6_csum_ok()).
 */
#ifndef XN_TEST_FIXTURE_H
#define XN_TEST_FIXTURE_H

#include <stdbool.h>
#include <stdint.h>

#include "pkt.h"
#include "lab.h"

#define FX_MAX_ENT	6
#define FX_MAX_CTR	24
#define FX_MAX_EV	6
#define FX_MAX_PROXY	4
#define FX_MAX_ADDR6	4

enum fx_prog {
	FX_RX = 0,	/* receive path: run through xn_xdp and through xn_tc_in */
	FX_XDP,		/* xn_xdp only */
	FX_TC_IN,	/* xn_tc_in only */
	FX_TC_OUT,	/* xn_tc_out (egress) */
	FX_CTL,		/* xn_ctl (SEC "syscall") */
};

enum fx_verdict {
	V_PASS = 0,	/* XDP_PASS / TC_ACT_OK, frame untouched */
	V_TX,		/* XDP_TX / TC_ACT_REDIRECT (same device), frame = .out */
	V_DROP,		/* XDP_DROP / TC_ACT_SHOT (--strict), frame untouched */
};

enum fx_time {
	T_AUTO = 0,
	T_KEEP,		/* unchanged from before the run */
	T_NOW,		/* set during the run */
	T_NOTCONF,	/* now - 2 * base_reachable_time, set during the run */
	T_ANY,		/* not checked */
};

/* An entry that exists before the run. */
struct fx_pre {
	uint32_t ip;		/* host order; 0 ends the list */
	enum lab_dev dev;	/* DEV_RX unless set */
	uint8_t state;
	uint8_t mac[6];
	uint8_t flags;		/* XN_NTF_* */
	uint32_t gen;
	uint32_t age_ms;	/* updated = confirmed = used = now - age; 0 means 60 s */
	uint32_t xflags;
	uint8_t ip6[16];	/* IPv6 entry (xn_neigh6) when set */
};

/* What an entry must look like after the run. */
struct fx_post {
	uint32_t ip;		/* host order; 0 ends the list */
	enum lab_dev dev;
	bool absent;		/* must not exist */
	uint8_t state;
	uint8_t mac[6];
	uint8_t flags;
	uint32_t gen;		/* 0: auto (new entry 1; existing +1 when state, lladdr or flags changed) */
	enum fx_time updated, confirmed, used;
	bool xflags_set;	/* check .xflags instead of the automatic value */
	uint32_t xflags;
	uint8_t ip6[16];	/* IPv6 entry (xn_neigh6) when set */
};

struct fx_ctr {
	int idx1;		/* XN_STAT_<name> + 1; 0 ends the list */
	uint64_t val;
};
#define C(name, v)	{ XN_STAT_##name + 1, (v) }

struct fx_ev {
	uint8_t type;		/* XN_EV_*; 0 ends the list */
	uint32_t ip;
	enum lab_dev dev;
	uint8_t old_state, new_state;
	uint8_t old_mac[6], new_mac[6];
	uint8_t ip6[16];	/* AF_INET6 event when set */
};

struct fx_proxy {
	enum lab_dev dev;	/* DEV_ANY: ifindex 0 */
	uint32_t ip;		/* 0 (and no .ip6) ends the list */
	uint8_t ip6[16];	/* proxy NDP entry (xn_proxy6) when set */
	uint8_t flags;		/* XN_NTF_ROUTER (proxy NDP) */
};

/* An extra xn_addr6 entry (the lab's real addresses are always there). */
struct fx_addr6 {
	uint8_t addr[16];	/* all-zero ends the list */
	enum lab_dev dev;
	uint32_t flags;		/* XN_ADDR6_* */
	uint8_t plen;
	uint8_t scope;
};

/* xn_local4_filt for a fixture: as xneighd writes it (the default), marked
 * invalid (every sender looked up), or valid with no bit set (a filter that
 * lacks a key: the data plane trusts it). */
enum fx_local4f {
	FX_L4F_SYNCED = 0,
	FX_L4F_INVALID,
	FX_L4F_EMPTY,
};

/* xn_snap for a fixture: as xneighd publishes it (the default; empty in
 * fx_run_table()'s second pass), with every slot of the fixture's
 * interfaces and addresses taken by others (the data plane must find them
 * in the hash maps), or published before the fixture's own settings were
 * written to xn_ifconf (a stale snapshot: the data plane trusts it). The last
 * two apply in both passes. */
enum fx_snap {
	FX_SNAP_SYNCED = 0,
	FX_SNAP_SLOTS_TAKEN,
	FX_SNAP_STALE,
};

struct fixture {
	const char *rule;	/* rule ids, e.g. "ARP-R3" */
	const char *name;
	const char *skip;	/* non-NULL: reported as skipped with this reason */
	enum fx_prog prog;

	/* setup */
	const char *rx;		/* settings of xr0 on top of the defaults */
	bool rx_none;		/* xr0 has no xn_ifconf entry at all */
	enum fx_local4f local4f;
	enum fx_snap snap;
	const char *ox;		/* settings of xo0 */
	struct fx_proxy proxy[FX_MAX_PROXY];
	struct fx_addr6 addr6[FX_MAX_ADDR6];
	struct fx_pre pre[FX_MAX_ENT];
	uint32_t neigh_max;	/* != 0: xn_neigh4 and xn_neigh6 created with this many slots */
	uint32_t neigh_limit;	/* != 0: xn_global.neigh_limit of both tables (GC-3) */

	/* input */
	enum lab_dev in_dev;	/* device the frame is run on (default DEV_RX) */
	struct pkt in;
	struct xn_ctl_req ctl;	/* FX_CTL: the request (addr filled from ctl_ip) */
	uint32_t ctl_ip;

	/* expectations */
	enum fx_verdict verdict;
	struct pkt out;		/* V_TX: the expected frame */
	struct fx_post post[FX_MAX_ENT];
	struct fx_ctr ctr[FX_MAX_CTR];	/* slot 0: ARP */
	struct fx_ctr ctr6[FX_MAX_CTR];	/* slot 1: ND */
	struct fx_ev ev[FX_MAX_EV];
	int32_t ctl_result;	/* FX_CTL outputs */
	uint8_t ctl_old, ctl_new, ctl_changed;
};

/* Run every fixture of the table as a cmocka test (FX_RX fixtures twice:
 * "xdp: …" and "tc: …"), inside one group that owns the lab. Returns the
 * number of failed tests, as cmocka_run_group_tests() does. */
int fx_run_table(const char *group, const struct fixture *fx, int n);

/* The lab the running group uses (for extra hand-written tests in the same
 * binary that run after fx_run_table()). */
struct lab *fx_lab(void);

#endif /* XN_TEST_FIXTURE_H */
