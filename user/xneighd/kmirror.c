// SPDX-License-Identifier: GPL-2.0
/* xneighd: the kernel table mirror (see kmirror.h).
 *
 * One record per key that matters: what xneigh wants in the kernel (from the
 * nudd `changed` callback) and what the kernel holds (from the start-up dump
 * and RTNLGRP_NEIGH). Every change of either side queues the key once
 * (a timer queue used as a FIFO: due = sequence number); a turn pops keys,
 * decides (xn_km_decide()), imports, and sends the writes in batches on a
 * request socket whose acknowledgements are read before the next batch. The
 * acknowledgement of a write updates the record at once; the notification
 * of the same write, read after it, says the same again. A record that
 * wants nothing and sees nothing of ours in the kernel is freed.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/eventfd.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <linux/neighbour.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <libmnl/libmnl.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "xneigh/nud.h"
#include "xneigh/stats.h"
#include "ctl.h"
#include "kmirror.h"
#include "log.h"

#define KM_NIL		UINT32_MAX
#define KM_BUF_SIZE	65536		/* a batch of requests; a read of replies */
#define KM_EV_RCVBUF	(4 << 20)	/* notifications of one turn fit many times */
#define KM_REQ_RCVBUF	(1 << 20)	/* acks of a batch, dumps */
#define KM_TIMEOUT_S	2		/* an ack or dump part never takes this long */
#define KM_DUMP_TRIES	8
#define KM_RETRY_MIN_NS	1000000000ULL	/* first retry after a refused write */
#define KM_RETRY_MAX_SH	6		/* ... doubling up to 64 s */
#define KM_LOG_EVERY_NS	10000000000ULL	/* refused writes: one line per 10 s */
#define KM_AUDIT_TICK	8192		/* records checked per tick after lost events */

/* ---- the pure part ------------------------------------------------------------------ */

enum xn_km_kind xn_km_classify(bool del, __u8 state, __u8 ndm_flags, __u8 protocol)
{
	if (del)
		return XN_KM_NONE;
	if (ndm_flags & NTF_EXT_LEARNED) {
		if (protocol != XN_KM_PROTO)
			return XN_KM_PROTECTED;		/* another control plane's */
		/* ours; set FAILED (neigh_delete()'s first step, or an
		 * administrator) it is as good as gone */
		return (state & XN_NUD_VALID) ? XN_KM_OURS : XN_KM_NONE;
	}
	/* an administrator's static entry, or the constructor's NOARP one
	 * (NUD-12/13); __neigh_update() itself refuses to change them
	 * without ADMIN (NUD-8.2) */
	if (state & (NUD_PERMANENT | NUD_NOARP))
		return XN_KM_PROTECTED;
	return XN_KM_NONE;		/* dynamic: the kernel resolved it */
}

bool xn_km_addr_special(__u32 family, const __u8 *addr)
{
	static const __u8 zero[16], loop6[16] = { [15] = 1 };

	if (family == AF_INET) {
		__u32 a = (__u32)addr[0] << 24 | (__u32)addr[1] << 16 | (__u32)addr[2] << 8 | addr[3];

		return a == 0 || a == 0xffffffffu || (a >> 28) == 0xe || (a >> 24) == 127;
	}
	return addr[0] == 0xff || !memcmp(addr, zero, 16) || !memcmp(addr, loop6, 16);
}

void xn_km_want_of(const struct xn_neigh *v, bool dev_ok, bool key_ok, struct xn_km_want *w)
{
	memset(w, 0, sizeof(*w));
	if (!v || !dev_ok || !key_ok || (v->xflags & XN_NF_DEAD))
		return;
	switch (v->state) {
	case NUD_REACHABLE:
	case NUD_STALE:
	case NUD_DELAY:
	case NUD_PROBE:
		/* xneigh ages and probes it; the kernel only uses it */
		w->state = NUD_NOARP;
		break;
	case NUD_PERMANENT:
		w->state = NUD_PERMANENT;
		break;
	case NUD_NOARP:
		/* the data plane's NOARP entries are arp_constructor()'s for
		 * broadcast keys (NUD-12): the kernel makes its own */
		if (v->xflags & XN_NF_CREATED_BY_DP)
			return;
		w->state = NUD_NOARP;
		break;
	default:
		return;			/* NONE, INCOMPLETE, FAILED: no address to use */
	}
	w->present = true;
	w->router = !!(v->flags & XN_NTF_ROUTER);
	memcpy(w->lladdr, v->lladdr, ETH_ALEN);
}

enum xn_km_action xn_km_decide(const struct xn_km_want *w, const struct xn_km_have *h,
			       bool suppressed)
{
	if (h->kind == XN_KM_PROTECTED)
		return XN_KM_KEEP;
	if (w->present) {
		if (h->kind == XN_KM_OURS && h->state == w->state && h->has_lladdr &&
		    !memcmp(h->lladdr, w->lladdr, ETH_ALEN) &&
		    !!(h->flags & NTF_ROUTER) == !!w->router)
			return XN_KM_KEEP;
		if (h->kind == XN_KM_NONE && suppressed)
			return XN_KM_KEEP;
		/* absent, left to the kernel (replaced now), or ours but stale */
		return XN_KM_WRITE;
	}
	return h->kind == XN_KM_OURS ? XN_KM_DELETE : XN_KM_KEEP;
}

bool xn_km_importable(const struct xn_km_have *h, bool dev_ok)
{
	return dev_ok && h->kind == XN_KM_PROTECTED && h->state == NUD_PERMANENT &&
	       !(h->flags & NTF_EXT_LEARNED) && h->has_lladdr;
}

/* ---- records -------------------------------------------------------------------------- */

