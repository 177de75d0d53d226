#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# 100 crash/recovery cycles over mixed faults; no failure, no kernel
# warning, no memory loss. Prints detection and recovery p50/p99 per fault.
. "$(dirname "$0")/../lib/lab.sh"
lab_require
lab_run crash-cycles "sh /tests/crash-cycles.sh ${CRASH_CYCLES:-100}"
lab_check_run_dir
"$TOP/tools/crash-stats" "$LAB_RUN/linux-console.log" | sed 's/^/# /'
lab_done
