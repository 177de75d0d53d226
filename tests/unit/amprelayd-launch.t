#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# amprelayd run with the real QEMUs: both accept the generated command
# lines and connect (UART1, QMP, ivshmem greeting), and the supervisor
# never leaves a QEMU behind, whichever process dies first.
#
# The guest never runs here: the kernel, initramfs and boot ROM are
# placeholder files in a scratch build dir (QEMU loads them as raw images;
# the remote stays held by -S). Booting real images is tests/qemu/'s job.
. "$(dirname "$0")/../lib/lab.sh"
A=$B/host/amprelayd
if [ ! -x "$A" ]; then
	echo "1..0 # SKIP $A not built (make host)"
	exit 0
fi
for q in qemu-system-aarch64 qemu-system-arm; do
	command -v $q >/dev/null || { echo "1..0 # SKIP $q not installed"; exit 0; }
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/amprelayd-launch.XXXXXX")
daemon=""
cleanup() {
	[ -n "$daemon" ] && kill -9 "$daemon" 2>/dev/null
	for p in $(launched_pids); do kill -9 "$p" 2>/dev/null; done
	rm -rf "$tmp"
}
trap cleanup EXIT

build=$tmp/build
mkdir -p "$build/kernel/arch/arm64/boot" "$build/fw"
head -c 65536 /dev/zero >"$build/kernel/arch/arm64/boot/Image"
head -c 4096 /dev/zero >"$build/initramfs.cpio.gz"
head -c 1024 /dev/zero >"$build/fw/bootrom.elf"
"$A" dumpdtb "$build/amprelay-virt.dtb" || { echo "Bail out! dumpdtb failed"; exit 1; }

