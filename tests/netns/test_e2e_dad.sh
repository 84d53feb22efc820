#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# End to end, real clients: duplicate address detection and address
# conflicts, IPv4 (arping -D, arping -U) and IPv6 (the kernel's own DAD).
#
#  xn-peer-PID                                   xn-host-PID
# +----------------------------------------+    +----------------------------------------------+
# | p0  02:00:00:00:01:02                  |    | h0  02:00:00:00:01:01                        |
# |     10.1.0.2/24                        |veth|     10.1.0.1/24                              |
# |     2001:db8:1::2/64 (nodad)           |----|     2001:db8:1::1/64 (nodad)                 |
# |     2001:db8:1::5/64 (nodad, step 4)   |    |     2001:db8:1::5/64 (with DAD, step 4)      |
# |     2001:db8:1::6/64 (with DAD, step 5)|    |     2001:db8:1::6/64 (with DAD, step 5)      |
# | nft ip6 input: NS drop, while held (**)|    | net.ipv6.conf.h0.dad_transmits=5 (DAD ~5 s)  |
# | xdp: xdp_pass                          |    | nft arp input: request -> drop          (*)  |
# +----------------------------------------+    | nft ip6 input: NS drop, except DAD NS   (*)  |
#                                               | xneighd -i h0 -v                        (*)  |
#                                               +----------------------------------------------+
#  (*) xneigh run only. The DAD NS (source ::) of another node must reach
#      the host kernel: only it can fail its own DAD (ND-NS4); xneigh passes
#      it on and reports the conflict. (With every NS dropped, as for
#      answering, the host would keep a duplicate address in check 5.)
#  (**) holds the peer back until the host's address is tentative (and, in
#      the xneigh run, xneighd has written it into xn_addr6 as tentative), so
#      the order of events does not depend on the random DAD start delay.
#
# Every check runs twice: the kernel alone first (no nft rule on the host,
# no xneighd: the oracle), then xneigh alone.
#  1. `arping -D` from the peer for the host's 10.1.0.1 is answered by h0's
#     MAC (ARP-D1) and arping -D exits 1 (address in use);
#  2. `arping -D` for 10.1.0.99 (unused): no reply, exit 0;
#     the host learned nothing from the DAD probes (ARP-D3);
#  3. the peer claims the host's 10.1.0.1 (adds it, `arping -U`): the host
#     does not learn its own address and still answers for it with h0's MAC;
#     (xneigh run) the conflict is logged ("conflict: 10.1.0.1 on dev h0
#     claimed by <peer MAC>") and counted (arp_cache.conflicts);
#  4. (IPv6 works: ndisc6 for 2001:db8:1::1 is answered with h0's MAC, and
#     by xneigh in its run, ndisc_cache.na_sent; ping -6 works.)
#     The host adds 2001:db8:1::5/64, which the peer already has; once the
#     host's copy is tentative the peer is let go and its NA to ff02::1
#     (ND-NS8) fails the host's DAD (ND-NA5): the address ends
#     "dadfailed tentative"; (xneigh run) ndisc_cache.dad_conflicts counts it
#     and xneighd logs "DAD conflict: 2001:db8:1::5 on dev h0 claimed by
#     <peer MAC>"; an NS (ndisc6) for it is not answered by the host (ND-NS4);
#  5. the host adds 2001:db8:1::6/64 and, while it is tentative, the peer
#     adds it too (with DAD, its input NS dropped so its own DAD cannot
#     fail): the peer's DAD NS fails the host's DAD (ND-NS4) and the
#     peer's copy becomes valid; (xneigh run) dad_conflicts counts it and
#     xneighd logs the conflict with the peer's MAC.
# Exit 0 pass, 249 skip (with a SKIP: line), 1 fail.

. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
xn_strict

MAC_H0=02:00:00:00:01:01 MAC_P0=02:00:00:00:01:02
IP_H0=10.1.0.1 IP_P0=10.1.0.2 IP_UNUSED=10.1.0.99
IP6_H0=2001:db8:1::1 IP6_P0=2001:db8:1::2
DUP5=2001:db8:1::5 DUP6=2001:db8:1::6
# the same addresses as xn_addr6 keys show them (bpftool's BTF dump)
DUP5_BYTES='[32,1,13,184,0,1,0,0,0,0,0,0,0,0,0,5]'
DUP6_BYTES='[32,1,13,184,0,1,0,0,0,0,0,0,0,0,0,6]'
WAIT=15		# seconds: DAD with dad_transmits=5 takes ~5-6 s

