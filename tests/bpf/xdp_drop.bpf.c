/* SPDX-License-Identifier: GPL-2.0 */
/* The benchmark's zero: the cost of injecting and dropping a frame, which
 * the forwarding figures subtract (tests/bench/bench.c). */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

SEC("xdp")
int xdp_drop(struct xdp_md *ctx)
{
	return XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
