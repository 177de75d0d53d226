// SPDX-License-Identifier: GPL-2.0-only
/*
 * The one place that knows the QEMU command lines: the Linux machine
 * (virt), the remote machine (mps2-an386) and the device-tree dump, which
 * shares the Linux machine options so the device tree matches the lab.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "amprelayd.h"

/* Linux's private RAM (NUMA node 0); the window follows it as node 1. */
#define LINUX_RAM_MIB		256
#define WIN_MIB			(AR_WIN_SIZE >> 20)

_Static_assert(AR_WIN_SIZE % (1 << 20) == 0, "window is whole MiB");

static int argv_add(struct argv_list *a, const char *s)
{
	if (a->n + 2 > a->cap) {
		int cap = a->cap ? a->cap * 2 : 64;
		char **v = realloc(a->v, cap * sizeof(*v));

		if (!v)
			return -1;
		a->v = v;
		a->cap = cap;
	}
	a->v[a->n] = strdup(s);
	if (!a->v[a->n])
		return -1;
	a->n++;
	a->v[a->n] = NULL;
	return 0;
}

static int argv_addf(struct argv_list *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int argv_addf(struct argv_list *a, const char *fmt, ...)
{
	char *s;
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (ret < 0)
		return -1;
	ret = argv_add(a, s);
	free(s);
	return ret;
}

void argv_free(struct argv_list *a)
{
	for (int i = 0; i < a->n; i++)
		free(a->v[i]);
	free(a->v);
	memset(a, 0, sizeof(*a));
}

/*
 * A path inside a QEMU "key=value,..." option: a comma is written as
 * ",,". Returned in one of a few rotating static buffers so several can
 * appear in one argv_addf call.
 */
static const char *opt_path(const char *dir, const char *name)
{
	static char bufs[4][8192];
	static int next;
	char *out = bufs[next++ % 4];
	char path[4096];
	size_t o = 0;

	if (name)
		snprintf(path, sizeof(path), "%s/%s", dir, name);
	else
		snprintf(path, sizeof(path), "%s", dir);
	for (const char *p = path; *p && o + 3 < sizeof(bufs[0]); p++) {
		out[o++] = *p;
		if (*p == ',')
			out[o++] = ',';
	}
	out[o] = '\0';
	return out;
}

static int plain_path(struct argv_list *a, const char *dir, const char *name)
{
	return argv_addf(a, "%s/%s", dir, name);
}

/* Everything that shapes the virt machine, and so its device tree. */
static int add_linux_machine(struct argv_list *a, const char *window_dir,
			     const char *dumpdtb)
{
	int err = 0;

	err |= argv_add(a, QEMU_LINUX);
	err |= argv_add(a, "-machine");
	if (dumpdtb)
		err |= argv_addf(a, "virt,gic-version=2,dumpdtb=%s",
				 opt_path(dumpdtb, NULL));
	else
		err |= argv_add(a, "virt,gic-version=2");
	err |= argv_add(a, "-cpu");
	err |= argv_add(a, "cortex-a53");
	err |= argv_add(a, "-smp");
	err |= argv_add(a, "2");
	err |= argv_add(a, "-m");
	err |= argv_addf(a, "%dM", LINUX_RAM_MIB + WIN_MIB);
	err |= argv_add(a, "-object");
	err |= argv_addf(a, "memory-backend-ram,id=ram0,size=%dM",
			 LINUX_RAM_MIB);
	err |= argv_add(a, "-object");
	err |= argv_addf(a, "memory-backend-file,id=win,size=%dM,mem-path=%s,share=on",
			 WIN_MIB, opt_path(window_dir, RUN_WINDOW));
	err |= argv_add(a, "-numa");
	err |= argv_add(a, "node,nodeid=0,memdev=ram0");
	err |= argv_add(a, "-numa");
	err |= argv_add(a, "node,nodeid=1,memdev=win");
	/* Single-threaded TCG: the fastest doorbells on this host (notes). */
	err |= argv_add(a, "-accel");
	err |= argv_add(a, "tcg,thread=single");
	err |= argv_add(a, "-nodefaults");
	err |= argv_add(a, "-display");
	err |= argv_add(a, "none");
	err |= argv_add(a, "-no-reboot");
	return err ? -1 : 0;
}

int launch_linux_argv(struct argv_list *a, const struct launch_cfg *cfg)
{
	const char *run = cfg->run_dir, *b = cfg->build_dir;
	int err = add_linux_machine(a, run, NULL);

	/* Named threads ("ALL CPUs/TCG"): the host "cpu" request tells roles apart. */
	err |= argv_add(a, "-name");
	err |= argv_add(a, "amprelay-linux,debug-threads=on");

	err |= argv_add(a, "-kernel");
	err |= plain_path(a, b, IN_KERNEL);
	err |= argv_add(a, "-initrd");
	err |= plain_path(a, b, IN_INITRAMFS);
	err |= argv_add(a, "-dtb");
	err |= plain_path(a, b, IN_DTB);
	err |= argv_add(a, "-append");
	if (cfg->share_dir)
		err |= argv_add(a, "console=ttyAMA0 panic=-1 firmware_class.path="
				AR_SHARE_GUEST_DIR "/" AR_SHARE_FW_SUBDIR);
	else
		err |= argv_add(a, "console=ttyAMA0 panic=-1");
	err |= argv_add(a, "-chardev");
	err |= argv_addf(a, "socket,id=ivsh,path=%s",
			 opt_path(run, RUN_IVSHMEM_SOCK));
	err |= argv_add(a, "-device");
	err |= argv_addf(a, "ivshmem-doorbell,chardev=ivsh,vectors=%d,addr=%02x.0",
			 AR_NUM_VECTORS, AR_SYSCTL_PCI_SLOT);
	err |= argv_add(a, "-fsdev");
	err |= argv_addf(a, "local,id=run,path=%s,security_model=none",
			 opt_path(run, NULL));
	err |= argv_add(a, "-device");
	err |= argv_addf(a, "virtio-9p-device,fsdev=run,mount_tag=%s",
			 AR_RUN_MOUNT_TAG);
	if (cfg->share_dir) {
		err |= argv_add(a, "-fsdev");
		err |= argv_addf(a, "local,id=share,path=%s,security_model=none",
				 opt_path(cfg->share_dir, NULL));
		err |= argv_add(a, "-device");
		err |= argv_addf(a, "virtio-9p-device,fsdev=share,mount_tag=%s",
				 AR_SHARE_MOUNT_TAG);
	}
	if (cfg->gdb_linux) {
		err |= argv_add(a, "-gdb");
		err |= argv_addf(a, "unix:%s,server,nowait",
				 opt_path(run, RUN_GDB_LINUX_SOCK));
	}
	err |= argv_add(a, "-chardev");
	if (cfg->cmd_mode) {
		/* stdout is our pipe: the daemon logs it and picks the output. */
		err |= argv_add(a, "stdio,id=con,signal=off");
		err |= argv_add(a, "-serial");
		err |= argv_add(a, "chardev:con");
	} else {
		/* The user's terminal; Ctrl-A c is the monitor, Ctrl-A x quits. */
		err |= argv_addf(a, "stdio,id=con,mux=on,signal=off,logfile=%s",
				 opt_path(run, RUN_LINUX_CONSOLE));
		err |= argv_add(a, "-serial");
		err |= argv_add(a, "chardev:con");
		err |= argv_add(a, "-mon");
		err |= argv_add(a, "chardev=con,mode=readline");
	}
	return err ? -1 : 0;
}

int launch_remote_argv(struct argv_list *a, const struct launch_cfg *cfg)
{
	const char *run = cfg->run_dir;
	int err = 0;

	err |= argv_add(a, QEMU_REMOTE);
	err |= argv_add(a, "-machine");
	err |= argv_add(a, "mps2-an386,memory-backend=win");
	err |= argv_add(a, "-name");
	err |= argv_add(a, "amprelay-remote,debug-threads=on");
	err |= argv_add(a, "-object");
	err |= argv_addf(a, "memory-backend-file,id=win,size=%dM,mem-path=%s,share=on",
			 WIN_MIB, opt_path(run, RUN_WINDOW));
	/*
	 * -nodefaults: otherwise QEMU adds a user-mode network behind the
	 * board's lan9118 and a parallel port. The firmware uses neither;
	 * QEMU then warns once that the NIC has no peer (in qemu-remote.log).
	 */
	err |= argv_add(a, "-nodefaults");
	err |= argv_add(a, "-display");
	err |= argv_add(a, "none");
	err |= argv_add(a, "-chardev");
	err |= argv_addf(a, "file,id=uart0,path=%s",
			 opt_path(run, RUN_REMOTE_CONSOLE));
	err |= argv_add(a, "-serial");
	err |= argv_add(a, "chardev:uart0");
	err |= argv_add(a, "-chardev");
	err |= argv_addf(a, "socket,id=uart1,path=%s",
			 opt_path(run, RUN_UART1_SOCK));
	err |= argv_add(a, "-serial");
	err |= argv_add(a, "chardev:uart1");
	err |= argv_add(a, "-chardev");
	err |= argv_addf(a, "socket,id=qmp,path=%s", opt_path(run, RUN_QMP_SOCK));
	err |= argv_add(a, "-mon");
	err |= argv_add(a, "chardev=qmp,mode=control");
	err |= argv_add(a, "-kernel");
	err |= plain_path(a, cfg->build_dir, IN_BOOTROM);
	/*
	 * The gdbstub listens in the run directory, so labs side by side
	 * never collide; gdb: target remote RUN/gdb-remote.sock.
	 */
	if (cfg->gdb_remote) {
		err |= argv_add(a, "-gdb");
		err |= argv_addf(a, "unix:%s,server,nowait",
				 opt_path(run, RUN_GDB_REMOTE_SOCK));
	}
	/* Held in reset until Linux releases the core (QMP cont). */
	err |= argv_add(a, "-S");
	return err ? -1 : 0;
}

int launch_dumpdtb_argv(struct argv_list *a, const char *tmp_dir,
			const char *out)
{
	return add_linux_machine(a, tmp_dir, out);
}

/* Inputs a run needs, and the make target that builds each. */
static const struct {
	const char *file;
	const char *target;
} inputs[] = {
	{ IN_KERNEL, "make kernel" },
	{ IN_INITRAMFS, "make initramfs" },
	{ IN_DTB, "make dtb" },
	{ IN_BOOTROM, "make firmware" },
};

int launch_check_inputs(const char *build_dir)
{
	int missing = 0;

	for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
		char path[4096];

		if (path_join(path, sizeof(path), build_dir, inputs[i].file) < 0)
			return -1;
		if (!file_exists(path)) {
			err_msg("missing %s (build it with '%s')", path,
				inputs[i].target);
			missing++;
		}
	}
	return missing ? -1 : 0;
}

