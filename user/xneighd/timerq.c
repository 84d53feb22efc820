// SPDX-License-Identifier: GPL-2.0
/* xneighd: the NUD timer queue (see timerq.h).
 *
 * Layout: timers live in a slab `ents` (stable indices, free list through
 * `next`); a chained hash (`buckets`, chains through `next`) maps a key to its
 * slab index; a binary min-heap `heap` of {due, slab index} orders them, and
 * every slab entry remembers its heap position so that re-arming or
 * cancelling sifts from there instead of searching. The heap stores the due
 * time next to the index so that sifting reads one array, not the slab.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "timerq.h"

#define TQ_NIL		UINT32_MAX
#define TQ_MIN_CAP	64u

struct tq_ent {
	struct xn_nud_key key;
	__u64 tag;
	__u32 heap_pos;			/* index in heap[] while armed */
	__u32 next;			/* hash chain, or free list when unused */
};

struct tq_slot {
	__u64 due;
	__u32 ent;
	__u32 pad;
};

struct xn_timerq {
	struct tq_ent *ents;
	struct tq_slot *heap;		/* heap[0 .. n) */
	__u32 *buckets;			/* nbuckets heads, TQ_NIL-terminated chains */
	__u32 cap;			/* slots in ents[] and heap[] */
	__u32 used;			/* ents[0 .. used) were handed out at least once */
	__u32 free_head;
	__u32 n;			/* armed timers */
	__u32 nbuckets;			/* power of two */
	__u64 seed;
};

