/* SPDX-License-Identifier: GPL-2.0 */
/* xneigh data plane: entry points. (Work in progress: logic lands in bpf/lib/.) */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "lib/maps.h"
#include "xneigh/ctl.h"

SEC("xdp")
int xn_xdp(struct xdp_md *ctx) { return XDP_PASS; }

SEC("tc")
int xn_tc_in(struct __sk_buff *skb) { return 0; }

SEC("tc")
int xn_tc_out(struct __sk_buff *skb) { return 0; }

SEC("syscall")
int xn_ctl(struct xn_ctl_req *req) { return 0; }

char LICENSE[] SEC("license") = "GPL";
