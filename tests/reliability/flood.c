// SPDX-License-Identifier: GPL-2.0
/* xneigh-flood: the flood driver of tests/netns/test_flood.sh.
 *
 * Run inside the namespace where xneighd serves DEV in XDP mode. It finds the
 * xn_xdp program attached to DEV (and the tables through it), loads the
 * injector tests/bpf/flood_inject.bpf.o with xn_xdp in its tail-call slot,
 * and feeds it with BPF_F_TEST_XDP_LIVE_FRAMES: every live frame becomes the
 * next flood sender (gratuitous ARP, ARP request for our address or
 * unsolicited NA, each from a sender id never used before) or, every
 * --legit-every frames, a request for our address from one of --legit
 * legitimate senders. XDP_TX really transmits on DEV, so the peer's
 * tests/bpf/flood_peer.bpf.o counts the answers (--peer-map).
 *
 * Between two test runs of --chunk frames it samples every --watch entry
 * (which must exist before, and never disappear nor be made again: its gen
 * never goes down) and, every 20 ms at most, the sizes of both tables.
 * After the flood it keeps sampling for up to --drain seconds, until both
 * tables are back within --limit. It prints one "name=value" line per
 * figure and an "evicted: ..." line for each disappearance of a watched
 * entry, and exits 0 (1 on a setup error, 2 on bad usage): the script
 * judges.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "xneigh/maps.h"
#include "maps_open.h"
#include "flood.h"

#define WATCH_MAX	16

struct watch {
	char text[INET6_ADDRSTRLEN];
	int family;
	__u8 key[sizeof(struct xn_neigh6_key)];
	__u32 last_gen;
	__u8 last_state;
	unsigned int evicted;
	int missing;		/* absent at the last sample */
};

static struct {
	const char *dev;
	const char *build;
	__u64 senders;
	unsigned int legit, legit_every, chunk;
	double drain;
	__u32 peer_map, limit;
	int daemon_pid;
	struct in_addr our4, flood4, legit4;
	struct in6_addr our6, flood6, legit6;
} opt = {
	.build = "build", .senders = 1000000, .legit = 4, .legit_every = 100, .chunk = 8192,
	.drain = 30,
};

static struct watch watches[WATCH_MAX];
static int nwatch;
static int ifindex;
static int neigh_fd[2];

static void die(const char *what, int err)
{
	fprintf(stderr, "xneigh-flood: %s: %s\n", what, strerror(err < 0 ? -err : err));
	exit(1);
}

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

/* ---- frames ---------------------------------------------------------------- */

static __u32 sum16(const void *p, size_t len, __u32 sum)
{
	const __u8 *b = p;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (__u32)(b[i] << 8 | b[i + 1]);
	if (len & 1)
		sum += (__u32)b[len - 1] << 8;
	return sum;
}

static __u16 fold(__u32 sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (__u16)sum;
}

/* ARP over Ethernet, padded with zeros to FL_LEN */
static void arp_frame(__u8 *f, const __u8 *dst, const __u8 *sha, struct in_addr sip,
		      struct in_addr tip)
{
	memset(f, 0, FL_LEN);
	memcpy(f, dst, 6);
	memcpy(f + 6, sha, 6);
	f[12] = 0x08; f[13] = 0x06;
	f[15] = 1; f[16] = 0x08; f[18] = 6; f[19] = 4;
	f[21] = 1;				/* request */
	memcpy(f + 22, sha, 6);
	memcpy(f + 28, &sip, 4);
	memcpy(f + 38, &tip, 4);
}

/* IPv6 + ICMPv6 ND message of 24 bytes + one 8-byte link-layer option; the
 * checksum is left to the caller. Returns the unfolded sum with the checksum
 * field zero. */
