#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Floods (issue 7): a million distinct senders injected as fast as the
# machine allows into xneigh's XDP program, legitimate requests mixed in.
#
#  xn-host-PID                                    xn-peer-PID
# +---------------------------------------------+ +-------------------------------+
# | xa 02:00:00:00:0f:01  10.0.0.1/8             | | xb 02:00:00:00:0f:02          |
# |    2001:db8::1/64                            |-|    10.0.0.2/8 2001:db8::2/64  |
# | xneighd -i xa (XDP), tables of 65536         | | xdp: flood_peer: counts and   |
# |  arp_accept=1, IPv6 forwarding and           | |  drops the answers to the     |
# |  accept_untracked_na=1: every flood frame    | |  legitimate (02:1e:..) and    |
# |  would make an entry                         | |  the flood's (02:f1:..)       |
# | 10.0.0.200, 2001:db8::c8 PERMANENT           | |  senders; the rest goes to    |
# | ping 10.0.0.2, ping -6 2001:db8::2: in use   | |  its stack, which answers     |
# | nft: the host's own ARP/NDISC never sees the | |  the pings and xneighd's      |
# |  flood (nor a request xneigh left unanswered)| |  probes                       |
# | xneigh-flood: live frames into xn_xdp        | |                               |
# +---------------------------------------------+ +-------------------------------+
#
# xneigh-flood (tests/reliability/flood.c) runs xn_xdp behind the injector
# tests/bpf/flood_inject.bpf.c with BPF_F_TEST_XDP_LIVE_FRAMES: FLOOD_SENDERS
# (default 1000000) senders never seen before, a third each gratuitous ARPs,
# ARP requests for 10.0.0.1 and unsolicited NAs, and every 100th frame a
# request for our address from one of 4 legitimate senders (an ARP request
# and an NS in turn). What xn_xdp answers with XDP_TX reaches the peer.
#
# gc_thresh1/2/3 are the kernel's 128/512/1024 (outside the initial
# namespace they cannot be changed, and xneighd follows the kernel). The
# data plane creates entries by itself; xneighd applies GC-3 afterwards from
# the events, which a flood outruns, so it also publishes gc_thresh3 plus
# the entries exempt from GC (xn_global.neigh_limit) and the data plane
# refuses what neigh_alloc() would refuse (table_fulls) past it.
# FLOOD_MAX_ENTRIES sizes the maps (default: xneighd's own, 65536).
#
# Checks:
#  1. every sender was injected;
#  2. neither table, sampled during the flood (every 20 ms at most), held
#     more than gc_thresh3 entries besides its one PERMANENT entry (exempt
#     from GC: neigh_alloc() counts gc_entries), nor does it afterwards;
#  3. the PERMANENT entries and the pinged peer's entries (REACHABLE for
#     more than 5 s when the flood begins) are never removed nor made again:
#     the kernel's forced GC takes only entries nobody holds, and the timer
#     of an INCOMPLETE/REACHABLE/DELAY/PROBE entry holds it;
#  4. at least 99 % of the legitimate ARP requests and of the legitimate
#     NSes were answered;
#  5. forced_gc_runs and table_fulls of both tables moved;
#  6. xneighd's CPU over the flood (utime + stime, /proc/PID/stat) stays
#     under DAEMON_CPU_MAX % of one CPU, and afterwards it is alive and
#     answers `xneigh status`.
# The figures are printed.

. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
xn_strict

MAC_XA=02:00:00:00:0f:01 MAC_XB=02:00:00:00:0f:02
IP_XA=10.0.0.1 IP_XB=10.0.0.2 IP6_XA=2001:db8::1 IP6_XB=2001:db8::2
PERM4=10.0.0.200 PERM6=2001:db8::c8 MAC_PERM=02:00:00:00:0f:c8
FLOOD4=10.16.0.0 FLOOD6=2001:db8::f100:0:0:0 LEGIT4=10.0.0.10 LEGIT6=2001:db8::10
SENDERS=${FLOOD_SENDERS:-1000000}
GC_THRESH3=1024
EXEMPT=1			# PERMANENT entries per table: not counted by gc_thresh3
MAX_ENTRIES=${FLOOD_MAX_ENTRIES:-default}
DRAIN=${FLOOD_DRAIN:-10}	# seconds to wait for the tables to be within gc_thresh3
DAEMON_CPU_MAX=90		# % of one CPU
LEGIT_MIN_PCT=99
FLOOD=$XN_BUILD/xneigh-flood
PEER_OBJ=$XN_BUILD/tests/flood_peer.bpf.o

xn_require_root
xn_require_tools ip jq bpftool ping nft
xn_require_build "$XN_XNEIGHD" "$XN_XNEIGH" "$FLOOD" "$PEER_OBJ" \
	"$XN_BUILD/tests/flood_inject.bpf.o"
