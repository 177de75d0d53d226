// SPDX-License-Identifier: GPL-2.0-only
#include <amprelay/platform.h>
#include "echo.h"

static int echo_cb(struct ar_rpmsg *rp, struct ar_rpmsg_ept *ept,
		   uint32_t src, const uint8_t *data, uint32_t len)
{
	/* -EAGAIN (no buffer to Linux) keeps the request queued. */
	return ar_rpmsg_send(rp, ept->addr, src, data, len);
}

void ar_echo_init(struct ar_rpmsg *rp, struct ar_rpmsg_ept *ept)
{
	ar_rpmsg_add_ept(rp, ept, AR_SVC_ECHO_NAME, AR_SVC_ECHO_ADDR, echo_cb);
}

void ar_echo_init_as(struct ar_rpmsg *rp, struct ar_rpmsg_ept *ept,
		     const char *name, uint32_t addr)
{
	ar_rpmsg_add_ept(rp, ept, name, addr, echo_cb);
}
