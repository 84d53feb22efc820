// SPDX-License-Identifier: GPL-2.0
/* xneighd: solicitation frames and their sockets (see probe.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <linux/if_packet.h>
#include <linux/neighbour.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <libmnl/libmnl.h>
#include "xneigh/nud.h"
#include "log.h"
#include "probe.h"

static const __u8 bcast_mac[ETH_ALEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

static void put16(__u8 *p, __u16 v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

static void eth_put(__u8 *p, const __u8 *dst, const __u8 *src, __u16 proto)
{
	memcpy(p, dst, ETH_ALEN);
	memcpy(p + ETH_ALEN, src, ETH_ALEN);
	put16(p + 2 * ETH_ALEN, proto);
}

size_t xn_arp_request_build(__u8 *buf, size_t len, const __u8 sha[ETH_ALEN],
			    const __u8 *dst_mac, __be32 spa, __be32 tpa)
{
	__u8 *a = buf + ETH_HLEN;

	if (len < XN_ARP_FRAME_LEN)
		return 0;
	memset(buf, 0, XN_ARP_FRAME_LEN);
	eth_put(buf, dst_mac ? dst_mac : bcast_mac, sha, ETH_P_ARP);
	/* arp_create(): Ethernet hardware, IPv4 protocol */
	put16(a, ARPHRD_ETHER);
	put16(a + 2, ETH_P_IP);
	a[4] = ETH_ALEN;
	a[5] = 4;
	put16(a + 6, ARPOP_REQUEST);
	memcpy(a + 8, sha, ETH_ALEN);
	memcpy(a + 14, &spa, 4);
	/* a + 18: tha, zero */
	memcpy(a + 24, &tpa, 4);
	return XN_ARP_FRAME_LEN;
}

void xn_ipv6_solicited_node(const __u8 target[16], __u8 out[16])
{
	/* addrconf_addr_solict_mult() */
	static const __u8 prefix[13] = { 0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0xff };

	memcpy(out, prefix, sizeof(prefix));
	memcpy(out + 13, target + 13, 3);
}

static __u32 csum_add_bytes(__u32 sum, const __u8 *p, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (__u32)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (__u32)p[len - 1] << 8;
	return sum;
}

__u16 xn_icmp6_csum(const __u8 saddr[16], const __u8 daddr[16], const void *icmp, size_t len)
{
	__u8 tail[8] = { 0 };
	__u32 sum = 0;

	/* RFC 8200 §8.1 pseudo-header: source, destination, upper-layer
	 * length (32 bits), three zero bytes, next header */
	sum = csum_add_bytes(sum, saddr, 16);
	sum = csum_add_bytes(sum, daddr, 16);
	tail[0] = (__u8)(len >> 24);
	tail[1] = (__u8)(len >> 16);
	tail[2] = (__u8)(len >> 8);
	tail[3] = (__u8)len;
	tail[7] = IPPROTO_ICMPV6;
	sum = csum_add_bytes(sum, tail, sizeof(tail));
	sum = csum_add_bytes(sum, icmp, len);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (__u16)~sum;
}

size_t xn_ns_build(__u8 *buf, size_t len, const __u8 src_mac[ETH_ALEN], const __u8 *dst_mac,
		   const __u8 saddr[16], const __u8 target[16], __u8 tclass)
{
	const size_t icmp_len = 24 + 8;
	__u8 *ip = buf + ETH_HLEN, *icmp = ip + 40;
	__u8 daddr[16], mmac[ETH_ALEN];
	__u16 csum;

	if (len < XN_NS_FRAME_LEN)
		return 0;
	memset(buf, 0, XN_NS_FRAME_LEN);
	if (dst_mac) {
		memcpy(daddr, target, 16);
	} else {
		xn_ipv6_solicited_node(target, daddr);
		/* ipv6_eth_mc_map(): 33:33 and the group's last 32 bits */
		mmac[0] = 0x33;
		mmac[1] = 0x33;
		memcpy(mmac + 2, daddr + 12, 4);
		dst_mac = mmac;
	}
	eth_put(buf, dst_mac, src_mac, ETH_P_IPV6);

	/* ip6_nd_hdr(): version 6, the interface's ndisc_tclass, no flow
	 * label, hop limit 255 (ND-TX3) */
	ip[0] = 0x60 | (tclass >> 4);
	ip[1] = (__u8)(tclass << 4);
	put16(ip + 4, (__u16)icmp_len);
	ip[6] = IPPROTO_ICMPV6;
	ip[7] = 255;
	memcpy(ip + 8, saddr, 16);
	memcpy(ip + 24, daddr, 16);

	/* NS: type 135, code 0, reserved, target; option 1 (SLLAO), 8 bytes */
	icmp[0] = 135;
	memcpy(icmp + 8, target, 16);
	icmp[24] = 1;
	icmp[25] = 1;
	memcpy(icmp + 26, src_mac, ETH_ALEN);
	csum = xn_icmp6_csum(saddr, daddr, icmp, icmp_len);
	put16(icmp + 2, csum);
	return XN_NS_FRAME_LEN;
}

