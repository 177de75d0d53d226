// SPDX-License-Identifier: GPL-2.0-only
/*
 * Protocol test of `amprelayd serve`: this program plays all three peers
 * of the daemon, the Linux QEMU (ivshmem client), the remote's UART1 and
 * the remote QEMU's QMP monitor, and checks what the daemon does with each.
 * It deliberately shares no code with the daemon, so a bug on one side is
 * not mirrored on the other. Prints TAP.
 *
 * usage: amprelayd-proto [PATH-TO-AMPRELAYD]
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "amprelay/platform.h"
#include "tap.h"

#define PLAN		37
#define SHORT_MS	200	/* "nothing happens" window */
#define LONG_MS		3000	/* "something happens" limit */
#define QMP_WAIT_MS	8000	/* above the daemon's own QMP timeout */

static char run_dir[PATH_MAX];
static pid_t daemon_pid;

static void diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

static void cleanup_daemon(void)
{
	if (daemon_pid > 0) {
		kill(daemon_pid, SIGKILL);
		waitpid(daemon_pid, NULL, 0);
		daemon_pid = 0;
	}
}

static void bail(const char *why)
{
	printf("Bail out! %s\n", why);
	fflush(stdout);
	cleanup_daemon();
	exit(1);
}

static void run_file(char *out, const char *name)
{
	int n = snprintf(out, PATH_MAX, "%s/%s", run_dir, name);

	if (n < 0 || n >= PATH_MAX)
		bail("path too long");
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static bool readable(int fd, int timeout_ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, timeout_ms) > 0;
}

static int connect_to(const char *name, int timeout_ms)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	double deadline = now_ms() + timeout_ms;

	int len = snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/%s", run_dir,
			   name);

	if (len < 0 || (size_t)len >= sizeof(sa.sun_path))
		bail("run directory path too long for a socket");
	do {
		int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

		if (fd < 0)
			return -1;
		if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
			return fd;
		close(fd);
		usleep(20000);
	} while (now_ms() < deadline);
	return -1;
}

/* ---- fake ivshmem client --------------------------------------------- */

/* One protocol message: 8 bytes, the fd (if any) rides on the first byte. */
static bool recv_msg(int sock, int64_t *val, int *fd, int timeout_ms)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	size_t got = 0;

	*fd = -1;
	while (got < sizeof(*val)) {
		struct iovec iov = {
			.iov_base = (char *)val + got,
			.iov_len = sizeof(*val) - got,
		};
		struct msghdr msg = {
			.msg_iov = &iov, .msg_iovlen = 1,
			.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
		};
		struct cmsghdr *cm;
		ssize_t n;

		if (!readable(sock, timeout_ms))
			return false;
		n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
		if (n <= 0)
			return false;
		for (cm = CMSG_FIRSTHDR(&msg); cm; cm = CMSG_NXTHDR(&msg, cm))
			if (cm->cmsg_level == SOL_SOCKET &&
			    cm->cmsg_type == SCM_RIGHTS)
				memcpy(fd, CMSG_DATA(cm), sizeof(int));
		got += n;
	}
	return true;
}

struct ivsh_client {
	int sock;
	int peer[AR_NUM_VECTORS];	/* we write: ring the daemon */
	int own[AR_NUM_VECTORS];	/* daemon writes: our interrupts */
	volatile struct ar_sysctl_page *page;
};

static void client_close(struct ivsh_client *c)
{
	for (int v = 0; v < AR_NUM_VECTORS; v++) {
		if (c->peer[v] >= 0)
			close(c->peer[v]);
		if (c->own[v] >= 0)
			close(c->own[v]);
		c->peer[v] = c->own[v] = -1;
	}
	if (c->page && c->page != MAP_FAILED)
		munmap((void *)c->page, AR_SYSCTL_PAGE_SIZE);
	c->page = NULL;
	if (c->sock >= 0)
		close(c->sock);
	c->sock = -1;
}

