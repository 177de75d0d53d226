// SPDX-License-Identifier: GPL-2.0-only
/*
 * Line console on the rpmsg-tty channel (Linux: /dev/ttyRPMSGn). Typed
 * characters are echoed, a line runs on CR or LF, and the output goes
 * through a ring drained as Linux posts buffers; what does not fit in
 * the ring is cut and counted in the channel's drops. The Linux tty must
 * not echo (microcom sets raw mode; otherwise `stty raw -echo`), or the
 * two echoes would feed each other.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <amprelay/services.h>
#include "log.h"
#include "services.h"

#define PROMPT		"fw> "
#define LOG_LINES_DEFAULT 10
#define LOG_LINES_MAX	100
#define MAX_WORDS	4

static struct ar_services *from_console(struct ar_rpmsg_ept *ept)
{
	return (struct ar_services *)((char *)ept - offsetof(struct ar_services, console_ept));
}

static void out_bytes(struct ar_services *s, const char *p, uint32_t len)
{
	uint32_t room = AR_CONSOLE_OUT_SIZE - s->console_out_len;

	if (len > room) {
		len = room;
		s->console_ept.drops++;
	}
	while (len--) {
		s->console_out[(s->console_out_head + s->console_out_len) %
			       AR_CONSOLE_OUT_SIZE] = *p++;
		s->console_out_len++;
	}
}

static void out_str(struct ar_services *s, const char *str)
{
	out_bytes(s, str, (uint32_t)strlen(str));
}

static void out_fmt(struct ar_services *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void out_fmt(struct ar_services *s, const char *fmt, ...)
{
	char line[160];
	va_list ap;
	uint32_t n;

	va_start(ap, fmt);
	n = ar_vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	out_bytes(s, line, n);
}

/* Index of name in a NULL-free string table, or 0 (never a valid id). */
static uint32_t lookup(const char *const *table, uint32_t n, const char *name)
{
	uint32_t i;

	for (i = 1; i < n; i++)
		if (!strcmp(table[i], name))
			return i;
	return 0;
}

/* Strict decimal, fits in 32 bits. */
static int parse_u32(const char *t, uint32_t *out)
{
	uint64_t v = 0;

	if (!*t)
		return -1;
	for (; *t; t++) {
		if (*t < '0' || *t > '9')
			return -1;
		v = v * 10 + (uint32_t)(*t - '0');
		if (v > 0xffffffffu)
			return -1;
	}
	*out = (uint32_t)v;
	return 0;
}

static void con_status(struct ar_services *s, uint16_t st)
{
	static const char *const msgs[] = AR_CMD_ST_STRINGS;

	out_fmt(s, "error: %s\r\n", st < AR_CMD_ST_NUM ? msgs[st] : "?");
	s->console_ept.errors++;
}

static void con_stats(struct ar_services *s)
{
	struct ar_cmd_stats st;
	uint32_t i;

	ar_services_stats(s, &st);
	out_fmt(s, "boots %u crashes %u faults-injected %u\r\n",
		(unsigned int)st.boot_count, (unsigned int)st.crash_count,
		(unsigned int)st.faults_injected);
	out_fmt(s, "rpmsg errors: vring %u avail %u desc %u addr %u msg %u no-ept %u\r\n",
		(unsigned int)st.bad_vring, (unsigned int)st.bad_avail,
		(unsigned int)st.bad_desc, (unsigned int)st.bad_addr,
		(unsigned int)st.bad_msg, (unsigned int)st.no_ept);
	for (i = 0; i < st.nchan; i++)
		out_fmt(s, "%-27s in %u/%uB out %u/%uB drops %u errors %u\r\n",
			st.chan[i].name, (unsigned int)st.chan[i].msgs_in,
			(unsigned int)st.chan[i].bytes_in,
			(unsigned int)st.chan[i].msgs_out,
			(unsigned int)st.chan[i].bytes_out,
			(unsigned int)st.chan[i].drops, (unsigned int)st.chan[i].errors);
}

/* The last n lines written to the trace buffer since it last wrapped. */
static void con_log(struct ar_services *s, uint32_t n)
{
	const struct ar_trace *t = s->cfg.trace;
	uint32_t start, lines = 0;

	if (!t || !t->buf) {
		out_str(s, "error: no trace buffer\r\n");
		return;
	}
	start = t->pos < t->size ? t->pos : 0;
	while (start > 0) {
		if (t->buf[start - 1] == '\n' && start != t->pos && ++lines == n)
			break;
		start--;
	}
	for (; start < t->pos && start < t->size; start++) {
		if (t->buf[start] == '\n')
			out_str(s, "\r\n");
		else
			out_bytes(s, &t->buf[start], 1);
	}
}

static void con_help(struct ar_services *s)
{
	static const char *const params[] = AR_PARAM_NAMES;
	static const char *const faults[] = AR_FAULT_NAMES;
	uint32_t i;

	out_str(s, "commands:\r\n"
		"  help               this text\r\n"
		"  version            firmware build id and protocol\r\n"
		"  uptime             time since boot and main-loop passes\r\n"
		"  stats              per-channel counters and errors\r\n"
		"  get PARAM          read a parameter\r\n"
		"  set PARAM VALUE    change a parameter\r\n"
		"  fault TYPE         inject a fault after this reply\r\n"
		"  log [N]            last N trace lines (default 10)\r\n"
		"parameters:");
	for (i = 1; i < AR_PARAM_NUM; i++)
		out_fmt(s, " %s", params[i]);
	out_str(s, "\r\nfault types:");
	for (i = 1; i < AR_FAULT_NUM; i++)
		out_fmt(s, " %s", faults[i]);
	out_str(s, "\r\n");
}