static bool shell_safe(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "0123456789-_=+,.:/@%", *s))
			return false;
	return true;
}

static int put_quoted(FILE *f, const char *s)
{
	if (shell_safe(s))
		return fputs(s, f);
	fputc('\'', f);
	for (; *s; s++) {
		if (*s == '\'')
			fputs("'\\''", f);
		else
			fputc(*s, f);
	}
	return fputc('\'', f);
}

/* One option per line, ready to paste into a shell. */
int launch_write_cmdline(const char *path, const struct argv_list *a)
{
	FILE *f = fopen(path, "we");

	if (!f) {
		err_msg("cannot create %s: %s", path, strerror(errno));
		return -1;
	}
	for (int i = 0; i < a->n; i++) {
		if (i > 0)
			fputs(a->v[i][0] == '-' ? " \\\n  " : " ", f);
		put_quoted(f, a->v[i]);
	}
	fputc('\n', f);
	if (fclose(f) != 0) {
		err_msg("cannot write %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

int launch_write_cmdlines(const struct launch_cfg *cfg)
{
	struct argv_list lx = { 0 }, rm = { 0 };
	char path[4096];
	int ret = -1;

	if (launch_linux_argv(&lx, cfg) < 0 || launch_remote_argv(&rm, cfg) < 0) {
		err_msg("out of memory building command lines");
		goto out;
	}
	if (path_join(path, sizeof(path), cfg->run_dir, RUN_LINUX_CMDLINE) < 0 ||
	    launch_write_cmdline(path, &lx) < 0)
		goto out;
	if (path_join(path, sizeof(path), cfg->run_dir, RUN_REMOTE_CMDLINE) < 0 ||
	    launch_write_cmdline(path, &rm) < 0)
		goto out;
	ret = 0;
out:
	argv_free(&lx);
	argv_free(&rm);
	return ret;
}

/*
 * Host CPU layout of a lab: the daemon and both QEMUs share one host CPU
 * unless AMPRELAY_CPU says otherwise ("none": leave placement to the
 * scheduler; a number: that CPU). Every doorbell crosses three processes
 * (Linux QEMU, amprelayd, remote QEMU) and back, and on this kind of host
 * a wake-up on another CPU costs ~50 us where one on the same CPU costs
 * ~5 us (docs/performance.md has the measurements). Labs pick their CPU
 * by pid so that side-by-side labs spread over the host.
 */
#define LAYOUT_ENV	"AMPRELAY_CPU"

static int layout_choose_cpu(cpu_set_t *allowed, char *why, size_t size)
{
	const char *env = getenv(LAYOUT_ENV);
	int count, pick, cpu;
	char *end;
	long want;

	if (env && !strcmp(env, "none")) {
		snprintf(why, size, LAYOUT_ENV "=none");
		return -1;
	}
	if (sched_getaffinity(0, sizeof(*allowed), allowed) < 0) {
		snprintf(why, size, "sched_getaffinity: %s", strerror(errno));
		return -1;
	}
	if (env && *env && strcmp(env, "auto")) {
		errno = 0;
		want = strtol(env, &end, 10);
		if (errno || *end || want < 0 || want >= CPU_SETSIZE ||
		    !CPU_ISSET((int)want, allowed)) {
			snprintf(why, size, LAYOUT_ENV "=%s is not 'none', 'auto' or an allowed CPU",
				 env);
			return -2;
		}
		snprintf(why, size, LAYOUT_ENV "=%ld", want);
		return (int)want;
	}
	count = CPU_COUNT(allowed);
	if (count < 2) {
		snprintf(why, size, "only one CPU allowed: nothing to choose");
		return -1;
	}
	pick = getpid() % count;
	for (cpu = 0; cpu < CPU_SETSIZE; cpu++)
		if (CPU_ISSET(cpu, allowed) && pick-- == 0)
			break;
	snprintf(why, size, "auto: one CPU per lab, chosen by pid");
	return cpu;
}

/* Pins the daemon, before its first child: the QEMUs inherit it. */
static int apply_layout(void)
{
	static bool done;
	cpu_set_t allowed, one;
	char why[160];
	struct ev e;
	int cpu;

	if (done)
		return 0;
	done = true;
	cpu = layout_choose_cpu(&allowed, why, sizeof(why));
	if (cpu == -2) {
		err_msg("%s", why);
		return -1;
	}
	if (cpu >= 0) {
		CPU_ZERO(&one);
		CPU_SET(cpu, &one);
		if (sched_setaffinity(0, sizeof(one), &one) < 0) {
			snprintf(why, sizeof(why), "sched_setaffinity(%d): %s", cpu,
				 strerror(errno));
			cpu = -1;
		}
	}
	ev_begin(&e, "host_layout");
	ev_int(&e, "cpu", cpu);
	ev_str(&e, "reason", why);
	ev_end(&e);
	return 0;
}

/*
 * fork + exec with the daemon's blocked signals undone. A close-on-exec
 * pipe carries errno back if exec fails, so "qemu-system-arm not found"
 * is reported as such rather than as a child exiting with 127.
 */
pid_t launch_spawn(const struct argv_list *a, const struct spawn_io *io)
{
	pid_t parent = getpid(), pid;
	int status_pipe[2], child_errno;
	ssize_t n;

	if (apply_layout() < 0)
		return -1;
	if (pipe2(status_pipe, O_CLOEXEC) < 0) {
		err_msg("pipe: %s", strerror(errno));
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		err_msg("fork: %s", strerror(errno));
		close(status_pipe[0]);
		close(status_pipe[1]);
		return -1;
	}
	if (pid == 0) {
		sigset_t none;

		close(status_pipe[0]);
		if (io->own_pgrp)
			setpgid(0, 0);
		/* A QEMU must never outlive the daemon, even one killed hard. */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (getppid() != parent)
			_exit(127);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		signal(SIGPIPE, SIG_DFL);
		if ((io->in_fd >= 0 && dup2(io->in_fd, STDIN_FILENO) < 0) ||
		    (io->out_fd >= 0 && dup2(io->out_fd, STDOUT_FILENO) < 0) ||
		    (io->err_fd >= 0 && dup2(io->err_fd, STDERR_FILENO) < 0))
			child_errno = errno;
		else {
			execvp(a->v[0], a->v);
			child_errno = errno;
		}
		if (write(status_pipe[1], &child_errno, sizeof(child_errno)) < 0)
			_exit(126);
		_exit(127);
	}
	close(status_pipe[1]);
	do
		n = read(status_pipe[0], &child_errno, sizeof(child_errno));
	while (n < 0 && errno == EINTR);
	close(status_pipe[0]);
	if (n == sizeof(child_errno)) {
		waitpid(pid, NULL, 0);
		err_msg("cannot run %s: %s", a->v[0], strerror(child_errno));
		return -1;
	}
	return pid;
}
