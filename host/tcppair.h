/*
 * tcppair.h: the TCP connection of a same-host tcp migration, made by the
 * harness and handed to both QEMUs ("fd:" URIs), so that no QEMU ever
 * listens on a port.
 *
 * Why: a destination QEMU listening on 127.0.0.1 takes the first
 * connection of any local process, and QEMU runs the TLS handshake of an
 * incoming channel without a bound.  A process that connects and sends
 * nothing (no TLS failure to report) stalled the run until its TIMEOUT.
 * Loopback is not a trust boundary; the port must not exist.  Here the
 * only listening socket is the harness's own, for the microseconds
 * between listen() and its own connect(); the harness accepts until it
 * has the connection whose peer is its own client socket and closes every
 * other one (refused, and said).  The stream is still authenticated with
 * the run's TLS key (migtls.h) and still goes over TCP.
 */
#ifndef GUESTVIEW_TCPPAIR_H
#define GUESTVIEW_TCPPAIR_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct tcp_pair {
	int dst_fd, src_fd;	/* the accepted end (destination's), the connecting end (source's) */
	unsigned int foreign;	/* other connections accepted and closed */
	char foreign_peer[64];	/* the first one's address, "127.0.0.1:PORT" */
};

/*
 * Connect a TCP pair over 127.0.0.1 before deadline (ms, now_ms()).
 * foreign_first (GVMIGRATE_FAULT=foreign-connect, the project's own tests):
 * a socket of the harness connects first and stays idle, as an intruder
 * would, until the pair is made.  Returns 0, or -1 with why in err.
 */
int tcp_pair_make(struct tcp_pair *p, uint64_t deadline, bool foreign_first, char *err, size_t errsize);

#endif