static void con_run(struct ar_services *s, char *line)
{
	static const char *const params[] = AR_PARAM_NAMES;
	static const char *const faults[] = AR_FAULT_NAMES;
	char *w[MAX_WORDS + 1];
	uint32_t n = 0, id, value = 0;
	struct ar_cmd_version v;
	uint16_t st;
	char *p = line;

	while (*p && n <= MAX_WORDS) {
		while (*p == ' ' || *p == '\t')
			*p++ = '\0';
		if (!*p)
			break;
		w[n++] = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
	}
	if (n == 0)
		return;
	if (n > MAX_WORDS) {
		out_str(s, "error: too many words (try help)\r\n");
		s->console_ept.errors++;
		return;
	}
	if (!strcmp(w[0], "help") && n == 1) {
		con_help(s);
	} else if (!strcmp(w[0], "version") && n == 1) {
		ar_services_version(s, &v);
		out_fmt(s, "%s build %08x protocol %u boot %u\r\n", v.name,
			(unsigned int)v.build_id, (unsigned int)v.proto,
			(unsigned int)v.boot_count);
	} else if (!strcmp(w[0], "uptime") && n == 1) {
		out_fmt(s, "uptime %u.%06u s, %u loops\r\n",
			(unsigned int)(s->now_us / 1000000u),
			(unsigned int)(s->now_us % 1000000u), (unsigned int)s->loops);
	} else if (!strcmp(w[0], "stats") && n == 1) {
		con_stats(s);
	} else if (!strcmp(w[0], "get") && n == 2) {
		id = lookup(params, AR_PARAM_NUM, w[1]);
		st = ar_services_get_param(s, id, &value);
		if (st)
			con_status(s, st);
		else
			out_fmt(s, "%s = %u\r\n", w[1], (unsigned int)value);
	} else if (!strcmp(w[0], "set") && n == 3) {
		id = lookup(params, AR_PARAM_NUM, w[1]);
		if (id && parse_u32(w[2], &value)) {
			out_fmt(s, "error: '%s' is not a number\r\n", w[2]);
			s->console_ept.errors++;
			return;
		}
		st = ar_services_set_param(s, id, id ? value : 0);
		if (st)
			con_status(s, st);
		else
			out_fmt(s, "%s = %u\r\n", w[1], (unsigned int)value);
	} else if (!strcmp(w[0], "fault") && n == 2) {
		id = lookup(faults, AR_FAULT_NUM, w[1]);
		st = ar_services_schedule_fault(s, id);
		if (st)
			con_status(s, st);
		else
			out_fmt(s, "fault %s scheduled\r\n", w[1]);
	} else if (!strcmp(w[0], "log") && n <= 2) {
		value = LOG_LINES_DEFAULT;
		if (n == 2 && (parse_u32(w[1], &value) || value == 0 ||
			       value > LOG_LINES_MAX)) {
			out_fmt(s, "error: log wants a line count from 1 to %u\r\n",
				LOG_LINES_MAX);
			s->console_ept.errors++;
			return;
		}
		con_log(s, value);
	} else {
		out_fmt(s, "error: unknown command or wrong arguments: %s (try help)\r\n",
			w[0]);
		s->console_ept.errors++;
	}
}

static int console_cb(struct ar_rpmsg *rp, struct ar_rpmsg_ept *ept,
		      uint32_t src, const uint8_t *data, uint32_t len)
{
	struct ar_services *s = from_console(ept);
	uint32_t i;
	char c;

	(void)rp;
	/* Output goes to whoever typed last (one tty per channel). */
	s->console_dst = src;
	s->console_known = 1;
	for (i = 0; i < len; i++) {
		c = (char)data[i];
		if (c == '\r' || c == '\n') {
			out_str(s, "\r\n");
			if (s->console_line_overflow) {
				out_fmt(s, "error: line longer than %u characters\r\n",
					AR_CONSOLE_LINE_MAX - 1);
				ept->errors++;
			} else {
				s->console_line[s->console_line_len] = '\0';
				con_run(s, s->console_line);
			}
			s->console_line_len = 0;
			s->console_line_overflow = 0;
			out_str(s, PROMPT);
		} else if (c == '\b' || c == 0x7f) {
			if (s->console_line_len) {
				s->console_line_len--;
				out_str(s, "\b \b");
			}
		} else if (c >= ' ' && c < 0x7f) {
			if (s->console_line_len < AR_CONSOLE_LINE_MAX - 1)
				s->console_line[s->console_line_len++] = c;
			else
				s->console_line_overflow = 1;
			out_bytes(s, &c, 1);
		}
		/* Other control bytes (terminal escapes) are ignored. */
	}
	return 0;
}

/* Sends what the ring holds, one message per contiguous piece. */
void ar_console_poll(struct ar_services *s)
{
	uint32_t chunk;

	while (s->console_known && s->console_out_len) {
		chunk = AR_CONSOLE_OUT_SIZE - s->console_out_head;
		if (chunk > s->console_out_len)
			chunk = s->console_out_len;
		if (chunk > AR_RPMSG_MAX_PAYLOAD)
			chunk = AR_RPMSG_MAX_PAYLOAD;
		if (ar_rpmsg_send(s->rp, s->console_ept.addr, s->console_dst,
				  &s->console_out[s->console_out_head], chunk))
			return;		/* no buffer: next pass */
		s->console_out_head = (s->console_out_head + chunk) % AR_CONSOLE_OUT_SIZE;
		s->console_out_len -= chunk;
	}
}

void ar_console_init(struct ar_services *s)
{
	ar_rpmsg_add_ept(s->rp, &s->console_ept, AR_SVC_CONSOLE_NAME,
			 AR_SVC_CONSOLE_ADDR, console_cb);
}
