/* SPDX-License-Identifier: GPL-2.0 */
/* xneigh data plane: the entry points. Each one parses the frame into a
 * struct xn_pkt, hands it to the shared decision code in lib/, and turns the
 * verdict into its own return codes. Everything not consumed goes on. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "lib/ctx.h"
#include "lib/eth.h"
#include "lib/maps.h"
#include "lib/stats.h"
#include "lib/arp.h"
#include "lib/ndisc.h"
#include "lib/tx.h"
#include "lib/confirm.h"
#include "lib/ctl.h"

/* Longest header chain the ARP path reads: Ethernet + two tags + ARP body. */
#define XN_ARP_PARSE_LEN (ETH_HLEN + XN_VLAN_MAX_DEPTH * XN_VLAN_HLEN + XN_ARP_ETH_IP4_LEN)

static __always_inline void xn_count_bad_vlan(void)
{
	struct xn_stats *s = xn_stats_get(XN_FAM_ARP);

	XN_STAT_INC(s, bad_vlan);
}

/* XDP: answer an NS. The NA is 24 or 32 bytes of ICMPv6 where the NS had
 * its own options, so the frame is resized before it is written. */
static __always_inline int xn_xdp_nd(struct xdp_md *ctx, struct xn_pkt *p, const struct xn_l2 *l2)
{
	const struct xn_ifconf *conf = NULL;
	struct xn_na na = {};
	__u32 l3_off = l2->l3_off, new_len;
	enum xn_verdict verdict;
	void *data, *data_end;

	verdict = xn_nd_rx(p, l2, &na, &conf);
	if (verdict != XN_TX || !conf)
		return verdict == XN_DROP ? XDP_DROP : XDP_PASS;
	new_len = l3_off + sizeof(struct ipv6hdr) + XN_ND_MSG_LEN + (na.tllao ? XN_ND_OPT_LL_LEN : 0);
	if (new_len != p->len && bpf_xdp_adjust_tail(ctx, (int)new_len - (int)p->len))
		return XDP_PASS;	/* no room: leave the NS to the kernel */
	data = (void *)(long)ctx->data;
	data_end = (void *)(long)ctx->data_end;
	if (xn_nd_write_na(data, data_end, l3_off, conf->mac, &na))
		return XDP_DROP;	/* cannot happen after the resize above */
	if (l2->prio_only && xn_xdp_pop_prio_tag(ctx))
		return XDP_DROP;
	return XDP_TX;
}

SEC("xdp")
int xn_xdp(struct xdp_md *ctx)
{
	struct xn_pkt p;
	struct xn_l2 l2;
	__u32 reply_len = 0;
	enum xn_verdict verdict;

	xn_pkt_from_xdp(&p, ctx);
	if (xn_parse_l2(&p, &l2))
		return XDP_PASS;
	if (l2.proto == ETH_P_IPV6)
		return xn_xdp_nd(ctx, &p, &l2);
	if (l2.proto != ETH_P_ARP) {
		if (l2.too_many_tags)
			xn_count_bad_vlan();
		return XDP_PASS;
	}
	verdict = xn_arp_rx(&p, &l2, &reply_len);
	if (verdict != XN_TX)
		return verdict == XN_DROP ? XDP_DROP : XDP_PASS;
	/* The request may carry Ethernet padding: the reply is exactly as long
	 * as the kernel's. A failed trim still sends a valid (padded) reply. */
	xn_xdp_trim(ctx, p.len, reply_len);
	if (l2.prio_only && xn_xdp_pop_prio_tag(ctx))
		return XDP_DROP;
	return XDP_TX;
}

static __always_inline int xn_tc_nd(struct __sk_buff *skb, struct xn_pkt *p, const struct xn_l2 *l2)
{
	const struct xn_ifconf *conf = NULL;
	struct xn_na na = {};
	__u32 l3_off = l2->l3_off, new_len;
	enum xn_verdict verdict;

	verdict = xn_nd_rx(p, l2, &na, &conf);
	if (verdict != XN_TX || !conf)
		return verdict == XN_DROP ? TC_ACT_SHOT : TC_ACT_OK;
	new_len = l3_off + sizeof(struct ipv6hdr) + XN_ND_MSG_LEN + (na.tllao ? XN_ND_OPT_LL_LEN : 0);
	if (new_len != skb->len && bpf_skb_change_tail(skb, new_len, 0))
		return TC_ACT_OK;
	if (xn_skb_data(skb) + new_len > xn_skb_data_end(skb))
		bpf_skb_pull_data(skb, new_len);
	if (xn_nd_write_na(xn_skb_data(skb), xn_skb_data_end(skb), l3_off, conf->mac, &na))
		return TC_ACT_SHOT;
	if (l2->prio_only)
		bpf_skb_vlan_pop(skb);	/* answered untagged, as the kernel does */
	return bpf_redirect(skb->ifindex, 0);
}

