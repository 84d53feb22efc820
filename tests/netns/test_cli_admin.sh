#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# xneigh add / replace / change / del / get against `ip neigh` doing the
# same to the kernel's tables: two identical labs, one where the kernel is
# the neighbour table (the reference) and one where xneigh's data plane is.
#
#  reference: the kernel                    device under test: xneigh
# +---------------------------------+      +---------------------------------+
# | xn-ref-PID                      |      | xn-dut-PID    xneighd -i e0     |
# |  e0 02:00:00:00:0a:00           |      |  e0 02:00:00:00:0a:00           |
# |     10.0.0.1/24 2001:db8::1/64  |      |     10.0.0.1/24 2001:db8::1/64  |
# |  `ip neigh OP ARGS`             |      |  `xneigh OP ARGS`               |
# +---------------|-----------------+      +---------------|-----------------+
#                 | veth                                   | veth
# +---------------|-----------------+      +---------------|-----------------+
# | xn-pref-PID   p0 02:00:00:00:0b:01     | xn-pdut-PID   p0 02:00:00:00:0b:01
# |  no addresses, IPv6 off: silent |      |  the same                       |
# |  sends: arping -U (gratuitous ARP request, sip = tip = ADDR)             |
# |         unsolicited NA, O=1, TLLAO 02:00:00:00:0b:01 (scapy)            |
# +---------------------------------+      +---------------------------------+
#
# Same names, MACs and addresses on both sides, so every output can be
# compared byte for byte. e0 has no link-local address (addr_gen_mode 1) and
# the peers no IPv6: the only entries are the ones the test writes.
# xneighd runs under nsenter --net (its pins visible here); xneigh runs under
# `ip netns exec` (no bpffs: it finds the maps through the attached programs
# and xn_ctl by walking the loaded programs), once also under nsenter (pins).
#
# Checks, each step done on both sides and compared:
#  1. add (default PERMANENT), add again (File exists), add without lladdr
#     (No link layer address given; a NONE entry stays), replace (new and
#     existing; router set then cleared), change (existing; missing: No such
#     file or directory), del, del of a missing entry, get of a missing entry;
#     IPv4 and IPv6. Exit codes: ip's kernel refusals are 2, xneigh's 1; the
#     xneigh message names the entry and carries ip's reason.
#     Multicast and broadcast keys need no lladdr: the kernel's constructor
#     gives them one (NUD-12/13), and so does xneigh.
#  2. get (text, and -j against `ip -j neigh show to ADDR`), whole tables.
#  3. PERMANENT entries are untouched by a gratuitous ARP / an unsolicited
#     override NA with another MAC, while a STALE entry takes the new MAC
#     (so the frames did arrive); static_untouched counts the refusals.
#  4. malformed arguments: refused by ip too; xneigh exits 2 naming the
#     token, in JSON mode with {"error": ...}; an unknown device: ip exits 1,
#     xneigh 2 (a bad argument, as for its other commands: nothing is tried).
#  5. help at every level; proxy entries go to the kernel and xneighd
#     mirrors them (get proxy); flush dev e0 reports and leaves the same,
#     and removes entry by entry through xn_ctl (destroys counts each).

. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
xn_strict

MAC_E0=02:00:00:00:0a:00 MAC_P0=02:00:00:00:0b:01

xn_require_root
xn_require_tools ip jq nsenter arping cmp diff
xn_require_build "$XN_XNEIGHD" "$XN_XNEIGH"
[ "$(stat -f -c %T /sys/fs/bpf 2>/dev/null)" = bpf_fs ] ||
	xn_skip "no bpffs at /sys/fs/bpf in this mount namespace (xneighd's pins would go nowhere)"
SCAPY=1
/usr/bin/python3 -c 'import scapy.all' 2>/dev/null || SCAPY=0

xn_lab_begin
T=$XN_TMP

