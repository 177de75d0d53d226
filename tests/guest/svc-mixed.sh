#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Mixed load: echo ping-pong, command polling at 100 Hz and telemetry at
# 1 ms at the same time for about 10 s. Nothing may be lost that is not
# counted: ping and cmd must see every reply, telemetry every seq gap
# must be reported by the firmware.
. /tests/lib.sh

check "remoteproc0 is running" wait_state running 10
check "telemetry at 1 ms" amprelay cmd set telemetry-period-us 1000
amprelay cmd stats >/tmp/stats.before
start=$(date +%s)
amprelay telemetry -q -n 10000 >/tmp/telem.out 2>&1 &
telem=$!
amprelay ping -q -c 8000 -s 64 >/tmp/ping.out 2>&1 &
ping=$!
amprelay cmd -r 1000 -i 10 uptime >/tmp/cmd.out 2>&1 &
cmd=$!
wait $telem; telem_rc=$?
wait $ping; ping_rc=$?
wait $cmd; cmd_rc=$?
end=$(date +%s)
amprelay cmd stats >/tmp/stats.after
for f in telem ping cmd; do sed "s/^/# $f: /" /tmp/$f.out; done
echo "# wall time $((end - start)) s"
check "telemetry: 10000 samples, every loss counted by the firmware" test $telem_rc -eq 0
check "ping: every echo came back intact" test $ping_rc -eq 0
check "cmd: 1000 requests at 100 Hz, every one answered" test $cmd_rc -eq 0
check "firmware rpmsg input errors stayed 0" \
	sh -c 'grep -q "vring 0, avail 0, desc 0, addr 0, msg 0, no endpoint 0" /tmp/stats.after'
# Messages per second per channel, from the firmware's own counters.
awk -v secs=$((end - start)) '
	FNR == 1 { file++ }
	$2 ~ /^0x/ { key = $1; if (file == 1) { bi[key] = $3; bo[key] = $5 } else { ai[key] = $3; ao[key] = $5; d[key] = $7 } }
	END {
		if (secs < 1) secs = 1
		for (k in ai) if (ai[k] - bi[k] + ao[k] - bo[k] > 0)
			printf "# %-20s in %6.0f/s out %6.0f/s drops %d\n", k,
				(ai[k] - bi[k]) / secs, (ao[k] - bo[k]) / secs, d[k]
	}' /tmp/stats.before /tmp/stats.after
amprelay cmd set telemetry-period-us 100000 >/dev/null
exit 0
