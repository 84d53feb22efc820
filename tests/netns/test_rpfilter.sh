#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# rp_filter and arp_filter on a host that forwards nothing: the data plane
# reads xneighd's mirror of table main (xn_route4) because bpf_fib_lookup()
# refuses interfaces without forwarding.
#
#  xn-peera-PID                         xn-host-PID                                xn-peerb-PID
# +----------------------------+       +-----------------------------------+      +----------------------+
# | pa0 02:00:00:00:01:02      |-veth--| h0 02:00:00:00:01:01 10.1.0.1/24  |      |                      |
# |     10.1.0.2/24            |       |                                   |      |                      |
# |     10.9.0.2/32 10.8.0.2/32|       | h1 02:00:00:00:02:01 10.2.0.1/24  |-veth-| pb0 02:00:00:00:02:02|
# |     (arping -s sources)    |       |                                   |      |     10.2.0.2/24      |
# | pa1 02:00:00:00:03:02      |-veth--| h2 02:00:00:00:03:01 10.1.0.21/24 |      +----------------------+
# |     10.1.0.3/24            |       |    (noprefixroute: same subnet as |
# |  xdp: xdp_pass on both     |       |     h0, route added per step)     |
# +----------------------------+       | ip_forward=0: no forwarding at all|
#                                      | nft arp input: request -> drop    |
#                                      | xneighd -i h0 -i h2               |
#                                      +-----------------------------------+
#
# The host kernel sees no ARP request (nft), so every answer is xneigh's.
# Peer A asks for 10.1.0.1 from several sources (arping -s):
#   10.1.0.2  connected through h0: the reverse route leaves through h0;
#   10.9.0.2  host route 10.9.0.0/24 dev h1: it leaves through another device;
#   10.8.0.2  no route at all (the host has no default route).
#
# Checks, in order:
#  1. no interface forwards: xn_global.fib_ifindex is 0, the mirror is valid
#     (XN_GF_ROUTE4_VALID) and holds exactly the prefixes of table main;
#  2. for rp_filter = 1 and = 2 (net.ipv4.conf.all, as Debian sets it):
#     10.1.0.2 answered; 10.9.0.2 not answered in strict mode (route_rejected
#     moves), answered in loose mode; 10.8.0.2 never answered;
#     filter_deferred stays 0;
#  3. the mirror follows table main (strict mode): a route to 10.8.0.0/24
#     via h0 makes 10.8.0.2 answered, deleting it refused again (the entry
#     is gone from the map); the same through a nexthop object, then
#     replaced by one via h1 under nexthop_compat_mode 0 (no route
#     notification); a tos route (ARP's lookups carry tos 0) changes
#     nothing; a second 10.9.0.0/24 through h0 with a higher metric changes
#     nothing; deleting the first makes it the route: 10.9.0.2 answered;
#  4. `ip rule add from 10.9.9.9 table 100`: the mirror is no longer valid,
#     requests that need the lookup are left to the kernel (filter_deferred
#     moves, nobody answers); deleting the rule makes it valid again;
#  5. arp_filter = 1, h0 and h2 in one subnet: only the interface the route to
#     the sender leaves through answers (filtered_arp_filter moves); after the
#     route through h0 is deleted, h2 answers and h0 no longer does;
#  6. the kernel agrees: xneighd stopped and the nft rule removed, the host
#     kernel answers exactly as xneigh did in 2 (strict) and 5.

. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
xn_strict

MAC_H0=02:00:00:00:01:01 MAC_PA0=02:00:00:00:01:02
MAC_H1=02:00:00:00:02:01 MAC_PB0=02:00:00:00:02:02
MAC_H2=02:00:00:00:03:01 MAC_PA1=02:00:00:00:03:02
IP_H0=10.1.0.1 IP_PA0=10.1.0.2 IP_H2=10.1.0.21 IP_PA1=10.1.0.3
IP_H1=10.2.0.1 IP_PB0=10.2.0.2
SRC_OTHER=10.9.0.2	# routed through h1
SRC_NOROUTE=10.8.0.2	# not routed
WAIT=10

