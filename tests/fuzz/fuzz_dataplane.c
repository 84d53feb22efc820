// SPDX-License-Identifier: GPL-2.0
/* libFuzzer harness for the data plane: every input is a configuration
 * (FZ_CFG_LEN bytes, world.h) and an Ethernet frame. The frame runs once
 * through each of xn_xdp, xn_tc_in and xn_tc_out (BPF_PROG_TEST_RUN, repeat
 * 1, from the same table each time), and after every run the invariants
 * below are checked against the oracle (oracle.h), which knows nothing of
 * bpf/. A violation prints the invariant, the frame, the configuration and
 * what changed, then aborts, so libFuzzer saves the input as a crash file.
 *
 *   verdict        XDP_PASS/XDP_TX, TC_ACT_OK/TC_ACT_REDIRECT; xn_tc_out
 *                  always TC_ACT_OK
 *   untouched      a frame passed on is byte for byte the frame received
 *   valid-request  a reply only for a valid ARP request / NS for an address
 *                  we answer under the configuration (oracle)
 *   well-formed    the reply: lengths, opcode, addresses swapped, tags, NA
 *                  flags, options and checksum (oracle)
 *   learning       entries change only under the frame's own key (the ARP
 *                  sender, the NS source, the NA target; on egress the
 *                  destination or, for our own solicitation, its target),
 *                  and not at all for malformed frames, frames for another
 *                  host, or multicast, broadcast, zero, loopback or own senders
 *   static         PERMANENT and NOARP entries never change
 *   limit          a table never holds more than its max_entries, and a
 *                  creation fails (table_fulls) only when it is full
 *   counters       every frame is accounted (see check_counters())
 *   xdp-tc         xn_xdp and xn_tc_in decide alike: same verdict, same
 *                  frame, same counters, same table changes, same events
 *
 * Coverage: libFuzzer sees the harness's own code, and through its extra
 * counters which data-plane counters each run moved (and in which
 * combination), so inputs that take new paths in the BPF programs are kept.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "oracle.h"
#include "pkt.h"
#include "world.h"

#define FZ_FRAME_MAX	1500
#define FZ_OUT_MAX	(FZ_FRAME_MAX + 64)

#define XDP_DROP_RC		1
#define XDP_PASS_RC		2
#define XDP_TX_RC		3
#define TC_ACT_OK_RC		0
#define TC_ACT_REDIRECT_RC	7

enum prog { P_XDP, P_TC_IN, P_TC_OUT, P__COUNT };
static const char *const prog_names[P__COUNT] = { "xn_xdp", "xn_tc_in", "xn_tc_out" };

/* What one program run did. */
struct run {
	enum prog prog;
	__u32 retval;
	bool sent;			/* XDP_TX / TC_ACT_REDIRECT */
	uint8_t out[FZ_OUT_MAX];
	size_t out_len;
	struct xn_stats st[XN_FAM__COUNT];
	struct fz_neigh after[2 * FZ_NEIGH_MAX];
	int nafter;
	int created[2 * FZ_NEIGH_MAX];	/* indexes into after[] */
	int ncreated;
	int changed[2 * FZ_NEIGH_MAX];	/* indexes into after[] */
	const struct fz_neigh *was[2 * FZ_NEIGH_MAX];	/* ... and their values before */
	int nchanged;
	struct xn_event ev[LAB_MAX_EVENTS];
	int nev;
};

static struct fz_world world;
static struct run runs[P__COUNT];
static struct fz_neigh last_created[2 * FZ_NEIGH_MAX];
static int nlast_created;

/* The input being checked, for violation reports. */
static struct {
	const uint8_t *frame;		/* the frame as run (buf) */
	uint8_t buf[FZ_FRAME_MAX];
	size_t len;
	bool csum_fixed;		/* the harness wrote the ICMPv6 checksum */
	struct fz_cfg cfg;
	struct fz_frame f;
	struct fz_answer ans;
	struct fz_learn rx, tx;
} cur;

/* Totals printed at exit. */
static struct {
	uint64_t inputs, too_short, tc_skipped, runs[P__COUNT], arp_replies, nas, created, changed;
	uint64_t arp, nd;
} tally;

/* Distinct configurations tried (an open-addressing set; full = stop counting). */
#define CFG_SET	65536
static uint32_t cfg_seen[CFG_SET];
static bool cfg_zero_seen;
static uint64_t ncfgs;

static void tally_cfg(const uint8_t *b)
{
	uint32_t v = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
	uint32_t h = (v * 2654435761u) % CFG_SET;

	if (!v) {
		ncfgs += !cfg_zero_seen;
		cfg_zero_seen = true;
		return;
	}
	for (uint32_t i = 0; i < CFG_SET; i++, h = (h + 1) % CFG_SET) {
		if (cfg_seen[h] == v)
			return;
		if (!cfg_seen[h]) {
			if (ncfgs < CFG_SET / 2) {
				cfg_seen[h] = v;
				ncfgs++;
			}
			return;
		}
	}
}

/* Replies by the oracle's reason (a handful of constant strings). */
static struct {
	const char *why;
	uint64_t n;
} kinds[16];

