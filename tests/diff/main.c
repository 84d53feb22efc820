// SPDX-License-Identifier: GPL-2.0
/* xneigh-diff: the kernel is the oracle.
 *
 *   xneigh-diff --kernel HOSTNS,PEERNS --xneigh HOSTNS,PEERNS --cli PATH
 *               [--xneighd-pid PID] [--corpus bounded|full] [--wait-ms N]
 *               [--family F[,F...]] [--case SUBSTR] [--combo SUBSTR]
 *               [--no-sentinel] [-v|-vv]
 *   xneigh-diff --list [--corpus bounded|full]
 *
 * For every sysctl combination of the corpus, writes the sysctls in both
 * host namespaces (and waits for xneighd to read them), then for every
 * case: flushes both sides' neighbour tables, sends the case's frames in
 * order from both peers, compares what came back after each frame (whole
 * frames, byte for byte) and the tables after the last (`ip -j neigh show
 * nud all` on the kernel side, `xneigh -j show nud all` on the xneigh side:
 * address, device, MAC, state, router flag).
 *
 * Prints every disagreement with both outputs and xneigh's counters that
 * moved (-v: every case's verdict; -vv: every case's frames and tables too),
 * then agreement per rule family. Exit status: 0 when everything
 * agreed or differed only as documented (known.c), 1 on a disagreement or
 * a lab failure, 2 on a usage error.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "diff.h"

static const char *const stat_names[] = {
#define XN_STAT_NAME(name, desc) #name,
	XN_STATS(XN_STAT_NAME)
#undef XN_STAT_NAME
};

#define KNOWN_MAX	16		/* entries of known.c counted in the summary */

struct tally {
	unsigned int agree, known, disagree;
};

struct run {
	struct lab lab;
	enum corpus_level level;
	unsigned int families;		/* 1 << family to run */
	const char *case_filter, *combo_filter;
	struct tally fam[FAM__COUNT];
	unsigned int known_used[KNOWN_MAX];
	unsigned int known_agreed[KNOWN_MAX];	/* cases marked known that agreed */
	unsigned int late;
	unsigned int frames, cases;
	unsigned int dirty;		/* FLUSH_* the next case needs */
	bool retrying;			/* this run of the case is its second */
	unsigned int retried;		/* case runs that disagreed once and were rerun */
	unsigned long long slowest[2];	/* first answer after the send: kernel, xneigh */
	double t_flush, t_frames, t_dump, t_sync;	/* where the time went */
	char **oneline;			/* one line per disagreement, for the summary */
	size_t noneline;
};

#define ONELINE_MAX	120

static void note_disagreement(struct run *r, const struct diff_case *c, const struct combo *co,
			      bool replies_ok, bool entries_ok)
{
	char **nv, *line;

	if (asprintf(&line, "[%s] %s under %s: %s%s%s", family_names[c->fam], c->name, co->name,
		     replies_ok ? "" : "answers", !replies_ok && !entries_ok ? ", " : "",
		     entries_ok ? "" : "entries") < 0)
		return;
	nv = realloc(r->oneline, (r->noneline + 1) * sizeof(*nv));
	if (!nv) {
		free(line);
		return;
	}
	r->oneline = nv;
	r->oneline[r->noneline++] = line;
}

#define MAX_FRAMES	8

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Split "a; b; c" into specs (empty specs are the defaults). */
static int split_frames(const struct diff_case *c, struct frame *f, size_t *n)
{
	char buf[1024], *p, *semi, err[128];

	if (strlen(c->frames) >= sizeof(buf)) {
		fprintf(stderr, "xneigh-diff: case %s: frame list too long\n", c->name);
		return -EINVAL;
	}
	strcpy(buf, c->frames);
	*n = 0;
	for (p = buf;; p = semi + 1) {
		semi = strchr(p, ';');
		if (semi)
			*semi = '\0';
		if (*n == MAX_FRAMES) {
			fprintf(stderr, "xneigh-diff: case %s: more than %d frames\n", c->name,
				MAX_FRAMES);
			return -EINVAL;
		}
		if (frame_build(p, &f[*n], err, sizeof(err))) {
			fprintf(stderr, "xneigh-diff: case %s, frame %zu ('%s'): %s\n", c->name,
				*n + 1, p, err);
			return -EINVAL;
		}
		(*n)++;
		if (!semi)
			return 0;
	}
}

