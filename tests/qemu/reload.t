#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# amprelay reload in one lab (tests/guest/reload.sh): the firmware and the
# template example alternated, bad images, an open channel, and a program
# cross-compiled here and run from the share.
. "$(dirname "$0")/../lib/lab.sh"
lab_require

fw=$B/fw/amprelay-fw.elf
hello=$B/fw/examples/hello.elf
for f in "$fw" "$hello" "$B/host/fwimage"; do
	[ -e "$f" ] || { echo "1..0 # SKIP $f missing (run make)"; exit 0; }
done
build_id() { "$B/host/fwimage" --show "$1" | awk '$1 == "build_id" { print $2 }'; }
id_fw=$(build_id "$fw")
id_hello=$(build_id "$hello")
lab_check "the template example builds into its own image (build id $id_hello, firmware $id_fw)" \
	test -n "$id_hello" -a -n "$id_fw" -a "$id_hello" != "$id_fw"

LAB_SHARE=$LAB_RUNS/reload-share
rm -rf "$LAB_SHARE"
mkdir -p "$LAB_SHARE/firmware"
cp "$hello" "$LAB_SHARE/firmware/hello.elf"

# A user program, compiled the way docs/iterating.md shows.
prog_out=-
if command -v aarch64-linux-gnu-gcc >/dev/null; then
	prog_out="user program $$ ran"
	printf '#include <stdio.h>\nint main(void) { puts("%s"); return 0; }\n' \
		"$prog_out" >"$LAB_SHARE/user-prog.c"
	lab_check "the user program cross-compiles" \
		aarch64-linux-gnu-gcc -static -O2 -o "$LAB_SHARE/user-prog" "$LAB_SHARE/user-prog.c"
fi

export LAB_SHARE
lab_run reload "sh /tests/reload.sh $id_fw $id_hello '$prog_out'"
lab_check "the guest script ran to its end (status $LAB_RC)" test "$LAB_RC" -eq 0
lab_check_run_dir
lab_check "the share's firmware/ folder is still there" test -d "$LAB_SHARE/firmware"
lab_done
