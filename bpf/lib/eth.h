/* SPDX-License-Identifier: GPL-2.0 */
/* Ethernet and VLAN parsing, and MAC helpers. */
#ifndef XN_BPF_ETH_H
#define XN_BPF_ETH_H

#include "vmlinux.h"
#include <bpf/bpf_endian.h>
#include "xneigh/wire.h"
#include "ctx.h"

struct xn_vlan_hdr {
	__be16 tci;
	__be16 proto;
};

/* Result of parsing the L2 header. */
struct xn_l2 {
	__u16 proto;		/* host order EtherType after the tags */
	__u16 l3_off;		/* offset of the L3 header */
	__u8 tags;		/* VLAN tags skipped (0..XN_VLAN_MAX_DEPTH) */
	__u8 too_many_tags;	/* a third tag follows: not parsed */
	__u8 prio_only;		/* one tag, VLAN id 0: a priority tag */
	__u8 pad;
};

/* Skip up to two 802.1ad/802.1Q tags. VLAN devices are not created by the
 * kernel under XDP, so tagged frames reach us on the parent interface; the
 * reply keeps the tags exactly as they were. Returns -1 if truncated. */
static __always_inline int xn_parse_l2(struct xn_pkt *p, struct xn_l2 *l2)
{
	struct ethhdr *eth = p->data;
	struct xn_vlan_hdr *vh;
	__u16 proto;
	__u16 off = sizeof(*eth);

	if ((void *)(eth + 1) > p->data_end)
		return -1;
	proto = bpf_ntohs(eth->h_proto);
	l2->tags = 0;
	l2->too_many_tags = 0;
	l2->prio_only = 0;
#pragma unroll
	for (int i = 0; i < XN_VLAN_MAX_DEPTH; i++) {
		if (proto != ETH_P_8021Q && proto != ETH_P_8021AD)
			break;
		vh = p->data + off;
		if ((void *)(vh + 1) > p->data_end)
			return -1;
		proto = bpf_ntohs(vh->proto);
		off += sizeof(*vh);
		if (i == 0)
			l2->prio_only = (bpf_ntohs(vh->tci) & 0x0fff) == 0;
		l2->tags++;
	}
	if (l2->tags != 1)
		l2->prio_only = 0;
	if (proto == ETH_P_8021Q || proto == ETH_P_8021AD)
		l2->too_many_tags = 1;
	l2->proto = proto;
	l2->l3_off = off;
	return 0;
}

/* MACs sit at even offsets everywhere we keep or parse them (frames,
 * struct xn_neigh, struct xn_event), so three 16-bit moves are always
 * aligned, which the verifier insists on for the stack. */
static __always_inline bool xn_mac_eq(const __u8 *a, const __u8 *b)
{
	const __u16 *x = (const __u16 *)a, *y = (const __u16 *)b;

	return ((x[0] ^ y[0]) | (x[1] ^ y[1]) | (x[2] ^ y[2])) == 0;
}

static __always_inline void xn_mac_copy(__u8 *dst, const __u8 *src)
{
	__u16 *d = (__u16 *)dst;
	const __u16 *s = (const __u16 *)src;

	d[0] = s[0];
	d[1] = s[1];
	d[2] = s[2];
}

static __always_inline bool xn_mac_is_multicast(const __u8 *a)
{
	return a[0] & 1;	/* group bit: broadcast included */
}

/* A frame with only a priority tag (VLAN id 0) is untagged to the kernel
 * (vlan_do_receive() clears the tag), and so is the kernel's answer: drop
 * the 4-byte tag from a reply built in place, in XDP. Returns 0 or <0. */
static __always_inline int xn_xdp_pop_prio_tag(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u16 macs[6];
	__u16 *src = data, *dst;

	if (data + ETH_HLEN + XN_VLAN_HLEN > data_end)
		return -1;
	for (int i = 0; i < 6; i++)
		macs[i] = src[i];
	if (bpf_xdp_adjust_head(ctx, XN_VLAN_HLEN))
		return -1;
	data = (void *)(long)ctx->data;
	data_end = (void *)(long)ctx->data_end;
	dst = data;
	if ((void *)(dst + 6) > data_end)
		return -1;
	for (int i = 0; i < 6; i++)
		dst[i] = macs[i];
	return 0;
}

#endif /* XN_BPF_ETH_H */
