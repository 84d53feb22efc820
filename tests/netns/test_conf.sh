#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# xneighd's neighbour parameters in layers: the kernel's sysctls, the
# configuration file (--config, SIGHUP), run-time overrides (`xneigh conf
# set`), and what the NUD engine and the data plane do with the result.
#
#  xn-peer-PID                          xn-host-PID
# +---------------------------+        +------------------------------------------+
# | p0  02:00:00:00:04:02     |        | h0  02:00:00:00:04:01                    |
# |     10.4.0.2/24           |--veth--|     10.4.0.1/24                          |
# |     2001:db8:4::2/64      |        |     2001:db8:4::1/64                     |
# |  xdp: xdp_pass            |        | xneighd -i h0 --config $XN_TMP/x.conf    |
# |  tcpdump on p0            |        |   (x.conf: dev h0 inet ucast_solicit 4,  |
# +---------------------------+        |    inet6 gc_thresh1 64)                  |
#                                      +------------------------------------------+
#
# Checks:
#  1. xneighd refuses a bad file, exit 2, the message naming file:line and the
#     word (unknown key, negative, overflow, gc_thresh with dev, trailing word),
#     and a missing --config file; the shipped example file is accepted;
#  2. `conf show dev h0 -4`: every key, sysctl values with source sysctl, the
#     file's ucast_solicit 4 with source file, gc_thresh* builtin (not the
#     initial netns); the text table exactly; -6 without dev: gc_thresh1 64
#     from the file;
#  3. sysctls written while running: mcast_solicit (no file value) follows,
#     ucast_solicit keeps the file's value;
#  4. `conf set` overrides both (source override); hostile values (negative,
#     overflow, unknown key, unknown device, not a number, gc_thresh with a
#     device) exit 2 naming the word, with -j as JSON, and change nothing;
#  5. the NUD engine follows: an unresolved address is probed mcast_solicit
#     times (3 from the sysctl, then 1 and 2 after `conf set`), retrans_time_ms
#     apart (300 after `conf set`), then FAILED; -6 sets only IPv6 (2 NS);
#  6. the data plane follows: xn_ifconf's locktime_ms and base_reachable_ms
#     take an override of locktime / base_reachable_time (in s);
#  7. `conf set ... default` and `conf unset` remove overrides;
#  8. SIGHUP re-reads the file; a bad file on SIGHUP is logged (file:line,
#     word) and the settings in force stay;
#  9. no xneighd: exit 1 with a message, JSON with -j.

. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
xn_strict

MAC_H0=02:00:00:00:04:01 MAC_P0=02:00:00:00:04:02
IP_H0=10.4.0.1 IP_P0=10.4.0.2
IP6_H0=2001:db8:4::1 IP6_P0=2001:db8:4::2
WAIT=10

xn_require_root
xn_require_tools ip tcpdump awk jq sysctl bpftool
xn_require_build "$XN_XNEIGHD" "$XN_XNEIGH" "$XN_XDP_PASS"

xn_lab_begin

xn_ns_add HOST host
xn_ns_add PEER peer
xn_veth "$HOST" h0 $MAC_H0 "$PEER" p0 $MAC_P0
ip -n "$HOST" addr add $IP_H0/24 dev h0
ip -n "$PEER" addr add $IP_P0/24 dev p0
ip -n "$HOST" addr add $IP6_H0/64 dev h0 nodad
ip -n "$PEER" addr add $IP6_P0/64 dev p0 nodad
xn_xdp_pass "$PEER" p0 || xn_skip "native XDP on veth not available (attaching xdp_pass failed)"
no_tentative() { ! ip -n "$1" -6 addr show dev "$2" | grep -q tentative; }
xn_wait_for $WAIT no_tentative "$HOST" h0 || xn_fail "h0's link-local address stays tentative"

conf() { xn_cli "$HOST" conf "$@"; }
# val FAMILY DEV KEY: "VALUE SOURCE" of KEY from `conf show -j` (DEV "": default set)
val()
{
	local dev=()
	[ -n "$2" ] && dev=(dev "$2")
	conf show "${dev[@]}" -j | jq -r --arg f "$1" --arg k "$3" \
		'.[] | select(.family == $f and .key == $k) | "\(.value) \(.source)"'
}
# expect FAMILY DEV KEY "VALUE SOURCE"
expect()
{
	local got
	got=$(val "$1" "$2" "$3")
	[ "$got" = "$4" ] || xn_fail "conf show ${2:+dev $2 }$1 $3: '$got', expected '$4'"
}
sysctl_get() { ip netns exec "$HOST" sysctl -n "$1"; }

