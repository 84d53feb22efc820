#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Hostile input to the control plane: every command of xneigh, every option
# of xneigh, xneighd and xneigh-fwd, and every key of xneighd's configuration
# file (and of `xneigh conf set`), given malformed values, against a running
# xneighd. One table of cases, each: the command line, the exit status it
# must give, and a substring of the error that names the offending token.
#
#  xn-peer-PID                       xn-host-PID
# +------------------------------+  +------------------------------------------+
# | p0 02:00:00:00:1e:02         |  | e0 02:00:00:00:1e:01  10.30.0.1/24       |
# |    IPv6 off: silent          |--|    2001:db8:30::1/64 nodad, no LL address |
# +------------------------------+  | xneighd -i e0 --config hostile.conf      |
#                                   |   (under nsenter --net: pins visible)    |
#                                   +------------------------------------------+
#
# Checks:
#  1. xneigh cases (x): exit 2, nothing on stdout, the token named on stderr
#     ("xneigh: ..."); again with -j: exit 2, stdout one JSON object
#     {"error": "..."} naming the token, nothing on stderr. After each case
#     the state is what it was: xneigh show -j nud all (both tables, NONE and
#     NOARP entries too), conf show -j (default set and dev e0), the kernel's
#     neighbour and proxy tables.
#     Malformed: addresses, prefixes, MACs, states, interface names
#     (nonexistent, longer than IFNAMSIZ - 1, with '/', empty, blank),
#     numbers (negative, 2^31, 2^32, 2^64, hex, trailing garbage, empty),
#     overlong words (cut in the message, never the message itself), missing
#     values, duplicate keywords, conflicting options, unknown keywords.
#  2. xneighd cases (d) and xneigh-fwd cases (f): options; exit 2, the token
#     named on stderr; the running daemon and the state untouched.
#  3. configuration-file cases (k): xneighd --config FILE refuses to start
#     (exit 2, FILE:LINE and the word named), every key with a negative, a
#     non-numeric and an out-of-range value, and the file's own syntax; then
#     the same bad files given to the running daemon by SIGHUP: each is
#     reported and not one of its lines applies, even the good lines before
#     the bad one (no partial write).
#  4. privileges: /sys/fs/bpf/xneigh and the namespace's pin directory are
#     mode 0700, owned by root (the latter made 0755 before xneighd started:
#     it closes it and says so); every pin is 0600, root's. A pin directory
#     of another user (uid 65534) is refused: xneighd exits 1 naming it,
#     pins and attaches nothing. As nobody
#     (setpriv --reuid=65534): the pin directory cannot be listed nor a pin
#     opened; every xneigh command that needs the data plane or xneighd
#     exits 4 ("permission denied", naming what it needs: root, CAP_BPF /
#     CAP_NET_ADMIN, the pin directory or the control socket), in -j mode as
#     JSON; help and -V still work (exit 0); nothing changed.
#  5. the figure: cases per command.

. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
xn_strict

MAC_E0=02:00:00:00:1e:01 MAC_P0=02:00:00:00:1e:02
EXIT_USAGE=2 EXIT_PERM=4
TIMEOUT=10

xn_require_root
xn_require_tools ip jq nsenter setpriv timeout stat
xn_require_build "$XN_XNEIGHD" "$XN_XNEIGH" "$XN_BUILD/xneigh-fwd"
[ "$(stat -f -c %T /sys/fs/bpf 2>/dev/null)" = bpf_fs ] ||
	xn_skip "no bpffs at /sys/fs/bpf in this mount namespace (xneighd's pins would go nowhere)"

xn_lab_begin
T=$XN_TMP

xn_ns_add HOST host
xn_ns_add PEER peer
# no link-local address on e0 and no IPv6 on the peer: nothing but the test
# writes a neighbour entry, so the state compared after each case is stable
ip netns exec "$HOST" sysctl -qw net.ipv6.conf.all.addr_gen_mode=1 \
	net.ipv6.conf.default.addr_gen_mode=1
ip netns exec "$PEER" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
	net.ipv6.conf.default.disable_ipv6=1
