/* tcppair.c: see tcppair.h. */
#include "tcppair.h"
#include "evloop.h"
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static bool same_addr(const struct sockaddr_in *a, const struct sockaddr_in *b)
{
	return a->sin_port == b->sin_port && a->sin_addr.s_addr == b->sin_addr.s_addr;
}

/* Accept what is queued on lfd: our own connection is kept, any other closed. */
static int take_ours(struct tcp_pair *p, int lfd, const struct sockaddr_in *ours)
{
	for (;;) {
		struct sockaddr_in peer;
		socklen_t len = sizeof(peer);
		int fd = accept4(lfd, (struct sockaddr *)&peer, &len, SOCK_CLOEXEC);

		if (fd < 0)
			return errno == EAGAIN || errno == EWOULDBLOCK || errno == ECONNABORTED ? 0 : -1;
		if (len == sizeof(peer) && peer.sin_family == AF_INET && same_addr(&peer, ours)) {
			p->dst_fd = fd;
			return 0;
		}
		/* Somebody else's: refused before QEMU could see a byte of it. */
		if (!p->foreign++)
			snprintf(p->foreign_peer, sizeof(p->foreign_peer), "%s:%u",
				 inet_ntoa(peer.sin_addr), ntohs(peer.sin_port));
		close(fd);
	}
}

int tcp_pair_make(struct tcp_pair *p, uint64_t deadline, bool foreign_first, char *err, size_t errsize)
{
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct sockaddr_in ours;
	socklen_t len = sizeof(addr);
	int lfd, intruder = -1, flags;
	const char *step;

	memset(p, 0, sizeof(*p));
	p->dst_fd = p->src_fd = -1;
	step = "socket";
	lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (lfd < 0)
		goto fail;
	step = "listen on 127.0.0.1";
	if (bind(lfd, (struct sockaddr *)&addr, sizeof(addr)) < 0 || listen(lfd, 16) < 0 ||
	    getsockname(lfd, (struct sockaddr *)&addr, &len) < 0)
		goto fail;
	if (foreign_first) {
		intruder = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (intruder >= 0)
			connect(intruder, (struct sockaddr *)&addr, sizeof(addr));
	}
	step = "connect to 127.0.0.1";
	p->src_fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (p->src_fd < 0)
		goto fail;
	if (connect(p->src_fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 && errno != EINPROGRESS)
		goto fail;
	len = sizeof(ours);
	if (getsockname(p->src_fd, (struct sockaddr *)&ours, &len) < 0)
		goto fail;
	/* Loopback connects at once; a full backlog (a flood) is bounded by the deadline. */
	step = "accept its own connection";
	while (p->dst_fd < 0) {
		struct pollfd pfd = { .fd = lfd, .events = POLLIN };
		uint64_t now = now_ms();

		if (now >= deadline) {
			errno = ETIMEDOUT;
			goto fail;
		}
		if (poll(&pfd, 1, (int)(deadline - now > 1000 ? 1000 : deadline - now)) < 0 && errno != EINTR)
			goto fail;
		if (take_ours(p, lfd, &ours) < 0)
			goto fail;
	}
	close(lfd);
	if (intruder >= 0)
		close(intruder);
	/* QEMU sets the modes it wants; both ends start blocking, as accepted sockets do. */
	flags = fcntl(p->src_fd, F_GETFL);
	fcntl(p->src_fd, F_SETFL, flags & ~O_NONBLOCK);
	return 0;
fail:
	snprintf(err, errsize, "cannot make the migration's TCP connection (%s): %s", step, strerror(errno));
	if (lfd >= 0)
		close(lfd);
	if (intruder >= 0)
		close(intruder);
	if (p->src_fd >= 0)
		close(p->src_fd);
	if (p->dst_fd >= 0)
		close(p->dst_fd);
	p->src_fd = p->dst_fd = -1;
	return -1;
}
