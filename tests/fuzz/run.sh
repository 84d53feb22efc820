#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run a bounded libFuzzer campaign of the data-plane harness and summarise it.
#
#   tests/fuzz/run.sh [--short] RUNS SECONDS
#
#   RUNS      stop after this many inputs (0: no bound)
#   SECONDS   stop after this many seconds (0: no bound)
#   --short   the campaign of `make test`: a fixed seed and a throw-away
#             corpus, so every run starts from the unit fixtures alone
#
# Otherwise the corpus grows in $BUILD/fuzz/corpus from one campaign to the
# next. Inputs are read from $BUILD/fuzz/seeds (make fuzz-build makes both).
# The full libFuzzer log goes to $BUILD/fuzz/last.log; an input that breaks
# an invariant is saved under $BUILD/fuzz/crashes/ and can be replayed with
#   $BUILD/fuzz/xneigh-fuzz $BUILD/fuzz/crashes/crash-...
# Exit status: 0 no violation, 1 a violation or a harness failure (such as
# no privileges for the lab: it needs root), 2 usage.

set -o nounset -o pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in
/*) ;;
*) BUILD=$TOP/$BUILD ;;
esac

short=0
if [ "${1:-}" = --short ]; then
	short=1
	shift
fi
if [ $# -ne 2 ] || ! [[ $1 =~ ^[0-9]+$ ]] || ! [[ $2 =~ ^[0-9]+$ ]]; then
	echo "usage: $0 [--short] RUNS SECONDS (non-negative integers; 0 = no bound)" >&2
	exit 2
fi
runs=$1
seconds=$2

fuzzer=$BUILD/fuzz/xneigh-fuzz
seeds=$BUILD/fuzz/seeds
for f in "$fuzzer" "$seeds/.done"; do
	if [ ! -e "$f" ]; then
		echo "fuzz: $f missing: run 'make fuzz-build' first" >&2
		exit 1
	fi
done

crashes=$BUILD/fuzz/crashes
log=$BUILD/fuzz/last.log
mkdir -p "$crashes"
if [ "$short" = 1 ]; then
	corpus=$(mktemp -d "${TMPDIR:-/tmp}/xneigh-fuzz-corpus.XXXXXX")
	trap 'rm -rf "$corpus"' EXIT
	seed_opt=(-seed=1)
else
	corpus=$BUILD/fuzz/corpus
	mkdir -p "$corpus"
	seed_opt=()
fi
run_opt=()
[ "$runs" -gt 0 ] && run_opt=(-runs="$runs")

# -timeout: an input that takes longer than this is a failure (a hang);
# leaks: libbpf's objects live until exit on purpose; a small ASan quarantine
# keeps the resident size flat
ASAN_OPTIONS=detect_leaks=0:abort_on_error=1:quarantine_size_mb=16 \
	"$fuzzer" "${run_opt[@]}" -max_total_time="$seconds" "${seed_opt[@]}" \
	-dict="$TOP/tests/fuzz/xneigh.dict" -max_len=1504 -timeout=25 -detect_leaks=0 \
	-print_final_stats=1 \
	-artifact_prefix="$crashes/" "$corpus" "$seeds" >"$log" 2>&1
rc=$?

stat() { sed -n "s/^stat::$1: *\([0-9][0-9]*\).*/\1/p" "$log" | tail -n 1; }
# libFuzzer's last status line: "#N  DONE   cov: C ft: F corp: U/Sb ..."
status=$(grep -E '^#[0-9]+[[:space:]]+(DONE|pulse|NEW|REDUCE|INITED|RELOAD)' "$log" | tail -n 1)
cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$status")
ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$status")
corp=$(sed -n 's/.* corp: \([0-9]*\).*/\1/p' <<<"$status")
tally=$(grep '^xneigh-fuzz: [0-9]* inputs' "$log" | tail -n 1)

if grep -q 'INVARIANT VIOLATED' "$log"; then
	sed -n '/^==== xneigh-fuzz: INVARIANT VIOLATED/,/^==== end of report/p' "$log"
	grep -E 'Test unit written to|^artifact_prefix' "$log" | tail -n 1
	echo "fuzz: invariant violations: 1 (the campaign stops at the first); log: $log"
	exit 1
fi
if [ "$rc" -ne 0 ] || [ -z "$tally" ]; then
	tail -n 40 "$log"
	echo "fuzz: the harness failed (exit $rc); log: $log"
	exit 1
fi
echo "fuzz: ${tally#xneigh-fuzz: }"
grep '^xneigh-fuzz: replies: ' "$log" | sed 's/^xneigh-fuzz: /fuzz:   /'
echo "fuzz: $(stat number_of_executed_units) executions, $(stat average_exec_per_sec) exec/s," \
	"coverage: cov ${cov:-?} ft ${ft:-?}, corpus ${corp:-?} inputs ($(stat new_units_added) new)," \
	"peak RSS $(stat peak_rss_mb) MB"
echo "fuzz: invariant violations: 0"
exit 0
