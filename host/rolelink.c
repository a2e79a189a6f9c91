/* rolelink.c: see rolelink.h. */
#include "rolelink.h"
#include "migproto.h"
#include "migtls.h"
#include "sha256.h"
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netdb.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* The longest line either gvmigrate sends on the link, newline excluded. */
#define LINK_LINE_MAX 200

static uint64_t ms_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
	       c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

static void to_hex(const uint8_t *b, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", b[i]);
}

int rolekey_load(struct role_key *k, const char *path, const char *dir, char *err, size_t size)
{
	char line[256], copy[PATH_MAX];
	const char *hex;
	struct stat st;
	ssize_t n;
	size_t len;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC), out;

	if (fd < 0) {
		snprintf(err, size, "--psk %s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_uid != getuid() || (st.st_mode & 077)) {
		snprintf(err, size, "--psk %s: must be a regular file of this user that nobody else can "
			 "read (mode 0600; gvmigrate --make-psk FILE makes one)", path);
		close(fd);
		return -1;
	}
	n = read(fd, line, sizeof(line) - 1);
	close(fd);
	line[n > 0 ? n : 0] = '\0';
	line[strcspn(line, "\n")] = '\0';
	hex = line + strlen(MIGTLS_USER ":");
	len = strlen(hex);
	if (strncmp(line, MIGTLS_USER ":", strlen(MIGTLS_USER ":")) || len < 32 || len % 2 ||
	    len > 2 * ROLEKEY_MAX || strspn(hex, "0123456789abcdefABCDEF") != len) {
		snprintf(err, size, "--psk %s: line 1 is not '" MIGTLS_USER ":HEX' (32 to %d hex digits; "
			 "gvmigrate --make-psk FILE makes one)", path, 2 * ROLEKEY_MAX);
		return -1;
	}
	k->len = len / 2;
	for (size_t i = 0; i < k->len; i++)
		k->key[i] = (uint8_t)(hexval(hex[2 * i]) << 4 | hexval(hex[2 * i + 1]));
	/* QEMU's tls-creds-psk reads dir/keys.psk: the same key, in the private run directory. */
	snprintf(copy, sizeof(copy), "%s/keys.psk", dir);
	out = open(copy, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	len = strlen(line);
	line[len] = '\n';
	if (out < 0 || write(out, line, len + 1) != (ssize_t)len + 1 || close(out)) {
		snprintf(err, size, "cannot copy --psk %s to %s: %s", path, copy, strerror(errno));
		if (out >= 0)
			close(out);
		return -1;
	}
	return 0;
}

/* "tcp:HOST:PORT" (HOST may be [v6]) for getaddrinfo. */
static int parse_uri(const char *uri, char *host, size_t hsize, char *port, size_t psize)
{
	const char *colon;
	size_t hlen;

	if (strncmp(uri, "tcp:", 4) || !(colon = strrchr(uri + 4, ':')) || !colon[1])
		return -1;
	hlen = (size_t)(colon - (uri + 4));
	if (hlen >= 2 && uri[4] == '[' && colon[-1] == ']')
		snprintf(host, hsize, "%.*s", (int)hlen - 2, uri + 5);
	else
		snprintf(host, hsize, "%.*s", (int)hlen, uri + 4);
	snprintf(port, psize, "%s", colon + 1);
	return strspn(port, "0123456789") == strlen(port) && *host ? 0 : -1;
}

static struct addrinfo *resolve(const char *uri, bool passive, char *err, size_t size)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICSERV | (passive ? AI_PASSIVE : 0) };
	struct addrinfo *ai = NULL;
	char host[256], port[16];
	int rc;

	if (parse_uri(uri, host, sizeof(host), port, sizeof(port))) {
		snprintf(err, size, "'%s': expected tcp:HOST:PORT", uri);
		return NULL;
	}
	if ((rc = getaddrinfo(host, port, &hints, &ai))) {
		snprintf(err, size, "'%s': %s", uri, gai_strerror(rc));
		return NULL;
	}
	return ai;
}

int rolelink_listen(const char *uri, char *actual, size_t asize, char *err, size_t size)
{
	struct addrinfo *ai = resolve(uri, true, err, size);
	struct sockaddr_storage sa;
	socklen_t len = sizeof(sa);
	char host[128], port[16];
	int fd, one = 1;

	if (!ai)
		return -1;
	fd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd >= 0)
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (fd < 0 || bind(fd, ai->ai_addr, ai->ai_addrlen) || listen(fd, 8) ||
	    getsockname(fd, (struct sockaddr *)&sa, &len) ||
	    getnameinfo((struct sockaddr *)&sa, len, host, sizeof(host), port, sizeof(port),
			NI_NUMERICHOST | NI_NUMERICSERV)) {
		snprintf(err, size, "cannot listen on %s: %s", uri, strerror(errno));
		if (fd >= 0)
			close(fd);
		freeaddrinfo(ai);
		return -1;
	}
	freeaddrinfo(ai);
	snprintf(actual, asize, strchr(host, ':') ? "tcp:[%s]:%s" : "tcp:%s:%s", host, port);
	return fd;
}

