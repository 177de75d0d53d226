// SPDX-License-Identifier: GPL-2.0-only
/*
 * Crash and recovery commands of the guest tool:
 *   watch          remoteproc0 state changes and rpmsg channels coming and
 *                  going, with millisecond timestamps (polled: sysfs has no
 *                  change notification for either)
 *   coredump save  copy the devcoredump of the last crash, then free it
 *   host           ask amprelayd for a host-side fault through /lab
 *   crash-cycle    inject one fault, time its detection (the kernel's
 *                  "crash detected" record) and the first good echo after
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <amprelay/platform.h>

#include "amprelay.h"

#define RPROC_STATE	"/sys/class/remoteproc/remoteproc0/state"
#define RPROC_DEBUGFS	"/sys/kernel/debug/remoteproc/remoteproc0"
#define RPMSG_DEVICES	"/sys/bus/rpmsg/devices"
#define DEVCD_DIR	"/sys/class/devcoredump"
#define LAB_DIR		"/lab"
#define LAB_MARKER	"events.jsonl"	/* written by amprelayd in every run */
#define LAB_DUMPS	"coredumps"

#define WATCH_POLL_MS	3
#define MAX_CHANNELS	64
#define ECHO_RETRY_MS	2
#define ANNOUNCE_WAIT_MS	100

static double now_s(void)
{
	return monotonic_ns() / 1e9;
}

static int kmsg_wait(int fd, const char *needle, double deadline,
		     double *ts, char *text, size_t size);

/*
 * Kernel record stamps run ahead of CLOCK_MONOTONIC by a fixed offset
 * (different zero points). A record of our own measures it, so watch
 * lines can be read side by side with dmesg. 0 if /dev/kmsg is refused.
 */