NFT_DROP_NS_NOT_DAD='table ip6 xn_lab6 {
	chain input {
		type filter hook input priority 0; policy accept;
		icmpv6 type nd-neighbor-solicit ip6 saddr != :: drop
	}
}'
NFT_PEER_HOLD='table ip6 xn_hold {
	chain input {
		type filter hook input priority 0; policy accept;
		icmpv6 type nd-neighbor-solicit drop
	}
}'

xn_require_root
xn_require_tools ip nft arping ndisc6 ping bpftool jq sysctl
xn_require_build "$XN_XNEIGHD" "$XN_XNEIGH" "$XN_XDP_PASS"

addr_flags()	# NS DEV ADDR/LEN: the flags `ip` prints for that address
{
	ip -n "$1" -6 addr show dev "$2" | awk -v a="$3" '$1 == "inet6" && $2 == a { $1 = $2 = ""; print }'
}
host_dadfailed() { [[ $(addr_flags "$HOST" h0 "$1/64") == *dadfailed*tentative* ]]; }
host_tentative() { [[ $(addr_flags "$HOST" h0 "$1/64") == *tentative* ]]; }
peer_valid()
{
	local f
	f=$(ip -n "$PEER" -6 addr show dev p0 | grep " $1/64 ") || return 1
	[[ $f != *tentative* ]]
}

# xn_addr6_tentative BYTES: xneigh's xn_addr6 has the address (on h0) with
# XN_ADDR6_TENTATIVE (0x40): xneighd has seen the kernel's tentative address.
xn_addr6_tentative()
{
	local prog map
	prog=$(xn_xdp_prog_id "$HOST" h0)
	[ -n "$prog" ] || return 1
	map=$(xn_prog_map_id "$prog" xn_addr6) || return 1
	bpftool -j map dump id "$map" |
		jq -e --argjson a "$1" --argjson i "$H0_IDX" \
			'any(.[].formatted; .key.addr == $a and .key.ifindex == $i and (.value.flags % 128 >= 64))' \
			>/dev/null
}

# log_has TEXT: the xneighd log has a line containing TEXT
log_has() { grep -qF -- "$1" "$(xn_daemon_log "$XND")"; }

nd_stat() { xn_cli "$HOST" stats -j | jq -e --arg f "$1" '.ndisc_cache[$f] | numbers'; }

checks4()
{
	local mode=$1 out rc e
	# 1. DAD probe for the host's address
	rc=0
	out=$(ip netns exec "$PEER" arping -D -c 1 -w 1 -I p0 $IP_H0 2>&1) || rc=$?
	grep -qi "reply from $IP_H0 \[$MAC_H0\]" <<<"$out" ||
		xn_fail "$mode: arping -D $IP_H0 got no reply from $MAC_H0: $out"
	[ $rc -eq 1 ] || xn_fail "$mode: arping -D $IP_H0 exited $rc, expected 1 (address in use): $out"
	xn_ok "$mode: arping -D $IP_H0: answered by $MAC_H0, exit 1 (in use)"

	# 2. DAD probe for an unused address
	rc=0
	out=$(ip netns exec "$PEER" arping -D -c 1 -w 1 -I p0 $IP_UNUSED 2>&1) || rc=$?
	! grep -qi "reply from" <<<"$out" || xn_fail "$mode: arping -D $IP_UNUSED got a reply: $out"
	[ $rc -eq 0 ] || xn_fail "$mode: arping -D $IP_UNUSED exited $rc, expected 0 (address free): $out"
	if [ $mode = kernel ]; then
		e=$(ip -n "$HOST" neigh show dev h0)
	else
		e=$(xn_cli "$HOST" show dev h0)
	fi
	[ -z "$e" ] || xn_fail "$mode: the host learned from DAD probes (ARP-D3): $e"
	xn_ok "$mode: arping -D $IP_UNUSED: no reply, exit 0; nothing learned from DAD probes"

	# 3. the peer claims the host's address
	ip -n "$PEER" addr add $IP_H0/32 dev p0
	out=$(ip netns exec "$PEER" arping -U -c 1 -I p0 $IP_H0 2>&1) ||
		xn_fail "$mode: arping -U $IP_H0 from the peer failed: $out"
	ip -n "$PEER" addr del $IP_H0/32 dev p0
	if [ $mode = kernel ]; then
		e=$(ip -n "$HOST" neigh show $IP_H0 dev h0)
	else
		e=$(xn_cli_neigh "$HOST" $IP_H0 h0)
	fi
	[ -z "$e" ] || xn_fail "$mode: the host learned its own address from the peer's claim: $e"
	xn_arping_from_mac "$PEER" p0 $IP_H0 $MAC_H0 ||
		xn_fail "$mode: after the peer's claim $IP_H0 is not answered by $MAC_H0: $XN_ARPING_OUT"
	if [ $mode = xneigh ]; then
		xn_wait_for $WAIT log_has "conflict: $IP_H0 on dev h0 claimed by $MAC_P0 (ARP)" ||
			xn_fail "xneighd did not log 'conflict: $IP_H0 on dev h0 claimed by $MAC_P0 (ARP)'"
		[ "$(xn_cli_stat "$HOST" conflicts)" -ge 1 ] || xn_fail "arp_cache.conflicts did not count the claim"
	fi
	xn_ok "$mode: the peer's gratuitous claim of $IP_H0 is not learned; $IP_H0 still answered by $MAC_H0"
}