/* Wait for fd (events) or a signal on sigfd until deadline: 0, or -1 with errno. */
static int wait_fd(int fd, short events, int sigfd, uint64_t deadline)
{
	for (;;) {
		struct pollfd p[2] = { { .fd = fd, .events = events }, { .fd = sigfd, .events = POLLIN } };
		uint64_t now = ms_now();

		if (now >= deadline) {
			errno = ETIMEDOUT;
			return -1;
		}
		if (poll(p, sigfd >= 0 ? 2 : 1, (int)(deadline - now > 1000 ? 1000 : deadline - now)) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (sigfd >= 0 && p[1].revents) {
			errno = EINTR;	/* the signal stays on sigfd for the event loop */
			return -1;
		}
		if (p[0].revents)
			return 0;
	}
}

/*
 * One line, byte by byte: nothing after its newline is consumed (the TLS
 * stream of QEMU follows on the same connection).  0, or -1 with errno
 * (ECONNRESET for a connection closed before the newline).
 */
static int read_line(int fd, char *line, size_t size, int sigfd, uint64_t deadline)
{
	size_t n = 0;

	for (;;) {
		char c;
		ssize_t r;

		if (wait_fd(fd, POLLIN, sigfd, deadline))
			return -1;
		r = read(fd, &c, 1);
		if (r < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (r <= 0) {
			if (r == 0)
				errno = ECONNRESET;
			return -1;
		}
		if (c == '\n')
			break;
		if (n + 1 >= size) {
			errno = EMSGSIZE;
			return -1;
		}
		line[n++] = c;
	}
	line[n] = '\0';
	return 0;
}

static int write_line(int fd, const char *line)
{
	char buf[LINK_LINE_MAX + 2];
	int len = snprintf(buf, sizeof(buf), "%s\n", line);

	/* A few bytes on a fresh connection: the socket buffer takes them at once. */
	return len > 0 && write(fd, buf, (size_t)len) == len ? 0 : -1;
}

/* MAC("WHAT nonce=NONCE seq=SEQ") in hex. */
static void link_mac(const struct role_key *k, const char *what, const char *nonce, unsigned int seq,
		     char out[2 * SHA256_LEN + 1])
{
	char text[160];
	uint8_t mac[SHA256_LEN];
	int len = snprintf(text, sizeof(text), "%s " MIGLINK_NONCE "%s " MIGPROTO_SEQ "%u", what, nonce, seq);

	hmac_sha256(k->key, k->len, text, (size_t)len, mac);
	to_hex(mac, sizeof(mac), out);
}

/* Equal MACs, compared in constant time. */
static bool same_mac(const char *a, const char *b)
{
	unsigned char diff = 0;

	if (strlen(a) != 2 * SHA256_LEN || strlen(b) != 2 * SHA256_LEN)
		return false;
	for (size_t i = 0; i < 2 * SHA256_LEN; i++)
		diff |= (unsigned char)(a[i] ^ b[i]);
	return !diff;
}

/* The value of " NAME" in line, up to the next space, into out. */
static bool field(const char *line, const char *name, char *out, size_t size)
{
	const char *p = strstr(line, name);

	if (!p || (p != line && p[-1] != ' '))
		return false;
	p += strlen(name);
	snprintf(out, size, "%.*s", (int)strcspn(p, " "), p);
	return true;
}

/* errno of a failed link step, in words. */
static const char *link_error(long timeout_ms)
{
	static char buf[96];

	if (errno == ETIMEDOUT) {
		snprintf(buf, sizeof(buf), "no answer within %ld ms", timeout_ms);
		return buf;
	}
	if (errno == EMSGSIZE) {
		snprintf(buf, sizeof(buf), "a line longer than %d bytes", LINK_LINE_MAX);
		return buf;
	}
	return errno == ECONNRESET ? "the connection was closed" : strerror(errno);
}

int rolelink_connect(const char *uri, const struct role_key *k, unsigned int seq, int sigfd,
		     uint64_t deadline, char *err, size_t size)
{
	struct addrinfo *ai = resolve(uri, false, err, size);
	char line[LINK_LINE_MAX + 1], nonce[80], mac[2 * SHA256_LEN + 1], got[80];
	long bound = (long)(deadline - ms_now());
	int fd = -1, soerr = 0;
	socklen_t len = sizeof(soerr);
	const char *step = "connect";

	if (!ai)
		return -1;
	fd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0 || (connect(fd, ai->ai_addr, ai->ai_addrlen) && errno != EINPROGRESS))
		goto fail;
	if (wait_fd(fd, POLLOUT, sigfd, deadline))
		goto fail;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) || soerr) {
		errno = soerr ? soerr : errno;
		goto fail;
	}
	step = "wait for its challenge";
	if (read_line(fd, line, sizeof(line), sigfd, deadline))
		goto fail;
	if (strncmp(line, MIGLINK " " MIGLINK_CHALLENGE " ", strlen(MIGLINK " " MIGLINK_CHALLENGE " ")) ||
	    !field(line, MIGLINK_NONCE, nonce, sizeof(nonce)) || strlen(nonce) != 2 * 32) {
		snprintf(err, size, "%s is no gvmigrate destination: it said '%.60s'", uri, line);
		errno = 0;
		goto out;
	}
	link_mac(k, MIGLINK_HELLO, nonce, seq, mac);
	snprintf(line, sizeof(line), MIGLINK " " MIGLINK_HELLO " " MIGPROTO_SEQ "%u " MIGLINK_MAC "%s", seq, mac);
	step = "send its hello";
	if (write_line(fd, line))
		goto fail;
	step = "wait for its answer";
	if (read_line(fd, line, sizeof(line), sigfd, deadline))
		goto fail;
	if (!strncmp(line, MIGLINK " " MIGLINK_REFUSED " ", strlen(MIGLINK " " MIGLINK_REFUSED " "))) {
		const char *why = strstr(line, MIGPROTO_REASON);
		snprintf(err, size, "%s refused the connection: %s", uri,
			 why ? why + strlen(MIGPROTO_REASON) : line);
		errno = 0;
		goto out;
	}
	link_mac(k, MIGLINK_READY, nonce, seq, mac);
	if (strncmp(line, MIGLINK " " MIGLINK_READY " ", strlen(MIGLINK " " MIGLINK_READY " ")) ||
	    !field(line, MIGLINK_MAC, got, sizeof(got)) || !same_mac(got, mac)) {
		snprintf(err, size, "%s answered without proof of the --psk key (a destination with "
			 "another key, or no gvmigrate): '%.60s'", uri, line);
		errno = 0;
		goto out;
	}
	freeaddrinfo(ai);
	/* QEMU sets the modes it wants; it gets the socket blocking, as connected sockets start. */
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	return fd;
fail:
	{
		int e = errno;
		snprintf(err, size, "%s: cannot %s: %s", uri, step, link_error(bound));
		errno = e;
	}
