// SPDX-License-Identifier: GPL-2.0-only
/*
 * Vector table and reset handler of the firmware (faults: crash.c). The
 * boot ROM has already set VTOR and MSP from this table; we only zero
 * .bss (in the window) and enter the main loop.
 */
#include <stdint.h>
#include <amprelay/platform.h>
#include "port/crash.h"
#include "cm4.h"
#include "cmsdk_timer.h"

typedef void (*ar_vector)(void);

extern uint32_t __bss_start__[], __bss_end__[], __stack_top__[];

void ar_fw_main(void) __attribute__((noreturn));
void ar_reset_handler(void) __attribute__((noreturn));
void ar_fault_entry(void);
void ar_nmi_entry(void);
void ar_uart1_rx_isr(void);
void ar_timebase_isr(void);
void ar_wake_isr(void);

/*
 * Every external interrupt but the doorbell and the two timers is
 * unexpected, hence fatal; so is SysTick, which nothing starts.
 */
#define IRQ(n)	((n) == AR_UART1_RX_IRQ ? ar_uart1_rx_isr :	\
		 (n) == AR_TIMER0_IRQ ? ar_timebase_isr :	\
		 (n) == AR_TIMER1_IRQ ? ar_wake_isr : ar_fault_entry)

const ar_vector ar_vectors[AR_NUM_SYS_VECTORS + AR_NUM_IRQS]
	__attribute__((section(".vectors"), used)) = {
	(ar_vector)__stack_top__,
	ar_reset_handler,
	ar_nmi_entry,		/* NMI: the watchdog */
	ar_fault_entry,		/* HardFault */
	ar_fault_entry,		/* MemManage */
	ar_fault_entry,		/* BusFault */
	ar_fault_entry,		/* UsageFault */
	0, 0, 0, 0,
	ar_fault_entry,		/* SVCall */
	ar_fault_entry,		/* DebugMonitor */
	0,
	ar_fault_entry,		/* PendSV */
	ar_fault_entry,		/* SysTick */
	IRQ(0), IRQ(1), IRQ(2), IRQ(3), IRQ(4), IRQ(5), IRQ(6), IRQ(7),
	IRQ(8), IRQ(9), IRQ(10), IRQ(11), IRQ(12), IRQ(13), IRQ(14), IRQ(15),
	IRQ(16), IRQ(17), IRQ(18), IRQ(19), IRQ(20), IRQ(21), IRQ(22), IRQ(23),
	IRQ(24), IRQ(25), IRQ(26), IRQ(27), IRQ(28), IRQ(29), IRQ(30), IRQ(31),
};

void ar_reset_handler(void)
{
	uint32_t *p;

	/* The stack is a section of its own, so this does not clear it. */
	for (p = __bss_start__; p < __bss_end__; p++)
		*p = 0;
	AR_SCB_VTOR = (uint32_t)ar_vectors;
	/* Fault handlers, guards and the watchdog before anything can fail. */
	ar_crash_init();
	ar_fw_main();
}
