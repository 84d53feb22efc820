#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The differential suite: the kernel is the oracle. The same frames go to a
# host whose kernel answers and to an identical host where xneigh answers;
# build/xneigh-diff compares the replies (whole frames) and the learned
# entries, per sysctl combination, and prints every disagreement.
#
#  kernel side                                   xneigh side
#  xn-dkp-PID         xn-dk-PID                  xn-dxp-PID         xn-dx-PID
# +--------------+   +-----------------------+  +--------------+   +-----------------------+
# | p0 (tester)  |---| h0 02:00:00:00:01:01  |  | p0 (tester)  |---| h0  (same as kernel   |
# | 02:..:01:02  |   |  10.1.0.1/24          |  | 02:..:01:02  |   |      side, addresses, |
# | xdp_pass     |   |  10.1.0.50/24 (sec)   |  | xdp_pass     |   |      routes, proxies) |
# | AF_PACKET in |   |  10.1.0.99/32 host    |  | AF_PACKET in |   | h1                    |
# | and out      |   |  10.3.0.1/24          |  | and out      |   |                       |
# |              |   |  2001:db8:1::1/64     |  |              |   |                       |
# |              |   |  2001:db8:ffff::1/128 |  |              |   |                       |
# |              |   |   (sentinel's target) |  |              |   |                       |
# |              |   | h1 02:00:00:00:02:01  |  |              |   | nft: arp requests and |
# | p1 02:..02:02|---|  10.2.0.1/24          |  | p1           |---| ip6 NS dropped at     |
# | IPv6 off     |   |  2001:db8:2::1/64     |  | IPv6 off     |   | input                 |
# +--------------+   | lo 192.168.50.1/32    |  +--------------+   | xneighd -i h0 (XDP)   |
#                    | 10.5/16 via 10.2.0.2  |                     +-----------------------+
#                    | 10.6/16 via 10.1.0.254|
#                    | proxy 10.2.0.9 h0,    |
#                    |  10.1.0.88 h0,        |
#                    |  2001:db8:1::99 h0,   |
#                    |  2001:db8:2::9 h0     |
#                    +-----------------------+
#
# The peers have no addresses and IPv6 off, so nothing but the tester
# speaks on the links. The hosts skip DAD and router solicitations, so
# their only ARP/ND frames are answers to the corpus (MLD reports are not
# compared). Both hosts start from the kernel's ARP defaults (lib.sh);
# xneigh-diff writes each combination's sysctls in both and SIGHUPs
# xneighd so it reads them before the combination's frames. Every frame
# is followed by a sentinel, a DAD NS for 2001:db8:ffff::1 that both sides
# answer without touching an entry: its answer closes the frame's answers
# (tests/diff/lab.c says why that is sound).
#
# XN_DIFF_CORPUS=bounded (default, `make test`) or full (`make conformance`).
# XN_DIFF_MODE=native (default), generic or tc: xneighd's --mode.
# XN_DIFF_ARGS adds options for xneigh-diff (e.g. "--family R -v").

. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
xn_strict

DIFF=$XN_BUILD/xneigh-diff
CORPUS=${XN_DIFF_CORPUS:-bounded}
case $CORPUS in
bounded | full) ;;
*) xn_fail "XN_DIFF_CORPUS must be bounded or full, not '$CORPUS'" ;;
esac
MODE=${XN_DIFF_MODE:-native}
case $MODE in
native | generic | tc) ;;
*) xn_fail "XN_DIFF_MODE must be native, generic or tc, not '$MODE'" ;;
esac

xn_require_root
xn_require_tools ip tc nft bpftool jq sysctl
xn_require_build "$XN_XNEIGHD" "$XN_XNEIGH" "$XN_XDP_PASS" "$DIFF"

xn_lab_begin
# The CLI runs a few thousand times: use one snapshot of it for the whole
# run, so a rebuild of the tree meanwhile cannot swap it mid-run.
CLI=$XN_TMP/xneigh
cp "$XN_XNEIGH" "$CLI"

