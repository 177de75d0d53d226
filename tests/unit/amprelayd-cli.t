#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# amprelayd's command line: usage errors, missing inputs, the generated
# QEMU command lines (quoting and QEMU's comma escaping) and the
# device-tree dump.
. "$(dirname "$0")/../lib/lab.sh"
A=$B/host/amprelayd
if [ ! -x "$A" ]; then
	echo "1..0 # SKIP $A not built (make host)"
	exit 0
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/amprelayd-cli.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# expect_fail DESC CODE PATTERN CMD...: exit code CODE, PATTERN on stderr.
expect_fail() {
	local desc=$1 code=$2 pattern=$3 rc
	shift 3
	timeout 30 "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ "$rc" -eq "$code" ] && grep -q -- "$pattern" "$tmp/err"; then
		lab_ok "$desc"
	else
		lab_not_ok "$desc (exit $rc, wanted $code and '$pattern')"
		sed 's/^/# /' "$tmp/err"
	fi
}

expect_fail "no mode: usage, exit 2" 2 "usage:" "$A"
expect_fail "unknown mode is named" 2 "unknown mode 'frob'" "$A" frob
expect_fail "unknown option is named" 2 "unknown argument '--frob'" "$A" run --frob
expect_fail "--timeout must be a positive number" 2 "positive number" "$A" run --timeout 0
expect_fail "--cmd needs a value" 2 "needs a value" "$A" run --cmd
expect_fail "serve needs --run-dir" 2 "needs --run-dir" "$A" serve
expect_fail "serve refuses --cmd" 2 "takes no --cmd" "$A" serve --run-dir "$tmp/s" --cmd true
expect_fail "dumpdtb needs exactly one file" 2 "exactly one" "$A" dumpdtb
lab_check "--help prints the modes and exits 0" bash -c "'$A' --help | grep -q dumpdtb"

# Missing inputs: every one named, with the target that builds it, and
# nothing created.
mkdir -p "$tmp/empty-build"
for f in kernel/arch/arm64/boot/Image initramfs.cpio.gz amprelay-virt.dtb fw/bootrom.elf; do
	expect_fail "run with no $f names it" 125 "missing $tmp/empty-build/$f (build it with 'make " \
		"$A" run --build "$tmp/empty-build" --run-dir "$tmp/never" --cmd true
done
lab_check "a refused run creates no run directory" test ! -e "$tmp/never"
expect_fail "interactive run with missing inputs exits 1" 1 "missing" \
	"$A" run --build "$tmp/empty-build" --run-dir "$tmp/never"

# One daemon per run directory: a second one is refused, a dead one's
# leftover socket is not in the way.
sdir=$tmp/serve
"$A" serve --run-dir "$sdir" 2>/dev/null &
first=$!
for ((i = 0; i < 50; i++)); do [ -S "$sdir/qmp-remote.sock" ] && break; sleep 0.1; done
expect_fail "a second daemon on the same run dir is refused" 1 "in use by another process" \
	"$A" serve --run-dir "$sdir"
kill -9 "$first"; wait "$first" 2>/dev/null
lab_check "after a daemon was killed, a new one takes over its sockets" \
	bash -c "'$A' serve --run-dir '$sdir' 2>/dev/null & p=\$!; sleep 0.5; kill -0 \$p && kill -TERM \$p; wait \$p; [ \$? -eq 143 ]"

# Command lines, in a directory whose name needs both kinds of escaping.
run="$tmp/run dir,x"
lab_check "cmdline writes both files" "$A" cmdline --run-dir "$run" --build "$tmp/b" --cmd true
lab_check "the files are valid shell" bash -n "$run/qemu-linux.cmdline" "$run/qemu-remote.cmdline"
lab_check "cmdline writes nothing else" \
	bash -c "[ \"\$(ls '$run' | tr '\n' ' ')\" = 'qemu-linux.cmdline qemu-remote.cmdline ' ]"

