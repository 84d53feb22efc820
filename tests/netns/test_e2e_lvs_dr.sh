#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# End to end, real clients: an LVS-DR real server. The host has two
# interfaces in different subnets and the virtual IP on lo; the usual
# recipe (arp_ignore=1, arp_announce=2) keeps it from answering for the VIP
# and from announcing the VIP in its own requests.
#
#  xn-peera-PID                xn-host-PID                             xn-peerb-PID
# +---------------------+     +------------------------------------+     +---------------------+
# | a0 02:00:00:00:01:02|     | h0 02:00:00:00:01:01  10.1.0.1/24  |     |                     |
# |    10.1.0.2/24      |-veth|                                    |     |                     |
# | default via 10.1.0.1|     | h1 02:00:00:00:02:01  10.2.0.1/24  |veth-| b0 02:00:00:00:02:02|
# | xdp: xdp_pass       |     | lo 10.9.9.9/32 (the VIP)           |     |    10.2.0.2/24      |
# +---------------------+     | net.ipv4.conf.all.arp_ignore=1     |     | default via 10.2.0.1|
#                             | net.ipv4.conf.all.arp_announce=2   |     | xdp: xdp_pass       |
#                             | nft arp input: request -> drop  (*)|     +---------------------+
#                             | xneighd -i h0 -i h1             (*)|
#                             +------------------------------------+
#                              (*) xneigh run only
#
# Every check runs twice: the kernel alone first (no nft rule, no xneighd:
# the oracle), then xneigh alone (the host kernel never sees a request).
#  1. arp_ignore=1 (ARP-R3): each peer's request for the VIP is not answered
#     (the VIP is on lo only), nor a DAD probe for it (arping -D, ARP-D1),
#     nor the request for the other interface's address; nothing is learned
#     from refused requests (ARP-R6: the host has no entry for the peer
#     afterwards);
#  2. each interface answers for its own address with its own MAC (also a
#     DAD probe), and learns the peer (ARP-R5);
#  3. arp_announce=2 (ARPTX-2): the host pings peer A from the VIP
#     (ping -I 10.9.9.9); the ARP request the host kernel sends for 10.1.0.2
#     says "tell 10.1.0.1", so peer A, which learns the sender of every
#     request for its address, has an entry for 10.1.0.1 and none for the
#     VIP. Control: with arp_announce=0 the request carries the VIP (the
#     queued ping's source) and peer A learns 10.9.9.9 -> h0's MAC.
#     These requests are the host kernel's own in both runs: xneigh
#     answers and learns, it does not solicit (yet).
#  4. (xneigh run) ignored_arp_ignore counts the refusals, replies_sent the
#     answers.
# Exit 0 pass, 249 skip (with a SKIP: line), 1 fail.

. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
xn_strict

MAC_H0=02:00:00:00:01:01 MAC_A0=02:00:00:00:01:02
MAC_H1=02:00:00:00:02:01 MAC_B0=02:00:00:00:02:02
IP_H0=10.1.0.1 IP_A0=10.1.0.2
IP_H1=10.2.0.1 IP_B0=10.2.0.2
VIP=10.9.9.9
WAIT=10		# seconds: bound for anything that should take ~1-2 s

xn_require_root
xn_require_tools ip nft arping ping bpftool jq sysctl
xn_require_build "$XN_XNEIGHD" "$XN_XNEIGH" "$XN_XDP_PASS"

# ask NS DEV TARGET [ARGS]: one broadcast request (arping ARGS); GOT = the
# MACs that answered within a second, sorted, space separated ("" for
# none); output in OUT.
ask()
{
	local ns=$1 dev=$2 t=$3
	shift 3
	OUT=$(ip netns exec "$ns" arping -c 1 "$@" -I "$dev" "$t" 2>&1) || true
	GOT=$({ grep -io "reply from $t \[[0-9a-f:]*\]" <<<"$OUT" || true; } |
		sed 's/.*\[\(.*\)\]/\1/' | tr 'A-F' 'a-f' | sort -u | paste -sd' ')
}

# expect MODE NS DEV TARGET WANT WHAT [ARGS]: exactly the MACs WANT answer
expect()
{
	ask "$2" "$3" "$4" "${@:7}"
	[ "$GOT" = "$5" ] ||
		xn_fail "$1: $6: request ${7:+($7) }for $4 from $3 answered by '$GOT', expected '$5'; arping said: $OUT"
}

# host_entry MODE ADDR DEV: the host's entry for ADDR on DEV ("" if none),
# from the kernel's table in the kernel run, from xneigh's in the xneigh run
host_entry()
{
	if [ "$1" = kernel ]; then
		ip -n "$HOST" neigh show "$2" dev "$3"
	else
		xn_cli_neigh "$HOST" "$2" "$3"
	fi
}

# probe_source ANNOUNCE: flush both tables, set arp_announce, ping peer A
# from the VIP; prints peer A's entry for the VIP ("" if none).
probe_source()
{
	ip netns exec "$HOST" sysctl -qw net.ipv4.conf.all.arp_announce="$1"
	ip -n "$HOST" neigh flush all
	ip -n "$PA" neigh flush all
	ip netns exec "$HOST" ping -c 1 -W 2 -I $VIP $IP_A0 >/dev/null ||
		xn_fail "arp_announce=$1: the host cannot ping $IP_A0 from $VIP"
	ip -n "$PA" neigh show $VIP dev a0
}

