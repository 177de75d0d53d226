// SPDX-License-Identifier: GPL-2.0-only
/*
 * ivshmem-doorbell server for the Linux QEMU (QEMU docs/specs/
 * ivshmem-spec.txt). The daemon is not a client itself: it invents peer
 * AR_IVSHMEM_DAEMON_PEER and keeps that peer's eventfds, so Linux ringing
 * (peer << 16 | v) wakes us, and we raise Linux's vector v by writing the
 * eventfd we handed to QEMU as the client's own vector v.
 *
 * QEMU reads the greeting synchronously while realizing the device, so the
 * whole greeting is sent right at accept time.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "amprelayd.h"

static void close_vector_fds(struct ivsh *iv)
{
	for (int v = 0; v < AR_NUM_VECTORS; v++) {
		if (iv->peer_fd[v] >= 0) {
			ep_del(iv->peer_fd[v]);
			close(iv->peer_fd[v]);
		}
		if (iv->own_fd[v] >= 0)
			close(iv->own_fd[v]);
		iv->peer_fd[v] = iv->own_fd[v] = -1;
	}
}

static void drop_client(struct ivsh *iv, const char *why)
{
	struct ev e;

	if (iv->client_fd < 0)
		return;
	ep_del(iv->client_fd);
	close(iv->client_fd);
	iv->client_fd = -1;
	close_vector_fds(iv);
	ev_begin(&e, "ivshmem_disconnected");
	ev_str(&e, "reason", why);
	ev_end(&e);
}

int ivsh_init(struct ivsh *iv, const char *sock_path)
{
	iv->listen_fd = iv->client_fd = -1;
	for (int v = 0; v < AR_NUM_VECTORS; v++)
		iv->peer_fd[v] = iv->own_fd[v] = -1;

	/* BAR2 of the device: its size is the size of this fd. */
	iv->shm_fd = memfd_create("amprelay-sysctl",
				  MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (iv->shm_fd < 0) {
		err_msg("memfd_create: %s", strerror(errno));
		return -1;
	}
	if (ftruncate(iv->shm_fd, AR_SYSCTL_PAGE_SIZE) < 0) {
		err_msg("ftruncate sysctl page: %s", strerror(errno));
		return -1;
	}
	fcntl(iv->shm_fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW);
	iv->page = mmap(NULL, AR_SYSCTL_PAGE_SIZE, PROT_READ | PROT_WRITE,
			MAP_SHARED, iv->shm_fd, 0);
	if (iv->page == MAP_FAILED) {
		err_msg("mmap sysctl page: %s", strerror(errno));
		return -1;
	}
	iv->page->magic = AR_SYSCTL_MAGIC;
	iv->page->reset_status = AR_RESET_OK;
	/* The remote QEMU starts with -S: the core is held from the start. */
	iv->page->core_held = 1;

	iv->listen_fd = listen_unix(sock_path);
	if (iv->listen_fd < 0)
		return -1;
	return ep_add(iv->listen_fd, EP_IVSH_LISTEN, 0);
}

static int send_msg(int fd, int64_t val, int pass_fd)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	struct iovec iov = { .iov_base = &val, .iov_len = sizeof(val) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };

	/* The protocol is little endian; so is every host we build for. */
	_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
		       "ivshmem messages are little endian");
	if (pass_fd >= 0) {
		struct cmsghdr *cm;

		msg.msg_control = cbuf;
		msg.msg_controllen = sizeof(cbuf);
		cm = CMSG_FIRSTHDR(&msg);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cm), &pass_fd, sizeof(int));
	}
	/* Non-blocking: a client that does not read must not stall us. */
	if (sendmsg(fd, &msg, MSG_NOSIGNAL | MSG_DONTWAIT) != sizeof(val))
		return -1;
	return 0;
}

