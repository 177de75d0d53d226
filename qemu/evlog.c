// SPDX-License-Identifier: GPL-2.0-only
/*
 * RUN/events.jsonl: one JSON object per line, {"t_ms": ..., "event": ...}.
 * Each line is one write() on an O_APPEND fd, so the file stays valid JSON
 * lines even if the daemon is killed mid-run.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "amprelayd.h"

static int evlog_fd = -1;
static double evlog_t0;

int evlog_open(const char *path)
{
	evlog_t0 = now_ms();
	evlog_fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
	if (evlog_fd < 0) {
		err_msg("cannot open event log %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

void evlog_close(void)
{
	if (evlog_fd >= 0)
		close(evlog_fd);
	evlog_fd = -1;
}

/* Room kept for the closing "}\n" so a full buffer still ends valid. */
#define EV_TAIL 3

static void ev_append(struct ev *e, const char *text)
{
	size_t n = strlen(text);

	if (e->full || e->len + n + EV_TAIL > sizeof(e->buf)) {
		e->full = true;
		return;
	}
	memcpy(e->buf + e->len, text, n);
	e->len += n;
	e->buf[e->len] = '\0';
}

static void ev_key(struct ev *e, const char *key)
{
	char k[128];

	json_escape(k, sizeof(k), key);
	ev_append(e, ",\"");
	ev_append(e, k);
	ev_append(e, "\":");
}

void ev_begin(struct ev *e, const char *event)
{
	char head[64];

	e->len = 0;
	e->full = false;
	snprintf(head, sizeof(head), "{\"t_ms\":%.3f", now_ms() - evlog_t0);
	ev_append(e, head);
	ev_str(e, "event", event);
}

/* A member that does not fit whole is dropped; the line stays valid. */
static void ev_member(struct ev *e, const char *key, const char *raw_value)
{
	size_t mark = e->len;

	ev_key(e, key);
	ev_append(e, raw_value);
	if (e->full) {
		e->len = mark;
		e->buf[mark] = '\0';
		e->full = false;
	}
}

void ev_str(struct ev *e, const char *key, const char *val)
{
	char v[1024];

	v[0] = '"';
	json_escape(v + 1, sizeof(v) - 2, val);
	strcat(v, "\"");
	ev_member(e, key, v);
}

void ev_int(struct ev *e, const char *key, long long val)
{
	char v[32];

	snprintf(v, sizeof(v), "%lld", val);
	ev_member(e, key, v);
}

void ev_ms(struct ev *e, const char *key, double ms)
{
	char v[32];

	snprintf(v, sizeof(v), "%.3f", ms);
	ev_member(e, key, v);
}

void ev_end(struct ev *e)
{
	memcpy(e->buf + e->len, "}\n", 3);
	e->len += 2;
	if (evlog_fd >= 0 && write_all(evlog_fd, e->buf, e->len) < 0)
		err_msg("event log write failed: %s", strerror(errno));
}

void ev_simple(const char *event)
{
	struct ev e;

	ev_begin(&e, event);
	ev_end(&e);
}
