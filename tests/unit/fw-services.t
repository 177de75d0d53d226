#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Host unit test of the firmware services; built by `make firmware`.
B=${B:-$(cd "$(dirname "$0")/../.." && pwd)/build}
if [ ! -x "$B/host/tests/fw-services" ]; then
	echo "1..0 # SKIP $B/host/tests/fw-services not built (run make firmware)"
	exit 0
fi
exec "$B/host/tests/fw-services"
