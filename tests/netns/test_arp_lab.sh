#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# xneighd answers ARP for a host whose kernel never sees the requests.
#
#  xn-peera-PID                     xn-host-PID                              xn-peerb-PID
# +------------------------+       +--------------------------------+       +------------------------+
# | pa0  02:00:00:00:01:02 |       | h0  02:00:00:00:01:01          |       |                        |
# |      10.1.0.2/24       |-veth--|     10.1.0.1/24                |       |                        |
# |  xdp: xdp_pass         |       |                                |       |                        |
# |  default via 10.1.0.1  |       | h1  02:00:00:00:02:01          |--veth-| pb0  02:00:00:00:02:02 |
# +------------------------+       |     10.2.0.1/24                |       |      10.2.0.2/24       |
#                                  |                                |       |  xdp: xdp_pass         |
#                                  | nft arp input: request -> drop |       |  default via 10.2.0.1  |
#                                  | xneighd -i h0 -i h1 (XDP)      |       +------------------------+
#                                  +--------------------------------+
#
# The peers' own kernels resolve the host (arping, ping). The host's kernel
# gets no ARP request (nft), so every answer comes from xneigh; ARP replies
# still reach it, so it resolves the peers itself and ping replies go out.
#
# Checks, in order:
#  1. without the nft rule the kernel answers (the lab is wired right);
#  2. with it and no xneighd nobody answers (answers below are xneigh's);
#  3. xneighd answers each peer for its interface's address, with that
#     interface's MAC; ping works both ways;
#  4. `xneigh show -j` has each peer on its interface with its MAC (ARP-R5
#     learns the requester); `show dev h1` filters; stats count replies_sent;
#  5. weak host (ARP-R2/R3): peer A's request for 10.2.0.1 (h1's address)
#     is answered on h0 with h0's MAC while arp_ignore=0; after
#     `sysctl net.ipv4.conf.h0.arp_ignore=1` xneigh stops answering within
#     a bounded time (ignored_arp_ignore counts it) but still answers for
#     10.1.0.1; back to 0, answers again;
#  6. `xneigh flush dev h1` empties h1's entries only;
#  7. SIGTERM: xneighd exits 0, its XDP and TC programs are gone, nobody
#     answers.

. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
xn_strict

MAC_H0=02:00:00:00:01:01 MAC_PA=02:00:00:00:01:02
MAC_H1=02:00:00:00:02:01 MAC_PB=02:00:00:00:02:02
IP_H0=10.1.0.1 IP_PA=10.1.0.2
IP_H1=10.2.0.1 IP_PB=10.2.0.2
WAIT=10		# seconds: bound for anything that should take ~1-2 s

xn_require_root
xn_require_tools ip tc nft arping ping bpftool jq sysctl
xn_require_build "$XN_XNEIGHD" "$XN_XNEIGH" "$XN_XDP_PASS"

xn_lab_begin
xn_ns_add HOST host
xn_ns_add PA peera
xn_ns_add PB peerb
xn_veth "$HOST" h0 $MAC_H0 "$PA" pa0 $MAC_PA
xn_veth "$HOST" h1 $MAC_H1 "$PB" pb0 $MAC_PB
ip -n "$HOST" addr add $IP_H0/24 dev h0
ip -n "$HOST" addr add $IP_H1/24 dev h1
ip -n "$PA" addr add $IP_PA/24 dev pa0
ip -n "$PB" addr add $IP_PB/24 dev pb0
ip -n "$PA" route add default via $IP_H0
ip -n "$PB" route add default via $IP_H1
xn_xdp_pass "$PA" pa0 || xn_skip "native XDP on veth not available (attaching xdp_pass failed)"
xn_xdp_pass "$PB" pb0

# 1. The kernel answers while nothing is in the way.
xn_wait_for $WAIT xn_arping_from_mac "$PA" pa0 $IP_H0 $MAC_H0 ||
	xn_fail "lab: the host kernel does not answer $IP_H0 even without the nft rule: $XN_ARPING_OUT"