# side ROLE PEER_ROLE: host namespace with e0, peer namespace with p0.
side()
{
	local host peer
	xn_ns_add host "$1"
	xn_ns_add peer "$2"
	ip netns exec "$host" sysctl -qw net.ipv6.conf.all.addr_gen_mode=1 \
		net.ipv6.conf.default.addr_gen_mode=1
	# arping -U binds to the address it announces, which the peer does
	# not have
	ip netns exec "$peer" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1 net.ipv4.ip_nonlocal_bind=1
	xn_veth "$host" e0 $MAC_E0 "$peer" p0 $MAC_P0
	ip -n "$host" addr add 10.0.0.1/24 dev e0
	ip -n "$host" addr add 2001:db8::1/64 dev e0 nodad
	# REACHABLE stays REACHABLE for the whole test, in both (the kernel's
	# timer and xneighd's engine read the same sysctl)
	ip netns exec "$host" sysctl -qw net.ipv4.neigh.e0.base_reachable_time_ms=3600000 \
		net.ipv6.neigh.e0.base_reachable_time_ms=3600000
	printf -v "$3" '%s' "$host"
	printf -v "$4" '%s' "$peer"
}
side ref pref NS_REF NS_PREF
side dut pdut NS_DUT NS_PDUT
NSPATH=/run/netns/$NS_DUT

PINDIR=/sys/fs/bpf/xneigh/net$(stat -L -c %i "$NSPATH")
XND_LOG=$T/xneighd.log
nsenter --net="$NSPATH" "$XN_XNEIGHD" -i e0 -v </dev/null >"$XND_LOG" 2>&1 &
XND=$!
XN_DAEMONS+=("$XND:xneighd:$XND_LOG")	# lib.sh stops it on exit
# shellcheck disable=SC2317  # called through xn_wait_for
ready() { xn_daemon_alive "$XND" && [ -e "$PINDIR/xn_neigh4" ] && [ -e "$PINDIR/xn_proxy4" ]; }
xn_wait_for 10 ready || xn_fail "xneighd did not pin its maps in $PINDIR within 10 s"
xn_ok "xneighd runs on e0 in $NS_DUT"

REF=(ip -n "$NS_REF")
XN=(ip netns exec "$NS_DUT" "$XN_XNEIGH")
XNP=(nsenter --net="$NSPATH" "$XN_XNEIGH")

# ---- running both sides -------------------------------------------------------------

# both OP ARGS...: `ip neigh OP ARGS` in the reference, `xneigh OP ARGS` in
# the DUT; status, stdout and stderr of each kept.
both()
{
	"${REF[@]}" neigh "$@" >"$T/ip.out" 2>"$T/ip.err" && IP_RC=0 || IP_RC=$?
	"${XN[@]}" "$@" >"$T/xn.out" 2>"$T/xn.err" && XN_RC=0 || XN_RC=$?
}

said() { printf 'ip: rc %s, "%s%s" / xneigh: rc %s, "%s%s"' "$IP_RC" "$(cat "$T/ip.out")" \
	"$(cat "$T/ip.err")" "$XN_RC" "$(cat "$T/xn.out")" "$(cat "$T/xn.err")"; }

# ok OP ARGS...: both succeed and print the same bytes.
ok()
{
	both "$@"
	if [ "$IP_RC" != 0 ] || [ "$XN_RC" != 0 ]; then xn_fail "$*: $(said)"; fi
	cmp -s "$T/ip.out" "$T/xn.out" || xn_fail "$*: outputs differ: $(said)"
}

# refused OP ARGS...: the kernel refuses (ip exits 2 with "RTNETLINK
# answers: REASON" or "Error: REASON."); xneigh exits 1 with a message that
# names the entry ($ENTRY) and gives the same REASON.
refused()
{
	local reason
	both "$@"
	[ "$IP_RC" = 2 ] || xn_fail "ip neigh $* was not refused by the kernel: $(said)"
	[ "$XN_RC" = 1 ] || xn_fail "xneigh $* did not fail with exit status 1: $(said)"
	reason=$(sed -e 's/^RTNETLINK answers: //' -e 's/^Error: //' -e 's/\.$//' "$T/ip.err")
	[ -n "$reason" ] || xn_fail "ip neigh $*: no message to compare: $(said)"
	grep -qF "xneigh: $ENTRY: $reason" "$T/xn.err" ||
		xn_fail "xneigh $*: expected \"xneigh: $ENTRY: $reason\": $(said)"
	[ ! -s "$T/xn.out" ] || xn_fail "xneigh $*: printed on stdout: $(said)"
}

