#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Device events (spec EV-1..EV-4, GC-4): what happens to the neighbour
# tables, and on the wire, when the host's interface loses its carrier, goes
# down, changes its MAC or NOARP flag, loses its last IPv4 address or its
# IPv6, and what it announces (arp_notify, ndisc_notify).
#
#  xn-peer-PID                          xn-host-PID
# +---------------------------+        +-------------------------------------------+
# | p0  02:00:00:00:45:02     |--veth--| h0  02:00:00:00:45:01 (xneighd -i h0)     |
# |     10.45.0.2/24          |        |     10.45.0.1/24, 10.45.0.3/24            |
# |     2001:db8:45::2/64     |        |     2001:db8:45::1/64 (nodad)             |
# | xdp: xdp_pass             |        | nft: ARP requests and NS (not DAD) dropped |
# | tcpdump (announcements)   |        | b0 --veth-- b1: the barrier (below)       |
# +---------------------------+        +-------------------------------------------+
#
# Tables. Before each event the same entries go into the kernel's table
# (`ip neigh replace`) and into xneigh's (`xneigh replace`) on h0:
#   10.45.0.50 PERMANENT, 10.45.0.51 NOARP, 10.45.0.52 STALE,
#   10.45.0.53 REACHABLE extern_learn,
#   2001:db8:45::50 PERMANENT, ::51 NOARP, ::52 STALE;
# plus, in xneigh's only, 10.45.0.2 learned from the peer's arping (STALE).
# After the event the kernel's remaining entries are the oracle: xneigh's
# must be the same ones (and 10.45.0.2 gone whenever STALE ones go):
#   1. carrier loss (the peer sets p0 down): PERMANENT ones stay;
#   2. ... with net.ipv4.conf.h0.arp_evict_nocarrier=0 and
#      net.ipv6.conf.h0.ndisc_evict_nocarrier=0: everything stays;
#   3. ... with net.ipv4.conf.all.arp_evict_nocarrier=0 (all AND dev): IPv4
#      stays, IPv6 keeps PERMANENT only;
#   4. h0 set down: nothing stays;
#   5. h0 changes its MAC: nothing stays; then xneigh's ARP reply and NA
#      carry the new MAC (xn_ifconf follows the link);
#   6. NOARP set on h0 (and cleared): nothing stays;
#   7. the last IPv4 addresses deleted: no IPv4 entry stays, IPv6 ones do;
#   8. net.ipv6.conf.h0.disable_ipv6=1, then MTU 1200 (the inet6_dev is
#      destroyed): no IPv6 entry stays, IPv4 ones do;
#   9. b0 deleted: its entry goes.
# Where nothing is removed, "after the event" is made certain by a barrier:
# an entry on b0 (a veth pair inside the host), b0 set down, the entry gone
# once xneighd has handled every notification up to that one.
#
# Announcements: with arp_notify=1 and ndisc_notify=1 on h0, the peer counts
# what h0 sends, first with the kernel alone, then with xneighd attached:
# the same counts (the kernel sends them itself; xneighd must not add any):
#   a. h0 down and up: one gratuitous ARP request per IPv4 address (2), and
#      one unsolicited NA when DAD of the link-local address completes;
#   b. h0's MAC changes: 2 gratuitous requests from the new MAC, and one NA
#      per IPv6 address (link-local and 2001:db8:45::1), override set, from
#      the address itself to ff02::1, with the new MAC as TLLAO;
#   c. an IPv4 address and a nodad IPv6 address added: nothing;
#   d. an IPv6 address added with DAD: one NA when DAD completes.
# Exit 0 pass, 249 skip (with a SKIP: line), 1 fail.

. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
xn_strict

MAC_H0=02:00:00:00:45:01 MAC_P0=02:00:00:00:45:02 MAC_NEW=02:00:00:00:45:11
IP_H0=10.45.0.1 IP_H0B=10.45.0.3 IP_P0=10.45.0.2
IP6_H0=2001:db8:45::1 IP6_P0=2001:db8:45::2
WAIT=10

