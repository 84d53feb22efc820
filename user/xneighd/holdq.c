// SPDX-License-Identifier: GPL-2.0
/* xneighd: the hold queue (see holdq.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <bpf/bpf.h>
#include "xneigh/ctl.h"
#include "xneigh/nud.h"
#include "xneigh/stats.h"
#include "conf.h"
#include "ctl.h"
#include "holdq.h"
#include "log.h"
#include "model.h"
#include "sysctl.h"

/* ---- the queue ------------------------------------------------------------------------ */

struct hq_frame {
	struct hq_frame *next;
	__u64 ts;
	size_t len;
	__u8 data[];
};

/* One neighbour's queue (neigh->arp_queue and arp_queue_len_bytes). */
struct hq_nb {
	struct hq_nb *next;		/* hash chain */
	struct xn_nud_key key;
	struct hq_frame *head, *tail;	/* oldest first */
	size_t frames;
	size_t bytes;			/* truesize charged */
};

struct xn_holdq {
	struct hq_nb **bucket;
	size_t nbuckets;		/* a power of two */
	size_t nnb;
	size_t frames, bytes, max_bytes;
	__u64 seed;
};

/* FNV-1a over the key, seeded: keys come from traffic. */
static size_t hq_hash(const struct xn_holdq *q, const struct xn_nud_key *k)
{
	const __u8 *p = (const __u8 *)k;
	__u64 h = 0xcbf29ce484222325ull ^ q->seed;
	size_t i;

	for (i = 0; i < sizeof(*k); i++) {
		h ^= p[i];
		h *= 0x100000001b3ull;
	}
	h ^= h >> 29;
	return (size_t)h & (q->nbuckets - 1);
}

struct xn_holdq *xn_holdq_new(size_t max_bytes, __u64 seed)
{
	struct xn_holdq *q = calloc(1, sizeof(*q));

	if (!q)
		return NULL;
	q->nbuckets = 64;
	q->bucket = calloc(q->nbuckets, sizeof(*q->bucket));
	if (!q->bucket) {
		free(q);
		return NULL;
	}
	q->max_bytes = max_bytes;
	q->seed = seed;
	return q;
}

static void hq_free_frames(struct hq_frame *f)
{
	while (f) {
		struct hq_frame *next = f->next;

		free(f);
		f = next;
	}
}

void xn_holdq_free(struct xn_holdq *q)
{
	size_t i;

	if (!q)
		return;
	for (i = 0; i < q->nbuckets; i++) {
		struct hq_nb *nb = q->bucket[i];

		while (nb) {
			struct hq_nb *next = nb->next;

			hq_free_frames(nb->head);
			free(nb);
			nb = next;
		}
	}
	free(q->bucket);
	free(q);
}

size_t xn_holdq_budget(__u32 unres_qlen)
{
	return (size_t)unres_qlen * XN_HOLDQ_TRUESIZE(XN_HOLDQ_ETH_FRAME_LEN);
}

static struct hq_nb **hq_slot(const struct xn_holdq *q, const struct xn_nud_key *k)
{
	struct hq_nb **pp = &q->bucket[hq_hash(q, k)];

	while (*pp && memcmp(&(*pp)->key, k, sizeof(*k)))
		pp = &(*pp)->next;
	return pp;
}

/* Double the buckets when the chains grow past two on average. */
static void hq_grow(struct xn_holdq *q)
{
	size_t n = q->nbuckets * 2, i;
	struct hq_nb **nbk = calloc(n, sizeof(*nbk));
	struct hq_nb **old = q->bucket;
	size_t oldn = q->nbuckets;

	if (!nbk)
		return;			/* longer chains, still correct */
	q->bucket = nbk;
	q->nbuckets = n;
	for (i = 0; i < oldn; i++) {
		struct hq_nb *nb = old[i];

		while (nb) {
			struct hq_nb *next = nb->next;
			size_t b = hq_hash(q, &nb->key);

			nb->next = nbk[b];
			nbk[b] = nb;
			nb = next;
		}
	}
	free(old);
}

/* Unlink and free the neighbour at *pp (its frames must be gone). */
static void hq_unlink(struct xn_holdq *q, struct hq_nb **pp)
{
	struct hq_nb *nb = *pp;

	*pp = nb->next;
	free(nb);
	q->nnb--;
}

/* Free the oldest frame of nb. */
static void hq_pop(struct xn_holdq *q, struct hq_nb *nb)
{
	struct hq_frame *f = nb->head;
	size_t ts = XN_HOLDQ_TRUESIZE(f->len);

	nb->head = f->next;
	if (!nb->head)
		nb->tail = NULL;
	nb->frames--;
	nb->bytes -= ts;
	q->frames--;
	q->bytes -= ts;
	free(f);
}

