/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Services that register themselves: a source file adds one line,
 *
 *	AR_SERVICE(hello, "amprelay-hello", AR_SVC_USER_ADDR_FIRST, hello_cb);
 *
 * and the linker collects the entries into one table (section
 * ar_service_defs, see firmware.ld.S), which ar_registry_init() walks at
 * start-up: each entry becomes an rpmsg endpoint announced by name
 * service after the built-in ones. No list to edit anywhere else.
 */
#ifndef AR_REGISTRY_H
#define AR_REGISTRY_H

#include <stdint.h>
#include "rpmsg.h"

struct ar_service_def {
	const char *name;		/* announced channel name */
	uint32_t addr;			/* AR_SVC_USER_ADDR_FIRST and up */
	ar_rpmsg_cb cb;			/* called for each message */
	struct ar_rpmsg_ept *ept;	/* the endpoint's storage */
};

#define AR_SERVICE(ident, svc_name, svc_addr, callback)			\
	static struct ar_rpmsg_ept ident##_ept;				\
	static const struct ar_service_def ident			\
	__attribute__((used, section("ar_service_defs"), aligned(4))) = {	\
		.name = (svc_name), .addr = (svc_addr),			\
		.cb = (callback), .ept = &ident##_ept,			\
	}

/* Adds every registered service to rp; returns how many. */
uint32_t ar_registry_init(struct ar_rpmsg *rp);

#endif /* AR_REGISTRY_H */
