#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Echo traffic for SECONDS (default 20) while the host starves the remote
# QEMU (tests/qemu/wdog-starvation.t): the firmware's watchdog must
# forgive every expiry the host caused, so no crash is reported and the
# echo keeps working.
. /tests/lib.sh

seconds=${1:-20}
check "remoteproc0 is running" wait_state running 30
before=$(dmesg | grep -c 'remote crash')
end=$(($(date +%s) + seconds))
rounds=0 failed=0
while [ "$(date +%s)" -lt $end ]; do
	if ! amprelay ping -c 20 -q >/tmp/ping.out 2>&1; then
		failed=$((failed + 1))
		sed 's/^/# /' /tmp/ping.out
	fi
	rounds=$((rounds + 1))
done
echo "# $rounds ping rounds of 20 echoes in $seconds s, $failed failed"
check "every ping round under starvation came back" test "$failed" -eq 0
check "no remote crash reported under starvation" \
	test "$(dmesg | grep -c 'remote crash')" -eq "$before"
if [ "$(dmesg | grep -c 'remote crash')" -ne "$before" ]; then
	dmesg | grep 'remote crash' | sed 's/^/# /'
fi
check "remoteproc0 still running" wait_state running 1
check "echo works after the starvation" amprelay echo after