# ---- 1. bad files refuse start ---------------------------------------------------

# bad_file TEXT MESSAGE: xneighd --config FILE(TEXT) exits 2 saying MESSAGE.
bad_file()
{
	local f="$XN_TMP/bad.conf" out rc
	printf '%b' "$1" >"$f"
	out=$(ip netns exec "$HOST" "$XN_XNEIGHD" -i h0 --config "$f" 2>&1) && rc=0 || rc=$?
	[ "$rc" = 2 ] || xn_fail "bad file '$1': exit $rc, expected 2 ($out)"
	[ "$out" = "xneighd: $f:$2" ] ||
		xn_fail "bad file '$1': said '$out', expected 'xneighd: $f:$2'"
}
bad_file 'mcast_solicit 1\nbogus_key 3\n' "2: unknown key 'bogus_key'"
bad_file 'dev h0 inet6 retrans_time_ms -5\n' \
	"1: value '-5' for retrans_time_ms is out of range: expected 0 to 2147483647 (ms)"
bad_file '# x\n\ninet base_reachable_time 99999999999\n' \
	"3: value '99999999999' for base_reachable_time is out of range: expected 0 to 2147483 (s)"
bad_file 'dev h0 gc_thresh2 10\n' "1: gc_thresh2 is table-wide: it takes no 'dev h0'"
bad_file 'inet mcast_solicit 3 4\n' "1: unexpected '4' after 'mcast_solicit 3'"
out=$(ip netns exec "$HOST" "$XN_XNEIGHD" -i h0 --config "$XN_TMP/none.conf" 2>&1) && rc=0 || rc=$?
[ "$rc" = 2 ] && [ "$out" = "xneighd: $XN_TMP/none.conf: No such file or directory" ] ||
	xn_fail "missing --config file: exit $rc, said '$out'"
# nothing of it was attached
[ -z "$(xn_xdp_prog_id "$HOST" h0)" ] || xn_fail "a refused start left a program on h0"
xn_ok "bad files and a missing --config file: exit 2, file:line and the word named"

# the shipped example is a valid file, read as documented
xn_daemon_start XEX "$HOST" xneighd-example "$XN_XNEIGHD" -i h0 \
	--config "$XN_TOP/user/xneighd/xneighd.conf.example"
xn_wait_for $WAIT eval 'conf show -6 -j >/dev/null 2>&1' ||
	xn_fail "xneighd with the example file: $(cat "$(xn_daemon_log "$XEX")")"
expect inet "" mcast_solicit "2 file"
expect inet6 h0 retrans_time_ms "500 file"
expect inet6 "" gc_thresh3 "4096 file"
xn_daemon_stop "$XEX" || xn_fail "xneighd with the example file did not stop"
xn_ok "user/xneighd/xneighd.conf.example is read as documented"

# ---- 2. start; sysctl and file values ---------------------------------------------

cat >"$XN_TMP/x.conf" <<'EOF'
# xneighd test configuration
dev h0 inet ucast_solicit 4	# more unicast probes on h0
inet6 gc_thresh1 64
EOF
xn_daemon_start XND "$HOST" xneighd "$XN_XNEIGHD" -i h0 --config "$XN_TMP/x.conf" -vv
LOG=$(xn_daemon_log "$XND")
ready()
{
	xn_daemon_alive "$XND" || xn_fail "xneighd exited early: $(cat "$LOG")"
	conf show -4 dev h0 -j >/dev/null 2>&1
}
xn_wait_for $WAIT ready || xn_fail "xneighd does not answer conf show within ${WAIT}s"
grep -q "configuration $XN_TMP/x.conf: 2 settings" "$LOG" ||
	xn_fail "the log does not report the file: $(grep -i config "$LOG" || true)"

# the whole IPv4 table of h0, each sysctl value read from /proc
want="inet dev h0
KEY                      VALUE       SOURCE"
for k in base_reachable_time_ms retrans_time_ms delay_first_probe_time gc_stale_time locktime \
	 ucast_solicit mcast_solicit app_solicit mcast_resolicit unres_qlen; do
	if [ $k = ucast_solicit ]; then
		line=$(printf '%-24s %-11s %s' $k 4 file)
	else
		line=$(printf '%-24s %-11s %s' $k "$(sysctl_get net.ipv4.neigh.h0.$k)" sysctl)
	fi
	want+=$'\n'$line
