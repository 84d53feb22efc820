// SPDX-License-Identifier: GPL-2.0
/* Concurrency proof: several CPUs and "the daemon" write the same neighbour
 * entry; no reader ever sees a torn value and no update is lost.
 *
 *   CPU 0: frames  GARP 10.0.0.2 is-at aa:aa:aa:aa:aa:aa / bb:bb:bb:bb:bb:bb --+
 *   CPU 1: frames  GARP 10.0.0.2 is-at bb:bb:bb:bb:bb:bb / aa:aa:aa:aa:aa:aa --+--> xn_xdp
 *                  (a GARP overrides locktime: every run with the other MAC flips it)
 *   CPU 0: daemon  xn_ctl ADMIN|OVERRIDE: (cc:cc:cc:cc:cc:cc, REACHABLE),    ---> xn_ctl
 *                                          (dd:dd:dd:dd:dd:dd, DELAY)
 *   CPU 1: reader  bpf_map_lookup_elem_flags(BPF_F_LOCK) in a tight loop
 *   any:   events  ring_buffer__poll() on xn_events
 *                          |
 *                          v
 *            xn_neigh4 { xr0, 10.0.0.2 }  (bpf_spin_lock inside the value)
 *
 * Every writer writes a (MAC, state) pair nobody else writes:
 *   aa.. or bb.. -> STALE (a GARP request's state, ARP-U5), cc.. -> REACHABLE,
 *   dd.. -> DELAY.
 * A torn read shows up as a MAC whose six bytes differ, or a MAC with
 * another writer's state, or `gen` going backwards between two reads.
 * A lost update shows up as `gen` (bumped on every change) ending below the
 * number of changes the writers reported: the `updated` counter, which both
 * the frame path and xn_ctl bump once per change (the ctl share is
 * cross-checked with the `changed` outputs), and separately the number of
 * LLADDR/STATE events received plus events_lost.
 *
 * Showing that the test can fail: XN_CONC_NOLOCK=1 makes the reader use a
 * plain lookup (no BPF_F_LOCK), and the first test then fails with torn
 * reads (verified on the development machine: thousands of torn values in a
 * run). The second test is the same checker as a negative control, run in
 * every build: user-space writers updating in place and an unlocked reader;
 * it passes only if the checker does catch tearing.
 *
 * Assumption: the kernel is not fully preemptible (PREEMPT_NONE/VOLUNTARY, the
 * default of PREEMPT_DYNAMIC here), so two test runs on one CPU do not
 * interleave inside the program; each XDP writer has a CPU of its own anyway.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <cmocka.h>

#include "lab.h"
#include "pkt.h"

#define MAC_A	0xaa
#define MAC_B	0xbb
#define MAC_C	0xcc
#define MAC_D	0xdd
#define IP_ENTRY	IP4(10, 0, 0, 2)
#define IP_CONTROL	IP4(10, 0, 0, 3)

#define FRAME_RUNS	150000		/* per XDP writer thread */
#define CTL_RUNS	60000
#define MIN_READS	2000000

static struct lab lab;
static int lab_err = 1;

struct shared {
	atomic_int writers_left;
	atomic_int stop;
	atomic_ullong reads, torn, gen_backwards;
	atomic_ullong ctl_changed, ctl_runs, frame_runs;
	atomic_ullong ev_changes, ev_other;
	atomic_int errors;
	char first_torn[200];
	atomic_flag torn_reported;
	__u32 ifindex;
	bool locked_reads;
};

static int pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set)) {
		fprintf(stderr, "sched_setaffinity(cpu %d): %s\n", cpu, strerror(errno));
		return -errno;
	}
	return 0;
}

/* The (MAC, state) pairs of the writers. Returns NULL when consistent,
 * else what is wrong. */