/* Runs the greeting as QEMU would, one TAP line per stage when verbose. */
static bool client_connect(struct ivsh_client *c, bool report)
{
	int64_t val;
	int fd;
	bool good, all = true;
	struct stat st;

	memset(c, 0, sizeof(*c));
	for (int v = 0; v < AR_NUM_VECTORS; v++)
		c->peer[v] = c->own[v] = -1;
	c->sock = connect_to("ivshmem.sock", LONG_MS);
	if (c->sock < 0)
		bail("cannot connect to ivshmem.sock");

	good = recv_msg(c->sock, &val, &fd, LONG_MS) && val == 0 && fd < 0;
	all &= good;
	if (report)
		ok(good, "ivshmem: protocol version 0 first");

	good = recv_msg(c->sock, &val, &fd, LONG_MS) &&
	       val == AR_IVSHMEM_LINUX_ID && fd < 0;
	all &= good;
	if (report)
		ok(good, "ivshmem: client id %d", AR_IVSHMEM_LINUX_ID);

	good = recv_msg(c->sock, &val, &fd, LONG_MS) && val == -1 && fd >= 0 &&
	       fstat(fd, &st) == 0 && st.st_size == AR_SYSCTL_PAGE_SIZE;
	if (good) {
		c->page = mmap(NULL, AR_SYSCTL_PAGE_SIZE, PROT_READ | PROT_WRITE,
			       MAP_SHARED, fd, 0);
		good = c->page != MAP_FAILED && c->page->magic == AR_SYSCTL_MAGIC;
	}
	if (fd >= 0)
		close(fd);
	all &= good;
	if (report)
		ok(good, "ivshmem: -1 with a %d-byte shm fd holding the sysctl magic",
		   AR_SYSCTL_PAGE_SIZE);
	if (!good)
		return false;

	good = true;
	for (int v = 0; v < AR_NUM_VECTORS; v++) {
		if (!recv_msg(c->sock, &val, &c->peer[v], LONG_MS) ||
		    val != AR_IVSHMEM_DAEMON_PEER || c->peer[v] < 0)
			good = false;
	}
	all &= good;
	if (report)
		ok(good, "ivshmem: %d eventfds for peer %d", AR_NUM_VECTORS,
		   AR_IVSHMEM_DAEMON_PEER);

	good = true;
	for (int v = 0; v < AR_NUM_VECTORS; v++) {
		if (!recv_msg(c->sock, &val, &c->own[v], LONG_MS) ||
		    val != AR_IVSHMEM_LINUX_ID || c->own[v] < 0)
			good = false;
	}
	/* Nothing may follow: QEMU would take it for another peer. */
	good = good && !readable(c->sock, SHORT_MS);
	all &= good;
	if (report)
		ok(good, "ivshmem: then %d own eventfds and nothing more",
		   AR_NUM_VECTORS);
	return all;
}

static void ring(struct ivsh_client *c, unsigned int vec)
{
	uint64_t one = 1;

	if (write(c->peer[vec], &one, sizeof(one)) != sizeof(one))
		diag("ringing vector %u failed: %s", vec, strerror(errno));
}

/* True if exactly the vector `vec` fired (and clears it); -1: none must. */
static bool only_vector(struct ivsh_client *c, int vec, int timeout_ms)
{
	bool good = true;
	uint64_t count;

	if (vec >= 0) {
		good = readable(c->own[vec], timeout_ms) &&
		       read(c->own[vec], &count, sizeof(count)) == sizeof(count);
	}
	for (int v = 0; v < AR_NUM_VECTORS; v++) {
		if (v == vec)
			continue;
		if (readable(c->own[v], vec >= 0 ? 0 : timeout_ms / AR_NUM_VECTORS)) {
			diag("unexpected interrupt on vector %d", v);
			good = false;
			if (read(c->own[v], &count, sizeof(count)) < 0)
				diag("read: %s", strerror(errno));
		}
	}
	return good;
}

/* ---- fake UART1 peer ------------------------------------------------- */

static bool uart_expect(int uart, uint8_t want)
{
	uint8_t got;

	if (!readable(uart, LONG_MS) || read(uart, &got, 1) != 1)
		return false;
	if (got != want)
		diag("UART1 got byte %u, wanted %u", got, want);
	return got == want && !readable(uart, SHORT_MS / 4);
}

static void uart_send(int uart, uint8_t byte)
{
	if (write(uart, &byte, 1) != 1)
		diag("UART1 write failed: %s", strerror(errno));
}

/* ---- fake QMP monitor ------------------------------------------------ */

struct qmp_peer {
	int fd;
	char buf[8192];
	size_t len;
};

