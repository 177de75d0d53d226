// SPDX-License-Identifier: GPL-2.0-only
/*
 * The supervisor: launches both QEMUs (command lines from launch.c),
 * reads the Linux console in --cmd mode, reacts to children exiting and to
 * signals, and stops the QEMUs without ever leaving one behind.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "amprelayd.h"

/* ---- --cmd console --------------------------------------------------- */

static void console_data(struct lab *l, const char *buf, size_t n)
{
	int found;
	struct ev e;

	if (l->console_log_fd >= 0)
		write_all(l->console_log_fd, buf, n);
	found = console_feed(&l->con, buf, n);
	if (found & CON_LINUX_INIT)
		ev_simple("linux_init");
	if (found & CON_BEGIN)
		ev_simple("guest_cmd_begin");
	if (found & CON_END) {
		ev_begin(&e, "guest_cmd_end");
		ev_int(&e, "rc", l->con.rc);
		ev_end(&e);
		/* The guest powers off next; do not wait for it forever. */
		l->poweroff_deadline = now_ms() + POWEROFF_GRACE_MS;
	}
}

static void close_console(struct lab *l)
{
	if (l->console_fd < 0)
		return;
	ep_del(l->console_fd);
	close(l->console_fd);
	l->console_fd = -1;
	console_finish(&l->con);
}

/* Returns false once the stream has ended. */
bool console_readable(struct lab *l)
{
	char buf[65536];
	ssize_t n;

	if (l->console_fd < 0)
		return false;
	n = read(l->console_fd, buf, sizeof(buf));
	if (n > 0) {
		console_data(l, buf, n);
		return true;
	}
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return true;
	close_console(l);
	return false;
}

/* After QEMU exited: whatever is still in the pipe precedes its exit. */
void drain_console(struct lab *l)
{
	double deadline = now_ms() + 2000;

	while (l->console_fd >= 0 && now_ms() < deadline) {
		struct pollfd p = { .fd = l->console_fd, .events = POLLIN };

		if (poll(&p, 1, 200) > 0 && !console_readable(l))
			break;
	}
	close_console(l);
}

/* ---- children -------------------------------------------------------- */

static void child_exited(struct lab *l, pid_t pid, int status)
{
	const char *which = pid == l->linux_pid ? "linux" :
			    pid == l->remote_pid ? "remote" : NULL;
	char desc[96];
	struct ev e;

	if (!which)
		return;
	describe_status(status, desc, sizeof(desc));
	ev_begin(&e, "qemu_exit");
	ev_str(&e, "which", which);
	ev_int(&e, "pid", pid);
	ev_str(&e, "status", desc);
	if (WIFEXITED(status))
		ev_int(&e, "exit_code", WEXITSTATUS(status));
	if (WIFSIGNALED(status))
		ev_int(&e, "signal", WTERMSIG(status));
	ev_end(&e);

	if (pid == l->remote_pid) {
		l->remote_pid = 0;
		l->ivsh.page->remote_pid = 0;
		if (remote_died(l, desc))
			return;
		if (!l->finished) {
			err_msg("the remote QEMU (mps2-an386) exited unexpectedly (%s); see %s/%s",
				desc, l->run_dir, RUN_REMOTE_QEMU_LOG);
			finish(l, failure_code(l), "remote QEMU exited");
		}
		return;
	}

	l->linux_pid = 0;
	if (l->finished)
		return;
	if (l->cmd_mode) {
		drain_console(l);
		if (l->con.ended) {
			finish(l, l->con.rc, "guest command done");
		} else {
			err_msg("the Linux QEMU exited (%s, pid %d) before the guest command finished; stopping the remote QEMU; see %s/%s",
				desc, (int)pid, l->run_dir, RUN_LINUX_CONSOLE);
			finish(l, 125, "Linux QEMU exited early");
		}
	} else if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		finish(l, 0, "Linux QEMU exited");
	} else {
		err_msg("the Linux QEMU failed (%s, pid %d); stopping the remote QEMU; run dir %s",
			desc, (int)pid, l->run_dir);
		finish(l, 1, "Linux QEMU failed");
	}
}

static void reap_children(struct lab *l)
{
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
		child_exited(l, pid, status);
}

void on_signal(struct lab *l)
{
	struct signalfd_siginfo si;

	while (read(l->sigfd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGCHLD) {
			reap_children(l);
			continue;
		}
		if (!l->finished && l->launch)
			err_msg("SIG%s received, stopping the lab (run dir %s)",
				sigabbrev_np(si.ssi_signo), l->run_dir);
		finish(l, 128 + si.ssi_signo, "signal");
	}
}

/* Waits for one child, draining signals and the console meanwhile. */
static bool wait_child(struct lab *l, pid_t *pidp, int timeout_ms)
{
	double deadline = now_ms() + timeout_ms;

	while (*pidp > 0) {
		struct pollfd p[2] = {
			{ .fd = l->sigfd, .events = POLLIN },
			{ .fd = l->console_fd, .events = POLLIN },
		};
		double left = deadline - now_ms();
		struct signalfd_siginfo si;

		reap_children(l);
		if (*pidp <= 0)
			break;
		if (left <= 0)
			return false;
		if (poll(p, 2, (int)left + 1) > 0) {
			while (read(l->sigfd, &si, sizeof(si)) == sizeof(si))
				;
			if (p[1].revents)
				console_readable(l);
		}
	}
	return true;
}

