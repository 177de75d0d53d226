/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Functions that drivers/remoteproc exports but declares only in its
 * private remoteproc_internal.h, which an out-of-tree module cannot include.
 * The signatures are those of Linux 6.12.
 */
#ifndef AMPRELAY_RPROC_H
#define AMPRELAY_RPROC_H

#include <linux/irqreturn.h>
#include <linux/types.h>

struct firmware;
struct resource_table;
struct rproc;

/* remoteproc_virtio.c */
irqreturn_t rproc_vq_interrupt(struct rproc *rproc, int notifyid);

/* remoteproc_elf_loader.c */
int rproc_elf_sanity_check(struct rproc *rproc, const struct firmware *fw);
u64 rproc_elf_get_boot_addr(struct rproc *rproc, const struct firmware *fw);
int rproc_elf_load_segments(struct rproc *rproc, const struct firmware *fw);
int rproc_elf_load_rsc_table(struct rproc *rproc, const struct firmware *fw);
struct resource_table *
rproc_elf_find_loaded_rsc_table(struct rproc *rproc, const struct firmware *fw);

#endif /* AMPRELAY_RPROC_H */