# same_get ADDR: get ADDR dev e0 prints the same in both; -j as ip's JSON
# listing of that entry ("ip -j neigh get" prints text in iproute2 6.1).
same_get()
{
	ok get "$1" dev e0
	"${REF[@]}" -j neigh show to "$1" nud all >"$T/ip.json"
	"${XN[@]}" -j get "$1" dev e0 >"$T/xn.json" || xn_fail "xneigh -j get $1 dev e0 failed"
	cmp -s "$T/ip.json" "$T/xn.json" ||
		xn_fail "xneigh -j get $1 dev e0: $(cat "$T/xn.json") but ip: $(cat "$T/ip.json")"
}

# get_is ADDR "LINE": both print exactly LINE (plus ip's trailing space).
get_is()
{
	same_get "$1"
	[ "$(cat "$T/xn.out")" = "$2 " ] || xn_fail "get $1 dev e0: \"$(cat "$T/xn.out")\", expected \"$2 \""
}

# same_table FAMILY PREFIX: the whole table, lines sorted (the kernel lists
# in hash order), text and JSON elements.
same_table()
{
	"${REF[@]}" "$1" neigh show to "$2" nud all | sort >"$T/ip.tab"
	"${XN[@]}" "$1" show to "$2" nud all | sort >"$T/xn.tab"
	[ -s "$T/ip.tab" ] || xn_fail "ip $1 neigh show to $2 lists nothing: the comparison would prove nothing"
	cmp -s "$T/ip.tab" "$T/xn.tab" ||
		xn_fail "tables differ ($1 to $2):"$'\n'"$(diff -u --label ip --label xneigh "$T/ip.tab" "$T/xn.tab")"
	"${REF[@]}" -j "$1" neigh show to "$2" nud all | jq -c '.[]' | sort >"$T/ip.tab"
	"${XN[@]}" -j "$1" show to "$2" nud all | jq -c '.[]' | sort >"$T/xn.tab"
	cmp -s "$T/ip.tab" "$T/xn.tab" ||
		xn_fail "JSON tables differ ($1 to $2):"$'\n'"$(diff -u --label ip --label xneigh "$T/ip.tab" "$T/xn.tab")"
}

# ---- 1. add, replace, change, del, get ----------------------------------------------

ENTRY="10.0.0.5 dev e0"
ok add 10.0.0.5 dev e0 lladdr 02:00:00:00:00:05
get_is 10.0.0.5 "10.0.0.5 dev e0 lladdr 02:00:00:00:00:05 PERMANENT"
refused add 10.0.0.5 dev e0 lladdr 02:00:00:00:00:55
get_is 10.0.0.5 "10.0.0.5 dev e0 lladdr 02:00:00:00:00:05 PERMANENT"

ENTRY="10.0.0.9 dev e0"
refused add 10.0.0.9 dev e0
get_is 10.0.0.9 "10.0.0.9 dev e0"		# the entry made before the refusal stays, NONE
ok add 10.0.0.10 dev e0 nud none
ok add 10.0.0.11 dev e0 lladdr 02:00:00:00:00:11 nud failed
get_is 10.0.0.11 "10.0.0.11 dev e0 FAILED"	# no address shown: not a valid state
ok add 10.0.0.12 dev e0 lladdr 02:00:00:00:00:12 nud noarp
ok add 10.0.0.6 dev e0 lladdr 02:00:00:00:00:06 nud stale
ok replace 10.0.0.7 dev e0 lladdr 02:00:00:00:00:07 nud reachable router
get_is 10.0.0.7 "10.0.0.7 dev e0 lladdr 02:00:00:00:00:07 router REACHABLE"
# no "nud": PERMANENT; no "router": the IsRouter flag goes (OVERRIDE_ISROUTER)
ok replace 10.0.0.7 dev e0 lladdr 02:00:00:00:00:77
get_is 10.0.0.7 "10.0.0.7 dev e0 lladdr 02:00:00:00:00:77 PERMANENT"
ok change 10.0.0.6 dev e0 lladdr 02:00:00:00:00:66 nud stale extern_learn
get_is 10.0.0.6 "10.0.0.6 dev e0 lladdr 02:00:00:00:00:66 extern_learn STALE"
# change without lladdr keeps the cached address; extern_learn goes again
ok change 10.0.0.6 dev e0 nud stale
get_is 10.0.0.6 "10.0.0.6 dev e0 lladdr 02:00:00:00:00:66 STALE"
ENTRY="10.0.0.8 dev e0"
refused change 10.0.0.8 dev e0 lladdr 02:00:00:00:00:08
refused get 10.0.0.8 dev e0
ok del 10.0.0.7 dev e0
ENTRY="10.0.0.7 dev e0"
refused get 10.0.0.7 dev e0
refused del 10.0.0.7 dev e0
# a NONE entry is deleted like any other
ok del 10.0.0.10 dev e0
xn_ok "IPv4: add, add again, add without lladdr, replace, change, del, del and get of missing entries"

