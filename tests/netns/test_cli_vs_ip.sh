#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `xneigh show/flush` print what `ip neigh show/flush` prints: the same
# entries, put in the kernel's tables (ip neigh replace) and in xneigh's
# (xn_neigh4 / xn_neigh6, written with bpftool), must list the same bytes.
#
#  xn-cli-PID (one namespace; the peers only give a0/b0 a carrier)
# +------------------------------------------------------------------------+
# |  a0  02:00:00:00:0a:00 ===veth=== a1   no addresses, IPv6 off: silent  |
# |  b0  02:00:00:00:0b:00 ===veth=== b1   no addresses, IPv6 off: silent  |
# |  a0/b0: no IPv4 address, no IPv6 link-local (addr_gen_mode 1), so the  |
# |  kernel makes no multicast entries and nothing reaches xneigh to learn |
# |                                                                        |
# |  xneighd -i a0 -i b0  started with nsenter --net (our mount namespace: |
# |  its pins land in /sys/fs/bpf/xneigh/net<inode>, where bpftool and     |
# |  xneigh, also run with nsenter --net, find them)                       |
# |                                                                        |
# |  kernel arp_tbl/nd_tbl  <-- ip -batch: neigh replace ...     \  same   |
# |  xn_neigh4 / xn_neigh6  <-- bpftool batch: map update pinned / entries |
# +------------------------------------------------------------------------+
#
# Entries (ENTRIES below): STALE, PERMANENT, REACHABLE, FAILED, NOARP and
# NONE in both families, on two devices, one address on both devices,
# router and extern_learn flags, an IPv4-mapped IPv6 address. Timestamps
# in the maps are the kernel's: used = updated = creation, confirmed =
# creation (CONNECTED states) or creation - 60 s (2 x base_reachable_time,
# what neigh_alloc() leaves), so `-s` ages agree too.
#
# Checks (ip's output against xneigh's, `diff` of the bytes on failure):
#  1. every entry alone (`to ADDR dev DEV nud all`): text, -j, -j -p and,
#     except REACHABLE (the kernel adds "ref 1" for its timer), -s and -s -j,
#     byte for byte; `to ADDR nud all` too where ADDR is on one device only;
#  2. whole listings (default, nud all, -4, -6, -f inet6, dev, to PREFIX of
#     either family, nud filters, all): the kernel dumps in hash order and
#     xneigh by device and address, so lines are compared sorted, and JSON
#     element by element; xneigh's raw JSON must be jq's canonical compact
#     form of its elements (which is ip's); plus IPv4 entries before IPv6;
#  3. xneigh finds the same maps through the pins (nsenter) and through the
#     attached programs (ip netns exec, no bpffs there): same bytes;
#  4. `-4 show to 2001:db8::1` and `flush` without arguments fail in both;
#  5. flush: `-s flush dev b0`, `-6 -s flush all`, `-s flush to 10.0.0.0/24`,
#     `-s flush all nud all`, `-s flush all`: same report, same tables left;
#  6. `xneigh stats`: arp_cache then ndisc_cache, entries = the table sizes,
#     -4/-6 print one block.

. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
xn_strict

MAC_A0=02:00:00:00:0a:00 MAC_B0=02:00:00:00:0b:00
RETRIES=5	# -s ages are whole seconds: a second boundary may fall between two dumps

