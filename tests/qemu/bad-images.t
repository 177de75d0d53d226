#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
. "$(dirname "$0")/../lib/lab.sh"
lab_require
lab_run bad-images "sh /tests/bad-images.sh"
lab_check_run_dir
lab_done
