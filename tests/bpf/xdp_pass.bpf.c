/* SPDX-License-Identifier: GPL-2.0 */
/* Attached to the client side of every veth lab: veth drops frames sent to a
 * peer with XDP_TX unless the peer has an XDP program (environment.md trap 1). */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

SEC("xdp")
int xdp_pass(struct xdp_md *ctx)
{
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
