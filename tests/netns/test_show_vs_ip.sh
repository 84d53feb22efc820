#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `xneigh show` after a traffic mix equals `ip neigh show` of a kernel that
# saw the same traffic. Two identical hosts, each on its own link with an
# identical set of peers: on one the kernel does ARP and ND, on the other
# xneigh does (the kernel's ARP requests and NS dropped at input by nft,
# xneighd running). Every step of the mix runs on both links at once.
#
#  xn-pk-PID                      xn-hk-PID  (the kernel answers)
# +---------------------------+  +------------------------------------+
# | p0 02:00:00:00:05:02      |  | h0 02:00:00:00:05:01               |
# |  (xdp_pass, no address)   |--|    10.5.0.1/24, 2001:db8:5::1/64   |
# |  macvlans on p0 (private):|  +------------------------------------+
# |  mvA ..:05:11 .11  ::11   |
# |  mvB ..:05:12 .12  ::12   |   xn-px-PID and xn-hx-PID: the same, and in
# |  mvC ..:05:13 .13  ::13   |   xn-hx-PID nft drops ARP requests and NS
# |  mvD ..:05:14 .14  ::14   |   at input; xneighd -i h0 (XDP) answers
# |  mvE ..:05:15 .15  ::15   |
# +---------------------------+
# Addresses 10.5.0.N/24 and 2001:db8:5::N/64 (nodad). Only the hosts have
# an IPv6 link-local address (fe80::ff:fe00:501): the kernel sends its
# unicast NS probes from it, and sends none without one. The peers have
# none (addr_gen_mode 1) and nobody sends router solicitations, so the only
# ND on the links is the mix's and the answers to it.
# Host sysctls (both): base_reachable_time_ms 3600000 (REACHABLE stays
# REACHABLE for the whole test), delay_first_probe_time 1, both families.
#
# The mix (crafted frames come from p0 through AF_PACKET, /usr/bin/python3):
#   A  arping h0 from mvA                  -> A STALE (learned from a request;
#                                             the ARP reply is sent directly)
#   A6 ndisc6 h0 from mvA                  -> A6 STALE, then the NA to it:
#                                             DELAY, PROBE, REACHABLE
#   B  arping -U (gratuitous) from mvB     -> nothing (arp_accept 0)
#   C  arping 10.5.0.99 (not h0's)         -> nothing
#   F  crafted ARP reply to h0, 10.5.0.16  -> nothing (no entry to update)
#   F6 crafted unsolicited NA, R O, ::16   -> nothing (accept_untracked_na 0)
#   E6 ndisc6 from mvE                     -> as A6: REACHABLE
#   D, D6 ping and ping -6 h0 from mvD     -> REACHABLE (STALE, DELAY, PROBE,
#                                             answered; or the host kernel's
#                                             own solicitation answered)
#   after locktime (1 s): crafted gratuitous ARP for A's address from
#   ..:05:21, a crafted NA, O, for A6 with ..:05:21
#                                          -> A, A6 STALE with the new MAC
#   a crafted NA, R O, same MAC, for E6    -> E6 router REACHABLE (the state
#                                             stays: same MAC, NUD-8)
#
# Checks:
#  1. the kernel's table is the one listed above (the lab did what it says);
#  2. xneigh's table, polled until it settles (DELAY and PROBE take ~2 s):
#     the same entries (dst, dev, lladdr, state, router); both printed on a
#     mismatch;
#  3. the listings of `ip neigh show` and `xneigh show` are the same lines
#     for: no selector, dev h0, nud all (IPv4), nud reachable, nud stale,
#     nud stale nud reachable, -4, -6, to 10.5.0.12/30, to 2001:db8:5::10/126;
#     with -s the same lines once the ages and probe counts are masked
#     (" ref 1" of entries with a running timer included);
#  4. `xneigh stats -s -j`: every counter's per-CPU values add up to its
#     total, one value per possible CPU, entries = the entries listed;
#     `xneigh stats -s` (text) prints a row per possible CPU and the total.

. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
xn_strict

MAC_H0=02:00:00:00:05:01 MAC_P0=02:00:00:00:05:02
MAC_NEW=02:00:00:00:05:21
IP_H0=10.5.0.1 IP6_H0=2001:db8:5::1
PEERS=(A B C D E)
declare -A N=([A]=11 [B]=12 [C]=13 [D]=14 [E]=15)
WAIT=15
PY=/usr/bin/python3

xn_require_root
xn_require_tools ip nft arping ndisc6 ping jq sysctl "$PY"
xn_require_build "$XN_XNEIGHD" "$XN_XNEIGH" "$XN_XDP_PASS"

xn_lab_begin
xn_ns_add HK hk
xn_ns_add PK pk
xn_ns_add HX hx
xn_ns_add PX px

