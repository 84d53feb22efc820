#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build/xneigh.bpf.o attached by iproute2 alone (no xneighd) loads, passes
# traffic and counts it.
#
#  xn-peer-PID                          xn-host-PID
# +-----------------------------+       +----------------------------------------------+
# | p0  02:00:00:00:01:02       |--veth-| h0  02:00:00:00:01:01  10.1.0.1/24           |
# |     10.1.0.2/24             |       |                                              |
# |  xdp: xdp_pass              |       | step 1: ip link set dev h0 xdp               |
# |                             |       |           obj xneigh.bpf.o sec xdp           |
# |  arping 10.1.0.1: answered  |       | step 2: tc qdisc add dev h0 clsact           |
# |  by the host's kernel (the  |       |         tc filter add dev h0 ingress bpf da  |
# |  object has no config: it   |       |           obj xneigh.bpf.o sec tc            |
# |  counts, never answers)     |       |         tc filter add dev h0 egress bpf da   |
# |                             |       |           obj xneigh.bpf.o sec tc            |
# |                             |       |           program xn_tc_out                  |
# +-----------------------------+       +----------------------------------------------+
#
# Checks:
#  1. `ip link set dev h0 xdp obj build/xneigh.bpf.o sec xdp` attaches xn_xdp;
#     the peer's requests are still answered by the kernel (an unconfigured
#     interface is passed through, never answered by xneigh); the copy's own
#     xn_stats (found through the program's map ids) counts the requests,
#     replies_sent stays 0; `xneigh stats -j` finds the same counters through
#     the attached program.
#  2. `tc filter add dev h0 ingress bpf da obj build/xneigh.bpf.o sec tc`
#     attaches xn_tc_in (the first SEC("tc") program) and it counts the
#     requests; `... egress bpf da obj ... sec tc program xn_tc_out` attaches
#     the egress program by name.

. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
xn_strict

MAC_H0=02:00:00:00:01:01 MAC_P0=02:00:00:00:01:02
IP_H0=10.1.0.1 IP_P0=10.1.0.2
N=3		# requests sent per step

xn_require_root
xn_require_tools ip tc arping bpftool jq
xn_require_build "$XN_BPF_OBJ" "$XN_XNEIGH" "$XN_XDP_PASS"

xn_lab_begin
xn_ns_add HOST host
xn_ns_add PEER peer
xn_veth "$HOST" h0 $MAC_H0 "$PEER" p0 $MAC_P0
ip -n "$HOST" addr add $IP_H0/24 dev h0
ip -n "$PEER" addr add $IP_P0/24 dev p0
# Were the copy to answer (it must not), its XDP_TX replies would reach p0.
xn_xdp_pass "$PEER" p0 || xn_skip "native XDP on veth not available (attaching xdp_pass failed)"

# N requests, each answered (by the kernel).
send_requests()
{
	local i
	for ((i = 0; i < N; i++)); do
		xn_arping_from_mac "$PEER" p0 $IP_H0 $MAC_H0 ||
			xn_fail "$1: $IP_H0 not answered by the kernel: $XN_ARPING_OUT"
	done
}

# ---- 1. XDP through ip link ---------------------------------------------------
ip -n "$HOST" link set dev h0 xdp obj "$XN_BPF_OBJ" sec xdp ||
	xn_fail "ip link set dev h0 xdp obj $XN_BPF_OBJ sec xdp failed"
prog=$(xn_xdp_prog_id "$HOST" h0)
[ -n "$prog" ] || xn_fail "no XDP program on h0 after ip link set: $(ip -n "$HOST" link show dev h0)"
name=$(bpftool -j prog show id "$prog" | jq -r .name)
[ "$name" = xn_xdp ] || xn_fail "ip link attached program '$name', expected xn_xdp"
stats=$(xn_prog_map_id "$prog" xn_stats) || xn_fail "program $prog (xn_xdp) has no map named xn_stats"
xn_ok "ip link attached xn_xdp (prog $prog, xn_stats map $stats)"

send_requests "ip link xdp"
req=$(xn_map_stat "$stats" rx_requests)
[ "$req" -ge $N ] || xn_fail "xn_stats.rx_requests=$req after $N requests (bpftool map dump id $stats)"
sent=$(xn_map_stat "$stats" replies_sent)
[ "$sent" -eq 0 ] || xn_fail "xn_stats.replies_sent=$sent: an unconfigured copy must not answer"
xn_ok "xn_stats counts: rx_requests=$req, replies_sent=0 (kernel answered)"

cli=$(xn_cli_stat "$HOST" rx_requests) || xn_fail "xneigh stats -j failed"
[ "$cli" -eq "$req" ] || xn_fail "xneigh stats -j rx_requests=$cli, bpftool says $req"
xn_ok "xneigh stats -j finds the iproute2-loaded maps (rx_requests=$cli)"

ip -n "$HOST" link set dev h0 xdp off
[ -z "$(xn_xdp_prog_id "$HOST" h0)" ] || xn_fail "ip link set dev h0 xdp off left a program"

# ---- 2. TC through tc ---------------------------------------------------------------
ip netns exec "$HOST" tc qdisc add dev h0 clsact
ip netns exec "$HOST" tc filter add dev h0 ingress bpf da obj "$XN_BPF_OBJ" sec tc ||
	xn_fail "tc filter add dev h0 ingress bpf da obj $XN_BPF_OBJ sec tc failed"
name=$(xn_tc_prog "$HOST" h0 ingress name)
[ "$name" = xn_tc_in ] || xn_fail "tc ingress picked program '$name', expected xn_tc_in"
prog=$(xn_tc_prog "$HOST" h0 ingress id)
stats=$(xn_prog_map_id "$prog" xn_stats) || xn_fail "program $prog (xn_tc_in) has no map named xn_stats"
xn_ok "tc ingress 'sec tc' attached xn_tc_in (prog $prog)"

ip netns exec "$HOST" tc filter add dev h0 egress bpf da obj "$XN_BPF_OBJ" sec tc program xn_tc_out ||
	xn_fail "tc filter add dev h0 egress bpf da obj $XN_BPF_OBJ sec tc program xn_tc_out failed"
name=$(xn_tc_prog "$HOST" h0 egress name)
[ "$name" = xn_tc_out ] || xn_fail "tc egress 'program xn_tc_out' attached '$name'"
xn_ok "tc egress 'sec tc program xn_tc_out' attached xn_tc_out"

send_requests "tc ingress"
req=$(xn_map_stat "$stats" rx_requests)
[ "$req" -ge $N ] || xn_fail "xn_tc_in's xn_stats.rx_requests=$req after $N requests (bpftool map dump id $stats)"
sent=$(xn_map_stat "$stats" replies_sent)
[ "$sent" -eq 0 ] || xn_fail "xn_tc_in's xn_stats.replies_sent=$sent: an unconfigured copy must not answer"
xn_ok "xn_tc_in counts: rx_requests=$req, replies_sent=0"