static __u32 nd_frame(__u8 *f, const __u8 *dmac, const __u8 *smac, const struct in6_addr *src,
		      const struct in6_addr *dst, __u8 type, __u8 flags,
		      const struct in6_addr *target, __u8 opt_type, const __u8 *opt_mac)
{
	__u8 *ip6 = f + 14, *icmp = f + 54, pseudo[8] = { 0, 0, 0, 32, 0, 0, 0, 58 };

	memset(f, 0, FL_LEN);
	memcpy(f, dmac, 6);
	memcpy(f + 6, smac, 6);
	f[12] = 0x86; f[13] = 0xdd;
	ip6[0] = 0x60; ip6[5] = 32; ip6[6] = 58; ip6[7] = 255;
	memcpy(ip6 + 8, src, 16);
	memcpy(ip6 + 24, dst, 16);
	icmp[0] = type;
	icmp[4] = flags;
	memcpy(icmp + 8, target, 16);
	icmp[24] = opt_type;
	icmp[25] = 1;
	memcpy(icmp + 26, opt_mac, 6);
	return sum16(icmp, 32, sum16(pseudo, 8, sum16(ip6 + 8, 32, 0)));
}

static void set_csum(__u8 *f, __u32 sum)
{
	__u16 c = (__u16)~fold(sum);

	f[56] = c >> 8;
	f[57] = c & 0xff;
}

static void legit_mac(__u8 *mac, unsigned int j)
{
	memcpy(mac, "\x02\x1e\x00\x00\x00\x00", 6);
	mac[5] = (__u8)(j + 1);
}

static void fill_frames(struct fl_state *b)
{
	static const __u8 bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const __u8 allnodes_mac[6] = { 0x33, 0x33, 0, 0, 0, 1 };
	static const __u8 flood_mac[6] = { 0x02, 0xf1, 0, 0, 0, 0 };
	struct in6_addr allnodes = { .s6_addr = { 0xff, 2, [15] = 1 } };
	struct in6_addr snm = { .s6_addr = { 0xff, 2, [11] = 1, [12] = 0xff } };
	struct in6_addr a6 = opt.flood6;
	struct in_addr zero4 = { 0 };
	__u8 snm_mac[6] = { 0x33, 0x33, 0xff };
	unsigned int j;

	/* flood: sender fields zero; the injector writes them */
	arp_frame(b->tmpl[FL_GARP], bcast, flood_mac, zero4, zero4);
	arp_frame(b->tmpl[FL_AREQ], bcast, flood_mac, zero4, opt.our4);
	memset(&a6.s6_addr[12], 0, 4);
	/* unsolicited NA to all nodes, Override, with the target's MAC */
	b->na_sum = nd_frame(b->tmpl[FL_NA], allnodes_mac, flood_mac, &a6, &allnodes, 136, 0x20,
			     &a6, 2, flood_mac);
	/* legitimate: ARP requests and NSes (multicast, with SLLAO) for ours */
	memcpy(&snm.s6_addr[13], &opt.our6.s6_addr[13], 3);
	memcpy(snm_mac + 3, &opt.our6.s6_addr[13], 3);
	for (j = 0; j < opt.legit; j++) {
		struct in_addr s4 = { htonl(ntohl(opt.legit4.s_addr) + j) };
		struct in6_addr s6 = opt.legit6;
		__u8 mac[6];

		legit_mac(mac, j);
		s6.s6_addr[15] = (__u8)(s6.s6_addr[15] + j);
		arp_frame(b->legit_arp[j], bcast, mac, s4, opt.our4);
		set_csum(b->legit_ns[j], nd_frame(b->legit_ns[j], snm_mac, mac, &s6, &snm, 135, 0,
						  &opt.our6, 1, mac));
	}
	b->v4_base = ntohl(opt.flood4.s_addr);
	b->nlegit = opt.legit;
	b->legit_every = opt.legit ? opt.legit_every : 0;
	b->limit = opt.senders;
}

/* ---- sampling -------------------------------------------------------------- */

