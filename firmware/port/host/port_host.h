/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host port of the firmware core, for the unit tests: the shared window
 * is a buffer the test owns, doorbells are counted, the console goes to
 * stdout as TAP comment lines.
 */
#ifndef AR_PORT_HOST_H
#define AR_PORT_HOST_H

#include <stdint.h>
#include <amprelay/platform.h>

/* The simulated window, AR_WIN_SIZE bytes; set before using the core. */
void ar_host_set_window(uint8_t *base);

/* Doorbells rung per mailbox channel since the start. */
extern unsigned int ar_host_notify_count[AR_MBOX_NUM];

/* Console lines are dropped instead of printed while quiet is set. */
extern int ar_host_console_quiet;

#endif /* AR_PORT_HOST_H */
