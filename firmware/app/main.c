// SPDX-License-Identifier: GPL-2.0-only
/*
 * Firmware main loop. Interrupt handlers only note events; every wake-up
 * bumps the heartbeat and polls the rpmsg vdev, whose state follows what
 * Linux writes into the resource table. There is no fast tick: the loop
 * sleeps until a doorbell or its next deadline, the earliest of what the
 * services have due and the next watchdog feed (MAX_SLEEP_US, which the
 * board's wake-up period enforces).
 */
#include <amprelay/platform.h>
#include "app/fault.h"
#include "core/bulk.h"
#include "core/log.h"
#include "core/port.h"
#include "core/registry.h"
#include "core/rpmsg.h"
#include "core/services.h"
#include "core/trace.h"
#include "port/board.h"
#include "port/crash.h"
#include "rsc_table.h"

/*
 * The longest sleep, derived from the watchdog (whose period may change):
 * the watchdog is fed, and Linux sees the heartbeat move, four times
 * within their shortest period, so one late pass is no alarm.
 */
#define MAX_SLEEP_US	((AR_WDOG_TIMEOUT_MS < AR_HEARTBEAT_CHECK_MS ? \
			  AR_WDOG_TIMEOUT_MS : AR_HEARTBEAT_CHECK_MS) * 1000u / 4)
_Static_assert(MAX_SLEEP_US > 0, "the watchdog period leaves no time to sleep");

void ar_fw_main(void) __attribute__((noreturn));

extern const struct ar_image_header ar_image_header;

static const struct ar_rpmsg_config rpmsg_config =
	AR_FW_RPMSG_CONFIG(&ar_rsc_table.vdev);

static struct ar_trace trace;
static struct ar_rpmsg rpmsg;
static struct ar_services services;
static struct ar_bulk bulk;

void ar_fw_main(void)
{
	volatile struct ar_ctrl *ctrl =
		(volatile struct ar_ctrl *)(AR_WIN_REMOTE_DA + AR_CTRL_OFF);
	/* Filled in after linking: read it from memory, not the initialiser. */
	uint32_t build_id =
		((const volatile struct ar_image_header *)&ar_image_header)->build_id;
	struct ar_svc_config svc_config;
	uint64_t now_us, due_us, svc_due_us, clock_total = 0;
	uint32_t clock_last = 0;

	ar_board_init(MAX_SLEEP_US);
	ar_trace_init(&trace, (void *)(AR_WIN_REMOTE_DA + AR_TRACE_OFF),
		      AR_TRACE_SIZE);
	ar_log_set_trace(&trace);
	ar_log("amprelay-fw build %08x, boot %u, mps2-an386 Cortex-M4\n",
	       (unsigned int)build_id, (unsigned int)ctrl->boot_count);

	ar_rpmsg_init(&rpmsg, &rpmsg_config);
	svc_config.ctrl = ctrl;
	svc_config.crash = (volatile const struct ar_crash_record *)
		(AR_WIN_REMOTE_DA + AR_CRASH_OFF);
	svc_config.trace = &trace;
	svc_config.build_id = build_id;
	svc_config.fault_inject = ar_fault_inject;
	ar_services_init(&services, &rpmsg, &svc_config);
	ar_bulk_init(&bulk, &rpmsg);
	ar_fault_init(&rpmsg);
	/* Services that registered themselves (AR_SERVICE), after the built-in ones. */
	ar_registry_init(&rpmsg);

	ctrl->magic = AR_CTRL_MAGIC;
	ctrl->build_id = build_id;
	ctrl->running = 1;
	ar_port_mb();
	ctrl->boot_state = AR_BOOT_RUNNING;
	ar_port_notify(AR_MBOX_BOOT);
	ar_log("amprelay-fw running, waiting for the rpmsg vdev\n");

	for (;;) {
		ctrl->heartbeat++;
		ar_wdog_feed();
		now_us = ar_services_clock(&clock_total, &clock_last, ar_port_time_us());
		due_us = now_us + MAX_SLEEP_US;
		if (!ar_fault_rpmsg_silenced()) {
			/* Before the rpmsg poll, whose flush sends what it queued. */
			ar_services_poll(&services, now_us);
			ar_bulk_poll(&bulk);
			ar_rpmsg_poll(&rpmsg);
			/*
			 * When the pollers next have work, what the messages
			 * just delivered asked for included. The registered
			 * services answer in their callbacks and need none.
			 */
			svc_due_us = ar_bulk_has_work(&bulk) ? now_us :
				     ar_services_next_due(&services);
			if (svc_due_us < due_us)
				due_us = svc_due_us;
		}
		/*
		 * The time left counts from the pass's start, so a wake-up
		 * comes late by the pass, never early; the clock is read once
		 * a pass (under QEMU each read asks the host for the time).
		 * Linux's liveness check: its doorbells still reach us.
		 */
		if (ar_board_wait(due_us > now_us ? (uint32_t)(due_us - now_us) : 0) &
		    AR_EVT_DOORBELL)
			ctrl->liveness_ack = ctrl->liveness_seq;
	}
}
