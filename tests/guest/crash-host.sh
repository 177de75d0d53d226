#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Host-side faults through amprelayd (freeze, kill, lost doorbells), the
# faults that must not end in a crash (silent, corrupt-used), recovery
# disabled, and the heartbeat check's quiet times (stopped, debugger).
. /tests/lib.sh
. /tests/crash-lib.sh

HB_PARAM=/sys/module/amprelay_rproc/parameters/heartbeat_check
check "remoteproc0 is running" wait_state running 10
before=$(crash_reports)

silent_ms=$((liveness_ms + MARGIN_MS))
cycle kill watchdog "remote QEMU process died" $MARGIN_MS host kill
cycle freeze watchdog "heartbeat stuck" $silent_ms host freeze
cycle "drop-doorbells $heartbeat_misses" watchdog "liveness doorbell" $silent_ms \
	host drop-doorbells $heartbeat_misses
check "three host faults, three reports" \
	test "$(($(crash_reports) - before))" -eq 3
# Fewer lost doorbells than silent windows: the next liveness probe rings
# again, and nothing is reported.
reports=$(crash_reports)
check "drop the next $((heartbeat_misses - 1)) doorbell(s)" \
	amprelay host drop-doorbells $((heartbeat_misses - 1))
sleep $(((liveness_ms + 999) / 1000))
check "fewer lost doorbells than silent windows heal: no report, echo works" \
	sh -c "[ $reports -eq \$(dmesg | grep -c 'crash detected in cm4') ] && amprelay echo healed"
check "the killed remote QEMU was started again (amprelayd status)" \
	sh -c 'amprelay host status | grep -q "restarts 1"'
check_fails "amprelayd refuses an unknown request with a message" \
	"unknown request" amprelay host explode

# The same faults while Linux is sending: a ping flood is in full swing
# at the kill or freeze. It must end on its own (the channel goes away
# during recovery; nothing waits forever) and the lab must recover.
while_sending() {
	name=$1
	shift
	amprelay ping -q -c 1000000 -s 0-496 >/tmp/flood.out 2>&1 &
	flood=$!
	sleep 1
	if ! kill -0 $flood 2>/dev/null; then
		not_ok "$name: the flood was still running at the fault"
		sed 's/^/# /' /tmp/flood.out
		return
	fi
	cycle "$name" "$@"
	i=0
	while kill -0 $flood 2>/dev/null && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	if kill -0 $flood 2>/dev/null; then
		kill $flood
		not_ok "$name: the flood ended within 10 s of recovery"
	elif grep -q "went away" /tmp/flood.out &&
		grep -qE "^[1-9][0-9]* round trips" /tmp/flood.out; then
		ok "$name: the flood had round trips, then saw the channel go away"
	else
		not_ok "$name: the flood had round trips, then saw the channel go away"
	fi
	wait $flood 2>/dev/null
	sed 's/^/# flood: /' /tmp/flood.out
}
while_sending "kill while sending" watchdog "remote QEMU process died" \
	$MARGIN_MS host kill
while_sending "freeze while sending" watchdog "heartbeat stuck" \
	$silent_ms host freeze
check "echo after the faults while sending" amprelay echo still-here

# silent: the firmware stops serving rpmsg but lives on; no crash.
reports=$(crash_reports)
check "fault silent is acknowledged" amprelay fault silent
check_fails "echo to a silent remote times out cleanly" "no reply" \
	amprelay echo hello
sleep $(((liveness_ms + 999) / 1000))
check "silent is no crash: still running, no report" \
	sh -c "[ \"\$(cat $RPROC/state)\" = running ] && [ $reports -eq \$(dmesg | grep -c 'crash detected in cm4') ]"
check "stop and start bring the service back" \
	sh -c 'amprelay stop && amprelay start && amprelay echo back'

# corrupt-used: Linux logs the bad used entry and survives.
reports=$(crash_reports)
check "fault corrupt-used is acknowledged" amprelay fault corrupt-used
sleep 1
check "Linux logged the out-of-range used entry" \
	sh -c 'dmesg | grep -q "id [0-9]* out of range"'
check "corrupt-used is no crash: still running, no report" \
	sh -c "[ \"\$(cat $RPROC/state)\" = running ] && [ $reports -eq \$(dmesg | grep -c 'crash detected in cm4') ]"
check "stop and start after corrupt-used" \
	sh -c 'amprelay stop && amprelay start && amprelay echo back'

# Recovery disabled: the core stays crashed until told to recover.
check "recovery can be disabled" sh -c "echo disabled > $RPROC/recovery"
reports=$(crash_reports)
amprelay fault hardfault >/dev/null 2>&1
check "with recovery disabled the core goes to crashed" wait_state crashed 5
sleep $(((liveness_ms + 999) / 1000))
check "and stays crashed" sh -c "cat $RPROC/state; grep -qx crashed $RPROC/state"
check "reported once, no heartbeat report on top" \
	sh -c "crash_reports() { dmesg | grep -c 'crash detected in cm4'; }; crash_reports; [ $((reports + 1)) -eq \$(crash_reports) ]"
check_fails "echo fails while crashed" "amprelay-echo|no rpmsg|not found|went away" \
	amprelay echo nobody
check "recover brings it back" sh -c "echo recover > $DBG/recovery"
check "running again after recover" wait_state running 10
check "echo after recover" sh -c 'sleep 0.2; amprelay echo recovered'
check "recovery enabled again" sh -c "echo enabled > $RPROC/recovery"

# No heartbeat report while stopped.
reports=$(crash_reports)
check "stop" amprelay stop
sleep $(((liveness_ms + 999) / 1000))
check "no report while stopped" test "$(crash_reports)" -eq "$reports"
check "start again" amprelay start

# A user's debugger session: checks off, the core frozen, no report.
check "heartbeat check off (debugger attached)" sh -c "echo N > $HB_PARAM"
check "freeze the remote" amprelay host freeze
sleep $(((liveness_ms + 999) / 1000))
check "no report while frozen with the check off" \
	sh -c "[ \"\$(cat $RPROC/state)\" = running ] && [ $reports -eq \$(dmesg | grep -c 'crash detected in cm4') ]"
check "heartbeat check back on" sh -c "echo Y > $HB_PARAM"
i=0
while [ "$(crash_reports)" -eq "$reports" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
check "with the check on again the frozen core is reported as watchdog" \
	sh -c 'dmesg | grep "crash detected in cm4" | tail -1 | grep -q "type watchdog"'
i=0
until amprelay echo back >/dev/null 2>&1 || [ $i -gt 100 ]; do sleep 0.1; i=$((i + 1)); done
check "and recovered: echo" amprelay echo back
exit 0