int xn_holdq_add(struct xn_holdq *q, const struct xn_nud_key *k, const void *frame, size_t len,
		 __u64 ts, size_t budget, unsigned int *dropped)
{
	size_t truesize = XN_HOLDQ_TRUESIZE(len);
	struct hq_nb **pp = hq_slot(q, k), *nb = *pp;
	struct hq_frame *f;

	*dropped = 0;
	/* NUD-3: make room by dropping the oldest; queue it even alone */
	while (nb && nb->head && nb->bytes + truesize > budget) {
		hq_pop(q, nb);
		(*dropped)++;
	}
	if (q->bytes + truesize > q->max_bytes) {
		if (nb && !nb->head)
			hq_unlink(q, pp);
		return -ENOBUFS;
	}
	f = malloc(sizeof(*f) + len);
	if (!f) {
		if (nb && !nb->head)
			hq_unlink(q, pp);
		return -ENOMEM;
	}
	if (!nb) {
		nb = calloc(1, sizeof(*nb));
		if (!nb) {
			free(f);
			return -ENOMEM;
		}
		nb->key = *k;
		nb->next = *pp;
		*pp = nb;
		q->nnb++;
	}
	f->next = NULL;
	f->ts = ts;
	f->len = len;
	memcpy(f->data, frame, len);
	if (nb->tail)
		nb->tail->next = f;
	else
		nb->head = f;
	nb->tail = f;
	nb->frames++;
	nb->bytes += truesize;
	q->frames++;
	q->bytes += truesize;
	if (q->nnb > 2 * q->nbuckets)
		hq_grow(q);
	return 0;
}

size_t xn_holdq_take(struct xn_holdq *q, const struct xn_nud_key *k,
		     void (*cb)(void *ctx, __u8 *frame, size_t len), void *ctx)
{
	struct hq_nb **pp = hq_slot(q, k), *nb = *pp;
	size_t n = 0;

	if (!nb)
		return 0;
	while (nb->head) {
		cb(ctx, nb->head->data, nb->head->len);
		hq_pop(q, nb);
		n++;
	}
	hq_unlink(q, pp);
	return n;
}

size_t xn_holdq_drop(struct xn_holdq *q, const struct xn_nud_key *k)
{
	struct hq_nb **pp = hq_slot(q, k), *nb = *pp;
	size_t n = 0;

	if (!nb)
		return 0;
	while (nb->head) {
		hq_pop(q, nb);
		n++;
	}
	hq_unlink(q, pp);
	return n;
}

size_t xn_holdq_expire(struct xn_holdq *q, __u64 before, size_t dropped_by_family[2])
{
	size_t i, n = 0;

	dropped_by_family[0] = dropped_by_family[1] = 0;
	for (i = 0; i < q->nbuckets; i++) {
		struct hq_nb **pp = &q->bucket[i];

		while (*pp) {
			struct hq_nb *nb = *pp;

			while (nb->head && nb->head->ts < before) {
				hq_pop(q, nb);
				dropped_by_family[nb->key.family == AF_INET6]++;
				n++;
			}
			if (!nb->head)
				hq_unlink(q, pp);
			else
				pp = &nb->next;
		}
	}
	return n;
}

size_t xn_holdq_count(const struct xn_holdq *q, const struct xn_nud_key *k, __u64 *oldest)
{
	const struct hq_nb *nb = *hq_slot(q, k);

	if (!nb || !nb->head)
		return 0;
	if (oldest)
		*oldest = nb->head->ts;
	return nb->frames;
}

size_t xn_holdq_frames(const struct xn_holdq *q)
{
	return q->frames;
}

size_t xn_holdq_bytes(const struct xn_holdq *q)
{
	return q->bytes;
}

size_t xn_holdq_neighbours(const struct xn_holdq *q)
{
	return q->nnb;
}

size_t xn_holdq_keys(const struct xn_holdq *q, struct xn_nud_key *out, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < q->nbuckets && n < max; i++)
		for (const struct hq_nb *nb = q->bucket[i]; nb && n < max; nb = nb->next)
			out[n++] = nb->key;
	return n;
}

/* ---- ICMP errors ------------------------------------------------------------------------ */

const char *xn_icmp_verdict_str(enum xn_icmp_verdict v)
{
	switch (v) {
	case XN_ICMP_SEND:		return "sent";
	case XN_ICMP_NOT_IP:		return "not IP";
	case XN_ICMP_FRAGMENT:		return "not the first fragment";
	case XN_ICMP_MCAST_DST:		return "to a multicast or broadcast address";
	case XN_ICMP_BAD_SRC:		return "from an address that names no single host";
	case XN_ICMP_ABOUT_ERROR:	return "an ICMP error itself";
	}
	return "?";
}

