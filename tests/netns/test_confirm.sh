#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Per-neighbour confirmation (bpf/lib/confirm.h): forward progress refreshes
# `confirmed` only on the neighbour it came from, and only from that
# entry's MAC; MSG_CONFIRM sends confirm the neighbour they go to.
#
#                           xn-sw-PID: bridge br0
#        +------------------+------------+-------------+---------------+
#        |                  |            |             |               |
#  xn-host-PID         xn-a-PID:  a0 02:00:00:07:00:0a  xn-b-PID       xn-c-PID
#  h0 02:00:00:07:00:01        a1 02:00:00:07:00:1a  b0 ..:07:00:0b  c0 ..:07:00:0c
#  10.7.0.1/24                 10.7.0.10/24 on a0 or  10.7.0.11/24   10.7.0.12/24
#  xneighd -i h0 --mode tc,    a1 (arp_ignore=1: only
#  then --mode native          the interface holding
#  base_reachable 2 s,         it answers)
#  delay_first_probe 1 s
#  (h0's bridge port ph0 runs xdp_pass: xn_xdp's XDP_TX answers on a veth
#  reach the bridge only so, environment.md trap 1)
#
# All four share one on-link route on the host (10.7.0.0/24 dev h0). A
# "changes its MAC" by moving its address from one interface to the other;
# frames to the old MAC still reach it (the weak host model), its answers
# leave with the new one, no ARP request reaches the old interface with an
# answer (arp_ignore=1), and A never asks for the host's MAC itself (a
# PERMANENT entry on a0 and a1).
#
# Checks 1 and 2 run once per mode: TCP confirmation runs at TC ingress, in
# xn_tc_in with --mode tc and in xn_tc_confirm (beside xn_xdp) with
# --mode native; check 3 (TC egress, the same in every mode) runs once.
#  0. xneighd's TC ingress filter is the mode's program (xn_tc_in, or
#     xn_tc_confirm) and xn_tc_out is at egress.
#  1. The 2017 case. The host streams TCP data to B (B's ACKs acknowledge
#     new data) and sends UDP to A, which then moves to a1: B's progress
#     must not keep A's stale MAC alive. Within 15 s A's entry holds a1's
#     MAC; meanwhile B's entry is REACHABLE at every look (only its own
#     ACKs confirm it), confirm_tcp grows.
#  2. A different MAC never keeps a wrong entry REACHABLE. The host streams
#     TCP data to A; A moves back to a0. The host's data still reaches A at
#     a1's MAC, A's ACKs now come from a0's: they are refused
#     (confirm_mismatch grows), the entry ages, fails, and within 15 s
#     holds a0's MAC.
#  3. MSG_CONFIRM. UDP to C without it: C's entry leaves REACHABLE within
#     15 s (nothing confirms it); with MSG_CONFIRM every 100 ms, once C is
#     REACHABLE again, it stays REACHABLE at every look for 8 s (four
#     reachable times) and confirm_sent grows.

. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
xn_strict

MAC_H0=02:00:00:07:00:01 MAC_A0=02:00:00:07:00:0a MAC_A1=02:00:00:07:00:1a
MAC_B0=02:00:00:07:00:0b MAC_C0=02:00:00:07:00:0c
IP_H=10.7.0.1 IP_A=10.7.0.10 IP_B=10.7.0.11 IP_C=10.7.0.12
WAIT=10
PY=/usr/bin/python3

xn_require_root
xn_require_tools ip tc ping jq awk
xn_require_build "$XN_XNEIGHD" "$XN_XNEIGH" "$XN_XDP_PASS"
[ -x $PY ] || xn_skip "$PY not found (the traffic generators use it)"

xn_lab_begin
xn_ns_add SW sw
xn_ns_add HOST host
xn_ns_add NA a
xn_ns_add NB b
xn_ns_add NC c
ip -n "$SW" link add br0 type bridge
ip -n "$SW" link set br0 up
# port NS DEV MAC: DEV in NS, its peer a port of br0
port()
{
	xn_veth "$1" "$2" "$3" "$SW" "p$2" 02:00:00:07:ff:$((RANDOM % 90 + 10))
	ip -n "$SW" link set "p$2" master br0
}
port "$HOST" h0 $MAC_H0
port "$NA" a0 $MAC_A0
port "$NA" a1 $MAC_A1
port "$NB" b0 $MAC_B0
port "$NC" c0 $MAC_C0
xn_xdp_pass "$SW" ph0 || xn_skip "native XDP on veth not available (attaching xdp_pass failed)"
ip -n "$HOST" addr add $IP_H/24 dev h0
ip -n "$NA" addr add $IP_A/24 dev a0
ip -n "$NB" addr add $IP_B/24 dev b0
ip -n "$NC" addr add $IP_C/24 dev c0
ip netns exec "$NA" sysctl -qw net.ipv4.conf.all.arp_ignore=1
# A never asks for the host's MAC (its own ARP request would teach the host
# its new MAC at once, which is not what is tested). Deleting a device's last
# IPv4 address flushes its entries, PERMANENT ones too: move_a re-adds it on
# the device the address moves to, before the address.
ip -n "$NA" neigh replace $IP_H lladdr $MAC_H0 dev a0 nud permanent
# move_a FROM TO: A's address moves from FROM to TO
move_a()
{
	ip -n "$NA" neigh replace $IP_H lladdr $MAC_H0 dev "$2" nud permanent
	ip -n "$NA" addr del $IP_A/24 dev "$1"
	ip -n "$NA" addr add $IP_A/24 dev "$2"
}
ip netns exec "$HOST" sysctl -qw net.ipv4.neigh.h0.base_reachable_time_ms=2000 \
	net.ipv4.neigh.h0.delay_first_probe_time=1