static bool qmp_line(struct qmp_peer *q, char *line, size_t size,
		     int timeout_ms)
{
	double deadline = now_ms() + timeout_ms;

	for (;;) {
		char *nl = memchr(q->buf, '\n', q->len);
		ssize_t n;

		if (nl) {
			size_t len = nl - q->buf;

			snprintf(line, size, "%.*s", (int)len, q->buf);
			memmove(q->buf, nl + 1, q->len - len - 1);
			q->len -= len + 1;
			return true;
		}
		if (q->len == sizeof(q->buf) ||
		    !readable(q->fd, (int)(deadline - now_ms()) > 0 ?
				     (int)(deadline - now_ms()) : 0))
			return false;
		n = read(q->fd, q->buf + q->len, sizeof(q->buf) - q->len);
		if (n <= 0)
			return false;
		q->len += n;
	}
}

/* Finds "key": and returns what follows, skipping blanks. */
static const char *after_key(const char *line, const char *key)
{
	char pat[64];
	const char *p;

	snprintf(pat, sizeof(pat), "\"%s\"", key);
	p = strstr(line, pat);
	if (!p)
		return NULL;
	p += strlen(pat);
	while (*p == ' ')
		p++;
	if (*p++ != ':')
		return NULL;
	while (*p == ' ')
		p++;
	return p;
}

/* Reads one command; checks its name, returns its id (or -1). */
static long long qmp_expect(struct qmp_peer *q, const char *cmd, int timeout_ms)
{
	char line[1024], want[80];
	const char *exe, *id;

	if (!qmp_line(q, line, sizeof(line), timeout_ms)) {
		diag("no QMP command (wanted %s)", cmd);
		return -1;
	}
	snprintf(want, sizeof(want), "\"%s\"", cmd);
	exe = after_key(line, "execute");
	id = after_key(line, "id");
	if (!exe || strncmp(exe, want, strlen(want)) || !id) {
		diag("QMP line '%s', wanted %s with an id", line, cmd);
		return -1;
	}
	return strtoll(id, NULL, 10);
}

