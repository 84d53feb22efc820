#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# xneighd's garbage collection on the data plane's table (spec GC-1..3):
# forced GC at gc_thresh2/gc_thresh3, table overflow, periodic GC with
# gc_stale_time, and the counters `xneigh stats` shows.
#
#  xn-peer-PID                            xn-host-PID
# +-----------------------------+        +-----------------------------------------+
# | p0  02:00:00:00:04:02       |--veth--| h0  02:00:00:00:04:01  10.4.0.1/16      |
# |     10.4.0.2/16             |        | xneighd -i h0 (XDP): answers and learns |
# |  xdp: xdp_pass              |        |   every requester (STALE entries)       |
# |  scapy: ARP requests for    |        | 10.4.9.9 PERMANENT (xneigh add): exempt |
# |  10.4.0.1 from 10.4.1.0 on  |        |                                         |
# +-----------------------------+        +-----------------------------------------+
#
# gc_thresh1/2/3 are 128/512/1024: outside the initial network namespace
# net.ipv4.neigh.default does not exist and the kernel's tables run with
# their defaults, so xneighd does too.
#
# Checks:
#  1. 1030 requesters within a second, more than 5 s after xneighd started:
#     the 513th creation runs forced GC (gc_thresh2, last run > 5 s ago),
#     which finds nothing older than 5 s; from the 1025th on every creation
#     runs it (gc_thresh3) and it frees nothing, so the entry is refused
#     ("neighbor table overflow"): 1024 entries stay (+ the PERMANENT one),
#     forced_gc_runs at least 7 (a walk cut by the 1 ms budget is not a
#     complete run, the next creation runs again), table_fulls 6, the last
#     6 requesters are not there;
#  2. 6 s later one more requester: forced GC removes the oldest entries
#     (creation order: a prefix of the requesters), the new one stays;
#  3. net.ipv4.neigh.h0.gc_stale_time=1: the next periodic GC run (table
#     over gc_thresh1) removes every STALE entry idle for 1 s; the
#     PERMANENT entry stays; periodic_gc_runs and destroys count it.

. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
xn_strict

MAC_H0=02:00:00:00:04:01 MAC_P0=02:00:00:00:04:02
IP_H0=10.4.0.1 IP_P0=10.4.0.2 IP_PERM=10.4.9.9
PY=/usr/bin/python3
WAIT=10

xn_require_root
xn_require_tools ip jq sysctl
[ -x $PY ] && $PY -c 'import scapy.all' 2>/dev/null ||
	xn_skip "python3-scapy (Debian's /usr/bin/python3) is needed to send 1000 ARP requests"
xn_require_build "$XN_XNEIGHD" "$XN_XNEIGH" "$XN_XDP_PASS"

xn_lab_begin
xn_ns_add HOST host
xn_ns_add PEER peer
xn_veth "$HOST" h0 $MAC_H0 "$PEER" p0 $MAC_P0
ip -n "$HOST" addr add $IP_H0/16 dev h0
ip -n "$PEER" addr add $IP_P0/16 dev p0
xn_xdp_pass "$PEER" p0 || xn_skip "native XDP on veth not available (attaching xdp_pass failed)"

