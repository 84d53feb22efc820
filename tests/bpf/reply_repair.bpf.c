/* SPDX-License-Identifier: GPL-2.0 */
/* The ARP and NS benchmarks' injector (tests/bench/bench.c). A live frame's
 * page is initialised from data_in only when the page pool creates it
 * (net/bpf/test_run.c, xdp_test_run_init_page); a recycled page keeps what
 * the last program wrote. A responder turns the request into its reply in
 * place, and the peer's NAPI, run when the batch re-enables bottom halves,
 * hands the page back at once: without this program every batch after the
 * first would feed the responder its own reply. So the whole request is
 * first written back from the loader's copy, then the program under test
 * runs (tail call, slot 0 of rr_next); the same cost for every program
 * compared, measured with an empty program in the slot. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#define RR_ARP_LEN	60	/* ARP request, padded to the Ethernet minimum */
#define RR_NS_LEN	86	/* NS with one SLLAO */

/* The request, written by the loader (map update of .bss) before each run. */
__u8 rr_frame[RR_NS_LEN];

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} rr_next SEC(".maps");

SEC("xdp")
int reply_repair(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;

	/* the bench injects frames of exactly one of the two sizes */
	if (data + RR_NS_LEN <= end)
		__builtin_memcpy(data, rr_frame, RR_NS_LEN);
	else if (data + RR_ARP_LEN <= end)
		__builtin_memcpy(data, rr_frame, RR_ARP_LEN);
	else
		return XDP_DROP;
	bpf_tail_call(ctx, &rr_next, 0);
	return XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
