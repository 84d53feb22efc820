#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A short fuzzing campaign over the data plane (tests/fuzz, `make fuzz` for a
# long one): 20000 inputs or 20 seconds, whichever comes first, from the seeds
# the unit fixtures give, with a fixed libFuzzer seed. Every input runs once
# through xn_xdp, xn_tc_in and xn_tc_out; any invariant violation fails the
# test and leaves the input in $BUILD/fuzz/crashes/.
#
#   +------------- netns of the harness (unshare, tests/unit/lab.h) --------+
#   | xr0 02:00:00:00:00:01 10.0.0.1/24 10.0.2.1/24 2001:db8:1::1/64        |
#   |     <- every input: BPF_PROG_TEST_RUN of xn_xdp, xn_tc_in, xn_tc_out  |
#   | xo0 02:00:00:00:01:01 10.1.0.1/24 127.25.3.4/24 2001:db8:10::1/64     |
#   | lo  127.0.0.1/8 ::1                                                   |
#   +-----------------------------------------------------------------------+
#
# FUZZ_SHORT_RUNS / FUZZ_SHORT_SECONDS change the bounds.

. "$(dirname "$0")/../lib.sh"
xn_strict
xn_require_root
xn_require_build "$XN_BUILD/fuzz/xneigh-fuzz" "$XN_BUILD/fuzz/seeds/.done"

runs=${FUZZ_SHORT_RUNS:-20000}
seconds=${FUZZ_SHORT_SECONDS:-20}
rc=0
BUILD=$XN_BUILD "$XN_TOP/tests/fuzz/run.sh" --short "$runs" "$seconds" || rc=$?
[ "$rc" -eq 0 ] || xn_fail "the fuzzing campaign found an invariant violation or failed (exit $rc)"
xn_ok "no invariant violated in $runs inputs or $seconds s"
