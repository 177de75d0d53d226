// SPDX-License-Identifier: GPL-2.0-only
/*
 * QMP client towards the remote QEMU (which connects to our socket).
 * The handshake (greeting, qmp_capabilities) runs from the event loop;
 * commands are synchronous with a timeout, since the reset line is the only
 * user and Linux waits for its ack anyway. Events arriving in between are
 * logged and counted, never lost.
 *
 * With the remote's gdbstub open (run --gdb-remote), STOP and RESUME
 * events that amprelayd's own commands did not cause are a debugger's;
 * remote_check_debugger() tells Linux, so a core halted at a breakpoint
 * is not taken for a dead one.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "amprelayd.h"

int qmp_init(struct qmp *q, const char *sock_path)
{
	memset(q, 0, sizeof(*q));
	q->fd = -1;
	q->next_id = 1;
	q->listen_fd = listen_unix(sock_path);
	if (q->listen_fd < 0)
		return -1;
	return ep_add(q->listen_fd, EP_QMP_LISTEN, 0);
}

static void drop_conn(struct qmp *q, const char *why)
{
	struct ev e;

	if (q->fd < 0)
		return;
	ep_del(q->fd);
	close(q->fd);
	q->fd = -1;
	q->state = QMP_NONE;
	q->len = 0;
	q->expect_stop = q->expect_resume = false;
	q->foreign_event = QMP_FOREIGN_NONE;
	ev_begin(&e, "qmp_disconnected");
	ev_str(&e, "reason", why);
	ev_end(&e);
}

void qmp_accept(struct qmp *q)
{
	struct ev e;
	int fd = accept4(q->listen_fd, NULL, NULL,
			 SOCK_CLOEXEC | SOCK_NONBLOCK);

	if (fd < 0)
		return;
	if (q->fd >= 0) {
		char c;

		if (recv(q->fd, &c, 1, MSG_PEEK | MSG_DONTWAIT) == 0)
			drop_conn(q, "hung up");
	}
	if (q->fd >= 0) {
		close(fd);
		ev_begin(&e, "qmp_rejected");
		ev_str(&e, "reason", "a monitor is already connected");
		ev_end(&e);
		return;
	}
	if (ep_add(fd, EP_QMP_CONN, 0) < 0) {
		close(fd);
		return;
	}
	q->fd = fd;
	q->state = QMP_GREETING;
	q->len = 0;
}

/* args: a JSON object of arguments, or NULL. */
static int send_command(struct qmp *q, const char *cmd, const char *args,
			long long *id)
{
	char line[512];
	int n;

	*id = q->next_id++;
	if (args)
		n = snprintf(line, sizeof(line),
			     "{\"execute\":\"%s\",\"arguments\":%s,\"id\":%lld}\n",
			     cmd, args, *id);
	else
		n = snprintf(line, sizeof(line),
			     "{\"execute\":\"%s\",\"id\":%lld}\n", cmd, *id);
	if (n < 0 || (size_t)n >= sizeof(line)) {
		drop_conn(q, "command too long");
		return -1;
	}
	if (write_all(q->fd, line, n) < 0) {
		drop_conn(q, strerror(errno));
		return -1;
	}
	return 0;
}

static void log_event(const char *line, const char *name_val)
{
	char name[64], reason[128], action[64];
	const char *data = json_member(line, "data");
	const char *v;
	struct ev e;

	if (!json_get_string(name_val, name, sizeof(name)))
		strcpy(name, "?");
	if (!strcmp(name, "RESET") || !strcmp(name, "STOP") ||
	    !strcmp(name, "RESUME") || !strcmp(name, "WATCHDOG") ||
	    !strcmp(name, "SHUTDOWN")) {
		ev_begin(&e, "qmp_event");
		ev_str(&e, "name", name);
		if (data && (v = json_member(data, "reason")) &&
		    json_get_string(v, reason, sizeof(reason)))
			ev_str(&e, "reason", reason);
		if (data && (v = json_member(data, "action")) &&
		    json_get_string(v, action, sizeof(action)))
			ev_str(&e, "action", action);
		ev_end(&e);
	}
}

/*
 * Run-state changes amprelayd asked for are expected (qmp_expect); any
 * other one is a debugger's, kept for remote_check_debugger().
 */
static void count_event(struct qmp *q, const char *name)
{
	if (!strcmp(name, "RESET")) {
		q->reset_events++;
	} else if (!strcmp(name, "SHUTDOWN")) {
		q->shutdown_events++;
	} else if (!strcmp(name, "STOP")) {
		if (q->expect_stop)
			q->expect_stop = false;
		else
			q->foreign_event = QMP_FOREIGN_STOP;
	} else if (!strcmp(name, "RESUME")) {
		if (q->expect_resume)
			q->expect_resume = false;
		else
			q->foreign_event = QMP_FOREIGN_RESUME;
	}
}

void qmp_expect(struct qmp *q, bool stop, bool resume)
{
	q->expect_stop = stop;
	q->expect_resume = resume;
}

static void handle_reply(struct qmp *q, const char *line, long long id,
			 const char *err_val)
{
	if (q->state == QMP_CAPS && id == q->caps_id) {
		if (err_val) {
			drop_conn(q, "qmp_capabilities refused");
			return;
		}
		q->state = QMP_READY;
		ev_simple("qmp_connected");
		return;
	}
	if (q->want_id && id == q->want_id) {
		q->got_reply = true;
		q->reply_ok = !err_val;
		q->reply_err[0] = '\0';
		if (err_val) {
			const char *desc = json_member(err_val, "desc");

			if (!desc || !json_get_string(desc, q->reply_err,
						       sizeof(q->reply_err)))
				snprintf(q->reply_err, sizeof(q->reply_err),
					 "%.200s", line);
		}
	}
	/* Anything else answers a command that already timed out. */
}

