// SPDX-License-Identifier: GPL-2.0-only
/*
 * mps2-an386 port: UART0 console, UART1 doorbell byte link to amprelayd,
 * SysTick for time, WFI idle. Interrupt handlers only note events; the
 * main loop does the work.
 */
#include <amprelay/platform.h>
#include "core/port.h"
#include "port/board.h"
#include "cm4.h"
#include "cmsdk_uart.h"

/* 1 kHz: the shortest telemetry period is one tick. */
#define AR_TICK_HZ		1000
#define AR_TICK_RELOAD		(AR_REMOTE_CPU_HZ / AR_TICK_HZ)
#define AR_US_PER_TICK		(1000000 / AR_TICK_HZ)
#define AR_CYCLES_PER_US	(AR_REMOTE_CPU_HZ / 1000000)

void ar_uart1_rx_isr(void);
void ar_systick_isr(void);

static volatile uint32_t pending_events;
static volatile uint32_t ticks;

void ar_uart1_rx_isr(void)
{
	/* Clear first: a byte landing after the drain raises a new interrupt. */
	AR_UART1->intstatus = AR_UART_INT_RX;
	/*
	 * Linux rings AR_MBOX_VQ for work and AR_MBOX_PING to measure the
	 * bare doorbell round trip, answered right here so the figure holds
	 * no firmware loop; other bytes mean nothing.
	 */
	while (AR_UART1->state & AR_UART_STATE_RXFULL) {
		uint32_t byte = AR_UART1->data & 0xff;

		if (byte == AR_MBOX_VQ)
			pending_events |= AR_EVT_DOORBELL;
		else if (byte == AR_MBOX_PING)
			ar_uart_putc(AR_UART1, AR_MBOX_PING);
	}
}

void ar_systick_isr(void)
{
	ticks++;
	pending_events |= AR_EVT_TICK;
}

void ar_board_init(void)
{
	ar_uart_init(AR_UART0, AR_UART_CTRL_TX_EN);
	ar_uart_init(AR_UART1, AR_UART_CTRL_TX_EN | AR_UART_CTRL_RX_EN |
		     AR_UART_CTRL_RX_INTEN);
	AR_SYST_RVR = AR_TICK_RELOAD - 1;
	AR_SYST_CVR = 0;
	AR_SYST_CSR = AR_SYST_CSR_ENABLE | AR_SYST_CSR_TICKINT |
		      AR_SYST_CSR_CPUCLK;
	ar_nvic_enable(AR_UART1_RX_IRQ);
	ar_irq_enable();
}

uint32_t ar_board_wait(void)
{
	uint32_t ev;

	/*
	 * Check and sleep with interrupts masked so an event cannot slip in
	 * between the check and the WFI; a pending interrupt still ends the
	 * WFI, and is taken once they are unmasked.
	 */
	for (;;) {
		ar_irq_disable();
		ev = pending_events;
		pending_events = 0;
		if (ev) {
			ar_irq_enable();
			return ev;
		}
		__asm__ volatile("wfi" ::: "memory");
		ar_irq_enable();
	}
}

void ar_port_notify(unsigned int chan)
{
	/* Everything written to the window is visible before the doorbell. */
	ar_dsb_isb();
	ar_uart_putc(AR_UART1, (char)chan);
}

void ar_port_mb(void)
{
	ar_dmb();
}

uint32_t ar_port_irq_save(void)
{
	uint32_t state = ar_primask();

	ar_irq_disable();
	return state;
}

void ar_port_irq_restore(uint32_t state)
{
	if (!(state & 1))
		ar_irq_enable();
}

uint32_t ar_port_time_us(void)
{
	uint32_t t, cvr;

	do {
		t = ticks;
		cvr = AR_SYST_CVR;
	} while (t != ticks);
	return t * AR_US_PER_TICK + (AR_TICK_RELOAD - 1 - cvr) / AR_CYCLES_PER_US;
}

void *ar_port_pa_to_local(uint64_t pa, uint32_t len)
{
	uint64_t off = pa - AR_WIN_LINUX_PA;

	if (pa < AR_WIN_LINUX_PA || off > AR_WIN_SIZE || len > AR_WIN_SIZE - off)
		return 0;
	return (void *)(uintptr_t)(AR_WIN_REMOTE_DA + (uint32_t)off);
}

void *ar_port_da_to_local(uint32_t da, uint32_t len)
{
	uint32_t off = da - AR_WIN_REMOTE_DA;

	if (da < AR_WIN_REMOTE_DA || off > AR_WIN_SIZE || len > AR_WIN_SIZE - off)
		return 0;
	return (void *)(uintptr_t)da;
}

void ar_port_console_write(const char *s, uint32_t len)
{
	while (len--)
		ar_uart_putc(AR_UART0, *s++);
}
