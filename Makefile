# SPDX-License-Identifier: GPL-2.0-only
# AmpRelay top-level build. `make help` lists the targets.

.DEFAULT_GOAL := all
SHELL := /bin/bash

TOP := $(abspath .)
B := $(TOP)/build
AMPRELAY_CACHE ?= $(HOME)/.cache/amprelay
export AMPRELAY_CACHE TOP B

# Every build step first makes sure the Debian packages are there.
SETUP := $(B)/.setup-ok
$(SETUP): tools/setup.sh
	@tools/setup.sh
	@mkdir -p $(B) && touch $@

.PHONY: all setup firmware host kernel modules guest dtb initramfs run test bench \
	check-style check fuzz clean distclean help

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

# make bench [COUNT=10000] [CYCLES=20] [THROUGHPUT=10000] [RECOVERY=20]
#            [FAULTS='hardfault ...'] [RUN=dir]
bench: all
	@tools/bench/run-bench $(if $(COUNT),--count $(COUNT)) \
		$(if $(CYCLES),--cycles $(CYCLES)) \
		$(if $(THROUGHPUT),--throughput $(THROUGHPUT)) \
		$(if $(RECOVERY),--recovery $(RECOVERY)) \
		$(if $(FAULTS),--faults '$(FAULTS)') $(if $(RUN),--run-dir '$(RUN)')

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
	@echo "  make bench [COUNT=N] [CYCLES=N] [THROUGHPUT=N] [RECOVERY=N] [FAULTS=...] [RUN=dir]"
	@echo "                    boot, latency against the bare doorbell, throughput,"
	@echo "                    recovery per fault, footprint; RUN/bench/summary.md,"
	@echo "                    results.csv and plots (docs/performance.md)"
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