static const char *check_pair(const struct xn_neigh *v)
{
	uint8_t b = v->lladdr[0];

	for (int i = 1; i < 6; i++)
		if (v->lladdr[i] != b)
			return "MAC bytes differ";
	switch (b) {
	case MAC_A:
	case MAC_B:
		return v->state == NUD_STALE ? NULL : "GARP MAC with a state other than STALE";
	case MAC_C:
		return v->state == NUD_REACHABLE ? NULL : "MAC cc with a state other than REACHABLE";
	case MAC_D:
		return v->state == NUD_DELAY ? NULL : "MAC dd with a state other than DELAY";
	default:
		return "MAC nobody wrote";
	}
}

/* The negative control's writers fill every field from one byte pattern,
 * so a value mixing two writes shows in any of its 8-byte words. */
static void fill_pattern(struct xn_neigh *v, uint8_t b, uint8_t state)
{
	memset(v, 0, sizeof(*v));
	v->state = state;
	v->flags = b;
	memset(v->lladdr, b, 6);
	v->probes = 0x01010101u * b;
	v->gen = 0x01010101u * b;
	v->xflags = 0x01010101u * b;
	v->confirmed = v->updated = v->used = 0x0101010101010101ull * b;
}

static const char *check_pattern(const struct xn_neigh *v)
{
	struct xn_neigh want;
	uint8_t b = v->lladdr[0];

	if (b != 0x11 && b != 0x22)
		return "MAC nobody wrote";
	fill_pattern(&want, b, b == 0x11 ? NUD_STALE : NUD_REACHABLE);
	return memcmp((const char *)v + 4, (const char *)&want + 4, sizeof(*v) - 4) ?
		"fields from two writes" : NULL;
}

static void note_torn(struct shared *sh, const struct xn_neigh *v, const char *why)
{
	atomic_fetch_add(&sh->torn, 1);
	if (!atomic_flag_test_and_set(&sh->torn_reported))
		snprintf(sh->first_torn, sizeof(sh->first_torn),
			 "%s: lladdr %02x:%02x:%02x:%02x:%02x:%02x state 0x%02x gen %u", why,
			 v->lladdr[0], v->lladdr[1], v->lladdr[2], v->lladdr[3], v->lladdr[4],
			 v->lladdr[5], v->state, v->gen);
}

/* ---- the proof ---------------------------------------------------------------- */

struct frame_arg {
	struct shared *sh;
	int cpu;
	uint8_t first, second;
};

static void *frame_writer(void *p)
{
	struct frame_arg *a = p;
	struct shared *sh = a->sh;
	uint8_t in[2][PKT_MAX], out[PKT_MAX];
	int len = 0;

	if (pin(a->cpu))
		atomic_fetch_add(&sh->errors, 1);
	for (int k = 0; k < 2; k++) {
		struct pkt f = {
			.kind = PKT_ARP, .eth_dst = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
			.hrd = 1, .pro = 0x0800, .hln = 6, .pln = 4, .op = 1,
			.sip = IP_ENTRY, .tip = IP_ENTRY,
		};

		memset(f.eth_src, k ? a->second : a->first, 6);
		memset(f.sha, k ? a->second : a->first, 6);
		len = pkt_build(&f, in[k], sizeof(in[k]));
	}
	for (int i = 0; i < FRAME_RUNS; i++) {
		size_t out_len = sizeof(out);
		__u32 rc;

		if (lab_run_xdp(&lab, sh->ifindex, in[i & 1], (size_t)len, out, &out_len, &rc) ||
		    rc != 2 /* XDP_PASS */) {
			atomic_fetch_add(&sh->errors, 1);
			break;
		}
		atomic_fetch_add(&sh->frame_runs, 1);
	}
	atomic_fetch_sub(&sh->writers_left, 1);
	return NULL;
}