struct km_rec {
	struct xn_nud_key key;		/* family 0: a free slot */
	struct xn_km_want want;
	struct xn_km_have have;
	bool suppressed;		/* ours was removed by someone else */
	bool imported;			/* xneigh holds the kernel's PERMANENT entry */
	bool seen;			/* in the dump being read */
	__u8 retries;			/* refused writes in a row */
	__u8 imported_ll[ETH_ALEN];
	__u32 next;			/* hash chain, or the free list */
};

struct km_op {
	struct xn_nud_key key;
	__u8 action;			/* XN_KM_WRITE or XN_KM_DELETE */
	struct xn_km_want w;
	bool acked;
};

struct xn_km {
	struct xn_km_cfg cfg;
	__u32 ifaces[XN_IFACES_MAX];
	struct mnl_socket *ev;		/* RTNLGRP_NEIGH, non-blocking */
	struct mnl_socket *req;		/* writes and dumps, blocking with a timeout */
	unsigned int portid, seq;
	bool req_dirty;			/* a request failed half-way: replies may be left */
	int efd;			/* readable while decisions are queued */
	bool signalled;
	bool resync;			/* notifications were lost: re-read the table */
	struct xn_ctl ctl;
	char *buf, *rbuf;
	/* records: a slab with a chained hash index */
	struct km_rec *recs;
	__u32 cap, used, free_head, nrec;
	__u32 *buckets;
	__u32 nbuckets;			/* power of two */
	__u64 seed;
	struct xn_timerq *q;		/* keys to decide, due = sequence (FIFO) */
	__u64 qseq;
	struct xn_timerq *retry;	/* keys to decide again, due = CLOCK_MONOTONIC ns */
	struct km_op ops[XN_KM_BATCH];
	unsigned int nops;
	struct mnl_nlmsg_batch *batch;
	/* lost data-plane events: deletions never reported */
	int ncpus;
	__u64 events_lost;
	__u32 audit;			/* next record to check; KM_NIL: no audit running */
	/* counters for the log */
	__u64 writes, deletes, refused, imports, unimports, resyncs, audits;
	__u64 last_log;
	unsigned int unlogged;
};

static __u64 mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec * 1000000000ull + (__u64)ts.tv_nsec;
}

static size_t addr_len(__u32 family)
{
	return family == AF_INET6 ? 16 : 4;
}

static void key_make(struct xn_nud_key *k, __u32 family, __u32 ifindex, const void *addr)
{
	memset(k, 0, sizeof(*k));
	k->family = family;
	k->ifindex = ifindex;
	memcpy(k->addr, addr, addr_len(family));
}

static const char *key_str(const struct xn_km *km, const struct xn_nud_key *k, char *buf,
			   size_t len)
{
	char a[INET6_ADDRSTRLEN] = "?", ifn[IF_NAMESIZE];

	inet_ntop(k->family == AF_INET6 ? AF_INET6 : AF_INET, k->addr, a, sizeof(a));
	snprintf(buf, len, "%s dev %s", a, xn_model_ifname(km->cfg.m, k->ifindex, ifn,
							   sizeof(ifn)));
	return buf;
}

