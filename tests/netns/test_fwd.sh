#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# xneigh-fwd: an XDP router on xneigh's tables (include/xneigh/resolve.h).
# The first packet to an unresolved next hop is held by xneighd and sent
# once the next hop resolves (the kernel's arp_queue, spec NUD-3); the rest
# is forwarded in XDP, never by the kernel.
#
#  xn-cli-PID                 xn-rtr-PID                               xn-srv-PID
# +--------------------+     +--------------------------------------+     +--------------------+
# | c0 02:00:00:06:00:02|    | r0 02:00:00:06:00:01                 |     | s1 02:00:00:06:01:02|
# |  10.6.0.2/24        |----|  10.6.0.1/24  2001:db8:6::1/64       |     |  10.6.1.2/24        |
# |  2001:db8:6::2/64   |    | r1 02:00:00:06:01:01                 |-----|  2001:db8:61::2/64  |
# |  default via r0     |    |  10.6.1.1/24  2001:db8:61::1/64      |     |  default via r1     |
# |  xdp: xdp_pass      |    | forwarding on (IPv4, IPv6)           |     |  xdp: xdp_pass      |
# +--------------------+     | xneighd -i r0 -i r1 --mode tc         |     +--------------------+
#                            | xneigh-fwd -i r0 -i r1 (XDP, native)  |
#                            +--------------------------------------+
# (veth: a frame redirected into r0/r1 reaches c0/s1 only if they run XDP,
# environment.md trap 1. And veth passes the sender's skb to the router's XDP
# with its UDP/TCP checksum still partial (CHECKSUM_PARTIAL, TX offload); a
# frame from a wire is complete. c0 and s1 compute their checksums in
# software, ethtool -K tx off, as a NIC would have put them on the wire.)
#
# Checks, with every neighbour table of the router empty (xneigh's and the
# kernel's) before each:
#  1. one ping from the client to the server succeeds: the echo request,
#     held while the router resolves 10.6.1.2, and the echo reply, held
#     while it resolves 10.6.0.2, are sent by xneighd; xneigh then shows
#     both REACHABLE with their MACs; counters tx_held 2, hold_sent 2
#     (arp_cache); the kernel forwarded nothing (Ip ForwDatagrams);
#  2. the same for IPv6 (ndisc_cache counters, Ip6OutForwDatagrams);
#  3. one UDP datagram (not answered) reaches the server: a lone first
#     packet is not lost;
#  4. 20 more pings and 5 over IPv6: all answered, none forwarded by the
#     kernel;
#  5. a next hop that never answers (route 10.6.9.0/24 via 10.6.1.99), with
#     net.ipv4.neigh.r1.unres_qlen=1 (a budget of SKB_TRUESIZE(1514) = 2090
#     bytes, three 98-byte echo requests at 674 bytes each): five pings in
#     a row are held, the two oldest dropped to make room (unres_discards
#     +2), and the three left discarded when the entry fails after its three
#     probes (hold_failed +3, hold_sent +0); each of the three is reported to
#     the client as the kernel does (neigh_invalidate() -> icmp_send()):
#     ping prints "From 10.6.0.1 icmp_seq=N Destination Host Unreachable"
#     for N = 3, 4, 5 and nothing else (hold_unreachable +3);
#  6. the same for IPv6 (2001:db8:69::/64 via 2001:db8:61::99, three
#     pings): "From 2001:db8:6::1 icmp_seq=N Destination unreachable:
#     Address unreachable" for N = 1, 2, 3 (ndisc_cache hold_failed and
#     hold_unreachable +3);
#  7. the rate limit (inet_peer_xrlim_allow(), a burst of 6 per destination,
#     back in full 6 s after check 5's three): ten pings to 10.6.9.2 with
#     unres_qlen 101 again, all ten held and discarded at FAILED, the six
#     oldest reported: icmp_seq 1 to 6 (the kernel itself, forwarding the
#     same pings, reports the same six);
#  8. xneigh-fwd's own counters at exit: held 26 = 2 + 2 (checks 1, 2) + 1
#     (check 3) + 1 + 2 (check 4: the first IPv4 echo reply, whose next hop
#     check 3 flushed, and the first IPv6 request and reply) + 5 + 3 + 10
#     (checks 5 to 7); forwarded4 39 and forwarded6 8 (the rest of check 4),
#     nothing else.
# Printed, not asserted: how long the held packets waited (xneighd's log)
# next to the ARP and NS round trip to the server (arping, ndisc6).

. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
xn_strict

XN_FWD=$XN_BUILD/xneigh-fwd
MAC_C0=02:00:00:06:00:02 MAC_R0=02:00:00:06:00:01 MAC_R1=02:00:00:06:01:01 MAC_S1=02:00:00:06:01:02
IP_C0=10.6.0.2 IP_R0=10.6.0.1 IP_R1=10.6.1.1 IP_S1=10.6.1.2
IP6_C0=2001:db8:6::2 IP6_R0=2001:db8:6::1 IP6_R1=2001:db8:61::1 IP6_S1=2001:db8:61::2
WAIT=10

xn_require_root
xn_require_tools ip ping jq awk arping ethtool
xn_require_build "$XN_XNEIGHD" "$XN_XNEIGH" "$XN_FWD" "$XN_XDP_PASS"
[ -x /usr/bin/python3 ] || xn_skip "/usr/bin/python3 not found (the UDP check uses it)"

xn_lab_begin
xn_ns_add CLI cli
xn_ns_add RTR rtr
xn_ns_add SRV srv
xn_veth "$CLI" c0 $MAC_C0 "$RTR" r0 $MAC_R0
xn_veth "$RTR" r1 $MAC_R1 "$SRV" s1 $MAC_S1
ip -n "$CLI" addr add $IP_C0/24 dev c0
ip -n "$CLI" addr add $IP6_C0/64 dev c0 nodad
ip -n "$RTR" addr add $IP_R0/24 dev r0
ip -n "$RTR" addr add $IP6_R0/64 dev r0 nodad
ip -n "$RTR" addr add $IP_R1/24 dev r1
ip -n "$RTR" addr add $IP6_R1/64 dev r1 nodad
ip -n "$SRV" addr add $IP_S1/24 dev s1
ip -n "$SRV" addr add $IP6_S1/64 dev s1 nodad
ip -n "$CLI" route add default via $IP_R0
ip -n "$CLI" -6 route add default via $IP6_R0
ip -n "$SRV" route add default via $IP_R1
ip -n "$SRV" -6 route add default via $IP6_R1
ip netns exec "$RTR" sysctl -qw net.ipv4.conf.all.forwarding=1 net.ipv6.conf.all.forwarding=1
ip netns exec "$CLI" ethtool -K c0 tx off >/dev/null
ip netns exec "$SRV" ethtool -K s1 tx off >/dev/null
xn_xdp_pass "$CLI" c0 || xn_skip "native XDP on veth not available (attaching xdp_pass failed)"
xn_xdp_pass "$SRV" s1

no_tentative() { ! ip -n "$1" -6 addr show | grep -q tentative; }
for ns in "$CLI" "$RTR" "$SRV"; do
	xn_wait_for $WAIT no_tentative "$ns" || xn_fail "$ns: an IPv6 address stays tentative"
done

xn_daemon_start XND "$RTR" xneighd "$XN_XNEIGHD" -i r0 -i r1 --mode tc -vv
XND_LOG=$(xn_daemon_log "$XND")
xnd_ready()
{
	xn_daemon_alive "$XND" || xn_fail "xneighd exited early: $(tail -n 5 "$XND_LOG")"
	grep -q "running; SIGINT" "$XND_LOG"
}
xn_wait_for $WAIT xnd_ready || xn_fail "xneighd not running within ${WAIT}s"