static void qmp_send(struct qmp_peer *q, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void qmp_send(struct qmp_peer *q, const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	line[n++] = '\n';
	if (write(q->fd, line, n) != n)
		diag("QMP write failed");
}

static void qmp_return(struct qmp_peer *q, long long id)
{
	qmp_send(q, "{\"return\": {}, \"id\": %lld}", id);
}

static void qmp_event(struct qmp_peer *q, const char *name)
{
	qmp_send(q, "{\"timestamp\": {\"seconds\": 1, \"microseconds\": 2}, "
		 "\"event\": \"%s\", \"data\": {\"guest\": false, "
		 "\"reason\": \"host-qmp-system-reset\"}}", name);
}

static bool qmp_silent(struct qmp_peer *q, int timeout_ms)
{
	char line[1024];

	if (qmp_line(q, line, sizeof(line), timeout_ms)) {
		diag("unexpected QMP line '%s'", line);
		return false;
	}
	return true;
}

/* ---- event log check: a strict JSON reader of our own ----------------- */

static const char *js_value(const char *p, int depth);

static const char *js_ws(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

static const char *js_string(const char *p)
{
	if (*p++ != '"')
		return NULL;
	while (*p != '"') {
		if ((unsigned char)*p < 0x20)
			return NULL;
		if (*p == '\\') {
			p++;
			if (*p == 'u') {
				for (int i = 1; i <= 4; i++)
					if (!p[i] || !strchr("0123456789abcdefABCDEF", p[i]))
						return NULL;
				p += 4;
			} else if (!*p || !strchr("\"\\/bfnrt", *p)) {
				return NULL;
			}
		}
		p++;
	}
	return p + 1;
}

static const char *js_number(const char *p)
{
	const char *start;

	if (*p == '-')
		p++;
	if (*p == '0')
		p++;
	else if (*p >= '1' && *p <= '9')
		while (*p >= '0' && *p <= '9')
			p++;
	else
		return NULL;
	if (*p == '.') {
		start = ++p;
		while (*p >= '0' && *p <= '9')
			p++;
		if (p == start)
			return NULL;
	}
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		start = p;
		while (*p >= '0' && *p <= '9')
			p++;
		if (p == start)
			return NULL;
	}
	return p;
}

static const char *js_value(const char *p, int depth)
{
	p = js_ws(p);
	if (depth > 32)
		return NULL;
	if (*p == '{' || *p == '[') {
		char close = *p == '{' ? '}' : ']';

		p = js_ws(p + 1);
		if (*p == close)
			return p + 1;
		for (;;) {
			if (close == '}') {
				p = js_string(js_ws(p));
				if (!p)
					return NULL;
				p = js_ws(p);
				if (*p++ != ':')
					return NULL;
			}
			p = js_value(p, depth + 1);
			if (!p)
				return NULL;
			p = js_ws(p);
			if (*p == close)
				return p + 1;
			if (*p++ != ',')
				return NULL;
		}
	}
	if (*p == '"')
		return js_string(p);
	if (!strncmp(p, "true", 4) || !strncmp(p, "null", 4))
		return p + 4;
	if (!strncmp(p, "false", 5))
		return p + 5;
	return js_number(p);
}

/* Each line one JSON object with a numeric t_ms and a string event. */
static bool check_event_log(const char *path, char *events, size_t size)
{
	FILE *f = fopen(path, "r");
	char line[8192];
	int n = 0;
	bool good = f != NULL;

	events[0] = '\0';
	while (good && fgets(line, sizeof(line), f)) {
		const char *end, *t, *ev;
		size_t len = strlen(line);

		n++;
		if (len == 0 || line[len - 1] != '\n') {
			diag("event log line %d is not terminated", n);
			good = false;
			break;
		}
		line[len - 1] = '\0';
		end = line[0] == '{' ? js_value(line, 0) : NULL;
		t = after_key(line, "t_ms");
		ev = after_key(line, "event");
		if (!end || *js_ws(end) || !t || !js_number(t) || !ev ||
		    *ev != '"') {
			diag("bad event log line %d: %s", n, line);
			good = false;
			break;
		}
		/* Collect the names: " name1 name2 ... " */
		len = strcspn(ev + 1, "\"");
		if (strlen(events) + len + 3 < size) {
			if (!events[0])
				strcat(events, " ");
			strncat(events, ev + 1, len);
			strcat(events, " ");
		}
		/* Keep the stop event's counters for the caller. */
		if (!strncmp(ev, "\"stop\"", 6) &&
		    strlen(events) + strlen(line) + 2 < size) {
			strcat(events, line);
			strcat(events, " ");
		}
	}
	if (f)
		fclose(f);
	return good && n > 0;
}

static bool has_event(const char *events, const char *name)
{
	char pat[64];

	snprintf(pat, sizeof(pat), " %s ", name);
	return strstr(events, pat) != NULL;
}

/* ---- the daemon ------------------------------------------------------ */

static void start_daemon(const char *prog)
{
	daemon_pid = fork();
	if (daemon_pid < 0)
		bail("fork failed");
	if (daemon_pid == 0) {
		char log[PATH_MAX];
		int fd;

		/* Its messages must not end up in our TAP stream. */
		run_file(log, "daemon.log");
		fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd >= 0) {
			dup2(fd, STDOUT_FILENO);
			dup2(fd, STDERR_FILENO);
		}
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		execl(prog, prog, "serve", "--run-dir", run_dir, (char *)NULL);
		fprintf(stderr, "cannot run %s: %s\n", prog, strerror(errno));
		_exit(127);
	}
}

static bool wait_exit(pid_t pid, int timeout_ms, int *status)
{
	double deadline = now_ms() + timeout_ms;

	while (now_ms() < deadline) {
		if (waitpid(pid, status, WNOHANG) == pid)
			return true;
		usleep(10000);
	}
	return false;
}

static bool daemon_alive(void)
{
	int status;

	return waitpid(daemon_pid, &status, WNOHANG) == 0;
}