xn_require_root
xn_require_tools ip nft arping bpftool jq sysctl
xn_require_build "$XN_XNEIGHD" "$XN_XNEIGH" "$XN_XDP_PASS"

xn_lab_begin
xn_ns_add HOST host
xn_ns_add PA peera
xn_ns_add PB peerb
# A new namespace inherits net.ipv4.conf.{all,default} from the initial one:
# forwarding could be on. ip_forward=0 turns it off on every device.
ip netns exec "$HOST" sysctl -qw net.ipv4.ip_forward=0 net.ipv4.conf.default.forwarding=0
xn_veth "$HOST" h0 $MAC_H0 "$PA" pa0 $MAC_PA0
xn_veth "$HOST" h1 $MAC_H1 "$PB" pb0 $MAC_PB0
xn_veth "$HOST" h2 $MAC_H2 "$PA" pa1 $MAC_PA1
ip -n "$HOST" addr add $IP_H0/24 dev h0
ip -n "$HOST" addr add $IP_H1/24 dev h1
ip -n "$HOST" addr add $IP_H2/24 dev h2 noprefixroute
ip -n "$PA" addr add $IP_PA0/24 dev pa0
ip -n "$PA" addr add $SRC_OTHER/32 dev pa0
ip -n "$PA" addr add $SRC_NOROUTE/32 dev pa0
ip -n "$PA" addr add $IP_PA1/24 dev pa1
ip -n "$PB" addr add $IP_PB0/24 dev pb0
xn_xdp_pass "$PA" pa0 || xn_skip "native XDP on veth not available (attaching xdp_pass failed)"
xn_xdp_pass "$PA" pa1
IFX_H0=$(ip -n "$HOST" -j link show dev h0 | jq '.[0].ifindex')
IFX_H1=$(ip -n "$HOST" -j link show dev h1 | jq '.[0].ifindex')
IFX_H2=$(ip -n "$HOST" -j link show dev h2 | jq '.[0].ifindex')

fwd=$(ip netns exec "$HOST" sysctl -n net.ipv4.conf.{all,lo,h0,h1,h2}.forwarding | sort -u)
[ "$fwd" = 0 ] || xn_fail "lab: IPv4 forwarding is still on somewhere in the host namespace"

xn_nft_drop_arp_requests "$HOST" || xn_skip "nftables cannot load an arp family table here"
xn_arping_unanswered "$PA" pa0 $IP_H0 ||
	xn_fail "kernel answers $IP_H0 despite the nft rule: $XN_ARPING_OUT"

# ---- helpers -------------------------------------------------------------------

# arping_src DEV SRC TARGET [COUNT DEADLINE]: an ARP request from peer A with
# sender address SRC; 0 if answered. Output in XN_ARPING_OUT.
arping_src()
{
	XN_ARPING_OUT=$(ip netns exec "$PA" arping -c "${4:-1}" -w "${5:-1}" -I "$1" -s "$2" "$3" 2>&1)
}

# answered DEV SRC TARGET MAC: a reply came back, from MAC.
answered()
{
	if [ -n "$XND" ] && ! xn_daemon_alive "$XND"; then
		xn_fail "xneighd exited early"
	fi
	arping_src "$1" "$2" "$3" 1 1 || return 1
	grep -qi "reply from $3 \[$4\]" <<<"$XN_ARPING_OUT"
}

# unanswered DEV SRC TARGET: three requests over 3 s, no reply.
unanswered() { ! arping_src "$1" "$2" "$3" 3 3; }
unanswered_once() { ! arping_src "$1" "$2" "$3" 1 1; }

counter() { xn_cli_stat "$HOST" "$1"; }

# xn_global[0].FIELD, read through the maps of h0's program.
global_field()
{
	bpftool -j map dump id "$GLOBAL_ID" | jq -e --arg f "$1" '.[0].formatted.value[$f] | numbers'
}
mirror_valid() { [ $(($(global_field flags) & 1)) = 1 ]; }
mirror_invalid() { [ $(($(global_field flags) & 1)) = 0 ]; }

