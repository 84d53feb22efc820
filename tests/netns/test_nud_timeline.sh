#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# xneighd's NUD timers on the wire, next to the kernel's own: the probe
# sequence of an unresolved address, resolution of a live one, and an entry
# used while STALE going DELAY -> PROBE -> REACHABLE (spec NUD-3..5, ARPTX-3,
# ND-TX4).
#
#  xn-peer-PID                          xn-host-PID
# +---------------------------+        +------------------------------------------+
# | p0  02:00:00:00:02:02     |        | h0  02:00:00:00:02:01                    |
# |     10.2.0.2/24           |--veth--|     10.2.0.1/24                          |
# |     2001:db8:2::2/64      |        |     2001:db8:2::1/64                     |
# |  xdp: xdp_pass            |        | xneighd -i h0 (XDP)                      |
# |  tcpdump -e on p0         |        | kernel: 10.2.0.2 PERMANENT (never ARPs)  |
# +---------------------------+        +------------------------------------------+
#
#  xn-tpeer-PID (same as peer)          xn-thost-PID: the kernel alone, as the
#  tcpdump -e on p0               twin  reference (same addresses, same sysctls)
#
# Host sysctls (both hosts): net.ipv4.neigh.h0.base_reachable_time_ms=4000
# (reachable_time in [2, 6) s) and delay_first_probe_time=1, so an entry
# falls STALE and is probed within seconds. retrans_time, mcast_solicit and
# ucast_solicit keep their defaults (1 s, 3, 3).
#
# Checks:
#  1. `xneighd --resolve 10.2.0.99 --dev h0 --wait` prints FAILED after about
#     3 s; the peer saw exactly 3 broadcast ARP requests for 10.2.0.99 from
#     10.2.0.1, about 1 s apart; `xneigh show` lists it FAILED; the twin
#     kernel (ping 10.2.0.99) sent the same: 3 broadcasts, ~1 s apart, FAILED;
#  2. the same for IPv6: 3 NS to ff02::1:ff00:99 (33:33:ff:00:00:99), ~1 s
#     apart, from h0's link-local address, then FAILED;
#  3. a live peer: --resolve 10.2.0.2 and 2001:db8:2::2 end REACHABLE with
#     the peer's MAC (exit 0);
#  4. 10.2.0.2 falls STALE by itself; one ping from the host (whose kernel
#     uses its PERMANENT entry, so xn_tc_out sees the frame) makes it DELAY;
#     about 1 s later exactly one unicast ARP request goes to the peer's MAC
#     and the answer makes the entry REACHABLE; the twin kernel, driven the
#     same way, sends the same unicast probe ~1 s after the echo;
#  5. app_solicit=1: the probe sequence starts with an RTM_GETNEIGH to
#     RTNLGRP_NEIGH (`ip monitor neigh` prints "miss"), then 3 broadcasts,
#     FAILED about 4 s after the start.
# Timing tolerances are generous (scheduling noise, no performance claims).

. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
xn_strict

MAC_H0=02:00:00:00:02:01 MAC_P0=02:00:00:00:02:02
IP_H0=10.2.0.1 IP_P0=10.2.0.2 IP_NONE=10.2.0.99 IP_APP=10.2.0.98
IP6_H0=2001:db8:2::1 IP6_P0=2001:db8:2::2 IP6_NONE=2001:db8:2::99
WAIT=10

xn_require_root
xn_require_tools ip tcpdump ping awk jq sysctl
xn_require_build "$XN_XNEIGHD" "$XN_XNEIGH" "$XN_XDP_PASS"

xn_lab_begin

# lab NAME_HOST NAME_PEER: host and peer namespaces joined by h0 <-> p0.
lab()
{
	local host=$1 peer=$2
	xn_veth "$host" h0 $MAC_H0 "$peer" p0 $MAC_P0
	ip -n "$host" addr add $IP_H0/24 dev h0
	ip -n "$peer" addr add $IP_P0/24 dev p0
	ip -n "$host" addr add $IP6_H0/64 dev h0 nodad
	ip -n "$peer" addr add $IP6_P0/64 dev p0 nodad
	ip netns exec "$host" sysctl -qw net.ipv4.neigh.h0.base_reachable_time_ms=4000 \
		net.ipv4.neigh.h0.delay_first_probe_time=1
}