static bool capture_equal(const struct capture *a, const struct capture *b)
{
	if (a->n != b->n || a->dropped != b->dropped)
		return false;
	for (size_t i = 0; i < a->n; i++)
		if (a->f[i].len != b->f[i].len || memcmp(a->f[i].b, b->f[i].b, a->f[i].len))
			return false;
	return true;
}

static void print_frame(const char *label, const struct frame *f)
{
	char desc[512], hex[2 * FRAME_MAX + 1];

	frame_describe(f, desc, sizeof(desc));
	frame_hex(f, hex, sizeof(hex));
	printf("      %-8s %s\n", label, desc);
	printf("      %-8s %s\n", "", hex);
}

static void print_capture(const char *label, const struct capture *c)
{
	char l[32];

	if (!c->n) {
		printf("      %-8s no reply\n", label);
		return;
	}
	for (size_t i = 0; i < c->n; i++) {
		snprintf(l, sizeof(l), "%s%s", i ? "" : label, i ? "" : ":");
		print_frame(l, &c->f[i]);
	}
	if (c->dropped)
		printf("      %-8s (+%zu more frames)\n", "", c->dropped);
}

/* xneigh's counters that moved during a case; `sentinels` answered
 * sentinels are taken out of the ND counters they move (ND-NS8 DAD
 * answers: rx_ns, dad_replies, na_sent). */
static void print_stats_delta(const struct xn_stats *a, const struct xn_stats *b, int slot,
			      size_t sentinels)
{
	struct xn_stats d;
	const __u64 *va = (const __u64 *)a, *vb = (const __u64 *)b;
	__u64 *vd = (__u64 *)&d;
	bool any = false;

	for (size_t i = 0; i < XN_STAT__COUNT; i++)
		vd[i] = vb[i] - va[i];
	if (slot == 1 && d.rx_ns >= sentinels && d.dad_replies >= sentinels &&
	    d.na_sent >= sentinels) {
		d.rx_ns -= sentinels;
		d.dad_replies -= sentinels;
		d.na_sent -= sentinels;
	}
	for (size_t i = 0; i < XN_STAT__COUNT; i++)
		if (vd[i]) {
			printf("%s%s +%llu", any ? "," : "", stat_names[i],
			       (unsigned long long)vd[i]);
			any = true;
		}
	if (!any)
		printf("(none)");
	printf(" [%s]\n", slot ? "nd" : "arp");
}

static int known_index(const struct known_diff *kd)
{
	return (int)(kd - known_diffs);
}