xn_veth "$HOST" e0 $MAC_E0 "$PEER" p0 $MAC_P0
ip -n "$HOST" addr add 10.30.0.1/24 dev e0
ip -n "$HOST" addr add 2001:db8:30::1/64 dev e0 nodad
NSPATH=/run/netns/$HOST
PINDIR=/sys/fs/bpf/xneigh/net$(stat -L -c %i "$NSPATH")
INODE=${PINDIR##*/net}

# a pin directory left open to others (made by hand, or under a bpffs
# mounted without mode=0700): xneighd closes it
mkdir -p "$PINDIR"	# and /sys/fs/bpf/xneigh if there is none yet, 0755 too
chmod 0755 "$PINDIR"

# a configuration file with one setting of its own (source "file")
CONF=$T/hostile.conf
printf 'dev e0 inet mcast_solicit 5\n' >"$CONF"
XND_LOG=$T/xneighd.log
nsenter --net="$NSPATH" "$XN_XNEIGHD" -i e0 --config "$CONF" </dev/null >"$XND_LOG" 2>&1 &
XND=$!
XN_DAEMONS+=("$XND:xneighd:$XND_LOG")	# lib.sh stops it on exit
# shellcheck disable=SC2317  # called through xn_wait_for
ready() { xn_daemon_alive "$XND" && [ -e "$PINDIR/xn_ctl" ] && xn_x status >/dev/null 2>&1; }
xn_x() { timeout "$TIMEOUT" nsenter --net="$NSPATH" "$XN_XNEIGH" "$@"; }
xn_wait_for 20 ready || xn_fail "xneighd did not come up on e0 (pins in $PINDIR)"

# the state every refused command must leave as it is
xn_x replace 10.30.0.5 dev e0 lladdr 02:00:00:00:00:05
xn_x replace 10.30.0.6 dev e0 lladdr 02:00:00:00:00:06 nud noarp router
xn_x replace 2001:db8:30::5 dev e0 lladdr 02:00:00:00:00:05 extern_learn
xn_x conf set dev e0 -4 ucast_solicit 2
ip -n "$HOST" neigh add proxy 10.30.0.50 dev e0

state()
{
	xn_x show -j nud all
	xn_x conf show -j
	xn_x conf show dev e0 -j
	ip -n "$HOST" -j -batch - <<<$'neigh show\nneigh show proxy'
}
# the kernel mirror copies the seeded entries into the kernel's table: wait
# until nothing moves any more
# shellcheck disable=SC2317  # called through xn_wait_for
settled() { local a; a=$(state); sleep 1; [ "$a" = "$(state)" ]; }
xn_wait_for 15 settled || xn_fail "the state does not settle: $(state)"
STATE0=$(state)
jq -e 'length == 3' <<<"$(head -1 <<<"$STATE0")" >/dev/null ||
	xn_fail "the seeded entries are not all there: $(head -1 <<<"$STATE0")"
grep -q '"key":"mcast_solicit","value":5,"source":"file"' <<<"$STATE0" ||
	xn_fail "the file's setting is not in force: $STATE0"

check_state()
{
	local now
	now=$(state)
	[ "$now" = "$STATE0" ] && return 0
	bad "$1: the state changed:
before: $STATE0
after:  $now"
	STATE0=$now	# the next cases are judged on their own
}

# ---- the case runners ---------------------------------------------------------------

declare -A PER_CMD=()
NCASES=0
# count KEY: one more case for KEY in the figure
count() { PER_CMD[$1]=$((${PER_CMD[$1]:-0} + 1)); NCASES=$((NCASES + 1)); }

# show WORDS...: the words as a reader sees them ('' for an empty one)
show()
{
	local w out=()
	for w in "$@"; do
		if [ -z "$w" ]; then out+=("''"); else out+=("$(printf '%q' "$w")"); fi
	done
	printf '%s' "${out[*]}"
}

# cmd_key WORDS...: the xneigh command the words run, for the figure
cmd_key()
{
	local w skip=0 conf=0
	for w in "$@"; do
		if [ $skip = 1 ]; then
			skip=0
			continue
		fi
		case $w in
		-f | -family) skip=1; continue ;;
		-*) continue ;;
		esac
		if [ $conf = 1 ]; then
			case $w in set | unset | show) echo "conf $w" ;; *) echo conf ;; esac
			return
		fi
		case $w in
		conf) conf=1 ;;
		show | flush | add | replace | change | del | get | resolve | monitor | status | stats | help)
			echo "$w"; return ;;
		*) echo "(command word)"; return ;;
		esac
	done
	if [ $conf = 1 ]; then echo conf; else echo "(global options)"; fi
}

# bad MESSAGE: a case failed. Every case runs and every failure is listed;
# the verdict comes at the end.
NFAIL=0
bad()
{
	# shellcheck disable=SC2034  # lib.sh's cleanup reads it
	XN_FAIL_SAID=1
	NFAIL=$((NFAIL + 1))
	printf 'FAIL: %s\n' "$*" >&2
}

# json_str TEXT: TEXT as the inside of a JSON string (the messages hold no
# control characters: xneigh writes them as \xHH)
json_str()
{
	local t=${1//\\/\\\\}
	printf '%s' "${t//\"/\\\"}"
}

# x RC SUBSTRING ARGS...: xneigh ARGS exits RC naming SUBSTRING, in text
# and with -j as JSON; the state stays.
x()
{
	local want=$1 sub=$2 rc out err what msg
	shift 2
	what="xneigh $(show "$@")"
	count "$(cmd_key "$@")"
	rc=0
	xn_x "$@" >"$T/out" 2>"$T/err" || rc=$?
	out=$(<"$T/out") err=$(<"$T/err")
	if [ "$rc" != "$want" ] || [ -n "$out" ] || [[ $err == *$'\n'* ]]; then
		bad "$what: exit $rc, stdout '$out', stderr '$err'; expected exit $want, nothing on stdout, one line on stderr"
	else
		case $err in
		"xneigh: "*"$sub"*) ;;
		*) bad "$what: stderr '$err' does not say 'xneigh: ...$sub...'" ;;
		esac
	fi
	# with -j the same message, as {"error": MSG} on one line
	msg=${err#xneigh: }
	rc=0
	xn_x -j "$@" >"$T/out" 2>"$T/err" || rc=$?
	out=$(<"$T/out") err=$(<"$T/err")
	if [ "$rc" != "$want" ] || [ -n "$err" ] || [ "$out" != "{\"error\":\"$(json_str "$msg")\"}" ]; then
		bad "-j $what: exit $rc, stdout '$out', stderr '$err'; expected exit $want, {\"error\": \"$msg\"} on stdout, nothing on stderr"
	fi
	check_state "$what"
}

# prog KEY BINARY RC SUBSTRING ARGS...: a daemon's option parsing: exits RC
# naming SUBSTRING on stderr, prints nothing on stdout; the state stays.
prog()
{
	local key=$1 bin=$2 want=$3 sub=$4 rc out err what
	shift 4
	what="${bin##*/} $(show "$@")"
	count "$key"
	rc=0
	timeout "$TIMEOUT" nsenter --net="$NSPATH" "$bin" "$@" </dev/null >"$T/out" 2>"$T/err" || rc=$?
	out=$(<"$T/out") err=$(<"$T/err")
	if [ "$rc" != "$want" ] || [ -n "$out" ]; then
		bad "$what: exit $rc, stdout '$out', stderr '$err'; expected exit $want, nothing on stdout"
	else
		case $err in
		*"$sub"*) ;;
		*) bad "$what: stderr '$err' does not name '$sub'" ;;
		esac
	fi
	xn_daemon_alive "$XND" || xn_fail "$what: the running xneighd died"
	check_state "$what"
}
d() { prog xneighd "$XN_XNEIGHD" "$@"; }
f() { prog xneigh-fwd "$XN_BUILD/xneigh-fwd" "$@"; }

L300=$(printf 'a%.0s' {1..300})
L64=${L300:0:64}
LONGNUM=$(printf '9%.0s' {1..400})
ESC=$'\e[31mred'
U=$EXIT_USAGE

