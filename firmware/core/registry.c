// SPDX-License-Identifier: GPL-2.0-only
/*
 * Walks the table the linker built from every AR_SERVICE() line.
 */
#include "log.h"
#include "registry.h"

/* Bounds of the table, from the linker script. */
extern const struct ar_service_def __start_ar_service_defs[];
extern const struct ar_service_def __stop_ar_service_defs[];

uint32_t ar_registry_init(struct ar_rpmsg *rp)
{
	const struct ar_service_def *def;
	uint32_t n = 0;

	for (def = __start_ar_service_defs; def < __stop_ar_service_defs; def++) {
		ar_rpmsg_add_ept(rp, def->ept, def->name, def->addr, def->cb);
		ar_log("service %s at 0x%x\n", def->name, (unsigned int)def->addr);
		n++;
	}
	return n;
}