static void tally_kind(const char *why)
{
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		if (!kinds[i].why)
			kinds[i].why = why;
		if (kinds[i].why == why) {
			kinds[i].n++;
			return;
		}
	}
}

/* ---- coverage feedback through libFuzzer's extra counters ----------------------- */

#define FEAT_STATS	(P__COUNT * XN_FAM__COUNT * XN_STAT__COUNT)
#define FEAT_VERDICT	FEAT_STATS
#define FEAT_PATH	(FEAT_VERDICT + P__COUNT * 8)
#define FEAT_NPATH	4096
#define FEAT_TOTAL	(FEAT_PATH + FEAT_NPATH)

static uint8_t features[FEAT_TOTAL] __attribute__((section("__libfuzzer_extra_counters"), used));

static void feature_add(size_t i, uint64_t v)
{
	if (i < FEAT_TOTAL && v)
		features[i] = v > 255 ? 255 : (uint8_t)v;
}

/* Which counters moved, by how much (libFuzzer buckets the values), and a
 * hash of the whole combination: a new path through a program. */
static void feedback(const struct run *r)
{
	uint64_t h = 1469598103934665603ull;

	for (int s = 0; s < XN_FAM__COUNT; s++) {
		for (int i = 0; i < XN_STAT__COUNT; i++) {
			uint64_t v = lab_stat(&r->st[s], i);

			feature_add(((size_t)r->prog * XN_FAM__COUNT + (size_t)s) * XN_STAT__COUNT + (size_t)i,
				    v);
			if (v) {
				h ^= (uint64_t)(s * XN_STAT__COUNT + i) * 0x9e3779b97f4a7c15ull + v;
				h *= 1099511628211ull;
			}
		}
	}
	feature_add(FEAT_VERDICT + (size_t)r->prog * 8 + (r->sent ? 1 : 0) +
		    (r->ncreated ? 2 : 0) + (r->nchanged ? 4 : 0), 1);
	h ^= (uint64_t)r->prog << 56 | (uint64_t)r->sent << 48 | (uint64_t)r->ncreated << 40 |
	     (uint64_t)r->nchanged << 32;
	h *= 1099511628211ull;
	feature_add(FEAT_PATH + (size_t)(h % FEAT_NPATH), 1);
}

/* ---- reports ---------------------------------------------------------------------------- */

static const char *state_name(uint8_t s)
{
	switch (s) {
	case NUD_NONE: return "NONE";
	case NUD_INCOMPLETE: return "INCOMPLETE";
	case NUD_REACHABLE: return "REACHABLE";
	case NUD_STALE: return "STALE";
	case NUD_DELAY: return "DELAY";
	case NUD_PROBE: return "PROBE";
	case NUD_FAILED: return "FAILED";
	case NUD_NOARP: return "NOARP";
	case NUD_PERMANENT: return "PERMANENT";
	default: return "?";
	}
}

static const char *addr_str(bool v6, const uint8_t *a)
{
	uint32_t n;

	if (v6)
		return pkt_ip6_str(a);
	memcpy(&n, a, 4);
	return pkt_ip_str(ntohl(n));
}

static const char *dev_str(__u32 ifindex)
{
	static char b[16];

	for (int d = 0; d < DEV__COUNT; d++)
		if (world.lab.ifindex[d] == ifindex)
			return world.lab.ifname[d];
	snprintf(b, sizeof(b), "if%u", ifindex);
	return b;
}

static void print_neigh(const char *pfx, const struct fz_neigh *n)
{
	fprintf(stderr, "    %s %s dev %s %s lladdr %s flags 0x%02x gen %u xflags 0x%x\n", pfx,
		addr_str(n->v6, n->addr), dev_str(n->ifindex), state_name(n->v.state),
		pkt_mac_str(n->v.lladdr), n->v.flags, n->v.gen, n->v.xflags);
}

static void print_run(const struct run *r)
{
	fprintf(stderr, "  %s: verdict %u%s\n", prog_names[r->prog], r->retval,
		r->sent ? " (sent a reply)" : "");
	for (int s = 0; s < XN_FAM__COUNT; s++) {
		bool any = false;

		for (int i = 0; i < XN_STAT__COUNT; i++) {
			uint64_t v = lab_stat(&r->st[s], i);

			if (!v)
				continue;
			if (!any)
				fprintf(stderr, "    counters (%s):", s == XN_FAM_ARP ? "arp" : "nd");
			fprintf(stderr, " %s=%llu", lab_stat_name(i), (unsigned long long)v);
			any = true;
		}
		if (any)
			fprintf(stderr, "\n");
	}
	for (int i = 0; i < r->ncreated; i++)
		print_neigh("created", &r->after[r->created[i]]);
	for (int i = 0; i < r->nchanged; i++) {
		print_neigh("was    ", r->was[i]);
		print_neigh("now    ", &r->after[r->changed[i]]);
	}
	for (int i = 0; i < r->nev; i++)
		fprintf(stderr, "    event type %u family %u %s state %s -> %s lladdr %s -> %s\n",
			r->ev[i].type, r->ev[i].family, addr_str(r->ev[i].family == AF_INET6, r->ev[i].addr),
			state_name(r->ev[i].old_state), state_name(r->ev[i].new_state),
			pkt_mac_str(r->ev[i].old_lladdr), pkt_mac_str(r->ev[i].new_lladdr));
}

