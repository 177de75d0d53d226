#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Command service: every operation, every malformed request answered with
# its error status (never silence), the counters, and a fault acknowledged
# before it runs.
. /tests/lib.sh

# raw HEX STATUS: the reply to these bytes carries STATUS.
raw_status() {
	out=$(amprelay cmd raw "$1" 2>&1)
	echo "$out"
	echo "$out" | grep -q "status $2 "
}

# Request headers, little-endian: magic "ACMD", seq, op, status, len, reserved.
MAGIC=41434d44
SEQ=2a000000

check "remoteproc0 is running" wait_state running 10
check "amprelay-cmd is announced" sh -c 'grep -qx amprelay-cmd /sys/bus/rpmsg/devices/*/name'
check "version names the firmware and its build id" \
	sh -c 'amprelay cmd version | grep -Eq "^amprelay-fw build [0-9a-f]{8} protocol 1 boot [0-9]+$"'
check "uptime grows" sh -c '
	a=$(amprelay cmd uptime | sed "s/ s,.*//;s/uptime //;s/\.//")
	sleep 0.2
	b=$(amprelay cmd uptime | sed "s/ s,.*//;s/uptime //;s/\.//")
	[ "$b" -gt "$a" ]'
check "get telemetry-period-us shows the default" \
	sh -c '[ "$(amprelay cmd get telemetry-period-us)" = "telemetry-period-us = 100000" ]'
check "set echo-delay-ms 20 then get returns 20" sh -c '
	amprelay cmd set echo-delay-ms 20 >/dev/null &&
	[ "$(amprelay cmd get echo-delay-ms)" = "echo-delay-ms = 20" ]'
check "echo still answers with the delay" sh -c '[ "$(amprelay echo slow)" = slow ]'
check "set echo-delay-ms 0" amprelay cmd set echo-delay-ms 0
check "set log-level 2" amprelay cmd set log-level 2
check "set log-level 1" amprelay cmd set log-level 1
check_fails "a period below 1 ms is refused by the firmware" "value out of range" \
	amprelay cmd set telemetry-period-us 999
check_fails "a period above 10 s is refused by the firmware" "value out of range" \
	amprelay cmd set telemetry-period-us 10000001
check_fails "log-level 3 is refused" "value out of range" amprelay cmd set log-level 3
check_fails "an unknown parameter name is refused by the tool" "unknown parameter" \
	amprelay cmd get no-such-param
check_fails "an unknown operation is refused by the tool" "unknown operation" \
	amprelay cmd reboot
check_fails "an unknown fault type is refused by the tool" "unknown fault type" \
	amprelay fault no-such-fault

# Malformed requests straight to the channel: each gets its status.
check "zero-length request: status 1" raw_status "" 1
check "3-byte request: status 1" raw_status "41434d" 1
check "15-byte request: status 1" raw_status "$MAGIC ${SEQ} 0100 0000 0000 00" 1
check "bad magic: status 2" raw_status "41434d45 $SEQ 0100 0000 0000 0000" 2
check "nonzero status in a request: status 3" raw_status "$MAGIC $SEQ 0100 0100 0000 0000" 3
check "nonzero reserved: status 3" raw_status "$MAGIC $SEQ 0100 0000 0000 0100" 3
check "len beyond the message: status 4" raw_status "$MAGIC $SEQ 0100 0000 0400 0000" 4
check "trailing bytes after the body: status 4" raw_status "$MAGIC $SEQ 0100 0000 0000 0000 ff" 4
check "len 0xffff: status 4" raw_status "$MAGIC $SEQ 0100 0000 ffff 0000" 4
check "opcode 0: status 5" raw_status "$MAGIC $SEQ 0000 0000 0000 0000" 5
check "opcode 99: status 5" raw_status "$MAGIC $SEQ 6300 0000 0000 0000" 5
check "a reply sent as a request: status 5" raw_status "$MAGIC $SEQ 0180 0000 0000 0000" 5
check "version with a body: status 6" raw_status "$MAGIC $SEQ 0100 0000 0100 0000 00" 6
check "get without an id: status 6" raw_status "$MAGIC $SEQ 0400 0000 0000 0000" 6
check "set with a short body: status 6" raw_status "$MAGIC $SEQ 0500 0000 0400 0000 01000000" 6
check "get parameter 0: status 7" raw_status "$MAGIC $SEQ 0400 0000 0400 0000 00000000" 7
check "get parameter 200: status 7" raw_status "$MAGIC $SEQ 0400 0000 0400 0000 c8000000" 7
check "fault type 0: status 8" raw_status "$MAGIC $SEQ 0600 0000 0400 0000 00000000" 8
check "fault type 77: status 8" raw_status "$MAGIC $SEQ 0600 0000 0400 0000 4d000000" 8
check "a 496-byte garbage request: status 2" \
	raw_status "$(head -c 496 /dev/zero | od -An -v -tx1 | tr -d ' \n' | sed 's/^00/ff/')" 2
check_fails "a 497-byte request is refused by the kernel" "Message too long" \
	amprelay cmd raw "$(head -c 497 /dev/zero | od -An -v -tx1 | tr -d ' \n')"
check "the service still answers after the bad requests" amprelay cmd version
check "stats count the 20 malformed requests and 3 range errors as errors" sh -c '
	amprelay cmd stats | awk "\$1 == \"amprelay-cmd\" { exit !(\$8 == 23) }"'
check "100 requests at 100 Hz on one channel, none failed" \
	amprelay cmd -r 100 -i 10 uptime
amprelay cmd stats | sed 's/^/# /'
check "fault hang is acknowledged before it runs" \
	sh -c 'amprelay fault hang | grep -q "fault hang acknowledged"'
exit 0