# ---- 1. xneigh -------------------------------------------------------------------------

# global options and the command word
x $U '"-f" needs a family' -f
x $U '"inet7"' -f inet7 show
x $U 'family "" is invalid' -f '' show
x $U '"bridge"' -family bridge show
x $U '"-xyz"' -xyz show
x $U 'option "--" is unknown' -- show
x $U 'option "-" is unknown' - show
x $U '"-6" conflicts with "-4"' -4 -6 show
x $U '"-f inet" conflicts with "-6"' -6 -f inet show
x $U '"-4" conflicts with "-f inet6"' -f inet6 show -4
x $U 'command "bogus" is unknown' bogus
x $U 'command "" is unknown' ''
x $U "command \"$L64...\" is unknown" "$L300"
x $U 'command "\x1b[31mred" is unknown' "$ESC"
x $U 'unknown command "bogus"' help bogus
x $U '"extra"' help show extra

# show
x $U '"dev" needs an interface name' show dev
x $U 'Cannot find device "nosuch0"' show dev nosuch0
x $U 'interface name "" is empty' show dev ''
x $U '"abcdefghijklmnop" is longer than 15' show dev abcdefghijklmnop
x $U "\"$L64...\" is longer than 15" show dev "$L300"
x $U 'interface name "a/b" is invalid' show dev a/b
x $U 'interface name "e0 " is invalid' show dev 'e0 '
x $U 'interface name ".." is invalid' show dev ..
x $U 'duplicate "dev": "e0" after "e0"' show dev e0 dev e0
x $U '"nud" needs a state' show nud
x $U 'nud state "bogus"' show nud bogus
x $U 'nud state ""' show nud ''
x $U 'nud state "0x3"' show nud 0x3
x $U 'nud state "256"' show nud 256
x $U 'nud state "-1"' show nud -1
x $U 'nud state "4294967296"' show nud 4294967296
x $U 'nud state "18446744073709551616"' show nud 18446744073709551616
x $U 'nud state "2x"' show nud 2x
x $U 'nud state "0x"' show nud 0x
x $U "nud state \"$L64...\"" show nud "$L300"
x $U '"10.30.0.0/33"' show 10.30.0.0/33
x $U '"10.30.0.0/-1"' show 10.30.0.0/-1
x $U '"10.30.0.0/"' show 10.30.0.0/
x $U '"10.30.0.0/08"' show 10.30.0.0/08
x $U '"10.30.0.0/4294967328"' show 10.30.0.0/4294967328
x $U '"10.30.0/8"' show 10.30.0/8
x $U '"10.30.0.256"' show 10.30.0.256
x $U '"2001:db8::/129"' show 2001:db8::/129
x $U '"2001:db8:::1"' show 2001:db8:::1
x $U '"fe80::1%e0"' show fe80::1%e0
x $U 'duplicate prefix: "10.30.0.2" after "10.30.0.1"' show 10.30.0.1 10.30.0.2
x $U '"to" needs a prefix' show to
x $U 'invalid prefix "bogus"' show to bogus
x $U '"bogus" is neither a keyword' show bogus
x $U '"\x1b[31mred" is neither a keyword' show "$ESC"
x $U 'IPv6 prefix is expected rather than "10.30.0.1"' show -6 10.30.0.1
x $U 'IPv4 prefix is expected rather than "2001:db8:30::1"' -4 show 2001:db8:30::1
x $U 'family "-j" is invalid' show -f -j

# flush: refused before anything is deleted
x $U 'flush requires arguments' flush
x $U 'Cannot find device "nosuch0"' flush dev nosuch0
x $U 'interface name "" is empty' flush dev ''
x $U 'interface name "a/b" is invalid' flush dev a/b
x $U 'duplicate "dev": "e0" after "e0"' flush dev e0 dev e0
x $U 'nud state "bogus"' flush dev e0 nud bogus
x $U 'nud state "4294967296"' flush all nud 4294967296
x $U '"to" needs a prefix' flush to
x $U '"10.30.0.0/40"' flush 10.30.0.0/40
x $U 'duplicate prefix: "bogus" after "all"' flush all bogus
x $U '"bogus" is neither a keyword' flush bogus dev e0
x $U 'option "-x" is unknown' flush all -x

# add / replace / change / del: refused before anything is written
for op in add replace change; do
	x $U 'an address is required' $op dev e0 lladdr 02:00:00:00:00:20
	x $U '"dev DEV" is required for 10.30.0.20' $op 10.30.0.20 lladdr 02:00:00:00:00:20
	x $U 'address "10.30.0.300" is invalid' $op 10.30.0.300 dev e0 lladdr 02:00:00:00:00:20
	x $U 'lladdr "zz" is invalid' $op 10.30.0.20 dev e0 lladdr zz
	x $U 'nud state "bogus" is invalid' $op 10.30.0.20 dev e0 lladdr 02:00:00:00:00:20 nud bogus
	x $U 'Cannot find device "nosuch0"' $op 10.30.0.20 dev nosuch0 lladdr 02:00:00:00:00:20
	x $U 'duplicate "router"' $op 10.30.0.20 dev e0 lladdr 02:00:00:00:00:20 router router
