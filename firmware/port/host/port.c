// SPDX-License-Identifier: GPL-2.0-only
#include <stdio.h>
#include <time.h>
#include "core/port.h"
#include "port_host.h"

static uint8_t *window;
unsigned int ar_host_notify_count[AR_MBOX_NUM];
int ar_host_console_quiet;

void ar_host_set_window(uint8_t *base)
{
	window = base;
}

void ar_port_notify(unsigned int chan)
{
	if (chan < AR_MBOX_NUM)
		ar_host_notify_count[chan]++;
}

void ar_port_mb(void)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

/* Single-threaded tests: nothing to mask, keep the nesting honest. */
static uint32_t irq_depth;

uint32_t ar_port_irq_save(void)
{
	return irq_depth++;
}

void ar_port_irq_restore(uint32_t state)
{
	irq_depth = state;
}

uint32_t ar_port_time_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint32_t)(ts.tv_sec * 1000000u + ts.tv_nsec / 1000);
}

void *ar_port_pa_to_local(uint64_t pa, uint32_t len)
{
	uint64_t off = pa - AR_WIN_LINUX_PA;

	if (!window || pa < AR_WIN_LINUX_PA || off > AR_WIN_SIZE ||
	    len > AR_WIN_SIZE - off)
		return NULL;
	return window + off;
}

void *ar_port_da_to_local(uint32_t da, uint32_t len)
{
	uint32_t off = da - AR_WIN_REMOTE_DA;

	if (!window || da < AR_WIN_REMOTE_DA || off > AR_WIN_SIZE ||
	    len > AR_WIN_SIZE - off)
		return NULL;
	return window + off;
}

void ar_port_console_write(const char *s, uint32_t len)
{
	static int line_start = 1;

	if (ar_host_console_quiet)
		return;
	for (; len; len--, s++) {
		if (line_start)
			fputs("# ", stdout);
		putchar(*s);
		line_start = *s == '\n';
	}
	fflush(stdout);
}
