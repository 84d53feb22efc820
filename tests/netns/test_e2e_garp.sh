#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# End to end, real clients: a new host announces itself with gratuitous ARP
# (`arping -U`: request, `arping -A`: reply) and the host's arp_accept
# decides whether an entry is created (ARP-U2, ARP-U3, ARP-U4).
#
#  xn-peer-PID                             xn-host-PID
# +----------------------------------+    +----------------------------------------+
# | p0  02:00:00:00:01:02            |veth| h0  02:00:00:00:01:01  10.1.0.1/24     |
# |     10.1.0.3/24  (h0's subnet)   |----| net.ipv4.conf.h0.arp_accept = 0, 1, 2  |
# |     10.5.0.3/24  (another subnet |    | net.ipv4.conf.h0.drop_gratuitous_arp   |
# |      on the same link)           |    | nft arp input: request -> drop  (*)    |
# | xdp: xdp_pass                    |    | xneighd -i h0                   (*)    |
# +----------------------------------+    +----------------------------------------+
#                                           (*) xneigh run only
#
# The peer has never talked to the host: every case starts from an empty
# table (flushed) and sends one gratuitous ARP, `arping -U -c 1 -I p0 ADDR`
# (request, sip = tip = ADDR, tha ff:ff:ff:ff:ff:ff) or `arping -A ...`
# (broadcast reply, sip = tip = ADDR, tha = sha). The host's entry for ADDR
# is read from the kernel (`ip -j neigh`) in the kernel run (the oracle: no
# nft rule, no xneighd) and from `xneigh show -j` in the xneigh run.
#   arp_accept  drop_gratuitous_arp  ADDR       -U      -A
#   0           0                    10.1.0.3   none    none
#   1           0                    10.1.0.3   STALE   STALE  (broadcast: STALE, not REACHABLE)
#   1           0                    10.5.0.3   STALE   STALE  (1 does not look at the subnet)
#   2           0                    10.1.0.3   STALE   STALE
#   2           0                    10.5.0.3   none    none   (2: only from h0's subnets)
#   1           1                    10.1.0.3   none    none   (ARP-V6: GARPs dropped first)
# In the xneigh run each new sysctl value is awaited in xneigh's xn_ifconf
# map (xneighd polls sysctls) before the cases run, and `xneigh stats -j`
# must count the entries created (learned), the GARPs seen
# (gratuitous_seen) and dropped (gratuitous_dropped).
# Exit 0 pass, 249 skip (with a SKIP: line), 1 fail.

. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
xn_strict

MAC_H0=02:00:00:00:01:01 MAC_P0=02:00:00:00:01:02
IP_H0=10.1.0.1 SAME=10.1.0.3 OTHER=10.5.0.3
WAIT=10

# arp_accept drop_gratuitous_arp address arping-mode expected-state
CASES=(
	"0 0 $SAME -U none"
	"0 0 $SAME -A none"
	"1 0 $SAME -U STALE"
	"1 0 $SAME -A STALE"
	"1 0 $OTHER -U STALE"
	"1 0 $OTHER -A STALE"
	"2 0 $SAME -U STALE"
	"2 0 $SAME -A STALE"
	"2 0 $OTHER -U none"
	"2 0 $OTHER -A none"
	"1 1 $SAME -U none"
	"1 1 $SAME -A none"
)

xn_require_root
xn_require_tools ip nft arping bpftool jq sysctl
xn_require_build "$XN_XNEIGHD" "$XN_XNEIGH" "$XN_XDP_PASS"

# ifconf_is NS DEV FIELD VALUE: xneigh's xn_ifconf entry for DEV (found
# through the XDP program on DEV) has FIELD = VALUE, i.e. xneighd has
# written the sysctl.
ifconf_is()
{
	local prog map idx v
	prog=$(xn_xdp_prog_id "$1" "$2")
	[ -n "$prog" ] || return 1
	map=$(xn_prog_map_id "$prog" xn_ifconf) || return 1
	idx=$(ip -n "$1" -j link show dev "$2" | jq '.[0].ifindex')
	v=$(bpftool -j map dump id "$map" |
		jq --argjson k "$idx" --arg f "$3" '.[] | .formatted | select(.key == $k) | .value[$f]')
	[ "$v" = "$4" ]
}

# entry MODE ADDR: "LLADDR STATE" of the host's entry for ADDR on h0, or "none"
entry()
{
	local e
	if [ "$1" = kernel ]; then
		e=$(ip -n "$HOST" -j neigh show "$2" dev h0 | jq -c '.[0] // empty')
	else
		e=$(xn_cli_neigh "$HOST" "$2" h0)
	fi
	if [ -z "$e" ]; then
		echo none
	else
		jq -r '"\(.lladdr // "-") \(.state | join(","))"' <<<"$e"
	fi
}