/* Headers the confirmation reads in place: Ethernet, two tags, IPv4 with
 * options (or the fixed IPv6 header). TCP and IPv6 extension headers are
 * copied out wherever they are. */
#define XN_CONFIRM_PARSE_LEN (ETH_HLEN + XN_VLAN_MAX_DEPTH * XN_VLAN_HLEN + 60)

/* Per-neighbour confirmation on receive (lib/confirm.h). A global function:
 * verified once on its own, it adds nothing to the states of xn_tc_in's ARP
 * and ND paths. */
__noinline int xn_confirm_skb(struct __sk_buff *skb)
{
	struct xn_pkt p;
	struct xn_l2 l2;

	xn_pkt_from_skb(&p, skb, XN_CONFIRM_PARSE_LEN);
	if (!xn_parse_l2(&p, &l2))
		xn_confirm_rx(skb, &p, &l2);
	return 0;
}

SEC("tc")
int xn_tc_in(struct __sk_buff *skb)
{
	struct xn_pkt p;
	struct xn_l2 l2;
	__u32 reply_len = 0;
	enum xn_verdict verdict;

	if (skb->protocol != bpf_htons(ETH_P_ARP) && skb->protocol != bpf_htons(ETH_P_IPV6) &&
	    skb->protocol != bpf_htons(ETH_P_8021Q) && skb->protocol != bpf_htons(ETH_P_8021AD)) {
		if (skb->protocol == bpf_htons(ETH_P_IP))
			xn_confirm_skb(skb);
		return TC_ACT_OK;
	}
	if (skb->protocol == bpf_htons(ETH_P_IPV6)) {
		xn_confirm_skb(skb);
		xn_pkt_from_skb(&p, skb, 0);	/* ND: the whole (small) frame */
	} else {
		if (skb->protocol != bpf_htons(ETH_P_ARP))
			xn_confirm_skb(skb);	/* tagged: IPv4 or IPv6 inside */
		xn_pkt_from_skb(&p, skb, XN_ARP_PARSE_LEN);
	}
	if (xn_parse_l2(&p, &l2))
		return TC_ACT_OK;
	if (l2.proto == ETH_P_IPV6)
		return xn_tc_nd(skb, &p, &l2);
	if (l2.proto != ETH_P_ARP) {
		if (l2.too_many_tags)
			xn_count_bad_vlan();
		return TC_ACT_OK;
	}
	verdict = xn_arp_rx(&p, &l2, &reply_len);
	if (verdict != XN_TX)
		return verdict == XN_DROP ? TC_ACT_SHOT : TC_ACT_OK;
	xn_skb_trim(skb, reply_len);
	if (l2.prio_only)
		bpf_skb_vlan_pop(skb);	/* answered untagged, as the kernel does */
	/* out of the device it came in on (TC's XDP_TX) */
	return bpf_redirect(skb->ifindex, 0);
}

/* TC ingress beside xn_xdp (the XDP modes): confirmation alone. xn_xdp has
 * answered ARP and ND already; this one changes no frame and answers
 * nothing. Placed after xn_tc_in: `tc ... sec tc` loads the first one. */
SEC("tc")
int xn_tc_confirm(struct __sk_buff *skb)
{
	if (skb->protocol == bpf_htons(ETH_P_IP) || skb->protocol == bpf_htons(ETH_P_IPV6) ||
	    skb->protocol == bpf_htons(ETH_P_8021Q) || skb->protocol == bpf_htons(ETH_P_8021AD))
		xn_confirm_skb(skb);
	return TC_ACT_OK;
}

SEC("tc")
int xn_tc_out(struct __sk_buff *skb)
{
	struct xn_pkt p;
	struct xn_l2 l2;

	/* headers up to an NS target: Ethernet, tags, IPv6, 24 bytes of ICMPv6 */
	xn_pkt_from_skb(&p, skb, ETH_HLEN + XN_VLAN_MAX_DEPTH * XN_VLAN_HLEN + 40 + 24);
	if (xn_parse_l2(&p, &l2))
		return TC_ACT_OK;
	if (l2.proto == ETH_P_IP)
		xn_tx_ipv4(&p, &l2);
	else if (l2.proto == ETH_P_IPV6)
		xn_tx_ipv6(&p, &l2);
	else if (l2.proto == ETH_P_ARP)
		xn_tx_arp(&p, &l2);
	return TC_ACT_OK;
}

SEC("syscall")
int xn_ctl(struct xn_ctl_req *req)
{
	return xn_ctl_run(req);
}

char LICENSE[] SEC("license") = "GPL";
