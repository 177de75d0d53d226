// SPDX-License-Identifier: GPL-2.0-only
/*
 * Crash path of the mps2-an386 port. Every fatal exception and the
 * watchdog's NMI end here: the stacked frame and the fault status
 * registers go into the crash record in the window, AR_MBOX_CRASH tells
 * Linux, and the core stops until Linux resets it. The MPU turns a stack
 * overflow and a null pointer into faults, which QEMU's flat SSRAM would
 * otherwise let through.
 *
 * The watchdog counts QEMU's virtual time, which follows host time: when
 * the host deschedules the remote QEMU, the watchdog expires although the
 * firmware is fine. So an expiry is a hang only if the core was running
 * when it expired (the NMI came on time) and the main loop has made no
 * pass since the previous expiry; any other expiry is forgiven. A hang is
 * thus reported at the second expiry, about two periods after it began.
 */
#include <amprelay/platform.h>
#include "core/port.h"
#include "port/crash.h"
#include "cm4.h"
#include "cmsdk_uart.h"

/* CMSDK APB watchdog registers. */
#define WDOG_LOAD		AR_REG(AR_WDOG_BASE + 0x000)
#define WDOG_VALUE		AR_REG(AR_WDOG_BASE + 0x004)
#define WDOG_CONTROL		AR_REG(AR_WDOG_BASE + 0x008)
#define WDOG_INTCLR		AR_REG(AR_WDOG_BASE + 0x00c)
#define WDOG_LOCK		AR_REG(AR_WDOG_BASE + 0xc00)
#define WDOG_CONTROL_INTEN	(1u << 0)
#define WDOG_CONTROL_RESEN	(1u << 1)
#define WDOG_UNLOCK_KEY		0x1acce551u
#define WDOG_TICKS		(AR_REMOTE_CPU_HZ / 1000 * AR_WDOG_TIMEOUT_MS)
/*
 * After an expiry the counter runs on from WDOG_TICKS, so what it lost
 * when the NMI runs is how late the NMI came. A core that was running
 * takes it within microseconds; a millisecond late, the host had the
 * core descheduled when the watchdog expired.
 */
#define WDOG_LATE_TICKS		(AR_REMOTE_CPU_HZ / 1000)

#define NULL_GUARD_LOG2		8	/* bytes 0..255: null pointer + offset */
#define STACK_GUARD_LOG2	8	/* see .stack in firmware.ld.S */
#define FAULT_STACK_WORDS	256
#define NMI_STACK_WORDS		64

#define EXC_NMI			2
#define EXC_HARDFAULT		3
#define EXC_MEMMANAGE		4
#define EXC_BUSFAULT		5
#define EXC_USAGEFAULT		6

void ar_fault_entry(void);
void ar_nmi_entry(void);
void ar_fault_report(const uint32_t *frame, uint32_t exc_return)
	__attribute__((noreturn, used));

extern uint32_t __stack_guard__[];

/* The handlers run here: the fault may be that the main stack is gone. */
uint32_t ar_fault_stack[FAULT_STACK_WORDS] __attribute__((aligned(8), used));
/* r4-r11 as the fault found them: exception entry does not stack them. */
uint32_t ar_fault_callee_regs[8] __attribute__((used));
/* Set by the wdt-reset fault: the NMI then reports nothing. */
volatile uint32_t ar_wdog_report_silenced __attribute__((used));
/*
 * The NMI decides here: the main stack may be what failed, and a fault
 * handler may be using the fault stack.
 */
static uint32_t nmi_stack[NMI_STACK_WORDS] __attribute__((aligned(8), used));
/* Main-loop passes (feeds), and their count at the last expiry. */
static volatile uint32_t wdog_passes;
static uint32_t wdog_passes_at_expiry;
/* Expiries forgiven since boot, numbered on the console. */
static uint32_t wdog_forgiven;

int ar_wdog_expired(void) __attribute__((used));

