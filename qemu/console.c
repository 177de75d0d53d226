// SPDX-License-Identifier: GPL-2.0-only
/*
 * In --cmd mode the Linux console reaches us through a pipe. The guest
 * wraps the command's output in a BEGIN line and an END line carrying the
 * exit status; only what lies between them goes to our stdout, so `make
 * run CMD=...` prints what the command printed and nothing of the boot.
 */
#include <stdio.h>
#include <string.h>

#include "amprelayd.h"

void console_init(struct cmd_console *c, int out_fd)
{
	memset(c, 0, sizeof(*c));
	c->out_fd = out_fd;
}

/*
 * Markers must be whole lines: a shell tracing the script (set -x) echoes
 * the marker text inside a longer line, which must not count.
 */
static int parse_marker(struct cmd_console *c)
{
	char tail;
	int rc;

	if (!strcmp(c->line, AR_CMD_BEGIN_MARKER))
		return CON_BEGIN;
	if (sscanf(c->line, AR_CMD_END_MARKER_FMT "%c", &rc, &tail) == 1) {
		char expect[sizeof(c->line)];

		/* sscanf ignores what follows the last directive; recheck. */
		snprintf(expect, sizeof(expect), AR_CMD_END_MARKER_FMT, rc);
		if (!strcmp(expect, c->line)) {
			c->rc = rc;
			return CON_END;
		}
	}
	return 0;
}

/*
 * The kernel's line as it starts user space: its arrival on our clock
 * ties the guest's printk clock (which starts a while after the launch)
 * to the event log's.
 */
static const char linux_init_line[] = "Run /init as init process";

static int end_line(struct cmd_console *c, bool newline)
{
	int marker = 0, init = 0;

	c->line[c->len] = '\0';
	if (newline && !c->partial && !c->ended)
		marker = parse_marker(c);
	if (newline && !c->began && !c->saw_init &&
	    strstr(c->line, linux_init_line)) {
		c->saw_init = true;
		init = CON_LINUX_INIT;
	}
	c->partial = !newline;
	if (marker == CON_BEGIN && !c->began) {
		c->began = c->in_cmd = true;
	} else if (marker == CON_END && c->in_cmd) {
		c->in_cmd = false;
		c->ended = true;
	} else if (c->in_cmd) {
		if (newline)
			c->line[c->len++] = '\n';
		write_all(c->out_fd, c->line, c->len);
		marker = 0;
	} else {
		marker = 0;
	}
	c->len = 0;
	return marker | init;
}

/* Returns CON_* bits for the markers and lines found in this chunk. */
int console_feed(struct cmd_console *c, const char *data, size_t len)
{
	int found = 0;

	for (size_t i = 0; i < len; i++) {
		char ch = data[i];

		if (ch == '\r')
			continue;
		if (ch == '\n') {
			found |= end_line(c, true);
			continue;
		}
		/* Keep room for '\n' and NUL; overlong lines pass in pieces. */
		if (c->len + 2 >= sizeof(c->line))
			found |= end_line(c, false);
		c->line[c->len++] = ch;
	}
	return found;
}

/* The stream ended: pass on a last unterminated line. */
int console_finish(struct cmd_console *c)
{
	if (c->len == 0)
		return 0;
	return end_line(c, false);
}