no_tentative() { ! ip -n "$1" -6 addr show dev "$2" | grep -q tentative; }

xn_ns_add HOST host
xn_ns_add PEER peer
xn_ns_add THOST thost
xn_ns_add TPEER tpeer
lab "$HOST" "$PEER"
lab "$THOST" "$TPEER"
xn_xdp_pass "$PEER" p0 || xn_skip "native XDP on veth not available (attaching xdp_pass failed)"
xn_wait_for $WAIT no_tentative "$HOST" h0 || xn_fail "h0's link-local address stays tentative"
xn_wait_for $WAIT no_tentative "$THOST" h0 || xn_fail "twin h0's link-local address stays tentative"
LL_H0=$(ip -n "$HOST" -6 -j addr show dev h0 |
	jq -r '[.[].addr_info[] | select(.scope == "link") | .local][0]')

# ---- capture helpers --------------------------------------------------------

CAP_PID=
# cap_start NS FILE FILTER...: tcpdump on p0 of NS into FILE (one line per
# frame, -tt time stamps, -e link-level header), ready when this returns.
cap_start()
{
	local ns=$1 file=$2
	shift 2
	ip netns exec "$ns" tcpdump -i p0 -l -nn -e -tt "$@" >"$file" 2>"$file.err" &
	CAP_PID=$!
	xn_wait_for 5 grep -q "listening on" "$file.err" || xn_fail "tcpdump did not start: $(cat "$file.err")"
}

cap_stop()
{
	sleep 0.3	# the last frame's line
	kill -INT "$CAP_PID" 2>/dev/null || true
	wait "$CAP_PID" 2>/dev/null || true
}

# arp_requests FILE TARGET: "time dst-mac" of every ARP request for TARGET
# sent by 10.2.0.1.
arp_requests()
{
	awk -v t="$2" -v s="$IP_H0" '/Request who-has/ && $0 ~ ("who-has " t " ") && $0 ~ ("tell " s ",") {
		d = $4; sub(/,$/, "", d); print $1, d }' "$1"
}

# ns_requests FILE TARGET: "time dst-mac ipv6-src ipv6-dst" of every NS for TARGET.
ns_requests()
{
	awk -v t="$2" '/neighbor solicitation/ && $0 ~ ("who has " t "(,|$)") {
		d = $4; sub(/,$/, "", d)
		for (i = 1; i <= NF; i++) if ($i == ">" && i > 4) { src = $(i - 1); dst = $(i + 1) }
		sub(/:$/, "", dst); print $1, d, src, dst }' "$1"
}

# gaps "T1 T2 ...": the differences between successive times, in ms.
gaps()
{
	awk '{ if (NR > 1) printf "%s%d", (NR > 2 ? " " : ""), ($1 - p) * 1000; p = $1 } END { print "" }'
}

# in_range LO HI VALUES...: every value within [LO, HI].
in_range()
{
	local lo=$1 hi=$2 v
	shift 2
	for v in "$@"; do
		[ "$v" -ge "$lo" ] && [ "$v" -le "$hi" ] || return 1
	done
}

resolve() { ip netns exec "$HOST" "$XN_XNEIGHD" --resolve "$@"; }

xn_state() { xn_cli_neigh "$HOST" "$1" h0 | jq -r '.state | join(" ")'; }
state_is() { [ "$(xn_state "$1")" = "$2" ]; }

# ---- 1. an unresolved IPv4 address --------------------------------------------------