case $SENDERS in '' | *[!0-9]*) xn_fail "FLOOD_SENDERS=$SENDERS: not a number" ;; esac
case $MAX_ENTRIES in
default) size_args=() ;;
'' | *[!0-9]*) xn_fail "FLOOD_MAX_ENTRIES=$MAX_ENTRIES: not a number nor 'default'" ;;
*) size_args=(--max-entries "$MAX_ENTRIES") ;;
esac

xn_lab_begin
xn_ns_add HOST host
xn_ns_add PEER peer
xn_veth "$HOST" xa $MAC_XA "$PEER" xb $MAC_XB
ip netns exec "$HOST" sysctl -qw net.ipv4.conf.all.arp_accept=1 net.ipv4.conf.xa.arp_accept=1 \
	net.ipv6.conf.xa.forwarding=1 net.ipv6.conf.xa.accept_untracked_na=1
ip -n "$HOST" addr add $IP_XA/8 dev xa
ip -n "$HOST" -6 addr add $IP6_XA/64 dev xa nodad
ip -n "$PEER" addr add $IP_XB/8 dev xb
ip -n "$PEER" -6 addr add $IP6_XB/64 dev xb nodad
# What xn_xdp passes on (gratuitous ARPs, NAs, requests it could not answer)
# never reaches the host's own ARP and NDISC: the figures are xneigh's alone,
# and the flood stays out of the kernel's neighbour table, whose gc_thresh3
# every namespace of the machine shares.
xn_nft_drop_arp_requests "$HOST"
ip netns exec "$HOST" nft -f - <<EOF
table ip6 xn_flood {
	chain input {
		type filter hook input priority 0; policy accept;
		icmpv6 type nd-neighbor-advert ip6 saddr $FLOOD6/96 drop
		icmpv6 type nd-neighbor-solicit ip6 saddr $LEGIT6/124 drop
	}
}
EOF
ip -n "$PEER" link set dev xb xdp obj "$PEER_OBJ" sec xdp ||
	xn_skip "native XDP on veth not available (attaching flood_peer failed)"
PEER_MAP=$(xn_prog_map_id "$(xn_xdp_prog_id "$PEER" xb)" fp_frames)

xn_daemon_start XND "$HOST" xneighd "$XN_XNEIGHD" -i xa "${size_args[@]}"
native_xdp() { [ "$(xn_xdp_mode "$HOST" xa)" = xdp ]; }
xn_wait_for 10 native_xdp || xn_fail "xneighd did not attach xn_xdp to xa in native XDP mode"

xn_cli "$HOST" add $PERM4 lladdr $MAC_PERM dev xa nud permanent
xn_cli "$HOST" add $PERM6 lladdr $MAC_PERM dev xa nud permanent

# the neighbours in use: the host pings the peer over both families
ip netns exec "$HOST" ping -q -i 0.2 $IP_XB >/dev/null 2>&1 &
XN_DAEMONS+=("$!:ping:/dev/null")
ip netns exec "$HOST" ping -6 -q -i 0.2 $IP6_XB >/dev/null 2>&1 &
XN_DAEMONS+=("$!:ping6:/dev/null")
state() { xn_cli_neigh "$HOST" "$1" xa | jq -r '.state[0] // empty'; }
reachable() { [ "$(state $IP_XB)" = REACHABLE ] && [ "$(state $IP6_XB)" = REACHABLE ]; }
xn_wait_for 15 reachable ||
	xn_fail "the pinged peer is not REACHABLE: $(state $IP_XB) / $(state $IP6_XB)"
# older than forced GC's 5 s, and still REACHABLE (reachable_time >= 15 s)
sleep 6
reachable ||
	xn_fail "the pinged peer left REACHABLE before the flood: $(state $IP_XB) / $(state $IP6_XB)"

stat() { xn_cli "$HOST" stats -j | jq -e --arg t "$1" --arg f "$2" '.[$t][$f] | numbers'; }
declare -A before
for t in arp_cache ndisc_cache; do
	for f in forced_gc_runs table_fulls events_lost; do
		before[$t.$f]=$(stat $t $f)
	done
done

ip netns exec "$HOST" "$FLOOD" --dev xa --senders "$SENDERS" --limit $((GC_THRESH3 + EXEMPT)) \
	--drain "$DRAIN" --our4 $IP_XA --our6 $IP6_XA --flood4 $FLOOD4 --flood6 $FLOOD6 \
	--legit4 $LEGIT4 --legit6 $LEGIT6 --peer-map "$PEER_MAP" --daemon-pid "$XND" \
	--watch $PERM4 --watch $PERM6 --watch $IP_XB --watch $IP6_XB >"$XN_TMP/flood.out"
fig() {
	local v
	v=$(sed -n "s/^$1=//p" "$XN_TMP/flood.out")
	[ -n "$v" ] || xn_fail "xneigh-flood printed no $1"
	echo "$v"
}
declare -A moved
for t in arp_cache ndisc_cache; do
	for f in forced_gc_runs table_fulls events_lost; do
		moved[$t.$f]=$(($(stat $t $f) - ${before[$t.$f]}))
	done