ok add 2001:db8::5 dev e0 lladdr 02:00:00:00:00:05 router
get_is 2001:db8::5 "2001:db8::5 dev e0 lladdr 02:00:00:00:00:05 router PERMANENT"
ENTRY="2001:db8::5 dev e0"
refused add 2001:db8::5 dev e0 lladdr 02:00:00:00:00:05
ok replace 2001:db8::6 dev e0 lladdr 02:00:00:00:00:06 nud stale
ok replace 2001:db8::6 dev e0 lladdr 02:00:00:00:00:06 nud stale router
ok add 2001:db8::7 dev e0 lladdr 02:00:00:00:00:07 nud reachable
ok change 2001:db8::7 dev e0 lladdr 02:00:00:00:00:17 nud noarp
get_is 2001:db8::7 "2001:db8::7 dev e0 lladdr 02:00:00:00:00:17 NOARP"
ok del 2001:db8::7 dev e0
ENTRY="2001:db8::7 dev e0"
refused del 2001:db8::7 dev e0
refused get 2001:db8::7 dev e0
refused change 2001:db8::7 dev e0 lladdr 02:00:00:00:00:07
ENTRY="2001:db8::8 dev e0"
refused add 2001:db8::8 dev e0 nud reachable
xn_ok "IPv6: the same operations, the same answers"

# no lladdr needed where the kernel's constructor supplies one (NUD-12/13):
# multicast keys get the mapped MAC, broadcast keys the broadcast MAC
ok add 224.0.0.5 dev e0
get_is 224.0.0.5 "224.0.0.5 dev e0 lladdr 01:00:5e:00:00:05 PERMANENT"
ok add 10.0.0.255 dev e0 nud stale
get_is 10.0.0.255 "10.0.0.255 dev e0 lladdr ff:ff:ff:ff:ff:ff STALE"
ok replace ff02::1:2 dev e0
get_is ff02::1:2 "ff02::1:2 dev e0 lladdr 33:33:00:01:00:02 PERMANENT"
ok replace 239.1.2.3 dev e0 lladdr 02:00:00:00:01:23
get_is 239.1.2.3 "239.1.2.3 dev e0 lladdr 02:00:00:00:01:23 PERMANENT"
xn_ok "multicast and broadcast keys: the constructor's address, as in the kernel"

for a in 10.0.0.5 10.0.0.6 10.0.0.9 10.0.0.11 10.0.0.12 2001:db8::5 2001:db8::6 2001:db8::8; do
	same_get "$a"
done
same_table -4 0.0.0.0/0
same_table -6 2001:db8::/32
xn_ok "get (text and -j) and both whole tables agree with the kernel's"

# ---- 2. the other way to the data plane: pins, and xn_ctl found by walking ---------------

"${XN[@]}" -v -v replace 10.0.0.13 dev e0 lladdr 02:00:00:00:00:13 2>"$T/walk.err" ||
	xn_fail "xneigh replace under ip netns exec failed: $(cat "$T/walk.err")"
if ! grep -q "maps found through attached programs" "$T/walk.err" ||
	! grep -qE "ctl: (program id [0-9]+|pinned at $PINDIR/xn_ctl)" "$T/walk.err"; then
	xn_fail "xneigh under ip netns exec: maps or xn_ctl not found as expected: $(cat "$T/walk.err")"