/* RFC 1071 over b (len bytes, big-endian words). */
static __u16 inet_csum(const __u8 *b, size_t len)
{
	__u32 sum = 0;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (__u32)b[i] << 8 | b[i + 1];
	if (len & 1)
		sum += (__u32)b[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (__u16)~sum;
}

/* icmp_pointers[type].error of net/ipv4/icmp.c; a type past
 * NR_ICMP_TYPES counts as an error ("Assume any unknown ICMP type is an
 * error"). */
static bool icmp4_type_is_error(__u8 type)
{
	switch (type) {
	case ICMP_ECHOREPLY:
	case ICMP_ECHO:
	case ICMP_TIMESTAMP:
	case ICMP_TIMESTAMPREPLY:
	case ICMP_INFO_REQUEST:
	case ICMP_INFO_REPLY:
	case ICMP_ADDRESS:
	case ICMP_ADDRESSREPLY:
		return false;
	}
	return true;
}

/* IPv4 (ip points at the header, avail bytes from there). */
static enum xn_icmp_verdict icmp4_build(const __u8 *ip, size_t avail, struct xn_icmp_err *out)
{
	size_t ihl, tot, quote;
	__be32 saddr, daddr;
	const __u8 *s, *d;
	__u16 csum;

	if (avail < 20 || ip[0] >> 4 != 4 || (ip[0] & 0xf) < 5)
		return XN_ICMP_NOT_IP;
	ihl = (size_t)(ip[0] & 0xf) * 4;
	tot = (size_t)ip[2] << 8 | ip[3];
	/* ip_rcv() would have refused it; what follows tot_len is padding */
	if (avail < ihl || tot < ihl)
		return XN_ICMP_NOT_IP;
	if (tot < avail)
		avail = tot;
	/* only fragment 0 */
	if ((ip[6] << 8 | ip[7]) & 0x1fff)
		return XN_ICMP_FRAGMENT;
	memcpy(&saddr, ip + 12, 4);
	memcpy(&daddr, ip + 16, 4);
	s = ip + 12;
	d = ip + 16;
	/* RTCF_BROADCAST | RTCF_MULTICAST: the kernel reports nothing for
	 * those (a subnet's broadcast address, known only to the route, is
	 * not recognised here) */
	if ((d[0] & 0xf0) == 0xe0 || daddr == 0xffffffff)
		return XN_ICMP_MCAST_DST;
	/* martians the kernel would not have forwarded (ip_route_input_slow()):
	 * nobody to report to */
	if (!saddr || s[0] == 127 || (s[0] & 0xf0) == 0xe0 || (s[0] & 0xf0) == 0xf0)
		return XN_ICMP_BAD_SRC;
	if (ip[9] == IPPROTO_ICMP) {
		/* no error about an error: the inner type must be there */
		if (avail < ihl + 1 || icmp4_type_is_error(ip[ihl]))
			return XN_ICMP_ABOUT_ERROR;
	}
	quote = avail < XN_ICMP4_QUOTE_MAX ? avail : XN_ICMP4_QUOTE_MAX;
	memset(out->msg, 0, 8);
	out->msg[0] = XN_ICMP4_DEST_UNREACH;
	out->msg[1] = XN_ICMP4_HOST_UNREACH;
	memcpy(out->msg + 8, ip, quote);
	out->len = 8 + quote;
	csum = inet_csum(out->msg, out->len);
	out->msg[2] = (__u8)(csum >> 8);
	out->msg[3] = (__u8)csum;
	out->family = AF_INET;
	memset(out->dst, 0, sizeof(out->dst));
	memcpy(out->dst, s, 4);
	out->tos = (__u8)XN_ICMP4_ERR_TOS(ip[1]);
	return XN_ICMP_SEND;
}

/* ipv6_ext_hdr() */
static bool ipv6_is_ext(__u8 nh)
{
	return nh == 0 || nh == IPPROTO_ROUTING || nh == IPPROTO_FRAGMENT || nh == IPPROTO_AH ||
	       nh == IPPROTO_NONE || nh == IPPROTO_DSTOPTS;
}

/* is_ineligible() of net/ipv6/icmp.c, after ipv6_skip_exthdr(): an ICMPv6
 * error message (type < 128) gets no error; neither does a frame whose
 * ICMPv6 type is cut off, unless it is a later fragment. A chain that does
 * not parse is eligible. */
static bool icmp6_ineligible(const __u8 *ip, size_t avail)
{
	size_t off = 40;
	__u8 nh = ip[6];
	__u16 frag_off = 0;

	while (ipv6_is_ext(nh)) {
		size_t hlen;

		if (nh == IPPROTO_NONE || off + 2 > avail)
			return false;	/* ipv6_skip_exthdr() fails: eligible */
		if (nh == IPPROTO_FRAGMENT) {
			if (off + 4 > avail)
				return false;
			frag_off = (__u16)(ip[off + 2] << 8 | ip[off + 3]);
			if (frag_off & ~0x7)
				break;	/* a later fragment: its headers are not here */
			hlen = 8;
		} else if (nh == IPPROTO_AH) {
			hlen = ((size_t)ip[off + 1] + 2) * 4;
		} else {
			hlen = ((size_t)ip[off + 1] + 1) * 8;
		}
		nh = ip[off];
		off += hlen;
	}
	if (nh != IPPROTO_ICMPV6)
		return false;
	if (off + 1 > avail)
		return !(frag_off & ~0x7);
	return !(ip[off] & ICMPV6_INFOMSG_MASK);
}

static enum xn_icmp_verdict icmp6_build(const __u8 *ip, size_t avail, struct xn_icmp_err *out)
{
	static const __u8 zero[16];
	size_t plen, quote;

	if (avail < 40 || ip[0] >> 4 != 6)
		return XN_ICMP_NOT_IP;
	plen = (size_t)ip[4] << 8 | ip[5];
	/* ipv6_rcv() trims to the payload length (0: a jumbogram, kept whole) */
	if (plen && plen + 40 < avail)
		avail = plen + 40;
	if (ip[24] == 0xff)
		return XN_ICMP_MCAST_DST;
	/* RFC 4443 2.4 (e.3): the source must identify one node */
	if (!memcmp(ip + 8, zero, 16) || ip[8] == 0xff)
		return XN_ICMP_BAD_SRC;
	if (icmp6_ineligible(ip, avail))
		return XN_ICMP_ABOUT_ERROR;
	quote = avail < XN_ICMP6_QUOTE_MAX ? avail : XN_ICMP6_QUOTE_MAX;
	memset(out->msg, 0, 8);
	out->msg[0] = XN_ICMP6_DEST_UNREACH;
	out->msg[1] = XN_ICMP6_ADDR_UNREACH;
	memcpy(out->msg + 8, ip, quote);
	out->len = 8 + quote;
	out->family = AF_INET6;
	memcpy(out->dst, ip + 8, 16);
	out->tos = 0;
	return XN_ICMP_SEND;
}

enum xn_icmp_verdict xn_icmp_error_build(const __u8 *frame, size_t len, struct xn_icmp_err *out)
{
	size_t off = 12;
	__u16 proto;
	int tags;

	if (len < ETH_HLEN)
		return XN_ICMP_NOT_IP;
	proto = (__u16)(frame[off] << 8 | frame[off + 1]);
	for (tags = 0; tags < 2 && (proto == ETH_P_8021Q || proto == ETH_P_8021AD); tags++) {
		off += 4;
		if (off + 2 > len)
			return XN_ICMP_NOT_IP;
		proto = (__u16)(frame[off] << 8 | frame[off + 1]);
	}
	off += 2;
	if (proto == ETH_P_IP)
		return icmp4_build(frame + off, len - off, out);
	if (proto == ETH_P_IPV6)
		return icmp6_build(frame + off, len - off, out);
	return XN_ICMP_NOT_IP;
}

void xn_icmp_rl_defaults(struct xn_icmp_rl_cfg *cfg)
{
	cfg->interval_ns[0] = cfg->interval_ns[1] = 1000ull * 1000000ull;
	cfg->limited[0] = cfg->limited[1] = true;
	cfg->msgs_per_sec = 1000;
	cfg->msgs_burst = 50;
}

/* Is `bit` in a bitmap list such as "0-1,3-127" (proc_do_large_bitmap)? */
static bool list_has(const char *list, unsigned int bit)
{
	const char *p = list;

	while (*p) {
		char *end;
		unsigned long lo = strtoul(p, &end, 10), hi = lo;

		if (end == p)
			return false;
		if (*end == '-') {
			p = end + 1;
			hi = strtoul(p, &end, 10);
			if (end == p)
				return false;
		}
		if (bit >= lo && bit <= hi)
			return true;
		p = end;
		while (*p == ',' || *p == ' ' || *p == '\n')
			p++;
	}
	return false;
}

void xn_icmp_rl_read_sysctls(struct xn_icmp_rl_cfg *cfg)
{
	char buf[512];
	FILE *f;
	int v;

	xn_icmp_rl_defaults(cfg);
	if (!xn_sysctl_read_int("/proc/sys/net/ipv4/icmp_ratelimit", &v) && v >= 0)
		cfg->interval_ns[0] = (__u64)v * 1000000ull;
	if (!xn_sysctl_read_int("/proc/sys/net/ipv6/icmp/ratelimit", &v) && v >= 0)
		cfg->interval_ns[1] = (__u64)v * 1000000ull;
	if (!xn_sysctl_read_int("/proc/sys/net/ipv4/icmp_ratemask", &v))
		cfg->limited[0] = (v >> XN_ICMP4_DEST_UNREACH) & 1;
	if (!xn_sysctl_read_int("/proc/sys/net/ipv4/icmp_msgs_per_sec", &v) && v >= 0)
		cfg->msgs_per_sec = (__u32)v;
	if (!xn_sysctl_read_int("/proc/sys/net/ipv4/icmp_msgs_burst", &v) && v >= 0)
		cfg->msgs_burst = (__u32)v;
	f = fopen("/proc/sys/net/ipv6/icmp/ratemask", "r");
	if (f) {
		if (fgets(buf, sizeof(buf), f))
			cfg->limited[1] = list_has(buf, XN_ICMP6_DEST_UNREACH);
		fclose(f);
	}
}

void xn_icmp_rl_init(struct xn_icmp_rl *rl, const struct xn_icmp_rl_cfg *cfg, __u64 seed)
{
	memset(rl, 0, sizeof(*rl));
	rl->cfg = *cfg;
	rl->seed = seed;
}

#define NS_PER_SEC	1000000000ull

/* icmp_global_allow(): credit left, or a refill (at most every 20 ms). */
static bool rl_global_allow(struct xn_icmp_rl *rl, __u64 now)
{
	__u64 delta, incr;

	if (rl->global_credit > 0)
		return true;
	delta = now - rl->global_stamp;
	if (delta > NS_PER_SEC)
		delta = NS_PER_SEC;
	if (delta < NS_PER_SEC / 50)
		return false;
	incr = (__u64)rl->cfg.msgs_per_sec * delta / NS_PER_SEC;
	if (!incr)
		return false;
	rl->global_stamp = now;
	rl->global_credit += (__s64)incr;
	if (rl->global_credit > (__s64)rl->cfg.msgs_burst)
		rl->global_credit = rl->cfg.msgs_burst;
	return true;
}

static struct xn_icmp_rl_peer *rl_peer(struct xn_icmp_rl *rl, int family, const __u8 *dst,
				       __u64 now)
{
	size_t alen = family == AF_INET6 ? 16 : 4, i;
	__u64 h = 0xcbf29ce484222325ull ^ rl->seed ^ (__u64)family;
	struct xn_icmp_rl_peer *p;

	for (i = 0; i < alen; i++) {
		h ^= dst[i];
		h *= 0x100000001b3ull;
	}
	h ^= h >> 31;
	p = &rl->peer[h % XN_ICMP_RL_PEERS];
	if (p->family != family || memcmp(p->addr, dst, alen)) {
		/* inet_getpeer(): a new peer, rate_last 60 s ago: a full burst */
		memset(p, 0, sizeof(*p));
		p->family = (__u8)family;
		memcpy(p->addr, dst, alen);
		p->last = now - 60 * NS_PER_SEC;
	}
	return p;
}

bool xn_icmp_rl_allow(struct xn_icmp_rl *rl, int family, const __u8 *dst, bool loopback,
		      __u64 now)
{
	int f = family == AF_INET6;
	__u64 timeout = rl->cfg.interval_ns[f];
	struct xn_icmp_rl_peer *p;

	if (!rl->cfg.limited[f])
		return true;
	if (!rl_global_allow(rl, now))
		return false;
	if (loopback)
		goto allowed;		/* "No rate limit on loopback" */
	/* inet_peer_xrlim_allow() */
	p = rl_peer(rl, family, dst, now);
	p->tokens += now - p->last;
	p->last = now;
	if (p->tokens > XN_ICMP_RL_BURST * timeout)
		p->tokens = XN_ICMP_RL_BURST * timeout;
	if (p->tokens < timeout)
		return false;
	p->tokens -= timeout;
allowed:
	rl->global_credit--;		/* icmp_global_consume() */
	return true;
}

/* ---- the driver ------------------------------------------------------------------------ */

/* Neighbours re-checked per tick (the rest wait for the next one). */
#define XN_HOLDD_TICK_KEYS	1024

/* How often the ICMP rate limits are read again from /proc/sys. */
#define XN_HOLDD_RL_REREAD	(1000ull * 1000000ull)

struct xn_holdd {
	struct xn_holdd_cfg cfg;
	struct xn_holdq *q;
	struct xn_ctl ctl;
	int pkt_fd;			/* AF_PACKET, SOCK_RAW, protocol 0: send only */
	int icmp_fd[2];			/* raw ICMP / ICMPv6, send only; -1: none */
	struct xn_icmp_rl *rl;
	__u64 rl_read;			/* when the rate limits were last read */
	/* for the log */
	__u64 held, sent, failed, overflow, send_errors, bad_records;
	__u64 unreach_sent, unreach_limited, unreach_not_sent;
};

static void stat_add(struct xn_holdd *h, __u32 family, enum xn_stat_index idx, __u64 delta)
{
	struct xn_ctl_req req = { .op = XN_CTL_STAT_ADD };

	if (!delta || h->ctl.fd < 0)
		return;
	req.family = family;
	req.state = (__u8)idx;
	req.probes = delta > 0xffffffffull ? 0xffffffffu : (__u32)delta;
	if (xn_ctl_run(&h->ctl, &req) || req.result)
		pr_debug("hold queue: cannot count %llu in counter %d\n",
			 (unsigned long long)delta, idx);
}

static void key_str(const struct xn_nud_key *k, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN] = "?", dev[IF_NAMESIZE];

	inet_ntop(k->family == AF_INET6 ? AF_INET6 : AF_INET, k->addr, a, sizeof(a));
	if (!if_indextoname(k->ifindex, dev))
		snprintf(dev, sizeof(dev), "if%u", k->ifindex);
	snprintf(buf, len, "%s dev %s", a, dev);
}