xn_daemon_start FWD "$RTR" xneigh-fwd "$XN_FWD" -i r0 -i r1 -v
FWD_LOG=$(xn_daemon_log "$FWD")
fwd_ready()
{
	xn_daemon_alive "$FWD" || xn_fail "xneigh-fwd exited early: $(cat "$FWD_LOG")"
	grep -q "forwarding; policy" "$FWD_LOG"
}
xn_wait_for $WAIT fwd_ready || xn_fail "xneigh-fwd not forwarding within ${WAIT}s: $(cat "$FWD_LOG")"
[ "$(xn_xdp_prog_id "$RTR" r0)" != "" ] || xn_fail "no XDP program on r0"

# snmp NS FILE FIELD: a counter of /proc/net/snmp ("Ip: ... ForwDatagrams")
# or /proc/net/snmp6 in NS.
snmp4()
{
	ip netns exec "$1" awk -v f="$2" '
		$1 == "Ip:" && !h { for (i = 2; i <= NF; i++) if ($i == f) c = i; h = 1; next }
		$1 == "Ip:" && h { print $c; exit }' /proc/net/snmp
}
snmp6() { ip netns exec "$1" awk -v f="$2" '$1 == f { print $2 }' /proc/net/snmp6; }

# Empty every neighbour table of the router (xneigh's, then the kernel's,
# which the kernel table mirror may have filled).
flush_router()
{
	xn_cli "$RTR" flush all >/dev/null
	ip -n "$RTR" neigh flush all
	ip -n "$RTR" -6 neigh flush all
	[ -z "$(xn_cli "$RTR" show -j | jq -r '.[].dst')" ] ||
		xn_fail "router's xneigh table not empty after flush: $(xn_cli "$RTR" show)"
}

xn_state() { xn_cli_neigh "$RTR" "$1" "$2" | jq -r '.state | join(" ")'; }
xn_lladdr() { xn_cli_neigh "$RTR" "$1" "$2" | jq -r '.lladdr'; }
nd_stat() { xn_cli "$RTR" stats -j | jq -e --arg f "$1" '.ndisc_cache[$f] | numbers'; }

# held_us ADDR: the latest "first after N us" xneighd logged for ADDR.
held_us()
{
	grep "hold queue: $1 dev r1 resolved" "$XND_LOG" | tail -n 1 | sed -n 's/.*first after \([0-9]*\) us.*/\1/p'
}

# ---- 1. IPv4: one ping through an unresolved next hop ------------------------------

# the client and server learn the router first (their own resolution is
# not what is tested), then the router forgets everything
ip netns exec "$CLI" ping -c1 -W2 $IP_R0 >/dev/null || xn_fail "client cannot reach the router"
ip netns exec "$SRV" ping -c1 -W2 $IP_R1 >/dev/null || xn_fail "server cannot reach the router"
ip netns exec "$CLI" ping -6 -c1 -W2 $IP6_R0 >/dev/null || xn_fail "client cannot reach the router (IPv6)"
ip netns exec "$SRV" ping -6 -c1 -W2 $IP6_R1 >/dev/null || xn_fail "server cannot reach the router (IPv6)"
flush_router

fwd4_0=$(snmp4 "$RTR" ForwDatagrams)
held0=$(xn_cli_stat "$RTR" tx_held)
sent0=$(xn_cli_stat "$RTR" hold_sent)
ip netns exec "$CLI" ping -c1 -W3 $IP_S1 >"$XN_TMP/ping1" 2>&1 ||
	xn_fail "the first ping through the router was lost: $(cat "$XN_TMP/ping1")"
for e in "$IP_S1 r1 $MAC_S1" "$IP_C0 r0 $MAC_C0"; do
	set -- $e
	st=$(xn_state $1 $2)
	[ "$st" = REACHABLE ] || xn_fail "router: $1 is '$st', expected REACHABLE"
	[ "$(xn_lladdr $1 $2)" = $3 ] || xn_fail "router: $1 lladdr $(xn_lladdr $1 $2), expected $3"
done
[ $(($(xn_cli_stat "$RTR" tx_held) - held0)) = 2 ] ||
	xn_fail "tx_held went from $held0 to $(xn_cli_stat "$RTR" tx_held), expected +2"
[ $(($(xn_cli_stat "$RTR" hold_sent) - sent0)) = 2 ] ||
	xn_fail "hold_sent went from $sent0 to $(xn_cli_stat "$RTR" hold_sent), expected +2"
