# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Shared helpers for xneigh's network-namespace tests and the demo.
# Sourced, never run. A test script does:
#
#   . "$(dirname "$0")/../lib.sh"
#   xn_require_root
#   xn_require_tools ip nft arping
#   xn_lab_begin                      # trap cleanup on EXIT, temp dir
#   xn_ns_add HOST host               # HOST=xn-host-$$
#   ...
#
# Conventions (tests/run.sh relies on them):
#   exit 0    pass
#   exit 249  skipped; the last line starting "SKIP:" says why
#   other     fail; "FAIL:" lines say what
# Namespaces are named xn-<role>-$$ so parallel runs do not clash, and are
# deleted on exit together with every daemon started through xn_daemon_start.
# DEBUG_TESTENV=1 leaves the lab up and prints how to enter it.

XN_SKIP=249

XN_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# BUILD may be relative to the top of the tree (make passes BUILD=build).
BUILD=${BUILD:-build}
case $BUILD in
/*) XN_BUILD=$BUILD ;;
*) XN_BUILD=$XN_TOP/$BUILD ;;
esac
XN_XNEIGHD=$XN_BUILD/xneighd
XN_XNEIGH=$XN_BUILD/xneigh
XN_BPF_OBJ=$XN_BUILD/xneigh.bpf.o
XN_XDP_PASS=$XN_BUILD/tests/xdp_pass.bpf.o

XN_NETNS=()		# namespaces to delete on exit
XN_DAEMONS=()		# "pid:name:logfile" of background daemons
XN_TMP=
XN_DEBUG=${DEBUG_TESTENV:-0}

# ---- messages and verdicts ------------------------------------------------

xn_info() { printf '%s\n' "$*"; }
xn_ok() { printf 'ok: %s\n' "$*"; }
xn_skip() { printf 'SKIP: %s\n' "$*"; exit "$XN_SKIP"; }
xn_fail() { XN_FAIL_SAID=1; printf 'FAIL: %s\n' "$*" >&2; exit 1; }
XN_FAIL_SAID=0

# Strict mode for test scripts: stop at the first unchecked failure and say
# which command it was. (No errtrace: an ERR trap inherited into $(...) would
# fire for commands whose failure is an expected answer.)
xn_strict()
{
	set -o errexit -o nounset -o pipefail
	trap 'xn__on_err "$LINENO"' ERR
}

xn__on_err()
{
	local rc=$?	# first: the failed command's status
	XN_FAIL_SAID=1
	printf 'FAIL: line %s: "%s" exited with status %s\n' "$1" "$BASH_COMMAND" "$rc" >&2
}

# ---- prerequisites (missing -> skip, never pass) -------------------------

xn_require_root()
{
	[ "$(id -u)" -eq 0 ] || xn_skip "needs root (CAP_NET_ADMIN, CAP_BPF, CAP_SYS_ADMIN)"
}

xn_require_tools()
{
	local t
	for t in "$@"; do
		command -v "$t" >/dev/null 2>&1 || xn_skip "required tool '$t' not found (make deps installs it)"
	done
}

# Build outputs are produced by `make test-build`; their absence is a broken
# build, not a missing feature, so it fails.
xn_require_build()
{
	local f
	for f in "$@"; do
		[ -e "$f" ] || xn_fail "$f missing: run 'make test-build' first"
	done
}

# ---- lab lifecycle ----------------------------------------------------------

xn_lab_begin()
{
	XN_TMP=$(mktemp -d "${TMPDIR:-/tmp}/xneigh-test.XXXXXX")
	trap 'xn__cleanup' EXIT
	trap 'XN_FAIL_SAID=1; echo "FAIL: interrupted (SIGINT)" >&2; exit 130' INT
	trap 'XN_FAIL_SAID=1; echo "FAIL: terminated (SIGTERM, timeout?)" >&2; exit 143' TERM
}

xn__print_debug_help()
{
	local ns d
	printf '\nDEBUG_TESTENV=1: the lab is left up.\n'
	for ns in "${XN_NETNS[@]}"; do
		printf '  enter:   ip netns exec %s bash\n' "$ns"
	done
	for d in "${XN_DAEMONS[@]}"; do
		IFS=: read -r pid name log <<<"$d"
		printf '  daemon:  %s pid %s, log %s\n' "$name" "$pid" "$log"
	done
	printf '  remove:  '
	for d in "${XN_DAEMONS[@]}"; do
		printf 'kill %s; ' "${d%%:*}"
	done
	for ns in "${XN_NETNS[@]}"; do
		printf 'ip netns del %s; ' "$ns"
	done
	printf 'rm -rf %s\n' "$XN_TMP"
}

xn__cleanup()
{
	local rc=$? cmd=$BASH_COMMAND d pid name log ns
	trap - ERR
	set +o errexit

	# errexit inside a function ends the script without the ERR trap.
	if [ "$rc" -ne 0 ] && [ "$rc" -ne "$XN_SKIP" ] && [ "$XN_FAIL_SAID" = 0 ]; then
		printf 'FAIL: "%s" exited with status %s\n' "$cmd" "$rc" >&2
	fi

	if [ "$XN_DEBUG" = 1 ]; then
		xn__print_debug_help
		exit "$rc"
	fi
	for d in "${XN_DAEMONS[@]}"; do
		IFS=: read -r pid name log <<<"$d"
		xn__stop_pid "$pid"
		# A failing test shows what its daemons said.
		if [ "$rc" -ne 0 ] && [ "$rc" -ne "$XN_SKIP" ] && [ -s "$log" ]; then
			printf -- '--- %s log (last 40 lines) ---\n' "$name"
			tail -n 40 "$log"
		fi
	done
	for ns in "${XN_NETNS[@]}"; do
		ip netns del "$ns" 2>/dev/null
	done
	[ -n "$XN_TMP" ] && rm -rf "$XN_TMP"
	exit "$rc"
}

# A new namespace inherits net.ipv4.conf.{all,default}.* from the initial
# one (e.g. rp_filter=2 from systemd's sysctl.d, arp_ignore=1 on LVS-DR
# hosts); labs start from the kernel's built-in defaults instead.
XN_LAB_SYSCTLS=(arp_ignore=0 arp_announce=0 arp_filter=0 arp_accept=0 rp_filter=0
		proxy_arp=0 proxy_arp_pvlan=0 drop_gratuitous_arp=0 route_localnet=0)

# xn_ns_add VAR ROLE: create namespace xn-ROLE-$$ with the kernel's default
# IPv4 ARP settings and lo up; store its name in VAR.
xn_ns_add()
{
	local var=$1 ns="xn-$2-$$" kv args=()
	ip netns add "$ns"
	XN_NETNS+=("$ns")
	for kv in "${XN_LAB_SYSCTLS[@]}"; do
		args+=("net.ipv4.conf.all.$kv" "net.ipv4.conf.default.$kv")
	done
	ip netns exec "$ns" sysctl -qw "${args[@]}" >/dev/null
	ip -n "$ns" link set dev lo up
	printf -v "$var" '%s' "$ns"
}

# xn_veth NS1 DEV1 MAC1 NS2 DEV2 MAC2: a veth pair between two namespaces, up.
xn_veth()
{
	ip -n "$1" link add "$2" address "$3" type veth peer name "$5" address "$6" netns "$4"
	ip -n "$1" link set dev "$2" up
	ip -n "$4" link set dev "$5" up
}

# The kernel of a namespace with this ruleset no longer sees ARP requests;
# replies still reach it, so it can resolve its peers itself.
XN_NFT_DROP_ARP_REQUESTS='table arp xn_lab {
	chain input {
		type filter hook input priority 0; policy accept;
		arp operation request drop
	}
}'

# xn_nft_drop_arp_requests NS: load XN_NFT_DROP_ARP_REQUESTS in NS.
xn_nft_drop_arp_requests()
{
	ip netns exec "$1" nft -f - <<<"$XN_NFT_DROP_ARP_REQUESTS"
}

# xn_xdp_pass NS DEV: an XDP_PASS program on the peer of a device that answers
# with XDP_TX; veth drops XDP_TX frames otherwise (environment.md trap 1).
xn_xdp_pass()
{
	ip -n "$1" link set dev "$2" xdp obj "$XN_XDP_PASS" sec xdp
}

# ---- daemons ------------------------------------------------------------------

# xn_daemon_start VAR NS NAME CMD...: run CMD inside NS in the background,
# output to $XN_TMP/NAME.log; the pid goes into VAR.
xn_daemon_start()
{
	local var=$1 ns=$2 name=$3 log
	shift 3
	log="$XN_TMP/$name.log"
	ip netns exec "$ns" "$@" </dev/null >"$log" 2>&1 &
	XN_DAEMONS+=("$!:$name:$log")
	printf -v "$var" '%s' "$!"
}

xn_daemon_alive() { kill -0 "$1" 2>/dev/null; }

# SIGTERM, then SIGKILL after 5 s. The exit status goes into XN_STOP_RC
# ("killed" if SIGTERM was not enough); returns 1 in that case. Runs in the
# shell that started the process (wait only knows its own children), so call
# it directly, never inside $(...).
xn__stop_pid()
{
	local pid=$1 i
	if ! kill -TERM "$pid" 2>/dev/null; then
		wait "$pid" 2>/dev/null && XN_STOP_RC=0 || XN_STOP_RC=$?
		return 0
	fi
	for ((i = 0; i < 50; i++)); do
		xn_daemon_alive "$pid" || break
		sleep 0.1
	done
	if xn_daemon_alive "$pid"; then
		kill -KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		XN_STOP_RC=killed
		return 1
	fi
	wait "$pid" 2>/dev/null && XN_STOP_RC=0 || XN_STOP_RC=$?
	return 0
}

# xn_daemon_stop PID: stop one daemon started by xn_daemon_start; its exit
# status goes into XN_STOP_RC. Returns 1 if SIGTERM did not stop it in 5 s.
xn_daemon_stop()
{
	local pid=$1 d keep=() ret=0
	xn__stop_pid "$pid" || ret=1
	for d in "${XN_DAEMONS[@]}"; do
		[ "${d%%:*}" = "$pid" ] || keep+=("$d")
	done
	XN_DAEMONS=("${keep[@]}")
	return "$ret"
}

# xn_daemon_log PID: path of the daemon's log.
xn_daemon_log()
{
	local d pid name log
	for d in "${XN_DAEMONS[@]}"; do
		IFS=: read -r pid name log <<<"$d"
		[ "$pid" = "$1" ] && { echo "$log"; return 0; }
	done
	return 1
}

# ---- polling ----------------------------------------------------------------------

# xn_wait_for SECONDS CMD...: run CMD every 0.2 s until it succeeds; 1 on timeout.
xn_wait_for()
{
	local secs=$1 deadline
	shift
	deadline=$((SECONDS + secs))
	while :; do
		"$@" && return 0
		[ "$SECONDS" -ge "$deadline" ] && return 1
		sleep 0.2
	done
}

# ---- ARP from a peer --------------------------------------------------------

# xn_arping NS DEV TARGET [COUNT [DEADLINE]]: send ARP requests from NS; output
# in XN_ARPING_OUT; 0 if at least one reply came back.
xn_arping()
{
	local count=${4:-1} deadline=${5:-1}
	XN_ARPING_OUT=$(ip netns exec "$1" arping -c "$count" -w "$deadline" -I "$2" "$3" 2>&1)
}

# xn_arping_from_mac NS DEV TARGET MAC: a reply came back and it names MAC.
xn_arping_from_mac()
{
	xn_arping "$1" "$2" "$3" 1 1 || return 1
	grep -qi "reply from $3 \[$4\]" <<<"$XN_ARPING_OUT"
}

# xn_arping_unanswered NS DEV TARGET: three requests over 3 s, no reply.
xn_arping_unanswered()
{
	! xn_arping "$1" "$2" "$3" 3 3
}

# ---- BPF objects: find maps through the program attached to a device -------
# (`bpftool map dump name` would also match other xneigh instances on the
# machine; ids reached from our own interface's program are unambiguous.)

# xn_xdp_prog_id NS DEV: id of the XDP program on DEV (empty if none).
xn_xdp_prog_id()
{
	ip -n "$1" -j link show dev "$2" | jq -r '.[0].xdp.prog.id // empty'
}

# xn_xdp_mode NS DEV: "xdp" (native), "xdpgeneric", "xdpoffload" or "" (none).
xn_xdp_mode()
{
	ip -n "$1" -j link show dev "$2" |
		jq -r '.[0].xdp.mode // empty | if . == 1 then "xdp" elif . == 2 then "xdpgeneric" elif . == 3 then "xdpoffload" else "xdp-multi" end'
}

# xn_tc_prog NS DEV ingress|egress FIELD: FIELD (id or name) of each bpf filter's program.
xn_tc_prog()
{
	{ tc -n "$1" -j filter show dev "$2" "$3" 2>/dev/null || echo '[]'; } |
		jq -r --arg f "$4" '.[] | .options.prog[$f] // empty'
}

# xn_prog_map_id PROG_ID MAP_NAME: id of the map of that name the program uses.
xn_prog_map_id()
{
	local id
	for id in $(bpftool -j prog show id "$1" | jq -r '.map_ids[]?'); do
		if [ "$(bpftool -j map show id "$id" | jq -r .name)" = "$2" ]; then
			echo "$id"
			return 0
		fi
	done
	return 1
}

# xn_map_stat MAP_ID FIELD [SLOT]: FIELD of struct xn_stats summed over CPUs
# (slot 0 = ARP, 1 = ND), read from the BTF-formatted dump.
xn_map_stat()
{
	bpftool -j map dump id "$1" |
		jq --arg f "$2" --argjson k "${3:-0}" \
			'[.[] | .formatted | select(.key == $k) | .values[].value[$f]] |
			 if length == 0 or any(. == null) then error("no counter \($f) in slot \($k)") else add end'
}

# ---- the xneigh CLI, run inside a namespace -------------------------------------

# xn_cli NS ARGS...: build/xneigh inside NS (it finds the maps through the
# programs attached there, so no bpffs mount is needed).
xn_cli() { local ns=$1; shift; ip netns exec "$ns" "$XN_XNEIGH" "$@"; }

# xn_snap_current NS: the data plane's snapshot (xn_snap) in NS is published
# and holds what xn_ifconf and xn_local4 hold (`xneigh status -j`): what the
# hash maps say is then what the data plane reads.
xn_snap_current()
{
	xn_cli "$1" -j status |
		jq -e '.maps[] | select(.name == "xn_snap") | .snapshot.current == true' >/dev/null
}

# xn_cli_stat NS FIELD: ARP counter FIELD from `xneigh stats -j`
# ({"arp_cache": {"entries": N, "allocs": N, ...}, ...}, named after
# /proc/net/stat/arp_cache). Fails if the counter is missing.
xn_cli_stat()
{
	xn_cli "$1" stats -j | jq -e --arg f "$2" '.arp_cache[$f] | numbers'
}

# xn_cli_neigh NS DST DEV: the `xneigh show -j` entry for DST on DEV, compact JSON.
xn_cli_neigh()
{
	xn_cli "$1" show -j | jq -c --arg d "$2" --arg v "$3" '.[] | select(.dst == $d and .dev == $v)'
}