/* jiffies_to_clock_t(now - t): USER_HZ ticks ago, 0 for the future. */
static __u32 clock_t_ago(__u64 now, __u64 t)
{
	__u64 d = now > t ? now - t : 0;

	d /= 10000000ull;
	return d > 0xffffffffull ? 0xffffffffu : (__u32)d;
}

size_t xn_app_probe_build(void *buf, size_t len, const struct xn_nud_key *key,
			  const struct xn_neigh *v, __u32 probes, __u64 now)
{
	struct nda_cacheinfo ci = {
		.ndm_confirmed = clock_t_ago(now, v->confirmed),
		.ndm_used = clock_t_ago(now, v->used),
		.ndm_updated = clock_t_ago(now, v->updated),
		.ndm_refcnt = 0,
	};
	struct nlmsghdr *nlh;
	struct ndmsg *ndm;
	size_t alen = key->family == AF_INET6 ? 16 : 4;

	if (len < MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(*ndm)) + MNL_ATTR_HDRLEN * 4 +
		  16 + 8 + 4 + MNL_ALIGN(sizeof(ci)))
		return 0;
	memset(buf, 0, len);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_GETNEIGH;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	ndm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ndm));
	ndm->ndm_family = (__u8)key->family;
	ndm->ndm_ifindex = (int)key->ifindex;
	ndm->ndm_state = v->state;
	ndm->ndm_flags = v->flags;
	ndm->ndm_type = RTN_UNICAST;
	/* neigh_fill_info(): the address, the link-layer address only when
	 * valid, then the cache info and the probe counter */
	mnl_attr_put(nlh, NDA_DST, alen, key->addr);
	if (v->state & XN_NUD_VALID)
		mnl_attr_put(nlh, NDA_LLADDR, ETH_ALEN, v->lladdr);
	mnl_attr_put(nlh, NDA_CACHEINFO, sizeof(ci), &ci);
	mnl_attr_put_u32(nlh, NDA_PROBES, probes);
	return nlh->nlmsg_len;
}

int xn_prober_open(struct xn_prober *pr)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	socklen_t salen = sizeof(sa);
	int err;

	memset(pr, 0, sizeof(*pr));
	pr->pkt_fd = pr->nl_fd = -1;
	/* protocol 0: the socket receives nothing, it only sends */
	pr->pkt_fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (pr->pkt_fd < 0) {
		err = -errno;
		pr_warn("cannot open the AF_PACKET socket for ARP/NS probes: %s\n",
			strerror(-err));
		goto fail;
	}
	pr->nl_fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_ROUTE);
	if (pr->nl_fd < 0 || bind(pr->nl_fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    getsockname(pr->nl_fd, (struct sockaddr *)&sa, &salen)) {
		err = -errno;
		pr_warn("cannot open the rtnetlink socket for app probes: %s\n", strerror(-err));
		goto fail;
	}
	pr->nl_portid = sa.nl_pid;
	return 0;
fail:
	xn_prober_close(pr);
	return err;
}

void xn_prober_close(struct xn_prober *pr)
{
	if (pr->pkt_fd >= 0)
		close(pr->pkt_fd);
	if (pr->nl_fd >= 0)
		close(pr->nl_fd);
	pr->pkt_fd = pr->nl_fd = -1;
}

int xn_prober_send(struct xn_prober *pr, __u32 ifindex, const void *frame, size_t len)
{
	const __u8 *f = frame;
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons((__u16)(f[12] << 8 | f[13])),
		.sll_ifindex = (int)ifindex,
		.sll_halen = ETH_ALEN,
	};

	memcpy(sll.sll_addr, f, ETH_ALEN);
	if (sendto(pr->pkt_fd, frame, len, 0, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		pr->send_errors++;
		return -errno;
	}
	return 0;
}

int xn_prober_app(struct xn_prober *pr, const struct xn_nud_key *key, const struct xn_neigh *v,
		  __u32 probes, __u64 now)
{
	char buf[256] __attribute__((aligned(NLMSG_ALIGNTO)));
	/* To the group, and unicast to ourselves rather than to the kernel
	 * (portid 0), which would take it for a request: netlink_sendmsg()
	 * broadcasts to the group (every member but the destination port)
	 * and then delivers to the destination port. */
	struct sockaddr_nl sa = {
		.nl_family = AF_NETLINK,
		.nl_pid = pr->nl_portid,
		.nl_groups = 1u << (RTNLGRP_NEIGH - 1),
	};
	size_t len = xn_app_probe_build(buf, sizeof(buf), key, v, probes, now);
	int err = 0;

	if (!len)
		return -EMSGSIZE;
	if (sendto(pr->nl_fd, buf, len, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		err = -errno;
		pr->send_errors++;
	}
	/* drop the copy addressed to ourselves */
	while (recv(pr->nl_fd, buf, sizeof(buf), MSG_DONTWAIT) >= 0)
		;
	if (!err)
		pr->app_sent++;
	return err;
}