static void violation(const struct run *r, const char *inv, const char *fmt, ...)
	__attribute__((format(printf, 3, 4), noreturn));
static void violation(const struct run *r, const char *inv, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "\n==== xneigh-fuzz: INVARIANT VIOLATED: %s (%s)\n", inv,
		r ? prog_names[r->prog] : "xn_xdp vs xn_tc_in");
	fprintf(stderr, "  ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n  oracle: reply %s (%s)\n", cur.ans.ok ? "allowed" : "not allowed",
		cur.ans.why ? cur.ans.why : "-");
	if (cur.rx.may)
		fprintf(stderr, "  oracle: receive may change only %s%s\n",
			addr_str(cur.rx.v6, cur.rx.key), cur.rx.bcast_noarp ? " (NOARP, broadcast)" : "");
	else
		fprintf(stderr, "  oracle: receive may change nothing (%s)\n", cur.rx.why);
	if (cur.tx.may)
		fprintf(stderr, "  oracle: transmit may change only %s%s\n",
			addr_str(cur.tx.v6, cur.tx.key), cur.tx.create ? " (or create it INCOMPLETE)" : "");
	else
		fprintf(stderr, "  oracle: transmit may change nothing (%s)\n", cur.tx.why);
	fprintf(stderr, "  ");
	fz_cfg_print(stderr, &cur.cfg);
	pkt_hexdump(cur.csum_fixed ? "input frame (ICMPv6 checksum written by the harness)" :
				     "input frame", cur.frame, cur.len);
	if (r) {
		if (r->out_len != cur.len || memcmp(r->out, cur.frame, cur.len))
			pkt_hexdump("output frame", r->out, r->out_len);
		print_run(r);
	} else {
		print_run(&runs[P_XDP]);
		print_run(&runs[P_TC_IN]);
	}
	fprintf(stderr, "==== end of report\n");
	fflush(stderr);
	abort();
}

/* ---- one run --------------------------------------------------------------------------- */

static bool same_key(const struct fz_neigh *a, const struct fz_neigh *b)
{
	return a->v6 == b->v6 && a->ifindex == b->ifindex && !memcmp(a->addr, b->addr, 16);
}

/* The entry before the run: base table or filler; NULL if new. */
static const struct fz_neigh *before(const struct fz_neigh *n)
{
	for (int i = 0; i < world.nbase; i++)
		if (same_key(&world.base[i], n))
			return &world.base[i];
	for (int i = 0; i < world.nfill; i++)
		if (same_key(&world.fill[i], n))
			return &world.fill[i];
	return NULL;
}

/* BPF_PROG_TEST_RUN of an skb program refuses an IPv4 / IPv6 frame (by
 * its outer EtherType) shorter than its IP header (bpf_prog_test_run_skb());
 * such frames reach TC on a real device, but cannot be run here. */
static bool tc_runnable(void)
{
	uint16_t type = (uint16_t)(cur.frame[12] << 8 | cur.frame[13]);

	return !(type == 0x0800 && cur.len < 14 + 20) && !(type == 0x86dd && cur.len < 14 + 40);
}

static int do_run(enum prog p, struct run *r)
{
	struct lab *l = &world.lab;
	__u32 rx = l->ifindex[DEV_RX];
	int err;

	memset(r, 0, offsetof(struct run, out));
	r->prog = p;
	err = fz_world_reset(&world, last_created, nlast_created);
	nlast_created = 0;
	if (err)
		return err;
	r->out_len = sizeof(r->out);
	if (p == P_XDP)
		err = lab_run_xdp(l, rx, cur.frame, cur.len, r->out, &r->out_len, &r->retval);
	else
		err = lab_run_tc(l, p == P_TC_IN ? l->prog_tc_in : l->prog_tc_out, rx, cur.frame,
				 cur.len, r->out, &r->out_len, &r->retval);
	if (err)
		return err;
	r->sent = (p == P_XDP && r->retval == XDP_TX_RC) ||
		  (p == P_TC_IN && r->retval == TC_ACT_REDIRECT_RC);
	for (int s = 0; s < XN_FAM__COUNT && !err; s++)
		err = lab_stats_sum(l, (__u32)s, &r->st[s]);
	if (err)
		return err;
	r->nafter = fz_world_dump(&world, r->after, 2 * FZ_NEIGH_MAX);
	if (r->nafter < 0)
		return r->nafter;
	lab_events_drain(l);
	r->nev = l->nev;
	memcpy(r->ev, l->ev, sizeof(r->ev[0]) * (size_t)r->nev);
	if (l->ev_overflow)
		violation(r, "counters", "more than %d events from one frame", LAB_MAX_EVENTS);
	r->ncreated = r->nchanged = 0;
	for (int i = 0; i < r->nafter; i++) {
		const struct fz_neigh *b = before(&r->after[i]);

		if (!b) {
			r->created[r->ncreated++] = i;
			last_created[nlast_created++] = r->after[i];
		} else if (memcmp(&b->v, &r->after[i].v, sizeof(b->v))) {
			r->was[r->nchanged] = b;
			r->changed[r->nchanged++] = i;
		}
	}
	tally.runs[p]++;
	tally.created += (uint64_t)r->ncreated;
	tally.changed += (uint64_t)r->nchanged;
	return 0;
}