# hold_peer on|off: the peer's input NS drop rule
hold_peer()
{
	if [ "$1" = on ]; then
		ip netns exec "$PEER" nft -f - <<<"$NFT_PEER_HOLD"
	else
		ip netns exec "$PEER" nft delete table ip6 xn_hold
	fi
}

# wait_tentative MODE ADDR BYTES: the host's copy is tentative (and in the
# xneigh run, xneigh knows it is)
wait_tentative()
{
	xn_wait_for $WAIT host_tentative "$2" ||
		xn_fail "$1: the host's $2 is not tentative: $(addr_flags "$HOST" h0 "$2/64")"
	if [ "$1" = xneigh ]; then
		xn_wait_for $WAIT xn_addr6_tentative "$3" ||
			xn_fail "xneighd did not write $2 as tentative into xn_addr6 within ${WAIT}s"
	fi
	host_tentative "$2" && ! host_dadfailed "$2" ||
		xn_fail "$1: the host's $2 left DAD before the peer acted: $(addr_flags "$HOST" h0 "$2/64")"
}

checks6()
{
	local mode=$1 c0 c1 out na0 na1

	# the IPv6 path works: the host's own address is answered
	[ $mode = xneigh ] && na0=$(nd_stat na_sent)
	out=$(ip netns exec "$PEER" ndisc6 -1 -q -n -r 3 -w 1000 $IP6_H0 p0 2>&1) ||
		xn_fail "$mode: ndisc6 $IP6_H0 got no answer: $out"
	[ "$out" = $MAC_H0 ] || xn_fail "$mode: ndisc6 $IP6_H0 answered by '$out', expected $MAC_H0"
	ip netns exec "$PEER" ping -6 -c 2 -i 0.2 -W 2 $IP6_H0 >/dev/null ||
		xn_fail "$mode: the peer cannot ping -6 $IP6_H0"
	if [ $mode = xneigh ]; then
		na1=$(nd_stat na_sent)
		[ "$na1" -ge $((na0 + 1)) ] || xn_fail "ndisc_cache.na_sent $na0 -> $na1: ndisc6 was not answered by xneigh"
	fi
	xn_ok "$mode: ndisc6 $IP6_H0 answered by $MAC_H0; ping -6 works"

	[ $mode = xneigh ] && c0=$(nd_stat dad_conflicts)
	# 4. the host adds an address the peer already has
	hold_peer on
	ip -n "$PEER" addr add $DUP5/64 dev p0 nodad
	ip -n "$HOST" addr add $DUP5/64 dev h0
	wait_tentative $mode $DUP5 "$DUP5_BYTES"
	hold_peer off
	xn_wait_for $WAIT host_dadfailed $DUP5 ||
		xn_fail "$mode: the host's $DUP5 (the peer has it) is not 'dadfailed tentative': $(addr_flags "$HOST" h0 $DUP5/64)"
	if [ $mode = xneigh ]; then
		xn_wait_for $WAIT log_has "DAD conflict: $DUP5 on dev h0 claimed by $MAC_P0" ||
			xn_fail "xneighd did not log 'DAD conflict: $DUP5 on dev h0 claimed by $MAC_P0'"
		c1=$(nd_stat dad_conflicts)
		[ "$c1" -ge $((c0 + 1)) ] || xn_fail "ndisc_cache.dad_conflicts $c0 -> $c1: the peer's NA was not counted"
		c0=$c1
	fi
	xn_ok "$mode: the host's DAD for $DUP5 fails on the peer's NA:$(addr_flags "$HOST" h0 $DUP5/64)"
	# the peer's own kernel does not answer its ndisc6: only the host could
	if out=$(ip netns exec "$PEER" ndisc6 -1 -q -n -r 2 -w 500 $DUP5 p0 2>&1); then
		xn_fail "$mode: an NS for the host's dadfailed $DUP5 was answered by $out"
	fi
	xn_ok "$mode: the host does not answer an NS for its dadfailed $DUP5"

	# 5. both add the same address; the peer's DAD NS fails the host's DAD
	hold_peer on
	ip -n "$HOST" addr add $DUP6/64 dev h0
	wait_tentative $mode $DUP6 "$DUP6_BYTES"
	ip -n "$PEER" addr add $DUP6/64 dev p0
	xn_wait_for $WAIT host_dadfailed $DUP6 ||
		xn_fail "$mode: the host's $DUP6 is not 'dadfailed tentative' after the peer's DAD NS: $(addr_flags "$HOST" h0 $DUP6/64)"
	xn_wait_for $WAIT peer_valid $DUP6 ||
		xn_fail "$mode: the peer's $DUP6 did not become valid: $(ip -n "$PEER" -6 addr show dev p0)"
	hold_peer off
	if [ $mode = xneigh ]; then
		xn_wait_for $WAIT log_has "DAD conflict: $DUP6 on dev h0 claimed by $MAC_P0" ||
			xn_fail "xneighd did not log 'DAD conflict: $DUP6 on dev h0 claimed by $MAC_P0'"
		c1=$(nd_stat dad_conflicts)
		[ "$c1" -ge $((c0 + 1)) ] || xn_fail "ndisc_cache.dad_conflicts $c0 -> $c1: the peer's DAD NS was not counted"
	fi
	xn_ok "$mode: the peer's DAD NS for $DUP6 fails the host's DAD; the peer's copy is valid"

	ip -n "$HOST" addr del $DUP5/64 dev h0
	ip -n "$HOST" addr del $DUP6/64 dev h0
	ip -n "$PEER" addr del $DUP5/64 dev p0
	ip -n "$PEER" addr del $DUP6/64 dev p0
}

