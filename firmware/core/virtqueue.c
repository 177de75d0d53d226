// SPDX-License-Identifier: GPL-2.0-only
#include "virtqueue.h"
#include "port.h"

uint32_t ar_vring_size(uint32_t num, uint32_t align)
{
	uint32_t used_off = 16 * num + 2 * (3 + num);

	used_off = (used_off + align - 1) & ~(align - 1);
	return used_off + 2 * 3 + 8 * num;
}

void ar_vq_init(struct ar_vq *vq, void *mem, uint16_t num, uint32_t align)
{
	uintptr_t base = (uintptr_t)mem;
	uintptr_t used = base + 16u * num + 2u * (3u + num);

	used = (used + align - 1) & ~(uintptr_t)(align - 1);
	vq->desc = mem;
	vq->avail = (volatile struct ar_vring_avail *)(base + 16u * num);
	vq->used = (volatile struct ar_vring_used *)used;
	vq->num = num;
	/* Linux zeroes the ring before it starts the device. */
	vq->last_avail = 0;
	vq->used_idx = 0;
	vq->published = 0;
}

int ar_vq_pending(struct ar_vq *vq)
{
	uint16_t n = (uint16_t)(vq->avail->idx - vq->last_avail);

	if (n > vq->num)
		return -1;
	/* Entries are valid only once we have seen the index that covers them. */
	ar_port_mb();
	return n;
}

int ar_vq_peek(struct ar_vq *vq, struct ar_vq_buf *buf)
{
	uint16_t head = vq->avail->ring[vq->last_avail & (vq->num - 1)];
	volatile struct ar_vring_desc *d;

	if (head >= vq->num)
		return -1;
	d = &vq->desc[head];
	buf->head = head;
	buf->addr = d->addr;
	buf->len = d->len;
	buf->flags = d->flags;
	return 0;
}

void ar_vq_consume(struct ar_vq *vq)
{
	vq->last_avail++;
}

void ar_vq_put_used(struct ar_vq *vq, uint16_t head, uint32_t len)
{
	volatile struct ar_vring_used_elem *e;

	e = &vq->used->ring[vq->used_idx & (vq->num - 1)];
	e->id = head;
	e->len = len;
	vq->used_idx++;
}

int ar_vq_flush(struct ar_vq *vq)
{
	if (vq->used_idx == vq->published)
		return 0;
	/* Entries before the index that announces them... */
	ar_port_mb();
	vq->used->idx = vq->used_idx;
	vq->published = vq->used_idx;
	/* ...and the index before we read whether Linux wants an interrupt. */
	ar_port_mb();
	return !(vq->avail->flags & AR_VRING_AVAIL_F_NO_INTERRUPT);
}