static int read_entry(const struct xn_holdd *h, const struct xn_nud_key *k, struct xn_neigh *v)
{
	struct xn_neigh6_key k6 = { .ifindex = k->ifindex };
	struct xn_neigh4_key k4 = { .ifindex = k->ifindex };

	if (k->family == AF_INET6) {
		memcpy(k6.addr, k->addr, 16);
		return bpf_map_lookup_elem_flags(h->cfg.neigh_fd[1], &k6, v, BPF_F_LOCK) ? -errno : 0;
	}
	memcpy(&k4.addr, k->addr, 4);
	return bpf_map_lookup_elem_flags(h->cfg.neigh_fd[0], &k4, v, BPF_F_LOCK) ? -errno : 0;
}

/* The neighbour's effective unres_qlen, as a budget in bytes. */
static size_t budget_of(const struct xn_holdd *h, const struct xn_nud_key *k)
{
	const struct xn_link_rec *l = xn_model_link(h->cfg.m, k->ifindex);
	struct xn_neigh_parms p;

	if (!l)
		return xn_holdq_budget(101);	/* the kernel's default */
	p = k->family == AF_INET6 ? l->neigh6 : l->neigh;
	xn_conf_apply_parms(h->cfg.conf, (int)k->family, l->name, &p);
	return xn_holdq_budget(p.unres_qlen > 0 ? (__u32)p.unres_qlen : 0);
}