flush()
{
	if [ "$1" = kernel ]; then
		ip -n "$HOST" neigh flush dev h0
	else
		xn_cli "$HOST" flush dev h0
	fi
}

# set_conf MODE NAME VALUE: net.ipv4.conf.h0.NAME=VALUE; in the xneigh run
# wait until xneighd has written it into xn_ifconf
set_conf()
{
	ip netns exec "$HOST" sysctl -qw "net.ipv4.conf.h0.$2=$3"
	[ "$1" = xneigh ] || return 0
	xn_wait_for $WAIT ifconf_is "$HOST" h0 "$2" "$3" ||
		xn_fail "xneighd did not write $2=$3 for h0 into xn_ifconf within ${WAIT}s"
	xn_wait_for $WAIT xn_snap_current "$HOST" ||
		xn_fail "xneighd did not publish the snapshot of xn_ifconf within ${WAIT}s"
}

checks()
{
	local mode=$1 c accept dga addr how want got cur=0 cur_dga=0 out
	for c in "${CASES[@]}"; do
		read -r accept dga addr how want <<<"$c"
		[ "$accept" = "$cur" ] || set_conf $mode arp_accept "$accept"
		[ "$dga" = "$cur_dga" ] || set_conf $mode drop_gratuitous_arp "$dga"
		cur=$accept cur_dga=$dga
		flush $mode
		out=$(ip netns exec "$PEER" arping "$how" -c 1 -I p0 "$addr" 2>&1) ||
			xn_fail "$mode: arping $how -I p0 $addr failed: $out"
		[ "$want" = none ] || want="$MAC_P0 $want"
		got=$(entry $mode "$addr")
		[ "$got" = "$want" ] ||
			xn_fail "$mode: arp_accept=$accept drop_gratuitous_arp=$dga, arping $how $addr: the host's entry is '$got', expected '$want'"
		xn_ok "$mode: arp_accept=$accept drop_gratuitous_arp=$dga, arping $how $addr: entry $got"
	done
	ip netns exec "$HOST" sysctl -qw net.ipv4.conf.h0.arp_accept=0 net.ipv4.conf.h0.drop_gratuitous_arp=0
}

xn_lab_begin
xn_ns_add HOST host
xn_ns_add PEER peer
xn_veth "$HOST" h0 $MAC_H0 "$PEER" p0 $MAC_P0
ip -n "$HOST" addr add $IP_H0/24 dev h0
ip -n "$PEER" addr add $SAME/24 dev p0
ip -n "$PEER" addr add $OTHER/24 dev p0
xn_xdp_pass "$PEER" p0 || xn_skip "native XDP on veth not available (attaching xdp_pass failed)"
xn_wait_for $WAIT xn_arping_from_mac "$PEER" p0 $IP_H0 $MAC_H0 ||
	xn_fail "lab: the host kernel does not answer $IP_H0: $XN_ARPING_OUT"

# ---- the kernel alone: the oracle ----
checks kernel

# ---- xneigh alone ----
ip -n "$HOST" neigh flush all
ip -n "$PEER" neigh flush all
xn_nft_drop_arp_requests "$HOST" || xn_skip "nftables cannot load an arp family table here"
xn_daemon_start XND "$HOST" xneighd "$XN_XNEIGHD" -i h0 -v
answered_by_xneigh()
{
	xn_daemon_alive "$XND" || xn_fail "xneighd exited early"
	xn_arping_from_mac "$PEER" p0 $IP_H0 $MAC_H0
}
xn_wait_for $WAIT answered_by_xneigh || xn_fail "xneighd does not answer $IP_H0 within ${WAIT}s: $XN_ARPING_OUT"

learned0=$(xn_cli_stat "$HOST" learned)
garp0=$(xn_cli_stat "$HOST" gratuitous_seen)
drop0=$(xn_cli_stat "$HOST" gratuitous_dropped)
checks xneigh
learned1=$(xn_cli_stat "$HOST" learned)
garp1=$(xn_cli_stat "$HOST" gratuitous_seen)
drop1=$(xn_cli_stat "$HOST" gratuitous_dropped)
[ "$learned1" -eq $((learned0 + 6)) ] || xn_fail "learned $learned0 -> $learned1: expected 6 more (the STALE cases)"
[ "$garp1" -ge $((garp0 + ${#CASES[@]})) ] ||
	xn_fail "gratuitous_seen $garp0 -> $garp1: expected at least ${#CASES[@]} more"
[ "$drop1" -eq $((drop0 + 2)) ] || xn_fail "gratuitous_dropped $drop0 -> $drop1: expected 2 more"
xn_ok "xneigh counted it: learned +6, gratuitous_seen +$((garp1 - garp0)), gratuitous_dropped +2"
xn_daemon_alive "$XND" || xn_fail "xneighd exited"
