/* SPDX-License-Identifier: GPL-2.0-only */
/* The echo service: every message comes back, unchanged, to its sender. */
#ifndef AR_ECHO_H
#define AR_ECHO_H

#include "rpmsg.h"

/* Registers AR_SVC_ECHO_NAME at AR_SVC_ECHO_ADDR using ept's storage. */
void ar_echo_init(struct ar_rpmsg *rp, struct ar_rpmsg_ept *ept);

/* The same echo under another name (interop channels). */
void ar_echo_init_as(struct ar_rpmsg *rp, struct ar_rpmsg_ept *ept,
		     const char *name, uint32_t addr);

#endif /* AR_ECHO_H */