/* ---- invariants --------------------------------------------------------------------------- */

static uint64_t st(const struct run *r, int slot, int idx)
{
	return lab_stat(&r->st[slot], idx);
}

#define S(r, slot, name)	st(r, slot, XN_STAT_##name)

static void check_verdict(const struct run *r)
{
	bool ok;

	switch (r->prog) {
	case P_XDP:
		ok = r->retval == XDP_PASS_RC || r->retval == XDP_TX_RC;
		break;
	case P_TC_IN:
		ok = r->retval == TC_ACT_OK_RC || r->retval == TC_ACT_REDIRECT_RC;
		break;
	default:
		ok = r->retval == TC_ACT_OK_RC;
		break;
	}
	if (!ok)
		violation(r, "verdict", "unexpected verdict %u", r->retval);
	if (!r->sent && (r->out_len != cur.len || memcmp(r->out, cur.frame, cur.len)))
		violation(r, "untouched", "the frame was passed on changed (%zu bytes in, %zu out)",
			  cur.len, r->out_len);
	if (r->sent) {
		const char *why;

		if (!cur.ans.ok)
			violation(r, "valid-request", "a reply was sent, but the oracle says: %s",
				  cur.ans.why);
		why = fz_check_reply(&cur.f, &cur.ans, &cur.cfg, r->out, r->out_len);
		if (why)
			violation(r, "well-formed", "the reply is wrong: %s", why);
		if (cur.f.type == 0x0806)
			tally.arp_replies++;
		else
			tally.nas++;
		tally_kind(cur.ans.why);
	}
}

static bool key_is(const struct fz_neigh *n, const struct fz_learn *l)
{
	return n->ifindex == world.lab.ifindex[DEV_RX] && n->v6 == l->v6 &&
	       !memcmp(n->addr, l->key, n->v6 ? 16 : 4);
}

static void check_table(const struct run *r)
{
	const struct fz_learn *l = r->prog == P_TC_OUT ? &cur.tx : &cur.rx;
	int n4 = 0, n6 = 0;

	for (int i = 0; i < r->nafter; i++)
		*(r->after[i].v6 ? &n6 : &n4) += 1;
	if (n4 > FZ_NEIGH_MAX || n6 > FZ_NEIGH_MAX)
		violation(r, "limit", "%d IPv4 / %d IPv6 entries, max_entries %d", n4, n6, FZ_NEIGH_MAX);
	for (int i = 0; i < world.nbase; i++) {
		bool seen = false;

		for (int j = 0; j < r->nafter && !seen; j++)
			seen = same_key(&world.base[i], &r->after[j]);
		if (!seen)
			violation(r, "learning", "entry %s disappeared",
				  addr_str(world.base[i].v6, world.base[i].addr));
	}
	for (int i = 0; i < r->nchanged; i++) {
		const struct fz_neigh *was = r->was[i], *now = &r->after[r->changed[i]];

		if (was->v.state & (NUD_PERMANENT | NUD_NOARP))
			violation(r, "static", "%s entry %s changed", state_name(was->v.state),
				  addr_str(was->v6, was->addr));
		if (!l->may)
			violation(r, "learning", "entry %s changed, but this frame may change nothing: %s",
				  addr_str(now->v6, now->addr), l->why);
		if (!key_is(now, l))
			violation(r, "learning", "entry %s (%s) changed; only %s may",
				  addr_str(now->v6, now->addr), dev_str(now->ifindex),
				  addr_str(l->v6, l->key));
		if (l->bcast_noarp)
			violation(r, "learning", "entry %s, keyed by a broadcast address, changed",
				  addr_str(now->v6, now->addr));
		/* egress marks use (NUD-1..3): used, STALE -> DELAY, nothing else */
		if (r->prog == P_TC_OUT &&
		    (memcmp(was->v.lladdr, now->v.lladdr, 6) || was->v.flags != now->v.flags ||
		     was->v.xflags != now->v.xflags || was->v.confirmed != now->v.confirmed ||
		     !(was->v.state == now->v.state ||
		       (was->v.state == NUD_STALE && now->v.state == NUD_DELAY))))
			violation(r, "learning", "egress changed entry %s beyond marking it used (NUD-1..3)",
				  addr_str(now->v6, now->addr));
	}
	if (r->ncreated > 1)
		violation(r, "learning", "%d entries created by one frame", r->ncreated);
	for (int i = 0; i < r->ncreated; i++) {
		const struct fz_neigh *n = &r->after[r->created[i]];

		if (!l->may)
			violation(r, "learning", "entry %s created, but this frame may change nothing: %s",
				  addr_str(n->v6, n->addr), l->why);
		if (!key_is(n, l))
			violation(r, "learning", "entry %s (%s) created; only %s may be",
				  addr_str(n->v6, n->addr), dev_str(n->ifindex), addr_str(l->v6, l->key));
		if (l->bcast_noarp && (n->v.state != NUD_NOARP ||
				       memcmp(n->v.lladdr, "\xff\xff\xff\xff\xff\xff", 6)))
			violation(r, "learning", "entry %s, keyed by a broadcast address, created %s with %s (NUD-12: NOARP, ff:ff:ff:ff:ff:ff)",
				  addr_str(n->v6, n->addr), state_name(n->v.state), pkt_mac_str(n->v.lladdr));
		if (r->prog == P_TC_OUT) {
			if (!l->create || n->v.state != NUD_INCOMPLETE ||
			    n->v.xflags != (XN_NF_CREATED_BY_DP | XN_NF_KERNEL_SOLICIT))
				violation(r, "learning", "egress created entry %s %s xflags 0x%x (NUD-15: only INCOMPLETE, for our own solicitation)",
					  addr_str(n->v6, n->addr), state_name(n->v.state), n->v.xflags);
			if (fz_addr_never_neighbour(n->v6, n->addr))
				violation(r, "learning", "egress created an entry for %s, which the kernel never resolves",
					  addr_str(n->v6, n->addr));
		} else if (n->v.xflags != XN_NF_CREATED_BY_DP) {
			violation(r, "learning", "entry %s created with xflags 0x%x, expected CREATED_BY_DP",
				  addr_str(n->v6, n->addr), n->v.xflags);
		}
	}
}

