// SPDX-License-Identifier: GPL-2.0-only
/*
 * Boot ROM of the remote core. QEMU restores it at 0x0 on every reset; it
 * runs each time amprelayd releases the core. It checks the image header
 * Linux loaded at the start of the firmware area, copies the code into
 * private SSRAM1 (QEMU's TCG keeps stale translations of code run from
 * the shared file across resets, so code never runs from the window),
 * checks it and jumps to it. A bad image is reported in the control page
 * and on the boot channel, and the core sleeps.
 */
#include <stddef.h>
#include <stdint.h>
#include <amprelay/platform.h>
#include "common/crc32.h"
#include "port/mps2-an386/cm4.h"
#include "port/mps2-an386/cmsdk_uart.h"

#define FW_BASE		(AR_WIN_REMOTE_DA + AR_FW_OFF)
#define FW_END		(FW_BASE + AR_FW_SIZE)
#define RUN_END		(AR_SSRAM1_BASE + AR_SSRAM1_SIZE)
#define SSRAM2_END	(AR_SSRAM2_BASE + AR_SSRAM2_SIZE)
#define VTOR_ALIGN	512

typedef void (*ar_vector)(void);

void ar_bootrom_reset(void) __attribute__((noreturn));
void ar_bootrom_fault(void) __attribute__((noreturn));

const ar_vector ar_bootrom_vectors[AR_NUM_SYS_VECTORS]
	__attribute__((section(".vectors"), used)) = {
	(ar_vector)AR_BOOTROM_STACK_TOP,
	ar_bootrom_reset,
	ar_bootrom_fault, ar_bootrom_fault, ar_bootrom_fault,
	ar_bootrom_fault, ar_bootrom_fault, 0, 0, 0, 0,
	ar_bootrom_fault, ar_bootrom_fault, 0,
	ar_bootrom_fault, ar_bootrom_fault,
};

static volatile struct ar_ctrl *const ctrl =
	(volatile struct ar_ctrl *)(AR_WIN_REMOTE_DA + AR_CTRL_OFF);

static void puts0(const char *s)
{
	while (*s)
		ar_uart_putc(AR_UART0, *s++);
}

static void put_hex(uint32_t v)
{
	int i;

	puts0("0x");
	for (i = 28; i >= 0; i -= 4)
		ar_uart_putc(AR_UART0, "0123456789abcdef"[(v >> i) & 0xf]);
}