xn_ok "kernel answers $IP_H0 before the nft rule"
# Forget what that taught both kernels: from now on the host kernel must
# resolve the peers itself (its requests, the peers' replies).
ip -n "$HOST" neigh flush all
ip -n "$PA" neigh flush all

# 2. With ARP requests dropped at the host's input, the kernel alone is silent.
xn_nft_drop_arp_requests "$HOST" || xn_skip "nftables cannot load an arp family table here"
xn_arping_unanswered "$PA" pa0 $IP_H0 ||
	xn_fail "kernel still answers $IP_H0 with 'arp operation request drop' in place: $XN_ARPING_OUT"
xn_arping_unanswered "$PB" pb0 $IP_H1 ||
	xn_fail "kernel still answers $IP_H1 with 'arp operation request drop' in place: $XN_ARPING_OUT"
xn_ok "kernel alone does not answer with the nft rule"

# 3. xneighd answers.
xn_daemon_start XND "$HOST" xneighd "$XN_XNEIGHD" -i h0 -i h1 -v
answered_by_xneigh()
{
	xn_daemon_alive "$XND" || xn_fail "xneighd exited early"
	xn_arping_from_mac "$@"
}
xn_wait_for $WAIT answered_by_xneigh "$PA" pa0 $IP_H0 $MAC_H0 ||
	xn_fail "xneighd does not answer $IP_H0 from peer A within ${WAIT}s: $XN_ARPING_OUT"
xn_ok "xneigh answers $IP_H0 on h0 with $MAC_H0"
xn_wait_for $WAIT answered_by_xneigh "$PB" pb0 $IP_H1 $MAC_H1 ||
	xn_fail "xneighd does not answer $IP_H1 from peer B within ${WAIT}s: $XN_ARPING_OUT"
xn_ok "xneigh answers $IP_H1 on h1 with $MAC_H1"
[ "$(xn_xdp_mode "$HOST" h0)" = xdp ] || xn_fail "no native XDP program on h0: $(ip -n "$HOST" link show dev h0)"

ip netns exec "$PA" ping -c 3 -i 0.2 -W 2 $IP_H0 >/dev/null ||
	xn_fail "peer A cannot ping $IP_H0 (resolved through xneigh)"
ip netns exec "$PB" ping -c 3 -i 0.2 -W 2 $IP_H1 >/dev/null ||
	xn_fail "peer B cannot ping $IP_H1 (resolved through xneigh)"
xn_ok "ping works (peer kernels resolved the host through xneigh)"

# 4. What the peers taught xneigh.
check_entry()	# DST DEV MAC
{
	local e
	e=$(xn_cli_neigh "$HOST" "$1" "$2") || xn_fail "xneigh show -j failed"
	[ -n "$e" ] || xn_fail "xneigh show -j has no entry for $1 dev $2: $(xn_cli "$HOST" show -j)"
	[ "$(jq -r .lladdr <<<"$e")" = "$3" ] || xn_fail "entry $1 dev $2 has the wrong lladdr: $e"
	jq -e '.state | index("REACHABLE") or index("STALE") or index("DELAY") or index("PROBE")' \
		<<<"$e" >/dev/null || xn_fail "entry $1 dev $2 is not in a valid state: $e"
}
check_entry $IP_PA h0 $MAC_PA
check_entry $IP_PB h1 $MAC_PB
xn_ok "xneigh show -j: $IP_PA on h0 and $IP_PB on h1 with their MACs"

# Like ip, the filtered listing leaves "dev" out.
out=$(xn_cli "$HOST" show -j dev h1) || xn_fail "xneigh show -j dev h1 failed"
jq -e --arg b $IP_PB --arg a $IP_PA \
	'any(.[]; .dst == $b) and all(.[]; .dst != $a and (.dev // "h1") == "h1")' \
	<<<"$out" >/dev/null || xn_fail "xneigh show -j dev h1 does not list exactly h1's entries: $out"
out=$(xn_cli "$HOST" show) || xn_fail "xneigh show failed"
grep -q "^$IP_PA dev h0 lladdr $MAC_PA " <<<"$out" ||
	xn_fail "plain 'xneigh show' lacks '$IP_PA dev h0 lladdr $MAC_PA': $out"
