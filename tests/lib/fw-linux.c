// SPDX-License-Identifier: GPL-2.0-only
/*
 * The simulated Linux side of the firmware's host tests: see fw-linux.h.
 */
#include <stdlib.h>
#include <string.h>
#include "port/host/port_host.h"
#include "fw-linux.h"

uint8_t *lx_win;
struct ar_fw_rsc_table *lx_table;
struct lx_vring lx_rx, lx_tx;
int lx_hold_rx;
uint16_t lx_held[LX_NUM];
unsigned int lx_nheld;
int lx_failed;

static uint16_t tx_next;

static void barrier(void)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

int lx_window_alloc(void)
{
	/* Page-aligned like the real window: the ring layout depends on it. */
	lx_win = aligned_alloc(AR_VRING_ALIGN, AR_WIN_SIZE);
	if (!lx_win)
		return -1;
	memset(lx_win, 0, AR_WIN_SIZE);
	ar_host_set_window(lx_win);
	return 0;
}

void lx_window_free(void)
{
	free(lx_win);
	lx_win = NULL;
}

void lx_load(void)
{
	memset(lx_win + AR_VRING0_OFF, 0, AR_VRING_REGION_SIZE);
	memset(lx_win + AR_VRING1_OFF, 0, AR_VRING_REGION_SIZE);
	memset(lx_win + AR_VBUF_OFF, 0, AR_VBUF_SIZE);
	memcpy(lx_win + LX_TABLE_OFF, (const void *)&ar_rsc_table, sizeof(ar_rsc_table));
	lx_table = (struct ar_fw_rsc_table *)(lx_win + LX_TABLE_OFF);
}

/* Linux's vring layout: desc, avail, then used on the next align boundary. */
size_t lx_vring_used_off(void)
{
	size_t off = 16 * LX_NUM + 2 * (3 + LX_NUM);

	return (off + AR_VRING_ALIGN - 1) & ~(size_t)(AR_VRING_ALIGN - 1);
}

size_t lx_vring_bytes(void)
{
	return lx_vring_used_off() + 2 * 3 + 8 * LX_NUM;
}

/* Like rp_find_vq: zero the ring, lay out desc/avail/used. */
static void vring_init(struct lx_vring *v, uint32_t off)
{
	uint8_t *base = lx_win + off;

	memset(base, 0, lx_vring_bytes());
	v->desc = (struct ar_vring_desc *)base;
	v->avail = (struct ar_vring_avail *)(base + 16 * LX_NUM);
	v->used = (struct ar_vring_used *)(base + lx_vring_used_off());
	v->avail_idx = 0;
	v->last_used = 0;
}

void lx_post(struct lx_vring *v, uint16_t head)
{
	v->avail->ring[v->avail_idx % LX_NUM] = head;
	v->avail_idx++;
	barrier();
	v->avail->idx = v->avail_idx;
}

int lx_next_used(struct lx_vring *v, struct ar_vring_used_elem *e)
{
	if (v->used->idx == v->last_used)
		return 0;
	barrier();
	*e = v->used->ring[v->last_used % LX_NUM];
	v->last_used++;
	return 1;
}

unsigned int lx_rx_pending(void)
{
	return (uint16_t)(lx_rx.used->idx - lx_rx.last_used);
}

void lx_start(void)
{
	unsigned int i;

	lx_table->vdev.vring[0].da = AR_WIN_REMOTE_DA + AR_VRING0_OFF;
	lx_table->vdev.vring[1].da = AR_WIN_REMOTE_DA + AR_VRING1_OFF;
	lx_table->vdev.vring[0].notifyid = 0;
	lx_table->vdev.vring[1].notifyid = 1;
	lx_table->vdev.gfeatures = lx_table->vdev.dfeatures;
	vring_init(&lx_rx, AR_VRING0_OFF);
	vring_init(&lx_tx, AR_VRING1_OFF);
	for (i = 0; i < LX_NUM; i++) {
		lx_rx.desc[i].addr = LX_PA(LX_RX_BUF_OFF(i));
		lx_rx.desc[i].len = LX_BUF;
		lx_rx.desc[i].flags = AR_VRING_DESC_F_WRITE;
		lx_post(&lx_rx, (uint16_t)i);
	}
	lx_tx.avail->flags = AR_VRING_AVAIL_F_NO_INTERRUPT;
	tx_next = 0;
	lx_hold_rx = 0;
	lx_nheld = 0;
	barrier();
	lx_table->vdev.status = 0x7;	/* ACKNOWLEDGE | DRIVER | DRIVER_OK */
}