static void *daemon_writer(void *p)
{
	struct shared *sh = p;
	uint32_t a = htonl(IP_ENTRY);

	if (pin(0))
		atomic_fetch_add(&sh->errors, 1);
	for (int i = 0; i < CTL_RUNS; i++) {
		struct xn_ctl_req req = {
			.op = XN_CTL_UPDATE, .family = AF_INET, .ifindex = sh->ifindex,
			.ctl_flags = XN_CTL_F_HAS_LLADDR,
			.state = (i & 1) ? NUD_DELAY : NUD_REACHABLE,
			.update_flags = XN_UPD_ADMIN | XN_UPD_OVERRIDE,
		};
		__u32 rc;

		memcpy(req.addr, &a, 4);
		memset(req.lladdr, (i & 1) ? MAC_D : MAC_C, 6);
		if (lab_run_ctl(&lab, &req, &rc) || rc || req.result) {
			atomic_fetch_add(&sh->errors, 1);
			break;
		}
		atomic_fetch_add(&sh->ctl_runs, 1);
		atomic_fetch_add(&sh->ctl_changed, req.changed);
	}
	atomic_fetch_sub(&sh->writers_left, 1);
	return NULL;
}

static void *reader(void *p)
{
	struct shared *sh = p;
	struct xn_neigh4_key k = { .ifindex = sh->ifindex, .addr = htonl(IP_ENTRY) };
	__u32 last_gen = 0;

	if (pin(1))
		atomic_fetch_add(&sh->errors, 1);
	while (atomic_load(&sh->writers_left) > 0 || atomic_load(&sh->reads) < MIN_READS) {
		struct xn_neigh v;
		const char *why;
		int err;

		err = sh->locked_reads ? bpf_map_lookup_elem_flags(lab.fd_neigh4, &k, &v, BPF_F_LOCK)
				       : bpf_map_lookup_elem(lab.fd_neigh4, &k, &v);
		if (err) {
			atomic_fetch_add(&sh->errors, 1);
			break;
		}
		atomic_fetch_add(&sh->reads, 1);
		why = check_pair(&v);
		if (why)
			note_torn(sh, &v, why);
		if (v.gen < last_gen) {
			atomic_fetch_add(&sh->gen_backwards, 1);
			note_torn(sh, &v, "gen went backwards");
		}
		last_gen = v.gen;
	}
	return NULL;
}

static int on_event(void *ctx, void *data, size_t size)
{
	struct shared *sh = ctx;
	const struct xn_event *e = data;
	uint32_t a;

	if (size < sizeof(*e))
		return 0;
	memcpy(&a, e->addr, 4);
	if ((e->type == XN_EV_LLADDR || e->type == XN_EV_STATE) && ntohl(a) == IP_ENTRY)
		atomic_fetch_add(&sh->ev_changes, 1);
	else
		atomic_fetch_add(&sh->ev_other, 1);
	return 0;
}

static void *events_thread(void *p)
{
	struct shared *sh = p;
	struct ring_buffer *rb;

	rb = ring_buffer__new(lab.fd_events, on_event, sh, NULL);
	if (!rb) {
		atomic_fetch_add(&sh->errors, 1);
		return NULL;
	}
	while (!atomic_load(&sh->stop))
		ring_buffer__poll(rb, 10);
	ring_buffer__consume(rb);
	ring_buffer__free(rb);
	return NULL;
}

