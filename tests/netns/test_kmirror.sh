#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The kernel table mirror (user/xneighd/kmirror.h): what xneigh learns is
# written into the host kernel's neighbour table as NOARP | extern_learn,
# proto 120 (PERMANENT | extern_learn for xneigh's PERMANENT entries), so the
# host's own traffic sends no ARP request; an administrator's entries in the
# kernel are imported and never overwritten.
#
#  xn-peer-PID                              xn-host-PID
# +-----------------------------------+    +------------------------------------------+
# | p0  02:00:00:00:0b:02 (MAC_P0)    |    | h0  02:00:00:00:0b:01                    |
# |     -> 02:00:00:00:0c:02 (MAC_P2) |veth|     10.11.0.1/24                         |
# |     10.11.0.2/24                  |----|     2001:db8:11::1/64 (nodad)            |
# |     2001:db8:11::2/64 (nodad)     |    | kernel: 10.11.0.5 PERMANENT (admin,      |
# | xdp: xdp_pass                     |    |   before xneighd starts)                 |
# +-----------------------------------+    | xneighd -i h0 (1: default, 2: --keep,    |
#                                          |   3: --no-kernel-sync)                   |
#                                          +------------------------------------------+
#
# Checks (the host's kernel entries read with `ip -j neigh`):
#  1. xneighd-1 starts: the admin's 10.11.0.5 PERMANENT is imported into
#     xneigh (PERMANENT, same MAC) and left as it is in the kernel;
#  2. the peer arpings the host: xneigh answers and learns it (STALE); the
#     kernel shows "10.11.0.2 lladdr MAC_P0 extern_learn NOARP proto 120";
#     the host pings the peer: no broadcast ARP request leaves h0;
#  3. the peer pings the host over IPv6: the kernel shows 2001:db8:11::2
#     NOARP extern_learn too; the host's ping -6 sends no NS;
#  4. the peer takes MAC_P2 and sends a gratuitous ARP: xneigh takes MAC_P2
#     (ARP-U5) and so does the kernel's entry (NOARP: the kernel itself
#     would not have changed it, NUD-8.2);
#  5. `xneigh add 10.11.0.6 lladdr M` (PERMANENT) shows as PERMANENT
#     extern_learn; `xneigh del` of it and of the peer removes both from
#     the kernel;
#  6. `xneigh add 10.11.0.3 ... nud stale`, mirrored; resolved with nobody
#     there it goes DELAY, PROBE, FAILED: its kernel entry goes away;
#  7. `ip neigh add 10.11.0.4 lladdr MAC_A nud permanent`: imported into
#     xneigh as PERMANENT; a gratuitous ARP claiming 10.11.0.4 from another
#     MAC changes neither xneigh's entry nor the kernel's (no extern_learn,
#     the mirror never writes it); `ip neigh del` removes it from xneigh;
#  8. `ip neigh add proxy 10.11.0.50 dev h0` reaches the data plane
#     (`xneigh get proxy`), and nothing else: no neighbour entry;
#  9. xneighd-1 stops (no --keep): no entry of ours is left in the kernel,
#     the admin's 10.11.0.5 is;
# 10. xneighd-2 --keep: the peer mirrored again; after its SIGTERM the entry
#     stays in the kernel;
# 11. xneighd-3 --no-kernel-sync removes that leftover at start and writes
#     nothing: the peer's arping is learned by xneigh only, and the host's
#     ping now makes the kernel resolve by itself (a broadcast ARP request
#     is seen: the capture of checks 2 and 3 would have seen one).
# Exit 0 pass, 249 skip (with a SKIP: line), 1 fail.

. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
xn_strict

MAC_H0=02:00:00:00:0b:01 MAC_P0=02:00:00:00:0b:02 MAC_P2=02:00:00:00:0c:02
MAC_A=02:00:00:00:0a:04 MAC_B=02:00:00:00:0a:05 MAC_S=02:00:00:00:0a:03 MAC_X=02:00:00:00:0a:06
IP_H0=10.11.0.1 IP_P0=10.11.0.2
IP6_H0=2001:db8:11::1 IP6_P0=2001:db8:11::2
WAIT=10