static size_t table_size(int f)
{
	size_t ksz = f ? sizeof(struct xn_neigh6_key) : sizeof(struct xn_neigh4_key);
	void *keys = NULL, *vals = NULL;
	size_t cnt = 0;
	int err = xn_map_dump(neigh_fd[f], ksz, sizeof(struct xn_neigh), 0, &keys, &vals, &cnt);

	free(keys);
	free(vals);
	if (err)
		die("read a neighbour table", err);
	return cnt;
}

static void sample_watches(double t)
{
	int i;

	for (i = 0; i < nwatch; i++) {
		struct watch *w = &watches[i];
		struct xn_neigh v;
		bool evicted = false;

		if (bpf_map_lookup_elem_flags(neigh_fd[w->family == AF_INET6], w->key, &v,
					      BPF_F_LOCK)) {
			if (!w->missing)
				evicted = true;
			w->missing = 1;
		} else {
			/* made again since the last sample (a new entry starts
			 * at gen 1) */
			if (!w->missing && v.gen < w->last_gen)
				evicted = true;
			w->missing = 0;
			w->last_gen = v.gen;
			w->last_state = v.state;
		}
		if (evicted) {
			w->evicted++;
			printf("evicted: %s (last seen in state 0x%02x) at t=%.3f s\n", w->text,
			       w->last_state, t);
		}
	}
}

/* utime + stime of a process, in seconds */
static double proc_cpu_s(int pid)
{
	char path[64], buf[1024], *p;
	unsigned long ut, st;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "r");
	if (!f)
		die(path, errno);
	if (!fgets(buf, sizeof(buf), f))
		die(path, EIO);
	fclose(f);
	/* fields after the command name, which ends at the last ')' */
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut,
			 &st) != 2)
		die("parse /proc/PID/stat", EINVAL);
	return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

static __u64 peer_count(int fd, __u32 slot)
{
	int ncpu = libbpf_num_possible_cpus(), i;
	__u64 v[ncpu], sum = 0;

	if (bpf_map_lookup_elem(fd, &slot, v))
		die("read the peer's counters", errno);
	for (i = 0; i < ncpu; i++)
		sum += v[i];
	return sum;
}

/* ---- options ----------------------------------------------------------------- */

static void parse4(const char *s, struct in_addr *a)
{
	if (inet_pton(AF_INET, s, a) != 1) {
		fprintf(stderr, "xneigh-flood: not an IPv4 address: %s\n", s);
		exit(2);
	}
}

static void parse6(const char *s, struct in6_addr *a)
{
	if (inet_pton(AF_INET6, s, a) != 1) {
		fprintf(stderr, "xneigh-flood: not an IPv6 address: %s\n", s);
		exit(2);
	}
}

static unsigned long long parse_num(const char *what, const char *s, unsigned long long max)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || end == s || v > max) {
		fprintf(stderr, "xneigh-flood: %s: not a number up to %llu: %s\n", what, max, s);
		exit(2);
	}
	return v;
}

static void add_watch(const char *s)
{
	struct watch *w;

	if (nwatch == WATCH_MAX) {
		fprintf(stderr, "xneigh-flood: more than %d --watch\n", WATCH_MAX);
		exit(2);
	}
	w = &watches[nwatch++];
	snprintf(w->text, sizeof(w->text), "%s", s);
	w->family = strchr(s, ':') ? AF_INET6 : AF_INET;
	if (w->family == AF_INET6) {
		struct xn_neigh6_key k = {};

		parse6(s, (struct in6_addr *)k.addr);
		memcpy(w->key, &k, sizeof(k));
	} else {
		struct xn_neigh4_key k = {};

		parse4(s, (struct in_addr *)&k.addr);
		memcpy(w->key, &k, sizeof(k));
	}
}