xn_require_root
xn_require_tools ip nft arping ndisc6 tcpdump jq sysctl awk
xn_require_build "$XN_XNEIGHD" "$XN_XNEIGH" "$XN_XDP_PASS"

xn_lab_begin
xn_ns_add HOST host
xn_ns_add PEER peer
xn_veth "$HOST" h0 $MAC_H0 "$PEER" p0 $MAC_P0
ip -n "$HOST" link add b0 type veth peer name b1
ip -n "$HOST" link set dev b0 up
ip -n "$HOST" link set dev b1 up
ip netns exec "$HOST" sysctl -qw net.ipv6.conf.h0.accept_dad=1
# h0's IPv6 global address is nodad: it is usable at once after every up
h0_addrs()
{
	ip -n "$HOST" addr replace $IP_H0/24 dev h0
	ip -n "$HOST" addr replace $IP_H0B/24 dev h0
	ip -n "$HOST" addr replace $IP6_H0/64 dev h0 nodad
}
h0_addrs
# the peer's carrier goes with p0 down and up: it keeps its addresses and
# does no DAD, so ndisc6 has a source at once
ip netns exec "$PEER" sysctl -qw net.ipv6.conf.p0.keep_addr_on_down=1 net.ipv6.conf.p0.accept_dad=0
ip -n "$PEER" addr add $IP_P0/24 dev p0
ip -n "$PEER" addr add $IP6_P0/64 dev p0 nodad
xn_xdp_pass "$PEER" p0 || xn_skip "native XDP on veth not available (attaching xdp_pass failed)"

# ---- announcements -----------------------------------------------------------------------

CAP_PID=
cap_start()
{
	ip netns exec "$PEER" tcpdump -i p0 -l -nn -e -v 'arp or (icmp6 and ip6[40] == 136)' \
		>"$1" 2>"$1.err" &
	CAP_PID=$!
	xn_wait_for 5 grep -qs "listening on" "$1.err" || xn_fail "tcpdump did not start: $(cat "$1.err")"
}
cap_stop()
{
	kill -INT "$CAP_PID" 2>/dev/null || true
	wait "$CAP_PID" 2>/dev/null || true
}
# garps FILE: gratuitous ARP requests from h0 as "MAC IP", one a line
garps()
{
	awk '/Request who-has/ && $0 ~ /ff:ff:ff:ff:ff:ff/ {
		for (i = 1; i <= NF; i++) {
			if ($i == "who-has") t = $(i + 1)
			if ($i == "tell") s = $(i + 1)
		}
		sub(/,$/, "", s)
		if (t == s && $2 != "'$MAC_P0'") print $2, t
	}' "$1"
}
# nas FILE: NAs from h0 as "SRC>DST tgt TARGET FLAGS TLLAO", one a line
nas()
{
	awk '/neighbor advertisement/ && $0 !~ /'$MAC_P0' >/ {
		for (i = 1; i <= NF; i++) {
			if ($i == ">") { src = $(i - 1); dst = $(i + 1) }
			if ($i == "tgt") tgt = $(i + 2)
			if ($i == "Flags") fl = $(i + 1)
		}
		sub(/:$/, "", dst); sub(/,$/, "", tgt)
		getline opt
		n = split(opt, w, " ")
		printf "%s>%s tgt %s %s %s\n", src, dst, tgt, fl, w[n]
	}' "$1"
}
count() { grep -c . <<<"$1" || true; }
wait_count() # FN FILE N: FN FILE has at least N lines
{
	[ "$(count "$($1 "$2")")" -ge "$3" ]
}

