#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Restart safety: xneighd killed with SIGKILL (and, second, stopped with
# --keep) leaves its data plane answering; the next xneighd adopts it: no
# entry is lost, replies never stop, and timers resume from the stored
# time stamps.
#
#  xn-peer-PID                          xn-host-PID
# +---------------------------+        +------------------------------------------+
# | p0  02:00:00:00:03:02     |        | h0  02:00:00:00:03:01  10.3.0.1/24       |
# |     10.3.0.2/24           |--veth--|     2001:db8:3::1/64                     |
# |     2001:db8:3::2/64      |        | nft arp input: request -> drop (the      |
# |  xdp: xdp_pass            |        |   kernel never answers: replies are      |
# |  arping 10.3.0.1 every    |        |   xneigh's)                              |
# |  0.2 s, all along         |        | xneighd -i h0 (XDP), killed, restarted   |
# +---------------------------+        +------------------------------------------+
#
# Host sysctls: net.ipv4.neigh.h0.base_reachable_time_ms=4000 (reachable
# time in [2, 6) s), delay_first_probe_time=1.
#
# Checks:
#  1. xneighd learns: the peer (from its requests), 30 entries added with
#     `xneigh add ... nud stale`, a PERMANENT one, the peer's IPv6 address
#     (--resolve, REACHABLE);
#  2. the peer's arping runs through everything below (0.2 s apart);
#  3. --resolve 10.3.0.2 makes it (STALE, from the peer's requests) DELAY,
#     then PROBE, then REACHABLE; at once xneighd gets SIGKILL;
#     for 1.5 s no daemon runs (the data plane keeps answering); a new
#     xneighd starts: it says it adopts the maps, the XDP program and the TC
#     filter were replaced in place;
#  4. every entry from before is still there with the same MAC;
#  5. the REACHABLE entry falls STALE on time (at most reachable_time, 6 s,
#     after its confirmation, plus slack), the new daemon made that change,
#     and a ping then takes it DELAY -> PROBE -> REACHABLE again;
#  6. the second xneighd runs with --keep: SIGTERM leaves the programs
#     attached (they still answer); nothing runs for 1.5 s; a third xneighd
#     adopts again, every entry still there;
#  7. every one of the peer's requests (one arping per 0.2 s, each with a
#     1 s deadline) got its reply; the final SIGTERM (no --keep) detaches
#     everything.

. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
xn_strict

MAC_H0=02:00:00:00:03:01 MAC_P0=02:00:00:00:03:02
IP_H0=10.3.0.1 IP_P0=10.3.0.2
IP6_H0=2001:db8:3::1 IP6_P0=2001:db8:3::2
WAIT=10

xn_require_root
xn_require_tools ip nft arping ping jq sysctl
xn_require_build "$XN_XNEIGHD" "$XN_XNEIGH" "$XN_XDP_PASS"

xn_lab_begin
xn_ns_add HOST host
xn_ns_add PEER peer
xn_veth "$HOST" h0 $MAC_H0 "$PEER" p0 $MAC_P0
ip -n "$HOST" addr add $IP_H0/24 dev h0
ip -n "$PEER" addr add $IP_P0/24 dev p0
ip -n "$HOST" addr add $IP6_H0/64 dev h0 nodad
ip -n "$PEER" addr add $IP6_P0/64 dev p0 nodad
ip netns exec "$HOST" sysctl -qw net.ipv4.neigh.h0.base_reachable_time_ms=4000 \
	net.ipv4.neigh.h0.delay_first_probe_time=1
xn_xdp_pass "$PEER" p0 || xn_skip "native XDP on veth not available (attaching xdp_pass failed)"
xn_nft_drop_arp_requests "$HOST" || xn_skip "nftables cannot load an arp family table here"
no_tentative() { ! ip -n "$1" -6 addr show dev "$2" | grep -q tentative; }
xn_wait_for $WAIT no_tentative "$HOST" h0 || xn_fail "h0's link-local address stays tentative"
# the host kernel reaches the peer without ARP (its requests would be
# answered by the peer's kernel, whose replies xneigh learns too)
ip -n "$HOST" neigh replace $IP_P0 lladdr $MAC_P0 dev h0 nud permanent

