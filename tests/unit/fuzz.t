#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# A short libFuzzer run of every harness in tests/fuzz (FUZZ_SECONDS each,
# default 12): no crash, with executions and coverage in TAP comments.
# `make fuzz SECONDS=N` runs the same harnesses for longer.
top=$(cd "$(dirname "$0")/../.." && pwd)
B=${B:-$top/build}
secs=${FUZZ_SECONDS:-12}
if ! command -v clang >/dev/null; then
	echo "1..0 # SKIP clang not installed (run tools/setup.sh)"
	exit 0
fi
if ! build_log=$(make -s -C "$top/tests/fuzz" B="$B" TOP="$top" 2>&1); then
	echo "1..1"
	echo "not ok 1 - fuzz harnesses build"
	printf '%s\n' "$build_log" | tail -n 20 | sed 's/^/# /'
	exit 0
fi
# A fixed seed: the same mutations in every run of the suite. `make fuzz`
# leaves it random to explore further.
export FUZZ_SEED=${FUZZ_SEED:-1}
exec "$top/tests/fuzz/run-fuzz" "$B/fuzz" "$secs"