/* Run one case; returns -errno on a lab failure. */
static int run_case(struct run *r, const struct combo *co, const struct diff_case *c)
{
	struct frame f[MAX_FRAMES];
	struct capture ck[MAX_FRAMES], cx[MAX_FRAMES];
	struct xn_stats s0[2], s1[2], sf;
	struct ntable tk = {}, tx = {}, txk = {};
	const struct known_diff *kd = NULL;
	size_t n, i, late_k, late_x;
	bool replies_ok = true, entries_ok, excused;
	unsigned int delay_ms = 0;
	__u64 deferred;
	double t;
	int err, slot = family_is_nd(c->fam) ? 1 : 0;

	err = split_frames(c, f, &n);
	if (err)
		return err;
	/* Only what the previous case left behind (its dump said) */
	t = now_s();
	err = lab_flush(&r->lab, r->dirty);
	if (err)
		return err;
	r->dirty = 0;
	r->t_flush += now_s() - t;
	t = now_s();
	err = lab_drain(&r->lab, &late_k, &late_x);
	if (err)
		return err;
	if (late_k || late_x) {
		printf("LATE: %zu kernel / %zu xneigh frames arrived after the previous case "
		       "ended (found before case %s under %s)\n", late_k, late_x, c->name,
		       co->name);
		r->late += late_k + late_x;
	}
	/* proxy_delay is in USER_HZ ticks; the kernel answers within it */
	delay_ms = (co->nd ? co->proxy_delay6 : co->proxy_delay) * 10;

	err = lab_stats(&r->lab, 0, &s0[0]) ?: lab_stats(&r->lab, 1, &s0[1]);
	if (err) {
		fprintf(stderr, "xneigh-diff: reading xneigh's counters: %s\n", strerror(-err));
		return err;
	}
	deferred = s0[slot].proxy_deferred;
	for (i = 0; i < n; i++) {
		if (f[i].sleep_ms)
			usleep(f[i].sleep_ms * 1000);
		err = lab_exchange(&r->lab, &f[i], r->lab.wait_ms, &ck[i], &cx[i]);
		if (err)
			return err;
		if (ck[i].no_sentinel || cx[i].no_sentinel) {
			printf("SENTINEL: the %s side did not answer the sentinel within %d ms "
			       "(case %s frame %zu under %s): its answers may be incomplete\n",
			       ck[i].no_sentinel ? "kernel" : "xneigh", SENTINEL_TIMEOUT_MS, c->name,
			       i + 1, co->name);
			r->late++;
		}
		if (ck[i].n && ck[i].first_ns > r->slowest[0])
			r->slowest[0] = ck[i].first_ns;
		if (cx[i].n && cx[i].first_ns > r->slowest[1])
			r->slowest[1] = cx[i].first_ns;
		/* xneigh left a proxy request to the kernel's random delay:
		 * wait for the kernel side's delayed answer, so it is not
		 * taken for a later frame's */
		err = lab_stats(&r->lab, slot, &sf);
		if (err)
			return err;
		if (delay_ms && sf.proxy_deferred > deferred) {
			err = lab_await_kernel(&r->lab, delay_ms + 100, &ck[i], &cx[i]);
			if (err)
				return err;
		}
		deferred = sf.proxy_deferred;
		if (!capture_equal(&ck[i], &cx[i]))
			replies_ok = false;
		r->frames++;
	}
	err = lab_stats(&r->lab, 0, &s1[0]) ?: lab_stats(&r->lab, 1, &s1[1]);
	if (err)
		return err;
	r->t_frames += now_s() - t;
	t = now_s();
	err = lab_dump(&r->lab, &tk, &tx, &txk);
	r->t_dump += now_s() - t;
	if (err)
		goto out;
	r->dirty = (tk.n ? FLUSH_K : 0) | (tx.n ? FLUSH_X : 0) | (txk.n ? FLUSH_XK : 0);
	r->cases++;
	entries_ok = ntable_equal(&tk, &tx);

	/* the counter-proven deferrals first: they excuse whatever the case
	 * is otherwise documented for */
	if (!co->nd && co->proxy_delay && c->fam == FAM_P &&
		 s1[0].proxy_deferred > s0[0].proxy_deferred)
		kd = known_find("proxy_delay");
	else if (co->nd && co->proxy_delay6 && c->fam == FAM_NDNS &&
		 s1[1].proxy_deferred > s0[1].proxy_deferred)
		kd = known_find("proxy_delay6");
	else if (co->nd && s1[1].nd_deferred > s0[1].nd_deferred)
		kd = known_find("nd_unresolved");
	else if (c->known)
		kd = known_find(c->known);

	if (replies_ok && entries_ok) {
		r->fam[c->fam].agree++;
		/* e.g. a tagged frame under arp_ignore=8: nobody answers */
		if (kd && c->known && known_index(kd) < KNOWN_MAX)
			r->known_agreed[known_index(kd)]++;
		if (c->known && r->lab.verbose)
			printf("note [%s] %s under %s is listed as known difference '%s' but agreed\n",
			       family_names[c->fam], c->name, co->name, c->known);
		else if (r->lab.verbose)
			printf("ok   [%s] %s under %s\n", family_names[c->fam], c->name, co->name);
		if (r->lab.verbose < 2)
			goto out;
		goto details;
	}
	excused = kd && (replies_ok || (kd->excuses & KNOWN_REPLY)) &&
		  (entries_ok || (kd->excuses & KNOWN_ENTRIES));
	if (excused) {
		r->fam[c->fam].known++;
		if (known_index(kd) < KNOWN_MAX)
			r->known_used[known_index(kd)]++;
		printf("KNOWN [%s] %s under %s: documented difference '%s'\n", family_names[c->fam],
		       c->name, co->name, kd->id);
		if (!r->lab.verbose)
			goto out;
	} else if (!r->retrying) {
		/* A disagreement must be reproducible: run the case once more
		 * from flushed tables (both sides are live kernels with their own
		 * timers; a single late timer must not fail CI). The second
		 * verdict counts, and the retry is reported. */
		ntable_free(&tk);
		ntable_free(&tx);
		ntable_free(&txk);
		printf("RETRY [%s] %s under %s: disagreed once (replies %s, entries %s); again\n",
		       family_names[c->fam], c->name, co->name, replies_ok ? "same" : "differ",
		       entries_ok ? "same" : "differ");
		r->retrying = true;
		r->dirty = FLUSH_ALL;
		err = run_case(r, co, c);
		r->retrying = false;
		r->retried++;
		return err;
	} else {
		r->fam[c->fam].disagree++;
		note_disagreement(r, c, co, replies_ok, entries_ok);
		printf("DISAGREE [%s] %s under %s\n", family_names[c->fam], c->name, co->name);
	}
details:
	printf("    checks: %s\n", c->note);
	for (i = 0; i < n; i++) {
		bool same = capture_equal(&ck[i], &cx[i]);

		printf("    frame %zu/%zu%s\n", i + 1, n, same ? " (same answer)" : " (answers differ)");
		print_frame("sent:", &f[i]);
		print_capture("kernel", &ck[i]);
		print_capture("xneigh", &cx[i]);
	}
	printf("    xneigh counters moved: ");
	print_stats_delta(&s0[slot], &s1[slot], slot, r->lab.sentinel ? n : 0);
	printf("    entries%s:\n", entries_ok ? " (same)" : " (differ)");
	printf("      kernel (ip -j neigh show nud all):\n");
	ntable_print(&tk, "        ");
	printf("      xneigh (xneigh -j show nud all):\n");
	ntable_print(&tx, "        ");
out:
	ntable_free(&tk);
	ntable_free(&tx);
	ntable_free(&txk);
	return err;
}

