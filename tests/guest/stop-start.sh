#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Repeated stop/start: every cycle boots the remote again and echoes.
. /tests/lib.sh

cycles=${1:-20}
bad=0
i=1
while [ $i -le "$cycles" ]; do
	if ! amprelay stop >/tmp/cycle.out 2>&1 ||
		! wait_state offline 5 ||
		! amprelay start >>/tmp/cycle.out 2>&1 ||
		! amprelay echo "cycle $i" >>/tmp/cycle.out 2>&1; then
		bad=$((bad + 1))
		echo "# cycle $i failed:"
		sed 's/^/#   /' /tmp/cycle.out
	fi
	i=$((i + 1))
done
check "$cycles stop/start cycles, each followed by an echo ($bad failed)" \
	test $bad -eq 0
check "remoteproc0 is running at the end" wait_state running 5
check "trace0 shows the last boot" grep -q "amprelay-fw" $DBG/trace0
exit 0