static volatile struct ar_crash_record *const crash_rec =
	(volatile struct ar_crash_record *)(AR_WIN_REMOTE_DA + AR_CRASH_OFF);

static void mpu_guard(uint32_t region, uint32_t base, uint32_t log2)
{
	AR_MPU_RNR = region;
	AR_MPU_RBAR = base;
	AR_MPU_RASR = AR_MPU_RASR_XN | AR_MPU_RASR_SIZE(log2) |
		      AR_MPU_RASR_ENABLE;
}

static void wdog_write(volatile uint32_t *reg, uint32_t v)
{
	WDOG_LOCK = WDOG_UNLOCK_KEY;
	*reg = v;
	WDOG_LOCK = 0;
}

void ar_crash_init(void)
{
	ar_wdog_report_silenced = 0;
	mpu_guard(0, 0, NULL_GUARD_LOG2);
	mpu_guard(1, (uint32_t)__stack_guard__, STACK_GUARD_LOG2);
	AR_MPU_CTRL = AR_MPU_CTRL_PRIVDEFENA | AR_MPU_CTRL_ENABLE;
	AR_SCB_CCR |= AR_CCR_DIV_0_TRP;
	AR_SCB_SHCSR |= AR_SHCSR_FAULTS_ENA;
	ar_dsb_isb();

	/*
	 * No RESEN: after a host stall of more than a period QEMU catches
	 * up both expiries at once, before the core runs an instruction, and
	 * the reset would come with no chance to forgive it. The NMI turns it
	 * on when a reset is what the firmware wants (wdt-reset).
	 */
	/* An expiry before the first pass (a slow start) is forgiven. */
	wdog_passes_at_expiry = wdog_passes - 1;
	wdog_write(&WDOG_LOAD, WDOG_TICKS);
	wdog_write(&WDOG_CONTROL, WDOG_CONTROL_INTEN);
}

void ar_wdog_feed(void)
{
	wdog_passes++;
	/* Clearing the interrupt also reloads the counter. */
	wdog_write(&WDOG_INTCLR, 1);
}

void ar_wdog_silence_report(void)
{
	ar_wdog_report_silenced = 1;
	ar_dsb_isb();
}

/* A reported crash must not be followed by a watchdog reset as well. */
static void wdog_stop(void)
{
	wdog_write(&WDOG_CONTROL, 0);
	wdog_write(&WDOG_INTCLR, 1);
}

/* Polled output with no buffer: the stack may be what failed. */
static void fault_puts(const char *s)
{
	while (*s)
		ar_uart_putc(AR_UART0, *s++);
}

static void fault_hex(const char *name, uint32_t v)
{
	int i;

	fault_puts(name);
	for (i = 28; i >= 0; i -= 4)
		ar_uart_putc(AR_UART0, "0123456789abcdef"[(v >> i) & 0xf]);
}

/*
 * The watchdog expired (NMI, on nmi_stack): 0 to return to the
 * interrupted code, nonzero to report a hang.
 */
int ar_wdog_expired(void)
{
	uint32_t left = WDOG_VALUE;
	uint32_t passes = wdog_passes;
	/* Also when a stall let the second expiry through: that stops it at 0. */
	int late = left + WDOG_LATE_TICKS < WDOG_TICKS;

	if (ar_wdog_report_silenced) {
		/*
		 * wdt-reset: leave the interrupt set so that the next expiry
		 * resets the core; at once if a stall already let it through.
		 */
		if (!(WDOG_CONTROL & WDOG_CONTROL_RESEN))
			wdog_write(&WDOG_CONTROL,
				   WDOG_CONTROL_INTEN | WDOG_CONTROL_RESEN);
		return 0;
	}
	if (!late && passes == wdog_passes_at_expiry)
		return 1;

	/*
	 * Forgiven: a full period from now, and restarted if stopped. After
	 * a late expiry the next one is forgiven too, pass or not: the host
	 * may deschedule the core again before the main loop's next pass.
	 */
	wdog_passes_at_expiry = late ? passes - 1 : passes;
	wdog_write(&WDOG_INTCLR, 1);
	wdog_write(&WDOG_LOAD, WDOG_TICKS);
	wdog_forgiven++;
	fault_hex("amprelay-fw: watchdog expiry forgiven, #", wdog_forgiven);
	fault_puts(late ? ": the host had the core stopped\n" :
		   ": the main loop ran since the last one\n");
	return 0;
}

