// SPDX-License-Identifier: GPL-2.0
/* xneigh-reqload: a steady load of ARP requests and NSs at a fixed rate, and
 * an exact count of their answers.
 *
 *   xneigh-reqload -i DEV --mac MAC [--arp SRC4,TARGET4] [--ns SRC6,TARGET6]
 *                  [--rate N] [--seconds S]
 *
 * Requests leave DEV through an AF_PACKET socket, ARP and NS alternating
 * when both are asked for. The answers are counted on the way back by
 * tests/bpf/reqload_count.bpf.c, which must be attached (XDP) to DEV: it
 * counts and drops exactly the replies to these requests, so the figures
 * are exact, never sampled. A request counts as sent once the kernel has
 * taken it: a send the veth refuses (ENOBUFS, its ring toward the other end
 * full) is retried, so every request sent reached the other end's XDP hook.
 *
 * --rate 0 sends flat out (the saturation run). Without --seconds it runs
 * until SIGINT or SIGTERM. At the end it waits up to a second for answers
 * still on their way, then prints one JSON object:
 *
 *   {"rate":N,"seconds":S,"sent":N,"sent_arp":N,"sent_ns":N,"answered":N,
 *    "answered_arp":N,"answered_na":N,"lost":N,"extra":N,"send_retries":N,
 *    "behind_max":N,"reply_gap_max_ms":F,"deficit_per_second":[...]}
 *
 * lost = requests without an answer, extra = answers beyond the requests
 * (a second answerer on the link). deficit_per_second: sent - answered at
 * the end of every second, so a loss shows when it happened (a deficit that
 * stays from then on); in-flight requests make it a few at most otherwise.
 * reply_gap_max_ms: the longest time requests were outstanding and no answer
 * came. behind_max: the most requests the sender was ever behind its
 * schedule (rate / 1000 in a round of 1 ms; more: it was starved of CPU).
 *
 * Exit status: 0 ran (whatever the loss: the caller judges), 1 failure,
 * 2 usage error.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <linux/if_ether.h>
#include <linux/if_link.h>
#include <linux/if_packet.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "fmt.h"

#define PROG		"xneigh-reqload"
#define COUNT_PROG	"reqload_count"
#define TICK_NS		1000000ull	/* one sending round per millisecond */
#define BATCH_MAX	64		/* frames per sendmmsg(), at most */
#define CATCHUP_PAUSE_NS 20000		/* between batches when behind schedule */
#define DRAIN_NS	1000000000ull	/* wait for late answers, at most */
#define SECONDS_MAX	3600

/* what tests/bpf/reqload_count.bpf.c reads (struct rq_conf) */
struct rq_conf {
	__u8 mac[6];
	__u8 pad[2];
	__be32 ip4;
	__u8 ip6[16];
	__u8 target6[16];
};

enum { RQ_ARP_REPLY = 0, RQ_NA = 1, RQ__MAX };

#define ARP_LEN		60	/* 42 bytes, padded to the Ethernet minimum */
#define NS_LEN		86	/* Ethernet + IPv6 + NS + one SLLAO */

struct counter {
	int fd;			/* rq_count */
	int ncpus;
	__u64 *per_cpu;
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = 1;
}

static __u64 now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (__u64)t.tv_sec * 1000000000ull + (__u64)t.tv_nsec;
}

static int usage(void)
{
	fprintf(stderr,
		"Usage: %s -i DEV --mac MAC [--arp SRC4,TARGET4] [--ns SRC6,TARGET6]\n"
		"       [--rate N] [--seconds S]\n"
		"  -i DEV        send on DEV; reqload_count (XDP) must be attached to it\n"
		"  --mac MAC     the requests' Ethernet source, sender MAC and SLLAO\n"
		"  --arp S,T     ARP requests from S asking for T\n"
		"  --ns S,T      NSs from S asking for T (to T's solicited-node group)\n"
		"  --rate N      requests per second, both kinds together (0: flat out;\n"
		"                default 10000)\n"
		"  --seconds S   stop after S seconds (default: at SIGINT or SIGTERM)\n",
		PROG);
	return 2;
}

static int usage_error(const char *what, const char *token)
{
	fprintf(stderr, "%s: invalid %s '%s'\n", PROG, what, token);
	return usage();
}

