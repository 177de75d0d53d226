// SPDX-License-Identifier: GPL-2.0-only
/*
 * Deliberate faults (AR_FAULT_*), run from the main loop after the
 * command that asked for one has been answered. Nothing here reports a
 * crash itself: the fault handlers, the watchdog, the boot ROM or Linux's
 * own checks must notice, exactly as for a real bug.
 */
#include <amprelay/platform.h>
#include "app/fault.h"
#include "core/log.h"
#include "core/port.h"
#include "core/rpmsg.h"
#include "port/crash.h"
#include "port/mps2-an386/cm4.h"

/* Anything the bus matrix of mps2-an386 does not decode. */
#define UNMAPPED_ADDR		0xd0000000u

static struct ar_rpmsg *fault_rpmsg;
static volatile uint32_t rpmsg_silenced;

/* Read through volatile pointers so the compiler keeps the bad access. */
static uint32_t *volatile null_ptr;
static volatile uint32_t zero_divisor;

void ar_fault_init(struct ar_rpmsg *rp)
{
	fault_rpmsg = rp;
}

int ar_fault_rpmsg_silenced(void)
{
	return rpmsg_silenced;
}

static void __attribute__((noinline)) null_load(void)
{
	/*
	 * The MPU guards the first bytes of the address space, which would
	 * report a MemManage fault; with that handler off, the violation
	 * escalates to HardFault (HFSR.FORCED), the path every unhandled
	 * fault takes.
	 */
	AR_SCB_SHCSR &= ~AR_SHCSR_MEMFAULTENA;
	ar_dsb_isb();
	ar_log("fault: %08x\n", (unsigned int)*null_ptr);
}

static void __attribute__((noinline)) unmapped_read(void)
{
	ar_log("fault: %08x\n", (unsigned int)AR_REG(UNMAPPED_ADDR));
}

static void __attribute__((noinline)) undefined_instruction(void)
{
	__asm__ volatile("udf #0" ::: "memory");
}

static void __attribute__((noinline)) divide_by_zero(void)
{
	volatile uint32_t dividend = 42;

	ar_log("fault: %u\n", (unsigned int)(dividend / zero_divisor));
}

/*
 * Each frame keeps a live buffer, so it cannot become a loop. The bound
 * is far beyond what the stack holds; it is read at run time only so the
 * compiler does not reject the recursion as infinite.
 */
static uint32_t __attribute__((noinline)) recurse(uint32_t depth)
{
	volatile uint32_t frame[16];

	if (depth == ~zero_divisor)
		return 0;
	frame[depth % 16] = depth;
	return recurse(depth + 1) + frame[depth % 16];
}

static void __attribute__((noinline)) failed_assert(uint32_t type)
{
	AR_ASSERT(type != AR_FAULT_ASSERT);
}

static void __attribute__((noinline, noreturn)) spin(void)
{
	for (;;)
		ar_port_mb();
}

static void corrupt_used(void)
{
	struct ar_rpmsg *rp = fault_rpmsg;

	if (!rp || rp->state != AR_RPMSG_READY) {
		ar_log("fault: corrupt-used needs a live vdev\n");
		return;
	}
	/* An id Linux never posted and that cannot index its ring. */
	ar_vq_put_used(&rp->vq_rx, (uint16_t)(rp->vq_rx.num + 7), 0);
	ar_vq_flush(&rp->vq_rx);
	ar_port_notify(AR_MBOX_VQ);
}

void ar_fault_inject(uint32_t type)
{
	static const char *const names[AR_FAULT_NUM] = AR_FAULT_NAMES;

	if (type == 0 || type >= AR_FAULT_NUM) {
		ar_log("fault: unknown type %u ignored\n", (unsigned int)type);
		return;
	}
	ar_log("fault: injecting %s\n", names[type]);

	switch (type) {
	case AR_FAULT_HARDFAULT:
		null_load();
		break;
	case AR_FAULT_BUSFAULT:
		unmapped_read();
		break;
	case AR_FAULT_USAGEFAULT:
		undefined_instruction();
		break;
	case AR_FAULT_DIVZERO:
		divide_by_zero();
		break;
	case AR_FAULT_STACKOVERFLOW:
		recurse(0);
		break;
	case AR_FAULT_ASSERT:
		failed_assert(type);
		break;
	case AR_FAULT_HANG:
		spin();
	case AR_FAULT_HANG_IRQOFF:
		ar_irq_disable();
		spin();
	case AR_FAULT_WDT_RESET:
		ar_wdog_silence_report();
		spin();
	case AR_FAULT_SILENT:
		rpmsg_silenced = 1;
		return;
	case AR_FAULT_CORRUPT_USED:
		corrupt_used();
		return;
	}
	/* A fault that did not trap is itself a failure of the lab. */
	ar_crash_assert("fault injection did not trap");
}
