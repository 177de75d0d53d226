// SPDX-License-Identifier: GPL-2.0-only
/*
 * The lab: run directory, sockets and the single-threaded epoll loop that
 * drives the doorbell bridge (bridge.c) and the supervisor (supervise.c).
 * `serve` is the same loop without launching anything.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/file.h>
#include <sys/signalfd.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "amprelayd.h"

void finish(struct lab *l, int code, const char *reason)
{
	if (l->finished)
		return;
	l->finished = true;
	l->exit_code = code;
	l->stop_reason = reason;
}

/* Exit code for failures of the lab itself (not of the guest command). */
int failure_code(const struct lab *l)
{
	return l->cmd_mode ? 125 : 1;
}

int run_path(const struct lab *l, char *out, const char *name)
{
	return path_join(out, PATH_MAX, l->run_dir, name);
}

/* ---- set-up and tear-down -------------------------------------------- */

static int run_dir_lock_fd = -1;	/* flock on the run directory */

static int make_default_run_dir(struct lab *l)
{
	char runs[PATH_MAX], name[64], tmp_link[PATH_MAX], link[PATH_MAX];
	time_t t = time(NULL);
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(name, sizeof(name), "%Y%m%d-%H%M%S", &tm);
	snprintf(name + strlen(name), sizeof(name) - strlen(name), "-%d",
		 (int)getpid());
	if (path_join(runs, sizeof(runs), l->build_dir, "runs") < 0 ||
	    path_join(l->run_dir, sizeof(l->run_dir), runs, name) < 0 ||
	    mkdir_p(l->run_dir) < 0)
		return -1;
	/* Replace runs/latest atomically: a new link renamed over it. */
	snprintf(name, sizeof(name), ".latest-%d", (int)getpid());
	if (path_join(tmp_link, sizeof(tmp_link), runs, name) < 0 ||
	    path_join(link, sizeof(link), runs, "latest") < 0)
		return -1;
	unlink(tmp_link);
	if (symlink(strrchr(l->run_dir, '/') + 1, tmp_link) < 0 ||
	    rename(tmp_link, link) < 0) {
		err_msg("note: cannot update %s: %s", link, strerror(errno));
		unlink(tmp_link);
	}
	return 0;
}

/*
 * One daemon per run directory: a second one would truncate the live
 * window under both QEMUs and the event log. The lock is on the directory
 * itself and dies with us, so a killed daemon leaves nothing stale.
 */
