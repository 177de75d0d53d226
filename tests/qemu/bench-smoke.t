#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# A short `make bench`, so the benchmark cannot rot: it runs, and its
# report has every figure and every plot. The figures are not judged here.
. "$(dirname "$0")/../lib/lab.sh"
lab_require
command -v gnuplot >/dev/null || { echo "1..0 # SKIP gnuplot not installed"; exit 0; }
run=$LAB_RUNS/bench-smoke
rm -rf "$run"
# Quick faults only: the heartbeat ones cost seconds each, and the
# watchdog ones go through the same parsing.
out=$("$TOP/tools/bench/run-bench" --count 200 --cycles 3 --throughput 500 --recovery 2 \
	--faults "hardfault assert host-kill" --run-dir "$run" 2>&1)
rc=$?
lab_check "run-bench exits 0 (rc $rc)" test $rc -eq 0 || printf '%s\n' "$out" | sed 's/^/# /'
csv=$run/bench/results.csv
for f in results.csv summary.md latency-cdf.png throughput.png recovery-timeline.png; do
	lab_check "bench wrote $f" test -s "$run/bench/$f"
done
for fig in lab_to_echo_ready_ms start_to_ns_ms echo_rtt_0_us echo_rtt_16_us \
	echo_rtt_128_us echo_rtt_496_us doorbell_rtt_us echo_rtt_16_ratio \
	throughput_tx_mb_s throughput_rx_mb_s throughput_tx_msgs_s throughput_rx_msgs_s \
	recovery_hardfault_ms recovery_assert_ms recovery_host-kill_ms \
	phase_hardfault_firmware_running_ms phase_hardfault_echo_channel_announced_ms \
	core_text_bytes firmware_text_bytes host_cpu_doorbell_total_us host_cpu_echo_16_total_us \
	host_cpu_doorbell_linux_vcpu_us host_cpu_echo_16_remote_main_us; do
	lab_check "results.csv has $fig" grep -q "^$fig," "$csv"
done
lab_check "200 round trips measured per size" grep -q '^echo_rtt_496_us,n,200' "$csv"
lab_check "200 bare doorbell round trips" grep -q '^doorbell_rtt_us,n,200' "$csv"
lab_check "throughput: no message failed its check either way" \
	test "$(grep -c '^throughput_.._errors,value,0' "$csv")" -eq 2
lab_check "2 recovery cycles per fault" \
	test "$(grep -c '^recovery_.*_ms,n,2' "$csv")" -eq 3
lab_check "summary has the target column" grep -q '| figure | value | target | met |' \
	"$run/bench/summary.md"
# The thread roles come from QEMU's thread names: a vCPU thread that is not
# found would leave its CPU time under "other" and the breakdown empty.
lab_check "host CPU per round trip: the Linux vCPU thread was found and ran" \
	awk -F, '$1 == "host_cpu_doorbell_linux_vcpu_us" && $3 > 0 { ok = 1 } END { exit !ok }' "$csv"
lab_check "host CPU per round trip: the remote vCPU thread was found and ran" \
	awk -F, '$1 == "host_cpu_echo_16_remote_vcpu_us" && $3 > 0 { ok = 1 } END { exit !ok }' "$csv"
lab_done
