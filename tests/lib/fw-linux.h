/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The simulated Linux side shared by the firmware's host tests
 * (tests/unit/fw-*.c) and fuzz harnesses (tests/fuzz): a shared window
 * with the firmware's resource table "loaded" in it, and Linux's
 * virtio_rpmsg_bus played on it: vrings in their regions, 512-byte
 * buffers in the pool (first half receive, second half transmit), Linux
 * physical addresses in the descriptors, DRIVER_OK in the vdev entry.
 * Built against firmware/port/host.
 */
#ifndef AR_TESTS_FW_LINUX_H
#define AR_TESTS_FW_LINUX_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <amprelay/platform.h>
#include "core/virtqueue.h"
#include "rsc_table.h"

#define LX_NUM		AR_VRING_NUM
#define LX_HDR		AR_RPMSG_HDR_SIZE
#define LX_BUF		AR_RPMSG_BUF_SIZE
#define LX_EPT		1024		/* Linux's first dynamic address */
#define LX_TABLE_OFF	0x00100000	/* where the table is "loaded" */
#define LX_PA(off)	((uint64_t)AR_WIN_LINUX_PA + (off))
#define LX_RX_BUF_OFF(i)	(AR_VBUF_OFF + (uint32_t)(i) * LX_BUF)
#define LX_TX_BUF_OFF(i)	(AR_VBUF_OFF + (uint32_t)(LX_NUM + (i)) * LX_BUF)
#define LX_POOL_END	(AR_VBUF_OFF + AR_VBUF_SIZE)

/* The rpmsg header as it is on the wire. */
struct lx_hdr {
	uint32_t src, dst, reserved;
	uint16_t len, flags;
};

/* What Linux sees of one message the firmware sent. */
struct lx_msg {
	struct lx_hdr h;
	uint8_t data[LX_BUF];
	uint32_t used_len;
	uint32_t id;
};

struct lx_vring {
	struct ar_vring_desc *desc;
	struct ar_vring_avail *avail;
	struct ar_vring_used *used;
	uint16_t avail_idx;
	uint16_t last_used;
};

extern uint8_t *lx_win;
extern struct ar_fw_rsc_table *lx_table;	/* the loaded copy in the window */
extern struct lx_vring lx_rx, lx_tx;		/* vring 0 and vring 1 */
extern int lx_hold_rx;		/* Linux slow: keep receive buffers in lx_held */
extern uint16_t lx_held[LX_NUM];
extern unsigned int lx_nheld;

/* A zeroed, page-aligned window given to the host port; 0 or -1. */
int lx_window_alloc(void);
void lx_window_free(void);
/* Clears the rings and the pool and loads the firmware's table. */
void lx_load(void);

size_t lx_vring_used_off(void);
size_t lx_vring_bytes(void);
void lx_post(struct lx_vring *v, uint16_t head);
/* The next used entry of v, if any: 1 or 0. */
int lx_next_used(struct lx_vring *v, struct ar_vring_used_elem *e);
unsigned int lx_rx_pending(void);

/* Like rpmsg_probe + virtio_device_ready: fill RX, mute TX, DRIVER_OK. */
void lx_start(void);
void lx_stop(void);
/* Posts one message (len clamped to a buffer) on TX; returns the slot. */
uint16_t lx_send_hdr(const struct lx_hdr *h, const void *data, uint32_t len);
uint16_t lx_send(uint32_t src, uint32_t dst, const void *data, uint32_t len);
/*
 * Takes the next message the firmware sent: 1, 0 if there is none, -1 if
 * the used entry is impossible (id, length or buffer outside the pool).
 * Recycles the buffer, or keeps it while lx_hold_rx.
 */
int lx_take(struct lx_msg *m);
/* Hands the held receive buffers back and stops holding. */
void lx_release_rx(void);

/* ---- TAP for the unit tests ------------------------------------------ */

extern int lx_failed;

#define CHECK(cond, ...) do { \
	if (!(cond)) { \
		lx_failed = 1; \
		printf("# line %d: %s: ", __LINE__, #cond); \
		printf(__VA_ARGS__); \
		printf("\n"); \
	} \
} while (0)

struct lx_test {
	const char *name;
	void (*fn)(void);
};

/* lx_take, with an impossible used entry failing the test: 1 or 0. */
int lx_recv(struct lx_msg *m);
/* Allocates the window, runs each test as one TAP line; the exit status. */
int lx_run_tests(const struct lx_test *tests, unsigned int n);

#endif /* AR_TESTS_FW_LINUX_H */