void lx_stop(void)
{
	lx_table->vdev.status = 0;
	barrier();
}

uint16_t lx_send_hdr(const struct lx_hdr *h, const void *data, uint32_t len)
{
	uint16_t slot = tx_next++ % LX_NUM;
	uint8_t *buf = lx_win + LX_TX_BUF_OFF(slot);

	if (len > LX_BUF - LX_HDR)
		len = LX_BUF - LX_HDR;
	memcpy(buf, h, sizeof(*h));
	memcpy(buf + LX_HDR, data, len);
	lx_tx.desc[slot].addr = LX_PA(LX_TX_BUF_OFF(slot));
	lx_tx.desc[slot].len = LX_HDR + len;
	lx_tx.desc[slot].flags = 0;
	lx_tx.desc[slot].next = 0;
	lx_post(&lx_tx, slot);
	return slot;
}

uint16_t lx_send(uint32_t src, uint32_t dst, const void *data, uint32_t len)
{
	struct lx_hdr h = { .src = src, .dst = dst, .len = (uint16_t)len };

	return lx_send_hdr(&h, data, len);
}

int lx_take(struct lx_msg *m)
{
	struct ar_vring_used_elem e;
	const uint8_t *buf;
	uint64_t pa;

	if (!lx_next_used(&lx_rx, &e))
		return 0;
	m->id = e.id;
	m->used_len = e.len;
	if (e.id >= LX_NUM || e.len < LX_HDR || e.len > LX_BUF ||
	    e.len > lx_rx.desc[e.id].len)
		return -1;
	/* The firmware may only have written inside the pool. */
	pa = lx_rx.desc[e.id].addr;
	if (pa < LX_PA(AR_VBUF_OFF) || pa > LX_PA(LX_POOL_END) - e.len)
		return -1;
	buf = lx_win + (pa - AR_WIN_LINUX_PA);
	memcpy(&m->h, buf, sizeof(m->h));
	memcpy(m->data, buf + LX_HDR, e.len - LX_HDR);
	if (lx_hold_rx && lx_nheld < LX_NUM)
		lx_held[lx_nheld++] = (uint16_t)e.id;
	else
		lx_post(&lx_rx, (uint16_t)e.id);
	return 1;
}

void lx_release_rx(void)
{
	unsigned int i;

	for (i = 0; i < lx_nheld; i++)
		lx_post(&lx_rx, lx_held[i]);
	lx_nheld = 0;
	lx_hold_rx = 0;
}

int lx_recv(struct lx_msg *m)
{
	int got = lx_take(m);

	CHECK(got >= 0, "impossible used entry: id %u len %u", m->id, m->used_len);
	return got > 0;
}

int lx_run_tests(const struct lx_test *tests, unsigned int n)
{
	unsigned int i, nfail = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (lx_window_alloc()) {
		printf("Bail out! cannot allocate the simulated window\n");
		return 1;
	}
	printf("TAP version 13\n1..%u\n", n);
	for (i = 0; i < n; i++) {
		lx_failed = 0;
		tests[i].fn();
		printf("%sok %u - %s\n", lx_failed ? "not " : "", i + 1, tests[i].name);
		nfail += lx_failed;
	}
	printf("# %u passed, %u failed\n", n - nfail, nfail);
	lx_window_free();
	return nfail ? 1 : 0;
}
