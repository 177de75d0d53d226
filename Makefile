# SPDX-License-Identifier: GPL-2.0-only
# AmpRelay top-level build. `make help` lists the targets.

.DEFAULT_GOAL := all
SHELL := /bin/bash

TOP := $(abspath .)
# FLAVOUR=debug: the sanitizer kernel (docs/debug-kernel.md). Each flavour
# has its own B, so every output built against its kernel stays apart.
FLAVOUR ?= normal
ifeq ($(FLAVOUR),normal)
B := $(TOP)/build
else ifeq ($(FLAVOUR),debug)
B := $(TOP)/build/debug
else
$(error unknown FLAVOUR '$(FLAVOUR)': use FLAVOUR=normal (default) or FLAVOUR=debug)
endif
AMPRELAY_CACHE ?= $(HOME)/.cache/amprelay
export AMPRELAY_CACHE TOP B FLAVOUR

# Every build step first makes sure the Debian packages are there.
SETUP := $(B)/.setup-ok
$(SETUP): tools/setup.sh
	@tools/setup.sh
	@mkdir -p $(B) && touch $@

.PHONY: all setup firmware host kernel modules guest dtb initramfs run test bench \
	check-style check fuzz soak report debug-fw debug-linux debug-kernel-check \
	clean distclean help

setup:
	@tools/setup.sh

all: firmware host kernel modules guest dtb initramfs

firmware: $(SETUP)
	@$(MAKE) --no-print-directory -C firmware

host: $(SETUP)
	@$(MAKE) --no-print-directory -C qemu

kernel: $(SETUP)
	@$(MAKE) --no-print-directory -C kernel kernel

modules: kernel
	@$(MAKE) --no-print-directory -C kernel modules

guest: $(SETUP)
	@$(MAKE) --no-print-directory -C kernel guest

dtb: host
	@$(MAKE) --no-print-directory -C kernel dtb

initramfs: firmware modules guest
	@$(MAKE) --no-print-directory -C kernel initramfs

# make run [CMD='guest shell command'] [RUN=dir] [SHARE=dir]
run: all
	@$(B)/host/amprelayd run $(if $(RUN),--run-dir '$(RUN)') \
		$(if $(SHARE),--share '$(SHARE)') \
		$(if $(CMD),--cmd '$(subst ','\'',$(CMD))')

test: all
	@tests/run-tests

# make debug-kernel-check [CYCLES=100]: the crash scenario on the debug
# kernel, failing on any sanitizer report (docs/debug-kernel.md). Not in
# make test: the debug kernel takes its own long build and runs slowly.
ifeq ($(FLAVOUR),debug)
debug-kernel-check: all
	@tools/debug-kernel-check $(if $(CYCLES),--cycles $(CYCLES))
else
debug-kernel-check:
	@$(MAKE) --no-print-directory FLAVOUR=debug debug-kernel-check
endif

# make bench [COUNT=10000] [CYCLES=20] [THROUGHPUT=10000] [RECOVERY=20]
#            [FAULTS='hardfault ...'] [RUN=dir]
bench: all
	@tools/bench/run-bench $(if $(COUNT),--count $(COUNT)) \
		$(if $(CYCLES),--cycles $(CYCLES)) \
		$(if $(THROUGHPUT),--throughput $(THROUGHPUT)) \
		$(if $(RECOVERY),--recovery $(RECOVERY)) \
		$(if $(FAULTS),--faults '$(FAULTS)') $(if $(RUN),--run-dir '$(RUN)')

# make soak [CYCLES=1000] [SEED=n] [RUN=dir]: checked echo traffic while
# faults of every type are injected in a seeded random order.
soak: all
	@tools/soak/run-soak $(if $(CYCLES),--cycles $(CYCLES)) \
		$(if $(SEED),--seed $(SEED)) $(if $(RUN),--run-dir '$(RUN)')

# make report [RUN=dir]: one self-contained HTML page for a run directory.
report: $(SETUP)
	@tools/report/make-report $(if $(RUN),'$(RUN)')

# The lab with a gdbstub on the remote core (debug-fw) or on Linux
# (debug-linux), and gdb-multiarch attached with the right symbols.
debug-fw: all
	@tools/debug/debug-lab fw

debug-linux: all
	@tools/debug/debug-lab linux

check-style: $(SETUP)
	@$(MAKE) --no-print-directory -C kernel check-style

# cppcheck, clang-tidy, sparse and checkpatch; make test runs it too.
check: modules
	@tools/static-checks

# make fuzz [SECONDS=60]: every libFuzzer harness in tests/fuzz for SECONDS.
fuzz: $(SETUP)
	@$(MAKE) --no-print-directory -C tests/fuzz run SECONDS=$(or $(SECONDS),60)

clean:
	rm -rf $(B)

distclean: clean
	rm -rf $(AMPRELAY_CACHE)/kernel-*

help:
	@echo "AmpRelay targets:"
	@echo "  make run [CMD='...'] [RUN=dir]  start the lab; with CMD run it in the"
	@echo "                                  guest, print its output, exit with its status"
	@echo "                  [SHARE=dir]     host folder seen as /share in the guest"
	@echo "                                  (default build/share; firmware/ in it is"
	@echo "                                  searched first by 'amprelay reload')"
	@echo "  make test          host unit tests and QEMU scenarios (TAP, via prove)"
	@echo "  make debug-kernel-check [CYCLES=N]"
	@echo "                    N (100) crash cycles on the debug kernel; fails on any"
	@echo "                    KASAN, kmemleak, lockdep or atomic-sleep report. Not in"
	@echo "                    make test: a second kernel build (docs/debug-kernel.md)"
	@echo "  FLAVOUR=debug     with any target: the same on the debug kernel (KASAN,"
	@echo "                    kmemleak, lockdep), every output under build/debug"
	@echo "  make bench [COUNT=N] [CYCLES=N] [THROUGHPUT=N] [RECOVERY=N] [FAULTS=...] [RUN=dir]"
	@echo "                    boot, latency against the bare doorbell, throughput,"
	@echo "                    recovery per fault, footprint; RUN/bench/summary.md,"
	@echo "                    results.csv and plots (docs/performance.md)"
	@echo "  make soak [CYCLES=N] [SEED=n] [RUN=dir]"
	@echo "                    checked echo traffic under random faults (seeded)"
	@echo "  make report [RUN=dir]  one HTML page for a run (default: the latest)"
	@echo "  make debug-fw      the lab with gdb on the Cortex-M4 firmware"
	@echo "  make debug-linux   the lab with gdb on the Linux kernel and our modules"
	@echo "  make all           build everything that is stale (the default)"
	@echo "  make setup         install missing Debian packages (tools/setup.sh)"
	@echo "  make firmware      boot ROM, firmware and the bad test images"
	@echo "  make host          amprelayd and the host tools"
	@echo "  make kernel        Linux 6.12 Image (cached in \$$AMPRELAY_CACHE)"
	@echo "  make modules       the sysctl and remoteproc drivers"
	@echo "  make guest         the static guest tools (amprelay)"
	@echo "  make dtb           QEMU's virt device tree plus our overlay"
	@echo "  make initramfs     the guest root: busybox, modules, firmware, tools"
	@echo "  make check-style   checkpatch.pl --strict on the kernel drivers"
	@echo "  make check         cppcheck, clang-tidy, sparse and checkpatch (in make test)"
	@echo "  make fuzz [SECONDS=N]  run each libFuzzer harness (tests/fuzz) N seconds"
	@echo "  make clean         remove build/ (keeps the kernel cache)"
	@echo "  make distclean     also drop the cached kernel builds"
