#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# End to end, real clients: proxy ARP on a router namespace.
#
#  xn-lan-PID                   xn-rtr-PID                                   xn-wan-PID
# +----------------------+     +--------------------------------------+     +----------------------+
# | l0 02:00:00:00:10:02 |-veth| r0 02:00:00:00:10:01  10.10.0.1/24   |     |                      |
# |    10.10.0.2/24      |     |    (LAN) proxy_arp, proxy_delay      |     |                      |
# | 10.20.0.0/24 dev l0  |     | r1 02:00:00:00:20:01  10.20.0.1/24   |veth-| w0 02:00:00:00:20:02 |
# |   (on-link: it ARPs  |     |    (WAN)                             |     |    10.20.0.2/24      |
# |    for WAN hosts)    |     | net.ipv4.conf.all.forwarding=1       |     | 10.10.0.0/24 via     |
# | xdp: xdp_pass        |     | nft arp input: request -> drop  (*)  |     |   10.20.0.1          |
# +----------------------+     | xneighd -i r0 -i r1             (*)  |     | xdp: xdp_pass        |
#                              +--------------------------------------+     +----------------------+
#                               (*) xneigh run only (not in check 3)
#
# Every check runs twice: the kernel alone first (no nft rule, no xneighd:
# the oracle), then xneigh alone (the router's kernel never sees a request).
#  1. proxy_arp=1 and proxy_delay=0 on r0 (ARP-P1 a, ARP-P5): the LAN host's
#     requests for 10.20.0.2 and for 10.20.0.77 (routed via r1, nobody
#     there) are answered with r0's MAC; 10.10.0.77 (routed back out r0,
#     ARP-P2) and 10.30.0.1 (no route) are not; the router learned the LAN
#     host (ARP-P3); ping 10.20.0.2 from the LAN host works through the
#     proxy.
#  2. proxy_arp=0 with explicit proxy entries (ARP-P1 c): `ip neigh add
#     proxy 10.20.0.5 dev r0` and `ip neigh add proxy 10.20.0.6` (any
#     device) are answered with r0's MAC, 10.20.0.2 (no entry) is not;
#     with forwarding=0 on r0 nothing is proxied; after `ip neigh del proxy
#     10.20.0.5 dev r0` it is no longer answered.
#  3. proxy_arp=1 with the default proxy_delay (80 ticks): the kernel queues
#     a broadcast request for a random delay below 0.8 s and then answers
#     (ARP-P5). In the xneigh run the nft rule is removed first: xneigh
#     leaves the request to the kernel (proxy_deferred counts it, proxied
#     does not move) and the kernel answers with r0's MAC.
#  (xneigh run) proxied counts the answers of checks 1 and 2.
# Exit 0 pass, 249 skip (with a SKIP: line), 1 fail.

. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
xn_strict

MAC_L0=02:00:00:00:10:02 MAC_R0=02:00:00:00:10:01
MAC_R1=02:00:00:00:20:01 MAC_W0=02:00:00:00:20:02
IP_L0=10.10.0.2 IP_R0=10.10.0.1
IP_R1=10.20.0.1 IP_W0=10.20.0.2
WAIT=10		# seconds: bound for anything that should take ~1-2 s

xn_require_root
xn_require_tools ip nft arping ping bpftool jq sysctl
xn_require_build "$XN_XNEIGHD" "$XN_XNEIGH" "$XN_XDP_PASS"

# ask TARGET [ARGS]: one broadcast request from the LAN host; GOT = the MACs
# that answered (within a second, or what ARGS say), sorted, space
# separated ("" for none); arping's output in OUT.
ask()
{
	local t=$1
	shift
	OUT=$(ip netns exec "$LAN" arping -c 1 "$@" -I l0 "$t" 2>&1) || true
	GOT=$({ grep -io "reply from $t \[[0-9a-f:]*\]" <<<"$OUT" || true; } |
		sed 's/.*\[\(.*\)\]/\1/' | tr 'A-F' 'a-f' | sort -u | paste -sd' ')
}
answered_by() { ask "$1"; [ "$GOT" = "$2" ]; }