checks()
{
	local mode=$1 e
	expect $mode "$PA" a0 $VIP "" "arp_ignore=1, VIP on lo only"
	expect $mode "$PA" a0 $IP_H1 "" "arp_ignore=1, h1's address asked on h0"
	expect $mode "$PB" b0 $VIP "" "arp_ignore=1, VIP on lo only"
	expect $mode "$PB" b0 $IP_H0 "" "arp_ignore=1, h0's address asked on h1"
	expect $mode "$PA" a0 $VIP "" "arp_ignore=1, duplicate address probe for the VIP" -D
	xn_ok "$mode: the VIP (also a DAD probe for it) and the other interface's address are answered on neither interface"
	e=$(host_entry $mode $IP_A0 h0)$(host_entry $mode $IP_B0 h1)
	[ -z "$e" ] || xn_fail "$mode: ARP-R6: refused requests taught the host: $e"
	xn_ok "$mode: refused requests learn nothing (ARP-R6)"

	expect $mode "$PA" a0 $IP_H0 $MAC_H0 "own address"
	expect $mode "$PB" b0 $IP_H1 $MAC_H1 "own address"
	expect $mode "$PA" a0 $IP_H0 $MAC_H0 "duplicate address probe, own address" -D
	e=$(host_entry $mode $IP_A0 h0)
	[[ $e == *$MAC_A0* ]] || xn_fail "$mode: the host did not learn $IP_A0 on h0 (ARP-R5): '$e'"
	e=$(host_entry $mode $IP_B0 h1)
	[[ $e == *$MAC_B0* ]] || xn_fail "$mode: the host did not learn $IP_B0 on h1 (ARP-R5): '$e'"
	xn_ok "$mode: each interface answers for its own address with its MAC and learns the peer"

	e=$(probe_source 2)
	[ -z "$e" ] || xn_fail "$mode: arp_announce=2: peer A learned the VIP from the host's request: $e"
	e=$(ip -n "$PA" neigh show $IP_H0 dev a0)
	[[ $e == *"lladdr $MAC_H0"* ]] || xn_fail "$mode: arp_announce=2: peer A has no entry for $IP_H0: '$e'"
	e=$(probe_source 0)
	[[ $e == *"lladdr $MAC_H0"* ]] ||
		xn_fail "$mode: control arp_announce=0: peer A did not learn $VIP from the host's request: '$e'"
	ip netns exec "$HOST" sysctl -qw net.ipv4.conf.all.arp_announce=2
	xn_ok "$mode: arp_announce=2: the host's request carries $IP_H0, not the VIP (with 0 it carries the VIP)"
}

xn_lab_begin
xn_ns_add HOST host
xn_ns_add PA peera
xn_ns_add PB peerb
xn_veth "$HOST" h0 $MAC_H0 "$PA" a0 $MAC_A0
xn_veth "$HOST" h1 $MAC_H1 "$PB" b0 $MAC_B0
ip -n "$HOST" addr add $IP_H0/24 dev h0
ip -n "$HOST" addr add $IP_H1/24 dev h1
ip -n "$HOST" addr add $VIP/32 dev lo
ip -n "$PA" addr add $IP_A0/24 dev a0
ip -n "$PB" addr add $IP_B0/24 dev b0
ip -n "$PA" route add default via $IP_H0
ip -n "$PB" route add default via $IP_H1
xn_xdp_pass "$PA" a0 || xn_skip "native XDP on veth not available (attaching xdp_pass failed)"
xn_xdp_pass "$PB" b0

# the lab is wired: with the defaults (arp_ignore=0) the kernel answers the VIP
xn_wait_for $WAIT xn_arping_from_mac "$PA" a0 $VIP $MAC_H0 ||
	xn_fail "lab: with arp_ignore=0 the host kernel does not answer $VIP on h0: $XN_ARPING_OUT"
xn_ok "lab: with arp_ignore=0 the kernel answers the VIP on h0 (the recipe is what stops it)"
ip netns exec "$HOST" sysctl -qw net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.all.arp_announce=2
ip -n "$HOST" neigh flush all
ip -n "$PA" neigh flush all

# ---- the kernel alone: the oracle ----
checks kernel

# ---- xneigh alone ----
ip -n "$HOST" neigh flush all
ip -n "$PA" neigh flush all
ip -n "$PB" neigh flush all
xn_nft_drop_arp_requests "$HOST" || xn_skip "nftables cannot load an arp family table here"
expect nft "$PA" a0 $IP_H0 "" "kernel alone with the nft rule"
xn_ok "kernel alone does not answer with the nft rule"

xn_daemon_start XND "$HOST" xneighd "$XN_XNEIGHD" -i h0 -i h1 -v
answered_by_xneigh()
{
	xn_daemon_alive "$XND" || xn_fail "xneighd exited early"
	ask "$PA" a0 $IP_H0	# this teaches xneigh peer A: flushed below
	[ "$GOT" = $MAC_H0 ]
}
xn_wait_for $WAIT answered_by_xneigh || xn_fail "xneighd does not answer $IP_H0 within ${WAIT}s: $OUT"
xn_cli "$HOST" flush all || xn_fail "xneigh flush all failed"

ign0=$(xn_cli_stat "$HOST" ignored_arp_ignore)
sent0=$(xn_cli_stat "$HOST" replies_sent)
checks xneigh
ign1=$(xn_cli_stat "$HOST" ignored_arp_ignore)
sent1=$(xn_cli_stat "$HOST" replies_sent)
[ "$ign1" -ge $((ign0 + 5)) ] || xn_fail "ignored_arp_ignore $ign0 -> $ign1: expected at least 5 more"
[ "$sent1" -ge $((sent0 + 3)) ] || xn_fail "replies_sent $sent0 -> $sent1: expected at least 3 more"
xn_ok "xneigh counted it: ignored_arp_ignore +$((ign1 - ign0)), replies_sent +$((sent1 - sent0))"
xn_daemon_alive "$XND" || xn_fail "xneighd exited"
