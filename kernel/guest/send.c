// SPDX-License-Identifier: GPL-2.0-only
/*
 * amprelay send: one message to any channel by name, one reply printed.
 * The generic client for a service of your own (firmware/examples).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <amprelay/platform.h>

#include "amprelay.h"

#define SEND_REPLY_TIMEOUT_MS	2000

int cmd_send(int argc, char **argv)
{
	char msg[AR_RPMSG_MAX_PAYLOAD + 1], reply[AR_RPMSG_BUF_SIZE];
	struct rpmsg_service svc;
	size_t len = 0, word;
	ssize_t got;
	int fd, i, err, ret = EXIT_FAILURE;

	if (argc < 3 || !*argv[1]) {
		fprintf(stderr, "usage: " PROG_NAME " send CHANNEL TEXT...\n");
		return EXIT_USAGE;
	}
	/* Words joined by spaces, as echo does. */
	for (i = 2; i < argc; i++) {
		word = strlen(argv[i]);
		if (len + (i > 2) + word > AR_RPMSG_MAX_PAYLOAD) {
			print_error("send: the message is longer than %d bytes",
				    AR_RPMSG_MAX_PAYLOAD);
			return EXIT_USAGE;
		}
		if (i > 2)
			msg[len++] = ' ';
		memcpy(msg + len, argv[i], word);
		len += word;
	}

	fd = rpmsg_service_open(argv[1], &svc);
	if (fd < 0)
		return EXIT_FAILURE;
	if (write(fd, msg, len) != (ssize_t)len) {
		print_error("send: writing to %s (%s): %s", argv[1], svc.node, strerror(errno));
		goto out;
	}
	err = chan_wait_message(fd, reply, sizeof(reply) - 1,
				monotonic_ns() + SEND_REPLY_TIMEOUT_MS * 1000000ull, &got);
	if (err == -ETIMEDOUT) {
		print_error("send: no reply from %s within %d ms", argv[1], SEND_REPLY_TIMEOUT_MS);
		goto out;
	}
	if (err == -EPIPE) {
		print_error("send: channel %s went away while waiting for the reply", argv[1]);
		goto out;
	}
	if (err) {
		print_error("send: reading from %s: %s", argv[1], strerror(-err));
		goto out;
	}
	reply[got] = '\0';
	printf("%s\n", reply);
	ret = EXIT_SUCCESS;
out:
	close(fd);
	return ret;
}