/* murmur3's 64-bit finaliser: every input bit reaches every output bit. */
static inline __u64 tq_mix(__u64 x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

static inline __u32 tq_hash(const struct xn_timerq *tq, const struct xn_nud_key *k)
{
	__u64 w[3];

	_Static_assert(sizeof(*k) == sizeof(w), "xn_nud_key is three words");
	memcpy(w, k, sizeof(w));
	return (__u32)tq_mix(tq_mix(tq_mix(w[0] ^ tq->seed) ^ w[1]) ^ w[2]) &
	       (tq->nbuckets - 1);
}

static inline bool tq_key_eq(const struct xn_nud_key *a, const struct xn_nud_key *b)
{
	return memcmp(a, b, sizeof(*a)) == 0;
}

static __u32 tq_pow2_at_least(size_t n)
{
	__u32 p = TQ_MIN_CAP;

	while (p < n && p < (1u << 31))
		p <<= 1;
	return p;
}

struct xn_timerq *xn_tq_new(size_t hint, __u64 seed)
{
	struct xn_timerq *tq = calloc(1, sizeof(*tq));
	__u32 cap = tq_pow2_at_least(hint);

	if (!tq)
		return NULL;
	tq->ents = malloc((size_t)cap * sizeof(*tq->ents));
	tq->heap = malloc((size_t)cap * sizeof(*tq->heap));
	tq->buckets = malloc((size_t)cap * sizeof(*tq->buckets));
	if (!tq->ents || !tq->heap || !tq->buckets) {
		xn_tq_free(tq);
		return NULL;
	}
	memset(tq->buckets, 0xff, (size_t)cap * sizeof(*tq->buckets));
	tq->cap = cap;
	tq->nbuckets = cap;
	tq->free_head = TQ_NIL;
	tq->seed = seed ^ 0x9e3779b97f4a7c15ULL;
	return tq;
}

void xn_tq_free(struct xn_timerq *tq)
{
	if (!tq)
		return;
	free(tq->ents);
	free(tq->heap);
	free(tq->buckets);
	free(tq);
}

size_t xn_tq_len(const struct xn_timerq *tq)
{
	return tq->n;
}

__u64 xn_tq_next_due(const struct xn_timerq *tq)
{
	return tq->n ? tq->heap[0].due : XN_TQ_NEVER;
}

/* ---- heap ---------------------------------------------------------------------- */

static inline void tq_place(struct xn_timerq *tq, __u32 pos, struct tq_slot s)
{
	tq->heap[pos] = s;
	tq->ents[s.ent].heap_pos = pos;
}

static void tq_sift_up(struct xn_timerq *tq, __u32 pos)
{
	struct tq_slot s = tq->heap[pos];

	while (pos > 0) {
		__u32 parent = (pos - 1) / 2;

		if (tq->heap[parent].due <= s.due)
			break;
		tq_place(tq, pos, tq->heap[parent]);
		pos = parent;
	}
	tq_place(tq, pos, s);
}

static void tq_sift_down(struct xn_timerq *tq, __u32 pos)
{
	struct tq_slot s = tq->heap[pos];

	for (;;) {
		__u32 c = 2 * pos + 1;

		if (c >= tq->n)
			break;
		if (c + 1 < tq->n && tq->heap[c + 1].due < tq->heap[c].due)
			c++;
		if (s.due <= tq->heap[c].due)
			break;
		tq_place(tq, pos, tq->heap[c]);
		pos = c;
	}
	tq_place(tq, pos, s);
}

/* Take heap slot `pos` out, keeping the heap property. */
static void tq_heap_remove(struct xn_timerq *tq, __u32 pos)
{
	__u32 last = --tq->n;

	if (pos == last)
		return;
	tq_place(tq, pos, tq->heap[last]);
	if (pos > 0 && tq->heap[pos].due < tq->heap[(pos - 1) / 2].due)
		tq_sift_up(tq, pos);
	else
		tq_sift_down(tq, pos);
}

/* ---- hash index ---------------------------------------------------------------- */

/* The slab index of key's timer, TQ_NIL if none; *prevp (if given) receives
 * the chain link that points at it, for unlinking. */
static __u32 tq_find(const struct xn_timerq *tq, const struct xn_nud_key *key, __u32 **prevp)
{
	__u32 *link = &tq->buckets[tq_hash(tq, key)];

	while (*link != TQ_NIL) {
		if (tq_key_eq(&tq->ents[*link].key, key)) {
			if (prevp)
				*prevp = link;
			return *link;
		}
		link = &tq->ents[*link].next;
	}
	return TQ_NIL;
}

/* Double the slab, the heap and the hash table. */
static int tq_grow(struct xn_timerq *tq)
{
	__u32 ncap, i;
	struct tq_ent *ents;
	struct tq_slot *heap;
	__u32 *buckets;

	if (tq->cap >= (1u << 31))
		return -ENOMEM;
	ncap = tq->cap * 2;
	ents = realloc(tq->ents, (size_t)ncap * sizeof(*ents));
	if (!ents)
		return -ENOMEM;
	tq->ents = ents;
	heap = realloc(tq->heap, (size_t)ncap * sizeof(*heap));
	if (!heap)
		return -ENOMEM;
	tq->heap = heap;
	buckets = malloc((size_t)ncap * sizeof(*buckets));
	if (!buckets)
		return -ENOMEM;
	free(tq->buckets);
	tq->buckets = buckets;
	tq->cap = ncap;
	tq->nbuckets = ncap;
	memset(buckets, 0xff, (size_t)ncap * sizeof(*buckets));
	/* re-chain the armed timers: those are exactly the heap's */
	for (i = 0; i < tq->n; i++) {
		__u32 e = tq->heap[i].ent;
		__u32 b = tq_hash(tq, &tq->ents[e].key);

		tq->ents[e].next = buckets[b];
		buckets[b] = e;
	}
	return 0;
}

int xn_tq_set(struct xn_timerq *tq, const struct xn_nud_key *key, __u64 due, __u64 tag)
{
	__u32 e = tq_find(tq, key, NULL);
	__u32 b, pos;

	if (e != TQ_NIL) {
		/* re-arm in place */
		__u64 old = tq->heap[tq->ents[e].heap_pos].due;

		tq->ents[e].tag = tag;
		pos = tq->ents[e].heap_pos;
		tq->heap[pos].due = due;
		if (due < old)
			tq_sift_up(tq, pos);
		else if (due > old)
			tq_sift_down(tq, pos);
		return 0;
	}
	if (tq->n == tq->cap) {
		int err = tq_grow(tq);

		if (err)
			return err;
	}
	if (tq->free_head != TQ_NIL) {
		e = tq->free_head;
		tq->free_head = tq->ents[e].next;
	} else {
		e = tq->used++;
	}
	tq->ents[e].key = *key;
	tq->ents[e].tag = tag;
	b = tq_hash(tq, key);
	tq->ents[e].next = tq->buckets[b];
	tq->buckets[b] = e;
	pos = tq->n++;
	tq->heap[pos] = (struct tq_slot){ .due = due, .ent = e };
	tq->ents[e].heap_pos = pos;
	tq_sift_up(tq, pos);
	return 0;
}

/* Unlink slab entry e (found through *link) and free it. */
static void tq_release(struct xn_timerq *tq, __u32 *link, __u32 e)
{
	*link = tq->ents[e].next;
	tq_heap_remove(tq, tq->ents[e].heap_pos);
	tq->ents[e].next = tq->free_head;
	tq->free_head = e;
}

bool xn_tq_del(struct xn_timerq *tq, const struct xn_nud_key *key)
{
	__u32 *link = NULL;
	__u32 e = tq_find(tq, key, &link);

	if (e == TQ_NIL)
		return false;
	tq_release(tq, link, e);
	return true;
}

bool xn_tq_get(const struct xn_timerq *tq, const struct xn_nud_key *key, __u64 *due,
	       __u64 *tag)
{
	__u32 e = tq_find(tq, key, NULL);

	if (e == TQ_NIL)
		return false;
	if (due)
		*due = tq->heap[tq->ents[e].heap_pos].due;
	if (tag)
		*tag = tq->ents[e].tag;
	return true;
}

bool xn_tq_pop(struct xn_timerq *tq, __u64 now, struct xn_nud_key *key, __u64 *due,
	       __u64 *tag)
{
	__u32 *link = NULL;
	__u32 e;

	if (!tq->n || tq->heap[0].due > now)
		return false;
	e = tq->heap[0].ent;
	if (key)
		*key = tq->ents[e].key;
	if (due)
		*due = tq->heap[0].due;
	if (tag)
		*tag = tq->ents[e].tag;
	tq_find(tq, &tq->ents[e].key, &link);
	tq_release(tq, link, e);
	return true;
}
