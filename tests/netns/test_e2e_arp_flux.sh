#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# End to end, real clients: ARP flux. Two host interfaces on one segment;
# a peer's broadcast request for one of them reaches both.
#
#  xn-host-PID                     xn-sw-PID (a switch)          xn-peer-PID
# +---------------------------+    +------------------------+    +------------------------+
# | h0  02:00:00:00:01:01     |veth| s0  02:00:00:00:0f:00 -+    |                        |
# |     10.1.0.1/24           |----|     xdp: xdp_pass      |    |                        |
# |                           |    |                    br0 |    | p0  02:00:00:00:01:02  |
# | h1  02:00:00:00:01:11     |veth| s1  02:00:00:00:0f:01 -+    |     10.1.0.2/24        |
# |     10.1.0.11/24          |----|     xdp: xdp_pass      |veth| arping -I p0          |
# |                           |    | s2  02:00:00:00:0f:02 -+----|                        |
# | nft arp input:            |    +------------------------+    +------------------------+
# |   request -> drop     (*) |
# | xneighd -i h0 -i h1   (*) |    s0/s1 carry xdp_pass: h0's and h1's XDP_TX replies land
# +---------------------------+    there (a veth drops them without an XDP program)
#  (*) xneigh run only
#
# Every check runs twice: first the kernel alone (no nft rule, no xneighd:
# the oracle), then xneigh alone (the host kernel never sees a request).
# One broadcast request per check; arping prints every reply that comes back
# within a second, so two answering interfaces show as two MACs.
#  1. arp_ignore=0 (weak host, ARP-R2/R3): a request for h0's 10.1.0.1 is
#     answered by h0 and by h1, each with its own MAC (the peer sees both);
#     same for h1's 10.1.0.11; the host learns the peer on both interfaces
#     (ARP-R5).
#  2. net.ipv4.conf.all.arp_ignore=1: only the owner answers, with its MAC;
#     the refusing interface learns nothing (ARP-R6: after a flush, only h0
#     has the peer).
#  3. arp_ignore back to 0 and arp_filter=1 on all (ARP-R4): an interface
#     answers only if the route back to the peer leaves through it. Both
#     /24 routes have the same metric; the kernel takes the one listed first
#     in `ip route` (h0's), so h0 answers for both addresses and h1 for none
#     (and learns nothing, ARP-R6).
#  4. (xneigh run) the answers were xneigh's: replies_sent,
#     ignored_arp_ignore and filtered_arp_filter count them.
# Exit 0 pass, 249 skip (with a SKIP: line), 1 fail.

. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
xn_strict

MAC_H0=02:00:00:00:01:01 MAC_H1=02:00:00:00:01:11 MAC_P0=02:00:00:00:01:02
IP_H0=10.1.0.1 IP_H1=10.1.0.11 IP_P0=10.1.0.2
WAIT=10		# seconds: bound for anything that should take ~1-2 s

xn_require_root
xn_require_tools ip nft arping bpftool jq sysctl
xn_require_build "$XN_XNEIGHD" "$XN_XNEIGH" "$XN_XDP_PASS"

# ask TARGET: one broadcast request from the peer; GOT = the MACs that
# answered, sorted, space separated ("" for none); arping's output in OUT.
ask()
{
	OUT=$(ip netns exec "$PEER" arping -c 1 -I p0 "$1" 2>&1) || true
	GOT=$({ grep -io "reply from $1 \[[0-9a-f:]*\]" <<<"$OUT" || true; } |
		sed 's/.*\[\(.*\)\]/\1/' | tr 'A-F' 'a-f' | sort -u | paste -sd' ')
}
answered_by() { ask "$1"; [ "$GOT" = "$2" ]; }

# expect_answerers MODE TARGET WANT WHAT [poll]: the request for TARGET is
# answered by exactly the MACs WANT. With "poll" (the first check after a
# sysctl change) the xneigh run asks again for up to WAIT seconds: xneighd
# follows sysctls within a second. The kernel applies them at once.
expect_answerers()
{
	local secs=0
	[ "$1" = xneigh ] && [ "${5:-}" = poll ] && secs=$WAIT
	xn_wait_for $secs answered_by "$2" "$3" ||
		xn_fail "$1: $4: request for $2 answered by '${GOT}', expected '$3'; arping said: $OUT"
}

sysctl_host() { ip netns exec "$HOST" sysctl -qw "$@" >/dev/null; }

# learned_on MODE: the host interfaces with an entry for the peer holding
# its MAC, e.g. "h0 h1" (the kernel's table in the kernel run, xneigh's in
# the xneigh run)
learned_on()
{
	local dev e out=()
	for dev in h0 h1; do
		if [ "$1" = kernel ]; then
			e=$(ip -n "$HOST" neigh show $IP_P0 dev $dev)
		else
			e=$(xn_cli_neigh "$HOST" $IP_P0 $dev)
		fi
		[[ $e == *$MAC_P0* ]] && out+=("$dev")
	done
	echo "${out[*]}"
}

expect_learned()	# MODE WANT WHAT
{
	local got
	got=$(learned_on "$1")
	[ "$got" = "$2" ] || xn_fail "$1: $3: the host has the peer on '$got', expected '$2'"
}

flush_host()
{
	if [ "$1" = kernel ]; then
		ip -n "$HOST" neigh flush all
	else
		xn_cli "$HOST" flush all
	fi
}