/* A raw socket that only sends ICMP (family AF_INET) or ICMPv6 errors: every
 * type filtered on receive, so nothing queues on it; for IPv4, DF clear as
 * on the kernel's own ICMP socket (icmp_sk_init(): IP_PMTUDISC_DONT). -1
 * when it cannot be had: errors are then not sent (said once). */
static int icmp_socket(int family)
{
	int fd, err = 0;

	fd = socket(family, SOCK_RAW | SOCK_CLOEXEC,
		    family == AF_INET6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP);
	if (fd < 0) {
		pr_warn("hold queue: no raw %s socket (%s): senders of discarded frames get no "
			"ICMP error\n", family == AF_INET6 ? "ICMPv6" : "ICMP", strerror(errno));
		return -1;
	}
	if (family == AF_INET6) {
		struct icmp6_filter block;

		memset(&block, 0xff, sizeof(block));	/* ICMP6_FILTER_SETBLOCKALL */
		err = setsockopt(fd, IPPROTO_ICMPV6, ICMPV6_FILTER, &block, sizeof(block));
	} else {
		struct icmp_filter block = { .data = ~0u };
		int pmtu = IP_PMTUDISC_DONT;

		err = setsockopt(fd, SOL_RAW, ICMP_FILTER, &block, sizeof(block)) ||
		      setsockopt(fd, IPPROTO_IP, IP_MTU_DISCOVER, &pmtu, sizeof(pmtu));
	}
	if (err)
		pr_debug("hold queue: raw socket options: %s\n", strerror(errno));
	return fd;
}