run=""		# the run dir of the current case
events() { cat "$run/events.jsonl" 2>/dev/null; }
launched_pids() {
	[ -n "$run" ] && events | sed -n 's/.*"event":"qemu_launch".*"pid":\([0-9]*\).*/\1/p'
}
pid_of() { events | sed -n "s/.*\"event\":\"qemu_launch\",\"which\":\"$1\",\"pid\":\([0-9]*\).*/\1/p"; }
# wait_for EVENT SECONDS
wait_for() {
	local i
	for ((i = 0; i < $2 * 10; i++)); do
		events | grep -q "\"event\":\"$1\"" && return 0
		sleep 0.1
	done
	return 1
}
no_qemu_left() {
	local p alive=""
	sleep 0.2
	for p in $(launched_pids); do
		# A zombie is dead; only its new parent has not reaped it yet.
		kill -0 "$p" 2>/dev/null && ! grep -q '^State:.*Z' "/proc/$p/status" 2>/dev/null &&
			alive="$alive $p"
	done
	[ -z "$alive" ] || { echo "still running:$alive"; return 1; }
}
clean_run_dir() {
	! ls "$run"/*.sock "$run/window.bin" 2>/dev/null | grep -q .
}
# start_bg ARGS...: the daemon in the background, stderr to $tmp/err.
start_bg() {
	"$A" run --build "$build" --run-dir "$run" "$@" </dev/null >"$tmp/out" 2>"$tmp/err" &
	daemon=$!
}

# 1. Everything connects; the --timeout expiry ends it with 125.
run="$tmp/run one,x"
timeout 60 "$A" run --build "$build" --run-dir "$run" --cmd true --timeout 3 \
	</dev/null >"$tmp/out" 2>"$tmp/err"
rc=$?
lab_check "--timeout expiry: exit 125 (got $rc)" test $rc -eq 125
lab_check "the message says so and names the run dir" \
	grep -q "timed out after 3 s.*run dir $run" "$tmp/err"
lab_check "nothing on stdout without the command's markers" test ! -s "$tmp/out"
for e in uart_connected qmp_connected ivshmem_connected; do
	lab_check "both QEMUs started and connected: $e" grep -q "\"event\":\"$e\"" "$run/events.jsonl"
done
lab_check "the Linux QEMU starts only after the remote's QMP is up" \
	bash -c "events() { cat '$run/events.jsonl'; }; \
		[ \$(events | grep -n '\"qmp_connected\"' | cut -d: -f1) -lt \
		  \$(events | grep -n '\"which\":\"linux\"' | head -1 | cut -d: -f1) ]"
lab_check "both exits logged" test "$(events | grep -c '"event":"qemu_exit"')" -eq 2
lab_check "guest-cmd holds the command" grep -qx true "$run/guest-cmd"
lab_check "no QEMU left" no_qemu_left
lab_check "sockets and window.bin removed, logs kept" \
	bash -c "! ls '$run'/*.sock '$run/window.bin' 2>/dev/null | grep -q . && test -e '$run/qemu-remote.log'"

# 2. The remote QEMU dies while Linux runs: amprelayd tells Linux and starts
# it again, held in reset (issue 3); the lab goes on.
run=$tmp/run-remote-dies
start_bg --cmd true --timeout 60
if wait_for ivshmem_connected 20; then
	first=$(pid_of remote)
	kill -9 "$first"
	lab_check "remote QEMU killed: the death is logged" wait_for remote_died 10
	lab_check "a new remote QEMU is started and connects" wait_for remote_restarted 20
	lab_check "the new one is another process" \
		test "$(pid_of remote | tail -1)" != "$first"
	lab_check "the note names the remote QEMU" grep -q "the remote QEMU died.*starting it again" "$tmp/err"
	lab_check "the lab is still running" kill -0 "$daemon"
	kill -TERM "$daemon"
	lab_wait_daemon 15
	lab_check "SIGTERM then ends it: exit 143 (got $rc)" test $rc -eq 143
	lab_check "no QEMU left, the restarted one included" no_qemu_left
	lab_check "run dir cleaned" clean_run_dir
else
	lab_not_ok "remote-dies case: the lab never came up"; sed 's/^/# /' "$tmp/err"
fi

# 3. The Linux QEMU dies before the command's END marker.
run=$tmp/run-linux-dies
start_bg --cmd true --timeout 60
if wait_for ivshmem_connected 20; then
	kill -9 "$(pid_of linux)"
	lab_wait_daemon 15
	lab_check "Linux QEMU killed: exit 125 (got $rc)" test $rc -eq 125
	lab_check "the message says it exited before the command finished" \
		grep -q "Linux QEMU exited.*before the guest command finished" "$tmp/err"
	lab_check "the remote QEMU is stopped too" no_qemu_left
else
	lab_not_ok "linux-dies case: the lab never came up"; sed 's/^/# /' "$tmp/err"
fi

# 4. SIGTERM in interactive mode; no stale guest-cmd is left for the guest.
run=$tmp/run-sigterm
mkdir -p "$run" && echo 'stale' >"$run/guest-cmd"
start_bg
if wait_for ivshmem_connected 20; then
	lab_check "interactive mode removes a stale guest-cmd" test ! -e "$run/guest-cmd"
	kill -TERM "$daemon"
	lab_wait_daemon 15
	lab_check "SIGTERM: exit 143 (got $rc)" test $rc -eq 143
	lab_check "SIGTERM: no QEMU left" no_qemu_left
	lab_check "SIGTERM: run dir cleaned" clean_run_dir
	lab_check "the stop event records the signal" \
		grep -q '"event":"stop","reason":"signal","exit_code":143' "$run/events.jsonl"
else
	lab_not_ok "sigterm case: the lab never came up"; sed 's/^/# /' "$tmp/err"
fi

# 5. amprelayd killed outright: the QEMUs follow it (PR_SET_PDEATHSIG).
run=$tmp/run-sigkill
start_bg --cmd true --timeout 60
if wait_for ivshmem_connected 20; then
	kill -9 "$daemon"
	wait "$daemon" 2>/dev/null
	daemon=""
	sleep 1
	lab_check "amprelayd SIGKILLed: its QEMUs die with it" no_qemu_left
else
	lab_not_ok "sigkill case: the lab never came up"; sed 's/^/# /' "$tmp/err"
fi

# 6. The default run dir and runs/latest.
run=""
timeout 60 "$A" run --build "$build" --cmd true --timeout 1 </dev/null >/dev/null 2>"$tmp/err"
latest=$(readlink "$build/runs/latest")
lab_check "default run dir is BUILD/runs/<stamp>-<pid>, runs/latest points to it" \
	bash -c "[[ '$latest' =~ ^[0-9]{8}-[0-9]{6}-[0-9]+$ ]] && test -s '$build/runs/$latest/events.jsonl'"
run=$build/runs/$latest
lab_check "default run: no QEMU left" no_qemu_left
lab_done
