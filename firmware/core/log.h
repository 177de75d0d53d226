/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Log lines to the port console and, once set, the trace buffer. A small
 * printf: %d %u %x %c %s %p %%, flags '0' and '-', a width, and 'l'.
 * Call from the main loop only; interrupt handlers do not log.
 */
#ifndef AR_LOG_H
#define AR_LOG_H

#include <stdarg.h>
#include <stdint.h>
#include "trace.h"

void ar_log_set_trace(struct ar_trace *t);

/* Prefixes "[seconds.micros] "; lines longer than 160 bytes are cut. */
void ar_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Like vsnprintf: always terminates, returns the length written. */
uint32_t ar_vsnprintf(char *buf, uint32_t size, const char *fmt, va_list ap);
uint32_t ar_snprintf(char *buf, uint32_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif /* AR_LOG_H */