done
xn_daemon_alive "$XND" || xn_fail "xneighd died during the flood"
xn_cli "$HOST" status >/dev/null || xn_fail "xneighd does not answer xneigh status after the flood"

pct() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b ? 100 * a / b : 0 }'; }
arp_sent=$(fig legit_arp_sent) arp_ans=$(fig legit_arp_answered)
ns_sent=$(fig legit_ns_sent) ns_ans=$(fig legit_ns_answered)
cpu=$(fig daemon_cpu_flood_pct)
grep '^evicted:' "$XN_TMP/flood.out" || true
cat <<EOF
flood figures (xneighd tables of $MAX_ENTRIES entries, gc_thresh3 $GC_THRESH3):
  senders injected          $(fig senders_injected) ($(fig senders_garp) gratuitous ARPs, $(fig senders_arp_request) ARP requests, $(fig senders_na) unsolicited NAs)
  frames                    $(fig frames) in $(fig inject_s) s of test runs: $(fig frames_per_s) frames/s ($(fig flood_s) s with the sampling)
  table max (arp / ndisc)   $(fig table4_max) / $(fig table6_max), gc_thresh3 $GC_THRESH3 ($(fig table_samples) samples)
  table after (arp / ndisc) $(fig table4_end) / $(fig table6_end) ($(fig settled_s) s after the flood; -1: not within gc_thresh3 after ${DRAIN} s)
  legit answered            ARP $arp_ans of $arp_sent ($(pct "$arp_ans" "$arp_sent") %), NS $ns_ans of $ns_sent ($(pct "$ns_ans" "$ns_sent") %)
  flood answered            $(fig flood_arp_answered) ARP requests of $(fig senders_arp_request)
  forced_gc_runs            arp_cache +${moved[arp_cache.forced_gc_runs]}, ndisc_cache +${moved[ndisc_cache.forced_gc_runs]}
  table_fulls               arp_cache +${moved[arp_cache.table_fulls]}, ndisc_cache +${moved[ndisc_cache.table_fulls]}
  events lost (ring buffer) arp_cache +${moved[arp_cache.events_lost]}, ndisc_cache +${moved[ndisc_cache.events_lost]}
  xneighd CPU               $cpu % of one CPU over the flood, $(fig daemon_cpu_s) s in all (flood and after)
  watched entries removed   $PERM4 $(fig watch_evicted_0), $PERM6 $(fig watch_evicted_1), $IP_XB $(fig watch_evicted_2), $IP6_XB $(fig watch_evicted_3)
EOF

# 1.
[ "$(fig senders_injected)" = "$SENDERS" ] ||
	xn_fail "$(fig senders_injected) senders injected, not $SENDERS"
# 2.
for f in table4_max table6_max table4_end table6_end; do
	[ "$(fig $f)" -le $((GC_THRESH3 + EXEMPT)) ] ||
		xn_fail "$f=$(fig $f): over gc_thresh3 $GC_THRESH3 + $EXEMPT PERMANENT"
done
xn_ok "the tables stayed within gc_thresh3 + $EXEMPT PERMANENT ($(fig table4_max) / $(fig table6_max) at most)"
# 3.
for i in 0 1 2 3; do
	[ "$(fig watch_evicted_$i)" = 0 ] ||
		xn_fail "a PERMANENT or in-use entry was removed during the flood (watch $i, see 'evicted:' above)"
done
{ [ "$(state $PERM4)" = PERMANENT ] && [ "$(state $PERM6)" = PERMANENT ]; } ||
	xn_fail "the PERMANENT entries are not PERMANENT any more: $(state $PERM4) / $(state $PERM6)"
xn_ok "PERMANENT and in-use entries kept"
# 4.
{ [ "$arp_sent" -gt 0 ] && [ "$ns_sent" -gt 0 ]; } || xn_fail "no legitimate requests were sent"
[ $((arp_ans * 100)) -ge $((arp_sent * LEGIT_MIN_PCT)) ] ||
	xn_fail "legitimate ARP requests: $arp_ans of $arp_sent answered, under $LEGIT_MIN_PCT %"
[ $((ns_ans * 100)) -ge $((ns_sent * LEGIT_MIN_PCT)) ] ||
	xn_fail "legitimate NSes: $ns_ans of $ns_sent answered, under $LEGIT_MIN_PCT %"
xn_ok "legitimate requests answered: ARP $(pct "$arp_ans" "$arp_sent") %, NS $(pct "$ns_ans" "$ns_sent") %"
# 5.
for k in {arp,ndisc}_cache.{forced_gc_runs,table_fulls}; do
	[ "${moved[$k]}" -gt 0 ] || xn_fail "$k did not move during the flood"
done
xn_ok "forced_gc_runs and table_fulls moved in both tables"
# 6.
awk -v c="$cpu" -v m=$DAEMON_CPU_MAX 'BEGIN { exit !(c <= m) }' ||
	xn_fail "xneighd used $cpu % of a CPU during the flood (bound $DAEMON_CPU_MAX %)"
xn_ok "xneighd: $cpu % of a CPU during the flood, alive and answering afterwards"
