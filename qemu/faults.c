// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host-side faults and the remote's second life. Requests come as a file,
 * RUN/ctl-request, holding one line ("freeze", "kill", "drop-doorbells N",
 * "status", "cpu"): the host writes it with `amprelayd ctl RUN_DIR ...`, the
 * guest through /lab, the 9p share of the run directory. We execute it,
 * delete it and answer in RUN/ctl-reply ("ok ..." or "error ...").
 *
 * When the remote QEMU dies while Linux runs, Linux is told (sysctl.event
 * = AR_EVENT_REMOTE_DIED on AR_VEC_EVENT) and the same command line is
 * started again, held in reset, so Linux's recovery (reset assert, then
 * deassert) finds a remote to release.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <time.h>
#include <unistd.h>

#include "amprelayd.h"

void raise_event(struct lab *l, uint32_t event)
{
	l->ivsh.page->event = event;
	/* The page must be current before Linux sees the vector. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	ivsh_raise(&l->ivsh, AR_VEC_EVENT);
}

bool remote_died(struct lab *l, const char *desc)
{
	struct ev e;

	/* Before Linux is up there is nobody to recover: the lab fails. */
	if (l->finished || !l->launch || l->linux_pid <= 0 ||
	    l->remote_deadline)
		return false;

	err_msg("note: the remote QEMU died (%s); telling Linux and starting it again, held in reset",
		desc);
	l->remote_restarts++;
	/* The new remote runs free of any debugger: Linux clears it too. */
	l->remote_halted = false;
	raise_event(l, AR_EVENT_REMOTE_DIED);
	ev_begin(&e, "remote_died");
	ev_str(&e, "status", desc);
	ev_int(&e, "restarts", l->remote_restarts);
	ev_end(&e);
	l->drop_to_remote = 0;
	if (launch_remote(l) < 0) {
		finish(l, failure_code(l), "remote QEMU relaunch failed");
		return true;
	}
	l->remote_restarting = true;
	return true;
}

static bool remote_ready(const struct lab *l)
{
	return l->remote_pid > 0 && l->uart.conn_fd >= 0 &&
	       qmp_ready(&l->qmp);
}

/* Called from the loop: the relaunched remote has connected. */
void remote_check_restarted(struct lab *l)
{
	struct ev e;

	if (!l->remote_restarting || !remote_ready(l))
		return;
	l->remote_restarting = false;
	l->remote_deadline = 0;
	l->ivsh.page->core_held = 1;
	raise_event(l, AR_EVENT_REMOTE_RESTARTED);
	ev_begin(&e, "remote_restarted");
	ev_int(&e, "pid", l->remote_pid);
	ev_end(&e);
}

/*
 * A reset command that comes while the new remote is still connecting
 * waits for it here, accepting its sockets, instead of failing.
 */
int wait_remote_ready(struct lab *l, char *err, size_t errlen)
{
	double deadline = now_ms() + REMOTE_READY_MS;

	while (l->remote_restarting && !remote_ready(l)) {
		struct pollfd p[3] = {
			{ .fd = l->uart.listen_fd, .events = POLLIN },
			{ .fd = l->qmp.listen_fd, .events = POLLIN },
			{ .fd = l->qmp.fd, .events = POLLIN },
		};
		double left = deadline - now_ms();

		if (l->remote_pid <= 0 || left <= 0) {
			snprintf(err, errlen, "the restarted remote QEMU did not connect");
			return -1;
		}
		if (poll(p, 3, (int)left + 1) < 0 && errno != EINTR) {
			snprintf(err, errlen, "poll: %s", strerror(errno));
			return -1;
		}
		if (p[0].revents)
			uart_accept(&l->uart);
		if (p[1].revents)
			qmp_accept(&l->qmp);
		if (p[2].revents)
			qmp_readable(&l->qmp);
	}
	remote_check_restarted(l);
	return 0;
}

/* Doorbells Linux -> remote that a drop-doorbells request swallows. */
bool drop_doorbell_to_remote(struct lab *l, unsigned int vec)
{
	struct ev e;

	if (l->drop_to_remote <= 0)
		return false;
	l->drop_to_remote--;
	l->cnt.to_remote_injected_drops++;
	ev_begin(&e, "doorbell_dropped_on_request");
	ev_int(&e, "vector", vec);
	ev_int(&e, "left", l->drop_to_remote);
	ev_end(&e);
	return true;
}

/* ---- where the host's CPU goes ---------------------------------------- */

/* QEMU thread roles, told apart by the names -name debug-threads=on gives. */
enum thread_role { ROLE_MAIN, ROLE_VCPU, ROLE_OTHER, ROLE_NUM };

/* ns the thread has run on a host CPU (schedstat), 0 if it is gone. */
static unsigned long long thread_runtime_ns(pid_t pid, const char *tid)
{
	char path[PATH_MAX];
	unsigned long long ns = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/task/%s/schedstat", (int)pid, tid);
	f = fopen(path, "re");
	if (!f)
		return 0;
	if (fscanf(f, "%llu", &ns) != 1)
		ns = 0;
	fclose(f);
	return ns;
}