/* "A,B" into two strings; 0 or -EINVAL */
static int split_pair(char *arg, char **a, char **b)
{
	char *comma = strchr(arg, ',');

	if (!comma || strchr(comma + 1, ','))
		return -EINVAL;
	*comma = '\0';
	*a = arg;
	*b = comma + 1;
	return 0;
}

/* ---- frames -------------------------------------------------------------------------- */

static void build_arp(__u8 *f, const __u8 *mac, __be32 src, __be32 target)
{
	memset(f, 0, ARP_LEN);
	memset(f, 0xff, 6);			/* broadcast */
	memcpy(f + 6, mac, 6);
	f[12] = 0x08, f[13] = 0x06;		/* ETH_P_ARP */
	f[14] = 0x00, f[15] = 0x01;		/* Ethernet */
	f[16] = 0x08, f[17] = 0x00;		/* IPv4 */
	f[18] = 6, f[19] = 4;
	f[20] = 0x00, f[21] = 0x01;		/* request */
	memcpy(f + 22, mac, 6);
	memcpy(f + 28, &src, 4);
	/* target MAC unknown: zero */
	memcpy(f + 38, &target, 4);
}

static __u16 csum_fold(__u32 sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (__u16)~sum;
}

static __u32 csum_add(__u32 sum, const __u8 *p, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (__u32)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (__u32)(p[len - 1] << 8);
	return sum;
}

static void build_ns(__u8 *f, const __u8 *mac, const __u8 *src, const __u8 *target)
{
	__u8 *ip6 = f + 14, *icmp = f + 54;
	__u32 sum = 0;
	__u16 c;

	memset(f, 0, NS_LEN);
	/* to the target's solicited-node group, ff02::1:ffXX:XXXX (RFC 4291) */
	f[0] = 0x33, f[1] = 0x33, f[2] = 0xff;
	memcpy(f + 3, target + 13, 3);
	memcpy(f + 6, mac, 6);
	f[12] = 0x86, f[13] = 0xdd;
	ip6[0] = 0x60;
	ip6[4] = 0, ip6[5] = 32;		/* payload: NS 24 + SLLAO 8 */
	ip6[6] = 58;				/* ICMPv6 */
	ip6[7] = 255;				/* hop limit: RFC 4861 7.1.1 */
	memcpy(ip6 + 8, src, 16);
	ip6[24] = 0xff, ip6[25] = 0x02, ip6[35] = 0x01, ip6[36] = 0xff;
	memcpy(ip6 + 37, target + 13, 3);
	icmp[0] = 135;				/* NS */
	memcpy(icmp + 8, target, 16);
	icmp[24] = 1, icmp[25] = 1;		/* SLLAO, 8 bytes */
	memcpy(icmp + 26, mac, 6);
	/* pseudo-header: addresses, length, next header */
	sum = csum_add(sum, ip6 + 8, 32);
	sum += 32 + 58;
	sum = csum_add(sum, icmp, 32);
	c = csum_fold(sum);
	icmp[2] = (__u8)(c >> 8), icmp[3] = (__u8)c;
}

/* ---- the counter on DEV ------------------------------------------------------------- */

