// SPDX-License-Identifier: GPL-2.0-only
/*
 * Template for a new firmware service: copy this directory to
 * firmware/examples/<name>/, rename the channel, change the callback, run
 * make. It builds into build/fw/examples/<name>.elf: the whole firmware
 * plus this service, announced as its own rpmsg channel. Load it into a
 * running lab with `amprelay reload` (docs/iterating.md).
 *
 * amprelay-hello answers each message with "hello, " and the message.
 */
#include <string.h>
#include <amprelay/platform.h>
#include "core/registry.h"

static int hello_cb(struct ar_rpmsg *rp, struct ar_rpmsg_ept *ept,
		    uint32_t src, const uint8_t *data, uint32_t len)
{
	static const char prefix[] = "hello, ";
	uint8_t reply[AR_RPMSG_MAX_PAYLOAD];
	uint32_t room = sizeof(reply) - (sizeof(prefix) - 1);

	/* Too long a message is cut, not refused: the reply must fit one buffer. */
	if (len > room)
		len = room;
	memcpy(reply, prefix, sizeof(prefix) - 1);
	memcpy(reply + sizeof(prefix) - 1, data, len);
	/* -EAGAIN (no buffer to Linux yet) keeps the message for the next poll. */
	return ar_rpmsg_send(rp, ept->addr, src, reply, sizeof(prefix) - 1 + len);
}

AR_SERVICE(hello, "amprelay-hello", AR_SVC_USER_ADDR_FIRST, hello_cb);
