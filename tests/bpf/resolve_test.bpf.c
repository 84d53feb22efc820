/* SPDX-License-Identifier: GPL-2.0 */
/* include/xneigh/resolve.h under test (tests/unit/test_resolve.c): the
 * next hop, family and policy of each run come from rt_args, the answer goes
 * back there; the frame itself is only copied (held) or left alone. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "xneigh/resolve.h"

struct rt_args {
	__u32 ifindex;		/* in: egress interface */
	__u32 family;		/* in: AF_INET or AF_INET6 */
	__u8 nh[16];		/* in: next hop */
	__s32 policy;		/* in: enum xn_resolve_policy */
	__s32 ret;		/* out: enum xn_resolve_ret */
	struct xn_resolve_out out;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct rt_args);
} rt_args SEC(".maps");

static __always_inline int rt_run(void *ctx, bool xdp)
{
	struct rt_args *a;
	__u32 zero = 0;

	a = bpf_map_lookup_elem(&rt_args, &zero);
	if (!a)
		return -1;
	if (a->family == AF_INET6)
		a->ret = xn_resolve6(ctx, xdp, a->ifindex, a->nh, a->policy, &a->out);
	else
		a->ret = xn_resolve4(ctx, xdp, a->ifindex, *(__be32 *)a->nh, a->policy, &a->out);
	return a->ret;
}

SEC("xdp")
int rt_xdp(struct xdp_md *ctx)
{
	return rt_run(ctx, true) == XN_RES_OK ? XDP_TX : XDP_DROP;
}

SEC("tc")
int rt_tc(struct __sk_buff *skb)
{
	return rt_run(skb, false) == XN_RES_OK ? TC_ACT_OK : TC_ACT_SHOT;
}

char LICENSE[] SEC("license") = "GPL";