# --no-kernel-sync: the admin's PERMANENT entry for the peer would be imported
# into xneigh as PERMANENT, and the peer's timeline checked here would not run
xn_daemon_start XND "$HOST" xneighd "$XN_XNEIGHD" -i h0 -vv --no-kernel-sync
ip -n "$HOST" neigh replace $IP_P0 lladdr $MAC_P0 dev h0 nud permanent
# up = it answers on its control socket (lo is not one of its interfaces)
ready()
{
	xn_daemon_alive "$XND" || xn_fail "xneighd exited early"
	local out
	out=$(resolve $IP_NONE --dev lo 2>&1 || true)
	grep -q "does not run on dev lo" <<<"$out"
}
xn_wait_for $WAIT ready || xn_fail "xneighd does not accept --resolve within ${WAIT}s"

cap_start "$PEER" "$XN_TMP/c1" arp
cap_start "$TPEER" "$XN_TMP/t1" arp
CAP_XN=$CAP_PID
ip netns exec "$THOST" ping -c1 -W5 $IP_NONE >/dev/null 2>&1 &
TPING=$!
t0=$(date +%s%N)
out=$(resolve $IP_NONE --dev h0 --wait 2>&1) && rc=0 || rc=$?
t1=$(date +%s%N)
wait $TPING || true
took=$(((t1 - t0) / 1000000))
cap_stop
CAP_PID=$CAP_XN
cap_stop

[ "$out" = "$IP_NONE dev h0 FAILED" ] || xn_fail "--resolve $IP_NONE --wait printed '$out', expected '$IP_NONE dev h0 FAILED'"
[ "$rc" = 1 ] || xn_fail "--resolve of an unreachable address exited $rc, expected 1"
in_range 2500 4500 "$took" || xn_fail "--resolve $IP_NONE --wait took ${took} ms, expected about 3000"

reqs=$(arp_requests "$XN_TMP/c1" $IP_NONE)
n=$(grep -c . <<<"$reqs" || true)
[ "$n" = 3 ] || xn_fail "peer saw $n ARP requests for $IP_NONE, expected 3: $reqs"
[ "$(awk '{print $2}' <<<"$reqs" | sort -u)" = ff:ff:ff:ff:ff:ff ] ||
	xn_fail "ARP requests for $IP_NONE not all broadcast: $reqs"
g=$(awk '{print $1}' <<<"$reqs" | gaps)
# shellcheck disable=SC2086
in_range 700 1500 $g || xn_fail "ARP requests for $IP_NONE spaced $g ms, expected about 1000"
state_is $IP_NONE FAILED || xn_fail "xneigh show: $IP_NONE is '$(xn_state $IP_NONE)', expected FAILED"

treqs=$(arp_requests "$XN_TMP/t1" $IP_NONE)
tn=$(grep -c . <<<"$treqs" || true)
tg=$(awk '{print $1}' <<<"$treqs" | gaps)
[ "$tn" = "$n" ] || xn_fail "twin kernel sent $tn ARP requests for $IP_NONE, xneigh $n: $treqs"
[ "$(awk '{print $2}' <<<"$treqs" | sort -u)" = ff:ff:ff:ff:ff:ff ] ||
	xn_fail "twin kernel's ARP requests are not all broadcast: $treqs"
# shellcheck disable=SC2086
in_range 700 1500 $tg || xn_fail "twin kernel's ARP requests spaced $tg ms"
tstate=$(ip -n "$THOST" -j neigh show $IP_NONE dev h0 | jq -r '.[0].state | join(" ")')
[ "$tstate" = FAILED ] || xn_fail "twin kernel's entry for $IP_NONE is '$tstate', expected FAILED"
xn_ok "unresolved $IP_NONE: 3 broadcast requests, gaps $g ms, FAILED after ${took} ms (kernel: $tn, gaps $tg ms, $tstate)"

# ---- 2. an unresolved IPv6 address ---------------------------------------------------

cap_start "$PEER" "$XN_TMP/c2" icmp6
t0=$(date +%s%N)
out=$(resolve $IP6_NONE --dev h0 --wait 2>&1) && rc=0 || rc=$?
took=$((($(date +%s%N) - t0) / 1000000))
cap_stop
[ "$out" = "$IP6_NONE dev h0 FAILED" ] && [ "$rc" = 1 ] ||
	xn_fail "--resolve $IP6_NONE --wait printed '$out' (exit $rc), expected FAILED (exit 1)"