out:
	{
		int e = errno;	/* EINTR: a signal, for the caller */
		freeaddrinfo(ai);
		if (fd >= 0)
			close(fd);
		errno = e;
	}
	return -1;
}

int rolelink_challenge(int fd, const struct role_key *k, struct role_peer *p, int sigfd,
		       uint64_t deadline, char *err, size_t size)
{
	char line[LINK_LINE_MAX + 1], mac[2 * SHA256_LEN + 1], got[80], seq[16];
	uint8_t nonce[32];
	long bound = (long)(deadline - ms_now());
	char *end;

	if (getrandom(nonce, sizeof(nonce), 0) != (ssize_t)sizeof(nonce)) {
		snprintf(err, size, "cannot make a challenge: %s", strerror(errno));
		return -1;
	}
	to_hex(nonce, sizeof(nonce), p->nonce);
	snprintf(line, sizeof(line), MIGLINK " " MIGLINK_CHALLENGE " " MIGLINK_NONCE "%s", p->nonce);
	if (write_line(fd, line) || read_line(fd, line, sizeof(line), sigfd, deadline)) {
		snprintf(err, size, "no hello: %s", link_error(bound));
		return -1;
	}
	if (strncmp(line, MIGLINK " " MIGLINK_HELLO " ", strlen(MIGLINK " " MIGLINK_HELLO " ")) ||
	    !field(line, MIGPROTO_SEQ, seq, sizeof(seq)) || !field(line, MIGLINK_MAC, got, sizeof(got))) {
		snprintf(err, size, "not a gvmigrate source: it said '%.60s'", line);
		return -1;
	}
	errno = 0;
	p->seq = (unsigned int)strtoul(seq, &end, 10);
	link_mac(k, MIGLINK_HELLO, p->nonce, p->seq, mac);
	if (*end || !*seq || errno || !same_mac(got, mac)) {
		snprintf(err, size, "authentication failed: its hello is not signed with this "
			 "destination's --psk key");
		return -1;
	}
	return 0;
}

int rolelink_answer(int fd, const struct role_key *k, const struct role_peer *p, const char *refusal)
{
	char line[LINK_LINE_MAX + 1], mac[2 * SHA256_LEN + 1];

	if (refusal) {
		snprintf(line, sizeof(line), MIGLINK " " MIGLINK_REFUSED " " MIGPROTO_REASON "%s", refusal);
	} else {
		link_mac(k, MIGLINK_READY, p->nonce, p->seq, mac);
		snprintf(line, sizeof(line), MIGLINK " " MIGLINK_READY " " MIGLINK_MAC "%s", mac);
	}
	return write_line(fd, line);
}