static void handle_line(struct qmp *q, const char *line)
{
	const char *v, *err;
	long long id = 0;

	if (*json_skip_ws(line) == '\0')
		return;
	if (q->state == QMP_GREETING) {
		if (json_member(line, "QMP")) {
			if (send_command(q, "qmp_capabilities", NULL,
					 &q->caps_id) == 0)
				q->state = QMP_CAPS;
		} else {
			drop_conn(q, "no QMP greeting");
		}
		return;
	}
	if ((v = json_member(line, "event"))) {
		char name[16];

		if (json_get_string(v, name, sizeof(name)))
			count_event(q, name);
		log_event(line, v);
		return;
	}
	err = json_member(line, "error");
	if (err || json_member(line, "return")) {
		v = json_member(line, "id");
		if (v && json_get_int(v, &id))
			handle_reply(q, line, id, err);
		return;
	}
	/* Not QMP: note it and carry on; the real monitor never does this. */
	ev_simple("qmp_garbage");
}

void qmp_readable(struct qmp *q)
{
	for (;;) {
		ssize_t n;
		char *nl;

		if (q->fd < 0)
			return;
		if (q->len == sizeof(q->buf) - 1) {
			/* A line this long is no QMP we understand. */
			drop_conn(q, "line too long");
			return;
		}
		n = recv(q->fd, q->buf + q->len, sizeof(q->buf) - 1 - q->len,
			 MSG_DONTWAIT);
		if (n == 0) {
			drop_conn(q, "closed");
			return;
		}
		if (n < 0) {
			if (errno != EAGAIN && errno != EINTR)
				drop_conn(q, strerror(errno));
			return;
		}
		q->len += n;
		q->buf[q->len] = '\0';
		while (q->fd >= 0 && (nl = memchr(q->buf, '\n', q->len))) {
			size_t used = nl - q->buf + 1;

			*nl = '\0';
			handle_line(q, q->buf);
			if (q->fd < 0)
				return;
			memmove(q->buf, q->buf + used, q->len - used);
			q->len -= used;
			q->buf[q->len] = '\0';
		}
	}
}

bool qmp_ready(const struct qmp *q)
{
	return q->fd >= 0 && q->state == QMP_READY;
}

/* Reads from the monitor until done() holds, the peer leaves or time is up. */
static int wait_until(struct qmp *q, bool (*done)(const struct qmp *, unsigned long),
		      unsigned long arg, char *err, size_t errlen)
{
	double deadline = now_ms() + QMP_TIMEOUT_MS;

	while (!done(q, arg)) {
		struct pollfd pfd = { .fd = q->fd, .events = POLLIN };
		double left = deadline - now_ms();

		if (q->fd < 0) {
			snprintf(err, errlen, "QMP connection lost");
			return -1;
		}
		if (left <= 0) {
			snprintf(err, errlen, "QMP timed out after %d ms",
				 QMP_TIMEOUT_MS);
			return -1;
		}
		if (poll(&pfd, 1, (int)left + 1) < 0 && errno != EINTR) {
			snprintf(err, errlen, "poll: %s", strerror(errno));
			return -1;
		}
		qmp_readable(q);
	}
	return 0;
}

static bool reply_arrived(const struct qmp *q, unsigned long unused)
{
	(void)unused;
	return q->got_reply;
}

int qmp_execute(struct qmp *q, const char *cmd, char *err, size_t errlen)
{
	return qmp_execute_args(q, cmd, NULL, err, errlen);
}

int qmp_execute_args(struct qmp *q, const char *cmd, const char *args,
		     char *err, size_t errlen)
{
	long long id;
	int ret;

	if (!qmp_ready(q)) {
		snprintf(err, errlen, "QMP not connected");
		return -1;
	}
	if (send_command(q, cmd, args, &id) < 0) {
		snprintf(err, errlen, "QMP write failed");
		return -1;
	}
	q->want_id = id;
	q->got_reply = false;
	ret = wait_until(q, reply_arrived, 0, err, errlen);
	q->want_id = 0;
	if (ret < 0)
		return -1;
	if (!q->reply_ok) {
		snprintf(err, errlen, "%s: %s", cmd, q->reply_err);
		return -1;
	}
	return 0;
}

static bool reset_seen(const struct qmp *q, unsigned long before)
{
	return q->reset_events != before;
}

/*
 * system_reset only requests the reset; it is carried out later by QEMU's
 * main loop, which then emits RESET. The event may even beat the reply.
 */
int qmp_wait_reset(struct qmp *q, unsigned long seen_before, char *err,
		   size_t errlen)
{
	return wait_until(q, reset_seen, seen_before, err, errlen);
}

static bool shutdown_seen(const struct qmp *q, unsigned long before)
{
	return q->shutdown_events != before;
}

/* Like RESET, SHUTDOWN is carried out by QEMU's main loop after the reply. */
int qmp_wait_shutdown(struct qmp *q, unsigned long seen_before, char *err,
		      size_t errlen)
{
	return wait_until(q, shutdown_seen, seen_before, err, errlen);
}

void qmp_send_quit(struct qmp *q)
{
	long long id;

	if (qmp_ready(q))
		send_command(q, "quit", NULL, &id);
}

void qmp_fini(struct qmp *q)
{
	drop_conn(q, "daemon stopping");
	if (q->listen_fd >= 0)
		close(q->listen_fd);
	q->listen_fd = -1;
}