resolve() { ip netns exec "$HOST" "$XN_XNEIGHD" --resolve "$@"; }
xn_state() { xn_cli_neigh "$HOST" "$1" h0 | jq -r '.state | join(" ")'; }
state_is() { [ "$(xn_state "$1")" = "$2" ]; }
# every entry of h0 as "dst lladdr", sorted
entries() { xn_cli "$HOST" show -j | jq -r '.[] | select(.dev == "h0") | "\(.dst) \(.lladdr // "-")"' | sort; }

start_daemon()	# VAR NAME [ARGS...]
{
	local var=$1 name=$2 pid
	shift 2
	# --no-kernel-sync: the admin's PERMANENT entry for the peer (above)
	# would be imported into xneigh as PERMANENT, and the peer's NUD
	# timeline checked here would not run
	xn_daemon_start pid "$HOST" "$name" "$XN_XNEIGHD" -i h0 -vv --no-kernel-sync "$@"
	printf -v "$var" '%s' "$pid"
	up() {
		local out
		xn_daemon_alive "$pid" || xn_fail "$name exited early"
		out=$(resolve $IP_P0 --dev lo 2>&1 || true)
		grep -q "does not run on dev lo" <<<"$out"
	}
	xn_wait_for $WAIT up || xn_fail "$name does not answer on its control socket within ${WAIT}s"
}

# ---- 1. learn ---------------------------------------------------------------------

start_daemon XND1 xneighd-1
xn_arping "$PEER" p0 $IP_H0 1 2 || xn_fail "first request not answered: $XN_ARPING_OUT"
for i in $(seq 10 39); do
	xn_cli "$HOST" add 10.3.1.$i dev h0 lladdr 02:00:00:00:31:$i nud stale ||
		xn_fail "xneigh add 10.3.1.$i failed"
done
xn_cli "$HOST" add 10.3.1.200 dev h0 lladdr 02:00:00:00:31:99 nud permanent ||
	xn_fail "xneigh add 10.3.1.200 permanent failed"
out=$(resolve $IP6_P0 --dev h0 --wait) || xn_fail "--resolve $IP6_P0: $out"
before=$(entries)
nbefore=$(grep -c . <<<"$before")
[ "$nbefore" -ge 33 ] || xn_fail "only $nbefore entries learned: $before"
xn_ok "learned $nbefore entries"

# ---- 2. arping all along ----------------------------------------------------------------

# one request at a time, each with a 1 s deadline, every ~0.2 s, until told
# to stop (iputils arping's -i takes whole seconds only)
arp_loop()
{
	while [ ! -e "$XN_TMP/stop" ]; do
		if ip netns exec "$PEER" arping -b -c 1 -w 1 -I p0 $IP_H0 >/dev/null 2>&1; then
			echo "$(date +%s.%N) ok"
		else
			echo "$(date +%s.%N) lost"
		fi
		sleep 0.2
	done >"$XN_TMP/arping"
}
arp_loop &
ARPING=$!
sleep 1

# ---- 3. SIGKILL right after a confirmation, restart ---------------------------------------

# the peer's requests made it STALE: resolving it (as a packet to it would)
# goes DELAY, then the unicast probe's answer makes it REACHABLE
out=$(resolve $IP_P0 --dev h0) || xn_fail "--resolve $IP_P0: $out"
xn_wait_for $WAIT state_is $IP_P0 REACHABLE || xn_fail "$IP_P0 not REACHABLE (is '$(xn_state $IP_P0)')"
t_conf=$SECONDS
kill -KILL "$XND1"
wait "$XND1" 2>/dev/null || true
sleep 1.5
xn_daemon_alive "$ARPING" || xn_fail "arping ended early: $(cat "$XN_TMP/arping")"
start_daemon XND2 xneighd-2 --keep
log2=$(xn_daemon_log "$XND2")
grep -q "adopting the data plane of an xneighd that is gone" "$log2" ||
	xn_fail "xneighd-2 did not adopt the maps: $(grep -v libbpf "$log2" | head -20)"