static double kmsg_clock_offset(void)
{
	static const char mark[] = PROG_NAME " watch: clock mark\n";
	double before, ts;
	char text[128];
	int fd;

	fd = open("/dev/kmsg", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return 0;
	lseek(fd, 0, SEEK_END);
	before = now_s();
	if (write(fd, mark, sizeof(mark) - 1) < 0 ||
	    kmsg_wait(fd, PROG_NAME " watch: clock mark", before + 1, &ts,
		      text, sizeof(text)) < 0) {
		close(fd);
		return 0;
	}
	close(fd);
	return ts - (before + now_s()) / 2;
}

/* ---- watch ------------------------------------------------------------ */

struct channel_set {
	char dev[MAX_CHANNELS][SYSFS_VALUE_MAX];
	char name[MAX_CHANNELS][AR_RPMSG_NAME_SIZE + 1];
	int n;
};

static void read_channels(struct channel_set *set)
{
	char path[2 * SYSFS_VALUE_MAX];
	struct dirent *de;
	DIR *dir;

	set->n = 0;
	dir = opendir(RPMSG_DEVICES);
	if (!dir)
		return;
	while ((de = readdir(dir)) && set->n < MAX_CHANNELS) {
		if (de->d_name[0] == '.')
			continue;
		format_into(set->dev[set->n], SYSFS_VALUE_MAX, "%s", de->d_name);
		format_into(path, sizeof(path), RPMSG_DEVICES "/%s/name",
			    de->d_name);
		/*
		 * A device being added or removed may have no readable name
		 * yet or any more: it counts once it has one (next poll), or
		 * as gone.
		 */
		if (sysfs_read(path, set->name[set->n],
			       sizeof(set->name[set->n])) < 0)
			continue;
		set->n++;
	}
	closedir(dir);
}

static bool channel_in(const struct channel_set *set, const char *dev)
{
	for (int i = 0; i < set->n; i++)
		if (!strcmp(set->dev[i], dev))
			return true;
	return false;
}

/* Channels in a but not in b, printed with sign. */
static void print_channel_diff(const struct channel_set *a,
			       const struct channel_set *b, char sign,
			       double offset)
{
	for (int i = 0; i < a->n; i++)
		if (!channel_in(b, a->dev[i]))
			printf("[%12.3f] channel %c %s (%s)\n", now_s() + offset, sign,
			       a->name[i], a->dev[i]);
}

static void print_watch_usage(FILE *out)
{
	fprintf(out,
		"usage: " PROG_NAME " watch [-t SECONDS]\n"
		"  prints remoteproc0's state and the rpmsg channels, then every\n"
		"  change, stamped in dmesg's clock (seconds, ms resolution);\n"
		"  stops after SECONDS (default: never)\n");
}

int cmd_watch(int argc, char **argv)
{
	static struct channel_set old_set, new_set;
	char old_state[SYSFS_VALUE_MAX] = "", state[SYSFS_VALUE_MAX];
	unsigned long seconds = 0;
	double end = 0, offset;

	if (argc == 3 && !strcmp(argv[1], "-t")) {
		if (parse_uint(argv[2], 86400, &seconds) || !seconds) {
			print_error("watch: -t wants 1 to 86400 seconds, not '%s'",
				    argv[2]);
			return EXIT_USAGE;
		}
		end = now_s() + seconds;
	} else if (argc != 1) {
		print_watch_usage(stderr);
		return EXIT_USAGE;
	}

	offset = kmsg_clock_offset();
	/* The first pass lists what is already there, as appearing. */
	old_set.n = 0;
	for (;;) {
		if (sysfs_read(RPROC_STATE, state, sizeof(state)) < 0)
			format_into(state, sizeof(state), "(no remoteproc0)");
		if (strcmp(state, old_state)) {
			printf("[%12.3f] remoteproc0 %s\n", now_s() + offset,
			       state);
			format_into(old_state, sizeof(old_state), "%s", state);
		}
		read_channels(&new_set);
		print_channel_diff(&new_set, &old_set, '+', offset);
		print_channel_diff(&old_set, &new_set, '-', offset);
		old_set = new_set;
		if (end && now_s() >= end)
			return EXIT_SUCCESS;
		sleep_ms(WATCH_POLL_MS);
	}
}

/* ---- coredump save ---------------------------------------------------- */

/* First devcdN directory, or -1. */
static int find_devcd(char *dir, size_t size)
{
	struct dirent *de;
	DIR *d = opendir(DEVCD_DIR);
	int ret = -1;

	if (!d)
		return -1;
	while ((de = readdir(d))) {
		if (strncmp(de->d_name, "devcd", 5))
			continue;
		format_into(dir, size, DEVCD_DIR "/%s", de->d_name);
		ret = 0;
		break;
	}
	closedir(d);
	return ret;
}

static int copy_file(const char *from, const char *to, size_t *total)
{
	char buf[65536];
	int in, out, ret = 0;
	ssize_t n;

	*total = 0;
	in = open(from, O_RDONLY | O_CLOEXEC);
	if (in < 0) {
		print_error("coredump: cannot open %s: %s", from, strerror(errno));
		return -1;
	}
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (out < 0) {
		print_error("coredump: cannot create %s: %s", to, strerror(errno));
		close(in);
		return -1;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0) {
		if (write(out, buf, n) != n) {
			print_error("coredump: writing %s: %s", to, strerror(errno));
			ret = -1;
			break;
		}
		*total += n;
	}
	if (n < 0) {
		print_error("coredump: reading %s: %s", from, strerror(errno));
		ret = -1;
	}
	if (close(out) < 0 && !ret) {
		print_error("coredump: closing %s: %s", to, strerror(errno));
		ret = -1;
	}
	close(in);
	return ret;
}

static int coredump_save(const char *file, unsigned long wait_s)
{
	char dir[SYSFS_VALUE_MAX], data[2 * SYSFS_VALUE_MAX];
	char link[2 * SYSFS_VALUE_MAX], target[SYSFS_VALUE_MAX];
	double end = now_s() + wait_s;
	size_t total;
	ssize_t n;

	while (find_devcd(dir, sizeof(dir)) < 0) {
		if (now_s() >= end) {
			print_error("coredump: no dump in " DEVCD_DIR " after %lu s (is remoteproc0's coredump set to enabled or inline?)",
				    wait_s);
			return EXIT_FAILURE;
		}
		sleep_ms(20);
	}
	format_into(data, sizeof(data), "%s/data", dir);
	if (copy_file(data, file, &total) < 0)
		return EXIT_FAILURE;
	/* The lab keeps every dump in the run directory too. */
	if (strncmp(file, LAB_DIR "/", sizeof(LAB_DIR)) &&
	    path_exists(LAB_DIR "/" LAB_MARKER)) {
		char copy[2 * SYSFS_VALUE_MAX];
		size_t n2;

		mkdir(LAB_DIR "/" LAB_DUMPS, 0755);
		format_into(copy, sizeof(copy), LAB_DIR "/" LAB_DUMPS "/%s-%llu.elf",
			    strrchr(dir, '/') + 1,
			    (unsigned long long)(monotonic_ns() / 1000000));
		if (copy_file(data, copy, &n2) == 0)
			printf("copied to %s\n", copy);
	}
	format_into(link, sizeof(link), "%s/failing_device", dir);
	n = readlink(link, target, sizeof(target) - 1);
	target[n > 0 ? n : 0] = '\0';
	/* Any write frees the dump (and unblocks an inline-mode recovery). */
	if (sysfs_write(data, "1") < 0)
		print_error("coredump: note: could not free %s", dir);
	printf("saved %zu bytes from %s (%s) to %s\n", total,
	       strrchr(dir, '/') + 1, n > 0 ? strrchr(target, '/') + 1 : "?",
	       file);
	return total ? EXIT_SUCCESS : EXIT_FAILURE;
}

int cmd_coredump(int argc, char **argv)
{
	unsigned long wait_s = 10;

	if (argc == 5 && !strcmp(argv[3], "--wait")) {
		if (parse_uint(argv[4], 3600, &wait_s)) {
			print_error("coredump: --wait wants 0 to 3600 seconds, not '%s'",
				    argv[4]);
			return EXIT_USAGE;
		}
		argc = 3;
	}
	if (argc != 3 || strcmp(argv[1], "save")) {
		fprintf(stderr,
			"usage: " PROG_NAME " coredump save FILE [--wait SECONDS]\n"
			"  copies the remote's devcoredump (waiting up to SECONDS,\n"
			"  default 10, for one to appear) to FILE and frees it\n");
		return EXIT_USAGE;
	}
	return coredump_save(argv[2], wait_s);
}

/* ---- host ------------------------------------------------------------- */

static int host_request(int argc, char **argv, bool quiet)
{
	char req[SYSFS_VALUE_MAX], tmp[SYSFS_VALUE_MAX], rep[SYSFS_VALUE_MAX];
	char line[512] = "";
	size_t len = 0;
	FILE *f;
	int i;

	format_into(req, sizeof(req), LAB_DIR "/" AR_RUN_CTL_REQUEST);
	format_into(tmp, sizeof(tmp), LAB_DIR "/" AR_RUN_CTL_REQUEST ".guest");
	format_into(rep, sizeof(rep), LAB_DIR "/" AR_RUN_CTL_REPLY);
	for (i = 0; i < argc; i++) {
		int n = snprintf(line + len, sizeof(line) - len, "%s%s",
				 i ? " " : "", argv[i]);

		if (n < 0 || (size_t)n >= sizeof(line) - len - 1) {
			print_error("host: request too long");
			return EXIT_USAGE;
		}
		len += n;
	}
	strcat(line, "\n");
	if (!path_exists(LAB_DIR "/" LAB_MARKER)) {
		print_error("host: " LAB_DIR " is not the run directory of a lab (no amprelayd to ask)");
		return EXIT_FAILURE;
	}
	unlink(rep);
	f = fopen(tmp, "we");
	if (!f || fputs(line, f) < 0 || fclose(f) < 0 || rename(tmp, req) < 0) {
		print_error("host: cannot write %s: %s", req, strerror(errno));
		return EXIT_FAILURE;
	}
	for (i = 0; i < 400; i++) {
		f = fopen(rep, "re");
		if (f) {
			bool ok = fgets(line, sizeof(line), f) &&
				  !strncmp(line, "ok", 2);

			fclose(f);
			unlink(rep);
			if (!quiet || !ok)
				fputs(line, ok ? stdout : stderr);
			return ok ? EXIT_SUCCESS : EXIT_FAILURE;
		}
		sleep_ms(25);
	}
	unlink(req);
	print_error("host: amprelayd did not answer within 10 s");
	return EXIT_FAILURE;
}

int cmd_host(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr,
			"usage: " PROG_NAME " host freeze | kill | drop-doorbells N | status | cpu\n"
			"  asks amprelayd (through " LAB_DIR ") for a host-side fault, its\n"
			"  status, or the host CPU time of amprelayd and both QEMUs\n");
		return EXIT_USAGE;
	}
	return host_request(argc - 1, argv + 1, false);
}

