/* SPDX-License-Identifier: GPL-2.0 */
/* The context abstraction: one parser and one decision code base serve XDP
 * and TC. Decision code sees only struct xn_pkt (packet bounds, receiving
 * interface, the raw program context for helpers that take one); the entry
 * points in xneigh.bpf.c turn its verdict into XDP_* or TC_ACT_*. */
#ifndef XN_BPF_CTX_H
#define XN_BPF_CTX_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

struct xn_pkt {
	void *data;
	void *data_end;
	void *ctx;		/* struct xdp_md * or struct __sk_buff *, for helpers */
	__u32 ifindex;		/* receiving interface */
	__u32 len;		/* frame length in bytes */
	__u8 xdp;		/* ctx is struct xdp_md (else struct __sk_buff) */
};

/* What the decision code asks the entry point to do. */
enum xn_verdict {
	XN_PASS = 0,		/* hand the frame on untouched */
	XN_TX,			/* the frame was rewritten into a reply: send it back out */
	XN_DROP,		/* --strict refused it (strict.h): XDP_DROP / TC_ACT_SHOT */
};

static __always_inline void xn_pkt_from_xdp(struct xn_pkt *p, struct xdp_md *ctx)
{
	p->data = (void *)(long)ctx->data;
	p->data_end = (void *)(long)ctx->data_end;
	p->ctx = ctx;
	p->ifindex = ctx->ingress_ifindex;
	p->len = p->data_end - p->data;
	p->xdp = 1;
}

/* skb->data/data_end read with one fixed-offset load each, in asm: clang
 * otherwise keeps the field offsets in registers and adds them to the context
 * pointer, which the verifier refuses ("dereference of modified ctx ptr"). */
static __always_inline void *xn_skb_data(struct __sk_buff *skb)
{
	void *d;

	asm volatile("%0 = *(u32 *)(%1 + %2)"
		     : "=r"(d) : "r"(skb), "i"(__builtin_offsetof(struct __sk_buff, data)));
	return d;
}

static __always_inline void *xn_skb_data_end(struct __sk_buff *skb)
{
	void *d;

	asm volatile("%0 = *(u32 *)(%1 + %2)"
		     : "=r"(d) : "r"(skb), "i"(__builtin_offsetof(struct __sk_buff, data_end)));
	return d;
}

/* TC: the headers we parse must be in the linear part of the skb.
 * need == 0 asks for the whole frame. */
static __always_inline void xn_pkt_from_skb(struct xn_pkt *p, struct __sk_buff *skb, __u32 need)
{
	if (need == 0) {
		if (xn_skb_data(skb) + skb->len > xn_skb_data_end(skb))
			bpf_skb_pull_data(skb, 0);
	} else if (xn_skb_data(skb) + need > xn_skb_data_end(skb) && skb->len >= need) {
		bpf_skb_pull_data(skb, need);
	}
	p->data = xn_skb_data(skb);
	p->data_end = xn_skb_data_end(skb);
	p->ctx = skb;
	p->ifindex = skb->ifindex;
	p->len = skb->len;
	p->xdp = 0;
}

/* Copy len bytes at off out of the frame (len checked by the caller to be
 * at most the size of dst). */
static __always_inline long xn_pkt_load(struct xn_pkt *p, __u32 off, void *dst, __u64 len)
{
	if (p->xdp)
		return bpf_xdp_load_bytes(p->ctx, off, dst, len);
	return bpf_skb_load_bytes(p->ctx, off, dst, len);
}

/* Trim the frame to new_len bytes (the reply is shorter than a padded
 * request). Packet pointers are invalid afterwards. 0 or negative error. */
static __always_inline int xn_xdp_trim(struct xdp_md *ctx, __u32 old_len, __u32 new_len)
{
	if (new_len >= old_len)
		return 0;
	return bpf_xdp_adjust_tail(ctx, (int)new_len - (int)old_len);
}

static __always_inline int xn_skb_trim(struct __sk_buff *skb, __u32 new_len)
{
	if (new_len >= skb->len)
		return 0;
	return bpf_skb_change_tail(skb, new_len, 0);
}

#endif /* XN_BPF_CTX_H */
