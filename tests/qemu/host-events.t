#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Hostile or unlucky host events with a booted guest that is sending (a
# ping flood runs at the moment of each event):
#  - the Linux QEMU dies: amprelayd stops the remote, cleans its run dir
#    and exits nonzero naming the Linux QEMU and how it died;
#  - amprelayd is SIGKILLed: both QEMUs follow within seconds and a new
#    lab in the same run dir starts and echoes;
#  - amprelayd gets SIGTERM, SIGINT or SIGHUP: clean stop, 128+signal;
#  - a second amprelayd in a running lab's directory is refused without
#    touching the running lab.
# QEMUs are only ever found and killed by the pids in the run's event log:
# other labs may be running on this machine.
. "$(dirname "$0")/../lib/lab.sh"
lab_require
A=$B/host/amprelayd
FLOOD='amprelay ping -q -c 1000000 -s 0-496'

daemons=""	# every amprelayd started here, for the clean-up
qemus=""	# every QEMU pid seen in an event log here
cleanup() {
	local p
	for p in $daemons; do kill -9 "$p" 2>/dev/null; done
	for p in $qemus; do
		# Only if it is still one of our QEMUs, not a reused pid.
		grep -qa "$LAB_RUNS/" "/proc/$p/cmdline" 2>/dev/null && kill -9 "$p"
	done
}
trap cleanup EXIT

# launched RUN [WHICH]: pids of the QEMUs the run's event log says were started.
launched() {
	python3 -c '
import json, sys
for l in open(sys.argv[1]):
    e = json.loads(l)
    if e.get("event") == "qemu_launch" and sys.argv[2] in ("", e["which"]):
        print(e["pid"])
' "$1/events.jsonl" "${2:-}" 2>/dev/null
}

# A zombie has exited; only its new parent has not reaped it yet.
running() {
	kill -0 "$1" 2>/dev/null && ! grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null
}

# all_gone SECONDS PID...: polls until none of the pids runs.
all_gone() {
	local secs=$1 i p alive
	shift
	for ((i = 0; i <= secs * 10; i++)); do
		alive=""
		for p in "$@"; do running "$p" && alive="$alive $p"; done
		[ -z "$alive" ] && return 0
		sleep 0.1
	done
	echo "still running after ${secs} s:$alive"
	return 1
}

# wait_event RUN EVENT SECONDS
wait_event() {
	local i
	for ((i = 0; i < $3 * 10; i++)); do
		grep -q "\"event\":\"$2\"" "$1/events.jsonl" 2>/dev/null && return 0
		sleep 0.1
	done
	echo "no $2 event in $1/events.jsonl within $3 s"
	return 1
}

# start_lab NAME [amprelayd run options...]: a lab in the background;
# sets run, daemon; its stdout and stderr go to $run.out and $run.err.
start_lab() {
	run=$LAB_RUNS/$1
	shift
	rm -rf "$run"
	"$A" run --run-dir "$run" "$@" </dev/null >"$run.out" 2>"$run.err" &
	daemon=$!
	daemons="$daemons $daemon"
}

# Waits until the guest command runs and the flood has been going for a
# second, so the event hits a lab that is sending.
flood_running() {
	wait_event "$run" guest_cmd_begin 90 || return 1
	qemus="$qemus $(launched "$run")"
	sleep 1
	grep -q '"event":"stop"' "$run/events.jsonl" &&
		{ echo "the lab already stopped"; return 1; }
	return 0
}