/* murmur3's 64-bit finaliser; keys come from the network, hence the seed */
static __u64 km_mix(__u64 x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

static __u32 km_hash(const struct xn_km *km, const struct xn_nud_key *k)
{
	__u64 w[3];

	memcpy(w, k, sizeof(w));
	return (__u32)km_mix(km_mix(km_mix(w[0] ^ km->seed) ^ w[1]) ^ w[2]) & (km->nbuckets - 1);
}

static __u32 rec_find(const struct xn_km *km, const struct xn_nud_key *k)
{
	__u32 i;

	for (i = km->buckets[km_hash(km, k)]; i != KM_NIL; i = km->recs[i].next)
		if (!memcmp(&km->recs[i].key, k, sizeof(*k)))
			return i;
	return KM_NIL;
}

static int rec_grow(struct xn_km *km)
{
	__u32 ncap = km->cap ? km->cap * 2 : 256, i;
	struct km_rec *recs = realloc(km->recs, (size_t)ncap * sizeof(*recs));
	__u32 *buckets;

	if (!recs)
		return -ENOMEM;
	km->recs = recs;
	buckets = malloc((size_t)ncap * sizeof(*buckets));
	if (!buckets)
		return -ENOMEM;
	free(km->buckets);
	km->buckets = buckets;
	km->nbuckets = ncap;
	km->cap = ncap;
	memset(buckets, 0xff, (size_t)ncap * sizeof(*buckets));
	for (i = 0; i < km->used; i++) {
		__u32 h;

		if (!km->recs[i].key.family)
			continue;
		h = km_hash(km, &km->recs[i].key);
		km->recs[i].next = buckets[h];
		buckets[h] = i;
	}
	return 0;
}

/* The record of k, created empty if there is none; NULL when out of memory. */
static struct km_rec *rec_get(struct xn_km *km, const struct xn_nud_key *k)
{
	__u32 i = rec_find(km, k), h;
	struct km_rec *r;

	if (i != KM_NIL)
		return &km->recs[i];
	if (km->free_head == KM_NIL && km->used == km->cap && rec_grow(km)) {
		pr_warn("kernel table mirror: out of memory\n");
		return NULL;
	}
	if (km->free_head != KM_NIL) {
		i = km->free_head;
		km->free_head = km->recs[i].next;
	} else {
		i = km->used++;
	}
	r = &km->recs[i];
	memset(r, 0, sizeof(*r));
	r->key = *k;
	h = km_hash(km, k);
	r->next = km->buckets[h];
	km->buckets[h] = i;
	km->nrec++;
	return r;
}

/* Free the record when it holds nothing worth remembering. */
static void rec_maybe_free(struct xn_km *km, struct km_rec *r)
{
	__u32 i = (__u32)(r - km->recs), *p;

	if (r->want.present || r->have.kind != XN_KM_NONE || r->imported)
		return;
	if (xn_tq_get(km->q, &r->key, NULL, NULL))
		return;			/* decided again soon; freed then */
	xn_tq_del(km->retry, &r->key);
	for (p = &km->buckets[km_hash(km, &r->key)]; *p != KM_NIL; p = &km->recs[*p].next) {
		if (*p == i) {
			*p = r->next;
			break;
		}
	}
	memset(r, 0, sizeof(*r));
	r->next = km->free_head;
	km->free_head = i;
	km->nrec--;
}

static bool our_iface(const struct xn_km *km, __u32 ifindex)
{
	unsigned int i;

	for (i = 0; i < km->cfg.nifaces; i++)
		if (km->ifaces[i] == ifindex)
			return true;
	return false;
}

/* May entries of this interface be mirrored: ours, and one on which the
 * kernel resolves at all (arp_constructor()/ndisc_constructor() make every
 * entry of a NOARP or loopback device NOARP, NUD-12/13). */
static bool dev_ok(const struct xn_km *km, __u32 ifindex)
{
	const struct xn_link_rec *l;

	if (!our_iface(km, ifindex))
		return false;
	l = xn_model_link(km->cfg.m, ifindex);
	return l && !(l->ifi_flags & (IFF_NOARP | IFF_LOOPBACK));
}

/* May this address be mirrored: not special, not one of ours, not a
 * broadcast address (the local table's RTN_LOCAL and RTN_BROADCAST). */
static bool key_ok(const struct xn_km *km, const struct xn_nud_key *k)
{
	const struct xn_model *m = km->cfg.m;
	size_t i;

	if (xn_km_addr_special(k->family, k->addr))
		return false;
	if (k->family == AF_INET) {
		for (i = 0; i < m->routes.n; i++)
			if (!memcmp(&m->routes.v[i].dst, k->addr, 4))
				return false;
		return true;
	}
	for (i = 0; i < m->addrs6.n; i++)
		if (!memcmp(m->addrs6.v[i].addr, k->addr, 16))
			return false;
	return true;
}

/* ---- the work queue ---------------------------------------------------------------------- */

static void signal_work(struct xn_km *km)
{
	__u64 one = 1;

	if (km->signalled)
		return;
	if (write(km->efd, &one, sizeof(one)) == sizeof(one))
		km->signalled = true;
}

static void queue_key(struct xn_km *km, const struct xn_nud_key *k)
{
	if (!xn_tq_get(km->q, k, NULL, NULL) && xn_tq_set(km->q, k, ++km->qseq, 0)) {
		pr_warn("kernel table mirror: out of memory queueing a decision\n");
		return;
	}
	signal_work(km);
}

static void retry_later(struct xn_km *km, struct km_rec *r)
{
	unsigned int sh = r->retries < KM_RETRY_MAX_SH ? r->retries : KM_RETRY_MAX_SH;

	if (r->retries < 255)
		r->retries++;
	xn_tq_set(km->retry, &r->key, mono_ns() + (KM_RETRY_MIN_NS << sh), 0);
}

/* A refused write or import: counted; one line per 10 s, with the number
 * of those not shown. */
static void refused(struct xn_km *km, const char *what, const struct xn_nud_key *k, int err,
		    const char *msg)
{
	__u64 now = mono_ns();
	char ks[96];

	km->refused++;
	if (km->last_log && now - km->last_log < KM_LOG_EVERY_NS) {
		km->unlogged++;
		return;
	}
	km->last_log = now;
	pr_warn("kernel table mirror: cannot %s %s: %s%s%s (retrying later)%s\n", what,
		key_str(km, k, ks, sizeof(ks)), strerror(-err), msg ? ": " : "", msg ? msg : "",
		km->unlogged ? "; more refused since the last message" : "");
	if (err == -ENOBUFS)
		pr_warn("kernel table mirror: the kernel's neighbour table is full "
			"(gc_thresh3?)\n");
	km->unlogged = 0;
}

/* ---- what the kernel says ---------------------------------------------------------------- */

/* The kernel's entry for k is now h. */
static void have_set(struct xn_km *km, const struct xn_nud_key *k, const struct xn_km_have *h)
{
	__u32 i = rec_find(km, k);
	struct km_rec *r;

	if (i == KM_NIL) {
		/* a kernel entry is worth a record when it is ours (maybe to
		 * delete) or protects one of our interfaces */
		if (h->kind == XN_KM_NONE ||
		    (h->kind == XN_KM_PROTECTED && !our_iface(km, k->ifindex)))
			return;
		r = rec_get(km, k);
		if (!r)
			return;
	} else {
		r = &km->recs[i];
	}
	r->seen = true;
	if (!memcmp(&r->have, h, sizeof(*h)))
		return;
	if (r->have.kind == XN_KM_OURS && h->kind != XN_KM_OURS && r->want.present)
		r->suppressed = true;	/* not ours that removed it: don't fight */
	if (h->kind == XN_KM_OURS)
		r->suppressed = false;
	r->have = *h;
	queue_key(km, k);
}

struct nd_attrs {
	const struct nlattr *dst, *lladdr, *proto;
};

static int nd_attr_cb(const struct nlattr *a, void *data)
{
	struct nd_attrs *t = data;

	switch (mnl_attr_get_type(a)) {
	case NDA_DST:
		t->dst = a;
		break;
	case NDA_LLADDR:
		t->lladdr = a;
		break;
	case NDA_PROTOCOL:
		if (mnl_attr_validate(a, MNL_TYPE_U8) >= 0)
			t->proto = a;
		break;
	}
	return MNL_CB_OK;
}

/* One RTM_NEWNEIGH / RTM_DELNEIGH: key and what it says. False for anything
 * that is not a neighbour entry of ARP or NDISC. */
static bool parse_neigh(const struct nlmsghdr *nlh, struct xn_nud_key *k, struct xn_km_have *h)
{
	const struct ndmsg *ndm = mnl_nlmsg_get_payload(nlh);
	struct nd_attrs t = {};
	__u8 proto = 0;

	if ((nlh->nlmsg_type != RTM_NEWNEIGH && nlh->nlmsg_type != RTM_DELNEIGH) ||
	    nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*ndm)) ||
	    (ndm->ndm_family != AF_INET && ndm->ndm_family != AF_INET6) ||
	    (ndm->ndm_flags & NTF_PROXY) || ndm->ndm_ifindex <= 0)
		return false;
	if (mnl_attr_parse(nlh, sizeof(*ndm), nd_attr_cb, &t) < 0 || !t.dst ||
	    mnl_attr_get_payload_len(t.dst) != addr_len(ndm->ndm_family))
		return false;
	if (t.proto)
		proto = mnl_attr_get_u8(t.proto);
	key_make(k, ndm->ndm_family, (__u32)ndm->ndm_ifindex, mnl_attr_get_payload(t.dst));
	memset(h, 0, sizeof(*h));
	h->kind = xn_km_classify(nlh->nlmsg_type == RTM_DELNEIGH, ndm->ndm_state,
				 ndm->ndm_flags, proto);
	if (h->kind == XN_KM_NONE)
		return true;		/* all that matters: nothing of ours, nothing protected */
	h->state = ndm->ndm_state;
	h->flags = ndm->ndm_flags;
	if (t.lladdr && mnl_attr_get_payload_len(t.lladdr) == ETH_ALEN) {
		h->has_lladdr = true;
		memcpy(h->lladdr, mnl_attr_get_payload(t.lladdr), ETH_ALEN);
	}
	return true;
}

