#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Crash, restart and upgrade under a steady load (issue 7): xneighd killed
# with SIGKILL, then its data plane replaced by another build of it, while a
# generator sends ARP requests and NSs at half the rate this machine can
# answer; every request must get its answer, no entry may be lost, and every
# NUD timer running at the kill must go on in the next daemon. Then xneighd
# stops without --keep: the kernel answers again, nothing of xneigh is left.
# (tests/netns/test_nud_restart.sh restarts by the programs still attached,
# with one arping every 0.2 s; here the pins are adopted, the load is heavy,
# and the answers are counted exactly.)
#
#  xn-peer-PID                              xn-host-PID
# +-------------------------------+        +------------------------------------------+
# | p0  02:00:00:00:13:02         |        | h0  02:00:00:00:13:01  10.13.0.1/24      |
# |     10.13.0.2/24, 10.13.0.3   |--veth--|     2001:db8:13::1/64                    |
# |     2001:db8:13::2/64         |        | nft: ARP requests and NSs dropped at     |
# | XDP reqload_count: counts and |        |   input (the kernel never answers: every |
# |   drops the answers to the    |        |   answer counted is xneigh's), until     |
# |   generator, counts the       |        |   step 4                                 |
# |   host's probes per target,   |        | xneighd -i h0 (XDP), under nsenter: its  |
# |   passes the rest             |        |   pins are in this mount namespace's     |
# | xneigh-reqload (SCHED_FIFO):  |        |   bpffs and outlive it                   |
# |   ARP from 10.13.0.50 and NS  |        |                                          |
# |   from 2001:db8:13::50 (MAC   |        | h0: base_reachable_time_ms 20000,        |
# |   ..:13:50), alternating      |        |   delay_first_probe_time 4,              |
# +-------------------------------+        |   retrans_time_ms 2000                   |
#                                          +------------------------------------------+
#
# Answers are counted by the peer's XDP program, which recognises exactly
# the replies to the generator (ARP reply to its address and MAC, solicited
# NA to its address for h0's): lost = sent - answered, asserted to be 0. A
# request counts as sent once the veth took it (a refused send is retried),
# so a loss can only be a request xneigh did not answer or an answer that
# did not come back. The generator runs SCHED_FIFO so that it keeps its rate
# while xneighd loads and verifies its programs on the other CPU.
#
# Checks:
#  0. saturation: the generator flat out for 1 s; the load below runs at
#     half the answered rate;
#  1. xneighd-1 with 30 STALE IPv4 entries, a PERMANENT one, 10 STALE IPv6
#     ones; under load, five entries are put into the five timed NUD states:
#       P 10.13.1.20 (STALE, a MAC nobody has) resolved: DELAY, then PROBE;
#       D 10.13.0.3 (STALE, p0's MAC) resolved: DELAY;
#       I 10.13.0.99 (nobody) resolved: INCOMPLETE;
#       R 10.13.0.2 resolved: REACHABLE (p0 answers);
#       S 10.13.1.10: STALE;
#     xneighd-1 gets SIGKILL; for 1.5 s no daemon runs; xneighd-2 (--keep)
#     adopts the pinned maps, replaces the XDP program and the TC filter in
#     place;
#  2. no entry lost (every address with its MAC, the generator's own two
#     aside: they change with the load); the timers go on in xneighd-2:
#     R goes STALE, D goes PROBE then REACHABLE (p0 answers its one unicast
#     probe), P and I go FAILED; the probes on the wire across the restart
#     are exactly ucast_solicit for P, mcast_solicit for I, one for D (a
#     timer restarted would send more, a timer dropped fewer or none); S is
#     still STALE; zero answers lost;
#  3. upgrade: xneighd-2 stops (--keep, the data plane answers on), the
#     other build (build/next/xneighd: the same sources, its BPF object
#     compiled with -mcpu=v2, so other instructions and another program
#     tag) adopts and replaces the XDP program in place; zero answers lost,
#     no entry lost, the program on h0 is the new build's (new id, new tag);
#  4. detach: xneighd-3 stops without --keep: no XDP program and no TC
#     filter on h0, no pins, no kernel table mirror entry (extern_learn,
#     proto 120) left; with nft's drop removed, the kernel answers every
#     request of the generator itself.
# A restart takes seconds (xneighd loads and verifies its programs again):
# D's DELAY and P's and I's next probes fall due while no daemon runs, and
# the next one acts on them as it starts; R's reachable time (10 to 30 s)
# outlasts the restart and ends on time. Times (restart gap, when each
# timer fired) are printed, never asserted.

. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
xn_strict

MAC_H0=02:00:00:00:13:01 MAC_P0=02:00:00:00:13:02 MAC_GEN=02:00:00:00:13:50
IP_H0=10.13.0.1 IP_R=10.13.0.2 IP_D=10.13.0.3 IP_I=10.13.0.99 IP_GEN=10.13.0.50
IP_P=10.13.1.20 IP_S=10.13.1.10
IP6_H0=2001:db8:13::1 IP6_P0=2001:db8:13::2 IP6_GEN=2001:db8:13::50
REQLOAD=$XN_BUILD/xneigh-reqload
COUNTER=$XN_BUILD/tests/reqload_count.bpf.o
NEXT_XNEIGHD=$XN_BUILD/next/xneighd
WAIT=40

xn_require_root
xn_require_tools ip nft nsenter chrt bpftool jq sysctl tc ethtool
xn_require_build "$XN_XNEIGHD" "$XN_XNEIGH" "$REQLOAD" "$COUNTER" "$NEXT_XNEIGHD"
[ "$(stat -f -c %T /sys/fs/bpf 2>/dev/null)" = bpf_fs ] ||
	xn_skip "no bpffs at /sys/fs/bpf in this mount namespace (pins could not outlive a daemon)"
chrt -f 10 true 2>/dev/null ||
	xn_skip "cannot run the generator SCHED_FIFO (chrt -f): its load would not stay steady"

xn_lab_begin
xn_ns_add HOST host
xn_ns_add PEER peer
HOSTPATH=/run/netns/$HOST
PINDIR=/sys/fs/bpf/xneigh/net$(stat -L -c %i "$HOSTPATH")
[ ! -e "$PINDIR" ] || xn_fail "$PINDIR exists before the test: $(ls "$PINDIR")"

# Whatever happens, no pins left behind (a daemon killed or run with --keep
# leaves them; lib.sh's cleanup then stops the daemons, deletes the namespaces).
cleanup_pins()
{
	local rc=$?
	trap - ERR
	set +o errexit
	rm -rf "$PINDIR"
	(exit "$rc")
	xn__cleanup
}
trap cleanup_pins EXIT

xn_veth "$HOST" h0 $MAC_H0 "$PEER" p0 $MAC_P0
ip -n "$HOST" addr add $IP_H0/24 dev h0
ip -n "$PEER" addr add $IP_R/24 dev p0
ip -n "$PEER" addr add $IP_D/24 dev p0
ip -n "$HOST" addr add $IP6_H0/64 dev h0 nodad
ip -n "$PEER" addr add $IP6_P0/64 dev p0 nodad
ip netns exec "$HOST" sysctl -qw net.ipv4.neigh.h0.base_reachable_time_ms=20000 \
	net.ipv4.neigh.h0.delay_first_probe_time=4 net.ipv4.neigh.h0.retrans_time_ms=2000
UCAST=$(ip netns exec "$HOST" sysctl -n net.ipv4.neigh.h0.ucast_solicit)
MCAST=$(ip netns exec "$HOST" sysctl -n net.ipv4.neigh.h0.mcast_solicit)
RESOLICIT=$(ip netns exec "$HOST" sysctl -n net.ipv4.neigh.h0.mcast_resolicit)
APP=$(ip netns exec "$HOST" sysctl -n net.ipv4.neigh.h0.app_solicit)
ip -n "$PEER" link set dev p0 xdp obj "$COUNTER" sec xdp ||
	xn_skip "native XDP on veth not available (attaching reqload_count failed)"
xn_nft_drop_arp_requests "$HOST" || xn_skip "nftables cannot load an arp family table here"
ip netns exec "$HOST" nft -f - <<'EOF'
table ip6 xn_lab6 {
	chain input {
		type filter hook input priority 0; policy accept;
		icmpv6 type nd-neighbor-solicit drop
	}
}
EOF
no_tentative() { ! ip -n "$1" -6 addr show dev "$2" | grep -q tentative; }
xn_wait_for 10 no_tentative "$HOST" h0 || xn_fail "h0's link-local address stays tentative"

