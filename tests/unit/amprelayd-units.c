// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of amprelayd's parsers, linked against the daemon's own
 * objects: the --cmd console filter (markers, \r, chunking, overlong
 * lines) and the small JSON reader used for QMP. Prints TAP.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "amprelayd.h"
#include "tap.h"

/* ---- console filter -------------------------------------------------- */

struct capture {
	int fds[2];
	struct cmd_console con;
	int found;
};

static void cap_init(struct capture *c)
{
	if (pipe2(c->fds, O_NONBLOCK) < 0) {
		perror("pipe2");
		exit(1);
	}
	console_init(&c->con, c->fds[1]);
	c->found = 0;
}

/* Feeds `text` in chunks of `chunk` bytes (0: all at once). */
static void cap_feed(struct capture *c, const char *text, size_t chunk)
{
	size_t len = strlen(text);

	if (!chunk)
		chunk = len ? len : 1;
	for (size_t i = 0; i < len; i += chunk)
		c->found |= console_feed(&c->con, text + i,
					 len - i < chunk ? len - i : chunk);
}

/* Returns what was forwarded (static buffer) and closes the capture. */
static const char *cap_out(struct capture *c)
{
	static char buf[65536];
	ssize_t n;

	c->found |= console_finish(&c->con);
	n = read(c->fds[0], buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	close(c->fds[0]);
	close(c->fds[1]);
	return buf;
}

static const char boot_and_cmd[] =
	"[    0.000000] Booting Linux\r\n"
	"[    0.612345] Run /init as init process\r\n"
	"login noise\r\n"
	"@@AMPRELAY-CMD-BEGIN@@\r\n"
	"hello\r\n"
	"\r\n"
	"second line\r\n"
	"@@AMPRELAY-CMD-END rc=3@@\r\n"
	"reboot: Power down\r\n";

static void test_console(void)
{
	struct capture c;
	const char *out;
	char *big;

	cap_init(&c);
	cap_feed(&c, boot_and_cmd, 0);
	out = cap_out(&c);
	ok(!strcmp(out, "hello\n\nsecond line\n"),
	   "only the text between the markers is forwarded, \\r stripped");
	ok(c.found == (CON_LINUX_INIT | CON_BEGIN | CON_END) && c.con.ended &&
	   c.con.rc == 3, "the kernel's init line, BEGIN and END found, rc 3");

	cap_init(&c);
	cap_feed(&c, boot_and_cmd, 1);
	out = cap_out(&c);
	ok(!strcmp(out, "hello\n\nsecond line\n") && c.con.rc == 3,
	   "the same when the stream arrives one byte at a time");

	cap_init(&c);
	cap_feed(&c, "+ echo @@AMPRELAY-CMD-BEGIN@@\n"
		 "@@AMPRELAY-CMD-END rc=1@@\n"
		 "@@AMPRELAY-CMD-BEGIN@@ \n", 0);
	out = cap_out(&c);
	ok(!c.con.began && !c.con.ended && !*out && !(c.found & CON_LINUX_INIT),
	   "markers count only as whole lines; END before BEGIN is ignored");

	cap_init(&c);
	cap_feed(&c, "@@AMPRELAY-CMD-BEGIN@@\nRun /init as init process\n", 0);
	out = cap_out(&c);
	ok(!(c.found & CON_LINUX_INIT) && !strcmp(out, "Run /init as init process\n"),
	   "the init line inside the command's output is only output");

	cap_init(&c);
	cap_feed(&c, "@@AMPRELAY-CMD-BEGIN@@\n"
		 "@@AMPRELAY-CMD-END rc=0@@ trailing\n"
		 "@@AMPRELAY-CMD-END rc=x@@\n"
		 "@@AMPRELAY-CMD-BEGIN@@\n"
		 "@@AMPRELAY-CMD-END rc=0@@\n"
		 "after\n", 0);
	out = cap_out(&c);
	ok(!strcmp(out, "@@AMPRELAY-CMD-END rc=0@@ trailing\n"
		   "@@AMPRELAY-CMD-END rc=x@@\n"
		   "@@AMPRELAY-CMD-BEGIN@@\n") && c.con.ended && c.con.rc == 0,
	   "malformed END lines and a second BEGIN are command output");

	cap_init(&c);
	cap_feed(&c, "@@AMPRELAY-CMD-BEGIN@@\nno newline at the end", 7);
	out = cap_out(&c);
	ok(!strcmp(out, "no newline at the end") && !c.con.ended,
	   "an unterminated last line is still forwarded; no END, no rc");

	/* A line longer than the buffer, ending in marker text. */
	big = malloc(20000);
	memset(big, 'x', 19000);
	strcpy(big + 19000, "@@AMPRELAY-CMD-END rc=0@@\n");
	cap_init(&c);
	cap_feed(&c, "@@AMPRELAY-CMD-BEGIN@@\n", 0);
	cap_feed(&c, big, 4096);
	out = cap_out(&c);
	ok(strlen(out) == strlen(big) && !strcmp(out, big) && !c.con.ended,
	   "an overlong line passes whole and its tail is no marker");
	free(big);
}

/* ---- JSON ------------------------------------------------------------ */

static void test_json(void)
{
	const char *line = "{\"timestamp\": {\"seconds\": 1, \"id\": 9}, "
			   "\"event\": \"RESET\", \"data\": {\"reason\": "
			   "\"x}\\\"{,\"}, \"id\": 42}";
	char s[64], esc[256];
	const char *v;
	long long n = 0;

	v = json_member(line, "id");
	ok(v && json_get_int(v, &n) && n == 42,
	   "json_member finds the top-level id, not the nested one");
	v = json_member(json_member(line, "data"), "reason");
	ok(v && json_get_string(v, s, sizeof(s)) && !strcmp(s, "x}\"{,"),
	   "strings with braces, quotes and commas are skipped and read right");
	ok(!json_member(line, "seconds") && !json_member(line, "missing"),
	   "absent and nested-only keys are not found");
	ok(!json_member("{\"a\": 1, \"id\"", "id") &&
	   !json_member("{\"a\" 1, \"id\": 2}", "id") &&
	   !json_member("not json", "id") && !json_member("", "id"),
	   "truncated or malformed text gives no member");
	v = json_member("{\"s\": \"a\\n\\u0041\\\\\"}", "s");
	ok(v && json_get_string(v, s, sizeof(s)) && !strcmp(s, "a\nA\\"),
	   "escapes are decoded");
	ok(!json_get_int("1.5", &n) && !json_get_int("\"1\"", &n) &&
	   json_get_int("-7", &n) && n == -7, "integers only");

	json_escape(esc, sizeof(esc), "q\"b\\n\n\x01");
	ok(!strcmp(esc, "q\\\"b\\\\n\\n\\u0001"), "json_escape: quotes, backslash, controls");
	json_escape(esc, 8, "0123456789");
	ok(strlen(esc) == 7, "json_escape truncates within the buffer");

	{
		char deep[400];

		memset(deep, '[', 300);
		deep[300] = '\0';
		ok(!json_skip_value(deep), "deep nesting is refused, not recursed into");
	}
}

int main(void)
{
	printf("TAP version 13\n1..17\n");
	test_console();
	test_json();
	if (test_no != 17)
		printf("# ran %d tests, planned 17\n", test_no);
	return failures || test_no != 17 ? 1 : 0;
}
