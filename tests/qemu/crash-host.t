#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Host-side faults (freeze, kill, drop-doorbells), silent and corrupt-used,
# recovery disabled, and when the heartbeat check must stay quiet.
. "$(dirname "$0")/../lib/lab.sh"
lab_require
lab_run crash-host "sh /tests/crash-host.sh"
lab_check_run_dir
lab_check "amprelayd logged the remote's death and its restart" \
	bash -c "grep -q '\"remote_died\"' '$LAB_RUN/events.jsonl' &&
		grep -q '\"remote_restarted\"' '$LAB_RUN/events.jsonl'"
lab_check "amprelayd ctl on a directory with no lab fails with a message" \
	bash -c "out=\$('$B/host/amprelayd' ctl /nonexistent freeze 2>&1);
		[ \$? -ne 0 ] && [[ \$out == *'does not exist'* ]]"
lab_done