done
want+=$'\n'$(printf '%-24s %-11s %s' gc_thresh1 128 builtin)
want+=$'\n'$(printf '%-24s %-11s %s' gc_thresh2 512 builtin)
want+=$'\n'$(printf '%-24s %-11s %s' gc_thresh3 1024 builtin)
got=$(conf show dev h0 -4)
[ "$got" = "$want" ] || xn_fail "conf show dev h0 -4:
$got
expected:
$want"
expect inet6 h0 ucast_solicit "3 sysctl"		# the file's line is inet only
expect inet6 "" gc_thresh1 "64 file"
expect inet6 "" gc_thresh2 "512 builtin"
expect inet "" gc_thresh1 "128 builtin"
expect inet "" base_reachable_time_ms "30000 builtin"	# no neigh/default here
[ "$(conf show dev h0 -j | jq 'length')" = 26 ] || xn_fail "conf show dev h0 -j: not 2 x 13 rows"
xn_ok "conf show: sysctl values (source sysctl), the file's (source file), builtin gc_thresh*"

# ---- 3. sysctls written while running ------------------------------------------------

ip netns exec "$HOST" sysctl -qw net.ipv4.neigh.h0.mcast_solicit=5 net.ipv4.neigh.h0.ucast_solicit=7
shows() { [ "$(val "$1" "$2" "$3")" = "$4" ]; }
xn_wait_for $WAIT shows inet h0 mcast_solicit "5 sysctl" ||
	xn_fail "sysctl mcast_solicit=5: conf show says '$(val inet h0 mcast_solicit)'"
# the same poll read ucast_solicit=7: the file's value stays in force
expect inet h0 ucast_solicit "4 file"
ip netns exec "$HOST" sysctl -qw net.ipv4.neigh.h0.mcast_solicit=3
xn_wait_for $WAIT shows inet h0 mcast_solicit "3 sysctl" ||
	xn_fail "mcast_solicit back to 3 not seen"
xn_ok "sysctl writes flow where no layer covers them (mcast_solicit 5), not where the file does"

# ---- 4. overrides; hostile values ----------------------------------------------------

conf set dev h0 -4 ucast_solicit 2 || xn_fail "conf set dev h0 -4 ucast_solicit 2 failed"
expect inet h0 ucast_solicit "2 override"
expect inet6 h0 ucast_solicit "3 sysctl"
grep -q "conf: override: dev h0 inet ucast_solicit 2" "$LOG" || xn_fail "the override is not logged"

before=$(conf show dev h0 -j)
before_dflt=$(conf show -j)
# hostile ARGS... EXPECTED-MESSAGE: exit 2, the message, nothing changed
hostile()
{
	local msg=${*: -1} out rc
	set -- "${@:1:$#-1}"
	out=$(conf "$@" 2>&1) && rc=0 || rc=$?
	[ "$rc" = 2 ] || xn_fail "conf $*: exit $rc, expected 2 ($out)"
	[ "$out" = "xneigh: $msg" ] || xn_fail "conf $*: said '$out', expected 'xneigh: $msg'"
	out=$(xn_cli "$HOST" -j conf "$@" 2>&1) && rc=0 || rc=$?
	[ "$rc" = 2 ] && [ "$(jq -r .error <<<"$out")" = "$msg" ] ||
		xn_fail "-j conf $*: exit $rc, '$out'"
}
hostile set dev h0 mcast_solicit -1 \
	"value '-1' for mcast_solicit is out of range: expected 0 to 2147483647"
hostile set dev h0 -6 retrans_time_ms 2147483648 \
	"value '2147483648' for retrans_time_ms is out of range: expected 0 to 2147483647 (ms)"
big=99999999999999999999
hostile set dev h0 retrans_time $big \
	"value '$big' for retrans_time is out of range: expected 0 to 214748364 (USER_HZ ticks)"
hostile set dev h0 mcast_solicits 1 "unknown key 'mcast_solicits'"
hostile set dev nosuch0 mcast_solicit 1 'Cannot find device "nosuch0"'
hostile set dev h0 ucast_solicit lots \
	"invalid value 'lots' for ucast_solicit: expected an integer from 0 to 2147483647"