static void test_no_torn_no_lost(void **state)
{
	struct shared *sh = calloc(1, sizeof(*sh));
	struct frame_arg fa[2];
	pthread_t th[5];
	struct xn_ifconf rx, ox;
	struct xn_stats st;
	struct xn_neigh v;
	struct xn_ctl_req seed = {
		.op = XN_CTL_UPDATE, .family = AF_INET,
		.ctl_flags = XN_CTL_F_CREATE | XN_CTL_F_HAS_LLADDR,
		.state = NUD_REACHABLE, .update_flags = XN_UPD_ADMIN | XN_UPD_OVERRIDE,
	};
	uint32_t a = htonl(IP_ENTRY);
	unsigned long long changes, gen_delta, frame_changes;
	__u32 rc, gen0;
	const char *nolock = getenv("XN_CONC_NOLOCK");

	(void)state;
	assert_non_null(sh);
	if (lab_err == -EPERM || lab_err == -EACCES)
		skip();
	assert_int_equal(lab_err, 0);
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2) {
		fprintf(stderr, "    needs two online CPUs\n");
		free(sh);
		skip();
	}
	sh->ifindex = lab.ifindex[DEV_RX];
	sh->locked_reads = !(nolock && *nolock == '1');

	assert_int_equal(lab_reset(&lab), 0);
	lab_ifconf_default(&lab, DEV_RX, &rx);
	lab_ifconf_default(&lab, DEV_OX, &ox);
	assert_int_equal(lab_apply(&lab, &rx, &ox), 0);

	/* seed the entry as the daemon would: (cc, REACHABLE) */
	seed.ifindex = sh->ifindex;
	memcpy(seed.addr, &a, 4);
	memset(seed.lladdr, MAC_C, 6);
	assert_int_equal(lab_run_ctl(&lab, &seed, &rc), 0);
	assert_int_equal(seed.result, 0);
	assert_int_equal(lab_neigh_get(&lab, sh->ifindex, IP_ENTRY, &v), 0);
	gen0 = v.gen;
	assert_int_equal(lab_stats_zero(&lab), 0);

	atomic_store(&sh->writers_left, 3);
	fa[0] = (struct frame_arg){ sh, 0, MAC_A, MAC_B };
	fa[1] = (struct frame_arg){ sh, 1, MAC_B, MAC_A };
	assert_int_equal(pthread_create(&th[0], NULL, events_thread, sh), 0);
	assert_int_equal(pthread_create(&th[1], NULL, reader, sh), 0);
	assert_int_equal(pthread_create(&th[2], NULL, frame_writer, &fa[0]), 0);
	assert_int_equal(pthread_create(&th[3], NULL, frame_writer, &fa[1]), 0);
	assert_int_equal(pthread_create(&th[4], NULL, daemon_writer, sh), 0);
	for (int i = 1; i < 5; i++)
		pthread_join(th[i], NULL);
	usleep(100000);
	atomic_store(&sh->stop, 1);
	pthread_join(th[0], NULL);

	assert_int_equal(lab_neigh_get(&lab, sh->ifindex, IP_ENTRY, &v), 0);
	assert_int_equal(lab_stats_sum(&lab, XN_FAM_ARP, &st), 0);
	gen_delta = v.gen - gen0;
	changes = st.updated;
	frame_changes = st.updated - atomic_load(&sh->ctl_changed);

	fprintf(stderr,
		"    reads %llu (%s), writes: %llu frames + %llu xn_ctl runs\n"
		"    changes: counter updated %llu (frames %llu, xn_ctl changed %llu), lladdr_changes %llu, locktime_refused %llu\n"
		"    gen %u -> %u (+%llu); events %llu + events_lost %llu; torn reads %llu (gen backwards %llu)\n",
		(unsigned long long)atomic_load(&sh->reads), sh->locked_reads ? "BPF_F_LOCK" : "NO LOCK",
		(unsigned long long)atomic_load(&sh->frame_runs),
		(unsigned long long)atomic_load(&sh->ctl_runs), changes, frame_changes,
		(unsigned long long)atomic_load(&sh->ctl_changed), (unsigned long long)st.lladdr_changes,
		(unsigned long long)st.locktime_refused, gen0, v.gen, gen_delta,
		(unsigned long long)atomic_load(&sh->ev_changes), (unsigned long long)st.events_lost,
		(unsigned long long)atomic_load(&sh->torn), (unsigned long long)atomic_load(&sh->gen_backwards));
	if (atomic_load(&sh->torn))
		fprintf(stderr, "    first torn value: %s\n", sh->first_torn);

	assert_int_equal(atomic_load(&sh->errors), 0);
	assert_int_equal(atomic_load(&sh->frame_runs), 2 * FRAME_RUNS);
	assert_int_equal(atomic_load(&sh->ctl_runs), CTL_RUNS);
	assert_true(atomic_load(&sh->reads) >= MIN_READS);
	/* the writers really contended: both kinds changed the entry */
	assert_true(frame_changes > 1000);
	assert_true(atomic_load(&sh->ctl_changed) > 1000);
	/* no torn value ever */
	assert_int_equal(atomic_load(&sh->torn), 0);
	assert_true(check_pair(&v) == NULL);
	/* no lost update */
	assert_int_equal(gen_delta, changes);
	assert_int_equal(atomic_load(&sh->ev_changes) + st.events_lost, changes);
	/* nothing else happened to the table */
	assert_int_equal(st.allocs, 0);
	assert_int_equal(st.rx_arp, 2 * FRAME_RUNS);
	assert_int_equal(lab_neigh_count(&lab), 1);
	free(sh);
}

