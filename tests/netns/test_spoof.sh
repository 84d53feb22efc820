#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Spoofing, end to end: a spoofer on the host's link claims the host's
# addresses and a neighbour's, overrides within locktime, attacks PERMANENT
# entries, and sends what xneighd --strict refuses; xneigh monitor reports
# it like arpwatch. Every frame of the spoofer is made by tests/netns/
# spoof_frame.c (compiled here: AF_PACKET, so the Ethernet source, the ARP
# sender MAC and the ND link-layer option can disagree).
#
#  xn-peer-PID              xn-sw-PID                     xn-host-PID
# +----------------------+  +--------------------------+  +-------------------------------+
# | p0 02:00:00:00:01:02 |--| swp  br0  swh (xdp_pass) |--| h0 02:00:00:00:01:01          |
# |    10.1.0.2/24       |  |       |                  |  |    10.1.0.1/24                |
# |    2001:db8:1::2/64  |  |      sws                 |  |    2001:db8:1::1/64 (nodad)   |
# +----------------------+  +-------|------------------+  |    arp_accept=1, locktime 5 s |
#  xn-spoof-PID                     |                      | xneighd -i h0 [--strict]      |
# +----------------------+          |                      | xneigh monitor                |
# | s0 02:00:00:00:0e:66 |----------+                      +-------------------------------+
# |    spoof_frame       |   10.1.0.3 / 2001:db8:1::3 -> 02:00:00:00:01:03: PERMANENT
# +----------------------+   (xneigh add), a host that is not there
#  The host's kernel drops ARP requests and NS (not DAD) with nftables: only
#  xneigh answers them, so an answer proves xneigh runs.
#
# Part A, xneighd without --strict:
#  1. conflicts: the spoofer claims 10.1.0.1 (gratuitous request, reply)
#     and 2001:db8:1::1 (unsolicited NA, an NS from it): conflicts +2 (ARP)
#     and +2 (ND), nothing learned, `xneigh monitor` prints "Conflict ...
#     lladdr <spoofer>", xneighd logs "conflict: ... claimed by ...";
#  2. locktime: right after the peer's request taught the host 10.1.0.2, a
#     reply from the spoofer claiming 10.1.0.2 is refused (locktime_refused
#     +1, the entry keeps the peer's MAC);
#  3. a gratuitous ARP from the spoofer does override (the kernel's rule,
#     ARP-U3), and the peer's own `arping -U` takes it back: the monitor
#     prints both MAC changes, "lladdr NEW old_lladdr OLD", arpwatch's
#     "changed ethernet address" twice (a flip flop);
#  4. PERMANENT entries for 10.1.0.3 and 2001:db8:1::3 stay bit for bit
#     under a request, a reply, a gratuitous request and reply, an NS with
#     SLLAO, a solicited NA O=1 and an unsolicited NA O=1 R=1, all from the
#     spoofer: static_untouched +4 (ARP) and +3 (ND);
#  5. with arp_accept=1, the spoofer's gratuitous reply (arping -A) for the
#     unused 10.1.0.77 creates an entry in xneigh and in the kernel.
# Part B, xneighd --strict (status says so):
#  6. (a) a request whose sender MAC is not its Ethernet source, an NS whose
#     SLLAO is not: dropped (strict_mac_mismatch +1 / +1), not answered;
#  7. (b) a request from 10.9.9.9 and an NS from 2001:db8:99::9, off h0's
#     subnets: dropped (strict_off_subnet +1 / +1);
#  8. (c) the gratuitous ARP for 10.1.0.77 of step 5 and an unsolicited NA
#     for 2001:db8:1::77: dropped (strict_garp_create +1 / +1), no entry in
#     xneigh nor in the kernel (XDP_DROP: the kernel never saw them);
#  9. the peer is still answered over ARP and ND, and a gratuitous ARP of
#     the spoofer for the peer's (known) address still overrides: --strict
#     does not stop that one (README).
# Exit 0 pass, 249 skip (with a SKIP: line), 1 fail.

. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
xn_strict