int xn_holdd_new(struct xn_holdd **out, const struct xn_holdd_cfg *cfg)
{
	struct xn_holdd *h = calloc(1, sizeof(*h));
	struct xn_icmp_rl_cfg rlc;
	__u64 seed = 0;
	int err;

	if (!h)
		return -ENOMEM;
	h->icmp_fd[0] = h->icmp_fd[1] = -1;
	h->cfg = *cfg;
	xn_ctl_init(&h->ctl);
	h->ctl.fd = cfg->ctl_fd;
	snprintf(h->ctl.where, sizeof(h->ctl.where), "xneighd's own");
	/* keys come from traffic: an unpredictable hash */
	if (getrandom(&seed, sizeof(seed), 0) != sizeof(seed))
		seed = (__u64)getpid() << 32 ^ (__u64)(size_t)h;
	h->q = xn_holdq_new(XN_HOLDQ_MAX_BYTES, seed);
	h->rl = malloc(sizeof(*h->rl));
	h->pkt_fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (!h->q || !h->rl || h->pkt_fd < 0) {
		err = h->q && h->rl ? -errno : -ENOMEM;
		pr_warn("hold queue: cannot start: %s\n", strerror(-err));
		h->ctl.fd = -1;
		xn_holdd_free(h);
		return err;
	}
	h->icmp_fd[0] = icmp_socket(AF_INET);
	h->icmp_fd[1] = icmp_socket(AF_INET6);
	xn_icmp_rl_read_sysctls(&rlc);
	xn_icmp_rl_init(h->rl, &rlc, seed);
	*out = h;
	return 0;
}

void xn_holdd_free(struct xn_holdd *h)
{
	if (!h)
		return;
	if (h->pkt_fd >= 0)
		close(h->pkt_fd);
	for (int f = 0; f < 2; f++)
		if (h->icmp_fd[f] >= 0)
			close(h->icmp_fd[f]);
	free(h->rl);
	xn_holdq_free(h->q);
	/* the program fd belongs to the skeleton */
	free(h);
}

struct send_ctx {
	struct xn_holdd *h;
	const struct xn_nud_key *k;
	const __u8 *dmac, *smac;
	__u64 sent;
};

/* One held frame out, with the resolved addresses (neigh->output()). */
static void send_one(void *ctx, __u8 *frame, size_t len)
{
	struct send_ctx *s = ctx;
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons((__u16)(frame[12] << 8 | frame[13])),
		.sll_ifindex = (int)s->k->ifindex,
		.sll_halen = ETH_ALEN,
	};

	memcpy(frame, s->dmac, ETH_ALEN);
	memcpy(frame + ETH_ALEN, s->smac, ETH_ALEN);
	memcpy(sll.sll_addr, s->dmac, ETH_ALEN);
	if (sendto(s->h->pkt_fd, frame, len, 0, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		s->h->send_errors++;
		pr_debug("hold queue: send on ifindex %u: %s\n", s->k->ifindex, strerror(errno));
		return;
	}
	s->sent++;
}

static void flush(struct xn_holdd *h, const struct xn_nud_key *k, const struct xn_neigh *v)
{
	const struct xn_link_rec *l = xn_model_link(h->cfg.m, k->ifindex);
	struct send_ctx s = { .h = h, .k = k, .dmac = v->lladdr };
	struct timespec now;
	__u64 oldest = 0;
	size_t n;
	char ks[96];

	if (!l) {
		n = xn_holdq_drop(h->q, k);
		h->failed += n;
		stat_add(h, k->family, XN_STAT_hold_failed, n);
		return;
	}
	s.smac = l->mac;
	if (!xn_holdq_count(h->q, k, &oldest))
		return;
	n = xn_holdq_take(h->q, k, send_one, &s);
	h->sent += s.sent;
	stat_add(h, k->family, XN_STAT_hold_sent, s.sent);
	if (n > s.sent) {
		h->failed += n - s.sent;
		stat_add(h, k->family, XN_STAT_hold_failed, n - s.sent);
	}
	if (xn_log_get_level() >= XN_LOG_DEBUG) {
		/* how long the first frame waited: the resolution's latency */
		clock_gettime(CLOCK_MONOTONIC, &now);
		key_str(k, ks, sizeof(ks));
		pr_debug("hold queue: %s resolved: %llu of %zu held frames sent, the first after "
			 "%llu us\n", ks, (unsigned long long)s.sent, n,
			 (unsigned long long)(((__u64)now.tv_sec * 1000000000ull +
					       (__u64)now.tv_nsec - oldest) / 1000));
	}
}