/* Fills the record (magic last), tells Linux, and stops for good. */
static void __attribute__((noreturn)) record_and_stop(uint32_t cause,
						      const uint32_t *regs,
						      uint32_t sp,
						      const char *msg)
{
	static const char *const causes[AR_CAUSE_NUM] = AR_CAUSE_STRINGS;
	volatile struct ar_crash_record *r = crash_rec;
	uint32_t count = r->magic == AR_CRASH_MAGIC ? r->count : 0;
	unsigned int i;

	ar_irq_disable();
	wdog_stop();

	r->magic = 0;
	ar_dmb();
	r->cause = cause;
	r->r0 = regs[0];
	r->r1 = regs[1];
	r->r2 = regs[2];
	r->r3 = regs[3];
	r->r12 = regs[4];
	r->lr = regs[5];
	r->pc = regs[6];
	r->xpsr = regs[7];
	r->sp = sp;
	r->cfsr = AR_SCB_CFSR;
	r->hfsr = AR_SCB_HFSR;
	r->mmfar = AR_SCB_MMFAR;
	r->bfar = AR_SCB_BFAR;
	r->count = count + 1;
	r->r4 = ar_fault_callee_regs[0];
	r->r5 = ar_fault_callee_regs[1];
	r->r6 = ar_fault_callee_regs[2];
	r->r7 = ar_fault_callee_regs[3];
	r->r8 = ar_fault_callee_regs[4];
	r->r9 = ar_fault_callee_regs[5];
	r->r10 = ar_fault_callee_regs[6];
	r->r11 = ar_fault_callee_regs[7];
	for (i = 0; i < sizeof(r->msg) - 1 && msg && msg[i]; i++)
		r->msg[i] = msg[i];
	for (; i < sizeof(r->msg); i++)
		r->msg[i] = 0;
	ar_dmb();
	r->magic = AR_CRASH_MAGIC;

	/* The console may not be set up yet if we fault early. */
	ar_uart_init(AR_UART0, AR_UART_CTRL_TX_EN);
	fault_puts("\namprelay-fw: FATAL ");
	fault_puts(cause < AR_CAUSE_NUM ? causes[cause] : "?");
	fault_hex(" pc=", r->pc);
	fault_hex(" lr=", r->lr);
	fault_hex(" sp=", sp);
	fault_hex(" cfsr=", r->cfsr);
	fault_hex(" hfsr=", r->hfsr);
	fault_hex(" mmfar=", r->mmfar);
	fault_hex(" bfar=", r->bfar);
	if (msg) {
		fault_puts("\namprelay-fw: ");
		fault_puts(msg);
	}
	fault_puts("\namprelay-fw: stopped, waiting for reset\n");

	ar_port_notify(AR_MBOX_CRASH);
	for (;;)
		__asm__ volatile("wfi");
}

/*
 * Switches to the fault stack, then hands the stacked frame (MSP or PSP,
 * per EXC_RETURN) to ar_fault_report. Leaves the MPU on: the handler
 * touches only the window and the fault stack, and checks the frame.
 */
__attribute__((naked)) void ar_fault_entry(void)
{
	__asm__ volatile(
		"tst lr, #4\n\t"
		"ite eq\n\t"
		"mrseq r0, msp\n\t"
		"mrsne r0, psp\n\t"
		"mov r1, lr\n\t"
		"ldr r2, =ar_fault_callee_regs\n\t"
		"stmia r2, {r4-r11}\n\t"
		"ldr r2, =ar_fault_stack + %c0\n\t"
		"msr msp, r2\n\t"
		"isb\n\t"
		"b ar_fault_report\n\t"
		".ltorg\n\t"
		: : "i"(sizeof(ar_fault_stack)));
}