# The mirror, one "PREFIX/LEN TYPE NHS OIF0" line per entry, sorted.
mirror_dump()
{
	bpftool -j map dump id "$ROUTE4_ID" | jq -r '.[].formatted | .key.addr as $a |
		"\($a % 256).\(($a / 256 | floor) % 256).\(($a / 65536 | floor) % 256)." +
		"\(($a / 16777216 | floor) % 256)/\(.key.prefixlen) \(.value.type) " +
		"\(.value.nhs) \(.value.oif[0])"' | sort
}

# mirror_has "PREFIX/LEN TYPE NHS OIF0"
mirror_has() { grep -qxF "$1" <<<"$(mirror_dump)"; }

# The prefixes of table main without tos (as `ip route` prints them, made
# PREFIX/LEN) equal the mirror's.
mirror_equals_main()
{
	local ipp mp
	ipp=$(ip -n "$HOST" -j route show table main |
		jq -r '.[] | select(.tos == null) | .dst |
			if . == "default" then "0.0.0.0/0" elif test("/") then . else . + "/32" end' |
		sort -u)
	mp=$(mirror_dump | cut -d' ' -f1)
	[ "$ipp" = "$mp" ] && return 0
	MISMATCH="table main: $(tr '\n' ' ' <<<"$ipp")/ mirror: $(tr '\n' ' ' <<<"$mp")"
	return 1
}

set_sysctl() { ip netns exec "$HOST" sysctl -qw "$@"; }

# ---- 1. xneighd on a host that forwards nothing ----------------------------------

xn_daemon_start XND "$HOST" xneighd "$XN_XNEIGHD" -i h0 -i h2 -v
xn_wait_for $WAIT answered pa0 $IP_PA0 $IP_H0 $MAC_H0 ||
	xn_fail "xneighd does not answer $IP_H0 within ${WAIT}s: $XN_ARPING_OUT"
PROG=$(xn_xdp_prog_id "$HOST" h0)
GLOBAL_ID=$(xn_prog_map_id "$PROG" xn_global) || xn_fail "no xn_global map on h0's program $PROG"
ROUTE4_ID=$(xn_prog_map_id "$PROG" xn_route4) || xn_fail "no xn_route4 map on h0's program $PROG"
[ "$(global_field fib_ifindex)" = 0 ] ||
	xn_fail "xn_global.fib_ifindex=$(global_field fib_ifindex) although nothing forwards"
xn_wait_for $WAIT mirror_valid || xn_fail "XN_GF_ROUTE4_VALID not set with the default rules"
mirror_equals_main || xn_fail "mirror differs from table main: $MISMATCH"
mirror_has "10.1.0.0/24 1 1 $IFX_H0" || xn_fail "mirror lacks 10.1.0.0/24 via h0: $(mirror_dump)"
grep -q "rp_filter and arp_filter use xneigh's mirror of table main" "$(xn_daemon_log "$XND")" ||
	xn_fail "xneighd did not say that the mirror serves rp_filter/arp_filter"
xn_ok "no forwarding: fib_ifindex 0, mirror valid and equal to table main"

ip -n "$HOST" route add 10.9.0.0/24 dev h1
xn_wait_for $WAIT mirror_has "10.9.0.0/24 1 1 $IFX_H1" ||
	xn_fail "mirror did not take 10.9.0.0/24 dev h1: $(mirror_dump)"

# ---- 2. rp_filter strict and loose ---------------------------------------------------