MAC_H=02:00:00:00:01:01 MAC_P=02:00:00:00:01:02 MAC_Q=02:00:00:00:01:03
MAC_S=02:00:00:00:0e:66 MAC_X=02:00:00:00:0e:77
BC=ff:ff:ff:ff:ff:ff ZERO=00:00:00:00:00:00 ALLN=33:33:00:00:00:01 SN1=33:33:ff:00:00:01
IP_H=10.1.0.1 IP_P=10.1.0.2 IP_Q=10.1.0.3 IP_NEW=10.1.0.77 IP_FAR=10.9.9.9
IP6_H=2001:db8:1::1 IP6_P=2001:db8:1::2 IP6_Q=2001:db8:1::3 IP6_NEW=2001:db8:1::77
IP6_S=2001:db8:1::66 IP6_FAR=2001:db8:99::9 LL_S=fe80::ff:fe00:e66 SNM1=ff02::1:ff00:1
LOCKTIME=500	# USER_HZ ticks: 5 s
WAIT=10

xn_require_root
xn_require_tools ip nft arping ndisc6 bpftool jq sysctl gcc
xn_require_build "$XN_XNEIGHD" "$XN_XNEIGH" "$XN_XDP_PASS"

now_ms() { echo $(($(date +%s%N) / 1000000)); }

xn_lab_begin
SPOOF_FRAME=$XN_TMP/spoof_frame
gcc -O2 -Wall -o "$SPOOF_FRAME" "$XN_TOP/tests/netns/spoof_frame.c" ||
	xn_fail "cannot build tests/netns/spoof_frame.c"

# frame TYPE ARGS...: one frame out of the spoofer's s0 (spoof_frame's arguments)
frame() { ip netns exec "$SPOOF" "$SPOOF_FRAME" s0 "$@"; }

# ---- counters, entries, monitor --------------------------------------------------------

# snap: remember every counter (xneigh stats -j) to measure the next step against
snap() { SNAP=$(xn_cli "$HOST" stats -j); }
# delta TABLE COUNTER: how much COUNTER of TABLE (arp_cache, ndisc_cache) moved since snap
delta()
{
	local now
	now=$(xn_cli "$HOST" stats -j | jq -e --arg t "$1" --arg c "$2" '.[$t][$c] | numbers') ||
		xn_fail "no counter $1.$2 in xneigh stats -j"
	echo $((now - $(jq --arg t "$1" --arg c "$2" '.[$t][$c]' <<<"$SNAP")))
}
delta_ge() { [ "$(delta "$1" "$2")" -ge "$3" ]; }
# expect_delta TABLE COUNTER N WHAT: COUNTER moved by exactly N (waits for it to get there)
expect_delta()
{
	local d
	xn_wait_for $WAIT delta_ge "$1" "$2" "$3" || true
	d=$(delta "$1" "$2")
	[ "$d" -eq "$3" ] || xn_fail "$4: $1.$2 moved by $d, expected $3"
	FIG+=("$1.$2 +$3 ($4)")
}

# entry ADDR: xneigh's entry for ADDR on h0 as "LLADDR STATE" ("" if none)
entry()
{
	xn_cli_neigh "$HOST" "$1" h0 | jq -r '"\(.lladdr // "-") \(.state | join(","))"'
}
entry_is() { [ "$(entry "$1")" = "$2" ]; }
expect_entry()
{
	xn_wait_for $WAIT entry_is "$1" "$2" || true
	[ "$(entry "$1")" = "$2" ] || xn_fail "$3: xneigh's entry for $1 is '$(entry "$1")', expected '$2'"
}
expect_no_entry()
{
	[ -z "$(xn_cli_neigh "$HOST" "$1" h0)" ] ||
		xn_fail "$2: xneigh has an entry for $1: $(xn_cli_neigh "$HOST" "$1" h0)"
}
kernel_entry() { ip -n "$HOST" -j neigh show "$1" dev h0 | jq -r '.[0] // empty | .lladdr // "-"'; }

