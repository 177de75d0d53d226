// SPDX-License-Identifier: GPL-2.0-only
/* amprelayd: command-line parsing and the four modes. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "amprelayd.h"

static const char synopsis[] =
	"usage: amprelayd run [--run-dir DIR] [--cmd 'GUEST COMMAND'] [--build DIR] [--timeout SECONDS]\n"
	"                     [--share DIR] [--gdb-remote] [--gdb-linux]\n"
	"       amprelayd serve --run-dir DIR\n"
	"       amprelayd cmdline --run-dir DIR [--cmd 'GUEST COMMAND'] [--build DIR]\n"
	"                         [--gdb-remote] [--gdb-linux]\n"
	"       amprelayd dumpdtb OUT.dtb\n"
	"       amprelayd ctl RUN_DIR freeze|kill|drop-doorbells N|status|cpu\n";

static void usage(FILE *f)
{
	fputs(synopsis, f);
	fprintf(f,
		"\n"
		"  run      start the lab: both QEMUs, served and supervised. Without\n"
		"           --cmd the terminal is the Linux console (Ctrl-A x quits);\n"
		"           with --cmd the guest runs the command, its output is printed\n"
		"           and amprelayd exits with its status (125: the lab failed).\n"
		"           Run dir default: BUILD/runs/<stamp>-<pid> (BUILD/runs/latest).\n"
		"           --timeout defaults to %d s with --cmd, none without.\n"
		"           --share DIR (default BUILD/share, created) appears in the\n"
		"           guest at " AR_SHARE_GUEST_DIR "; the kernel loads firmware from\n"
		"           its " AR_SHARE_FW_SUBDIR "/ subfolder first.\n"
		"           --gdb-remote / --gdb-linux open that QEMU's gdbstub on\n"
		"           RUN/" RUN_GDB_REMOTE_SOCK " / RUN/" RUN_GDB_LINUX_SOCK " (docs/debugging.md).\n"
		"  serve    only the sockets and the shared window; launches nothing\n"
		"  cmdline  write the two QEMU command lines into DIR\n"
		"  dumpdtb  dump the Linux machine's device tree (QEMU dumpdtb)\n"
		"  ctl      ask the running lab in RUN_DIR for a host-side fault:\n"
		"           freeze (QMP stop of the remote), kill (SIGKILL the remote\n"
		"           QEMU; it is started again), drop-doorbells N (the next N\n"
		"           doorbells to the remote); status; cpu (host CPU time of\n"
		"           amprelayd and of each QEMU's main and vCPU threads). The\n"
		"           guest does the same by writing the request to\n"
		"           /lab/ctl-request (qemu/README.md)\n",
		DEFAULT_CMD_TIMEOUT_S);
}

static int bad_usage(const char *fmt, const char *arg)
{
	char msg[512];

	snprintf(msg, sizeof(msg), fmt, arg);
	err_msg("%s", msg);
	fprintf(stderr, "%s(amprelayd --help explains the modes)\n", synopsis);
	return 2;
}

/* Accepts "--name VALUE" and "--name=VALUE". */
static const char *option_value(int argc, char **argv, int *i,
				const char *name, bool *matched)
{
	size_t len = strlen(name);
	const char *arg = argv[*i];

	*matched = false;
	if (strncmp(arg, name, len))
		return NULL;
	if (arg[len] == '=') {
		*matched = true;
		return arg + len + 1;
	}
	if (arg[len] != '\0')
		return NULL;
	*matched = true;
	if (*i + 1 >= argc)
		return NULL;
	return argv[++*i];
}