/* The maps of the reqload_count program attached to ifindex. */
static int find_counter(int ifindex, const char *dev, int *conf_fd, struct counter *cnt)
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info), id = 0, map_ids[8], i;
	int fd, err;

	err = bpf_xdp_query_id(ifindex, 0, &id);
	if (err || !id) {
		fprintf(stderr, "%s: no XDP program on %s: attach %s first\n", PROG, dev,
			COUNT_PROG);
		return -ENOENT;
	}
	fd = bpf_prog_get_fd_by_id(id);
	if (fd < 0) {
		fprintf(stderr, "%s: cannot open XDP program id %u: %s\n", PROG, id,
			strerror(errno));
		return -errno;
	}
	info.nr_map_ids = sizeof(map_ids) / sizeof(map_ids[0]);
	info.map_ids = (__u64)(unsigned long)map_ids;
	err = bpf_obj_get_info_by_fd(fd, &info, &len);
	close(fd);
	if (err || strcmp(info.name, COUNT_PROG)) {
		fprintf(stderr, "%s: the XDP program on %s is '%s', not %s\n", PROG, dev,
			err ? "?" : info.name, COUNT_PROG);
		return -ENOENT;
	}
	*conf_fd = cnt->fd = -1;
	for (i = 0; i < info.nr_map_ids && i < sizeof(map_ids) / sizeof(map_ids[0]); i++) {
		struct bpf_map_info mi = {};
		__u32 mlen = sizeof(mi);
		int mfd = bpf_map_get_fd_by_id(map_ids[i]);

		if (mfd < 0)
			continue;
		if (bpf_obj_get_info_by_fd(mfd, &mi, &mlen))
			close(mfd);
		else if (!strcmp(mi.name, "rq_conf") && *conf_fd < 0)
			*conf_fd = mfd;
		else if (!strcmp(mi.name, "rq_count") && cnt->fd < 0)
			cnt->fd = mfd;
		else
			close(mfd);
	}
	if (*conf_fd < 0 || cnt->fd < 0) {
		fprintf(stderr, "%s: %s on %s lacks its maps rq_conf and rq_count\n", PROG,
			COUNT_PROG, dev);
		return -ENOENT;
	}
	cnt->ncpus = libbpf_num_possible_cpus();
	if (cnt->ncpus <= 0)
		return cnt->ncpus ? cnt->ncpus : -EINVAL;
	cnt->per_cpu = calloc((size_t)cnt->ncpus, sizeof(__u64));
	return cnt->per_cpu ? 0 : -ENOMEM;
}

/* The counter of one slot, summed over CPUs. */
static int count_read(struct counter *cnt, __u32 slot, __u64 *sum)
{
	int c;

	if (bpf_map_lookup_elem(cnt->fd, &slot, cnt->per_cpu))
		return -errno;
	*sum = 0;
	for (c = 0; c < cnt->ncpus; c++)
		*sum += cnt->per_cpu[c];
	return 0;
}

static int answers(struct counter *cnt, const __u64 *base, __u64 *arp, __u64 *na)
{
	int err = count_read(cnt, RQ_ARP_REPLY, arp);

	if (!err)
		err = count_read(cnt, RQ_NA, na);
	if (err) {
		fprintf(stderr, "%s: cannot read rq_count: %s\n", PROG, strerror(-err));
		return err;
	}
	*arp -= base[0];
	*na -= base[1];
	return 0;
}

struct load {
	__u64 rate;
	__u64 sent_arp, sent_ns, retries, behind_max;
	__u64 arp, na;			/* answers */
	double reply_gap_max;		/* ns */
	double seconds;
	__u64 deficit[SECONDS_MAX + 1];
	unsigned int ndeficit;
};

/* ---- sending -------------------------------------------------------------------------- */

/* Requests sent .. sent + n - 1 in one sendmmsg(); how many the kernel took
 * (0: the veth's ring toward the other end is full, counted as a retry: the
 * same requests go again), or -errno. */