xn_require_root
xn_require_tools ip arping ping jq tcpdump sysctl
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
xn_wait_for $WAIT no_tentative "$PEER" p0 || xn_fail "p0's link-local address stays tentative"
ip -n "$HOST" neigh add 10.11.0.5 lladdr $MAC_B dev h0 nud permanent

# kentry ADDR: the host kernel's entry "LLADDR STATE extern_learn=BOOL proto=P", "" if none
kentry()
{
	ip -n "$HOST" -j neigh show "$1" dev h0 |
		jq -r '.[0] // empty |
		       "\(.lladdr // "-") \(.state | join(",")) extern_learn=\(has("extern_learn")) proto=\(.protocol // "-")"'
}
kentry_is() { [ "$(kentry "$1")" = "$2" ]; }
kgone() { [ -z "$(kentry "$1")" ]; }
expect_kentry()	# ADDR WANT WHAT
{
	xn_wait_for $WAIT kentry_is "$1" "$2" ||
		xn_fail "$3: the kernel's entry for $1 is '$(kentry "$1")', expected '$2'"
}
# entries of ours (extern_learn, proto 120) in the host kernel, one line each
kours() { ip -n "$HOST" -j neigh show dev h0 | jq -r '.[] | select(has("extern_learn") and .protocol == "120") | .dst'; }

# xentry ADDR: xneigh's entry "LLADDR STATE", "" if none
xentry() { xn_cli_neigh "$HOST" "$1" h0 | jq -r '"\(.lladdr // "-") \(.state | join(","))"'; }
xentry_is() { [ "$(xentry "$1")" = "$2" ]; }
expect_xentry()	# ADDR WANT WHAT
{
	xn_wait_for $WAIT xentry_is "$1" "$2" ||
		xn_fail "$3: xneigh's entry for $1 is '$(xentry "$1")', expected '$2'"
}

start_daemon()	# VAR NAME [ARGS...]
{
	local var=$1 name=$2 pid
	shift 2
	xn_daemon_start pid "$HOST" "$name" "$XN_XNEIGHD" -i h0 -v "$@"
	printf -v "$var" '%s' "$pid"
	up() {
		local out
		xn_daemon_alive "$pid" || xn_fail "$name exited early"
		out=$(ip netns exec "$HOST" "$XN_XNEIGHD" --resolve $IP_P0 --dev lo 2>&1 || true)
		grep -q "does not run on dev lo" <<<"$out"
	}
	xn_wait_for $WAIT up || xn_fail "$name does not answer on its control socket within ${WAIT}s"
}
stop_daemon()	# PID NAME
{
	xn_daemon_stop "$1" || xn_fail "$2 did not exit on SIGTERM"
	[ "$XN_STOP_RC" = 0 ] || xn_fail "$2 exited with $XN_STOP_RC"
}

# capture_start / capture_stop: what leaves and enters h0 (ARP, ICMP, ICMPv6)
capture_start()
{
	local log
	rm -f "$XN_TMP/cap.pcap"
	xn_daemon_start CAP "$HOST" tcpdump tcpdump -Z root -U --immediate-mode -nn -i h0 -w "$XN_TMP/cap.pcap" 'arp or icmp or icmp6'
	log=$(xn_daemon_log "$CAP")
	listening() { grep -q 'listening on' "$log"; }
	xn_wait_for $WAIT listening || xn_fail "tcpdump did not start: $(cat "$log")"
}
# (immediate mode: nothing waits in the capture buffer when it stops)
capture_stop() { sleep 0.3; xn_daemon_stop "$CAP" || xn_fail "tcpdump did not stop"; }
# captured FILTER: how many captured frames match FILTER
captured() { tcpdump -nn -r "$XN_TMP/cap.pcap" "$1" 2>/dev/null | wc -l; }
BCAST_ARP_REQ="arp[6:2] == 1 and ether src $MAC_H0 and ether dst ff:ff:ff:ff:ff:ff"
NS_FROM_H0="icmp6 and ip6[40] == 135 and ether src $MAC_H0"

# ---- 1. start: the admin's PERMANENT entry is imported ----------------------------------