/* ---- crash-cycle ------------------------------------------------------ */

/* Runs this tool with args, output discarded; its exit status. */
static int run_self(char *const args[])
{
	pid_t pid = fork();
	int status;

	if (pid < 0)
		return -1;
	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);

		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execv("/proc/self/exe", args);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/*
 * Next /dev/kmsg record containing needle, up to deadline; its timestamp
 * in seconds and its text. 0, or -1 on timeout.
 */
static int kmsg_wait(int fd, const char *needle, double deadline,
		     double *ts, char *text, size_t size)
{
	char rec[1024];

	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		double left = deadline - now_s();
		unsigned long long usec;
		ssize_t n;
		char *msg;

		if (left <= 0)
			return -1;
		n = read(fd, rec, sizeof(rec) - 1);
		if (n < 0) {
			if (errno == EPIPE)
				continue;	/* overwritten records: go on */
			if (errno != EAGAIN)
				return -1;
			poll(&p, 1, (int)(left * 1000) + 1);
			continue;
		}
		rec[n] = '\0';
		msg = strchr(rec, ';');
		if (!msg || sscanf(rec, "%*u,%*u,%llu", &usec) != 1)
			continue;
		msg++;
		msg[strcspn(msg, "\n")] = '\0';
		if (!strstr(msg, needle))
			continue;
		*ts = usec / 1e6;
		format_into(text, size, "%s", msg);
		return 0;
	}
}