static enum thread_role thread_role(pid_t pid, const char *tid)
{
	char path[PATH_MAX], comm[64] = "";
	size_t len;
	FILE *f;

	if (atoi(tid) == pid)
		return ROLE_MAIN;
	snprintf(path, sizeof(path), "/proc/%d/task/%s/comm", (int)pid, tid);
	f = fopen(path, "re");
	if (f) {
		if (!fgets(comm, sizeof(comm), f))
			comm[0] = '\0';
		fclose(f);
	}
	comm[strcspn(comm, "\n")] = '\0';
	len = strlen(comm);
	return len > 4 && !strcmp(comm + len - 4, "/TCG") ? ROLE_VCPU : ROLE_OTHER;
}

/*
 * The CPU time of pid's main and vCPU threads; "other" is the rest of the
 * process's total, which also keeps what threads that have exited used
 * (QEMU retires idle worker threads).
 */
static void process_cpu_ms(pid_t pid, double ms[ROLE_NUM])
{
	char path[PATH_MAX];
	struct timespec ts;
	struct dirent *d;
	clockid_t clock;
	DIR *dir;

	if (pid <= 0)
		return;
	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	dir = opendir(path);
	if (!dir)
		return;
	while ((d = readdir(dir))) {
		enum thread_role role;

		if (d->d_name[0] == '.')
			continue;
		role = thread_role(pid, d->d_name);
		if (role != ROLE_OTHER)
			ms[role] += thread_runtime_ns(pid, d->d_name) / 1e6;
	}
	closedir(dir);
	if (clock_getcpuclockid(pid, &clock) == 0 &&
	    clock_gettime(clock, &ts) == 0) {
		ms[ROLE_OTHER] = ts.tv_sec * 1e3 + ts.tv_nsec / 1e6 -
				 ms[ROLE_MAIN] - ms[ROLE_VCPU];
		if (ms[ROLE_OTHER] < 0)
			ms[ROLE_OTHER] = 0;
	}
}

static void cpu_reply(struct lab *l, char *reply, size_t size)
{
	double self[ROLE_NUM] = { 0 }, lx[ROLE_NUM] = { 0 }, rm[ROLE_NUM] = { 0 };

	process_cpu_ms(getpid(), self);
	process_cpu_ms(l->linux_pid, lx);
	process_cpu_ms(l->remote_pid, rm);
	snprintf(reply, size,
		 "ok cpu: amprelayd=%.3f linux_main=%.3f linux_vcpu=%.3f linux_other=%.3f remote_main=%.3f remote_vcpu=%.3f remote_other=%.3f (ms on a host CPU since each process started)\n",
		 self[ROLE_MAIN] + self[ROLE_VCPU] + self[ROLE_OTHER],
		 lx[ROLE_MAIN], lx[ROLE_VCPU], lx[ROLE_OTHER],
		 rm[ROLE_MAIN], rm[ROLE_VCPU], rm[ROLE_OTHER]);
}

/* ---- requests --------------------------------------------------------- */

static void do_request(struct lab *l, char *line, char *reply, size_t size)
{
	char err[256] = "";
	char *arg, *end;
	long n;

	line[strcspn(line, "\r\n")] = '\0';
	arg = strchr(line, ' ');
	if (arg)
		*arg++ = '\0';

	if (!strcmp(line, "freeze") && !arg) {
		/* A fault, not a debugger's halt: Linux must find it out. */
		qmp_expect(&l->qmp, true, false);
		n = qmp_execute(&l->qmp, "stop", err, sizeof(err));
		qmp_expect(&l->qmp, false, false);
		if (n < 0)
			snprintf(reply, size, "error freeze: %s\n", err);
		else
			snprintf(reply, size, "ok freeze: remote CPU stopped (QMP stop)\n");
	} else if (!strcmp(line, "kill") && !arg) {
		if (l->remote_pid <= 0)
			snprintf(reply, size, "error kill: no remote QEMU running\n");
		else if (kill(l->remote_pid, SIGKILL) < 0)
			snprintf(reply, size, "error kill: %s\n", strerror(errno));
		else
			snprintf(reply, size, "ok kill: SIGKILL sent to remote QEMU pid %d\n",
				 (int)l->remote_pid);
	} else if (!strcmp(line, "drop-doorbells") && arg) {
		errno = 0;
		n = strtol(arg, &end, 10);
		if (errno || end == arg || *end || n < 1 || n > 1000000) {
			snprintf(reply, size,
				 "error drop-doorbells: '%s' is not a count from 1 to 1000000\n",
				 arg);
		} else {
			l->drop_to_remote = n;
			snprintf(reply, size,
				 "ok drop-doorbells: the next %ld doorbells to the remote are dropped\n",
				 n);
		}
	} else if (!strcmp(line, "cpu") && !arg) {
		cpu_reply(l, reply, size);
	} else if (!strcmp(line, "status") && !arg) {
		snprintf(reply, size,
			 "ok status: remote pid %d, restarts %d, doorbells still to drop %ld\n",
			 (int)l->remote_pid, l->remote_restarts, l->drop_to_remote);
	} else {
		snprintf(reply, size,
			 "error unknown request '%s%s%s' (freeze | kill | drop-doorbells N | status | cpu)\n",
			 line, arg ? " " : "", arg ? arg : "");
	}
}

