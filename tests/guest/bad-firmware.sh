#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Bad firmware is refused with a clear error; the lab stays usable.
. /tests/lib.sh

amprelay stop >/dev/null 2>&1
wait_state offline 5

# refuse NAME WHAT DMESG-PATTERN
refuse() {
	mark=$(dmesg_mark)
	check_fails "$2: start is refused" "failed|error|Error" \
		amprelay start --firmware "$1"
	dmesg_since "$mark" >/tmp/dmesg.new
	if grep -qE "$3" /tmp/dmesg.new; then
		ok "$2: dmesg says why"
	else
		not_ok "$2: dmesg says why (no line matching '$3')"
		sed 's/^/# /' /tmp/dmesg.new
	fi
	check "$2: remoteproc0 is offline afterwards" wait_state offline 2
}

refuse no-such-file.elf "missing firmware file" "no-such-file.elf.*(failed|error -2)"
refuse not-elf.elf "file that is not ELF" "not an ELF|bad magic|too small|corrupt"
refuse bad-header.elf "image header the boot ROM rejects" \
	"boot ROM rejected the image: image header checksum mismatch"
refuse no-rsctable.elf "firmware without a resource table" "resource table"

check "the good firmware starts right after" amprelay start --firmware amprelay-fw.elf
check "and echoes" sh -c '[ "$(amprelay echo back)" = back ]'
exit 0