static void print_cycle_usage(FILE *out)
{
	fprintf(out,
		"usage: " PROG_NAME " crash-cycle [-t SECONDS] fault TYPE | host REQUEST... | debugfs N\n"
		"       " PROG_NAME " crash-cycle --limits\n"
		"  injects one fault into the running remote, waits for the kernel's\n"
		"  crash report and then for an echo to come back; prints\n"
		"  'detect_ms=D recover_ms=R type=T' (times from the injection).\n"
		"  Fails if either does not happen within SECONDS (default 15).\n");
}

int cmd_crash_cycle(int argc, char **argv)
{
	char text[512], crash_line[512] = "", announce[256], *type;
	char channel[SYSFS_VALUE_MAX];
	unsigned long timeout_s = 15;
	double t0, t_mark, t_detect, t_announce, t_back, deadline;
	bool announced;
	int fd, ret, argi = 1;

	/* For scripts: the budgets detection is held to, from platform.h. */
	if (argc == 2 && !strcmp(argv[1], "--limits")) {
		printf("wdog_ms=%d heartbeat_ms=%d heartbeat_misses=%d\n",
		       AR_WDOG_TIMEOUT_MS, AR_HEARTBEAT_CHECK_MS, AR_HEARTBEAT_MISSES);
		return EXIT_SUCCESS;
	}
	if (argc > 3 && !strcmp(argv[1], "-t")) {
		if (parse_uint(argv[2], 3600, &timeout_s) || !timeout_s) {
			print_error("crash-cycle: -t wants 1 to 3600 seconds, not '%s'",
				    argv[2]);
			return EXIT_USAGE;
		}
		argi = 3;
	}
	if (argc - argi < 2 || (strcmp(argv[argi], "fault") &&
				strcmp(argv[argi], "host") &&
				strcmp(argv[argi], "debugfs"))) {
		print_cycle_usage(stderr);
		return EXIT_USAGE;
	}

	fd = open("/dev/kmsg", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		print_error("crash-cycle: /dev/kmsg: %s", strerror(errno));
		return EXIT_FAILURE;
	}
	/* Only records from now on. */
	lseek(fd, 0, SEEK_END);

	/*
	 * Kernel record stamps and CLOCK_MONOTONIC differ by an offset: a
	 * mark of our own gives the injection time in the records' clock.
	 */
	t0 = now_s();
	format_into(text, sizeof(text), PROG_NAME " crash-cycle: injecting %s %s\n",
		    argv[argi], argv[argi + 1]);
	if (write(fd, text, strlen(text)) < 0 ||
	    kmsg_wait(fd, PROG_NAME " crash-cycle: injecting", t0 + 2, &t_mark,
		      text, sizeof(text)) < 0) {
		print_error("crash-cycle: cannot mark /dev/kmsg: %s", strerror(errno));
		close(fd);
		return EXIT_FAILURE;
	}

	if (!strcmp(argv[argi], "fault")) {
		char *args[] = { PROG_NAME, "fault", argv[argi + 1], NULL };

		/* The reply may not come if the fault is quick: not an error. */
		ret = argc - argi == 2 ? run_self(args) : EXIT_USAGE;
		if (ret == EXIT_USAGE) {
			print_error("crash-cycle: bad fault request");
			close(fd);
			return EXIT_USAGE;
		}
	} else if (!strcmp(argv[argi], "host")) {
		ret = host_request(argc - argi - 1, argv + argi + 1, true);
		if (ret) {
			close(fd);
			return ret;
		}
	} else {
		ret = sysfs_write(RPROC_DEBUGFS "/crash", argv[argi + 1]);
		if (ret < 0) {
			print_error("crash-cycle: writing %s to " RPROC_DEBUGFS "/crash: %s",
				    argv[argi + 1], strerror(-ret));
			close(fd);
			return EXIT_FAILURE;
		}
	}

	deadline = t0 + timeout_s;
	/* The driver's line is the detection; debugfs crash skips the driver. */
	if (strcmp(argv[argi], "debugfs") &&
	    kmsg_wait(fd, "remote crash", deadline, &t_detect, crash_line,
		      sizeof(crash_line)) < 0) {
		print_error("crash-cycle: no 'remote crash' line from the driver within %lu s",
			    timeout_s);
		close(fd);
		return EXIT_FAILURE;
	}
	if (kmsg_wait(fd, "crash detected in", deadline,
		      crash_line[0] ? &t_back : &t_detect, text,
		      sizeof(text)) < 0) {
		print_error("crash-cycle: no crash reported within %lu s", timeout_s);
		close(fd);
		return EXIT_FAILURE;
	}
	type = strstr(text, "type ");
	type = type ? type + 5 : "?";

	/*
	 * The channel comes back by name service once recovery is done: its
	 * announcement in the kernel log says when to try, so the figure does
	 * not carry a polling period. Should the record be lost (the log
	 * overran), an echo is still tried every ANNOUNCE_WAIT_MS.
	 */
	announced = false;
	for (;;) {
		if (!announced)
			announced = kmsg_wait(fd, "creating channel " AR_SVC_ECHO_NAME,
					      fmin(deadline, now_s() + ANNOUNCE_WAIT_MS / 1e3),
					      &t_announce, announce, sizeof(announce)) == 0;
		/* Without the record, only once the channel is there: quietly. */
		if ((announced || rpmsg_channel_find(AR_SVC_ECHO_NAME, channel,
						     sizeof(channel)) == 0) &&
		    echo_check("crash-cycle-probe") == 0)
			break;
		if (now_s() >= deadline) {
			print_error("crash-cycle: crash reported (%s) but no echo within %lu s",
				    type, timeout_s);
			close(fd);
			return EXIT_FAILURE;
		}
		sleep_ms(ECHO_RETRY_MS);
	}
	close(fd);
	t_back = now_s();
	printf("detect_ms=%.1f recover_ms=%.1f type=%s\n",
	       (t_detect - t_mark) * 1000, (t_back - t0) * 1000, type);
	if (crash_line[0])
		printf("# %s\n", crash_line);
	return EXIT_SUCCESS;
}