# FAMILY DEV ADDR STATE FLAGS LLADDR ("-" for none)
ENTRIES=(
	"4 a0 10.0.0.2 stale - 02:00:00:00:00:02"
	"4 a0 10.0.0.3 permanent - 02:00:00:00:00:03"
	"4 a0 10.0.0.4 reachable - 02:00:00:00:00:04"
	"4 a0 10.0.0.5 failed - -"
	"4 a0 10.0.0.6 noarp - 02:00:00:00:00:06"
	"4 a0 10.0.0.10 none - -"
	"4 a0 10.0.0.8 stale router 02:00:00:00:00:08"
	"4 b0 10.0.0.2 stale extern_learn 02:00:00:00:00:22"
	"4 b0 192.168.1.1 permanent - 02:00:00:00:01:01"
	"6 a0 2001:db8::9 stale router 02:00:00:00:00:09"
	"6 a0 2001:db8::1:0:0:1 permanent - 02:00:00:00:00:12"
	"6 a0 fe80::1 reachable router 02:00:00:00:00:11"
	"6 a0 2001:db8::5 failed - -"
	"6 b0 2001:db8::9 stale - 02:00:00:00:00:29"
	"6 b0 2001:db8::77 stale router,extern_learn 02:00:00:00:00:77"
	"6 b0 ff02::1:ff00:9 noarp - 33:33:ff:00:00:09"
	"6 b0 2001:db8::a none - -"
	"6 b0 ::ffff:10.0.0.7 stale - 02:00:00:00:00:07"
)

xn_require_root
xn_require_tools ip bpftool jq nsenter cmp diff
xn_require_build "$XN_XNEIGHD" "$XN_XNEIGH"
[ "$(stat -f -c %T /sys/fs/bpf 2>/dev/null)" = bpf_fs ] ||
	xn_skip "no bpffs at /sys/fs/bpf in this mount namespace (xneighd's pins would go nowhere)"
[ -r /proc/timer_list ] || xn_skip "/proc/timer_list not readable: no CLOCK_MONOTONIC clock for the map timestamps"

xn_lab_begin
xn_ns_add NS cli
NSPATH=/run/netns/$NS
[ -e "$NSPATH" ] || xn_fail "$NSPATH missing after ip netns add"
ip netns exec "$NS" sysctl -qw net.ipv6.conf.all.addr_gen_mode=1 net.ipv6.conf.default.addr_gen_mode=1
ip -n "$NS" link add a0 address $MAC_A0 type veth peer name a1
ip -n "$NS" link add b0 address $MAC_B0 type veth peer name b1
ip netns exec "$NS" sysctl -qw net.ipv6.conf.a1.disable_ipv6=1 net.ipv6.conf.b1.disable_ipv6=1
for d in a0 a1 b0 b1; do ip -n "$NS" link set dev $d up; done

IP=(ip -n "$NS")
XN=(nsenter --net="$NSPATH" "$XN_XNEIGH")

# ---- xneighd, outside `ip netns exec` so its pins are visible here ---------

PINDIR=/sys/fs/bpf/xneigh/net$(stat -L -c %i "$NSPATH")
XND_LOG=$XN_TMP/xneighd.log
# --no-kernel-sync: the kernel's tables and xneigh's are filled separately
# with the same entries and compared; the mirror would copy xneigh's into the
# kernel's (extern_learn NOARP) and import the kernel's PERMANENT ones
nsenter --net="$NSPATH" "$XN_XNEIGHD" -i a0 -i b0 -v --no-kernel-sync </dev/null >"$XND_LOG" 2>&1 &
XND=$!
XN_DAEMONS+=("$XND:xneighd:$XND_LOG")	# lib.sh stops it on exit (format pid:name:log)
# shellcheck disable=SC2317  # called through xn_wait_for
pins_ready() { xn_daemon_alive "$XND" && [ -e "$PINDIR/xn_neigh4" ] && [ -e "$PINDIR/xn_neigh6" ]; }
xn_wait_for 10 pins_ready || xn_fail "xneighd did not pin xn_neigh4 and xn_neigh6 in $PINDIR within 10 s"
xn_ok "xneighd runs, maps pinned in $PINDIR"

# ---- the entries, in both places ------------------------------------------------

