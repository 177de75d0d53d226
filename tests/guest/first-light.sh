#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# First light: the remote runs, the echo channel is up and carries data.
. /tests/lib.sh

check "remoteproc0 is running" wait_state running 10
check "the amprelay-echo channel is announced" \
	sh -c 'grep -qx amprelay-echo /sys/bus/rpmsg/devices/*/name'
check "amprelay echo hello returns hello" sh -c '[ "$(amprelay echo hello)" = hello ]'
check "1000 echoes of every size 0..496 come back intact" \
	amprelay ping -q -c 1000 -s 0-496
check_fails "a 497-byte message is refused with EMSGSIZE" "Message too long" \
	amprelay echo -s 497
check "the channel still works after the refused write" amprelay echo still-here
check "trace0 shows the firmware's boot lines" \
	grep -q "amprelay-fw" $DBG/trace0
amprelay ping -q -c 2000 -s 16 | sed 's/^/# /'
check "ping -w 0: no warm-up, every round trip measured" \
	sh -c 'amprelay ping -q -w 0 -c 5 -o /tmp/w0.ns >/dev/null && [ "$(wc -l </tmp/w0.ns)" -eq 5 ]'
check_fails "ping -w wants a count" "ping: -w wants a count" amprelay ping -w x
amprelay ping -q -c 2000 -s 496 | sed 's/^/# /'
exit 0
