#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# xneighd answers IPv6 Neighbour Solicitations for a host whose kernel never
# sees them, and makes a peer's DAD for the host's address fail.
#
#  xn-peer-PID                           xn-host-PID
# +------------------------------+      +-----------------------------------------+
# | p0  02:00:00:00:0a:02        |      | h0  02:00:00:00:00:01                   |
# |     2001:db8:1::2/64 (nodad) |-veth-|     2001:db8:1::1/64 (nodad)            |
# |     fe80::ff:fe00:a02        |      |     fe80::ff:fe00:1 (EUI-64)            |
# |  xdp: xdp_pass (veth XDP_TX  |      |                                         |
# |       needs a program here)  |      | nft ip6 input: nd-neighbor-solicit drop |
# |  ndisc6, ping -6, DAD        |      | xneighd -i h0 (XDP)                     |
# +------------------------------+      +-----------------------------------------+
#
# The nft rule sits on the IPv6 LOCAL_IN hook, which ip6_input() runs before
# the ICMPv6 handler, so the host kernel's ndisc_recv_ns() never sees an NS;
# NAs still reach it, so it resolves the peer itself (its own NS go out).
#
# Checks, in order:
#  0. without the nft rule the kernel answers ndisc6 (the lab is wired right);
#  a. with it and no xneighd: ndisc6 gets no answer, the rule counted the NS,
#     and the host kernel did not learn the peer from the NS's SLLAO (so the
#     NS was dropped before ndisc); a peer's DAD for 2001:db8:1::1 completes
#     (nobody defends the address), so any later DAD failure is xneigh's;
#  b. with xneighd: ndisc6 is answered with h0's MAC, ping -6 -c 3 works;
#  c. `xneigh show -6 -j` lists the peer on h0 with its MAC in a valid state;
#     `xneigh stats -j` counts the NAs sent (ndisc_cache.na_sent);
#  d. the peer adds 2001:db8:1::1/64 with DAD: xneigh's NA to ff02::1 defends
#     it and the peer's address ends "dadfailed tentative" within a bounded
#     time; ndisc_cache.dad_replies counts it.
# Exit 0 pass, 249 skip (with a SKIP: line), 1 fail.

. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
xn_strict

MAC_H0=02:00:00:00:00:01 MAC_P0=02:00:00:00:0a:02
IP_H0=2001:db8:1::1 IP_P0=2001:db8:1::2
WAIT=10		# seconds: bound for anything that should take ~1-3 s

xn_require_root
xn_require_tools ip nft ndisc6 ping bpftool jq sysctl
xn_require_build "$XN_XNEIGHD" "$XN_XNEIGH" "$XN_XDP_PASS"

XN_NFT_DROP_NS='table ip6 xn_lab {
	chain input {
		type filter hook input priority 0; policy accept;
		icmpv6 type nd-neighbor-solicit counter drop
	}
}'

# ndisc6 from the peer: prints the MAC of the first answer; 0 if answered.
ndisc() { ip netns exec "$PEER" ndisc6 -1 -q -n -r "${1:-1}" -w 1000 $IP_H0 p0 2>&1; }

no_tentative()	# NS DEV: no address of DEV is still in DAD
{
	! ip -n "$1" -6 addr show dev "$2" | grep -q tentative
}

nft_ns_dropped()	# packets the drop rule has counted
{
	ip netns exec "$HOST" nft -j list table ip6 xn_lab |
		jq '[.nftables[] | .rule? // empty | .expr[] | .counter? // empty | .packets] | add // 0'
}

peer_addr_flags()	# the flags `ip` prints for the peer's copy of IP_H0
{
	ip -n "$PEER" -6 addr show dev p0 | awk -v a="$IP_H0/64" '$1 == "inet6" && $2 == a { $1 = $2 = ""; print }'
}

xn_lab_begin
xn_ns_add HOST host
xn_ns_add PEER peer
xn_veth "$HOST" h0 $MAC_H0 "$PEER" p0 $MAC_P0
ip -n "$HOST" addr add $IP_H0/64 dev h0 nodad
ip -n "$PEER" addr add $IP_P0/64 dev p0 nodad
xn_xdp_pass "$PEER" p0 || xn_skip "native XDP on veth not available (attaching xdp_pass failed)"
# the automatic link-local addresses finish their DAD first
xn_wait_for $WAIT no_tentative "$HOST" h0 || xn_fail "h0's link-local address stays tentative"
xn_wait_for $WAIT no_tentative "$PEER" p0 || xn_fail "p0's link-local address stays tentative"

# 0. The kernel answers while nothing is in the way.
answered() { mac=$(ndisc 1); }
mac=
xn_wait_for $WAIT answered ||
	xn_fail "lab: the host kernel does not answer ndisc6 $IP_H0 even without the nft rule: $mac"
[ "$mac" = $MAC_H0 ] || xn_fail "lab: ndisc6 $IP_H0 answered by $mac, expected $MAC_H0"
xn_ok "kernel answers $IP_H0 before the nft rule"
ip -n "$HOST" -6 neigh flush all
ip -n "$PEER" -6 neigh flush all

# a. NS dropped at the host's input: the kernel alone is silent.
ip netns exec "$HOST" nft -f - <<<"$XN_NFT_DROP_NS" ||
	xn_skip "nftables cannot load an ip6 table with an icmpv6 type match here"