[ "$(snmp4 "$RTR" ForwDatagrams)" = "$fwd4_0" ] ||
	xn_fail "the kernel forwarded $(($(snmp4 "$RTR" ForwDatagrams) - fwd4_0)) IPv4 packets"
us4=$(held_us $IP_S1)
[ -n "$us4" ] || xn_fail "xneighd did not log the held frame's release"
xn_ok "IPv4: first ping answered; echo request and reply held, then sent by xneighd (request ${us4} us)"

# ---- 2. IPv6 -------------------------------------------------------------------------------

flush_router
fwd6_0=$(snmp6 "$RTR" Ip6OutForwDatagrams)
held0=$(nd_stat tx_held)
sent0=$(nd_stat hold_sent)
ip netns exec "$CLI" ping -6 -c1 -W3 $IP6_S1 >"$XN_TMP/ping2" 2>&1 ||
	xn_fail "the first IPv6 ping through the router was lost: $(cat "$XN_TMP/ping2")"
for e in "$IP6_S1 r1 $MAC_S1" "$IP6_C0 r0 $MAC_C0"; do
	set -- $e
	st=$(xn_state $1 $2)
	[ "$st" = REACHABLE ] || xn_fail "router: $1 is '$st', expected REACHABLE"
	[ "$(xn_lladdr $1 $2)" = $3 ] || xn_fail "router: $1 lladdr $(xn_lladdr $1 $2), expected $3"
done
[ $(($(nd_stat tx_held) - held0)) = 2 ] || xn_fail "ndisc_cache tx_held: $held0 -> $(nd_stat tx_held)"
[ $(($(nd_stat hold_sent) - sent0)) = 2 ] || xn_fail "ndisc_cache hold_sent: $sent0 -> $(nd_stat hold_sent)"
[ "$(snmp6 "$RTR" Ip6OutForwDatagrams)" = "$fwd6_0" ] ||
	xn_fail "the kernel forwarded $(($(snmp6 "$RTR" Ip6OutForwDatagrams) - fwd6_0)) IPv6 packets"
us6=$(held_us $IP6_S1)
[ -n "$us6" ] || xn_fail "xneighd did not log the held IPv6 frame's release"
xn_ok "IPv6: first ping answered; echo request and reply held, then sent by xneighd (request ${us6} us)"

# ---- 3. one UDP datagram, nothing comes back ---------------------------------------------

flush_router
ip netns exec "$SRV" /usr/bin/python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("0.0.0.0", 5006))
s.settimeout(5)
print("listening", flush=True)
try:
    d, a = s.recvfrom(100)
    print("got", d.decode(), a[0], flush=True)
except socket.timeout:
    print("nothing", flush=True)
' >"$XN_TMP/udp" 2>&1 &
UDP=$!
xn_wait_for 5 grep -q listening "$XN_TMP/udp" || xn_fail "UDP receiver did not start"
ip netns exec "$CLI" /usr/bin/python3 -c '
import socket
socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"first", ("'$IP_S1'", 5006))'
wait $UDP || true
grep -q "^got first $IP_C0\$" "$XN_TMP/udp" || xn_fail "the lone UDP datagram was lost: $(cat "$XN_TMP/udp")"
xn_ok "a lone UDP datagram to an unresolved next hop arrives"

# ---- 4. steady state: forwarded in XDP ----------------------------------------------------

fwd4_0=$(snmp4 "$RTR" ForwDatagrams)
fwd6_0=$(snmp6 "$RTR" Ip6OutForwDatagrams)
out=$(ip netns exec "$CLI" ping -c20 -i0.05 -W2 $IP_S1 2>&1) || xn_fail "ping -c20: $out"
grep -q " 0% packet loss" <<<"$out" || xn_fail "ping -c20 lost packets: $out"
out=$(ip netns exec "$CLI" ping -6 -c5 -i0.05 -W2 $IP6_S1 2>&1) || xn_fail "ping -6 -c5: $out"
grep -q " 0% packet loss" <<<"$out" || xn_fail "ping -6 -c5 lost packets: $out"
[ "$(snmp4 "$RTR" ForwDatagrams)" = "$fwd4_0" ] ||
	xn_fail "the kernel forwarded $(($(snmp4 "$RTR" ForwDatagrams) - fwd4_0)) of them"
