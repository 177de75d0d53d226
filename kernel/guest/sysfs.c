// SPDX-License-Identifier: GPL-2.0-only
/*
 * Small helpers: sysfs attribute access and monotonic time.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include "amprelay.h"

/* snprintf that reports truncation: 0 or -ENAMETOOLONG. */
int format_into(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	if (len < 0 || (size_t)len >= size)
		return -ENAMETOOLONG;
	return 0;
}

/*
 * Read a sysfs attribute into buf as a string without its trailing
 * newline. Returns 0 or -errno.
 */
int sysfs_read(const char *path, char *buf, size_t size)
{
	ssize_t len;
	int fd, err;

	if (size == 0)
		return -EINVAL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	do {
		len = read(fd, buf, size - 1);
	} while (len < 0 && errno == EINTR);
	err = errno;
	close(fd);
	if (len < 0)
		return -err;
	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == ' '))
		len--;
	buf[len] = '\0';
	return 0;
}

/*
 * Write value to a sysfs attribute in one write(), which is how sysfs
 * hands it to the store function; the store's error comes back as errno.
 * Returns 0 or -errno.
 */
int sysfs_write(const char *path, const char *value)
{
	size_t len = strlen(value);
	ssize_t done;
	int fd, err;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	do {
		done = write(fd, value, len);
	} while (done < 0 && errno == EINTR);
	err = errno;
	close(fd);
	if (done < 0)
		return -err;
	if ((size_t)done != len)
		return -EIO;
	return 0;
}

bool path_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

uint64_t monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void sleep_ms(unsigned int ms)
{
	struct timespec ts = {
		.tv_sec = ms / 1000,
		.tv_nsec = (long)(ms % 1000) * 1000000L,
	};

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}