static int event_cb(const struct nlmsghdr *nlh, void *data)
{
	struct xn_km *km = data;
	struct xn_nud_key k;
	struct xn_km_have h;

	if (parse_neigh(nlh, &k, &h))
		have_set(km, &k, &h);
	return MNL_CB_OK;
}

static void read_events(struct xn_km *km)
{
	for (;;) {
		ssize_t len = mnl_socket_recvfrom(km->ev, km->rbuf, KM_BUF_SIZE);

		if (len < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ENOBUFS) {
				pr_info("kernel table mirror: neighbour notifications overran the "
					"socket; re-reading the kernel's table\n");
				km->resync = true;
				continue;
			}
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				pr_warn("kernel table mirror: reading notifications: %s\n",
					strerror(errno));
			return;
		}
		mnl_cb_run(km->rbuf, (size_t)len, 0, 0, event_cb, km);
	}
}

/* ---- dumps ----------------------------------------------------------------------------------- */

struct dump_ctx {
	struct xn_km *km;
	bool intr;
	int (*cb)(struct xn_km *km, const struct xn_nud_key *k, const struct xn_km_have *h,
		  void *data);
	void *data;
};

static int dump_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dump_ctx *d = data;
	struct xn_nud_key k;
	struct xn_km_have h;

	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		d->intr = true;
	if (parse_neigh(nlh, &k, &h) && d->cb(d->km, &k, &h, d->data) < 0)
		return MNL_CB_ERROR;
	return MNL_CB_OK;
}

/* Replies left over from a request that failed half-way (a timeout, lost
 * acks): read and dropped, so that they are not taken for the next one's. */
static void drain_req(struct xn_km *km)
{
	int fd = mnl_socket_get_fd(km->req);

	if (!km->req_dirty)
		return;
	for (;;) {
		ssize_t n = recv(fd, km->rbuf, KM_BUF_SIZE, MSG_DONTWAIT);

		if (n > 0 || (n < 0 && (errno == EINTR || errno == ENOBUFS)))
			continue;
		break;
	}
	km->req_dirty = false;
}

/* RTM_GETNEIGH of both families (neigh_dump_info(); ndm_flags 0: the
 * neighbour tables, not the proxy ones): cb on every entry. A dump the
 * kernel marks interrupted is read again, after reset. 0 or -errno. */
static int dump_neigh(struct xn_km *km,
		      int (*cb)(struct xn_km *, const struct xn_nud_key *,
				const struct xn_km_have *, void *),
		      void (*reset)(struct xn_km *, void *), void *data)
{
	struct dump_ctx d = { .km = km, .cb = cb, .data = data };
	int tries;

	drain_req(km);
	for (tries = 0; tries < KM_DUMP_TRIES; tries++) {
		struct nlmsghdr *nlh = mnl_nlmsg_put_header(km->buf);
		struct ndmsg *ndm;
		int ret;

		nlh->nlmsg_type = RTM_GETNEIGH;
		nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
		nlh->nlmsg_seq = ++km->seq;
		ndm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ndm));
		ndm->ndm_family = AF_UNSPEC;
		if (mnl_socket_sendto(km->req, nlh, nlh->nlmsg_len) < 0)
			return -errno;
		d.intr = false;
		do {
			ssize_t len = mnl_socket_recvfrom(km->req, km->rbuf, KM_BUF_SIZE);

			if (len < 0) {
				km->req_dirty = true;
				return -errno;
			}
			ret = mnl_cb_run(km->rbuf, (size_t)len, nlh->nlmsg_seq, km->portid,
					 dump_cb, &d);
		} while (ret > MNL_CB_STOP);
		if (ret < 0) {
			km->req_dirty = true;
			return -errno;
		}
		if (!d.intr)
			return 0;
		if (reset)
			reset(km, data);
	}
	return -EAGAIN;
}

static void unsee_all(struct xn_km *km, void *data)
{
	__u32 i;

	(void)data;
	for (i = 0; i < km->used; i++)
		km->recs[i].seen = false;
}

