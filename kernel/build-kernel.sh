#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Builds the guest Linux Image and modules out of tree, cached in
# $AMPRELAY_CACHE/kernel-<key>. The key covers everything that changes the
# result (source package version, config fragment, compiler), so a cached
# build is reused across `make clean` and rebuilt only when one changes.
# Finally $B/kernel points at the build directory.
# FLAVOUR=debug adds config/debug.config (sanitizers, docs/debug-kernel.md);
# the top Makefile gives that flavour its own B.
#
# usage: [FLAVOUR=normal|debug] build-kernel.sh  build (or reuse) the kernel
#        build-kernel.sh --print-source  unpack if needed, print the source dir
set -euo pipefail

TOP=${TOP:-$(cd "$(dirname "$0")/.." && pwd)}
B=${B:-$TOP/build}
AMPRELAY_CACHE=${AMPRELAY_CACHE:-$HOME/.cache/amprelay}

SOURCE_PKG=linux-source-6.12
TARBALL=/usr/src/linux-source-6.12.tar.xz
FRAGMENT=$TOP/kernel/config/amprelay.config
FLAVOUR=${FLAVOUR:-normal}
CROSS=aarch64-linux-gnu-
JOBS=2

die() { echo "build-kernel: error: $*" >&2; exit 1; }

[ -r "$TARBALL" ] || die "$TARBALL not found (run tools/setup.sh)"
case $FLAVOUR in
normal) fragments=("$FRAGMENT") ;;
debug) fragments=("$FRAGMENT" "$TOP/kernel/config/debug.config") ;;
*) die "unknown FLAVOUR '$FLAVOUR' (normal or debug)" ;;
esac
for f in "${fragments[@]}"; do
	[ -r "$f" ] || die "config fragment $f not found"
done
command -v "${CROSS}gcc" >/dev/null || die "${CROSS}gcc not found (run tools/setup.sh)"
pkg_version=$(dpkg-query -W -f='${Version}' "$SOURCE_PKG" 2>/dev/null) ||
	die "package $SOURCE_PKG is not installed (run tools/setup.sh)"
gcc_version=$("${CROSS}gcc" --version | head -n1)

mkdir -p "$AMPRELAY_CACHE" "$B"

# Unpack once per source package version; the lock stops two builds from
# unpacking into the same place, the rename makes a half unpack invisible.
src=$AMPRELAY_CACHE/src-$pkg_version
exec 8>"$src.lock"
flock 8
if [ ! -e "$src/.amprelay-unpacked" ]; then
	echo "build-kernel: unpacking $TARBALL into $src"
	rm -rf "$src" "$src.tmp"
	mkdir -p "$src.tmp"
	tar -xJf "$TARBALL" -C "$src.tmp" --strip-components=1
	touch "$src.tmp/.amprelay-unpacked"
	mv "$src.tmp" "$src"
fi
flock -u 8
if [ "${1:-}" = --print-source ]; then
	echo "$src"
	exit 0
fi
[ $# -eq 0 ] || die "usage: $0 [--print-source]"

key=$(printf '%s\n%s\n' "$pkg_version" "$gcc_version" |
	cat - "${fragments[@]}" | sha256sum | cut -c1-12)
out=$AMPRELAY_CACHE/kernel-$key
done_stamp=$out/.amprelay-done
# Every fragment in one file, as KCONFIG_ALLCONFIG takes a single one.
merged=$out/.amprelay-fragments.config

# One B holds one flavour: modules and the initramfs are built against
# whatever $B/kernel points at.
linked_flavour() {
	local k
	k=$(readlink "$B/kernel" 2>/dev/null) || return 0
	cat "$k/.amprelay-flavour" 2>/dev/null || echo normal
}
have=$(linked_flavour)
if [ -n "$have" ] && [ "$have" != "$FLAVOUR" ]; then
	die "$B holds a $have kernel, not $FLAVOUR: select the flavour with 'make FLAVOUR=$FLAVOUR ...', which gives each one its own build directory"
fi

kmake() {
	make -C "$src" O="$out" ARCH=arm64 CROSS_COMPILE="$CROSS" "$@"
}

# Every CONFIG_X=value line of the fragments must be in the final .config;
# Kconfig silently drops options whose dependencies are not met.
check_config() {
	local missing="" line
	while IFS= read -r line; do
		case $line in
		CONFIG_*=*)
			grep -qx -- "$line" "$out/.config" || missing="$missing ${line}"
			;;
		esac
	done <"$merged"
	if [ -n "$missing" ]; then
		echo "build-kernel: error: these fragment options did not survive olddefconfig:" >&2
		for line in $missing; do
			echo "  $line (now: $(grep -E "^(# )?${line%%=*}[= ]" "$out/.config" || echo 'not visible'))" >&2
		done
		exit 1
	fi
}

exec 9>"$out.lock"
flock 9
if [ ! -e "$done_stamp" ]; then
	echo "build-kernel: building kernel-$key from $SOURCE_PKG $pkg_version"
	start=$(date +%s)
	mkdir -p "$out"
	cat "${fragments[@]}" >"$merged"
	# allnoconfig with the fragment forced in (what merge_config.sh -n
	# does, without its temporary files in the source tree): options that
	# the fragment makes visible start as n too, instead of taking their
	# defaults as they would with allnoconfig + merge + olddefconfig
	# (NET=y would otherwise pull in IPv4, IPv6 and wireless).
	kmake -s KCONFIG_ALLCONFIG="$merged" allnoconfig
	kmake -s olddefconfig
	check_config
	kmake -j"$JOBS" Image modules
	# modules_prepare: out-of-tree drivers; usr/gen_init_cpio: the initramfs.
	kmake -j"$JOBS" modules_prepare usr/gen_init_cpio
	[ -x "$out/usr/gen_init_cpio" ] || die "usr/gen_init_cpio was not built"
	end=$(date +%s)
	echo "build-kernel: kernel-$key built in $((end - start)) s" \
		"(Image $(stat -c %s "$out/arch/arm64/boot/Image") bytes)"
	echo "$((end - start))" >"$out/.amprelay-build-seconds"
	echo "$FLAVOUR" >"$out/.amprelay-flavour"
	touch "$done_stamp"
fi
flock -u 9

# Replaced only on change: its target's timestamps drive the module rules.
if [ "$(readlink "$B/kernel" 2>/dev/null)" != "$out" ]; then
	ln -sfn "$out" "$B/kernel.tmp"
	mv -T "$B/kernel.tmp" "$B/kernel"
fi
