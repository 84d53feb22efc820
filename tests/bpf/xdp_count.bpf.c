/* SPDX-License-Identifier: GPL-2.0 */
/* Peer side of the benchmarks: count every frame that arrives, then drop it,
 * so the measurement does not include the peer's own stack. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} xc_frames SEC(".maps");	/* frames received, per CPU */

SEC("xdp")
int xdp_count(struct xdp_md *ctx)
{
	__u32 zero = 0;
	__u64 *n = bpf_map_lookup_elem(&xc_frames, &zero);

	if (n)
		(*n)++;
	return XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