# Little-endian hex bytes of an integer, as bpftool reads them.
le_hex()
{
	local v=$1 n=$2 i out=
	for ((i = 0; i < n; i++)); do out+=$(printf '%02x ' $(((v >> (8 * i)) & 0xff))); done
	printf '%s' "$out"
}
mac_hex()
{
	local b
	if [ "$1" = - ]; then printf '00 00 00 00 00 00 '; return; fi
	IFS=: read -ra b <<<"$1"
	printf '%s ' "${b[@]}"
}
ip4_hex()
{
	local b
	IFS=. read -ra b <<<"$1"
	printf '%02x %02x %02x %02x ' "${b[@]}"
}
# The 16 bytes of an IPv6 address ("::" expanded; a dotted IPv4 tail too).
ip6_hex()
{
	local a=$1 h=() t=() g i n=0 groups=() tail4=
	if [[ $a =~ ^(.*:)([0-9]+\.[0-9]+\.[0-9]+\.[0-9]+)$ ]]; then
		a=${BASH_REMATCH[1]}X
		tail4=${BASH_REMATCH[2]}
	fi
	if [[ $a == *::* ]]; then
		IFS=: read -ra h <<<"${a%%::*}"
		IFS=: read -ra t <<<"${a#*::}"
		n=$((8 - ${#h[@]} - ${#t[@]} - (${#tail4} ? 1 : 0)))
	else
		IFS=: read -ra h <<<"$a"
	fi
	groups=("${h[@]}")
	for ((i = 0; i < n; i++)); do groups+=(0); done
	groups+=("${t[@]}")
	for g in "${groups[@]}"; do
		[ "$g" = X ] && continue
		printf '%02x %02x ' $((16#$g >> 8)) $((16#$g & 255))
	done
	[ -z "$tail4" ] || ip4_hex "$tail4"
}
now_ns() { awk '/^now at/ { print $3; exit }' /proc/timer_list; }
ifindex() { "${IP[@]}" -j link show dev "$1" | jq -r '.[0].ifindex'; }

declare -A IFX=([a0]=$(ifindex a0) [b0]=$(ifindex b0))
declare -A NUD=([stale]=0x04 [permanent]=0x80 [reachable]=0x02 [failed]=0x20 [noarp]=0x40 [none]=0x00)

# The kernel's entries first, with T0 taken just before, so the map
# timestamps (T0) and the kernel's creation times are milliseconds apart.
: >"$XN_TMP/ip.batch"
for e in "${ENTRIES[@]}"; do
	read -r fam dev addr state flags mac <<<"$e"
	line="neigh replace $addr dev $dev nud $state"
	[ "$mac" = - ] || line+=" lladdr $mac"
	[[ $flags == *router* ]] && line+=" router"
	[[ $flags == *extern_learn* ]] && line+=" extern_learn"
	echo "$line" >>"$XN_TMP/ip.batch"
done
T0=$(now_ns)
"${IP[@]}" -batch "$XN_TMP/ip.batch"
# Ages in -s output need timestamps 60 s in the past.
AGES_OK=1
[ "$T0" -gt 61000000000 ] || AGES_OK=0

# The same in the maps: struct xn_neigh {lock; state; flags; lladdr[6];
# probes; gen; xflags; confirmed; updated; used} (include/xneigh/maps.h).
: >"$XN_TMP/bpftool.batch"
for e in "${ENTRIES[@]}"; do
	read -r fam dev addr state flags mac <<<"$e"
	fl=0
	[[ $flags == *router* ]] && fl=$((fl | 0x80))		# XN_NTF_ROUTER
	[[ $flags == *extern_learn* ]] && fl=$((fl | 0x10))	# XN_NTF_EXT_LEARNED
	confirmed=$((T0 - 60000000000))
	case $state in reachable | permanent | noarp) confirmed=$T0 ;; esac
	[ "$confirmed" -ge 0 ] || confirmed=0
	if [ "$fam" = 4 ]; then map=xn_neigh4 a=$(ip4_hex "$addr"); else map=xn_neigh6 a=$(ip6_hex "$addr"); fi
	echo "map update pinned $PINDIR/$map key hex $(le_hex "${IFX[$dev]}" 4)$a" \
		"value hex 00 00 00 00 $(le_hex "${NUD[$state]}" 1)$(le_hex "$fl" 1)$(mac_hex "$mac")" \
		"$(le_hex 0 4)$(le_hex 1 4)$(le_hex 0 4)$(le_hex "$confirmed" 8)$(le_hex "$T0" 8)$(le_hex "$T0" 8)" \
		>>"$XN_TMP/bpftool.batch"
done
bpftool batch file "$XN_TMP/bpftool.batch" >/dev/null
# Keep the kernel's REACHABLE entries REACHABLE for the whole test: the
# timer re-reads reachable_time, re-randomised on this write (spec §1.4).
for d in a0 b0; do
	ip netns exec "$NS" sysctl -qw net.ipv4.neigh.$d.base_reachable_time_ms=3600000 \
		net.ipv6.neigh.$d.base_reachable_time_ms=3600000
done

n=$("${IP[@]}" neigh show nud all | wc -l)
[ "$n" -eq "${#ENTRIES[@]}" ] ||
	xn_fail "the kernel lists $n entries, not the ${#ENTRIES[@]} this test made: $("${IP[@]}" neigh show nud all)"
n=$("${XN[@]}" show nud all | wc -l)
[ "$n" -eq "${#ENTRIES[@]}" ] ||
	xn_fail "xneigh lists $n entries, not the ${#ENTRIES[@]} written: $("${XN[@]}" show nud all)"
xn_ok "${#ENTRIES[@]} entries in the kernel's tables and in xn_neigh4/xn_neigh6"

# ---- comparing -------------------------------------------------------------------

OUT_IP=$XN_TMP/ip.out OUT_XN=$XN_TMP/xn.out
DIFF=

# run_pair CMD "OPTS" ARGS...: ip -n NS OPTS neigh CMD ARGS into OUT_IP and
# xneigh OPTS CMD ARGS into OUT_XN; both must succeed.
run_pair()
{
	local cmd=$1 opts=$2
	shift 2
	# shellcheck disable=SC2086	# OPTS is a list of words
	"${IP[@]}" $opts neigh "$cmd" "$@" >"$OUT_IP" 2>"$XN_TMP/ip.err" ||
		xn_fail "ip $opts neigh $cmd $* failed: $(cat "$XN_TMP/ip.err")"
	# shellcheck disable=SC2086
	"${XN[@]}" $opts "$cmd" "$@" >"$OUT_XN" 2>"$XN_TMP/xn.err" ||
		xn_fail "xneigh $opts $cmd $* failed: $(cat "$XN_TMP/xn.err")"
}

# The difference, with line ends and tabs shown (cat -A), for a FAIL line.
diff_of() { diff -u --label "ip $1" --label "xneigh $1" <(cat -A "$2") <(cat -A "$3") | head -n 80; }

# same_bytes CMD "OPTS" ARGS...: byte for byte.
same_bytes()
{
	run_pair "$@"
	cmp -s "$OUT_IP" "$OUT_XN" && return 0
	DIFF=$(diff_of "$2 $1 ${*:3}" "$OUT_IP" "$OUT_XN")
	return 1
}

# Same, retried while a second boundary may separate the two dumps (-s ages).
same_bytes_aged()
{
	local i
	for ((i = 0; i < RETRIES; i++)); do
		same_bytes "$@" && return 0
		sleep 0.3
	done
	return 1
}

# same_lines CMD "OPTS" ARGS...: the same lines, in any order.
same_lines()
{
	run_pair "$@"
	[ -s "$OUT_IP" ] || xn_fail "ip $2 neigh $1 ${*:3} printed nothing: the comparison would prove nothing"
	sort "$OUT_IP" >"$OUT_IP.sorted"
	sort "$OUT_XN" >"$OUT_XN.sorted"
	cmp -s "$OUT_IP.sorted" "$OUT_XN.sorted" && return 0
	DIFF=$(diff_of "$2 $1 ${*:3} (lines sorted)" "$OUT_IP.sorted" "$OUT_XN.sorted")
	return 1
}

# same_elements "OPTS" ARGS...: JSON lists with the same elements, in any
# order; and xneigh's compact output is exactly "[" elements joined by ","
# "]\n" in jq's canonical compact form, which is ip's.
same_elements()
{
	local opts=$1
	shift
	run_pair show "$opts" "$@"
	jq -c '.[]' "$OUT_IP" | sort >"$OUT_IP.el" || xn_fail "ip $opts neigh show $*: not JSON: $(cat "$OUT_IP")"
	jq -c '.[]' "$OUT_XN" | sort >"$OUT_XN.el" || xn_fail "xneigh $opts show $*: not JSON: $(cat "$OUT_XN")"
	[ -s "$OUT_IP.el" ] || xn_fail "ip $opts neigh show $* listed nothing: the comparison would prove nothing"
	if ! cmp -s "$OUT_IP.el" "$OUT_XN.el"; then
		DIFF=$(diff_of "$opts show $* (elements sorted)" "$OUT_IP.el" "$OUT_XN.el")
		return 1
	fi
	if [[ $opts != *-p* ]]; then
		printf '[%s]\n' "$(jq -c '.[]' "$OUT_XN" | paste -sd, -)" >"$OUT_XN.canon"
		if ! cmp -s "$OUT_XN.canon" "$OUT_XN"; then
			DIFF=$(diff -u --label "jq -c" --label "xneigh $opts show $*" \
				<(cat -A "$OUT_XN.canon") <(cat -A "$OUT_XN"))
			return 1
		fi
	fi
	return 0
}

# ---- 1. every entry alone, byte for byte --------------------------------------------

declare -A SEEN=()
for e in "${ENTRIES[@]}"; do
	read -r fam dev addr state flags mac <<<"$e"
	SEEN[$addr]=$((${SEEN[$addr]:-0} + 1))
done
for e in "${ENTRIES[@]}"; do
	read -r fam dev addr state flags mac <<<"$e"
	for opts in "" "-j" "-j -p" "-$fam"; do
		same_bytes show "$opts" to "$addr" dev "$dev" nud all ||
			xn_fail "$addr dev $dev ($state): xneigh $opts differs from ip:"$'\n'"$DIFF"
	done
	[ "$(wc -l <"$OUT_IP")" -eq 1 ] || xn_fail "ip -$fam neigh show to $addr dev $dev nud all: not one line: $(cat "$OUT_IP")"
	if [ "${SEEN[$addr]}" -eq 1 ]; then
		for opts in "" "-j"; do
			same_bytes show "$opts" to "$addr" nud all ||
				xn_fail "$addr ($state): xneigh $opts show to $addr differs from ip:"$'\n'"$DIFF"
		done
	fi
	if [ "$state" != reachable ] && [ "$AGES_OK" = 1 ]; then
		for opts in "-s" "-s -j" "-s -j -p"; do
			same_bytes_aged show "$opts" to "$addr" dev "$dev" nud all ||
				xn_fail "$addr dev $dev ($state): xneigh $opts differs from ip ($RETRIES tries):"$'\n'"$DIFF"
		done
	fi
done
if [ "$AGES_OK" = 1 ]; then
	xn_ok "each entry alone: text, -j, -j -p, -4/-6 and -s (but REACHABLE) byte for byte"
else
	xn_ok "each entry alone: text, -j, -j -p, -4/-6 byte for byte (-s skipped: less than 61 s of uptime)"
fi

# ---- 2. whole listings ---------------------------------------------------------------------

# "OPTS|ARGS"
LISTINGS=(
	"|"
	"|nud all"
	"-4|"
	"-6|nud all"
	"-f inet6|"
	"-f inet|nud all"
	"|dev a0"
	"-6|dev b0 nud all"
	"|to 10.0.0.0/24"
	"|2001:db8::/32 nud all"
	"|to 2001:db8::9/128"
	"|nud stale"
	"|nud failed nud none"
	"|nud noarp nud permanent"
	"|all"
	"-4|any nud all"
	"|default"
)
for l in "${LISTINGS[@]}"; do
	opts=${l%%|*}
	read -ra args <<<"${l#*|}"
	same_lines show "$opts" "${args[@]}" ||
		xn_fail "xneigh $opts show ${args[*]} differs from ip:"$'\n'"$DIFF"
	same_elements "-j $opts" "${args[@]}" ||
		xn_fail "xneigh -j $opts show ${args[*]} differs from ip:"$'\n'"$DIFF"
	same_elements "-j -p $opts" "${args[@]}" ||
		xn_fail "xneigh -j -p $opts show ${args[*]} differs from ip:"$'\n'"$DIFF"
done
if [ "$AGES_OK" = 1 ]; then
	for ((i = 0; i < RETRIES; i++)); do
		same_lines show -s nud stale nud permanent nud failed nud noarp nud none && break
		sleep 0.3
	done
	[ "$i" -lt "$RETRIES" ] || xn_fail "xneigh -s show (all but REACHABLE) differs from ip:"$'\n'"$DIFF"
fi

# ip lists the ARP table before the ND table; so does xneigh.
"${XN[@]}" show nud all | awk '{ print (index($1, ":") ? 6 : 4) }' | uniq | paste -sd' ' >"$XN_TMP/order"
[ "$(cat "$XN_TMP/order")" = "4 6" ] || xn_fail "xneigh show lists families in the order $(cat "$XN_TMP/order"), not IPv4 then IPv6"
"${IP[@]}" neigh show nud all | awk '{ print (index($1, ":") ? 6 : 4) }' | uniq | paste -sd' ' >"$XN_TMP/order"
[ "$(cat "$XN_TMP/order")" = "4 6" ] || xn_fail "ip neigh show lists families in the order $(cat "$XN_TMP/order") here"
xn_ok "${#LISTINGS[@]} listings (families, dev, prefixes, nud filters): same lines, same JSON elements; IPv4 first"

# ---- 3. both ways of finding the maps -----------------------------------------------

"${XN[@]}" -v -v -j show nud all >"$XN_TMP/pins.json" 2>"$XN_TMP/pins.err"
grep -q "maps found through pinned maps" "$XN_TMP/pins.err" ||
	xn_fail "xneigh under nsenter did not use the pins: $(cat "$XN_TMP/pins.err")"
ip netns exec "$NS" "$XN_XNEIGH" -v -v -j show nud all >"$XN_TMP/progs.json" 2>"$XN_TMP/progs.err"
grep -q "maps found through attached programs" "$XN_TMP/progs.err" ||
	xn_fail "xneigh under ip netns exec did not go through the programs: $(cat "$XN_TMP/progs.err")"
cmp -s "$XN_TMP/pins.json" "$XN_TMP/progs.json" ||
	xn_fail "xneigh lists differently through pins and through programs:"$'\n'"$(diff_of "-j show" "$XN_TMP/pins.json" "$XN_TMP/progs.json")"
xn_ok "same listing through the pins and through the attached programs"

# ---- 4. refusals ------------------------------------------------------------------------

for args in "-4 neigh show to 2001:db8::1" "-6 neigh show to 10.0.0.2" "neigh flush"; do
	# shellcheck disable=SC2086
	if "${IP[@]}" $args >/dev/null 2>&1; then xn_fail "ip $args succeeded on this machine"; fi
	# shellcheck disable=SC2086
	if "${XN[@]}" ${args/neigh /} >/dev/null 2>&1; then xn_fail "xneigh ${args/neigh /} succeeded; ip refuses it"; fi
done
xn_ok "refused like ip: a prefix of the other family, flush without arguments"

# ---- 5. flush -----------------------------------------------------------------------------

FLUSHES=(
	"-s|dev b0"
	"-6 -s|all"
	"-s|to 10.0.0.0/24"
	"-s|all nud all"
	"-s|all"
)
for l in "${FLUSHES[@]}"; do
	opts=${l%%|*}
	read -ra args <<<"${l#*|}"
	same_bytes flush "$opts" "${args[@]}" ||
		xn_fail "xneigh $opts flush ${args[*]} reports differently from ip:"$'\n'"$DIFF"
	same_bytes show "-j" nud all ||
		same_elements "-j" nud all ||
		xn_fail "after $opts flush ${args[*]}, the tables differ:"$'\n'"$DIFF"
done
n=$("${IP[@]}" neigh show nud all | wc -l)
[ "$n" -eq 2 ] || xn_fail "after the flushes the kernel keeps $n entries, expected the 2 NOARP ones"
xn_ok "${#FLUSHES[@]} flushes: same -s reports, same entries left"

# ---- 6. stats ---------------------------------------------------------------------------

# refill both tables (the flushes emptied them)
"${IP[@]}" -batch "$XN_TMP/ip.batch"
bpftool batch file "$XN_TMP/bpftool.batch" >/dev/null
n4=$("${IP[@]}" -4 neigh show nud all | wc -l)
n6=$("${IP[@]}" -6 neigh show nud all | wc -l)
"${XN[@]}" stats -j >"$XN_TMP/stats.json"
jq -e --argjson n4 "$n4" --argjson n6 "$n6" \
	'(keys_unsorted == ["arp_cache", "ndisc_cache"]) and .arp_cache.entries == $n4 and
	 .ndisc_cache.entries == $n6 and (.arp_cache | keys_unsorted) == (.ndisc_cache | keys_unsorted) and
	 (.arp_cache | keys_unsorted | .[0]) == "entries" and (.ndisc_cache | has("rx_ns"))' \
	"$XN_TMP/stats.json" >/dev/null ||
	xn_fail "xneigh stats -j: expected arp_cache ($n4 entries) then ndisc_cache ($n6 entries) with the same counters: $(cat "$XN_TMP/stats.json")"
[ "$("${XN[@]}" stats | grep -E '^[a-z_]+:$' | paste -sd' ')" = "arp_cache: ndisc_cache:" ] ||
	xn_fail "xneigh stats: blocks are not arp_cache: then ndisc_cache:: $("${XN[@]}" stats | grep ':$')"
[ "$("${XN[@]}" stats -6 | grep -E '^[a-z_]+:$')" = "ndisc_cache:" ] || xn_fail "xneigh stats -6 is not the ndisc_cache block alone"
[ "$("${XN[@]}" stats -4 -j | jq -c 'keys')" = '["arp_cache"]' ] || xn_fail "xneigh stats -4 -j is not {\"arp_cache\": ...} alone"
# text: /proc/net/stat's column header, then the row with entries first
[ "$("${XN[@]}" stats -6 | awk 'NR == 2 && $1 == "entries" { ok = 1 } NR == 3 && ok { print $1 }')" = "$n6" ] ||
	xn_fail "xneigh stats -6 (text) does not show entries $n6: $("${XN[@]}" stats -6 | head -3)"
xn_ok "xneigh stats: arp_cache ($n4 entries) then ndisc_cache ($n6 entries); -4 and -6 select one"

xn_daemon_stop "$XND" || xn_fail "xneighd did not exit within 5 s of SIGTERM"
[ "$XN_STOP_RC" = 0 ] || xn_fail "xneighd exited with status $XN_STOP_RC on SIGTERM"
[ ! -e "$PINDIR" ] || xn_fail "xneighd left its pins in $PINDIR"
exit 0
