#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# amprelay reload in one running lab: two different images alternated,
# the loaded-last one always running; a rebuilt file in the share picked
# up; a reload under an open channel; bad images refused; a user program
# from the share. Arguments: build id of amprelay-fw.elf, of hello.elf
# (the template, in /share/firmware), and the user program's expected
# output ("-" when the host could not compile it).
. /tests/lib.sh

ID_FW=$1
ID_HELLO=$2
PROG_OUT=$3
CYCLES=10

build_id() { cat $RPROC/device/build_id; }
has_hello() { amprelay status | grep -q ' amprelay-hello '; }

# loaded N NAME ID HELLO(yes|no): the reload ran image NAME and nothing else.
loaded() {
	if ! amprelay reload "$2" >/tmp/reload.out 2>&1; then
		not_ok "cycle $1: reload $2"
		sed 's/^/# /' /tmp/reload.out
		return
	fi
	got=$(build_id)
	echo_out=$(amprelay echo "cycle $1" 2>&1)
	if has_hello; then hello=yes; else hello=no; fi
	if grep -q "build id $3" /tmp/reload.out && [ "$got" = "$3" ] &&
		[ "$echo_out" = "cycle $1" ] && [ "$hello" = "$4" ]; then
		ok "cycle $1: $2 runs (build id $got, echo, amprelay-hello $hello)"
	else
		not_ok "cycle $1: $2 runs (want build id $3, hello $4; got $got, hello $hello, echo '$echo_out')"
		sed 's/^/# /' /tmp/reload.out
	fi
}

check "the share is mounted at /share" grep -q ' /share 9p ' /proc/mounts
check "the kernel searches /share/firmware first" \
	grep -q 'firmware_class.path=/share/firmware' /proc/cmdline
check "the two images have different build ids ($ID_FW, $ID_HELLO)" \
	test "$ID_FW" != "$ID_HELLO"

i=1
while [ $i -le $CYCLES ]; do
	loaded "$i a" amprelay-fw.elf "$ID_FW" no
	loaded "$i b" hello.elf "$ID_HELLO" yes
	i=$((i + 1))
done

check "status shows the build id" sh -c "amprelay status | grep -q 'build_id  $ID_HELLO'"
check "the command service's version op reports it" \
	sh -c "amprelay cmd version | grep -q 'build ${ID_HELLO#0x} '"
check "the template service answers on its channel" \
	sh -c '[ "$(amprelay send amprelay-hello world)" = "hello, world" ]'

# A rebuilt image under the current name: reload without FILE picks it up.
cp /share/firmware/hello.elf /share/firmware/current.elf
check "reload current.elf from the share" amprelay reload current.elf
cp /lib/firmware/amprelay-fw.elf /share/firmware/current.elf
check "reload with no FILE runs the rebuilt file" amprelay reload
check "  and it is the new build ($ID_FW)" test "$(build_id)" = "$ID_FW"
rm -f /share/firmware/current.elf

# A reload while a channel is open: the user gets an error, not a hang.
amprelay ping -c 1000000 -q >/tmp/ping.out 2>&1 &
ping_pid=$!
sleep 1
check "reload under an open echo channel" amprelay reload /share/firmware/hello.elf
n=0
while kill -0 $ping_pid 2>/dev/null && [ $n -lt 50 ]; do
	sleep 0.1
	n=$((n + 1))
done
if kill -0 $ping_pid 2>/dev/null; then
	not_ok "the open channel's user got an error, not a hang (ping still running)"
	kill $ping_pid
	wait $ping_pid
elif wait $ping_pid; then
	not_ok "the open channel's user got an error (ping exited 0)"
else
	check "the open channel's user got an error, not a hang" grep -q 'went away' /tmp/ping.out
fi
check "channels come back by name service" sh -c '[ "$(amprelay echo back)" = back ]'
check "reload by path runs that file" test "$(build_id)" = "$ID_HELLO"

# Bad images: refused with a clear error, remote offline, next good one runs.
check_fails "reload of a corrupt image is refused" "boot ROM rejected the image" \
	amprelay reload bad-header.elf
check "  the remote is offline" test "$(cat $RPROC/state)" = offline
check "  with no build id" test "$(build_id)" = none
check_fails "reload of a non-ELF file is refused" "refused" amprelay reload not-elf.elf
check_fails "reload of a missing name is refused before stopping anything" \
	"no firmware named" amprelay reload no-such-image.elf
loaded "after bad" amprelay-fw.elf "$ID_FW" no

if [ "$PROG_OUT" = - ]; then
	ok "a program compiled on the host runs from /share # SKIP no aarch64-linux-gnu-gcc on the host"
else
	check "a program compiled on the host runs from /share" \
		sh -c "[ \"\$(/share/user-prog)\" = '$PROG_OUT' ]"
fi
exit 0
