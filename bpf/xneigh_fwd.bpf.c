/* SPDX-License-Identifier: GPL-2.0 */
/* xneigh-fwd: an XDP router on xneigh's neighbour tables.
 *
 * Per frame, what ip_forward() / ip6_forward() would do on the fast path:
 * route with bpf_fib_lookup() (the kernel's FIB, policy rules included;
 * BPF_FIB_LOOKUP_SKIP_NEIGH: the route only, not the kernel's neighbour
 * table), decrement the TTL (incremental checksum update, ip_decrease_ttl())
 * or the hop limit, resolve the next hop with include/xneigh/resolve.h and
 * redirect the frame out of the route's interface. Everything the kernel
 * must see or answer is passed to it untouched (XDP_PASS):
 *   - not IPv4/IPv6 over Ethernet (ARP, NDISC to us, VLAN tags, ...);
 *   - not unicast to the receiving interface's MAC (PACKET_OTHERHOST, or
 *     broadcast/multicast);
 *   - IPv4 with options or a bad header length, TTL <= 1 (ICMP time
 *     exceeded); IPv6 hop limit <= 1, link-local or multicast addresses;
 *   - no forwarding route: local delivery, forwarding disabled on the
 *     receiving interface, unreachable/prohibit/blackhole routes (ICMP or
 *     silent drop, the kernel's choice), too big for the route's MTU
 *     (fragmentation or ICMP "packet too big"), lightweight tunnels;
 *   - leaving through the interface it came in on (the kernel may send an
 *     ICMP redirect);
 *   - an unresolved next hop under XN_RESOLVE_PASS, or an egress interface
 *     xneighd does not run on (see resolve.h).
 * An IPv4 route through an IPv6 gateway (RFC 5549) resolves the gateway in
 * xn_neigh6, as the kernel does.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "xneigh/resolve.h"
#include "xneigh/fwd.h"

/* Set by the loader before loading (xneigh-fwd --policy). */
const volatile __u32 xf_policy = XN_RESOLVE_HOLD;

/* The forwarder's own counters, per CPU (the loader prints them). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct xf_stats);
} xf_stats SEC(".maps");

#define XF_INC(s, f)		do { if (s) (s)->f++; } while (0)

/* Not for the fast path: XDP_PASS, counted in to_kernel. */
#define XF_SLOW			(-1)

struct xf_ip6 {
	__be32 vtc;		/* version, traffic class, flow label */
	__be16 plen;
	__u8 nexthdr;
	__u8 hlim;
	__u8 saddr[16];
	__u8 daddr[16];
};

/* ip_decrease_ttl(): the checksum moves by +0x0100, with the carry folded. */
static __always_inline void xf_ttl_dec(struct iphdr *ip)
{
	__u32 check = ip->check;

	check += bpf_htons(0x0100);
	ip->check = (__u16)(check + (check >= 0xFFFF));
	ip->ttl--;
}

/* The undo, for a frame handed back to the kernel after all. */
static __always_inline void xf_ttl_inc(struct iphdr *ip)
{
	__u32 check = ip->check;

	check += bpf_htons(0xFEFF);	/* - 0x0100 in ones' complement */
	ip->check = (__u16)(check + (check >> 16));
	ip->ttl++;
}

static __always_inline bool xf_ip6_linklocal_or_mc(const __u8 *a)
{
	return a[0] == 0xff || (a[0] == 0xfe && (a[1] & 0xc0) == 0x80);
}

/* After resolve: the frame leaves, stays for the kernel, or is dropped. */
static __always_inline int xf_verdict(struct xdp_md *ctx, struct xf_stats *s, int res,
				      const struct xn_resolve_out *r, __u32 oif, bool v6)
{
	struct ethhdr *eth = (void *)(long)ctx->data;
	long rc;

	switch (res) {
	case XN_RES_OK:
		if ((void *)(eth + 1) > (void *)(long)ctx->data_end)
			return XDP_DROP;
		__builtin_memcpy(eth->h_dest, r->dmac, ETH_ALEN);
		__builtin_memcpy(eth->h_source, r->smac, ETH_ALEN);
		rc = bpf_redirect(oif, 0);
		if (rc != XDP_REDIRECT) {
			XF_INC(s, redirect_failed);
			return XDP_DROP;
		}
		if (v6)
			XF_INC(s, forwarded6);
		else
			XF_INC(s, forwarded4);
		return XDP_REDIRECT;
	case XN_RES_HELD:
		XF_INC(s, held);
		return XDP_DROP;	/* xneighd has the copy */
	case XN_RES_PASS:
		XF_INC(s, unres_passed);
		return XDP_PASS;
	default:
		XF_INC(s, unres_dropped);
		return XDP_DROP;
	}
}