# has_arg FILE ARG...: the command line holds these words in sequence.
has_arg() {
	local file=$1 i j
	shift
	eval "local args=( $(<"$file") )"
	for ((i = 0; i < ${#args[@]}; i++)); do
		for ((j = 0; j < $#; j++)); do
			[ "${args[i + j]}" = "${@:j + 1:1}" ] || continue 2
		done
		return 0
	done
	echo "not in $file: $*"
	return 1
}
esc="$tmp/run dir,,x"
L=$run/qemu-linux.cmdline R=$run/qemu-remote.cmdline
lab_check "linux: qemu-system-aarch64 virt with GICv2" has_arg "$L" qemu-system-aarch64 -machine virt,gic-version=2
lab_check "linux: ivshmem socket path, commas doubled" has_arg "$L" -chardev "socket,id=ivsh,path=$esc/ivshmem.sock"
lab_check "linux: kernel, initramfs and dtb from the build dir" \
	bash -c "$(declare -f has_arg); has_arg '$L' -kernel '$tmp/b/kernel/arch/arm64/boot/Image' &&
		has_arg '$L' -initrd '$tmp/b/initramfs.cpio.gz' && has_arg '$L' -dtb '$tmp/b/amprelay-virt.dtb'"
lab_check "linux: the run dir is the 9p share" has_arg "$L" -fsdev "local,id=run,path=$esc,security_model=none"
lab_check "linux --cmd: console on plain stdio, no monitor" \
	bash -c "$(declare -f has_arg); has_arg '$L' -chardev stdio,id=con,signal=off && ! grep -q -- '-mon' '$L'"
lab_check "remote: mps2-an386 on the window, held with -S" \
	bash -c "$(declare -f has_arg); has_arg '$R' qemu-system-arm -machine mps2-an386,memory-backend=win &&
		has_arg '$R' -S && has_arg '$R' -kernel '$tmp/b/fw/bootrom.elf'"
lab_check "both name their threads (the host cpu request tells vCPU threads by name)" \
	bash -c "$(declare -f has_arg); has_arg '$L' -name amprelay-linux,debug-threads=on &&
		has_arg '$R' -name amprelay-remote,debug-threads=on"
lab_check "both map the same window file" \
	bash -c "grep -q 'mem-path=$esc/window.bin,share=on' '$L' && grep -q 'mem-path=$esc/window.bin,share=on' '$R'"
lab_check "remote: QMP and UART1 sockets" \
	bash -c "$(declare -f has_arg); has_arg '$R' -chardev 'socket,id=uart1,path=$esc/uart1.sock' -serial chardev:uart1 &&
		has_arg '$R' -chardev 'socket,id=qmp,path=$esc/qmp-remote.sock' -mon chardev=qmp,mode=control"
"$A" cmdline --run-dir "$run" --build "$tmp/b" >/dev/null
lab_check "linux interactive: muxed stdio with monitor and console log" \
	bash -c "$(declare -f has_arg); has_arg '$L' -chardev 'stdio,id=con,mux=on,signal=off,logfile=$esc/linux-console.log' \
		-serial chardev:con -mon chardev=con,mode=readline"
lab_check "no gdbstub unless asked for" bash -c "! grep -q -- '-gdb' '$L' '$R'"
"$A" cmdline --run-dir "$run" --build "$tmp/b" --gdb-remote --gdb-linux >/dev/null
lab_check "--gdb-remote/--gdb-linux: a gdbstub on a socket in the run dir for each" \
	bash -c "$(declare -f has_arg); has_arg '$R' -gdb 'unix:$esc/gdb-remote.sock,server,nowait' &&
		has_arg '$L' -gdb 'unix:$esc/gdb-linux.sock,server,nowait'"

# The device tree of the lab's virt machine.
if command -v qemu-system-aarch64 >/dev/null; then
	lab_check "dumpdtb writes a flattened device tree" \
		bash -c "'$A' dumpdtb '$tmp/virt.dtb' && [ \"\$(od -An -tx1 -N4 '$tmp/virt.dtb' | tr -d ' ')\" = d00dfeed ]"
	if command -v dtc >/dev/null; then
		lab_check "its tree has two memory nodes (private RAM, window)" \
			bash -c "[ \"\$(dtc -q -I dtb -O dts '$tmp/virt.dtb' | grep -c 'device_type = \"memory\"')\" = 2 ]"
	else
		lab_ok "its tree has two memory nodes # SKIP dtc not installed"
	fi
	expect_fail "dumpdtb into a missing directory fails, naming it" 1 "$tmp/nodir/x.dtb" \
		"$A" dumpdtb "$tmp/nodir/x.dtb"
else
	lab_ok "dumpdtb # SKIP qemu-system-aarch64 not installed"
fi
lab_done