fi
"${XNP[@]}" -v -v del 10.0.0.13 dev e0 2>"$T/pins.err" ||
	xn_fail "xneigh del under nsenter failed: $(cat "$T/pins.err")"
grep -q "maps found through pinned maps" "$T/pins.err" ||
	xn_fail "xneigh under nsenter did not use the pins: $(cat "$T/pins.err")"
if "${XN[@]}" get 10.0.0.13 dev e0 >/dev/null 2>&1; then
	xn_fail "10.0.0.13 is still there after xneigh del through the pins"
fi
xn_ok "through the attached programs (ip netns exec) and through the pins (nsenter)"

# ---- 3. received frames leave PERMANENT entries alone --------------------------------------

untouched() { "${XN[@]}" stats -j | jq -e --arg t "$1" '.[$t].static_untouched | numbers'; }
U4=$(untouched arp_cache)
for ns in "$NS_PREF" "$NS_PDUT"; do
	ip netns exec "$ns" arping -q -U -c 1 -I p0 10.0.0.5 || true	# -U expects no reply
	ip netns exec "$ns" arping -q -U -c 1 -I p0 10.0.0.6 || true
done
# shellcheck disable=SC2317  # called through xn_wait_for
moved() { "${XN[@]}" get "$1" dev e0 2>/dev/null | grep -q "lladdr $MAC_P0"; }
# shellcheck disable=SC2317
kernel_moved() { "${REF[@]}" neigh get "$1" dev e0 2>/dev/null | grep -q "lladdr $MAC_P0"; }
xn_wait_for 5 moved 10.0.0.6 || xn_fail "the gratuitous ARP for 10.0.0.6 did not reach xneigh: $("${XN[@]}" get 10.0.0.6 dev e0)"
xn_wait_for 5 kernel_moved 10.0.0.6 ||
	xn_fail "the gratuitous ARP for 10.0.0.6 did not reach the kernel: $("${REF[@]}" neigh get 10.0.0.6 dev e0)"
get_is 10.0.0.6 "10.0.0.6 dev e0 lladdr $MAC_P0 STALE"
get_is 10.0.0.5 "10.0.0.5 dev e0 lladdr 02:00:00:00:00:05 PERMANENT"
[ "$(untouched arp_cache)" -gt "$U4" ] || xn_fail "static_untouched (arp_cache) did not count the refused update: still $U4"
xn_ok "gratuitous ARP from $MAC_P0: PERMANENT 10.0.0.5 unchanged, STALE 10.0.0.6 took the new MAC (kernel and xneigh)"

if [ "$SCAPY" = 1 ]; then
	U6=$(untouched ndisc_cache)
	for ns in "$NS_PREF" "$NS_PDUT"; do
		for tgt in 2001:db8::5 2001:db8::6; do
			ip netns exec "$ns" /usr/bin/python3 - "$tgt" "$MAC_P0" <<'EOF'
import sys
from scapy.all import Ether, IPv6, ICMPv6ND_NA, ICMPv6NDOptDstLLAddr, sendp
tgt, mac = sys.argv[1], sys.argv[2]
sendp(Ether(src=mac, dst="33:33:00:00:00:01") /
      IPv6(src="fe80::b01", dst="ff02::1", hlim=255) /
      ICMPv6ND_NA(tgt=tgt, R=0, S=0, O=1) / ICMPv6NDOptDstLLAddr(lladdr=mac),
      iface="p0", verbose=False)
EOF
		done
	done
	xn_wait_for 5 moved 2001:db8::6 || xn_fail "the NA for 2001:db8::6 did not reach xneigh: $("${XN[@]}" get 2001:db8::6 dev e0)"
	xn_wait_for 5 kernel_moved 2001:db8::6 ||
		xn_fail "the NA for 2001:db8::6 did not reach the kernel: $("${REF[@]}" neigh get 2001:db8::6 dev e0)"
	# an NA without R clears IsRouter (ND-NA10: OVERRIDE_ISROUTER)
	get_is 2001:db8::6 "2001:db8::6 dev e0 lladdr $MAC_P0 STALE"
	get_is 2001:db8::5 "2001:db8::5 dev e0 lladdr 02:00:00:00:00:05 router PERMANENT"
	[ "$(untouched ndisc_cache)" -gt "$U6" ] || xn_fail "static_untouched (ndisc_cache) did not count the refused update: still $U6"
	xn_ok "override NA from $MAC_P0: PERMANENT 2001:db8::5 unchanged, STALE 2001:db8::6 took the new MAC"