no_run_files() {
	! ls "$run"/*.sock "$run/window.bin" 2>/dev/null | grep -q .
}

# gone_and_clean PID...: none of the pids runs, the run dir has no socket
# or window left.
gone_and_clean() { all_gone 0 "$@" && no_run_files; }

show() { sed 's/^/#   /' "$@" 2>/dev/null; }

# ---- 1. the Linux QEMU is killed while the guest sends -------------------
start_lab linux-dies --cmd "$FLOOD"
if flood_running; then
	linux=$(launched "$run" linux) remote=$(launched "$run" remote)
	kill -9 "$linux"
	lab_wait_daemon 30
	lab_check "Linux QEMU killed: amprelayd exits nonzero (125, got $rc)" test "$rc" -eq 125
	lab_check "its message names the Linux QEMU, its signal and pid" \
		grep -q "the Linux QEMU exited (killed by signal 9 (Killed), pid $linux)" "$run.err"
	lab_check "the exit is in the event log with the signal" \
		grep -q "\"event\":\"qemu_exit\",\"which\":\"linux\",\"pid\":$linux,.*\"signal\":9" \
		"$run/events.jsonl"
	lab_check "the remote QEMU is gone (pid $remote)" all_gone 0 $remote
	lab_check "sockets and window.bin removed" no_run_files
	lab_check "the stop event says why" \
		grep -q '"event":"stop","reason":"Linux QEMU exited early","exit_code":125' \
		"$run/events.jsonl"
else
	lab_not_ok "linux-dies: the lab never ran its command"; show "$run.err"
fi

# Interactive mode (no --cmd): exit 1, the same message.
start_lab linux-dies-interactive
if wait_event "$run" ivshmem_connected 30; then
	qemus="$qemus $(launched "$run")"
	linux=$(launched "$run" linux) remote=$(launched "$run" remote)
	kill -9 "$linux"
	lab_wait_daemon 30
	lab_check "interactive: Linux QEMU killed, exit 1 (got $rc)" test "$rc" -eq 1
	lab_check "interactive: the message names the Linux QEMU and its signal" \
		grep -q "the Linux QEMU failed (killed by signal 9 (Killed), pid $linux)" "$run.err"
	lab_check "interactive: remote gone, run dir cleaned" \
		gone_and_clean $remote
else
	lab_not_ok "linux-dies-interactive: the lab never came up"; show "$run.err"
fi

# ---- 2. amprelayd is SIGKILLed while the guest sends ---------------------
start_lab daemon-killed --cmd "$FLOOD"
if flood_running; then
	pids=$(launched "$run")
	kill -9 "$daemon"
	wait "$daemon" 2>/dev/null
	lab_check "amprelayd SIGKILLed: both QEMUs gone within 5 s ($(echo $pids))" \
		all_gone 5 $pids
	echo "# left by the killed daemon: $(cd "$run" && echo *.sock window.bin)"
	old_start=$(grep -c '"event":"start"' "$run/events.jsonl")
	# The next lab in the same run dir, over the stale sockets and window.
	"$A" run --run-dir "$run" --cmd 'amprelay echo after-sigkill' \
		</dev/null >"$run.out" 2>"$run.err"
	rc=$?
	qemus="$qemus $(launched "$run")"
	lab_check "a new lab in the same run dir starts and echoes (rc $rc)" \
		bash -c "[ $rc -eq 0 ] && grep -qx after-sigkill '$run.out'"
	[ "$rc" -eq 0 ] || show "$run.err"
	lab_check "the new lab started afresh (one start in its event log, was $old_start)" \
		test "$(grep -c '"event":"start"' "$run/events.jsonl")" -eq 1
	lab_check "the new lab left no QEMU, socket or window" \
		gone_and_clean $(launched "$run")
else
	lab_not_ok "daemon-killed: the lab never ran its command"; show "$run.err"
fi

# ---- 3. SIGTERM, with a second daemon refused first ----------------------
start_lab daemon-term --cmd "$FLOOD"
if flood_running; then
	pids=$(launched "$run")
	events_before=$(wc -l <"$run/events.jsonl")
	"$A" serve --run-dir "$run" </dev/null >"$run.second" 2>&1
	second_rc=$?
	lab_check "a second amprelayd in the running lab's dir is refused (rc $second_rc)" \
		bash -c "[ $second_rc -ne 0 ] && grep -q 'run directory $run is in use by another process (an amprelayd)' '$run.second'"
	lab_check "the refusal left the running lab's window, sockets and log alone" \
		bash -c "ls '$run'/ivshmem.sock '$run'/uart1.sock '$run'/qmp-remote.sock >/dev/null &&
			[ \$(stat -c %s '$run/window.bin') -gt 0 ] &&
			[ \$(wc -l <'$run/events.jsonl') -ge $events_before ] &&
			head -1 '$run/events.jsonl' | grep -q '\"event\":\"start\"'"
	lab_check "the running lab still runs" kill -0 "$daemon"
	kill -TERM "$daemon"
	lab_wait_daemon 20
	lab_check "SIGTERM: exit 143 (got $rc)" test "$rc" -eq 143
	lab_check "SIGTERM: the message names the signal and the run dir" \
		grep -q "SIGTERM received, stopping the lab (run dir $run)" "$run.err"
	lab_check "SIGTERM: both QEMUs gone when amprelayd has exited" all_gone 0 $pids
	lab_check "SIGTERM: sockets and window.bin removed" no_run_files
	lab_check "SIGTERM: the stop event records the signal" \
		grep -q '"event":"stop","reason":"signal","exit_code":143' "$run/events.jsonl"
else
	lab_not_ok "daemon-term: the lab never ran its command"; show "$run.err"
fi

# ---- 4. SIGINT and SIGHUP: the same clean stop, here before Linux boots --
for sig in INT HUP; do
	start_lab "daemon-$sig" --cmd true
	if wait_event "$run" ivshmem_connected 30; then
		pids=$(launched "$run")
		qemus="$qemus $pids"
		kill -"$sig" "$daemon"
		lab_wait_daemon 20
		want=$((128 + $(kill -l "$sig")))
		lab_check "SIG$sig: exit $want (got $rc)" test "$rc" -eq "$want"
		lab_check "SIG$sig: both QEMUs gone, sockets and window.bin removed" \
			gone_and_clean $pids
	else
		lab_not_ok "daemon-$sig: the lab never came up"; show "$run.err"
	fi
done

for n in linux-dies linux-dies-interactive daemon-killed daemon-term \
	daemon-INT daemon-HUP; do
	rm -f "$LAB_RUNS/$n.out" "$LAB_RUNS/$n.err" "$LAB_RUNS/$n.second"
done
lab_done
