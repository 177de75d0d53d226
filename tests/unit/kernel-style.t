#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The kernel drivers are clean under the kernel's own checkpatch --strict.
. "$(dirname "$0")/../lib/lab.sh"
cache=${AMPRELAY_CACHE:-$HOME/.cache/amprelay}
checkpatch=$(ls "$cache"/src-*/scripts/checkpatch.pl 2>/dev/null | tail -n 1)
if [ -z "$checkpatch" ]; then
	echo "1..0 # SKIP no unpacked kernel source in $cache (run make kernel)"
	exit 0
fi
shopt -s nullglob
files=("$TOP"/kernel/drivers/*.c "$TOP"/kernel/drivers/*.h)
if [ ${#files[@]} -eq 0 ]; then
	echo "1..0 # SKIP no driver sources"
	exit 0
fi
for f in "${files[@]}"; do
	lab_check "checkpatch --strict ${f#"$TOP"/}" \
		perl "$checkpatch" --strict --no-tree --no-summary --terse -f "$f"
done
lab_done