grep -q "XDP xn_xdp replaced program id .* atomically" "$log2" ||
	xn_fail "xneighd-2 did not replace the XDP program in place"
grep -q "xn_tc_out .* replacing the leftover in one step" "$log2" ||
	xn_fail "xneighd-2 did not replace the TC egress filter in place"

# ---- 4. nothing lost ----------------------------------------------------------------------

after=$(entries)
missing=$(comm -23 <(echo "$before") <(echo "$after"))
[ -z "$missing" ] || xn_fail "entries lost over the restart: $missing"
xn_ok "SIGKILL + restart: all $nbefore entries kept, programs replaced in place"

# ---- 5. timers resume -----------------------------------------------------------------------

xn_wait_for $WAIT state_is $IP_P0 STALE || xn_fail "$IP_P0 did not fall STALE (is '$(xn_state $IP_P0)')"
took=$((SECONDS - t_conf))	# printed, not asserted: no timed assertions in make test
grep -q "$IP_P0 dev h0 lladdr $MAC_P0 STALE (was REACHABLE)" "$log2" ||
	xn_fail "xneighd-2 did not make $IP_P0 STALE (its log does not show the change)"
ip netns exec "$HOST" ping -c1 -W1 $IP_P0 >/dev/null || xn_fail "ping $IP_P0 failed"
xn_wait_for $WAIT state_is $IP_P0 REACHABLE || xn_fail "$IP_P0 not REACHABLE again after use"
grep -q "$IP_P0 dev h0 lladdr $MAC_P0 PROBE (was DELAY)" "$log2" ||
	xn_fail "xneighd-2 did not probe $IP_P0 (no DELAY -> PROBE in its log)"
xn_ok "timers resumed: $IP_P0 STALE ${took} s after its confirmation, then DELAY -> PROBE -> REACHABLE"

# ---- 6. --keep ---------------------------------------------------------------------------------

before=$(entries)
xn_daemon_stop "$XND2" || xn_fail "xneighd-2 did not exit on SIGTERM"
[ "$XN_STOP_RC" = 0 ] || xn_fail "xneighd-2 --keep exited with $XN_STOP_RC"
[ -n "$(xn_xdp_prog_id "$HOST" h0)" ] || xn_fail "--keep: the XDP program was detached"
[ -n "$(xn_tc_prog "$HOST" h0 egress id)" ] || xn_fail "--keep: the TC egress filter was detached"
xn_arping_from_mac "$PEER" p0 $IP_H0 $MAC_H0 || xn_fail "--keep: no answer without a daemon: $XN_ARPING_OUT"
sleep 1.5
start_daemon XND3 xneighd-3
grep -q "adopting the data plane" "$(xn_daemon_log "$XND3")" || xn_fail "xneighd-3 did not adopt"
after=$(entries)
missing=$(comm -23 <(echo "$before") <(echo "$after"))
[ -z "$missing" ] || xn_fail "entries lost over the --keep restart: $missing"
xn_ok "--keep: data plane left running, adopted again, all entries kept"

# ---- 7. every request answered --------------------------------------------------------------

touch "$XN_TMP/stop"
wait "$ARPING" || true
sent=$(grep -c . "$XN_TMP/arping" || true)
lost=$(grep -c lost "$XN_TMP/arping" || true)
[ "$sent" -ge 30 ] || xn_fail "only $sent requests sent: $(cat "$XN_TMP/arping")"
[ "$lost" = 0 ] || xn_fail "$lost of $sent requests unanswered across the restarts: $(grep lost "$XN_TMP/arping")"
got=$sent
xn_ok "arping: $got replies to $sent requests over two restarts"

xn_daemon_stop "$XND3" || xn_fail "xneighd-3 did not exit on SIGTERM"
[ -z "$(xn_xdp_prog_id "$HOST" h0)" ] && [ -z "$(xn_tc_prog "$HOST" h0 egress id)" ] ||
	xn_fail "programs left attached after a SIGTERM without --keep"
