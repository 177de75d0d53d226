# SPDX-License-Identifier: GPL-2.0-only
# Host-side helpers for QEMU scenario tests (sourced by tests/qemu/*.t).
# A scenario boots one lab, runs a guest script that prints TAP lines
# without numbers or plan, adds host-side checks, and prints the plan last.

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
B=${B:-$TOP/build}
# One directory per suite run (tests/run-tests sets it), so two suites at
# once never share a run directory.
LAB_RUNS=${LAB_RUNS:-$B/runs/test-$(date +%Y%m%d-%H%M%S)-$$}
mkdir -p "$LAB_RUNS"
LAB_TESTS=0
LAB_FAILED=0

lab_ok() {
	LAB_TESTS=$((LAB_TESTS + 1))
	echo "ok $LAB_TESTS - $*"
}

lab_not_ok() {
	LAB_TESTS=$((LAB_TESTS + 1))
	LAB_FAILED=$((LAB_FAILED + 1))
	echo "not ok $LAB_TESTS - $*"
}

# lab_check DESC CMD...: one test from a command's exit status.
lab_check() {
	local desc=$1 out
	shift
	if out=$("$@" 2>&1); then
		lab_ok "$desc"
	else
		lab_not_ok "$desc"
		printf '%s\n' "$out" | sed 's/^/# /'
	fi
}

# Skips the whole file when the lab cannot be started here.
lab_require() {
	local f
	for f in "$B/host/amprelayd" "$B/kernel/arch/arm64/boot/Image" \
		"$B/initramfs.cpio.gz" "$B/amprelay-virt.dtb" "$B/fw/bootrom.elf"; do
		if [ ! -e "$f" ]; then
			echo "1..0 # SKIP lab not built: $f missing (run make)"
			exit 0
		fi
	done
	command -v qemu-system-aarch64 >/dev/null ||
		{ echo "1..0 # SKIP qemu-system-aarch64 not installed"; exit 0; }
}

# The debug kernel (make FLAVOUR=debug, docs/debug-kernel.md) has kmemleak
# and lockdep; then every lab ends with a kmemleak scan and hands back its
# report (kmemleak.txt, written only if the scans worked) and lockdep's
# statistics, which say whether lockdep was still on at the end.
lab_debug_kernel() {
	grep -qx CONFIG_DEBUG_KMEMLEAK=y "$B/kernel/.config" 2>/dev/null
}

# Objects must be older than kmemleak's minimum age (5 s) to be reported;
# the second scan drops objects only seen unreferenced in passing.
# shellcheck disable=SC2016 # expanded by the guest's shell
LAB_KMEMLEAK_SCAN='k=/sys/kernel/debug/kmemleak
sleep 6
echo scan >$k && echo scan >$k && cat $k >/lab/kmemleak.tmp &&
	mv /lab/kmemleak.tmp /lab/kmemleak.txt
cat /proc/lockdep_stats >/lab/lockdep_stats.txt'

# lab_wait_daemon SECONDS: waits for the background amprelayd in $daemon
# (a child of this shell), sets rc to its exit status and clears daemon;
# one that overstays is SIGKILLed (rc 137).
lab_wait_daemon() {
	local i
	for ((i = 0; i < $1 * 10; i++)); do
		kill -0 "$daemon" 2>/dev/null || break
		sleep 0.1
	done
	kill -0 "$daemon" 2>/dev/null && kill -9 "$daemon"
	wait "$daemon"
	rc=$?
	daemon=""
}

# lab_run NAME GUEST-COMMAND: boots a lab in $LAB_RUNS/NAME, runs the
# command in the guest and echoes its output (numbered here as it passes).
# Sets LAB_RUN and LAB_RC.
lab_run() {
	local name=$1 cmd=$2 line
	LAB_RUN=$LAB_RUNS/$name
	rm -rf "$LAB_RUN"
	# A subshell: an exit in the command still reaches the scan.
	lab_debug_kernel && cmd="($cmd
)
rc=\$?
$LAB_KMEMLEAK_SCAN
exit \$rc"
	# LAB_SHARE: the folder shared at /share (default: the build's).
	exec 3< <("$B/host/amprelayd" run --run-dir "$LAB_RUN" \
		${LAB_SHARE:+--share "$LAB_SHARE"} --cmd "$cmd" 2>&1; echo "@@LAB-RC $?")
	while IFS= read -r line <&3; do
		case $line in
		"@@LAB-RC "*) LAB_RC=${line#@@LAB-RC } ;;
		"ok "* | "ok") LAB_TESTS=$((LAB_TESTS + 1)); echo "ok $LAB_TESTS ${line#ok }" ;;
		"not ok "* | "not ok")
			LAB_TESTS=$((LAB_TESTS + 1)); LAB_FAILED=$((LAB_FAILED + 1))
			echo "not ok $LAB_TESTS ${line#not ok }" ;;
		*) echo "# $line" ;;
		esac
	done
	exec 3<&-
}

# lab_check_no_qemu_left RUN PREFIX: every QEMU the run's event log says
# amprelayd launched has exited.
lab_check_no_qemu_left() {
	local pids p alive=""
	pids=$(python3 -c '
import json, sys
for l in open(sys.argv[1]):
    e = json.loads(l)
    if e.get("event") == "qemu_launch":
        print(e["pid"])
' "$1/events.jsonl" 2>/dev/null)
	for p in $pids; do
		kill -0 "$p" 2>/dev/null && alive="$alive $p"
	done
	# No launch in the log is a failure too: the check must see the QEMUs.
	lab_check "${2}no QEMU left running (launched: ${pids//$'\n'/ })" \
		test -n "$pids" -a -z "$alive"
}

# Host-side checks that hold for every lab run.
lab_check_run_dir() {
	local run=$LAB_RUN f
	lab_check "lab exited with the guest script's status (got $LAB_RC)" \
		test "$LAB_RC" -lt 125
	for f in linux-console.log remote-console.log events.jsonl \
		qemu-linux.cmdline qemu-remote.cmdline dmesg.txt trace0.txt; do
		lab_check "run dir has $f" test -s "$run/$f"
	done
	lab_check "event log is JSON lines" python3 -c '
import json, sys
for n, l in enumerate(open(sys.argv[1]), 1):
    json.loads(l)
' "$run/events.jsonl"
	lab_check_no_qemu_left "$run" ""
	lab_check "no socket or window file left" \
		bash -c "! ls '$run'/*.sock '$run'/window.bin 2>/dev/null | grep -q ."
	lab_check "no kernel oops, BUG or WARNING in dmesg" \
		bash -c "! grep -E 'Oops|BUG:|WARNING:|Unable to handle|Call trace' '$run/dmesg.txt'"
	if lab_debug_kernel; then
		lab_check "debug kernel: kmemleak scanned and found no leak" \
			bash -c "test -e '$run/kmemleak.txt' && ! grep -A12 . '$run/kmemleak.txt'"
		lab_check "debug kernel: lockdep still on at the end" \
			grep -qE '^ *debug_locks: +1$' "$run/lockdep_stats.txt"
	fi
}

lab_done() {
	echo "1..$LAB_TESTS"
	echo "# $((LAB_TESTS - LAB_FAILED)) passed, $LAB_FAILED failed"
	[ "$LAB_FAILED" -eq 0 ]
}