static int write_reply(struct lab *l, const char *text)
{
	char tmp[PATH_MAX], path[PATH_MAX];

	if (run_path(l, tmp, RUN_CTL_REPLY ".tmp") < 0 ||
	    run_path(l, path, RUN_CTL_REPLY) < 0 ||
	    write_text_file(tmp, text) < 0)
		return -1;
	return rename(tmp, path);
}

/* inotify fired on the run directory: look for a request. */
void ctl_readable(struct lab *l)
{
	char buf[4096], path[PATH_MAX], line[256], reply[512];
	struct ev e;
	FILE *f;

	while (read(l->ctl_fd, buf, sizeof(buf)) > 0)
		;
	if (run_path(l, path, RUN_CTL_REQUEST) < 0)
		return;
	f = fopen(path, "re");
	if (!f)
		return;
	if (!fgets(line, sizeof(line), f)) {
		/* Created but not yet written: the close comes next. */
		fclose(f);
		return;
	}
	fclose(f);
	unlink(path);
	do_request(l, line, reply, sizeof(reply));
	ev_begin(&e, "ctl_request");
	ev_str(&e, "request", line);
	ev_str(&e, "reply", reply);
	ev_end(&e);
	if (write_reply(l, reply) < 0)
		err_msg("cannot write %s/%s", l->run_dir, RUN_CTL_REPLY);
}

int ctl_init(struct lab *l)
{
	l->ctl_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (l->ctl_fd < 0 ||
	    inotify_add_watch(l->ctl_fd, l->run_dir,
			      IN_CLOSE_WRITE | IN_MOVED_TO) < 0) {
		err_msg("inotify on %s: %s", l->run_dir, strerror(errno));
		return -1;
	}
	return ep_add(l->ctl_fd, EP_CTL, 0);
}

/* ---- amprelayd ctl RUN_DIR REQUEST... --------------------------------- */

int run_ctl(const char *run_dir, int argc, char **argv)
{
	char req[PATH_MAX], tmp[PATH_MAX], rep[PATH_MAX], text[512];
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	size_t len = 0;
	FILE *f;
	int i;

	if (path_join(req, sizeof(req), run_dir, RUN_CTL_REQUEST) < 0 ||
	    path_join(tmp, sizeof(tmp), run_dir, RUN_CTL_REQUEST ".tmp") < 0 ||
	    path_join(rep, sizeof(rep), run_dir, RUN_CTL_REPLY) < 0)
		return 2;
	for (i = 0; i < argc; i++) {
		int n = snprintf(text + len, sizeof(text) - len, "%s%s",
				 i ? " " : "", argv[i]);

		if (n < 0 || (size_t)n >= sizeof(text) - len - 1) {
			err_msg("ctl: request too long");
			return 2;
		}
		len += n;
	}
	strcat(text, "\n");
	if (!file_exists(run_dir)) {
		err_msg("ctl: run directory %s does not exist", run_dir);
		return 2;
	}
	unlink(rep);
	if (write_text_file(tmp, text) < 0 || rename(tmp, req) < 0) {
		err_msg("ctl: cannot write %s: %s", req, strerror(errno));
		return 1;
	}
	/* amprelayd answers within one loop turn, or a QMP timeout. */
	for (i = 0; i < (QMP_TIMEOUT_MS + 2000) / 20; i++) {
		f = fopen(rep, "re");
		if (f) {
			bool ok = fgets(text, sizeof(text), f) &&
				  !strncmp(text, "ok", 2);

			fclose(f);
			unlink(rep);
			fputs(text, ok ? stdout : stderr);
			return ok ? 0 : 1;
		}
		nanosleep(&ts, NULL);
	}
	unlink(req);
	err_msg("ctl: no answer from amprelayd in %s (is the lab running?)",
		run_dir);
	return 1;
}

/*
 * Called from the loop: passes a debugger's halt or resume of the remote
 * on to Linux (AR_EVENT_REMOTE_HALTED / _RESUMED), once per change.
 */
void remote_check_debugger(struct lab *l)
{
	enum qmp_foreign_event event = l->qmp.foreign_event;

	l->qmp.foreign_event = QMP_FOREIGN_NONE;
	/* Without a gdbstub nobody else can stop the core: nothing to say. */
	if (!l->opt->gdb_remote)
		return;
	if (event == QMP_FOREIGN_STOP && !l->remote_halted)
		remote_set_halted(l, true, "debugger");
	else if (event == QMP_FOREIGN_RESUME && l->remote_halted)
		remote_set_halted(l, false, "debugger");
}

void remote_set_halted(struct lab *l, bool halted, const char *by)
{
	struct ev e;

	l->remote_halted = halted;
	raise_event(l, halted ? AR_EVENT_REMOTE_HALTED : AR_EVENT_REMOTE_RESUMED);
	ev_begin(&e, halted ? "remote_halted" : "remote_resumed");
	ev_str(&e, "by", by);
	ev_end(&e);
}
