// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness: amprelayd's JSON reader (qemu/json.c), which parses
 * every line the QEMU monitor sends. The input is one line; each member
 * lookup and value conversion QMP handling uses is run on it, plus the
 * escaper on the same bytes. Results must be NUL-terminated and in bounds.
 */
#include <stdlib.h>
#include <string.h>
#include "amprelayd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const keys[] = {
		"QMP", "event", "error", "return", "id", "data", "reason",
		"action", "desc", "",
	};
	char *line = malloc(size + 1);
	char out[64], esc[256];
	long long n;

	if (!line)
		return 0;
	memcpy(line, data, size);
	line[size] = '\0';

	json_skip_value(line);
	json_get_string(line, out, sizeof(out));
	json_get_int(line, &n);
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const char *v = json_member(line, keys[i]);

		if (!v)
			continue;
		if (v < line || v > line + size)
			abort();
		if (json_get_string(v, out, sizeof(out)) && strlen(out) >= sizeof(out))
			abort();
		json_get_int(v, &n);
		json_skip_value(v);
		/* Nested objects, as the event "data" member is read. */
		v = json_member(v, "reason");
		if (v)
			json_get_string(v, out, 1);
	}
	if (json_escape(esc, sizeof(esc), line) >= sizeof(esc) &&
	    strlen(esc) >= sizeof(esc))
		abort();
	free(line);
	return 0;
}
