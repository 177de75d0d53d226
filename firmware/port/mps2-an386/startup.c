// SPDX-License-Identifier: GPL-2.0-only
/*
 * Vector table, reset handler and the fault handler of the firmware. The
 * boot ROM has already set VTOR and MSP from this table; we only zero
 * .bss (in the window) and enter the main loop.
 */
#include <stdint.h>
#include <amprelay/platform.h>
#include "cm4.h"
#include "cmsdk_uart.h"

typedef void (*ar_vector)(void);

extern uint32_t __bss_start__[], __bss_end__[], __stack_top__[];

void ar_fw_main(void) __attribute__((noreturn));
void ar_reset_handler(void) __attribute__((noreturn));
void ar_fault_entry(void);
void ar_fault_report(const uint32_t *frame, uint32_t exc_return)
	__attribute__((noreturn, used));
void ar_uart1_rx_isr(void);
void ar_systick_isr(void);

/* Every external interrupt but the doorbell is unexpected, hence fatal. */
#define IRQ(n)	((n) == AR_UART1_RX_IRQ ? ar_uart1_rx_isr : ar_fault_entry)

const ar_vector ar_vectors[AR_NUM_SYS_VECTORS + AR_NUM_IRQS]
	__attribute__((section(".vectors"), used)) = {
	(ar_vector)__stack_top__,
	ar_reset_handler,
	ar_fault_entry,		/* NMI */
	ar_fault_entry,		/* HardFault */
	ar_fault_entry,		/* MemManage */
	ar_fault_entry,		/* BusFault */
	ar_fault_entry,		/* UsageFault */
	0, 0, 0, 0,
	ar_fault_entry,		/* SVCall */
	ar_fault_entry,		/* DebugMonitor */
	0,
	ar_fault_entry,		/* PendSV */
	ar_systick_isr,
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
	/* Separate handlers (and CFSR bits) for MemManage, Bus, Usage faults. */
	AR_SCB_SHCSR |= AR_SHCSR_FAULTS_ENA;
	ar_dsb_isb();
	ar_fw_main();
}

/* Hands the stacked frame (MSP or PSP, per EXC_RETURN) to ar_fault_report. */
__attribute__((naked)) void ar_fault_entry(void)
{
	__asm__ volatile(
		"tst lr, #4\n\t"
		"ite eq\n\t"
		"mrseq r0, msp\n\t"
		"mrsne r0, psp\n\t"
		"mov r1, lr\n\t"
		"b ar_fault_report\n\t");
}

/* Polled output with no buffer: the stack may be what failed. */
static void fault_puts(const char *s)
{
	while (*s)
		ar_uart_putc(AR_UART0, *s++);
}

static void fault_hex(const char *name, uint32_t v)
{
	int i;

	fault_puts(name);
	for (i = 28; i >= 0; i -= 4)
		ar_uart_putc(AR_UART0, "0123456789abcdef"[(v >> i) & 0xf]);
}

static int frame_readable(uint32_t a)
{
	return (a >= AR_WIN_REMOTE_DA && a <= AR_WIN_REMOTE_DA + AR_WIN_SIZE - 32) ||
	       (a >= AR_SSRAM2_BASE && a <= AR_SSRAM2_BASE + AR_SSRAM2_SIZE - 32);
}

void ar_fault_report(const uint32_t *frame, uint32_t exc_return)
{
	static const char *const names[16] = {
		[2] = "NMI", [3] = "HardFault", [4] = "MemManage",
		[5] = "BusFault", [6] = "UsageFault", [11] = "SVCall",
		[12] = "DebugMonitor", [14] = "PendSV",
	};
	uint32_t ipsr;

	ar_irq_disable();
	__asm__ volatile("mrs %0, ipsr" : "=r"(ipsr));
	ipsr &= 0x1ff;
	/* The console may not be set up yet if we fault early. */
	ar_uart_init(AR_UART0, AR_UART_CTRL_TX_EN);
	fault_puts("\namprelay-fw: FATAL ");
	if (ipsr < 16 && names[ipsr]) {
		fault_puts(names[ipsr]);
	} else {
		fault_hex("unexpected exception 0x", ipsr);
	}
	if (frame_readable((uint32_t)frame)) {
		fault_hex(" pc=", frame[6]);
		fault_hex(" lr=", frame[5]);
		fault_hex(" xpsr=", frame[7]);
		fault_hex(" r0=", frame[0]);
	}
	fault_hex(" sp=", (uint32_t)frame);
	fault_hex(" exc_return=", exc_return);
	fault_hex("\namprelay-fw: cfsr=", AR_SCB_CFSR);
	fault_hex(" hfsr=", AR_SCB_HFSR);
	fault_hex(" mmfar=", AR_SCB_MMFAR);
	fault_hex(" bfar=", AR_SCB_BFAR);
	fault_puts("\namprelay-fw: stopped\n");
	for (;;)
		__asm__ volatile("wfi");
}