static __always_inline int xf_ipv4(struct xdp_md *ctx, struct xf_stats *s)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct iphdr *ip = data + ETH_HLEN;
	struct bpf_fib_lookup fl = {};
	struct xn_resolve_out r;
	__u32 in = ctx->ingress_ifindex;
	int res;
	long rc;

	if ((void *)(ip + 1) > end)
		return XF_SLOW;
	/* options (ihl > 5) go the slow way; TTL 1 gets its ICMP there */
	if (ip->version != 4 || ip->ihl != 5 || ip->ttl <= 1)
		return XF_SLOW;
	fl.family = AF_INET;
	fl.tos = ip->tos;
	fl.l4_protocol = ip->protocol;
	fl.tot_len = bpf_ntohs(ip->tot_len);
	fl.ipv4_src = ip->saddr;
	fl.ipv4_dst = ip->daddr;
	fl.ifindex = in;
	rc = bpf_fib_lookup(ctx, &fl, sizeof(fl), BPF_FIB_LOOKUP_SKIP_NEIGH);
	if (rc != BPF_FIB_LKUP_RET_SUCCESS || fl.ifindex == in)
		return XF_SLOW;

	xf_ttl_dec(ip);
	/* fl.family became AF_INET6 for a route via an IPv6 gateway */
	if (fl.family == AF_INET6)
		res = xn_xdp_resolve6(ctx, fl.ifindex, fl.ipv6_dst, xf_policy, &r);
	else
		res = xn_xdp_resolve4(ctx, fl.ifindex, fl.ipv4_dst, xf_policy, &r);
	if (res == XN_RES_PASS) {
		/* the kernel forwards it and decrements the TTL itself */
		ip = (void *)(long)ctx->data + ETH_HLEN;
		if ((void *)(ip + 1) > (void *)(long)ctx->data_end)
			return XDP_DROP;
		xf_ttl_inc(ip);
	}
	return xf_verdict(ctx, s, res, &r, fl.ifindex, false);
}

static __always_inline int xf_ipv6(struct xdp_md *ctx, struct xf_stats *s)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct xf_ip6 *ip6 = data + ETH_HLEN;
	struct bpf_fib_lookup fl = {};
	struct xn_resolve_out r;
	__u32 in = ctx->ingress_ifindex;
	int res;
	long rc;

	if ((void *)(ip6 + 1) > end)
		return XF_SLOW;
	if ((ip6->vtc & bpf_htonl(0xf0000000)) != bpf_htonl(0x60000000) || ip6->hlim <= 1 ||
	    xf_ip6_linklocal_or_mc(ip6->saddr) || xf_ip6_linklocal_or_mc(ip6->daddr))
		return XF_SLOW;
	fl.family = AF_INET6;
	fl.flowinfo = ip6->vtc & bpf_htonl(0x0fffffff);
	fl.l4_protocol = ip6->nexthdr;
	fl.tot_len = bpf_ntohs(ip6->plen) + 40;
	__builtin_memcpy(fl.ipv6_src, ip6->saddr, 16);
	__builtin_memcpy(fl.ipv6_dst, ip6->daddr, 16);
	fl.ifindex = in;
	rc = bpf_fib_lookup(ctx, &fl, sizeof(fl), BPF_FIB_LOOKUP_SKIP_NEIGH);
	if (rc != BPF_FIB_LKUP_RET_SUCCESS || fl.ifindex == in)
		return XF_SLOW;

	ip6->hlim--;
	res = xn_xdp_resolve6(ctx, fl.ifindex, fl.ipv6_dst, xf_policy, &r);
	if (res == XN_RES_PASS) {
		ip6 = (void *)(long)ctx->data + ETH_HLEN;
		if ((void *)(ip6 + 1) > (void *)(long)ctx->data_end)
			return XDP_DROP;
		ip6->hlim++;
	}
	return xf_verdict(ctx, s, res, &r, fl.ifindex, true);
}

SEC("xdp")
int xneigh_fwd(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	const struct xn_ifconf *conf;
	struct xf_stats *s;
	__u32 in = ctx->ingress_ifindex, zero = 0;
	int ret;

	s = bpf_map_lookup_elem(&xf_stats, &zero);
	if ((void *)(eth + 1) > end)
		goto to_kernel;
	/* ip_rcv() drops PACKET_OTHERHOST; broadcast and multicast are not
	 * forwarded as unicast either */
	conf = bpf_map_lookup_elem(&xn_ifconf, &in);
	if (!conf || !(conf->flags & XN_IFF_CONFIGURED) || !xn_mac_eq(eth->h_dest, conf->mac))
		goto to_kernel;
	if (eth->h_proto == bpf_htons(ETH_P_IP))
		ret = xf_ipv4(ctx, s);
	else if (eth->h_proto == bpf_htons(ETH_P_IPV6))
		ret = xf_ipv6(ctx, s);
	else
		ret = XF_SLOW;
	if (ret != XF_SLOW)
		return ret;
to_kernel:
	XF_INC(s, to_kernel);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