[ "$(snmp6 "$RTR" Ip6OutForwDatagrams)" = "$fwd6_0" ] ||
	xn_fail "the kernel forwarded $(($(snmp6 "$RTR" Ip6OutForwDatagrams) - fwd6_0)) IPv6 packets"
xn_ok "20 pings and 5 over IPv6, none forwarded by the kernel"

# ---- timing, printed ------------------------------------------------------------------------

rtt4=$(ip netns exec "$RTR" arping -c 3 -w 3 -I r1 $IP_S1 2>/dev/null |
	sed -n 's/.* \([0-9.]*\)ms$/\1/p' | sort -n | head -n 1)
xn_info "resolution latency: IPv4 ${us4} us held (ARP round trip from the router" \
	"${rtt4:-?} ms), IPv6 ${us6} us held"

# ---- 5. a next hop that never answers ----------------------------------------------------

ip -n "$RTR" route add 10.6.9.0/24 via 10.6.1.99
ip netns exec "$RTR" sysctl -qw net.ipv4.neigh.r1.unres_qlen=1
sleep 1.2	# xneighd reads the sysctls every 0.5 s
held0=$(xn_cli_stat "$RTR" tx_held)
disc0=$(xn_cli_stat "$RTR" unresolved_discards)
fail0=$(xn_cli_stat "$RTR" hold_failed)
sent0=$(xn_cli_stat "$RTR" hold_sent)
unr0=$(xn_cli_stat "$RTR" hold_unreachable)
# -W 8: ping waits for the errors, which come when the entry fails (3 s)
! ip netns exec "$CLI" ping -c5 -i0.01 -W8 10.6.9.1 >"$XN_TMP/ping5" 2>&1 ||
	xn_fail "a ping through a next hop that does not exist was answered"
failed_now() { [ "$(xn_state 10.6.1.99 r1)" = FAILED ]; }
xn_wait_for $WAIT failed_now || xn_fail "10.6.1.99 is '$(xn_state 10.6.1.99 r1)', expected FAILED"
d_held=$(($(xn_cli_stat "$RTR" tx_held) - held0))
d_disc=$(($(xn_cli_stat "$RTR" unresolved_discards) - disc0))
d_fail=$(($(xn_cli_stat "$RTR" hold_failed) - fail0))
d_sent=$(($(xn_cli_stat "$RTR" hold_sent) - sent0))
d_unr=$(($(xn_cli_stat "$RTR" hold_unreachable) - unr0))
[ "$d_held $d_disc $d_fail $d_sent $d_unr" = "5 2 3 0 3" ] ||
	xn_fail "held/unres_discards/hold_failed/hold_sent/hold_unreachable grew by" \
		"$d_held/$d_disc/$d_fail/$d_sent/$d_unr, expected 5/2/3/0/3"
# unreachable FILE FROM TEXT: the icmp_seq of each "From FROM icmp_seq=N TEXT"
# line of ping's output, in order; any other "From" line as it is, in [].
unreachable()
{
	local line
	while IFS= read -r line; do
		case $line in
		"From $2 icmp_seq="*" $3")
			line=${line#"From $2 icmp_seq="}
			printf '%s ' "${line%" $3"}" ;;
		From*)	printf '[%s] ' "$line" ;;
		esac
	done <"$1"
}
got=$(unreachable "$XN_TMP/ping5" $IP_R0 "Destination Host Unreachable")
[ "$got" = "3 4 5 " ] ||
	xn_fail "ping's errors: '$got', expected icmp_seq 3 4 5 Destination Host Unreachable" \
		"from $IP_R0: $(cat "$XN_TMP/ping5")"
xn_ok "unanswered next hop, unres_qlen 1: 5 held, the 2 oldest dropped, 3 discarded at" \
	"FAILED and reported: Destination Host Unreachable for icmp_seq 3 4 5"