# announce MODE: the four steps; sets ANN_<step> to what was counted
announce()
{
	local mode=$1 f
	ip netns exec "$HOST" sysctl -qw net.ipv4.conf.h0.arp_notify=1 net.ipv6.conf.h0.ndisc_notify=1
	ip -n "$HOST" link set dev h0 address $MAC_H0

	# a. down and up
	f=$XN_TMP/ann-a-$mode
	cap_start "$f"
	ip -n "$HOST" link set dev h0 down
	ip -n "$HOST" link set dev h0 up
	h0_addrs
	xn_wait_for $WAIT wait_count nas "$f" 1 || true
	barrier
	cap_stop
	ANN_a="$(count "$(garps "$f")") GARP $(count "$(nas "$f")") NA"
	[ "$(garps "$f" | sort | tr '\n' ' ')" = "$MAC_H0 $IP_H0 $MAC_H0 $IP_H0B " ] ||
		xn_fail "$mode: a. gratuitous ARPs after up: $(garps "$f" | tr '\n' ';')"

	# b. MAC change
	f=$XN_TMP/ann-b-$mode
	cap_start "$f"
	ip -n "$HOST" link set dev h0 address $MAC_NEW
	xn_wait_for $WAIT wait_count nas "$f" 2 || true
	barrier
	cap_stop
	ANN_b="$(count "$(garps "$f")") GARP $(count "$(nas "$f")") NA"
	[ "$(garps "$f" | sort | tr '\n' ' ')" = "$MAC_NEW $IP_H0 $MAC_NEW $IP_H0B " ] ||
		xn_fail "$mode: b. gratuitous ARPs after the MAC change: $(garps "$f" | tr '\n' ';')"
	[ "$(nas "$f" | grep -c "^$IP6_H0>ff02::1 tgt $IP6_H0 \[override\] $MAC_NEW\$")" = 1 ] ||
		xn_fail "$mode: b. no NA for $IP6_H0 from itself to ff02::1, override, TLLAO $MAC_NEW: $(nas "$f" | tr '\n' ';')"

	# c. addresses added
	f=$XN_TMP/ann-c-$mode
	cap_start "$f"
	ip -n "$HOST" addr add 10.45.0.4/24 dev h0
	ip -n "$HOST" addr add 2001:db8:45::4/64 dev h0 nodad
	barrier
	cap_stop
	ANN_c="$(count "$(garps "$f")") GARP $(count "$(nas "$f")") NA"

	# d. an IPv6 address with DAD
	f=$XN_TMP/ann-d-$mode
	cap_start "$f"
	ip -n "$HOST" addr add 2001:db8:45::5/64 dev h0
	xn_wait_for $WAIT wait_count nas "$f" 1 || true
	barrier
	cap_stop
	ANN_d="$(count "$(garps "$f")") GARP $(count "$(nas "$f")") NA"

	ip -n "$HOST" addr del 10.45.0.4/24 dev h0
	ip -n "$HOST" addr del 2001:db8:45::4/64 dev h0
	ip -n "$HOST" addr del 2001:db8:45::5/64 dev h0
	ip -n "$HOST" link set dev h0 address $MAC_H0
	ip netns exec "$HOST" sysctl -qw net.ipv4.conf.h0.arp_notify=0 net.ipv6.conf.h0.ndisc_notify=0
}

# The barrier: with xneighd, an entry on b0 and b0 set down; the entry is
# gone once xneighd has handled every notification up to b0's. Without
# xneighd, b0 down and up alone (the kernel's announcements are synchronous).
XND=
barrier()
{
	if [ -n "$XND" ]; then
		xn_cli "$HOST" replace 10.46.0.50 dev b0 lladdr 02:00:00:00:46:50 nud permanent
		ip -n "$HOST" link set dev b0 down
		xn_wait_for $WAIT b0_gone || xn_fail "barrier: xneighd kept b0's entry after b0 went down"
	else
		ip -n "$HOST" link set dev b0 down
	fi
	ip -n "$HOST" link set dev b0 up
}
b0_gone() { [ -z "$(xn_cli "$HOST" show dev b0 nud all -j | jq -r '.[].dst')" ]; }

# ---- the kernel alone ----
announce kernel
KERNEL_ANN="a: $ANN_a; b: $ANN_b; c: $ANN_c; d: $ANN_d"
EXPECT_ANN="a: 2 GARP 1 NA; b: 2 GARP 2 NA; c: 0 GARP 0 NA; d: 0 GARP 1 NA"
[ "$KERNEL_ANN" = "$EXPECT_ANN" ] ||
	xn_fail "the kernel alone announced '$KERNEL_ANN', this test expects '$EXPECT_ANN'"
