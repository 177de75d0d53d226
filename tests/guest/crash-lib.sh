# SPDX-License-Identifier: GPL-2.0-only
# Helpers for the crash and recovery scenarios (sourced after lib.sh).

# wdog_ms and heartbeat_ms, from platform.h through the tool.
eval "$(amprelay crash-cycle --limits)"
# TCG, two QEMUs and the guest share two host cores: room for scheduling.
MARGIN_MS=1000

# cycle NAME TYPE CAUSE MAX_MS ARGS...: one fault through crash-cycle; passes
# when it is reported as TYPE within MAX_MS of the injection, the driver's
# line names CAUSE (empty: no driver line, debugfs), and echo comes back.
cycle() {
	name=$1 type=$2 cause=$3 max=$4
	shift 4
	if ! amprelay crash-cycle "$@" >/tmp/cycle.out 2>&1; then
		not_ok "$name: detected, reported and recovered"
		sed 's/^/# /' /tmp/cycle.out
		return
	fi
	line=$(grep '^detect_ms=' /tmp/cycle.out)
	detect=$(echo "$line" | sed 's/detect_ms=\([0-9]*\).*/\1/')
	echo "# timing $name $line"
	got=${line#*type=}
	if [ "$got" != "$type" ]; then
		not_ok "$name: reported as $type (got $got)"
	elif [ -n "$cause" ] && ! grep -q "^# .*remote crash.*$cause" /tmp/cycle.out; then
		not_ok "$name: the driver's line names '$cause'"
		sed 's/^/# /' /tmp/cycle.out
	elif [ "$detect" -gt "$max" ]; then
		not_ok "$name: detected within $max ms (took $detect ms)"
	else
		ok "$name: $type report within $max ms ($detect ms), echo back after recovery"
	fi
}

# One crash line per report: no fault may be reported twice.
crash_reports() { dmesg | grep -c 'crash detected in cm4'; }