for mode in 1 2; do
	set_sysctl net.ipv4.conf.all.rp_filter=$mode
	sent0=$(counter replies_sent) rej0=$(counter route_rejected)
	if [ $mode = 1 ]; then
		xn_wait_for $WAIT unanswered_once pa0 $SRC_OTHER $IP_H0 ||
			xn_fail "rp_filter=1: request from $SRC_OTHER (route via h1) still answered on h0"
		unanswered pa0 $SRC_OTHER $IP_H0 ||
			xn_fail "rp_filter=1: request from $SRC_OTHER answered on h0: $XN_ARPING_OUT"
		rej=$(counter route_rejected)
		[ "$rej" -gt "$rej0" ] || xn_fail "rp_filter=1: route_rejected did not move ($rej0 -> $rej)"
		xn_ok "rp_filter=1: $SRC_OTHER (reverse route via h1) not answered; route_rejected $rej0 -> $rej"
	else
		xn_wait_for $WAIT answered pa0 $SRC_OTHER $IP_H0 $MAC_H0 ||
			xn_fail "rp_filter=2: request from $SRC_OTHER (route via h1) not answered: $XN_ARPING_OUT"
		xn_ok "rp_filter=2: $SRC_OTHER (reverse route via h1) answered"
	fi
	answered pa0 $IP_PA0 $IP_H0 $MAC_H0 ||
		xn_fail "rp_filter=$mode: request from $IP_PA0 (route via h0) not answered: $XN_ARPING_OUT"
	xn_ok "rp_filter=$mode: $IP_PA0 (reverse route via h0) answered"
	rej1=$(counter route_rejected)
	unanswered pa0 $SRC_NOROUTE $IP_H0 ||
		xn_fail "rp_filter=$mode: request from unrouted $SRC_NOROUTE answered: $XN_ARPING_OUT"
	rej2=$(counter route_rejected)
	[ "$rej2" -gt "$rej1" ] ||
		xn_fail "rp_filter=$mode: route_rejected did not move for $SRC_NOROUTE ($rej1 -> $rej2)"
	xn_ok "rp_filter=$mode: $SRC_NOROUTE (no route) not answered; route_rejected $rej1 -> $rej2"
	sent=$(counter replies_sent) def=$(counter filter_deferred)
	[ "$sent" -gt "$sent0" ] || xn_fail "rp_filter=$mode: replies_sent did not move ($sent0 -> $sent)"
	[ "$def" = 0 ] || xn_fail "rp_filter=$mode: filter_deferred=$def, expected 0 (the mirror answers)"
	xn_ok "rp_filter=$mode: replies_sent $sent0 -> $sent, filter_deferred 0"
done

# ---- 3. the mirror follows table main ------------------------------------------------

set_sysctl net.ipv4.conf.all.rp_filter=1
xn_wait_for $WAIT unanswered_once pa0 $SRC_OTHER $IP_H0 ||
	xn_fail "back to rp_filter=1: $SRC_OTHER still answered"

# A prefix that comes and goes.
ip -n "$HOST" route add 10.8.0.0/24 dev h0
xn_wait_for $WAIT answered pa0 $SRC_NOROUTE $IP_H0 $MAC_H0 ||
	xn_fail "10.8.0.0/24 dev h0 added: $SRC_NOROUTE not answered: $XN_ARPING_OUT"
ip -n "$HOST" route del 10.8.0.0/24 dev h0
xn_wait_for $WAIT mirror_equals_main || xn_fail "10.8.0.0/24 deleted, mirror differs: $MISMATCH"
unanswered pa0 $SRC_NOROUTE $IP_H0 ||
	xn_fail "10.8.0.0/24 deleted: $SRC_NOROUTE still answered: $XN_ARPING_OUT"
xn_ok "a route added and deleted: $SRC_NOROUTE answered, then refused again"

# The same through a nexthop object. With nexthop_compat_mode 0 the route
# dump names only the object and replacing it sends no route notification:
# xneighd reads the nexthop table and follows RTNLGRP_NEXTHOP.
if ip -n "$HOST" nexthop add id 1 dev h0 2>/dev/null; then
	ip -n "$HOST" route add 10.8.0.0/24 nhid 1
	xn_wait_for $WAIT answered pa0 $SRC_NOROUTE $IP_H0 $MAC_H0 ||
		xn_fail "10.8.0.0/24 nhid 1 (dev h0): $SRC_NOROUTE not answered: $XN_ARPING_OUT"
	set_sysctl net.ipv4.nexthop_compat_mode=0
	ip -n "$HOST" nexthop replace id 1 dev h1
	xn_wait_for $WAIT mirror_has "10.8.0.0/24 1 1 $IFX_H1" ||
		xn_fail "nexthop 1 replaced (dev h1, compat mode 0): mirror $(mirror_dump)"
	unanswered pa0 $SRC_NOROUTE $IP_H0 ||
		xn_fail "nexthop 1 now via h1: $SRC_NOROUTE still answered: $XN_ARPING_OUT"
	ip -n "$HOST" route del 10.8.0.0/24
	ip -n "$HOST" nexthop del id 1
	set_sysctl net.ipv4.nexthop_compat_mode=1
	xn_wait_for $WAIT mirror_equals_main || xn_fail "nexthop route deleted, mirror differs: $MISMATCH"
	xn_ok "nexthop object: followed through a replace with nexthop_compat_mode 0"