# expect MODE TARGET WANT WHAT [poll]: the request for TARGET is answered by
# exactly WANT. "poll": the first check after a change the xneigh run
# learns over netlink or the sysctl poll: ask again for up to WAIT seconds.
expect()
{
	local secs=0
	[ "$1" = xneigh ] && [ "${5:-}" = poll ] && secs=$WAIT
	xn_wait_for $secs answered_by "$2" "$3" ||
		xn_fail "$1: $4: request for $2 answered by '$GOT', expected '$3'; arping said: $OUT"
}

rtr() { ip netns exec "$RTR" sysctl -qw "$@" >/dev/null; }

checks()
{
	local mode=$1 e

	# 1. proxy_arp
	rtr net.ipv4.conf.r0.proxy_arp=1 net.ipv4.neigh.r0.proxy_delay=0
	expect $mode $IP_W0 $MAC_R0 "proxy_arp=1, proxy_delay=0" poll
	if [ $mode = kernel ]; then
		e=$(ip -n "$RTR" neigh show $IP_L0 dev r0)
	else
		e=$(xn_cli_neigh "$RTR" $IP_L0 r0)
	fi
	[[ $e == *$MAC_L0* ]] || xn_fail "$mode: the router did not learn the LAN host from its request (ARP-P3): '$e'"
	expect $mode 10.20.0.77 $MAC_R0 "proxy_arp=1, routed via r1, nobody there"
	expect $mode 10.10.0.77 "" "proxy_arp=1, routed back out r0 (ARP-P2)"
	expect $mode 10.30.0.1 "" "proxy_arp=1, no route"
	xn_ok "$mode: proxy_arp=1: $IP_W0 and 10.20.0.77 answered with r0's MAC; 10.10.0.77 and 10.30.0.1 not"
	ip netns exec "$LAN" ping -c 2 -i 0.2 -W 2 $IP_W0 >/dev/null ||
		xn_fail "$mode: the LAN host cannot ping $IP_W0 through the proxy"
	e=$(ip -n "$LAN" neigh show $IP_W0 dev l0)
	[[ $e == *"lladdr $MAC_R0"* ]] || xn_fail "$mode: the LAN host resolved $IP_W0 to '$e', expected $MAC_R0"
	xn_ok "$mode: ping $IP_W0 from the LAN host works; its kernel resolved it to r0's MAC"

	# 2. explicit proxy entries
	rtr net.ipv4.conf.r0.proxy_arp=0
	expect $mode $IP_W0 "" "proxy_arp=0, no proxy entry" poll
	ip -n "$RTR" neigh add proxy 10.20.0.5 dev r0
	ip -n "$RTR" neigh add proxy 10.20.0.6
	expect $mode 10.20.0.5 $MAC_R0 "proxy entry on r0" poll
	expect $mode 10.20.0.6 $MAC_R0 "proxy entry for any device" poll
	xn_ok "$mode: proxy entries (dev r0, any device) answered with r0's MAC; $IP_W0 (no entry) not"
	rtr net.ipv4.conf.r0.forwarding=0
	expect $mode 10.20.0.5 "" "proxy entry, forwarding=0 on r0" poll
	rtr net.ipv4.conf.r0.forwarding=1
	expect $mode 10.20.0.5 $MAC_R0 "proxy entry, forwarding=1 again" poll
	ip -n "$RTR" neigh del proxy 10.20.0.5 dev r0
	expect $mode 10.20.0.5 "" "proxy entry deleted" poll
	ip -n "$RTR" neigh del proxy 10.20.0.6
	xn_ok "$mode: forwarding=0 on r0 stops proxying; a deleted proxy entry is no longer answered"
}

