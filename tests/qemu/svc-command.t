#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
. "$(dirname "$0")/../lib/lab.sh"
lab_require
lab_run svc-command "sh /tests/svc-command.sh"
lab_check_run_dir
lab_check "the firmware logged the injected fault" grep -q "injecting fault hang" "$LAB_RUN/remote-console.log"
lab_done
