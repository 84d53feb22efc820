/* SPDX-License-Identifier: GPL-2.0 */
/* xneigh-diff: the differential suite. The same frames go to a namespace
 * where the kernel answers and to an identical one where xneigh answers;
 * replies (whole frames) and learned entries are compared.
 *
 *   corpus.c  sysctl combinations and cases (frame specs), bounded and full
 *   frame.c   frame specs ("op=req tip=10.1.0.1 ...") -> bytes, decoding
 *   lab.c     namespaces, packet sockets, sysctls, spawning ip/xneigh,
 *             xneighd's maps (heartbeat, counters)
 *   neigh.c   `ip -j neigh` / `xneigh show -j` -> comparable entry lists
 *   known.c   the documented differences, each with its reason
 *   main.c    the run: combos x cases, comparison, report
 */
#ifndef XN_DIFF_H
#define XN_DIFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "xneigh/stats.h"

/* ---- the lab (fixed by tests/netns/test_differential.sh) ---------------- */

#define LAB_HOST_DEV	"h0"		/* the host's interface under test */
#define LAB_PEER_DEV	"p0"		/* the tester's end of the veth */
#define LAB_MAC_H0	"02:00:00:00:01:01"
#define LAB_MAC_H1	"02:00:00:00:02:01"
#define LAB_MAC_P0	"02:00:00:00:01:02"
/* An address of h0 that only the sentinel asks about (lab_exchange()). */
#define LAB_SENTINEL6	"2001:db8:ffff::1"
#define LAB_SENTINEL_SPEC "nd=ns s6=:: tgt=" LAB_SENTINEL6
#define SENTINEL_TIMEOUT_MS 2000

#define FRAME_MAX	512

struct frame {
	unsigned char b[FRAME_MAX];
	size_t len;
	unsigned int sleep_ms;		/* wait this long before sending it */
};

/* ---- frames (frame.c) ---------------------------------------------------- */

enum spec_kind { SPEC_ARP, SPEC_ND };

/* Build the frame a spec describes. On error, err names the offending
 * token. Returns 0 or -EINVAL. */
int frame_build(const char *spec, struct frame *f, char *err, size_t errlen);
/* One line saying what a frame is ("ARP req 02:.. 10.1.0.2 -> 10.1.0.1",
 * "NA 2001:db8:1::1 -> ... tgt ... [S O] tll ..."). */
void frame_describe(const struct frame *f, char *out, size_t outlen);
/* The frame as one line of hex, two digits per byte. */
void frame_hex(const struct frame *f, char *out, size_t outlen);
/* Whether a captured frame is one the comparison looks at: ARP, or ICMPv6
 * NS/NA (possibly VLAN-tagged). Other traffic a host sends on its own
 * (MLD reports, router solicitations) is not part of any answer. */
bool frame_is_neigh(const unsigned char *b, size_t len);
/* The NA that answers the sentinel (target LAB_SENTINEL6). */
bool frame_is_sentinel_answer(const unsigned char *b, size_t len);

/* ---- corpus (corpus.c) --------------------------------------------------- */

enum family {
	FAM_V,		/* ARP-V: validity */
	FAM_D,		/* ARP-D: duplicate-address probes */
	FAM_R,		/* ARP-R: requests for local addresses */
	FAM_P,		/* ARP-P: proxy ARP */
	FAM_U,		/* ARP-U: learning */
	FAM_NDV,	/* ND-V: common ND validation */
	FAM_NDNS,	/* ND-NS: solicitations */
	FAM_NDNA,	/* ND-NA: advertisements */
	FAM__COUNT
};

extern const char *const family_names[FAM__COUNT];

static inline bool family_is_nd(enum family f)
{
	return f >= FAM_NDV;
}

/* One sysctl written in both host namespaces: path below /proc/sys/net/. */
struct sysctl_kv {
	char path[96];
	int value;
};

#define COMBO_MAX_KV	40

struct combo {
	char name[160];			/* the non-default settings, "default" if none */
	bool nd;			/* an IPv6 combination (runs ND cases) */
	int proxy_delay;		/* ARP proxy_delay ticks on h0 (0 unless set) */
	int proxy_delay6;
	unsigned int focus;		/* bounded corpus: 1 << family of the cases run */
	bool slow_ok;			/* runs the CASE_SLOW cases */
	size_t nkv;
	struct sysctl_kv kv[COMBO_MAX_KV];
};

struct diff_case {
	enum family fam;
	const char *name;
	const char *frames;		/* specs separated by ';' */
	unsigned int scope;		/* CASE_* */
	const char *known;		/* id in known.c, or NULL */
	const char *note;		/* what the case checks (shown on a disagreement) */
};

#define CASE_ALL	0x1		/* every combination of its family */
#define CASE_BASE	0x2		/* bounded corpus: the default combination only */
#define CASE_SLOW	0x4		/* sleeps (locktime): only where slow_ok */

