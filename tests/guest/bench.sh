#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Guest half of `make bench`: raw figures into /lab/bench for tools/bench/report.
# usage: bench.sh [ROUND_TRIPS] [START_CYCLES] [THROUGHPUT_MSGS] [RECOVERY_CYCLES] [FAULT...]
# FAULT is a crash-cycle fault type, or host-kill / host-freeze.
. /tests/lib.sh
. /tests/crash-lib.sh

count=${1:-10000}
cycles=${2:-20}
tput=${3:-10000}
recovery=${4:-20}
[ $# -gt 4 ] && shift 4 || set --
[ $# -gt 0 ] || set -- hardfault busfault usagefault divzero stackoverflow assert \
	hang hang-irqoff wdt-reset host-kill host-freeze
out=/lab/bench
failed=0
mkdir -p $out
rm -f $out/*.ns $out/*.txt

# Boot of this lab, as the kernel saw it (timestamps since the VM started).
dmesg >$out/dmesg-boot.txt

# sysfs start -> first name-service announcement, over stop/start cycles.
i=0
while [ $i -lt "$cycles" ]; do
	amprelay stop >/dev/null && amprelay start >/dev/null ||
		{ echo "# start cycle $i failed"; failed=1; }
	i=$((i + 1))
done
dmesg >$out/dmesg-cycles.txt

# Host CPU time of amprelayd and both QEMUs, per thread role, taken around
# a run of round trips: the report divides it by the round trips.
host_cpu() {
	amprelay host cpu >$out/cpu-$1.txt 2>&1 ||
		{ echo "# host cpu failed: $(cat $out/cpu-$1.txt)"; failed=1; }
}

for size in 0 16 128 496; do
	warmup=
	if [ $size = 16 ]; then
		# Warmed up apart, so the CPU window holds the measured ones only.
		amprelay ping -q -c 100 -s $size >/dev/null
		warmup="-w 0"
		host_cpu echo-16-begin
	fi
	# shellcheck disable=SC2086
	amprelay ping -q $warmup -c "$count" -s $size -o $out/latency-$size.ns ||
		{ echo "# ping -s $size failed"; failed=1; }
	[ $size = 16 ] && host_cpu echo-16-end
done

# The platform's floor: bare doorbell round trips, after a warm-up run.
ping=$(ls /sys/kernel/debug/remoteproc/*/doorbell_ping 2>/dev/null | head -n 1)
if [ -n "$ping" ] && echo 100 >"$ping" && host_cpu doorbell-begin &&
	echo "$count" >"$ping" && host_cpu doorbell-end; then
	cat "$ping" >$out/doorbell.ns
else
	echo "# doorbell round trips failed (${ping:-no debugfs doorbell_ping})"
	failed=1
fi

amprelay throughput -c "$tput" >$out/throughput.txt ||
	{ echo "# throughput failed"; cat $out/throughput.txt; failed=1; }

# Recovery: fault -> crash reported -> firmware running -> echo back. The
# kernel log of each cycle is kept for the timeline; cleared per cycle so
# the ring never wraps.
dmesg -c >/dev/null
for f in "$@"; do
	fault_expect "$f" || { echo "# unknown fault type '$f'"; failed=1; continue; }
	i=0
	while [ $i -lt "$recovery" ]; do
		# shellcheck disable=SC2086
		if amprelay crash-cycle $fault_args >/tmp/cycle.out 2>&1; then
			echo "timing $f $(grep '^detect_ms=' /tmp/cycle.out)" >>$out/recovery.txt
		else
			echo "# recovery cycle $i ($f) failed:"
			sed 's/^/#   /' /tmp/cycle.out
			failed=1
		fi
		dmesg -c >>$out/dmesg-recovery.txt
		i=$((i + 1))
	done
done
echo "# bench: raw figures in $out"
exit $failed