xn_ok "kernel alone: $KERNEL_ANN"

# ---- xneigh ----------------------------------------------------------------------------------
xn_nft_drop_arp_requests "$HOST" || xn_skip "nftables cannot load an arp family table here"
ip netns exec "$HOST" nft -f - <<<'table ip6 xn_lab6 {
	chain input {
		type filter hook input priority 0; policy accept;
		icmpv6 type nd-neighbor-solicit ip6 saddr != :: drop
	}
}' || xn_skip "nftables cannot load an ip6 table with an icmpv6 type match here"
ip -n "$HOST" neigh flush dev h0
ip -n "$HOST" -6 neigh flush dev h0

# The kernel's table is the oracle: xneighd must not write into it
# (its kernel table mirror, where built in, is turned off).
XND_OPTS=(-i h0 -v)
"$XN_XNEIGHD" --help | grep -q -- --no-kernel-sync && XND_OPTS+=(--no-kernel-sync)
xn_daemon_start XND "$HOST" xneighd "$XN_XNEIGHD" "${XND_OPTS[@]}"
answered()
{
	xn_daemon_alive "$XND" || xn_fail "xneighd exited early"
	xn_arping_from_mac "$PEER" p0 $IP_H0 "$1"
}
xn_wait_for $WAIT answered $MAC_H0 || xn_fail "xneighd does not answer $IP_H0: $XN_ARPING_OUT"

announce xneigh
XNEIGH_ANN="a: $ANN_a; b: $ANN_b; c: $ANN_c; d: $ANN_d"
[ "$XNEIGH_ANN" = "$KERNEL_ANN" ] ||
	xn_fail "with xneighd attached h0 announced '$XNEIGH_ANN', the kernel alone '$KERNEL_ANN'"
xn_ok "with xneighd: the same announcements, none twice ($XNEIGH_ANN)"

# ---- the tables ----------------------------------------------------------------------------

E4=(10.45.0.50:permanent 10.45.0.51:noarp 10.45.0.52:stale 10.45.0.53:reachable)
E6=(2001:db8:45::50:permanent 2001:db8:45::51:noarp 2001:db8:45::52:stale)
ALL="10.45.0.50 10.45.0.51 10.45.0.52 10.45.0.53 2001:db8:45::50 2001:db8:45::51 2001:db8:45::52"

fill()
{
	local e a s mac extra
	# xneighd removes what was in its table when it reads an event's
	# notification: the last step's must be read before the new entries go in
	barrier
	for e in "${E4[@]}" "${E6[@]}"; do
		a=${e%:*} s=${e##*:}
		mac=02:00:00:00:45:${a: -2}
		extra=()
		[ "$a" = 10.45.0.53 ] && extra=(extern_learn)
		ip -n "$HOST" neigh replace "$a" dev h0 lladdr "$mac" nud "$s" "${extra[@]}"
		xn_cli "$HOST" replace "$a" dev h0 lladdr "$mac" nud "$s" "${extra[@]}"
	done
	# one the data plane learns: the peer asks for the host
	xn_wait_for $WAIT answered "$(h0_mac)" || xn_fail "h0 not answered: $XN_ARPING_OUT"
	[ "$(table xneigh)" = "$ALL" ] || xn_fail "fill: xneigh has '$(table xneigh)'"
	[ "$(table kernel)" = "$ALL" ] || xn_fail "fill: the kernel has '$(table kernel)'"
	learned || xn_fail "fill: xneigh did not learn $IP_P0"
}
h0_mac() { ip -n "$HOST" -j link show dev h0 | jq -r '.[0].address'; }

# table MODE: the test entries of h0 in MODE's table, sorted
table()
{
	local j
	if [ "$1" = kernel ]; then
		j=$(ip -n "$HOST" -j neigh show nud all)
	else
		j=$(xn_cli "$HOST" show nud all -j)
	fi
	jq -r '[.[] | select(.dev == "h0" and (.dst | test("^10\\.45\\.0\\.5|^2001:db8:45::5"))) |
		.dst] | sort | join(" ")' <<<"$j"
}
learned() { [ -n "$(xn_cli "$HOST" show nud all -j | jq -r --arg d $IP_P0 '.[] | select(.dev == "h0" and .dst == $d) | .dst')" ]; }
xn_same() { [ "$(table xneigh)" = "$1" ]; }

