#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The CLI commands that go through the running xneighd's control socket:
# xneigh resolve, xneigh monitor and xneigh status (user/lib/ctlproto.h).
#
#  xn-peer-PID                              xn-host-PID
# +------------------------------------+   +--------------------------------------------+
# | p0  02:00:00:00:0d:02 (MAC_P0)     |   | h0  02:00:00:00:0d:01                      |
# |     -> 02:00:00:00:0d:99 (MAC_P0B) |   |     10.13.0.1/24                           |
# |     10.13.0.2/24                   |---|     2001:db8:13::1/64 (nodad)              |
# |     2001:db8:13::2/64 (nodad)      |veth| xneighd -i h0 (native XDP)               |
# |     2001:db8:13::5/64 (added)      |   |     2001:db8:13::5/64 (added, DAD)         |
# | xdp: xdp_pass                      |   | net.ipv4.neigh.h0.base_reachable_time_ms   |
# | sends: arping -U (gratuitous ARP)  |   |   = 4000, delay_first_probe_time = 1       |
# |        NA for 2001:db8:13::5       |   |   (a REACHABLE entry goes STALE in 2-6 s)  |
# +------------------------------------+   | arp_accept = 1                             |
#                                          | xneigh monitor -ts, xneigh -j monitor, ... |
#                                          +--------------------------------------------+
#
# Checks:
#  1. without xneighd: resolve and monitor fail with one line naming the
#     missing daemon (exit 1; {"error": ...} with -j); status says "daemon:
#     not running" and "data plane: none" (exit 0, text and -j); a malformed
#     address or an unknown device is a usage error naming the token (exit 2);
#  2. with xneighd, two monitors at once (-ts text, -j): resolve --wait of
#     the live peer (IPv4 text, IPv6 -j) prints it REACHABLE with its MAC;
#     of an address nobody has: INCOMPLETE at once without --wait, FAILED
#     after the kernel's probe timeline with it (3 probes 1 s apart: not
#     before 2.5 s), exit 1; dev lo, where xneighd does not run: exit 1;
#  3. the monitors show, in ip -ts monitor neigh's exact line format: the
#     entry created, INCOMPLETE, REACHABLE, FAILED, the fall to STALE, and
#     `xneigh del` as the kernel's `ip neigh del` shows it ("... FAILED" then
#     "Deleted ... FAILED"); the peer's new MAC announced by a gratuitous ARP
#     (old_lladdr); the peer claiming the host's 10.13.0.1 (Conflict); the
#     peer's NA for an address tentative on the host (Conflict ... dad); the
#     -j objects exactly; both monitors saw the same events (same stamps);
#  4. status with xneighd, text and -j: pid, mode, kernel table mirror,
#     monitors, the interface with the program ids `ip link` and `tc` show,
#     xn_neigh4's fill equal to what `xneigh show` lists;
#  5. 16 monitors are served, the 17th is refused (exit 1, a clear error);
#     SIGINT ends a monitor with exit 0; a monitor stopped (SIGSTOP) during a
#     burst of 6000 events gets "Lost N events" and then the next event,
#     while the daemon and the other monitors go on;
#  6. xneighd stops: the monitors say it went away and exit 1; status says
#     "not running"; a data plane attached with `ip link ... xdp obj` alone
#     is listed by status as "iproute2", never run by xneighd.

. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
xn_strict

MAC_H0=02:00:00:00:0d:01 MAC_P0=02:00:00:00:0d:02 MAC_P0B=02:00:00:00:0d:99
IP_H0=10.13.0.1 IP_P0=10.13.0.2 IP_NONE=10.13.0.99 IP_NONE2=10.13.0.98
IP6_H0=2001:db8:13::1 IP6_P0=2001:db8:13::2 IP6_DUP=2001:db8:13::5
WAIT=15
# the -ts stamp: [2026-11-22T10:00:00.123456]
TS_RE='\[[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}\] '

xn_require_root
xn_require_tools ip tc nft arping jq sysctl date
xn_require_build "$XN_XNEIGHD" "$XN_XNEIGH" "$XN_XDP_PASS" "$XN_BPF_OBJ"