# ---- 6. the same for IPv6 ------------------------------------------------------------------

ip -n "$RTR" -6 route add 2001:db8:69::/64 via 2001:db8:61::99
fail0=$(nd_stat hold_failed)
unr0=$(nd_stat hold_unreachable)
! ip netns exec "$CLI" ping -6 -c3 -i0.01 -W8 2001:db8:69::1 >"$XN_TMP/ping6" 2>&1 ||
	xn_fail "an IPv6 ping through a next hop that does not exist was answered"
d_fail=$(($(nd_stat hold_failed) - fail0))
d_unr=$(($(nd_stat hold_unreachable) - unr0))
[ "$d_fail $d_unr" = "3 3" ] ||
	xn_fail "ndisc_cache hold_failed/hold_unreachable grew by $d_fail/$d_unr, expected 3/3"
got=$(unreachable "$XN_TMP/ping6" $IP6_R0 "Destination unreachable: Address unreachable")
[ "$got" = "1 2 3 " ] ||
	xn_fail "ping -6's errors: '$got', expected icmp_seq 1 2 3 Address unreachable" \
		"from $IP6_R0: $(cat "$XN_TMP/ping6")"
xn_ok "IPv6: 3 held, discarded at FAILED and reported: Address unreachable for icmp_seq 1 2 3"

# ---- 7. the rate limit ---------------------------------------------------------------------

ip netns exec "$RTR" sysctl -qw net.ipv4.neigh.r1.unres_qlen=101
sleep 1.2	# xneighd reads the sysctls every 0.5 s
fail0=$(xn_cli_stat "$RTR" hold_failed)
unr0=$(xn_cli_stat "$RTR" hold_unreachable)
! ip netns exec "$CLI" ping -c10 -i0.01 -W8 10.6.9.2 >"$XN_TMP/ping7" 2>&1 ||
	xn_fail "a ping through a next hop that does not exist was answered"
d_fail=$(($(xn_cli_stat "$RTR" hold_failed) - fail0))
d_unr=$(($(xn_cli_stat "$RTR" hold_unreachable) - unr0))
[ "$d_fail $d_unr" = "10 6" ] ||
	xn_fail "hold_failed/hold_unreachable grew by $d_fail/$d_unr, expected 10/6"
got=$(unreachable "$XN_TMP/ping7" $IP_R0 "Destination Host Unreachable")
[ "$got" = "1 2 3 4 5 6 " ] ||
	xn_fail "ping's errors: '$got', expected icmp_seq 1 to 6: $(cat "$XN_TMP/ping7")"
xn_ok "10 held and discarded, the 6 oldest reported (a burst of 6 per destination)"

# ---- 8. xneigh-fwd's counters --------------------------------------------------------------

xn_daemon_stop "$FWD" || xn_fail "xneigh-fwd did not stop on SIGTERM"
[ "$XN_STOP_RC" = 0 ] || xn_fail "xneigh-fwd exited $XN_STOP_RC: $(cat "$FWD_LOG")"
[ -z "$(xn_xdp_prog_id "$RTR" r0)" ] || xn_fail "xneigh-fwd left its program on r0"
line=$(grep '^forwarded4 ' "$FWD_LOG") || xn_fail "no counters in xneigh-fwd's output: $(cat "$FWD_LOG")"
get() { awk -v k="$1" '{ for (i = 1; i < NF; i++) if ($i == k) print $(i + 1) }' <<<"$line"; }
[ "$(get held)" = 26 ] || xn_fail "xneigh-fwd counted held $(get held), expected 26: $line"
[ "$(get unres_dropped)" = 0 ] && [ "$(get unres_passed)" = 0 ] && [ "$(get redirect_failed)" = 0 ] ||
	xn_fail "xneigh-fwd counters: $line"
[ "$(get forwarded4)" = 39 ] || xn_fail "forwarded4 $(get forwarded4), expected 39: $line"
[ "$(get forwarded6)" = 8 ] || xn_fail "forwarded6 $(get forwarded6), expected 8: $line"
xn_ok "xneigh-fwd: $line"