# requesters FIRST COUNT: ARP requests for 10.4.0.1 from 10.4.(1 + i / 250).(i % 250 + 1),
# i = FIRST .. FIRST + COUNT - 1, each with its own MAC, in one burst
requesters()
{
	ip netns exec "$PEER" $PY - "$1" "$2" <<'EOF'
import sys
from scapy.all import Ether, ARP, sendp
first, count = int(sys.argv[1]), int(sys.argv[2])
frames = []
for i in range(first, first + count):
    ip = "10.4.%d.%d" % (1 + i // 250, i % 250 + 1)
    mac = "02:00:00:04:%02x:%02x" % (i >> 8, i & 0xff)
    frames.append(Ether(src=mac, dst="ff:ff:ff:ff:ff:ff") /
                  ARP(op=1, hwsrc=mac, psrc=ip, pdst="10.4.0.1"))
sendp(frames, iface="p0", verbose=False)
EOF
}
req_ip() { echo "10.4.$((1 + $1 / 250)).$(($1 % 250 + 1))"; }

stat() { xn_cli_stat "$HOST" "$1"; }
count() { xn_cli "$HOST" show -4 -j | jq '[.[] | select(.dev == "h0")] | length'; }
has() { xn_cli "$HOST" show -4 -j | jq -e --arg d "$1" 'any(.[]; .dst == $d)' >/dev/null; }
# the count stops moving: the daemon has caught up with the events
settled()
{
	local a b
	a=$(count)
	sleep 0.5
	b=$(count)
	[ "$a" = "$b" ] && SETTLED=$a
}

xn_daemon_start XND "$HOST" xneighd "$XN_XNEIGHD" -i h0 -v
up() { xn_daemon_alive "$XND" || xn_fail "xneighd exited early"; xn_cli "$HOST" stats -j >/dev/null 2>&1; }
xn_wait_for $WAIT up || xn_fail "xneighd not up within ${WAIT}s"
xn_cli "$HOST" add $IP_PERM dev h0 lladdr 02:00:00:00:49:09 nud permanent
# forced GC at gc_thresh2 needs its last run (the daemon's start) > 5 s ago
sleep 5.5

# ---- 1. overflow ------------------------------------------------------------------------

fgc0=$(stat forced_gc_runs)
requesters 0 1030
xn_wait_for $WAIT settled || xn_fail "the table does not settle"
n=$SETTLED
fgc=$(($(stat forced_gc_runs) - fgc0))
full=$(stat table_fulls)
[ "$n" = 1025 ] || xn_fail "after 1030 requesters: $n entries on h0, expected 1024 + the PERMANENT one"
# one at gc_thresh2 and six at gc_thresh3; a walk cut short by the 1 ms
# budget does not count as complete, so the next creation runs it again
[ "$fgc" -ge 7 ] || xn_fail "forced_gc_runs moved by $fgc, expected at least 7 (one at gc_thresh2, six at gc_thresh3)"
[ "$full" = 6 ] || xn_fail "table_fulls is $full, expected 6"
for i in 1024 1029; do
	! has "$(req_ip $i)" || xn_fail "requester $(req_ip $i) (#$i) is in the table despite the overflow"
done
has "$(req_ip 0)" && has "$(req_ip 1023)" || xn_fail "requesters #0 / #1023 missing"
grep -q "neighbour table overflow" "$(xn_daemon_log "$XND")" || xn_fail "no overflow message in the log"
xn_ok "1030 requesters: 1024 kept, forced_gc_runs +$fgc, table_fulls $full"

# ---- 2. forced GC frees the oldest ------------------------------------------------------------

sleep 6
fgc0=$(stat forced_gc_runs)
requesters 1100 1
xn_wait_for $WAIT settled || xn_fail "the table does not settle"
fgc=$(($(stat forced_gc_runs) - fgc0))
[ "$fgc" -ge 1 ] || xn_fail "no forced GC run for the 1025th entry"
has "$(req_ip 1100)" || xn_fail "the new requester $(req_ip 1100) was not kept"
has $IP_PERM || xn_fail "the PERMANENT entry was collected"
# the removed ones are the oldest: some prefix #0..#k-1 of the requesters
xn_cli "$HOST" show -4 -j | jq -r '.[] | .dst' >"$XN_TMP/left"
first_kept=-1
for ((i = 0; i < 1024; i++)); do
	if grep -qx "$(req_ip $i)" "$XN_TMP/left"; then
		[ "$first_kept" -ge 0 ] || first_kept=$i
	elif [ "$first_kept" -ge 0 ]; then
		xn_fail "requester #$i removed but the older #$first_kept kept: not oldest first"
	fi
done
[ "$first_kept" -ge 1 ] || xn_fail "forced GC removed nothing"
xn_ok "forced GC: the $first_kept oldest entries removed (forced_gc_runs +$fgc), the new one kept"

# ---- 3. periodic GC ------------------------------------------------------------------------------

pgc0=$(stat periodic_gc_runs)
des0=$(stat destroys)
ip netns exec "$HOST" sysctl -qw net.ipv4.neigh.h0.gc_stale_time=1
sleep 1.5
# every base_reachable_time/2 = 15 s; the first one 15..45 s after the start
pgc_ran() { [ "$(stat periodic_gc_runs)" -gt "$pgc0" ] && [ "$(count)" -le 1 ]; }
xn_wait_for 50 pgc_ran ||
	xn_fail "no periodic GC emptied the table within 50 s (periodic_gc_runs $(stat periodic_gc_runs), $(count) entries)"
has $IP_PERM || xn_fail "periodic GC collected the PERMANENT entry"
des=$(($(stat destroys) - des0))
[ "$des" -ge 400 ] || xn_fail "destroys moved by $des only"
xn_ok "periodic GC: stale entries removed (destroys +$des), PERMANENT kept"

xn_daemon_stop "$XND" || xn_fail "xneighd did not exit within 5 s of SIGTERM"
