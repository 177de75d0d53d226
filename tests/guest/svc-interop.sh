#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Interop with stock clients: Linux's rpmsg_client_sample completes its
# exchange on rpmsg-client-sample, and an OpenAMP echo_test-style client
# (driver_override + rpmsg_ctrl endpoint) passes on the demo channel.
# Also the stable /dev/rpmsg names.
. /tests/lib.sh

SAMPLE_KO=/lib/modules/samples/rpmsg_client_sample.ko

check "remoteproc0 is running" wait_state running 10
check "rpmsg-client-sample is announced" \
	sh -c 'grep -qx rpmsg-client-sample /sys/bus/rpmsg/devices/*/name'
check "rpmsg-openamp-demo-channel is announced" \
	sh -c 'grep -qx rpmsg-openamp-demo-channel /sys/bus/rpmsg/devices/*/name'
if [ -e $SAMPLE_KO ]; then
	mark=$(dmesg_mark)
	check "insmod rpmsg_client_sample" insmod $SAMPLE_KO
	tries=0
	while ! dmesg_since "$mark" | grep -q "goodbye!" && [ $tries -lt 50 ]; do
		sleep 0.1
		tries=$((tries + 1))
	done
	check "the sample's 100-message exchange completes (goodbye!)" \
		sh -c "dmesg | tail -n +$((mark + 1)) | grep -q 'goodbye!'"
	check "the sample received all 100 replies" \
		sh -c "dmesg | tail -n +$((mark + 1)) | grep -q 'incoming msg 100 '"
	dmesg_since "$mark" | grep rpmsg_client_sample | tail -n 3 | sed 's/^/# /'
	check "rmmod rpmsg_client_sample" rmmod rpmsg_client_sample
else
	ok "rpmsg_client_sample exchange # SKIP $SAMPLE_KO not in the initramfs"
fi
check "OpenAMP-style echo test over rpmsg_ctrl passes" amprelay openamp-echo -q
amprelay openamp-echo -q | sed 's/^/# /'
check "the demo channel is bound to rpmsg_chrdev by driver_override" sh -c '
	for d in /sys/bus/rpmsg/devices/*; do
		[ "$(cat $d/name)" = rpmsg-openamp-demo-channel ] || continue
		[ "$(cat $d/driver_override)" = rpmsg_chrdev ] && exit 0
	done; exit 1'
check "amprelay names lists the links" sh -c 'amprelay names | grep -q "^/dev/rpmsg/cmd -> /dev/rpmsg"'
check "/dev/rpmsg/echo carries echo traffic from the shell" sh -c '
	exec 3<>/dev/rpmsg/echo; printf hello-shell >&3
	[ "$(dd bs=512 count=1 <&3 2>/dev/null)" = hello-shell ]'
check "stats count both interop channels" sh -c '
	amprelay cmd stats | awk "\$1 ~ /^rpmsg-(client-sample|openamp)/ && \$3 > 0 { n++ } END { exit n != 2 }"'
amprelay cmd stats | sed 's/^/# /'

# After a crash and Linux's recovery every service is back by itself.
boot=$(amprelay cmd version | sed 's/.* boot //')
check "fault hardfault is acknowledged" amprelay fault hardfault
tries=0
while [ "$(amprelay cmd version 2>/dev/null | sed 's/.* boot //')" != $((boot + 1)) ] &&
	[ $tries -lt 30 ]; do
	sleep 0.5
	tries=$((tries + 1))
done
check "the command service answers from the next boot" \
	sh -c "amprelay cmd version | grep -q ' boot $((boot + 1))\$'"
check "stats count the crash" sh -c 'amprelay cmd stats | grep -Eq "crashes [1-9]"'
check "echo is back" sh -c '[ "$(amprelay echo back)" = back ]'
check "telemetry is back" amprelay telemetry -q -n 3
check "the OpenAMP channel is back" amprelay openamp-echo -q
sleep 1
check "/dev/rpmsg links point at the new nodes" sh -c '
	for l in echo cmd telemetry console; do test -c /dev/rpmsg/$l || exit 1; done'
exit 0