if out=$(ndisc 3); then
	xn_fail "kernel still answers $IP_H0 with 'icmpv6 type nd-neighbor-solicit drop' in place: $out"
fi
dropped=$(nft_ns_dropped)
[ "$dropped" -ge 3 ] || xn_fail "the nft rule counted $dropped NS, expected >= 3 (ndisc6 sent 3)"
learned=$(ip -n "$HOST" -6 neigh show $IP_P0 dev h0)
[ -z "$learned" ] ||
	xn_fail "the host kernel learned the peer from an NS it should never have seen: $learned"
xn_ok "kernel alone does not answer; nft dropped $dropped NS before ndisc (no entry learned)"

ip -n "$PEER" addr add $IP_H0/64 dev p0
xn_wait_for $WAIT no_tentative "$PEER" p0 ||
	xn_fail "control: the peer's DAD for $IP_H0 did not finish: $(peer_addr_flags)"
case $(peer_addr_flags) in
*dadfailed*) xn_fail "control: the peer's DAD for $IP_H0 failed without xneighd: $(peer_addr_flags)" ;;
esac
ip -n "$PEER" addr del $IP_H0/64 dev p0
ip -n "$PEER" -6 neigh flush all
xn_ok "control: without xneighd nobody defends $IP_H0 (the peer's DAD succeeds)"

# b. xneighd answers.
xn_daemon_start XND "$HOST" xneighd "$XN_XNEIGHD" -i h0 -v
addr6_synced()
{
	local prog map
	xn_daemon_alive "$XND" || xn_fail "xneighd exited early"
	prog=$(xn_xdp_prog_id "$HOST" h0)
	[ -n "$prog" ] || return 1
	map=$(xn_prog_map_id "$prog" xn_addr6) ||
		xn_skip "the data plane on h0 has no xn_addr6 map (no IPv6 support)"
	[ "$(bpftool -j map dump id "$map" | jq length)" -gt 0 ]
}
xn_wait_for $WAIT addr6_synced ||
	xn_fail "xneighd wrote no IPv6 address into xn_addr6 within ${WAIT}s (IPv6 sync missing?)"

answered_by_xneigh()
{
	xn_daemon_alive "$XND" || xn_fail "xneighd exited early"
	out=$(ndisc 1) && [ "$out" = $MAC_H0 ]
}
out=
xn_wait_for $WAIT answered_by_xneigh ||
	xn_fail "xneighd does not answer ndisc6 $IP_H0 within ${WAIT}s: ${out:-no answer}"
[ "$(xn_xdp_mode "$HOST" h0)" = xdp ] || xn_fail "no native XDP program on h0: $(ip -n "$HOST" link show dev h0)"
xn_ok "xneigh answers ndisc6 $IP_H0 with $MAC_H0"

ip netns exec "$PEER" ping -6 -c 3 -i 0.2 -W 2 $IP_H0 >/dev/null ||
	xn_fail "the peer cannot ping -6 $IP_H0 (resolved through xneigh)"
xn_ok "ping -6 works (the peer's kernel resolved the host through xneigh)"

# c. What the peer taught xneigh.
e=$(xn_cli "$HOST" show -6 -j | jq -c --arg d $IP_P0 '.[] | select(.dst == $d and .dev == "h0")') ||
	xn_fail "xneigh show -6 -j failed"
[ -n "$e" ] || xn_fail "xneigh show -6 -j has no entry for $IP_P0 dev h0: $(xn_cli "$HOST" show -6 -j)"
[ "$(jq -r .lladdr <<<"$e")" = $MAC_P0 ] || xn_fail "entry $IP_P0 dev h0 has the wrong lladdr: $e"
jq -e '.state | index("REACHABLE") or index("STALE") or index("DELAY") or index("PROBE")' \
	<<<"$e" >/dev/null || xn_fail "entry $IP_P0 dev h0 is not in a valid state: $e"
xn_ok "xneigh show -6 -j: $IP_P0 on h0 with $MAC_P0"

nd_stat() { xn_cli "$HOST" stats -j | jq -e --arg f "$1" '.ndisc_cache[$f] | numbers'; }
sent=$(nd_stat na_sent) || xn_fail "xneigh stats -j has no ndisc_cache.na_sent: $(xn_cli "$HOST" stats -j)"
[ "$sent" -ge 2 ] || xn_fail "ndisc_cache.na_sent=$sent, expected >= 2 (ndisc6 and the peer's kernel)"
xn_ok "xneigh stats -j: ndisc_cache.na_sent=$sent"

# d. DAD from the peer for the host's address: xneigh defends it.
dad0=$(nd_stat dad_replies) || xn_fail "xneigh stats -j has no ndisc_cache.dad_replies"
ip -n "$PEER" addr add $IP_H0/64 dev p0
dadfailed() { [[ $(peer_addr_flags) == *dadfailed*tentative* ]]; }
xn_wait_for $WAIT dadfailed ||
	xn_fail "the peer's address $IP_H0 is not 'dadfailed tentative' after ${WAIT}s: $(peer_addr_flags)"
dad1=$(nd_stat dad_replies)
[ "$dad1" -gt "$dad0" ] || xn_fail "ndisc_cache.dad_replies did not move ($dad0 -> $dad1)"
xn_ok "the peer's DAD for $IP_H0 fails:$(peer_addr_flags); dad_replies $dad0 -> $dad1"