# ---- the two labs, identical ----------------------------------------------------------

for pair in "$HK $PK" "$HX $PX"; do
	read -r host peer <<<"$pair"
	ip netns exec "$peer" sysctl -qw net.ipv6.conf.all.addr_gen_mode=1 \
		net.ipv6.conf.default.addr_gen_mode=1
	ip netns exec "$host" sysctl -qw net.ipv6.conf.all.router_solicitations=0 \
		net.ipv6.conf.default.router_solicitations=0
	xn_veth "$host" h0 $MAC_H0 "$peer" p0 $MAC_P0
	ip -n "$host" addr add $IP_H0/24 dev h0
	ip -n "$host" addr add $IP6_H0/64 dev h0 nodad
	ip netns exec "$host" sysctl -qw \
		net.ipv4.neigh.h0.base_reachable_time_ms=3600000 net.ipv4.neigh.h0.delay_first_probe_time=1 \
		net.ipv6.neigh.h0.base_reachable_time_ms=3600000 net.ipv6.neigh.h0.delay_first_probe_time=1
	ip netns exec "$peer" sysctl -qw net.ipv6.conf.p0.disable_ipv6=1
	for p in "${PEERS[@]}"; do
		ip -n "$peer" link add mv$p link p0 address 02:00:00:00:05:${N[$p]} type macvlan mode private
		ip -n "$peer" link set dev mv$p up
		ip -n "$peer" addr add 10.5.0.${N[$p]}/24 dev mv$p
		ip -n "$peer" addr add 2001:db8:5::${N[$p]}/64 dev mv$p nodad
	done
	xn_xdp_pass "$peer" p0 || xn_skip "native XDP on veth not available (attaching xdp_pass failed)"
done
no_tentative() { ! ip -n "$1" -6 addr show dev h0 | grep -q tentative; }
for host in "$HK" "$HX"; do
	xn_wait_for $WAIT no_tentative "$host" || xn_fail "h0's link-local address stays tentative in $host"
done

xn_nft_drop_arp_requests "$HX" || xn_skip "nftables cannot load an arp family table here"
ip netns exec "$HX" nft -f - <<'EOF' || xn_skip "nftables cannot load an ip6 table with an icmpv6 type match here"
table ip6 xn_lab {
	chain input {
		type filter hook input priority 0; policy accept;
		icmpv6 type nd-neighbor-solicit drop
	}
}
EOF

xn_daemon_start XND "$HX" xneighd "$XN_XNEIGHD" -i h0 -v
# xneighd answers both families once it has synced h0's addresses
answers()
{
	xn_daemon_alive "$XND" || xn_fail "xneighd exited early: $(cat "$(xn_daemon_log "$XND")")"
	ip netns exec "$PX" ndisc6 -1 -q -n -r 1 -w 300 -s 2001:db8:5::13 $IP6_H0 mvC >/dev/null 2>&1 &&
		ip netns exec "$PX" arping -c 1 -w 1 -I mvC -s 10.5.0.13 $IP_H0 >/dev/null 2>&1
}
xn_wait_for $WAIT answers || xn_fail "xneighd does not answer ARP and NS on h0 within ${WAIT}s"
# that probe taught both sides nothing they should keep: start both empty
sleep 0.5
ip -n "$HK" neigh flush dev h0
xn_cli "$HX" flush dev h0
ip -n "$PK" neigh flush all
ip -n "$PX" neigh flush all
[ -z "$(ip -n "$HK" neigh show dev h0)" ] && [ "$(xn_cli "$HX" show -j nud all)" = "[]" ] ||
	xn_fail "lab: the tables are not empty before the mix: $(ip -n "$HK" neigh show dev h0; xn_cli "$HX" show nud all)"
xn_ok "two identical labs; xneighd answers on the second"

# ---- the mix ---------------------------------------------------------------------------

# both CMD...: CMD in both peer namespaces at once (its status does not
# matter: a gratuitous ARP gets no answer)
both()
{
	local a b
	ip netns exec "$PK" "$@" >>"$XN_TMP/mix.k" 2>&1 &
	a=$!
	ip netns exec "$PX" "$@" >>"$XN_TMP/mix.x" 2>&1 &
	b=$!
	wait "$a" || true
	wait "$b" || true
	sleep 0.2
}

# frame arp OP SRC_MAC SRC_IP ETH_DST TARGET_MAC TARGET_IP
# frame na SRC_MAC ETH_DST SRC_IP DST_IP FLAGS(R,S,O letters or -) TARGET TLL_MAC
# One Ethernet frame out of p0 (AF_PACKET), built from these fields alone.
FRAME_PY='
import socket, struct, sys