else
	xn_info "nexthop objects not supported here: that part is not run"
fi

# ARP's lookups carry tos 0; fib_table_lookup() skips a tos route for them.
ip -n "$HOST" route add $SRC_OTHER/32 tos 0x10 dev h0
sleep 0.5
mirror_valid || xn_fail "a tos route made the mirror invalid"
mirror_equals_main || xn_fail "mirror differs from table main with a tos route: $MISMATCH"
unanswered pa0 $SRC_OTHER $IP_H0 ||
	xn_fail "a tos route via h0 made $SRC_OTHER answered: $XN_ARPING_OUT"
ip -n "$HOST" route del $SRC_OTHER/32 tos 0x10 dev h0
xn_ok "a tos route is ignored (mirror valid, $SRC_OTHER still refused)"

ip -n "$HOST" route add 10.9.0.0/24 dev h0 metric 100
sleep 0.5
mirror_has "10.9.0.0/24 1 1 $IFX_H1" ||
	xn_fail "a higher-metric route replaced the lower one in the mirror: $(mirror_dump)"
unanswered pa0 $SRC_OTHER $IP_H0 ||
	xn_fail "the metric-100 route via h0 made $SRC_OTHER answered: $XN_ARPING_OUT"
ip -n "$HOST" route del 10.9.0.0/24 dev h1
xn_wait_for $WAIT mirror_has "10.9.0.0/24 1 1 $IFX_H0" ||
	xn_fail "mirror did not fall back to the metric-100 route via h0: $(mirror_dump)"
mirror_equals_main || xn_fail "mirror differs from table main: $MISMATCH"
xn_wait_for $WAIT answered pa0 $SRC_OTHER $IP_H0 $MAC_H0 ||
	xn_fail "10.9.0.0/24 now via h0: $SRC_OTHER not answered: $XN_ARPING_OUT"
xn_ok "lowest metric kept; after deleting it the next route (via h0) answers $SRC_OTHER"
ip -n "$HOST" route del 10.9.0.0/24 dev h0 metric 100
ip -n "$HOST" route add 10.9.0.0/24 dev h1
xn_wait_for $WAIT mirror_has "10.9.0.0/24 1 1 $IFX_H1" || xn_fail "mirror: $(mirror_dump)"

# ---- 4. a policy rule makes the mirror unusable ---------------------------------------

def0=$(counter filter_deferred)
ip -n "$HOST" rule add from 10.9.9.9 table 100
xn_wait_for $WAIT mirror_invalid || xn_fail "XN_GF_ROUTE4_VALID still set with a custom rule"
unanswered pa0 $IP_PA0 $IP_H0 ||
	xn_fail "with a custom rule the request from $IP_PA0 was answered (no one should): $XN_ARPING_OUT"
def1=$(counter filter_deferred)
[ "$def1" -gt "$def0" ] || xn_fail "custom rule: filter_deferred did not move ($def0 -> $def1)"
grep -q "route mirror xn_route4 is not usable (policy rule 'pref [0-9]* lookup 100' (with selectors)" \
	"$(xn_daemon_log "$XND")" || xn_fail "xneighd did not warn about the custom rule"
xn_ok "custom rule: mirror invalid, request deferred to the kernel (filter_deferred $def0 -> $def1)"
ip -n "$HOST" rule del from 10.9.9.9 table 100
xn_wait_for $WAIT mirror_valid || xn_fail "XN_GF_ROUTE4_VALID not set again after the rule went"
xn_wait_for $WAIT answered pa0 $IP_PA0 $IP_H0 $MAC_H0 ||
	xn_fail "rule deleted: $IP_PA0 not answered again: $XN_ARPING_OUT"