cat >"$XN_TMP/gen.py" <<'EOF'
import socket, sys, time
mode = sys.argv[1]
if mode == "server":			# server PORT: read until the peer closes
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("0.0.0.0", int(sys.argv[2])))
    s.listen(1)
    print("listening", flush=True)
    c, _ = s.accept()
    while c.recv(65536):
        pass
elif mode == "tcp":			# tcp HOST PORT SECONDS: 1000 bytes every 50 ms
    c = socket.create_connection((sys.argv[2], int(sys.argv[3])))
    end = time.time() + float(sys.argv[4])
    while time.time() < end:
        c.send(b"x" * 1000)
        time.sleep(0.05)
elif mode == "udp":			# udp HOST SECONDS CONFIRM: one datagram every 100 ms
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    flags = socket.MSG_CONFIRM if sys.argv[4] == "1" else 0
    end = time.time() + float(sys.argv[3])
    while time.time() < end:
        s.sendto(b"x", flags, (sys.argv[2], 9))
        time.sleep(0.1)
EOF

state() { xn_cli_neigh "$HOST" "$1" h0 | jq -r '(.state // []) | join(" ")'; }
lladdr() { xn_cli_neigh "$HOST" "$1" h0 | jq -r '.lladdr // ""'; }
has_mac() { [ "$(lladdr "$1")" = "$2" ] && [ "$(state "$1")" != FAILED ]; }
stat() { xn_cli_stat "$HOST" "$1"; }

# start_xneighd MODE: xneighd on h0 in MODE, then every neighbour learned
# (the host pings them: REACHABLE).
start_xneighd()
{
	local mode=$1 want e
	xn_daemon_start XND "$HOST" "xneighd-$mode" "$XN_XNEIGHD" -i h0 --mode "$mode" -v
	XND_LOG=$(xn_daemon_log "$XND")
	xn_wait_for $WAIT xnd_ready || xn_fail "--mode $mode: xneighd not running within ${WAIT}s"
	[ "$mode" = tc ] && want=xn_tc_in || want=xn_tc_confirm
	[ "$(xn_tc_prog "$HOST" h0 ingress name)" = $want ] &&
		[ "$(xn_tc_prog "$HOST" h0 egress name)" = xn_tc_out ] ||
		xn_fail "--mode $mode: TC ingress '$(xn_tc_prog "$HOST" h0 ingress name)'," \
			"egress '$(xn_tc_prog "$HOST" h0 egress name)'; expected $want, xn_tc_out"
	for e in "$IP_A $MAC_A0" "$IP_B $MAC_B0" "$IP_C $MAC_C0"; do
		set -- $e
		ip netns exec "$HOST" ping -c1 -W2 $1 >/dev/null ||
			xn_fail "--mode $mode: host cannot reach $1"
		xn_wait_for $WAIT has_mac $1 $2 ||
			xn_fail "--mode $mode: host: $1 is '$(state $1) $(lladdr $1)' after a ping"
	done
	xn_ok "--mode $mode: TC ingress $want, egress xn_tc_out; A, B, C learned"
}
xnd_ready()
{
	xn_daemon_alive "$XND" || xn_fail "xneighd exited early: $(tail -n 5 "$XND_LOG")"
	grep -q "running; SIGINT" "$XND_LOG"
}

