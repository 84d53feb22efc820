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
#include <sys/random.h>
#include <sys/socket.h>
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

/* ---- the driver ------------------------------------------------------------------------ */

/* Neighbours re-checked per tick (the rest wait for the next one). */
#define XN_HOLDD_TICK_KEYS	1024

struct xn_holdd {
	struct xn_holdd_cfg cfg;
	struct xn_holdq *q;
	struct xn_ctl ctl;
	int pkt_fd;			/* AF_PACKET, SOCK_RAW, protocol 0: send only */
	/* for the log */
	__u64 held, sent, failed, overflow, send_errors, bad_records;
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

int xn_holdd_new(struct xn_holdd **out, const struct xn_holdd_cfg *cfg)
{
	struct xn_holdd *h = calloc(1, sizeof(*h));
	__u64 seed = 0;
	int err;

	if (!h)
		return -ENOMEM;
	h->cfg = *cfg;
	xn_ctl_init(&h->ctl);
	h->ctl.fd = cfg->ctl_fd;
	snprintf(h->ctl.where, sizeof(h->ctl.where), "xneighd's own");
	/* keys come from traffic: an unpredictable hash */
	if (getrandom(&seed, sizeof(seed), 0) != sizeof(seed))
		seed = (__u64)getpid() << 32 ^ (__u64)(size_t)h;
	h->q = xn_holdq_new(XN_HOLDQ_MAX_BYTES, seed);
	h->pkt_fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (!h->q || h->pkt_fd < 0) {
		err = h->q ? -errno : -ENOMEM;
		pr_warn("hold queue: cannot start: %s\n", strerror(-err));
		h->ctl.fd = -1;
		xn_holdd_free(h);
		return err;
	}
	*out = h;
	return 0;
}

void xn_holdd_free(struct xn_holdd *h)
{
	if (!h)
		return;
	if (h->pkt_fd >= 0)
		close(h->pkt_fd);
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

static void discard(struct xn_holdd *h, const struct xn_nud_key *k, const char *why)
{
	size_t n = xn_holdq_drop(h->q, k);
	char ks[96];

	if (!n)
		return;
	h->failed += n;
	stat_add(h, k->family, XN_STAT_hold_failed, n);
	if (xn_log_get_level() >= XN_LOG_DEBUG) {
		key_str(k, ks, sizeof(ks));
		pr_debug("hold queue: %s %s: %zu held frames discarded\n", ks, why, n);
	}
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
	/* gone, or failed after the data plane saw it otherwise */
	if (err || (v.state == NUD_FAILED && !(r->flags & XN_HOLD_F_RESOLVE))) {
		h->failed++;
		stat_add(h, k.family, XN_STAT_hold_failed, 1);
		return;
	}
	err = xn_holdq_add(h->q, &k, r->frame, r->len, r->ts, budget_of(h, &k), &dropped);
	/* NONE or FAILED: neigh_event_send() starts the resolution */
	if ((r->flags & XN_HOLD_F_RESOLVE) && h->cfg.resolve)
		h->cfg.resolve(h->cfg.ctx, &k);
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
		discard(h, k, "deleted");
	else if (v->state & XN_NUD_VALID)
		flush(h, k, v);
	else if (v->state == NUD_FAILED)
		discard(h, k, "failed");
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
			discard(h, &keys[i], "gone");
			continue;
		}
		xn_holdd_entry(h, &keys[i], &v);
		/* a request the data plane could not make (xn_events full) */
		if (v.state == NUD_NONE && h->cfg.resolve)
			h->cfg.resolve(h->cfg.ctx, &keys[i]);
	}
}

void xn_holdd_log_summary(const struct xn_holdd *h)
{
	pr_info("hold queue: %llu frames held, %llu sent, %llu discarded (resolution failed), "
		"%llu dropped (unres_qlen), %llu send errors, %llu bad records; %zu still held\n",
		(unsigned long long)h->held, (unsigned long long)h->sent,
		(unsigned long long)h->failed, (unsigned long long)h->overflow,
		(unsigned long long)h->send_errors, (unsigned long long)h->bad_records,
		xn_holdq_frames(h->q));
}
