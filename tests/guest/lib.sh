# SPDX-License-Identifier: GPL-2.0-only
# Guest-side TAP helpers (busybox sh). Lines carry no numbers: the host
# numbers them and prints the plan (tests/lib/lab.sh).

RPROC=/sys/class/remoteproc/remoteproc0
DBG=/sys/kernel/debug/remoteproc/remoteproc0

ok() { echo "ok - $*"; }
not_ok() { echo "not ok - $*"; }

# check DESC CMD...: passes when CMD exits 0; shows its output otherwise.
check() {
	desc=$1
	shift
	if "$@" >/tmp/check.out 2>&1; then
		ok "$desc"
	else
		not_ok "$desc"
		sed 's/^/# /' /tmp/check.out
	fi
}

# check_fails DESC PATTERN CMD...: passes when CMD fails and its output
# matches PATTERN (the clear error the user must see).
check_fails() {
	desc=$1
	pattern=$2
	shift 2
	if "$@" >/tmp/check.out 2>&1; then
		not_ok "$desc (command succeeded)"
		sed 's/^/# /' /tmp/check.out
	elif grep -qE "$pattern" /tmp/check.out; then
		ok "$desc"
	else
		not_ok "$desc (no message matching '$pattern')"
		sed 's/^/# /' /tmp/check.out
	fi
}

# wait_state STATE [SECONDS]
wait_state() {
	n=0
	while [ "$(cat $RPROC/state)" != "$1" ]; do
		n=$((n + 1))
		[ $n -gt $((${2:-10} * 10)) ] && return 1
		sleep 0.1
	done
}

# dmesg_since MARK: kernel lines logged after `dmesg_mark` returned MARK.
dmesg_mark() { dmesg | wc -l; }
dmesg_since() { dmesg | tail -n +$(($1 + 1)); }
