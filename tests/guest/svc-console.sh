#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Console on rpmsg-tty: help, command operations in text, errors, log.
. /tests/lib.sh

TTY=/dev/rpmsg/console

# console TEXT: types TEXT (one line) through microcom, prints the answer.
console() {
	(printf '%s\r' "$1"; sleep 1) | microcom -t 1500 $TTY
}

check "remoteproc0 is running" wait_state running 10
check "rpmsg_tty made /dev/ttyRPMSG0" test -c /dev/ttyRPMSG0
tries=0
while [ ! -e $TTY ] && [ $tries -lt 20 ]; do sleep 0.1; tries=$((tries + 1)); done
check "/dev/rpmsg/console points at it" sh -c "[ \"\$(readlink $TTY)\" = /dev/ttyRPMSG0 ]"
console help >/tmp/c.out
check "help lists the commands, parameters and fault types" sh -c '
	grep -q "log \[N\]" /tmp/c.out && grep -q telemetry-period-us /tmp/c.out &&
	grep -q hardfault /tmp/c.out && grep -q "fw> " /tmp/c.out'
sed 's/^/# /' /tmp/c.out
check "version" sh -c '
	(printf "version\r"; sleep 1) | microcom -t 1500 '$TTY' | grep -q "amprelay-fw build"'
check "set and get echo-delay-ms" sh -c '
	(printf "set echo-delay-ms 7\r"; sleep 1) | microcom -t 1500 '$TTY' | grep -q "echo-delay-ms = 7" &&
	[ "$(amprelay cmd get echo-delay-ms)" = "echo-delay-ms = 7" ]'
check "an unknown command is an error line" sh -c '
	(printf "frobnicate\r"; sleep 1) | microcom -t 1500 '$TTY' | grep -q "error: unknown command"'
check "a bad value is an error line" sh -c '
	(printf "set log-level 99\r"; sleep 1) | microcom -t 1500 '$TTY' | grep -q "error: value out of range"'
check "stats lists the console channel" sh -c '
	(printf "stats\r"; sleep 1) | microcom -t 1500 '$TTY' | grep -q "^rpmsg-tty"'
check "log 5 shows the trace tail" sh -c '
	(printf "log 5\r"; sleep 1) | microcom -t 1500 '$TTY' | grep -q "svc: parameter"'
# Plain shell redirection, the tty in raw mode without echo.
stty -F /dev/ttyRPMSG0 raw -echo
cat /dev/ttyRPMSG0 >/tmp/r.out &
reader=$!
# Output that arrives while nobody has the tty open is discarded.
sleep 0.5
printf 'uptime\r' >/dev/ttyRPMSG0
sleep 1
kill $reader
check "uptime through shell redirection" grep -q "uptime [0-9]*\.[0-9]* s" /tmp/r.out
check "the console counted its errors" sh -c '
	amprelay cmd stats | awk "\$1 == \"rpmsg-tty\" { exit !(\$8 >= 2) }"'
amprelay cmd set echo-delay-ms 0 >/dev/null
exit 0
