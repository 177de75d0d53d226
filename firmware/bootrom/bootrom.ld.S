/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Boot ROM layout (run through cpp with platform.h). QEMU loads it at 0x0
 * and reloads it on every reset, so everything stays inside the boot ROM
 * area of SSRAM1 and nothing reaches the window, which QEMU would
 * overwrite. The stack is the top of private SSRAM2.
 */
#include <amprelay/platform.h>

OUTPUT_FORMAT("elf32-littlearm")
OUTPUT_ARCH(arm)
ENTRY(ar_bootrom_reset)

MEMORY
{
	rom (rx) : ORIGIN = AR_BOOTROM_BASE, LENGTH = AR_BOOTROM_SIZE
}

SECTIONS
{
	.vectors : {
		KEEP(*(.vectors))
	} > rom

	.text : {
		*(.text .text.*)
		*(.rodata .rodata.*)
	} > rom

	.data : {
		*(.data .data.*)
	} > rom

	.bss (NOLOAD) : {
		*(.bss .bss.* COMMON)
	} > rom

	/DISCARD/ : {
		*(.ARM.exidx* .ARM.extab* .init_array* .fini_array*)
	}
}

ASSERT(ADDR(.vectors) == AR_BOOTROM_BASE, "vectors must be at the reset address")
/* Nothing initialises memory before the boot ROM runs: keep no state. */
ASSERT(SIZEOF(.data) == 0 && SIZEOF(.bss) == 0, "boot ROM must not have data or bss")