start_daemon XND1 xneighd-1
expect_xentry 10.11.0.5 "$MAC_B PERMANENT" "1. imported at start"
expect_kentry 10.11.0.5 "$MAC_B PERMANENT extern_learn=false proto=-" "1. the admin's entry"
xn_ok "1. the admin's 10.11.0.5 PERMANENT is imported into xneigh at start, untouched in the kernel"

# ---- 2. learned from the peer's request: mirrored; the host's ping sends no ARP ----------

xn_arping "$PEER" p0 $IP_H0 1 2 || xn_fail "2. the peer's request not answered: $XN_ARPING_OUT"
expect_xentry $IP_P0 "$MAC_P0 STALE" "2. learned from the request (ARP-R5)"
expect_kentry $IP_P0 "$MAC_P0 NOARP extern_learn=true proto=120" "2. mirrored"
capture_start
ip netns exec "$HOST" ping -c 3 -i 0.2 -W 1 $IP_P0 >/dev/null || xn_fail "2. the host cannot ping the peer"
capture_stop
[ "$(captured "icmp[icmptype] == icmp-echo and ether src $MAC_H0")" -ge 3 ] ||
	xn_fail "2. the capture saw fewer than 3 echo requests: it proves nothing: $(tcpdump -nn -e -r "$XN_TMP/cap.pcap" 2>&1)"
n=$(captured "$BCAST_ARP_REQ")
[ "$n" = 0 ] || xn_fail "2. the host sent $n broadcast ARP requests for the peer: $(tcpdump -nn -e -r "$XN_TMP/cap.pcap" arp 2>/dev/null)"
xn_ok "2. the peer learned from its request is in the kernel as NOARP extern_learn proto 120; the host's ping sent no ARP request"

# ---- 3. IPv6 ---------------------------------------------------------------------------

ip netns exec "$PEER" ping -6 -c 1 -W 2 $IP6_H0 >/dev/null || xn_fail "3. the peer cannot ping6 the host"
expect_kentry $IP6_P0 "$MAC_P0 NOARP extern_learn=true proto=120" "3. IPv6 mirrored"
capture_start
ip netns exec "$HOST" ping -6 -c 3 -i 0.2 -W 1 $IP6_P0 >/dev/null || xn_fail "3. the host cannot ping6 the peer"
capture_stop
[ "$(captured "icmp6 and ip6[40] == 128 and ether src $MAC_H0")" -ge 3 ] ||
	xn_fail "3. the capture saw fewer than 3 echo requests: it proves nothing"
n=$(captured "$NS_FROM_H0")
[ "$n" = 0 ] || xn_fail "3. the host sent $n NS: $(tcpdump -nn -e -r "$XN_TMP/cap.pcap" icmp6 2>/dev/null)"
xn_ok "3. IPv6: the peer is in the kernel as NOARP extern_learn; the host's ping -6 sent no NS"

# ---- 4. the peer's MAC changes ---------------------------------------------------------

ip -n "$PEER" link set dev p0 address $MAC_P2
ip netns exec "$PEER" arping -c 1 -U -I p0 $IP_P0 >/dev/null 2>&1 || true
expect_xentry $IP_P0 "$MAC_P2 STALE" "4. gratuitous ARP from the new MAC (ARP-U5)"
expect_kentry $IP_P0 "$MAC_P2 NOARP extern_learn=true proto=120" "4. the new MAC mirrored"
ip -n "$PEER" link set dev p0 address $MAC_P0
ip netns exec "$PEER" arping -c 1 -U -I p0 $IP_P0 >/dev/null 2>&1 || true
expect_kentry $IP_P0 "$MAC_P0 NOARP extern_learn=true proto=120" "4. the MAC back mirrored"
xn_ok "4. the peer's new MAC (gratuitous ARP) reaches xneigh and the kernel's entry"

# ---- 5. xneigh add (PERMANENT) and xneigh del ---------------------------------------------

