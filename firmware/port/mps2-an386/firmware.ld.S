/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Firmware layout (run through cpp with platform.h). Code runs from
 * SSRAM1, where the boot ROM copies it, but is loaded right after the
 * image header in the window (LMA = p_paddr, which Linux's ELF loader
 * uses). Everything else is linked where it is loaded (VMA == LMA) in the
 * window: Linux finds .resource_table by its section address, and the
 * data and stack end up in its coredump.
 */
#include <amprelay/platform.h>

#define FW_BASE		(AR_WIN_REMOTE_DA + AR_FW_OFF)
#define FW_STACK_SIZE	0x2000
#define FW_STACK_GUARD	0x100	/* MPU region: power of two, aligned */

OUTPUT_FORMAT("elf32-littlearm")
OUTPUT_ARCH(arm)
ENTRY(ar_reset_handler)

MEMORY
{
	fw (rw) : ORIGIN = FW_BASE, LENGTH = AR_FW_SIZE
	code (rx) : ORIGIN = AR_CODE_RUN_BASE, LENGTH = AR_CODE_RUN_MAX
}

/* One segment each for the header, the code the boot ROM copies, the rest. */
PHDRS
{
	header PT_LOAD;
	code PT_LOAD;
	data PT_LOAD;
}

SECTIONS
{
	.image_header : {
		KEEP(*(.image_header))
	} > fw :header

	.vectors : {
		KEEP(*(.vectors))
	} > code AT > fw :code

	.text : {
		*(.text .text.*)
		*(.rodata .rodata.*)
		/* The AR_SERVICE() table (core/registry.h). */
		. = ALIGN(4);
		__start_ar_service_defs = .;
		KEEP(*(ar_service_defs))
		__stop_ar_service_defs = .;
		/* The boot ROM copies whole words. */
		. = ALIGN(4);
	} > code AT > fw :code

	.resource_table : ALIGN(8) {
		KEEP(*(.resource_table))
	} > fw :data

	.data : {
		*(.data .data.*)
	} > fw :data

	.bss (NOLOAD) : ALIGN(4) {
		__bss_start__ = .;
		*(.bss .bss.* COMMON)
		. = ALIGN(4);
		__bss_end__ = .;
	} > fw :data

	/* The MPU makes the guard below the stack fault (crash.c). */
	.stack (NOLOAD) : ALIGN(FW_STACK_GUARD) {
		__stack_guard__ = .;
		. += FW_STACK_GUARD;
		. += FW_STACK_SIZE;
		__stack_top__ = .;
	} > fw :data

	/DISCARD/ : {
		*(.ARM.exidx* .ARM.extab* .init_array* .fini_array*)
	}
}

ASSERT(ADDR(.image_header) == FW_BASE + AR_IMAGE_HEADER_OFF,
       "the image header must open the firmware load area")
ASSERT(ADDR(.vectors) == AR_CODE_RUN_BASE, "vectors must start the code")
ASSERT(SIZEOF(.resource_table) > 0, "no resource table")
/*
 * A reset that Linux did not follow with a reload (watchdog) restarts the
 * firmware on the window as the last run left it: initialised data would
 * keep modified values. Use const or set values at run time.
 */
ASSERT(SIZEOF(.data) == 0, "initialised data in the firmware; see firmware.ld.S")
