/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ARM CMSDK APB UART, as QEMU models it on mps2-an386: one-byte TX and RX
 * holding registers. Shared by the boot ROM and the firmware port.
 */
#ifndef AR_CMSDK_UART_H
#define AR_CMSDK_UART_H

#include <stdint.h>
#include <amprelay/platform.h>

struct ar_cmsdk_uart {
	volatile uint32_t data;
	volatile uint32_t state;
	volatile uint32_t ctrl;
	volatile uint32_t intstatus;	/* read; write 1 to clear */
	volatile uint32_t bauddiv;
};

#define AR_UART0	((struct ar_cmsdk_uart *)AR_UART0_BASE)
#define AR_UART1	((struct ar_cmsdk_uart *)AR_UART1_BASE)

#define AR_UART_STATE_TXFULL	(1u << 0)
#define AR_UART_STATE_RXFULL	(1u << 1)
#define AR_UART_CTRL_TX_EN	(1u << 0)
#define AR_UART_CTRL_RX_EN	(1u << 1)
#define AR_UART_CTRL_RX_INTEN	(1u << 3)
#define AR_UART_INT_RX		(1u << 1)

#define AR_UART_BAUD		115200
/* QEMU ignores output while BAUDDIV is below 16; this is well above. */
#define AR_UART_BAUDDIV		(AR_REMOTE_CPU_HZ / AR_UART_BAUD)
_Static_assert(AR_UART_BAUDDIV >= 16, "CMSDK UART BAUDDIV must be >= 16");

static inline void ar_uart_init(struct ar_cmsdk_uart *u, uint32_t ctrl)
{
	u->ctrl = 0;
	u->bauddiv = AR_UART_BAUDDIV;
	u->ctrl = ctrl;
}

static inline void ar_uart_putc(struct ar_cmsdk_uart *u, char c)
{
	while (u->state & AR_UART_STATE_TXFULL)
		;
	u->data = (uint8_t)c;
}

#endif /* AR_CMSDK_UART_H */
