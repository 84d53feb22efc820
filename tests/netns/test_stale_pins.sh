#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Pins named after a reused namespace inode are not adopted. xneighd pins its
# maps in /sys/fs/bpf/xneigh/net<inode of the netns>; a namespace created
# after another is gone can get its inode number, and with it the pins its
# xneighd left (--keep, or killed). The pins carry the namespace's cookie
# (xn_global.netns_cookie, SO_NETNS_COOKIE), and neither xneighd nor xneigh
# uses pins stamped by another namespace.
#
# The reuse is staged, not waited for: the first daemon, in OLD, pins under
# NEW's name (--pin-dir), exactly what a recycled inode produces.
#
#  xn-old-PID (deleted in step 2)          xn-new-PID
# +----------------------------------+    +----------------------------------+
# | o0 02:00:00:00:07:00 (ifindex 2) |    | n0 02:00:00:00:08:00 (ifindex 2) |
# |  ==veth== o1  (no addresses; no  |    |  ==veth== n1  (no addresses; no  |
# |  IPv6 link-local, o1 no IPv6)    |    |  IPv6 link-local, n1 no IPv6)    |
# | xneighd -i o0 --keep             |    | xneighd -i n0, three times       |
# |   --pin-dir <NEW's pin dir>      |    |                                  |
# +----------------------------------+    +----------------------------------+
# Every xneighd and xneigh runs under nsenter --net, in this mount namespace,
# so all of them see the same bpffs (/sys/fs/bpf).
#
# Checks:
#  1. OLD's xneighd (--keep) pins under NEW's name, stamped with OLD's
#     cookie; two entries are added in OLD (10.7.0.99, 2001:db8:7::99, on
#     o0, whose ifindex n0 has too); it stops, its pins stay; OLD is deleted;
#  2. in NEW, with no daemon: xneigh show and stats warn that the pins belong
#     to another namespace, ignore them, find no data plane (exit 1): no
#     foreign entry is ever listed as n0's;
#  3. xneighd in NEW says the pins belong to another namespace, discards
#     them (not "adopting"), runs; its pins carry NEW's cookie, the foreign
#     entries are nowhere;
#  4. a legitimate restart: that daemon ran with --keep, an entry added
#     through it survives; the next xneighd adopts the pins ("found pinned")
#     without a warning; stopped without --keep, it removes them;
#  5. pins with a foreign stamp whose maps a program attached in NEW uses
#     (the stamp forged with bpftool after a --keep stop): xneigh ignores the
#     pins and finds the same data plane through n0's programs; xneighd
#     refuses to start (exit 1, naming the program) and removes nothing.

. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
xn_strict

MAC_O0=02:00:00:00:07:00 MAC_O1=02:00:00:00:07:01
MAC_N0=02:00:00:00:08:00 MAC_N1=02:00:00:00:08:01
FOREIGN4=10.7.0.99 FOREIGN6=2001:db8:7::99 OURS4=10.8.0.5
FAKE_COOKIE=1234567
WAIT=10

xn_require_root
xn_require_tools ip nsenter bpftool jq /usr/bin/python3
xn_require_build "$XN_XNEIGHD" "$XN_XNEIGH"
[ "$(stat -f -c %T /sys/fs/bpf 2>/dev/null)" = bpf_fs ] ||
	xn_skip "no bpffs at /sys/fs/bpf in this mount namespace (pins could not outlive a daemon)"

xn_lab_begin
xn_ns_add NEW new
xn_ns_add OLD old
NEWPATH=/run/netns/$NEW OLDPATH=/run/netns/$OLD
PINDIR=/sys/fs/bpf/xneigh/net$(stat -L -c %i "$NEWPATH")
[ ! -e "$PINDIR" ] || xn_fail "$PINDIR exists before the test: $(ls "$PINDIR")"

# Whatever happens, leave no pins and no attached program behind (the
# daemons here run with --keep; lib.sh's cleanup then stops the daemons and
# deletes the namespaces).
cleanup_pins()
{
	local rc=$?
	trap - ERR
	set +o errexit
	ip -n "$NEW" link set dev n0 xdp off 2>/dev/null
	tc -n "$NEW" qdisc del dev n0 clsact 2>/dev/null
	rm -rf "$PINDIR"
	(exit "$rc")
	xn__cleanup
}
trap cleanup_pins EXIT