/*
 * The watchdog's NMI. ar_wdog_expired decides on nmi_stack; then either
 * back to the interrupted code or, with MSP and EXC_RETURN as they came,
 * into the report.
 */
__attribute__((naked)) void ar_nmi_entry(void)
{
	__asm__ volatile(
		"mov r3, sp\n\t"
		"ldr r2, =nmi_stack + %c0\n\t"
		"mov sp, r2\n\t"
		"push {r3, lr}\n\t"
		"bl ar_wdog_expired\n\t"
		"pop {r3, lr}\n\t"
		"mov sp, r3\n\t"
		"cbnz r0, 1f\n\t"
		"bx lr\n\t"
		"1: b ar_fault_entry\n\t"
		".ltorg\n\t"
		: : "i"(sizeof(nmi_stack)));
}

static int frame_readable(uint32_t a)
{
	uint32_t guard = (uint32_t)__stack_guard__;

	if (a >= guard && a < guard + (1u << STACK_GUARD_LOG2))
		return 0;
	return (a >= AR_WIN_REMOTE_DA && a <= AR_WIN_REMOTE_DA + AR_WIN_SIZE - 32) ||
	       (a >= AR_SSRAM2_BASE && a <= AR_SSRAM2_BASE + AR_SSRAM2_SIZE - 32);
}

void ar_fault_report(const uint32_t *frame, uint32_t exc_return)
{
	static const uint32_t no_frame[8];
	uint32_t ipsr, cause, sp;
	const char *msg = 0;

	__asm__ volatile("mrs %0, ipsr" : "=r"(ipsr));
	ipsr &= 0x1ff;
	switch (ipsr) {
	case EXC_NMI:
		/* mps2-an386 wires only the watchdog to NMI. */
		cause = AR_CAUSE_WATCHDOG;
		msg = "watchdog expired: main loop stopped";
		break;
	case EXC_HARDFAULT:
		cause = AR_CAUSE_HARDFAULT;
		break;
	case EXC_MEMMANAGE:
		cause = AR_CAUSE_MEMMANAGE;
		break;
	case EXC_BUSFAULT:
		cause = AR_CAUSE_BUSFAULT;
		break;
	case EXC_USAGEFAULT:
		cause = AR_CAUSE_USAGEFAULT;
		break;
	default:
		cause = AR_CAUSE_HARDFAULT;
		msg = "unexpected exception";
		break;
	}

	sp = (uint32_t)frame + 32;
	if (!frame_readable((uint32_t)frame)) {
		/* Stacking into the guard failed: only sp is known. */
		msg = (AR_SCB_CFSR & AR_CFSR_MSTKERR) ?
		      "stack overflow: exception frame lost" :
		      "exception frame unreadable";
		frame = no_frame;
	} else if (frame[7] & (1u << 9)) {
		sp += 4;	/* the frame was realigned to 8 bytes */
	}
	(void)exc_return;
	record_and_stop(cause, frame, sp, msg);
}

void ar_crash_assert(const char *msg)
{
	uint32_t regs[8] = { 0 };
	uint32_t sp;

	__asm__ volatile("mov %0, sp\n\t"
			 "stmia %1, {r4-r11}"
			 : "=&r"(sp) : "r"(ar_fault_callee_regs) : "memory");
	/* Where the assert failed: the call site is pc, as gdb expects. */
	regs[5] = (uint32_t)__builtin_return_address(0);
	regs[6] = regs[5] & ~1u;
	regs[7] = 1u << 24;	/* xPSR.T */
	record_and_stop(AR_CAUSE_ASSERT, regs, sp, msg);
}