def mac(s): return bytes(int(x, 16) for x in s.split(":"))
def ip4(s): return socket.inet_pton(socket.AF_INET, s)
def ip6(s): return socket.inet_pton(socket.AF_INET6, s)

def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff

kind, a = sys.argv[1], sys.argv[2:]
if kind == "arp":
    op, smac, sip, edst, tmac, tip = a
    frame = (mac(edst) + mac(smac) + b"\x08\x06" +
             struct.pack("!HHBBH", 1, 0x0800, 6, 4, int(op)) +
             mac(smac) + ip4(sip) + mac(tmac) + ip4(tip))
elif kind == "na":
    smac, edst, sip, dip, flags, tgt, tll = a
    bits = ((0x80000000 if "R" in flags else 0) | (0x40000000 if "S" in flags else 0) |
            (0x20000000 if "O" in flags else 0))
    icmp = struct.pack("!BBHI", 136, 0, 0, bits) + ip6(tgt) + b"\x02\x01" + mac(tll)
    pseudo = ip6(sip) + ip6(dip) + struct.pack("!I", len(icmp)) + b"\0\0\0\x3a"
    icmp = icmp[:2] + struct.pack("!H", csum(pseudo + icmp)) + icmp[4:]
    ip = struct.pack("!IHBB", 0x60000000, len(icmp), 58, 255) + ip6(sip) + ip6(dip)
    frame = mac(edst) + mac(smac) + b"\x86\xdd" + ip + icmp
else:
    sys.exit("unknown frame kind " + kind)
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(("p0", 0))
s.send(frame)
'
frame() { both "$PY" -c "$FRAME_PY" "$@"; }

mac_of() { echo "02:00:00:00:05:${N[$1]}"; }
BCAST=ff:ff:ff:ff:ff:ff ZERO=00:00:00:00:00:00 ALLNODES=33:33:00:00:00:01

both arping -c 1 -w 1 -I mvA -s 10.5.0.11 $IP_H0
both ndisc6 -1 -q -n -r 1 -w 500 -s 2001:db8:5::11 $IP6_H0 mvA
both arping -U -c 1 -w 1 -I mvB -s 10.5.0.12 10.5.0.12
both arping -c 1 -w 1 -I mvC -s 10.5.0.13 10.5.0.99
frame arp 2 02:00:00:00:05:16 10.5.0.16 $MAC_H0 $MAC_H0 $IP_H0
frame na 02:00:00:00:05:16 $ALLNODES 2001:db8:5::16 ff02::1 RO 2001:db8:5::16 02:00:00:00:05:16
both ndisc6 -1 -q -n -r 1 -w 500 -s 2001:db8:5::15 $IP6_H0 mvE
both ping -c 2 -i 0.2 -W 1 -I mvD $IP_H0
both ping -6 -c 2 -i 0.2 -W 1 -I mvD $IP6_H0
sleep 1.2	# past locktime (1 s) since A was learned; E6's probe answered
frame arp 1 $MAC_NEW 10.5.0.11 $BCAST $ZERO 10.5.0.11
frame na $MAC_NEW $ALLNODES 2001:db8:5::11 ff02::1 O 2001:db8:5::11 $MAC_NEW
frame na "$(mac_of E)" $ALLNODES 2001:db8:5::15 ff02::1 RO 2001:db8:5::15 "$(mac_of E)"

# ---- 1. the kernel's table -------------------------------------------------------------

# dst dev lladdr state router, one line per entry, sorted
norm='[.[] | "\(.dst) \(.dev // "-") \(.lladdr // "-") \(.state | join(",")) \(if has("router") then "router" else "-" end)"] | sort | .[]'
kern_table() { ip -n "$HK" -j neigh show | jq -r "$norm"; }
xn_table() { xn_cli "$HX" show -j | jq -r "$norm"; }

EXPECTED="10.5.0.11 h0 $MAC_NEW STALE -
10.5.0.14 h0 $(mac_of D) REACHABLE -
2001:db8:5::11 h0 $MAC_NEW STALE -
2001:db8:5::14 h0 $(mac_of D) REACHABLE -
2001:db8:5::15 h0 $(mac_of E) REACHABLE router"
kern_settled() { [ "$(kern_table)" = "$EXPECTED" ]; }
xn_wait_for $WAIT kern_settled ||
	xn_fail "lab: the kernel's table is not the expected one:"$'\n'"$(kern_table)"$'\n'"expected:"$'\n'"$EXPECTED"
xn_ok "the kernel's table after the mix: $(kern_table | wc -l) entries as expected"

# ---- 2. xneigh's table -----------------------------------------------------------------