# no link-local addresses: the kernel sends no ND of its own, nothing is learned
for ns in "$OLD" "$NEW"; do
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.addr_gen_mode=1 \
		net.ipv6.conf.default.addr_gen_mode=1
done
ip -n "$OLD" link add o0 address $MAC_O0 type veth peer name o1 address $MAC_O1
ip -n "$NEW" link add n0 address $MAC_N0 type veth peer name n1 address $MAC_N1
ip netns exec "$OLD" sysctl -qw net.ipv6.conf.o1.disable_ipv6=1
ip netns exec "$NEW" sysctl -qw net.ipv6.conf.n1.disable_ipv6=1
for d in o0 o1; do ip -n "$OLD" link set dev $d up; done
for d in n0 n1; do ip -n "$NEW" link set dev $d up; done
ifindex() { ip -n "$1" -j link show dev "$2" | jq -r '.[0].ifindex'; }
[ "$(ifindex "$OLD" o0)" = "$(ifindex "$NEW" n0)" ] ||
	xn_fail "o0 (ifindex $(ifindex "$OLD" o0)) and n0 ($(ifindex "$NEW" n0)) should share an ifindex"

cookie_of() # NSPATH: the namespace's cookie
{
	nsenter --net="$1" /usr/bin/python3 -c '
import socket, struct
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
print(struct.unpack("Q", s.getsockopt(socket.SOL_SOCKET, 71, 8))[0])'
}
stamp() { bpftool -j map dump pinned "$PINDIR/xn_global" | jq -r '.[0].formatted.value.netns_cookie'; }
OLD_COOKIE=$(cookie_of "$OLDPATH") || xn_skip "no SO_NETNS_COOKIE on this kernel (Linux 5.14+)"
NEW_COOKIE=$(cookie_of "$NEWPATH")

xn() { local p=$1; shift; nsenter --net="$p" "$XN_XNEIGH" "$@"; }

start_xnd()	# VAR NSPATH NAME ARGS...: xneighd under nsenter, up and running
{
	local var=$1 nspath=$2 name=$3 log pid
	shift 3
	log=$XN_TMP/$name.log
	nsenter --net="$nspath" "$XN_XNEIGHD" -v "$@" </dev/null >"$log" 2>&1 &
	pid=$!
	XN_DAEMONS+=("$pid:$name:$log")
	printf -v "$var" '%s' "$pid"
	running() { xn_daemon_alive "$pid" && grep -q "^xneighd: running;" "$log"; }
	xn_wait_for $WAIT running || xn_fail "$name is not running after ${WAIT}s: $(cat "$log")"
}

# ---- 1. OLD leaves pins under NEW's name ------------------------------------------------

start_xnd XND_OLD "$OLDPATH" xneighd-old -i o0 --keep --pin-dir "$PINDIR"
xn "$OLDPATH" add $FOREIGN4 dev o0 lladdr 02:00:00:00:07:99 || xn_fail "xneigh add $FOREIGN4 in OLD"
xn "$OLDPATH" add $FOREIGN6 dev o0 lladdr 02:00:00:00:07:66 || xn_fail "xneigh add $FOREIGN6 in OLD"
[ "$(xn "$OLDPATH" show -j | jq -r '[.[].dst] | sort | join(" ")')" = "$FOREIGN4 $FOREIGN6" ] ||
	xn_fail "OLD's table is not the two entries: $(xn "$OLDPATH" show)"
[ "$(stamp)" = "$OLD_COOKIE" ] || xn_fail "pinned xn_global stamped $(stamp), OLD's cookie is $OLD_COOKIE"
xn_daemon_stop "$XND_OLD" || xn_fail "OLD's xneighd did not stop"
[ -e "$PINDIR/xn_neigh4" ] || xn_fail "--keep: OLD's pins are gone"
ip netns del "$OLD"
xn_ok "OLD's xneighd left its pins in $PINDIR (NEW's name), stamped $OLD_COOKIE; OLD deleted"

# ---- 2. xneigh in NEW, no daemon: the pins are ignored --------------------------------------