hostile set dev h0 gc_thresh3 10 "gc_thresh3 is table-wide: it takes no 'dev h0'"
hostile set dev h0 mcast_solicit "conf set needs a VALUE (or default) after the KEY"
hostile show dev nosuch0 'Cannot find device "nosuch0"'
[ "$(conf show dev h0 -j)" = "$before" ] && [ "$(conf show -j)" = "$before_dflt" ] ||
	xn_fail "a refused conf set changed something"
xn_ok "conf set overrides (source override); hostile values exit 2 naming the word, nothing changed"

# ---- 5. the NUD engine follows -----------------------------------------------------------

CAP_PID=
cap_start()
{
	ip netns exec "$PEER" tcpdump -i p0 -l -nn -e -tt "${@:2}" >"$1" 2>"$1.err" &
	CAP_PID=$!
	xn_wait_for 5 grep -q "listening on" "$1.err" ||
		xn_fail "tcpdump did not start: $(cat "$1.err")"
}
cap_stop()
{
	sleep 0.3
	kill -INT "$CAP_PID" 2>/dev/null || true
	wait "$CAP_PID" 2>/dev/null || true
}
# arp_times FILE TARGET: time stamps of the ARP requests for TARGET from h0
arp_times()
{
	awk -v t="$2" '/Request who-has/ && $0 ~ ("who-has " t " ") { print $1 }' "$1"
}
ns_times()
{
	awk -v t="$2" '/neighbor solicitation/ && $0 ~ ("who has " t "(,|$)") { print $1 }' "$1"
}
# gaps: the differences between successive times on stdin, in ms
gaps()
{
	awk '{ if (NR > 1) printf "%s%d", (NR > 2 ? " " : ""), ($1 - p) * 1000; p = $1 }
	     END { print "" }'
}
in_range()
{
	local lo=$1 hi=$2 v
	shift 2
	for v in "$@"; do [ "$v" -ge "$lo" ] && [ "$v" -le "$hi" ] || return 1; done
}
resolve() { ip netns exec "$HOST" "$XN_XNEIGHD" --resolve "$1" --dev h0 --wait 2>&1 || true; }

# probes ADDR arp|ns: resolve ADDR (nobody has it); print "COUNT GAPS"
probes()
{
	local f="$XN_TMP/cap.$1" out times
	cap_start "$f" "$([ "$2" = arp ] && echo arp || echo icmp6)"
	out=$(resolve "$1")
	cap_stop
	[ "$out" = "$1 dev h0 FAILED" ] || xn_fail "--resolve $1 --wait: '$out', expected FAILED"
	times=$([ "$2" = arp ] && arp_times "$f" "$1" || ns_times "$f" "$1")
	echo "$(grep -c . <<<"$times" || true) $(gaps <<<"$times")"
}

r=$(probes 10.4.0.91 arp)
[ "${r%% *}" = 3 ] || xn_fail "mcast_solicit 3 (sysctl): $r ARP requests, expected 3"
conf set dev h0 -4 mcast_solicit 1
r=$(probes 10.4.0.92 arp)
[ "$r" = "1 " ] || xn_fail "mcast_solicit 1 (override): '$r' ARP requests, expected 1"
conf set -4 mcast_solicit 2		# every device: the device's own override wins
expect inet h0 mcast_solicit "1 override"
conf set dev h0 -4 mcast_solicit default
expect inet h0 mcast_solicit "2 override"
conf set dev h0 -4 retrans_time_ms 300
r=$(probes 10.4.0.93 arp)
read -r n g <<<"$r"
[ "$n" = 2 ] || xn_fail "mcast_solicit 2 (override for every device): $n ARP requests, expected 2"
in_range 200 800 "$g" || xn_fail "retrans_time_ms 300: requests $g ms apart, expected about 300"
conf set dev h0 -6 mcast_solicit 2
expect inet6 h0 mcast_solicit "2 override"
r=$(probes 2001:db8:4::93 ns)
[ "${r%% *}" = 2 ] || xn_fail "IPv6 mcast_solicit 2 (override): $r NS, expected 2"
xn_ok "the NUD engine follows: 3 -> 1 -> 2 broadcast probes, 300 ms apart; IPv6 2 NS"

# ---- 6. the data plane follows ---------------------------------------------------------