# The checks of one run. In the xneigh run sysctl changes reach the maps
# within a second, so the first answer after a change is polled for.
checks()
{
	local mode=$1 both
	both=$(printf '%s\n' $MAC_H0 $MAC_H1 | sort | paste -sd' ')

	sysctl_host net.ipv4.conf.all.arp_ignore=0 net.ipv4.conf.all.arp_filter=0
	expect_answerers $mode $IP_H0 "$both" "arp_ignore=0 (ARP flux)" poll
	expect_answerers $mode $IP_H1 "$both" "arp_ignore=0 (ARP flux)"
	expect_learned $mode "h0 h1" "arp_ignore=0 (ARP-R5 on both)"
	xn_ok "$mode: arp_ignore=0: $IP_H0 and $IP_H1 each answered by h0 and h1 ($both); both learned the peer"

	sysctl_host net.ipv4.conf.all.arp_ignore=1
	expect_answerers $mode $IP_H0 $MAC_H0 "arp_ignore=1" poll
	flush_host $mode
	expect_answerers $mode $IP_H0 $MAC_H0 "arp_ignore=1"
	expect_learned $mode "h0" "arp_ignore=1, request for $IP_H0 (ARP-R6 on h1)"
	expect_answerers $mode $IP_H1 $MAC_H1 "arp_ignore=1"
	xn_ok "$mode: arp_ignore=1: only the owner answers ($IP_H0: $MAC_H0, $IP_H1: $MAC_H1); h1 learned nothing from the refused request"

	sysctl_host net.ipv4.conf.all.arp_ignore=0 net.ipv4.conf.all.arp_filter=1
	expect_answerers $mode $IP_H1 $MAC_H0 "arp_filter=1 (route to the peer leaves h0)" poll
	flush_host $mode
	expect_answerers $mode $IP_H0 $MAC_H0 "arp_filter=1 (route to the peer leaves h0)"
	expect_learned $mode "h0" "arp_filter=1 (ARP-R6 on h1)"
	xn_ok "$mode: arp_filter=1: only h0 (the route back to $IP_P0) answers, for both addresses; h1 learned nothing"
	sysctl_host net.ipv4.conf.all.arp_filter=0
}

xn_lab_begin
xn_ns_add HOST host
xn_ns_add SW sw
xn_ns_add PEER peer
xn_veth "$HOST" h0 $MAC_H0 "$SW" s0 02:00:00:00:0f:00
xn_veth "$HOST" h1 $MAC_H1 "$SW" s1 02:00:00:00:0f:01
xn_veth "$PEER" p0 $MAC_P0 "$SW" s2 02:00:00:00:0f:02
ip -n "$SW" link add br0 type bridge
for port in s0 s1 s2; do
	ip -n "$SW" link set dev $port master br0
done
ip -n "$SW" link set dev br0 up
ip -n "$HOST" addr add $IP_H0/24 dev h0
ip -n "$HOST" addr add $IP_H1/24 dev h1
ip -n "$PEER" addr add $IP_P0/24 dev p0
xn_xdp_pass "$SW" s0 || xn_skip "native XDP on veth not available (attaching xdp_pass failed)"
xn_xdp_pass "$SW" s1
# the route order arp_filter depends on (check 3)
first=$(ip -n "$HOST" -j route show 10.1.0.0/24 | jq -r '.[0].dev')
[ "$first" = h0 ] || xn_fail "lab: the first route to 10.1.0.0/24 is via '$first', expected h0"

# The switch learns where each MAC is; the first request may be flooded
# while the bridge ports come up.
xn_wait_for $WAIT answered_by $IP_H0 "$(printf '%s\n' $MAC_H0 $MAC_H1 | sort | paste -sd' ')" ||
	xn_fail "lab: the host kernel does not answer $IP_H0 on both interfaces: $OUT"

# ---- the kernel alone: the oracle ----
checks kernel

# ---- xneigh alone ----
ip -n "$HOST" neigh flush all
ip -n "$PEER" neigh flush all
xn_nft_drop_arp_requests "$HOST" || xn_skip "nftables cannot load an arp family table here"
ask $IP_H0
[ -z "$GOT" ] ||
	xn_fail "kernel still answers $IP_H0 with 'arp operation request drop' in place: $OUT"
xn_ok "kernel alone does not answer with the nft rule"

xn_daemon_start XND "$HOST" xneighd "$XN_XNEIGHD" -i h0 -i h1 -v
answered_by_xneigh()
{
	xn_daemon_alive "$XND" || xn_fail "xneighd exited early"
	ask $IP_H0
	[ -n "$GOT" ]
}
xn_wait_for $WAIT answered_by_xneigh || xn_fail "xneighd does not answer $IP_H0 within ${WAIT}s: $OUT"

sent0=$(xn_cli_stat "$HOST" replies_sent)
ign0=$(xn_cli_stat "$HOST" ignored_arp_ignore)
flt0=$(xn_cli_stat "$HOST" filtered_arp_filter)
checks xneigh
sent1=$(xn_cli_stat "$HOST" replies_sent)
ign1=$(xn_cli_stat "$HOST" ignored_arp_ignore)
flt1=$(xn_cli_stat "$HOST" filtered_arp_filter)
[ "$sent1" -ge $((sent0 + 8)) ] || xn_fail "replies_sent $sent0 -> $sent1: expected at least 8 more"
[ "$ign1" -ge $((ign0 + 2)) ] || xn_fail "ignored_arp_ignore $ign0 -> $ign1: expected at least 2 more"
[ "$flt1" -ge $((flt0 + 2)) ] || xn_fail "filtered_arp_filter $flt0 -> $flt1: expected at least 2 more"
xn_ok "xneigh counted it: replies_sent +$((sent1 - sent0)), ignored_arp_ignore +$((ign1 - ign0)), filtered_arp_filter +$((flt1 - flt0))"
xn_daemon_alive "$XND" || xn_fail "xneighd exited"
