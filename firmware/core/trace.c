// SPDX-License-Identifier: GPL-2.0-only
#include "trace.h"

void ar_trace_init(struct ar_trace *t, void *buf, uint32_t size)
{
	t->buf = buf;
	t->size = size;
	t->pos = 0;
	if (size)
		t->buf[0] = '\0';
}

void ar_trace_write(struct ar_trace *t, const char *s, uint32_t len)
{
	/* The last byte is kept for the terminator. */
	if (t->size < 2)
		return;
	while (len--) {
		if (t->pos >= t->size - 1)
			t->pos = 0;
		t->buf[t->pos++] = *s++;
	}
	t->buf[t->pos] = '\0';
}
