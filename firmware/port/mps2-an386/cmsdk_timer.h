/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ARM CMSDK APB timer, as QEMU models it on mps2-an386 (hw/arm/mps2.c):
 * two 32-bit down counters clocked at the system clock. A counter reaching
 * 0 raises its interrupt (when enabled), then reloads and runs on; writing
 * RELOAD restarts the count from the new value.
 */
#ifndef AR_CMSDK_TIMER_H
#define AR_CMSDK_TIMER_H

#include <stdint.h>

struct ar_cmsdk_timer {
	volatile uint32_t ctrl;
	volatile uint32_t value;
	volatile uint32_t reload;
	volatile uint32_t intstatus;	/* read; write 1 to clear */
};

#define AR_TIMER0_BASE		0x40000000	/* free-running time base */
#define AR_TIMER0_IRQ		8
#define AR_TIMER1_BASE		0x40001000	/* wake-up at the next deadline */
#define AR_TIMER1_IRQ		9

#define AR_TIMER0		((struct ar_cmsdk_timer *)AR_TIMER0_BASE)
#define AR_TIMER1		((struct ar_cmsdk_timer *)AR_TIMER1_BASE)

#define AR_TIMER_CTRL_EN	(1u << 0)
#define AR_TIMER_CTRL_IRQEN	(1u << 3)
#define AR_TIMER_INT		(1u << 0)

#endif /* AR_CMSDK_TIMER_H */
