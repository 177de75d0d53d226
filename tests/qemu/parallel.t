#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Two labs at once share no socket, file or port, and both work.
. "$(dirname "$0")/../lib/lab.sh"
lab_require
a=$LAB_RUNS/parallel-a b=$LAB_RUNS/parallel-b
rm -rf "$a" "$b"
"$B/host/amprelayd" run --run-dir "$a" --cmd 'amprelay ping -q -c 300 -s 0-496 && amprelay echo lab-a' >"$a.out" 2>&1 &
pa=$!
"$B/host/amprelayd" run --run-dir "$b" --cmd 'amprelay ping -q -c 300 -s 0-496 && amprelay echo lab-b' >"$b.out" 2>&1 &
pb=$!
wait $pa; ra=$?
wait $pb; rb=$?
lab_check "lab a ran its echoes (rc $ra)" grep -qx lab-a "$a.out"
lab_check "lab b ran its echoes (rc $rb)" grep -qx lab-b "$b.out"
lab_check "both exited 0" test $ra -eq 0 -a $rb -eq 0
for r in "$a" "$b"; do
	LAB_RUN=$r LAB_RC=0
	lab_check "${r##*/}: no QEMU, socket or window left" \
		bash -c "! ls '$r'/*.sock '$r'/window.bin 2>/dev/null | grep -q ."
done
lab_check "the labs used different shared files" \
	bash -c "! cmp -s <(grep -o 'mem-path=[^,]*' '$a/qemu-linux.cmdline') <(grep -o 'mem-path=[^,]*' '$b/qemu-linux.cmdline')"
rm -f "$a.out" "$b.out"
lab_done