in_range 2500 4500 "$took" || xn_fail "--resolve $IP6_NONE --wait took ${took} ms, expected about 3000"
reqs=$(ns_requests "$XN_TMP/c2" $IP6_NONE)
n=$(grep -c . <<<"$reqs" || true)
[ "$n" = 3 ] || xn_fail "peer saw $n NS for $IP6_NONE, expected 3: $reqs"
want="33:33:ff:00:00:99 $LL_H0 ff02::1:ff00:99"
[ "$(awk '{print $2, $3, $4}' <<<"$reqs" | sort -u)" = "$want" ] ||
	xn_fail "NS for $IP6_NONE: expected '$want' each time, got: $reqs"
g=$(awk '{print $1}' <<<"$reqs" | gaps)
# shellcheck disable=SC2086
in_range 700 1500 $g || xn_fail "NS for $IP6_NONE spaced $g ms, expected about 1000"
state_is $IP6_NONE FAILED || xn_fail "xneigh show: $IP6_NONE is '$(xn_state $IP6_NONE)', expected FAILED"
xn_ok "unresolved $IP6_NONE: 3 NS to the solicited-node group from $LL_H0, gaps $g ms, FAILED"

# ---- 3. live peers --------------------------------------------------------------------

cap_start "$PEER" "$XN_TMP/c3" -v icmp6
out=$(resolve $IP_P0 --dev h0 --wait) || xn_fail "--resolve $IP_P0 --wait failed: $out"
[ "$out" = "$IP_P0 dev h0 lladdr $MAC_P0 REACHABLE" ] ||
	xn_fail "--resolve $IP_P0 --wait printed '$out'"
out=$(resolve $IP6_P0 --dev h0 --wait) || xn_fail "--resolve $IP6_P0 --wait failed: $out"
[ "$out" = "$IP6_P0 dev h0 lladdr $MAC_P0 REACHABLE" ] ||
	xn_fail "--resolve $IP6_P0 --wait printed '$out'"
cap_stop
# ND-V1/V2 as the peer's tcpdump sees it: the NS carries hop limit 255 and a
# correct ICMPv6 checksum
grep -A1 "who has $IP6_P0" "$XN_TMP/c3" | grep -q "hlim 255" ||
	xn_fail "NS for $IP6_P0 without hop limit 255: $(cat "$XN_TMP/c3")"
grep -q "icmp6 sum ok.*neighbor solicitation, length 32, who has $IP6_P0" "$XN_TMP/c3" ||
	xn_fail "NS for $IP6_P0 without a valid checksum: $(cat "$XN_TMP/c3")"
xn_ok "live peer: $IP_P0 and $IP6_P0 REACHABLE with $MAC_P0 (NS: hop limit 255, checksum ok)"

# ---- 4. STALE, used: DELAY -> PROBE -> REACHABLE -------------------------------------

xn_wait_for $WAIT state_is $IP_P0 STALE ||
	xn_fail "$IP_P0 did not fall STALE within ${WAIT}s (is '$(xn_state $IP_P0)')"
cap_start "$PEER" "$XN_TMP/c4" "arp or icmp"
ip netns exec "$HOST" ping -c1 -W1 $IP_P0 >/dev/null || xn_fail "ping $IP_P0 from the host failed"
st=$(xn_state $IP_P0)
[ "$st" = DELAY ] || xn_fail "after one ping, $IP_P0 is '$st', expected DELAY"
xn_wait_for $WAIT state_is $IP_P0 REACHABLE ||
	xn_fail "$IP_P0 did not become REACHABLE again (is '$(xn_state $IP_P0)')"