xn_cli "$HOST" add 10.11.0.6 lladdr $MAC_X dev h0 || xn_fail "5. xneigh add 10.11.0.6 failed"
expect_kentry 10.11.0.6 "$MAC_X PERMANENT extern_learn=true proto=120" "5. xneigh's PERMANENT"
xn_cli "$HOST" del 10.11.0.6 dev h0 || xn_fail "5. xneigh del 10.11.0.6 failed"
xn_wait_for $WAIT kgone 10.11.0.6 || xn_fail "5. after xneigh del the kernel still has '$(kentry 10.11.0.6)'"
xn_cli "$HOST" del $IP6_P0 dev h0 || xn_fail "5. xneigh del $IP6_P0 failed"
xn_wait_for $WAIT kgone $IP6_P0 || xn_fail "5. after xneigh del the kernel still has '$(kentry $IP6_P0)'"
xn_ok "5. xneigh add (PERMANENT) is mirrored as PERMANENT extern_learn; xneigh del removes the kernel's entry"

# ---- 6. an entry that fails --------------------------------------------------------------

ip netns exec "$HOST" sysctl -qw net.ipv4.neigh.h0.delay_first_probe_time=1
xn_cli "$HOST" add 10.11.0.3 lladdr $MAC_S dev h0 nud stale || xn_fail "6. xneigh add 10.11.0.3 failed"
expect_kentry 10.11.0.3 "$MAC_S NOARP extern_learn=true proto=120" "6. STALE mirrored"
ip netns exec "$HOST" "$XN_XNEIGHD" --resolve 10.11.0.3 --dev h0 >/dev/null ||
	xn_fail "6. --resolve 10.11.0.3 failed"
expect_xentry 10.11.0.3 "- FAILED" "6. nobody answers the probes"
xn_wait_for $WAIT kgone 10.11.0.3 || xn_fail "6. after FAILED the kernel still has '$(kentry 10.11.0.3)'"
xn_ok "6. an entry going DELAY, PROBE, FAILED leaves the kernel's table"

# ---- 7. an admin's PERMANENT entry added while running -------------------------------------

# claim ADDR: the peer claims ADDR with a gratuitous ARP from its own MAC
claim()
{
	ip -n "$PEER" addr add "$1/32" dev p0
	ip netns exec "$PEER" arping -c 1 -U -I p0 "$1" >/dev/null 2>&1 || true
	ip -n "$PEER" addr del "$1/32" dev p0
}
# the claim does take over an entry xneigh learned (ARP-U5): it arrives
xn_cli "$HOST" add 10.11.0.8 lladdr $MAC_S dev h0 nud stale || xn_fail "7. xneigh add 10.11.0.8 failed"
claim 10.11.0.8
expect_xentry 10.11.0.8 "$MAC_P0 STALE" "7. a claim of a learned entry"
xn_cli "$HOST" del 10.11.0.8 dev h0 || xn_fail "7. xneigh del 10.11.0.8 failed"
ip -n "$HOST" neigh add 10.11.0.4 lladdr $MAC_A dev h0 nud permanent
expect_xentry 10.11.0.4 "$MAC_A PERMANENT" "7. imported"
claim 10.11.0.4
sleep 0.5
[ "$(xentry 10.11.0.4)" = "$MAC_A PERMANENT" ] ||
	xn_fail "7. a frame changed the imported entry: '$(xentry 10.11.0.4)'"
[ "$(kentry 10.11.0.4)" = "$MAC_A PERMANENT extern_learn=false proto=-" ] ||
	xn_fail "7. the admin's kernel entry changed: '$(kentry 10.11.0.4)'"
ip -n "$HOST" neigh del 10.11.0.4 dev h0
gone_x() { [ -z "$(xn_cli_neigh "$HOST" "$1" h0)" ]; }
xn_wait_for $WAIT gone_x 10.11.0.4 || xn_fail "7. after ip neigh del xneigh still has '$(xentry 10.11.0.4)'"
sleep 0.5
kgone 10.11.0.4 || xn_fail "7. the mirror wrote the deleted admin entry back: '$(kentry 10.11.0.4)'"
xn_ok "7. ip neigh add ... nud permanent is imported as PERMANENT, overridden by no frame and not by the mirror; ip neigh del removes it from xneigh"

# ---- 8. proxy entries --------------------------------------------------------------------