prog=$(xn_xdp_prog_id "$HOST" h0)
ifconf=$(xn_prog_map_id "$prog" xn_ifconf) || xn_fail "no xn_ifconf map on h0's program"
ifx=$(ip -n "$HOST" -j link show dev h0 | jq .[0].ifindex)
# ifconf FIELD: FIELD of h0's xn_ifconf value
ifconf()
{
	bpftool -j map lookup id "$ifconf" key $((ifx & 255)) $(((ifx >> 8) & 255)) 0 0 |
		jq -r --arg f "$1" '.formatted.value[$f]'
}
field_is() { [ "$(ifconf "$1")" = "$2" ]; }
field_is locktime_ms 1000 || xn_fail "xn_ifconf locktime_ms $(ifconf locktime_ms), expected 1000"
conf set dev h0 -4 locktime 250
conf set dev h0 base_reachable_time 12
field_is locktime_ms 2500 || xn_fail "locktime 250 ticks: xn_ifconf says $(ifconf locktime_ms) ms"
field_is base_reachable_ms 12000 || xn_fail "base_reachable_time 12: $(ifconf base_reachable_ms) ms"
field_is base_reachable6_ms 12000 ||
	xn_fail "base_reachable_time 12 (IPv6): $(ifconf base_reachable6_ms)"
expect inet h0 base_reachable_time_ms "12000 override"
expect inet h0 locktime "250 override"
# what the programs read: the snapshot, published by the same sync
xn_snap_current "$HOST" || xn_fail "xn_snap does not hold what xn_ifconf holds after conf set"
xn_ok "the data plane follows: locktime 250 -> 2500 ms, base_reachable_time 12 s -> 12000 ms, snapshot current"

# ---- 7. removing overrides --------------------------------------------------------------

conf set dev h0 -4 ucast_solicit default
expect inet h0 ucast_solicit "4 file"
conf unset dev h0 locktime
expect inet h0 locktime "100 sysctl"
field_is locktime_ms 1000 ||
	xn_fail "locktime override removed: xn_ifconf still $(ifconf locktime_ms)"
conf unset -4 mcast_solicit
expect inet h0 mcast_solicit "3 sysctl"
conf unset -4 mcast_solicit || xn_fail "removing an override that is not there failed"
xn_ok "conf set ... default and conf unset fall back to the file and the sysctl"

# ---- 8. SIGHUP -------------------------------------------------------------------------------

printf 'dev h0 inet ucast_solicit 6\ninet gc_stale_time 90\n' >"$XN_TMP/x.conf"
kill -HUP "$XND"
xn_wait_for $WAIT shows inet h0 ucast_solicit "6 file" ||
	xn_fail "SIGHUP: ucast_solicit is '$(val inet h0 ucast_solicit)', expected '6 file'"
expect inet h0 gc_stale_time "90 file"
expect inet6 "" gc_thresh1 "128 builtin"		# gone from the file
printf 'dev h0 inet ucast_solicit 8\ninet gc_stale_time ninety\n' >"$XN_TMP/x.conf"
kill -HUP "$XND"
said="x.conf:2: invalid value 'ninety' for gc_stale_time: expected an integer from 0 to 2147483"
said+=" (s); keeping the settings in force"
xn_wait_for $WAIT grep -qF "$said" "$LOG" ||
	xn_fail "a bad file on SIGHUP is not reported: $(tail -5 "$LOG")"
xn_daemon_alive "$XND" || xn_fail "a bad file on SIGHUP stopped xneighd"
expect inet h0 ucast_solicit "6 file"
expect inet h0 gc_stale_time "90 file"
xn_ok "SIGHUP re-reads the file; a bad one is reported and the settings stay"

# ---- 9. no daemon ------------------------------------------------------------------------------

xn_daemon_stop "$XND"
out=$(conf show 2>&1) && rc=0 || rc=$?
[ "$rc" = 1 ] && grep -q "^xneigh: no xneighd is running in this network namespace" <<<"$out" ||
	xn_fail "conf show without xneighd: exit $rc, '$out'"
out=$(conf set mcast_solicit 1 -j 2>&1) && rc=0 || rc=$?
[ "$rc" = 1 ] && jq -re .error <<<"$out" | grep -q "^no xneighd is running" ||
	xn_fail "conf set -j without xneighd: exit $rc, '$out'"
xn_ok "without xneighd: exit 1, one message (JSON with -j)"
