#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# amprelayd's three protocols (ivshmem server, UART1 doorbells, QMP reset
# line) against fake peers, through `amprelayd serve`.
B=${B:-$(cd "$(dirname "$0")/../.." && pwd)/build}
prog=$B/host/tests/amprelayd-proto
if [ ! -x "$prog" ]; then
	echo "1..0 # SKIP $prog not built (make host)"
	exit 0
fi
exec timeout 120 "$prog" "$B/host/amprelayd"