done
x $U '"10.30.0.5/24" is neither a keyword' add 10.30.0.5/24 dev e0
x $U '"" is neither a keyword' add '' dev e0
x $U 'address "1.2.3" is invalid' add 1.2.3 dev e0
x $U 'address "01.2.3.4" is invalid' add 01.2.3.4 dev e0
x $U 'address "1.2.3.4." is invalid' add 1.2.3.4. dev e0
x $U 'address "2001:db8::1::2" is invalid' add 2001:db8::1::2 dev e0
x $U '"fe80::1%e0" is neither a keyword' add fe80::1%e0 dev e0
x $U "\"$L64...\" is neither a keyword" add "$L300" dev e0
x $U '"lladdr" needs a link-layer address' add 10.30.0.20 dev e0 lladdr
x $U 'lladdr "02:00:00:00:00" is invalid' add 10.30.0.20 dev e0 lladdr 02:00:00:00:00
x $U 'lladdr "02:00:00:00:00:00:00" is invalid' add 10.30.0.20 dev e0 lladdr 02:00:00:00:00:00:00
x $U 'lladdr "002:00:00:00:00:20" is invalid' add 10.30.0.20 dev e0 lladdr 002:00:00:00:00:20
x $U 'lladdr "02-00-00-00-00-20" is invalid' add 10.30.0.20 dev e0 lladdr 02-00-00-00-00-20
x $U 'lladdr "02:00:00:00:00:2g" is invalid' add 10.30.0.20 dev e0 lladdr 02:00:00:00:00:2g
x $U 'lladdr "02:00:00:00:00:20 " is invalid' add 10.30.0.20 dev e0 lladdr '02:00:00:00:00:20 '
x $U 'lladdr "" is invalid' add 10.30.0.20 dev e0 lladdr ''
x $U 'lladdr "\x1b[31mred" is invalid' add 10.30.0.20 dev e0 lladdr "$ESC"
x $U "lladdr \"$L64...\" is invalid" add 10.30.0.20 dev e0 lladdr "$L300"
x $U '"nud" needs a state' add 10.30.0.20 dev e0 lladdr 02:00:00:00:00:20 nud
x $U 'nud state "" is invalid' add 10.30.0.20 dev e0 nud ''
x $U 'nud state "all" is invalid' replace 10.30.0.20 dev e0 nud all
x $U 'nud state "0x3" is invalid' add 10.30.0.20 dev e0 nud 0x3
x $U 'nud state "0x100" is invalid' add 10.30.0.20 dev e0 nud 0x100
x $U 'nud state "-1" is invalid' add 10.30.0.20 dev e0 nud -1
x $U 'nud state "4294967298" is invalid' add 10.30.0.20 dev e0 nud 4294967298
x $U 'nud state "18446744073709551618" is invalid' add 10.30.0.20 dev e0 nud 18446744073709551618
x $U 'nud state "2 " is invalid' add 10.30.0.20 dev e0 nud '2 '
x $U '"dev" needs an interface name' add 10.30.0.20 lladdr 02:00:00:00:00:20 dev
x $U 'interface name "" is empty' add 10.30.0.20 dev '' lladdr 02:00:00:00:00:20
x $U '"abcdefghijklmnop" is longer than 15' add 10.30.0.20 dev abcdefghijklmnop
x $U "\"$L64...\" is longer than 15" replace 10.30.0.20 dev "$L300"
x $U 'interface name "a/b" is invalid' add 10.30.0.20 dev a/b
x $U 'interface name "e0:1" is invalid' add 10.30.0.20 dev e0:1
x $U 'interface name "." is invalid' add 10.30.0.20 dev .
x $U 'duplicate "dev": "e0" after "e0"' add 10.30.0.20 dev e0 dev e0
x $U 'duplicate "lladdr": "02:00:00:00:00:21" after "02:00:00:00:00:20"' \
	add 10.30.0.20 dev e0 lladdr 02:00:00:00:00:20 lladdr 02:00:00:00:00:21
x $U 'duplicate "nud": "stale" after "stale"' add 10.30.0.20 dev e0 nud stale nud stale
x $U 'duplicate address "10.30.0.21" after "10.30.0.20"' add 10.30.0.20 10.30.0.21 dev e0
x $U 'duplicate "extern_learn"' add 10.30.0.20 dev e0 lladdr 02:00:00:00:00:20 extern_learn extern
x $U 'duplicate "proxy"' add proxy 10.30.0.51 dev e0 proxy
x $U '"bogus" is not a keyword' add 10.30.0.20 dev e0 bogus
x $U '"extra" is not a keyword' add 10.30.0.20 dev e0 lladdr 02:00:00:00:00:20 extra
x $U '"protocol" is not supported' add 10.30.0.20 dev e0 protocol static
x $U '"use" is not supported' add 10.30.0.20 dev e0 use
x $U '"managed" is not supported' add 10.30.0.20 dev e0 managed
x $U '"to" needs an address' add dev e0 to
x $U 'IPv4 address expected rather than "2001:db8:30::20" (-4 given)' -4 add 2001:db8:30::20 dev e0
x $U 'IPv4 address expected rather than "2001:db8:30::20" (-4 given)' add 2001:db8:30::20 dev e0 -4
x $U 'IPv6 address expected rather than "10.30.0.20" (-6 given)' change 10.30.0.20 dev e0 -6
x $U '"10.30.0.50/24" is neither a keyword' add proxy 10.30.0.50/24 dev e0
x $U 'an address is required' add proxy dev e0
x $U '"bogus" is neither a keyword' add proxy bogus
x $U 'option "-x" is unknown' add 10.30.0.20 dev e0 -x
x $U '"dev DEV" is required for 10.30.0.5' del 10.30.0.5
x $U 'an address is required' del dev e0
x $U 'Cannot find device "nosuch0"' del 10.30.0.5 dev nosuch0
x $U 'interface name "" is empty' del 10.30.0.5 dev ''
x $U 'address "10.30.0.5.1" is invalid' del 10.30.0.5.1 dev e0
x $U 'duplicate address "10.30.0.6" after "10.30.0.5"' del 10.30.0.5 10.30.0.6 dev e0
x $U 'nud state "bogus" is invalid' del 10.30.0.5 dev e0 nud bogus
x $U 'IPv6 address expected rather than "10.30.0.5" (-6 given)' -6 del 10.30.0.5 dev e0

# get
x $U '"dev DEV" is required for 10.30.0.5' get 10.30.0.5
x $U '"nud" is not an argument of get' get 10.30.0.5 dev e0 nud stale
x $U '"lladdr" is not an argument of get' get 10.30.0.5 dev e0 lladdr 02:00:00:00:00:05
x $U '"router" is not an argument of get' get 10.30.0.5 dev e0 router
x $U '"bogus" is neither a keyword' get bogus dev e0
x $U '"extra" is not a keyword' get 10.30.0.5 dev e0 extra
x $U 'Cannot find device "nosuch0"' get 10.30.0.5 dev nosuch0
x $U "\"$L64...\" is longer than 15" get 10.30.0.5 dev "$L300"
x $U 'duplicate "dev": "e0" after "e0"' get 10.30.0.5 dev e0 dev e0
x $U 'IPv6 address expected rather than "10.30.0.5" (-6 given)' get -6 10.30.0.5 dev e0