static void put_dec(uint32_t v)
{
	char d[10];
	int n = 0;

	do {
		d[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		ar_uart_putc(AR_UART0, d[--n]);
}

/* [addr, addr + len) lies within [lo, hi), with no wrap-around. */
static int inside(uint32_t addr, uint32_t len, uint32_t lo, uint32_t hi)
{
	return addr >= lo && addr <= hi && len <= hi - addr;
}

/* An initial stack pointer may sit at the very top of its region. */
static int stack_ok(uint32_t sp)
{
	return !(sp & 7) &&
	       ((sp > FW_BASE && sp <= FW_END) ||
		(sp > AR_SSRAM2_BASE && sp <= SSRAM2_END));
}

/* Takes one copy of the header: Linux could change the window meanwhile. */
static uint32_t check_header(struct ar_image_header *h)
{
	const volatile uint32_t *src = (const volatile uint32_t *)FW_BASE;
	uint32_t *dst = (uint32_t *)h;
	size_t i;

	for (i = 0; i < sizeof(*h) / 4; i++)
		dst[i] = src[i];
	if (h->magic != AR_IMAGE_MAGIC)
		return AR_BOOTERR_MAGIC;
	if (h->version != AR_IMAGE_VERSION || h->header_size != sizeof(*h))
		return AR_BOOTERR_VERSION;
	if (ar_crc32(h, offsetof(struct ar_image_header, header_crc)) !=
	    h->header_crc)
		return AR_BOOTERR_HDR_CRC;
	if (!h->code_size || ((h->code_load | h->code_run | h->code_size) & 3) ||
	    !inside(h->code_load, h->code_size, FW_BASE + h->header_size, FW_END) ||
	    !inside(h->code_run, h->code_size, AR_CODE_RUN_BASE, RUN_END))
		return AR_BOOTERR_RANGE;
	return AR_BOOTERR_NONE;
}

/* Checks what was copied, which is what will run. */
static uint32_t check_code(const struct ar_image_header *h)
{
	const uint32_t *vec = (const uint32_t *)h->vectors;

	if (ar_crc32((const void *)h->code_run, h->code_size) != h->code_crc)
		return AR_BOOTERR_CODE_CRC;
	if ((h->vectors & (VTOR_ALIGN - 1)) ||
	    !inside(h->vectors, AR_NUM_SYS_VECTORS * 4, h->code_run,
		    h->code_run + h->code_size))
		return AR_BOOTERR_VECTORS;
	if (!stack_ok(vec[0]) || !(vec[1] & 1) ||
	    !inside(vec[1] & ~1u, 2, h->code_run, h->code_run + h->code_size))
		return AR_BOOTERR_VECTORS;
	return AR_BOOTERR_NONE;
}

static void __attribute__((noreturn)) refuse(uint32_t err)
{
	static const char *const why[] = AR_BOOTERR_STRINGS;

	ctrl->boot_error = err;
	ar_dmb();
	ctrl->boot_state = AR_BOOT_ERROR;
	ar_dsb_isb();
	puts0("amprelay boot ROM: image rejected: ");
	puts0(err < sizeof(why) / sizeof(why[0]) ? why[err] : "?");
	puts0(" (error ");
	put_dec(err);
	puts0(")\n");
	ar_uart_putc(AR_UART1, AR_MBOX_BOOT);
	for (;;)
		__asm__ volatile("wfi");
}

static void __attribute__((noreturn)) start(uint32_t vectors)
{
	const uint32_t *vec = (const uint32_t *)vectors;

	AR_SCB_VTOR = vectors;
	ar_dsb_isb();
	__asm__ volatile("msr msp, %0\n\tbx %1" : : "r"(vec[0]), "r"(vec[1]) : "memory");
	__builtin_unreachable();
}

/*
 * ctrl.running is set by the firmware once it runs and cleared by Linux
 * before every release from reset. Finding it set here means the core
 * was reset behind Linux's back (watchdog, lockup): report that as a
 * crash and do not start the firmware again on our own.
 */
static void __attribute__((noreturn)) report_unexpected_reset(void)
{
	volatile struct ar_crash_record *r =
		(volatile struct ar_crash_record *)(AR_WIN_REMOTE_DA + AR_CRASH_OFF);
	uint32_t count = r->magic == AR_CRASH_MAGIC ? r->count : 0;
	static const char msg[] = "reset while the firmware was running";
	volatile uint32_t *w;
	unsigned int i;

	r->magic = 0;
	ar_dmb();
	/* No registers to report: the reset took them. */
	for (w = &r->r0; w <= &r->bfar; w++)
		*w = 0;
	for (w = &r->r4; w <= &r->r11; w++)
		*w = 0;
	r->cause = AR_CAUSE_UNEXPECTED_RESET;
	r->count = count + 1;
	for (i = 0; i < sizeof(msg); i++)
		r->msg[i] = msg[i];
	ar_dmb();
	r->magic = AR_CRASH_MAGIC;
	ar_dsb_isb();
	puts0("amprelay boot ROM: unexpected reset, waiting for Linux\n");
	ar_uart_putc(AR_UART1, AR_MBOX_CRASH);
	for (;;)
		__asm__ volatile("wfi");
}

void ar_bootrom_reset(void)
{
	struct ar_image_header h;
	uint32_t err, i;

	ar_uart_init(AR_UART0, AR_UART_CTRL_TX_EN);
	ar_uart_init(AR_UART1, AR_UART_CTRL_TX_EN);
	if (ctrl->magic == AR_CTRL_MAGIC && ctrl->running)
		report_unexpected_reset();
	ctrl->magic = AR_CTRL_MAGIC;
	ctrl->boot_error = AR_BOOTERR_NONE;
	ctrl->boot_state = AR_BOOT_ROM;
	ctrl->boot_count = ctrl->boot_count + 1;
	puts0("amprelay boot ROM: boot ");
	put_dec(ctrl->boot_count);
	puts0("\n");

	err = check_header(&h);
	if (err)
		refuse(err);
	for (i = 0; i < h.code_size; i += 4)
		*(volatile uint32_t *)(h.code_run + i) =
			*(const volatile uint32_t *)(h.code_load + i);
	ar_dsb_isb();
	err = check_code(&h);
	if (err)
		refuse(err);

	puts0("amprelay boot ROM: image ");
	put_hex(h.build_id);
	puts0(", ");
	put_dec(h.code_size);
	puts0(" bytes of code at ");
	put_hex(h.code_run);
	puts0(", starting\n");
	start(h.vectors);
}

void ar_bootrom_fault(void)
{
	puts0("amprelay boot ROM: fault, stopped\n");
	for (;;)
		__asm__ volatile("wfi");
}