static int dump_have_cb(struct xn_km *km, const struct xn_nud_key *k, const struct xn_km_have *h,
			void *data)
{
	(void)data;
	have_set(km, k, h);
	return 0;
}

/* Read the kernel's table into the records: what the dump lists, and
 * nothing for every record it does not; then decide every key again. */
static int reread(struct xn_km *km)
{
	static const struct xn_km_have none;
	__u32 i;
	int err;

	unsee_all(km, NULL);
	err = dump_neigh(km, dump_have_cb, unsee_all, NULL);
	if (err)
		return err;
	for (i = 0; i < km->used; i++) {
		struct km_rec *r = &km->recs[i];

		if (!r->key.family)
			continue;
		if (!r->seen) {
			struct xn_nud_key k = r->key;

			have_set(km, &k, &none);
			r = &km->recs[i];
		}
		queue_key(km, &r->key);
	}
	return 0;
}

static void do_resync(struct xn_km *km)
{
	int err;

	km->resync = false;
	km->resyncs++;
	/* what is queued is older than the dump: applied first */
	read_events(km);
	km->resync = false;
	err = reread(km);
	if (err) {
		pr_warn("kernel table mirror: cannot read the kernel's neighbour table: %s; "
			"trying again at the next change\n", strerror(-err));
		km->resync = true;
	}
}

/* ---- writing ------------------------------------------------------------------------------------ */

static void op_add(struct xn_km *km, const struct km_rec *r, enum xn_km_action act)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(mnl_nlmsg_batch_current(km->batch));
	struct km_op *op = &km->ops[km->nops];
	struct ndmsg *ndm;

	op->key = r->key;
	op->action = (__u8)act;
	op->w = r->want;
	op->acked = false;
	nlh->nlmsg_seq = km->seq + 1 + km->nops;
	ndm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ndm));
	ndm->ndm_family = (__u8)r->key.family;
	ndm->ndm_ifindex = (int)r->key.ifindex;
	if (act == XN_KM_WRITE) {
		/* neigh_add(): created if missing, else replaced whatever it
		 * was (ours, or an entry the kernel resolved itself); admin
		 * semantics set NTF_EXT_LEARNED and NTF_ROUTER exactly */
		nlh->nlmsg_type = RTM_NEWNEIGH;
		nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_REPLACE;
		ndm->ndm_state = r->want.state;
		ndm->ndm_flags = NTF_EXT_LEARNED | (r->want.router ? NTF_ROUTER : 0);
		mnl_attr_put(nlh, NDA_DST, addr_len(r->key.family), r->key.addr);
		mnl_attr_put(nlh, NDA_LLADDR, ETH_ALEN, r->want.lladdr);
		mnl_attr_put_u8(nlh, NDA_PROTOCOL, XN_KM_PROTO);
	} else {
		nlh->nlmsg_type = RTM_DELNEIGH;
		nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
		mnl_attr_put(nlh, NDA_DST, addr_len(r->key.family), r->key.addr);
	}
	mnl_nlmsg_batch_next(km->batch);
	km->nops++;
}

/* The kernel's extended-ack message of an error reply, if any. */
static const char *ack_msg(const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *a;
	size_t off = sizeof(*e);

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return NULL;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - sizeof(e->msg);
	if (mnl_nlmsg_size(off) > nlh->nlmsg_len)
		return NULL;
	mnl_attr_for_each(a, nlh, off) {
		if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MSG &&
		    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) >= 0)
			return mnl_attr_get_str(a);
	}
	return NULL;
}

/* The outcome of one request. */
static void op_done(struct xn_km *km, struct km_op *op, int err, const char *msg)
{
	__u32 i = rec_find(km, &op->key);
	struct km_rec *r = i == KM_NIL ? NULL : &km->recs[i];

	op->acked = true;
	if (op->action == XN_KM_DELETE && err == -ENOENT)
		err = 0;		/* gone already */
	if (err) {
		refused(km, op->action == XN_KM_WRITE ? "write" : "delete", &op->key, err, msg);
		if (r)
			retry_later(km, r);
		return;
	}
	if (!r)
		return;
	r->retries = 0;
	xn_tq_del(km->retry, &r->key);
	memset(&r->have, 0, sizeof(r->have));
	if (op->action == XN_KM_WRITE) {
		km->writes++;
		r->have.kind = XN_KM_OURS;
		r->have.state = op->w.state;
		r->have.flags = NTF_EXT_LEARNED | (op->w.router ? NTF_ROUTER : 0);
		r->have.has_lladdr = true;
		memcpy(r->have.lladdr, op->w.lladdr, ETH_ALEN);
	} else {
		km->deletes++;
		rec_maybe_free(km, r);
	}
}

/* Send the batch and read its acknowledgements. */
static void flush(struct xn_km *km)
{
	unsigned int base = km->seq + 1, got = 0, i;
	int err = 0;

	if (!km->nops)
		return;
	drain_req(km);
	km->seq += km->nops;
	if (mnl_socket_sendto(km->req, mnl_nlmsg_batch_head(km->batch),
			      mnl_nlmsg_batch_size(km->batch)) < 0)
		err = -errno;
	while (!err && got < km->nops) {
		ssize_t len = mnl_socket_recvfrom(km->req, km->rbuf, KM_BUF_SIZE);
		const struct nlmsghdr *nlh;
		int left;

		if (len < 0) {
			if (errno == EINTR)
				continue;
			err = -errno;	/* EAGAIN: timed out; ENOBUFS: acks lost */
			break;
		}
		left = (int)len;
		for (nlh = (const void *)km->rbuf; mnl_nlmsg_ok(nlh, left);
		     nlh = mnl_nlmsg_next(nlh, &left)) {
			const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
			unsigned int idx = nlh->nlmsg_seq - base;

			/* acks of an earlier batch that timed out: not ours now */
			if (nlh->nlmsg_type != NLMSG_ERROR || idx >= km->nops ||
			    km->ops[idx].acked ||
			    nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*e)))
				continue;
			op_done(km, &km->ops[idx], e->error, e->error ? ack_msg(nlh) : NULL);
			got++;
		}
	}
	if (err) {
		pr_warn("kernel table mirror: %u of %u requests unanswered: %s; deciding them "
			"again later\n", km->nops - got, km->nops, strerror(-err));
		for (i = 0; i < km->nops; i++) {
			__u32 ri = rec_find(km, &km->ops[i].key);

			if (!km->ops[i].acked && ri != KM_NIL)
				retry_later(km, &km->recs[ri]);
		}
		if (err == -ENOBUFS)
			km->resync = true;
		km->req_dirty = true;
	}
	km->nops = 0;
	mnl_nlmsg_batch_reset(km->batch);
}

