// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness: amprelayd's Linux console reader (qemu/console.c),
 * which picks a command's output and exit status out of whatever the
 * guest prints. The input is the console stream, cut into chunks at
 * points the input chooses; output goes to /dev/null. The status must only
 * be taken from a real END marker that follows a BEGIN marker.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "amprelayd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct cmd_console c;
	static int devnull = -1;
	size_t pos = 1;
	int found = 0;

	if (size < 1)
		return 0;
	if (devnull < 0)
		devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
	console_init(&c, devnull);
	while (pos < size) {
		size_t chunk = (size_t)data[0] * 8 + 1;

		if (chunk > size - pos)
			chunk = size - pos;
		found |= console_feed(&c, (const char *)data + pos, chunk);
		if (c.len >= sizeof(c.line))
			abort();
		pos += chunk;
	}
	found |= console_finish(&c);
	if ((found & CON_END) && !(found & CON_BEGIN))
		abort();
	if (c.ended && !c.began)
		abort();
	return 0;
}