# stats, status, monitor (a monitor that starts would hang: timeout says so)
x $U 'stats takes no argument "foo"' stats foo
x $U 'option "-x" is unknown' stats -x
x $U '"-f" needs a family' stats -f
x $U '"inet9"' stats -f inet9
x $U '"-6" conflicts with "-4"' stats -4 -6
x $U 'status takes no argument "foo"' status foo
x $U 'option "-x" is unknown' status -x
x $U 'monitor takes no argument "foo"' monitor foo
x $U 'duplicate "neigh"' monitor neigh neigh
x $U 'option "-x" is unknown' monitor -x
x $U '"bogus"' monitor -f bogus
x $U "monitor takes no argument \"$L64...\"" monitor "$L300"

# resolve: refused before xneighd creates an entry
x $U 'resolve needs an address' resolve
x $U 'resolve needs an address' resolve dev e0
x $U 'resolve needs "dev DEV"' resolve 10.30.0.9
x $U '"dev" needs an interface name' resolve 10.30.0.9 dev
x $U 'invalid address "10.30.0.300"' resolve 10.30.0.300 dev e0
x $U 'invalid address ""' resolve '' dev e0
x $U 'invalid address "10.30.0.9/24"' resolve 10.30.0.9/24 dev e0
x $U 'invalid address "any"' resolve any dev e0
x $U "invalid address \"$L64...\"" resolve "$L300" dev e0
x $U 'Cannot find device "nosuch0"' resolve 10.30.0.9 dev nosuch0
x $U 'interface name "" is empty' resolve 10.30.0.9 dev ''
x $U 'interface name "a/b" is invalid' resolve 10.30.0.9 dev a/b
x $U '"abcdefghijklmnop" is longer than 15' resolve 10.30.0.9 dev abcdefghijklmnop
x $U '"to" needs an address' resolve dev e0 to
x $U '"10.30.0.8" is unexpected after the address "10.30.0.9"' resolve 10.30.0.9 10.30.0.8 dev e0
x $U 'duplicate "dev": "e0" after "e0"' resolve 10.30.0.9 dev e0 dev e0
x $U 'duplicate "--wait"' resolve 10.30.0.9 dev e0 --wait --wait
x $U 'IPv4 address expected rather than "2001:db8:30::9" (-4 given)' resolve -4 2001:db8:30::9 dev e0
x $U 'option "-x" is unknown' resolve 10.30.0.9 dev e0 -x

# conf: the CLI's words, then the daemon's key table
x $U '"bogus" is not a conf command' conf bogus
x $U '"extra" is unexpected' conf show extra
x $U '"dev" needs an interface name' conf show dev
x $U 'Cannot find device "nosuch0"' conf show dev nosuch0
x $U 'interface name "" is empty' conf show dev ''
x $U 'interface name "a/b" is invalid' conf show dev a/b
x $U "\"$L64...\" is longer than 15" conf show dev "$L300"
x $U 'duplicate "dev": "e0" after "e0"' conf show dev e0 dev e0
x $U '"-6" conflicts with "-4"' conf show -4 -6
x $U 'conf set needs KEY VALUE' conf set
x $U 'conf set needs a VALUE (or default) after the KEY' conf set mcast_solicit
x $U "unknown key 'bogus_key'" conf set bogus_key 1
x $U "unknown key ''" conf set '' 1
x $U "unknown key '$L64...'" conf set "$L300" 1
x $U "unknown key '\\x1b[31mred'" conf set "$ESC" 1
x $U "unknown key 'MCAST_SOLICIT'" conf set MCAST_SOLICIT 1
x $U '"4" is unexpected after "3"' conf set mcast_solicit 3 4
x $U "gc_thresh1 is table-wide: it takes no 'dev e0'" conf set dev e0 gc_thresh1 5
x $U 'Cannot find device "nosuch0"' conf set dev nosuch0 mcast_solicit 3
x $U 'interface name "" is empty' conf set dev '' mcast_solicit 3
x $U 'interface name "a:b" is invalid' conf set dev a:b mcast_solicit 3
x $U 'duplicate "dev": "e0" after "e0"' conf set dev e0 dev e0 mcast_solicit 3
x $U '"bogus"' conf set -f bogus mcast_solicit 3
x $U '"-6" conflicts with "-4"' conf set -4 -6 mcast_solicit 3
x $U 'conf unset needs a KEY' conf unset
x $U "unknown key 'bogus'" conf unset bogus
x $U '"extra" is unexpected after "mcast_solicit"' conf unset mcast_solicit extra
x $U 'Cannot find device "nosuch0"' conf unset dev nosuch0 mcast_solicit
# every key (both spellings of the two that have two): a negative, a
# non-numeric, an out-of-range value, and the same out of range for a device
KEYS=(base_reachable_time_ms base_reachable_time retrans_time_ms retrans_time
      delay_first_probe_time gc_stale_time locktime ucast_solicit mcast_solicit app_solicit
      mcast_resolicit unres_qlen gc_thresh1 gc_thresh2 gc_thresh3)
declare -A KEY_MAX=([base_reachable_time]=2147483 [retrans_time]=214748364
	[delay_first_probe_time]=2147483 [gc_stale_time]=2147483 [locktime]=214748364)
for k in "${KEYS[@]}"; do
	max=${KEY_MAX[$k]:-2147483647}
	x $U "value '-1' for $k is out of range" conf set "$k" -1
	x $U "invalid value '12abc' for $k" conf set "$k" 12abc
	x $U "value '$((max + 1))' for $k is out of range: expected 0 to $max" \
		conf set -6 "$k" $((max + 1))
	case $k in gc_thresh*) continue ;; esac
	x $U "value '$((max + 1))' for $k is out of range" conf set dev e0 -4 "$k" $((max + 1))