static __u64 mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec * 1000000000ull + (__u64)ts.tv_nsec;
}

struct report_ctx {
	struct xn_holdd *h;
	__u64 now;
	__u64 sent;
};

/* The clock of the rate limits, and the limits read again from /proc/sys
 * when the last read is older than XN_HOLDD_RL_REREAD. */
static __u64 report_start(struct xn_holdd *h)
{
	__u64 now = mono_ns();

	if (!h->rl_read || now - h->rl_read >= XN_HOLDD_RL_REREAD) {
		xn_icmp_rl_read_sysctls(&h->rl->cfg);
		h->rl_read = now;
	}
	return now;
}

/* The error goes to one of the host's own addresses (a frame the host sent
 * itself): it leaves through loopback, where neither kernel limits it per
 * destination (icmpv4_xrlim_allow(), icmpv6_xrlim_allow(): "No rate limit
 * on loopback"). */
static bool icmp_dst_is_local(const struct xn_holdd *h, const struct xn_icmp_err *e)
{
	const struct xn_model *m = h->cfg.m;
	size_t i;

	if (!m)
		return false;
	if (e->family == AF_INET6) {
		for (i = 0; i < m->addrs6.n; i++)
			if (!memcmp(m->addrs6.v[i].addr, e->dst, 16))
				return true;
		return false;
	}
	for (i = 0; i < m->addrs.n; i++)
		if (!memcmp(&m->addrs.v[i].local, e->dst, 4))
			return true;
	return false;
}

/* neigh_invalidate() -> error_report for one discarded frame: the ICMP or
 * ICMPv6 destination unreachable to its sender, if the rules allow one and
 * the rate limits let it through. */
static void report_frame(struct report_ctx *r, const __u8 *frame, size_t len)
{
	struct xn_holdd *h = r->h;
	struct sockaddr_storage ss = {};
	struct xn_icmp_err e;
	enum xn_icmp_verdict v;
	socklen_t slen;
	int fd, tos;

	v = xn_icmp_error_build(frame, len, &e);
	if (v != XN_ICMP_SEND) {
		h->unreach_not_sent++;
		pr_debug("hold queue: no ICMP error for a discarded frame: %s\n",
			 xn_icmp_verdict_str(v));
		return;
	}
	fd = h->icmp_fd[e.family == AF_INET6];
	if (fd < 0) {
		h->unreach_not_sent++;
		return;
	}
	if (!xn_icmp_rl_allow(h->rl, e.family, e.dst, icmp_dst_is_local(h, &e), r->now)) {
		h->unreach_limited++;
		return;
	}
	if (e.family == AF_INET6) {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

		sin6->sin6_family = AF_INET6;
		memcpy(&sin6->sin6_addr, e.dst, 16);
		slen = sizeof(*sin6);
	} else {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

		sin->sin_family = AF_INET;
		memcpy(&sin->sin_addr, e.dst, 4);
		slen = sizeof(*sin);
		tos = e.tos;
		setsockopt(fd, IPPROTO_IP, IP_TOS, &tos, sizeof(tos));
	}
	if (sendto(fd, e.msg, e.len, 0, (struct sockaddr *)&ss, slen) < 0) {
		h->send_errors++;
		pr_debug("hold queue: ICMP error to the sender: %s\n", strerror(errno));
		return;
	}
	r->sent++;
}

static void report_one(void *ctx, __u8 *frame, size_t len)
{
	report_frame(ctx, frame, len);
}

/* Discard k's frames (hold_failed); with `report` (the entry FAILED), each
 * is reported to its sender first (hold_unreachable). */
static void discard(struct xn_holdd *h, const struct xn_nud_key *k, const char *why, bool report)
{
	struct report_ctx r = { .h = h };
	size_t n;
	char ks[96];

	if (report) {
		r.now = report_start(h);
		n = xn_holdq_take(h->q, k, report_one, &r);
	} else {
		n = xn_holdq_drop(h->q, k);
	}
	if (!n)
		return;
	h->failed += n;
	stat_add(h, k->family, XN_STAT_hold_failed, n);
	h->unreach_sent += r.sent;
	stat_add(h, k->family, XN_STAT_hold_unreachable, r.sent);
	if (xn_log_get_level() >= XN_LOG_DEBUG) {
		key_str(k, ks, sizeof(ks));
		if (report)
			pr_debug("hold queue: %s %s: %zu held frames discarded, %llu reported "
				 "to their senders\n", ks, why, n, (unsigned long long)r.sent);
		else
			pr_debug("hold queue: %s %s: %zu held frames discarded\n", ks, why, n);
	}
}