static bool combo_selected(const struct run *r, const struct combo *co)
{
	return !r->combo_filter || strstr(co->name, r->combo_filter);
}

static bool case_selected(const struct run *r, const struct diff_case *c, const struct combo *co)
{
	if (!(r->families & (1u << c->fam)))
		return false;
	if (r->case_filter && !strstr(c->name, r->case_filter))
		return false;
	return corpus_case_applies(c, co, r->level);
}

static void print_summary(const struct run *r, double secs)
{
	unsigned int ta = 0, tk = 0, td = 0;
	size_t i;

	if (r->noneline) {
		printf("\n%zu disagreements (details above):\n", r->noneline);
		for (i = 0; i < r->noneline && i < ONELINE_MAX; i++)
			printf("  %s\n", r->oneline[i]);
		if (r->noneline > ONELINE_MAX)
			printf("  ... and %zu more\n", r->noneline - ONELINE_MAX);
	}
	printf("\nagreement per rule family (cases x combinations):\n");
	printf("  %-6s %8s %8s %8s %8s\n", "family", "agree", "known", "DISAGREE", "total");
	for (i = 0; i < FAM__COUNT; i++) {
		const struct tally *t = &r->fam[i];
		unsigned int tot = t->agree + t->known + t->disagree;

		if (!tot)
			continue;
		printf("  %-6s %8u %8u %8u %8u\n", family_names[i], t->agree, t->known, t->disagree,
		       tot);
		ta += t->agree;
		tk += t->known;
		td += t->disagree;
	}
	printf("  %-6s %8u %8u %8u %8u\n", "all", ta, tk, td, ta + tk + td);
	for (i = 0; i < known_ndiffs && i < KNOWN_MAX; i++) {
		if (r->known_used[i])
			printf("documented difference '%s' (%u cases): %s.\n  why: %s.\n",
			       known_diffs[i].id, r->known_used[i], known_diffs[i].what,
			       known_diffs[i].why);
		if (r->known_agreed[i])
			printf("cases listed as documented difference '%s' that agreed: %u (-v names "
			       "them)\n", known_diffs[i].id, r->known_agreed[i]);
	}
	if (r->retried)
		printf("%u case runs disagreed once and were run again (the second verdict counts)\n",
		       r->retried);
	printf("%u case runs, %u frames sent to each side, %.1f s; slowest first answer: "
	       "kernel %.2f ms, xneigh %.2f ms\n", r->cases, r->frames, secs,
	       r->slowest[0] / 1e6, r->slowest[1] / 1e6);
	printf("time: sysctls and xneighd sync %.1f s, flushing %.1f s, frames %.1f s, "
	       "reading tables %.1f s\n", r->t_sync, r->t_flush, r->t_frames, r->t_dump);
	if (r->late)
		printf("%u frames came after their case ended, or a sentinel went unanswered: "
		       "the comparison of those cases is not trustworthy\n", r->late);
}