else
	xn_ok "IPv6 part of 3 not run: /usr/bin/python3 has no scapy (python3-scapy) to send the NA"
fi

# ---- 4. malformed arguments ------------------------------------------------------------------

# usage "ARGS" TOKEN: ip refuses ARGS before asking the kernel (exit 1 or
# 255); xneigh exits 2 and names TOKEN, in text and as JSON.
usage()
{
	local args
	read -ra args <<<"$1"
	"${REF[@]}" "${args[@]}" >"$T/ip.out" 2>"$T/ip.err" && IP_RC=0 || IP_RC=$?
	case $IP_RC in 1 | 255) ;; *) xn_fail "ip ${args[*]}: not a usage refusal (rc $IP_RC): $(cat "$T/ip.err")" ;; esac
	local a xargs=()
	for a in "${args[@]}"; do [ "$a" = neigh ] || xargs+=("$a"); done
	args=("${xargs[@]}")
	"${XN[@]}" "${args[@]}" >"$T/xn.out" 2>"$T/xn.err" && XN_RC=0 || XN_RC=$?
	[ "$XN_RC" = 2 ] || xn_fail "xneigh ${args[*]}: exit status $XN_RC, not 2: $(cat "$T/xn.err")"
	grep -qF -- "$2" "$T/xn.err" || xn_fail "xneigh ${args[*]}: the message does not name \"$2\": $(cat "$T/xn.err")"
	"${XN[@]}" -j "${args[@]}" >"$T/xn.out" 2>"$T/xn.err" && XN_RC=0 || XN_RC=$?
	if [ "$XN_RC" != 2 ] || ! jq -e --arg t "$2" '.error | contains($t)' "$T/xn.out" >/dev/null; then
		xn_fail "xneigh -j ${args[*]}: rc $XN_RC, not {\"error\": \"...$2...\"}: $(cat "$T/xn.out")"
	fi
}
MALFORMED=(
	"neigh add 10.0.0.300 dev e0|10.0.0.300"
	"neigh add 10.0.0.5/24 dev e0|10.0.0.5/24"
	"neigh add 10.0.0.20 dev e0 lladdr zz|zz"
	"neigh add 10.0.0.20 dev e0 nud bogus|bogus"
	"neigh replace 10.0.0.20 dev e0 nud all|all"
	"neigh change 10.0.0.20 dev e0 bogus|bogus"
	"neigh add 10.0.0.20|dev DEV"
	"neigh del dev e0|address"
	"neigh get 10.0.0.5|dev DEV"
	"neigh get 10.0.0.5 dev e0 nud stale|nud"
	"-4 neigh add 2001:db8::20 dev e0|2001:db8::20"
	"-6 neigh del 10.0.0.5 dev e0|10.0.0.5"
)
for m in "${MALFORMED[@]}"; do
	usage "${m%%|*}" "${m#*|}"
done
ENTRY=
both add 10.0.0.20 dev nosuch lladdr 02:00:00:00:00:20
if [ "$IP_RC" != 1 ] || [ "$XN_RC" != 2 ] || ! grep -qF 'Cannot find device "nosuch"' "$T/xn.err"; then
	xn_fail "an unknown device: $(said)"
fi
# nothing was written by any of them
same_table -4 0.0.0.0/0
xn_ok "${#MALFORMED[@]} malformed command lines: exit 2, the token named (text and JSON); unknown device: exit 2 (ip: 1)"

# ---- 5. help, proxy entries, flush ----------------------------------------------------------------

