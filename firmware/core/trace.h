/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Writer of the trace buffer Linux shows as debugfs trace0. Linux prints
 * the buffer up to its first NUL, so the text always ends with one; when
 * the buffer is full, writing starts over at the beginning.
 */
#ifndef AR_TRACE_H
#define AR_TRACE_H

#include <stdint.h>

struct ar_trace {
	char *buf;
	uint32_t size;
	uint32_t pos;
};

void ar_trace_init(struct ar_trace *t, void *buf, uint32_t size);
void ar_trace_write(struct ar_trace *t, const char *s, uint32_t len);

#endif /* AR_TRACE_H */
