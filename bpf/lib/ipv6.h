/* SPDX-License-Identifier: GPL-2.0 */
/* IPv6 address predicates and the ICMPv6 checksum. */
#ifndef XN_BPF_IPV6_H
#define XN_BPF_IPV6_H

#include "vmlinux.h"
#include <bpf/bpf_endian.h>

#define XN_IPPROTO_ICMPV6	58
#define XN_ND_NS		135
#define XN_ND_NA		136
#define XN_ND_OPT_SLLAO		1
#define XN_ND_OPT_TLLAO		2
#define XN_ND_OPT_NONCE		14
#define XN_NA_F_ROUTER		0x80	/* first byte of the NA flags word */
#define XN_NA_F_SOLICITED	0x40
#define XN_NA_F_OVERRIDE	0x20
#define XN_ND_MSG_LEN		24	/* ICMPv6 header + reserved/flags + target (ND-V3) */
#define XN_ND_OPT_LL_LEN	8	/* type, length 1, Ethernet MAC */

/* The NS/NA fixed part (struct nd_msg). */
struct xn_nd_msg {
	__u8 type;
	__u8 code;
	__be16 csum;
	__u8 flags;		/* NA: R, S, O; NS: reserved */
	__u8 reserved[3];
	__u8 target[16];
};

/* Addresses are handled as four 32-bit words in network order. */
static __always_inline bool xn_ip6_is_zero(const __u32 *a)
{
	return (a[0] | a[1] | a[2] | a[3]) == 0;
}

static __always_inline bool xn_ip6_is_multicast(const __u32 *a)
{
	return (a[0] & bpf_htonl(0xff000000)) == bpf_htonl(0xff000000);
}

static __always_inline bool xn_ip6_is_loopback(const __u32 *a)
{
	return (a[0] | a[1] | a[2] | (a[3] ^ bpf_htonl(1))) == 0;
}

static __always_inline bool xn_ip6_is_linklocal(const __u32 *a)
{
	return (a[0] & bpf_htonl(0xffc00000)) == bpf_htonl(0xfe800000);
}

/* ipv6_addr_is_solict_mult(): ff02::1:ffXX:XXXX */
static __always_inline bool xn_ip6_is_solicited_node(const __u32 *a)
{
	return a[0] == bpf_htonl(0xff020000) && a[1] == 0 && a[2] == bpf_htonl(1) &&
	       (a[3] & bpf_htonl(0xff000000)) == bpf_htonl(0xff000000);
}

static __always_inline void xn_ip6_copy(__u32 *d, const __u32 *s)
{
	d[0] = s[0];
	d[1] = s[1];
	d[2] = s[2];
	d[3] = s[3];
}

/* One's-complement sum helpers (RFC 1071). Summing 32-bit words loaded in
 * host order and folding gives the checksum in the byte order of the
 * packet, whatever the host's endianness. */
static __always_inline __u64 xn_csum_add_ip6(__u64 sum, const __u32 *a)
{
	return sum + a[0] + a[1] + a[2] + a[3];
}

static __always_inline __u16 xn_csum_fold(__u64 sum)
{
	sum = (sum & 0xffffffff) + (sum >> 32);
	sum = (sum & 0xffffffff) + (sum >> 32);
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (__u16)sum;
}

/* The pseudo-header part: source, destination, upper-layer length, next header. */
static __always_inline __u64 xn_csum_pseudo6(const __u32 *saddr, const __u32 *daddr, __u32 len)
{
	__u64 sum = 0;

	sum = xn_csum_add_ip6(sum, saddr);
	sum = xn_csum_add_ip6(sum, daddr);
	sum += bpf_htonl(len);
	sum += bpf_htonl(XN_IPPROTO_ICMPV6);
	return sum;
}

#endif /* XN_BPF_IPV6_H */