xn_ok "rule deleted: mirror valid again, $IP_PA0 answered"

# ---- 5. arp_filter, two interfaces in one subnet ------------------------------------

set_sysctl net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.all.arp_filter=1
ip -n "$HOST" route add 10.1.0.0/24 dev h2 metric 20
xn_wait_for $WAIT mirror_has "10.1.0.0/24 1 1 $IFX_H0" || xn_fail "mirror: $(mirror_dump)"
filt0=$(counter filtered_arp_filter) def0=$(counter filter_deferred)
# arp_ignore=0: 10.1.0.1 is answered on any interface (weak host) unless
# arp_filter says the route to the sender leaves elsewhere.
xn_wait_for $WAIT unanswered_once pa1 $IP_PA1 $IP_H0 ||
	xn_fail "arp_filter=1: request on h2 from $IP_PA1 (route via h0) still answered"
unanswered pa1 $IP_PA1 $IP_H0 ||
	xn_fail "arp_filter=1: request on h2 from $IP_PA1 answered: $XN_ARPING_OUT"
answered pa0 $IP_PA0 $IP_H0 $MAC_H0 ||
	xn_fail "arp_filter=1: request on h0 from $IP_PA0 (route via h0) not answered: $XN_ARPING_OUT"
filt=$(counter filtered_arp_filter)
[ "$filt" -gt "$filt0" ] || xn_fail "arp_filter: filtered_arp_filter did not move ($filt0 -> $filt)"
xn_ok "arp_filter=1: h0 answers $IP_PA0, h2 refuses $IP_PA1 (route via h0); filtered_arp_filter $filt0 -> $filt"

ip -n "$HOST" route del 10.1.0.0/24 dev h0
xn_wait_for $WAIT mirror_has "10.1.0.0/24 1 1 $IFX_H2" || xn_fail "mirror: $(mirror_dump)"
xn_wait_for $WAIT answered pa1 $IP_PA1 $IP_H0 $MAC_H2 ||
	xn_fail "route via h2: request on h2 from $IP_PA1 not answered with h2's MAC: $XN_ARPING_OUT"
unanswered pa0 $IP_PA0 $IP_H0 ||
	xn_fail "route via h2: request on h0 from $IP_PA0 still answered: $XN_ARPING_OUT"
def=$(counter filter_deferred)
[ "$def" = "$def0" ] || xn_fail "arp_filter: filter_deferred moved ($def0 -> $def) with a valid mirror"
xn_ok "route via h2: h2 answers $IP_PA1 with $MAC_H2, h0 refuses $IP_PA0; filter_deferred unchanged"

# ---- 6. the kernel agrees --------------------------------------------------------------

xn_daemon_stop "$XND" || xn_fail "xneighd did not exit within 5 s of SIGTERM"
[ "$XN_STOP_RC" = 0 ] || xn_fail "xneighd exited with status $XN_STOP_RC on SIGTERM"
ip netns exec "$HOST" nft delete table arp xn_lab
XND=	# from here on the kernel answers

answered pa1 $IP_PA1 $IP_H0 $MAC_H2 ||
	xn_fail "kernel, arp_filter=1, route via h2: $IP_PA1 on h2 not answered: $XN_ARPING_OUT"
unanswered pa0 $IP_PA0 $IP_H0 ||
	xn_fail "kernel, arp_filter=1, route via h2: $IP_PA0 on h0 answered: $XN_ARPING_OUT"
ip -n "$HOST" route add 10.1.0.0/24 dev h0
set_sysctl net.ipv4.conf.all.arp_filter=0 net.ipv4.conf.all.rp_filter=1
unanswered pa0 $SRC_OTHER $IP_H0 ||
	xn_fail "kernel, rp_filter=1: $SRC_OTHER (route via h1) answered: $XN_ARPING_OUT"
answered pa0 $IP_PA0 $IP_H0 $MAC_H0 ||
	xn_fail "kernel, rp_filter=1: $IP_PA0 not answered: $XN_ARPING_OUT"
xn_ok "the kernel answers as xneigh did (arp_filter via h2, rp_filter strict)"