done
for v in 0x10 1.5 +1 ' 1' '1 ' '' 1e3 ０; do
	x $U "invalid value '$v' for ucast_solicit" conf set ucast_solicit "$v"
done
for v in 2147483648 4294967296 4294967297 18446744073709551616 "$LONGNUM"; do
	x $U "for ucast_solicit is out of range" conf set ucast_solicit "$v"
done
x $U "invalid value '$L64...' for app_solicit" conf set app_solicit "$L300"

# ---- 2. xneighd and xneigh-fwd options ----------------------------------------------------

d $U 'no interface given' 
d $U "option '-i' needs a value" -i
d $U "interface name '' is empty" -i ''
d $U "unknown interface 'nosuch0'" -i nosuch0
d $U "'abcdefghijklmnop' is longer than 15" -i abcdefghijklmnop
d $U "'$L64...' is longer than 15" -i "$L300"
d $U "interface name 'a/b' is invalid" -i a/b
d $U "interface 'e0' given twice" -i e0 -i e0
d $U "unknown interface 'nosuch0'" -i e0 -i nosuch0
d $U "option '--mode' needs a value" -i e0 --mode
d $U "invalid --mode 'bogus'" -i e0 --mode bogus
d $U "invalid --mode ''" -i e0 --mode ''
d $U "--mode given twice: 'native' after 'tc'" -i e0 --mode tc --mode native
for v in 0 -1 4294967296 18446744073709551616 0x10 10x '' ' 5' +5 "$LONGNUM"; do
	d $U "invalid --max-entries '${v:0:64}" -i e0 --max-entries "$v"
done
d $U "--max-entries given twice: '6' after '5'" -i e0 --max-entries 5 --max-entries 6
d $U '--pin-dir needs a non-empty value' -i e0 --pin-dir ''
d $U "--pin-dir 'relative' is not an absolute path" -i e0 --pin-dir relative
LONGDIR=/sys/fs/bpf/$L300$L300$L300$L300$L300$L300$L300$L300$L300$L300$L300$L300$L300$L300
d $U "--pin-dir '${LONGDIR:0:64}...' is too long" -i e0 --pin-dir "$LONGDIR"
d $U "--pin-dir given twice" -i e0 --pin-dir /sys/fs/bpf/a --pin-dir /sys/fs/bpf/b
d $U '--config needs a non-empty value' -i e0 --config ''
d $U '/nonexistent.conf: No such file or directory' -i e0 --config /nonexistent.conf
d $U "$T: not a regular file" -i e0 --config "$T"
d $U "--config given twice" -i e0 --config "$CONF" --config "$CONF"
d $U "unknown option '--bogus'" -i e0 --bogus
d $U "unknown option '-x'" -i e0 -x
d $U "unexpected argument 'extra'" -i e0 extra
d $U "option '--keep' takes no value" -i e0 --keep=yes
d $U '--keep given twice' -i e0 --keep --keep
d $U '--resolve needs --dev DEV' --resolve 10.30.0.9
d $U "invalid address '10.30.0.9.1'" --resolve 10.30.0.9.1 --dev e0
d $U "invalid address '10.30.0.9/24'" --resolve 10.30.0.9/24 --dev e0
d $U '--resolve needs a non-empty value' --resolve '' --dev e0
d $U "unknown interface 'nosuch0'" --resolve 10.30.0.9 --dev nosuch0
d $U "interface name '' is empty" --resolve 10.30.0.9 --dev ''
d $U "'abcdefghijklmnop' is longer than 15" --resolve 10.30.0.9 --dev abcdefghijklmnop
d $U '--dev and --wait go with --resolve ADDR' --dev e0
d $U '--dev and --wait go with --resolve ADDR' --wait
d $U 'is a client of the running xneighd' --resolve 10.30.0.9 --dev e0 -i e0
d $U "--resolve given twice" --resolve 10.30.0.9 --resolve 10.30.0.8 --dev e0
d $U "--dev given twice" --resolve 10.30.0.9 --dev e0 --dev e0
d $U '--wait given twice' --resolve 10.30.0.9 --dev e0 --wait --wait

f $U 'no interface given'
f $U 'one interface given' -i e0
f $U "option '-i' needs a value" -i e0 -i
f $U "unknown interface 'nosuch0'" -i e0 -i nosuch0
f $U "interface name '' is empty" -i e0 -i ''
f $U "interface name 'a/b' is invalid" -i e0 -i a/b
f $U "'$L64...' is longer than 15" -i e0 -i "$L300"
f $U "interface 'e0' given twice" -i e0 -i e0
f $U "invalid --policy 'bogus'" -i e0 -i lo --policy bogus
f $U "invalid --policy ''" -i e0 -i lo --policy ''
f $U "--policy given twice: 'drop' after 'hold'" -i e0 -i lo --policy hold --policy drop
f $U "invalid --mode 'x'" -i e0 -i lo -m x
f $U "--mode given twice: 'generic' after 'native'" -i e0 -i lo -m native -m generic
f $U "unknown option '--bogus'" -i e0 -i lo --bogus
f $U "option '-p' needs a value" -i e0 -i lo -p
f $U "unexpected argument 'extra'" -i e0 -i lo extra

[ "$NFAIL" = 0 ] &&
	xn_ok "$NCASES malformed command lines (xneigh text and -j, xneighd, xneigh-fwd): exit 2 naming the token, nothing changed"

# ---- 3. configuration files ------------------------------------------------------------------

BAD=$T/bad.conf
# k TEXT MESSAGE: xneighd -i e0 --config FILE(TEXT) exits 2, "FILE:MESSAGE"
k()
{
	printf '%b' "$1" >"$BAD"
	prog "config file" "$XN_XNEIGHD" $U "$BAD:$2" -i e0 --config "$BAD"
	BAD_FILES+=("$1")
}
BAD_FILES=()
for key in "${KEYS[@]}"; do
	max=${KEY_MAX[$key]:-2147483647}
	k "$key -5\n" "1: value '-5' for $key is out of range"
	k "inet6 $key five\n" "1: invalid value 'five' for $key"
	k "# c\n\ninet $key $((max + 1))\n" "3: value '$((max + 1))' for $key is out of range: expected 0 to $max"
