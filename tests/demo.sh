#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: xneigh answering ARP and IPv6 Neighbour Solicitations for a host
# whose kernel never sees the requests; then xneighd's control plane: the
# kernel table mirror, an entry aging REACHABLE -> STALE, a probe cycle
# (DELAY -> unicast probe -> REACHABLE), an unresolved address going FAILED
# after the kernel's three probes, and `xneigh monitor` showing all of it.
#
#  xn-peer-PID                          xn-host-PID
# +---------------------------+        +-------------------------------------+
# | p0  02:00:00:00:01:02     |--veth--| h0  02:00:00:00:01:01               |
# |     10.1.0.2/24           |        |     10.1.0.1/24                     |
# |     2001:db8:1::2/64      |        |     2001:db8:1::1/64                |
# |  xdp: xdp_pass (receives  |        |  nft arp input: request -> drop     |
# |  veth XDP_TX frames)      |        |  nft ip6 input: NS -> drop          |
# |                           |        |  xneighd -i h0  (XDP on h0)         |
# +---------------------------+        +-------------------------------------+
#
# Every command is printed before it runs. The lab is removed on exit
# (DEBUG_TESTENV=1 leaves it up and says how to enter it).

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
xn_strict
cd "$XN_TOP" || exit 1
# Show paths as a user would type them from the top of the tree.
case $XN_BUILD in
"$XN_TOP"/*) B=${XN_BUILD#"$XN_TOP"/} ;;
*) B=$XN_BUILD ;;
esac

MAC_H0=02:00:00:00:01:01 MAC_P0=02:00:00:00:01:02
IP_H0=10.1.0.1 IP_P0=10.1.0.2
IP6_H0=2001:db8:1::1 IP6_P0=2001:db8:1::2
NFT_DROP_NS='table ip6 xn_demo {
	chain in {
		type filter hook input priority 0; policy accept;
		icmpv6 type nd-neighbor-solicit drop
	}
}'
STEP=0

die() { XN_FAIL_SAID=1; echo "make demo: $*" >&2; exit 1; }
step() { STEP=$((STEP + 1)); printf '\n==> %d. %s\n' "$STEP" "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }

[ "$(id -u)" -eq 0 ] || die "needs root"
for t in ip nft arping ping ndisc6 bpftool; do
	command -v "$t" >/dev/null || die "'$t' not found (make deps installs it)"
done
for f in "$B/xneighd" "$B/xneigh" "$B/tests/xdp_pass.bpf.o"; do
	[ -e "$f" ] || die "$f missing (make all)"
done

xn_lab_begin

step "Two network namespaces joined by a veth pair"
xn_ns_add HOST host
xn_ns_add PEER peer
run ip -n "$HOST" link add h0 address $MAC_H0 type veth peer name p0 address $MAC_P0 netns "$PEER"
run ip -n "$HOST" addr add $IP_H0/24 dev h0
run ip -n "$PEER" addr add $IP_P0/24 dev p0
run ip -n "$HOST" -6 addr add $IP6_H0/64 dev h0 nodad
run ip -n "$PEER" -6 addr add $IP6_P0/64 dev p0 nodad
run ip -n "$HOST" link set dev h0 up
run ip -n "$PEER" link set dev p0 up
echo "# veth drops frames sent back with XDP_TX unless the receiving side runs XDP too:"
run ip -n "$PEER" link set dev p0 xdp obj "$B/tests/xdp_pass.bpf.o" sec xdp

step "The host's kernel stops seeing ARP requests (nftables, arp family)"
printf '$ ip netns exec %s nft -f - <<EOF\n%s\nEOF\n' "$HOST" "$XN_NFT_DROP_ARP_REQUESTS"
xn_nft_drop_arp_requests "$HOST"
echo "# (ARP replies still reach the kernel, so it resolves the peer when it sends)"
printf '$ ip netns exec %s nft -f - <<EOF\n%s\nEOF\n' "$HOST" "$NFT_DROP_NS"
ip netns exec "$HOST" nft -f - <<<"$NFT_DROP_NS" || die "nft (ip6) failed"
echo "# and the same for IPv6 Neighbour Solicitations (advertisements still pass)"

step "Without xneigh, the peer's arping gets no answer"
if run ip netns exec "$PEER" arping -c 2 -w 2 -I p0 $IP_H0; then
	die "the host's kernel answered despite the nft rule"
fi

step "Short NUD timers on h0, so the demo shows aging within seconds"
echo "# (base_reachable_time 4 s: REACHABLE lasts 2-6 s; delay_first_probe_time 1 s)"
run ip netns exec "$HOST" sysctl -qw net.ipv4.neigh.h0.base_reachable_time_ms=4000 \
	net.ipv4.neigh.h0.delay_first_probe_time=1

step "Start xneighd on h0: it loads the XDP program, attaches it and fills its maps"
printf '$ ip netns exec %s %s -i h0 -v &\n' "$HOST" "$B/xneighd"
xn_daemon_start XND "$HOST" xneighd "$B/xneighd" -i h0 -v
LOG=$(xn_daemon_log "$XND")
echo "# (waiting for xneighd to answer; at most 10 s)"
ready()
{
	xn_daemon_alive "$XND" || die "xneighd exited early (its log follows)"
	xn_arping "$PEER" p0 $IP_H0 1 1
}
xn_wait_for 10 ready || die "xneighd did not answer within 10 s (its log follows)"
echo "# xneighd's log so far (stderr):"
cat "$LOG"
LOG_SEEN=$(wc -l <"$LOG")
run ip -n "$HOST" link show dev h0
run ip netns exec "$HOST" "$B/xneigh" status

step "xneigh monitor: every change of the table as it happens (its output is shown below)"
printf '$ ip netns exec %s %s monitor -ts > monitor.txt &\n' "$HOST" "$B/xneigh"
xn_daemon_start MONPID "$HOST" monitor "$B/xneigh" monitor -ts
MON=$(xn_daemon_log "$MONPID")
sleep 0.3

step "arping again: answered by xneigh (XDP_TX on h0; the kernel still sees no request)"
run ip netns exec "$PEER" arping -c 3 -I p0 $IP_H0

step "ping: the peer's kernel resolved the host through xneigh"
run ip netns exec "$PEER" ping -c 3 -i 0.2 $IP_H0

step "IPv6: ndisc6 asks for the host's address; xneigh answers the NS with an NA"
run ip netns exec "$PEER" ndisc6 -r 3 -w 1000 $IP6_H0 p0 || die "no NA for $IP6_H0"
run ip netns exec "$PEER" ping -6 -c 3 -i 0.2 $IP6_H0

step "What the peer's traffic taught xneigh"
run ip netns exec "$HOST" "$B/xneigh" show
run ip netns exec "$HOST" "$B/xneigh" show -j -p
echo "# xneighd mirrors what it learns into the kernel's table (NOARP + extern_learn:"
echo "# the kernel neither ages nor probes them; xneighd does), so the host's own"
echo "# traffic needs no ARP round trip of its own:"
run ip -n "$HOST" neigh show dev h0

step "Aging: with nothing confirming it, the entry falls from REACHABLE to STALE"
echo "# (waiting up to 10 s for xneighd's timer)"
stale_now()
{
	ip netns exec "$HOST" "$B/xneigh" show dev h0 | grep -q "^$IP_P0 .*STALE"
}
xn_wait_for 10 stale_now || die "$IP_P0 did not fall STALE within 10 s"
run ip netns exec "$HOST" "$B/xneigh" show -s dev h0

step "A probe cycle: the host uses the STALE entry; DELAY, then a unicast probe, REACHABLE"
run ip netns exec "$HOST" "$B/xneigh" resolve $IP_P0 dev h0
sleep 2.5
run ip netns exec "$HOST" "$B/xneigh" show dev h0 to $IP_P0

step "An address nobody has: 3 broadcast probes, 1 s apart, then FAILED (the kernel's timeline)"
run ip netns exec "$HOST" "$B/xneigh" resolve 10.1.0.99 dev h0 --wait || true

step "What xneigh monitor printed meanwhile"
sleep 0.5	# the last line travels daemon -> monitor -> file
echo '$ cat monitor.txt'
cat "$MON"

step "Counters (one struct per CPU in the xn_stats map, summed; arp_cache and ndisc_cache)"
run ip netns exec "$HOST" "$B/xneigh" stats

step "The neighbour map itself, with BTF field names"
echo "# (by name: every copy of the map loaded on this machine is listed)"
run bpftool map dump name xn_neigh4

step "Stop xneighd: SIGTERM detaches the program"
printf '$ kill %s\n' "$XND"
xn_daemon_stop "$XND" || die "xneighd ignored SIGTERM for 5 s"
[ "$XN_STOP_RC" = 0 ] || die "xneighd exited with status $XN_STOP_RC"
echo "# xneighd's log since:"
tail -n +"$((LOG_SEEN + 1))" "$LOG"
run ip -n "$HOST" link show dev h0

step "Done; removing the namespaces"