# ---- helpers ----------------------------------------------------------------------------

now() { date +%s.%N; }
# seconds from $1 to $2, to a tenth
span() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
# an ISO time stamp of `xneigh monitor -ts` as seconds since the epoch
epoch() { date -d "$1" +%s.%N; }

xn() { nsenter --net="$HOSTPATH" "$XN_XNEIGH" "$@"; }
resolve() { nsenter --net="$HOSTPATH" "$XN_XNEIGHD" --resolve "$@"; }
state() { xn show -j | jq -r --arg d "$1" '.[] | select(.dst == $d and .dev == "h0") | .state | join(" ")'; }
state_is() { [ "$(state "$1")" = "$2" ]; }
# every entry of h0 as "dst lladdr", sorted; the generator's two change
# with the load (its NS makes the IPv6 one cycle STALE -> DELAY -> PROBE ->
# FAILED: nobody answers the probes) and are left out
entries()
{
	xn show -j | jq -r --arg g4 $IP_GEN --arg g6 $IP6_GEN \
		'.[] | select(.dev == "h0" and .dst != $g4 and .dst != $g6) | "\(.dst) \(.lladdr // "-")"' |
		sort
}
# the host kernel's entries written by the mirror (extern_learn, proto 120)
kernel_ours()
{
	ip -n "$HOST" -j neigh show dev h0 |
		jq -r '.[] | select(has("extern_learn") and .protocol == "120") | .dst' | sort
}
xdp_id() { xn_xdp_prog_id "$HOST" h0; }
prog_tag() { bpftool -j prog show id "$1" | jq -r .tag; }

# start_xnd VAR NAME BINARY ARGS...: xneighd under nsenter (the pins go to
# this mount namespace's bpffs), -vv (its log shows every NUD change);
# returns once it says it runs; DAEMON_UP holds when that was seen
start_xnd()
{
	local var=$1 name=$2 bin=$3 log pid i
	shift 3
	log=$XN_TMP/$name.log
	nsenter --net="$HOSTPATH" "$bin" -i h0 -vv "$@" </dev/null >"$log" 2>&1 &
	pid=$!
	XN_DAEMONS+=("$pid:$name:$log")
	printf -v "$var" '%s' "$pid"
	for ((i = 0; i < WAIT * 20; i++)); do
		grep -q "^xneighd: running;" "$log" && break
		xn_daemon_alive "$pid" || xn_fail "$name exited: $(grep -v libbpf "$log" | tail -20)"
		sleep 0.05
	done
	grep -q "^xneighd: running;" "$log" || xn_fail "$name does not run after ${WAIT}s"
	DAEMON_UP=$(now)
}

# monitor_start NAME: `xneigh monitor -ts -j` of the running daemon into $XN_TMP/NAME
monitor_start()
{
	nsenter --net="$HOSTPATH" "$XN_XNEIGH" monitor -ts -j >"$XN_TMP/$1" 2>&1 &
	XN_DAEMONS+=("$!:$1:$XN_TMP/$1")
}

# when_seen MONITOR DST STATE: time stamp of the first change of DST to STATE
when_seen()
{
	jq -r --arg d "$2" --arg s "$3" \
		'select(.event == "state" and .dst == $d and (.state | join(" ")) == $s) | .timestamp' \
		"$XN_TMP/$1" 2>/dev/null | head -n1
}
seen() { [ -n "$(when_seen "$@")" ]; }