done
k 'bogus_key 3\n' "1: unknown key 'bogus_key'"
k 'mcast_solicit 3\nbogus_key 3\n' "2: unknown key 'bogus_key'"
k "$L300 3\n" "1: unknown key '$L64...'"
k 'inet7 mcast_solicit 3\n' "1: unknown key 'inet7'"
k 'dev\n' "1: 'dev' needs a device name"
k 'dev e0\n' "1: 'e0' is not followed by KEY VALUE"
k 'dev e0 inet\n' "1: 'inet' is not followed by KEY VALUE"
k 'mcast_solicit\n' "1: 'mcast_solicit' needs a value"
k 'mcast_solicit 3 4\n' "1: unexpected '4' after 'mcast_solicit 3'"
k 'mcast_solicit 0x3\n' "1: invalid value '0x3' for mcast_solicit"
k 'mcast_solicit 4294967296\n' "1: value '4294967296' for mcast_solicit is out of range"
k 'mcast_solicit 18446744073709551616\n' "1: value '18446744073709551616' for mcast_solicit is out of range"
k 'dev a/b mcast_solicit 3\n' "1: invalid device name 'a/b'"
k 'dev abcdefghijklmnop mcast_solicit 3\n' "1: invalid device name 'abcdefghijklmnop'"
k 'dev e0 dev e0 mcast_solicit 3\n' "1: 'dev' given twice"
k 'inet inet6 mcast_solicit 3\n' "1: family given twice: 'inet6' after 'inet'"
k 'dev e0 gc_thresh1 5\n' "1: gc_thresh1 is table-wide: it takes no 'dev e0'"
k 'mcast_solicit 3\0\n' "1: a NUL byte"
[ "$NFAIL" = 0 ] &&
	xn_ok "${PER_CMD["config file"]} bad configuration files: xneighd refuses to start, exit 2, FILE:LINE and the word named"

# the same files on SIGHUP, behind a good line that must not apply either
nfile=0
for text in "${BAD_FILES[@]}"; do
	printf 'dev e0 inet6 mcast_solicit 9\n%b' "$text" >"$CONF"
	before=$(wc -l <"$XND_LOG")
	kill -HUP "$XND"
	# the daemon answers within a tick: poll finer than xn_wait_for
	for ((i = 0; i < 200; i++)); do
		tail -n +"$((before + 1))" "$XND_LOG" | grep -q "keeping the settings in force" && break
		sleep 0.05
	done
	[ "$i" -lt 200 ] || bad "SIGHUP with '$text': no error in the log within 10 s: $(tail -3 "$XND_LOG")"
	check_state "SIGHUP with a bad file ('$text')"
	nfile=$((nfile + 1))
done
printf 'dev e0 inet mcast_solicit 5\n' >"$CONF"
xn_ok "$nfile bad files on SIGHUP: each reported, none of their lines applied, the daemon runs on"

# ---- 4. privileges -------------------------------------------------------------------------------

mode_owner() { stat -c '%a %U' "$1"; }
grep -qF "pin directory $PINDIR was mode 0755, open to others: made 0700" "$XND_LOG" ||
	xn_fail "xneighd did not say it closed the pin directory made 0755 before it started"
[ "$(mode_owner /sys/fs/bpf/xneigh)" = "700 root" ] ||
	xn_fail "/sys/fs/bpf/xneigh is $(mode_owner /sys/fs/bpf/xneigh), expected mode 700, root's"
[ "$(mode_owner "$PINDIR")" = "700 root" ] ||
	xn_fail "$PINDIR is $(mode_owner "$PINDIR"), expected mode 700, root's"