# mon_has LINE: `xneigh monitor` printed a line starting with LINE
mon_has() { grep -qF -- "$1" "$MONLOG"; }
expect_mon()
{
	xn_wait_for $WAIT mon_has "$1" || xn_fail "$2: xneigh monitor did not print '$1'; it printed:
$(cat "$MONLOG")"
}
log_has() { grep -qF -- "$1" "$(xn_daemon_log "$XND")"; }

# answered: xneighd runs and answers the peer's request for the host
answered()
{
	xn_daemon_alive "$XND" || xn_fail "xneighd exited early"
	xn_arping_from_mac "$PEER" p0 $IP_H $MAC_H
}
monitors1() { [ "$(xn_cli "$HOST" status -j | jq -r .daemon.monitors)" = 1 ]; }

# start_xneighd PART [ARGS]: xneighd on h0, answering, with a monitor (its
# output in MONLOG); the daemon line of `xneigh status` in STATUS
start_xneighd()
{
	local part=$1 m
	shift
	xn_daemon_start XND "$HOST" "xneighd-$part" "$XN_XNEIGHD" -i h0 -v "$@"
	xn_wait_for $WAIT answered || xn_fail "xneighd $* does not answer $IP_H: $XN_ARPING_OUT"
	xn_daemon_start MON "$HOST" "monitor-$part" "$XN_XNEIGH" monitor
	MONLOG=$(xn_daemon_log "$MON")
	xn_wait_for $WAIT monitors1 || xn_fail "xneigh monitor did not subscribe"
	m=$(xn_cli "$HOST" status) || xn_fail "xneigh status failed"
	STATUS=$(grep -E "^    mode " <<<"$m") || xn_fail "xneigh status: no mode line in: $m"
}
stop_xneighd()
{
	xn_daemon_stop "$MON" || xn_fail "xneigh monitor did not stop"
	xn_daemon_stop "$XND" || xn_fail "xneighd did not stop"
	[ "$XN_STOP_RC" = 0 ] || xn_fail "xneighd exited $XN_STOP_RC"
}

# ---- the lab -----------------------------------------------------------------------------

xn_ns_add HOST host
xn_ns_add PEER peer
xn_ns_add SPOOF spoof
xn_ns_add SW sw
for ns in "$HOST" "$PEER" "$SPOOF"; do
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
done
ip -n "$SW" link add br0 type bridge
ip -n "$SW" link set dev br0 up
xn_veth "$HOST" h0 $MAC_H "$SW" swh 02:00:00:00:0f:01
xn_veth "$PEER" p0 $MAC_P "$SW" swp 02:00:00:00:0f:02
xn_veth "$SPOOF" s0 $MAC_S "$SW" sws 02:00:00:00:0f:03
for port in swh swp sws; do
	ip -n "$SW" link set dev $port master br0
done
ip -n "$HOST" addr add $IP_H/24 dev h0
ip -n "$HOST" addr add $IP6_H/64 dev h0 nodad
ip -n "$PEER" addr add $IP_P/24 dev p0
ip -n "$PEER" addr add $IP6_P/64 dev p0 nodad
ip -n "$SPOOF" addr add $IP6_S/64 dev s0 nodad
ip netns exec "$HOST" sysctl -qw net.ipv4.neigh.h0.locktime=$LOCKTIME net.ipv4.conf.h0.arp_accept=1
# h0's XDP_TX leaves through swh, which drops it without an XDP program
xn_xdp_pass "$SW" swh || xn_skip "native XDP on veth not available (attaching xdp_pass failed)"
xn_wait_for $WAIT xn_arping_from_mac "$PEER" p0 $IP_H $MAC_H ||
	xn_fail "lab: the host kernel does not answer $IP_H through the bridge: $XN_ARPING_OUT"
# from here on only xneigh answers ARP requests and NS
xn_nft_drop_arp_requests "$HOST" || xn_skip "nftables cannot load an arp family table here"
ip netns exec "$HOST" nft -f - <<<'table ip6 xn_lab6 {
	chain input {
		type filter hook input priority 0; policy accept;
		icmpv6 type nd-neighbor-solicit ip6 saddr != :: drop
	}
}' || xn_skip "nftables cannot load an ip6 table with an icmpv6 type match here"
xn_arping_unanswered "$PEER" p0 $IP_H ||
	xn_fail "lab: the host kernel still answers $IP_H with 'arp operation request drop': $XN_ARPING_OUT"