void stop_linux(struct lab *l)
{
	if (l->linux_pid <= 0)
		return;
	/* QEMU exits cleanly on SIGTERM and gives the terminal back. */
	kill(l->linux_pid, SIGTERM);
	if (wait_child(l, &l->linux_pid, QUIT_GRACE_MS))
		return;
	kill(l->linux_pid, SIGKILL);
	wait_child(l, &l->linux_pid, QUIT_GRACE_MS);
}

void stop_remote(struct lab *l)
{
	if (l->remote_pid <= 0)
		return;
	qmp_send_quit(&l->qmp);
	if (wait_child(l, &l->remote_pid, QUIT_GRACE_MS))
		return;
	kill(l->remote_pid, SIGTERM);
	if (wait_child(l, &l->remote_pid, QUIT_GRACE_MS))
		return;
	kill(l->remote_pid, SIGKILL);
	wait_child(l, &l->remote_pid, QUIT_GRACE_MS);
}

static pid_t spawn(struct lab *l, const char *which, struct argv_list *argv,
		   const char *cmdline_file, const struct spawn_io *io)
{
	char path[PATH_MAX];
	struct ev e;
	pid_t pid;

	if (run_path(l, path, cmdline_file) < 0 ||
	    launch_write_cmdline(path, argv) < 0)
		return -1;
	pid = launch_spawn(argv, io);
	if (pid < 0)
		return -1;
	ev_begin(&e, "qemu_launch");
	ev_str(&e, "which", which);
	ev_int(&e, "pid", pid);
	ev_str(&e, "cmdline", cmdline_file);
	ev_end(&e);
	return pid;
}

int launch_remote(struct lab *l)
{
	struct launch_cfg cfg = { l->run_dir, l->build_dir, l->cmd_mode,
				  l->share_dir[0] ? l->share_dir : NULL,
				  l->opt->gdb_remote, l->opt->gdb_linux };
	struct argv_list argv = { 0 };
	char log_path[PATH_MAX];
	int null_fd, log_fd;
	pid_t pid = -1;

	if (run_path(l, log_path, RUN_REMOTE_QEMU_LOG) < 0)
		return -1;
	null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	log_fd = open(log_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (null_fd < 0 || log_fd < 0) {
		err_msg("cannot open %s: %s", log_path, strerror(errno));
	} else if (launch_remote_argv(&argv, &cfg) < 0) {
		err_msg("out of memory");
	} else {
		/* Its diagnostics go to a file: the terminal belongs to Linux. */
		struct spawn_io io = { null_fd, log_fd, log_fd, true };

		pid = spawn(l, "remote", &argv, RUN_REMOTE_CMDLINE, &io);
	}
	if (null_fd >= 0)
		close(null_fd);
	if (log_fd >= 0)
		close(log_fd);
	argv_free(&argv);
	if (pid < 0)
		return -1;
	l->remote_pid = pid;
	l->ivsh.page->remote_pid = pid;
	l->remote_deadline = now_ms() + REMOTE_READY_MS;
	return 0;
}

int launch_linux(struct lab *l)
{
	struct launch_cfg cfg = { l->run_dir, l->build_dir, l->cmd_mode,
				  l->share_dir[0] ? l->share_dir : NULL,
				  l->opt->gdb_remote, l->opt->gdb_linux };
	struct argv_list argv = { 0 };
	struct spawn_io io = { -1, -1, -1, false };
	int pipe_fd[2] = { -1, -1 }, null_fd = -1;
	pid_t pid = -1;

	if (launch_linux_argv(&argv, &cfg) < 0) {
		err_msg("out of memory");
		goto out;
	}
	if (l->cmd_mode) {
		null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
		if (null_fd < 0 || pipe2(pipe_fd, O_CLOEXEC) < 0) {
			err_msg("cannot set up the console pipe: %s",
				strerror(errno));
			goto out;
		}
		io = (struct spawn_io){ null_fd, pipe_fd[1], -1, true };
	}
	pid = spawn(l, "linux", &argv, RUN_LINUX_CMDLINE, &io);
	if (pid > 0 && l->cmd_mode) {
		set_nonblock(pipe_fd[0]);
		l->console_fd = pipe_fd[0];
		pipe_fd[0] = -1;
		if (ep_add(l->console_fd, EP_CONSOLE, 0) < 0)
			close_console(l);
	}
out:
	for (int i = 0; i < 2; i++)
		if (pipe_fd[i] >= 0)
			close(pipe_fd[i]);
	if (null_fd >= 0)
		close(null_fd);
	argv_free(&argv);
	if (pid < 0)
		return -1;
	l->linux_pid = pid;
	l->linux_launched = true;
	return 0;
}