/* Counters that only a solicitation (ARP request / NS) decision moves. */
static const int arp_request_outcomes[] = {
	XN_STAT_bad_target, XN_STAT_gratuitous_dropped, XN_STAT_filter_deferred,
	XN_STAT_ignored_arp_ignore, XN_STAT_filtered_arp_filter, XN_STAT_replies_sent,
	XN_STAT_proxy_deferred, XN_STAT_not_for_us, XN_STAT_route_rejected,
};
static const int ns_outcomes[] = {
	XN_STAT_bad_target, XN_STAT_bad_dad, XN_STAT_not_for_us, XN_STAT_bad_options,
	XN_STAT_nd_deferred, XN_STAT_bad_lladdr_opt, XN_STAT_dad_conflicts, XN_STAT_proxy_deferred,
	XN_STAT_na_sent, XN_STAT_conflicts,	/* an NS from one of our addresses (strict.h) */
};
static const int na_outcomes[] = {
	XN_STAT_bad_target, XN_STAT_na_mcast_solicited, XN_STAT_not_for_us, XN_STAT_unsolicited_dropped,
	XN_STAT_bad_options, XN_STAT_nd_deferred, XN_STAT_bad_lladdr_opt, XN_STAT_dad_conflicts,
	XN_STAT_conflicts, XN_STAT_untracked_ignored, XN_STAT_hits, XN_STAT_allocs,
	XN_STAT_table_fulls,
};
/* The first verdict on an ARP frame after the header checks pass or fail. */
static const int arp_classes[] = {
	XN_STAT_otherhost, XN_STAT_bad_length, XN_STAT_bad_hln, XN_STAT_bad_pln, XN_STAT_bad_hrd,
	XN_STAT_bad_pro, XN_STAT_bad_op, XN_STAT_rx_requests, XN_STAT_rx_replies,
};
static const int nd_classes[] = {
	XN_STAT_otherhost, XN_STAT_bad_length, XN_STAT_bad_source, XN_STAT_bad_csum,
	XN_STAT_bad_hoplimit, XN_STAT_bad_code, XN_STAT_rx_ns, XN_STAT_rx_na,
};
/* What egress may count. */
static const int tx_counters[] = {
	XN_STAT_tx_used, XN_STAT_tx_stale_to_delay, XN_STAT_tx_kernel_solicits, XN_STAT_allocs,
	XN_STAT_learned, XN_STAT_table_fulls, XN_STAT_events_lost,
};

#define SUM(r, slot, list)	sum_of(r, slot, list, (int)(sizeof(list) / sizeof(list[0])))

static uint64_t sum_of(const struct run *r, int slot, const int *idx, int n)
{
	uint64_t s = 0;

	for (int i = 0; i < n; i++)
		s += st(r, slot, idx[i]);
	return s;
}

static bool in_list(int idx, const int *list, int n)
{
	for (int i = 0; i < n; i++)
		if (list[i] == idx)
			return true;
	return false;
}

/* A family slot that must not have moved at all (except `allowed`). */
static void check_silent(const struct run *r, int slot, const int *allowed, int nallowed,
			 const char *why)
{
	for (int i = 0; i < XN_STAT__COUNT; i++)
		if (st(r, slot, i) && !in_list(i, allowed, nallowed))
			violation(r, "counters", "%s counter %s moved (%s)",
				  slot == XN_FAM_ARP ? "arp" : "nd", lab_stat_name(i), why);
}

/* A configuration without an NA source address for anycast/proxy answers. */
static bool no_na_source(void)
{
	static const uint8_t zero[16];

	return !memcmp(cur.cfg.rx.src6_ll, zero, 16) || !memcmp(cur.cfg.rx.src6_global, zero, 16);
}