ip -n "$HOST" neigh flush all
FIG=()

# ---- A. xneighd without --strict -------------------------------------------------------------

start_xneighd A
[ "$STATUS" = "    mode native, kernel table mirror on, keep off, strict off" ] ||
	xn_fail "xneigh status without --strict: '$STATUS'"
xn_cli "$HOST" status -j | jq -e '.daemon.strict == false' >/dev/null ||
	xn_fail "xneigh status -j: daemon.strict is not false"

# 1. conflicts
snap
frame arp 1 $MAC_S $BC $MAC_S $IP_H $ZERO $IP_H
frame arp 2 $MAC_S $MAC_H $MAC_S $IP_H $MAC_H $IP_P
frame na $MAC_S $ALLN $LL_S ff02::1 $IP6_H O $MAC_S
frame ns $MAC_S $SN1 $IP6_H $SNM1 $IP6_H $MAC_S
expect_delta arp_cache conflicts 2 "step 1, ARP claims of $IP_H"
expect_delta ndisc_cache conflicts 2 "step 1, an NA for and an NS from $IP6_H"
expect_no_entry $IP_H "step 1"
expect_no_entry $IP6_H "step 1"
expect_mon "Conflict $IP_H dev h0 lladdr $MAC_S " "step 1"
expect_mon "Conflict $IP6_H dev h0 lladdr $MAC_S " "step 1"
[ "$(grep -cF "Conflict $IP_H dev h0 lladdr $MAC_S " "$MONLOG")" = 2 ] &&
	[ "$(grep -cF "Conflict $IP6_H dev h0 lladdr $MAC_S " "$MONLOG")" = 2 ] ||
	xn_fail "step 1: xneigh monitor did not print two conflicts per family:
$(cat "$MONLOG")"
xn_wait_for $WAIT log_has "conflict: $IP_H on dev h0 claimed by $MAC_S (ARP)" ||
	xn_fail "step 1: xneighd did not log the ARP conflict"
xn_wait_for $WAIT log_has "conflict: $IP6_H on dev h0 claimed by $MAC_S (neighbor discovery)" ||
	xn_fail "step 1: xneighd did not log the ND conflict"
xn_ok "1. 4 claims of the host's addresses: conflicts +2 ARP, +2 ND, nothing learned, monitor: \"Conflict $IP_H dev h0 lladdr $MAC_S\""

# 2. locktime: the peer's entry made anew, so that its `updated` is now
xn_cli "$HOST" del $IP_P dev h0 || xn_fail "step 2: xneigh del $IP_P failed"
snap
t0=$(now_ms)
xn_arping_from_mac "$PEER" p0 $IP_H $MAC_H || xn_fail "step 2: the peer is not answered: $XN_ARPING_OUT"
frame arp 2 $MAC_S $MAC_H $MAC_S $IP_P $MAC_H $IP_H
t1=$(now_ms)
[ $((t1 - t0)) -lt $((LOCKTIME * 10 - 1000)) ] ||
	xn_fail "step 2: the spoofed reply left $((t1 - t0)) ms after the peer's request: not clearly within the locktime of $((LOCKTIME * 10)) ms (machine too slow for this check?)"
expect_delta arp_cache locktime_refused 1 "step 2, a reply claiming $IP_P $((t1 - t0)) ms after the peer"
expect_entry $IP_P "$MAC_P STALE" "step 2"
xn_ok "2. a reply from the spoofer claiming $IP_P $((t1 - t0)) ms after the peer's request: refused (locktime 5 s), $IP_P keeps $MAC_P"

