/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * TAP for the host-side unit tests: ok() prints one numbered test line
 * and counts failures; the test compares test_no with its plan at the end.
 * Flushed per line so a test that hangs or dies still shows how far it got.
 */
#ifndef AR_TESTS_TAP_H
#define AR_TESTS_TAP_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

static int test_no, failures;

static bool ok(bool cond, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Returns cond, so a failed step can skip what depends on it. */
static bool ok(bool cond, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", cond ? "" : "not ", ++test_no);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	if (!cond)
		failures++;
	return cond;
}

#endif /* AR_TESTS_TAP_H */
