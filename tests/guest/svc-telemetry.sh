#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Telemetry: the stream at the default period and at 1 ms, CSV recording,
# every sample accounted for, malformed control messages answered.
. /tests/lib.sh

# field N of the amprelay-telemetry line of `amprelay cmd stats`
telem_stat() { amprelay cmd stats | awk -v f="$1" '$1 == "amprelay-telemetry" { print $f }'; }

check "remoteproc0 is running" wait_state running 10
check "5 samples at the default 100 ms period, none lost" sh -c '
	amprelay telemetry -n 5 >/tmp/t5 && grep -q "^5 samples (seq 0..4)" /tmp/t5 &&
	grep -q "every 100000 us" /tmp/t5'
sed 's/^/# /' /tmp/t5
check "set telemetry-period-us 1000 (1 ms)" amprelay cmd set telemetry-period-us 1000
check "3000 samples at 1 ms into a CSV file, every loss counted" \
	amprelay telemetry -q -n 3000 --csv /tmp/t.csv
check "the CSV has a header and 3000 rows" sh -c '[ "$(wc -l </tmp/t.csv)" -eq 3001 ]'
check "the CSV rows carry period 1000 and a waveform within +-1000" awk -F, '
	NR == 1 { next }
	$3 != 1000 || $9 < -1000 || $9 > 1000 { bad = 1 }
	END { exit bad }' /tmp/t.csv
check "the waveform moves" sh -c '[ "$(cut -d, -f9 /tmp/t.csv | sort -u | wc -l)" -gt 100 ]'
amprelay telemetry -q -n 3000 | sed 's/^/# /'
check "a 10 s period is accepted" amprelay cmd set telemetry-period-us 10000000
check "back to 10 ms" amprelay cmd set telemetry-period-us 10000
errors_before=$(telem_stat 8)
# Malformed control messages written straight to the channel's node.
check "/dev/rpmsg/telemetry names the channel" test -c /dev/rpmsg/telemetry
printf 'xy' >/dev/rpmsg/telemetry
printf 'TELM\011\000\000\000\000\000\000\000' >/dev/rpmsg/telemetry
printf 'NOPE\001\000\000\000\000\000\000\000' >/dev/rpmsg/telemetry
check "three malformed control messages were counted as errors" \
	sh -c "[ \$(( \$(amprelay cmd stats | awk '\$1 == \"amprelay-telemetry\" { print \$8 }') - $errors_before )) -eq 3 ]"
check "the stream still works after them" amprelay telemetry -q -n 20
check_fails "telemetry -n 0 is refused" "count from 1" amprelay telemetry -n 0
check_fails "telemetry --csv into a missing directory fails clearly" "cannot write" \
	amprelay telemetry -n 1 --csv /no/such/dir/x.csv
exit 0