static int send_greeting(struct ivsh *iv)
{
	int fd = iv->client_fd;

	if (send_msg(fd, 0, -1) < 0 ||				/* version */
	    send_msg(fd, AR_IVSHMEM_LINUX_ID, -1) < 0 ||
	    send_msg(fd, -1, iv->shm_fd) < 0)
		return -1;
	for (int v = 0; v < AR_NUM_VECTORS; v++)
		if (send_msg(fd, AR_IVSHMEM_DAEMON_PEER, iv->peer_fd[v]) < 0)
			return -1;
	for (int v = 0; v < AR_NUM_VECTORS; v++)
		if (send_msg(fd, AR_IVSHMEM_LINUX_ID, iv->own_fd[v]) < 0)
			return -1;
	return 0;
}

/* A previous client that has hung up does not block its successor. */
static bool client_gone(int fd)
{
	char c;
	ssize_t n = recv(fd, &c, 1, MSG_PEEK | MSG_DONTWAIT);

	return n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR);
}

void ivsh_accept(struct ivsh *iv)
{
	struct ev e;
	int fd = accept4(iv->listen_fd, NULL, NULL,
			 SOCK_CLOEXEC | SOCK_NONBLOCK);

	if (fd < 0)
		return;
	if (iv->client_fd >= 0 && client_gone(iv->client_fd))
		drop_client(iv, "hung up");
	if (iv->client_fd >= 0) {
		/* One Linux at a time; a second one would steal its doorbells. */
		close(fd);
		ev_begin(&e, "ivshmem_rejected");
		ev_str(&e, "reason", "a client is already connected");
		ev_end(&e);
		return;
	}

	iv->client_fd = fd;
	for (int v = 0; v < AR_NUM_VECTORS; v++) {
		iv->peer_fd[v] = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		iv->own_fd[v] = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		if (iv->peer_fd[v] < 0 || iv->own_fd[v] < 0) {
			err_msg("eventfd: %s", strerror(errno));
			drop_client(iv, "out of eventfds");
			return;
		}
	}
	if (send_greeting(iv) < 0) {
		drop_client(iv, "greeting not accepted");
		return;
	}
	for (int v = 0; v < AR_NUM_VECTORS; v++)
		if (ep_add(iv->peer_fd[v], EP_IVSH_VECTOR, v) < 0) {
			drop_client(iv, "epoll failed");
			return;
		}
	if (ep_add(fd, EP_IVSH_CLIENT, 0) < 0) {
		drop_client(iv, "epoll failed");
		return;
	}
	ev_begin(&e, "ivshmem_connected");
	ev_int(&e, "id", AR_IVSHMEM_LINUX_ID);
	ev_int(&e, "vectors", AR_NUM_VECTORS);
	ev_end(&e);
}

/* Clients never send anything; data is discarded, EOF ends the client. */
void ivsh_client_readable(struct ivsh *iv)
{
	char buf[256];
	ssize_t n;

	while ((n = recv(iv->client_fd, buf, sizeof(buf), MSG_DONTWAIT)) > 0)
		;
	if (n == 0)
		drop_client(iv, "closed");
	else if (errno != EAGAIN && errno != EINTR)
		drop_client(iv, strerror(errno));
}

bool ivsh_connected(const struct ivsh *iv)
{
	return iv->client_fd >= 0;
}

bool ivsh_read_vector(struct ivsh *iv, unsigned int vec, uint64_t *count)
{
	if (vec >= AR_NUM_VECTORS || iv->peer_fd[vec] < 0)
		return false;
	return read(iv->peer_fd[vec], count, sizeof(*count)) == sizeof(*count);
}

bool ivsh_raise(struct ivsh *iv, unsigned int vec)
{
	uint64_t one = 1;

	if (vec >= AR_NUM_VECTORS || iv->own_fd[vec] < 0)
		return false;
	return write(iv->own_fd[vec], &one, sizeof(one)) == sizeof(one);
}

void ivsh_fini(struct ivsh *iv)
{
	if (iv->client_fd >= 0)
		drop_client(iv, "daemon stopping");
	if (iv->listen_fd >= 0)
		close(iv->listen_fd);
	iv->listen_fd = -1;
}
