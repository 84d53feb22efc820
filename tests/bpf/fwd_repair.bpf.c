/* SPDX-License-Identifier: GPL-2.0 */
/* The forwarding benchmark's injector (tests/bench/bench.c): live frames
 * keep what a program wrote into them when their page is reused within a
 * test run (net/bpf/test_run.c initialises a page once), and a forwarder
 * rewrites the MACs, the TTL and the checksum. So each frame's Ethernet and
 * IPv4 headers are first written back to the loader's original, then the
 * program under test runs (tail call, slot 0 of fr_next); the same few ns
 * for every program compared. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#define FR_HDR_LEN	34	/* Ethernet + IPv4 without options */

/* Written by the loader before the load. */
__u8 fr_hdr[FR_HDR_LEN];

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} fr_next SEC(".maps");

SEC("xdp")
int fwd_repair(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;

	if (data + FR_HDR_LEN > end)
		return XDP_DROP;
	__builtin_memcpy(data, fr_hdr, FR_HDR_LEN);
	bpf_tail_call(ctx, &fr_next, 0);
	return XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