/* ---- negative control: the same checker without the lock ------------------------ */

struct plain_arg {
	struct shared *sh;
	int cpu;
	uint8_t mac;
	uint8_t state;
};

static void *plain_writer(void *p)
{
	struct plain_arg *a = p;
	struct xn_neigh v = {};

	if (pin(a->cpu))
		atomic_fetch_add(&a->sh->errors, 1);
	fill_pattern(&v, a->mac, a->state);
	while (!atomic_load(&a->sh->stop)) {
		/* in place: the value is copied into the element under its lock,
		 * which only helps readers that take the lock too */
		if (lab_neigh_put(&lab, a->sh->ifindex, IP_CONTROL, &v)) {
			atomic_fetch_add(&a->sh->errors, 1);
			break;
		}
	}
	return NULL;
}

static void test_checker_catches_tearing(void **state)
{
	struct shared *sh = calloc(1, sizeof(*sh));
	struct plain_arg wa[2];
	pthread_t th[2];
	struct xn_neigh4_key k;
	struct xn_neigh v = {};
	uint64_t t_end;

	(void)state;
	assert_non_null(sh);
	if (lab_err == -EPERM || lab_err == -EACCES)
		skip();
	assert_int_equal(lab_err, 0);
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		skip();
	assert_int_equal(lab_reset(&lab), 0);
	sh->ifindex = lab.ifindex[DEV_RX];
	k.ifindex = sh->ifindex;
	k.addr = htonl(IP_CONTROL);
	fill_pattern(&v, 0x11, NUD_STALE);
	assert_int_equal(lab_neigh_put(&lab, sh->ifindex, IP_CONTROL, &v), 0);

	wa[0] = (struct plain_arg){ sh, 0, 0x11, NUD_STALE };
	wa[1] = (struct plain_arg){ sh, 1, 0x22, NUD_REACHABLE };
	assert_int_equal(pthread_create(&th[0], NULL, plain_writer, &wa[0]), 0);
	assert_int_equal(pthread_create(&th[1], NULL, plain_writer, &wa[1]), 0);
	/* the reader takes no lock; stop at the first tear or after 60 s */
	t_end = lab_now_ns() + 60ull * 1000000000ull;
	while (!atomic_load(&sh->torn) && lab_now_ns() < t_end) {
		const char *why;

		if (bpf_map_lookup_elem(lab.fd_neigh4, &k, &v)) {
			atomic_fetch_add(&sh->errors, 1);
			break;
		}
		atomic_fetch_add(&sh->reads, 1);
		why = check_pattern(&v);
		if (why)
			note_torn(sh, &v, why);
	}
	atomic_store(&sh->stop, 1);
	pthread_join(th[0], NULL);
	pthread_join(th[1], NULL);
	fprintf(stderr, "    unlocked reads %llu, torn %llu%s%s\n",
		(unsigned long long)atomic_load(&sh->reads), (unsigned long long)atomic_load(&sh->torn),
		atomic_load(&sh->torn) ? ": " : "", atomic_load(&sh->torn) ? sh->first_torn : "");
	assert_int_equal(atomic_load(&sh->errors), 0);
	/* the checker must see what a missing lock does */
	assert_true(atomic_load(&sh->torn) > 0);
	free(sh);
}

static int group_setup(void **state)
{
	(void)state;
	lab_err = lab_netns();
	if (!lab_err)
		lab_err = lab_open(&lab, 0);
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	if (!lab_err)
		lab_close(&lab);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_torn_no_lost),
		cmocka_unit_test(test_checker_catches_tearing),
	};

	return cmocka_run_group_tests_name("concurrency (xn_xdp x2 CPUs + xn_ctl + BPF_F_LOCK reader)",
					   tests, group_setup, group_teardown);
}
