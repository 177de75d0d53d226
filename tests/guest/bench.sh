#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Guest half of `make bench`: raw figures into /lab/bench for tools/bench/report.
# usage: bench.sh [ROUND_TRIPS] [START_CYCLES]
. /tests/lib.sh

count=${1:-10000}
cycles=${2:-20}
out=/lab/bench
failed=0
mkdir -p $out

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

for size in 0 16 128 496; do
	amprelay ping -q -c "$count" -s $size -o $out/latency-$size.ns ||
		{ echo "# ping -s $size failed"; failed=1; }
done
echo "# bench: raw figures in $out"
exit $failed