static void check_rx_counters(const struct run *r)
{
	const struct fz_frame *f = &cur.f;
	bool configured = !cur.cfg.rx_none;
	uint64_t n;

	if (fz_is_arp(f)) {
		check_silent(r, XN_FAM_ND, NULL, 0, "an ARP frame");
		if (S(r, XN_FAM_ARP, rx_arp) != 1)
			violation(r, "counters", "rx_arp = %llu for an ARP frame",
				  (unsigned long long)S(r, XN_FAM_ARP, rx_arp));
		if (S(r, XN_FAM_ARP, no_ifconf) != !configured)
			violation(r, "counters", "no_ifconf = %llu", (unsigned long long)S(r, 0, no_ifconf));
		/* rx_arp = otherhost + bad_* + rx_requests + rx_replies, except
		 * frames on NOARP / IPv4-less devices, which the kernel drops
		 * without counting too */
		n = SUM(r, XN_FAM_ARP, arp_classes);
		if (n > 1 || (n == 0 && !cur.cfg.noarp && !cur.cfg.ipv4_off))
			violation(r, "counters", "an ARP frame accounted %llu times (otherhost, bad_*, rx_requests, rx_replies)",
				  (unsigned long long)n);
		if (S(r, 0, rx_requests)) {
			/* every request: one outcome, or one of the uncounted
			 * cases: a DAD probe (ARP-D*), an unconfigured xr0, a full
			 * table */
			n = SUM(r, XN_FAM_ARP, arp_request_outcomes);
			if (n > 1 || (n == 0 && f->sip != 0 && configured && !S(r, 0, table_fulls)))
				violation(r, "counters", "an ARP request with %llu outcomes", (unsigned long long)n);
		} else {
			static const int request_only[] = {
				XN_STAT_filter_deferred, XN_STAT_ignored_arp_ignore,
				XN_STAT_filtered_arp_filter, XN_STAT_replies_sent, XN_STAT_proxy_deferred,
				XN_STAT_not_for_us, XN_STAT_route_rejected, XN_STAT_dad_replies,
				XN_STAT_proxied,
			};

			if (SUM(r, XN_FAM_ARP, request_only))
				violation(r, "counters", "a request outcome counted for an ARP frame that is not a request");
		}
		if (S(r, 0, replies_sent) != (r->sent ? 1u : 0u) ||
		    S(r, 0, dad_replies) + S(r, 0, proxied) > S(r, 0, replies_sent))
			violation(r, "counters", "replies_sent %llu, dad_replies %llu, proxied %llu for %s",
				  (unsigned long long)S(r, 0, replies_sent),
				  (unsigned long long)S(r, 0, dad_replies),
				  (unsigned long long)S(r, 0, proxied), r->sent ? "a reply" : "no reply");
	} else if (fz_is_nd(f)) {
		check_silent(r, XN_FAM_ARP, NULL, 0, "an ND frame");
		if (S(r, XN_FAM_ND, no_ifconf) != !configured)
			violation(r, "counters", "no_ifconf = %llu", (unsigned long long)S(r, 1, no_ifconf));
		/* every NS/NA: exactly one of otherhost, bad_length, bad_source,
		 * bad_csum, bad_hoplimit, bad_code, rx_ns, rx_na (none on a
		 * device without IPv6, as in the kernel) */
		n = SUM(r, XN_FAM_ND, nd_classes);
		if (n > 1 || (n == 0 && !(configured && cur.cfg.ipv6_off)))
			violation(r, "counters", "an ND frame accounted %llu times (otherhost, bad_*, rx_ns, rx_na)",
				  (unsigned long long)n);
		if (S(r, 1, rx_ns)) {
			/* one outcome, or an uncounted case: tentative target,
			 * unconfigured xr0 (no MAC, no answer), multicast NS from
			 * an unknown sender without SLLAO (ND-NS11), full table,
			 * no NA source address */
			n = SUM(r, XN_FAM_ND, ns_outcomes);
			if (n > 1 || (n == 0 && configured && !fz_target_tentative(f) &&
				      !S(r, 1, table_fulls) &&
				      !(S(r, 1, rcv_probes_mcast) && !S(r, 1, hits) && !cur.f.sllao) &&
				      !no_na_source()))
				violation(r, "counters", "an NS with %llu outcomes", (unsigned long long)n);
		}
		if (S(r, 1, rx_na)) {
			n = SUM(r, XN_FAM_ND, na_outcomes);
			if (n != 1)
				violation(r, "counters", "an NA with %llu outcomes", (unsigned long long)n);
		}
		if (S(r, 1, na_sent) != (r->sent ? 1u : 0u) || S(r, 1, dad_replies) > S(r, 1, na_sent))
			violation(r, "counters", "na_sent %llu, dad_replies %llu for %s",
				  (unsigned long long)S(r, 1, na_sent), (unsigned long long)S(r, 1, dad_replies),
				  r->sent ? "a reply" : "no reply");
	} else {
		static const int vlan_only[] = { XN_STAT_bad_vlan };

		check_silent(r, XN_FAM_ND, NULL, 0, "neither ARP nor ND");
		check_silent(r, XN_FAM_ARP, vlan_only, 1, "neither ARP nor ND");
		if (S(r, 0, bad_vlan) != (f->too_many_tags ? 1u : 0u))
			violation(r, "counters", "bad_vlan = %llu with %s", (unsigned long long)S(r, 0, bad_vlan),
				  f->too_many_tags ? "three tags" : "at most two tags");
		if (r->sent)
			violation(r, "valid-request", "a reply to a frame that is neither ARP nor ND");
	}
}

