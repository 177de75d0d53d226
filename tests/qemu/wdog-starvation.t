#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# False watchdog alarms: the whole lab and four busy loops share one host
# CPU, and the remote QEMU is also stopped for 150 ms at a time, while the
# guest sends echo traffic. The firmware's watchdog expires again and again
# in QEMU's virtual time (which follows host time); none of that may be
# reported as a crash, and the firmware must say it forgave expiries
# (else the test starved nothing).
. "$(dirname "$0")/../lib/lab.sh"
lab_require
command -v taskset >/dev/null ||
	{ echo "1..0 # SKIP taskset (util-linux) not installed"; exit 0; }

TRAFFIC_S=20	# guest echo traffic under starvation
HOGS=4
STOP_MS=150	# each SIGSTOP of the remote QEMU
RUN_MIN_MS=50	# and the time it runs between two, at random up to
RUN_MAX_MS=300

# The last CPU we may use: the lab (AMPRELAY_CPU) and the hogs share it.
cpu=$(taskset -pc $$ | sed 's/.*: //' | tr ',' '\n' | tail -1 | sed 's/.*-//')
hogs=() stopper="" remote_pid=""

cleanup() {
	[ -n "$stopper" ] && kill "$stopper" 2>/dev/null && wait "$stopper" 2>/dev/null
	# Never leave the remote stopped, whatever ended the stopper.
	[ -n "$remote_pid" ] && kill -CONT "$remote_pid" 2>/dev/null
	for p in "${hogs[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${hogs[@]}"; do wait "$p" 2>/dev/null; done
	hogs=()
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# remote_qemu_pid RUN: the remote QEMU's pid once amprelayd launched it.
remote_qemu_pid() {
	python3 -c '
import json, sys
for l in open(sys.argv[1]):
    e = json.loads(l)
    if e.get("event") == "qemu_launch" and e.get("which") == "remote":
        print(e["pid"])
        break' "$1/events.jsonl" 2>/dev/null
}

# Stops the remote QEMU STOP_MS at a time for TRAFFIC_S from the guest
# command's start; leaves it running when it ends or is killed.
starve_remote() {
	local run=$1 pid="" end
	trap '[ -n "$pid" ] && kill -CONT "$pid" 2>/dev/null; exit 0' TERM
	# A busy host may take long to boot the lab; cleanup ends this loop
	# when the lab is over, whatever happened.
	for ((i = 0; i < 6000; i++)); do
		[ -z "$pid" ] && pid=$(remote_qemu_pid "$run")
		[ -n "$pid" ] && grep -q '"guest_cmd_begin"' "$run/events.jsonl" 2>/dev/null &&
			break
		sleep 0.1
	done
	[ -n "$pid" ] || return 0
	end=$((SECONDS + TRAFFIC_S))
	while ((SECONDS < end)) && kill -0 "$pid" 2>/dev/null; do
		sleep "0.$(printf '%03d' $((RUN_MIN_MS + RANDOM % (RUN_MAX_MS - RUN_MIN_MS))))"
		kill -STOP "$pid" 2>/dev/null || break
		sleep "0.$(printf '%03d' $STOP_MS)"
		kill -CONT "$pid" 2>/dev/null
		stops=$((stops + 1))
		# Counted as it goes: the lab may end first and cleanup kill us.
		echo "$stops" >"$run/starvation-stops"
	done
}

for ((i = 0; i < HOGS; i++)); do
	taskset -c "$cpu" bash -c 'while :; do :; done' &
	hogs+=($!)
done
LAB_RUN=$LAB_RUNS/wdog-starvation
rm -rf "$LAB_RUN"
stops=0
starve_remote "$LAB_RUN" &
stopper=$!
# lab_run sets LAB_RUN itself; the stopper polls the same directory.
AMPRELAY_CPU=$cpu lab_run wdog-starvation "sh /tests/wdog-starvation.sh $TRAFFIC_S"
remote_pid=$(remote_qemu_pid "$LAB_RUN")
cleanup

lab_check_run_dir
lab_check "the lab and $HOGS busy loops shared CPU $cpu" \
	grep -q "\"host_layout\",\"cpu\":$cpu," "$LAB_RUN/events.jsonl"
lab_check "the remote QEMU was stopped for $STOP_MS ms at least 20 times" \
	bash -c "[ \"\$(cat '$LAB_RUN/starvation-stops' 2>/dev/null)\" -ge 20 ]"
lab_check "the firmware forgave watchdog expiries the host caused" \
	grep -q 'watchdog expiry forgiven' "$LAB_RUN/remote-console.log"
echo "# $(grep -c 'watchdog expiry forgiven' "$LAB_RUN/remote-console.log" 2>/dev/null) watchdog expiries forgiven"
lab_check "no watchdog report on the remote's console" \
	bash -c "! grep -q 'FATAL' '$LAB_RUN/remote-console.log'"
lab_done