xn_lab_begin
T=$XN_TMP

xn_ns_add HOST host
xn_ns_add PEER peer
xn_veth "$HOST" h0 $MAC_H0 "$PEER" p0 $MAC_P0
ip -n "$HOST" addr add $IP_H0/24 dev h0
ip -n "$PEER" addr add $IP_P0/24 dev p0
ip -n "$HOST" addr add $IP6_H0/64 dev h0 nodad
ip -n "$PEER" addr add $IP6_P0/64 dev p0 nodad
ip netns exec "$HOST" sysctl -qw net.ipv4.neigh.h0.base_reachable_time_ms=4000 \
	net.ipv4.neigh.h0.delay_first_probe_time=1 net.ipv4.conf.h0.arp_accept=1
xn_xdp_pass "$PEER" p0 || xn_skip "native XDP on veth not available (attaching xdp_pass failed)"
INODE=$(ip netns exec "$HOST" stat -L -c %i /proc/self/ns/net)
IFINDEX=$(ip -n "$HOST" -j link show dev h0 | jq -r '.[0].ifindex')
NO_DAEMON="no xneighd is running in this network namespace (nothing listens on @xneighd-net$INODE)"

# run ARGS...: `xneigh ARGS` in the host; stdout in OUT, stderr in ERR, status in RC.
run()
{
	RC=0
	OUT=$(ip netns exec "$HOST" "$XN_XNEIGH" "$@" 2>"$T/err") || RC=$?
	ERR=$(cat "$T/err")
}

# expect WHAT RC OUT ERR: the last run gave exactly that.
expect()
{
	[ "$RC" = "$2" ] && [ "$OUT" = "$3" ] && [ "$ERR" = "$4" ] ||
		xn_fail "$1: exit $RC, stdout '$OUT', stderr '$ERR'; expected exit $2, stdout '$3', stderr '$4'"
}

# ---- 1. no daemon ----------------------------------------------------------------

run resolve $IP_P0 dev h0
expect "resolve without xneighd" 1 "" "xneigh: $NO_DAEMON"
run -j resolve $IP_P0 dev h0 --wait
expect "resolve -j without xneighd" 1 "{\"error\":\"$NO_DAEMON\"}" ""
run monitor -ts
expect "monitor without xneighd" 1 "" "xneigh: $NO_DAEMON"
run monitor -j
expect "monitor -j without xneighd" 1 "{\"error\":\"$NO_DAEMON\"}" ""
run status
expect "status without xneighd" 0 "daemon: not running ($NO_DAEMON)
pin dir: /sys/fs/bpf/xneigh/net$INODE (absent)
data plane: none (no xneigh data plane in this network namespace (is xneighd running?))
interfaces: none
maps: none" ""
run status -j
expect "status -j without xneighd" 0 "{\"daemon\":{\"running\":false,\"error\":\"$NO_DAEMON\"},\"pin_dir\":\"/sys/fs/bpf/xneigh/net$INODE\",\"pin_dir_visible\":false,\"data_plane\":{\"found\":false,\"error\":\"no xneigh data plane in this network namespace (is xneighd running?)\"},\"interfaces\":[],\"maps\":[]}" ""
xn_ok "without xneighd: resolve and monitor fail (exit 1, text and JSON), status: not running"

