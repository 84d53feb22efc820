#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# xneighd answers in each attach mode: native XDP, generic XDP, TC ingress.
#
#  xn-peer-PID                         xn-host-PID
# +----------------------------+      +-----------------------------------------+
# | p0  02:00:00:00:01:02      |-veth-| h0  02:00:00:00:01:01  10.1.0.1/24      |
# |     10.1.0.2/24            |      | nft arp input: request -> drop          |
# |  xdp: xdp_pass             |      | xneighd -i h0 --mode native|generic|tc  |
# +----------------------------+      +-----------------------------------------+
#
# For each mode, one xneighd at a time:
#  1. the peer's arping for 10.1.0.1 is answered with h0's MAC (the kernel
#     sees no request, so the answer is xneigh's);
#  2. the program sits where the mode says: `ip link` shows prog/xdp
#     (native) or prog/xdpgeneric (generic), with xn_tc_confirm (TCP
#     confirmation only) on TC ingress; `tc filter show dev h0 ingress`
#     shows xn_tc_in (tc); in every mode xn_tc_out is on TC egress;
#  3. `xneigh stats -j` replies_sent counts the answers;
#  4. SIGTERM: exit status 0, nothing left attached (XDP, TC ingress and
#     egress), no more answers.

. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
xn_strict

MAC_H0=02:00:00:00:01:01 MAC_P0=02:00:00:00:01:02
IP_H0=10.1.0.1 IP_P0=10.1.0.2
WAIT=10

xn_require_root
xn_require_tools ip tc nft arping bpftool jq
xn_require_build "$XN_XNEIGHD" "$XN_XNEIGH" "$XN_XDP_PASS"

xn_lab_begin
xn_ns_add HOST host
xn_ns_add PEER peer
xn_veth "$HOST" h0 $MAC_H0 "$PEER" p0 $MAC_P0
ip -n "$HOST" addr add $IP_H0/24 dev h0
ip -n "$PEER" addr add $IP_P0/24 dev p0
xn_xdp_pass "$PEER" p0 || xn_skip "native XDP on veth not available (attaching xdp_pass failed)"
xn_nft_drop_arp_requests "$HOST" || xn_skip "nftables cannot load an arp family table here"
xn_arping_unanswered "$PEER" p0 $IP_H0 ||
	xn_fail "kernel answers $IP_H0 despite the nft rule: $XN_ARPING_OUT"

answered_by_xneigh()
{
	xn_daemon_alive "$XND" || xn_fail "xneighd --mode $mode exited early"
	xn_arping_from_mac "$PEER" p0 $IP_H0 $MAC_H0
}

attached_where()	# prints what is attached to h0
{
	local x i e
	x=$(xn_xdp_mode "$HOST" h0)
	i=$(xn_tc_prog "$HOST" h0 ingress name | tr '\n' ' ')
	e=$(xn_tc_prog "$HOST" h0 egress name | tr '\n' ' ')
	echo "xdp='$x' tc-ingress='${i% }' tc-egress='${e% }'"
}

for mode in native generic tc; do
	xn_daemon_start XND "$HOST" "xneighd-$mode" "$XN_XNEIGHD" -i h0 --mode $mode -v
	xn_wait_for $WAIT answered_by_xneigh ||
		xn_fail "--mode $mode: $IP_H0 not answered within ${WAIT}s: $XN_ARPING_OUT"
	xn_arping_from_mac "$PEER" p0 $IP_H0 $MAC_H0 ||
		xn_fail "--mode $mode: second request not answered: $XN_ARPING_OUT"

	where=$(attached_where)
	# xn_tc_out marks used neighbours on egress in every mode; beside XDP,
	# xn_tc_confirm confirms neighbours by TCP progress at ingress.
	case $mode in
	native) want="xdp='xdp' tc-ingress='xn_tc_confirm' tc-egress='xn_tc_out'" ;;
	generic) want="xdp='xdpgeneric' tc-ingress='xn_tc_confirm' tc-egress='xn_tc_out'" ;;
	tc) want="xdp='' tc-ingress='xn_tc_in' tc-egress='xn_tc_out'" ;;
	esac
	[ "$where" = "$want" ] || xn_fail "--mode $mode: h0 has $where, expected $want"

	sent=$(xn_cli_stat "$HOST" replies_sent)
	[ "$sent" -ge 2 ] || xn_fail "--mode $mode: xneigh stats -j replies_sent=$sent after 2 answers"

	xn_daemon_stop "$XND" || xn_fail "--mode $mode: xneighd did not exit within 5 s of SIGTERM"
	[ "$XN_STOP_RC" = 0 ] || xn_fail "--mode $mode: xneighd exited with status $XN_STOP_RC on SIGTERM"
	after=$(attached_where)
	[ "$after" = "xdp='' tc-ingress='' tc-egress=''" ] || xn_fail "--mode $mode: left attached after exit: $after"
	xn_arping_unanswered "$PEER" p0 $IP_H0 ||
		xn_fail "--mode $mode: $IP_H0 still answered after xneighd exited: $XN_ARPING_OUT"
	xn_ok "--mode $mode: answered ($where), replies_sent=$sent, detached on SIGTERM"
done
