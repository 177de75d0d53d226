#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Usage: soak.sh CYCLES SEED
# The guest half of make soak (tools/soak/run-soak): checked echo traffic
# runs all along while CYCLES faults of every type, in a seeded random
# order, crash the remote. Each cycle must be detected, reported with its
# type, recovered, and the traffic must come back on a new endpoint. One
# CSV line per cycle (memory, open files, traffic counters) goes to
# /lab/soak/guest.csv; the host adds amprelayd's side and judges the run.
# shellcheck disable=SC2154 # tr_* (load_status) and exp_* (fault_expect)
. /tests/lib.sh
. /tests/crash-lib.sh

cycles=$1 seed=$2
case "$cycles:$seed" in
*[!0-9:]* | :* | *:) echo "usage: soak.sh CYCLES SEED (decimal numbers)" >&2; exit 2 ;;
esac
out=/lab/soak
status=/tmp/traffic.status
# Every fault that ends in a crash; debugfs 0/1/2 are the three report types.
FAULTS="hardfault busfault usagefault divzero stackoverflow assert hang hang-irqoff
	wdt-reset debugfs-0 debugfs-1 debugfs-2 host-kill host-freeze host-drop-doorbells"
# Seconds for the traffic to reach a new endpoint after echo is back, and
# to go quiet when paused (a reply can be late by up to its stall limit).
RESUME_S=15
PAUSE_S=15
# Per cycle, for detection and echo back (crash-cycle's default).
CYCLE_TIMEOUT_S=15

mkdir -p "$out"
# shellcheck disable=SC2086
printf '%s\n' $FAULTS >"$out/faults.txt"
meminfo() { awk -v k="$1:" '$1 == k { print $2 }' /proc/meminfo; }
# tr_state, tr_sent, ...: the counters amprelay soak traffic keeps in $status.
# shellcheck source=/dev/null
load_status() { [ -f $status ] && . $status; }

# wait_traffic SESSION SECONDS: the traffic runs on an endpoint after
# SESSION and has had at least one reply verified there.
wait_traffic() {
	n=0
	while :; do
		load_status
		[ "${tr_sessions:-0}" -gt "$1" ] && [ "${tr_session_verified:-0}" -ge 1 ] &&
			return 0
		kill -0 "$traffic" 2>/dev/null || return 1
		n=$((n + 1))
		[ $n -gt $(($2 * 20)) ] && return 1
		sleep 0.05
	done
}

# Why the last cycle is outside crash-faults.sh's expectations, or nothing.
off_budget() {
	line=$(grep '^detect_ms=' /tmp/cycle.out 2>/dev/null) || return 0
	detect=$(echo "$line" | sed 's/detect_ms=\([0-9]*\).*/\1/')
	if [ -n "$exp_cause" ] && ! grep -q "^# .*remote crash.*$exp_cause" /tmp/cycle.out; then
		echo "cause is not '$exp_cause': $(sed -n 's/^# .*remote crash[^:]*: //p' /tmp/cycle.out | head -n 1)"
	elif [ "$detect" -gt "$exp_max" ]; then
		echo "detected in $detect ms, over the $exp_max ms budget"
	fi
}

# wait_paused SECONDS: nothing in flight, nothing sent any more.
wait_paused() {
	n=0
	until load_status && [ "$tr_state" = paused ]; do
		n=$((n + 1))
		[ $n -gt $(($1 * 20)) ] && return 1
		sleep 0.05
	done
}

# sample CYCLE FAULT RESULT DETECT RECOVER TYPE BUDGET: one CSV line. Caches are
# dropped first so MemAvailable shows what is really held.
sample() {
	sync
	echo 3 >/proc/sys/vm/drop_caches
	load_status
	up=$(cut -d' ' -f1 /proc/uptime)
	# shellcheck disable=SC2010 # fd names are numbers
	fds=$(ls -1 /proc/[0-9]*/fd/ 2>/dev/null | grep -c '^[0-9][0-9]*$')
	rss=$(awk '$1 == "VmRSS:" { print $2 }' /proc/"$traffic"/status 2>/dev/null)
	echo "$1,$2,$3,$4,$5,$6,$7,$up,$(meminfo MemAvailable),$(meminfo SUnreclaim),$(cut -f1 /proc/sys/fs/file-nr),$fds,${rss:-},$tr_sent,$tr_verified,$tr_lost_at_crash,$tr_lost_no_crash,$tr_corrupted,$tr_misordered,$tr_losses,$tr_sessions" >>"$out/guest.csv"
}

