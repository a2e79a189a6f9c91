/*
 * migproto.h: the words of the console protocol between a payload and
 * host/gvmigrate, compiled into both (lib/migrate.c speaks it, host/vm.c
 * and host/run.c answer), so neither side can spell a token its own way.
 * The conversation itself is described in lib/migrate.h.  One line each:
 *
 *   GUESTVIEW-MIGRATE request seq=N           guest: migrate me now
 *   GUESTVIEW-MIGRATE clock seq=N             guest: only the host's time
 *   GUESTVIEW-MIGRATE skip reason=TEXT        guest: no migration wanted
 *   GUESTVIEW-MIGRATE ack seq=N host_ns=T     host, on the QEMU the guest now runs on
 */
#ifndef GUESTVIEW_TABLES_MIGPROTO_H
#define GUESTVIEW_TABLES_MIGPROTO_H

#define MIGPROTO		"GUESTVIEW-MIGRATE"
#define MIGPROTO_REQUEST	"request"
#define MIGPROTO_CLOCK		"clock"
#define MIGPROTO_SKIP		"skip"
#define MIGPROTO_ACK		"ack"
/* Fields, "name=value", separated by one space. */
#define MIGPROTO_SEQ		"seq="
#define MIGPROTO_HOST_NS	"host_ns="
#define MIGPROTO_REASON		"reason="
/* Longest line either side sends, newline excluded. */
#define MIGPROTO_LINE_MAX	127

/*
 * Between the two halves of a --role migration (host/rolelink.h), on the
 * TCP connection before it is handed to the two QEMUs (whose TLS-PSK then
 * authenticates the stream).  KEY is the shared --psk key, MAC is
 * HMAC-SHA256(KEY, TEXT) in hex:
 *
 *   destination: GUESTVIEW-MIGRATE-LINK challenge nonce=HEX
 *   source:      GUESTVIEW-MIGRATE-LINK hello seq=N mac=MAC("hello nonce=HEX seq=N")
 *   destination: GUESTVIEW-MIGRATE-LINK ready mac=MAC("ready nonce=HEX seq=N")
 *           or:  GUESTVIEW-MIGRATE-LINK refused reason=TEXT
 *
 * seq is the guest's request, which the destination acknowledges on its
 * console; the "ready" MAC tells the source that the destination holds the
 * key too, before any of the guest's state leaves.
 */
#define MIGLINK			"GUESTVIEW-MIGRATE-LINK"
#define MIGLINK_CHALLENGE	"challenge"
#define MIGLINK_HELLO		"hello"
#define MIGLINK_READY		"ready"
#define MIGLINK_REFUSED		"refused"
#define MIGLINK_NONCE		"nonce="
#define MIGLINK_MAC		"mac="

/*
 * What a --role half prints on stdout after each leg it took part in that
 * completed (the guest moved), for programs such as the kernel matrix that
 * must not parse prose; a refused leg has none (the RESULT line says why):
 *
 *   gvmigrate: LEG N DIR PEER [NAME=VALUE...]
 *
 * N is the migration (1 out of the source, 2 the way back), DIR "out" on
 * the half that sent the guest, "in" on the one that received it, PEER the
 * other half ("out": the URI it connected to; "in": the address the
 * connection came from).  Values are whole milliseconds; a figure this half
 * does not have is left out, never printed as 0:
 *
 * A run with both QEMUs on one machine (--mode) prints the same line for
 * each migration, DIR "out", PEER the mode (unix, tcp), request_ms from
 * the guest's request to its ack on the destination.
 *
 *   request_ms   out: from the guest's request to QEMU's "completed";
 *                in:  from the source's authenticated hello (sent at the
 *                     request) to the guest's ack on this side
 *   total_ms, downtime_ms, setup_ms
 *                out: QEMU's own figures (query-migrate of the sending QEMU)
 *
 * tables/migproto-gen writes these words (and the ones above) for bash
 * (tables/migproto.bash) and Python (tables/migproto.json).
 */
#define MIGLEG_PREFIX		"gvmigrate:"
#define MIGLEG			"LEG"
#define MIGLEG_OUT		"out"
#define MIGLEG_IN		"in"
#define MIGLEG_REQUEST_MS	"request_ms="
#define MIGLEG_TOTAL_MS		"total_ms="
#define MIGLEG_DOWNTIME_MS	"downtime_ms="
#define MIGLEG_SETUP_MS		"setup_ms="

/*
 * What a --role half prints once it listens (the destination's --listen,
 * the source's --back-listen), before any QEMU of its starts:
 *
 *   gvmigrate: listening on tcp:ADDR:PORT for WHOM
 *
 * The kernel matrix (scripts/matrix/lib/live.bash) sends a cell's source
 * its half only after its destination said this, so the guest's request
 * never finds nothing listening.
 */
#define MIGROLE_LISTENING	"gvmigrate: listening on"

#endif