for cmd in "show -j nud all" "stats -j"; do
	rc=0
	# shellcheck disable=SC2086  # the words of cmd
	xn "$NEWPATH" $cmd >"$XN_TMP/out" 2>"$XN_TMP/err" || rc=$?
	[ "$rc" = 1 ] || xn_fail "xneigh $cmd in NEW exited $rc, expected 1 (no data plane): $(cat "$XN_TMP/out")"
	! grep -q "$FOREIGN4\|$FOREIGN6" "$XN_TMP/out" || xn_fail "xneigh $cmd shows OLD's entries: $(cat "$XN_TMP/out")"
	want="xneigh: warning: ignoring the pins in $PINDIR: they belong to another network namespace (netns cookie $OLD_COOKIE, this one's is $NEW_COOKIE), left by an xneighd that is gone; looking for attached programs"
	[ "$(cat "$XN_TMP/err")" = "$want" ] || xn_fail "xneigh $cmd stderr:"$'\n'"$(cat "$XN_TMP/err")"$'\n'"expected:"$'\n'"$want"
	[ "$(jq -r .error "$XN_TMP/out")" = "no xneigh data plane in this network namespace (is xneighd running?)" ] ||
		xn_fail "xneigh $cmd: unexpected output $(cat "$XN_TMP/out")"
done
xn_ok "xneigh in NEW ignores the foreign pins (warning on stderr) and finds no data plane"

# ---- 3. xneighd in NEW discards them --------------------------------------------------------

start_xnd XND_NEW "$NEWPATH" xneighd-new-1 -i n0 --keep
log=$(xn_daemon_log "$XND_NEW")
want="xneighd: the pins in $PINDIR belong to another network namespace (netns cookie $OLD_COOKIE, this one's is $NEW_COOKIE): a namespace that is gone left them (xneighd --keep, or killed) under the inode number this namespace reuses; discarding them, the tables start empty"
grep -qxF "$want" "$log" || xn_fail "xneighd-new-1 did not say it discards the pins: $(head -20 "$log")"
! grep -q "adopting" "$log" || xn_fail "xneighd-new-1 adopted the foreign maps: $(grep adopting "$log")"
[ "$(stamp)" = "$NEW_COOKIE" ] || xn_fail "NEW's pins stamped $(stamp), NEW's cookie is $NEW_COOKIE"
xn "$NEWPATH" show -j nud all >"$XN_TMP/out" || xn_fail "xneigh show in NEW failed"
! grep -q "$FOREIGN4\|$FOREIGN6" "$XN_TMP/out" || xn_fail "OLD's entries in NEW's table: $(cat "$XN_TMP/out")"
xn "$NEWPATH" stats -j >"$XN_TMP/stats" 2>"$XN_TMP/err" || xn_fail "xneigh stats in NEW failed"
[ ! -s "$XN_TMP/err" ] || xn_fail "xneigh stats in NEW warns: $(cat "$XN_TMP/err")"
[ "$(jq -c '[.arp_cache.allocs, .ndisc_cache.allocs]' "$XN_TMP/stats")" = "[0,0]" ] ||
	xn_fail "NEW's counters are not fresh: $(jq -c '[.arp_cache.allocs, .ndisc_cache.allocs]' "$XN_TMP/stats")"
xn_ok "xneighd in NEW discarded the foreign pins and started fresh, stamped $NEW_COOKIE"

# ---- 4. a --keep restart in NEW adopts --------------------------------------------------------

xn "$NEWPATH" add $OURS4 dev n0 lladdr 02:00:00:00:08:05 || xn_fail "xneigh add $OURS4 in NEW"
xn_daemon_stop "$XND_NEW" || xn_fail "xneighd-new-1 did not stop"
[ -e "$PINDIR/xn_neigh4" ] || xn_fail "--keep: NEW's pins are gone"
start_xnd XND_NEW "$NEWPATH" xneighd-new-2 -i n0
log=$(xn_daemon_log "$XND_NEW")
grep -q "adopting the data plane of an xneighd that is gone: .* (found pinned)" "$log" ||
	xn_fail "xneighd-new-2 did not adopt the pins: $(head -20 "$log")"