cap_stop
echo_t=$(awk '/ICMP echo request/ { print $1; exit }' "$XN_TMP/c4")
reqs=$(arp_requests "$XN_TMP/c4" $IP_P0)
n=$(grep -c . <<<"$reqs" || true)
[ "$n" = 1 ] || xn_fail "expected exactly one ARP request for $IP_P0 (the unicast probe), got $n: $reqs"
[ "$(awk '{print $2}' <<<"$reqs")" = $MAC_P0 ] || xn_fail "the probe for $IP_P0 was not unicast to $MAC_P0: $reqs"
delay=$(printf '%s\n%s\n' "$echo_t" "$(awk '{print $1}' <<<"$reqs")" | gaps)
in_range 700 2000 "$delay" || xn_fail "unicast probe ${delay} ms after the echo, expected about 1000 (delay_first_probe_time)"
grep -q "$IP_P0 dev h0 lladdr $MAC_P0 PROBE (was DELAY)" "$(xn_daemon_log "$XND")" ||
	xn_fail "the daemon log shows no DELAY -> PROBE for $IP_P0"

# the twin kernel, driven the same way: learn, fall STALE, one echo
ip netns exec "$THOST" ping -c1 -W1 $IP_P0 >/dev/null || xn_fail "twin: ping $IP_P0 failed"
tstale() { [ "$(ip -n "$THOST" -j neigh show $IP_P0 dev h0 | jq -r '.[0].state | join(" ")')" = STALE ]; }
xn_wait_for $WAIT tstale || xn_fail "twin: $IP_P0 did not fall STALE"
cap_start "$TPEER" "$XN_TMP/t4" "arp or icmp"
ip netns exec "$THOST" ping -c1 -W1 $IP_P0 >/dev/null || xn_fail "twin: second ping failed"
sleep 2.5
cap_stop
techo=$(awk '/ICMP echo request/ { print $1; exit }' "$XN_TMP/t4")
treqs=$(arp_requests "$XN_TMP/t4" $IP_P0)
[ "$(grep -c . <<<"$treqs")" = 1 ] && [ "$(awk '{print $2}' <<<"$treqs")" = $MAC_P0 ] ||
	xn_fail "twin kernel: expected one unicast ARP request to $MAC_P0, got: $treqs"
tdelay=$(printf '%s\n%s\n' "$techo" "$(awk '{print $1}' <<<"$treqs")" | gaps)
xn_ok "STALE $IP_P0 used: DELAY, unicast probe to $MAC_P0 ${delay} ms after the echo, REACHABLE (kernel: ${tdelay} ms)"

# ---- 5. app_solicit -----------------------------------------------------------------------

ip netns exec "$HOST" sysctl -qw net.ipv4.neigh.h0.app_solicit=1
sleep 1.2	# the sysctl poll (500 ms) takes it in
ip netns exec "$HOST" ip monitor neigh >"$XN_TMP/mon" 2>&1 &
MON=$!
sleep 0.3
cap_start "$PEER" "$XN_TMP/c5" arp
t0=$(date +%s%N)
out=$(resolve $IP_APP --dev h0 --wait 2>&1) && rc=0 || rc=$?
took=$((($(date +%s%N) - t0) / 1000000))
cap_stop
kill "$MON" 2>/dev/null || true
wait "$MON" 2>/dev/null || true
[ "$out" = "$IP_APP dev h0 FAILED" ] || xn_fail "app_solicit=1: --resolve printed '$out'"
in_range 3500 5500 "$took" || xn_fail "app_solicit=1: FAILED after ${took} ms, expected about 4000"
grep -q "^miss $IP_APP dev h0" "$XN_TMP/mon" ||
	xn_fail "app_solicit=1: ip monitor neigh shows no 'miss' for $IP_APP: $(cat "$XN_TMP/mon")"
n=$(arp_requests "$XN_TMP/c5" $IP_APP | grep -c . || true)
[ "$n" = 3 ] || xn_fail "app_solicit=1: $n broadcast requests for $IP_APP, expected 3"
xn_ok "app_solicit=1: RTM_GETNEIGH ('miss') first, then 3 broadcasts, FAILED after ${took} ms"

xn_daemon_stop "$XND" || xn_fail "xneighd did not exit within 5 s of SIGTERM"
[ "$XN_STOP_RC" = 0 ] || xn_fail "xneighd exited with status $XN_STOP_RC on SIGTERM"
