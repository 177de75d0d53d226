#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The README's promise: make run CMD=... prints the command's output and
# fails when it fails. GNU make can only exit 0 or 2, so the exact status
# is checked on amprelayd itself, which make runs.
. "$(dirname "$0")/../lib/lab.sh"
lab_require
cd "$TOP" || exit 1
out=$(make -s run CMD='amprelay echo hello' RUN="$LAB_RUNS/make-run" 2>&1)
rc=$?
if [ "$out" = hello ] && [ $rc -eq 0 ]; then
	lab_ok "make run CMD='amprelay echo hello' prints exactly hello"
else
	lab_not_ok "make run CMD='amprelay echo hello' prints exactly hello (rc $rc)"
	printf '%s\n' "$out" | sed 's/^/# /'
fi
make -s run CMD='exit 3' RUN="$LAB_RUNS/make-run-fail" >/dev/null 2>&1
rc=$?
lab_check "make run CMD='exit 3' fails (make status $rc)" test $rc -ne 0
rm -rf "$LAB_RUNS/make-run-rc"
"$B/host/amprelayd" run --run-dir "$LAB_RUNS/make-run-rc" \
	--cmd 'echo to-stderr >&2; exit 3' >/dev/null 2>&1
rc=$?
lab_check "the lab exits with the guest command's status 3 (got $rc)" test $rc -eq 3
lab_check "the guest's stderr reached the console log" \
	grep -q to-stderr "$LAB_RUNS/make-run-rc/linux-console.log"
lab_done