static int parse_options(int argc, char **argv, struct options *o)
{
	static const char *const names[] = {
		"--run-dir", "--cmd", "--build", "--timeout", "--share",
	};

	for (int i = 2; i < argc; i++) {
		const char *val = NULL;
		size_t k;
		bool matched = false;

		/* The two flags that take no value. */
		if (!strcmp(argv[i], "--gdb-remote")) {
			o->gdb_remote = true;
			continue;
		}
		if (!strcmp(argv[i], "--gdb-linux")) {
			o->gdb_linux = true;
			continue;
		}

		for (k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
			val = option_value(argc, argv, &i, names[k], &matched);
			if (matched)
				break;
		}
		if (!matched)
			return bad_usage("unknown argument '%s'", argv[i]);
		if (!val)
			return bad_usage("%s needs a value", names[k]);
		switch (k) {
		case 0:
			if (!*val)
				return bad_usage("%s: empty directory name", names[k]);
			o->run_dir = val;
			break;
		case 1:
			if (!*val)
				return bad_usage("%s: empty command", names[k]);
			o->cmd = val;
			break;
		case 2:
			if (!*val)
				return bad_usage("%s: empty directory name", names[k]);
			o->build_dir = val;
			break;
		case 3: {
			char *end;
			long t;

			errno = 0;
			t = strtol(val, &end, 10);
			if (errno || end == val || *end || t <= 0 ||
			    t > INT_MAX / 1000)
				return bad_usage("--timeout wants a positive number of seconds, not '%s'",
						 val);
			o->timeout_s = t;
			o->timeout_given = true;
			break;
		}
		case 4:
			if (!*val)
				return bad_usage("%s: empty directory name", names[k]);
			o->share_dir = val;
			break;
		}
	}
	return 0;
}

/* Options a mode does not take are refused rather than ignored. */
static int refuse(const struct options *o, bool run_dir, bool cmd,
		  bool build, bool timeout)
{
	if (o->run_dir && !run_dir)
		return bad_usage("'%s' takes no --run-dir", o->mode);
	if (o->cmd && !cmd)
		return bad_usage("'%s' takes no --cmd", o->mode);
	if (o->build_dir && !build)
		return bad_usage("'%s' takes no --build", o->mode);
	if (o->timeout_given && !timeout)
		return bad_usage("'%s' takes no --timeout", o->mode);
	return 0;
}

static int cmd_cmdline(const struct options *o)
{
	char build[PATH_MAX], real[PATH_MAX];
	struct launch_cfg cfg;

	if (o->build_dir)
		snprintf(build, sizeof(build), "%s", o->build_dir);
	else if (default_build_dir(build, sizeof(build)) < 0)
		return 1;
	if (mkdir_p(o->run_dir) < 0)
		return 1;
	if (!realpath(o->run_dir, real)) {
		err_msg("%s: %s", o->run_dir, strerror(errno));
		return 1;
	}
	cfg = (struct launch_cfg){ real, build, o->cmd != NULL, NULL,
				   o->gdb_remote, o->gdb_linux };
	if (launch_write_cmdlines(&cfg) < 0)
		return 1;
	printf("%s/%s\n%s/%s\n", real, RUN_LINUX_CMDLINE, real,
	       RUN_REMOTE_CMDLINE);
	return 0;
}

int main(int argc, char **argv)
{
	struct options o = { 0 };
	int ret;

	if (argc < 2)
		return bad_usage("%s", "no mode given");
	o.mode = argv[1];
	if (!strcmp(o.mode, "-h") || !strcmp(o.mode, "--help") ||
	    !strcmp(o.mode, "help")) {
		usage(stdout);
		return 0;
	}

	if (!strcmp(o.mode, "dumpdtb")) {
		if (argc != 3 || !*argv[2] || argv[2][0] == '-')
			return bad_usage("%s", "dumpdtb takes exactly one output file");
		return run_dumpdtb(argv[2]);
	}

	if (!strcmp(o.mode, "ctl")) {
		if (argc < 4 || !*argv[2])
			return bad_usage("%s", "ctl takes a run directory and a request");
		return run_ctl(argv[2], argc - 3, argv + 3);
	}

	if (strcmp(o.mode, "run") && strcmp(o.mode, "serve") &&
	    strcmp(o.mode, "cmdline"))
		return bad_usage("unknown mode '%s'", o.mode);
	ret = parse_options(argc, argv, &o);
	if (ret)
		return ret;

	if (!strcmp(o.mode, "run")) {
		if (o.cmd && !o.timeout_given)
			o.timeout_s = DEFAULT_CMD_TIMEOUT_S;
		return run_lab(&o, true);
	}
	if (!o.run_dir)
		return bad_usage("'%s' needs --run-dir DIR", o.mode);
	if (o.share_dir)
		return bad_usage("'%s' takes no --share", o.mode);
	if (!strcmp(o.mode, "serve")) {
		if (o.gdb_remote || o.gdb_linux)
			return bad_usage("%s", "'serve' launches no QEMU: no --gdb-remote or --gdb-linux");
		ret = refuse(&o, true, false, false, false);
		return ret ? ret : run_lab(&o, false);
	}
	ret = refuse(&o, true, true, true, false);
	return ret ? ret : cmd_cmdline(&o);
}
