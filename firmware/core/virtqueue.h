/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Device side of a split virtqueue in the legacy layout (Linux is the
 * driver): descriptor table, avail ring, then the used ring at the next
 * multiple of the alignment. Everything in the ring memory is untrusted:
 * indices are range-checked here, addresses by the caller.
 */
#ifndef AR_VIRTQUEUE_H
#define AR_VIRTQUEUE_H

#include <stdint.h>

#define AR_VRING_DESC_F_NEXT		1
#define AR_VRING_DESC_F_WRITE		2
#define AR_VRING_DESC_F_INDIRECT	4
#define AR_VRING_AVAIL_F_NO_INTERRUPT	1
#define AR_VRING_USED_F_NO_NOTIFY	1

struct ar_vring_desc {
	uint64_t addr;		/* Linux physical address */
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

struct ar_vring_avail {
	uint16_t flags;
	uint16_t idx;
	uint16_t ring[];
};

struct ar_vring_used_elem {
	uint32_t id;
	uint32_t len;
};

struct ar_vring_used {
	uint16_t flags;
	uint16_t idx;
	struct ar_vring_used_elem ring[];
};

struct ar_vq {
	volatile struct ar_vring_desc *desc;
	volatile struct ar_vring_avail *avail;
	volatile struct ar_vring_used *used;
	uint16_t num;		/* power of two */
	uint16_t last_avail;	/* next avail slot we will consume */
	uint16_t used_idx;	/* our copy of used->idx, published by flush */
	uint16_t published;	/* used_idx at the last flush */
};

/* One buffer as Linux posted it; fields copied out of shared memory. */
struct ar_vq_buf {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t head;		/* descriptor index, < num */
};

/* Bytes a ring of num entries at alignment align occupies. */
uint32_t ar_vring_size(uint32_t num, uint32_t align);

/* Points vq at ring memory (already checked to hold ar_vring_size bytes). */
void ar_vq_init(struct ar_vq *vq, void *mem, uint16_t num, uint32_t align);

/*
 * Number of buffers Linux made available that we have not consumed, or -1
 * if the avail index is impossible (more than num ahead of us).
 */
int ar_vq_pending(struct ar_vq *vq);

/*
 * Reads the next available buffer (call only when ar_vq_pending() > 0)
 * without consuming it. Returns 0, or -1 if its descriptor index is out
 * of range; such an entry can only be skipped with ar_vq_consume().
 */
int ar_vq_peek(struct ar_vq *vq, struct ar_vq_buf *buf);

/* Consumes the entry ar_vq_peek() returned. */
void ar_vq_consume(struct ar_vq *vq);

/* Hands descriptor head back to Linux with len bytes written. */
void ar_vq_put_used(struct ar_vq *vq, uint16_t head, uint32_t len);

/*
 * Publishes the used entries added since the last flush. Returns 1 if
 * there were any and Linux asked to be interrupted, else 0.
 */
int ar_vq_flush(struct ar_vq *vq);

#endif /* AR_VIRTQUEUE_H */