int main(int argc, char **argv)
{
	char prog[PATH_MAX], path[PATH_MAX], events[16384];
	struct ivsh_client lx, lx2;
	struct qmp_peer qmp = { .fd = -1 };
	struct stat st;
	int uart, fd, status = 0;
	long long id;
	uint64_t count;
	bool good;
	char c;

	if (argc > 1) {
		snprintf(prog, sizeof(prog), "%s", argv[1]);
	} else {
		/* Built as $(B)/host/tests/amprelayd-proto. */
		char self[PATH_MAX];
		ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

		if (n < 0)
			bail("cannot find myself");
		self[n] = '\0';
		snprintf(prog, sizeof(prog), "%s/../amprelayd", dirname(self));
	}
	printf("TAP version 13\n");
	if (access(prog, X_OK) != 0) {
		printf("1..0 # SKIP %s not built (make host)\n", prog);
		return 0;
	}
	printf("1..%d\n", PLAN);
	signal(SIGPIPE, SIG_IGN);

	snprintf(run_dir, sizeof(run_dir), "%s/amprelayd-proto-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(run_dir))
		bail("mkdtemp failed");
	start_daemon(prog);

	/* The remote's side connects first, as the real remote QEMU does. */
	uart = connect_to("uart1.sock", LONG_MS);
	qmp.fd = connect_to("qmp-remote.sock", LONG_MS);
	run_file(path, "window.bin");
	ok(uart >= 0 && qmp.fd >= 0 && stat(path, &st) == 0 &&
	   st.st_size == AR_WIN_SIZE,
	   "serve creates uart1.sock, qmp-remote.sock and a %d-byte window.bin",
	   AR_WIN_SIZE);
	if (uart < 0 || qmp.fd < 0)
		bail("daemon did not come up");

	qmp_send(&qmp, "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 0, "
		 "\"minor\": 2, \"major\": 7}, \"package\": \"\"}, "
		 "\"capabilities\": [\"oob\"]}}");
	id = qmp_expect(&qmp, "qmp_capabilities", LONG_MS);
	ok(id >= 0, "QMP: greeting answered with qmp_capabilities");
	qmp_return(&qmp, id);

	/* Tests 3-7: the greeting. */
	if (!client_connect(&lx, true))
		bail("ivshmem greeting broken; the rest depends on it");
	ok(lx.page->core_held == 1 && lx.page->reset_status == AR_RESET_OK,
	   "sysctl page starts with core_held 1, reset_status OK");

	/* The doorbell bridge. */
	ring(&lx, AR_MBOX_VQ);
	ok(uart_expect(uart, AR_MBOX_VQ), "Linux rings vector %d -> byte %d on UART1",
	   AR_MBOX_VQ, AR_MBOX_VQ);
	ring(&lx, AR_MBOX_CRASH);
	ok(uart_expect(uart, AR_MBOX_CRASH),
	   "Linux rings vector %d -> byte %d on UART1", AR_MBOX_CRASH,
	   AR_MBOX_CRASH);
	uart_send(uart, AR_MBOX_BOOT);
	ok(only_vector(&lx, AR_MBOX_BOOT, LONG_MS),
	   "UART1 byte %d raises Linux vector %d, and only it", AR_MBOX_BOOT,
	   AR_MBOX_BOOT);
	uart_send(uart, 0x7f);
	ok(only_vector(&lx, -1, SHORT_MS * 2), "unknown UART1 byte 0x7f raises nothing");
	uart_send(uart, AR_MBOX_VQ);
	ok(only_vector(&lx, AR_MBOX_VQ, LONG_MS),
	   "the link still works after it: byte %d -> vector %d", AR_MBOX_VQ,
	   AR_MBOX_VQ);

	/* Reset assert: stop, system_reset, and the ack only after RESET. */
	ring(&lx, AR_VEC_RESET_ASSERT);
	id = qmp_expect(&qmp, "stop", LONG_MS);
	ok(id >= 0, "reset assert sends QMP stop");
	qmp_return(&qmp, id);
	id = qmp_expect(&qmp, "system_reset", LONG_MS);
	ok(id >= 0, "then QMP system_reset");
	qmp_return(&qmp, id);
	ok(!readable(lx.own[AR_VEC_RESET_ASSERT], SHORT_MS),
	   "no ack before the RESET event arrives");
	qmp_event(&qmp, "RESET");
	ok(only_vector(&lx, AR_VEC_RESET_ASSERT, LONG_MS) &&
	   lx.page->reset_status == AR_RESET_OK && lx.page->core_held == 1,
	   "after RESET: ack on vector %d, reset_status OK, core_held 1",
	   AR_VEC_RESET_ASSERT);

	/* Deassert: cont. */
	ring(&lx, AR_VEC_RESET_DEASSERT);
	id = qmp_expect(&qmp, "cont", LONG_MS);
	ok(id >= 0, "reset deassert sends QMP cont");
	qmp_return(&qmp, id);
	ok(only_vector(&lx, AR_VEC_RESET_DEASSERT, LONG_MS) &&
	   lx.page->reset_status == AR_RESET_OK && lx.page->core_held == 0,
	   "ack on vector %d, reset_status OK, core_held 0",
	   AR_VEC_RESET_DEASSERT);

	/* RESET may come before the reply (QEMU does that when stopped). */
	ring(&lx, AR_VEC_RESET_ASSERT);
	id = qmp_expect(&qmp, "stop", LONG_MS);
	qmp_return(&qmp, id);
	id = qmp_expect(&qmp, "system_reset", LONG_MS);
	qmp_event(&qmp, "RESET");
	qmp_return(&qmp, id);
	ok(id >= 0 && only_vector(&lx, AR_VEC_RESET_ASSERT, LONG_MS) &&
	   lx.page->reset_status == AR_RESET_OK && lx.page->core_held == 1,
	   "RESET before the system_reset reply also completes the assert");

	/* A QMP error fails the reset but still acks. */
	ring(&lx, AR_VEC_RESET_DEASSERT);
	id = qmp_expect(&qmp, "cont", LONG_MS);
	qmp_send(&qmp, "{\"id\": %lld, \"error\": {\"class\": \"GenericError\", "
		 "\"desc\": \"injected by the test\"}}", id);
	ok(id >= 0 && only_vector(&lx, AR_VEC_RESET_DEASSERT, LONG_MS) &&
	   lx.page->reset_status == AR_RESET_FAILED && lx.page->core_held == 1,
	   "QMP error on cont: ack on vector %d with reset_status FAILED, core still held",
	   AR_VEC_RESET_DEASSERT);
	ring(&lx, AR_VEC_RESET_ASSERT);
	id = qmp_expect(&qmp, "stop", LONG_MS);
	qmp_send(&qmp, "{\"error\": {\"class\": \"GenericError\", \"desc\": \"no\"}, "
		 "\"id\": %lld}", id);
	ok(id >= 0 && only_vector(&lx, AR_VEC_RESET_ASSERT, LONG_MS) &&
	   lx.page->reset_status == AR_RESET_FAILED && qmp_silent(&qmp, SHORT_MS),
	   "QMP error on stop: FAILED ack and no system_reset after it");

	/* A monitor that never answers: the daemon gives up and acks. */
	ring(&lx, AR_VEC_RESET_DEASSERT);
	id = qmp_expect(&qmp, "cont", LONG_MS);
	good = id >= 0 && readable(lx.own[AR_VEC_RESET_DEASSERT], QMP_WAIT_MS) &&
	       read(lx.own[AR_VEC_RESET_DEASSERT], &count, sizeof(count)) > 0 &&
	       lx.page->reset_status == AR_RESET_FAILED;
	ok(good, "QMP timeout: FAILED ack instead of a hang");
	qmp_return(&qmp, id);		/* the late reply must be ignored */
	qmp_event(&qmp, "STOP");	/* events between commands are fine */
	ring(&lx, AR_VEC_RESET_DEASSERT);
	id = qmp_expect(&qmp, "cont", LONG_MS);
	qmp_return(&qmp, id);
	ok(id >= 0 && only_vector(&lx, AR_VEC_RESET_DEASSERT, LONG_MS) &&
	   lx.page->reset_status == AR_RESET_OK && lx.page->core_held == 0,
	   "the next command works after a late reply: OK, released");

	/* Rings that coalesce into one eventfd count still reach the remote. */
	ring(&lx, AR_MBOX_VQ);
	ring(&lx, AR_MBOX_VQ);
	good = readable(uart, LONG_MS) && read(uart, &c, 1) == 1 && c == AR_MBOX_VQ;
	while (readable(uart, SHORT_MS / 2) && read(uart, &c, 1) == 1)
		good &= c == AR_MBOX_VQ;
	ok(good, "two quick rings of vector %d give byte(s) %d only", AR_MBOX_VQ,
	   AR_MBOX_VQ);

	/* Bogus peers must not hurt the daemon or the real ones. */
	fd = connect_to("ivshmem.sock", LONG_MS);
	ok(fd >= 0 && readable(fd, LONG_MS) && read(fd, &c, 1) <= 0,
	   "a second ivshmem client is refused while one is connected");
	if (fd >= 0)
		close(fd);
	if (write(lx.sock, "garbage\n\x01\x02", 10) != 10)
		diag("write to ivshmem socket failed");
	fd = connect_to("qmp-remote.sock", LONG_MS);
	if (fd >= 0 && write(fd, "not json at all\n", 16) < 0)
		diag("write failed");
	ok(fd >= 0 && readable(fd, LONG_MS) && read(fd, &c, 1) <= 0,
	   "a second QMP connection is refused");
	if (fd >= 0)
		close(fd);
	fd = connect_to("uart1.sock", LONG_MS);
	ok(fd >= 0 && readable(fd, LONG_MS) && read(fd, &c, 1) <= 0,
	   "a second UART1 connection is refused");
	if (fd >= 0)
		close(fd);
	ring(&lx, AR_MBOX_VQ);
	ok(daemon_alive() && uart_expect(uart, AR_MBOX_VQ),
	   "garbage from the ivshmem client is ignored; doorbells still flow");

	/* Linux QEMU goes away; a client that leaves early; a fresh one. */
	client_close(&lx);
	fd = connect_to("ivshmem.sock", LONG_MS);
	if (fd >= 0)
		close(fd);
	usleep(100000);
	ok(daemon_alive() && client_connect(&lx2, false),
	   "after a disconnect and an early hang-up, a new client gets the full greeting");
	ring(&lx2, AR_MBOX_VQ);
	good = uart_expect(uart, AR_MBOX_VQ);
	uart_send(uart, AR_MBOX_BOOT);
	ok(good && only_vector(&lx2, AR_MBOX_BOOT, LONG_MS),
	   "doorbells work both ways with the new client");

	/* No monitor at all: the reset fails fast, with an ack. */
	close(qmp.fd);
	usleep(100000);
	ring(&lx2, AR_VEC_RESET_ASSERT);
	ok(only_vector(&lx2, AR_VEC_RESET_ASSERT, LONG_MS) &&
	   lx2.page->reset_status == AR_RESET_FAILED,
	   "reset with no QMP connection: FAILED ack");

	/* SIGTERM: exit 143, sockets and window gone, log valid. */
	kill(daemon_pid, SIGTERM);
	good = wait_exit(daemon_pid, 5000, &status);
	if (good)
		daemon_pid = 0;
	ok(good && WIFEXITED(status) && WEXITSTATUS(status) == 128 + SIGTERM,
	   "SIGTERM: the daemon exits with %d", 128 + SIGTERM);
	good = true;
	for (const char *const *n = (const char *const[]){ "ivshmem.sock",
		"uart1.sock", "qmp-remote.sock", "window.bin", NULL }; *n; n++) {
		run_file(path, *n);
		if (access(path, F_OK) == 0) {
			diag("%s left behind", path);
			good = false;
		}
	}
	ok(good, "sockets and window.bin removed");
	run_file(path, "events.jsonl");
	ok(check_event_log(path, events, sizeof(events)),
	   "events.jsonl: every line one JSON object with t_ms and event");
	good = true;
	for (const char *const *n = (const char *const[]){ "start",
		"uart_connected", "qmp_connected", "ivshmem_connected",
		"ivshmem_disconnected", "reset_assert", "reset_deassert",
		"qmp_event", "stop", NULL }; *n; n++) {
		if (!has_event(events, *n)) {
			diag("no '%s' event", *n);
			good = false;
		}
	}
	ok(good, "the event log has the lifecycle, reset and QMP events");
	/* Bytes we read off UART1: 2 + coalesced 1-2 + 1 + 1; into Linux: 3. */
	good = (strstr(events, "\"doorbells_to_remote\":5") ||
		strstr(events, "\"doorbells_to_remote\":6")) &&
	       strstr(events, "\"doorbells_to_linux\":3") &&
	       strstr(events, "\"uart_unknown_bytes\":1");
	if (!good)
		diag("events:%s", events);
	ok(good, "the stop event counts the doorbells each way and the unknown byte");

	client_close(&lx2);
	close(uart);
	cleanup_daemon();
	run_file(path, "daemon.log");
	if (failures) {
		FILE *f = fopen(path, "r");
		char line[512];

		while (f && fgets(line, sizeof(line), f))
			diag("daemon: %s", strtok(line, "\n") ?: "");
		if (f)
			fclose(f);
	}
	/* Only our own files: the logs and the (now empty of sockets) dir. */
	unlink(path);
	run_file(path, "events.jsonl");
	unlink(path);
	rmdir(run_dir);
	if (test_no != PLAN)
		diag("ran %d tests, planned %d", test_no, PLAN);
	return failures || test_no != PLAN ? 1 : 0;
}