/* Every spec of the corpus must build: fail before touching the lab. */
static int check_corpus(void)
{
	struct frame f[MAX_FRAMES];
	size_t i, n;

	for (i = 0; i < corpus_ncases; i++)
		if (split_frames(&corpus_cases[i], f, &n))
			return -EINVAL;
	return 0;
}

static int list_corpus(enum corpus_level level)
{
	struct combo *combos;
	size_t nc, i, j, runs = 0, frames = 0;

	if (corpus_combos(level, &combos, &nc))
		return 1;
	for (i = 0; i < nc; i++) {
		size_t k = 0;

		for (j = 0; j < corpus_ncases; j++)
			if (corpus_case_applies(&corpus_cases[j], &combos[i], level)) {
				const char *p = corpus_cases[j].frames;

				k++;
				frames++;
				while ((p = strchr(p, ';'))) {
					frames++;
					p++;
				}
			}
		printf("combination %-60s %3zu cases\n", combos[i].name, k);
		runs += k;
	}
	printf("%zu cases, %zu combinations, %zu case runs, %zu frames per side\n", corpus_ncases,
	       nc, runs, frames);
	free(combos);
	return 0;
}

static int parse_families(const char *s, unsigned int *out)
{
	char buf[128], *tok, *save = NULL;
	size_t i;

	*out = 0;
	snprintf(buf, sizeof(buf), "%s", s);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (!strcmp(tok, "arp")) {
			*out |= (1u << FAM_V) | (1u << FAM_D) | (1u << FAM_R) | (1u << FAM_P) |
				(1u << FAM_U);
			continue;
		}
		if (!strcmp(tok, "nd")) {
			*out |= (1u << FAM_NDV) | (1u << FAM_NDNS) | (1u << FAM_NDNA);
			continue;
		}
		for (i = 0; i < FAM__COUNT; i++)
			if (!strcmp(tok, family_names[i]))
				break;
		if (i == FAM__COUNT) {
			fprintf(stderr, "xneigh-diff: unknown family '%s' (V D R P U ND-V ND-NS ND-NA "
				"arp nd)\n", tok);
			return -EINVAL;
		}
		*out |= 1u << i;
	}
	return 0;
}

static int parse_pair(const char *s, const char **a, const char **b)
{
	char *comma, *dup = strdup(s);

	if (!dup)
		return -ENOMEM;
	comma = strchr(dup, ',');
	if (!comma || comma == dup || !comma[1]) {
		free(dup);
		return -EINVAL;
	}
	*comma = '\0';
	*a = dup;
	*b = comma + 1;
	return 0;
}

