/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Deliberate faults for the crash and recovery lab (amprelay fault TYPE).
 * Each one is the real thing on the Cortex-M4: the fault handlers, the
 * watchdog and Linux's checks must catch it exactly as they would catch
 * a genuine bug.
 */
#ifndef AR_APP_FAULT_H
#define AR_APP_FAULT_H

#include <stdint.h>

struct ar_rpmsg;

/* Gives the injector the rpmsg instance that corrupt-used damages. */
void ar_fault_init(struct ar_rpmsg *rp);

/*
 * Performs fault type (AR_FAULT_*). Most types never return; silent and
 * corrupt-used return (the firmware keeps running, damaged); an unknown
 * type is logged and ignored.
 */
void ar_fault_inject(uint32_t type);

/* True once the silent fault stopped rpmsg service (heartbeat continues). */
int ar_fault_rpmsg_silenced(void);

#endif /* AR_APP_FAULT_H */
