#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# A short `make bench`, so the benchmark cannot rot: it runs, and its
# report has every figure and the plot. The figures are not judged here.
. "$(dirname "$0")/../lib/lab.sh"
lab_require
command -v gnuplot >/dev/null || { echo "1..0 # SKIP gnuplot not installed"; exit 0; }
run=$LAB_RUNS/bench-smoke
rm -rf "$run"
out=$("$TOP/tools/bench/run-bench" --count 200 --cycles 3 --run-dir "$run" 2>&1)
rc=$?
lab_check "run-bench exits 0 (rc $rc)" test $rc -eq 0 || printf '%s\n' "$out" | sed 's/^/# /'
for f in results.csv summary.md latency-cdf.png; do
	lab_check "bench wrote $f" test -s "$run/bench/$f"
done
for fig in lab_to_echo_ready_ms start_to_ns_ms echo_rtt_0_us echo_rtt_16_us \
	echo_rtt_128_us echo_rtt_496_us core_text_bytes firmware_text_bytes; do
	lab_check "results.csv has $fig" grep -q "^$fig," "$run/bench/results.csv"
done
lab_check "200 round trips measured per size" \
	grep -q '^echo_rtt_496_us,n,200' "$run/bench/results.csv"
lab_done
