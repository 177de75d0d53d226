// SPDX-License-Identifier: GPL-2.0-only
/*
 * amprelay: drive the remote processor and talk to its rpmsg services from
 * the Linux guest, through stock kernel interfaces only (remoteproc sysfs,
 * the rpmsg bus in sysfs and rpmsg_char nodes).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <amprelay/platform.h>

#include "amprelay.h"

static void print_usage(FILE *out)
{
	fprintf(out,
		"usage: " PROG_NAME " COMMAND [OPTIONS]\n"
		"\n"
		"commands:\n"
		"  status                      remoteproc0 state and the rpmsg channels\n"
		"  start [--firmware NAME] [--wait SECONDS]\n"
		"                              boot the remote and wait (default 10 s,\n"
		"                              0 = don't) for the " AR_SVC_ECHO_NAME " channel\n"
		"  stop                        shut the remote down\n"
		"  reload [--wait S] [FILE]    stop, load FILE (a path, or a name in\n"
		"                              " AR_SHARE_GUEST_DIR "/" AR_SHARE_FW_SUBDIR " or " AR_FW_LOADER_DIR "; none: the\n"
		"                              current image again), start, print build id\n"
		"  send CHANNEL TEXT...        one message to any channel, print the reply\n"
		"  echo TEXT...                send TEXT (words joined by spaces) to\n"
		"                              " AR_SVC_ECHO_NAME " as one message, print the reply\n"
		"  echo -s SIZE                the same with a generated SIZE-byte payload\n"
		"  ping [-c N] [-s SIZE|A-B] [-w N] [-q] [-o FILE]\n"
		"                              N verified round trips (default 10, 32 bytes);\n"
		"                              A-B cycles through every size from A to B;\n"
		"                              prints min/p50/p90/p99/max latency in us\n"
		"  throughput [-d tx|rx|both] [-c N]\n"
		"                              N checked largest-payload messages each way (default\n"
		"                              10000) through " AR_SVC_BULK_NAME ", in msg/s and MB/s\n"
		"  cmd OP [ARGS]               command service: version, uptime, stats,\n"
		"                              get PARAM, set PARAM VALUE, fault TYPE, raw HEX\n"
		"  fault TYPE                  make the firmware fail (see 'cmd --help')\n"
		"  telemetry [-n N] [--csv FILE] [-q]\n"
		"                              show or record the telemetry stream\n"
		"  names [--watch]             (re)make the /dev/rpmsg/<service> links\n"
		"  openamp-echo [-q]           OpenAMP echo test on " AR_SVC_OPENAMP_NAME "\n"
		"  watch [-t SECONDS]          remoteproc0 states and channels as they change\n"
		"  coredump save FILE          store the last crash's devcoredump\n"
		"  host freeze|kill|drop-doorbells N|status|cpu\n"
		"                              host-side fault (or status, host CPU), through amprelayd\n"
		"  crash-cycle [-t S] fault TYPE|host REQ|debugfs N\n"
		"                              one fault: time to detection and to echo\n"
		"  soak plan|traffic|kmsg ...  the guest half of make soak (docs/soak.md)\n"
		"  help                        this text\n"
		"\n"
		"Services are found by name on the rpmsg bus; the largest payload is %d bytes.\n",
		AR_RPMSG_MAX_PAYLOAD);
}

static int cmd_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	print_usage(stdout);
	return EXIT_SUCCESS;
}

static int cmd_status(int argc, char **argv)
{
	int ret = EXIT_SUCCESS;

	(void)argv;
	if (argc > 1) {
		print_error("status takes no arguments");
		return EXIT_USAGE;
	}
	if (rproc_print_status())
		ret = EXIT_FAILURE;
	if (rpmsg_print_channels())
		ret = EXIT_FAILURE;
	return ret;
}

void print_error(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs(PROG_NAME ": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* Strict decimal parse: the whole string, no sign, at most max. */
int parse_uint(const char *text, unsigned long max, unsigned long *out)
{
	unsigned long value;
	char *end;

	if (text[0] < '0' || text[0] > '9')
		return -EINVAL;
	errno = 0;
	value = strtoul(text, &end, 10);
	if (errno || *end != '\0')
		return -EINVAL;
	if (value > max)
		return -ERANGE;
	*out = value;
	return 0;
}

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
} commands[] = {
	{ "status", cmd_status },
	{ "start", cmd_start },
	{ "stop", cmd_stop },
	{ "reload", cmd_reload },
	{ "send", cmd_send },
	{ "echo", cmd_echo },
	{ "ping", cmd_ping },
	{ "throughput", cmd_throughput },
	{ "cmd", cmd_cmd },
	{ "fault", cmd_fault },
	{ "telemetry", cmd_telemetry },
	{ "names", cmd_names },
	{ "openamp-echo", cmd_openamp_echo },
	{ "watch", cmd_watch },
	{ "coredump", cmd_coredump },
	{ "host", cmd_host },
	{ "crash-cycle", cmd_crash_cycle },
	{ "soak", cmd_soak },
	{ "help", cmd_help },
};

int main(int argc, char **argv)
{
	size_t i;

	/* Lines show up at once on the console and keep their order with stderr. */
	setvbuf(stdout, NULL, _IOLBF, 0);

	if (argc < 2) {
		print_usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return cmd_help(argc - 1, argv + 1);

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].run(argc - 1, argv + 1);

	print_error("unknown command '%s'", argv[1]);
	print_usage(stderr);
	return EXIT_USAGE;
}
