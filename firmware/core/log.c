// SPDX-License-Identifier: GPL-2.0-only
#include <stddef.h>
#include "log.h"
#include "port.h"

#define AR_LOG_LINE	160

static struct ar_trace *log_trace;

struct out {
	char *buf;
	uint32_t size;
	uint32_t len;
};

static void out_c(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len++] = c;
}

static void out_num(struct out *o, unsigned long v, unsigned int base,
		    int neg, unsigned int width, char pad, int left)
{
	char digits[24];
	unsigned int n = 0, used;

	do {
		digits[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	used = n + (neg ? 1 : 0);
	/* Zero padding goes after the sign, space padding before it. */
	if (neg && pad == '0')
		out_c(o, '-');
	for (; !left && width > used; width--)
		out_c(o, pad);
	if (neg && pad != '0')
		out_c(o, '-');
	while (n)
		out_c(o, digits[--n]);
	for (; left && width > used; width--)
		out_c(o, ' ');
}

uint32_t ar_vsnprintf(char *buf, uint32_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };
	unsigned int width, n;
	int left, is_long;
	const char *s;
	char pad;
	long sv;

	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			out_c(&o, *fmt);
			continue;
		}
		fmt++;
		left = *fmt == '-';
		if (left)
			fmt++;
		pad = *fmt == '0' ? '0' : ' ';
		for (width = 0; *fmt >= '0' && *fmt <= '9'; fmt++)
			width = width * 10 + (unsigned int)(*fmt - '0');
		is_long = *fmt == 'l';
		if (is_long)
			fmt++;
		switch (*fmt) {
		case 'd':
			sv = is_long ? va_arg(ap, long) : va_arg(ap, int);
			out_num(&o, sv < 0 ? 0ul - (unsigned long)sv : (unsigned long)sv,
				10, sv < 0, width, pad, left);
			break;
		case 'u':
		case 'x':
			out_num(&o, is_long ? va_arg(ap, unsigned long) :
				    va_arg(ap, unsigned int),
				*fmt == 'u' ? 10 : 16, 0, width, pad, left);
			break;
		case 'p':
			out_c(&o, '0');
			out_c(&o, 'x');
			out_num(&o, (uintptr_t)va_arg(ap, void *), 16, 0, 0, ' ', 0);
			break;
		case 'c':
			out_c(&o, (char)va_arg(ap, int));
			break;
		case 's':
			s = va_arg(ap, const char *);
			if (!s)
				s = "(null)";
			for (n = 0; s[n]; n++)
				;
			for (; !left && width > n; width--)
				out_c(&o, ' ');
			while (*s)
				out_c(&o, *s++);
			for (; left && width > n; width--)
				out_c(&o, ' ');
			break;
		case '\0':
			fmt--;	/* lone '%' at the end */
			break;
		default:
			out_c(&o, *fmt);
			break;
		}
	}
	if (size)
		buf[o.len] = '\0';
	return o.len;
}

uint32_t ar_snprintf(char *buf, uint32_t size, const char *fmt, ...)
{
	va_list ap;
	uint32_t n;

	va_start(ap, fmt);
	n = ar_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

void ar_log_set_trace(struct ar_trace *t)
{
	log_trace = t;
}

void ar_log(const char *fmt, ...)
{
	char line[AR_LOG_LINE];
	uint32_t us = ar_port_time_us(), n;
	va_list ap;

	n = ar_snprintf(line, sizeof(line), "[%5u.%06u] ",
			(unsigned int)(us / 1000000), (unsigned int)(us % 1000000));
	va_start(ap, fmt);
	n += ar_vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	va_end(ap);
	/* A cut line still ends the line. */
	if (n == sizeof(line) - 1)
		line[n - 1] = '\n';
	ar_port_console_write(line, n);
	if (log_trace)
		ar_trace_write(log_trace, line, n);
}