same_table() { [ "$(xn_table)" = "$(kern_table)" ]; }
if ! xn_wait_for $WAIT same_table; then
	xn_fail "xneigh's table differs from the kernel's:"$'\n'"--- ip -j neigh show (kernel)"$'\n'"$(kern_table)"$'\n'"+++ xneigh show -j"$'\n'"$(xn_table)"$'\n'"$(diff <(kern_table) <(xn_table) || true)"
fi
xn_ok "xneigh's table = the kernel's: dst, dev, lladdr, state, router of $(xn_table | wc -l) entries"

# ---- 3. the listings ---------------------------------------------------------------------

# OPTIONS|WORDS
SELECTORS=(
	"|"
	"|dev h0"
	"-4|nud all"
	"|nud reachable"
	"|nud stale"
	"|nud stale nud reachable"
	"-4|"
	"-6|"
	"|to 10.5.0.12/30"
	"|to 2001:db8:5::10/126"
)
# ages and probe counts depend on when each side saw what: masked
mask_ages() { sed -E 's# used [0-9]+/[0-9]+/[0-9]+probes [0-9]+ # used A/C/Uprobes P #'; }
for sel in "${SELECTORS[@]}"; do
	for s in "" "-s"; do
		read -ra opts <<<"$s ${sel%%|*}"
		read -ra words <<<"${sel#*|}"
		kern=$(ip -n "$HK" "${opts[@]}" neigh show "${words[@]}" | mask_ages | sort)
		xn=$(xn_cli "$HX" "${opts[@]}" show "${words[@]}" | mask_ages | sort)
		[ -n "$kern" ] || xn_fail "ip ${opts[*]} neigh show ${words[*]} listed nothing: the comparison would prove nothing"
		[ "$kern" = "$xn" ] ||
			xn_fail "xneigh ${opts[*]} show ${words[*]} differs from ip ${opts[*]} neigh show ${words[*]}:"$'\n'"$(diff <(echo "$kern") <(echo "$xn") || true)"
	done
done
xn_ok "${#SELECTORS[@]} selectors (dev, nud, -4/-6, to PREFIX), plain and -s: the same lines as ip"

# ---- 4. counters per CPU -----------------------------------------------------------------

NCPUS=$(awk -F- '{ print (NF == 2 ? $2 - $1 + 1 : 1) }' /sys/devices/system/cpu/possible)
[[ $(cat /sys/devices/system/cpu/possible) =~ ^0(-[0-9]+)?$ ]] ||
	xn_skip "possible CPUs are not 0-N: $(cat /sys/devices/system/cpu/possible)"
xn_cli "$HX" stats -s -j >"$XN_TMP/stats.json"
n4=$(xn_cli "$HX" -4 show -j nud all | jq length)
n6=$(xn_cli "$HX" -6 show -j nud all | jq length)
jq -e --argjson ncpus "$NCPUS" --argjson n4 "$n4" --argjson n6 "$n6" '
	def sums_ok: . as $t | [keys[] | select(. != "entries" and . != "per_cpu")] |
		all(. as $k | $t[$k] == ([$t.per_cpu[][$k]] | add));
	(.arp_cache.per_cpu | length) == $ncpus and (.ndisc_cache.per_cpu | length) == $ncpus and
	([.arp_cache.per_cpu[].cpu] == [range($ncpus)]) and
	(.arp_cache | sums_ok) and (.ndisc_cache | sums_ok) and
	.arp_cache.entries == $n4 and .ndisc_cache.entries == $n6 and
	(.arp_cache.per_cpu[0] | has("entries") | not) and
	.arp_cache.rx_requests > 0 and .ndisc_cache.rx_ns > 0' "$XN_TMP/stats.json" >/dev/null ||
	xn_fail "xneigh stats -s -j: per-CPU values do not add up to the totals ($NCPUS CPUs, $n4 + $n6 entries): $(cat "$XN_TMP/stats.json")"
# text: header, one row per CPU with entries "-", then total
xn_cli "$HX" -4 stats -s >"$XN_TMP/stats.txt"
rows=$(awk 'NR > 2 && $1 != "total" && $1 ~ /^[0-9]+$/ && $2 == "-" { n++ } $1 == "total" { print n; exit }' "$XN_TMP/stats.txt")
[ "$rows" = "$NCPUS" ] || xn_fail "xneigh -4 stats -s: $rows CPU rows before the total, expected $NCPUS: $(head -8 "$XN_TMP/stats.txt")"
total=$(awk '$1 == "total" { print $2; exit }' "$XN_TMP/stats.txt")
[ "$total" = "$n4" ] || xn_fail "xneigh -4 stats -s: total entries $total, expected $n4"
xn_ok "xneigh stats -s: $NCPUS CPUs, per-CPU values add up to the totals, entries once in the total"
