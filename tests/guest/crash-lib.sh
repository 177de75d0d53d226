# SPDX-License-Identifier: GPL-2.0-only
# Helpers for the crash and recovery scenarios (sourced after lib.sh).

# wdog_ms, heartbeat_ms and heartbeat_misses, from platform.h through the tool.
eval "$(amprelay crash-cycle --limits)"
# The longest Linux's liveness check takes to report a silent core: the
# window it went silent in, then heartbeat_misses silent windows.
liveness_ms=$(((heartbeat_misses + 1) * heartbeat_ms))
# TCG, two QEMUs and the guest share two host cores: room for scheduling.
MARGIN_MS=1000

# cycle NAME TYPE CAUSE MAX_MS ARGS...: one fault through crash-cycle; passes
# when it is reported as TYPE within MAX_MS of the injection, the driver's
# line names CAUSE (empty: no driver line, debugfs), and echo comes back.
# Returns 1 after a failure; /tmp/cycle.out keeps crash-cycle's output.
cycle() {
	name=$1 type=$2 cause=$3 max=$4
	shift 4
	if ! amprelay crash-cycle "$@" >/tmp/cycle.out 2>&1; then
		not_ok "$name: detected, reported and recovered"
		sed 's/^/# /' /tmp/cycle.out
		return 1
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
		return 0
	fi
	return 1
}

# fault_expect NAME: what one fault of the mixes (crash-cycles.sh, soak.sh)
# must produce. Sets fault_args (for crash-cycle), exp_type, exp_cause and
# exp_max (ms) as in crash-faults.sh and crash-host.sh; 1 for an unknown NAME.
fault_expect() {
	exp_cause="" exp_max=$MARGIN_MS
	case $1 in
	hardfault) exp_type="fatal error" exp_cause="HardFault at pc" ;;
	busfault) exp_type="fatal error" exp_cause="BusFault at pc" ;;
	usagefault | divzero) exp_type="fatal error" exp_cause="UsageFault at pc" ;;
	stackoverflow) exp_type=mmufault exp_cause="MemManage at pc.*stack overflow" ;;
	assert) exp_type="fatal error" exp_cause="assert at pc" ;;
	hang | hang-irqoff)
		exp_type=watchdog exp_cause="watchdog at pc"
		exp_max=$((2 * wdog_ms + MARGIN_MS)) ;;
	wdt-reset)
		exp_type=watchdog exp_cause="unexpected reset"
		exp_max=$((2 * wdog_ms + MARGIN_MS)) ;;
	debugfs-0) exp_type=mmufault ;;
	debugfs-1) exp_type=watchdog ;;
	debugfs-2) exp_type="fatal error" ;;
	host-kill) exp_type=watchdog exp_cause="remote QEMU process died" ;;
	host-freeze)
		exp_type=watchdog exp_cause="heartbeat stuck"
		exp_max=$((liveness_ms + MARGIN_MS)) ;;
	host-drop-doorbells)
		exp_type=watchdog exp_cause="liveness doorbell"
		exp_max=$((liveness_ms + MARGIN_MS)) ;;
	*) return 1 ;;
	esac
	case $1 in
	debugfs-*) fault_args="debugfs ${1#debugfs-}" ;;
	# One lost doorbell is healed by the next liveness probe; as many in a
	# row as the check's silent windows are a dead link.
	host-drop-doorbells) fault_args="host drop-doorbells $heartbeat_misses" ;;
	host-*) fault_args="host ${1#host-}" ;;
	*) fault_args="fault $1" ;;
	esac
}

# One crash line per report: no fault may be reported twice.
crash_reports() { dmesg | grep -c 'crash detected in cm4'; }