npins=0
for pin in "$PINDIR"/*; do
	[ "$(mode_owner "$pin")" = "600 root" ] || xn_fail "$pin is $(mode_owner "$pin"), expected 600, root's"
	npins=$((npins + 1))
done
[ "$npins" -ge 10 ] || xn_fail "only $npins pins in $PINDIR"
xn_ok "/sys/fs/bpf/xneigh and $PINDIR: mode 700, root's; $npins pins: mode 600, root's"

# a pin directory of another user: xneighd refuses it before loading anything
xn_ns_add OTHER other
xn_veth "$OTHER" o0 02:00:00:00:1e:03 "$OTHER" o1 02:00:00:00:1e:04
OTHER_DIR=/sys/fs/bpf/xneigh/net$(stat -L -c %i "/run/netns/$OTHER")
[ ! -e "$OTHER_DIR" ] || xn_fail "$OTHER_DIR exists before any xneighd ran in $OTHER"
mkdir -m 0700 "$OTHER_DIR"
chown 65534:65534 "$OTHER_DIR"
rc=0
out=$(timeout 30 nsenter --net="/run/netns/$OTHER" "$XN_XNEIGHD" -i o0 2>&1) || rc=$?
left=$(ls -A "$OTHER_DIR")
rm -rf "$OTHER_DIR"	# pins too, should xneighd have made any
if [ "$rc" != 1 ] || ! grep -qF "pin directory $OTHER_DIR belongs to uid 65534, not to root" <<<"$out"; then
	xn_fail "xneighd with a pin directory of uid 65534: exit $rc, '$out'"
fi
[ -z "$left" ] || xn_fail "xneighd pinned into a directory of uid 65534: $left"
[ -z "$(xn_xdp_prog_id "$OTHER" o0)" ] || xn_fail "xneighd attached to o0 though it refused the pin directory"
xn_ok "a pin directory made 0755 is closed to 0700; one of another user is refused"

# a copy of the CLI that nobody may run (the build directory need not be theirs)
PUB=$T/pub
mkdir -m 0755 "$PUB"
chmod 0711 "$T"
install -m 0755 "$XN_XNEIGH" "$PUB/xneigh"
NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all)
nobody() { timeout "$TIMEOUT" nsenter --net="$NSPATH" "${NOBODY[@]}" "$@"; }
nobody true || xn_skip "setpriv cannot switch to uid 65534 here"
nobody "$PUB/xneigh" -V >/dev/null || xn_skip "uid 65534 cannot run a copy of xneigh in $PUB"

! nobody ls "$PINDIR" >/dev/null 2>&1 || xn_fail "nobody can list $PINDIR"
! nobody sh -c ": >>'$PINDIR/xn_neigh4'" 2>/dev/null || xn_fail "nobody can open $PINDIR/xn_neigh4 for writing"
! nobody sh -c ": <'$PINDIR/xn_neigh4'" 2>/dev/null || xn_fail "nobody can open $PINDIR/xn_neigh4"
if command -v bpftool >/dev/null; then
	! nobody bpftool map update pinned "$PINDIR/xn_neigh4" key hex 02 00 00 00 0a 1e 00 63 \
		value hex 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 \
		00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 >/dev/null 2>&1 ||
		xn_fail "nobody updated $PINDIR/xn_neigh4 with bpftool"
fi
check_state "nobody's direct attempts on the pins"

# n SUBSTRING ARGS...: as nobody, xneigh ARGS exits 4 saying "permission
# denied" and SUBSTRING (what it needs), in text and as JSON; nothing changed.
NPERM=0
n()
{
	local sub=$1 rc out err what
	shift
	what="nobody: xneigh $(show "$@")"
	NPERM=$((NPERM + 1))
	rc=0
	nobody "$PUB/xneigh" "$@" >"$T/out" 2>"$T/err" || rc=$?
	out=$(<"$T/out") err=$(<"$T/err")
	if [ "$rc" != $EXIT_PERM ] || [ -n "$out" ]; then
		bad "$what: exit $rc, stdout '$out', stderr '$err'; expected exit $EXIT_PERM, nothing on stdout"
	else
		case $err in
		"xneigh: "*"permission denied"*"$sub"*) ;;
		*) bad "$what: stderr '$err' does not say 'permission denied ... $sub'" ;;
		esac
	fi
	rc=0
	nobody "$PUB/xneigh" -j "$@" >"$T/out" 2>"$T/err" || rc=$?
	out=$(<"$T/out") err=$(<"$T/err")
	if [ "$rc" != $EXIT_PERM ] || [ -n "$err" ] ||
	   ! jq -e --arg t "$sub" 'keys == ["error"] and (.error | contains("permission denied")) and (.error | contains($t))' \
		<<<"$out" >/dev/null 2>&1; then
		bad "-j $what: exit $rc, stdout '$out', stderr '$err'"
	fi
	check_state "$what"
}
MAPS_NEED="root (CAP_BPF and CAP_SYS_ADMIN)"
n "$MAPS_NEED" show
n "$PINDIR" show
n "$MAPS_NEED" show -6 dev e0
n "$MAPS_NEED" flush all
n "$MAPS_NEED" add 10.30.0.40 dev e0 lladdr 02:00:00:00:00:40
n "$MAPS_NEED" replace 10.30.0.5 dev e0 lladdr 02:00:00:00:00:41
n "$MAPS_NEED" change 10.30.0.5 dev e0 lladdr 02:00:00:00:00:41
n "$MAPS_NEED" del 10.30.0.5 dev e0
n "$MAPS_NEED" get 10.30.0.5 dev e0
n "$MAPS_NEED" get proxy 10.30.0.50 dev e0
n "$MAPS_NEED" stats
n "$MAPS_NEED" status
n "CAP_NET_ADMIN" add proxy 10.30.0.51 dev e0
n "CAP_NET_ADMIN" del proxy 10.30.0.50 dev e0
SOCK_NEED="@xneighd-net$INODE"
n "$SOCK_NEED" resolve 10.30.0.9 dev e0
n "$SOCK_NEED" monitor
n "$SOCK_NEED" conf show
n "$SOCK_NEED" conf set mcast_solicit 1
n "$SOCK_NEED" conf unset dev e0 -4 ucast_solicit
# usage errors are still usage errors, and help needs nothing
rc=0
nobody "$PUB/xneigh" add 10.30.0.300 dev e0 2>/dev/null || rc=$?
[ "$rc" = $U ] || xn_fail "nobody: a malformed address: exit $rc, expected $U"
nobody "$PUB/xneigh" help >/dev/null || xn_fail "nobody: xneigh help failed"
nobody "$PUB/xneigh" help add >/dev/null || xn_fail "nobody: xneigh help add failed"
# xneighd itself says what it needs
rc=0
out=$(nobody "$XN_XNEIGHD" -i e0 2>&1) || rc=$?
if [ "$rc" = 0 ] || ! grep -q "CAP_BPF" <<<"$out"; then
	xn_fail "nobody: xneighd -i e0: exit $rc, '$out'"
fi
check_state "nobody's xneighd"
[ "$NFAIL" = 0 ] && xn_ok "as nobody: $NPERM commands exit $EXIT_PERM (permission denied, naming root/CAP_BPF, CAP_NET_ADMIN, $PINDIR or the control socket; -j as JSON); the pins cannot be opened; nothing changed"

# ---- 5. the figure -------------------------------------------------------------------------------

printf '\n%-20s %s\n' "command" "malformed cases"
for key in "(global options)" "(command word)" help show flush add replace change del get stats status \
	monitor resolve conf "conf show" "conf set" "conf unset" xneighd xneigh-fwd "config file"; do
	if [ -n "${PER_CMD[$key]:-}" ]; then printf '%-20s %5d\n' "$key" "${PER_CMD[$key]}"; fi
done
printf '%-20s %5d\n' "total" "$NCASES"
printf '%-20s %5d\n' "SIGHUP bad files" "$nfile"
printf '%-20s %5d\n' "unprivileged" "$NPERM"
printf '\n'
[ "$NFAIL" = 0 ] || xn_fail "$NFAIL checks failed (listed above)"
xn_ok "hostile input: $NCASES refused cases, $nfile bad reloads and $NPERM unprivileged commands; the tables, the kernel's and the configuration unchanged after each"
