/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the firmware's main loop needs from the board beyond the core's
 * port interface: bring-up and the sleep until an interrupt noted an event.
 */
#ifndef AR_BOARD_H
#define AR_BOARD_H

#include <stdint.h>

#define AR_EVT_DOORBELL		(1u << 0)	/* Linux rang AR_MBOX_VQ */
#define AR_EVT_TICK		(1u << 1)	/* periodic tick */

/* Console, doorbell link, tick and interrupts. */
void ar_board_init(void);

/* Sleeps until at least one event is pending; returns and clears them. */
uint32_t ar_board_wait(void);

#endif /* AR_BOARD_H */