static void usage(FILE *to)
{
	fprintf(to,
		"usage: xneigh-diff --kernel HOSTNS,PEERNS --xneigh HOSTNS,PEERNS --cli PATH\n"
		"                   [--xneighd-pid PID] [--corpus bounded|full] [--wait-ms N]\n"
		"                   [--family F[,F...]] [--case SUBSTR] [--combo SUBSTR]\n"
		"                   [--no-sentinel] [-v|-vv]\n"
		"       xneigh-diff --list [--corpus bounded|full]\n"
		"Every frame is followed by a sentinel (a DAD NS for " LAB_SENTINEL6 ", which h0\n"
		"must have) whose answer marks the end of the frame's answers; --no-sentinel\n"
		"waits --wait-ms (default 20) for answers instead.\n"
		"families: V D R P U (ARP), ND-V ND-NS ND-NA, or arp / nd\n"
		"exit: 0 agreement (or documented differences only), 1 disagreement or lab\n"
		"failure, 2 usage\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "kernel", required_argument, NULL, 'k' },
		{ "xneigh", required_argument, NULL, 'x' },
		{ "cli", required_argument, NULL, 'c' },
		{ "xneighd-pid", required_argument, NULL, 'p' },
		{ "corpus", required_argument, NULL, 'C' },
		{ "wait-ms", required_argument, NULL, 'w' },
		{ "family", required_argument, NULL, 'f' },
		{ "case", required_argument, NULL, 'n' },
		{ "combo", required_argument, NULL, 'm' },
		{ "ip", required_argument, NULL, 'i' },
		{ "list", no_argument, NULL, 'l' },
		{ "no-sentinel", no_argument, NULL, 'S' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct run r = { .level = CORPUS_BOUNDED, .families = (1u << FAM__COUNT) - 1,
			 .dirty = FLUSH_ALL };
	struct combo *combos = NULL;
	size_t ncombos, i, j;
	bool list = false, failed = false;
	double t0, t;
	int o, err;
	char *end;

	r.lab.wait_ms = 20;
	r.lab.sentinel = true;
	r.lab.ip = "ip";
	while ((o = getopt_long(argc, argv, "vh", opts, NULL)) != -1) {
		switch (o) {
		case 'k':
			if (parse_pair(optarg, &r.lab.k.host_ns, &r.lab.k.peer_ns))
				goto bad;
			break;
		case 'x':
			if (parse_pair(optarg, &r.lab.x.host_ns, &r.lab.x.peer_ns))
				goto bad;
			break;
		case 'c':
			r.lab.xneigh_cli = optarg;
			break;
		case 'p':
			r.lab.x.xneighd_pid = strtol(optarg, &end, 10);
			if (*end || r.lab.x.xneighd_pid <= 0)
				goto bad;
			break;
		case 'C':
			if (!strcmp(optarg, "bounded"))
				r.level = CORPUS_BOUNDED;
			else if (!strcmp(optarg, "full"))
				r.level = CORPUS_FULL;
			else
				goto bad;
			break;
		case 'w':
			r.lab.wait_ms = strtoul(optarg, &end, 10);
			if (*end || !r.lab.wait_ms || r.lab.wait_ms > 5000)
				goto bad;
			break;
		case 'f':
			if (parse_families(optarg, &r.families))
				return 2;
			break;
		case 'n':
			r.case_filter = optarg;
			break;
		case 'm':
			r.combo_filter = optarg;
			break;
		case 'i':
			r.lab.ip = optarg;
			break;
		case 'l':
			list = true;
			break;
		case 'S':
			r.lab.sentinel = false;
			break;
		case 'v':
			r.lab.verbose++;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "xneigh-diff: unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		return 2;
	}
	if (check_corpus())
		return 1;
	if (list)
		return list_corpus(r.level);
	if (!r.lab.k.host_ns || !r.lab.x.host_ns || !r.lab.xneigh_cli) {
		fprintf(stderr, "xneigh-diff: --kernel, --xneigh and --cli are required\n");
		usage(stderr);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);

	err = corpus_combos(r.level, &combos, &ncombos);
	if (err) {
		fprintf(stderr, "xneigh-diff: building the corpus: %s\n", strerror(-err));
		return 1;
	}
	err = lab_open(&r.lab);
	if (err) {
		free(combos);
		lab_close(&r.lab);
		return 1;
	}
	if (r.lab.sentinel)
		printf("corpus %s: %zu combinations; answers end at the sentinel's\n",
		       r.level == CORPUS_FULL ? "full" : "bounded", ncombos);
	else
		printf("corpus %s: %zu combinations; reply window %u ms\n",
		       r.level == CORPUS_FULL ? "full" : "bounded", ncombos, r.lab.wait_ms);
	t0 = now_s();
	for (i = 0; i < ncombos && !err; i++) {
		const struct combo *co = &combos[i];
		bool any = false;

		if (!combo_selected(&r, co))
			continue;
		for (j = 0; j < corpus_ncases && !any; j++)
			any = case_selected(&r, &corpus_cases[j], co);
		if (!any)
			continue;
		if (r.lab.verbose)
			printf("== %s\n", co->name);
		t = now_s();
		err = lab_apply_combo(&r.lab, co);
		r.t_sync += now_s() - t;
		r.dirty = FLUSH_ALL;
		for (j = 0; j < corpus_ncases && !err; j++)
			if (case_selected(&r, &corpus_cases[j], co))
				err = run_case(&r, co, &corpus_cases[j]);
	}
	if (err) {
		fprintf(stderr, "xneigh-diff: the lab failed (%s); stopping\n", strerror(-err));
		failed = true;
	}
	print_summary(&r, now_s() - t0);
	if (!err && !r.cases) {
		fprintf(stderr, "xneigh-diff: no case matches the filters\n");
		failed = true;
	}
	for (i = 0; i < FAM__COUNT; i++)
		if (r.fam[i].disagree)
			failed = true;
	if (r.late)
		failed = true;
	free(combos);
	for (i = 0; i < r.noneline; i++)
		free(r.oneline[i]);
	free(r.oneline);
	lab_close(&r.lab);
	return failed ? 1 : 0;
bad:
	fprintf(stderr, "xneigh-diff: bad option value '%s'\n", optarg);
	usage(stderr);
	return 2;
}
