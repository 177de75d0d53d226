// SPDX-License-Identifier: GPL-2.0-only
/*
 * The doorbell bridge and the reset line: Linux's ivshmem vectors become
 * bytes on the remote's UART1 and back, and the reset vectors become QMP
 * commands to the remote QEMU, acknowledged through the sysctl page.
 * Latency matters here: every doorbell is passed on at once, no batching.
 */
#include <stdio.h>

#include "amprelayd.h"

/* Per-kind event lines logged before only the counters go on. */
#define LOG_FIRST_N	16

static void log_limited(long long count, const char *event, const char *key,
			long long val)
{
	struct ev e;

	if (count > LOG_FIRST_N)
		return;
	ev_begin(&e, event);
	ev_int(&e, key, val);
	if (count == LOG_FIRST_N)
		ev_str(&e, "note", "further ones are only counted");
	ev_end(&e);
}

static void ack_reset(struct lab *l, const char *event, unsigned int vec,
		      double t0, bool ok, const char *err)
{
	volatile struct ar_sysctl_page *page = l->ivsh.page;
	struct ev e;

	page->reset_status = ok ? AR_RESET_OK : AR_RESET_FAILED;
	/* The page must be current before Linux sees the ack. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	ivsh_raise(&l->ivsh, vec);
	if (!ok)
		l->cnt.reset_failures++;
	ev_begin(&e, event);
	ev_ms(&e, "duration_ms", now_ms() - t0);
	ev_str(&e, "status", ok ? "ok" : "failed");
	if (!ok)
		ev_str(&e, "error", err);
	ev_end(&e);
}

/*
 * Holding the core with a gdbstub open: a plain "stop" would let the
 * debugger's next continue run the core behind Linux's back. A reset
 * turned into a paused shutdown leaves QEMU in the "shutdown" state, from
 * which a gdb continue does not start the CPU but waits; the release
 * (reset, then cont) is what runs it. The actions are put back at once,
 * so a watchdog reset by the firmware stays a reset.
 */
#define HOLD_ACTIONS	"{\"reboot\":\"shutdown\",\"shutdown\":\"pause\"}"
#define NORMAL_ACTIONS	"{\"reboot\":\"reset\",\"shutdown\":\"poweroff\"}"

static bool hold_for_debugger(struct lab *l, char *err, size_t errlen)
{
	struct qmp *q = &l->qmp;
	unsigned long before = q->shutdown_events;
	char restore_err[256];
	bool ok;

	ok = qmp_execute_args(q, "set-action", HOLD_ACTIONS, err, errlen) == 0 &&
	     qmp_execute(q, "system_reset", err, errlen) == 0 &&
	     qmp_wait_shutdown(q, before, err, errlen) == 0;
	/* Whatever happened, the normal actions come back. */
	if (qmp_execute_args(q, "set-action", NORMAL_ACTIONS, restore_err,
			     sizeof(restore_err)) < 0) {
		if (ok)
			snprintf(err, errlen, "%s", restore_err);
		ok = false;
	}
	/* A round trip: the STOP that follows SHUTDOWN is read as ours. */
	return ok && qmp_execute(q, "query-status", err, errlen) == 0;
}

/* Hold the core: stop the CPU, then reset it so the boot ROM reloads. */
static void reset_assert(struct lab *l)
{
	double t0 = now_ms();
	char err[256] = "";
	unsigned long resets_before;
	bool ok;

	l->cnt.reset_asserts++;
	ok = wait_remote_ready(l, err, sizeof(err)) == 0;
	qmp_expect(&l->qmp, true, false);
	if (ok && l->opt->gdb_remote) {
		ok = hold_for_debugger(l, err, sizeof(err));
	} else if (ok) {
		ok = qmp_execute(&l->qmp, "stop", err, sizeof(err)) == 0;
		resets_before = l->qmp.reset_events;
		ok = ok &&
		     qmp_execute(&l->qmp, "system_reset", err, sizeof(err)) == 0 &&
		     qmp_wait_reset(&l->qmp, resets_before, err, sizeof(err)) == 0;
	}
	qmp_expect(&l->qmp, false, false);
	if (ok)
		l->ivsh.page->core_held = 1;
	ack_reset(l, "reset_assert", AR_VEC_RESET_ASSERT, t0, ok, err);
}

static void reset_deassert(struct lab *l)
{
	double t0 = now_ms();
	char err[256] = "";
	unsigned long resets_before = l->qmp.reset_events;
	bool ok;

	l->cnt.reset_deasserts++;
	ok = wait_remote_ready(l, err, sizeof(err)) == 0;
	/*
	 * With a gdbstub the hold was a shutdown (or a debugger may have run
	 * the core meanwhile): a reset first, so the boot ROM starts afresh.
	 */
	if (ok && l->opt->gdb_remote)
		ok = qmp_execute(&l->qmp, "system_reset", err, sizeof(err)) == 0 &&
		     qmp_wait_reset(&l->qmp, resets_before, err, sizeof(err)) == 0;
	qmp_expect(&l->qmp, false, true);
	ok = ok && qmp_execute(&l->qmp, "cont", err, sizeof(err)) == 0;
	qmp_expect(&l->qmp, false, false);
	if (ok)
		l->ivsh.page->core_held = 0;
	ack_reset(l, "reset_deassert", AR_VEC_RESET_DEASSERT, t0, ok, err);
	/* Our cont also ended a debugger's halt, if there was one. */
	if (ok && l->remote_halted)
		remote_set_halted(l, false, "release");
}

/* Vectors that travel to the remote as UART1 bytes and back. */
static bool is_remote_channel(unsigned int vec)
{
	return vec < AR_MBOX_NUM || vec == AR_MBOX_PING;
}

void on_linux_ring(struct lab *l, unsigned int vec)
{
	uint64_t count;

	if (!ivsh_read_vector(&l->ivsh, vec, &count))
		return;
	l->cnt.rings_from_linux += count;
	/* Rings that coalesced into one count are one doorbell: no loss. */
	if (is_remote_channel(vec)) {
		/* Fault injection is about rpmsg doorbells, not the probe. */
		if (vec != AR_MBOX_PING && drop_doorbell_to_remote(l, vec))
			return;
		if (uart_send_byte(&l->uart, (uint8_t)vec))
			l->cnt.to_remote++;
		else
			log_limited(++l->cnt.to_remote_dropped,
				    "doorbell_dropped", "vector", vec);
	} else if (vec == AR_VEC_RESET_ASSERT) {
		reset_assert(l);
	} else if (vec == AR_VEC_RESET_DEASSERT) {
		reset_deassert(l);
	} else {
		log_limited(++l->cnt.unknown_vectors, "unknown_vector",
			    "vector", vec);
	}
}

void on_uart_data(struct lab *l)
{
	uint8_t buf[256];
	ssize_t n = uart_read(&l->uart, buf, sizeof(buf));

	for (ssize_t i = 0; i < n; i++) {
		uint8_t b = buf[i];

		if (!is_remote_channel(b))
			log_limited(++l->cnt.uart_unknown_bytes,
				    "uart_unknown_byte", "byte", b);
		else if (ivsh_raise(&l->ivsh, b))
			l->cnt.to_linux++;
		else
			log_limited(++l->cnt.to_linux_dropped,
				    "doorbell_dropped_to_linux", "vector", b);
	}
}

