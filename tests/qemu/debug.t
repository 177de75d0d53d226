#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# make debug-fw and make debug-linux, driven by gdb-multiarch -batch
# against real labs (tools/debug/debug-lab --batch, docs/debugging.md):
#  fw:    the core stops at the firmware's reset handler when the guest
#         restarts it under gdb;
#         a 4 s halt in its main loop is no crash; after a HardFault and
#         the recovery it stops at the reset handler again.
#  linux: our module's symbols sit where the guest loaded the module; a
#         breakpoint in it is hit when the guest uses the driver.
# gdb and the guest take turns through marker files in the run directory.
. "$(dirname "$0")/../lib/lab.sh"
lab_require
command -v gdb-multiarch >/dev/null ||
	{ echo "1..0 # SKIP gdb-multiarch not installed (make setup)"; exit 0; }
[ -e "$B/kernel/vmlinux" ] ||
	{ echo "1..0 # SKIP $B/kernel/vmlinux missing (make kernel)"; exit 0; }

HALT_S=4	# > AR_HEARTBEAT_CHECK_MS + AR_WDOG_TIMEOUT_MS

# debug_run NAME MODE GUEST-SCRIPT GDB-SCRIPT: one lab under gdb. The guest
# script's TAP lines come back through the lab's output (debug-lab.log);
# gdb's output is in RUN/gdb.out.
debug_run() {
	local name=$1 mode=$2 line
	LAB_RUN=$LAB_RUNS/$name
	rm -rf "$LAB_RUN"
	mkdir -p "$LAB_RUN"
	printf '%s\n' "$3" >"$LAB_RUN/guest.sh"
	printf '%s\n' "$4" >"$LAB_RUN/test.gdb"
	"$TOP/tools/debug/debug-lab" "$mode" --run-dir "$LAB_RUN" --timeout 150 \
		--batch "$LAB_RUN/test.gdb" --cmd 'sh /lab/guest.sh' >"$LAB_RUN/gdb.out" 2>&1
	# shellcheck disable=SC2034 # read by lab_check_run_dir
	LAB_RC=$?
	while IFS= read -r line; do
		case $line in
		"ok "*) lab_ok "${line#ok - }" ;;
		"not ok "*) lab_not_ok "${line#not ok - }" ;;
		*) echo "# $line" ;;
		esac
	done <"$LAB_RUN/debug-lab.log"
	sed 's/^/# gdb: /' "$LAB_RUN/gdb.out"
}

# gdb_saw DESC PATTERN...: the patterns appear in gdb's output in order.
gdb_saw() {
	local desc=$1
	shift
	lab_check "$desc" python3 -c '
import re, sys
text = open(sys.argv[1]).read()
pos = 0
for pat in sys.argv[2:]:
    m = re.compile(pat, re.M).search(text, pos)
    if not m:
        sys.exit("not found after offset %d: %s" % (pos, pat))
    pos = m.end()
' "$LAB_RUN/gdb.out" "$@"
}

# shellcheck disable=SC2016 # expanded by the guest's shell
FW_GUEST='. /tests/lib.sh
wait_file() { n=0; while [ ! -e "$1" ] && [ $n -lt 600 ]; do sleep 0.1; n=$((n + 1)); done; [ -e "$1" ]; }
halt_logged() { dmesg | grep -q "halted by a debugger"; }
no_crash() { ! dmesg | grep "remote crash"; }
check "gdb halted the core in its main loop and let it go" wait_file /lab/fw-resumed
check "the driver paused its liveness check for the halt" halt_logged
check "no crash reported for the halt" no_crash
check "remote still running after the halt" test "$(cat $RPROC/state)" = running
check "echo works after the halt" amprelay echo after-halt
# Its reply may lose the race with the crash it causes: not checked.
amprelay fault hardfault >/dev/null 2>&1
check "recovered once gdb let the core go at the reset handler" wait_state running 60
check "exactly one crash reported" test "$(dmesg | grep -c "remote crash")" -eq 1
check "echo works after the recovery" amprelay echo after-recovery'

