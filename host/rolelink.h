/*
 * rolelink.h: the connection between the two halves of a --role
 * migration, on two machines: gvmigrate --role destination listens on
 * --listen tcp:ADDR:PORT, gvmigrate --role source connects to --to
 * tcp:HOST:PORT at the guest's request.  Before either QEMU sees the
 * connection, the two gvmigrates prove to each other that they hold the
 * same --psk key (a challenge and HMAC-SHA256 answers, words in
 * tables/migproto.h) and the source says which request the destination is
 * to acknowledge.  A connection without the key is refused there, named,
 * and the destination keeps waiting; then both QEMUs get the connection
 * ("fd:" URIs) and QEMU's own TLS-PSK with the same key protects the
 * stream (migtls.h).
 */
#ifndef GUESTVIEW_ROLELINK_H
#define GUESTVIEW_ROLELINK_H
#include <stddef.h>
#include <stdint.h>

#define ROLEKEY_MAX 64

struct role_key {
	uint8_t key[ROLEKEY_MAX];
	size_t len;
};

/* What a destination learnt from an authenticated source. */
struct role_peer {
	char nonce[2 * 32 + 1];
	unsigned int seq;
};

/*
 * Read a --psk FILE ("gvmigrate:HEX", QEMU's keys.psk format, as
 * gvmigrate --make-psk writes it; a regular file of this user that nobody
 * else may read) and copy it to dir/keys.psk, where QEMU's tls-creds-psk
 * reads it.  Returns 0, or -1 with why in err.
 */
int rolekey_load(struct role_key *k, const char *path, const char *dir, char *err, size_t size);

/* Listen on "tcp:ADDR:PORT" (PORT 0: any); actual gets "tcp:ADDR:REALPORT".  fd or -1. */
int rolelink_listen(const char *uri, char *actual, size_t asize, char *err, size_t size);

/*
 * Source: connect to uri, answer the challenge for request seq, check the
 * destination's answer, all before deadline (now_ms()).  Returns the
 * connected socket (blocking, for QEMU), or -1 with why in err; errno is
 * EINTR when a signal arrived on sigfd (left there for the event loop).
 */
int rolelink_connect(const char *uri, const struct role_key *k, unsigned int seq, int sigfd,
		     uint64_t deadline, char *err, size_t size);

/*
 * Destination: challenge an accepted connection and check its hello.
 * Returns 0 with p filled, or -1 with why in err (errno EINTR: a signal).
 */
int rolelink_challenge(int fd, const struct role_key *k, struct role_peer *p, int sigfd,
		       uint64_t deadline, char *err, size_t size);

/* Destination: answer "ready" (refusal NULL) or "refused reason=REFUSAL".  0 or -1. */
int rolelink_answer(int fd, const struct role_key *k, const struct role_peer *p, const char *refusal);

#endif
