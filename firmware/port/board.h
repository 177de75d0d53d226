/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the firmware's main loop needs from the board beyond the core's
 * port interface: bring-up and the sleep until an interrupt noted an event
 * or the main loop's next deadline came. There is no fast tick: the main
 * loop says how long it may sleep, and at most how long at start.
 */
#ifndef AR_BOARD_H
#define AR_BOARD_H

#include <stdint.h>

#define AR_EVT_DOORBELL		(1u << 0)	/* Linux rang AR_MBOX_VQ */
#define AR_EVT_DEADLINE		(1u << 1)	/* ar_board_wait's timeout ran out */

/*
 * Console, doorbell link, time base, wake-up timer and interrupts. The
 * core wakes at least every wake_period_us, whatever ar_board_wait is
 * asked: what must run periodically (the watchdog feed) runs at that rate.
 */
void ar_board_init(uint32_t wake_period_us);

/*
 * Sleeps until at least one event is pending or timeout_us has passed;
 * returns and clears the events (AR_EVT_DEADLINE for the timeout). With
 * timeout_us 0 it only collects pending events. The timeout may also end
 * early (the wake-up period runs on rather than being re-armed on every
 * call): the caller works out its deadlines again on any return.
 */
uint32_t ar_board_wait(uint32_t timeout_us);

#endif /* AR_BOARD_H */
