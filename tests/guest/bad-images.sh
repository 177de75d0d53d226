#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Every bad image from tests/bad-images is refused: start fails, dmesg says
# why in the line matching the case, remoteproc0 is offline, and the good
# firmware starts right after each. Prints the image -> error table.
. /tests/lib.sh

amprelay stop >/dev/null 2>&1
wait_state offline 5

# refuse IMAGE DMESG-PATTERN
refuse() {
	mark=$(dmesg_mark)
	out=$(amprelay start --firmware "$1" 2>&1)
	rc=$?
	dmesg_since "$mark" | sed 's/^\[[^]]*\] //' >/tmp/dmesg.new
	why=$(grep -E "$2" /tmp/dmesg.new | head -n 1)
	if [ "$rc" -ne 0 ]; then
		ok "$1: start is refused"
	else
		not_ok "$1: start is refused (it started)"
	fi
	if [ -n "$why" ]; then
		ok "$1: dmesg says why"
	else
		not_ok "$1: dmesg says why (no line matching '$2')"
		sed 's/^/# dmesg: /' /tmp/dmesg.new
	fi
	echo "# table: $1 | $why | start: $(echo "$out" | tail -n 1)"
	check "$1: remoteproc0 is offline afterwards" wait_state offline 2
	amprelay stop >/dev/null 2>&1
}

refuse no-such-file.elf "no-such-file.elf.*(failed|error -2)"
refuse empty.elf "loading /lib/firmware/empty.elf failed with error -22"
refuse truncated.elf "Section header table is out of bounds|program headers run past"
refuse not-elf.elf "not an ELF|bad magic|too small|corrupt|Image is corrupted"
refuse wrong-machine.elf "built for ELF machine 62, not ARM"
refuse big-endian.elf "not a little-endian ELF32|Unsupported firmware|endian"
refuse no-rsctable.elf "resource table"
refuse rsc-version.elf "unsupported fw ver: 2"
refuse rsc-unknown-type.elf "resource entry [0-9]+ has unknown type 77"
refuse trace-outside.elf "trace buffer at da 0x[0-9a-f]+ .* lies outside the shared window"
refuse vring-outside.elf "vring 0 at da 0x[0-9a-f]+ lies outside the shared window"
refuse overlap-crash.elf "segment 0 \\(da 0x[0-9a-f]+, .* lies outside the fw load region"
refuse overlap-vrings.elf "segment 0 \\(da 0x[0-9a-f]+, .* lies outside the fw load region"
refuse too-large.elf "segment [0-9]+ \\(da 0x[0-9a-f]+, [0-9]+ bytes\\) lies outside the fw load region"
refuse bad-header.elf "boot ROM rejected the image: image header checksum mismatch"

check "the good firmware starts right after" amprelay start --firmware amprelay-fw.elf
check "and echoes" sh -c '[ "$(amprelay echo back)" = back ]'
check "Linux logged no WARN, BUG or oops" sh -c '! dmesg | grep -qE "WARNING:|BUG:|Oops|Call trace"'
exit 0