# 3. a gratuitous ARP overrides; the peer takes it back
snap
frame arp 1 $MAC_S $BC $MAC_S $IP_P $ZERO $IP_P
expect_entry $IP_P "$MAC_S STALE" "step 3, the spoofer's gratuitous ARP"
ip netns exec "$PEER" arping -q -U -c 1 -I p0 $IP_P || true	# -U expects no reply
expect_entry $IP_P "$MAC_P STALE" "step 3, the peer's arping -U"
expect_delta arp_cache lladdr_changes 2 "step 3, two MAC changes"
expect_mon "$IP_P dev h0 lladdr $MAC_S old_lladdr $MAC_P STALE " "step 3"
expect_mon "$IP_P dev h0 lladdr $MAC_P old_lladdr $MAC_S STALE " "step 3"
xn_ok "3. the spoofer's gratuitous ARP overrides $IP_P (ARP-U3), the peer's takes it back; monitor: \"$IP_P dev h0 lladdr $MAC_S old_lladdr $MAC_P STALE\" and back"

# 4. PERMANENT entries
xn_cli "$HOST" add $IP_Q dev h0 lladdr $MAC_Q nud permanent || xn_fail "xneigh add $IP_Q failed"
xn_cli "$HOST" add $IP6_Q dev h0 lladdr $MAC_Q nud permanent || xn_fail "xneigh add $IP6_Q failed"
before4=$(xn_cli_neigh "$HOST" $IP_Q h0)
before6=$(xn_cli_neigh "$HOST" $IP6_Q h0)
snap
frame arp 1 $MAC_S $BC $MAC_S $IP_Q $ZERO $IP_H
frame arp 2 $MAC_S $BC $MAC_S $IP_Q $ZERO $IP_H
frame arp 1 $MAC_S $BC $MAC_S $IP_Q $ZERO $IP_Q
frame arp 2 $MAC_S $BC $MAC_S $IP_Q $MAC_S $IP_Q
frame ns $MAC_S $SN1 $IP6_Q $SNM1 $IP6_H $MAC_S
frame na $MAC_S $MAC_H $IP6_Q $IP6_H $IP6_Q SO $MAC_S
frame na $MAC_S $ALLN $IP6_Q ff02::1 $IP6_Q RO $MAC_S
expect_delta arp_cache static_untouched 4 "step 4, request, reply, gratuitous request and reply"
expect_delta ndisc_cache static_untouched 3 "step 4, NS, solicited NA, unsolicited NA"
[ "$(xn_cli_neigh "$HOST" $IP_Q h0)" = "$before4" ] && [ "$(xn_cli_neigh "$HOST" $IP6_Q h0)" = "$before6" ] ||
	xn_fail "step 4: a PERMANENT entry changed: $(xn_cli_neigh "$HOST" $IP_Q h0) $(xn_cli_neigh "$HOST" $IP6_Q h0)"
expect_entry $IP_Q "$MAC_Q PERMANENT" "step 4"
expect_entry $IP6_Q "$MAC_Q PERMANENT" "step 4"
xn_ok "4. 7 frames from the spoofer against PERMANENT $IP_Q and $IP6_Q: static_untouched +4 ARP, +3 ND, entries unchanged"

# 5. what --strict will refuse, allowed here (a gratuitous reply, arping -A:
# the host's kernel processes replies, and with arp_accept=1 learns from it)
frame arp 2 $MAC_S $BC $MAC_S $IP_NEW $MAC_S $IP_NEW
expect_entry $IP_NEW "$MAC_S STALE" "step 5"
have_kernel_new() { [ "$(kernel_entry $IP_NEW)" = $MAC_S ]; }
xn_wait_for $WAIT have_kernel_new || xn_fail "step 5: the kernel has no entry for $IP_NEW with $MAC_S"
xn_ok "5. without --strict the spoofer's gratuitous ARP for the unused $IP_NEW creates it (arp_accept=1), in xneigh and in the kernel"
stop_xneighd

# ---- B. xneighd --strict ---------------------------------------------------------------------

for ns in "$HOST" "$PEER"; do
	ip -n "$ns" neigh flush all
	ip -n "$ns" -6 neigh flush all
done
start_xneighd B --strict
[ "$STATUS" = "    mode native, kernel table mirror on, keep off, strict on" ] ||
	xn_fail "xneigh status with --strict: '$STATUS'"
xn_cli "$HOST" status -j | jq -e '.daemon.strict == true' >/dev/null ||
	xn_fail "xneigh status -j: daemon.strict is not true"
