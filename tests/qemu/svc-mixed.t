#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
. "$(dirname "$0")/../lib/lab.sh"
lab_require
lab_run svc-mixed "sh /tests/svc-mixed.sh"
lab_check_run_dir
lab_done