static int lock_run_dir(struct lab *l)
{
	run_dir_lock_fd = open(l->run_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (run_dir_lock_fd < 0) {
		err_msg("%s: %s", l->run_dir, strerror(errno));
		return -1;
	}
	if (flock(run_dir_lock_fd, LOCK_EX | LOCK_NB) == 0)
		return 0;
	if (errno == EWOULDBLOCK)
		err_msg("run directory %s is in use by another process (an amprelayd); give this lab its own --run-dir",
			l->run_dir);
	else
		err_msg("cannot lock %s: %s", l->run_dir, strerror(errno));
	close(run_dir_lock_fd);
	run_dir_lock_fd = -1;
	/* Its files are not ours: the clean-up must not touch them. */
	l->run_dir[0] = '\0';
	return -1;
}

static int prepare_run_dir(struct lab *l)
{
	char real[PATH_MAX];

	if (l->opt->run_dir) {
		if (mkdir_p(l->opt->run_dir) < 0)
			return -1;
		if (!realpath(l->opt->run_dir, real)) {
			err_msg("%s: %s", l->opt->run_dir, strerror(errno));
			return -1;
		}
		snprintf(l->run_dir, sizeof(l->run_dir), "%s", real);
	} else if (make_default_run_dir(l) < 0) {
		return -1;
	}
	return lock_run_dir(l);
}

static int create_window(struct lab *l)
{
	char path[PATH_MAX];
	int fd;

	if (run_path(l, path, RUN_WINDOW) < 0)
		return -1;
	/* Truncating to 0 first zeroes a window left by an earlier run. */
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || ftruncate(fd, AR_WIN_SIZE) < 0) {
		err_msg("cannot create %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

static int write_guest_cmd(struct lab *l)
{
	char path[PATH_MAX], *text;
	size_t len;
	int ret;

	if (run_path(l, path, RUN_GUEST_CMD) < 0)
		return -1;
	if (!l->cmd_mode) {
		/* The guest would run a stale command instead of a shell. */
		if (unlink(path) < 0 && errno != ENOENT) {
			err_msg("cannot remove %s: %s", path, strerror(errno));
			return -1;
		}
		return 0;
	}
	len = strlen(l->opt->cmd);
	text = malloc(len + 2);
	if (!text)
		return -1;
	memcpy(text, l->opt->cmd, len + 1);
	if (len == 0 || text[len - 1] != '\n')
		strcat(text, "\n");
	ret = write_text_file(path, text);
	free(text);
	return ret;
}

static int setup_signals(struct lab *l)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		return -1;
	signal(SIGPIPE, SIG_IGN);
	l->sigfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (l->sigfd < 0) {
		err_msg("signalfd: %s", strerror(errno));
		return -1;
	}
	return ep_add(l->sigfd, EP_SIGNAL, 0);
}

static void log_start(struct lab *l)
{
	struct ev e;

	ev_begin(&e, "start");
	ev_str(&e, "mode", l->launch ? "run" : "serve");
	ev_str(&e, "run_dir", l->run_dir);
	ev_int(&e, "pid", getpid());
	if (l->launch) {
		ev_str(&e, "build_dir", l->build_dir);
		if (l->cmd_mode) {
			ev_str(&e, "cmd", l->opt->cmd);
			ev_int(&e, "timeout_s", l->opt->timeout_s);
		}
	}
	ev_end(&e);
}

static void log_stop(struct lab *l)
{
	const struct counters *c = &l->cnt;
	struct ev e;

	ev_begin(&e, "stop");
	ev_str(&e, "reason", l->stop_reason ? l->stop_reason : "error");
	ev_int(&e, "exit_code", l->exit_code);
	ev_int(&e, "rings_from_linux", c->rings_from_linux);
	ev_int(&e, "doorbells_to_remote", c->to_remote);
	ev_int(&e, "doorbells_to_remote_dropped", c->to_remote_dropped);
	ev_int(&e, "doorbells_to_linux", c->to_linux);
	ev_int(&e, "doorbells_to_linux_dropped", c->to_linux_dropped);
	ev_int(&e, "uart_unknown_bytes", c->uart_unknown_bytes);
	ev_int(&e, "unknown_vectors", c->unknown_vectors);
	ev_int(&e, "reset_asserts", c->reset_asserts);
	ev_int(&e, "reset_deasserts", c->reset_deasserts);
	ev_int(&e, "reset_failures", c->reset_failures);
	ev_int(&e, "doorbells_dropped_on_request", c->to_remote_injected_drops);
	ev_int(&e, "remote_restarts", l->remote_restarts);
	ev_end(&e);
}

static void remove_run_files(struct lab *l)
{
	static const char *const names[] = {
		RUN_IVSHMEM_SOCK, RUN_UART1_SOCK, RUN_QMP_SOCK, RUN_WINDOW,
		/* QEMU's own, left behind only by a QEMU killed hard. */
		RUN_GDB_REMOTE_SOCK, RUN_GDB_LINUX_SOCK,
	};
	char path[PATH_MAX];

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (run_path(l, path, names[i]) == 0)
			unlink(path);
}

/* ---- the loop -------------------------------------------------------- */

static void check_deadlines(struct lab *l)
{
	double now = now_ms();

	if (l->remote_deadline && now >= l->remote_deadline) {
		err_msg("the remote QEMU did not connect to %s and %s within %d s; see %s/%s",
			RUN_UART1_SOCK, RUN_QMP_SOCK, REMOTE_READY_MS / 1000,
			l->run_dir, RUN_REMOTE_QEMU_LOG);
		finish(l, failure_code(l), "remote QEMU not ready");
	} else if (l->poweroff_deadline && now >= l->poweroff_deadline) {
		err_msg("the guest did not power off within %d s after its command ended; stopping it (run dir %s)",
			POWEROFF_GRACE_MS / 1000, l->run_dir);
		finish(l, l->con.rc, "guest did not power off");
	} else if (l->cmd_deadline && now >= l->cmd_deadline &&
		   !l->con.ended) {
		err_msg("timed out after %ld s %s; run dir %s",
			l->opt->timeout_s,
			l->cmd_mode ? (l->con.began ?
				       "while the guest command was running" :
				       "before the guest command started") :
				      "(--timeout)",
			l->run_dir);
		finish(l, 125, "timeout");
	}
}

static int next_timeout_ms(const struct lab *l)
{
	double next = 0, now = now_ms();
	const double deadlines[] = {
		l->remote_deadline, l->poweroff_deadline, l->cmd_deadline,
	};

	for (size_t i = 0; i < sizeof(deadlines) / sizeof(deadlines[0]); i++)
		if (deadlines[i] && (!next || deadlines[i] < next))
			next = deadlines[i];
	if (!next)
		return -1;
	return next <= now ? 0 : (int)(next - now) + 1;
}

static void dispatch(struct lab *l, uint64_t data)
{
	uint32_t kind = data >> 32, index = (uint32_t)data;

	switch (kind) {
	case EP_SIGNAL:
		on_signal(l);
		break;
	case EP_IVSH_LISTEN:
		ivsh_accept(&l->ivsh);
		break;
	case EP_IVSH_CLIENT:
		ivsh_client_readable(&l->ivsh);
		break;
	case EP_IVSH_VECTOR:
		on_linux_ring(l, index);
		break;
	case EP_UART_LISTEN:
		uart_accept(&l->uart);
		break;
	case EP_UART_CONN:
		on_uart_data(l);
		break;
	case EP_QMP_LISTEN:
		qmp_accept(&l->qmp);
		break;
	case EP_QMP_CONN:
		qmp_readable(&l->qmp);
		break;
	case EP_CONSOLE:
		console_readable(l);
		break;
	case EP_CTL:
		ctl_readable(l);
		break;
	}
}

static void loop(struct lab *l)
{
	struct epoll_event evs[32];

	while (!l->finished) {
		int n = epoll_wait(g_epfd, evs, 32, next_timeout_ms(l));

		if (n < 0 && errno != EINTR) {
			err_msg("epoll_wait: %s", strerror(errno));
			finish(l, failure_code(l), "internal error");
			break;
		}
		for (int i = 0; i < n && !l->finished; i++)
			dispatch(l, evs[i].data.u64);
		if (l->finished)
			break;
		/* Linux starts once the remote is there to be held/released. */
		if (l->launch && !l->linux_launched && l->remote_pid > 0 &&
		    l->uart.conn_fd >= 0 && qmp_ready(&l->qmp)) {
			l->remote_deadline = 0;
			if (launch_linux(l) < 0) {
				finish(l, failure_code(l), "launch failed");
				break;
			}
		}
		remote_check_restarted(l);
		remote_check_debugger(l);
		check_deadlines(l);
	}
}

static int setup(struct lab *l)
{
	char path[PATH_MAX];

	if (prepare_run_dir(l) < 0)
		return -1;
	if (run_path(l, path, RUN_EVENTS) < 0 || evlog_open(path) < 0)
		return -1;
	g_epfd = epoll_create1(EPOLL_CLOEXEC);
	if (g_epfd < 0) {
		err_msg("epoll_create1: %s", strerror(errno));
		return -1;
	}
	if (setup_signals(l) < 0 || create_window(l) < 0)
		return -1;
	log_start(l);
	if (run_path(l, path, RUN_IVSHMEM_SOCK) < 0 ||
	    ivsh_init(&l->ivsh, path) < 0)
		return -1;
	if (run_path(l, path, RUN_UART1_SOCK) < 0 ||
	    uart_init(&l->uart, path) < 0)
		return -1;
	if (run_path(l, path, RUN_QMP_SOCK) < 0 || qmp_init(&l->qmp, path) < 0)
		return -1;
	if (!l->launch) {
		err_msg("serving %s (%s, %s, %s); stop with Ctrl-C", l->run_dir,
			RUN_IVSHMEM_SOCK, RUN_UART1_SOCK, RUN_QMP_SOCK);
		return 0;
	}

	if (write_guest_cmd(l) < 0 || ctl_init(l) < 0)
		return -1;
	if (l->cmd_mode) {
		if (run_path(l, path, RUN_LINUX_CONSOLE) < 0)
			return -1;
		l->console_log_fd = open(path, O_WRONLY | O_CREAT | O_TRUNC |
					 O_CLOEXEC, 0644);
		if (l->console_log_fd < 0) {
			err_msg("cannot create %s: %s", path, strerror(errno));
			return -1;
		}
	} else {
		/*
		 * QEMU puts the terminal in raw mode; should it be killed
		 * before restoring it, we do. Only from the foreground: a
		 * background tcsetattr would stop us with SIGTTOU.
		 */
		if (isatty(STDIN_FILENO) &&
		    tcgetpgrp(STDIN_FILENO) == getpgrp() &&
		    tcgetattr(STDIN_FILENO, &l->saved_tty) == 0)
			l->tty_saved = true;
		err_msg("run dir %s; Ctrl-A x quits", l->run_dir);
	}
	if (l->opt->timeout_s > 0)
		l->cmd_deadline = now_ms() + l->opt->timeout_s * 1000.0;
	return launch_remote(l);
}

/*
 * The user's share, default BUILD/share, with its firmware/ subfolder made
 * here so the guest's firmware search path always exists.
 */
static int resolve_share_dir(struct lab *l)
{
	char dir[PATH_MAX], fw[PATH_MAX];

	if (l->opt->share_dir)
		snprintf(dir, sizeof(dir), "%s", l->opt->share_dir);
	else if (path_join(dir, sizeof(dir), l->build_dir, "share") < 0)
		return -1;
	if (path_join(fw, sizeof(fw), dir, AR_SHARE_FW_SUBDIR) < 0 ||
	    mkdir_p(fw) < 0)
		return -1;
	if (!realpath(dir, l->share_dir)) {
		err_msg("share %s: %s", dir, strerror(errno));
		return -1;
	}
	return 0;
}

int run_lab(const struct options *opt, bool launch_qemus)
{
	static struct lab lab;	/* big (QMP buffer); not on the stack */
	struct lab *l = &lab;

	memset(l, 0, sizeof(*l));
	l->opt = opt;
	l->launch = launch_qemus;
	l->cmd_mode = launch_qemus && opt->cmd;
	l->sigfd = l->console_fd = l->console_log_fd = l->ctl_fd = -1;
	l->ivsh.listen_fd = l->ivsh.client_fd = l->ivsh.shm_fd = -1;
	for (int v = 0; v < AR_NUM_VECTORS; v++)
		l->ivsh.peer_fd[v] = l->ivsh.own_fd[v] = -1;
	l->uart.listen_fd = l->uart.conn_fd = -1;
	l->qmp.listen_fd = l->qmp.fd = -1;
	console_init(&l->con, STDOUT_FILENO);

	if (launch_qemus) {
		if (opt->build_dir)
			snprintf(l->build_dir, sizeof(l->build_dir), "%s",
				 opt->build_dir);
		else if (default_build_dir(l->build_dir, sizeof(l->build_dir)) < 0)
			return 1;
		/* Before creating anything: name every missing input. */
		if (launch_check_inputs(l->build_dir) < 0)
			return l->cmd_mode ? 125 : 1;
		if (resolve_share_dir(l) < 0)
			return l->cmd_mode ? 125 : 1;
	}

	if (setup(l) < 0) {
		l->exit_code = failure_code(l);
		l->stop_reason = "set-up failed";
	} else {
		loop(l);
	}

	stop_linux(l);
	stop_remote(l);
	drain_console(l);
	ivsh_fini(&l->ivsh);
	uart_fini(&l->uart);
	qmp_fini(&l->qmp);
	if (l->ctl_fd >= 0)
		close(l->ctl_fd);
	if (l->run_dir[0])
		remove_run_files(l);
	log_stop(l);
	evlog_close();
	if (run_dir_lock_fd >= 0)
		close(run_dir_lock_fd);
	if (l->console_log_fd >= 0)
		close(l->console_log_fd);
	if (l->tty_saved)
		tcsetattr(STDIN_FILENO, TCSANOW, &l->saved_tty);
	return l->exit_code;
}

