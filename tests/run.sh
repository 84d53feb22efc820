#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run xneigh's tests and print one summary line.
#
#   tests/run.sh [all|unit|netns] [NAME...]
#
#   unit   every unit-test binary $BUILD/tests/test_* (cmocka, BPF_PROG_TEST_RUN);
#          their output is always shown, and each test case counts.
#   netns  every tests/netns/*.sh lab; output is shown only when a test fails
#          (or with V=1 / DEBUG_TESTENV=1). Exit status 0 = pass, 249 = skip.
#   NAME   run only the tests whose name (test_foo, without .sh) is given.
#
# The last line is "summary: N passed, N failed, N skipped"; the exit status is
# 1 if anything failed. Run from `make test` / `make unit`, which build first.

set -o nounset -o pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in
/*) BUILD_DIR=$BUILD ;;
*) BUILD_DIR=$TOP/$BUILD ;;
esac
export BUILD=$BUILD_DIR

SKIPPED=249
NETNS_TIMEOUT=${NETNS_TIMEOUT:-300}	# seconds; a hung lab is a failure
VERBOSE=${V:-0}
[ "${DEBUG_TESTENV:-0}" = 1 ] && VERBOSE=1

passed=0
failed=0
skipped=0
failed_names=()

usage()
{
	echo "usage: $0 [all|unit|netns] [NAME...]" >&2
	exit 2
}

what=all
case ${1:-} in
all | unit | netns) what=$1; shift ;;
-h | --help) usage ;;
esac
wanted=("$@")

selected()
{
	local n
	[ "${#wanted[@]}" -eq 0 ] && return 0
	for n in "${wanted[@]}"; do
		[ "$n" = "$1" ] && return 0
	done
	return 1
}

# Indent a block of output under its test's result line.
indent() { sed 's/^/    /'; }

# A failed lab's log, indented; a very long one (a verifier dump) keeps its
# head and its tail, where the FAIL lines are.
show_log()
{
	local n
	n=$(wc -l <"$1")
	if [ "$VERBOSE" = 1 ] || [ "$n" -le 400 ]; then
		indent <"$1"
	else
		head -n 100 "$1" | indent
		echo "    [... $((n - 300)) lines left out; V=1 shows everything ...]"
		tail -n 200 "$1" | indent
	fi
}

# ---- unit tests ---------------------------------------------------------------

# Sum the N of every cmocka summary line "[  LABEL  ] N test(s)" in a log.
cmocka_count()
{
	local n sum=0
	while read -r n; do
		sum=$((sum + n))
	done < <(sed -n "s/^\[ *$1 *\] \([0-9][0-9]*\) test(s).*/\1/p" "$2")
	echo "$sum"
}

run_unit()
{
	local bin name log rc p f s
	shopt -s nullglob
	for bin in "$BUILD_DIR"/tests/test_*; do
		[ -f "$bin" ] && [ -x "$bin" ] || continue
		name=${bin##*/}
		selected "$name" || continue
		log=$(mktemp)
		echo "==== unit: $name"
		# cmocka prints its summary on stderr; keep both, in order, and
		# force its plain format whatever the environment asks for.
		CMOCKA_MESSAGE_OUTPUT=stdout "$bin" </dev/null 2>&1 | tee "$log"
		rc=${PIPESTATUS[0]}
		p=$(cmocka_count PASSED "$log")
		f=$(cmocka_count FAILED "$log")
		s=$(cmocka_count SKIPPED "$log")
		if [ "$rc" -eq "$SKIPPED" ] && [ $((p + f + s)) -eq 0 ]; then
			# The whole binary cannot run here (it said why).
			s=1
		elif [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
			# Crashed, or failed outside any test case (group setup,
			# no summary): one failure so it cannot go unnoticed.
			echo "    $name exited with status $rc without a cmocka failure count"
			f=1
		fi
		passed=$((passed + p))
		failed=$((failed + f))
		skipped=$((skipped + s))
		[ "$f" -gt 0 ] && failed_names+=("$name")
		rm -f "$log"
	done
	shopt -u nullglob
}

# ---- network-namespace tests ----------------------------------------------------

run_netns()
{
	local t name log rc verdict
	shopt -s nullglob
	for t in "$TOP"/tests/netns/*.sh; do
		name=${t##*/}
		name=${name%.sh}
		selected "$name" || continue
		log=$(mktemp)
		printf '==== netns: %-40s ' "$name"
		# timeout signals the test's whole process group; the test's
		# EXIT trap still removes its namespaces and daemons.
		timeout -k 10 "$NETNS_TIMEOUT" bash "$t" </dev/null >"$log" 2>&1
		rc=$?
		case $rc in
		0) verdict=PASS; passed=$((passed + 1)) ;;
		"$SKIPPED") verdict=SKIP; skipped=$((skipped + 1)) ;;
		124 | 137) verdict="FAIL (timed out after ${NETNS_TIMEOUT}s)"; failed=$((failed + 1)) ;;
		*) verdict="FAIL (exit $rc)"; failed=$((failed + 1)) ;;
		esac
		echo "$verdict"
		case $verdict in
		FAIL*) failed_names+=("$name") ;;
		esac
		if [ "$VERBOSE" = 1 ] || [ "${verdict%% *}" = FAIL ]; then
			show_log "$log"
		elif [ "$verdict" = SKIP ]; then
			grep '^SKIP:' "$log" | tail -n 1 | indent
		fi
		rm -f "$log"
	done
	shopt -u nullglob
}

case $what in
all) run_unit; run_netns ;;
unit) run_unit ;;
netns) run_netns ;;
esac

[ "${#failed_names[@]}" -gt 0 ] && echo "failed: ${failed_names[*]}"
echo "summary: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
