// SPDX-License-Identifier: GPL-2.0-only
/*
 * `amprelayd dumpdtb`: the Linux machine's own device tree, from the same
 * machine options the lab uses, for the device-tree build.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "amprelayd.h"

int default_build_dir(char *out, size_t size)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n < 0) {
		err_msg("cannot find my own executable: %s", strerror(errno));
		return -1;
	}
	exe[n] = '\0';
	/* The executable is $(B)/host/amprelayd. */
	snprintf(out, size, "%s", dirname(dirname(exe)));
	return 0;
}

/* QEMU writes the tree and exits; its chatter is shown only on failure. */
int run_dumpdtb(const char *out)
{
	char tmp[PATH_MAX], window[PATH_MAX], log_path[PATH_MAX];
	const char *tmpdir = getenv("TMPDIR");
	struct argv_list argv = { 0 };
	int ret = 1, log_fd = -1, null_fd = -1, fd, status = 0;
	bool done = false;
	sigset_t set;
	pid_t pid = -1;
	struct stat st;

	snprintf(tmp, sizeof(tmp), "%s/amprelayd-dtb-XXXXXX",
		 tmpdir && *tmpdir ? tmpdir : "/tmp");
	if (!mkdtemp(tmp)) {
		err_msg("mkdtemp %s: %s", tmp, strerror(errno));
		return 1;
	}
	if (path_join(window, sizeof(window), tmp, RUN_WINDOW) < 0 ||
	    path_join(log_path, sizeof(log_path), tmp, "qemu.log") < 0) {
		rmdir(tmp);
		return 1;
	}

	fd = open(window, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0 || ftruncate(fd, AR_WIN_SIZE) < 0) {
		err_msg("cannot create %s: %s", window, strerror(errno));
		goto out;
	}
	close(fd);
	log_fd = open(log_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (log_fd < 0 || null_fd < 0) {
		err_msg("cannot create %s: %s", log_path, strerror(errno));
		goto out;
	}
	unlink(out);	/* success is judged by the file appearing */
	if (launch_dumpdtb_argv(&argv, tmp, out) < 0) {
		err_msg("out of memory");
		goto out;
	}

	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, NULL);
	{
		struct spawn_io io = { null_fd, log_fd, log_fd, false };
		double deadline = now_ms() + DUMPDTB_TIMEOUT_MS;
		struct timespec ts = { 0, 100 * 1000 * 1000 };

		pid = launch_spawn(&argv, &io);
		if (pid < 0)
			goto out;
		while (!done && now_ms() < deadline) {
			if (waitpid(pid, &status, WNOHANG) == pid)
				done = true;
			else
				sigtimedwait(&set, NULL, &ts);
		}
	}
	if (!done) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		err_msg("%s did not finish the device-tree dump within %d s",
			argv.v[0], DUMPDTB_TIMEOUT_MS / 1000);
	} else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 ||
		   stat(out, &st) < 0 || st.st_size == 0) {
		char desc[96], buf[4096];
		ssize_t n = pread(log_fd, buf, sizeof(buf) - 1, 0);

		describe_status(status, desc, sizeof(desc));
		err_msg("%s failed to dump the device tree to %s (%s)%s",
			argv.v[0], out, desc, n > 0 ? ":" : "");
		if (n > 0) {
			buf[n] = '\0';
			fputs(buf, stderr);
		}
	} else {
		ret = 0;
	}
out:
	if (log_fd >= 0)
		close(log_fd);
	if (null_fd >= 0)
		close(null_fd);
	argv_free(&argv);
	unlink(window);
	unlink(log_path);
	rmdir(tmp);
	return ret;
}