# build_side HOSTVAR PEERVAR ROLE: one side of the lab, as in the diagram.
build_side()
{
	local hvar=$1 pvar=$2 role=$3 h p

	xn_ns_add "$hvar" "$role"
	xn_ns_add "$pvar" "${role}p"
	h=${!hvar}
	p=${!pvar}
	# No DAD, no router solicitations: the host sends ND only to answer.
	ip netns exec "$h" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
		net.ipv6.conf.default.accept_dad=0 net.ipv6.conf.default.router_solicitations=0 \
		net.ipv6.conf.default.accept_ra=0 >/dev/null
	# The tester's kernel stays silent.
	ip netns exec "$p" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1 >/dev/null
	xn_veth "$h" h0 02:00:00:00:01:01 "$p" p0 02:00:00:00:01:02
	xn_veth "$h" h1 02:00:00:00:02:01 "$p" p1 02:00:00:00:02:02
	ip -n "$h" addr add 10.1.0.1/24 dev h0
	ip -n "$h" addr add 10.1.0.50/24 dev h0
	ip -n "$h" addr add 10.1.0.99/32 dev h0 scope host
	ip -n "$h" addr add 10.3.0.1/24 dev h0
	ip -n "$h" addr add 10.2.0.1/24 dev h1
	ip -n "$h" addr add 192.168.50.1/32 dev lo
	ip -n "$h" -6 addr add 2001:db8:1::1/64 dev h0 nodad
	ip -n "$h" -6 addr add 2001:db8:2::1/64 dev h1 nodad
	# only xneigh-diff's sentinel asks for it (see lab_exchange())
	ip -n "$h" -6 addr add 2001:db8:ffff::1/128 dev h0 nodad
	ip -n "$h" route add 10.5.0.0/16 via 10.2.0.2 dev h1
	ip -n "$h" route add 10.6.0.0/16 via 10.1.0.254 dev h0
	ip -n "$h" neigh add proxy 10.2.0.9 dev h0
	ip -n "$h" neigh add proxy 10.1.0.88 dev h0
	ip -n "$h" -6 neigh add proxy 2001:db8:1::99 dev h0
	ip -n "$h" -6 neigh add proxy 2001:db8:2::9 dev h0
	xn_xdp_pass "$p" p0 || xn_skip "native XDP on veth not available (attaching xdp_pass failed)"
}

build_side HK PK dk
build_side HX PX dx

xn_nft_drop_arp_requests "$HX" || xn_skip "nftables cannot load an arp family table here"
ip netns exec "$HX" nft -f - <<'EOF' || xn_skip "nftables cannot load an ip6 table here"
table ip6 xn_lab6 {
	chain input {
		type filter hook input priority 0; policy accept;
		icmpv6 type nd-neighbor-solicit drop
	}
}
EOF

# Without -v: a failing run shows the daemon's warnings, not a line per
# SIGHUP resync. --no-kernel-sync: the xneigh namespace's kernel table must
# stay what its kernel alone makes of the frames (the harness flushes and
# compares it); the mirror would write xneigh's entries into it.
xn_daemon_start XND "$HX" xneighd "$XN_XNEIGHD" -i h0 --mode "$MODE" --no-kernel-sync
attached()
{
	xn_daemon_alive "$XND" || return 1
	if [ "$MODE" = tc ]; then
		[ -n "$(xn_tc_prog "$HX" h0 ingress id)" ]
	else
		[ -n "$(xn_xdp_prog_id "$HX" h0)" ]
	fi
}
xn_wait_for 10 attached || xn_fail "xneighd did not attach to h0 ($MODE) within 10 s"

# The link-local addresses come up with the links (no DAD); make sure
# both hosts have them before the ND cases ask for them.
has_ll() { ip -n "$1" -6 addr show dev h0 scope link | grep -q 'fe80::ff:fe00:101'; }
xn_wait_for 10 has_ll "$HK" || xn_fail "no link-local address on h0 in $HK"
xn_wait_for 10 has_ll "$HX" || xn_fail "no link-local address on h0 in $HX"

xn_info "xneigh-diff, $CORPUS corpus, xneighd --mode $MODE"
# shellcheck disable=SC2086 # XN_DIFF_ARGS is a list of options
"$DIFF" --kernel "$HK,$PK" --xneigh "$HX,$PX" --cli "$CLI" --xneighd-pid "$XND" \
	--corpus "$CORPUS" ${XN_DIFF_ARGS:-} || xn_fail "xneigh-diff found disagreements (above)"
xn_daemon_alive "$XND" || xn_fail "xneighd died during the run"
xn_ok "the kernel and xneigh ($MODE) agree on the $CORPUS corpus (documented differences aside)"
