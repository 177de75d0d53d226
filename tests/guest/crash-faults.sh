#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Every firmware fault and debugfs crash: detected, reported once with the
# right type and cause, recovered by the remoteproc core, echo back after.
. /tests/lib.sh
. /tests/crash-lib.sh

check "remoteproc0 is running" wait_state running 10
check "echo works before any fault" amprelay echo before
before=$(crash_reports)

quick=$MARGIN_MS
amprelay watch -t 3 >/tmp/watch.txt &
watcher=$!
# The fault only once watch has printed the state it starts from.
for _ in $(seq 50); do
	grep -q 'channel + amprelay-echo' /tmp/watch.txt 2>/dev/null && break
	sleep 0.05
done
cycle hardfault "fatal error" "HardFault at pc" $quick fault hardfault
wait $watcher
sed 's/^/# watch: /' /tmp/watch.txt
check "amprelay watch saw running, crashed, offline, running in order" \
	sh -c "grep -o 'remoteproc0 [a-z]*' /tmp/watch.txt | tr '\n' ' ' |
		grep -q 'running remoteproc0 crashed remoteproc0 offline remoteproc0 running'"
check "amprelay watch saw the echo channel vanish, then come back" \
	sh -c "grep -o 'channel [-+] amprelay-echo' /tmp/watch.txt | tr '\n' ' ' |
		grep -q 'channel + amprelay-echo channel - amprelay-echo channel + amprelay-echo'"
check "amprelay watch stamps have millisecond resolution" \
	grep -qE '^\[ *[0-9]+\.[0-9]{3}\] ' /tmp/watch.txt
cycle busfault "fatal error" "BusFault at pc" $quick fault busfault
cycle usagefault "fatal error" "UsageFault at pc" $quick fault usagefault
cycle divzero "fatal error" "UsageFault at pc" $quick fault divzero
cycle stackoverflow mmufault "MemManage at pc.*stack overflow" $quick fault stackoverflow
cycle assert "fatal error" "assert at pc.*assert type" $quick fault assert
# The watchdog forgives the expiry that follows the main loop's last pass:
# a hang is reported at the second.
cycle hang watchdog "watchdog at pc" $((2 * wdog_ms + MARGIN_MS)) fault hang
cycle hang-irqoff watchdog "watchdog at pc" $((2 * wdog_ms + MARGIN_MS)) fault hang-irqoff
cycle wdt-reset watchdog "unexpected reset" $((2 * wdog_ms + MARGIN_MS)) fault wdt-reset
cycle "debugfs crash 0" mmufault "" $quick debugfs 0
cycle "debugfs crash 1" watchdog "" $quick debugfs 1
cycle "debugfs crash 2" "fatal error" "" $quick debugfs 2
check "exactly one crash report per fault (12)" \
	test "$(($(crash_reports) - before))" -eq 12

# The decoded record: the hardfault is a forced HardFault at a null load.
check "hardfault record: HFSR.FORCED, MemManage data access at address 0" \
	sh -c 'dmesg | grep "HardFault at pc" | grep -q "hfsr 0x40000000 mmfar 0x00000000"'
check "divzero record: CFSR.DIVBYZERO" \
	sh -c 'dmesg | grep "UsageFault at pc" | grep -q "cfsr 0x02000000"'

# Post-mortem: a dump of the hardfault, kept for the host's gdb check.
check "coredump can be enabled" sh -c "echo enabled > $RPROC/coredump"
check "hardfault with coredump enabled is recovered" \
	amprelay crash-cycle fault hardfault
check "amprelay coredump save stores the dump" \
	amprelay coredump save /lab/hardfault.core
check "the saved dump is an ELF core" \
	sh -c 'head -c 4 /lab/hardfault.core | grep -q ELF'
check "the dump was freed: none left" \
	sh -c '! ls -d /sys/class/devcoredump/devcd* 2>/dev/null | grep -q .'
# inline: recovery waits until the dump is read and freed.
check "coredump inline" sh -c "echo inline > $RPROC/coredump"
amprelay fault busfault >/dev/null 2>&1
check "inline: a dump appears while recovery waits for it" \
	amprelay coredump save /lab/busfault-inline.core
check "inline: recovery completes once the dump is freed" wait_state running 10
i=0
until amprelay echo back >/dev/null 2>&1 || [ $i -gt 100 ]; do sleep 0.1; i=$((i + 1)); done
check "inline: echo after recovery" amprelay echo inline-back
check "coredump disabled again" sh -c "echo disabled > $RPROC/coredump"
check_fails "coredump save with no dump says why" "no dump" \
	amprelay coredump save /tmp/none.core --wait 0
check "echo works after everything" amprelay echo after
exit 0
