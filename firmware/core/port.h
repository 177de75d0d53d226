/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the portable core needs from the platform. Implemented once per
 * port: port/mps2-an386 (the emulated Cortex-M4) and port/host (the unit
 * tests). The core never touches hardware or a fixed address itself.
 */
#ifndef AR_PORT_H
#define AR_PORT_H

#include <stdint.h>

/* Rings mailbox channel chan (AR_MBOX_*) towards Linux. */
void ar_port_notify(unsigned int chan);

/* Full barrier between accesses to memory shared with Linux. */
void ar_port_mb(void);

/* Masks interrupts; returns the state to hand back to ar_port_irq_restore. */
uint32_t ar_port_irq_save(void);
void ar_port_irq_restore(uint32_t state);

/* Microseconds since the port started; wraps at 2^32. */
uint32_t ar_port_time_us(void);

/*
 * Translate a Linux physical address (what vring descriptors hold) or a
 * remote device address (what the resource table holds) to a pointer the
 * core can use. NULL unless all of [addr, addr + len) lies in the shared
 * window; the caller still checks the region it expects.
 */
void *ar_port_pa_to_local(uint64_t pa, uint32_t len);
void *ar_port_da_to_local(uint32_t da, uint32_t len);

/* Console output; may block until the bytes are out. */
void ar_port_console_write(const char *s, uint32_t len);

#endif /* AR_PORT_H */