/* ---- imports --------------------------------------------------------------------------------- */

static int fam_idx(__u32 family)
{
	return family == AF_INET6 ? 1 : 0;
}

/* The administrator's PERMANENT entry into xneigh's table, as `ip neigh
 * replace ADDR lladdr MAC nud permanent` would write it (neigh_add(): ADMIN
 * | OVERRIDE), so the data plane never changes it (NUD-8.2). */
static int import(struct xn_km *km, struct km_rec *r)
{
	struct xn_ctl_neigh n = {
		.family = (int)r->key.family, .ifindex = r->key.ifindex,
		.has_lladdr = true, .state = NUD_PERMANENT,
	};
	int err;

	memcpy(n.addr, r->key.addr, addr_len(r->key.family));
	memcpy(n.lladdr, r->have.lladdr, ETH_ALEN);
	err = xn_ctl_neigh_add(&km->ctl, km->cfg.neigh_fd[fam_idx(r->key.family)], &n,
			       NLM_F_CREATE | NLM_F_REPLACE, NULL);
	if (err) {
		refused(km, "import", &r->key, err, NULL);
		retry_later(km, r);
		return err;
	}
	if (!r->imported) {
		char ks[96];

		pr_info("kernel table mirror: imported the kernel's PERMANENT entry %s\n",
			key_str(km, &r->key, ks, sizeof(ks)));
	}
	km->imports++;
	r->imported = true;
	memcpy(r->imported_ll, r->have.lladdr, ETH_ALEN);
	return 0;
}

/* The kernel's entry is gone or no longer an administrator's PERMANENT one:
 * remove the import from xneigh, unless xneigh's entry was changed since
 * (then it is xneigh's administrator's and stays). */
static void unimport(struct xn_km *km, struct km_rec *r)
{
	struct xn_neigh4_key k4 = { .ifindex = r->key.ifindex };
	struct xn_neigh6_key k6 = { .ifindex = r->key.ifindex };
	int fd = km->cfg.neigh_fd[fam_idx(r->key.family)];
	struct xn_neigh v;
	char ks[96];
	int err;

	r->imported = false;
	if (r->key.family == AF_INET6) {
		memcpy(k6.addr, r->key.addr, 16);
		err = bpf_map_lookup_elem_flags(fd, &k6, &v, BPF_F_LOCK);
	} else {
		memcpy(&k4.addr, r->key.addr, 4);
		err = bpf_map_lookup_elem_flags(fd, &k4, &v, BPF_F_LOCK);
	}
	if (err || v.state != NUD_PERMANENT || memcmp(v.lladdr, r->imported_ll, ETH_ALEN))
		return;
	err = xn_ctl_neigh_delete(&km->ctl, (int)r->key.family, r->key.ifindex, r->key.addr);
	if (err && err != -ENOENT) {
		refused(km, "remove the import of", &r->key, err, NULL);
		return;
	}
	/* gone from xneigh: nothing to mirror back (its DELETED event says
	 * the same a little later) */
	memset(&r->want, 0, sizeof(r->want));
	km->unimports++;
	pr_info("kernel table mirror: the kernel's PERMANENT entry %s is gone: removed "
		"from xneigh\n", key_str(km, &r->key, ks, sizeof(ks)));
}

/* ---- deciding ------------------------------------------------------------------------------------ */

static void decide_key(struct xn_km *km, const struct xn_nud_key *k)
{
	__u32 i = rec_find(km, k);
	enum xn_km_action act;
	struct km_rec *r;
	bool dev;

	if (i == KM_NIL)
		return;
	r = &km->recs[i];
	dev = dev_ok(km, k->ifindex);
	if (xn_km_importable(&r->have, dev)) {
		if (!r->imported || memcmp(r->imported_ll, r->have.lladdr, ETH_ALEN))
			import(km, r);
	} else if (r->imported) {
		unimport(km, r);
	}
	act = xn_km_decide(&r->want, &r->have, r->suppressed);
	if (act == XN_KM_KEEP) {
		rec_maybe_free(km, r);
		return;
	}
	op_add(km, r, act);
}

void xn_km_entry(struct xn_km *km, const struct xn_nud_key *k, const struct xn_neigh *v)
{
	struct xn_km_want w;
	__u32 i = rec_find(km, k);
	struct km_rec *r;

	xn_km_want_of(v, v && dev_ok(km, k->ifindex), v && key_ok(km, k), &w);
	if (i == KM_NIL) {
		if (!w.present)
			return;
		r = rec_get(km, k);
		if (!r)
			return;
	} else {
		r = &km->recs[i];
	}
	r->want = w;
	/* xneigh learned something new about it: an entry someone removed
	 * from the kernel may be written again */
	r->suppressed = false;
	queue_key(km, k);
}