"$XN_XNEIGHD" --help | grep -q -- "--strict" || xn_fail "xneighd --help does not mention --strict"
ip netns exec "$PEER" ndisc6 -1 -q -n -r 3 -w 500 $IP6_H p0 >/dev/null ||
	xn_fail "the peer's NS is not answered with --strict"
expect_entry $IP_P "$MAC_P STALE" "the peer's request with --strict"

# 6. (a) the sender MAC is not the Ethernet source
snap
frame arp 1 $MAC_S $BC $MAC_X 10.1.0.66 $ZERO $IP_H
frame ns $MAC_S $SN1 $IP6_S $SNM1 $IP6_H $MAC_X
expect_delta arp_cache strict_mac_mismatch 1 "step 6, sender MAC $MAC_X from $MAC_S"
expect_delta ndisc_cache strict_mac_mismatch 1 "step 6, SLLAO $MAC_X from $MAC_S"
expect_delta arp_cache replies_sent 0 "step 6"
expect_delta ndisc_cache na_sent 0 "step 6"
expect_no_entry 10.1.0.66 "step 6"
expect_no_entry $IP6_S "step 6"
xn_ok "6. (a) a request and an NS whose sender MAC / SLLAO is not the Ethernet source: dropped, strict_mac_mismatch +1 ARP, +1 ND"

# 7. (b) off the interface's subnets
snap
frame arp 1 $MAC_S $BC $MAC_S $IP_FAR $ZERO $IP_H
frame ns $MAC_S $SN1 $IP6_FAR $SNM1 $IP6_H $MAC_S
expect_delta arp_cache strict_off_subnet 1 "step 7, a request from $IP_FAR"
expect_delta ndisc_cache strict_off_subnet 1 "step 7, an NS from $IP6_FAR"
expect_no_entry $IP_FAR "step 7"
expect_no_entry $IP6_FAR "step 7"
xn_ok "7. (b) a request from $IP_FAR and an NS from $IP6_FAR: dropped, strict_off_subnet +1 ARP, +1 ND"

# 8. (c) gratuitous frames create nothing
snap
frame arp 2 $MAC_S $BC $MAC_S $IP_NEW $MAC_S $IP_NEW
frame na $MAC_S $ALLN $LL_S ff02::1 $IP6_NEW O $MAC_S
expect_delta arp_cache strict_garp_create 1 "step 8, the gratuitous ARP of step 5"
expect_delta ndisc_cache strict_garp_create 1 "step 8, an unsolicited NA for $IP6_NEW"
expect_no_entry $IP_NEW "step 8"
expect_no_entry $IP6_NEW "step 8"
[ -z "$(kernel_entry $IP_NEW)" ] || xn_fail "step 8: the kernel learned $IP_NEW: the frame was not dropped"
xn_ok "8. (c) the gratuitous ARP for $IP_NEW and an unsolicited NA for $IP6_NEW: dropped, strict_garp_create +1 ARP, +1 ND, in neither table"

# 9. what --strict lets through
xn_arping_from_mac "$PEER" p0 $IP_H $MAC_H || xn_fail "step 9: the peer is not answered: $XN_ARPING_OUT"
ip netns exec "$PEER" ndisc6 -1 -q -n -r 3 -w 500 $IP6_H p0 >/dev/null || xn_fail "step 9: the peer's NS is not answered"
snap
frame arp 1 $MAC_S $BC $MAC_S $IP_P $ZERO $IP_P
expect_entry $IP_P "$MAC_S STALE" "step 9, the spoofer's gratuitous ARP for the known $IP_P"
expect_mon "$IP_P dev h0 lladdr $MAC_S old_lladdr $MAC_P STALE " "step 9"
for c in strict_mac_mismatch strict_off_subnet strict_garp_create; do
	expect_delta arp_cache $c 0 "step 9"
done
xn_ok "9. the peer is still answered (ARP, ND); a gratuitous ARP for the known $IP_P still overrides under --strict"
stop_xneighd

xn_info "figures (counter moves, each checked exactly):"
for f in "${FIG[@]}"; do
	xn_info "  $f"
done