# 3. the default proxy_delay: the kernel answers after a random delay
delay_checks()
{
	local mode=$1
	rtr net.ipv4.conf.r0.proxy_arp=1 net.ipv4.neigh.r0.proxy_delay=80
	if [ $mode = kernel ]; then
		ask $IP_W0 -w 3
		[ "$GOT" = $MAC_R0 ] ||
			xn_fail "kernel: proxy_delay=80: request for $IP_W0 answered by '$GOT', expected $MAC_R0: $OUT"
		xn_ok "kernel: proxy_delay=80: $IP_W0 answered with r0's MAC after the proxy delay"
		return 0
	fi
	# xneighd follows the sysctl within a second: until then it answers
	# at once itself; ask until a request is deferred.
	deferred_and_answered()
	{
		local d0 p0 d1 p1
		d0=$(xn_cli_stat "$RTR" proxy_deferred)
		p0=$(xn_cli_stat "$RTR" proxied)
		ask $IP_W0 -w 3
		d1=$(xn_cli_stat "$RTR" proxy_deferred)
		p1=$(xn_cli_stat "$RTR" proxied)
		DELAY_SAID="proxy_deferred $d0 -> $d1, proxied $p0 -> $p1, answered by '$GOT'"
		[ "$d1" -eq $((d0 + 1)) ] && [ "$p1" -eq "$p0" ] && [ "$GOT" = $MAC_R0 ]
	}
	DELAY_SAID=
	xn_wait_for $WAIT deferred_and_answered ||
		xn_fail "xneigh: proxy_delay=80 without the nft rule: expected the request deferred to the kernel and answered by it with $MAC_R0; $DELAY_SAID; arping said: $OUT"
	xn_ok "xneigh: proxy_delay=80: xneigh defers ($DELAY_SAID) and the kernel answers"
}

xn_lab_begin
xn_ns_add LAN lan
xn_ns_add RTR rtr
xn_ns_add WAN wan
xn_veth "$LAN" l0 $MAC_L0 "$RTR" r0 $MAC_R0
xn_veth "$RTR" r1 $MAC_R1 "$WAN" w0 $MAC_W0
ip -n "$LAN" addr add $IP_L0/24 dev l0
ip -n "$LAN" route add 10.20.0.0/24 dev l0
ip -n "$RTR" addr add $IP_R0/24 dev r0
ip -n "$RTR" addr add $IP_R1/24 dev r1
ip -n "$WAN" addr add $IP_W0/24 dev w0
ip -n "$WAN" route add 10.10.0.0/24 via $IP_R1
rtr net.ipv4.conf.all.forwarding=1
xn_xdp_pass "$LAN" l0 || xn_skip "native XDP on veth not available (attaching xdp_pass failed)"
xn_xdp_pass "$WAN" w0

# the lab is wired: the router answers for its own LAN address
xn_wait_for $WAIT xn_arping_from_mac "$LAN" l0 $IP_R0 $MAC_R0 ||
	xn_fail "lab: the router's kernel does not answer $IP_R0: $XN_ARPING_OUT"

# ---- the kernel alone: the oracle ----
checks kernel
delay_checks kernel

# ---- xneigh alone ----
rtr net.ipv4.conf.r0.proxy_arp=0 net.ipv4.neigh.r0.proxy_delay=0
for ns in "$LAN" "$RTR" "$WAN"; do
	ip -n "$ns" neigh flush all
done
xn_nft_drop_arp_requests "$RTR" || xn_skip "nftables cannot load an arp family table here"
ask $IP_R0
[ -z "$GOT" ] || xn_fail "the router's kernel still answers $IP_R0 with 'arp operation request drop' in place: $OUT"
xn_ok "the router's kernel alone does not answer with the nft rule"

xn_daemon_start XND "$RTR" xneighd "$XN_XNEIGHD" -i r0 -i r1 -v
answered_by_xneigh()
{
	xn_daemon_alive "$XND" || xn_fail "xneighd exited early"
	answered_by $IP_R0 $MAC_R0
}
xn_wait_for $WAIT answered_by_xneigh || xn_fail "xneighd does not answer $IP_R0 within ${WAIT}s: $OUT"
xn_cli "$RTR" flush all || xn_fail "xneigh flush all failed"

prox0=$(xn_cli_stat "$RTR" proxied)
checks xneigh
prox1=$(xn_cli_stat "$RTR" proxied)
[ "$prox1" -ge $((prox0 + 6)) ] || xn_fail "proxied $prox0 -> $prox1: expected at least 6 more"
xn_ok "xneigh counted it: proxied +$((prox1 - prox0))"

ip netns exec "$RTR" nft delete table arp xn_lab
delay_checks xneigh
xn_daemon_alive "$XND" || xn_fail "xneighd exited"
