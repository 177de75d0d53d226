// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness: amprelayd's QMP client (qemu/qmp.c) reading a hostile
 * monitor. The input's first byte picks the connection state (greeting,
 * capabilities sent, ready with a command waiting); the rest arrives on
 * the monitor socket in chunks the input also sizes, so line splitting,
 * over-long lines and every reply/event path are exercised through the
 * daemon's real read loop.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "amprelayd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int devnull_events(void)
{
	static int opened;

	/* Events go to a log file; /dev/null keeps the run free of I/O. */
	if (!opened) {
		evlog_open("/dev/null");
		opened = 1;
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct qmp q;
	int sv[2];
	size_t pos = 1;

	if (size < 1)
		return 0;
	devnull_events();
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv) < 0)
		abort();
	memset(&q, 0, sizeof(q));
	q.listen_fd = -1;
	q.fd = sv[0];
	q.next_id = 5;
	q.caps_id = 1;
	switch (data[0] & 3) {
	case 0:
		q.state = QMP_GREETING;
		break;
	case 1:
		q.state = QMP_CAPS;
		break;
	default:
		q.state = QMP_READY;
		q.want_id = 4;
		break;
	}
	while (pos < size && q.fd >= 0) {
		size_t chunk = (size_t)data[pos] * 16 + 1;

		pos++;
		if (chunk > size - pos)
			chunk = size - pos;
		if (chunk && write(sv[1], data + pos, chunk) < 0)
			break;
		pos += chunk;
		qmp_readable(&q);
		if (q.got_reply && strnlen(q.reply_err, sizeof(q.reply_err)) ==
		    sizeof(q.reply_err))
			abort();
	}
	if (q.fd >= 0)
		close(q.fd);
	close(sv[1]);
	return 0;
}