/* neigh_event_send() for k; refused: its frames go (hold_failed). */
static void resolve(struct xn_holdd *h, const struct xn_nud_key *k)
{
	int err;

	if (!h->cfg.resolve)
		return;
	err = h->cfg.resolve(h->cfg.ctx, k);
	if (err && err != -EAGAIN)
		discard(h, k, "not resolvable", false);
}

void xn_holdd_record(struct xn_holdd *h, const void *data, size_t size)
{
	const struct xn_hold_rec *r = data;
	struct xn_nud_key k;
	struct xn_neigh v;
	unsigned int dropped = 0;
	int err;

	if (size < offsetof(struct xn_hold_rec, frame) ||
	    (r->family != AF_INET && r->family != AF_INET6) || r->len < ETH_HLEN ||
	    r->len > XN_HOLD_FRAME_MAX || size < offsetof(struct xn_hold_rec, frame) + r->len) {
		h->bad_records++;
		return;
	}
	memset(&k, 0, sizeof(k));
	k.family = r->family;
	k.ifindex = r->ifindex;
	memcpy(k.addr, r->addr, r->family == AF_INET6 ? 16 : 4);
	h->held++;

	err = read_entry(h, &k, &v);
	/* resolved meanwhile (its event came first): out at once, after
	 * whatever was queued before it */
	if (!err && (v.state & XN_NUD_VALID)) {
		err = xn_holdq_add(h->q, &k, r->frame, r->len, r->ts, budget_of(h, &k), &dropped);
		if (!err)
			flush(h, &k, &v);
		goto count;
	}
	/* gone */
	if (err) {
		h->failed++;
		stat_add(h, k.family, XN_STAT_hold_failed, 1);
		return;
	}
	/* failed after the data plane saw it otherwise: the frame was queued
	 * when the entry failed, it is reported as those were */
	if (v.state == NUD_FAILED && !(r->flags & XN_HOLD_F_RESOLVE)) {
		struct report_ctx rc = { .h = h, .now = report_start(h) };

		report_frame(&rc, r->frame, r->len);
		h->failed++;
		stat_add(h, k.family, XN_STAT_hold_failed, 1);
		h->unreach_sent += rc.sent;
		stat_add(h, k.family, XN_STAT_hold_unreachable, rc.sent);
		return;
	}
	err = xn_holdq_add(h->q, &k, r->frame, r->len, r->ts, budget_of(h, &k), &dropped);
	/* NONE or FAILED: neigh_event_send() starts the resolution */
	if (r->flags & XN_HOLD_F_RESOLVE)
		resolve(h, &k);
count:
	if (err)
		dropped++;	/* refused: the global cap, or memory */
	if (dropped) {
		h->overflow += dropped;
		stat_add(h, k.family, XN_STAT_unres_discards, dropped);
	}
}

void xn_holdd_entry(struct xn_holdd *h, const struct xn_nud_key *k, const struct xn_neigh *v)
{
	if (!xn_holdq_count(h->q, k, NULL))
		return;
	if (!v)
		discard(h, k, "deleted", false);
	else if (v->state & XN_NUD_VALID)
		flush(h, k, v);
	else if (v->state == NUD_FAILED)
		discard(h, k, "failed", true);	/* neigh_invalidate() */
}

void xn_holdd_tick(struct xn_holdd *h, __u64 now)
{
	struct xn_nud_key keys[XN_HOLDD_TICK_KEYS];
	size_t n, i, by_fam[2];

	if (!xn_holdq_frames(h->q))
		return;
	if (now > XN_HOLDQ_MAX_AGE && xn_holdq_expire(h->q, now - XN_HOLDQ_MAX_AGE, by_fam)) {
		h->failed += by_fam[0] + by_fam[1];
		stat_add(h, AF_INET, XN_STAT_hold_failed, by_fam[0]);
		stat_add(h, AF_INET6, XN_STAT_hold_failed, by_fam[1]);
	}
	n = xn_holdq_keys(h->q, keys, XN_HOLDD_TICK_KEYS);
	for (i = 0; i < n; i++) {
		struct xn_neigh v;

		if (read_entry(h, &keys[i], &v)) {
			discard(h, &keys[i], "gone", false);
			continue;
		}
		xn_holdd_entry(h, &keys[i], &v);
		/* a request the data plane could not make (xn_events full),
		 * or one to ask again (-EAGAIN) */
		if (v.state == NUD_NONE)
			resolve(h, &keys[i]);
	}
}

void xn_holdd_log_summary(const struct xn_holdd *h)
{
	pr_info("hold queue: %llu frames held, %llu sent, %llu discarded (resolution failed), "
		"%llu dropped (unres_qlen), %llu send errors, %llu bad records; %zu still held; "
		"ICMP errors to senders: %llu sent, %llu rate-limited, %llu not allowed\n",
		(unsigned long long)h->held, (unsigned long long)h->sent,
		(unsigned long long)h->failed, (unsigned long long)h->overflow,
		(unsigned long long)h->send_errors, (unsigned long long)h->bad_records,
		xn_holdq_frames(h->q), (unsigned long long)h->unreach_sent,
		(unsigned long long)h->unreach_limited, (unsigned long long)h->unreach_not_sent);
}