for MODE in tc native; do
	start_xneighd $MODE

	# ---- 1. two neighbours, one route: B's progress is not A's -------------------------------

	ip netns exec "$NB" $PY "$XN_TMP/gen.py" server 5001 >"$XN_TMP/srv_b" 2>&1 &
	SRV_B=$!
	xn_wait_for 5 grep -q listening "$XN_TMP/srv_b" || xn_fail "B's TCP server did not start"
	ip netns exec "$HOST" $PY "$XN_TMP/gen.py" tcp $IP_B 5001 20 &
	TCP_B=$!
	ip netns exec "$HOST" $PY "$XN_TMP/gen.py" udp $IP_A 20 0 &
	UDP_A=$!
	sleep 1
	tcp0=$(stat confirm_tcp)
	move_a a0 a1
	looks=0 bad=
	moved() { has_mac $IP_A $MAC_A1; }
	deadline=$((SECONDS + 15))
	until moved; do
		[ $SECONDS -lt $deadline ] || break
		s=$(state $IP_B)
		looks=$((looks + 1))
		[ "$s" = REACHABLE ] || bad="$bad $s"
		sleep 0.2
done
moved || xn_fail "--mode $MODE: A's entry still '$(state $IP_A) $(lladdr $IP_A)' 15 s" \
	"after its MAC changed, expected $MAC_A1"
[ -z "$bad" ] || xn_fail "--mode $MODE: B's entry left REACHABLE while its ACKs flowed:$bad" \
	"($looks looks)"
[ "$(stat confirm_tcp)" -gt "$tcp0" ] || xn_fail "--mode $MODE: confirm_tcp did not grow ($tcp0)"
kill $TCP_B $UDP_A 2>/dev/null || true
wait $TCP_B $UDP_A $SRV_B 2>/dev/null || true
xn_ok "--mode $MODE: A's new MAC learned while B's ACKs flowed; B REACHABLE at all" \
	"$looks looks (confirm_tcp $tcp0 -> $(stat confirm_tcp))"

# ---- 2. ACKs from another MAC never keep the entry REACHABLE --------------------------------

ip netns exec "$NA" $PY "$XN_TMP/gen.py" server 5002 >"$XN_TMP/srv_a" 2>&1 &
SRV_A=$!
xn_wait_for 5 grep -q listening "$XN_TMP/srv_a" || xn_fail "A's TCP server did not start"
ip netns exec "$HOST" $PY "$XN_TMP/gen.py" tcp $IP_A 5002 20 &
TCP_A=$!
sleep 1
mis0=$(stat confirm_mismatch)
move_a a1 a0
back() { has_mac $IP_A $MAC_A0; }
xn_wait_for 15 back || xn_fail "--mode $MODE: A's entry still '$(state $IP_A) $(lladdr $IP_A)'" \
	"15 s after its MAC changed back, expected $MAC_A0"
[ "$(stat confirm_mismatch)" -gt "$mis0" ] ||
	xn_fail "--mode $MODE: confirm_mismatch did not grow ($mis0)"
kill $TCP_A 2>/dev/null || true
wait $TCP_A $SRV_A 2>/dev/null || true
xn_ok "--mode $MODE: ACKs from a0's MAC refused while the entry held a1's" \
	"(confirm_mismatch $mis0 -> $(stat confirm_mismatch)); a0's MAC learned"

# the next mode starts afresh: A on a0 again, a new xneighd with new maps
if [ $MODE != native ]; then
	xn_daemon_stop "$XND" || xn_fail "--mode $MODE: xneighd did not stop on SIGTERM"
fi
done

# ---- 3. MSG_CONFIRM ------------------------------------------------------------------------

ip netns exec "$HOST" $PY "$XN_TMP/gen.py" udp $IP_C 15 0 &
UDP_C=$!
not_reachable() { [ "$(state $IP_C)" != REACHABLE ]; }
xn_wait_for 15 not_reachable || xn_fail "C's entry stayed REACHABLE with plain UDP sends"
kill $UDP_C 2>/dev/null || true
wait $UDP_C 2>/dev/null || true
sent0=$(stat confirm_sent)
ip netns exec "$HOST" $PY "$XN_TMP/gen.py" udp $IP_C 20 1 &
UDP_C=$!
reachable() { [ "$(state $IP_C)" = REACHABLE ]; }
xn_wait_for 10 reachable || xn_fail "C's entry is '$(state $IP_C)', never REACHABLE again"
bad= looks=0
for ((i = 0; i < 40; i++)); do
	s=$(state $IP_C)
	looks=$((looks + 1))
	[ "$s" = REACHABLE ] || bad="$bad $s"
	sleep 0.2
done
kill $UDP_C 2>/dev/null || true
wait $UDP_C 2>/dev/null || true
[ -z "$bad" ] || xn_fail "C's entry left REACHABLE despite MSG_CONFIRM sends:$bad"
[ "$(stat confirm_sent)" -gt "$sent0" ] || xn_fail "confirm_sent did not grow ($sent0)"
xn_ok "MSG_CONFIRM keeps C REACHABLE ($looks looks; confirm_sent $sent0 -> $(stat confirm_sent))"
