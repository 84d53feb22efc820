/* SPDX-License-Identifier: GPL-2.0 */
/* IPv4 address questions the ARP rules ask: address types (inet_addr_type),
 * confirm_addr_indev(), and the arp_ignore / arp_accept decisions. The maps
 * they read (xn_local4, xn_ifaddr4) mirror the kernel's local routing table
 * and in_device address lists; xneighd keeps them in sync. */
#ifndef XN_BPF_ADDR4_H
#define XN_BPF_ADDR4_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "xneigh/wire.h"
#include "maps.h"
#include "conf.h"

static __always_inline bool ipv4_is_multicast(__be32 a)  { return (a & bpf_htonl(0xf0000000)) == bpf_htonl(0xe0000000); }
static __always_inline bool ipv4_is_loopback(__be32 a)   { return (a & bpf_htonl(0xff000000)) == bpf_htonl(0x7f000000); }
/* include/linux/in.h (6.12): only 0.0.0.0 itself, no longer 0/8 */
static __always_inline bool ipv4_is_zeronet(__be32 a)    { return a == 0; }
static __always_inline bool ipv4_is_lbcast(__be32 a)     { return a == bpf_htonl(0xffffffff); }

/* false when xn_local4_filt proves that a is not a key of xn_local4, so its
 * hash lookup can be skipped: ~2 ns (the array lookup is inlined by the
 * verifier) instead of ~15 ns for an address that is not one of ours. */
static __always_inline bool xn_local4_may_hold(__be32 a)
{
	const struct xn_local4_filter *f;
	__u32 zero = 0, bit;

	f = bpf_map_lookup_elem(&xn_local4_filt, &zero);
	if (!f || !f->valid)
		return true;
	bit = xn_local4f_bit(a);
	return (f->bits[bit / 64] >> (bit % 64)) & 1;
}

/* xn_local4's entry for a (0.0.0.0 is never one). With a snapshot that
 * holds every key, its two slots answer, found or not; otherwise the filter,
 * then the hash map. */
static __always_inline const struct xn_local4 *xn_local4_get(const struct xn_snapshot *snap,
							     __be32 a)
{
	if (!a)
		return NULL;	/* and an empty slot holds 0 */
	if (snap && (snap->flags & XN_SNAP_L4_ALL)) {
		const struct xn_snap_l4 *e = &snap->l4[2 * xn_snap_l4_bucket(a)];

		if (e[0].addr == a)
			return &e[0].v;
		if (e[1].addr == a)
			return &e[1].v;
		return NULL;
	}
	if (!xn_local4_may_hold(a))
		return NULL;
	return bpf_map_lookup_elem(&xn_local4, &a);
}

/* inet_addr_type_dev_table() (net/ipv4/fib_frontend.c): the type of an
 * address in the local table. /32 routes come from xn_local4; the only
 * non-/32 local route the kernel installs by itself is 127.0.0.0/8 on lo. */
static __always_inline int xn_addr_type(const struct xn_snapshot *snap, __be32 a,
					const struct xn_local4 **lp)
{
	const struct xn_local4 *l;

	if (lp)
		*lp = NULL;
	if (ipv4_is_zeronet(a) || ipv4_is_lbcast(a))
		return XN_RTN_BROADCAST;
	if (ipv4_is_multicast(a))
		return XN_RTN_MULTICAST;
	l = xn_local4_get(snap, a);
	if (l) {
		if (lp)
			*lp = l;
		return l->type;
	}
	if (ipv4_is_loopback(a))
		return XN_RTN_LOCAL;
	return XN_RTN_UNICAST;
}

/* inet_ifa_match(): addr inside the prefix of ifa (ifa_address: the peer
 * on point-to-point links, else the local address). */
static __always_inline bool xn_ifa_match(__be32 addr, const struct xn_ifaddr4 *ifa)
{
	__u8 plen = ifa->prefixlen;
	__u32 mask = plen == 0 ? 0 : plen >= 32 ? 0xffffffffu : ~((1u << (32 - plen)) - 1);
	__be32 ifa_address = ifa->peer ? ifa->peer : ifa->addr;

	return ((bpf_ntohl(addr) ^ bpf_ntohl(ifa_address)) & mask) == 0;
}