# where requests and answers went, to tell a loss's cause: xneigh's own
# counters (requests seen, answers sent) and the veth's (frames sent back
# with XDP_TX, and those the peer's ring refused)
path_counters()
{
	local xs
	xs=$(xn stats -j)
	printf '%s %s %s %s %s %s\n' \
		"$(jq '.arp_cache.rx_requests' <<<"$xs")" "$(jq '.arp_cache.replies_sent' <<<"$xs")" \
		"$(jq '.ndisc_cache.rx_ns' <<<"$xs")" "$(jq '.ndisc_cache.na_sent' <<<"$xs")" \
		"$(ip netns exec "$HOST" ethtool -S h0 | awk '$1 == "rx_queue_0_xdp_tx:" { print $2 }')" \
		"$(ip netns exec "$HOST" ethtool -S h0 | awk '$1 == "rx_queue_0_xdp_tx_errors:" { print $2 }')"
}
path_delta()	# BEFORE AFTER
{
	local -a a b
	[ -n "$1" ] && [ -n "$2" ] || { echo "(no path counters)"; return; }
	read -r -a a <<<"$1"
	read -r -a b <<<"$2"
	echo "xneigh saw $((b[0] - a[0])) ARP requests and $((b[2] - a[2])) NSs," \
	     "sent $((b[1] - a[1])) ARP replies and $((b[3] - a[3])) NAs;" \
	     "h0 sent $((b[4] - a[4])) frames back with XDP_TX, $((b[5] - a[5])) refused by p0's ring"
}

# the generator, in the background; load_stop puts its figures in LOAD
load_start()	# NAME RATE
{
	PATH_BEFORE=$(path_counters)
	ip netns exec "$PEER" chrt -f 10 "$REQLOAD" -i p0 --mac $MAC_GEN --arp $IP_GEN,$IP_H0 \
		--ns $IP6_GEN,$IP6_H0 --rate "$2" >"$XN_TMP/$1.json" 2>"$XN_TMP/$1.err" &
	LOAD_PID=$!
	XN_DAEMONS+=("$LOAD_PID:$1:$XN_TMP/$1.err")
}
load_stop()	# NAME
{
	xn_daemon_stop "$LOAD_PID" || xn_fail "the generator ($1) did not stop on SIGTERM"
	[ "$XN_STOP_RC" = 0 ] || xn_fail "the generator ($1) failed ($XN_STOP_RC): $(cat "$XN_TMP/$1.err")"
	LOAD=$(cat "$XN_TMP/$1.json")
	PATH_AFTER=$(path_counters)
}
lf() { jq -r ".$1" <<<"$LOAD"; }
# every request answered, exactly; the figures say where a loss happened
load_check()	# WHAT
{
	[ "$(lf sent_arp)" -gt 0 ] && [ "$(lf sent_ns)" -gt 0 ] || xn_fail "$1: no load sent: $LOAD"
	[ "$(lf lost)" = 0 ] && [ "$(lf extra)" = 0 ] ||
		xn_fail "$1: $(lf lost) of $(lf sent) requests unanswered, $(lf extra) answers too many (deficit at the end of each second: $(lf deficit_per_second | jq -c .)); meanwhile $(path_delta "$PATH_BEFORE" "$PATH_AFTER"): $LOAD"
}

# rq_probe4 of the peer's counter: ARP requests for ADDR that reached p0
PROBE_MAP=$(xn_prog_map_id "$(xn_xdp_prog_id "$PEER" p0)" rq_probe4) ||
	xn_fail "the peer's counter has no map rq_probe4"