void xn_km_run(struct xn_km *km)
{
	unsigned int done = 0;
	__u64 cnt;

	if (read(km->efd, &cnt, sizeof(cnt)) < 0 && errno != EAGAIN)
		pr_debug("kernel table mirror: eventfd: %s\n", strerror(errno));
	km->signalled = false;
	read_events(km);
	if (km->resync)
		do_resync(km);
	while (done < XN_KM_TURN && xn_tq_len(km->q)) {
		struct xn_nud_key k;

		while (km->nops < XN_KM_BATCH && done < XN_KM_TURN &&
		       xn_tq_pop(km->q, XN_TQ_NEVER - 1, &k, NULL, NULL)) {
			decide_key(km, &k);
			done++;
		}
		flush(km);
		/* our own notifications, before deciding more */
		read_events(km);
		if (km->resync)
			do_resync(km);
	}
	if (xn_tq_len(km->q))
		signal_work(km);
}

/* events_lost summed over CPUs and families (xn_stats). */
static __u64 events_lost(const struct xn_km *km)
{
	struct xn_stats *per;
	__u64 sum = 0;
	__u32 key;
	int c;

	if (km->ncpus <= 0 || km->cfg.stats_fd < 0)
		return 0;
	per = calloc((size_t)km->ncpus, sizeof(*per));
	if (!per)
		return km->events_lost;
	for (key = 0; key < XN_FAM__COUNT; key++) {
		if (bpf_map_lookup_elem(km->cfg.stats_fd, &key, per))
			continue;
		for (c = 0; c < km->ncpus; c++)
			sum += per[c].events_lost;
	}
	free(per);
	return sum;
}

/* After the data plane lost events, the NUD driver re-reads its tables and
 * reports every entry it finds; an entry deleted meanwhile is not among
 * them. So every record that still wants an entry is checked against the
 * map, a bounded number per tick. */
static void audit_step(struct xn_km *km)
{
	__u32 end = km->audit + KM_AUDIT_TICK;

	for (; km->audit < km->used && km->audit < end; km->audit++) {
		struct km_rec *r = &km->recs[km->audit];
		struct xn_neigh4_key k4 = { .ifindex = r->key.ifindex };
		struct xn_neigh6_key k6 = { .ifindex = r->key.ifindex };
		int fd = km->cfg.neigh_fd[r->key.family == AF_INET6];
		struct xn_km_want w;
		struct xn_neigh v;
		int err;

		if (!r->key.family || !r->want.present)
			continue;
		if (r->key.family == AF_INET6) {
			memcpy(k6.addr, r->key.addr, 16);
			err = bpf_map_lookup_elem_flags(fd, &k6, &v, BPF_F_LOCK);
		} else {
			memcpy(&k4.addr, r->key.addr, 4);
			err = bpf_map_lookup_elem_flags(fd, &k4, &v, BPF_F_LOCK);
		}
		xn_km_want_of(err ? NULL : &v, dev_ok(km, r->key.ifindex), key_ok(km, &r->key), &w);
		if (!memcmp(&w, &r->want, sizeof(w)))
			continue;
		r->want = w;
		queue_key(km, &r->key);
	}
	if (km->audit >= km->used)
		km->audit = KM_NIL;
}

void xn_km_tick(struct xn_km *km)
{
	struct xn_nud_key k;
	__u64 now = mono_ns(), lost;

	while (xn_tq_pop(km->retry, now, &k, NULL, NULL))
		queue_key(km, &k);
	lost = events_lost(km);
	if (lost != km->events_lost) {
		km->events_lost = lost;
		km->audit = 0;		/* (again) from the start */
		km->audits++;
	}
	if (km->audit != KM_NIL)
		audit_step(km);
	if (km->resync)
		signal_work(km);
}

void xn_km_resync(struct xn_km *km)
{
	km->resync = true;
	signal_work(km);
}

void xn_km_fds(const struct xn_km *km, int fds[2], int *n)
{
	fds[0] = mnl_socket_get_fd(km->ev);
	fds[1] = km->efd;
	*n = 2;
}

/* ---- opening and closing -------------------------------------------------------------------- */