xn_lab_begin
xn_ns_add HOST host
xn_ns_add PEER peer
xn_veth "$HOST" h0 $MAC_H0 "$PEER" p0 $MAC_P0
H0_IDX=$(ip -n "$HOST" -j link show dev h0 | jq '.[0].ifindex')
ip -n "$HOST" addr add $IP_H0/24 dev h0
ip -n "$PEER" addr add $IP_P0/24 dev p0
ip -n "$HOST" addr add $IP6_H0/64 dev h0 nodad
ip -n "$PEER" addr add $IP6_P0/64 dev p0 nodad
ip netns exec "$HOST" sysctl -qw net.ipv6.conf.h0.dad_transmits=5
xn_xdp_pass "$PEER" p0 || xn_skip "native XDP on veth not available (attaching xdp_pass failed)"
no_tentative() { ! ip -n "$1" -6 addr show dev "$2" | grep -q tentative; }
xn_wait_for $WAIT no_tentative "$HOST" h0 || xn_fail "lab: h0's link-local address stays tentative"
xn_wait_for $WAIT no_tentative "$PEER" p0 || xn_fail "lab: p0's link-local address stays tentative"
xn_wait_for $WAIT xn_arping_from_mac "$PEER" p0 $IP_H0 $MAC_H0 ||
	xn_fail "lab: the host kernel does not answer $IP_H0: $XN_ARPING_OUT"
ip -n "$HOST" neigh flush all

# ---- the kernel alone: the oracle ----
checks4 kernel
checks6 kernel

# ---- xneigh alone ----
ip -n "$HOST" neigh flush all
ip -n "$PEER" neigh flush all
ip -n "$HOST" -6 neigh flush all
ip -n "$PEER" -6 neigh flush all
xn_nft_drop_arp_requests "$HOST" || xn_skip "nftables cannot load an arp family table here"
ip netns exec "$HOST" nft -f - <<<"$NFT_DROP_NS_NOT_DAD" ||
	xn_skip "nftables cannot load an ip6 table with an icmpv6 type match here"
xn_arping_unanswered "$PEER" p0 $IP_H0 ||
	xn_fail "kernel still answers $IP_H0 with 'arp operation request drop' in place: $XN_ARPING_OUT"

xn_daemon_start XND "$HOST" xneighd "$XN_XNEIGHD" -i h0 -v
answered_by_xneigh()
{
	xn_daemon_alive "$XND" || xn_fail "xneighd exited early"
	xn_arping_from_mac "$PEER" p0 $IP_H0 $MAC_H0
}
xn_wait_for $WAIT answered_by_xneigh || xn_fail "xneighd does not answer $IP_H0 within ${WAIT}s: $XN_ARPING_OUT"
xn_cli "$HOST" flush all || xn_fail "xneigh flush all failed"

dad0=$(xn_cli_stat "$HOST" dad_replies)
checks4 xneigh
dad1=$(xn_cli_stat "$HOST" dad_replies)
[ "$dad1" -eq $((dad0 + 1)) ] || xn_fail "arp_cache.dad_replies $dad0 -> $dad1: expected one more (check 1)"
xn_ok "xneigh counted it: arp_cache.dad_replies +1"
checks6 xneigh
xn_daemon_alive "$XND" || xn_fail "xneighd exited"