# expect STEP REMAINING [barrier]: the kernel's table and xneigh's end with
# exactly REMAINING. With `barrier` (an event that removes little or
# nothing, so waiting for a change proves nothing) both are read once after
# the barrier; else each gets WAIT seconds to get there.
kernel_same() { [ "$(table kernel)" = "$1" ]; }
expect()
{
	local step=$1 want=$2
	if [ "${3:-}" = barrier ]; then
		barrier
	else
		xn_wait_for $WAIT kernel_same "$want" || true
		xn_wait_for $WAIT xn_same "$want" || true
	fi
	[ "$(table kernel)" = "$want" ] ||
		xn_fail "$step: the kernel kept '$(table kernel)', this test expects '$want'"
	[ "$(table xneigh)" = "$want" ] ||
		xn_fail "$step: xneigh kept '$(table xneigh)', the kernel '$want'"
	xn_daemon_alive "$XND" || xn_fail "xneighd exited"
}
# the learned entry is gone (it is STALE: whatever removes STALE ones)
expect_learned_gone()
{
	! learned || xn_fail "$1: xneigh kept the learned $IP_P0"
}

# The kernel handles a carrier change in linkwatch, under RTNL, after the
# operational state moved: once h0's operstate says so, any later change
# (the barrier's b0 down) is notified after h0's.
operstate_is() { [ "$(ip -n "$HOST" -j link show dev h0 | jq -r '.[0].operstate')" = "$1" ]; }
peer_down()
{
	ip -n "$PEER" link set dev p0 down
	xn_wait_for $WAIT eval '! operstate_is UP' || xn_fail "h0 still UP after p0 went down"
}
carrier_back()
{
	ip -n "$PEER" link set dev p0 up
	xn_wait_for $WAIT operstate_is UP || xn_fail "h0 not UP again after p0 up"
}

# 1. carrier loss
fill
peer_down
expect "1. carrier loss" "10.45.0.50 2001:db8:45::50"
expect_learned_gone "1. carrier loss"
carrier_back
xn_ok "1. carrier loss: PERMANENT entries stay, NOARP, STALE, REACHABLE and extern_learn go (as the kernel's)"

# 2. evict_nocarrier off on h0
ip netns exec "$HOST" sysctl -qw net.ipv4.conf.h0.arp_evict_nocarrier=0 \
	net.ipv6.conf.h0.ndisc_evict_nocarrier=0
fill
peer_down
expect "2. carrier loss, evict_nocarrier=0" "$ALL" barrier
learned || xn_fail "2. xneigh removed the learned $IP_P0 with arp_evict_nocarrier=0"
carrier_back
ip netns exec "$HOST" sysctl -qw net.ipv4.conf.h0.arp_evict_nocarrier=1 \
	net.ipv6.conf.h0.ndisc_evict_nocarrier=1
xn_ok "2. carrier loss with arp_evict_nocarrier=0 and ndisc_evict_nocarrier=0 on h0: every entry stays"

# 3. all.arp_evict_nocarrier=0
ip netns exec "$HOST" sysctl -qw net.ipv4.conf.all.arp_evict_nocarrier=0
fill
peer_down
expect "3. carrier loss, all.arp_evict_nocarrier=0" \
	"10.45.0.50 10.45.0.51 10.45.0.52 10.45.0.53 2001:db8:45::50"
carrier_back
ip netns exec "$HOST" sysctl -qw net.ipv4.conf.all.arp_evict_nocarrier=1
xn_ok "3. all.arp_evict_nocarrier=0 (all AND dev): IPv4 entries stay, IPv6 keeps PERMANENT only"