static int open_req(struct xn_km *km)
{
	struct timeval tv = { .tv_sec = KM_TIMEOUT_S };
	int one = 1, size = KM_REQ_RCVBUF, fd;

	km->req = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (!km->req || mnl_socket_bind(km->req, 0, MNL_SOCKET_AUTOPID) < 0)
		return -errno;
	km->portid = mnl_socket_get_portid(km->req);
	fd = mnl_socket_get_fd(km->req);
	/* a lost reply must not hang the daemon */
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	/* acks without the request, with the kernel's reason */
	mnl_socket_setsockopt(km->req, NETLINK_CAP_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(km->req, NETLINK_EXT_ACK, &one, sizeof(one));
	km->buf = malloc(KM_BUF_SIZE);
	km->rbuf = malloc(KM_BUF_SIZE);
	if (!km->buf || !km->rbuf)
		return -ENOMEM;
	return 0;
}

static void km_free(struct xn_km *km)
{
	if (!km)
		return;
	if (km->ev)
		mnl_socket_close(km->ev);
	if (km->req)
		mnl_socket_close(km->req);
	if (km->efd >= 0)
		close(km->efd);
	if (km->batch)
		mnl_nlmsg_batch_stop(km->batch);
	xn_tq_free(km->q);
	xn_tq_free(km->retry);
	free(km->recs);
	free(km->buckets);
	free(km->buf);
	free(km->rbuf);
	free(km);
}

int xn_km_open(struct xn_km **out, const struct xn_km_cfg *cfg)
{
	unsigned int grp = RTNLGRP_NEIGH;
	int size = KM_EV_RCVBUF, err;
	struct xn_km *km;

	*out = NULL;
	km = calloc(1, sizeof(*km));
	if (!km)
		return -ENOMEM;
	km->efd = -1;
	km->cfg = *cfg;
	if (cfg->nifaces > XN_IFACES_MAX) {
		km_free(km);
		return -EINVAL;
	}
	memcpy(km->ifaces, cfg->ifindex, cfg->nifaces * sizeof(__u32));
	km->cfg.ifindex = km->ifaces;
	xn_ctl_init(&km->ctl);
	km->ctl.fd = cfg->ctl_fd;
	km->free_head = KM_NIL;
	km->audit = KM_NIL;
	km->ncpus = libbpf_num_possible_cpus();
	km->events_lost = events_lost(km);
	if (getrandom(&km->seed, sizeof(km->seed), 0) != sizeof(km->seed))
		km->seed = (__u64)mono_ns() ^ (__u64)getpid();
	err = rec_grow(km);
	km->q = xn_tq_new(0, km->seed ^ 3);
	km->retry = xn_tq_new(0, km->seed ^ 5);
	if (err || !km->q || !km->retry) {
		km_free(km);
		return -ENOMEM;
	}

	km->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	err = km->efd < 0 ? -errno : open_req(km);
	if (!err) {
		km->batch = mnl_nlmsg_batch_start(km->buf, KM_BUF_SIZE - 512);
		if (!km->batch)
			err = -ENOMEM;
	}
	/* subscribed before the dump: no change falls in between */
	if (!err) {
		km->ev = mnl_socket_open2(NETLINK_ROUTE, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (!km->ev || mnl_socket_bind(km->ev, 0, MNL_SOCKET_AUTOPID) < 0 ||
		    mnl_socket_setsockopt(km->ev, NETLINK_ADD_MEMBERSHIP, &grp, sizeof(grp)) < 0)
			err = -errno;
	}
	if (err) {
		pr_warn("kernel table mirror: cannot open rtnetlink sockets: %s\n", strerror(-err));
		km_free(km);
		return err;
	}
	if (setsockopt(mnl_socket_get_fd(km->ev), SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)))
		setsockopt(mnl_socket_get_fd(km->ev), SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));

	err = reread(km);
	if (err) {
		pr_warn("kernel table mirror: cannot read the kernel's neighbour table: %s\n",
			strerror(-err));
		km_free(km);
		return err;
	}
	pr_info("kernel table mirror: on (entries of ours: NOARP|extern_learn proto %u); %u "
		"kernel entries of ours or protected on start\n", XN_KM_PROTO, km->nrec);
	*out = km;
	return 0;
}

struct ours_list {
	struct xn_nud_key *k;
	size_t n, cap;
};

static int collect_ours(struct xn_km *km, const struct xn_nud_key *k, const struct xn_km_have *h,
			void *data)
{
	struct ours_list *l = data;

	(void)km;
	if (h->kind != XN_KM_OURS)
		return 0;
	if (l->n == l->cap) {
		size_t ncap = l->cap ? l->cap * 2 : 256;
		struct xn_nud_key *p = realloc(l->k, ncap * sizeof(*p));

		if (!p)
			return -ENOMEM;
		l->k = p;
		l->cap = ncap;
	}
	l->k[l->n++] = *k;
	return 0;
}

static void ours_reset(struct xn_km *km, void *data)
{
	(void)km;
	((struct ours_list *)data)->n = 0;
}

/* Delete every entry of ours the kernel's table holds (read afresh: what
 * the records say may be behind). The number deleted, or -errno. */
static int remove_ours(struct xn_km *km)
{
	struct ours_list l = {};
	size_t i, deleted = 0;
	int err;

	km->nops = 0;
	mnl_nlmsg_batch_reset(km->batch);
	err = dump_neigh(km, collect_ours, ours_reset, &l);
	for (i = 0; !err && i < l.n; i += XN_KM_BATCH) {
		size_t j, n = l.n - i < XN_KM_BATCH ? l.n - i : XN_KM_BATCH;
		__u64 before = km->deletes;

		for (j = 0; j < n; j++) {
			struct km_rec *r = rec_get(km, &l.k[i + j]);

			if (!r) {
				err = -ENOMEM;
				break;
			}
			r->have.kind = XN_KM_OURS;
			op_add(km, r, XN_KM_DELETE);
		}
		flush(km);
		deleted += km->deletes - before;
	}
	free(l.k);
	return err ? err : (int)deleted;
}

void xn_km_close(struct xn_km *km, bool remove)
{
	if (!km)
		return;
	if (remove) {
		int n = remove_ours(km);

		if (n < 0)
			pr_warn("kernel table mirror: cannot remove our entries from the kernel's "
				"table: %s\n", strerror(-n));
		else
			pr_info("kernel table mirror: removed %d entries from the kernel's table\n",
				n);
	}
	pr_info("kernel table mirror: %llu written, %llu deleted, %llu refused, %llu imported, "
		"%llu imports removed, %llu re-reads, %llu audits after lost events\n",
		(unsigned long long)km->writes, (unsigned long long)km->deletes,
		(unsigned long long)km->refused, (unsigned long long)km->imports,
		(unsigned long long)km->unimports, (unsigned long long)km->resyncs,
		(unsigned long long)km->audits);
	km_free(km);
}

int xn_km_remove_leftovers(void)
{
	static const struct xn_model empty;
	struct xn_km *km = calloc(1, sizeof(*km));
	int n;

	if (!km)
		return -ENOMEM;
	km->efd = -1;
	km->free_head = KM_NIL;
	km->audit = KM_NIL;
	km->cfg.m = &empty;
	km->cfg.stats_fd = -1;
	km->q = xn_tq_new(0, 1);
	km->retry = xn_tq_new(0, 2);
	n = !km->q || !km->retry || rec_grow(km) ? -ENOMEM : open_req(km);
	if (!n) {
		km->batch = mnl_nlmsg_batch_start(km->buf, KM_BUF_SIZE - 512);
		n = km->batch ? remove_ours(km) : -ENOMEM;
	}
	km_free(km);
	return n;
}