run resolve 10.13.0.300 dev h0
expect "a malformed address" 2 "" 'xneigh: invalid address "10.13.0.300": expected A.B.C.D or X:X::X'
run -j resolve $IP_P0 dev nosuch0
expect "an unknown device" 2 '{"error":"Cannot find device \"nosuch0\""}' ""
run resolve $IP_P0
expect "no dev" 2 "" "xneigh: resolve needs \"dev DEV\": the interface to resolve \"$IP_P0\" on"
run -6 resolve $IP_P0 dev h0
expect "-6 and an IPv4 address" 2 "" "xneigh: IPv6 address expected rather than \"$IP_P0\" (-6 given)"
run monitor neigh bogus
expect "monitor bogus" 2 "" 'xneigh: monitor takes no argument "bogus", try "xneigh monitor help"'
for h in "resolve:help resolve" "resolve:resolve help" "resolve:resolve $IP_P0 dev h0 -h" \
	 "monitor:help monitor" "monitor:monitor help" "status:help status" "status:status -h"; do
	# shellcheck disable=SC2086
	run ${h#*:}
	[ "$RC" = 0 ] && [ "$(head -n1 <<<"$OUT" | cut -d' ' -f1-3)" = "Usage: xneigh ${h%%:*}" ] ||
		xn_fail "xneigh ${h#*:}: exit $RC, output '$OUT'"
done
xn_ok "bad address and device: exit 2 naming the token; help at every level"

# ---- 2. resolve through xneighd ---------------------------------------------------------

xn_daemon_start XND "$HOST" xneighd "$XN_XNEIGHD" -i h0 -v
# shellcheck disable=SC2317  # called through xn_wait_for
up()
{
	xn_daemon_alive "$XND" || xn_fail "xneighd exited early"
	[ "$(ip netns exec "$HOST" "$XN_XNEIGH" status -j | jq -r .daemon.running)" = true ]
}
xn_wait_for $WAIT up || xn_fail "xneighd does not answer status within ${WAIT}s"
# shellcheck disable=SC2317
monitors() { [ "$(ip netns exec "$HOST" "$XN_XNEIGH" status -j | jq -r .daemon.monitors)" = "$1" ]; }

# the monitors: output (and, for the text ones, stderr) in their log
xn_daemon_start MON1 "$HOST" mon-ts "$XN_XNEIGH" monitor -ts
xn_daemon_start MON2 "$HOST" mon-json "$XN_XNEIGH" -j monitor
M1=$(xn_daemon_log "$MON1")
M2=$(xn_daemon_log "$MON2")
xn_wait_for $WAIT monitors 2 || xn_fail "the two monitors did not subscribe within ${WAIT}s"

run resolve $IP_P0 dev h0 --wait
expect "resolve --wait of the live peer" 0 "$IP_P0 dev h0 lladdr $MAC_P0 REACHABLE " ""
run resolve $IP6_P0 dev h0 --wait -j
expect "resolve -j --wait of the live IPv6 peer" 0 \
	"[{\"dst\":\"$IP6_P0\",\"dev\":\"h0\",\"lladdr\":\"$MAC_P0\",\"state\":[\"REACHABLE\"]}]" ""
xn_ok "resolve --wait: $IP_P0 and $IP6_P0 REACHABLE with $MAC_P0"

run resolve $IP_NONE dev h0
expect "resolve of an address nobody has, no --wait" 0 "$IP_NONE dev h0 INCOMPLETE " ""
run resolve $IP_NONE dev h0 --wait
expect "resolve --wait of an address nobody has" 1 "$IP_NONE dev h0 FAILED " ""
t0=$(date +%s%N)
run -j resolve $IP_NONE2 dev h0 --wait
took=$((($(date +%s%N) - t0) / 1000000))
expect "resolve -j --wait of an address nobody has" 1 \
	"[{\"dst\":\"$IP_NONE2\",\"dev\":\"h0\",\"state\":[\"FAILED\"]}]" ""
[ "$took" -ge 2500 ] || xn_fail "FAILED after $took ms: before the 3 probes 1 s apart could go"
run resolve $IP_P0 dev lo
expect "resolve on dev lo" 1 "" "xneigh: resolve $IP_P0 dev lo: xneigh does not run on dev lo"
xn_ok "resolve: INCOMPLETE at once, FAILED after $took ms with --wait (exit 1); dev lo refused"

# ---- 3. what the monitors saw --------------------------------------------------------------

# seen FILE LINE: FILE has LINE after its -ts stamp. (grep -q stops at the
# first match: not in a pipe, whose writer pipefail would then fail.)
seen() { grep -qxF -- "$2" <(sed -E "s/^$TS_RE//" "$1"); }
# seen_json FILE JSON: FILE has an object that is JSON without its timestamp
seen_json() { grep -qxF -- "$2" <(jq -c 'del(.timestamp)' "$1"); }
# wait_seen LINE JSON WHAT: both monitors show the event
wait_seen()
{
	xn_wait_for $WAIT seen "$M1" "$1" || xn_fail "$3: monitor -ts shows no '$1': $(cat "$M1")"
	xn_wait_for $WAIT seen_json "$M2" "$2" || xn_fail "$3: monitor -j shows no '$2': $(cat "$M2")"
}

wait_seen "$IP_P0 dev h0 " '{"event":"created","dst":"'$IP_P0'","dev":"h0"}' "created"
wait_seen "$IP_P0 dev h0 INCOMPLETE " \
	'{"event":"state","dst":"'$IP_P0'","dev":"h0","state":["INCOMPLETE"]}' "INCOMPLETE"
wait_seen "$IP_P0 dev h0 lladdr $MAC_P0 REACHABLE " \
	'{"event":"state","dst":"'$IP_P0'","dev":"h0","lladdr":"'$MAC_P0'","state":["REACHABLE"]}' \
	"REACHABLE"
wait_seen "$IP6_P0 dev h0 lladdr $MAC_P0 REACHABLE " \
	'{"event":"state","dst":"'$IP6_P0'","dev":"h0","lladdr":"'$MAC_P0'","state":["REACHABLE"]}' \
	"IPv6 REACHABLE"
wait_seen "$IP_NONE dev h0 FAILED " \
	'{"event":"state","dst":"'$IP_NONE'","dev":"h0","state":["FAILED"]}' "FAILED"
wait_seen "$IP_P0 dev h0 lladdr $MAC_P0 STALE " \
	'{"event":"state","dst":"'$IP_P0'","dev":"h0","lladdr":"'$MAC_P0'","state":["STALE"]}' \
	"REACHABLE -> STALE"
xn_ok "monitors: created, INCOMPLETE, REACHABLE, FAILED, STALE"

# xneigh del, as `ip neigh del` shows in ip monitor neigh: the entry goes
# FAILED, then the deletion of the FAILED entry (neigh_delete())
run del $IP_P0 dev h0
expect "del" 0 "" ""
wait_seen "Deleted $IP_P0 dev h0 FAILED " \
	'{"event":"deleted","deleted":true,"dst":"'$IP_P0'","dev":"h0","state":["FAILED"]}' "del"
pair=$(sed -E "s/^$TS_RE//" "$M1" | grep -B1 -xF "Deleted $IP_P0 dev h0 FAILED ")
[ "$pair" = "$IP_P0 dev h0 FAILED 
Deleted $IP_P0 dev h0 FAILED " ] || xn_fail "xneigh del: the monitor shows '$pair', expected FAILED then Deleted"
xn_ok "monitors: xneigh del shows '$IP_P0 dev h0 FAILED' then 'Deleted $IP_P0 dev h0 FAILED'"

# the peer takes another MAC and announces it: a gratuitous ARP overrides
# the entry (ARP-U5) and the monitor says from what to what
run resolve $IP_P0 dev h0 --wait
expect "resolve again" 0 "$IP_P0 dev h0 lladdr $MAC_P0 REACHABLE " ""
ip -n "$PEER" link set dev p0 address $MAC_P0B
ip netns exec "$PEER" arping -q -U -c 1 -w 1 -I p0 $IP_P0 || true	# expects no reply
wait_seen "$IP_P0 dev h0 lladdr $MAC_P0B old_lladdr $MAC_P0 STALE " \
	'{"event":"lladdr","dst":"'$IP_P0'","dev":"h0","lladdr":"'$MAC_P0B'","old_lladdr":"'$MAC_P0'","state":["STALE"]}' \
	"MAC change"
xn_ok "monitors: the peer's MAC change $MAC_P0 -> $MAC_P0B"

# the peer claims the host's address
ip -n "$PEER" addr add $IP_H0/32 dev p0
ip netns exec "$PEER" arping -q -U -c 1 -w 1 -I p0 $IP_H0 || true
ip -n "$PEER" addr del $IP_H0/32 dev p0
wait_seen "Conflict $IP_H0 dev h0 lladdr $MAC_P0B " \
	'{"event":"conflict","dst":"'$IP_H0'","dev":"h0","lladdr":"'$MAC_P0B'"}' "conflict"
xn_ok "monitors: the peer's claim of $IP_H0"

# the host does DAD (10 probes, 1 s apart) for an address the peer has: the
# peer's answer (an NA) claims a tentative address. The peer ignores the NS
# until xneighd knows the address is tentative.
# shellcheck disable=SC2317
addr6_entries()
{
	ip netns exec "$HOST" "$XN_XNEIGH" status -j | jq -r '.maps[] | select(.name == "xn_addr6") | .entries'
}
# shellcheck disable=SC2317
addr6_grew() { [ "$(addr6_entries)" -gt "$1" ]; }
n6=$(addr6_entries)
ip -n "$PEER" addr add $IP6_DUP/64 dev p0 nodad
ip netns exec "$PEER" nft -f - <<<'table ip6 xn_hold {
	chain input {
		type filter hook input priority 0; policy accept;
		icmpv6 type nd-neighbor-solicit drop
	}
}'
ip netns exec "$HOST" sysctl -qw net.ipv6.conf.h0.dad_transmits=10
ip -n "$HOST" addr add $IP6_DUP/64 dev h0
xn_wait_for $WAIT addr6_grew "$n6" || xn_fail "xneighd did not take in the tentative $IP6_DUP"
ip netns exec "$PEER" nft delete table ip6 xn_hold
wait_seen "Conflict $IP6_DUP dev h0 lladdr $MAC_P0B dad " \
	'{"event":"dad_conflict","dst":"'$IP6_DUP'","dev":"h0","lladdr":"'$MAC_P0B'","dad":null}' \
	"DAD conflict"
xn_ok "monitors: the peer's NA for the host's tentative $IP6_DUP"

# every -ts line is stamped, every -j line an object with a timestamp, and
# the two monitors got the same events: the daemon's stamps are equal
bad=$(grep -vE "^$TS_RE" "$M1" || true)
[ -z "$bad" ] || xn_fail "monitor -ts lines without a stamp: $bad"
# (an event may come while they are read: compare what both have)
stamps1=$(sed -E 's/^\[([^]]*)\] .*/\1/' "$M1")
stamps2=$(jq -r .timestamp "$M2")
n=$(grep -c . <<<"$stamps1")
[ "$(grep -c . <<<"$stamps2")" -lt "$n" ] && n=$(grep -c . <<<"$stamps2")
[ "$(head -n "$n" <<<"$stamps1")" = "$(head -n "$n" <<<"$stamps2")" ] ||
	xn_fail "the monitors saw different events: $(diff <(echo "$stamps1") <(echo "$stamps2"))"
first=$(head -n1 <<<"$stamps1")
age=$(($(date +%s) - $(date -d "$first" +%s)))
[ "$age" -ge 0 ] && [ "$age" -lt 600 ] || xn_fail "the first event is stamped $first, ${age}s before now"
xn_ok "two monitors: the same $n events, each stamped once by xneighd"

# ---- 4. status with xneighd ----------------------------------------------------------------

XDP_ID=$(xn_xdp_prog_id "$HOST" h0)
TC_OUT_ID=$(xn_tc_prog "$HOST" h0 egress id)
TC_CFM_ID=$(xn_tc_prog "$HOST" h0 ingress id)
[ -n "$XDP_ID" ] && [ -n "$TC_OUT_ID" ] && [ -n "$TC_CFM_ID" ] ||
	xn_fail "no XDP program ($XDP_ID), ingress ($TC_CFM_ID) or egress filter ($TC_OUT_ID) on h0"
n4=$(ip netns exec "$HOST" "$XN_XNEIGH" -4 show nud all -j | jq length)
run status -j
[ "$RC" = 0 ] || xn_fail "status -j exited $RC: $ERR"
got=$(jq -c "[.daemon.running, .daemon.pid, .daemon.mode, .daemon.kernel_sync, .daemon.keep,
	      .daemon.monitors, .daemon.monitors_max, .data_plane.found, .data_plane.source,
	      (.data_plane.heartbeat_age_ms | type), .interfaces,
	      (.maps[] | select(.name == \"xn_neigh4\") | [.type, .entries, .max_entries])]" <<<"$OUT")
want="[true,$XND,\"native\",true,false,2,16,true,\"attached programs\",\"number\",[{\"ifname\":\"h0\",\"ifindex\":$IFINDEX,\"mode\":\"native\",\"xdp_id\":$XDP_ID,\"tc_confirm_id\":$TC_CFM_ID,\"tc_out_id\":$TC_OUT_ID}],[\"hash\",$n4,65536]]"
[ "$got" = "$want" ] || xn_fail "status -j: $got, expected $want (whole: $OUT)"
run status
[ "$RC" = 0 ] || xn_fail "status exited $RC: $ERR"
for re in "^daemon: running, pid $XND, up [0-9]+s \(since [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}\), answered in [0-9]+\.[0-9] ms\$" \
	  "^    xneighd [^ ]+, control protocol 1, libbpf [^ ]+; xneigh [^ ]+\$" \
	  "^    mode native, kernel table mirror on, keep off, strict off\$" \
	  "^    monitors 2/16, clients waiting for a resolution 0/64\$" \
	  "^pin dir: /sys/fs/bpf/xneigh/net$INODE \(not visible from this mount namespace\)\$" \
	  "^data plane: found through attached programs \(xn_xdp \(id $XDP_ID\) on h0, xdp\), xneighd's heartbeat [0-9]+\.[0-9] s ago\$" \
	  "^interfaces:\$" \
	  "^    h0 \(ifindex $IFINDEX\): native, xn_xdp id $XDP_ID, xn_tc_confirm id $TC_CFM_ID, xn_tc_out id $TC_OUT_ID\$" \
	  "^maps:\$" \
	  "^    xn_neigh4   id [0-9]+ hash $n4/65536 entries\$" \
	  "^    xn_events   id [0-9]+ ringbuf [0-9]+ bytes\$"; do
	grep -qE "$re" <<<"$OUT" || xn_fail "status: no line matching '$re' in:
$OUT"
done
xn_ok "status: pid $XND, native on h0 (xn_xdp $XDP_ID, xn_tc_confirm $TC_CFM_ID, xn_tc_out $TC_OUT_ID)," \
	"$n4 IPv4 entries, 2 monitors"

# ---- 5. the bound, SIGINT, a monitor that falls behind ---------------------------------------

EXTRA=()
for i in $(seq 3 16); do
	xn_daemon_start pid "$HOST" "mon$i" "$XN_XNEIGH" monitor
	EXTRA+=("$pid")
done
xn_wait_for $WAIT monitors 16 || xn_fail "16 monitors did not all subscribe"
run monitor
expect "a 17th monitor" 1 "" "xneigh: monitor: too many monitors: xneighd serves at most 16 at once"
run -j monitor
expect "a 17th monitor, -j" 1 '{"error":"monitor: too many monitors: xneighd serves at most 16 at once"}' ""
for pid in "${EXTRA[@]}"; do
	kill -INT "$pid"
	xn_daemon_stop "$pid" || xn_fail "monitor $pid did not stop on SIGINT"
	[ "$XN_STOP_RC" = 0 ] || xn_fail "monitor $pid exited $XN_STOP_RC on SIGINT, expected 0"
done
xn_wait_for $WAIT monitors 2 || xn_fail "the daemon still counts the stopped monitors"
xn_ok "16 monitors served, the 17th refused (exit 1); SIGINT ends a monitor with exit 0"

xn_daemon_start MON3 "$HOST" mon-slow "$XN_XNEIGH" monitor -ts
M3=$(xn_daemon_log "$MON3")
xn_wait_for $WAIT monitors 3 || xn_fail "the third monitor did not subscribe"
kill -STOP "$MON3"
# 6000 events: 2000 entries created, then each goes FAILED and is deleted,
# 250 at a time (a burst never near the size of the ring buffer xn_events).
# A subscriber's socket buffer holds 2 MiB (SO_SNDBUF 1 MiB, which the
# kernel doubles): about 2700 of them on 6.18.
ip netns exec "$HOST" bash -c "for i in \$(seq 16 23); do
	for j in \$(seq 1 250); do
		\"$XN_XNEIGH\" add 10.13.\$i.\$j dev h0 lladdr $MAC_H0 nud stale || exit 1
	done
	\"$XN_XNEIGH\" flush to 10.13.\$i.0/24 || exit 1
done" || xn_fail "adding and flushing 2000 entries failed"
kill -CONT "$MON3"
run resolve $IP_NONE dev h0
expect "resolve after the burst" 0 "$IP_NONE dev h0 INCOMPLETE " ""
xn_wait_for $WAIT seen "$M3" "$IP_NONE dev h0 INCOMPLETE " ||
	xn_fail "the stopped monitor did not get the event after the burst"
lost=$(grep -E "^${TS_RE}Lost [0-9]+ events\$" "$M3" || true)
[ -n "$lost" ] || xn_fail "the stopped monitor reports no lost events: $(tail -n 3 "$M3")"
xn_wait_for $WAIT seen "$M1" "$IP_NONE dev h0 INCOMPLETE " || xn_fail "monitor -ts stopped receiving"
xn_daemon_stop "$MON3" && [ "$XN_STOP_RC" = 0 ] || xn_fail "the slow monitor exited $XN_STOP_RC on SIGTERM"
xn_ok "a stopped monitor: '$(sed -E "s/^$TS_RE//" <<<"$lost" | head -n1)', then the next event; the others go on"

# ---- 6. the daemon goes away ------------------------------------------------------------------

xn_daemon_stop "$XND" || xn_fail "xneighd did not stop on SIGTERM"
xn_daemon_stop "$MON1" || true
rc1=$XN_STOP_RC
xn_daemon_stop "$MON2" || true
rc2=$XN_STOP_RC
[ "$rc1" = 1 ] && [ "$(tail -n1 "$M1")" = "xneigh: xneighd went away: the event stream ended" ] ||
	xn_fail "monitor -ts when xneighd stopped: exit $rc1, last line '$(tail -n1 "$M1")'"
[ "$rc2" = 1 ] && [ "$(tail -n1 "$M2")" = '{"error":"xneighd went away: the event stream ended"}' ] ||
	xn_fail "monitor -j when xneighd stopped: exit $rc2, last line '$(tail -n1 "$M2")'"
# one JSON document per line, the error too: no blank line anywhere
! grep -qn '^$' "$M2" || xn_fail "monitor -j wrote blank lines: $(grep -n -B1 '^$' "$M2" | head -n 4)"
run status -j
[ "$(jq -c '[.daemon.running, .data_plane.found]' <<<"$OUT")" = '[false,false]' ] ||
	xn_fail "status -j after xneighd stopped: $OUT"
xn_ok "xneighd stopped: the monitors said so (exit 1); status: not running, no data plane"

# a data plane attached by iproute2 alone
ip -n "$HOST" link set dev h0 xdp obj "$XN_BPF_OBJ" sec xdp
XDP_ID=$(xn_xdp_prog_id "$HOST" h0)
run status -j
got=$(jq -c '[.daemon.running, .data_plane.found, .data_plane.heartbeat_age_ms, .interfaces]' <<<"$OUT")
want="[false,true,null,[{\"ifname\":\"h0\",\"ifindex\":$IFINDEX,\"mode\":\"iproute2\",\"xdp_id\":$XDP_ID}]]"
[ "$got" = "$want" ] || xn_fail "status -j of an iproute2 data plane: $got, expected $want"
run status
grep -qxF "    h0 (ifindex $IFINDEX): iproute2, xn_xdp id $XDP_ID" <<<"$OUT" &&
	grep -qE "^data plane: found through attached programs .*, never run by xneighd \(no heartbeat\)\$" <<<"$OUT" ||
	xn_fail "status of an iproute2 data plane: $OUT"
ip -n "$HOST" link set dev h0 xdp off
xn_ok "status of a data plane attached with ip link alone: iproute2, xn_xdp id $XDP_ID"
