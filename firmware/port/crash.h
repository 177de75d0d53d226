/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Crash reporting services of the board: fault handlers that fill the
 * crash record and ring AR_MBOX_CRASH, the MPU stack guard, and the
 * watchdog the main loop feeds.
 */
#ifndef AR_PORT_CRASH_H
#define AR_PORT_CRASH_H

#include <stdint.h>

/* MPU guards, divide-by-zero trap, fault handlers and the watchdog. */
void ar_crash_init(void);

/*
 * Restarts the watchdog countdown and counts a pass, which the watchdog's
 * NMI wants to see between two expiries; the main loop calls it every
 * pass, at least once per AR_WDOG_TIMEOUT_MS.
 */
void ar_wdog_feed(void);

/*
 * Makes the watchdog's expiries silent (no record, no doorbell): the next
 * one arms the watchdog's reset instead, so that a core that stops feeding
 * is reset by the expiry after it.
 */
void ar_wdog_silence_report(void);

/* Records an assert crash with msg, rings Linux and stops for good. */
void ar_crash_assert(const char *msg) __attribute__((noreturn));

#define AR_ASSERT(cond) \
	do { \
		if (!(cond)) \
			ar_crash_assert("assert " #cond); \
	} while (0)

#endif /* AR_PORT_CRASH_H */