ip -n "$HOST" neigh add proxy 10.11.0.50 dev h0
proxied() { xn_cli "$HOST" get proxy 10.11.0.50 dev h0 >/dev/null 2>&1; }
xn_wait_for 5 proxied || xn_fail "8. proxy 10.11.0.50 dev h0 did not reach the data plane"
[ -z "$(xn_cli_neigh "$HOST" 10.11.0.50 h0)" ] || xn_fail "8. the proxy entry became a neighbour entry in xneigh"
kgone 10.11.0.50 || xn_fail "8. the proxy entry became a neighbour entry in the kernel: '$(kentry 10.11.0.50)'"
ip -n "$HOST" neigh del proxy 10.11.0.50 dev h0
unproxied() { ! proxied; }
xn_wait_for 5 unproxied || xn_fail "8. proxy 10.11.0.50 dev h0 stayed in the data plane after ip neigh del proxy"
xn_ok "8. ip neigh add/del proxy reaches the data plane's proxy table, not the neighbour tables"

# ---- 9. exit without --keep --------------------------------------------------------------

[ -n "$(kours)" ] || xn_fail "9. no entry of ours before the exit: the check would prove nothing"
stop_daemon "$XND1" xneighd-1
[ -z "$(kours)" ] || xn_fail "9. entries of ours left after the exit: $(kours | tr '\n' ' ')"
kentry_is 10.11.0.5 "$MAC_B PERMANENT extern_learn=false proto=-" ||
	xn_fail "9. the admin's 10.11.0.5 did not survive the exit: '$(kentry 10.11.0.5)'"
xn_ok "9. SIGTERM without --keep removes every entry of ours, and only those"

# ---- 10. --keep leaves them ----------------------------------------------------------------

start_daemon XND2 xneighd-2 --keep
xn_arping "$PEER" p0 $IP_H0 1 2 || xn_fail "10. the peer's request not answered: $XN_ARPING_OUT"
expect_kentry $IP_P0 "$MAC_P0 NOARP extern_learn=true proto=120" "10. mirrored"
stop_daemon "$XND2" xneighd-2
kentry_is $IP_P0 "$MAC_P0 NOARP extern_learn=true proto=120" ||
	xn_fail "10. --keep: the entry did not stay: '$(kentry $IP_P0)'"
xn_ok "10. with --keep the mirrored entries stay in the kernel"

# ---- 11. --no-kernel-sync ---------------------------------------------------------------------

start_daemon XND3 xneighd-3 --no-kernel-sync
[ -z "$(kours)" ] || xn_fail "11. --no-kernel-sync left the entries of ours an earlier xneighd left: $(kours | tr '\n' ' ')"
ip -n "$HOST" neigh flush dev h0
xn_arping "$PEER" p0 $IP_H0 1 2 || xn_fail "11. the peer's request not answered: $XN_ARPING_OUT"
xn_cli "$HOST" add 10.11.0.7 lladdr $MAC_X dev h0 || xn_fail "11. xneigh add 10.11.0.7 failed"
expect_xentry $IP_P0 "$MAC_P0 STALE" "11. learned"
sleep 0.5
kgone $IP_P0 || xn_fail "11. --no-kernel-sync wrote the peer into the kernel: '$(kentry $IP_P0)'"
kgone 10.11.0.7 || xn_fail "11. --no-kernel-sync wrote 10.11.0.7 into the kernel: '$(kentry 10.11.0.7)'"
capture_start
ip netns exec "$HOST" ping -c 1 -W 2 $IP_P0 >/dev/null || xn_fail "11. the host cannot ping the peer"
capture_stop
n=$(captured "$BCAST_ARP_REQ")
[ "$n" -ge 1 ] || xn_fail "11. the kernel resolved the peer without a broadcast ARP request seen: the capture of check 2 proves nothing"
[ -z "$(kours)" ] || xn_fail "11. entries of ours appeared: $(kours | tr '\n' ' ')"
stop_daemon "$XND3" xneighd-3
xn_ok "11. --no-kernel-sync: the kernel's table untouched; the host resolves by itself (broadcast ARP request seen)"