# The halt: the main loop's first pass, with Linux's liveness check armed
# (the firmware reported RUNNING) and the watchdog started.
FW_GDB="echo === first stop\\n
info symbol \$pc
bt
hbreak ar_wdog_feed
continue
echo === main loop stop\\n
info symbol \$pc
delete 2
shell sleep $HALT_S
echo === resuming after the halt\\n
shell touch $LAB_RUNS/debug-fw/fw-resumed
continue
echo === after the hold\\n
continue
echo === after the recovery\\n
info symbol \$pc
bt"

debug_run debug-fw fw "$FW_GUEST" "$FW_GDB"
lab_check_run_dir
gdb_saw "gdb stopped the restarted core at the reset handler" \
	'^Breakpoint 1, ar_reset_handler \(\)' '=== first stop' \
	'^ar_reset_handler in section \.text'
gdb_saw "gdb halted the core in ar_wdog_feed (the main loop)" \
	'=== main loop stop' '^ar_wdog_feed in section \.text'
gdb_saw "gdb saw Linux's hold for the recovery as SIGQUIT, with the note" \
	'=== resuming after the halt' 'SIGQUIT' 'Linux holds the remote core in reset'
gdb_saw "the reset handler breakpoint was hit again after the recovery" \
	'=== after the hold' '^Breakpoint 1, ar_reset_handler \(\)' \
	'=== after the recovery' '^ar_reset_handler in section \.text'
lab_check "amprelayd logged the debugger's halt and resume" \
	bash -c "grep -q '\"remote_halted\"' '$LAB_RUN/events.jsonl' &&
		grep -q '\"remote_resumed\"' '$LAB_RUN/events.jsonl'"
lab_check "Linux's holds were not taken for a debugger's halt" python3 -c '
import json, sys
names = [json.loads(l)["event"] for l in open(sys.argv[1])]
# After each hold (reset_assert) its release comes before any halt: the
# core stops at the reset handler only once Linux lets it boot.
asserts = [i for i, n in enumerate(names) if n == "reset_assert"]
for i in asserts:
    after = [n for n in names[i + 1:] if n in ("remote_halted", "reset_deassert")]
    if after[:1] != ["reset_deassert"]:
        sys.exit("after the hold at line %d: %s" % (i + 1, after[:2]))
sys.exit(0 if len(asserts) >= 2 else "expected the restart for gdb and the recovery")
' "$LAB_RUN/events.jsonl"

# shellcheck disable=SC2016 # expanded by the guest's shell
LINUX_GUEST='. /tests/lib.sh
wait_file() { n=0; while [ ! -e "$1" ] && [ $n -lt 900 ]; do sleep 0.1; n=$((n + 1)); done; [ -e "$1" ]; }
check "module sections published for gdb" test -s /lab/module-sections.txt
check "gdb set its breakpoint in the module" wait_file /lab/linux-bp-set
check "echo works while gdb breaks in amprelay_rproc_kick" amprelay echo under-gdb'

LINUX_GDB="info symbol amprelay_rproc_start
info address amprelay_rproc_start
break amprelay_rproc_kick
shell touch $LAB_RUNS/debug-linux/linux-bp-set
continue
echo === module breakpoint\\n
info symbol \$pc
delete"

debug_run debug-linux linux "$LINUX_GUEST" "$LINUX_GDB"
lab_check_run_dir
text=$(awk '$1 == "amprelay_rproc" && $2 == ".text" { print $3 }' "$LAB_RUN/module-sections.txt" 2>/dev/null)
lab_check "gdb put amprelay_rproc_start in the module's .text ($text)" python3 -c '
import re, sys
out = open(sys.argv[1]).read()
m = re.search(r"Symbol \"amprelay_rproc_start\" is at (0x[0-9a-f]+)", out)
text = int(sys.argv[2], 16)
sys.exit(0 if m and text <= int(m.group(1), 16) < text + 0x10000 else "no or wrong address")
' "$LAB_RUN/gdb.out" "${text:-0}"
gdb_saw "the breakpoint in the module was hit when the guest used it" \
	'=== module breakpoint' '^amprelay_rproc_kick( \+ [0-9]+)? in section \.text of .*amprelay_rproc\.ko'
lab_done
