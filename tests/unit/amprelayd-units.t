#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# amprelayd's parsers: the --cmd console filter and the QMP JSON reader.
B=${B:-$(cd "$(dirname "$0")/../.." && pwd)/build}
prog=$B/host/tests/amprelayd-units
if [ ! -x "$prog" ]; then
	echo "1..0 # SKIP $prog not built (make host)"
	exit 0
fi
exec timeout 60 "$prog"