enum corpus_level { CORPUS_BOUNDED, CORPUS_FULL };

/* Fill *out with the combinations of a level (malloc'd). */
int corpus_combos(enum corpus_level level, struct combo **out, size_t *n);
/* The cases to run under one combination at this level. */
bool corpus_case_applies(const struct diff_case *c, const struct combo *co,
			 enum corpus_level level);
extern const struct diff_case corpus_cases[];
extern const size_t corpus_ncases;

/* ---- documented differences (known.c) ------------------------------------ */

/* What a documented difference excuses. */
#define KNOWN_REPLY	0x1
#define KNOWN_ENTRIES	0x2

struct known_diff {
	const char *id;
	unsigned int excuses;		/* KNOWN_* */
	const char *what;		/* one line: the difference */
	const char *why;		/* the reason it is not a bug */
};

const struct known_diff *known_find(const char *id);
extern const struct known_diff known_diffs[];
extern const size_t known_ndiffs;

/* ---- neighbour tables (neigh.c) ------------------------------------------- */

struct nentry {
	char dst[48];
	char dev[16];
	char lladdr[24];		/* "" when absent */
	char state[48];			/* states joined by ',', "NONE" when absent */
	bool router;
};

struct ntable {
	struct nentry *v;
	size_t n, cap;
};

/* Parse the JSON array `ip -j neigh` and `xneigh show -j` print. Entries
 * for multicast addresses are left out (the kernel makes NOARP entries for
 * the groups it sends to; no received frame creates them). Sorted. */
int ntable_parse(const char *json, struct ntable *t, char *err, size_t errlen);
bool ntable_equal(const struct ntable *a, const struct ntable *b);
void ntable_print(const struct ntable *t, const char *indent);
void ntable_free(struct ntable *t);

/* ---- lab plumbing (lab.c) ---------------------------------------------------- */

struct side {
	const char *host_ns, *peer_ns;
	int host_fd, peer_fd;		/* /run/netns/NAME */
	int sock;			/* AF_PACKET on LAB_PEER_DEV in peer_ns */
	int peer_ifindex;
	bool sentinel_seen;		/* the sentinel's answer came */
	/* xneigh side only: maps found through the XDP program on h0 */
	int global_fd, stats_fd;
	pid_t xneighd_pid;
};

struct lab {
	struct side k, x;
	int self_fd;			/* our own netns, to return to */
	const char *xneigh_cli;
	const char *ip;
	unsigned int wait_ms;		/* bound for a reply */
	int verbose;
	unsigned long long last_sent;	/* CLOCK_MONOTONIC of the last send */
	bool sentinel;			/* follow every frame with the sentinel */
	struct frame sentinel_frame;
};

int lab_open(struct lab *lab);
void lab_close(struct lab *lab);
/* Write the combination's sysctls in both host namespaces, then make sure
 * xneighd has read them (SIGHUP resync + heartbeat). */
int lab_apply_combo(struct lab *lab, const struct combo *co);
/* Forget neighbours: the kernel side's table (FLUSH_K), xneigh's maps
 * (FLUSH_X), the kernel's own table on the xneigh side (FLUSH_XK; it
 * learns from the replies xneigh passes on, and is not compared). */
#define FLUSH_K		0x1
#define FLUSH_X		0x2
#define FLUSH_XK	0x4
#define FLUSH_ALL	(FLUSH_K | FLUSH_X | FLUSH_XK)
int lab_flush(struct lab *lab, unsigned int what);
/* Read the three tables. */
int lab_dump(struct lab *lab, struct ntable *k, struct ntable *x, struct ntable *xk);

#define CAPTURE_MAX	4

struct capture {
	struct frame f[CAPTURE_MAX];
	size_t n;
	size_t dropped;			/* more than CAPTURE_MAX */
	unsigned long long first_ns;	/* first answer, after the send */
	bool no_sentinel;		/* the sentinel went unanswered: incomplete */
};

/* Throw away whatever is queued on both packet sockets; returns how many
 * comparable frames were thrown away (late answers). */
int lab_drain(struct lab *lab, size_t *late_k, size_t *late_x);
/* Send f from both peers and collect what comes back: until the sentinel
 * is answered on both sides, or (without the sentinel) within wait_ms. */
int lab_exchange(struct lab *lab, const struct frame *f, unsigned int wait_ms,
		 struct capture *ck, struct capture *cx);
/* Keep collecting (appending) until the kernel side answers or wait_ms. */
int lab_await_kernel(struct lab *lab, unsigned int wait_ms, struct capture *ck,
		     struct capture *cx);
/* xneigh's counters of one family slot, summed over CPUs. */
int lab_stats(struct lab *lab, int slot, struct xn_stats *out);

#endif /* XN_DIFF_H */