xn_ok "xneigh show dev h1 filters; plain show speaks ip-neigh"

sent=$(xn_cli_stat "$HOST" replies_sent)
[ "$sent" -ge 4 ] || xn_fail "xneigh stats -j: replies_sent=$sent, expected >= 4 (two arpings, two pings)"
xn_ok "xneigh stats -j: replies_sent=$sent"

# 5. Weak host and following arp_ignore.
xn_wait_for $WAIT xn_arping_from_mac "$PA" pa0 $IP_H1 $MAC_H0 ||
	xn_fail "arp_ignore=0: $IP_H1 (h1) asked on h0 is not answered with h0's MAC: $XN_ARPING_OUT"
xn_ok "arp_ignore=0: $IP_H1 answered on h0 with $MAC_H0 (weak host)"

not_answered_once() { ! xn_arping "$@" 1 1; }

ign0=$(xn_cli_stat "$HOST" ignored_arp_ignore)
ip netns exec "$HOST" sysctl -qw net.ipv4.conf.h0.arp_ignore=1
t0=$SECONDS
xn_wait_for $WAIT not_answered_once "$PA" pa0 $IP_H1 ||
	xn_fail "arp_ignore=1 on h0: $IP_H1 still answered on h0 after ${WAIT}s"
xn_arping_unanswered "$PA" pa0 $IP_H1 ||
	xn_fail "arp_ignore=1 on h0: $IP_H1 answered again: $XN_ARPING_OUT"
xn_ok "arp_ignore=1: $IP_H1 no longer answered on h0 (after ~$((SECONDS - t0 - 3))s)"
ign1=$(xn_cli_stat "$HOST" ignored_arp_ignore)
[ "$ign1" -gt "$ign0" ] || xn_fail "ignored_arp_ignore did not move ($ign0 -> $ign1)"
xn_arping_from_mac "$PA" pa0 $IP_H0 $MAC_H0 ||
	xn_fail "arp_ignore=1: h0's own $IP_H0 is no longer answered: $XN_ARPING_OUT"
xn_ok "arp_ignore=1: h0's own address still answered; ignored_arp_ignore $ign0 -> $ign1"

ip netns exec "$HOST" sysctl -qw net.ipv4.conf.h0.arp_ignore=0
xn_wait_for $WAIT xn_arping_from_mac "$PA" pa0 $IP_H1 $MAC_H0 ||
	xn_fail "arp_ignore back to 0: $IP_H1 not answered again within ${WAIT}s: $XN_ARPING_OUT"
xn_ok "arp_ignore=0 again: $IP_H1 answered on h0"

# 6. Flush one interface.
xn_cli "$HOST" flush dev h1 || xn_fail "xneigh flush dev h1 failed"
[ -z "$(xn_cli_neigh "$HOST" $IP_PB h1)" ] || xn_fail "xneigh flush dev h1 left $IP_PB: $(xn_cli "$HOST" show -j)"
[ -n "$(xn_cli_neigh "$HOST" $IP_PA h0)" ] || xn_fail "xneigh flush dev h1 removed h0's $IP_PA"
xn_ok "xneigh flush dev h1 removes h1's entries only"

# 7. SIGTERM detaches.
xn_daemon_stop "$XND" || xn_fail "xneighd did not exit within 5 s of SIGTERM"
[ "$XN_STOP_RC" = 0 ] || xn_fail "xneighd exited with status $XN_STOP_RC on SIGTERM"
[ -z "$(xn_xdp_prog_id "$HOST" h0)$(xn_xdp_prog_id "$HOST" h1)" ] ||
	xn_fail "XDP programs still attached after xneighd exited: $(ip -n "$HOST" link show)"
left=$(for d in h0 h1; do xn_tc_prog "$HOST" $d ingress name; xn_tc_prog "$HOST" $d egress name; done)
[ -z "$left" ] || xn_fail "TC programs still attached after xneighd exited: $left"
xn_arping_unanswered "$PA" pa0 $IP_H0 ||
	xn_fail "$IP_H0 still answered after xneighd exited: $XN_ARPING_OUT"
xn_ok "SIGTERM: xneighd exits 0 and detaches"
