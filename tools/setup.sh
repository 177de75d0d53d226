#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Installs everything the lab needs, from Debian packages only. Idempotent:
# does nothing when all is present. Called by make when a tool is missing.
set -eu

PKGS="make gcc libc6-dev clang llvm perl xz-utils cpio bc flex bison kmod
libssl-dev libelf-dev dwarves rsync python3
qemu-system-arm gcc-aarch64-linux-gnu libc6-dev-arm64-cross
gcc-arm-none-eabi libnewlib-arm-none-eabi binutils-arm-none-eabi
linux-source-6.12 device-tree-compiler gdb-multiarch gnuplot-nox
libclang-rt-14-dev cppcheck clang-tidy sparse chromium"

CACHE=${AMPRELAY_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/amprelay}
BUSYBOX_DEB_DIR=$CACHE/debs

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
have_busybox=$(ls "$BUSYBOX_DEB_DIR"/busybox-static_*_arm64.deb 2>/dev/null | head -n1 || true)

if [ -z "$missing" ] && [ -n "$have_busybox" ]; then
	exit 0
fi

if [ "$(id -u)" != 0 ]; then
	echo "setup: missing packages:$missing; run as root: $0" >&2
	exit 1
fi

export DEBIAN_FRONTEND=noninteractive
dpkg --print-foreign-architectures | grep -qx arm64 || dpkg --add-architecture arm64
apt-get update -q
if [ -n "$missing" ]; then
	echo "setup: installing$missing"
	# shellcheck disable=SC2086
	apt-get install -y -q --no-install-recommends $missing
fi
if [ -z "$have_busybox" ]; then
	# The arm64 busybox goes into the guest's initramfs, not onto the host:
	# fetch the package file instead of installing it over the host's busybox.
	mkdir -p "$BUSYBOX_DEB_DIR"
	(cd "$BUSYBOX_DEB_DIR" && apt-get download -q busybox-static:arm64)
fi
echo "setup: done"