/* confirm_addr_indev() (net/ipv4/devinet.c), statement for statement,
 * including its order-dependence when local == 0. Returns the confirmed
 * address or 0. localnet_scope is RT_SCOPE_LINK when route_localnet is on
 * for the interface, else RT_SCOPE_HOST.
 * A global (separately verified) function: inlined, its 32-address loop
 * multiplies the verifier's paths at every call site. */
__attribute__((noinline))
__be32 xn_confirm_addr_indev(const struct xn_ifaddrs4 *ia, __u32 localnet_scope,
			     __be32 dst, __be32 local, int scope)
{
	__be32 addr = 0;
	int same = 0;
	__u32 count;

	if (!ia)
		return 0;
	count = ia->count;

	if (count > XN_IFADDR4_MAX)
		count = XN_IFADDR4_MAX;
	for (__u32 i = 0; i < XN_IFADDR4_MAX; i++) {
		const struct xn_ifaddr4 *ifa = &ia->a[i];
		__u8 min_scope;

		if (i >= count)
			break;
		min_scope = ifa->scope < localnet_scope ? ifa->scope : localnet_scope;
		if (!addr && (local == ifa->addr || !local) && min_scope <= scope) {
			addr = ifa->addr;
			if (same)
				break;
		}
		if (!same) {
			same = (!local || xn_ifa_match(local, ifa)) &&
			       (!dst || xn_ifa_match(dst, ifa));
			if (same && addr) {
				if (local || !dst)
					break;
				/* Is the selected addr in the dst subnet? */
				if (xn_ifa_match(addr, ifa))
					break;
				/* No: can we use this one as the new local src? */
				if (min_scope <= scope) {
					addr = ifa->addr;
					break;
				}
				/* search for a larger dst subnet for addr */
				same = 0;
			}
		}
	}
	return same ? addr : 0;
}

static __always_inline __u8 xn_localnet_scope(const struct xn_ifconf *conf)
{
	return conf->route_localnet ? XN_SCOPE_LINK : XN_SCOPE_HOST;
}

/* ARP-R3: arp_ignore() in net/ipv4/arp.c. Returns true when the reply must
 * not be sent. The value is max(all, dev); 4-7 and anything out of range
 * behave as 0, exactly like the kernel's switch. */
static __always_inline bool xn_arp_ignore(const struct xn_ifconf *conf, __u32 ifindex,
					  __be32 sip, __be32 tip,
					  const struct xn_local4 *tip_local)
{
	const struct xn_ifaddrs4 *ia;

	switch (conf->arp_ignore) {
	case 1:	/* tip configured on the receiving interface */
		sip = 0;
		break;
	case 2:	/* ... and sip in one of that interface's prefixes with tip */
		break;
	case 3:	/* not for host-scope-only addresses: inet_confirm_addr(net,
		 * NULL, 0, tip, RT_SCOPE_LINK) over every interface, which
		 * xneighd precomputes per local address */
		return !(tip_local && (tip_local->flags & XN_LOCAL_CONFIRM_LINK));
	case 8:	/* never reply */
		return true;
	default:
		return false;
	}
	ia = bpf_map_lookup_elem(&xn_ifaddr4, &ifindex);
	if (!ia)
		return true;
	return !xn_confirm_addr_indev(ia, xn_localnet_scope(conf), sip, tip, XN_SCOPE_HOST);
}

/* ARP-U2: arp_accept() in net/ipv4/arp.c (max(all, dev)). */
static __always_inline bool xn_arp_accept(const struct xn_ifconf *conf, __u32 ifindex, __be32 sip)
{
	const struct xn_ifaddrs4 *ia;

	switch (conf->arp_accept) {
	case 1:
		return true;
	case 2:	/* sip in the subnet of an address on the receiving interface */
		ia = bpf_map_lookup_elem(&xn_ifaddr4, &ifindex);
		if (!ia)
			return false;
		return xn_confirm_addr_indev(ia, xn_localnet_scope(conf), sip, 0, XN_SCOPE_LINK) != 0;
	default:
		return false;
	}
}

#endif /* XN_BPF_ADDR4_H */