static int send_batch(int sock, struct sockaddr_ll *sll, struct iovec *iov, int kinds,
		      bool have_arp, __u64 sent, __u64 n, struct load *L)
{
	struct mmsghdr msgs[BATCH_MAX];
	unsigned int i;
	int r;

	for (i = 0; i < n; i++) {
		memset(&msgs[i], 0, sizeof(msgs[i]));
		msgs[i].msg_hdr.msg_name = sll;
		msgs[i].msg_hdr.msg_namelen = sizeof(*sll);
		msgs[i].msg_hdr.msg_iov = &iov[kinds == 2 ? (sent + i) & 1 : 0];
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	r = sendmmsg(sock, msgs, (unsigned int)n, 0);
	if (r < 0) {
		if (errno != ENOBUFS && errno != EAGAIN && errno != EINTR)
			return -errno;
		r = 0;
	}
	if ((__u64)r < n)
		L->retries++;
	for (i = 0; i < (unsigned int)r; i++) {
		if (msgs[i].msg_hdr.msg_iov == &iov[0] && have_arp)
			L->sent_arp++;
		else
			L->sent_ns++;
	}
	return r;
}

/* ---- main ---------------------------------------------------------------------------- */

int main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "interface", required_argument, NULL, 'i' },
		{ "mac", required_argument, NULL, 'm' },
		{ "arp", required_argument, NULL, 'a' },
		{ "ns", required_argument, NULL, 'n' },
		{ "rate", required_argument, NULL, 'r' },
		{ "seconds", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct rq_conf conf = {};
	__u8 frames[2][NS_LEN], src6[16];
	const char *dev = NULL;
	bool have_mac = false, have_arp = false, have_ns = false;
	unsigned long long seconds = 0;
	struct counter cnt = {};
	struct sockaddr_ll sll = {};
	struct iovec iov[2];
	static struct load L;
	__u64 base[2], t0, next_tick, last_answer, last_total = 0, next_second;
	__be32 src4 = 0, target4 = 0;
	int ifindex, conf_fd = -1, sock, c, kinds, err;
	char *a, *b, *end;
	unsigned int i;

	L.rate = 10000;
	while ((c = getopt_long(argc, argv, "i:h", lopts, NULL)) != -1) {
		switch (c) {
		case 'i':
			dev = optarg;
			break;
		case 'm':
			if (xn_mac_parse(optarg, conf.mac))
				return usage_error("MAC", optarg);
			have_mac = true;
			break;
		case 'a':
			if (split_pair(optarg, &a, &b))
				return usage_error("--arp (expected SRC4,TARGET4)", optarg);
			if (xn_ip4_parse(a, &src4))
				return usage_error("IPv4 address", a);
			if (xn_ip4_parse(b, &target4))
				return usage_error("IPv4 address", b);
			have_arp = true;
			break;
		case 'n':
			if (split_pair(optarg, &a, &b))
				return usage_error("--ns (expected SRC6,TARGET6)", optarg);
			if (xn_ip6_parse(a, src6))
				return usage_error("IPv6 address", a);
			if (xn_ip6_parse(b, conf.target6))
				return usage_error("IPv6 address", b);
			have_ns = true;
			break;
		case 'r':
			errno = 0;
			L.rate = strtoull(optarg, &end, 10);
			if (optarg[0] < '0' || optarg[0] > '9' || *end || errno ||
			    L.rate > 100000000)
				return usage_error("--rate (0 to 100000000)", optarg);
			break;
		case 's':
			errno = 0;
			seconds = strtoull(optarg, &end, 10);
			if (optarg[0] < '1' || optarg[0] > '9' || *end || errno ||
			    seconds > SECONDS_MAX)
				return usage_error("--seconds (1 to 3600)", optarg);
			break;
		case 'h':
			usage();
			return 0;
		default:
			return usage();
		}
	}
	if (optind < argc)
		return usage_error("argument", argv[optind]);
	if (!dev || !have_mac || (!have_arp && !have_ns)) {
		fprintf(stderr, "%s: -i DEV, --mac and at least one of --arp and --ns are needed\n",
			PROG);
		return usage();
	}
	ifindex = strlen(dev) < IF_NAMESIZE ? (int)if_nametoindex(dev) : 0;
	if (!ifindex) {
		fprintf(stderr, "%s: unknown interface '%s'\n", PROG, dev);
		return 1;
	}

	/* frames[0]: ARP, frames[1]: NS; the kinds in use alternate */
	if (have_arp) {
		build_arp(frames[0], conf.mac, src4, target4);
		conf.ip4 = src4;
	}
	if (have_ns) {
		build_ns(frames[1], conf.mac, src6, conf.target6);
		memcpy(conf.ip6, src6, 16);
	}
	kinds = have_arp && have_ns ? 2 : 1;

	err = find_counter(ifindex, dev, &conf_fd, &cnt);
	if (err)
		return 1;
	i = 0;
	if (bpf_map_update_elem(conf_fd, &i, &conf, BPF_ANY)) {
		fprintf(stderr, "%s: cannot write rq_conf: %s\n", PROG, strerror(errno));
		return 1;
	}
	if (count_read(&cnt, RQ_ARP_REPLY, &base[0]) || count_read(&cnt, RQ_NA, &base[1])) {
		fprintf(stderr, "%s: cannot read rq_count: %s\n", PROG, strerror(errno));
		return 1;
	}

	/* protocol 0: this socket only sends, it receives nothing */
	sock = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (sock < 0) {
		fprintf(stderr, "%s: AF_PACKET socket: %s\n", PROG, strerror(errno));
		return 1;
	}
	sll.sll_family = AF_PACKET;
	sll.sll_ifindex = ifindex;
	sll.sll_halen = ETH_ALEN;
	iov[0].iov_base = frames[have_arp ? 0 : 1];
	iov[0].iov_len = have_arp ? ARP_LEN : NS_LEN;
	iov[1].iov_base = frames[1];
	iov[1].iov_len = NS_LEN;

	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);

	t0 = now_ns();
	next_tick = t0;
	next_second = t0 + 1000000000ull;
	last_answer = t0;
	while (!stop) {
		__u64 now = now_ns(), sent = L.sent_arp + L.sent_ns, due, total;

		if (seconds && now - t0 >= seconds * 1000000000ull)
			break;
		/* the schedule: rate requests per second since t0 */
		due = L.rate ? (__u64)((double)(now - t0) * (double)L.rate / 1e9) : sent + BATCH_MAX;
		if (L.rate && due > sent && due - sent > L.behind_max)
			L.behind_max = due - sent;
		while (sent < due) {
			int r = send_batch(sock, &sll, iov, kinds, have_arp, sent,
					   due - sent < BATCH_MAX ? due - sent : BATCH_MAX, &L);

			if (r < 0) {
				fprintf(stderr, "%s: send on %s: %s\n", PROG, dev, strerror(-r));
				return 1;
			}
			if (!r)
				break;		/* the veth's ring is full: next round */
			sent += (unsigned int)r;
			/* catching up after a stall: a breath between batches, so
			 * that at SCHED_FIFO the sender never starves the CPU's
			 * other work (ksoftirqd, which may carry the replies) */
			if (L.rate && sent < due)
				nanosleep(&(struct timespec){ 0, CATCHUP_PAUSE_NS }, NULL);
		}

		if (answers(&cnt, base, &L.arp, &L.na))
			return 1;
		total = L.arp + L.na;
		now = now_ns();
		if (total != last_total || total >= L.sent_arp + L.sent_ns) {
			last_answer = now;
			last_total = total;
		} else if ((double)(now - last_answer) > L.reply_gap_max) {
			L.reply_gap_max = (double)(now - last_answer);
		}
		while (now >= next_second && L.ndeficit < SECONDS_MAX) {
			__u64 s = L.sent_arp + L.sent_ns;

			L.deficit[L.ndeficit++] = s > total ? s - total : 0;
			next_second += 1000000000ull;
		}
		if (L.rate) {
			struct timespec ts;

			next_tick += TICK_NS;
			if (next_tick < now)
				next_tick = now;	/* late: catch up, BATCH_MAX a round */
			ts.tv_sec = (time_t)(next_tick / 1000000000ull);
			ts.tv_nsec = (long)(next_tick % 1000000000ull);
			clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
		}
	}
	L.seconds = (double)(now_ns() - t0) / 1e9;

	/* answers still on their way */
	for (__u64 t = now_ns(); now_ns() - t < DRAIN_NS;) {
		struct timespec ts = { 0, 5000000 };

		if (answers(&cnt, base, &L.arp, &L.na))
			return 1;
		if (L.arp + L.na >= L.sent_arp + L.sent_ns)
			break;
		nanosleep(&ts, NULL);
	}
	{
		__u64 sent = L.sent_arp + L.sent_ns, got = L.arp + L.na;

		printf("{\"rate\":%llu,\"seconds\":%.3f,\"sent\":%llu,\"sent_arp\":%llu,"
		       "\"sent_ns\":%llu,\"answered\":%llu,\"answered_arp\":%llu,"
		       "\"answered_na\":%llu,\"lost\":%llu,\"extra\":%llu,\"send_retries\":%llu,"
		       "\"behind_max\":%llu,\"reply_gap_max_ms\":%.3f,\"deficit_per_second\":[",
		       (unsigned long long)L.rate, L.seconds, (unsigned long long)sent,
		       (unsigned long long)L.sent_arp, (unsigned long long)L.sent_ns,
		       (unsigned long long)got, (unsigned long long)L.arp,
		       (unsigned long long)L.na,
		       (unsigned long long)(sent > got ? sent - got : 0),
		       (unsigned long long)(got > sent ? got - sent : 0),
		       (unsigned long long)L.retries, (unsigned long long)L.behind_max,
		       L.reply_gap_max / 1e6);
		for (i = 0; i < L.ndeficit; i++)
			printf("%s%llu", i ? "," : "", (unsigned long long)L.deficit[i]);
		printf("]}\n");
	}
	return 0;
}