static void check_counters(const struct run *r)
{
	for (int s = 0; s < XN_FAM__COUNT; s++) {
		bool v6 = s == XN_FAM_ND;
		uint64_t gen = 0, ll = 0, created = 0, ev = 0, want_ev;

		if (S(r, s, hits) > S(r, s, lookups))
			violation(r, "counters", "hits %llu > lookups %llu", (unsigned long long)S(r, s, hits),
				  (unsigned long long)S(r, s, lookups));
		for (int i = 0; i < r->ncreated; i++) {
			if (r->after[r->created[i]].v6 == v6) {
				created++;
				gen += r->after[r->created[i]].v.gen;
			}
		}
		for (int i = 0; i < r->nchanged; i++) {
			const struct fz_neigh *was = r->was[i], *now = &r->after[r->changed[i]];

			if (now->v6 != v6)
				continue;
			gen += now->v.gen - was->v.gen;
			/* the MAC is (re)written when it differs, or when the
			 * entry had none valid (__neigh_update() copies it then,
			 * the same bytes included) */
			ll += memcmp(was->v.lladdr, now->v.lladdr, 6) != 0 ||
			      (!(was->v.state & XN_NUD_VALID) && (now->v.state & XN_NUD_VALID));
		}
		for (int i = 0; i < r->nev; i++)
			ev += r->ev[i].family == (v6 ? AF_INET6 : AF_INET);
		/* entries: allocs = learned = entries created; every change of
		 * state, lladdr or flags bumps gen once and is counted once */
		if (S(r, s, allocs) != created || S(r, s, learned) != created)
			violation(r, "counters", "%llu %s entries created, allocs %llu, learned %llu",
				  (unsigned long long)created, v6 ? "IPv6" : "IPv4",
				  (unsigned long long)S(r, s, allocs), (unsigned long long)S(r, s, learned));
		if (r->prog == P_TC_OUT && S(r, s, tx_kernel_solicits) != created)
			violation(r, "counters", "tx_kernel_solicits %llu for %llu created entries",
				  (unsigned long long)S(r, s, tx_kernel_solicits), (unsigned long long)created);
		if (gen != S(r, s, allocs) + S(r, s, updated) + S(r, s, tx_stale_to_delay))
			violation(r, "counters", "%s gen moved by %llu, but allocs + updated + tx_stale_to_delay = %llu",
				  v6 ? "IPv6" : "IPv4", (unsigned long long)gen,
				  (unsigned long long)(S(r, s, allocs) + S(r, s, updated) +
						       S(r, s, tx_stale_to_delay)));
		if (ll != S(r, s, lladdr_changes))
			violation(r, "counters", "%llu %s lladdr (re)written, lladdr_changes %llu",
				  (unsigned long long)ll, v6 ? "IPv6" : "IPv4",
				  (unsigned long long)S(r, s, lladdr_changes));
		/* every change, conflict and refused creation is reported */
		want_ev = S(r, s, allocs) + S(r, s, updated) + S(r, s, tx_stale_to_delay) +
			  S(r, s, conflicts) + S(r, s, dad_conflicts) + S(r, s, table_fulls);
		if (ev + S(r, s, events_lost) != want_ev)
			violation(r, "counters", "%llu %s events (+%llu lost), expected %llu",
				  (unsigned long long)ev, v6 ? "IPv6" : "IPv4",
				  (unsigned long long)S(r, s, events_lost), (unsigned long long)want_ev);
		if (S(r, s, table_fulls) && !cur.cfg.table_full)
			violation(r, "limit", "table_fulls with room in the table");
		if (r->prog == P_TC_OUT)
			check_silent(r, s, tx_counters, (int)(sizeof(tx_counters) / sizeof(tx_counters[0])),
				     "egress");
	}
	if (r->prog != P_TC_OUT)
		check_rx_counters(r);
}

/* xn_xdp and xn_tc_in make the same decisions (README: one parser and one
 * decision code for both). Time stamps are compared as "moved or not". */