static void usage(void)
{
	fprintf(stderr,
		"usage: xneigh-flood --dev DEV --our4 A --our6 A6 --flood4 A --flood6 A6\n"
		"         --legit4 A --legit6 A6 --peer-map ID --daemon-pid PID --limit N\n"
		"         [--senders N] [--legit N] [--legit-every N] [--chunk FRAMES]\n"
		"         [--drain SECONDS] [--watch ADDR]...\n"
		"Sender i is --flood4 + i and --flood6 with i in its last 32 bits, i < N;\n"
		"N is at most 8388608 (the senders' MACs hold 24 bits of i).\n");
	exit(2);
}

static void parse_args(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "dev", 1, NULL, 'd' }, { "our4", 1, NULL, 'a' }, { "our6", 1, NULL, 'A' },
		{ "flood4", 1, NULL, 'f' }, { "flood6", 1, NULL, 'F' },
		{ "legit4", 1, NULL, 'l' }, { "legit6", 1, NULL, 'L' },
		{ "peer-map", 1, NULL, 'p' }, { "daemon-pid", 1, NULL, 'P' },
		{ "senders", 1, NULL, 'n' }, { "legit", 1, NULL, 'g' },
		{ "legit-every", 1, NULL, 'e' }, { "chunk", 1, NULL, 'c' },
		{ "drain", 1, NULL, 'D' }, { "watch", 1, NULL, 'w' }, { "limit", 1, NULL, 't' },
		{}
	};
	unsigned int seen = 0;
	int c;

	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 'd': opt.dev = optarg; seen |= 1; break;
		case 'a': parse4(optarg, &opt.our4); seen |= 2; break;
		case 'A': parse6(optarg, &opt.our6); seen |= 4; break;
		case 'f': parse4(optarg, &opt.flood4); seen |= 8; break;
		case 'F': parse6(optarg, &opt.flood6); seen |= 16; break;
		case 'l': parse4(optarg, &opt.legit4); seen |= 32; break;
		case 'L': parse6(optarg, &opt.legit6); seen |= 64; break;
		case 'p': opt.peer_map = (__u32)parse_num("--peer-map", optarg, UINT32_MAX);
			  seen |= 128; break;
		case 'P': opt.daemon_pid = (int)parse_num("--daemon-pid", optarg, INT32_MAX);
			  seen |= 256; break;
		case 't': opt.limit = (__u32)parse_num("--limit", optarg, UINT32_MAX);
			  seen |= 512; break;
		case 'n': opt.senders = parse_num("--senders", optarg, 1ull << 23); break;
		case 'g': opt.legit = (unsigned int)parse_num("--legit", optarg, FL_LEGIT_MAX);
			  break;
		case 'e': opt.legit_every = (unsigned int)parse_num("--legit-every", optarg,
								     1u << 20);
			  if (opt.legit_every < 2)
				  usage();
			  break;
		case 'c': opt.chunk = (unsigned int)parse_num("--chunk", optarg, 1u << 24);
			  if (!opt.chunk)
				  usage();
			  break;
		case 'D': opt.drain = (double)parse_num("--drain", optarg, 3600); break;
		case 'w': add_watch(optarg); break;
		default: usage();
		}
	}
	if (optind != argc || seen != 1023)
		usage();
}

/* ---- main ---------------------------------------------------------------------- */

