#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Firmware faults and debugfs crashes end to end, then gdb on the dump.
. "$(dirname "$0")/../lib/lab.sh"
lab_require
lab_run crash-faults "sh /tests/crash-faults.sh"
lab_check_run_dir

core=$LAB_RUN/hardfault.core
lab_check "the hardfault dump reached the run directory" test -s "$core"
lab_check "fw-coredump adds the registers from the crash record" \
	"$TOP/tools/fw-coredump" "$core" "$LAB_RUN/hardfault.elfcore"
lab_check "fw-coredump refuses a file that is no dump, with a message" \
	bash -c "out=\$('$TOP/tools/fw-coredump' '$LAB_RUN/events.jsonl' /dev/null 2>&1);
		[ \$? -eq 1 ] && [[ \$out == *'not an ELF file'* ]]"
if command -v gdb-multiarch >/dev/null; then
	bt=$(gdb-multiarch -nx "$B/fw/amprelay-fw.elf" "$LAB_RUN/hardfault.elfcore" \
		-batch -ex bt 2>&1)
	printf '%s\n' "$bt" | grep '^#' | sed 's/^/# gdb: /'
	lab_check "gdb bt on the dump starts in null_load, called by ar_fault_inject" \
		bash -c "printf '%s\n' \"\$1\" | grep -q '^#0 .* in null_load ' &&
			printf '%s\n' \"\$1\" | grep -q '^#1 .* in ar_fault_inject '" _ "$bt"
else
	lab_ok "gdb bt on the dump # SKIP gdb-multiarch not installed"
fi
lab_done
