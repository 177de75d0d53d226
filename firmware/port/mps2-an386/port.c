// SPDX-License-Identifier: GPL-2.0-only
/*
 * mps2-an386 port: UART0 console, UART1 doorbell byte link to amprelayd,
 * CMSDK timer 0 for time, timer 1 to wake by the main loop's next
 * deadline, WFI idle. There is no fast tick: the core sleeps until an
 * interrupt, its deadline or at the latest the wake-up period the main
 * loop chose. Interrupt handlers only note events; the main loop does the
 * work.
 */
#include <amprelay/platform.h>
#include "core/port.h"
#include "port/board.h"
#include "cm4.h"
#include "cmsdk_timer.h"
#include "cmsdk_uart.h"

#define AR_CYCLES_PER_US	(AR_REMOTE_CPU_HZ / 1000000u)
/*
 * Timer 0 counts down from AR_TIMEBASE_RELOAD to 0 and wraps, raising its
 * interrupt once every AR_TIMEBASE_WRAP_US: a whole number of
 * microseconds, so wraps * AR_TIMEBASE_WRAP_US + elapsed is the time, and
 * rare enough to cost nothing.
 */
#define AR_TIMEBASE_WRAP_US	100000000u	/* 100 s */
#define AR_TIMEBASE_RELOAD	(AR_TIMEBASE_WRAP_US * AR_CYCLES_PER_US - 1)
/* The longest sleep timer 1 counts in one go. */
#define AR_WAKE_MAX_US		(UINT32_MAX / AR_CYCLES_PER_US)

_Static_assert(AR_REMOTE_CPU_HZ % 1000000u == 0,
	       "the timers need a whole number of cycles per microsecond");
_Static_assert((uint64_t)AR_TIMEBASE_WRAP_US * AR_CYCLES_PER_US - 1 <= UINT32_MAX,
	       "the time base reload must fit the 32-bit timer");

void ar_uart1_rx_isr(void);
void ar_timebase_isr(void);
void ar_wake_isr(void);

static volatile uint32_t pending_events;
static volatile uint32_t timebase_wraps;
static uint32_t wake_period_cycles;

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

void ar_timebase_isr(void)
{
	AR_TIMER0->intstatus = AR_TIMER_INT;
	timebase_wraps++;
}

/* Periodic: the count runs on, reloaded with the wake-up period. */
void ar_wake_isr(void)
{
	AR_TIMER1->intstatus = AR_TIMER_INT;
	pending_events |= AR_EVT_DEADLINE;
}

void ar_board_init(uint32_t wake_period_us)
{
	ar_uart_init(AR_UART0, AR_UART_CTRL_TX_EN);
	ar_uart_init(AR_UART1, AR_UART_CTRL_TX_EN | AR_UART_CTRL_RX_EN |
		     AR_UART_CTRL_RX_INTEN);
	/* SysTick stays off, even after a warm restart. */
	AR_SYST_CSR = 0;
	AR_TIMER0->ctrl = 0;
	AR_TIMER0->intstatus = AR_TIMER_INT;
	AR_TIMER0->reload = AR_TIMEBASE_RELOAD;
	AR_TIMER0->ctrl = AR_TIMER_CTRL_EN | AR_TIMER_CTRL_IRQEN;
	/* The wake-up timer runs from now on; see wake_by(). */
	if (wake_period_us > AR_WAKE_MAX_US)
		wake_period_us = AR_WAKE_MAX_US;
	AR_TIMER1->ctrl = 0;
	AR_TIMER1->intstatus = AR_TIMER_INT;
	wake_period_cycles = wake_period_us * AR_CYCLES_PER_US;
	AR_TIMER1->reload = wake_period_cycles;
	AR_TIMER1->ctrl = AR_TIMER_CTRL_EN | AR_TIMER_CTRL_IRQEN;
	ar_nvic_enable(AR_UART1_RX_IRQ);
	ar_nvic_enable(AR_TIMER0_IRQ);
	ar_nvic_enable(AR_TIMER1_IRQ);
	ar_irq_enable();
}

/*
 * Makes timer 1 fire within timeout_us. It never stops: every expiry
 * reloads the wake-up period, so an idle core wakes at that rate without
 * being re-armed, and a sooner deadline only shortens the count running.
 * Touching the timer this rarely matters under QEMU, where moving its
 * soonest timer wakes QEMU's main thread: a host context switch on every
 * sleep, in the middle of every doorbell round trip (and each read of a
 * count asks the host for the time). An expiry sooner than asked is an
 * early wake-up, which ar_board_wait allows.
 */
static void wake_by(uint32_t timeout_us)
{
	uint32_t cycles;

	if (timeout_us >= wake_period_cycles / AR_CYCLES_PER_US)
		return;
	cycles = timeout_us * AR_CYCLES_PER_US;
	if (cycles < AR_TIMER1->value)
		AR_TIMER1->value = cycles;
}

uint32_t ar_board_wait(uint32_t timeout_us)
{
	uint32_t ev;

	/*
	 * Check, arm and sleep with interrupts masked so that neither an
	 * event nor the deadline can slip in between the check and the WFI;
	 * a pending interrupt still ends the WFI, and is taken once they are
	 * unmasked. A deadline noted earlier is stale: the caller has just
	 * worked out the time left.
	 */
	ar_irq_disable();
	pending_events &= ~AR_EVT_DEADLINE;
	if (!pending_events && timeout_us)
		wake_by(timeout_us);
	while (!pending_events && timeout_us) {
		__asm__ volatile("wfi" ::: "memory");
		ar_irq_enable();
		ar_irq_disable();
	}
	ev = pending_events;
	pending_events = 0;
	ar_irq_enable();
	return ev;
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
	uint32_t wraps, unseen, count;

	/*
	 * A wrap whose interrupt is not taken yet (masked, or just raised)
	 * counts too, with the count read again after seeing it so that both
	 * belong to the same period; a wrap taken in between changes
	 * timebase_wraps and the read starts over. Modulo 2^32, as promised.
	 */
	do {
		wraps = timebase_wraps;
		count = AR_TIMER0->value;
		unseen = AR_TIMER0->intstatus & AR_TIMER_INT;
		if (unseen)
			count = AR_TIMER0->value;
	} while (wraps != timebase_wraps);
	return (wraps + unseen) * AR_TIMEBASE_WRAP_US +
	       (AR_TIMEBASE_RELOAD - count) / AR_CYCLES_PER_US;
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