for h in "help add" "add help" "get help" "del -h" "help get" "replace help" "change --help"; do
	# shellcheck disable=SC2086
	"${XN[@]}" $h >"$T/help" 2>&1 || xn_fail "xneigh $h: exit status $?"
	grep -q '^Usage: xneigh { add | replace | change | del }' "$T/help" || xn_fail "xneigh $h: no usage: $(head -3 "$T/help")"
done
"${XN[@]}" help | grep -q 'add | replace | change | del | get' || xn_fail "xneigh help does not list the new commands"
xn_ok "help at every level"

# proxy: the reference gets it from ip, the DUT's kernel from xneigh
"${REF[@]}" neigh add proxy 10.0.0.50 dev e0
"${XN[@]}" add proxy 10.0.0.50 dev e0 || xn_fail "xneigh add proxy 10.0.0.50 dev e0 failed"
# (dev e0 only: a device-less proxy entry of a deleted namespace can show up
# in a new one that reuses its struct net, as the kernel never frees those)
[ "$(ip -n "$NS_DUT" neigh show proxy dev e0)" = "$("${REF[@]}" neigh show proxy dev e0)" ] ||
	xn_fail "kernel proxy tables differ: DUT $(ip -n "$NS_DUT" neigh show proxy dev e0), reference $("${REF[@]}" neigh show proxy dev e0)"
# shellcheck disable=SC2317  # called through xn_wait_for
mirrored() { "${XN[@]}" get proxy 10.0.0.50 dev e0 >/dev/null 2>&1; }
xn_wait_for 5 mirrored || xn_fail "xneighd did not copy proxy 10.0.0.50 dev e0 into xn_proxy4 within 5 s"
ok get proxy 10.0.0.50 dev e0
"${XN[@]}" del proxy 10.0.0.50 dev e0 || xn_fail "xneigh del proxy 10.0.0.50 dev e0 failed"
"${REF[@]}" neigh del proxy 10.0.0.50 dev e0
[ -z "$(ip -n "$NS_DUT" neigh show proxy dev e0)" ] ||
	xn_fail "xneigh del proxy left $(ip -n "$NS_DUT" neigh show proxy dev e0) in the kernel"
# shellcheck disable=SC2317
gone() { ! mirrored; }
xn_wait_for 5 gone || xn_fail "xneighd did not remove proxy 10.0.0.50 dev e0 from xn_proxy4 within 5 s"
ENTRY="proxy 10.0.0.50 dev e0"
refused del proxy 10.0.0.50 dev e0
xn_ok "proxy entries: written to the kernel, mirrored by xneighd, removed both ways"

destroys() { "${XN[@]}" stats -j | jq -e '.arp_cache.destroys + .ndisc_cache.destroys'; }
D0=$(destroys)
"${REF[@]}" -s neigh flush dev e0 >"$T/ip.out" 2>&1 || xn_fail "ip -s neigh flush dev e0: $(cat "$T/ip.out")"
"${XN[@]}" -s flush dev e0 >"$T/xn.out" 2>&1 || xn_fail "xneigh -s flush dev e0: $(cat "$T/xn.out")"
grep -q 'deleting [1-9]' "$T/ip.out" || xn_fail "ip -s neigh flush dev e0 deleted nothing: the comparison would prove nothing"
cmp -s "$T/ip.out" "$T/xn.out" ||
	xn_fail "flush reports differ:"$'\n'"$(diff -u --label ip --label xneigh "$T/ip.out" "$T/xn.out")"
same_table -4 0.0.0.0/0
same_table -6 2001:db8::/32
# like the kernel's, the flush removes entry by entry (neigh_delete()):
# through xn_ctl, so each removal is counted and reported
N=$(sed -n 's/.*Round 1, deleting \([0-9]*\) entries.*/\1/p' "$T/xn.out")
[ "$(destroys)" -eq $((D0 + N)) ] || xn_fail "flush of $N entries: destroys went from $D0 to $(destroys), not $((D0 + N))"
xn_ok "flush dev e0: the same report ($(tr '\n' ' ' <"$T/xn.out")), the same entries left"

xn_daemon_stop "$XND" || xn_fail "xneighd did not exit within 5 s of SIGTERM"
[ "$XN_STOP_RC" = 0 ] || xn_fail "xneighd exited with status $XN_STOP_RC on SIGTERM"
exit 0