! grep -q "belong to" "$log" || xn_fail "xneighd-new-2 took its own pins for foreign ones: $(grep "belong to" "$log")"
xn "$NEWPATH" show -j >"$XN_TMP/out" 2>"$XN_TMP/err" || xn_fail "xneigh show after the restart failed"
[ "$(jq -r '[.[].dst] | join(" ")' "$XN_TMP/out")" = "$OURS4" ] ||
	xn_fail "after the --keep restart the table is not $OURS4 alone: $(cat "$XN_TMP/out")"
[ ! -s "$XN_TMP/err" ] || xn_fail "xneigh warns about NEW's own pins: $(cat "$XN_TMP/err")"
xn_daemon_stop "$XND_NEW" || xn_fail "xneighd-new-2 did not stop"
[ ! -e "$PINDIR" ] || xn_fail "xneighd-new-2 (no --keep) left $PINDIR: $(ls "$PINDIR")"
xn_ok "--keep restart in NEW: pins adopted without a warning, $OURS4 kept; removed at the end"

# ---- 5. foreign stamp on maps in use here ------------------------------------------------------

start_xnd XND_NEW "$NEWPATH" xneighd-new-3 -i n0 --keep
xn "$NEWPATH" add $OURS4 dev n0 lladdr 02:00:00:00:08:05 || xn_fail "xneigh add $OURS4 in NEW"
xn_daemon_stop "$XND_NEW" || xn_fail "xneighd-new-3 did not stop"
# the first 24 bytes of xn_global as they are, a forged cookie, the rest
# (neigh_limit) as it is
value=$(bpftool -j map lookup pinned "$PINDIR/xn_global" key 0 0 0 0 |
	jq -r '.value[:24] | map(ltrimstr("0x")) | join(" ")')
rest=$(bpftool -j map lookup pinned "$PINDIR/xn_global" key 0 0 0 0 |
	jq -r '.value[32:] | map(ltrimstr("0x")) | join(" ")')
fake=$(printf '%016x' $FAKE_COOKIE | sed 's/../& /g' | tr ' ' '\n' | grep . | tac | paste -sd' ')
# shellcheck disable=SC2086  # hex bytes
bpftool map update pinned "$PINDIR/xn_global" key 0 0 0 0 value hex $value $fake $rest
[ "$(stamp)" = "$FAKE_COOKIE" ] || xn_fail "forging the stamp failed: $(stamp)"

xn "$NEWPATH" show -j >"$XN_TMP/out" 2>"$XN_TMP/err" || xn_fail "xneigh show with forged pins failed: $(cat "$XN_TMP/out" "$XN_TMP/err")"
grep -q "ignoring the pins in $PINDIR: they belong to another network namespace (netns cookie $FAKE_COOKIE" "$XN_TMP/err" ||
	xn_fail "xneigh did not warn about the forged pins: $(cat "$XN_TMP/err")"
[ "$(jq -r '[.[].dst] | join(" ")' "$XN_TMP/out")" = "$OURS4" ] ||
	xn_fail "xneigh did not find NEW's data plane through n0's programs: $(cat "$XN_TMP/out")"
start_xnd_fails()
{
	local log=$XN_TMP/xneighd-new-4.log rc=0
	timeout 20 nsenter --net="$NEWPATH" "$XN_XNEIGHD" -v -i n0 </dev/null >"$log" 2>&1 || rc=$?
	[ "$rc" = 1 ] || xn_fail "xneighd over pins in use exited $rc, expected 1: $(cat "$log")"
	grep -qE "^xneighd: the pins in $PINDIR belong to another network namespace \(netns cookie $FAKE_COOKIE, this one's is $NEW_COOKIE\), yet xn_xdp \(program id [0-9]+\) attached to n0 \(xdp\) in this namespace uses their maps: neither adopting nor removing them; detach that program or remove $PINDIR, then start again$" "$log" ||
		xn_fail "xneighd did not name the program using the foreign pins: $(cat "$log")"
}
start_xnd_fails
[ -e "$PINDIR/xn_neigh4" ] && [ "$(stamp)" = "$FAKE_COOKIE" ] || xn_fail "xneighd touched the pins it refused"
xn_ok "pins with a foreign stamp in use by n0's program: xneigh reads n0's maps, xneighd refuses, nothing removed"
exit 0