int main(int argc, char **argv)
{
	struct xdp_md ctx = { .data_end = FL_LEN };
	struct bpf_object *obj;
	struct bpf_map *bss_map;
	struct fl_state *b;
	struct xn_maps maps;
	__u32 xdp_id = 0, zero = 0;
	__u64 legit0[2], flood0[2], legit_ans[2], flood_ans[2];
	size_t max4 = 0, max6 = 0, s4, s6, end4, end6;
	double t0, t_inj = 0, t_flood, cpu0, cpu1, cpu2, t_end, t_settled = -1;
	double next_count = 0, t_count;
	char path[512];
	int xn_fd, inj_fd, slot_fd, bss_fd, peer_fd, err, i;
	unsigned int samples = 0;

	if (getenv("BUILD"))
		opt.build = getenv("BUILD");
	parse_args(argc, argv);
	ifindex = (int)if_nametoindex(opt.dev);
	if (!ifindex)
		die(opt.dev, errno);
	for (i = 0; i < nwatch; i++)
		*(__u32 *)watches[i].key = (__u32)ifindex;

	/* xneigh: the program on DEV, its tables */
	err = bpf_xdp_query_id(ifindex, 0, &xdp_id);
	if (err || !xdp_id)
		die("no XDP program on the device (is xneighd running in XDP mode?)",
		    err ? err : ENOENT);
	xn_fd = bpf_prog_get_fd_by_id(xdp_id);
	if (xn_fd < 0)
		die("open xn_xdp by id", errno);
	xn_maps_init(&maps);
	err = xn_maps_open(&maps);
	if (err || xn_maps_require(&maps, XN_MI_NEIGH4) || xn_maps_require(&maps, XN_MI_NEIGH6)) {
		fprintf(stderr, "xneigh-flood: %s\n", maps.errmsg);
		return 1;
	}
	neigh_fd[0] = maps.neigh4;
	neigh_fd[1] = maps.neigh6;
	peer_fd = bpf_map_get_fd_by_id(opt.peer_map);
	if (peer_fd < 0)
		die("open the peer's counters (--peer-map)", errno);

	/* the injector, xn_xdp behind it */
	snprintf(path, sizeof(path), "%s/tests/flood_inject.bpf.o", opt.build);
	obj = bpf_object__open_file(path, NULL);
	if (!obj)
		die(path, errno);
	err = bpf_object__load(obj);
	if (err)
		die(path, err);
	inj_fd = bpf_program__fd(bpf_object__next_program(obj, NULL));
	slot_fd = bpf_object__find_map_fd_by_name(obj, "fl_next");
	bss_map = bpf_object__find_map_by_name(obj, ".bss");
	if (slot_fd < 0 || !bss_map)
		die("flood_inject: maps", ENOENT);
	if (bpf_map__value_size(bss_map) != sizeof(*b))
		die("flood_inject: .bss is not struct fl_state (rebuild both)", EPROTO);
	bss_fd = bpf_map__fd(bss_map);
	if (bpf_map_update_elem(slot_fd, &zero, &xn_fd, 0))
		die("put xn_xdp behind the injector", errno);
	b = calloc(1, sizeof(*b));
	if (!b)
		die("calloc", ENOMEM);
	fill_frames(b);
	if (bpf_map_update_elem(bss_fd, &zero, b, 0))
		die("write the injector's frames", errno);

	for (i = 0; i < nwatch; i++) {
		struct xn_neigh v;

		if (bpf_map_lookup_elem_flags(neigh_fd[watches[i].family == AF_INET6],
					      watches[i].key, &v, BPF_F_LOCK)) {
			fprintf(stderr, "xneigh-flood: --watch %s: no such entry on %s before the "
				"flood\n", watches[i].text, opt.dev);
			return 1;
		}
		watches[i].last_gen = v.gen;
		watches[i].last_state = v.state;
		printf("watch: %s state 0x%02x gen %u\n", watches[i].text, v.state, v.gen);
	}
	legit0[0] = peer_count(peer_fd, FP_LEGIT_ARP);
	legit0[1] = peer_count(peer_fd, FP_LEGIT_NA);
	flood0[0] = peer_count(peer_fd, FP_FLOOD_ARP);
	flood0[1] = peer_count(peer_fd, FP_FLOOD_NA);
	max4 = table_size(0);
	max6 = table_size(1);

	/* the flood */
	ctx.ingress_ifindex = (__u32)ifindex;
	cpu0 = proc_cpu_s(opt.daemon_pid);
	t0 = now_s();
	do {
		LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = b->tmpl[FL_GARP],
			    .data_size_in = FL_LEN, .ctx_in = &ctx, .ctx_size_in = sizeof(ctx),
			    .repeat = opt.chunk, .flags = BPF_F_TEST_XDP_LIVE_FRAMES,
			    .batch_size = 64);
		double t = now_s();

		err = bpf_prog_test_run_opts(inj_fd, &o);
		t_inj += now_s() - t;
		if (err)
			die("live-frames test run", err);
		if (bpf_map_lookup_elem(bss_fd, &zero, b))
			die("read the injector's counters", errno);
		sample_watches(now_s() - t0);
		/* counting a big table takes a while: once per 20 ms at
		 * most, and never more than a fifth of the time */
		t = now_s();
		if (t >= next_count) {
			s4 = table_size(0);
			s6 = table_size(1);
			max4 = s4 > max4 ? s4 : max4;
			max6 = s6 > max6 ? s6 : max6;
			samples++;
			t_count = now_s() - t;
			next_count = now_s() + (4 * t_count > 0.02 ? 4 * t_count : 0.02);
		}
	} while (b->flood < opt.senders);
	t_flood = now_s() - t0;
	cpu1 = proc_cpu_s(opt.daemon_pid);
	usleep(100000);		/* the last answers reach the peer */
	legit_ans[0] = peer_count(peer_fd, FP_LEGIT_ARP) - legit0[0];
	legit_ans[1] = peer_count(peer_fd, FP_LEGIT_NA) - legit0[1];
	flood_ans[0] = peer_count(peer_fd, FP_FLOOD_ARP) - flood0[0];
	flood_ans[1] = peer_count(peer_fd, FP_FLOOD_NA) - flood0[1];

	/* after: xneighd catches up; the tables must come back within the limit */
	t_end = now_s() + opt.drain;
	do {
		usleep(100000);
		end4 = table_size(0);
		end6 = table_size(1);
		max4 = end4 > max4 ? end4 : max4;
		max6 = end6 > max6 ? end6 : max6;
		sample_watches(now_s() - t0);
		if (end4 <= opt.limit && end6 <= opt.limit && t_settled < 0)
			t_settled = now_s() - t0 - t_flood;
	} while (t_settled < 0 && now_s() < t_end);
	cpu2 = proc_cpu_s(opt.daemon_pid);

	printf("senders_injected=%llu\n", (unsigned long long)b->flood);
	printf("senders_garp=%llu\nsenders_arp_request=%llu\nsenders_na=%llu\n",
	       (unsigned long long)b->kind[FL_GARP], (unsigned long long)b->kind[FL_AREQ],
	       (unsigned long long)b->kind[FL_NA]);
	printf("frames=%llu\n", (unsigned long long)(b->frames - b->idle));
	printf("inject_s=%.3f\nflood_s=%.3f\n", t_inj, t_flood);
	printf("frames_per_s=%.0f\n", (double)(b->frames - b->idle) / t_inj);
	printf("table_samples=%u\n", samples);
	printf("table4_max=%zu\ntable6_max=%zu\ntable4_end=%zu\ntable6_end=%zu\n", max4, max6,
	       end4, end6);
	printf("settled_s=%.1f\n", t_settled);
	printf("legit_arp_sent=%llu\nlegit_arp_answered=%llu\n",
	       (unsigned long long)b->legit_sent[0], (unsigned long long)legit_ans[0]);
	printf("legit_ns_sent=%llu\nlegit_ns_answered=%llu\n",
	       (unsigned long long)b->legit_sent[1], (unsigned long long)legit_ans[1]);
	printf("flood_arp_answered=%llu\nflood_na_answered=%llu\n",
	       (unsigned long long)flood_ans[0], (unsigned long long)flood_ans[1]);
	printf("daemon_cpu_flood_pct=%.1f\n", 100.0 * (cpu1 - cpu0) / t_flood);
	printf("daemon_cpu_s=%.2f\n", cpu2 - cpu0);
	for (i = 0; i < nwatch; i++)
		printf("watch_evicted_%d=%u\n", i, watches[i].evicted);
	xn_maps_close(&maps);
	bpf_object__close(obj);
	free(b);
	return 0;
}