# 4. admin down
fill
ip -n "$HOST" link set dev h0 down
expect "4. h0 down" ""
expect_learned_gone "4. h0 down"
ip -n "$HOST" link set dev h0 up
h0_addrs
xn_ok "4. h0 set down: every entry goes, PERMANENT ones too"

# 5. MAC change
fill
ip -n "$HOST" link set dev h0 address $MAC_NEW
expect "5. MAC change" ""
expect_learned_gone "5. MAC change"
xn_wait_for $WAIT answered $MAC_NEW || xn_fail "5. after the MAC change $IP_H0 is not answered with $MAC_NEW: $XN_ARPING_OUT"
# the peer's route to the prefix may still be coming back from step 4's
# carrier loss (ndisc6: "Network is unreachable"): ask until it can send
nd_answered()
{
	out=$(ip netns exec "$PEER" ndisc6 -1 -q -n -r 3 -w 1000 $IP6_H0 p0 2>&1)
}
xn_wait_for $WAIT nd_answered || xn_fail "5. ndisc6 $IP6_H0 got no answer: $out"
[ "$out" = $MAC_NEW ] || xn_fail "5. ndisc6 $IP6_H0 answered with '$out', expected $MAC_NEW"
ip -n "$HOST" link set dev h0 address $MAC_H0
xn_ok "5. MAC change: every entry goes; xneigh's ARP replies and NAs carry the new MAC"

# 6. NOARP set and cleared
fill
ip -n "$HOST" link set dev h0 arp off
expect "6. NOARP set" ""
ip -n "$HOST" link set dev h0 arp on
fill
ip -n "$HOST" link set dev h0 arp off
ip -n "$HOST" link set dev h0 arp on
expect "6. NOARP set and cleared" ""
xn_ok "6. the NOARP flag set or cleared: every entry goes"

# 7. the last IPv4 address
fill
ip -n "$HOST" addr del $IP_H0B/24 dev h0
expect "7. one of two IPv4 addresses deleted" "$ALL" barrier
ip -n "$HOST" addr del $IP_H0/24 dev h0
expect "7. the last IPv4 address deleted" "2001:db8:45::50 2001:db8:45::51 2001:db8:45::52"
expect_learned_gone "7. the last IPv4 address deleted"
h0_addrs
xn_ok "7. the last IPv4 address deleted: IPv4 entries go, PERMANENT ones too; IPv6 ones stay"

# 8. disable_ipv6
fill
ip netns exec "$HOST" sysctl -qw net.ipv6.conf.h0.disable_ipv6=1
expect "8. disable_ipv6" "10.45.0.50 10.45.0.51 10.45.0.52 10.45.0.53"
learned || xn_fail "8. disable_ipv6 removed the IPv4 entry $IP_P0"
ip netns exec "$HOST" sysctl -qw net.ipv6.conf.h0.disable_ipv6=0
h0_addrs
xn_ok "8. disable_ipv6: IPv6 entries go, IPv4 ones stay"
fill
ip -n "$HOST" link set dev h0 mtu 1200
expect "8. MTU 1200 (IPv6 state destroyed)" "10.45.0.50 10.45.0.51 10.45.0.52 10.45.0.53"
ip -n "$HOST" link set dev h0 mtu 1500
h0_addrs
xn_ok "8. MTU below 1280 (the inet6_dev goes): IPv6 entries go, IPv4 ones stay"

# 9. a device deleted
xn_cli "$HOST" replace 10.46.0.50 dev b0 lladdr 02:00:00:00:46:50 nud permanent
ip -n "$HOST" link del dev b0
b0_entry_gone() { [ -z "$(xn_cli "$HOST" show nud all -j | jq -r '.[] | select(.dst == "10.46.0.50") | .dst')" ]; }
xn_wait_for $WAIT b0_entry_gone || xn_fail "9. b0's entry outlived b0"
xn_ok "9. b0 deleted: its entry goes"
xn_daemon_alive "$XND" || xn_fail "xneighd exited"