static void check_agree(void)
{
	const struct run *x = &runs[P_XDP], *t = &runs[P_TC_IN];

	if (x->sent != t->sent)
		violation(NULL, "xdp-tc", "xn_xdp %s, xn_tc_in %s", x->sent ? "replied" : "passed",
			  t->sent ? "replied" : "passed");
	if (x->sent && (x->out_len != t->out_len || memcmp(x->out, t->out, x->out_len)))
		violation(NULL, "xdp-tc", "different replies (%zu and %zu bytes)", x->out_len, t->out_len);
	for (int s = 0; s < XN_FAM__COUNT; s++)
		for (int i = 0; i < XN_STAT__COUNT; i++)
			if (st(x, s, i) != st(t, s, i))
				violation(NULL, "xdp-tc", "counter %s: %llu by xn_xdp, %llu by xn_tc_in",
					  lab_stat_name(i), (unsigned long long)st(x, s, i),
					  (unsigned long long)st(t, s, i));
	if (x->nafter != t->nafter || x->ncreated != t->ncreated || x->nchanged != t->nchanged)
		violation(NULL, "xdp-tc", "different table changes");
	for (int i = 0; i < x->nafter; i++) {
		const struct fz_neigh *a = &x->after[i], *b = NULL, *was = before(a);

		for (int j = 0; j < t->nafter && !b; j++)
			if (same_key(a, &t->after[j]))
				b = &t->after[j];
		if (!b || a->v.state != b->v.state || memcmp(a->v.lladdr, b->v.lladdr, 6) ||
		    a->v.flags != b->v.flags || a->v.gen != b->v.gen || a->v.xflags != b->v.xflags ||
		    a->v.probes != b->v.probes ||
		    (was && ((a->v.updated != was->v.updated) != (b->v.updated != was->v.updated) ||
			     (a->v.confirmed != was->v.confirmed) != (b->v.confirmed != was->v.confirmed) ||
			     (a->v.used != was->v.used) != (b->v.used != was->v.used))))
			violation(NULL, "xdp-tc", "entry %s differs", addr_str(a->v6, a->addr));
	}
	if (x->nev != t->nev)
		violation(NULL, "xdp-tc", "%d events from xn_xdp, %d from xn_tc_in", x->nev, t->nev);
	for (int i = 0; i < x->nev; i++) {
		struct xn_event a = x->ev[i], b = t->ev[i];

		a.ts = b.ts = 0;
		if (memcmp(&a, &b, sizeof(a)))
			violation(NULL, "xdp-tc", "event %d differs", i);
	}
}

/* ---- libFuzzer entry points --------------------------------------------------------------- */

static void print_tally(void)
{
	fprintf(stderr,
		"xneigh-fuzz: %llu inputs (%llu too short to run), frames run: xn_xdp %llu, xn_tc_in %llu, xn_tc_out %llu"
		" (%llu inputs too short for an skb test run);"
		" inputs with ARP %llu, with ND %llu; replies checked (xdp and tc): ARP %llu, NA %llu;"
		" entries created %llu, changed %llu; configurations %llu%s; invariant violations 0\n",
		(unsigned long long)tally.inputs, (unsigned long long)tally.too_short,
		(unsigned long long)tally.runs[P_XDP], (unsigned long long)tally.runs[P_TC_IN],
		(unsigned long long)tally.runs[P_TC_OUT], (unsigned long long)tally.tc_skipped,
		(unsigned long long)tally.arp,
		(unsigned long long)tally.nd, (unsigned long long)tally.arp_replies,
		(unsigned long long)tally.nas, (unsigned long long)tally.created,
		(unsigned long long)tally.changed, (unsigned long long)ncfgs,
		ncfgs >= CFG_SET / 2 ? " or more" : "");
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]) && kinds[i].why; i++)
		fprintf(stderr, "xneigh-fuzz: replies: %llu %s\n", (unsigned long long)kinds[i].n,
			kinds[i].why);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	int err;

	(void)argc;
	(void)argv;
	err = fz_world_init(&world);
	if (!err)
		err = fz_oracle_check_world(&world.lab) ? -EINVAL : 0;
	if (err) {
		fprintf(stderr, "xneigh-fuzz: cannot set up the lab: %s%s\n", strerror(-err),
			err == -EPERM ? " (needs root: CAP_SYS_ADMIN, CAP_BPF, CAP_NET_ADMIN)" : "");
		exit(1);
	}
	atexit(print_tally);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int err = 0;

	tally.inputs++;
	/* BPF_PROG_TEST_RUN refuses frames shorter than an Ethernet header */
	if (size < FZ_CFG_LEN + 14) {
		tally.too_short++;
		return 0;
	}
	cur.len = size - FZ_CFG_LEN;
	if (cur.len > FZ_FRAME_MAX)
		cur.len = FZ_FRAME_MAX;
	memcpy(cur.buf, data + FZ_CFG_LEN, cur.len);
	cur.frame = cur.buf;
	fz_cfg_decode(&world.lab, data, &cur.cfg);
	tally_cfg(data);
	cur.csum_fixed = !cur.cfg.keep_csum && fz_icmp6_fix(cur.buf, cur.len);
	fz_parse(cur.frame, cur.len, &cur.f);
	tally.arp += fz_is_arp(&cur.f);
	tally.nd += fz_is_nd(&cur.f);
	fz_may_answer(&cur.f, &cur.cfg, &cur.ans);
	fz_rx_learn(&cur.f, &cur.cfg, &cur.rx);
	fz_tx_learn(&cur.f, &cur.cfg, &cur.tx);
	err = fz_world_configure(&world, &cur.cfg);
	for (int p = 0; !err && p < P__COUNT; p++) {
		struct run *r = &runs[p];

		if (p != P_XDP && !tc_runnable()) {
			tally.tc_skipped += p == P_TC_IN;
			continue;
		}
		err = do_run((enum prog)p, r);
		if (err)
			break;
		check_verdict(r);
		check_table(r);
		check_counters(r);
		feedback(r);
	}
	/* the next input may fill the table: leave only the base entries */
	if (!err)
		err = fz_world_delete(&world, last_created, nlast_created);
	nlast_created = 0;
	if (err) {
		fprintf(stderr, "xneigh-fuzz: harness error: %s\n", strerror(-err));
		exit(1);
	}
	if (tc_runnable())
		check_agree();
	return 0;
}