check "remoteproc0 is running" wait_state running 10
: >"$out/kernel.log"
amprelay soak kmsg "$out/kernel.log" 2>"$out/kmsg.err" &
kmsg=$!
amprelay soak traffic --seed "$seed" --status $status >"$out/traffic.log" 2>&1 &
traffic=$!
check "checked echo traffic flows on its own endpoint" wait_traffic 0 10
# shellcheck disable=SC2086
amprelay soak plan --seed "$seed" --cycles "$cycles" $FAULTS >"$out/plan.txt"
echo "# fault order: $(head -n 15 "$out/plan.txt" | tr '\n' ' ')..."

echo "cycle,fault,result,detect_ms,recover_ms,report_type,note,guest_uptime_s,mem_available_kb,slab_unreclaim_kb,file_nr,open_fds,traffic_rss_kb,sent,verified,lost_at_crash,lost_no_crash,corrupted,misordered,channel_losses,sessions" \
	>"$out/guest.csv"
sample 0 none ok "" "" "" ""
i=0
# The plan comes in on fd 3: nothing in the loop can eat it from stdin.
while read -r f <&3; do
	i=$((i + 1))
	result=ok budget=""
	load_status
	session=$tr_sessions
	if ! fault_expect "$f"; then
		not_ok "cycle $i: unknown fault '$f' in the plan"
		result=failed
	else
		# Under traffic every doorbell carries the liveness ack, so one
		# lost doorbell is only a fault while the link is quiet.
		paused=""
		if [ "$f" = host-drop-doorbells ]; then
			kill -USR1 "$traffic"
			if wait_paused $PAUSE_S; then
				paused=1
				# Linux returns the last receive buffers with a doorbell.
				sleep 0.1
			else
				not_ok "cycle $i: traffic pauses before $f"
				result=failed
			fi
		fi
		# The report's type is the test. Its cause and time are held to
		# the budgets of crash-faults.sh only as a note: a host short of
		# CPU for a second (other labs, builds) can have a lost doorbell
		# caught by another check, or a freeze reported late.
		# shellcheck disable=SC2086
		cycle "cycle $i/$cycles $f" "$exp_type" "" $((CYCLE_TIMEOUT_S * 1000)) \
			-t $CYCLE_TIMEOUT_S $fault_args || result=failed
		budget=$(off_budget)
		[ -z "$budget" ] || echo "# cycle $i ($f): note: $budget"
		[ -n "$paused" ] && kill -USR2 "$traffic"
		if ! wait_traffic "$session" $RESUME_S; then
			not_ok "cycle $i: checked traffic back on a new endpoint within $RESUME_S s"
			sed 's/^/# /' $status
			result=failed
		fi
	fi
	line=$(grep '^detect_ms=' /tmp/cycle.out 2>/dev/null)
	detect=$(echo "$line" | sed -n 's/^detect_ms=\([0-9.]*\).*/\1/p')
	recover=$(echo "$line" | sed -n 's/.*recover_ms=\([0-9.]*\).*/\1/p')
	sample "$i" "$f" "$result" "$detect" "$recover" "${line#*type=}" \
		"$(echo "$budget" | tr ',' ';')"
	rm -f /tmp/cycle.out
done 3<"$out/plan.txt"

kill -TERM "$traffic"
wait "$traffic"
traffic_rc=$?
cp $status "$out/traffic.txt"
sed 's/^/# /' "$out/traffic.log" | tail -n 20
check "traffic generator ended cleanly (exit $traffic_rc)" test "$traffic_rc" -eq 0
check "echo works after the last cycle" amprelay echo soak-done
check "the traffic's endpoint device is gone with it" \
	sh -c '! ls -1 /sys/class/rpmsg/rpmsg_ctrl*/ | grep "^rpmsg[0-9]"'
kill -TERM "$kmsg"
wait "$kmsg"
exit 0