probes()
{
	bpftool -j map lookup id "$PROBE_MAP" key ${1//./ } 2>/dev/null | jq -r '.formatted.value // 0' ||
		echo 0
}

# ---- 0. saturation ------------------------------------------------------------------------

start_xnd XND1 xneighd-1 "$XN_XNEIGHD"
LOAD=$(ip netns exec "$PEER" "$REQLOAD" -i p0 --mac $MAC_GEN --arp $IP_GEN,$IP_H0 \
	--ns $IP6_GEN,$IP6_H0 --rate 0 --seconds 1) || xn_fail "the flat-out run failed"
SAT=$(jq -r '(.answered / .seconds) | floor' <<<"$LOAD")
RATE=$((SAT / 2))
[ "$RATE" -ge 1000 ] || xn_fail "saturation at $SAT requests/s: too low to measure anything ($LOAD)"
xn_info "figures: saturation $SAT requests/s answered (flat out for 1 s: $(lf sent) sent, $(lf lost) lost); load $RATE requests/s (half), ARP and NS alternating"

# ---- 1. five timers running, SIGKILL, restart --------------------------------------------

for i in $(seq 10 39); do
	xn add 10.13.1.$i dev h0 lladdr 02:00:00:00:31:$i nud stale || xn_fail "xneigh add 10.13.1.$i"
done
# P ($IP_P) is one of them: nobody has its MAC; D: p0's second address, p0's MAC
xn add $IP_D dev h0 lladdr $MAC_P0 nud stale || xn_fail "xneigh add $IP_D"
xn add 10.13.1.200 dev h0 lladdr 02:00:00:00:31:99 nud permanent || xn_fail "xneigh add permanent"
for i in $(seq 10 19); do
	xn add 2001:db8:13::1:$i dev h0 lladdr 02:00:00:00:61:$i nud stale ||
		xn_fail "xneigh add 2001:db8:13::1:$i"
done

monitor_start monitor-1
load_start load-crash "$RATE"
sleep 1
out=$(resolve $IP_P --dev h0) || xn_fail "--resolve $IP_P: $out"
xn_wait_for $WAIT state_is $IP_P PROBE || xn_fail "$IP_P not PROBE (is '$(state $IP_P)')"
out=$(resolve $IP_D --dev h0) || xn_fail "--resolve $IP_D: $out"
out=$(resolve $IP_I --dev h0) || true		# INCOMPLETE: "resolution started"
out=$(resolve $IP_R --dev h0 --wait) || xn_fail "--resolve $IP_R: $out"
states="R $(state $IP_R), D $(state $IP_D), P $(state $IP_P), I $(state $IP_I), S $(state $IP_S)"
[ "$states" = "R REACHABLE, D DELAY, P PROBE, I INCOMPLETE, S STALE" ] ||
	xn_fail "before the kill, expected R REACHABLE, D DELAY, P PROBE, I INCOMPLETE, S STALE: $states"
before=$(entries)
nbefore=$(grep -c . <<<"$before")
kbefore=$(kernel_ours | grep -c . || true)
old_xdp=$(xdp_id)

T_KILL=$(now)
kill -KILL "$XND1"
wait "$XND1" 2>/dev/null || true
sleep 1.5
start_xnd XND2 xneighd-2 "$XN_XNEIGHD" --keep
T_UP2=$DAEMON_UP
monitor_start monitor-2
log2=$XN_TMP/xneighd-2.log
grep -q "adopting the data plane of an xneighd that is gone: .* (found pinned)" "$log2" ||
	xn_fail "xneighd-2 did not adopt the pinned maps: $(grep -v libbpf "$log2" | head -20)"
grep -q "XDP xn_xdp replaced program id $old_xdp in native mode, atomically" "$log2" ||
	xn_fail "xneighd-2 did not replace XDP program $old_xdp in place"
grep -q "TC egress program xn_tc_out .* replacing the leftover in one step" "$log2" ||
	xn_fail "xneighd-2 did not replace the TC egress filter in place"
ARMED=$(sed -n 's/^xneighd: NUD: adopted .* entries, \([0-9]*\) timers armed.*/\1/p' "$log2")
xn_ok "SIGKILL under load with R REACHABLE, D DELAY, P PROBE, I INCOMPLETE, S STALE; xneighd-2 adopted the pins and replaced the programs in place"

# ---- 2. nothing lost, every timer goes on -----------------------------------------------------

after=$(entries)
nafter=$(grep -c . <<<"$after")
missing=$(comm -23 <(echo "$before") <(echo "$after"))
[ -z "$missing" ] || xn_fail "entries lost over the SIGKILL: $missing"
[ "$nafter" = "$nbefore" ] || xn_fail "$nbefore entries before the SIGKILL, $nafter after: $(comm -13 <(echo "$before") <(echo "$after"))"
kafter=$(kernel_ours | grep -c . || true)
# the load ran through the kill, the gap and the new daemon's start; a
# little longer, then the timers are watched without it
sleep 2
load_stop load-crash
load_check "SIGKILL and restart"
xn_ok "SIGKILL under load: $(lf sent) requests, every one answered; all $nbefore entries kept"
LOAD_CRASH=$LOAD

# made_change LOG ADDR CHANGE: the daemon's log shows ADDR's change, e.g. "STALE (was REACHABLE)"
made_change()
{
	grep -Eq "^xneighd: ${2//./\\.} dev h0 (lladdr [0-9a-f:]+ )?$(sed 's/[()]/\\&/g' <<<"$3")$" "$1"
}
timeline_done()
{
	made_change "$log2" $IP_R "STALE (was REACHABLE)" &&
		made_change "$log2" $IP_D "REACHABLE (was PROBE)" &&
		made_change "$log2" $IP_P "FAILED (was PROBE)" &&
		made_change "$log2" $IP_I "FAILED (was INCOMPLETE)"
}
xn_wait_for $WAIT timeline_done ||
	xn_fail "the timers did not all go on in xneighd-2: R $(state $IP_R), D $(state $IP_D)," \
		"P $(state $IP_P), I $(state $IP_I) (want STALE, REACHABLE, FAILED, FAILED);" \
		"its changes: $(grep -E "^xneighd: 10\.13\.[01]\.[0-9]+ dev h0 .*\(was" "$log2" | head -20)"
for change in "$IP_R STALE (was REACHABLE)" "$IP_D PROBE (was DELAY)" \
	      "$IP_D REACHABLE (was PROBE)" "$IP_P FAILED (was PROBE)" "$IP_I FAILED (was INCOMPLETE)"; do
	read -r addr rest <<<"$change"
	made_change "$log2" "$addr" "$rest" ||
		xn_fail "xneighd-2 did not make the change '$change' (not in its log)"
	! made_change "$XN_TMP/xneighd-1.log" "$addr" "$rest" ||
		xn_fail "'$change' happened before the SIGKILL already"
done
state_is $IP_S STALE || xn_fail "$IP_S is '$(state $IP_S)', not STALE"
nP=$(probes $IP_P) nI=$(probes $IP_I) nD=$(probes $IP_D)
[ "$nP" = $((UCAST + RESOLICIT)) ] && [ "$nI" = $((MCAST + APP)) ] && [ "$nD" = 1 ] ||
	xn_fail "probes on the wire: P $nP (want ucast_solicit $UCAST + mcast_resolicit $RESOLICIT), I $nI (want mcast_solicit $MCAST + app_solicit $APP), D $nD (want 1)"

# when_done MONITOR-1-STATE ADDR MONITOR-2-STATE: seconds from ADDR's change
# to the first state (xneighd-1) to the second (xneighd-2); a change made
# before monitor-2 subscribed (a timer due while no daemon ran, acted on as
# xneighd-2 started) counts from xneighd-2's start and is marked "<="
when_done()
{
	local t0 t1 mark=""
	t0=$(epoch "$(when_seen monitor-1 "$2" "$1")")
	t1=$(when_seen monitor-2 "$2" "$3")
	if [ -n "$t1" ]; then
		t1=$(epoch "$t1")
	else
		t1=$T_UP2 mark="<="
	fi
	echo "$mark$(span "$t0" "$t1")"
}
msg="timers resumed ($ARMED armed by xneighd-2):"
msg+=" R REACHABLE -> STALE $(when_done REACHABLE $IP_R STALE) s (reachable_time in [10, 30) s);"
msg+=" D DELAY -> PROBE $(when_done DELAY $IP_D PROBE) s (delay_first_probe_time 4 s),"
msg+=" then REACHABLE after $nD probe;"
msg+=" P PROBE -> FAILED $(when_done PROBE $IP_P FAILED) s after $nP probes;"
msg+=" I INCOMPLETE -> FAILED $(when_done INCOMPLETE $IP_I FAILED) s after $nI probes"
msg+=" (retrans_time 2 s); S STALE"
xn_ok "$msg"
LOAD=$LOAD_CRASH
msg="figures: crash: rate $(lf rate)/s, sent $(lf sent) (ARP $(lf sent_arp), NS $(lf sent_ns)),"
msg+=" answered $(lf answered), lost $(lf lost) in $(lf seconds) s;"
msg+=" no daemon for $(span "$T_KILL" "$T_UP2") s (1.5 s, then xneighd-2 starting);"
msg+=" entries $nbefore before, $nafter after (kernel mirror $kbefore, $kafter);"
msg+=" timers resumed $ARMED; generator at most $(lf behind_max) requests behind its schedule"
xn_info "$msg"

# ---- 3. upgrade to another build ------------------------------------------------------------

before=$(entries)
nbefore=$(grep -c . <<<"$before")
old_xdp=$(xdp_id)
old_tag=$(prog_tag "$old_xdp")
load_start load-upgrade "$RATE"
sleep 1
T_STOP=$(now)
xn_daemon_stop "$XND2" || xn_fail "xneighd-2 did not exit on SIGTERM"
[ "$XN_STOP_RC" = 0 ] || xn_fail "xneighd-2 --keep exited with $XN_STOP_RC"
[ "$(xdp_id)" = "$old_xdp" ] || xn_fail "--keep: the XDP program $old_xdp did not stay"
start_xnd XND3 xneighd-next "$NEXT_XNEIGHD"
T_UP3=$DAEMON_UP
log3=$XN_TMP/xneighd-next.log
grep -q "adopting the data plane of an xneighd that is gone: .* (found pinned)" "$log3" ||
	xn_fail "the new build did not adopt the pinned maps: $(grep -v libbpf "$log3" | head -20)"
grep -q "XDP xn_xdp replaced program id $old_xdp in native mode, atomically" "$log3" ||
	xn_fail "the new build did not replace XDP program $old_xdp in place"
new_xdp=$(xdp_id)
new_tag=$(prog_tag "$new_xdp")
[ "$new_xdp" != "$old_xdp" ] && [ "$new_tag" != "$old_tag" ] ||
	xn_fail "h0 does not run the new build: program $old_xdp tag $old_tag before, $new_xdp tag $new_tag after"
sleep 1
load_stop load-upgrade
load_check "upgrade"
after=$(entries)
nafter=$(grep -c . <<<"$after")
missing=$(comm -23 <(echo "$before") <(echo "$after"))
[ -z "$missing" ] || xn_fail "entries lost over the upgrade: $missing"
xn_ok "upgrade under load: xn_xdp $old_xdp (tag $old_tag) replaced in place by $new_xdp" \
      "(tag $new_tag, -mcpu=v2 build); all $nbefore entries kept"
msg="figures: upgrade: rate $(lf rate)/s, sent $(lf sent) (ARP $(lf sent_arp), NS $(lf sent_ns)),"
msg+=" answered $(lf answered), lost $(lf lost) in $(lf seconds) s;"
msg+=" no daemon for $(span "$T_STOP" "$T_UP3") s (xneighd-2 stopping with --keep, the new build"
msg+=" starting); entries $nbefore before, $nafter after"
xn_info "$msg"

# ---- 4. detach: the kernel answers again, nothing left -------------------------------------------

nk=$(kernel_ours | grep -c . || true)
[ "$nk" -gt 0 ] || xn_fail "no kernel table mirror entry to see removed"
xn_daemon_stop "$XND3" || xn_fail "the new build did not exit on SIGTERM"
[ "$XN_STOP_RC" = 0 ] || xn_fail "the new build exited with $XN_STOP_RC"
[ -z "$(ip -n "$HOST" -j link show dev h0 | jq -r '.[0].xdp // empty')" ] ||
	xn_fail "h0 still has XDP: $(ip -n "$HOST" link show dev h0)"
[ -z "$(xn_tc_prog "$HOST" h0 ingress id)$(xn_tc_prog "$HOST" h0 egress id)" ] ||
	xn_fail "TC filters left on h0: $(tc -n "$HOST" filter show dev h0 egress)"
[ ! -e "$PINDIR" ] || xn_fail "pins left in $PINDIR: $(ls "$PINDIR")"
left=$(kernel_ours)
[ -z "$left" ] || xn_fail "kernel table mirror entries left: $left"
ip netns exec "$HOST" nft delete table arp xn_lab
ip netns exec "$HOST" nft delete table ip6 xn_lab6
PATH_BEFORE="" PATH_AFTER=""		# no xneigh counters any more
LOAD=$(ip netns exec "$PEER" "$REQLOAD" -i p0 --mac $MAC_GEN --arp $IP_GEN,$IP_H0 \
	--ns $IP6_GEN,$IP6_H0 --rate 1000 --seconds 2) || xn_fail "the generator failed after detach"
load_check "after detach (the kernel answers)"
xn_ok "detach: no XDP, no TC filter, no pins, the $nk kernel mirror entries removed;" \
      "the kernel answered all $(lf sent) requests (ARP $(lf sent_arp), NS $(lf sent_ns)) at 1000/s"
